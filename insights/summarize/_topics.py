"""What a need said in words is about, when a theme holds several things.

A theme groups what people talk about ("Access and entry": the gate, the lockers); the
need people state in words ("you just assume they lock", "you only think about it when
it goes wrong") is often about one thing inside it. :func:`stated_topics` finds the thing
two or more people who state the same kind of need name: a word they share, rare in the
study, in the sentence they say it in or the one just before ("Oh, the progress email." —
"I didn't even know they did it."), and the theme the study's mentions of that word
belong to. :func:`~insights.summarize.baseline_delight` names the need by it.

Examples
--------
>>> topic_words("You don't think about lockers, do you, you just assume they lock.")
['lockers', 'lock']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from insights.schema import MIXED_TALK, analysed_rows, person_key, segment_ids

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: a noun names a need's topic only when at most this share of the study's analysed
#: segments use it (by its stem: :func:`_stem`): "sauna", "locker", "summary" are things
#: a few people speak of, "people", "time" what everyone says. Chosen on the sample and
#: Ridgeway studies (both ours, so no held-out figure): at 0.015 "lock" (14 of 779
#: Ridgeway segments) was too common; at 0.03 both find all four planted needs.
TOPIC_MAX_SHARE: float = 0.03

_WORD = re.compile(r"[a-z][a-z'-]+")

#: words of talk rather than things that the themes' stop words
#: (:func:`insights.themes.stop_words`, :data:`insights.themes.FILLER_WORDS`)
#: do not hold: contractions as people write them, and talk of how things went
_TALK = frozenset(
    "better comes coming definitely didn't doesn't doing don't fine gone great hadn't "
    "happened happens he's here's how's i'd i'll i'm i've isn't it's let's little look "
    "make nice obviously she's that's there's they'd they've thought took totally wasn't "
    "we're we've what's where's who's wouldn't you'd you're you've".split()
)

#: the words people state a need with (Kano's words: :func:`~insights.summarize.expectation_cue`),
#: which say that it is expected or beyond it, not what it is about
_NEED_WORDS = frozenset(
    "notice noticed notices noticing think thinks thought assume assumed assumes expect "
    "expected expecting expects unexpected unexpectedly surprise surprised surprising "
    "pleasantly unprompted unasked asking asked granted minimum basic basics given "
    "works working worked work stops stopped stop breaks broke fails failed wrong goes "
    "exists existed believe included mile beyond treat touch touches boring invisible "
    "correct reliable remember miss mention credit points selling extra cheer praises "
    "thanks thank stakes bare least".split()
)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Words that name no thing: the themes' stop and filler words, talk, a need's words."""
    from insights.themes import FILLER_WORDS
    from insights.themes import stop_words as theme_stop_words

    return theme_stop_words() | FILLER_WORDS | _TALK | _NEED_WORDS


def topic_words(text: object, stop: frozenset[str] | None = None) -> list[str]:
    """The words of ``text`` that could name a thing, in their order, each once.

    Four letters or more, no stop word, no word of talk ("really", "thing") and none
    that says a need ("assume", "notice").
    """
    if not isinstance(text, str):
        return []
    stop = stop_words() if stop is None else stop
    words = _WORD.findall(text.lower().replace("\u2019", "'"))
    return list(dict.fromkeys(w for w in words if len(w) >= 4 and w not in stop))


def _stem(word: str) -> str:
    """A word without a plural or agent ending, cut to five letters ("lockers" -> "lock").

    Examples
    --------
    >>> _stem("lockers"), _stem("lock"), _stem("emails"), _stem("summary")
    ('lock', 'lock', 'email', 'summa')
    """
    for end in ("ers", "er", "es", "s"):
        if word.endswith(end) and len(word) - len(end) >= 4:
            return word[: -len(end)][:5]
    return word[:5]


def _nouns(texts: Mapping[int, str]) -> dict[int, set[str]] | None:
    """Key -> the nouns of its text (lower case), by the study's spaCy pipeline.

    A topic is a thing: "explained", "turning" are no topic. None when no pipeline is
    installed (every word can then be one).
    """
    from insights.errors import ModelError
    from insights.nlp import load_spacy, parse_texts

    try:
        nlp = load_spacy(exclude=("parser",))
    except ModelError:  # pragma: no cover - the default pipeline is a dependency
        return None
    keys = list(texts)
    docs = parse_texts(nlp, [texts[k] for k in keys])
    return {
        k: {t.text.lower() for t in doc if t.pos_ in ("NOUN", "PROPN")}
        for k, doc in zip(keys, docs, strict=True)
    }


