"""The study's own coder, the per-code gate and the review queue."""

import numpy as np
import pandas as pd
import pytest

from insights.codebook import (
    Code,
    Codebook,
    StudyModel,
    code_segments,
    decide,
    gate_pairs,
    review_queue,
    with_status,
    word_scores,
)
from insights.embed import HashEmbedder
from insights.summarize import code_gate, krippendorff_alpha

BOOK = Codebook(
    codes=[
        Code(name="Price", definition="the bill, what it costs, money"),
        Code(name="Staff", definition="the waiter and the staff who serve"),
    ]
)
TEXTS = [
    "the bill was huge, so much money",
    "what it costs is too much money",
    "money money the bill",
    "our waiter was kind",
    "the staff who serve were slow",
    "a waiter and the staff",
    "we sat by the window",
]
SEGS = pd.DataFrame({"segment_id": [f"s{i}" for i in range(len(TEXTS))], "text": TEXTS})


def test_study_model_learns_from_a_noisy_prior_and_keeps_its_params():
    rng = np.random.default_rng(1)
    feats = np.vstack([rng.normal(0, 1, (30, 5)) + [2, 0, 0, 0, 0], rng.normal(0, 1, (30, 5))])
    truth = np.r_[np.zeros(30, int), np.ones(30, int)]
    prior = np.column_stack([feats[:, 0], 1.0 - feats[:, 0]]) + rng.normal(0, 1.5, (60, 2))
    model = StudyModel(rounds=2)
    params = model.get_params()
    fitted = model.fit(feats, prior)
    assert fitted is model and model.get_params() == params
    before = (prior.argmax(1) == truth).mean()
    after = (model.scores_.argmax(1) == truth).mean()
    assert after > before and after >= 0.8
    assert model.n_pseudo_ > 0 and model.n_human_ == 0
    # human decisions are labels: one accepted decision flips a row the prior got wrong
    wrong = int(np.flatnonzero(model.scores_.argmax(1) != truth)[0])
    taught = StudyModel(rounds=2, human_weight=50.0).fit(
        feats, prior, decisions=[(wrong, int(truth[wrong]), True)]
    )
    assert taught.n_human_ == 1
    assert taught.scores_[wrong].argmax() == truth[wrong]
    # rounds=0: the prior alone
    assert np.array_equal(StudyModel(rounds=0).fit(feats, prior).scores_, prior)
    # pairs the absolute evidence does not allow are never pseudo-labels: with none allowed
    # the model learns nothing (no false positive is spread), with one code's it learns one
    none = StudyModel(rounds=2).fit(feats, prior, eligible=np.zeros(prior.shape, bool))
    assert none.n_pseudo_ == 0 and none.classifier_ is None
    assert np.array_equal(none.scores_, prior)
    half = np.zeros(prior.shape, bool)
    half[:, 0] = True
    only0 = StudyModel(rounds=2).fit(feats, prior, eligible=half)
    assert only0.classifier_ is None  # one class is not a classifier: the prior stands


def test_word_scores_weigh_words_that_several_codes_share_less():
    book = [
        Code(name="Price", definition="the cost of food"),
        Code(name="Quality", definition="how good the food tastes"),
    ]
    texts = ["the cost is high", "the food", "nothing here", "a chair", "the window"]
    got = word_scores(texts, book, HashEmbedder(), top=1)
    assert got[0, 0] == pytest.approx(1.0, abs=1e-5) and got[0, 1] < 0.5
    # "food" is in both definitions: log(1 + 2/2) / log(1 + 2/1) of a word only one code has
    assert got[1, 0] == pytest.approx(np.log(2) / np.log(3), abs=1e-4)
    assert got[1, 1] == pytest.approx(got[1, 0], abs=1e-4)
    assert got[2].max() < 0.5


