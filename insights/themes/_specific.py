"""A one-word theme label made specific: the 2-3 word phrase its own segments share.

A label of one word ("Demo", "Speech") names a topic but not which part of it the
theme holds. :func:`specific_phrases` finds the phrases of two or three words that
hold the label's word and that many different segments of the theme say word for
word ("demo system", "speech recognition"): in at least :data:`MIN_SHARE` of them
(and :data:`MIN_SEGMENTS`), :data:`MIN_LIFT` times more often than in the other
themes' segments, and passing every label check
(:func:`~insights.themes._checks.label_problems`: no repeated word, filler, generic
noun alone, name, other language or glued pair). :func:`specific_labels` puts the
best of them in the place of each one-word label; the benchmark's check "one-word
label where a distinctive phrase exists" is :func:`specific_phrases` being non-empty.

Examples
--------
>>> docs = [f"the demo system {w}" for w in ("crashed", "is up", "again", "froze", "ran")]
>>> docs += ["the demo was fine"] + ["the price rise at renewal"] * 6
>>> inside = np.array([True] * 6 + [False] * 6)
>>> specific_phrases("Demo", docs, inside)
[('demo system', 5, 5.0)]
>>> specific_labels({0: "Demo", 1: "Price"}, docs, np.array([0] * 6 + [1] * 6))
{0: 'Demo system', 1: 'Price rise'}
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from insights.schema import MIXED_TALK
from insights.themes._checks import JOINERS, LABEL_WORD, label_problems, lemma_stem
from insights.themes._content import FILLER_WORDS, stop_words

__all__ = ["MIN_LIFT", "MIN_SEGMENTS", "MIN_SHARE", "specific_labels", "specific_phrases"]

#: a phrase is shared by at least this share of the theme's segments ...
MIN_SHARE = 0.03
#: ... and by at least this many of them
MIN_SEGMENTS = 5
#: ... and said this many times more often (share of segments) in the theme than outside it
MIN_LIFT = 3.0
#: a transcriber's marker ("{disfmarker}", "[laughs]"): never part of a phrase
_MARKER = re.compile(r"\{[^}]*\}|\[[^\]]*\]|<[^>]*>")


def _grams(text: str, stop: frozenset[str], roots: frozenset[str] | None = None) -> dict[str, str]:
    """The 2-3 word phrases of ``text`` that may label: key (stems) to the words as said.

    A phrase starts and ends with a content word; a three-word phrase's middle word
    is a content word or a link word ("quality of data"). A marker breaks phrases.
    With ``roots`` (stems), only the phrases holding one of them.
    """
    out: dict[str, str] = {}
    text = str(text).lower()
    if roots is not None and not any(r[:4] in text for r in roots):  # stems start their words
        return out
    for piece in _MARKER.split(text):
        words = LABEL_WORD.findall(piece)
        ok = [len(w) > 1 and w not in stop and "'" not in w and "’" not in w for w in words]
        for n in (2, 3):
            for i in range(len(words) - n + 1):
                if not (ok[i] and ok[i + n - 1]):
                    continue
                if n == 3 and not (ok[i + 1] or words[i + 1] in JOINERS):
                    continue
                gram = words[i : i + n]
                stems = [_stem(w) for w in gram]
                if roots is None or roots.intersection(stems):
                    out.setdefault(" ".join(stems), " ".join(gram))
    return out


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return lemma_stem(word)


class _Index:
    """Each segment's phrases (by key) and their surface forms, counted once per segment."""

    def __init__(self, docs: Sequence[str], labels: Iterable[str] | None = None) -> None:
        """``labels``: index only the phrases holding a word of one of them (all: ``None``)."""
        stop = stop_words() | FILLER_WORDS | JOINERS
        roots = None
        if labels is not None:
            roots = frozenset(lemma_stem(w.lower()) for x in labels for w in LABEL_WORD.findall(x))
        self.keys: list[set[str]] = []
        self.surface: dict[str, Counter] = {}
        self.df: Counter = Counter()
        for d in docs:
            grams = _grams(d, stop, roots)
            self.keys.append(set(grams))
            self.df.update(grams.keys())
            for k, w in grams.items():
                self.surface.setdefault(k, Counter())[w] += 1

    def phrases(
        self,
        label: str,
        members: np.ndarray,
        names: Iterable[str] = (),
        texts: Sequence[str] | None = None,
    ) -> list[tuple[str, int, float]]:
        words = [w.lower() for w in LABEL_WORD.findall(label)]
        if len(words) != 1 or label.startswith(MIXED_TALK):
            return []
        root = lemma_stem(words[0])
        idx = np.flatnonzero(members)
        n_in, n_out = len(idx), max(1, len(members) - len(idx))
        least = max(MIN_SEGMENTS, math.ceil(MIN_SHARE * n_in))
        inside: Counter = Counter()
        for i in idx:
            inside.update(k for k in self.keys[i] if root in k.split())
        names = {n.lower() for n in names}
        found = []
        for key, k in inside.items():
            if k < least:
                continue
            lift = (k / n_in) / max((self.df[key] - k) / n_out, 1 / n_out)
            if lift < MIN_LIFT:
                continue
            said = self.surface[key].most_common(1)[0][0]
            if label_problems(said, names, texts=texts):
                continue
            found.append((said, k, round(lift, 1)))
        found.sort(key=lambda p: (-p[1], -p[2], p[0]))
        return found


