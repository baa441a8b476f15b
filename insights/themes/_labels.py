"""Theme labels a researcher would write, and the checks that a label is one.

:func:`phrase_labels` labels each theme with a noun phrase taken from its own
segments (KeyBERT-style): the candidate phrases are the runs of nouns and
adjectives spaCy tags in the theme's segments (:class:`~insights.themes._content.ContentWords`),
ranked by how distinctive they are of the theme against the other themes
(c-TF-IDF over the segments that hold them) and by how close their embedding is
to the theme's centroid. A phrase with a repeated word, only filler words
("example", "question", "people"), a person's name or a word of another language
is never a label; a phrase of one or two words is joined to the next best phrase
that shares no word with it ("Data quality and label noise"), up to six words.

:func:`label_problems` is the automated check (used by the benchmark and tests).

Examples
--------
>>> label_problems("Data data")
['repeated word']
>>> label_problems("Answer question"), label_problems("Engineer missed the appointment")
(['filler only'], [])
>>> label_problems("Le & te")
['other language', 'filler only']
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from insights.themes._content import FILLER_WORDS, FOREIGN_WORDS, Phrase, stop_words

if TYPE_CHECKING:  # pragma: no cover
    from insights.embed import Embedder

__all__ = ["MAX_LABEL_WORDS", "label_problems", "phrase_labels", "stem"]

#: the longest label, in words
MAX_LABEL_WORDS = 6
#: candidates re-ranked by their embedding's closeness to the theme's centroid
_RERANK = 12
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_JOINERS = frozenset({"and", "&", "of", "at", "for", "with", "on", "in", "about", "from", "to"})


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


def label_problems(label: str, names: Iterable[str] = ()) -> list[str]:
    """What is wrong with a theme label, by the checks a researcher would make.

    Parameters
    ----------
    label : str
    names : iterable of str
        People's names (speakers, PERSON entities), lower case.

    Returns
    -------
    list of str
        Any of ``"repeated word"``, ``"other language"``, ``"name"``, ``"filler only"``
        (only stop or filler words: "Answer question", "Let example"); empty when the
        label passes.
    """
    words = [w.lower() for w in _WORD.findall(label)]
    content = [w for w in words if w not in _JOINERS]
    problems = []
    stems = [stem(w) for w in content]
    if len(set(stems)) < len(stems):
        problems.append("repeated word")
    if any(w in FOREIGN_WORDS for w in words) or any(
        not w.isascii() for w in words if w not in {"café", "naïve"}
    ):
        problems.append("other language")
    names = {n.lower() for n in names}
    if any(w in names for w in content):
        problems.append("name")
    stop = stop_words() | FILLER_WORDS | {"let", "answer", "make", "use", "le", "te"}
    if not content or all(w in stop or stem(w) in stop for w in content):
        problems.append("filler only")
    return problems


def _usable(words: Sequence[str], lemmas: Sequence[str], names: set[str]) -> bool:
    content = [(w, m) for w, m in zip(words, lemmas, strict=True) if w not in _JOINERS]
    if not content or all(w in FILLER_WORDS or m in FILLER_WORDS for w, m in content):
        return False
    stems = [stem(m) for _w, m in content]
    if len(set(stems)) < len(stems):
        return False
    return not any(w in names or w in FOREIGN_WORDS for w, _m in content)


def phrase_labels(
    phrases: Sequence[Sequence[Phrase]],
    theme_of_doc: np.ndarray,
    vectors: np.ndarray,
    *,
    embedder: Embedder | None = None,
    names: Iterable[str] = (),
    order: Sequence[int] | None = None,
) -> dict[int, str]:
    """A noun-phrase label for each theme, from its segments' candidate phrases.

    Parameters
    ----------
    phrases : sequence of sequence of Phrase
        The candidate phrases of each fitted segment.
    theme_of_doc : ndarray of int
        Each segment's theme (-1: none).
    vectors : ndarray
        Each segment's vector (unit length), for the theme centroids.
    embedder : Embedder, optional
        Embeds the best candidates to re-rank them by closeness to the centroid;
        ``None`` ranks by distinctiveness alone.
    names : iterable of str
        People's names (lower case): never in a label.
    order : sequence of int, optional
        The themes in the order they choose (default: largest first); a label taken
        by an earlier theme is not used again.

    Returns
    -------
    dict of int to str
        Capitalised labels, for the themes that have a usable phrase in two or more
        of their segments (the others are left out: label them from keywords).

    Examples
    --------
    >>> ph = [[("price rise", "price rise"), ("rise", "rise")]] * 3 + [[("wifi", "wifi")]] * 3
    >>> phrase_labels(ph, np.array([0, 0, 0, 1, 1, 1]), np.eye(6))
    {0: 'Price rise', 1: 'Wifi'}
    """
    names = {n.lower() for n in names}
    theme_of_doc = np.asarray(theme_of_doc)
    themes = sorted(t for t in set(theme_of_doc.tolist()) if t != -1)
    if not themes:
        return {}
    surface: dict[str, Counter] = {}
    df_theme: dict[int, Counter] = {t: Counter() for t in themes}
    df_all: Counter = Counter()
    for doc, t in zip(phrases, theme_of_doc.tolist(), strict=True):
        keys = set()
        for words, lemmas in doc:
            surface.setdefault(lemmas, Counter())[words] += 1
            keys.add(lemmas)
        df_all.update(keys)
        if t != -1:
            df_theme[t].update(keys)
    sizes = {t: int((theme_of_doc == t).sum()) for t in themes}
    avg = len(theme_of_doc) / len(themes)
    if order is None:
        order = sorted(themes, key=lambda t: (-sizes[t], t))
    labels: dict[int, str] = {}
    taken: set[str] = set()
    for t in order:
        ranked = _ranked(t, df_theme[t], df_all, sizes[t], avg, surface, names)
        if not ranked:  # phrases too scattered for 3% support: any phrase said twice
            ranked = _ranked(t, df_theme[t], df_all, sizes[t], avg, surface, names, least=2)
        if not ranked:
            continue
        if embedder is not None and len(ranked) > 1:
            ranked = _rerank(ranked, vectors[theme_of_doc == t], embedder)
        label = _compose(ranked, taken)
        if label:
            taken.add(label.lower())
            labels[t] = label[:1].upper() + label[1:]
    return labels


def _ranked(
    t: int,
    df_t: Counter,
    df_all: Counter,
    size: int,
    avg: float,
    surface: dict[str, Counter],
    names: set[str],
    least: int | None = None,
) -> list[tuple[str, float, float]]:
    """The theme's usable phrases (surface text) with their c-TF-IDF score (twice), best first.

    The second score is the ranking one (re-ranked later), the third stays c-TF-IDF.
    """
    if least is None:
        least = max(2, math.ceil(0.03 * size))
    long_least = max(least, 3, math.ceil(0.05 * size) if least > 2 else 3)
    scored = []
    for lemmas, k in df_t.items():
        if k < least:
            continue
        words = surface[lemmas].most_common(1)[0][0]
        w, m = words.split(), lemmas.split()
        if len(w) != len(m) or not _usable(w, m, names):
            continue
        n_content = sum(x not in _JOINERS for x in w)
        if (n_content >= 3 or n_content < len(w)) and k < long_least:
            continue
        score = (k / size) * math.log(1 + avg / df_all[lemmas]) * (1 + 0.5 * (n_content - 1))
        scored.append((words, score, score))
    scored.sort(key=lambda p: (-p[1], p[0]))
    return scored[: _RERANK * 2]


def _rerank(
    ranked: list[tuple[str, float, float]], members: np.ndarray, embedder: Embedder
) -> list[tuple[str, float, float]]:
    """KeyBERT-style: half distinctiveness, half cosine of the phrase to the centroid."""
    top = ranked[:_RERANK]
    cent = members.mean(axis=0)
    cent = cent / (np.linalg.norm(cent) or 1.0)
    vec = np.asarray(embedder.encode([p for p, _s, _r in top]), dtype=np.float32)
    vec = vec / np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-9)
    cos = np.clip(vec @ cent, 0, None)
    best = max(s for _p, s, _r in top) or 1.0
    cmax = float(cos.max()) or 1.0
    mixed = [
        (p, 0.5 * s / best + 0.5 * float(c) / cmax, r)
        for (p, s, r), c in zip(top, cos, strict=True)
    ]
    mixed.sort(key=lambda p: (-p[1], p[0]))
    return mixed + ranked[_RERANK:]


def _overlap(a: str, b: str) -> bool:
    """Whether two phrases share a word (by stem, or by a common start: "drop", "dropouts")."""
    sa = {stem(w) for w in a.split() if w not in _JOINERS}
    sb = {stem(w) for w in b.split() if w not in _JOINERS}
    return bool(sa & sb) or any(x[:4] == y[:4] for x in sa for y in sb if min(len(x), len(y)) >= 4)


def _compose(ranked: list[tuple[str, float, float]], taken: set[str]) -> str:
    """The label: the best phrase, with its modifier when it has one, or two phrases joined.

    The best phrase (by the ranking score) is widened to the best longer phrase that
    holds it and has at least a quarter of its c-TF-IDF ("engineer" → "engineer
    visit"); a label of one or two words is then joined to the next phrase that
    shares no word with it and scores at least 60% as well (a two-word label only to
    another phrase, never to a stray word).
    """
    free = [(p, r) for p, _s, r in ranked if p not in taken]
    if not free:
        return ""
    first, raw = free[0]
    if len(first.split()) == 1:
        wider = [
            (p, r) for p, r in free if len(p.split()) >= 2 and _overlap(p, first) and r >= raw / 4
        ]
        if wider:
            first, raw = wider[0][0], max(raw, wider[0][1])
    n = len(first.split())
    if n >= 3:
        return first
    for second, r2 in free[1:8]:
        if r2 < 0.6 * raw or n + len(second.split()) + 1 > MAX_LABEL_WORDS:
            continue
        if n == 2 and len(second.split()) == 1:  # "Price rise and letter": a stray word
            continue
        if not _overlap(first, second) and f"{first} and {second}" not in taken:
            return f"{first} and {second}"
    return first
