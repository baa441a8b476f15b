"""Tests of insights.triggers.detect_intent: the speaker's relationship intent, its kind."""

from __future__ import annotations

import pandas as pd
import pytest

from insights.embed import HashEmbedder
from insights.triggers import INTENT_FEATURES, IntentVerifier, detect_intent, propose_intent

# false positives of the word-level detector (issue 12), one per kind of mistake
FALSE_POSITIVES = [
    "It's a recommended system, you know, is it good or is it not good?",
    "We are making a recommendation system for sizes.",
    "And from there until today, I stick with flash.",
    "I stick with the decision we made in the design review.",
    "So you actually leave the sword behind to do puzzles.",
    "Just leave it as it is for now.",
    "They didn't go back to the main menu when they quit the game.",
    "Then the program terminates when it reaches an unknown state.",
    "I got a text saying the appointment had been cancelled.",
    "I'd cancelled a client meeting to be in.",
    "Then we switch to Spark for the big jobs.",
    "I wouldn't have left them over the price alone.",
    "I would recommend using a validation set here.",
    "She left the company two years ago.",
    "I stayed on the phone for forty minutes.",
    # issue 12, read on the MLSS dev interviews (46 of them fired at confidence 0.9)
    "Sorry, I, I might need to switch to another, uh, earphone.",
    "We're building a recommender system for, for a client.",
    "We have to stick with the decisions.",
    "We want to upgrade our machine.",
    "We had to switch to spark ml.",
    "Sorry for the warning.",
    # found on the tune part of the labelled set
    "Leave them alone, it won't change them.",
    "I left my charger at the office.",
    "I stayed on hold for forty minutes.",
    "Did you ever think about leaving them?",
    "I'd probably recommend starting with a simpler baseline model.",
    "At that point, if you'd asked me, I'd have said I'd never leave.",
    # classes found on the calib half of the fresh batch (paraphrased, not its text)
    "Leave now. You'll be happier for it.",
    "Stay strong, it gets better.",
    "I was miserable for years and then I left him.",
    "I'd like to leave my employment at the bank this year.",
    "I stay focused and keep going.",
    "I'll go back to what I said earlier about the budget.",
    "I wish I could stay.",
    "She recommended a couple of books to the new starters.",
    # classes found on the blind Ridgeway study (benchmarks/studies; paraphrased, not its text)
    "The physio recommended three sessions a week.",
    "I quit smoking in March.",
    "I'll leave you to it, then.",
    "Don't join the queue at the front.",
]

TRUE_POSITIVES = [
    ("I left them in May.", "leave", "done"),
    ("I switched to Brightwire in January.", "leave", "done"),
    ("I'm going to cancel my contract.", "leave", "intended"),
    ("I'd switch if the price went up again.", "leave", "conditional"),
    ("He switched to another provider.", "leave", "reported"),
    ("My neighbour switched to another provider last year.", "leave", "reported"),
    ("I think I'll stay.", "stay", "intended"),
    ("I'd be mad to leave for something that might be worse.", "stay", "intended"),
    ("So I signed up again, another two years.", "stay", "done"),
    ("I'd have stayed if they'd offered anything at all.", "stay", "conditional"),
    ("I've already recommended them to half my bridge club.", "recommend", "done"),
    ("I'd recommend them to anyone.", "recommend", "intended"),
    ("My flatmate's boyfriend referred us.", "recommend", "reported"),
    ("I tell everyone to avoid them.", "warn_others", "done"),
    ("We will be back.", "stay", "intended"),
    ("Will never be back.", "leave", "intended"),
    # participles are passive, progressives are not
    ("Then yeah, I'd be cancelling at the end of the contract.", "leave", "intended"),
    ("I'll be recommending them to everyone at the school gate.", "recommend", "intended"),
    ("I'd have stayed if you'd offered me anything at all.", "stay", "conditional"),
    ("I'm switching to another provider next month.", "leave", "intended"),
    ("We left them a scathing review.", "warn_others", "done"),
    ("We let the home insurance lapse in May.", "leave", "done"),
    ("I'm taking our business elsewhere after this.", "leave", "intended"),
    ("We moved everything over to a different supplier.", "leave", "done"),
    ("We've been loyal customers for years.", "stay", "done"),
    ("I'd warn anyone off them.", "warn_others", "intended"),
    # classes found on the blind Ridgeway study: providers that are not broadband (a gym,
    # a bank, a leisure centre), "quit", "I'll probably leave", "I'm staying", "I've renewed"
    ("We switched to a cheaper bank last spring.", "leave", "done"),
    ("I moved over to the leisure centre instead.", "leave", "done"),
    ("I quit in January.", "leave", "done"),
    ("If the fees go up again I'll probably leave.", "leave", "conditional"),
    ("I'm staying, for now anyway.", "stay", "intended"),
    ("We're planning to stay for the long haul.", "stay", "intended"),
    ("I've renewed for another two years.", "stay", "done"),
    ("Don't join that place, honestly.", "warn_others", "intended"),
    ("I'd think twice about joining them.", "warn_others", "intended"),
    # the speaker's own, not a report: "people" is whom they tell; a stay after "and"
    ("I'd tell people to think twice about joining them.", "warn_others", "intended"),
    ("I've been with them for years and I'm staying.", "stay", "intended"),
]


