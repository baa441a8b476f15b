"""The phrase that says what one side of a theme shares and the other side does not.

A theme says what people talk about ("Engineer visit"); its two stances say which
way it went. :func:`side_phrase` makes the stance's phrase with the machinery that
makes theme labels (:func:`~insights.themes._labels.phrase_labels`): the texts of
one side are a theme, the other side's are the rest of the study, and the label of
that theme is the phrase ("Engineer didn't turn up" against "Engineer was
brilliant" needs both sides' texts).

Examples
--------
>>> wrong = ["the engineer never turned up", "the engineer didn't turn up again",
...          "engineer never turned up, no call"]
>>> right = ["the engineer was brilliant", "lovely engineer, quick job"]
>>> side_phrase(wrong, right)                                   # doctest: +SKIP
'Engineer never turned up'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from insights.schema import THEME_SIDES_COLUMNS, person_key, segment_ids
from insights.themes._checks import label_problems, usable_words
from insights.themes._content import ContentWords
from insights.themes._fitting import speaker_words
from insights.themes._widen import phrase_stems, stem

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "GRIEVANCES",
    "SIDES",
    "SIDE_MIN_PEOPLE",
    "SIDE_MIN_SEGMENTS",
    "side_phrase",
    "side_whats",
    "theme_sides",
]

#: the two sides of a theme, as drivers' ``stance`` says them: going wrong, going right
SIDES: tuple[str, str] = ("negative", "positive")
#: the least segments, and people, that take a side for it to be a row of :func:`theme_sides`
SIDE_MIN_SEGMENTS, SIDE_MIN_PEOPLE = 3, 2
#: the feelings of something having gone wrong for the speaker: a segment is on the
#: going-wrong side only when its first emotion is one of them. Disapproval ("I don't
#: think that's right"), remorse ("sorry"), fear and nervousness (what may happen) and
#: embarrassment are judgement, apology or worry: on the MLSS dev interviews (no
#: customers) they are 56 of the 116 negative segments (sample study: 64 of 210), and
#: with them technical talk had a going-wrong side in 14 of 21 themes
GRIEVANCES = frozenset({"anger", "annoyance", "disappointment", "disgust", "sadness", "grief"})
#: the most words of a side's phrase (a theme label's 3-6)
_MAX_WORDS = 6
_WORD = re.compile(r"[a-z]+")
_GLUE = frozenset({"and", "or", "the", "a", "of", "to", "mixed", "talk"})


def side_phrase(
    texts: Sequence[str],
    others: Sequence[str] = (),
    *,
    about: Iterable[str] = (),
    nlp: Any = None,
    names: Iterable[str] = (),
    cache: str | Path | None = None,
) -> str:
    """The phrase of ``texts`` that says what they share and ``others`` do not, or ``""``.

    The candidates are the label phrases of ``texts`` (:mod:`insights.themes._phrases`:
    noun phrases and what happened to them, "engineer never turned up") said in at
    least two of them, with no name, no filler-only phrase and no repeated word. Each
    scores the share of ``texts`` that say it (by lemma: "turned up" = "turn up") less
    the share of ``others`` that do, times ``1 + (words - 1) / 4`` (an event says more
    than its noun); a phrase with a word of ``about`` (the theme's label and keywords)
    beats one without, so the phrase says what went wrong *with the theme*.

    Parameters
    ----------
    texts : sequence of str
        One side's segments (or trigger spans), e.g. a theme's negative ones.
    others : sequence of str
        The other side's (the theme's positive ones); may be empty.
    about : iterable of str
        The theme's label and keywords.
    nlp : spaCy pipeline or callable, optional
        A tagger pipeline, or a function that loads one (default
        :func:`insights.nlp.load_spacy` without the parser, as the themes use it).
    names : iterable of str
        People's names (lower case): never in the phrase.
    cache : path, optional
        A folder where each text's analysis is kept (the themes' content cache:
        ``output/.cache/content`` in ``insights run``; text seen by the themes
        stage is not parsed again only when the same pipeline is used).

    Returns
    -------
    str
        Capitalised, as a theme label is, at most six words; ``""`` when no phrase is
        said twice.
    """
    texts, others = [str(t) for t in texts], [str(t) for t in others]
    if len(texts) < 2:
        return ""
    if nlp is None:
        from insights.nlp import DEFAULT_SPACY_MODEL, load_spacy, pipeline_key

        def nlp() -> Any:
            return load_spacy(exclude=("parser",))

        key = pipeline_key(DEFAULT_SPACY_MODEL)
    else:
        key = ""
    content = ContentWords(texts + others, nlp, cache=cache if key else None, model_key=key)
    names = {n.lower() for n in names}
    theme = {stem(w) for a in about for w in _WORD.findall(str(a).lower())} - _GLUE
    said: dict[str, set[int]] = {}
    words_of: dict[str, Counter[str]] = {}
    for i, doc in enumerate(content.phrases):
        for words, lemmas in doc:
            ws, ls = words.split(), lemmas.split()
            if (
                len(ws) > _MAX_WORDS
                or not usable_words(ws, ls, names)
                or label_problems(words, names)
            ):
                continue
            said.setdefault(lemmas, set()).add(i)
            words_of.setdefault(lemmas, Counter())[words] += 1
    n, m = len(texts), max(1, len(others))
    best: tuple[bool, float, int, str] | None = None
    for lemmas, docs in said.items():
        k = sum(1 for i in docs if i < n)
        if k < 2:
            continue
        share = k / n - (len(docs) - k) / m
        if share <= 0:
            continue
        n_words = len(lemmas.split())
        named = bool({stem(w) for w in lemmas.split()} & theme)
        cand = (named, share * (1 + (n_words - 1) / 4), -n_words, lemmas)
        if best is None or cand > best:
            best = cand
    if best is None:
        return ""
    key = best[3]
    # widened to the event the side says around it ("engineer" -> "engineer never turned
    # up"), the most said first, when the other side says it less
    core = phrase_stems(key)
    wider = [
        (k, len(lemmas.split()), lemmas)
        for lemmas, docs in said.items()
        if len(lemmas.split()) > len(key.split()) and core <= phrase_stems(lemmas)
        for k in [sum(1 for i in docs if i < n)]
        if k / n > (len(docs) - k) / m
    ]
    if wider:
        key = max(wider)[2]
    words = words_of[key].most_common(1)[0][0]
    return words[:1].upper() + words[1:]


def theme_sides(
    assignments: pd.DataFrame,
    emotions: pd.DataFrame,
    *,
    stances: pd.DataFrame,
    members: Mapping[str, list[str]],
    themes: pd.DataFrame | None = None,
    segments: pd.DataFrame | None = None,
    nlp: Any = None,
    cache: str | Path | None = None,
) -> pd.DataFrame:
    """Each theme's two sides: what its segments say went wrong, and what went right.

    A segment's stance is :func:`insights.summarize.segment_stances`' (its first
    emotion's valence, else a strong ``valence``; neutral and ambiguous ones take no
    side), and it belongs to its theme and, through ``triggers``, to the theme of its
    cause ("I was fuming" said of "the engineer never came" is about the engineer:
    :func:`insights.summarize.theme_members`). A side is a row when at least
    :data:`SIDE_MIN_SEGMENTS` segments of :data:`SIDE_MIN_PEOPLE` people take it
    (:func:`~insights.themes._stance.side_counts`): one person's complaint is a quote,
    not a side. Its ``phrase`` is :func:`side_phrase` of the side's texts (each
    segment's trigger span of that stance, else its text) against the other side's:
    "Engineer never turned up" against "Engineer was brilliant"; ``""`` when no
    phrase is said twice on that side.

    Parameters
    ----------
    assignments : DataFrame
        ``segment_id, theme_id`` (the themes stage's assignments).
    emotions : DataFrame
        ``segment_id, emotions, valence`` (the emotions stage's table).
    themes : DataFrame, optional
        ``theme_id, label``: names the themes (``theme <id>`` without it).
    stances : DataFrame
        ``segment_id, stance, what``: each segment's stance and its trigger span
        (:func:`insights.summarize.segment_stances`).
    members : mapping
        Segment id -> the labels of its themes, through its cause's theme too
        (:func:`insights.summarize.theme_members` with the triggers).
    segments : DataFrame, optional
        For the texts, the people (:func:`insights.schema.person_key`) and their
        names, which are never in a phrase (:func:`~insights.themes._fitting.speaker_words`).
    nlp, cache
        See :func:`side_phrase`.

    Returns
    -------
    DataFrame
        Columns :data:`insights.schema.THEME_SIDES_COLUMNS`, one row per theme and
        side (``stance`` ``negative``: going wrong, ``positive``: going right, as
        drivers' ``stance`` is), sorted by theme id, the negative side first;
        ``people`` and ``segment_ids`` are ``;``-joined.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"segment_id": list("abcdef"), "participant_id": list("ABCDEF"),
    ...     "text": ["The engineer never turned up.", "Engineer never turned up, again.",
    ...              "And the engineer never turned up!", "The engineer was brilliant.",
    ...              "Honestly the engineer was brilliant.", "Our engineer was brilliant."]})
    >>> a = pd.DataFrame({"segment_id": list("abcdef"), "theme_id": 0})
    >>> e = pd.DataFrame({"segment_id": list("abcdef"),
    ...                   "emotions": ["anger"] * 3 + ["admiration"] * 3, "valence": 0.0})
    >>> th = pd.DataFrame({"theme_id": [0], "label": ["Engineer visit"]})
    >>> s = theme_sides(a, e, themes=th, segments=seg)             # doctest: +SKIP
    >>> s[["theme", "stance", "phrase", "n_people"]].values.tolist()  # doctest: +SKIP
    [['Engineer visit', 'negative', 'Engineer never turned up', 3], \
['Engineer visit', 'positive', 'Engineer was brilliant', 3]]
    >>> side_whats(s)[("Engineer visit", "negative")]              # doctest: +SKIP
    'Engineer never turned up'
    """
    import pandas as pd

    member = members
    ids: dict[str, int] = {}
    about: dict[str, list[str]] = {}
    if themes is not None and {"theme_id", "label"} <= set(themes.columns):
        kws = themes["keywords"] if "keywords" in themes.columns else [""] * len(themes)
        for tid, lab, kw in zip(themes["theme_id"], themes["label"].astype(str), kws, strict=True):
            ids.setdefault(lab, int(tid))
            about[lab] = [lab, *(k for k in str(kw).split("; ") if k and k != "nan")]
    for tid in assignments["theme_id"].astype(str).unique():
        if tid not in ("-1", "nan", ""):
            ids.setdefault(f"theme {tid}", int(float(tid)))
    text, who = {}, {}
    if segments is not None:
        sids = segment_ids(segments)
        text = dict(zip(sids, segments["text"].astype(str), strict=False))
        who = {x: p for x, p in zip(sids, person_key(segments), strict=False) if p is not None}
    names = speaker_words(segments) if segments is not None else set()
    st = stances.assign(segment_id=stances["segment_id"].astype(str))
    first = emotions["emotions"].astype(str).str.split(";").str[0].str.strip().str.lower()
    grievance = dict(zip(emotions["segment_id"].astype(str), first.isin(GRIEVANCES), strict=True))
    st = st[(st["stance"] != "negative") | st["segment_id"].map(grievance).fillna(False)]
    said = dict(zip(st["segment_id"], st["what"], strict=True))
    by: dict[str, dict[str, list[str]]] = {}
    for sid, side in zip(st["segment_id"], st["stance"], strict=True):
        if side not in SIDES:
            continue
        for th in member.get(sid, []):
            by.setdefault(th, {s: [] for s in SIDES})[side].append(sid)
    rows = []
    for th, sides in by.items():
        sides = {s: list(dict.fromkeys(v)) for s, v in sides.items()}
        words = {s: [said.get(x) or text.get(x, "") for x in v] for s, v in sides.items()}
        for side, other in zip(SIDES, SIDES[::-1], strict=True):
            seg = sides[side]
            people = sorted({who[x] for x in seg if x in who})
            if len(seg) < SIDE_MIN_SEGMENTS or len(people) < SIDE_MIN_PEOPLE:
                continue
            phrase = side_phrase(
                words[side],
                words[other],
                about=about.get(th, [th]),
                nlp=nlp,
                names=names,
                cache=cache,
            )
            rows.append(
                (ids.get(th, -1), th, side, phrase, len(seg), len(people), ";".join(people),
                 ";".join(seg))
            )  # fmt: skip
    out = pd.DataFrame(rows, columns=list(THEME_SIDES_COLUMNS))
    order = {s: i for i, s in enumerate(SIDES)}
    return (
        out.assign(_o=out["stance"].map(order))
        .sort_values(["theme_id", "_o"], kind="stable")
        .drop(columns="_o")
        .reset_index(drop=True)
    )


def side_whats(sides: pd.DataFrame | None) -> dict[tuple[str, str], str]:
    """``(theme label, stance)`` -> the side's phrase, for the sides that have one.

    What :func:`insights.summarize.drivers` can say as a driver's ``what`` (its
    ``driver`` is the theme's label, its ``stance`` the side's). Empty without a table.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"theme": ["Engineer visit", "Engineer visit", "Price"],
    ...                   "stance": ["negative", "positive", "negative"],
    ...                   "phrase": ["Engineer never turned up", "Engineer was brilliant", ""]})
    >>> side_whats(s)
    {('Engineer visit', 'negative'): 'Engineer never turned up', \
('Engineer visit', 'positive'): 'Engineer was brilliant'}
    """
    if sides is None or not len(sides):
        return {}
    return {
        (str(t), str(s)): str(p)
        for t, s, p in zip(sides["theme"], sides["stance"], sides["phrase"], strict=True)
        if isinstance(p, str) and p.strip()
    }
