"""Tests of intent in spoken paraphrase (issue 12, third round): recall classes and hard negatives.

Sentences written for these tests (not the blind batch's): one per cue family of
``insights/triggers/_intent_spoken.py`` and one per false-positive class fixed with it.
"""

from __future__ import annotations

import pytest

from insights.triggers import detect_intent, propose_intent

# one per new recall class: (sentence, intent, kind) by the rules alone
SPOKEN = [
    ("We pulled the plug on the broadband last autumn.", "leave", "done"),
    ("I phoned them on the Monday and ended it there and then.", "leave", "done"),
    ("Most of my road went over to the new lot when the cables went in.", "leave", "reported"),
    ("We binned the TV package with them after the price went up.", "leave", "done"),
    ("My aunt came away from them after twenty years.", "leave", "reported"),
    ("To be fair we're with somebody else these days.", "leave", "intended"),
    ("I can't picture being with anyone else, they're that good.", "stay", "intended"),
    ("I said goodbye to Kestrel after the third price rise.", "leave", "done"),
    ("If the bill jumps again, that's me gone.", "leave", "conditional"),
    ("I'd be out the door if they tried that again.", "leave", "conditional"),
    ("We won't be staying with them once the deal ends.", "leave", "intended"),
    ("I got out of the contract early and paid the fee.", "leave", "done"),
    ("We went with a smaller local company in the end.", "leave", "done"),
    ("I'm seriously thinking of finding a new supplier.", "leave", "intended"),
    ("I'd jump ship tomorrow if someone offered fibre.", "leave", "conditional"),
    ("I'm not their customer any more, thank goodness.", "leave", "intended"),
    ("We went for another two years with them at renewal.", "stay", "done"),
    ("I'll keep them, there's no point moving.", "stay", "intended"),
    ("We've been customers since they first opened.", "stay", "done"),
    ("We'll carry on, to be honest, it's fine.", "stay", "intended"),
    ("They'll have me for life if they keep this up.", "stay", "conditional"),
    ("We hung on through the outages and it got better.", "stay", "done"),
    ("We'll be renewing in the spring, no doubt.", "stay", "intended"),
    ("My grandad won't budge, he's had them forever.", "stay", "reported"),
    ("We thought about moving but stayed in the end.", "stay", "done"),
    ("Provided the price holds, we'll keep the package.", "stay", "conditional"),
    # a caveat after the intent is no condition on it
    ("I'd recommend them to anyone, as long as you check the first bill.", "recommend", "intended"),
    ("I've talked two neighbours into joining them.", "recommend", "done"),
    ("I'd send any friend their way.", "recommend", "intended"),
    ("Everyone should be with them, honestly.", "recommend", "intended"),
    ("My cousin swears by them, that's why we joined.", "recommend", "reported"),
    ("I'm always banging on about them at work.", "recommend", "done"),
    ("I told my brother, don't touch them.", "warn_others", "done"),
    ("I've been slagging them off to all my friends.", "warn_others", "done"),
    ("Avoid, avoid, that's all I'd say about them.", "warn_others", "intended"),
    ("I wrote it all up online so nobody else gets caught out.", "warn_others", "done"),
    # fourth round: families written on the second blind batch's read half (new sentences)
    ("My STAC code came through on the Tuesday.", "leave", "done"),
    ("We were gone by the end of the month.", "leave", "done"),
    ("My whole family is with somebody else now.", "leave", "intended"),
    ("She went across to a cheaper outfit in the new year.", "leave", "reported"),
    ("We signed up with the rival firm when the deal ended.", "leave", "done"),
    ("Honestly I just want out of the whole thing.", "leave", "intended"),
    ("One more missed visit and I'm walking.", "leave", "conditional"),
    ("I'd go like a shot if there was fibre on our road.", "leave", "conditional"),
    ("I rang and cancelled it there and then.", "leave", "done"),
    ("We went back to our previous supplier after a year.", "leave", "done"),
    ("I gave them my notice, it's done.", "leave", "done"),
    ("I've given them my notice.", "leave", "done"),
    ("I'll definitely switch when the contract's up.", "leave", "intended"),
    ("As long as the bills stay fair, they've got me.", "stay", "conditional"),
    ("We're still their customers after all that.", "stay", "done"),  # a state: done, as labelled
    ("I nearly cancelled, but in the end I didn't.", "stay", "done"),
    ("We've renewed three times now.", "stay", "done"),
    ("I got my dad to sign up last year.", "recommend", "done"),
    ("I keep telling my friends they should get it.", "recommend", "done"),
    ("If my sister asks who to go with, I'd say them.", "recommend", "conditional"),
    ("Whenever someone moans about their broadband I point them at it.", "recommend", "done"),
    ("I'd steer anyone well clear of them.", "warn_others", "intended"),
    ("My advice to people would be to stay clear.", "warn_others", "intended"),
]

# one per false-positive class fixed with them: no intent
NOT_INTENT = [
    "Don't make me threaten to leave just to get a fair price.",  # bargaining, not meant
    "You have to pretend you're leaving before they offer anything.",
    "I stayed on the line for an hour before anyone picked up.",
    "I switched over to the other band on the router and it was quicker.",
    "I'd never leave my laptop in the car overnight.",
    # fourth round
    "The recommended settings were no good, I changed them all.",
    "I recommend a setting called band steering on that router.",
    "I renewed my driving licence online.",
    "The lady told me to stay put while she checked the system.",
    "Should I stay on the old tariff, I wondered.",
    "I stay {disfmarker}",
    "OK, we'll switch to the next slide now.",
    "What do I want out of this, really?",
    "So I would say Germany.",
    "I cancelled the engineer visit because we were away.",
    "Reward the people who've stuck with them all these years.",  # advice to the company
    "Tell loyal customers when their deal is ending.",
    "She wanted to keep them the same size across the slides.",
    "Bin them up into three groups by age.",
    "People get offered jobs, then they go somewhere else.",
    "I tell my friends, don't bother with the website, just phone them.",  # channel advice
]


@pytest.mark.parametrize(("text", "intent", "kind"), SPOKEN)
def test_spoken_paraphrase_is_proposed_with_its_kind(text, intent, kind):
    out = detect_intent([text], embedder=False, verifier=False)
    assert (out.loc[0, "intent"], out.loc[0, "kind"]) == (intent, kind)


@pytest.mark.parametrize("text", NOT_INTENT)
def test_spoken_hard_negatives_are_no_intent(text):
    assert propose_intent(text) is None


def test_shipped_verifier_keeps_a_spoken_leave():
    out = detect_intent(["We pulled the plug on the broadband last autumn."], embedder=False)
    assert out.loc[0, "intent"] == "leave" and 0.3 <= out.loc[0, "confidence"] <= 1
