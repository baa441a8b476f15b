"""Tests of the s9 intent families: vetoes by class and the parse proposer's new shapes.

Sentences written for these tests (none are in a blind batch): one per veto class of
``insights/triggers/_intent_veto.py``, one per new parse shape of
``insights/triggers/_intent_parse.py`` (elided subject, a brand as object, *stay with*,
*done with*, *keep ... going*, *hand in notice*, *move the cover*, a reported person
switching) and the hard negatives each shape must leave alone.
"""

from __future__ import annotations

import pytest

from insights.triggers import INTENT_FEATURES, propose_intent
from insights.triggers._intent_parse import PARSE_CUES
from insights.triggers._intent_veto import told_to_leave, vetoed

# a cue fires on each, and the class says it is no relationship intent
VETOED = [
    "I'm not leaving, I just want someone to call me back.",  # a denial with a point
    "I'd cancel if it got worse, but who knows, really.",  # undecided
    "I might switch, I might not, it depends on my mood.",
    "We're stuck with them until March because of the contract.",  # trapped
    "I wouldn't leave them over the app alone.",  # other reasons may do it
    "I left them a message about the meter reading.",  # left someone something
    "My cousin cancelled his birthday party at the last minute.",  # no service
    "I renewed the cat's jabs at the same visit.",
]


@pytest.mark.parametrize("text", VETOED)
def test_vetoed_classes_give_no_intent(text):
    assert propose_intent(text) is None


# the same verbs, about a provider, keep their intent
KEPT = [
    ("I'm not cancelling, they've been good to me.", "stay"),
    ("I'd cancel if it got worse, the price is already too high.", "leave"),
    ("We've stuck with them since the nineties.", "stay"),
    ("I wouldn't leave them over one bad bill.", "stay"),
    ("I left them in the summer for a cheaper deal.", "leave"),
    ("I cancelled my subscription last month.", "leave"),
]


@pytest.mark.parametrize(("text", "intent"), KEPT)
def test_same_verbs_about_a_provider_keep_their_intent(text, intent):
    p = propose_intent(text)
    assert p is not None and p.intent == intent


def test_vetoed_reads_the_words_after_the_cue():
    text = "I'm not cancelling, I only wanted to complain."
    assert vetoed(text, 8, 18, "stay", "cancel", True) is True
    assert vetoed("I'm not cancelling, they've been fine.", 8, 18, "stay", "cancel", True) is False


def test_telling_someone_to_cancel_is_a_warning():
    p = propose_intent("I told my neighbour to cancel hers as well.")
    assert (p.intent, p.kind) == ("warn_others", "done")
    assert told_to_leave("I told my neighbour to cancel", 23) is True
    assert told_to_leave("I want to cancel", 10) is False


# (sentence, intent, kind, cue) of the new parse shapes
SHAPES = [
    ("Switched. It took ten minutes on the website.", "leave", "done", "parse_alone"),
    ("Ported out on Monday, kept the same number.", "leave", "done", "parse_alone"),
    ("My brother is switching, he's sick of the signal.", "leave", "reported", "parse_alone"),
    ("We dropped Spotify after the price went up.", "leave", "done", "parse_leave"),
    ("Renewed again, fourth year now.", "stay", "done", "parse_stay"),
    ("If they keep the free bags I'll stay with the airline.", "stay", "conditional", "parse_stay"),
    ("Another delay like that and I'm done with that airline.", "leave", "conditional",
     "parse_done_with"),
    ("We'll keep the veg box going over the winter.", "stay", "intended", "parse_stay"),
    ("I've handed in my notice at the climbing centre.", "leave", "done", "parse_leave"),
    ("I'd move the pet cover if the excess doubled.", "leave", "conditional", "parse_move"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "intent", "kind", "cue"), SHAPES)
def test_new_parse_shapes(text, intent, kind, cue):
    p = propose_intent(text)
    assert (p.intent, p.kind, p.cue) == (intent, kind, cue)


# the shapes' words where no provider is left or kept
NOT_SHAPES = [
    "I dropped Sarah at school on the way.",  # a name that is a person, with "at"
    "Switched the lights off and went to bed.",  # a particle: a device
    "I'm done with the form now, what's next?",  # done with a thing
    "He told my brother the price had gone up.",  # a fact told, not advice
    "I moved the direct debit to the first of the month.",
    "My son switched off the television.",
    "We stayed with my parents over Christmas.",
]


@pytest.mark.parametrize("text", NOT_SHAPES)
def test_new_shapes_leave_other_uses_alone(text):
    assert propose_intent(text) is None


def test_new_parse_cues_are_verifier_features():
    assert {"parse_alone", "parse_done_with"} <= set(PARSE_CUES)
    assert {"cue_parse_alone", "cue_parse_done_with"} <= set(INTENT_FEATURES)