def test_word_scores_count_a_word_only_where_it_matches_more_than_the_median_segment():
    book = [Code(name="Price", definition="the cost of food")]
    # "food" is in most segments: matching it says nothing; "cost" is in one
    texts = ["the food cost a lot", "the food", "food again", "a chair"]
    got = word_scores(texts, book, HashEmbedder(), top=1)[:, 0]
    assert got.tolist() == pytest.approx([1.0, 0.0, 0.0, 0.0], abs=1e-5)
    # in a study where few segments have it, "food" counts (weighted: Price's own words)
    got = word_scores(["the food", "a chair", "the window"], book, HashEmbedder(), top=1)[:, 0]
    assert got[0] == pytest.approx(1.0, abs=1e-5) and got[1:].tolist() == [0.0, 0.0]


def test_decisions_teach_the_run_and_are_applied():
    emb = HashEmbedder()
    plain = code_segments(SEGS, BOOK, embedder=emb)
    assert {"Price", "Staff"} <= set(plain.code)
    dec = decide(None, ["s6", "s0"], ["Staff", "Price"], accept=[True, False])
    taught = code_segments(SEGS, BOOK, embedder=emb, decisions=dec)
    got = {(r.segment_id, r.code): r.coder for r in taught.itertuples()}
    assert got[("s6", "Staff")] == "human"
    assert ("s0", "Price") not in got
    assert SEGS.equals(pd.DataFrame({"segment_id": SEGS.segment_id, "text": TEXTS}))


def test_code_gate_alpha_matches_krippendorff_and_reports_every_code():
    human = [1, 1, 1, 0, 0, 0, 1, 0, 1, 1]
    model = [1, 1, 0, 0, 0, 1, 1, 0, 1, 1]
    pairs = pd.DataFrame({"code": "Price", "human": human, "model": model})
    table = code_gate(pairs, codes=["Price", "Staff"], n_boot=500, gate=0.5)
    price = table.set_index("code").loc["Price"]
    assert price.alpha == pytest.approx(krippendorff_alpha(np.array([human, model])), abs=1e-3)
    assert price.alpha_low <= price.alpha <= price.alpha_high
    assert price.n_decisions == 10 and price.accepted == 6 and price.model_applied == 6
    assert bool(price.passes) == (price.alpha >= 0.5)
    staff = table.set_index("code").loc["Staff"]
    assert staff.n_decisions == 0 and not staff.passes and np.isnan(staff.alpha)
    # a stricter gate fails the same code
    assert not code_gate(pairs, gate=0.99, n_boot=0)["passes"].iloc[0]


def test_gate_pairs_answer_each_decision_and_status_marks_codes():
    dec = decide(
        None,
        ["s0", "s1", "s3", "s6"],
        ["Price", "Price", "Staff", "Staff"],
        accept=[True, True, True, False],
    )
    pairs = gate_pairs(SEGS, BOOK, dec, embedder=HashEmbedder(), folds=2)
    assert list(pairs.columns) == ["segment_id", "code", "human", "model", "confidence"]
    assert sorted(zip(pairs.segment_id, pairs.code, pairs.human, strict=True)) == [
        ("s0", "Price", 1),
        ("s1", "Price", 1),
        ("s3", "Staff", 1),
        ("s6", "Staff", 0),
    ]
    assert pairs.confidence.between(0, 1).all()
    assert set(pairs.model) <= {0, 1}
    codes = code_segments(SEGS, BOOK, embedder=HashEmbedder(), decisions=dec)
    marked = with_status(codes, ["Staff"])
    model_rows = marked[marked.coder != "human"]
    assert set(model_rows[model_rows.code == "Staff"].status) <= {"suggested"}
    assert set(model_rows[model_rows.code == "Price"].status) <= {"applied"}
    assert set(marked[marked.coder == "human"].status) == {"human"}


