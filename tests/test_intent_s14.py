"""Tests of the s14 intent classes: provider-relationship verbs read from the parse.

Sentences written for these tests (none is in a blind batch): one per verb family of
``insights/triggers/_intent_verbs.py`` (leave: *give them up*, *get rid of*, *say
goodbye to*, *knock on the head*, *stop using / ordering from*, *stop the payments*, a
brand's boxes stopped, *pull out of*, *port my number*, *sign up with a different one*,
*no longer customers*; stay: *been with the same*, *loyal to*, *another chance*, *stick
with what I've got*, *keep the kids at*, a quantified reported subject; recommend: *sing
their praises*, *a good word for*, *rave about*, *mention to*, *tell about*, *spread the
word*, *sign up* a person, *get onto*, *get to move*, *put in touch*, *point / send to*,
*sell on*, *talk into it*, *say go with*), each with the hard negative in the same words
(a person, a thing, a fault, a habit instead of a provider), and the false hits fixed
(*go with her gut*, *maybe I'll switch, maybe I won't*).
"""

from __future__ import annotations

import pytest

from insights.triggers import propose_intent

PAIRS = [
    (
        ("I gave them up when the fees went up again.", "leave", "done"),
        "I gave up chocolate for Lent.",
    ),
    (
        ("We got rid of the Sky box and went Freeview only.", "leave", "done"),
        "We got rid of the old sofa at the tip.",
    ),
    (
        ("I said goodbye to the window cleaner last spring.", "leave", "done"),
        "I said goodbye to my nan at the station.",
    ),
    (
        ("I'm knocking the gym membership on the head next month.", "leave", "intended"),
        "I knocked my head on the cupboard.",
    ),
    (
        ("My son stopped using the tutoring app after Easter.", "leave", "reported"),
        "My son stopped using the stairs after the fall.",
    ),
    (
        ("We stopped ordering from them after the third late delivery.", "leave", "done"),
        "We stopped ordering pizza on Fridays.",
    ),
    (
        ("I stopped the payments to the cleaners in March.", "leave", "done"),
        "I stopped the car outside the cleaners.",
    ),
    (
        ("I stopped the Gousto boxes over the summer.", "leave", "done"),
        "I stopped the boxes falling off the shelf.",
    ),
    (
        ("We pulled our daughter out of the swimming club.", "leave", "done"),
        "We pulled the cat out of the washing machine.",
    ),
    (
        ("I ported my number to Vodafone in the end.", "leave", "done"),
        "I ported the scripts to the new laptop.",
    ),
    (
        ("I signed up with a different dentist last year.", "leave", "done"),
        "I signed up for a different course this term.",
    ),
    # kind as test_intent_spoken has it for "I'm not their customer any more"
    (
        ("We're no longer customers of theirs.", "leave", "intended"),
        "We're not customers, we just looked round.",
    ),
    (
        ("We've been with the same vet since the dog was a puppy.", "stay", "done"),
        "I've been with my husband since school.",
    ),
    (
        ("I've always been loyal to that garage.", "stay", "done"),
        "I've always been loyal to my friends.",
    ),
    (
        ("I gave them another chance after the mix-up.", "stay", "done"),
        "I gave the recipe another chance.",
    ),
    (
        ("We'll stick with what we've got for now.", "stay", "intended"),
        "We'll stick with the plan for the party.",
    ),
    (
        ("We'll keep the kids at that nursery.", "stay", "intended"),
        "We'll keep the kids at home tomorrow.",
    ),
    (
        ("Most of my friends have stuck with the gym.", "stay", "reported"),
        "Most of the paint has stuck to the wall.",
    ),
    (
        ("I sang their praises at the school gate.", "recommend", "done"),
        "I sang their songs at the school concert.",
    ),
    (
        ("I put a good word in for the plumber with my sister.", "recommend", "done"),
        "I put a good word in for my niece with her boss.",
    ),
    (
        ("I've raved about the bakery to half the street.", "recommend", "done"),
        "I've raved about the weather to half the street.",
    ),
    (
        ("I mentioned the accountant to my brother.", "recommend", "done"),
        "I mentioned the leak to my brother.",
    ),
    (
        ("I told my neighbour about the broadband deal.", "recommend", "done"),
        "I told my neighbour about the power cut.",
    ),
    (  # a negated "stop" before a gerund is keeping on
        ("I can't stop telling my friends about the new salon.", "recommend", "done"),
        "I can't stop telling my friends about the new puppy.",
    ),
    (
        ("I've been spreading the word about the new salon.", "recommend", "done"),
        "I've been spreading the jam on the toast.",
    ),
    (
        ("I signed my mum up on the family plan too.", "recommend", "done"),
        "My boss signed me up for a fun run.",
    ),
    (
        ("I got my whole family onto the same broadband.", "recommend", "done"),
        "I got my whole family onto the coach.",
    ),
    (
        ("I got my husband to switch to my network.", "recommend", "done"),
        "I got my husband to switch the lights off.",
    ),
    (
        ("I put my mum in touch with their advisers.", "recommend", "done"),
        "I put the photos in the album.",
    ),
    (
        ("I'd point anyone to this optician.", "recommend", "intended"),
        "I'd point anyone to the bus stop.",
    ),
    (
        ("I basically sold my sister on the meal kit.", "recommend", "done"),
        "I basically sold my sister my old bike.",
    ),
    (
        ("My flatmate's with them now, I talked her into it.", "recommend", "done"),
        "I talked her into the blue dress.",
    ),
    (
        ("If a mate asked, I'd say go with Octopus.", "recommend", "conditional"),
        "If a mate asked, I'd say go with the flow.",
    ),
]


@pytest.mark.parametrize(("positive", "negative"), PAIRS, ids=[p[0][0][:30] for p in PAIRS])
def test_verb_family_proposes_and_its_hard_negative_does_not(positive, negative):
    text, intent, kind = positive
    p = propose_intent(text)
    assert p is not None, text
    assert (p.intent, p.kind) == (intent, kind), text
    q = propose_intent(negative)
    assert q is None or q.intent == "none", (negative, q)


@pytest.mark.parametrize(
    "text",
    [
        "I told my sister to go with her gut.",  # advice about deciding, not a provider
        "Maybe I'll switch, maybe I won't, I haven't decided.",  # undecided
        "I've got mates on other providers who moan about them.",  # whom one knows
        "Maybe we could get rid of them, the breath noises.",  # no service named
        "We should stick with what we've got for the remote design.",  # a team's plan
        "I mentioned them already in the last meeting.",  # the things, not a provider
    ],
)
def test_fixed_false_hits_are_no_intent(text):
    assert propose_intent(text) is None
