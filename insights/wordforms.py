"""When two words are one word, and when a text names a theme: the one rule.

A theme label's check for a repeated word ("Pick meals, meal"), the needs' check that an
emotional segment is about its theme ("That's a good tip." is no delight of upload
speed), and a driver's phrase that must say what went wrong *with the theme* all ask
the same question, so they share one answer: two words are one when their
:func:`lemma_stem` is equal (plural and -s forms, a verb's -ed and -ing forms: "bill",
"bills", "billing"; "coach", "coaches", "coaching"; "drop", "dropping"), and a text
names a theme when one of its content words is one with a content word of the theme's
label or keywords (:func:`names_theme`). A shared beginning is not enough: "engine" is
not "engineer", "even" not "evenings", "price" not "prick".

Examples
--------
>>> names_theme("the bill came late", ["Billing errors"])
True
>>> names_theme("my engine light came on", ["Engineer visit"])
False
>>> names_theme("we're out most evenings", ["Outages and dropouts", "evening"])
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["NOT_VERB_FORMS", "lemma_stem", "names_theme", "stem", "word_stems"]

_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")

#: words that carry no topic: joiners, determiners, pronouns, auxiliaries, negations
_NOT_CONTENT = frozenset(
    """and or but so to of in on at for with about from after the an my our their your his
    her its every this that these those was were is are be been it its i me we you they them
    he she had has have do did does not no never just really very got get like one can
    could would will""".split()
)

#: words that end like a verb's -ing or -ed form and are not one
NOT_VERB_FORMS = frozenset(
    """thing something nothing anything everything morning evening ceiling building meeting
    during ring king spring string wedding bedding pudding feed need speed bed red shed
    seed weed deed hundred""".split()
)


def stem(word: str) -> str:
    """A crude stem, so "case" and "cases", "label" and "labels" count as one word.

    Examples
    --------
    >>> [stem(w) for w in ("cases", "labels", "data", "business", "policies")]
    ['case', 'label', 'data', 'business', 'policy']
    """
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def lemma_stem(word: str) -> str:
    """:func:`stem`, and a verb's -ed or -ing form to its stem ("asked", "ask"; "meals", "meal").

    Examples
    --------
    >>> [lemma_stem(w) for w in ("billing", "bills", "coaches", "coaching", "dropping")]
    ['bil', 'bil', 'coach', 'coach', 'drop']
    >>> [lemma_stem(w) for w in ("evenings", "even", "engineer", "engine")]
    ['evening', 'even', 'engineer', 'engin']
    """
    w = stem(word)
    for end in ("ing", "ed"):
        if len(w) >= len(end) + 3 and w.endswith(end) and w not in NOT_VERB_FORMS:
            w = w[: -len(end)]
            break
    else:
        w = w.rstrip("e") if len(w) > 3 else w
    # one final consonant for two, in every form: "stopping", "stop"; "billing", "bill"
    return w[:-1] if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiou" else w


@lru_cache(maxsize=65536)
def _stems_of(text: str) -> frozenset[str]:
    words = []
    for w in _WORD.findall(text.lower().replace("\u2019", "'")):
        parts = w.split("-")
        words += parts if len(parts) == 1 else [*parts, "".join(parts)]  # "drop-outs"
    return frozenset(lemma_stem(w) for w in words if len(w) > 2 and w not in _NOT_CONTENT)


def word_stems(texts: str | Iterable[str]) -> frozenset[str]:
    """The :func:`lemma_stem` of every content word of ``texts`` (three letters or more).

    A hyphenated word is its parts and the parts joined ("drop-outs": "drop", "out",
    "dropout").

    Examples
    --------
    >>> sorted(word_stems("The engineers didn't turn up"))
    ['didn', 'engineer', 'turn']
    >>> sorted(word_stems(["Price rise", "prices"])), sorted(word_stems("drop-outs"))
    (['pric', 'ris'], ['drop', 'dropout', 'out'])
    """
    if isinstance(texts, str):
        return _stems_of(texts)
    return frozenset().union(*(_stems_of(t) for t in texts if isinstance(t, str)))


def names_theme(text: str | Iterable[str], theme: Iterable[str]) -> bool:
    """Whether ``text`` names the theme whose label and keywords are ``theme``.

    True when a content word of ``text`` (or of any of its strings) is one word
    (:func:`lemma_stem`) with a content word of ``theme``.

    Examples
    --------
    >>> names_theme("the coaches are lovely", ["Staff and coaching"])
    True
    >>> names_theme(["he was great when he arrived"], ["Billing errors", "bill"])
    False
    """
    return bool(word_stems(text) & word_stems(theme))
