"""Needs said in words: what a speaker liked best seconds a delight someone else said."""

from __future__ import annotations

import pandas as pd
import pytest

from insights.summarize import baseline_delight, expectation_cue


def _study(texts: dict[str, str], emotions: dict[str, tuple[str, str]] | None = None):
    """One theme, "Alerts", of six calm segments by three people (two each)."""
    ids = [f"s{i}" for i in range(6)]
    emotions = emotions or {}
    emo = pd.DataFrame(
        [(s, *emotions.get(s, ("neutral", "neutral")), 0.5) for s in ids],
        columns=["segment_id", "emotions", "ekman", "intensity"],
    )
    seg = pd.DataFrame(
        {
            "segment_id": ids,
            "participant_id": ["P1", "P1", "P2", "P2", "P3", "P3"],
            "text": [texts.get(s, f"We talked about the alerts, {s}.") for s in ids],
        }
    )
    themes = pd.DataFrame({"theme_id": [1], "label": ["Alerts"], "keywords": ["alert; text"]})
    assign = pd.DataFrame({"segment_id": ids, "theme_id": [1] * 6})
    out = baseline_delight(emo, segments=seg, themes=themes, assignments=assign)
    return out.set_index("theme").loc["Alerts"]


UNEXPECTED = "And the outage alert on my phone, I really didn't expect that."
BEST = "The best thing is the outage alerts, honestly."


def test_what_another_person_liked_best_seconds_a_delight_said_in_words():
    # one person beyond expectation is no pattern
    one = _study({"s0": UNEXPECTED})
    assert (one["kind"], one["stated"], one["n_people_stated"]) == ("not enough evidence", "", 0)
    # a second person's "the best thing is the alerts" makes two voices for it
    two = _study({"s0": UNEXPECTED, "s2": BEST})
    assert (two["kind"], two["stated"], two["n_people_stated"]) == ("delight", "delight", 2)
    assert two["stated_quotes"] == "s0;s2"  # the words beyond expectation first
    # the same person saying both is still one person
    same = _study({"s0": UNEXPECTED, "s1": BEST})
    assert same["stated"] == ""


def test_a_best_thing_alone_or_said_with_a_grievance_is_no_delight():
    # two people's "best thing" is a preference (a delight or a performance need): no one
    # said it went beyond what they expected
    alone = _study({"s0": BEST, "s2": "The best part was the text before the engineer came."})
    assert (alone["kind"], alone["stated"]) == ("not enough evidence", "")
    # said with annoyance it seconds nothing
    griev = _study({"s0": UNEXPECTED, "s2": BEST}, emotions={"s2": ("annoyance", "anger")})
    assert griev["stated"] == ""
    # advice and reasons are not what was liked
    advice = _study({"s0": UNEXPECTED, "s2": "The best thing is to ring them early."})
    assert advice["stated"] == ""


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("And the thing is, you don't think about the boiler when it works.", "baseline"),
        ("Nobody thinks about the buses while they're running.", "baseline"),
        ("I don't think about it when it's working, to be fair.", "baseline"),
        ("I don't think about money when I'm on holiday.", ""),  # not a service working
        ("I don't think about the price when the deal is good.", ""),
        ("Never had that anywhere else, a callback within the hour.", "delight"),
        ("I'd never had a bank do that before.", "delight"),
        ("I've never had that problem with any other provider.", ""),
        ("I'd never had fibre before we moved.", ""),
        ("The best thing is the outage alerts.", ""),  # alone a preference, not a cue
    ],
)
def test_cue_words_for_what_works_unnoticed_and_what_no_one_else_did(text, kind):
    assert expectation_cue(text) == kind
