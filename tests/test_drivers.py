"""Tests of insights.summarize's drivers and needs (baseline or delight per theme)."""

from __future__ import annotations

import pandas as pd

from insights.schema import DRIVER_COLUMNS, NEEDS_COLUMNS
from insights.summarize import baseline_delight, drivers


def _emotions(rows):
    return pd.DataFrame(rows, columns=["segment_id", "emotions", "ekman", "intensity"])


def test_baseline_delight_labels_with_evidence():
    emo = _emotions(
        [
            ("s1", "anger", "anger", 0.9), ("s2", "annoyance", "anger", 0.7),
            ("s3", "disappointment", "sadness", 0.6), ("s4", "neutral", "neutral", 0.1),
            ("s5", "surprise;joy", "surprise", 0.8), ("s6", "gratitude", "joy", 0.9),
            ("s7", "admiration", "joy", 0.7), ("s8", "annoyance", "anger", 0.5),
        ]
    )  # fmt: skip
    assign = pd.DataFrame(
        {
            "segment_id": ["s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"],
            "theme_id": [1, 1, 1, 1, 2, 2, 2, 2],
        }
    )
    themes = pd.DataFrame({"theme_id": [1, 2], "label": ["billing", "engineer"]})
    seg = pd.DataFrame(
        {"segment_id": [f"s{i}" for i in range(1, 9)], "text": [f"quote {i}" for i in range(1, 9)]}
    )
    out = baseline_delight(emo, segments=seg, themes=themes, assignments=assign).set_index("theme")
    assert list(out.reset_index().columns) == list(NEEDS_COLUMNS)
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
            "text": [
                "bill wrong",
                "I'm leaving",
                "bill again",
                "cancelling",
                "great engineer",
                "engineer lovely",
            ],
        }
    )
    trig = pd.DataFrame(
        {
            "segment_id": ["a1", "b1", "c1", "d1"],
            "emotion": ["anger", "anger", "joy", "gratitude"],
            "cause_segment_id": ["a1", "b1", "c1", "d1"], "cause_start": 0, "cause_end": 4,
            "cause_text": ["bill", "bill", "engineer", "engineer"],
            "theme": ["billing", "billing", "engineer", "engineer"],
            "intent": ["none", "none", "recommend", "stay"], "confidence": [0.9, 0.8, 0.7, 0.6],
        }
    )  # fmt: skip
    intents = pd.DataFrame(
        {"segment_id": ["a2", "b2", "c1", "d1"], "intent": ["leave", "leave", "recommend", "stay"]}
    )
    out = drivers(trig, seg, intents=intents)
    assert list(out.columns) == list(DRIVER_COLUMNS)
    top_leave = out[(out.direction == "leave") & (out.group == "all")].iloc[0]
    assert (
        top_leave["driver"] == "billing"
        and top_leave["n_with_intent"] == 2
        and top_leave["rate"] == 1.0
    )
    assert top_leave["base_rate"] == 0.5 and top_leave["lift"] == 2.0
    assert top_leave["n_chains"] == 2  # a1 -> a2 "I'm leaving", b1 -> b2 "cancelling"
    top_stay = out[(out.direction == "stay") & (out.group == "all")].iloc[0]
    assert (
        top_stay["driver"] == "engineer"
        and top_stay["quotes"] == "c1;d1"
        and top_stay["n_chains"] == 2
    )
    # an intent out of the window, or before the trigger, is no chain;
    # chains come first among the quotes
    short = drivers(trig, seg, intents=intents, window=0)
    assert (
        short[(short.direction == "leave") & (short.driver == "billing") & (short.group == "all")][
            "n_chains"
        ].item()
        == 0
    )
    later = pd.DataFrame(
        {
            "segment_id": ["e1", "e2", "f1"],
            "participant_id": ["E", "E", "F"],
            "segment": "old",
            "text": ["I'm leaving them", "engineer was rude", "engineer was rude too"],
        }
    )
    trig2 = pd.concat(
        [
            trig,
            pd.DataFrame(
                {
                    "segment_id": ["e2", "f1"],
                    "emotion": ["anger", "annoyance"],
                    "cause_segment_id": ["e2", "f1"],
                    "cause_start": 0,
                    "cause_end": 8,
                    "cause_text": "engineer",
                    "theme": "engineer",
                    "intent": "none",
                    "confidence": [0.5, 0.95],
                }
            ),
        ]
    )
    intents2 = pd.concat(
        [intents, pd.DataFrame({"segment_id": ["e1", "f1"], "intent": ["leave", "leave"]})]
    )
    out2 = drivers(trig2, pd.concat([seg, later], ignore_index=True), intents=intents2)
    eng = out2[
        (out2.direction == "leave") & (out2.driver == "engineer") & (out2.group == "all")
    ].iloc[0]
    assert eng["n_chains"] == 1 and eng["quotes"] == "f1;e2"  # e1's leave came before e2's trigger
    assert eng["top_emotion"] == "annoyance"
    # leave rows name the commonest negative emotion, stay rows the commonest positive one
    stay_eng = out2[
        (out2.direction == "stay") & (out2.driver == "engineer") & (out2.group == "all")
    ].iloc[0]
    assert stay_eng["top_emotion"] in ("joy", "gratitude") and eng["top_emotion"] in (
        "anger",
        "annoyance",
    )
    # no chains: the commonest emotion of the driver's direction,
    # even when another is commoner overall
    wifi_seg = pd.DataFrame(
        {
            "segment_id": ["g0", "g1", "h0", "h1", "i1"],
            "participant_id": ["G", "G", "H", "H", "I"],
            "text": ["I'm off", "wifi great", "leaving", "wifi fine", "wifi drops"],
        }
    )
    wifi = pd.DataFrame({
        "segment_id": ["g1", "h1", "i1"], "emotion": ["admiration", "admiration", "annoyance"],
        "cause_segment_id": ["g1", "h1", "i1"], "cause_start": 0, "cause_end": 4,
        "cause_text": "wifi", "theme": "wifi",
        "intent": "none", "confidence": 0.5})  # fmt: skip
    w = drivers(
        wifi,
        wifi_seg,
        intents=pd.DataFrame({"segment_id": ["g0", "h0"], "intent": ["leave", "leave"]}),
    )
    row = w[(w.direction == "leave") & (w.group == "all")].iloc[0]
    assert row["n_chains"] == 0 and row["top_emotion"] == "annoyance"
    # a driver one person names is not listed, unless asked for
    lone = trig.assign(theme=["billing", "billing", "engineer", "router"])
    assert "router" not in set(drivers(lone, seg, intents=intents)["driver"])
    assert "router" in set(drivers(lone, seg, intents=intents, min_units=1)["driver"])
    assert set(out["group"]) == {"all", "young", "old"}
    # a cause with no theme names no driver (no cause-text fragments as drivers)
    unthemed = trig.assign(theme=["billing", "", None, "engineer"])
    assert set(drivers(unthemed, seg, intents=intents, min_units=1)["driver"]) == {
        "billing",
        "engineer",
    }
