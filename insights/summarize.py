"""Tidy summary tables: prevalence, crosstabs by participant attribute, waves, emotional journeys.

Every function takes the run's tables (segments, and a long table of labels per
segment: codes, theme assignments, emotions, triggers) and returns a new tidy
DataFrame. Counts are of *people*: a participant counts once for a label however
many of their segments carry it (segments without a participant id count under
``<transcript_id>:<speaker>``). Every count carries ``evidence``: the segment ids
behind it, so that a report can link each number to its quotes.

Examples
--------
>>> import pandas as pd
>>> segs = pd.DataFrame({"segment_id": ["a", "b", "c"], "participant_id": ["P1", "P1", "P2"],
...                      "transcript_id": ["t1", "t1", "t2"], "role": "participant", "wave": [1, 1, 2]})
>>> labels = pd.DataFrame({"segment_id": ["a", "b", "c"], "label": ["Price", "Price", "Speed"]})
>>> prevalence(labels, segs)[["label", "participants", "base", "segments"]].values.tolist()
[['Price', 1, 2, 2], ['Speed', 1, 2, 1]]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "person_key",
    "participant_segments",
    "code_labels",
    "theme_labels",
    "emotion_labels",
    "trigger_labels",
    "prevalence",
    "crosstab",
    "attribute_columns",
    "compare_waves",
    "wave_order",
    "fisher_exact",
    "benjamini_hochberg",
    "code_participant_matrix",
    "co_occurrence",
    "quote_table",
    "position",
    "journey",
    "stage_valence",
    "root_code",
]

#: columns of the segments table that are not participant attributes
BASE_COLUMNS = frozenset(
    {"segment_id", "transcript_id", "source", "session_type", "wave", "turn", "speaker", "role",
     "participant_id", "start_s", "end_s", "char_start", "char_end", "text", "words"}
)
_PRIVATE = frozenset({"name", "aliases", "transcript", "email", "phone"})


# --------------------------------------------------------------------------- people and labels


def person_key(segments: pd.DataFrame) -> pd.Series:
    """Who said each segment: ``participant_id``, else ``<transcript_id>:<speaker>``."""
    import pandas as pd

    pid = segments["participant_id"] if "participant_id" in segments.columns else pd.Series(pd.NA, index=segments.index)
    idx = segments.index
    tid = segments["transcript_id"].astype(str) if "transcript_id" in segments.columns else pd.Series("input", index=idx)
    spk = segments["speaker"].fillna("?").astype(str) if "speaker" in segments.columns else pd.Series("?", index=idx)
    fallback = tid + ":" + spk
    out = pid.astype("object").where(pid.notna() & (pid.astype(str) != ""), fallback)
    return out.astype(str)


def participant_segments(segments: pd.DataFrame) -> pd.DataFrame:
    """The segments spoken by participants (all rows when there is no ``role`` column)."""
    if "role" not in segments.columns:
        return segments
    return segments[segments["role"].isin(["participant"])]


def _long(df: pd.DataFrame, column: str, *, sep: str = ";") -> pd.DataFrame:
    """``segment_id, label`` with one row per label of a (possibly ``;``-joined) column."""
    import pandas as pd

    if df is None or df.empty or column not in df.columns:
        return pd.DataFrame({"segment_id": pd.Series(dtype=str), "label": pd.Series(dtype=str)})
    s = df[["segment_id", column]].dropna()
    s = s.assign(label=s[column].astype(str).str.split(sep)).explode("label")
    s["label"] = s["label"].str.strip()
    s = s[s["label"] != ""]
    return s.assign(segment_id=s["segment_id"].astype(str))[["segment_id", "label"]].drop_duplicates().reset_index(drop=True)


def code_labels(codes: pd.DataFrame, *, min_confidence: float = 0.0) -> pd.DataFrame:
    """``segment_id, label`` from a codes table (rejected human decisions excluded)."""
    if codes is None or codes.empty:
        return _long(None, "code")
    c = codes
    if "confidence" in c.columns:
        c = c[c["confidence"].fillna(1.0) >= max(min_confidence, 1e-9)]
    return _long(c, "code")


def theme_labels(assignments: pd.DataFrame, themes: pd.DataFrame | None = None) -> pd.DataFrame:
    """``segment_id, label, theme_id`` from theme assignments (outliers, ``theme_id`` -1, left out)."""
    import pandas as pd

    if assignments is None or assignments.empty:
        return pd.DataFrame({"segment_id": pd.Series(dtype=str), "label": pd.Series(dtype=str), "theme_id": pd.Series(dtype="int64")})
    a = assignments[pd.to_numeric(assignments["theme_id"], errors="coerce").fillna(-1) >= 0].copy()
    a["theme_id"] = pd.to_numeric(a["theme_id"]).astype("int64")
    names = {}
    if themes is not None and not themes.empty and "label" in themes.columns:
        names = dict(zip(pd.to_numeric(themes["theme_id"]).astype("int64"), themes["label"].astype(str), strict=True))
    a["label"] = [names.get(t, f"Theme {t}") for t in a["theme_id"]]
    a["segment_id"] = a["segment_id"].astype(str)
    return a[["segment_id", "label", "theme_id"]].reset_index(drop=True)


def emotion_labels(emotions: pd.DataFrame, *, column: str = "ekman", neutral: bool = False) -> pd.DataFrame:
    """``segment_id, label`` from an emotions table (``ekman`` groups by default; ``neutral`` left out)."""
    out = _long(emotions, column)
    return out if neutral else out[out["label"] != "neutral"].reset_index(drop=True)


def trigger_labels(triggers: pd.DataFrame, *, intent: str | None = None, column: str = "theme") -> pd.DataFrame:
    """``segment_id, label`` from triggers (optionally of one ``intent``); the label is ``column`` (the cause's theme)."""
    import pandas as pd

    if triggers is None or triggers.empty or column not in triggers.columns:
        return _long(None, column)
    t = triggers if intent is None else triggers[triggers["intent"] == intent]
    t = t.assign(**{column: t[column].where(t[column].notna() & (t[column].astype(str) != ""), "(no theme)")})
    out = _long(t, column)
    return out if len(out) else pd.DataFrame({"segment_id": pd.Series(dtype=str), "label": pd.Series(dtype=str)})


# --------------------------------------------------------------------------- prevalence


def _joined(labels: pd.DataFrame, segments: pd.DataFrame, extra: Sequence[str] = ()) -> pd.DataFrame:
    seg = segments.assign(segment_id=segments["segment_id"].astype(str), _person=person_key(segments))
    cols = ["segment_id", "_person", *[c for c in extra if c in seg.columns]]
    lab = labels.assign(segment_id=labels["segment_id"].astype(str))[["segment_id", "label"]]
    return lab.merge(seg[cols], on="segment_id", how="inner")


def prevalence(
    labels: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    by: str | None = None,
    base: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """How many people mention each label (overall, or per value of ``by``).

    Parameters
    ----------
    labels : DataFrame
        ``segment_id, label`` (e.g. :func:`code_labels`).
    segments : DataFrame
        The segments table (``participant_id``, ``transcript_id``, attributes).
    by : str, optional
        A participant attribute (``segment``, ``status``, ``wave`` ...).
    base : DataFrame, optional
        The segments whose speakers make the denominator (default: participant
        segments of ``segments``).

    Returns
    -------
    DataFrame with ``label, [by], participants, base, share, segments, evidence``
    (evidence: the segment ids, in transcript order), sorted by share then label.
    """
    import pandas as pd

    base_seg = participant_segments(segments) if base is None else base
    keys = [by] if by else []
    j = _joined(labels, base_seg, keys)
    if by:
        j = j[j[by].notna()]
        denom = base_seg.assign(_person=person_key(base_seg)).dropna(subset=[by]).groupby(by)["_person"].nunique()
    else:
        denom = pd.Series({None: person_key(base_seg).nunique()})
    order = {s: i for i, s in enumerate(segments["segment_id"].astype(str))}
    rows = []
    for key, g in j.groupby(["label", *keys], sort=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        group_val = key[1] if by else None
        b = int(denom.get(group_val, 0)) if by else int(denom.iloc[0])
        n = int(g["_person"].nunique())
        ev = sorted(set(g["segment_id"]), key=lambda s: order.get(s, 0))
        row = {"label": key[0]}
        if by:
            row[by] = group_val
        row.update(participants=n, base=b, share=round(n / b, 4) if b else float("nan"), segments=len(ev), evidence=ev)
        rows.append(row)
    cols = ["label", *keys, "participants", "base", "share", "segments", "evidence"]
    out = pd.DataFrame(rows, columns=cols)
    if out.empty:
        return out
    return out.sort_values(["share", "segments", "label"], ascending=[False, False, True], kind="stable").reset_index(drop=True)


def attribute_columns(segments: pd.DataFrame, *, max_values: int = 12) -> list[str]:
    """Categorical participant attributes worth a crosstab (2..max_values values, not ids or free text)."""
    import pandas as pd

    part = participant_segments(segments)
    out = []
    for c in segments.columns:
        if c in BASE_COLUMNS or c in _PRIVATE or c.startswith("_"):
            continue
        vals = part[c].dropna()
        if vals.empty or pd.api.types.is_float_dtype(vals):
            continue
        n = vals.nunique()
        if 2 <= n <= max_values and (n < vals.shape[0]):
            # numbers with many values (tenure) are not categories
            if pd.api.types.is_numeric_dtype(vals) and n > 6:
                continue
            out.append(c)
    return out


def crosstab(labels: pd.DataFrame, segments: pd.DataFrame, attribute: str) -> pd.DataFrame:
    """Prevalence of each label within each value of a participant ``attribute`` (long/tidy).

    Returns ``label, value, participants, base, share, evidence`` plus ``overall``
    (the label's share across everyone), with every (label, value) pair present
    (zeros included).
    """
    import pandas as pd

    p = prevalence(labels, segments, by=attribute)
    overall = prevalence(labels, segments)
    base_seg = participant_segments(segments)
    denom = base_seg.assign(_person=person_key(base_seg)).dropna(subset=[attribute]).groupby(attribute)["_person"].nunique()
    values = sorted(denom.index, key=str)
    labels_sorted = list(overall["label"]) if len(overall) else []
    idx = {(r["label"], r[attribute]): r for r in p.to_dict("records")} if len(p) else {}
    rows = []
    for lab in labels_sorted:
        for v in values:
            r = idx.get((lab, v))
            b = int(denom[v])
            rows.append({
                "label": lab, "value": v,
                "participants": r["participants"] if r else 0, "base": b,
                "share": r["share"] if r else 0.0,
                "evidence": r["evidence"] if r else [],
            })
    out = pd.DataFrame(rows, columns=["label", "value", "participants", "base", "share", "evidence"])
    if len(out):
        out["overall"] = out["label"].map(dict(zip(overall["label"], overall["share"], strict=True)))
    out.attrs["attribute"] = attribute
    return out


# --------------------------------------------------------------------------- waves


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Two-sided Fisher exact p-value of the 2x2 table ``[[a, b], [c, d]]``.

    Suited to the small counts of qualitative studies (no large-sample
    approximation): the sum of the hypergeometric probabilities of every table with
    the same margins that is no more likely than the observed one (as R and scipy).

    Examples
    --------
    >>> round(fisher_exact(8, 2, 1, 5), 3)
    0.035
    """
    n1, n2, k, n = a + b, c + d, a + c, a + b + c + d
    if n == 0:
        return float("nan")
    denom = math.comb(n, k)

    def pmf(x: int) -> float:
        return math.comb(n1, x) * math.comb(n2, k - x) / denom

    lo, hi = max(0, k - n2), min(k, n1)
    p0 = pmf(a)
    return min(1.0, sum(p for p in (pmf(x) for x in range(lo, hi + 1)) if p <= p0 * (1 + 1e-7)))


def benjamini_hochberg(p: Sequence[float]) -> list[float]:
    """False-discovery-rate adjusted p-values (q-values) of ``p`` (NaN stays NaN)."""
    vals = [(i, x) for i, x in enumerate(p) if x == x]
    m = len(vals)
    q = [float("nan")] * len(p)
    prev = 1.0
    for rank, (i, x) in reversed(list(enumerate(sorted(vals, key=lambda t: t[1]), start=1))):
        prev = min(prev, x * m / rank)
        q[i] = min(prev, 1.0)
    return q


def wave_order(segments: pd.DataFrame, waves: Sequence[object] | None = None) -> list[object]:
    """The waves present in ``segments``, in the study's order (``waves``) or sorted."""
    present = [w for w in segments["wave"].dropna().unique()] if "wave" in segments.columns else []
    if waves:
        norm = {str(w): w for w in present}
        ordered = [norm[str(w)] for w in waves if str(w) in norm]
        return ordered + [w for w in present if str(w) not in {str(x) for x in ordered}]
    try:
        return sorted(present)
    except TypeError:
        return sorted(present, key=str)


def compare_waves(
    labels: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    waves: Sequence[object] | None = None,
    alpha: float = 0.05,
    kind: str = "",
) -> pd.DataFrame:
    """Which labels grew or shrank between consecutive waves, with a Fisher exact test.

    For each pair of consecutive waves (A, B) and each label: the people who
    mentioned it in A and in B (of those who spoke in that wave), the change in
    share (percentage points), the two-sided Fisher exact p-value on the 2x2 table
    (mentioned / not, A / B), its Benjamini-Hochberg q-value across the labels
    of the pair, and a ``direction``: ``grew`` / ``shrank`` when p < ``alpha``,
    ``grew (n.s.)`` / ``shrank (n.s.)`` / ``steady`` otherwise.

    Returns
    -------
    DataFrame with ``kind, label, wave_a, wave_b, n_a, base_a, share_a, n_b,
    base_b, share_b, change_pp, p_value, q_value, test, direction, evidence_a,
    evidence_b``, sorted by pair then p-value.
    """
    import pandas as pd

    cols = ["kind", "label", "wave_a", "wave_b", "n_a", "base_a", "share_a", "n_b", "base_b", "share_b",
            "change_pp", "p_value", "q_value", "test", "direction", "evidence_a", "evidence_b"]
    order = wave_order(segments, waves)
    if len(order) < 2 or labels is None or labels.empty:
        return pd.DataFrame(columns=cols)
    p = prevalence(labels, segments, by="wave")
    idx = {(r["label"], str(r["wave"])): r for r in p.to_dict("records")}
    base_seg = participant_segments(segments)
    denom = base_seg.assign(_person=person_key(base_seg)).dropna(subset=["wave"]).groupby("wave")["_person"].nunique()
    denom = {str(k): int(v) for k, v in denom.items()}
    rows = []
    all_labels = sorted(set(p["label"])) if len(p) else []
    for wa, wb in zip(order[:-1], order[1:], strict=True):
        ba, bb = denom.get(str(wa), 0), denom.get(str(wb), 0)
        pair_rows = []
        for lab in all_labels:
            ra, rb = idx.get((lab, str(wa))), idx.get((lab, str(wb)))
            na, nb = (ra["participants"] if ra else 0), (rb["participants"] if rb else 0)
            sa, sb = (na / ba if ba else float("nan")), (nb / bb if bb else float("nan"))
            pv = fisher_exact(na, ba - na, nb, bb - nb) if ba and bb else float("nan")
            pair_rows.append({
                "kind": kind, "label": lab, "wave_a": wa, "wave_b": wb,
                "n_a": na, "base_a": ba, "share_a": round(sa, 4), "n_b": nb, "base_b": bb, "share_b": round(sb, 4),
                "change_pp": round(100 * (sb - sa), 1), "p_value": round(pv, 4) if pv == pv else pv,
                "test": "Fisher exact (two-sided), people per wave",
                "evidence_a": ra["evidence"] if ra else [], "evidence_b": rb["evidence"] if rb else [],
            })
        qs = benjamini_hochberg([r["p_value"] for r in pair_rows])
        for r, q in zip(pair_rows, qs, strict=True):
            r["q_value"] = round(q, 4) if q == q else q
            sig = r["p_value"] == r["p_value"] and r["p_value"] < alpha
            if r["change_pp"] > 0:
                r["direction"] = "grew" if sig else "grew (n.s.)"
            elif r["change_pp"] < 0:
                r["direction"] = "shrank" if sig else "shrank (n.s.)"
            else:
                r["direction"] = "steady"
        rows.extend(pair_rows)
    out = pd.DataFrame(rows, columns=cols)
    out["_abs"] = out["change_pp"].abs()
    out = out.sort_values(["p_value", "_abs", "label"], ascending=[True, False, True], kind="stable")
    return out.drop(columns="_abs").reset_index(drop=True)


# --------------------------------------------------------------------------- exports


def code_participant_matrix(labels: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """A person x label matrix of 0/1 (1 = mentioned at least once), for statistics software.

    Rows: every participant who spoke (``participant_id``), with their attributes;
    one int column per label.
    """
    import pandas as pd

    part = participant_segments(segments)
    people = part.assign(participant=person_key(part))
    attrs = [c for c in segments.columns if c not in BASE_COLUMNS and c not in _PRIVATE and not c.startswith("_")]
    base = people.groupby("participant", sort=True)[attrs].first() if attrs else pd.DataFrame(index=sorted(people["participant"].unique()))
    base.index.name = "participant"
    j = _joined(labels, part)
    names = sorted(set(j["label"]))
    for name in names:
        who = set(j.loc[j["label"] == name, "_person"])
        base[name] = [int(p in who) for p in base.index]
    return base.reset_index()


def co_occurrence(labels: pd.DataFrame, *, order: Sequence[str] | None = None) -> pd.DataFrame:
    """Label x label counts of segments that carry both labels (diagonal: segments with the label).

    ``order`` picks and orders the labels (default: most frequent first, then by name).

    Examples
    --------
    >>> import pandas as pd
    >>> labels = pd.DataFrame({"segment_id": ["a", "a", "b", "c"], "label": ["Price", "Bill", "Price", "Bill"]})
    >>> co_occurrence(labels).to_dict("index")
    {'Bill': {'Bill': 2, 'Price': 1}, 'Price': {'Bill': 1, 'Price': 2}}
    """
    import pandas as pd

    lab = labels.assign(segment_id=labels["segment_id"].astype(str))[["segment_id", "label"]].drop_duplicates()
    onehot = pd.crosstab(lab["segment_id"], lab["label"]).clip(upper=1)
    counts = onehot.T @ onehot
    if order is None:
        freq = pd.Series(counts.to_numpy().diagonal(), index=counts.index)
        order = sorted(freq.index, key=lambda name: (-freq[name], str(name)))
    out = counts.reindex(index=list(order), columns=list(order), fill_value=0).astype(int)
    out.index.name, out.columns.name = "label", "label"
    return out


def position(segments: pd.DataFrame) -> pd.Series:
    """Where a segment is in its transcript: ``turn 12, 03:25`` (time when known) and chars."""
    import pandas as pd

    def fmt(row) -> str:
        parts = [f"turn {int(row['turn'])}"] if "turn" in row and pd.notna(row.get("turn")) else []
        s = row.get("start_s")
        if s is not None and pd.notna(s):
            s = int(float(s))
            parts.append(f"{s // 3600:d}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60:02d}:{s % 60:02d}")
        if pd.notna(row.get("char_start")) and pd.notna(row.get("char_end")):
            parts.append(f"chars {int(row['char_start'])}-{int(row['char_end'])}")
        return ", ".join(parts)

    return pd.Series([fmt(r) for r in segments.to_dict("records")], index=segments.index, dtype=object)


def quote_table(
    codes: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    code_paths: dict[str, str] | None = None,
) -> pd.DataFrame:
    """One row per coded quote, with the columns a QDA user expects.

    ``quote, participant, <attributes...>, code, code_path, confidence, coder,
    method, transcript, source, position, segment_id``.
    """
    import pandas as pd

    attrs = [c for c in segments.columns if c not in BASE_COLUMNS and c not in _PRIVATE and not c.startswith("_")]
    cols = ["quote", "participant", "speaker", *attrs, "wave", "code", "code_path", "confidence", "coder", "method",
            "transcript", "source", "position", "segment_id"]
    if codes is None or codes.empty:
        return pd.DataFrame(columns=cols)
    seg = segments.assign(segment_id=segments["segment_id"].astype(str))
    seg = seg.assign(participant=person_key(seg), position=position(seg))
    c = codes.assign(segment_id=codes["segment_id"].astype(str))
    c = c[c["confidence"].fillna(1) > 0] if "confidence" in c.columns else c
    out = c.merge(seg, on="segment_id", how="inner")
    out = out.rename(columns={"text": "quote", "transcript_id": "transcript"})
    out["code_path"] = [(code_paths or {}).get(x, x) for x in out["code"]]
    for col in cols:
        if col not in out.columns:
            out[col] = None
    return out[cols].reset_index(drop=True)


# --------------------------------------------------------------------------- journeys


def root_code(code: str, parents: dict[str, str | None] | None) -> str:
    """The top-level ancestor of ``code`` (``parents`` maps a code to its parent).

    >>> root_code("Price rise", {"Price rise": "Price and billing", "Price and billing": None})
    'Price and billing'
    """
    seen: set[str] = set()
    while parents and parents.get(code) and code not in seen:
        seen.add(code)
        code = str(parents[code])
    return code


def stage_valence(
    emotions: pd.DataFrame,
    codes: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    parents: dict[str, str | None] | None = None,
    order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Everyone's emotional journey: mean valence of the segments at each stage.

    A stage is a top-level code (:func:`root_code`); a segment counts at every stage one
    of its codes (confidence > 0) belongs to. ``order`` gives the stages' order (e.g.
    the codebook's top-level codes); others follow by name. Returns ``stage, valence,
    negative_share, segments, participants, evidence`` (evidence: the stage's most
    negative and most positive segments, up to four).

    Examples
    --------
    >>> import pandas as pd
    >>> segs = pd.DataFrame({"segment_id": ["a", "b", "c"], "participant_id": ["P1", "P2", "P2"]})
    >>> emo = pd.DataFrame({"segment_id": ["a", "b", "c"], "valence": [0.5, -0.8, -0.4]})
    >>> codes = pd.DataFrame({"segment_id": ["a", "b", "c"], "code": ["Sign-up", "Engineer", "Engineer"],
    ...                       "confidence": 1.0})
    >>> stage_valence(emo, codes, segs, parents={"Engineer": "Install"}, order=["Sign-up", "Install"])[
    ...     ["stage", "valence", "segments", "participants"]].values.tolist()
    [['Sign-up', 0.5, 1, 1], ['Install', -0.6, 2, 1]]
    """
    import pandas as pd

    c = codes.assign(segment_id=codes["segment_id"].astype(str))
    c = c[c["confidence"].fillna(1) > 0] if "confidence" in c.columns else c
    c = c.assign(stage=[root_code(x, parents) for x in c["code"]])[["segment_id", "stage"]].drop_duplicates()
    emo = emotions.assign(segment_id=emotions["segment_id"].astype(str))[["segment_id", "valence"]].dropna()
    who = pd.DataFrame({"segment_id": segments["segment_id"].astype(str), "_p": person_key(segments)})
    m = c.merge(emo, on="segment_id").merge(who, on="segment_id")
    cols = ["stage", "valence", "negative_share", "segments", "participants", "evidence"]
    if m.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for stage, g in m.groupby("stage", sort=False):
        g = g.sort_values("valence", kind="stable")
        ev = list(dict.fromkeys([*g["segment_id"].head(2), *g["segment_id"].tail(2)[::-1]]))
        rows.append({"stage": stage, "valence": round(float(g["valence"].mean()), 4),
                     "negative_share": round(float((g["valence"] < 0).mean()), 4), "segments": len(g),
                     "participants": int(g["_p"].nunique()), "evidence": ev})
    out = pd.DataFrame(rows, columns=cols)
    rank = {s: i for i, s in enumerate(order or [])}
    out = out.assign(_o=[(rank.get(s, len(rank)), str(s)) for s in out["stage"]]).sort_values("_o", kind="stable")
    return out.drop(columns="_o").reset_index(drop=True)


def journey(
    segments: pd.DataFrame,
    emotions: pd.DataFrame,
    *,
    person: str,
    codes: pd.DataFrame | None = None,
    parents: dict[str, str | None] | None = None,
) -> pd.DataFrame:
    """One person's emotional journey: their segments in order, grouped into stages.

    A segment's stage is the top-level code of its most confident code (``parents``
    maps a code to its parent, e.g. ``{c.name: c.parent for c in codebook.codes}``);
    consecutive segments of one stage make one step, and segments without a code
    join the step before them. Without ``codes`` the steps are the person's turns.

    Returns ``step, stage, valence, top_emotion, n_segments, segment_ids, quote_id``:
    mean valence of the step's scored segments, their most frequent Ekman group
    besides neutral (``neutral`` when none), and the most intense segment as quote.

    Examples
    --------
    >>> import pandas as pd
    >>> segs = pd.DataFrame({"segment_id": ["a", "b", "c"], "participant_id": "P1", "transcript_id": "t",
    ...                      "turn": [1, 3, 5], "text": ["x", "y", "z"]})
    >>> emo = pd.DataFrame({"segment_id": ["a", "b", "c"], "valence": [0.5, -0.8, -0.4],
    ...                     "ekman": ["joy", "anger", "anger"], "intensity": [0.5, 0.9, 0.4]})
    >>> codes = pd.DataFrame({"segment_id": ["a", "b"], "code": ["Sign-up", "Engineer visit"], "confidence": [0.9, 0.8]})
    >>> journey(segs, emo, person="P1", codes=codes, parents={"Engineer visit": "Installation"})[
    ...     ["stage", "valence", "top_emotion", "n_segments"]].values.tolist()
    [['Sign-up', 0.5, 'joy', 1], ['Installation', -0.6, 'anger', 2]]
    """
    import pandas as pd

    seg = segments.assign(segment_id=segments["segment_id"].astype(str), _p=person_key(segments))
    seg = seg[seg["_p"] == str(person)]
    if seg.empty:
        from .schema import InputError

        raise InputError(f"nobody called {person!r} in the segments", fix="use a participant_id (or transcript:speaker)")
    emo = emotions.assign(segment_id=emotions["segment_id"].astype(str))
    seg = seg.merge(emo[["segment_id", *[c for c in ("valence", "ekman", "intensity") if c in emo.columns]]],
                    on="segment_id", how="left")
    order = [c for c in ("wave", "transcript_id", "turn", "char_start") if c in seg.columns]
    seg = seg.sort_values(order, kind="stable") if order else seg
    if codes is not None and len(codes):
        c = codes.assign(segment_id=codes["segment_id"].astype(str))
        c = c[c["confidence"].fillna(1) > 0] if "confidence" in c.columns else c
        best = c.sort_values("confidence", ascending=False, kind="stable").drop_duplicates("segment_id") if "confidence" in c.columns else c.drop_duplicates("segment_id")
        stage = dict(zip(best["segment_id"], (root_code(x, parents) for x in best["code"]), strict=True))
        stages = pd.Series([stage.get(s) for s in seg["segment_id"]], index=seg.index, dtype=object).ffill()
        stages = stages.fillna("(before the first coded segment)")
    else:
        stages = ("turn " + seg["turn"].astype(str)) if "turn" in seg.columns else pd.Series("all", index=seg.index)
    seg = seg.assign(_stage=stages.to_numpy(), _step=(stages != stages.shift()).cumsum().to_numpy())
    rows = []
    for step, g in seg.groupby("_step", sort=True):
        ek = g["ekman"].dropna().astype(str) if "ekman" in g.columns else pd.Series(dtype=str)
        ek = ek[~ek.isin(("", "neutral"))]
        inten = g["intensity"].fillna(-1) if "intensity" in g.columns else pd.Series(0, index=g.index)
        val = g["valence"].mean() if "valence" in g.columns else float("nan")
        rows.append({"step": int(step), "stage": g["_stage"].iloc[0],
                     "valence": round(float(val), 4) if pd.notna(val) else float("nan"),
                     "top_emotion": ek.value_counts().index[0] if len(ek) else "neutral",
                     "n_segments": len(g), "segment_ids": ";".join(g["segment_id"]),
                     "quote_id": g["segment_id"].loc[inten.idxmax()]})
    return pd.DataFrame(rows, columns=["step", "stage", "valence", "top_emotion", "n_segments", "segment_ids", "quote_id"])
