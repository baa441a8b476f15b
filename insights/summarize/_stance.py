"""Stance inside a theme: the segments that tell of it going wrong, and going right.

A theme says what people talk about ("Engineer visit"); its stance says which way
it went for them. The triggers are found after the themes, so the stance table is
made where emotions and triggers are known (the triggers stage): a segment's stance is
the valence of its strongest emotion (:func:`segment_stances`), and what went wrong
or right is said in the words of the trigger spans (the causes the trigger model
found) on that side (:func:`stance_phrase`): "the engineer never turned up" against
"the engineer was brilliant", both in one theme.

Examples
--------
>>> wrong = ["the engineer never turned up", "engineer never came, no call",
...          "they cancelled the engineer twice"]
>>> right = ["the engineer was brilliant", "lovely engineer, quick job"]
>>> stance_phrase(wrong, right)
'engineer never came'
>>> stance_phrase(right, wrong)
'the engineer was brilliant'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import repeat
from typing import TYPE_CHECKING

from insights.emotions import ALIASES, NEGATIVE, POSITIVE
from insights.schema import STANCES, THEME_STANCE_COLUMNS, person_key, segment_ids
from insights.wordforms import lemma_stem, names_theme, word_stems

from ._events import event_stance
from ._topics import stop_words

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "segment_stances",
    "stance",
    "stance_phrase",
    "theme_members",
    "theme_stance",
    "told_events",
    "STANCE_MIN_VALENCE",
]

#: a segment whose emotions name no side (neutral, surprise) takes the side of its
#: valence when the valence is at least this far from 0 (the emotion model's scale, -1 to 1)
STANCE_MIN_VALENCE: float = 0.5

_WORD = re.compile(r"[a-z][a-z'-]+")
_LEAD = re.compile(r"^(?:and|but|so|because|cause|that|which|then|just|well|like|um|uh)\b[\s,]*")
_STOP = frozenset(
    "the a an and or but so to of in on at for with was were is are be been it its it's "
    "i i'm i've me my we our you your they them their he she his her this that there "
    "had has have do did does not no just really very got get like one".split()
)


#: the words that name the decision drivers are tested against (leaving, staying,
#: recommending), not something that could cause it: a theme labelled only with them is
#: no driver (:func:`~insights.summarize.is_outcome_talk`), and a clause with one is the
#: last choice for what went wrong or right (:func:`stance_phrase`)
OUTCOME_TALK: frozenset[str] = frozenset(
    "leave leaving left stay staying stayed switch switching switched cancel cancelling "
    "cancelled canceled cancellation quit quitting renew renewing renewal recommend "
    "recommending recommended recommendation churn churned".split()
)


def stance(emotion: object) -> str:
    """The stance of a trigger: the valence of its emotion.

    ``negative`` for GoEmotions' negative labels (:data:`insights.emotions.NEGATIVE`,
    which hold the Ekman negative groups anger, disgust, fear and sadness),
    ``positive`` for the positive ones (joy among them); ``""`` for the ambiguous ones
    (surprise, confusion, curiosity, realization), neutral and anything unknown: they
    name no driver.

    Examples
    --------
    >>> stance("annoyance"), stance("Grateful"), stance("surprise"), stance(None)
    ('negative', 'positive', '', '')
    """
    if not isinstance(emotion, str):
        return ""
    e = emotion.strip().lower()
    e = ALIASES.get(e, e)
    return "negative" if e in NEGATIVE else "positive" if e in POSITIVE else ""


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def theme_score(clause: str, about: Sequence[str]) -> int:
    """How strongly ``clause`` names a theme: 2 per word of its label, 1 per other keyword.

    ``about`` is the theme's label then its keywords; words are one in any of their forms
    (:func:`insights.wordforms.lemma_stem`), and a keyword that is a word of talk
    (:func:`~insights.summarize._topics.stop_words`: "thing", "twenty") counts for nothing.

    Examples
    --------
    >>> theme_score("the coaches are lovely", ["Staff and coaching", "staff"])
    2
    >>> theme_score("the coaches are lovely", ["Weights", "coaches", "bench"])
    1
    """
    about = [a for a in about if isinstance(a, str)]
    if not about:
        return 0
    said = word_stems(clause)
    label = said & word_stems(about[:1])
    return 2 * len(label) + len((said - label - _talk_stems()) & word_stems(about[1:]))


def names_own_theme(
    clause: str, about: Sequence[str], rivals: Iterable[Sequence[str]] = ()
) -> bool:
    """Whether ``clause`` is about the theme whose label and keywords are ``about``.

    It names a word of the label (``about[0]``; :func:`insights.wordforms.names_theme`,
    in any form: "bill" for "Billing errors"), or, by keywords alone, names the theme
    more strongly than any other (``rivals``, each its label and keywords;
    :func:`theme_score`: a label's word counts twice a keyword's). A keyword is weaker
    than a label: "the coaches are lovely" is about "Staff and coaching", not about
    "Weights" whose keywords hold "coaches", and "the wifi check thing is great" is as
    much about the hub (keyword "wifi") as about billing (keyword "check"), so it stands
    for neither.

    Examples
    --------
    >>> names_own_theme("the bill came late", ["Billing errors", "check"])
    True
    >>> names_own_theme("the wifi check thing is great", ["Billing errors", "check"],
    ...                 [["Kestrel hub", "wifi", "router"]])
    False
    >>> names_own_theme("the coaches are lovely", ["Weights", "coaches"],
    ...                 [["Staff and coaching", "staff"]])
    False
    >>> names_own_theme("the coaches are lovely", ["Weights", "coaches"], [["Classes"]])
    True
    """
    about = [a for a in about if isinstance(a, str)]
    if about and names_theme(clause, about[:1]):
        return True
    own = theme_score(clause, about)
    return own > 0 and all(theme_score(clause, r) < own for r in rivals)


@lru_cache(maxsize=1)
def _talk_stems() -> frozenset[str]:
    """The stems of the words of talk (:func:`~insights.summarize._topics.stop_words`)."""
    return frozenset(lemma_stem(w) for w in stop_words())


def _clauses(text: str, max_words: int) -> list[str]:
    """The clauses of ``text`` (split at sentence ends, commas, dashes) of 3 to ``max_words``."""
    # sounds ("[laughs]") and quotation marks go; an apostrophe inside a word stays
    # ("you’re", "I’ve": ’ is both)
    text = re.sub(r"\[[^\]]*\]|[\"“”]|(?<![^\W\d_])[‘’']|[‘’'](?![^\W\d_])", " ", text)
    out = []
    for part in re.split(r"[.!?;:,()\u2013\u2014]+|\s-\s", text):
        part = " ".join(_LEAD.sub("", part.strip()).split())
        if 3 <= len(part.split()) <= max_words:
            out.append(part)
    return out


def stance_phrase(
    texts: Iterable[str],
    others: Iterable[str] = (),
    *,
    about: Iterable[str] = (),
    side: str = "",
    max_words: int = 10,
    people: Iterable[object] | None = None,
    strict: bool = False,
    rivals: Iterable[Sequence[str]] = (),
) -> str:
    """The clause of ``texts`` that best says what they share and ``others`` do not.

    Each clause (3 to ``max_words`` words, sounds like "[laughs]" left out) scores, for
    each of its content words, the share of the other ``texts`` that have it less the
    share of ``others`` that do (so words both sides use count for nothing). When some
    clause is about the theme (:func:`names_own_theme`: a word of the label of
    ``about``, in any form, "bill" for "Billing errors"; or a keyword of it that names no
    other theme of ``rivals``), only those compete, so the phrase says what went wrong
    *with the theme*; a clause that speaks of the decision (a word of
    :data:`OUTCOME_TALK`: "I wouldn't have left them over the price alone") competes
    only when no other does, since a reason to leave is what it says, not the leaving.
    Among those, with ``side``, a clause whose own words tell of that side
    (:func:`~insights.summarize.event_stance`: "nobody mentioned it was about to go up"
    tells of something going wrong, "I'm four months into my contract" of nothing) comes
    first; one that tells of the other side ("then the price went up", said of the price
    going right) only when no other clause is left. The best clause, in its own words,
    is the phrase (the first on a tie); ``""`` when there is none.

    With ``people`` (who said each of ``texts``), words are counted by the people who
    use them rather than by texts (one talkative person's repeats count once; a word
    stands for its other forms, :func:`insights.wordforms.lemma_stem`: "coach" for
    "coaches"), and a
    clause with a content word (not one of :func:`~insights.summarize._topics.stop_words`)
    two or more of them use ("the coach showed me", "the coaches are lovely"; not
    "wouldn't") comes before one without, after naming the theme: what several people say
    in the same word is the driver, not one person's aside. With ``strict``, a phrase
    that is not about the theme is ``""`` (the caller says the stance in words instead):
    "he was great when he arrived" is no phrase for billing, nor "the wifi check thing is
    great", whose only word of billing ("check") is a keyword and "wifi" another theme's.

    Parameters
    ----------
    texts : iterable of str
        One side of a theme: trigger spans or segments that tell of it going wrong
        (or right).
    others : iterable of str
        The other side.
    about : iterable of str
        The theme's words (label, keywords).
    side : {"", "negative", "positive"}
        The stance ``texts`` take.
    max_words : int
    people : iterable, optional
        The speaker of each of ``texts`` (same order).
    strict : bool
        ``""`` rather than a clause that is not about the theme.
    rivals : iterable of sequences of str
        The other themes' words (label, keywords): a clause that names one of them is
        about the theme only through its label.

    Examples
    --------
    >>> spans = ["the coaches are lovely", "the coach showed me the seat",
    ...          "the trainer was so nice about it", "she runs the class on Saturday"]
    >>> stance_phrase(spans, about=["Weights"], people=["A", "B", "C", "A"])
    'the coaches are lovely'
    >>> stance_phrase(["he was great when he arrived", "I laughed out loud"],
    ...               about=["Billing errors", "bill"], people=["A", "B"], strict=True)
    ''
    """
    pairs = [
        (t, p)
        for t, p in zip(texts, people if people is not None else repeat(None), strict=False)
        if isinstance(t, str)
    ]
    texts = [t for t, _ in pairs]
    others = [t for t in others if isinstance(t, str)]
    about = [a for a in about if isinstance(a, str)]
    rivals = [list(r) for r in rivals]
    docs = [_words(t) for t in texts]
    if people is None:
        df = Counter(w for d in docs for w in d)
        n_same = max(1, len(docs) - 1)
    else:  # words counted by the people who use them, a word's stem standing for it
        said: dict[str, set[object]] = {}
        for d, (_, who) in zip(docs, pairs, strict=True):
            for w in d:
                said.setdefault(lemma_stem(w), set()).add(who)
        df = Counter({w: len(said[lemma_stem(w)]) for d in docs for w in d})
        n_same = max(1, len({who for _, who in pairs}) - 1)
    other_df = Counter(w for t in others for w in _words(t))
    n_other = max(1, len(others))
    talk = stop_words() if people is not None else frozenset()  # shared: a content word
    scored = []
    for text in texts:
        for clause in _clauses(text, max_words):
            ws = _words(clause)
            if not ws:
                continue
            # share of the side's other texts with each word, less the other side's share
            score = sum((df[w] - 1) / n_same - other_df[w] / n_other for w in ws)
            reason = not ws & OUTCOME_TALK
            told = event_stance(clause) if side else ""
            tells = 1 if told == side else -1 if told else 0  # its side, none, the other
            shared = people is not None and any(df[w] >= 2 for w in ws - talk)
            scored.append(
                (
                    tells >= 0,
                    names_own_theme(clause, about, rivals),
                    shared,
                    reason,
                    tells,
                    score / len(ws) ** 0.5,
                    -len(scored),
                    clause,
                )
            )
    if not scored:
        return ""
    best = max(scored)
    return "" if strict and not best[1] else best[-1]


def segment_stances(
    emotions: pd.DataFrame,
    *,
    triggers: pd.DataFrame | None = None,
    told: Mapping[str, str] | None = None,
    min_valence: float = STANCE_MIN_VALENCE,
) -> pd.DataFrame:
    """Each scored segment's stance, and the trigger span that says why.

    The stance is that of the segment's first emotion (:func:`~insights.summarize.stance`:
    negative, positive, or none for neutral and ambiguous ones), else the sign of its
    ``valence`` when at least ``min_valence`` from 0, else, with ``told`` (segment id ->
    what its text tells happened, :func:`~insights.summarize.told_stances`: "nobody came"
    is negative, said calmly or not), that. ``what`` is the cause span of the
    segment's most confident trigger of the same stance, else the segment's own text
    is used by the caller.

    Returns
    -------
    DataFrame
        ``segment_id, stance, what`` (stance ``"negative"``, ``"positive"`` or ``""``).
    """
    import pandas as pd

    emo = emotions.assign(segment_id=emotions["segment_id"].astype(str))
    first = emo.get("emotions", pd.Series("", index=emo.index)).fillna("").astype(str)
    side = first.str.split(";").str[0].map(stance)
    val = pd.to_numeric(emo.get("valence", pd.Series(0.0, index=emo.index)), errors="coerce")
    by_valence = val.fillna(0).map(
        lambda v: "positive" if v >= min_valence else "negative" if v <= -min_valence else ""
    )
    side = side.where(side != "", by_valence)
    if told is not None:
        side = side.where(side != "", emo["segment_id"].map(told).fillna(""))
    what = pd.Series("", index=emo.index)
    if triggers is not None and len(triggers) and "cause_text" in triggers.columns:
        t = triggers.assign(segment_id=triggers["segment_id"].astype(str))
        t = t.assign(_side=t["emotion"].map(stance))
        if "confidence" in t.columns:
            t = t.sort_values("confidence", ascending=False, kind="stable")
        best: dict[tuple[str, str], str] = {}
        for sid, s, c in zip(t["segment_id"], t["_side"], t["cause_text"], strict=True):
            if isinstance(c, str) and c.strip():
                best.setdefault((sid, s), c.strip())
        what = pd.Series(
            [best.get((sid, s), "") for sid, s in zip(emo["segment_id"], side, strict=True)],
            index=emo.index,
        )
    return pd.DataFrame(
        {"segment_id": emo["segment_id"].to_numpy(), "stance": side.to_numpy(), "what": what}
    ).reset_index(drop=True)


def texts_and_people(segments: pd.DataFrame | None) -> tuple[dict[str, str], dict[str, str]]:
    """``(text, who)``: each segment id's text and its person (:func:`person_key`).

    Nobody's words have no person; both are empty without ``segments``.
    """
    if segments is None:
        return {}, {}
    ids = segment_ids(segments)
    text = dict(zip(ids, segments["text"].astype(str), strict=False))
    who = {s: p for s, p in zip(ids, person_key(segments), strict=False) if p is not None}
    return text, who


def theme_members(
    assignments: pd.DataFrame | None,
    themes: pd.DataFrame | None = None,
    codes: pd.DataFrame | None = None,
    triggers: pd.DataFrame | None = None,
) -> dict[str, list[str]]:
    """``segment_id`` -> the labels of the themes it belongs to.

    Through ``assignments`` (theme ids named by ``themes``' labels; ``theme <id>``
    without them), else through ``codes`` when nothing is assigned; with ``triggers``,
    an emotional segment also belongs to the themes of its cause segment ("I was
    fuming" said of "the engineer never came" is about the engineer).
    """
    out: dict[str, list[str]] = {}
    if assignments is not None and len(assignments):
        labels = {}
        if themes is not None and len(themes):
            labels = dict(
                zip(themes["theme_id"].astype(str), themes["label"].astype(str), strict=False)
            )
        for sid, tid in zip(
            assignments["segment_id"].astype(str), assignments["theme_id"].astype(str), strict=False
        ):
            if tid not in ("-1", "nan", ""):
                out.setdefault(sid, []).append(labels.get(tid, f"theme {tid}"))
    if codes is not None and len(codes) and not out:
        for sid, code in zip(
            codes["segment_id"].astype(str), codes["code"].astype(str), strict=False
        ):
            out.setdefault(sid, []).append(code)
    if triggers is not None and len(triggers) and "cause_segment_id" in triggers.columns:
        for sid, cid in zip(
            triggers["segment_id"].astype(str),
            triggers["cause_segment_id"].astype(str),
            strict=False,
        ):
            for th in list(out.get(cid, [])):
                if th not in out.setdefault(sid, []):
                    out[sid].append(th)
    return out


def told_events(
    emotions: pd.DataFrame,
    told: Mapping[str, str],
    *,
    assignments: pd.DataFrame | None = None,
    themes: pd.DataFrame | None = None,
    codes: pd.DataFrame | None = None,
    segments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The calm accounts: segments whose feelings name no side but whose words tell of one.

    "The engineer never turned up" said flatly has no emotion (the emotion model is right)
    but tells of the engineer going wrong. Rows are the segments whose
    :func:`segment_stances` stance comes from ``told`` (segment id -> ``negative`` /
    ``positive``, :func:`~insights.summarize.told_stances`) alone, once per theme they
    belong to (:func:`theme_members`: ``assignments`` named by ``themes``, else
    ``codes``); ``cause_text`` is the segment's own text (from ``segments``), the account
    being its own cause. :func:`~insights.summarize.drivers` counts them beside the
    triggers.

    Returns
    -------
    DataFrame
        ``segment_id, theme, stance, cause_text``.

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.DataFrame({"segment_id": ["s1", "s2", "s3"],
    ...                   "emotions": ["neutral", "anger", "neutral"], "valence": 0.0})
    >>> a = pd.DataFrame({"segment_id": ["s1", "s2", "s3"], "theme_id": [0, 0, 0]})
    >>> th = pd.DataFrame({"theme_id": [0], "label": ["Engineer visit"]})
    >>> told_events(e, {"s1": "negative", "s2": "negative"}, assignments=a, themes=th)[
    ...     ["segment_id", "theme", "stance"]].values.tolist()
    [['s1', 'Engineer visit', 'negative']]
    """
    import pandas as pd

    cols = ["segment_id", "theme", "stance", "cause_text"]
    felt = segment_stances(emotions)
    calm = felt.loc[felt["stance"] == "", "segment_id"]
    member = theme_members(assignments, themes, codes=codes)
    text, _ = texts_and_people(segments)
    rows = [
        (sid, th, told[sid], text.get(sid, ""))
        for sid in calm
        if told.get(sid) in ("negative", "positive")
        for th in member.get(sid, [])
    ]
    return pd.DataFrame(rows, columns=cols)


def theme_stance(
    assignments: pd.DataFrame,
    emotions: pd.DataFrame,
    *,
    triggers: pd.DataFrame | None = None,
    themes: pd.DataFrame | None = None,
    segments: pd.DataFrame | None = None,
    told: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Per theme, how many of its segments tell of it going wrong, going right, or neither.

    A segment's stance is :func:`segment_stances`' (its first emotion's valence, else
    its ``valence`` score when at least :data:`STANCE_MIN_VALENCE` from 0);
    ``neutral`` holds the rest (neutral, ambiguous emotions, weak valence). A segment
    belongs to its theme and, through ``triggers``, to its cause segment's theme
    (:func:`theme_members`). ``what`` says in the theme's own words what went wrong
    (or right): :func:`stance_phrase` of that side's trigger spans (else texts) against
    the other side's. Only segments with an emotions row count.

    Parameters
    ----------
    assignments : DataFrame
        ``segment_id, theme_id`` (the themes stage's assignments).
    emotions : DataFrame
        ``segment_id, emotions, valence, intensity`` (the emotions stage's table).
    triggers : DataFrame, optional
        ``segment_id, emotion, cause_segment_id, cause_text, confidence``.
    themes : DataFrame, optional
        ``theme_id, label, keywords``: names the themes and says what they are about.
    segments : DataFrame, optional
        For the people behind each count (:func:`insights.schema.person_key`) and the
        texts of segments without a trigger span.
    told : mapping, optional
        Segment id -> what its words tell happened
        (:func:`~insights.summarize.told_stances`): the side of a segment whose feelings
        name none (:func:`segment_stances`).

    Returns
    -------
    DataFrame
        Columns :data:`insights.schema.THEME_STANCE_COLUMNS`, one row per theme and
        stance (:data:`insights.schema.STANCES`, every stance of every theme with a scored
        segment, counts 0 included); ``share`` is of the theme's scored segments,
        ``quotes`` every segment id behind the count, most intense first.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"segment_id": ["s1", "s2", "s3"], "theme_id": [0, 0, 0]})
    >>> e = pd.DataFrame({"segment_id": ["s1", "s2", "s3"],
    ...                   "emotions": ["annoyance", "joy", "neutral"],
    ...                   "valence": [-0.8, 0.9, 0.1], "intensity": [0.7, 0.6, 0.1]})
    >>> t = theme_stance(a, e)
    >>> t[["theme", "stance", "n_segments", "quotes"]].values.tolist()
    [['theme 0', 'negative', 1, 's1'], ['theme 0', 'positive', 1, 's2'], \
['theme 0', 'neutral', 1, 's3']]
    """
    import pandas as pd

    member = theme_members(assignments, themes, triggers=triggers)
    ids: dict[str, int] = {}
    keywords: dict[str, list[str]] = {}
    if themes is not None and {"theme_id", "label"} <= set(themes.columns):
        kws = themes["keywords"] if "keywords" in themes.columns else [""] * len(themes)
        for tid, lab, kw in zip(themes["theme_id"], themes["label"].astype(str), kws, strict=True):
            ids.setdefault(lab, int(tid))
            keywords[lab] = [k for k in str(kw).split("; ") if k and k != "nan"]
    for tid in assignments["theme_id"].astype(str).unique():
        if tid not in ("-1", "nan", ""):
            ids.setdefault(f"theme {tid}", int(float(tid)))
    text, who = texts_and_people(segments)
    st = segment_stances(emotions, triggers=triggers, told=told)
    emo = emotions.assign(segment_id=emotions["segment_id"].astype(str))
    inten = pd.to_numeric(emo.get("intensity", pd.Series(0.0, index=emo.index)), errors="coerce")
    strength = dict(zip(emo["segment_id"], inten.fillna(0.0), strict=True))
    said = dict(zip(st["segment_id"], st["what"], strict=True))
    sides: dict[str, dict[str, list[str]]] = {}
    for sid, side in zip(st["segment_id"], st["stance"], strict=True):
        for th in member.get(sid, []):
            sides.setdefault(th, {s: [] for s in STANCES})[side or "neutral"].append(sid)
    rows = []
    for th, by in sides.items():
        total = sum(len(v) for v in by.values())
        words = {s: [said.get(x) or text.get(x, "") for x in by[s]] for s in STANCES}
        for side in STANCES:
            seg = sorted(dict.fromkeys(by[side]), key=lambda x: -strength.get(x, 0.0))
            other = {"negative": "positive", "positive": "negative"}.get(side)
            what = (
                stance_phrase(
                    words[side], words[other], about=[th, *keywords.get(th, [])], side=side
                )
                if other and seg
                else ""
            )
            rows.append(
                (
                    ids.get(th, -1),
                    th,
                    side,
                    len(seg),
                    len({who[x] for x in seg if x in who}),
                    round(len(seg) / total, 3) if total else 0.0,
                    what,
                    ";".join(seg),
                )
            )
    out = pd.DataFrame(rows, columns=list(THEME_STANCE_COLUMNS))
    order = {s: i for i, s in enumerate(STANCES)}
    return (
        out.assign(_o=out["stance"].map(order))
        .sort_values(["theme_id", "_o"], kind="stable")
        .drop(columns="_o")
        .reset_index(drop=True)
    )
