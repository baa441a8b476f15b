"""A theme's best phrase, widened to the longer phrase its segments say around it.

The most distinctive phrase of a theme is often one or two words ("engineer", "live
chat"): what the theme is about, not what is said about it. :func:`widen_phrase`
looks for the longer phrases of the theme's segments that hold every content word
of it ("engineer didn't turn up", "went on the live chat"), and takes the one whose
words are together in the most of the theme's segments (in any order or form:
"engineer turned up" and "the engineer never turned up" both count for "engineer
didn't turn up"), when enough of them say it and they say it more than the other
themes do.

Examples
--------
>>> ph = [[("engineer", "engineer"), ("engineer didn't turn up", "engineer not turn up")]] * 3
>>> ph += [[("engineer", "engineer"), ("engineer turned up late", "engineer turn up late")]]
>>> ph += [[("engineer", "engineer")]] * 2 + [[("wifi", "wifi")]] * 4
>>> import numpy as np
>>> widen_phrase("engineer", ph, np.array([1] * 6 + [0] * 4) == 1)
"engineer didn't turn up"
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from insights.themes._phrases import Phrase
from insights.wordforms import stem

__all__ = ["MIN_WIDER_SHARE", "phrase_index", "phrase_stems", "stem", "widen_phrase"]

#: a wider phrase names the theme when its words are together in at least this share
#: of the theme's segments (and in at least 3 of them)
MIN_WIDER_SHARE = 0.05
#: words that are not content: joiners, determiners and negations
_NOT_CONTENT = frozenset(
    """and & of at for with on in about from to after the a an my our their your his her its
    every this that these those not never no n't""".split()
)


@lru_cache(maxsize=65536)
def phrase_stems(lemmas: str) -> frozenset[str]:
    """The content stems of a phrase's lemmas (joiners, determiners, negations left out).

    Examples
    --------
    >>> sorted(phrase_stems("engineer not turn up"))
    ['engineer', 'turn', 'up']
    """
    return frozenset(stem(w) for w in lemmas.split() if w not in _NOT_CONTENT)


def phrase_index(phrases: Sequence[Sequence[Phrase]]) -> dict[str, frozenset[int]]:
    """The segments (positions) each content stem is said in, over their candidate phrases.

    Examples
    --------
    >>> ix = phrase_index([[("price rise", "price rise"), ("bills", "bill")], [("bill", "bill")]])
    >>> {k: sorted(v) for k, v in sorted(ix.items())}
    {'bill': [0, 1], 'price': [0], 'rise': [0]}
    """
    index: dict[str, set[int]] = {}
    for i, doc in enumerate(phrases):
        for _w, m in doc:
            for s in phrase_stems(m):
                index.setdefault(s, set()).add(i)
    return {k: frozenset(v) for k, v in index.items()}


def widen_phrase(
    first: str,
    phrases: Sequence[Sequence[Phrase]],
    members: np.ndarray,
    *,
    usable: Callable[[str, str], bool] | None = None,
    index: dict[str, frozenset[int]] | None = None,
    max_words: int = 6,
    min_share: float = MIN_WIDER_SHARE,
    min_lift: float = 2.0,
) -> str:
    """The longer phrase of the theme that holds ``first``'s words, or ``""``.

    Parameters
    ----------
    first : str
        The theme's best phrase (its words as said).
    phrases : sequence of sequence of Phrase
        Every fitted segment's candidate phrases.
    members : ndarray of bool
        The theme's segments.
    usable : callable, optional
        ``usable(words, lemmas)``: whether a phrase may be a label (default: any).
    index : dict, optional
        :func:`phrase_index` of ``phrases``, when already made.
    max_words : int
    min_share, min_lift : float
        The least share of the theme's segments that hold the wider phrase's words
        together (and at least 3 of them), and how many times more often than the
        other segments.

    Returns
    -------
    str
        The wider phrase as said most often, or ``""`` when none is said enough.
    """
    members = np.asarray(members, dtype=bool)
    inside = np.flatnonzero(members)
    if not len(inside):
        return ""
    want = phrase_stems(first)
    index = phrase_index(phrases) if index is None else index
    inside_set = frozenset(inside.tolist())
    surface: dict[frozenset[str], Counter] = {}
    said_in: list[frozenset[str]] = []  # the content stems of each phrase said in the theme
    for i in inside:
        for words, lemmas in phrases[i]:
            stems = phrase_stems(lemmas)
            said_in.append(stems)
            n = len(words.split())
            if stems > want and n <= max_words and (usable is None or usable(words, lemmas)):
                surface.setdefault(stems, Counter())[words] += 1
    best, best_key = "", (0.0, 0)
    n_in, n_out = len(inside), max(1, len(phrases) - len(inside))
    least = max(3, math.ceil(min_share * n_in))
    for stems, said in surface.items():
        # said once, in no phrase of its own or a longer one: an anecdote ("formal shift
        # in distribution" says "shift in distribution" again)
        if sum(stems <= x for x in said_in) < 2:
            continue
        held = frozenset.intersection(*(index.get(x, frozenset()) for x in stems))
        k_in = len(held & inside_set)
        if k_in < least:
            continue
        share_out = (len(held) - k_in) / n_out
        if k_in / n_in < min_lift * share_out:
            continue
        key = (k_in * (1 + 0.25 * len(stems)), sum(said.values()))
        if key > best_key:
            best, best_key = said.most_common(1)[0][0], key
    return best