def test_review_queue_takes_the_codes_in_turn_least_sure_and_rarely_decided_first():
    codes = pd.DataFrame(
        {
            "segment_id": ["s0", "s1", "s3", "s4", "s5"],
            "code": ["Price", "Price", "Staff", "Staff", "Staff"],
            "confidence": [0.55, 0.9, 0.55, 0.4, 0.45],
            "method": ["semantic", "semantic", "semantic", "rule", "semantic"],
            "coder": "insights",
        }
    )
    segs = SEGS.assign(transcript_id=["t1"] * 4 + ["t2"] * 3)
    dec = decide(None, ["s2", "s5"], ["Staff", "Staff"], accept=[True, True])
    q = review_queue(codes, segs, decisions=dec)
    assert "s5" not in set(q.segment_id)  # decided already
    # each code's most teaching coding first: Price's least sure (s0), then Staff's (s4, a
    # keyword hit the model doubts: 1.5x, above the equally unsure s3); Price before Staff,
    # which has two decisions already. Then each code's second: the sure s1 before s3.
    assert q.segment_id.tolist() == ["s0", "s4", "s1", "s3"]
    assert q.priority.tolist() == [0.9, 1.2, 0.2, 0.9]
    row = q.set_index("segment_id").loc["s3"]
    assert row.before == TEXTS[2] and row.after == ""  # s3 ends transcript t1


def test_the_model_can_say_no_code():
    """The study model sends every segment to its likeliest code; the absolute gate does not."""
    emb = HashEmbedder()
    open_book = BOOK.model_copy(update={"floor": -1.0})
    everything = code_segments(SEGS, open_book, embedder=emb, keep_below=0.0)
    assert set(everything["segment_id"]) == set(SEGS["segment_id"])  # no floor: all scored
    # closeness (similarity to the code's definition or examples) under the floors: no code
    strict = code_segments(SEGS, BOOK.model_copy(update={"floor": 5.0}), embedder=emb)
    assert strict.empty
    # a rule hit needs the evidence too ("we call the function" is no phone call) ...
    ruled = BOOK.model_copy(
        update={
            "floor": 5.0,
            "codes": [BOOK.codes[0].model_copy(update={"keywords": ["window"]}), BOOK.codes[1]],
        }
    )
    assert code_segments(SEGS, ruled, embedder=emb).empty
    # ... and rule-only coding (no embedder) codes every hit
    got = code_segments(SEGS, ruled, methods=("rule",))
    assert got[["segment_id", "code", "method"]].values.tolist() == [["s6", "Price", "rule"]]
    # talk about nothing (the themes' "not a theme" group) gets no model code, and is not
    # learnt from; a human decision on it still stands (``scored``: every pair the model
    # gives any confidence at all, so what is shut out shows whatever the threshold)
    scored = {"embedder": emb, "keep_below": 1e-6}
    plain = code_segments(SEGS, open_book, **scored)
    assert set(plain["segment_id"]) == set(SEGS["segment_id"])
    skipped = code_segments(SEGS, open_book, uncodable=["s0"], **scored)
    assert "s0" not in set(skipped["segment_id"])
    dec = decide(None, ["s0"], ["Staff"], accept=[True])
    human = code_segments(SEGS, open_book, uncodable=["s0"], decisions=dec, **scored)
    assert human.loc[human["segment_id"] == "s0", "coder"].tolist() == ["human"]
    # too short to code by meaning: only a rule hit codes it
    alone = code_segments(SEGS, open_book, rules_only=["s0"], **scored)
    assert "s0" not in set(alone["segment_id"]) and set(alone["segment_id"]) == set(
        plain["segment_id"]
    ) - {"s0"}
    short = code_segments(
        SEGS, ruled.model_copy(update={"floor": -1.0}), rules_only=["s6"], **scored
    )
    assert short.loc[short["segment_id"] == "s6", "method"].tolist() == ["rule"]


def test_filler_and_meta_talk_are_the_themes_not_a_theme_group():
    from insights.schema import NOT_A_THEME
    from insights.themes import fitting_exclusions

    seg = pd.DataFrame(
        {
            "text": ["It was.", "Good question, let me think.", "The engineer came late."],
            "role": "participant",
        }
    )
    reason = fitting_exclusions(seg, min_words=1, exclude_generic=True)
    assert reason.isin(NOT_A_THEME).tolist() == [True, True, False]


