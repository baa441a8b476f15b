"""Stance inside a theme at labelling time: a label names the topic, not one side of it.

A theme about the engineer's visit holds "the engineer never turned up" and "every
engineer I had was brilliant". Its label should say what the theme is about
("Engineer visit"), not one side's complaint ("Engineer didn't turn up"), unless
nearly all of the theme takes that side. When the fitted segments carry a stance
(a ``stance`` column: ``negative``, ``positive`` or neither, as
:func:`insights.summarize.segment_stances` gives it), :func:`stance_check` makes the
test the labels use: a phrase *leans* when the theme's segments that say its words
(every content stem of it, in any form) take one side far more than the theme does.

Examples
--------
>>> import numpy as np
>>> ph = [[("engineer", "engineer"), ("engineer didn't turn up", "engineer not turn up")]] * 4
>>> ph += [[("engineer", "engineer"), ("brilliant engineer", "brilliant engineer")]] * 6
>>> sides = stance_codes(["negative"] * 4 + ["positive"] * 6)
>>> fits = stance_check(ph, sides)
>>> members = np.ones(10, dtype=bool)
>>> fits("engineer", members), fits("engineer didn't turn up", members)
(True, False)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from insights.themes._phrases import Phrase, gerund
from insights.themes._widen import phrase_index, phrase_stems

__all__ = [
    "LEAN_SHARE",
    "ONE_SIDED_THEME",
    "side_counts",
    "stance_check",
    "stance_codes",
    "topic_form",
]

#: a phrase leans to a side when at least this share of the theme's segments that say
#: it and have a stance take that side (and at least :data:`_LEAN_MARGIN` more than the
#: theme's own share of that side)
LEAN_SHARE = 0.75
#: a theme at least this share of whose segments with a stance take one side is that
#: side's theme: a phrase of that side may label it
ONE_SIDED_THEME = 0.8
_LEAN_MARGIN = 0.25
#: the least segments with a stance on each side of a two-sided theme
_LEAST = 3
#: the least of a phrase's segments with a stance that measure its side
_MEASURED = 5
#: a phrase that says something did not happen ("engineer didn't turn up") tells of
#: it going wrong, when too few of its segments have a stance to measure it
_NEGATIONS = frozenset({"not", "never", "no"})


def stance_codes(values: Iterable[object]) -> np.ndarray:
    """Each segment's stance as -1 (negative), +1 (positive) or 0 (neither, unknown).

    Examples
    --------
    >>> stance_codes(["negative", "positive", "neutral", None, ""]).tolist()
    [-1, 1, 0, 0, 0]
    """
    code = {"negative": -1, "positive": 1}
    return np.array([code.get(str(v).strip().lower(), 0) for v in values], dtype=np.int8)


def side_counts(stances: np.ndarray, members: np.ndarray) -> tuple[int, int]:
    """The theme's (``members``) segments going wrong and going right.

    Examples
    --------
    >>> side_counts(np.array([-1, 1, 1, 0]), np.array([True, True, True, False]))
    (1, 2)
    """
    s = np.asarray(stances)[np.asarray(members, dtype=bool)]
    return int((s < 0).sum()), int((s > 0).sum())


def stance_check(
    phrases: Sequence[Sequence[Phrase]],
    stances: np.ndarray,
    *,
    index: dict[str, frozenset[int]] | None = None,
) -> Callable[[str, np.ndarray], bool]:
    """A test ``fits(phrase, members)``: whether ``phrase`` may label the theme ``members``.

    A phrase fails when the theme is two-sided (each side has :data:`_LEAST` or more
    segments and neither has :data:`ONE_SIDED_THEME` of them) and the theme's segments
    that say the phrase's words (:data:`_MEASURED` or more with a stance) take one side in
    :data:`LEAN_SHARE` of them, at least a quarter more than the theme does. When too few
    of them have a stance to tell (emotion models call most statements of fact neutral:
    "And then the engineer didn't turn up."), a phrase that says something did not
    happen is taken to go wrong, and fails too; any other passes.

    Parameters
    ----------
    phrases : sequence of sequence of Phrase
        Every fitted segment's candidate phrases.
    stances : ndarray of int
        Every fitted segment's stance (:func:`stance_codes`).
    index : dict, optional
        :func:`~insights.themes._widen.phrase_index` of ``phrases``.

    Returns
    -------
    callable
    """
    stances = np.asarray(stances)
    index = phrase_index(phrases) if index is None else index
    lemmas_of: dict[str, str] = {}
    for doc in phrases:
        for words, lemmas in doc:
            lemmas_of.setdefault(words, lemmas)

    def topic(phrase: str) -> str:
        return topic_form(phrase, lemmas_of.get(phrase.lower(), ""))

    def fits(phrase: str, members: np.ndarray) -> bool:
        members = np.asarray(members, dtype=bool)
        neg, pos = side_counts(stances, members)
        if min(neg, pos) < _LEAST or max(neg, pos) >= ONE_SIDED_THEME * (neg + pos):
            return True
        for part in phrase.lower().split(" and "):
            lemmas = lemmas_of.get(part.strip(), part.strip())
            stems = phrase_stems(lemmas)
            if not stems:
                continue
            held = frozenset.intersection(*(index.get(s, frozenset()) for s in stems))
            said = stances[[i for i in held if members[i]]]
            k_neg, k_pos = int((said < 0).sum()), int((said > 0).sum())
            if k_neg + k_pos < _MEASURED:  # too few to measure: what did not happen went wrong
                if _NEGATIONS & set(lemmas.split()):
                    return False
                continue
            for k, base in ((k_neg, neg), (k_pos, pos)):
                share, theme_share = k / (k_neg + k_pos), base / (neg + pos)
                if share >= LEAN_SHARE and share - theme_share >= _LEAN_MARGIN:
                    return False
        return True

    fits.topic = topic  # type: ignore[attr-defined]
    return fits


def topic_form(words: str, lemmas: str) -> str:
    """What a phrase that says something did not happen is about, or ``""``.

    "engineer didn't turn up" is about the engineer turning up (both sides talk of it:
    "turned up bang on time"); a phrase with no negation has no such form.

    Examples
    --------
    >>> topic_form("engineer didn't turn up", "engineer not turn up")
    'engineer turning up'
    >>> topic_form("engineer never came", "engineer never come")
    'engineer coming'
    >>> topic_form("price went up", "price go up")
    ''
    """
    ws, ls = words.split(), lemmas.split()
    if len(ws) != len(ls):
        return ""
    at = next((i for i, m in enumerate(ls) if m in _NEGATIONS), None)
    if at is None or at == 0 or at + 1 >= len(ws) or ls[at + 1] in _NEGATIONS:
        return ""
    return " ".join([*ws[:at], gerund(ls[at + 1]), *ws[at + 2 :]])
