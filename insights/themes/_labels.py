"""Theme labels a researcher would write, and the checks that a label is one.

:func:`phrase_labels` labels each theme with a phrase taken from its own
segments (KeyBERT-style): the candidate phrases are the noun phrases and what
happened to them that spaCy tags in the theme's segments
(:mod:`~insights.themes._phrases`, :class:`~insights.themes._content.ContentWords`),
ranked by how distinctive they are of the theme against the other themes
(c-TF-IDF over the segments that hold them) and by how close their embedding is
to the theme's centroid. A phrase with a repeated word, only filler words
("example", "question", "people"), a person's name or a word of another language
is never a label; the best phrase is widened to the longer phrase its theme's
segments say around it (:func:`~insights.themes._widen.widen_phrase`: "engineer"
→ "engineer didn't turn up"); never two phrases glued, "X and Y" only as the segments
say it ("fees and charges"), a generic noun ("project", "form") only with a modifier.

:func:`~insights.themes._checks.label_problems` is the automated check of a label
(used by the labelling, the benchmark and the tests).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from insights.schema import MIXED_TALK
from insights.themes._checks import JOINERS as _JOINERS
from insights.themes._checks import LABEL_WORD as _WORD
from insights.themes._checks import label_problems, lemma_stem, names_provider, usable_words
from insights.themes._content import Phrase
from insights.themes._widen import phrase_index, stem, widen_phrase

if TYPE_CHECKING:  # pragma: no cover
    from insights.embed import Embedder

__all__ = [
    "MAX_LABEL_WORDS",
    "MIN_LABEL_COVER",
    "MIN_TOPIC_LIFT",
    "MIXED_TALK",
    "distinct_labels",
    "keyword_label",
    "label_cover",
    "phrase_labels",
    "ranked_phrases",
    "shared_labels",
    "stem",
]

#: the longest label, in words
MAX_LABEL_WORDS = 6
#: a phrase label must name something said in at least this share of the theme's
#: segments (its words in their phrases); below it the theme keeps its keyword label
MIN_LABEL_COVER = 0.1
#: a keyword names a theme when said in at least this many times more of the theme's
#: segments than of the other themes' (words said evenly all over the study, "work",
#: "talking", do not)
MIN_TOPIC_LIFT = 2.0
#: a phrase of two or more words scoring this share of the best single word's score
#: labels the theme instead ("Video calls", not "Internet")
_CLOSE = 0.9
#: candidates re-ranked by their embedding's closeness to the theme's centroid
_RERANK = 12


def ranked_phrases(
    phrases: Sequence[Sequence[Phrase]],
    theme_of_doc: np.ndarray,
    vectors: np.ndarray,
    *,
    embedder: Embedder | None = None,
    names: Iterable[str] = (),
    provider: Sequence[Sequence[str]] = (),
) -> dict[int, list[tuple[str, float, float]]]:
    """Each theme's usable candidate phrases, most distinctive first.

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
    provider : sequence of sequence of str
        The study's provider names as lower-case words: never what a label names
        (:func:`~insights.themes._checks.names_provider`), only a modifier.

    Returns
    -------
    dict of int to list of (str, float, float)
        ``(phrase, ranking score, c-TF-IDF)`` per theme that has a usable phrase in two
        or more of its segments.

    Examples
    --------
    >>> ph = [[("price rise", "price rise"), ("rise", "rise")]] * 3 + [[("wifi", "wifi")]] * 3
    >>> [p for p, _s, _r in ranked_phrases(ph, np.array([0, 0, 0, 1, 1, 1]), np.eye(6))[0]]
    ['price rise', 'rise']
    """
    usable = _Usable(names, provider)
    theme_of_doc = np.asarray(theme_of_doc)
    themes = sorted(t for t in set(theme_of_doc.tolist()) if t != -1)
    if not themes:
        return {}
    surface: dict[str, Counter] = {}
    df_theme: dict[int, Counter] = {t: Counter() for t in themes}
    df_all: Counter = Counter()
    words_theme: dict[int, Counter] = {t: Counter() for t in themes}
    words_all: Counter = Counter()
    for doc, t in zip(phrases, theme_of_doc.tolist(), strict=True):
        keys = set()
        for words, lemmas in doc:
            surface.setdefault(lemmas, Counter())[words] += 1
            keys.add(lemmas)
        lems = {w for k in keys for w in k.split() if w not in _JOINERS}
        df_all.update(keys)
        words_all.update(lems)
        if t != -1:
            df_theme[t].update(keys)
            words_theme[t].update(lems)
    sizes = {t: int((theme_of_doc == t).sum()) for t in themes}
    avg = len(theme_of_doc) / len(themes)
    lift = _Lift(words_theme, words_all, sizes, len(theme_of_doc))
    out: dict[int, list[tuple[str, float, float]]] = {}
    for t in themes:
        ranked = _ranked(t, df_theme[t], df_all, sizes[t], avg, surface, usable, lift)
        if not ranked:  # phrases too scattered for 3% support: any phrase said twice
            ranked = _ranked(t, df_theme[t], df_all, sizes[t], avg, surface, usable, lift, least=2)
        if not ranked:
            continue
        if embedder is not None and len(ranked) > 1:
            ranked = _rerank(ranked, vectors[theme_of_doc == t], embedder)
        out[t] = ranked
    return out


def phrase_labels(
    phrases: Sequence[Sequence[Phrase]],
    theme_of_doc: np.ndarray,
    vectors: np.ndarray,
    *,
    embedder: Embedder | None = None,
    names: Iterable[str] = (),
    provider: Sequence[Sequence[str]] = (),
    order: Sequence[int] | None = None,
    taken: Iterable[str] = (),
    ranked: dict[int, list[tuple[str, float, float]]] | None = None,
    min_cover: float = MIN_LABEL_COVER,
    fits: Callable[[str, np.ndarray], bool] | None = None,
) -> dict[int, str]:
    """A noun-phrase label for each theme, from its segments' candidate phrases.

    Parameters
    ----------
    phrases, theme_of_doc, vectors, embedder, names, provider
        See :func:`ranked_phrases`.
    order : sequence of int, optional
        The themes in the order they choose (default: largest first); a label taken
        by an earlier theme is not used again.
    taken : iterable of str
        Labels already held by themes that keep theirs (a codebook code's name): not
        used again.
    ranked : dict, optional
        :func:`ranked_phrases`' result, when it is already computed.
    min_cover : float
        The least share of the theme's segments whose phrases hold a word of the label
        (:func:`label_cover`).
    fits : callable, optional
        ``fits(phrase, members)``: whether a phrase may label the theme (``members``, a
        mask); a phrase or widening that does not is never used
        (:func:`~insights.themes._stance.stance_check`: not one side of a two-sided theme);
        a widening that fails is said as its topic when ``fits.topic`` gives one
        ("engineer didn't turn up" → "engineer turning up").

    Returns
    -------
    dict of int to str
        Capitalised labels, for the themes that have a usable phrase in two or more
        of their segments whose words are in at least :data:`MIN_LABEL_COVER` of
        them ("Story and trust" said in 3% of a theme of narration does not name it);
        the others are left out: label them from keywords.

    Examples
    --------
    >>> ph = [[("price rise", "price rise"), ("rise", "rise")]] * 3 + [[("wifi", "wifi")]] * 3
    >>> phrase_labels(ph, np.array([0, 0, 0, 1, 1, 1]), np.eye(6))
    {0: 'Price rise', 1: 'Wifi'}
    """
    theme_of_doc = np.asarray(theme_of_doc)
    if ranked is None:
        ranked = ranked_phrases(
            phrases, theme_of_doc, vectors, embedder=embedder, names=names, provider=provider
        )
    sizes = {t: int((theme_of_doc == t).sum()) for t in ranked}
    if order is None:
        order = sorted(ranked, key=lambda t: (-sizes[t], t))
    labels: dict[int, str] = {}
    used = {x.lower() for x in taken}
    words_ok = _Usable(names, provider)
    index = phrase_index(phrases)

    def usable(words: str, lemmas: str) -> bool:
        w, m = words.split(), lemmas.split()
        return len(w) == len(m) and words_ok(w, m)

    for t in order:
        if t not in ranked:
            continue
        members = theme_of_doc == t

        def widen(first: str, members: np.ndarray = members) -> str:
            wider = widen_phrase(first, phrases, members, usable=usable, index=index)
            if not wider or fits is None or fits(wider, members):
                return wider
            topic = getattr(fits, "topic", lambda _p: "")(wider)  # what both sides talk of
            return topic if topic and fits(topic, members) else ""

        candidates = ranked[t]
        if fits is not None:
            candidates = [c for c in candidates if fits(c[0], members)] or candidates
        label = _compose(candidates, used, widen)
        if label and label_cover(label, phrases, theme_of_doc == t) >= min_cover:
            used.add(label.lower())
            labels[t] = label[:1].upper() + label[1:]
    return labels


def label_cover(label: str, phrases: Sequence[Sequence[Phrase]], members: np.ndarray) -> float:
    """The share of a theme's segments (``members``, a mask) whose phrases hold a word of ``label``.

    A word counts in any of its forms ("image" is said in "images").

    Examples
    --------
    >>> ph = [[("price rise", "price rise")], [("wifi", "wifi")], [("prices", "price")]]
    >>> label_cover("Price rise", ph, np.array([True, True, True]))
    0.6666666666666666
    """
    words = {stem(w) for w in label.lower().split() if w not in _JOINERS}
    idx = np.flatnonzero(members)
    hits = sum(bool(words & {stem(w) for ws, _m in phrases[i] for w in ws.split()}) for i in idx)
    return hits / max(1, len(idx))


def keyword_label(
    keywords: Sequence[str],
    docs: Sequence[str],
    members: np.ndarray,
    *,
    top: int = 8,
    min_cover: float = MIN_LABEL_COVER,
    min_lift: float = MIN_TOPIC_LIFT,
    provider: Sequence[Sequence[str]] = (),
) -> str:
    """A label from the keywords that name the theme, or ``"Mixed talk: a, b, c"``.

    A keyword names the theme when it is said word for word (a keyword made by
    dropping stop words, "leave price" from "leave them over the price", is not) in
    at least ``min_cover`` of the theme's segments and ``min_lift`` times more of
    them than of the other segments (a word said evenly all over the study,
    "talking" or "work", does not). The first such keyword, in the keywords' order,
    is the label ("Leave"; never two glued, "Leave & stay"); with none, the theme is
    talk with no single topic and says so.

    Parameters
    ----------
    keywords : sequence of str
        The theme's keywords, best first.
    docs : sequence of str
        Every fitted segment's text.
    members : ndarray of bool
        The theme's segments among ``docs``.
    top : int
        Keywords looked at.
    min_cover, min_lift : float
    provider : sequence of sequence of str
        The study's provider names as lower-case words: a keyword that names the
        provider (:func:`~insights.themes._checks.names_provider`) is not used.

    Returns
    -------
    str
        Capitalised.

    Examples
    --------
    >>> docs = ["I would not leave them", "I'd stay, to be fair", "leave it", "we work",
    ...         "we work hard", "work on the price", "the price went up"]
    >>> inside = np.array([True, True, True, True, False, False, False])
    >>> keyword_label(["leave price", "work", "leave", "stay"], docs, inside)
    'Leave'
    >>> keyword_label(["work", "price"], docs, inside)
    'Mixed talk: work'
    >>> keyword_label([], docs, inside)
    'Mixed talk'
    """

    def padded_words(text: object) -> str:  # " leave them " finds "leave", not "leaves"
        return " " + " ".join(_WORD.findall(str(text).lower())) + " "

    members = np.asarray(members, dtype=bool)
    inside_raw = " ".join(str(docs[i]).lower() for i in np.flatnonzero(members))
    # a transcriber's marker ("{pause}", "[laughs]") is not what the theme is about
    keywords = [
        k
        for k in keywords
        if not re.search(rf"[{{\[(<]\s*{re.escape(k.lower())}\s*[}}\])>]", inside_raw)
    ]
    padded = [padded_words(d) for d in docs]
    inside = [padded[i] for i in np.flatnonzero(members)]
    outside = [padded[i] for i in np.flatnonzero(~members)]
    said, naming = [], []
    for k in keywords[:top]:
        key = padded_words(k)
        problems = label_problems(k) if key.strip() else ["empty"]
        if provider and names_provider(key.split(), provider):
            continue
        if set(problems) - {"filler only", "generic"}:
            continue
        cover = sum(key in d for d in inside) / max(1, len(inside))
        if cover == 0:
            continue
        said.append(k)  # a filler or generic word ("asked", "work") may say what mixed talk is
        rest = sum(key in d for d in outside) / max(1, len(outside))
        if not problems and cover >= min_cover and cover >= min_lift * rest:
            naming.append(k)
    if not naming:
        shown: list[str] = []
        for k in said:
            if len(shown) < 3 and not any(_overlap(k.lower(), x, verbs=True) for x in shown):
                shown.append(k.lower())
        return f"{MIXED_TALK}: " + ", ".join(shown) if shown else MIXED_TALK
    label = naming[0]
    return label[:1].upper() + label[1:]


def shared_labels(labels: dict[int, str]) -> dict[str, list[int]]:
    """The labels two or more themes share (case aside), with those themes.

    Examples
    --------
    >>> shared_labels({0: "Price rise", 1: "Wifi", 2: "price rise"})
    {'price rise': [0, 2]}
    """
    by: dict[str, list[int]] = {}
    for t, lab in labels.items():
        by.setdefault(str(lab).strip().lower(), []).append(t)
    return {k: v for k, v in by.items() if len(v) > 1}


def distinct_labels(
    labels: dict[int, str],
    alternatives: dict[int, Sequence[str]],
    sizes: dict[int, int],
    *,
    keep: Iterable[int] = (),
) -> dict[int, str]:
    """The labels with no two themes sharing one: the others take their next phrase.

    Of the themes that share a label, the one in ``keep`` (a codebook code's theme),
    else the largest, keeps it; each other one takes its own next most distinctive
    phrase (``alternatives``: its ranked phrases, else its keywords) that shares no
    word with the label and is not taken ("Story" → "Refund letter"). Never a number
    ("Story (2)"), never two phrases glued ("Story and refund letter").

    Parameters
    ----------
    labels : dict of int to str
    alternatives : dict of int to sequence of str
        Each theme's candidate phrases, best first.
    sizes : dict of int to int
        Each theme's segments.
    keep : iterable of int
        Themes whose labels stay as they are.

    Returns
    -------
    dict of int to str

    Examples
    --------
    >>> distinct_labels({0: "Story", 1: "Story"},
    ...                 {1: ["story", "story time", "refund letter"]}, {0: 50, 1: 20})
    {0: 'Story', 1: 'Refund letter'}
    """
    out = dict(labels)
    keep = set(keep)
    for lab, ts in shared_labels(out).items():
        ts = sorted(ts, key=lambda t: (t not in keep, -sizes.get(t, 0), t))
        for t in ts[1:]:
            if t in keep:
                continue
            used = {x.lower() for x in out.values()}
            new = ""
            for alt in alternatives.get(t, ()):
                alt = str(alt).strip().lower()
                if alt and not _overlap(alt, lab) and alt not in used:
                    new = alt
                    break
            if new:
                out[t] = new[:1].upper() + new[1:]
    return out


class _Usable:
    """Whether a phrase's words may label (:func:`usable_words`), for one study's names."""

    def __init__(self, names: Iterable[str], provider: Sequence[Sequence[str]]) -> None:
        self.names = {n.lower() for n in names}
        self.provider = [tuple(w.lower() for w in p) for p in provider]

    def __call__(self, words: Sequence[str], lemmas: Sequence[str]) -> bool:
        return usable_words(words, lemmas, self.names, self.provider)


class _Lift:
    """How many times more often a word is in a theme's segments than in all of them."""

    def __init__(
        self, words_theme: dict[int, Counter], words_all: Counter, sizes: dict[int, int], n: int
    ) -> None:
        self.words_theme, self.words_all, self.sizes, self.n = words_theme, words_all, sizes, n

    def __call__(self, t: int, lemma: str) -> float:
        inside = self.words_theme[t][lemma] / max(1, self.sizes[t])
        return inside / max(1e-9, self.words_all[lemma] / max(1, self.n))


def _ranked(
    t: int,
    df_t: Counter,
    df_all: Counter,
    size: int,
    avg: float,
    surface: dict[str, Counter],
    usable: _Usable,
    lift: _Lift,
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
        if len(w) != len(m) or not usable(w, m):
            continue
        n_content = sum(x not in _JOINERS for x in w)
        if (n_content >= 3 or n_content < len(w)) and k < long_least:
            continue
        if n_content == 2 and k < max(least, 3):  # a modifier said twice is an anecdote
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


def _overlap(a: str, b: str, *, verbs: bool = False) -> bool:
    """Whether two phrases share a word (by stem, or by a common start: "drop", "dropouts").

    With ``verbs``, a verb's -ed and -ing forms are its stem too ("asked", "ask").
    """
    root = lemma_stem if verbs else stem
    sa = {root(w) for w in a.split() if w not in _JOINERS}
    sb = {root(w) for w in b.split() if w not in _JOINERS}
    return bool(sa & sb) or any(x[:4] == y[:4] for x in sa for y in sb if min(len(x), len(y)) >= 4)


def _compose(
    ranked: list[tuple[str, float, float]],
    taken: set[str],
    widen: Callable[[str], str] | None = None,
) -> str:
    """The label: one head phrase, the best, with its modifier when it has one.

    A phrase of two or more words among the next two that scores at least 90% as well
    as the best single word is taken instead. The best phrase is widened to the best
    longer phrase that holds it and has at least a quarter of its c-TF-IDF ("engineer"
    → "engineer visit"), then, by ``widen`` (:func:`~insights.themes._widen.widen_phrase`), to
    the longer phrase the theme's segments say around it ("engineer didn't turn
    up"), the one that holds most of the best three phrases. Two phrases are never
    glued ("Kestrel hub and copper line" named two things): a label says "X and Y"
    only when the segments do (a candidate phrase of its own, "fees and charges").
    """
    free = [(p, s, r) for p, s, r in ranked if p not in taken]
    if not free:
        return ""
    first, top, raw = free[0]
    if len(first.split()) == 1:  # a phrase with its modifier, when it ranks about as well
        close = [c for c in free[1:3] if len(c[0].split()) >= 2 and c[1] >= _CLOSE * top]
        if close:
            first, top, raw = close[0]
    if len(first.split()) == 1:
        wider = [
            (p, r)
            for p, _s, r in free
            if len(p.split()) >= 2 and _overlap(p, first) and r >= raw / 4
        ]
        if wider:
            first, raw = wider[0][0], max(raw, wider[0][1])
    if widen is not None and len(first.split()) < 3:
        # the phrase said around the best phrases, the one that holds most of them
        near = [first] + [p for p, s, r in free[1:3] if s >= 0.6 * top or r >= 0.6 * raw]
        wider = [w for w in (widen(p) for p in near) if w and w not in taken]
        if wider:
            first = max(wider, key=lambda w: sum(_overlap(w, p) for p in near))
    return first
