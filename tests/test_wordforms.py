"""One rule for "does this text name the theme" (insights.wordforms), used by every caller."""

import pandas as pd
import pytest

from insights.summarize import baseline_delight
from insights.summarize._stance import names_own_theme
from insights.themes import label_problems
from insights.wordforms import lemma_stem, names_theme, word_stems

# sentences of the bundled sample study (our own text, not eval data)
ENGINEER = "The engineer was supposed to come on a Thursday morning, and I took the morning off."
ALL_THREE = "It was the price on top of the dropouts on top of the engineer not turning up."
HUB = "It wasn't like with our old cable provider"


def test_one_word_in_its_forms_and_not_a_word_that_begins_the_same():
    assert {lemma_stem(w) for w in ("bill", "bills", "billing")} == {"bil"}
    assert {lemma_stem(w) for w in ("coach", "coaches", "coaching")} == {"coach"}
    assert {lemma_stem(w) for w in ("drop", "dropping", "drops")} == {"drop"}
    assert {lemma_stem(w) for w in ("price", "prices", "pricing")} == {"pric"}
    assert lemma_stem("engine") != lemma_stem("engineer")
    assert lemma_stem("even") != lemma_stem("evenings")
    assert lemma_stem("evening") == lemma_stem("evenings")


def test_real_sentences_name_their_themes_and_no_other():
    assert names_theme(ENGINEER, ["Engineer visit"])
    assert not names_theme(ENGINEER, ["Price rise"])
    assert not names_theme(ENGINEER, ["Outages and dropouts", "evening"])
    for theme in ("Price rise", "Outages and dropouts", "Engineer visit"):
        assert names_theme(ALL_THREE, [theme])
    assert not names_theme(ALL_THREE, ["Billing errors", "bill"])
    # by a keyword, and through any of several texts (a segment and its causes)
    assert names_theme(HUB, ["Kestrel hub", "router", "cable"])
    assert names_theme(["Fine.", HUB], ["Kestrel hub", "cable"])
    assert not names_theme([], ["Kestrel hub"])
    assert word_stems("the and of it") == frozenset()


@pytest.mark.parametrize(
    "theme, word",
    [
        ("Billing errors", "bill"),
        ("Staff and coaching", "coaches"),
        ("Price rise", "prices"),
        ("Engineer visit", "engine"),
        ("Outages and dropouts", "evenings"),
        ("Speed test", "speeds"),
    ],
)
def test_the_label_check_and_the_theme_checks_give_one_answer(theme, word):
    # a label that adds a word its theme already names repeats a word, exactly when the
    # word names the theme for the needs and the drivers' phrases
    same = names_theme(word, [theme])
    assert ("repeated word" in label_problems(f"{theme} {word}")) is same
    assert names_own_theme(f"they said {word} twice", [theme]) is same


def test_needs_count_only_emotions_that_name_their_theme_by_the_same_rule():
    # "bill" names "Billing errors" (its forms are one word): the three billing complaints
    # count, the unrelated one does not; before, five letters ("billi") missed "bill"
    texts = [
        "The bill was wrong again.",
        "They sent me two bills for one month.",
        "My bill doubled with no warning.",
        "That's a good tip.",
    ]
    seg = pd.DataFrame(
        {
            "segment_id": list("abcd"),
            "participant_id": list("ABCD"),
            "text": texts,
            "role": "participant",
        }
    )
    emo = pd.DataFrame(
        {
            "segment_id": list("abcd"),
            "emotions": ["annoyance", "anger", "annoyance", "admiration"],
            "ekman": ["anger", "anger", "anger", "joy"],
            "valence": [-0.8, -0.9, -0.7, 0.8],
            "intensity": 0.8,
        }
    )
    themes = pd.DataFrame({"theme_id": [0], "label": ["Billing errors"], "keywords": ["payment"]})
    assign = pd.DataFrame({"segment_id": list("abcd"), "theme_id": 0})
    needs = baseline_delight(
        emo, segments=seg, themes=themes, assignments=assign, people_floor=None
    )
    row = needs.iloc[0]
    assert (row["n_emotional"], row["n_negative"], row["n_delight"]) == (3, 3, 0)
