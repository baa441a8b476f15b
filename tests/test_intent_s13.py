"""Tests of the s13 intent classes: spoken paraphrases and the vetoes they need.

Sentences written for these tests (none are in a blind batch): one or two per family
added to ``insights/triggers/_intent_cues.py`` / ``_intent_spoken.py`` on the read
halves of blind batches 1-6 (a provider taken elsewhere, a child pulled out of a
nursery, a new dentist found, *pointed their way*, *vouch for*, *talked out of*, *put
off them*, *give them a miss*, *I never left*), and the hard negatives of each new
veto class of ``insights/triggers/_intent_veto.py`` (someone or something put
somewhere, a departure for work, a guess about other customers, *look around* a view,
*warned them I'd be late*, a passive *recommended by*).
"""

from __future__ import annotations

import pytest

from insights.triggers import propose_intent

PROPOSED = [
    ("We took the whole mortgage elsewhere in the end.", "leave", "done"),
    ("My sister pulled her lad out of that school last term.", "leave", "reported"),
    ("I've found us a new vet, one nearer the house.", "leave", "done"),
    ("We don't bank with Lloyds any more.", "leave", "intended"),
    ("We moved the domain hosting off them over a weekend.", "leave", "done"),
    ("I probably won't be with them by the summer.", "leave", "intended"),
    ("I never left, even after the outage.", "stay", "done"),
    ("My gran's been with the same chemist for thirty years.", "stay", "reported"),
    ("We extended the contract for another two years.", "stay", "done"),
    ("I've been pointing my neighbours their way for ages.", "recommend", "done"),
    ("I'd vouch for the garage to anyone who asked.", "recommend", "intended"),
    ("I told my brother about the nursery and he signed his twins up.", "recommend", "done"),
    ("I talked my cousin out of signing up with them.", "warn_others", "done"),
    ("I've put half the office off them after what happened.", "warn_others", "done"),
    ("My mum tells everyone to give that bank a miss.", "warn_others", "reported"),
    ("They sorted it in a day, best plumber around, I'd say to anyone.", "recommend", "intended"),
    ("If you've got a dog, go to our vet, I'd tell anyone that.", "recommend", "conditional"),
    ("If my sister asked I'd point her to the gym on the corner.", "recommend", "conditional"),
]


@pytest.mark.parametrize(("text", "intent", "kind"), PROPOSED)
def test_spoken_families_are_proposed_with_their_kind(text, intent, kind):
    p = propose_intent(text)
    assert p is not None, text
    assert (p.intent, p.kind) == (intent, kind)


NOT_INTENT = [
    "We left the dog with the neighbours while we were away.",  # put somewhere
    "I left my bag on the bus again.",
    "The nurse told us to leave the dressing on for two days.",
    "I'm leaving for work at six most mornings.",  # a departure
    "Some customers would probably cancel over that, I suppose.",  # a guess about others
    "If people want it cheaper, they'll probably switch.",
    "At the top you just look around and take it all in.",  # a view, not a search
    "I warned them I'd be a bit late to the call.",  # a fact, no one warned off
    "The dose was as recommended by the pharmacist.",  # passive with its agent
    "We stayed with friends in Leeds over the holidays.",  # a visit
    "I was going to leave a review but forgot.",  # left something
    "I cancelled the insurance by mistake and had to ring them back.",  # an accident
    "A friend warned me about a fake text from the bank.",  # warned of a scam, not a provider
    "Don't bother with the letter, they'll do it over the phone.",  # another channel
    "I'd say to anyone, it's a bit of a gamble.",  # no word for the provider
]


@pytest.mark.parametrize("text", NOT_INTENT)
def test_hard_negatives_of_the_new_classes_are_no_intent(text):
    assert propose_intent(text) is None


def test_shopping_around_is_still_a_leave_and_browsing_is_not():
    assert propose_intent("I'm shopping around for a new insurer this month.").intent == "leave"
    assert propose_intent("I'd probably be looking around at the end of the deal.").intent == (
        "leave"
    )
    assert propose_intent("I just look around the market on Sundays.") is None


def test_someone_put_somewhere_keeps_a_provider_left_in_a_month():
    assert propose_intent("We left them in March after the bill doubled.").intent == "leave"
    assert propose_intent("I left Sky in the end, it was too dear.").intent == "leave"
