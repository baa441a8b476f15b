"""Drivers: what pushes people to leave or keeps them, tested on people.

* :func:`drivers` — (theme or code × stance) pairs tested for their association with
  leave intent (negative stance) and with stay/recommend intent (positive stance),
  per participant group, on people, with quotes; only those beyond chance are
  ``supported``.
* :func:`fisher_greater` — the one-sided exact test drivers and needs share.
* :func:`is_outcome_talk` — a theme about leaving or staying itself, which is no driver.
* :func:`driver_label` — a driver named by its theme and its stance.
* :func:`said_theme` — the theme a cause is about in its own words.

Which intent statements count, and who leaves and who stays, are in :mod:`._intents`;
needs (baseline or delight) in :mod:`._needs`.

Examples
--------
The one-sided Fisher exact p-value of a driver named by 3 of 10 people, all 3 of
them among the 4 who left: the chance of 3 or more leavers among 3 people drawn
from 10 of whom 4 left, C(4, 3) / C(10, 3) = 4 / 120.

>>> round(fisher_greater(3, 0, 1, 6), 4)
0.0333
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from insights.schema import (
    DRIVER_COLUMNS,
    MIXED_TALK,
    analysed_rows,
    empty_table,
)
from insights.wordforms import lemma_stem, names_theme, word_stems

from ._intents import INTENT_DIRECTION, counted_intents, intent_people, people_of
from ._stance import OUTCOME_TALK, names_own_theme, stance, stance_phrase, theme_score
from ._waves import benjamini_hochberg

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


#: the false-discovery rate at which a driver is ``supported``: its Benjamini-Hochberg
#: q-value (over every driver tested in its group, both directions) is at most this.
#: 0.10 rather than 0.05 because a study has tens of people, not thousands: with 20 people
#: of whom 5 left, a driver named by exactly the 2 leavers has p = 10/190 = 0.053 however
#: strong the link, so 0.05 would make two-person drivers impossible even untested
#: against the others; at 0.10 about one listed driver in ten may be chance, which the
#: report says, and the quotes behind each let the reader judge it.
DRIVER_FDR: float = 0.10


#: the stance a driver's direction needs: leave drivers are negative, stay drivers positive.
DIRECTION_STANCE: dict[str, str] = {"leave": "negative", "stay": "positive"}


_LABEL_WORDS = re.compile(r"[a-z]+")
_LABEL_GLUE = frozenset({"and", "or", "to", "the", "a", "of", "not", "vs", "versus"})


def is_outcome_talk(label: object) -> bool:
    """Whether a theme's label names only leaving or staying itself ("Leave & stay").

    Such a theme is talk about the decision ("I'd be mad to leave", "it's not why I
    stay"): that its people leave or stay is what it is about, not a finding, so it is
    tested as no driver. A label with any other word ("Price rise and leaving") is not.

    Examples
    --------
    >>> is_outcome_talk("Leave & stay"), is_outcome_talk("Switching and cancelling")
    (True, True)
    >>> is_outcome_talk("Price rise and leaving"), is_outcome_talk("Recommendation system")
    (False, False)
    """
    words = [w for w in _LABEL_WORDS.findall(str(label).lower()) if w not in _LABEL_GLUE]
    return bool(words) and all(w in OUTCOME_TALK for w in words)


#: a driver's stance in words, when no phrase of its own quotes says it
STANCE_WORDS: dict[str, str] = {"negative": "going wrong", "positive": "going right"}


def driver_label(theme: object, what: object, stance: str) -> str:
    """A driver named by its theme and its stance: ``Phone support: “waited fifty minutes”``.

    The phrase is ``what``, the clause of the driver's own trigger spans that the theme's
    other stance does not share (:func:`~insights.summarize.stance_phrase`); without one,
    the stance in words (:data:`STANCE_WORDS`). A theme that is both a leave and a stay
    driver so gets two labels: "the engineer did not show up" and "the engineer was
    brilliant" are two drivers, not one theme in both lists.

    Examples
    --------
    >>> driver_label("Phone support", "I waited fifty minutes on the phone", "negative")
    'Phone support: “I waited fifty minutes on the phone”'
    >>> driver_label("Phone support", "", "positive")
    'Phone support: going right'
    """
    theme = str(theme).strip()
    phrase = what.strip() if isinstance(what, str) else ""
    if phrase:
        return f"{theme}: “{phrase}”"
    return f"{theme}: {STANCE_WORDS.get(stance, stance)}"


def _distinct_labels(rows: list[dict[str, Any]]) -> None:
    """Give each driver its :func:`driver_label`, the stance added where two would be equal."""
    for r in rows:
        r["label"] = driver_label(r["driver"], r["what"], r["stance"])
    seen: dict[tuple[str, str], set[str]] = {}
    for r in rows:
        seen.setdefault((r["group"], r["label"]), set()).add(r["stance"])
    for r in rows:
        if len(seen[(r["group"], r["label"])]) > 1:
            r["label"] += f" ({STANCE_WORDS.get(r['stance'], r['stance'])})"


def fisher_greater(a: int, b: int, c: int, d: int) -> float:
    """One-sided Fisher exact p-value of ``[[a, b], [c, d]]``: the chance of ``a`` or more.

    Rows: people who name the driver / who do not; columns: with the intent / without.
    The p-value is the hypergeometric probability, given the margins, that ``a`` or
    more of the ``a + b`` people who name it are among the ``a + c`` with the intent
    (the alternative is a positive association only: a driver that people with the
    intent name *less* often is no driver of it). NaN for an empty table.

    Examples
    --------
    >>> round(fisher_greater(2, 0, 3, 15), 4)  # 2 of 20 name it, both among the 5 leavers
    0.0526
    >>> fisher_greater(0, 6, 0, 2)  # nobody has the intent
    1.0
    """
    n1, k, n = a + b, a + c, a + b + c + d
    if n == 0:
        return float("nan")
    denom = math.comb(n, n1)
    hi = min(n1, k)
    p = sum(math.comb(k, x) * math.comb(n - k, n1 - x) for x in range(a, hi + 1)) / denom
    return min(1.0, p)


def _causes(t: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The cause spans of triggers ``t`` (empty ones left out), and who said each."""
    if "cause_text" not in t.columns:
        return [], []
    said = [
        (c, str(u))
        for c, u in zip(t["cause_text"], t["unit"], strict=True)
        if isinstance(c, str) and c.strip()
    ]
    return [c for c, _ in said], [u for _, u in said]


def theme_words(themes: pd.DataFrame | None) -> dict[str, list[str]]:
    """Theme label -> its label and keywords: the words that name the theme.

    Examples
    --------
    >>> import pandas as pd
    >>> theme_words(pd.DataFrame({"label": ["Billing"], "keywords": ["bill; charge"]}))
    {'Billing': ['Billing', 'bill', 'charge']}
    """
    if themes is None or "label" not in themes.columns:
        return {}
    kws = themes["keywords"] if "keywords" in themes.columns else [""] * len(themes)
    return {
        str(lab): [str(lab), *(k for k in str(kw).split("; ") if k and k != "nan")]
        for lab, kw in zip(themes["label"], kws, strict=True)
    }


def topical_themes(named: dict[str, list[str]]) -> dict[str, list[str]]:
    """The themes of ``named`` that can claim a cause or a phrase (label -> its words).

    Not talk with no single topic, nor talk of the decision (:func:`is_outcome_talk`):
    a "Mixed talk" keyword "took minutes" says nothing of a topic.

    Examples
    --------
    >>> sorted(topical_themes({"Billing": ["Billing"], "Mixed talk: minutes": ["minutes"]}))
    ['Billing']
    """
    return {
        k: w for k, w in named.items() if not k.startswith(MIXED_TALK) and not is_outcome_talk(k)
    }


def said_theme(cause: object, theme: str, named: dict[str, list[str]]) -> str:
    """The theme a cause is about in its own words: ``theme``, or the one other it names.

    A cause belongs to the theme its segment was clustered into (``theme``) unless its
    words are not about that theme (:func:`~insights.summarize._stance.names_own_theme`)
    and name the label of another theme of ``named`` (label -> label and keywords,
    :func:`theme_words`; talk with no single topic and talk of leaving or staying name
    none) more strongly than ``theme`` and than any other
    (:func:`~insights.summarize._stance.theme_score`): "the coaches are lovely",
    clustered with talk of the weights floor, is said of "Staff and coaching"; "other
    calls waiting", of a phone-support theme with keywords "calls" and "waited", stays
    there though another theme is labelled "Video calls".

    Examples
    --------
    >>> named = {"Weights": ["Weights", "bench", "coaches"],
    ...          "Staff and coaching": ["Staff and coaching", "staff"]}
    >>> said_theme("the coaches are lovely", "Weights", named)
    'Staff and coaching'
    >>> said_theme("the bench was free", "Weights", named)
    'Weights'
    """
    own = named.get(theme)
    if not isinstance(cause, str) or not cause.strip() or own is None:
        return theme
    rivals = {k: w for k, w in topical_themes(named).items() if k != theme}
    if names_own_theme(cause, own, rivals.values()):
        return theme
    score = {k: theme_score(cause, w) for k, w in rivals.items() if names_theme(cause, w[:1])}
    best = max(score.values(), default=0)
    top = [k for k, v in score.items() if v == best]
    return top[0] if len(top) == 1 and best > theme_score(cause, own) else theme


def is_decision_code(name: object) -> bool:
    """Whether a code's name speaks of the decision itself (a word of :data:`OUTCOME_TALK`).

    A code is the researcher's own category, and one whose name holds leaving, switching,
    renewing or cancelling ("Contract, renewal and cancellation", "Switching and
    competitors") gathers the intent statements themselves: that its people leave is what
    it is about, so it is tested as no driver (a theme needs every word of its label to be
    such talk, :func:`is_outcome_talk`, since a theme's label is only its words' summary).

    Examples
    --------
    >>> is_decision_code("Cancelling and other gyms"), is_decision_code("Location and travel")
    (True, False)
    """
    stems = {lemma_stem(w) for w in OUTCOME_TALK}
    return bool(word_stems(str(name)) & stems)


def _code_rows(rows: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (triggers and calm accounts with a stance) again, once per code of their cause.

    The cause segment's codes (``cause_segment_id``, else the segment's own), each a driver
    of its own unless it is the row's theme already, or talk of the decision
    (:func:`is_decision_code`), or talk with no single topic.
    """
    of: dict[str, list[str]] = {}
    for sid, code in zip(codes["segment_id"].astype(str), codes["code"].astype(str), strict=True):
        code = code.strip()
        if (
            code
            and code != "nan"
            and not code.startswith(MIXED_TALK)
            and not is_decision_code(code)
        ):
            of.setdefault(sid, []).append(code)
    if not of or not len(rows):
        return rows.iloc[:0]
    cause = rows["segment_id"].astype(str)
    if "cause_segment_id" in rows.columns:
        cid = rows["cause_segment_id"]
        cause = cid.where(cid.notna() & (cid.astype(str) != ""), cause).astype(str)
    take, names = [], []
    for i, (c, own, driver) in enumerate(
        zip(cause, rows["segment_id"].astype(str), rows["driver"], strict=True)
    ):
        for code in dict.fromkeys(of.get(c, []) or of.get(own, [])):
            if code != driver:
                take.append(i)
                names.append(code)
    out = rows.iloc[take].assign(driver=names)
    keys = ["segment_id", "driver"] + (["cause_text"] if "cause_text" in out.columns else [])
    return out.drop_duplicates(keys).reset_index(drop=True)


def drivers(
    triggers: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    intents: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
    themes: pd.DataFrame | None = None,
    codes: pd.DataFrame | None = None,
    outcome: str | None = None,
    by: str | None = "segment",
    unit: str | None = None,
    n_quotes: int = 3,
    prior: float = 2.0,
    window: int = 2,
    min_units: int = 2,
    fdr: float = DRIVER_FDR,
) -> pd.DataFrame:
    """Drivers: (theme or code × stance) pairs tested for association with leave and stay intent.

    A **driver** is a theme (the ``theme`` column of ``triggers``: the cause's theme,
    else its code; with ``themes``, the theme the cause's own words name when they are
    not about that one, :func:`said_theme`) or, with ``codes`` (the applied codings:
    segment_id, code), a code of the cause segment (:func:`is_decision_code`: not one
    about the decision itself), together with a **stance**, the valence of the trigger's emotion
    (:func:`stance`): "the engineer did not show up" (anger) and "the engineer was
    brilliant" (admiration) are two drivers, not one theme in both lists. A *leave*
    driver is a negative pair tested against leave intent (leave, warn_others), a
    *stay* driver a positive pair tested against stay intent (stay, recommend).
    Triggers with an ambiguous or neutral emotion, or without a theme, or whose theme is
    talk with no single topic (its label starts with :data:`insights.schema.MIXED_TALK`)
    or talk about leaving or staying itself (:func:`is_outcome_talk`: "Leave & stay"),
    name no driver (they stay in triggers.csv). ``events`` (segment_id, theme, stance,
    cause_text: :func:`~insights.summarize.told_events`) adds the calm accounts, segments
    with no feeling that tell of a theme going wrong or right ("nobody came"): a person
    names a pair by a trigger or by such an account (``n_triggers`` counts triggers
    only).

    People are the units (:func:`insights.schema.person_key` of the analysed rows, or
    the value of the ``unit`` column when one is named). Who leaves and who stays is
    :func:`intent_people`: the participant sheet's ``outcome`` column when one is
    named (``status``: churned / retained; see :func:`insights.schema.outcome_column`),
    for the people it has a value for, and for everyone else their stated intent. A
    person has an intent when any of their segments in ``intents`` (segment_id,
    intent[, kind][, target]; default: the intents in ``triggers``) expresses it as
    their own, leaving winning over staying: kinds
    :data:`~insights.summarize.OWN_INTENT_KINDS` (a table without ``kind`` counts as
    done), about the study's provider (``target`` not in
    :data:`~insights.summarize.OTHER_TARGETS`). A warning counts toward leave only when
    it is about the study's provider: "I tell everyone to avoid them" said of one's
    previous provider is no sign of leaving the study's; in the sample
    study the warnings about the study's provider are the churned people's (and the
    one retained person who warned, about his brother's new provider, is ``other``).

    For each pair named by at least ``min_units`` people of the group, the 2×2 table
    of people (names it / not × intent / not) gets a one-sided Fisher exact p-value
    (:func:`fisher_greater`), and the p-values of every pair of the group (both
    directions) a Benjamini-Hochberg q-value. ``supported`` is True when q <= ``fdr``
    (:data:`DRIVER_FDR`) and at least ``min_units`` of the people who name it show the
    intent. ``min_units`` stays 2 in big studies too: the test already asks more of
    them (a pair named by 2 of 200 people, both with an intent a quarter of them show,
    has p = 0.062).

    Columns (:data:`insights.schema.DRIVER_COLUMNS`): ``n_participants`` people who name
    the pair, ``n_with_intent`` of them with the intent (``people``: who), ``rate`` =
    n_with_intent / n_participants, ``base_rate`` = share of the group with the intent,
    ``lift`` = rate / base_rate, ``score`` = (n_with_intent + prior * base_rate) /
    (n_participants + prior) - base_rate (a rate difference shrunk toward zero for rare
    pairs), ``p_value``, ``q_value``, ``supported``; ``what``: what went wrong (or
    right), the clause of the pair's trigger spans the theme's other stance does not
    share (:func:`~insights.summarize.stance_phrase`), in the spans of the people with
    the intent when two or more name it (they carry the driver; "the coaches are
    lovely" from those who stay, in a theme labelled "Weights"), and one that names the
    theme (its label and, with ``themes``, its keywords: :func:`theme_words`) or has a
    word two of those people use; else ``""``, and the label says the stance in words
    ("Billing errors: “he was great when he arrived”" is about someone else);
    ``label``: the driver named by its theme and that phrase (:func:`driver_label`:
    ``Engineer visit: “never turned up”``), so a theme in both directions has two
    labels. ``group`` is the value of ``by`` (e.g. the participants' segment) and
    ``all``. Rows are sorted by p-value within (direction, group). Every tested pair
    is a row (for the workbook); the report lists the supported ones.

    A **chain** is a trigger of the pair whose speaker expresses the intent in the
    emotional segment itself or in their next ``window`` segments of the same transcript
    (trigger → emotion → intent, in that order). ``n_chains`` counts them; they come
    first among the quotes (then the pair's other triggers from people with the
    intent, most confident first; the triggers of anyone who names it when nobody
    with the intent does). ``quotes`` keeps every one of those segment ids, in that
    order, and ``quote_text`` the text of the first ``n_quotes``: the report's evidence
    (:meth:`insights.report.content.EvidenceBook.pick`) chooses which to show, one per person
    first. ``top_emotion`` is the commonest emotion of the pair's chains (of all its
    triggers when it has none).

    A pair named by fewer than ``min_units`` people (of its group) is not a row: one
    person's trigger is a quote, not a driver.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"segment_id": list("abcd"), "participant_id": list("ABCD"),
    ...                     "text": ["No-show.", "No-show again.", "Fine.", "Fine."]})
    >>> trig = pd.DataFrame({"segment_id": ["a", "b"], "emotion": "anger",
    ...                      "theme": "Engineer", "intent": "none", "confidence": 0.9})
    >>> it = pd.DataFrame({"segment_id": ["a", "b"], "intent": "leave"})
    >>> drivers(trig, seg, intents=it, by=None)[
    ...     ["direction", "driver", "label", "n_with_intent", "p_value", "supported"]
    ... ].values.tolist()
    [['leave', 'Engineer', 'Engineer: going wrong', 2, 0.1667, False]]
    """
    import pandas as pd

    if triggers is None or not len(triggers):
        return empty_table(DRIVER_COLUMNS)
    seg, units = people_of(segments, unit)
    seg_unit = dict(zip(seg["segment_id"], units, strict=False))
    group_of = {}
    if by and by in seg.columns:
        group_of = dict(zip(units, seg[by].fillna("").astype(str), strict=False))
    text = dict(zip(seg["segment_id"], seg["text"].astype(str), strict=False))
    named = theme_words(themes)
    topical = topical_themes(named)
    it = counted_intents(intents if intents is not None else triggers[["segment_id", "intent"]])
    person = intent_people(seg, it, outcome=outcome, unit=unit)
    units_leave = {u for u, d in person.items() if d == "leave"}
    units_stay = {u for u, d in person.items() if d == "stay"}
    intent_of: dict[str, str] = {}
    for sid, intent in zip(it["segment_id"], it["intent"], strict=False):
        if INTENT_DIRECTION.get(intent):  # a segment's counted intent (a later row wins)
            intent_of[sid] = intent
    # the intents in each segment's window: itself and the unit's next `window` segments of its
    # transcript
    tid = (
        seg["transcript_id"].astype(str)
        if "transcript_id" in seg.columns
        else pd.Series("input", index=seg.index)
    )
    ahead: dict[str, set[str]] = {}
    for _, ids in seg.groupby([tid, seg["segment_id"].map(seg_unit)], sort=False)["segment_id"]:
        ids = ids.tolist()
        for k, sid in enumerate(ids):
            ahead[sid] = {
                INTENT_DIRECTION.get(intent_of.get(x, ""), "") for x in ids[k : k + window + 1]
            }
    t = triggers.reset_index(drop=True)
    t = t.assign(segment_id=t["segment_id"].astype(str))
    t["unit"] = t["segment_id"].map(seg_unit)
    t = t[t["unit"].notna() & (t["unit"] != "nan")]
    t["driver"] = [th.strip() if isinstance(th, str) else "" for th in t["theme"]]
    if named and "cause_text" in t.columns:  # the theme its cause names, in its own words
        t["driver"] = [
            said_theme(c, d, named) for c, d in zip(t["cause_text"], t["driver"], strict=True)
        ]
    t["stance"] = [stance(e) for e in t["emotion"]]
    # a cause with no theme or code, or in talk with no single topic (MIXED_TALK), or about
    # leaving or staying itself (is_outcome_talk), or an emotion of no stance, names no driver
    felt = t[t["stance"] != ""]  # a code names a driver of the same triggers (below)
    mixed = t["driver"].str.startswith(MIXED_TALK) | t["driver"].map(is_outcome_talk)
    t = t[(t["driver"] != "") & ~mixed & (t["stance"] != "")]
    if events is not None and len(events):
        ev = events.assign(segment_id=events["segment_id"].astype(str))
        ev = ev[~ev["segment_id"].isin(t["segment_id"]) & ev["segment_id"].map(seg_unit).notna()]
        ev = ev.assign(
            unit=ev["segment_id"].map(seg_unit),
            driver=ev["theme"].astype(str).str.strip(),
            emotion="",
            confidence=0.0,
            _told=True,
        )
        if named:
            ev["driver"] = [
                said_theme(c, d, named) for c, d in zip(ev["cause_text"], ev["driver"], strict=True)
            ]
        ev = ev[(ev["driver"] != "") & ~ev["driver"].str.startswith(MIXED_TALK)]
        ev = ev[~ev["driver"].map(is_outcome_talk) & ev["stance"].isin(DIRECTION_STANCE.values())]
        t = pd.concat(
            [t.assign(_told=False), ev[[c for c in ev.columns if c in t.columns or c == "_told"]]],
            ignore_index=True,
        )
    else:
        t = t.assign(_told=False)
    if codes is not None and len(codes):  # (code x stance) pairs beside (theme x stance)
        told = t[t["_told"].astype(bool)]
        t = pd.concat([t, _code_rows(pd.concat([felt.assign(_told=False), told]), codes)])
        t = t.reset_index(drop=True)
    # everyone whose words are analysed: the 2x2 table's people
    spoke = analysed_rows(seg)["segment_id"].map(seg_unit)
    all_units = {u for u in spoke if isinstance(u, str) and u != "nan"} | set(t["unit"])
    groups = [("all", all_units)]
    for g in sorted({group_of.get(u, "") for u in all_units} - {"", "nan"}):
        groups.append((g, {u for u in all_units if group_of.get(u) == g}))
    rows: list[dict[str, Any]] = []
    for gname, gunits in groups:
        if not gunits:
            continue
        tested: list[dict[str, Any]] = []
        for direction, with_intent in (("leave", units_leave), ("stay", units_stay)):
            want = DIRECTION_STANCE[direction]
            n_all, k_all = len(gunits), len(gunits & with_intent)
            base = k_all / n_all
            tg = t[t["unit"].isin(gunits) & (t["stance"] == want)]
            for drv, part in tg.groupby("driver", sort=True):
                us = set(part["unit"])
                if len(us) < min_units:
                    continue
                hit = us & with_intent
                k = len(hit)
                rate = k / len(us)
                score = (k + prior * base) / (len(us) + prior) - base
                p = fisher_greater(k, len(us) - k, k_all - k, n_all - len(us) - k_all + k)
                chain_of = {x: direction in ahead.get(x, ()) for x in part["segment_id"]}
                chain = part["segment_id"].map(chain_of).to_numpy(dtype=bool)
                q = part[part["unit"].isin(with_intent)] if k else part
                q = q.assign(_chain=q["segment_id"].map(chain_of)).sort_values(
                    ["_chain", "confidence"], ascending=False, kind="stable"
                )
                qids = list(dict.fromkeys(q["segment_id"]))
                felt = part["emotion"].astype(str) != ""
                emotions = part.loc[chain & felt, "emotion"]
                if not len(emotions):
                    emotions = part.loc[felt, "emotion"]
                other = t[(t["driver"] == drv) & (t["stance"] != want)]
                # named by the people who carry the intent, when two or more do
                said, who = _causes(part[part["unit"].isin(with_intent)] if k >= 2 else part)
                tested.append(
                    {
                        "direction": direction,
                        "group": gname,
                        "driver": drv,
                        "n_participants": len(us),
                        "n_with_intent": k,
                        "rate": round(rate, 3),
                        "base_rate": round(base, 3),
                        "lift": round(rate / base, 3) if base else float("nan"),
                        "score": round(score, 4),
                        "n_triggers": int((~part["_told"].astype(bool)).sum()),
                        "n_chains": int(part.loc[chain, "segment_id"].nunique()),
                        "top_emotion": emotions.mode().iloc[0] if len(emotions) else "",
                        "quotes": ";".join(qids),
                        "quote_text": " | ".join(text.get(x, "") for x in qids[:n_quotes]),
                        "stance": want,
                        "p_value": p,
                        "people": ";".join(sorted(hit)),
                        "what": stance_phrase(
                            said,
                            _causes(other)[0],
                            about=named.get(drv, [drv]),
                            side=want,
                            people=who,
                            strict=True,
                            rivals=[w for k, w in topical.items() if k != drv],
                        ),
                    }
                )
        qs = benjamini_hochberg([r["p_value"] for r in tested])
        for r, qv in zip(tested, qs, strict=True):
            r["q_value"] = float(f"{qv:.4g}")
            r["supported"] = bool(qv <= fdr and r["n_with_intent"] >= min_units)
            r["p_value"] = float(f"{r['p_value']:.4g}")
        rows += tested
    if not rows:
        return empty_table(DRIVER_COLUMNS)
    _distinct_labels(rows)
    res = pd.DataFrame(rows)[list(DRIVER_COLUMNS)]
    return res.sort_values(
        ["direction", "group", "p_value", "score", "n_chains"],
        ascending=[True, True, True, False, False],
        kind="stable",
    ).reset_index(drop=True)