def specific_phrases(
    label: str,
    docs: Sequence[str],
    members: np.ndarray,
    *,
    names: Iterable[str] = (),
) -> list[tuple[str, int, float]]:
    """The distinctive 2-3 word phrases that could replace a one-word label, best first.

    Parameters
    ----------
    label : str
        The theme's label; any label but one word (or "Mixed talk") has none.
    docs : sequence of str
        Every fitted segment's text.
    members : ndarray of bool
        The theme's segments among ``docs``.
    names : iterable of str
        People's names (lower case): never in a phrase.

    Returns
    -------
    list of (str, int, float)
        ``(phrase as said, segments of the theme saying it, lift)``, most segments first.
    """
    members = np.asarray(members, dtype=bool)
    texts = [str(docs[i]) for i in np.flatnonzero(members)]
    return _Index(docs, [label]).phrases(label, members, names, texts)


def specific_labels(
    labels: dict[int, str],
    docs: Sequence[str],
    theme_of_doc: np.ndarray,
    *,
    names: Iterable[str] = (),
    keep: Iterable[int] = (),
    taken: Iterable[str] = (),
    fits: Callable[[str, np.ndarray], bool] | None = None,
) -> dict[int, str]:
    """The labels with each one-word label replaced by its best :func:`specific_phrases`.

    A phrase another theme's label already is (case aside, ``taken`` or another of
    ``labels``) is not used; themes in ``keep`` (a codebook code's name) keep theirs;
    with ``fits`` (:func:`~insights.themes._stance.stance_check`), a phrase that is one
    side of a two-sided theme is not used.
    """
    theme_of_doc = np.asarray(theme_of_doc)
    keep = set(keep)
    taken = [str(x) for x in taken]
    out = dict(labels)
    todo = [t for t, lab in labels.items() if t not in keep and len(LABEL_WORD.findall(lab)) == 1]
    if not todo:
        return out
    index = _Index(docs, [labels[t] for t in todo])
    names = list(names)
    for t in todo:
        members = theme_of_doc == t
        texts = [str(docs[i]) for i in np.flatnonzero(members)]
        used = {str(v).lower() for v in [*out.values(), *taken]}
        for said, _k, _lift in index.phrases(out[t], members, names, texts):
            if said not in used and (fits is None or fits(said, members)):
                out[t] = said[:1].upper() + said[1:]
                break
    return out
