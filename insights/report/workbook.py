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
    import pandas as pd
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    path = Path(path)
    frames = _sheet_frames(data)
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, df in frames.items():
            df = df.copy()
            for c in df.columns:  # lists (evidence) and illegal control characters are not cells
                if df[c].dtype == object:
                    df[c] = [
                        (
                            "; ".join(map(str, v))
                            if isinstance(v, (list, tuple))
                            else (clean_text(v) if isinstance(v, str) else v)
                        )
                        for v in df[c]
                    ]
            df.to_excel(xw, sheet_name=name[:31], index=False)
            ws = xw.sheets[name[:31]]
            ws.freeze_panes = "A2"
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for j, col in enumerate(df.columns, start=1):
                if col in _WIDE_COLUMNS:
                    width = 60
                else:
                    longest = (
                        max(len(str(col)), *(len(str(v)) for v in df[col].head(200)))
                        if len(df)
                        else len(str(col))
                    )
                    width = min(longest + 2, 30)
                ws.column_dimensions[get_column_letter(j)].width = width
                if width == 60 and len(df) <= 20000:
                    for cell in ws.iter_cols(min_col=j, max_col=j, min_row=2):
                        for c in cell:
                            c.alignment = Alignment(wrap_text=True, vertical="top")
            if len(df):
                ws.auto_filter.ref = ws.dimensions
    return path
