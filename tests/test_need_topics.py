"""Needs said in words are named by the thing their people share, inside a broad theme."""

from __future__ import annotations

import pandas as pd

from insights.summarize import baseline_delight
from insights.summarize._topics import topic_words

SAID = [  # person, text, in the theme "Access and entry"
    ("A", "The lockers.", True),
    ("A", "You don't think about it, do you, until it happens.", False),
    ("B", "You don't think about lockers, you just assume they lock.", True),
    ("C", "Oh, the progress email.", True),
    ("C", "I didn't even know they did it.", False),
    ("D", "Then I got a progress email with a chart, I really didn't expect that.", True),
]


def _needs(said, filler: str = "We talked about the weather, {i}."):
    """Six segments of four people (A-D), and 100 of a fifth about something else."""
    rows = [(p, t, th) for p, t, th in said]
    rows += [("F", filler.format(i=i), False) for i in range(100)]
    seg = pd.DataFrame(
        {
            "segment_id": [f"s{i}" for i in range(len(rows))],
            "participant_id": [p for p, _, _ in rows],
            "transcript_id": [p for p, _, _ in rows],
            "role": "participant",
            "text": [t for _, t, _ in rows],
        }
    )
    emo = pd.DataFrame(
        {"segment_id": seg["segment_id"], "emotions": "neutral", "ekman": "neutral",
         "intensity": 0.2}
    )  # fmt: skip
    themes = pd.DataFrame({"theme_id": [1], "label": ["Access and entry"], "keywords": ["door"]})
    assign = pd.DataFrame(
        {"segment_id": seg["segment_id"], "theme_id": [1 if th else -1 for _, _, th in rows]}
    )
    return baseline_delight(emo, segments=seg, themes=themes, assignments=assign)


def test_a_need_said_in_words_is_named_by_the_thing_two_people_name():
    # A's "you don't think about it" is said of the lockers A named just before; B says the
    # same of lockers: a baseline of the lockers. C's "didn't even know they did it" follows
    # "the progress email", which D did not expect either: a delight, in the same theme
    out = _needs(SAID)
    got = out[["theme", "kind", "topic", "n_people_stated", "stated_quotes"]].values.tolist()
    assert got == [
        ["Access and entry", "baseline", "lockers", 2, "s1;s2"],
        ["Access and entry", "delight", "email, progress", 2, "s4;s5"],
    ]
    # the words that could name it: no stop word, no word of talk or of the need itself
    # ("think", "assume"); of them, only nouns name a topic
    assert topic_words("You don't think about lockers, you just assume they lock.") == [
        "lockers",
        "lock",
    ]


def test_a_word_everyone_uses_or_one_person_alone_names_no_need():
    # without D, one person did not expect the email: no delight, and the lockers remain
    one = _needs(SAID[:5])
    assert one[["kind", "topic"]].values.tolist() == [["baseline", "lockers"]]
    # when the study talks of lockers everywhere (100 of 106 segments) they are no topic:
    # A and B share no rarer noun, and two people's words alone in one theme are the
    # theme's stated baseline (A's cue has no theme), so only B's: not enough evidence
    common = _needs(SAID[:3], filler="The lockers again, {i}.")
    assert common[["kind", "topic", "n_people_stated"]].values.tolist() == [
        ["not enough evidence", "", 0]
    ]


def test_a_noun_only_ever_in_the_sentence_before_names_no_need():
    # "the basic stuff, right" after talk of matrices, and "you assume a fixed length"
    # after a confusion matrix: the matrix is what came before, never what the need is said of
    said = [
        ("A", "It does a lot of the basic matrix and vector stuff.", True),
        ("A", "The basic stuff, right.", True),
        ("B", "I printed out a confusion matrix for the digits.", True),
        ("B", "So if you assume the same length for each of these.", True),
    ]
    out = _needs(said)
    # the theme's own stated baseline (two of its people said one) stands, unnamed
    assert out[["kind", "topic", "stated"]].values.tolist() == [["baseline", "", "baseline"]]
