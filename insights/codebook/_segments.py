"""The rows a codebook codes: ``segment_id`` and ``text`` of a segments table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from insights.errors import InputError
from insights.schema import ANALYSED_ROLES, analysed_rows, require_columns, segment_ids

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def prepare_segments(segments: pd.DataFrame, *, roles: Sequence[str] | None = None) -> pd.DataFrame:
    """``segment_id`` + ``text`` of the rows to code, without rows of empty text.

    Ids come from :func:`insights.schema.segment_ids` (``segment_id``, else ``id``,
    else the row number), taken before any row is left out. With ``roles``, only rows
    whose ``role`` is one of them (or missing) are kept; the default roles of
    :func:`code_segments` are :data:`insights.schema.ANALYSED_ROLES`, which is
    :func:`insights.schema.analysed_rows`.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"text": ["Hi.", "Fine.", " "], "role": ["interviewer", None, None]})
    >>> prepare_segments(seg, roles=("participant", "unknown")).to_dict("records")
    [{'segment_id': '1', 'text': 'Fine.'}]
    """
    import pandas as pd

    require_columns(segments, ["text"], table="segments")
    df = segments.assign(segment_id=segment_ids(segments).to_numpy())
    if roles is not None and "role" in df.columns:
        if set(roles) == set(ANALYSED_ROLES):
            df = analysed_rows(df)
        else:
            df = df[df["role"].isin(roles) | df["role"].isna()]
    out = pd.DataFrame(
        {
            "segment_id": df["segment_id"].to_numpy(),
            "text": df["text"].fillna("").astype(str).to_numpy(),
        }
    )
    dup = out["segment_id"].duplicated()
    if dup.any():
        raise InputError(
            f"segment_id {out['segment_id'][dup].iloc[0]!r} appears more than once",
            fix="give every segment a unique segment_id",
        )
    return out[out["text"].str.strip() != ""].reset_index(drop=True)
