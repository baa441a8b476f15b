"""``workbook.xlsx``: every table of a run as a sheet, for spreadsheets and statistics.

The quote table comes first (quote, participant, attributes, code and code path,
transcript, position), then a participant x code matrix of 0/1, the participants,
the segments, each analysis table that exists, the codebook and the codes compared
between waves. :func:`write_workbook` is re-exported by :mod:`insights.report.exchange`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .data import ReportData

__all__ = ["write_workbook"]

#: the code group of the discovered themes (in code paths here, in the REFI-QDA codebook)
THEMES_PARENT = "Themes (discovered)"
_WIDE_COLUMNS = ("quote", "text", "cause_text", "definition", "include", "exclude")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(text: str) -> str:
    r"""``text`` without the control characters XML (and so a cell or a .qde) cannot hold.

    Examples
    --------
    >>> clean_text("bell\x07 and tab\t")
    'bell  and tab\t'
    """
    return _ILLEGAL_XML.sub(" ", str(text))


def _sheet_frames(data: ReportData) -> dict[str, pd.DataFrame]:
    import pandas as pd

    from .. import summarize as S
    from .sections.appendix import code_path

    seg = data.segments
    frames: dict[str, pd.DataFrame] = {}
    codes = S.applied_codes(data.table("codes"))
    suggested = S.suggested_codes(data.table("codes"))
    book = data.codebook
    paths = {c.name: code_path(book, c.name) for c in book.codes} if book is not None else {}
    quote_frames = []
    if codes is not None:
        quote_frames.append(S.quote_table(codes, seg, code_paths=paths))
    themes_lab = data.labels("themes")
    if themes_lab is not None:
        a = data.table("assignments")
        if a is not None and "probability" in a.columns:
            prob = a[["segment_id", "probability"]].astype({"segment_id": str})
            tcodes = themes_lab.merge(prob, on="segment_id", how="left")
        else:
            tcodes = themes_lab.assign(probability=1.0)
        tcodes = tcodes.rename(columns={"label": "code", "probability": "confidence"}).assign(
            method="topic", coder="insights"
        )
        theme_paths = {c: f"{THEMES_PARENT} / {c}" for c in tcodes["code"].unique()}
        quote_frames.append(S.quote_table(tcodes, seg, code_paths=theme_paths))
    quotes = (
        pd.concat(quote_frames, ignore_index=True) if quote_frames else S.quote_table(None, seg)
    )
    frames["quotes"] = quotes
    if suggested is not None and len(suggested):  # needs review: shown apart, never counted
        frames["suggested_codes"] = S.quote_table(suggested, seg, code_paths=paths)
    theme_pairs = themes_lab[["segment_id", "label"]] if themes_lab is not None else None
    labs = [x for x in (data.labels("codes"), theme_pairs) if x is not None]
    if labs:
        frames["code_x_participant"] = S.code_participant_matrix(
            pd.concat(labs, ignore_index=True), seg
        )
    frames["participants"] = S.participants_table(seg)
    frames["segments"] = seg
    for name in (
        "codes",
        "code_gate",
        "themes",
        "assignments",
        "emotions",
        "triggers",
        "drivers",
        "needs",
        "skipped",
    ):
        t = data.tables.get(name)
        if t is not None and len(t):
            frames[name] = t
    if book is not None:
        frames["codebook"] = pd.DataFrame(
            [
                {
                    "code": c.name,
                    "path": paths.get(c.name, c.name),
                    "parent": c.parent or "",
                    "definition": c.definition,
                    "include": "; ".join(c.include),
                    "exclude": "; ".join(c.exclude),
                    "keywords": "; ".join(c.keywords),
                }
                for c in book.codes
            ]
        )
    lab = data.labels("codes")
    if lab is not None and len(S.wave_order(seg, [w for w, _ in data.waves])) > 1:
        waves = S.compare_waves(lab, seg, waves=[w for w, _ in data.waves], kind="code")
        frames["waves"] = waves.drop(columns=["evidence_a", "evidence_b"])
    return frames


def _cells(col: pd.Series) -> list:
    """The cell values of a column: as pandas' ``to_excel`` writes them.

    Missing values are empty cells, infinities ``inf``/``-inf``, numpy scalars Python
    numbers, lists and tuples (evidence) ``;``-joined, text without the control
    characters a cell cannot hold.
    """
    import math

    import pandas as pd

    out = []
    for v in col.tolist():
        if isinstance(v, (list, tuple)):
            v = "; ".join(map(str, v))
        if isinstance(v, str):
            out.append(clean_text(v) if v else None)
        elif v is None or v is pd.NaT or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
            out.append(None)
        elif isinstance(v, float) and math.isinf(v):
            out.append("inf" if v > 0 else "-inf")
        else:
            out.append(v)
    return out


def write_workbook(data: ReportData, path: str | Path) -> Path:
    """Write ``workbook.xlsx``: one sheet per table, the quote table first, frozen header rows.

    Sheets: ``quotes`` (quote, participant, attributes, code, code_path, transcript,
    position …), ``code_x_participant`` (0/1), ``participants``, ``segments``,
    ``codes``, ``themes``, ``assignments``, ``emotions``, ``triggers`` (those that
    exist), ``codebook``, ``waves``.

    Parameters
    ----------
    data : ReportData
        The run's tables.
    path : str or Path
        The ``.xlsx`` file to write.

    Returns
    -------
    Path
        ``path``.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    path = Path(path)
    frames = _sheet_frames(data)
    # write-only: rows stream to the file instead of living as cell objects (half the
    # time, and memory bounded by a row)
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for name, df in frames.items():
        ws = wb.create_sheet(name[:31])
        columns = list(df.columns)
        if not columns:
            continue
        ws.freeze_panes = "A2"
        wrapped = []
        for j, col in enumerate(columns, start=1):
            if col in _WIDE_COLUMNS:
                width = 60
                if len(df) <= 20000:
                    wrapped.append(j - 1)
            else:
                longest = (
                    max(len(str(col)), *(len(str(v)) for v in df[col].head(200)))
                    if len(df)
                    else len(str(col))
                )
                width = min(longest + 2, 30)
            ws.column_dimensions[get_column_letter(j)].width = width
        head = []
        for col in columns:
            cell = WriteOnlyCell(ws, value=str(col))
            cell.font = bold
            head.append(cell)
        ws.append(head)
        for row in zip(*(_cells(df[c]) for c in columns), strict=True):
            row = list(row)
            for j in wrapped:
                cell = WriteOnlyCell(ws, value=row[j])
                cell.alignment = wrap
                row[j] = cell
            ws.append(row)
        if len(df):
            ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(df) + 1}"
    wb.save(path)
    return path
