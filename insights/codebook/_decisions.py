"""Human decisions: ``coder=human`` rows that accept (1) or reject (0) a coding."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from insights.errors import InputError
from insights.schema import CODE_COLUMNS, require_columns, segment_ids

from ._code import HUMAN_CODER

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def _decision_frame(decisions: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    require_columns(decisions, ["segment_id", "code"], table="decisions")
    d = decisions.copy()
    if "confidence" not in d.columns:
        d["confidence"] = 1.0
    if "coder" not in d.columns:
        d["coder"] = HUMAN_CODER
    d["method"] = "human"
    d["segment_id"] = d["segment_id"].astype(str)
    d["confidence"] = pd.to_numeric(d["confidence"], errors="coerce").fillna(1.0).clip(0, 1)
    # the last decision on a (segment, code) wins; extra columns (the QDA tool's `user`) stay
    extra = [c for c in d.columns if c not in CODE_COLUMNS]
    last = d.drop_duplicates(["segment_id", "code"], keep="last")
    return last[[*CODE_COLUMNS, *extra]].reset_index(drop=True)


def merge_decisions(*tables: pd.DataFrame | None) -> pd.DataFrame:
    """One decisions table from several, in order: the last decision on a (segment, code) wins.

    Examples
    --------
    >>> import pandas as pd
    >>> old = pd.DataFrame({"segment_id": ["s1"], "code": ["Price"], "confidence": [1.0]})
    >>> new = pd.DataFrame({"segment_id": ["s1"], "code": ["Price"], "confidence": [0.0],
    ...                     "user": ["Ana"]})
    >>> merge_decisions(old, new)[["segment_id", "confidence", "user"]].to_dict("records")
    [{'segment_id': 's1', 'confidence': 0.0, 'user': 'Ana'}]
    """
    import pandas as pd

    # each table filled in on its own first: one without `coder` is human decisions, even
    # when another table brings the column
    parts = [_decision_frame(t) for t in tables if t is not None and not t.empty]
    if not parts:
        return pd.DataFrame(columns=list(CODE_COLUMNS))
    return _decision_frame(pd.concat(parts, ignore_index=True))


def apply_decisions(codes: pd.DataFrame, decisions: pd.DataFrame) -> pd.DataFrame:
    """Model codes with human decisions applied.

    Accepted ones become ``coder=human`` rows with confidence 1, rejected ones disappear.
    """
    import pandas as pd

    d = _decision_frame(decisions)
    if d.empty:
        return codes.copy()
    decided = set(zip(d["segment_id"], d["code"], strict=True))
    keep = [
        (sid, code) not in decided
        for sid, code in zip(codes["segment_id"].astype(str), codes["code"], strict=True)
    ]
    accepted = d[d["confidence"] >= 0.5].assign(confidence=1.0)
    return pd.concat([codes[keep], accepted], ignore_index=True)[list(CODE_COLUMNS)]


def decide(
    decisions: pd.DataFrame | None,
    segment_id: str | Sequence[str],
    code: str | Sequence[str],
    *,
    accept: bool | Sequence[bool],
    coder: str = HUMAN_CODER,
) -> pd.DataFrame:
    """A new decisions table with the given accept / reject decisions added.

    Examples
    --------
    >>> d = decide(None, ["s1", "s2"], "Price", accept=[True, False])
    >>> d[["segment_id", "code", "confidence", "coder"]].to_dict("records")[1]
    {'segment_id': 's2', 'code': 'Price', 'confidence': 0.0, 'coder': 'human'}
    """
    import pandas as pd

    ids = [segment_id] if isinstance(segment_id, str) else list(segment_id)
    codes = [code] * len(ids) if isinstance(code, str) else list(code)
    accepts = [accept] * len(ids) if isinstance(accept, bool) else list(accept)
    if not (len(ids) == len(codes) == len(accepts)):
        raise InputError(
            "segment_id, code and accept have different lengths",
            fix="pass lists of equal length",
        )
    new = pd.DataFrame(
        {
            "segment_id": [str(s) for s in ids],
            "code": codes,
            "confidence": [1.0 if a else 0.0 for a in accepts],
            "method": "human",
            "coder": coder,
        }
    )
    return merge_decisions(decisions, new)


def review_table(
    codes: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    low: float = 0.0,
    high: float = 0.75,
    extra_columns: Sequence[str] = ("participant_id",),
) -> pd.DataFrame:
    """Model codings with ``low <= confidence < high`` next to their text, least sure first.

    ``segments`` are joined on :func:`insights.schema.segment_ids` (``segment_id``, else
    ``id``, else the row number), the ids :func:`code_segments` gave them.
    """
    sure = codes["confidence"]
    c = codes[(codes["coder"] != HUMAN_CODER) & (sure >= low) & (sure < high)]
    cols = ["segment_id", "text", *[x for x in extra_columns if x in segments.columns]]
    seg = segments.assign(segment_id=segment_ids(segments).to_numpy())[cols]
    out = c.merge(seg, on="segment_id", how="left")
    return out.sort_values("confidence", kind="stable").reset_index(drop=True)


def review_queue(
    codes: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    decisions: pd.DataFrame | None = None,
    rule_codes: Sequence[str] = (),
    threshold: float = 0.5,
    limit: int | None = None,
) -> pd.DataFrame:
    """Model codings to review, ordered by how much a decision would teach the coder.

    ``codes`` should hold the model's codings and near misses
    (``code_segments(..., keep_below=0.1)``). Within each code, a coding's ``priority`` is

    - its uncertainty, ``1 - |2 confidence - 1|`` (``confidence`` 0.5: the least sure);
    - times 1.5 when rule and model disagree: a keyword hit the model doubts
      (``method="rule"``, confidence below ``threshold``), or a confident coding without a
      keyword hit for a code that has keywords (``rule_codes``).

    The queue takes the codes in turn (stratified by code): each code's most teaching
    coding, then each code's second, and so on; within a turn, codes with fewer decisions
    so far first (then the more uncertain coding). So every code is taught from the first
    dozen reviews, not the one code whose codings happen to be the least sure (on SemEval
    dev, tune quarters, 24 / 60 / 120 reviews: micro-F1 0.571 / 0.571 / 0.521 against
    0.545 / 0.533 / 0.510 at random and 0.487 / 0.545 / 0.536 for uncertainty alone).
    Pairs already decided are left out; one row per segment (its first coding in that
    order). The text comes with the segment's neighbours in its transcript (``before``,
    ``after``).

    Examples
    --------
    >>> import pandas as pd
    >>> codes = pd.DataFrame({"segment_id": ["a", "b", "c"], "code": "Price",
    ...                       "confidence": [0.95, 0.52, 0.2], "method": "semantic",
    ...                       "coder": "insights"})
    >>> segs = pd.DataFrame({"segment_id": ["a", "b", "c"], "text": ["x", "y", "z"]})
    >>> review_queue(codes, segs)["segment_id"].tolist()
    ['b', 'c', 'a']
    """
    import numpy as np

    from insights.schema import segment_ids as ids_of

    seg = segments.assign(segment_id=ids_of(segments).to_numpy()).reset_index(drop=True)
    group = seg["transcript_id"] if "transcript_id" in seg.columns else pd_series(len(seg))
    text = seg["text"].fillna("").astype(str)
    same_prev = group.eq(group.shift(1))
    same_next = group.eq(group.shift(-1))
    seg = seg.assign(
        before=text.shift(1).where(same_prev, ""), after=text.shift(-1).where(same_next, "")
    )
    if "speaker" in seg.columns:  # who says the turns before and after (for the review widget)
        who = seg["speaker"].fillna("").astype(str)
        seg = seg.assign(
            before_speaker=who.shift(1).where(same_prev, ""),
            after_speaker=who.shift(-1).where(same_next, ""),
        )
    c = codes[codes["coder"] != HUMAN_CODER].copy()
    c["segment_id"] = c["segment_id"].astype(str)
    d = _decision_frame(decisions) if decisions is not None and len(decisions) else None
    counts: dict[str, int] = {}
    if d is not None:
        done = set(zip(d["segment_id"], d["code"], strict=True))
        keep = [(s, k) not in done for s, k in zip(c["segment_id"], c["code"], strict=True)]
        c = c[keep]
        counts = d["code"].value_counts().to_dict()
    conf = c["confidence"].astype(float).to_numpy()
    uncertainty = 1.0 - np.abs(2.0 * conf - 1.0)
    is_rule = (c["method"] == "rule").to_numpy()
    has_kw = c["code"].isin(set(rule_codes)).to_numpy()
    disagree = (is_rule & (conf < threshold)) | (~is_rule & has_kw & (conf >= threshold))
    c = c.assign(
        priority=np.round(uncertainty * np.where(disagree, 1.5, 1.0), 4),
        disagreement=disagree,
    )
    c = c.sort_values("priority", ascending=False, kind="stable")
    # stratified by code: every code's best coding, then every code's second, ...
    c = c.assign(
        _turn=c.groupby("code", sort=False).cumcount(),
        _done=c["code"].map(counts).fillna(0).to_numpy(dtype=float),
    )
    c = c.sort_values(["_turn", "_done", "priority"], ascending=[True, True, False], kind="stable")
    c = c.drop(columns=["_turn", "_done"]).drop_duplicates("segment_id", keep="first")
    cols = ["segment_id", "text", "before", "after"]
    extra = [
        x
        for x in ("participant_id", "transcript_id", "speaker", "before_speaker", "after_speaker")
        if x in seg.columns
    ]
    out = c.merge(seg[[*cols, *extra]], on="segment_id", how="left").reset_index(drop=True)
    return out.head(limit) if limit is not None else out


def pd_series(n: int):
    """A constant series of length ``n`` (one transcript)."""
    import pandas as pd

    return pd.Series([0] * n)
