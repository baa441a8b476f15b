"""Drivers and needs: what pushes people to leave or keeps them, and which are baseline or delight.

* :func:`drivers` — themes and codes ranked by their association with leave intent
  and with stay/recommend intent, per participant group, with quotes.
* :func:`baseline_delight` — per theme: a *baseline* need (noticed when it fails:
  negative emotion, little delight) or a *delight* (surprise, joy, gratitude when
  present), with the counts and quotes behind the label.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from insights.emotions import NEGATIVE, POSITIVE
from insights.schema import DRIVER_COLUMNS, NEEDS_COLUMNS, empty_table, person_key, segment_ids

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


#: emotions that mark delight (a need met beyond expectation).
DELIGHT: tuple[str, ...] = (
    "surprise",
    "joy",
    "excitement",
    "gratitude",
    "admiration",
    "amusement",
    "love",
    "relief",
)


def _theme_of_segments(assignments, themes, codes) -> dict[str, list[str]]:
    """segment_id -> theme labels (every assignment and code, not only the best)."""
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
    return out


def baseline_delight(
    emotions: pd.DataFrame,
    *,
    segments: pd.DataFrame | None = None,
    triggers: pd.DataFrame | None = None,
    codes: pd.DataFrame | None = None,
    themes: pd.DataFrame | None = None,
    assignments: pd.DataFrame | None = None,
    n_quotes: int = 3,
    min_emotional: int = 3,
) -> pd.DataFrame:
    """Per theme (or code): baseline, delight, performance or unclear, with the evidence.

    A segment belongs to a theme through ``assignments`` (else ``codes``), and through
    ``triggers`` when its cause segment belongs to the theme. Among the theme's
    emotional segments (emotions other than neutral): *negative* (an Ekman negative
    group), *positive*, and *delight* (:data:`DELIGHT` labels). The rule:
    ``delight`` when delight_share >= 0.3 and there are at least 2 delight segments;
    ``baseline`` when negative_share >= 0.6 and delight_share < 0.15; ``unclear`` with
    fewer than ``min_emotional`` emotional segments; else ``performance`` (both
    ways). ``kind`` is the label; the counts and quotes are the evidence.
    """
    import pandas as pd

    member = _theme_of_segments(assignments, themes, codes)
    if triggers is not None and len(triggers):
        for sid, cid in zip(
            triggers["segment_id"].astype(str),
            triggers["cause_segment_id"].astype(str),
            strict=False,
        ):
            for th in member.get(cid, []):
                if th not in member.setdefault(sid, []):
                    member[sid].append(th)
    text = {}
    if segments is not None:
        text = dict(zip(segment_ids(segments), segments["text"].astype(str), strict=False))
    emo = emotions.assign(segment_id=emotions["segment_id"].astype(str))
    neg_groups = ("anger", "disgust", "fear", "sadness")
    stats: dict[str, dict[str, Any]] = {}
    for row in emo.itertuples(index=False):
        labels = [x for x in str(getattr(row, "emotions", "") or "").split(";") if x and x != "nan"]
        for th in member.get(row.segment_id, []):
            s = stats.setdefault(th, {"n": 0, "emo": 0, "neg": [], "pos": 0, "del": []})
            s["n"] += 1
            if not labels or labels == ["neutral"]:
                continue
            s["emo"] += 1
            inten = float(getattr(row, "intensity", 0) or 0)
            if getattr(row, "ekman", "") in neg_groups or any(x in NEGATIVE for x in labels[:1]):
                s["neg"].append((inten, row.segment_id))
            if any(x in POSITIVE for x in labels):
                s["pos"] += 1
            if any(x in DELIGHT for x in labels):
                s["del"].append((inten, row.segment_id))
    out = []
    for th, s in stats.items():
        emo_n = max(1, s["emo"])
        ns, ds = len(s["neg"]) / emo_n, len(s["del"]) / emo_n
        if s["emo"] < min_emotional:
            kind = "unclear"
        elif ds >= 0.3 and len(s["del"]) >= 2:
            kind = "delight"
        elif ns >= 0.6 and ds < 0.15:
            kind = "baseline"
        else:
            kind = "performance"
        nq = [sid for _, sid in sorted(s["neg"], reverse=True)[:n_quotes]]
        dq = [sid for _, sid in sorted(s["del"], reverse=True)[:n_quotes]]
        out.append(
            (
                th,
                kind,
                s["n"],
                s["emo"],
                len(s["neg"]),
                s["pos"],
                len(s["del"]),
                round(ns, 3),
                round(ds, 3),
                ";".join(nq),
                ";".join(dq),
                " | ".join(text.get(q, "") for q in nq),
                " | ".join(text.get(q, "") for q in dq),
            )
        )
    res = pd.DataFrame(out, columns=list(NEEDS_COLUMNS))
    return res.sort_values(
        ["n_emotional", "theme"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


_INTENT_DIRECTION = {"leave": "leave", "warn_others": "leave", "stay": "stay", "recommend": "stay"}


def drivers(
    triggers: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    intents: pd.DataFrame | None = None,
    by: str | None = "segment",
    unit: str | None = None,
    n_quotes: int = 3,
    prior: float = 2.0,
    window: int = 2,
    min_units: int = 2,
) -> pd.DataFrame:
    """Triggers' themes ranked by association with leave, and with stay/recommend intent.

    For each unit (a person, :func:`insights.schema.person_key`, or the value of the
    ``unit`` column when one is named) its drivers are the themes of its
    triggers (the ``theme`` column; triggers without a theme are left out) and its
    intent is ``leave`` when any of its segments expresses leave or warn_others, and
    ``stay`` when any expresses stay or recommend (both can hold). ``intents``
    (segment_id, intent) covers every segment; default: the intents in ``triggers``.

    For driver D and direction X: ``rate`` = share of units with D that show X,
    ``base_rate`` = share of all units that show X, ``lift`` = rate / base_rate and
    ``score`` = (n_with_intent + prior * base_rate) / (n_participants + prior) - base_rate,
    a rate difference shrunk toward zero for rare drivers. Rows are ranked by score
    within (direction, group), then by ``n_chains``; ``group`` is the value of ``by``
    (e.g. the participants' segment) and ``all``.

    A **chain** is a trigger of D whose speaker expresses X in the emotional segment
    itself or in their next ``window`` segments of the same transcript (trigger →
    emotion → intent, in that order). ``n_chains`` counts them; they come first
    among the quotes (then the other trigger segments of D from units that show X,
    most confident first). ``top_emotion`` is the commonest emotion of D's chains (of
    all its triggers when it has none), negative ones first for leave and positive
    ones first for stay: what D makes people feel when it pushes them that way.

    A driver named by fewer than ``min_units`` units (of its group) is not listed:
    one person's trigger is a quote, not a driver (its triggers stay in triggers.csv).
    """
    import pandas as pd

    if triggers is None or not len(triggers):
        return empty_table(DRIVER_COLUMNS)
    seg = segments.assign(segment_id=segment_ids(segments))
    units = (
        person_key(seg)
        if unit is None
        else seg[unit].astype("object").where(seg[unit].notna(), None)
    )
    units = units.map(lambda u: None if u is None else str(u))
    seg_unit = dict(zip(seg["segment_id"], units, strict=False))
    group_of = {}
    if by and by in seg.columns:
        group_of = dict(zip(units, seg[by].astype(str), strict=False))
    text = dict(zip(seg["segment_id"], seg["text"].astype(str), strict=False))
    it = intents if intents is not None else triggers[["segment_id", "intent"]]
    units_leave, units_stay = set(), set()
    for sid, intent in zip(it["segment_id"].astype(str), it["intent"].astype(str), strict=False):
        u = seg_unit.get(sid)
        if u is None or u == "nan":
            continue
        direction = _INTENT_DIRECTION.get(intent)
        if direction == "leave":
            units_leave.add(u)
        elif direction == "stay":
            units_stay.add(u)
    intent_of = dict(zip(it["segment_id"].astype(str), it["intent"].astype(str), strict=False))
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
                _INTENT_DIRECTION.get(intent_of.get(x, ""), "") for x in ids[k : k + window + 1]
            }
    t = triggers.reset_index(drop=True)
    t = t.assign(segment_id=t["segment_id"].astype(str))
    t["unit"] = t["segment_id"].map(seg_unit)
    t = t[t["unit"].notna() & (t["unit"] != "nan")]
    t["driver"] = [th.strip() if isinstance(th, str) else "" for th in t["theme"]]
    t = t[
        t["driver"] != ""
    ]  # a cause with no theme or code names no driver (it stays in triggers.csv)
    all_units = {u for u in seg_unit.values() if u and u != "nan"} & (
        set(t["unit"]) | units_leave | units_stay
    )
    rows = []
    groups = [("all", all_units)]
    for g in sorted({group_of.get(u, "") for u in all_units} - {"", "nan"}):
        groups.append((g, {u for u in all_units if group_of.get(u) == g}))
    for direction, with_intent in (("leave", units_leave), ("stay", units_stay)):
        for gname, gunits in groups:
            if not gunits:
                continue
            base = len(gunits & with_intent) / len(gunits)
            tg = t[t["unit"].isin(gunits)]
            for drv, part in tg.groupby("driver", sort=True):
                us = set(part["unit"])
                if len(us) < min_units:
                    continue
                k = len(us & with_intent)
                rate = k / len(us)
                score = (k + prior * base) / (len(us) + prior) - base
                chain_of = {x: direction in ahead.get(x, ()) for x in part["segment_id"]}
                chain = part["segment_id"].map(chain_of).to_numpy(dtype=bool)
                q = part[part["unit"].isin(with_intent)]
                q = q.assign(_chain=q["segment_id"].map(chain_of)).sort_values(
                    ["_chain", "confidence"], ascending=False, kind="stable"
                )
                qids = list(dict.fromkeys(q["segment_id"]))[:n_quotes]
                emotions = part.loc[chain, "emotion"] if chain.any() else part["emotion"]
                toward = emotions[emotions.isin(NEGATIVE if direction == "leave" else POSITIVE)]
                emotions = toward if len(toward) else emotions
                rows.append(
                    (
                        direction,
                        gname,
                        drv,
                        len(us),
                        k,
                        round(rate, 3),
                        round(base, 3),
                        round(rate / base, 3) if base else float("nan"),
                        round(score, 4),
                        len(part),
                        int(part.loc[chain, "segment_id"].nunique()),
                        emotions.mode().iloc[0] if len(emotions) else "",
                        ";".join(qids),
                        " | ".join(text.get(x, "") for x in qids),
                    )
                )
    res = pd.DataFrame(rows, columns=list(DRIVER_COLUMNS))
    return res.sort_values(
        ["direction", "group", "score", "n_chains"],
        ascending=[True, True, False, False],
        kind="stable",
    ).reset_index(drop=True)
