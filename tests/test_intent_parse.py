"""Tests of the dependency-parse intent proposer (issue 12, s8) and of telling someone to switch.

Sentences written for these tests (none of the blind batches'): one per candidate shape
of ``insights/triggers/_intent_parse.py``, one per hard negative it must leave alone,
and the warn-not-recommend class of "told my neighbour to switch".
"""

from __future__ import annotations

import pytest

from insights.triggers import INTENT_FEATURES, detect_intent, propose_intent
from insights.triggers._intent_parse import PARSE_CUES, parse_proposal

# (sentence, intent, kind, cue): no cue of the table fires on any of them
PARSED = [
    ("I scrapped the premium subscription in the spring.", "leave", "done", "parse_leave"),
    ("We gave the energy company the boot after the bill.", "leave", "done", "parse_leave"),
    ("I'm taking the pension somewhere with lower fees.", "leave", "intended", "parse_move"),
    ("I jumped over to a rival broadband when the deal ended.", "leave", "done", "parse_move"),
    ("My sister wants to quit the gym.", "leave", "reported", "parse_leave"),
    ("I'll keep my membership for another year.", "stay", "intended", "parse_stay"),
    ("We extended the contract in June.", "stay", "done", "parse_stay"),
    ("I told my uncle to get the fibre package.", "recommend", "done", "parse_recommend"),
    ("I'd urge my colleagues to cancel the meal plan.", "warn_others", "intended", "parse_warn"),
]
# a verb of the families with no service as its object, or no person as its subject
NOT_PARSED = [
    "I dropped my phone in the bath.",
    "I cancelled the delivery slot because we were away.",
    "They moved me over to the new billing system.",
    "Later on I moved on to another job in the same field.",
    "We dumped the contents of the phone to a laptop.",
    "I kept the receipt in case it broke.",
    "I didn't quit the gym in the end.",
    "Our office switched to a different chat tool.",
]


@pytest.mark.parametrize(("text", "intent", "kind", "cue"), PARSED)
def test_parse_proposes_with_its_kind(text, intent, kind, cue):
    assert propose_intent(text, parse=False) is None  # no cue: the parse alone finds it
    p = propose_intent(text)
    assert (p.intent, p.kind, p.cue) == (intent, kind, cue)


@pytest.mark.parametrize("text", NOT_PARSED)
def test_parse_hard_negatives_are_no_intent(text):
    assert parse_proposal(text) is None
    assert propose_intent(text) is None


def test_parse_cues_are_verifier_features():
    assert {f"cue_{n}" for n in PARSE_CUES} <= set(INTENT_FEATURES)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I've told my cousin to switch, he's with another supplier now.", "warn_others"),
        ("I told my mate to go with Larkspur instead.", "warn_others"),
        ("I'd tell my sister to go with a different insurer.", "warn_others"),
        ("I told my brother to switch to them, best thing he did.", "recommend"),
        ("I told my sister to sign up with them.", "recommend"),
    ],
)
def test_telling_someone_to_switch_away_is_a_warning(text, intent):
    out = detect_intent([text], embedder=False, verifier=False)
    assert out.loc[0, "intent"] == intent


def test_shipped_verifier_scores_a_parsed_leave():
    out = detect_intent(["I scrapped the premium subscription in the spring."], embedder=False)
    assert out.loc[0, "intent"] == "leave" and 0.3 <= out.loc[0, "confidence"] <= 1