def _out(texts):
    return detect_intent(texts, embedder=False)


@pytest.mark.parametrize("text", FALSE_POSITIVES)
def test_technical_and_other_uses_are_no_intent(text):
    out = _out([text])
    assert out.loc[0, "intent"] == "none" and out.loc[0, "kind"] == ""
    assert out.loc[0, "confidence"] == 0.0


@pytest.mark.parametrize(("text", "intent", "kind"), TRUE_POSITIVES)
def test_true_positives_with_kind(text, intent, kind):
    # threshold 0: the rules' intent and kind, with the shipped cue-only verifier's
    # probability (calibrated on blind text, so a bare "Will never be back." is unsure)
    out = detect_intent([text], embedder=False, threshold=0.0)
    assert (out.loc[0, "intent"], out.loc[0, "kind"]) == (intent, kind)
    assert 0 < out.loc[0, "confidence"] <= 1


def test_negation():
    out = _out(
        [
            "I wouldn't leave them over that.",
            "I wouldn't recommend them to anyone.",
            "I didn't renew, I went with a cheaper deal instead.",
            "I'm not going anywhere, they've been great.",
            "If they don't fix it by Friday, I'm leaving them.",
        ]
    )
    assert out["intent"].tolist() == ["stay", "warn_others", "leave", "stay", "leave"]
    assert out["kind"].tolist()[-1] == "conditional"


def test_conditional_kept_apart_from_done():
    out = _out(["I'd leave if they put the price up.", "I left in July."])
    assert out["intent"].tolist() == ["leave", "leave"]
    assert out["kind"].tolist() == ["conditional", "done"]


def test_dataframe_shape_and_empty_inputs():
    out = _out(["", None, "The router is in the hall.", "I'm cancelling."])
    assert isinstance(out, pd.DataFrame)
    cols = ["intent", "kind", "confidence", "target"]
    assert list(out.columns) == cols and len(out) == 4
    assert out["intent"].tolist()[:3] == ["none"] * 3
    assert out["target"].tolist() == ["", "", "", "study"]
    empty = _out([])
    assert list(empty.columns) == cols and len(empty) == 0


def test_verifier_threshold_and_no_verifier():
    text = ["I'm cancelling my contract."]
    assert detect_intent(text, embedder=False, threshold=1.01)["intent"].tolist() == ["none"]
    plain = detect_intent(text, embedder=False, verifier=False)
    assert plain["intent"].tolist() == ["leave"] and plain["confidence"].tolist() == [0.5]
    w = {"features": {"coef": [0.0] * len(INTENT_FEATURES), "intercept": 2.0}}
    got = detect_intent(text, embedder=False, verifier=IntentVerifier(w))
    assert got["confidence"].iloc[0] == pytest.approx(0.881, abs=1e-3)


def test_platt_calibration_maps_the_score():
    text = ["I'm cancelling my contract."]
    w = {"features": {"coef": [0.0] * len(INTENT_FEATURES), "intercept": 2.0}}
    w["features"]["calibration"] = [0.5, -1.0]  # p = sigmoid(0.5 * 2 - 1) = 0.5
    got = detect_intent(text, embedder=False, verifier=IntentVerifier(w))
    assert got["confidence"].iloc[0] == pytest.approx(0.5)


def test_shipped_verifier_is_calibrated_and_features_align_by_name():
    v = IntentVerifier.load()
    for name in ("features", "embedding"):
        a, b = v.weights[name]["calibration"]
        assert 0 < a < 5 and abs(b) < 10
    # cues added after the fit weigh 0 (the weights are matched by name)
    assert set(v.weights["features_order"]) <= set(INTENT_FEATURES)
    # an old weight file without a new feature still loads: the missing one weighs 0
    order = list(INTENT_FEATURES)[:-1]
    w = {"features_order": order, "features": {"coef": [0.0] * len(order), "intercept": 0.0}}
    assert detect_intent(["I left them."], embedder=False, verifier=IntentVerifier(w))[
        "confidence"
    ].tolist() == [0.5]


