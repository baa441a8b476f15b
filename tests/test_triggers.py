"""Tests of insights.triggers: causes, intent, baseline/delight, drivers (no real model)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insights.schema import TRIGGER_COLUMNS, InputError, SchemaError
from insights.triggers import (
    BASELINE_DELIGHT_COLUMNS,
    DRIVER_COLUMNS,
    FEATURES,
    CauseRanker,
    baseline_delight,
    cause_candidates,
    detect_intent,
    drivers,
    find_triggers,
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
                "I was furious because the engineer never showed up. I'm cancelling.",
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
    assert [g[0] for g in got] == [
        "leave", "leave", "recommend", "stay", "warn_others", "warn_others", "stay", "none", "none",
    ]  # fmt: skip
    assert got[0][1] == 0.9 and got[3][1] == 0.8 and got[7][1] == 0.0


def test_candidates_include_causal_complement_with_offsets():
    texts = ["I was furious because the engineer never showed up."]
    cands = cause_candidates(texts, 0, [0])
    causal = [c for c in cands if c.kind == "causal"]
    assert [texts[0][c.start : c.end] for c in causal] == ["the engineer never showed up"]
    assert {c.kind for c in cands} >= {"segment", "clause", "causal"}


def test_find_triggers_same_turn_cause_and_previous_turn_cause():
    df = _conv()
    ranker = CauseRanker(
        {"bias": 0.0, "kind_causal": 3.0, "d0": 1.0, "u_react_d1": 4.0, "kind_segment": -0.5, "question": -2.0}
    )
    before = df.copy()
    out = find_triggers(df, model=False, embedder=False, nlp=False, ranker=ranker)
    pd.testing.assert_frame_equal(df, before)
    assert list(out.columns) == list(TRIGGER_COLUMNS)
    first = out.groupby("segment_id", sort=False).head(1).set_index("segment_id")
    # emotion given -> used; neutral rows and interviewer rows are not explained
    assert set(out["segment_id"]) == {"t2", "t4"}
    a = first.loc["t2"]
    assert a["emotion"] == "anger" and a["cause_segment_id"] == "t2"
    assert a["cause_text"] == "the engineer never showed up"
    text = df.set_index("segment_id").loc["t2", "text"]
    assert text[a["cause_start"] : a["cause_end"]] == a["cause_text"]
    assert a["intent"] == "leave"
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
    assert list(out.columns) == list(TRIGGER_COLUMNS) and len(out) == 0


def test_find_triggers_theme_from_assignments_else_codes():
    df = _conv()
    ranker = CauseRanker({"kind_causal": 3.0, "d0": 1.0, "u_react_d1": 4.0, "question": -2.0})
    codes = pd.DataFrame({"segment_id": ["t2", "t3"], "code": ["installation", "app"], "confidence": [0.9, 0.8]})
    themes = pd.DataFrame({"theme_id": [0], "label": ["engineer visits"]})
    assign = pd.DataFrame({"segment_id": ["t2"], "theme_id": [0], "probability": [0.7]})
    out = find_triggers(df, model=False, embedder=False, nlp=False, ranker=ranker, codes=codes, themes=themes, assignments=assign)
    first = out.groupby("segment_id", sort=False).head(1).set_index("segment_id")
    assert first.loc["t2", "theme"] == "engineer visits"
    assert first.loc["t4", "theme"] == "app"


def test_shipped_ranker_loads_and_knows_every_feature():
    r = CauseRanker()
    assert set(r.weights) <= set(FEATURES)
    assert r.score(np.zeros((2, len(FEATURES)))).shape == (2,)


def _emotions(rows):
    return pd.DataFrame(rows, columns=["segment_id", "emotions", "ekman", "intensity"])


def test_baseline_delight_labels_with_evidence():
    emo = _emotions(
        [
            ("s1", "anger", "anger", 0.9), ("s2", "annoyance", "anger", 0.7), ("s3", "disappointment", "sadness", 0.6),
            ("s4", "neutral", "neutral", 0.1), ("s5", "surprise;joy", "surprise", 0.8), ("s6", "gratitude", "joy", 0.9),
            ("s7", "admiration", "joy", 0.7), ("s8", "annoyance", "anger", 0.5),
        ]
    )  # fmt: skip
    assign = pd.DataFrame({"segment_id": ["s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"],
                           "theme_id": [1, 1, 1, 1, 2, 2, 2, 2]})
    themes = pd.DataFrame({"theme_id": [1, 2], "label": ["billing", "engineer"]})
    seg = pd.DataFrame({"segment_id": [f"s{i}" for i in range(1, 9)], "text": [f"quote {i}" for i in range(1, 9)]})
    out = baseline_delight(emo, segments=seg, themes=themes, assignments=assign).set_index("theme")
    assert list(out.reset_index().columns) == list(BASELINE_DELIGHT_COLUMNS)
    assert out.loc["billing", "kind"] == "baseline"
    assert out.loc["billing", "n_negative"] == 3 and out.loc["billing", "n_segments"] == 4
    assert out.loc["billing", "negative_quotes"] == "s1;s2;s3"
    assert out.loc["engineer", "kind"] == "delight" and out.loc["engineer", "n_delight"] == 3
    assert out.loc["engineer", "delight_text"].startswith("quote 6")


def test_drivers_rank_leave_and_stay():
    seg = pd.DataFrame(
        {
            "segment_id": ["a1", "a2", "b1", "b2", "c1", "d1"],
            "participant_id": ["A", "A", "B", "B", "C", "D"],
            "segment": ["young", "young", "young", "young", "old", "old"],
            "text": ["bill wrong", "I'm leaving", "bill again", "cancelling", "great engineer", "engineer lovely"],
        }
    )
    trig = pd.DataFrame(
        {
            "segment_id": ["a1", "b1", "c1", "d1"], "emotion": ["anger", "anger", "joy", "gratitude"],
            "cause_segment_id": ["a1", "b1", "c1", "d1"], "cause_start": 0, "cause_end": 4,
            "cause_text": ["bill", "bill", "engineer", "engineer"], "theme": ["billing", "billing", "engineer", "engineer"],
            "intent": ["none", "none", "recommend", "stay"], "confidence": [0.9, 0.8, 0.7, 0.6],
        }
    )  # fmt: skip
    intents = pd.DataFrame({"segment_id": ["a2", "b2", "c1", "d1"], "intent": ["leave", "leave", "recommend", "stay"]})
    out = drivers(trig, seg, intents=intents)
    assert list(out.columns) == list(DRIVER_COLUMNS)
    top_leave = out[(out.direction == "leave") & (out.group == "all")].iloc[0]
    assert top_leave["driver"] == "billing" and top_leave["n_with_intent"] == 2 and top_leave["rate"] == 1.0
    assert top_leave["base_rate"] == 0.5 and top_leave["lift"] == 2.0
    top_stay = out[(out.direction == "stay") & (out.group == "all")].iloc[0]
    assert top_stay["driver"] == "engineer" and top_stay["quotes"] == "c1;d1"
    assert set(out["group"]) == {"all", "young", "old"}
    # a cause with no theme names no driver (no cause-text fragments as drivers)
    unthemed = trig.assign(theme=["billing", "", None, "engineer"])
    assert set(drivers(unthemed, seg, intents=intents)["driver"]) == {"billing", "engineer"}


@pytest.mark.slow
def test_dependency_parse_adds_causal_clause():
    from insights.nlp import load_spacy

    nlp = load_spacy(exclude=("ner", "lemmatizer"))
    texts = ["I got really angry with them, as they never once called me back about it"]
    spans = {texts[0][c.start : c.end] for c in cause_candidates(texts, 0, [0], nlp=nlp) if c.kind == "causal"}
    assert "they never once called me back about it" in spans