@pytest.mark.slow
def test_notebook_03_codes_a_run_study_as_the_run_did(ran_study):
    # the run's codes stage and notebook 03 call one entry point (code_study): on the
    # sample study as one whole run left it, the same codings with the same confidences
    from pathlib import Path

    from insights.codebook import load_codebook
    from insights.study import code_study, load_study, read_outputs

    study = load_study(ran_study)
    tables = read_outputs(study.output_dir)
    book = load_codebook(study.codebook_path)
    ran = tables["codes"]
    got = code_study(study, tables["segments"], codebook=book, keep_below=0.1)
    assert (got["confidence"] < book.threshold).any()  # the near misses, kept to review
    got = got[got["confidence"] >= book.threshold]
    cols = ["segment_id", "code", "confidence", "method"]
    assert len(ran) > 100
    pd.testing.assert_frame_equal(
        got[cols].astype({"segment_id": str}).reset_index(drop=True),
        ran[cols].astype({"segment_id": str}).reset_index(drop=True),
    )
    # coding without the run's arguments (filler and meta-talk coded too, and lowering the
    # study's fit) gives other codings: what notebook 03 did before
    bare = code_segments(tables["segments"], book, cache=study.output_dir / ".cache" / "rules")
    pairs = set(zip(ran["segment_id"].astype(str), ran["code"], strict=True))
    assert set(zip(bare["segment_id"].astype(str), bare["code"], strict=True)) != pairs
    notebook = Path(__file__).parents[1] / "notebooks" / "03-code-with-codebook.py"
    source = notebook.read_text(encoding="utf-8")
    assert "code_study(study, segments" in source and "code_segments(" not in source


def test_the_floors_fall_where_the_codebook_fits_the_study():
    from insights.codebook import (
        ANY_CODE_FLOOR,
        CLOSENESS_FLOOR,
        FITTED_FLOOR,
        RULE_FLOOR,
        absolute_gate,
        gate_floors,
        study_fit,
    )

    lone = np.array([[0.30, 0.05]])  # a segment 0.30 close to the first code
    unfitting = np.vstack([lone, np.full((4, 2), 0.20)])
    fitting = np.vstack([lone, np.full((4, 2), 0.45)])
    halfway = np.vstack([lone, np.full((4, 2), 0.33)])
    no_rule = np.zeros((5, 2))
    assert (study_fit(unfitting), study_fit(fitting)) == (0.2, 0.45)
    assert gate_floors(unfitting) == (ANY_CODE_FLOOR, CLOSENESS_FLOOR, RULE_FLOOR)
    assert gate_floors(fitting) == (FITTED_FLOOR,) * 3
    assert gate_floors(halfway)[1] == pytest.approx((CLOSENESS_FLOOR + FITTED_FLOOR) / 2)
    # where the codebook does not fit, 0.30 is not evidence; where it fits, it is
    assert absolute_gate(unfitting, no_rule, None)[0].tolist() == [False, False]
    assert absolute_gate(fitting, no_rule, None)[0].tolist() == [True, False]
    # the codebook's floor moves all three
    assert gate_floors(fitting, CLOSENESS_FLOOR + 0.1) == pytest.approx((FITTED_FLOOR + 0.1,) * 3)
    assert absolute_gate(fitting, no_rule, CLOSENESS_FLOOR + 0.2)[0].tolist() == [False, False]


def test_accepted_codings_count_in_the_prior_in_proportion_to_how_many():
    from insights.codebook._semantic import TAUGHT_FULL, taught_prior

    prior = np.array([[0.2, 0.1], [0.3, 0.0], [0.1, 0.4]])
    close = np.zeros((3, 2))
    gained = np.array([[0.4, 0.2], [0.0, 0.2], [0.2, 0.2]])
    half = TAUGHT_FULL // 2
    taught = [(0, 0, True)] * half + [(1, 1, False)] * TAUGHT_FULL  # rejections teach no example
    got = taught_prior(prior, close, gained, taught)
    assert np.allclose(got[:, 0], prior[:, 0] + gained[:, 0] * half / TAUGHT_FULL)
    assert np.allclose(got[:, 1], prior[:, 1])
    many = taught_prior(prior, close, gained, [(0, 0, True)] * (3 * TAUGHT_FULL))
    assert np.allclose(many[:, 0], prior[:, 0] + gained[:, 0])  # at most fully


