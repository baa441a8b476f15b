r"""Tables a study keeps beside its transcripts: CSV side files and the participant sheet.

:func:`read_csv_table` reads any CSV table (``decisions.csv``, a segments table, a
codes table) in any encoding :func:`~insights.io.decode_bytes` detects, with id
columns kept as text; :func:`load_participants` reads and checks ``participants.csv``.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "participants.csv"
>>> _ = p.write_text("participant_id,segment,tenure_months\nP1,new,3\nP2,long-standing,40\n")
>>> load_participants(p).to_dict("records")[1]
{'participant_id': 'P2', 'segment': 'long-standing', 'tenure_months': 40}
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ._base import read_text_file

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["read_csv_table", "load_participants"]


def read_csv_table(path: str | Path, *, what: str = "a table with a header row") -> pd.DataFrame:
    """Read a CSV table in any encoding :func:`insights.io.decode_bytes` detects.

    Id columns (``segment_id``, ``cause_segment_id``, ``id``, ``participant_id``,
    ``transcript_id``, ``speaker``) stay text. A missing, empty or malformed file is
    an :class:`~insights.errors.InputError` naming the file (and the line).
    """
    import pandas as pd

    path = Path(path)
    if not os.path.lexists(path):
        raise InputError("does not exist", fix="check the path", file=path)
    text = read_text_file(path, what=what)
    ids = ("segment_id", "cause_segment_id", "id", "participant_id", "transcript_id", "speaker")
    try:
        return pd.read_csv(io.StringIO(text), dtype=dict.fromkeys(ids, str), keep_default_na=True)
    except pd.errors.ParserError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise InputError(
            f"{'line ' + line.group(1) + ': ' if line else ''}is not a valid CSV table",
            fix="check that fields with commas or quotes are quoted, or export the table again",
            file=path,
        ) from None
    except pd.errors.EmptyDataError:
        raise InputError("is empty", fix=f"pass {what}", file=path) from None


def load_participants(path: str | Path) -> pd.DataFrame:
    """Read ``participants.csv``: a ``participant_id`` column and any attributes."""
    import pandas as pd

    path = Path(path)
    text = read_text_file(path, what="participants.csv")
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(
            f"is not a valid CSV table ({str(exc).splitlines()[0]})",
            fix="save it as CSV with a header row",
            file=path,
        ) from None
    df.columns = [str(c).strip() for c in df.columns]
    if "participant_id" not in df.columns:
        raise InputError(
            f"has no 'participant_id' column (columns: {', '.join(df.columns)})",
            fix="name the column that identifies each participant 'participant_id'",
            file=path,
        )
    ids = df["participant_id"].str.strip()
    for i, v in enumerate(ids):
        if not v:
            raise InputError(
                "participant_id is empty",
                fix="give every participant an id",
                file=path,
                where=f"row {i + 2}",
            )
    dup = ids[ids.duplicated()]
    if len(dup):
        raise InputError(
            f"participant_id {dup.iloc[0]!r} appears more than once",
            fix="give every participant one row",
            file=path,
            where=f"row {int(dup.index[0]) + 2}",
        )
    df["participant_id"] = ids
    df = df.replace({"": None})
    for col in df.columns:  # numbers stay numbers (tenure_months, wave)
        if col != "participant_id":
            conv = pd.to_numeric(df[col], errors="coerce")
            if conv.notna().sum() == df[col].notna().sum() and df[col].notna().any():
                df[col] = conv
    return df
