"""Tests of the relation rules of issue 12's s12 round (intent that holds on new sentences).

Each class of fix has a true positive and the hard negative next to it, in sentences
written for these tests (none is in a blind batch): a pronoun whose antecedent is a
service, a comma-spliced verb sharing its subject, a service moved to a new one, a new
contract signed, a service object amid technical words, who recommends, leaving a place,
a plan change inside the provider, a disowned cue, an inverted never-again vow, *rather
than*, a policy let run out, re- verbs, *out of there*, *with them a long time*, *I'd say
don't*, a negated reason to move, an organisation as the subject, *it's not like I'm going to*,
*left out*, another person's standing as background, and the ``parse_agrees`` and
``object_*`` verifier features.
"""

from __future__ import annotations

import pytest

from insights.triggers import INTENT_FEATURES, detect_intent, propose_intent
from insights.triggers._intent_parse import cue_object

# (sentence, intent, kind, cue) and the hard negative of the same class
PAIRS = [
    # a pronoun whose antecedent is a service
    (("The gym membership kept going up, so I ended it at Easter.", "leave", "done",
      "parse_leave"), "The call went on forever, so I ended it."),
    # a comma-spliced verb shares the subject of the clause before
    (("We gave up in March, scrapped the subscription online.", "leave", "done",
      "parse_leave"), "We gave up in March, scrapped the leftovers."),
    # a service (or the pronoun naming one) moved to a new service
    (("My savings were earning nothing, I moved them to a building society.", "leave",
      "done", "parse_move"), "My savings were earning nothing, I moved them to a spreadsheet."),
    # a new agreement with the same provider
    (("We signed another contract with them in April.", "stay", "done", "parse_stay"),
     "We signed the new lease on the flat."),
    # the verb's own service object holds amid technical words ("project", "team")
    (("We extended the broadband contract for the project team.", "stay", "done",
      "parse_stay"), "We extended the project deadline for the team."),
    # a person recommends; a thing, or a professional recommending no provider, does not
    (("My neighbour recommended the gym to me.", "recommend", "reported", "recommend"),
     "The app recommended a playlist to me."),
    (("The plumber recommended this insurer.", "recommend", "intended", "recommend_it"),
     "The plumber recommended a new boiler."),
    # a provider recommended, not a thing to do
    (("I'd recommend a gym like this to anyone.", "recommend", "intended", "recommend"),
     "I'd recommend a stretch before you start, it helps."),
    # leaving a provider, not a place at a time
    (("I left the gym for a cheaper one.", "leave", "done", "i_left"),
     "I left the gym early because my knee hurt."),
    # a switch names another provider; a plan change inside the provider does not
    (("I switched to a cheaper plan with another provider.", "leave", "done", "parse_alone"),
     "I switched to the annual plan to save a bit."),
    # a negated cue keeps its meaning; a disowned one has none
    (("I wouldn't recommend them.", "warn_others", "intended", "recommend_it"),
     "I wouldn't say I'd recommend them, they're just okay."),
    # an inverted vow about a provider, not about an activity
    (("Never again will I use them.", "leave", "intended", "never_again"),
     "Never again will I book a red-eye flight."),
    # a policy let run out, not children
    (("I let the car insurance run out in May.", "leave", "done", "lapse"),
     "We let the kids run out to the park."),
    # a re- verb with the provider
    (("We re-signed with them for another year.", "stay", "done", "re_with"),
     "I rejoined the queue at the post office."),
    # out of there (a provider), not out of the office
    (("We'll be out of there by Christmas, the new bank is sorted.", "leave", "intended",
      "out_of_there"), "I'll be out of the office until Monday."),
    # with them for a long time, not with you in a minute
    (("I'll be with them a long time, I reckon.", "stay", "intended", "be_with"),
     "I'll be with you in a minute."),
    # the customer acts, not an organisation or a thing named as the subject
    (("My sister cancelled her gym membership.", "leave", "reported", "cancel"),
     "The council cancelled the bin collection over Christmas."),
    (("The kids cancelled Netflix.", "leave", "done", "cancel"),
     "The insurer recommended a garage near us for the repair."),
    # "it's not like I'm going to cancel" denies the cue
    (("I'm going to cancel over a late box.", "leave", "intended", "cancel"),
     "It's not like I'm going to cancel over a late box."),
    # "left out" is omitted, not left
    (("I left them in March.", "leave", "done", "leave_them"),
     "If there's stuff that I left out, tell me."),
    # "I'd say don't" about a provider, not "don't worry"
    (("If my sister asked about that gym I'd say don't.", "warn_others", "conditional",
      "said_dont"), "If you want my view, I'd say don't worry about the form."),
    (("About that bank, I would say don't, honestly.", "warn_others", "intended", "said_dont"),
     "So I would say don't tell them to transcribe anything outside a group of words."),
]  # fmt: skip


@pytest.mark.parametrize(("positive", "negative"), PAIRS)
def test_relation_class_and_its_hard_negative(positive, negative):
    text, intent, kind, cue = positive
    p = propose_intent(text)
    assert (p.intent, p.kind, p.cue) == (intent, kind, cue)
    assert propose_intent(negative) is None


def test_rather_than_leaves_the_other_verb():
    assert propose_intent("We renewed with them rather than switching.").intent == "stay"
    assert propose_intent("We're switching rather than renewing.").intent == "leave"


def test_a_negated_reason_to_move_is_a_stay():
    assert propose_intent("Twenty years with them and never a reason to move.").intent == "stay"
    assert propose_intent("That gave me a reason to move.").intent == "leave"


def test_another_persons_standing_is_background():
    p = propose_intent("My aunt got me onto them, she's been with them for years.")
    assert (p.intent, p.kind) == ("recommend", "reported")
    assert propose_intent("She's been with them for years.").intent == "stay"


def test_parse_agrees_is_a_feature_and_set_when_the_relation_holds():
    assert "parse_agrees" in INTENT_FEATURES
    agreed = propose_intent("I quit in May, cancelled it over the phone.")
    assert agreed.intent == "leave" and agreed.flags["parse_agrees"] == 1.0
    alone = propose_intent("Never again.")
    assert alone.intent == "leave" and alone.flags["parse_agrees"] == 0.0


def test_cue_object_is_read_from_the_parse():
    served = propose_intent("I cancelled my membership in May.").flags
    assert (served["object_service"], served["object_other"]) == (1.0, 0.0)
    bare = propose_intent("I'm cancelling at the end of this month.").flags
    assert (bare["object_service"], bare["object_other"]) == (0.0, 0.0)
    text = "I cancelled the wedding in May."
    assert cue_object(text, text.index("cancelled"), text.index(" the")) == "other"
    text = "The broadband was awful, so I cancelled it."
    assert cue_object(text, text.index("cancelled"), text.index(" it.")) == "service"


def test_shipped_verifier_trusts_the_relation_more():
    out = detect_intent(
        ["I quit in May, cancelled it over the phone.", "I quit in May."], embedder=False
    )
    assert out["intent"].tolist() == ["leave", "leave"]
    assert out.loc[0, "confidence"] > out.loc[1, "confidence"]