def test_the_decision_head_moves_codes_by_the_decisions_only():
    from insights.codebook._head import decision_head, decision_labels

    rng = np.random.default_rng(3)
    centre = np.eye(6)[:2] * 4  # two clusters of segments
    x = np.vstack(
        [rng.normal(0, 0.3, (10, 6)) + centre[0], rng.normal(0, 0.3, (10, 6)) + centre[1]]
    )
    zero = np.full((20, 2), 0.3)  # a zero-shot coder that cannot tell them apart
    assert np.array_equal(decision_head(x, zero, []), zero)  # no decisions: zero-shot
    taught = [(0, 0, True), (1, 0, True), (10, 0, False), (11, 0, False)]
    # unanchored, so the decisions alone move it (the anchor: tests/test_coding_head.py)
    got = decision_head(x, zero, taught, full=4, anchor=0.0)
    assert (got[2:10, 0] > 0.5).all() and (got[12:, 0] < 0.3).all()
    # rows 0 and 1 were coded with code 0 only: negatives for code 1, which moves too
    _, labels = decision_labels(taught, 2)
    assert labels[:, 1].tolist() == [0, 0, -1, -1]
    assert (got[2:10, 1] < 0.3).all()
    assert np.array_equal(zero, np.full((20, 2), 0.3))  # its input untouched
    # four decisions of a code count for 4 / HEAD_FULL of its head: a small move
    few = decision_head(x, zero, taught)
    assert (few[2:10, 0] > 0.3).all() and (few[2:10, 0] < got[2:10, 0]).all()


def test_scores_are_standardised_over_the_study_not_code_by_code():
    from insights.codebook._semantic import score_features, study_standardise
    from insights.codebook._study import standardise

    # code 0 is what the study is about; code 1 is close to no segment (scores all low)
    score = np.array([[2.0, -3.0], [1.0, -2.9], [0.0, -3.1], [1.5, -2.8]])
    z = study_standardise(score)
    assert z.mean() == pytest.approx(0.0) and z.std() == pytest.approx(1.0)
    # over the study, the rare code stays below every segment of the common one ...
    assert z[:, 1].max() < z[:, 0].min()
    # ... where code by code its best segment outscored the common code's best
    per_code = standardise(score)
    assert per_code[:, 1].max() == pytest.approx(1.342, abs=0.001)
    assert per_code[:, 1].max() > per_code[:, 0].max()
    assert np.array_equal(study_standardise(np.full((3, 2), 0.4)), np.zeros((3, 2)))
    s, m = score_features(score, Codebook(codes=[Code(name="A"), Code(name="B")]), ["A", "B"])
    assert np.array_equal(s, z)
    assert m[:, 0].tolist() == pytest.approx([5.0, 3.9, 3.1, 4.3])


def test_a_negative_nobody_decided_weighs_as_the_coder_doubts_it():
    from insights.codebook._head import decision_head

    rng = np.random.default_rng(3)
    x = rng.normal(0, 1, (20, 4))  # one cluster: nothing in the features tells rows apart
    pos = [(r, 1, True) for r in range(10)]  # code 1 accepted on rows 0-9
    other = [(r, 0, True) for r in range(10, 20)]  # rows 10-19: only code 0 accepted
    rejected = [(r, 1, False) for r in range(10, 20)]

    def code_1(conf_1, taught):
        zero = np.column_stack([np.full(20, 0.5), np.full(20, conf_1)])
        return decision_head(x, zero, taught, full=1)[10:, 1].mean()

    # the coder is sure of code 1 (0.9): rows where only code 0 was accepted say little
    # against it, an explicit rejection says a lot
    sure, told = code_1(0.9, pos + other), code_1(0.9, pos + other + rejected)
    assert sure == pytest.approx(0.838, abs=0.005) and told == pytest.approx(0.455, abs=0.005)
    # where the coder doubts code 1 (0.2), the negative nobody decided counts almost fully
    doubt, told = code_1(0.2, pos + other), code_1(0.2, pos + other + rejected)
    assert doubt == pytest.approx(0.507, abs=0.005) and told == pytest.approx(0.455, abs=0.005)