def test_target_study_or_other_provider():
    texts = [
        "We switched to Kestrel in April.",  # left someone else for the study's provider
        "I switched to Larkspur.",  # left the study's provider
        "Whereas Northway, I tell everyone to avoid them.",
        "I'd recommend Brightwave at this point.",
        "I tell everyone to avoid them.",  # after talk of the old provider
        "I tell everyone to avoid them.",  # after a question about Kestrel
        "We switched at the start of April.",  # to it or from it?
        "I'd be mad to leave.",
    ]
    context = [[], [], [], [], ["Our old provider was dreadful.", "It dropped out."],
               ["Our old provider was dreadful.", "What would you tell a friend about Kestrel?"],
               ["How long have you been with Kestrel?", "About five months."],
               ["With my last provider I'd have paid for it."]]  # fmt: skip
    out = detect_intent(texts, embedder=False, context=context, provider=("Kestrel", "Fibre"))
    assert out["intent"].tolist() == ["leave", "leave"] + ["warn_others"] * 1 + ["recommend"] + [
        "warn_others"
    ] * 2 + ["leave", "stay"]
    assert out["target"].tolist() == [
        "other", "study", "other", "other", "other", "study", "unknown", "study",
    ]  # fmt: skip


def test_intent_context_stays_in_its_transcript():
    from insights.triggers import intent_context

    seg = pd.DataFrame(
        {
            "segment_id": ["a1", "a2", "a3", "b1", "b2"],
            "transcript_id": ["a", "a", "a", "b", "b"],
            "text": ["one", "two", "three", "four", "five"],
        }
    )
    assert intent_context(seg, ["a3", "b1", "b2", "zz"], n=1) == [["two"], [], ["four"], []]
    assert intent_context(seg, ["a3"]) == [["one", "two"]]


def test_provider_names_from_study_yaml_else_the_name(tmp_path):
    from insights.study import load_config

    (tmp_path / "a.yaml").write_text("name: Hit Save interviews (dev)\n")
    assert load_config(tmp_path / "a.yaml").provider_names == ("Hit", "Save")
    (tmp_path / "b.yaml").write_text("name: Spring wave\nprovider: [Larkspur Energy, LSE]\n")
    assert load_config(tmp_path / "b.yaml").provider_names == (
        "Larkspur Energy",
        "LSE",
        "Larkspur",
        "Energy",
    )
    (tmp_path / "c.yaml").write_text("name: MLSS practitioner interviews\nprovider: []\n")
    assert load_config(tmp_path / "c.yaml").provider_names == ()
    # the explicit name makes "switched to Larkspur" a switch to the study's provider
    out = detect_intent(
        ["We switched to Larkspur in May."],
        embedder=False,
        provider=load_config(tmp_path / "b.yaml").provider_names,
    )
    assert out[["intent", "target"]].values.tolist() == [["leave", "other"]]


def test_unknown_embedder_falls_back_to_cue_features():
    text = ["I'd recommend them to anyone."]
    a = detect_intent(text, embedder=HashEmbedder(dimension=16))
    b = detect_intent(text, embedder=False)
    pd.testing.assert_frame_equal(a, b)


def test_last_cue_wins():
    p = propose_intent("I nearly switched to another provider, but I'm staying with them.")
    assert p is not None and p.intent == "stay"


@pytest.mark.slow
def test_minilm_verifier():
    from insights.embed import get_embedder

    out = detect_intent(
        ["I cancelled my broadband contract last month.", "It's a recommender system."],
        embedder=get_embedder(),
    )
    assert out["intent"].tolist() == ["leave", "none"]
    assert out["kind"].tolist() == ["done", ""]
    assert 0.5 <= out["confidence"].iloc[0] <= 1
    # short true positives the cue-only verifier is unsure of: MiniLM keeps them
    short = detect_intent(
        ["Will never be back.", "I referred three friends."], embedder=get_embedder()
    )
    assert short["intent"].tolist() == ["leave", "recommend"]
    assert (short["confidence"] >= 0.3).all()
    # a short reported referral is still proposed (the verifier fit with the second blind
    # batch's read half trusts third-person sentences less and puts this one below 0.3)
    p = propose_intent("My flatmate's boyfriend referred us.")
    assert (p.intent, p.kind) == ("recommend", "reported")


def test_handed_over_is_not_left():
    from insights.triggers._intent import propose_intent

    # "leave them to the game to manage": handed to someone or something, not left
    for text in (
        "Or you leave them to the game to manage.",
        "I left it to my husband to sort out.",
    ):
        assert propose_intent(text) is None, text
    # ... while leaving them to go elsewhere is a leaving
    assert propose_intent("I left them to join PureGym.").intent == "leave"
    assert propose_intent("I left them for a cheaper gym.").intent == "leave"
