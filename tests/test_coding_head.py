"""The decision head: the study's words, the zero-shot prior, the anchor to the zero-shot coder."""

import numpy as np
import pandas as pd
import pytest

from insights.codebook import Code, Codebook, code_segments, decide
from insights.codebook._head import decision_head
from insights.codebook._lexical import LEXICAL_WEIGHT, HeadFeatures, lexical_features
from insights.embed import HashEmbedder

DRINKS = ["merlot", "pinot", "rioja", "riesling", "malbec", "shiraz", "chablis", "cava"]
FOOD = ["risotto", "lasagne", "tagine", "ramen", "curry", "paella", "gnocchi", "pho"]


def _study(seed: int = 0):
    """60 segments, half naming a wine and half a dish, each once more than once in the study."""
    rng = np.random.default_rng(seed)
    texts = [f"we had the {DRINKS[i % 8]} that night" for i in range(30)]
    texts += [f"we had the {FOOD[i % 8]} that night" for i in range(30)]
    # embeddings that cannot tell the two apart (one vector and a little noise), and a
    # zero-shot coder that doubts every segment
    x = np.ones((60, 16)) / 4 + rng.normal(0, 0.02, (60, 16))
    return texts, x, np.full((60, 1), 0.3)


def test_ten_examples_lift_a_code_through_the_study_s_words():
    texts, x, zero = _study()
    taught = [(i, 0, True) for i in range(10)] + [(30 + i, 0, False) for i in range(10)]
    words = decision_head(HeadFeatures(x, None, texts), zero, taught, full=1)
    alone = decision_head(x, zero, taught, full=1)
    unseen_wine, unseen_dish = slice(10, 30), slice(40, 60)
    # the words carry it: every unseen segment naming a wine is coded, no dish
    assert words[unseen_wine, 0].min() > 0.5 > words[unseen_dish, 0].max()
    assert words[unseen_wine, 0].mean() == pytest.approx(0.689, abs=0.01)
    # the embeddings alone (noise here) learn nothing that holds on unseen segments
    assert alone[unseen_wine, 0].mean() == pytest.approx(alone[unseen_dish, 0].mean(), abs=0.05)
    assert (alone[unseen_wine, 0] > 0.5).mean() < 0.7


def test_the_lexical_features_are_fitted_on_each_study_alone():
    a = ["the merlot was corked", "a merlot and a pinot", "pinot again", "the pinot"]
    b = ["the ramen was cold", "ramen with egg", "cold tea", "tea and cake"]
    la, lb = lexical_features(a), lexical_features(b)
    # each study's columns are its own words used twice or more: nothing of the other
    assert la.shape == (4, 3) and lb.shape == (4, 3)  # merlot pinot the / cold ramen tea
    again = lexical_features(a)  # fitted afresh: reading study b left nothing behind
    assert (again != la).nnz == 0
    mixed = lexical_features([*a, *b])
    # the two studies' words only meet when they are one study: "was" and "and" (once in
    # each) become columns then
    assert mixed.shape[1] == 8
    assert lexical_features(["only one text"]).shape == (1, 0)
    assert lexical_features(["no words shared", "at all here"]).shape == (2, 0)
    f = HeadFeatures(np.zeros((4, 2)), None, a)
    dense, lex = f.blocks()
    assert dense.shape == (4, 2) and (lex != LEXICAL_WEIGHT * la).nnz == 0


def test_the_head_reads_the_zero_shot_prior_of_every_code():
    rng = np.random.default_rng(2)
    x = rng.normal(0, 1, (40, 8))
    prior = np.column_stack([rng.normal(0, 1, 40), np.zeros(40)])
    f = HeadFeatures(x, prior, None)
    dense = f.dense()
    assert dense.shape == (40, 10)
    assert dense[:, 8].std() == pytest.approx(0.3, abs=1e-9)  # PRIOR_WEIGHT x z-scores
    assert np.array_equal(dense[:, 9], np.zeros(40))  # a constant prior says nothing
    # code 1 is coded where code 0's prior is high: 10 examples teach it through that column
    zero = np.column_stack([np.full(40, 0.5), np.full(40, 0.3)])
    high = np.argsort(-prior[:, 0])
    taught = [(int(r), 1, True) for r in high[:10]] + [(int(r), 1, False) for r in high[-10:]]
    got = decision_head(f, zero, taught, full=1)
    rest = high[10:30]
    corr = np.corrcoef(prior[rest, 0], got[rest, 1])[0, 1]
    assert corr > 0.6
    assert decision_head(x, zero, taught, full=1)[rest, 1].std() < got[rest, 1].std()


def test_the_anchor_keeps_a_code_the_decisions_only_mark_negative():
    rng = np.random.default_rng(4)
    x = rng.normal(0, 1, (200, 8))
    zero = np.column_stack([np.full(200, 0.6), np.full(200, 0.6)])
    # a review whose first answers all accepted code 0: negatives for code 1 nobody decided
    taught = [(r, 0, True) for r in range(24)]
    free = decision_head(x, zero, taught, anchor=0.0)
    kept = decision_head(x, zero, taught)
    # unanchored, its intercept runs off and code 1 is gone from every segment
    assert free[24:, 1].max() < 0.02
    # anchored to the zero-shot coder (0.6) it moves down, by 24 / HEAD_FULL of its head
    assert kept[24:, 1].mean() == pytest.approx(0.454, abs=0.01)
    assert kept[24:, 1].min() > 0.2
    # with no undecided segment there is nothing to anchor to: the same as unanchored
    every = [(r, 0, True) for r in range(200)]
    assert np.allclose(
        decision_head(x, zero, every, full=1), decision_head(x, zero, every, full=1, anchor=0)
    )


def test_decisions_teach_code_segments_a_code_the_definition_misses():
    # no wine is named in the definition: zero-shot, no segment is coded; 50 coded segments
    # per code (100 rows: the head counts fully from HEAD_FULL) teach the rest of the study
    book = Codebook(
        codes=[
            Code(name="Drinks", definition="what we drank, the drinks"),
            Code(name="Food", definition="what we ate, the food"),
        ]
    )
    texts = [f"we had the {DRINKS[i % 8]} that night" for i in range(100)]
    texts += [f"we had the {FOOD[i % 8]} that night" for i in range(100)]
    segs = pd.DataFrame({"segment_id": [f"s{i}" for i in range(200)], "text": texts})
    emb = HashEmbedder()
    ids = [f"s{i}" for i in range(50)] + [f"s{100 + i}" for i in range(50)]
    dec = decide(None, ids, ["Drinks"] * 50 + ["Food"] * 50, accept=True)
    wine = {f"s{i}" for i in range(50, 100)}

    def coded(codes, code):
        model = codes[(codes["code"] == code) & (codes["coder"] != "human")]
        return set(model["segment_id"])

    before = code_segments(segs, book, embedder=emb)
    assert before.empty
    after = code_segments(segs, book, embedder=emb, decisions=dec)
    assert coded(after, "Drinks") == wine  # every undecided wine, and no dish
    assert coded(after, "Food") == {f"s{i}" for i in range(150, 200)}
