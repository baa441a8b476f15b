"""People and labels: who said each segment, how many people mention each label.

Counts are of *people*: a person counts once for a label however many of their
segments carry it. Who a person is comes from :func:`insights.schema.person_key`;
whose words count from :func:`insights.schema.analysed_rows`. Every count carries
``evidence``, the segment ids behind it, so a report can link it to its quotes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from insights.codebook import SUGGESTED
from insights.schema import (
    EMOTION_FLOOR,
    SEGMENT_COLUMNS,
    InputError,
    analysed_rows,
    person_key,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


#: columns of the segments table that are not participant attributes
BASE_COLUMNS = frozenset({*SEGMENT_COLUMNS, "words"})


PRIVATE_COLUMNS = frozenset({"name", "aliases", "transcript", "email", "phone"})


def person_label(segments: pd.DataFrame) -> pd.Series:
    """Who to name beside a quote.

    It is :func:`insights.schema.person_key`, and ``<transcript_id>:?`` for text said by
    nobody (a title line).
    """
    import pandas as pd

    key = person_key(segments)
    tid = (
        segments["transcript_id"].astype(str)
        if "transcript_id" in segments.columns
        else pd.Series("input", index=segments.index)
    )
    return key.where(key.notna(), tid + ":?")


def participant_segments(segments: pd.DataFrame) -> pd.DataFrame:
    """The segments whose speakers are counted.

    They are the analysed rows (:func:`insights.schema.analysed_rows`) that a person said
    (:func:`insights.schema.person_key` is not missing).
    """
    part = analysed_rows(segments)
    return part[person_key(part).notna()]


def long_labels(df: pd.DataFrame, column: str, *, sep: str = ";") -> pd.DataFrame:
    """``segment_id, label`` with one row per label of a (possibly ``;``-joined) column."""
    import pandas as pd

    if df is None or df.empty or column not in df.columns:
        return pd.DataFrame({"segment_id": pd.Series(dtype=str), "label": pd.Series(dtype=str)})
    s = df[["segment_id", column]].dropna()
    s = s.assign(label=s[column].astype(str).str.split(sep)).explode("label")
    s["label"] = s["label"].str.strip()
    s = s[s["label"] != ""]
    return (
        s.assign(segment_id=s["segment_id"].astype(str))[["segment_id", "label"]]
        .drop_duplicates()
        .reset_index(drop=True)
    )


def applied_codes(codes: pd.DataFrame | None) -> pd.DataFrame | None:
    """The codings that count as findings: without ``status=suggested`` rows.

    A code that has not passed the study's agreement gate (see
    :func:`insights.summarize.code_gate`) is only suggested: its codings are shown
    apart ("needs review"), never counted in prevalence, charts, drivers or waves.

    Examples
    --------
    >>> import pandas as pd
    >>> codes = pd.DataFrame({"segment_id": ["s1", "s2"], "code": ["A", "B"],
    ...                       "status": ["applied", "suggested"]})
    >>> applied_codes(codes)["code"].tolist()
    ['A']
    """
    if codes is None or "status" not in codes.columns:
        return codes
    return codes[codes["status"] != SUGGESTED].reset_index(drop=True)


def suggested_codes(codes: pd.DataFrame | None) -> pd.DataFrame | None:
    """The ``status=suggested`` codings (None when the table has no status column)."""
    if codes is None or "status" not in codes.columns:
        return None
    return codes[codes["status"] == SUGGESTED].reset_index(drop=True)


def code_labels(codes: pd.DataFrame, *, min_confidence: float = 0.0) -> pd.DataFrame:
    """``segment_id, label`` of the applied codings (:func:`applied_codes`), rejections left out."""
    if codes is None or codes.empty:
        return long_labels(None, "code")
    c = applied_codes(codes)
    if "confidence" in c.columns:
        c = c[c["confidence"].fillna(1.0) >= max(min_confidence, 1e-9)]
    return long_labels(c, "code")


def theme_labels(assignments: pd.DataFrame, themes: pd.DataFrame | None = None) -> pd.DataFrame:
    """``segment_id, label, theme_id`` from theme assignments.

    Outliers (``theme_id`` -1) are left out.
    """
    import pandas as pd

    if assignments is None or assignments.empty:
        return pd.DataFrame(
            {
                "segment_id": pd.Series(dtype=str),
                "label": pd.Series(dtype=str),
                "theme_id": pd.Series(dtype="int64"),
            }
        )
    a = assignments[pd.to_numeric(assignments["theme_id"], errors="coerce").fillna(-1) >= 0].copy()
    a["theme_id"] = pd.to_numeric(a["theme_id"]).astype("int64")
    names = {}
    if themes is not None and not themes.empty and "label" in themes.columns:
        names = dict(
            zip(
                pd.to_numeric(themes["theme_id"]).astype("int64"),
                themes["label"].astype(str),
                strict=True,
            )
        )
    a["label"] = [names.get(t, f"Theme {t}") for t in a["theme_id"]]
    a["segment_id"] = a["segment_id"].astype(str)
    return a[["segment_id", "label", "theme_id"]].reset_index(drop=True)


def n_approval(emotions: pd.DataFrame) -> int:
    """How many segments of an emotions table the emotion stage noted as approval.

    Agreement or praise with no feeling stated ("I agree.", "That sounds good."):
    :func:`insights.emotions.approval_rows`; no emotion is counted for them.

    Examples
    --------
    >>> import pandas as pd
    >>> from insights.emotions import APPROVAL_NOTE
    >>> n_approval(pd.DataFrame({"segment_id": ["a", "b"], "note": [APPROVAL_NOTE, ""]}))
    1
    """
    from insights.emotions import approval_rows

    return int(approval_rows(emotions).sum())


def emotion_labels(
    emotions: pd.DataFrame,
    *,
    column: str = "ekman",
    neutral: bool = False,
    floor: float | None = EMOTION_FLOOR,
    approval: bool = False,
) -> pd.DataFrame:
    """``segment_id, label`` from an emotions table: the emotions heard with confidence.

    The labels are ``ekman`` groups by default (``column="emotions"``: the 28 labels);
    ``neutral`` is left out. A label counts only when its score reaches ``floor``
    (:data:`insights.schema.EMOTION_FLOOR`, chosen on held-out data): ``p_<label>``, and
    for an Ekman group the best ``p_<label>`` of its labels. Passing the model's own
    threshold is not enough: a person has hundreds of segments, so a label that is wrong
    one time in two would count nearly everyone. A table without the ``p_`` scores (hand
    coded, say) and ``floor=None`` keep every label; neutral is never floored. Rows noted
    as approval (:func:`insights.emotions.approval_rows`) are left out, unless
    ``approval`` (the needs, which count a segment only when it names its theme: "The
    speed is amazing for the price" is a delight of the speed, "I agree." names nothing).

    Examples
    --------
    >>> import pandas as pd
    >>> emo = pd.DataFrame({"segment_id": ["a", "b"], "emotions": ["annoyance", "joy"],
    ...                     "ekman": ["anger", "joy"], "p_anger": [0.1, 0.0],
    ...                     "p_annoyance": [0.95, 0.0], "p_disapproval": [0.2, 0.0],
    ...                     "p_joy": [0.0, 0.6]})
    >>> emotion_labels(emo)["label"].tolist()
    ['anger']
    >>> emotion_labels(emo, floor=None)["label"].tolist()
    ['anger', 'joy']
    """
    import pandas as pd

    from insights.emotions import EKMAN, approval_rows

    # approval said without a feeling ("I agree.", "That sounds good.") is no emotion heard
    out = long_labels(emotions if approval else emotions[~approval_rows(emotions)], column)
    if floor is not None and len(out):
        members = EKMAN if column == "ekman" else {}
        scored = emotions.assign(segment_id=emotions["segment_id"].astype(str))
        scored = scored.drop_duplicates("segment_id").set_index("segment_id")
        keep = pd.Series(True, index=out.index)
        for lab in out["label"].unique():
            cols = [f"p_{x}" for x in members.get(lab, (lab,)) if f"p_{x}" in scored.columns]
            if lab == "neutral" or not cols:
                continue
            best = scored[cols].apply(pd.to_numeric, errors="coerce").max(axis=1)
            rows = out["label"] == lab
            keep[rows] = out.loc[rows, "segment_id"].map(best).fillna(-1.0).to_numpy() >= floor
        out = out[keep]
    return (out if neutral else out[out["label"] != "neutral"]).reset_index(drop=True)


def trigger_labels(
    triggers: pd.DataFrame, *, intent: str | None = None, column: str = "theme"
) -> pd.DataFrame:
    """``segment_id, label`` from triggers (optionally of one ``intent``).

    The label is ``column`` (the cause's theme).
    """
    import pandas as pd

    if triggers is None or triggers.empty or column not in triggers.columns:
        return long_labels(None, column)
    t = triggers if intent is None else triggers[triggers["intent"] == intent]
    t = t.assign(
        **{column: t[column].where(t[column].notna() & (t[column].astype(str) != ""), "(no theme)")}
    )
    out = long_labels(t, column)
    return (
        out
        if len(out)
        else pd.DataFrame({"segment_id": pd.Series(dtype=str), "label": pd.Series(dtype=str)})
    )


def joined_people(
    labels: pd.DataFrame, segments: pd.DataFrame, extra: Sequence[str] = ()
) -> pd.DataFrame:
    """``labels`` with the person who said each (segments said by nobody are left out)."""
    seg = segments.assign(
        segment_id=segments["segment_id"].astype(str), _person=person_key(segments)
    )
    seg = seg[seg["_person"].notna()]
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
    j = joined_people(labels, base_seg, keys)
    if by:
        j = j[j[by].notna()]
        denom = (
            base_seg.assign(_person=person_key(base_seg))
            .dropna(subset=[by])
            .groupby(by)["_person"]
            .nunique()
        )
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
        row.update(
            participants=n,
            base=b,
            share=round(n / b, 4) if b else float("nan"),
            segments=len(ev),
            evidence=ev,
        )
        rows.append(row)
    cols = ["label", *keys, "participants", "base", "share", "segments", "evidence"]
    out = pd.DataFrame(rows, columns=cols)
    if out.empty:
        return out
    return out.sort_values(
        ["share", "segments", "label"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)


def attribute_columns(segments: pd.DataFrame, *, max_values: int = 12) -> list[str]:
    """Categorical participant attributes worth a crosstab.

    They have 2..max_values values and are not ids or free text.
    """
    import pandas as pd

    part = participant_segments(segments)
    out = []
    for c in segments.columns:
        if c in BASE_COLUMNS or c in PRIVATE_COLUMNS or c.startswith("_"):
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
    denom = (
        base_seg.assign(_person=person_key(base_seg))
        .dropna(subset=[attribute])
        .groupby(attribute)["_person"]
        .nunique()
    )
    values = sorted(denom.index, key=str)
    labels_sorted = list(overall["label"]) if len(overall) else []
    idx = {(r["label"], r[attribute]): r for r in p.to_dict("records")} if len(p) else {}
    rows = []
    for lab in labels_sorted:
        for v in values:
            r = idx.get((lab, v))
            b = int(denom[v])
            rows.append(
                {
                    "label": lab,
                    "value": v,
                    "participants": r["participants"] if r else 0,
                    "base": b,
                    "share": r["share"] if r else 0.0,
                    "evidence": r["evidence"] if r else [],
                }
            )
    out = pd.DataFrame(
        rows, columns=["label", "value", "participants", "base", "share", "evidence"]
    )
    if len(out):
        out["overall"] = out["label"].map(
            dict(zip(overall["label"], overall["share"], strict=True))
        )
    out.attrs["attribute"] = attribute
    return out


def code_participant_matrix(labels: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """A person x label matrix of 0/1 (1 = mentioned at least once), for statistics software.

    Rows: every participant who spoke (``participant_id``), with their attributes;
    one int column per label.
    """
    import pandas as pd

    part = participant_segments(segments)
    people = part.assign(participant=person_key(part))
    attrs = [
        c
        for c in segments.columns
        if c not in BASE_COLUMNS and c not in PRIVATE_COLUMNS and not c.startswith("_")
    ]
    base = (
        people.groupby("participant", sort=True)[attrs].first()
        if attrs
        else pd.DataFrame(index=sorted(people["participant"].unique()))
    )
    base.index.name = "participant"
    j = joined_people(labels, part)
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
    >>> labels = pd.DataFrame({"segment_id": ["a", "a", "b", "c"],
    ...                        "label": ["Price", "Bill", "Price", "Bill"]})
    >>> co_occurrence(labels).to_dict("index")
    {'Bill': {'Bill': 2, 'Price': 1}, 'Price': {'Bill': 1, 'Price': 2}}
    """
    import pandas as pd

    lab = labels.assign(segment_id=labels["segment_id"].astype(str))[
        ["segment_id", "label"]
    ].drop_duplicates()
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
            parts.append(
                f"{s // 3600:d}:{s % 3600 // 60:02d}:{s % 60:02d}"
                if s >= 3600
                else f"{s // 60:02d}:{s % 60:02d}"
            )
        if pd.notna(row.get("char_start")) and pd.notna(row.get("char_end")):
            parts.append(f"chars {int(row['char_start'])}-{int(row['char_end'])}")
        return ", ".join(parts)

    return pd.Series(
        [fmt(r) for r in segments.to_dict("records")], index=segments.index, dtype=object
    )


def quote_table(
    codes: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    code_paths: dict[str, str] | None = None,
) -> pd.DataFrame:
    """One row per coded quote, with the columns a QDA user expects.

    ``quote, participant, <attributes...>, code, code_path, confidence, coder,
    method, transcript, source, position, segment_id``, and ``coding_status`` (the codes
    table's ``status``, renamed so it cannot meet a participant attribute named status)
    when the codes have one.
    """
    import pandas as pd

    attrs = [
        c
        for c in segments.columns
        if c not in BASE_COLUMNS and c not in PRIVATE_COLUMNS and not c.startswith("_")
    ]
    cols = [
        "quote",
        "participant",
        "speaker",
        *attrs,
        "wave",
        "code",
        "code_path",
        "confidence",
        "coder",
        "method",
        "transcript",
        "source",
        "position",
        "segment_id",
    ]
    if codes is not None and "status" in codes.columns:
        codes = codes.rename(columns={"status": "coding_status"})
        cols.append("coding_status")
    if codes is None or codes.empty:
        return pd.DataFrame(columns=cols)
    seg = segments.assign(segment_id=segments["segment_id"].astype(str))
    seg = seg.assign(participant=person_label(seg), position=position(seg))
    c = codes.assign(segment_id=codes["segment_id"].astype(str))
    c = c[c["confidence"].fillna(1) > 0] if "confidence" in c.columns else c
    out = c.merge(seg, on="segment_id", how="inner")
    out = out.rename(columns={"text": "quote", "transcript_id": "transcript"})
    out["code_path"] = [(code_paths or {}).get(x, x) for x in out["code"]]
    for col in cols:
        if col not in out.columns:
            out[col] = None
    return out[cols].reset_index(drop=True)


def theme_prevalence(
    assignments: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    by: str = "segment",
    themes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Share of the people in each group of ``by`` who speak about each theme.

    :func:`prevalence` of the theme assignments by ``by``, with the columns of
    ``theme_prevalence.csv``: ``theme_id, label, <by>, participants,
    group_participants, share``. Groups come from the segments table (participant
    attributes such as ``segment`` or ``status``).
    """
    if by not in segments.columns:
        raise InputError(
            f"the segments table has no column {by!r} to break prevalence down by",
            fix="join the participant sheet (participants.csv) or choose another column",
        )
    lab = theme_labels(assignments, themes)
    out = prevalence(lab.assign(label=lab["theme_id"]), segments, by=by)
    out = out.rename(columns={"label": "theme_id", "base": "group_participants"})
    names = {}
    if themes is not None:
        names = dict(
            zip(themes["theme_id"].astype("int64"), themes["label"].astype(str), strict=True)
        )
    out["label"] = [names.get(t, "") for t in out["theme_id"]]
    cols = ["theme_id", "label", by, "participants", "group_participants", "share"]
    return out[cols].sort_values(["theme_id", by]).reset_index(drop=True)