def stated_topics(
    segments: pd.DataFrame,
    member: Mapping[str, list[str]],
    cues: Mapping[str, str],
    *,
    negative: set[str] | frozenset[str] = frozenset(),
    min_people: int = 2,
    max_share: float = TOPIC_MAX_SHARE,
    max_topics: int = 3,
) -> dict[tuple[str, str], dict[str, Any]]:
    """(theme, kind) -> the thing people who state that kind of need name in it.

    Every analysed segment (:func:`insights.schema.analysed_rows`) whose ``cues`` (segment
    id -> :func:`~insights.summarize.expectation_cue` of its text) say a need
    ``baseline`` or ``delight``
    (a delight not among the ``negative`` segment ids: said with a grievance it is a
    letdown) is read with the segment before it in its transcript (the speaker's own
    lead-in, "Oh, the sauna.", or the question: "it" is what that one named). A noun (by
    the spaCy pipeline) of those (:func:`topic_words`, counted by its stem) that at
    most ``max_share`` of the study's analysed segments use, said so by ``min_people`` or more
    people for one kind and by fewer for the other, and by one of them in the very words
    that say the need ("you just assume the lockers lock"; a noun only ever in the
    sentence before is talk that came before), is a topic of that kind. Its theme is
    the commonest theme (``member``: segment id -> theme labels; talk with no single
    topic left out) of the study's segments that use the word; per theme and kind the
    ``max_topics`` topics of the most people (then the rarer words) are kept ("gate,
    lock": one theme, two things its people take for granted).

    Returns
    -------
    dict
        ``(theme, kind) -> {"topic": "word, word", "people": [...], "quotes": [ids]}``:
        the words as people said them most, who said the need (of any of its topics),
        one cue segment of each.
    """
    rows = analysed_rows(segments)
    if rows.empty:
        return {}
    stop = stop_words()
    ids = segment_ids(segments)
    who = dict(zip(ids, person_key(segments), strict=True))
    tids = (
        segments["transcript_id"].astype(str).tolist()
        if "transcript_id" in segments.columns
        else [""] * len(segments)
    )
    texts = segments["text"].astype(str).tolist()
    analysed = set(segment_ids(rows))
    words = {sid: topic_words(t, stop) for sid, t in zip(ids, texts, strict=True)}
    stems: dict[str, set[str]] = {
        sid: {_stem(w) for w in ws} for sid, ws in words.items() if sid in analysed
    }
    uses = Counter(s for ss in stems.values() for s in ss)
    rare = {s for s, n in uses.items() if n <= max_share * len(analysed)}
    said: dict[tuple[str, str], dict[str, str]] = {}  # (kind, stem) -> person -> cue segment
    forms: Counter[tuple[str, str]] = Counter()
    heard: list[tuple[str, str, str, list[int]]] = []  # kind, segment, person, rows read
    in_cue: set[tuple[str, str]] = set()  # (kind, stem) said in a need's own words
    for k, sid in enumerate(ids):
        person = who.get(sid)
        if sid not in analysed or person is None:
            continue
        kind = cues.get(sid, "")
        if kind not in ("baseline", "delight") or (kind == "delight" and sid in negative):
            continue
        heard.append((kind, sid, person, [k] + ([k - 1] if k and tids[k - 1] == tids[k] else [])))
    things = _nouns({k: texts[k] for *_, near in heard for k in near})
    for kind, sid, person, near in heard:
        for x in near:
            for w in words[ids[x]]:
                if things is not None and w not in things[x]:
                    continue
                if _stem(w) in rare:
                    said.setdefault((kind, _stem(w)), {}).setdefault(person, sid)
                    forms[(_stem(w), w)] += 1
                    if ids[x] == sid:
                        in_cue.add((kind, _stem(w)))
    where: dict[str, Counter[str]] = {}  # stem -> the themes of the segments that use it
    for sid, ss in stems.items():
        for s in ss & {st for _, st in said}:
            for th in member.get(sid, []):
                if not th.startswith(MIXED_TALK):
                    where.setdefault(s, Counter())[th] += 1
    found: dict[tuple[str, str], list[tuple[int, int, str, dict[str, str]]]] = {}
    for (kind, s), people in sorted(said.items()):
        other = said.get(("delight" if kind == "baseline" else "baseline", s), {})
        if len(people) < min_people or len(other) >= len(people) or s not in where:
            continue
        if (kind, s) not in in_cue:  # said beside the need, never in its words
            continue
        theme = max(sorted(where[s]), key=lambda th: where[s][th])
        word = max(sorted(w for st, w in forms if st == s), key=lambda w: forms[(s, w)])
        found.setdefault((theme, kind), []).append((-len(people), uses[s], word, people))
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for key, topics in found.items():
        top = sorted(topics, key=lambda x: x[:3])[:max_topics]
        people = {p: sid for *_, ppl in reversed(top) for p, sid in ppl.items()}
        out[key] = {
            "topic": ", ".join(w for _, _, w, _ in top),
            "people": sorted(people),
            "quotes": [people[p] for p in sorted(people)],
        }
    return out


def with_topics(
    needs: pd.DataFrame, topics: Mapping[tuple[str, str], dict[str, Any]]
) -> pd.DataFrame:
    """``needs`` (one row per theme) with a ``topic`` column, named by :func:`stated_topics`.

    A theme whose need is the kind of one of its topics is named by it ("Access and
    entry", baseline: "gate, lock"); one the emotions leave ``performance`` or ``not
    enough evidence`` takes the kind of its topic of the most people, as a need said in
    words does (``stated``, ``n_people_stated`` and ``stated_quotes`` are the topic's);
    a topic of another kind than the theme's need is a row of its own, the theme's counts
    beside it ("App and communications": baseline, and "summary", the progress email
    three people did not expect, delight). ``topic`` is ``""`` for a need of the whole
    theme.
    """
    import pandas as pd

    rows = []
    for r in needs.to_dict("records"):
        r["topic"] = ""
        mine = {
            k: topics[(r["theme"], k)] for k in ("baseline", "delight") if (r["theme"], k) in topics
        }
        if r["kind"] in mine:
            r["topic"] = mine[r["kind"]]["topic"]
        elif mine and r["kind"] in ("performance", "not enough evidence"):
            r = {**r, **_stated(max(sorted(mine), key=lambda k: len(mine[k]["people"])), mine)}
        rows.append(r)
        rows += [{**r, **_stated(k, mine)} for k in sorted(mine) if k != r["kind"]]
    return pd.DataFrame(rows, columns=[*needs.columns, "topic"])


def _stated(kind: str, mine: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    t = mine[kind]
    return {
        "kind": kind,
        "topic": t["topic"],
        "stated": kind,
        "n_people_stated": len(t["people"]),
        "stated_quotes": ";".join(t["quotes"]),
    }
