"""Reports: the content of each section from tidy summary tables, rendered three ways.

One function per section (:mod:`.sections`) builds a :class:`~.content.Section`
from the run's tables; :func:`build_report` assembles them with the evidence behind
every number; :func:`render_html`, :func:`render_markdown` and :func:`render_docx`
lay the same content out; :func:`write_reports` writes ``report.html``,
``report.md`` (+ ``charts/``), ``report.docx``, ``workbook.xlsx`` and
``study.qdpx`` into a folder. The report reads tables and calls no analysis: the
data comes in as a :class:`ReportData` (:func:`insights.study.report_data` builds
one for a study).

Examples
--------
>>> import pandas as pd
>>> from insights.report import ReportData, build_report, render_markdown
>>> segments = pd.DataFrame({
...     "segment_id": ["t:1", "t:2"], "transcript_id": "t", "source": "t.txt",
...     "session_type": "interview", "wave": None, "turn": [1, 2],
...     "speaker": ["Ann", "Bo"], "role": ["interviewer", "participant"],
...     "participant_id": [None, "P1"], "start_s": None, "end_s": None,
...     "char_start": [0, 10], "char_end": [9, 30],
...     "text": ["How was it?", "Slow, every evening."]})
>>> report = build_report(ReportData(study="Demo", segments=segments, charts=False))
>>> report.subtitle
'Qualitative research report · 1 transcripts · 1 participants'
>>> "# Demo" in render_markdown(report)
True
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ..summarize import overview
from .content import Report
from .render import render_docx, render_html, render_markdown
from .sections import SECTIONS, ReportData

__all__ = [
    "write_reports",
    "build_report",
    "render_html",
    "render_markdown",
    "render_docx",
    "ReportData",
    "Report",
]


def build_report(data: ReportData) -> Report:
    """Assemble every section that has data (in :data:`~.sections.SECTIONS` order)."""
    sections = [s for s in (fn(data) for fn in SECTIONS) if s is not None]
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("insights")
    except PackageNotFoundError:  # pragma: no cover
        v = "dev"
    meta = {
        "version": v,
        "generated": time.strftime("%Y-%m-%d %H:%M"),
        "pseudonymised": bool(data.config.get("pseudonymise")),
    }
    ov = overview(data.segments, data.tables.get("skipped"))
    subtitle = (
        f"Qualitative research report · {ov['transcripts']} transcripts · "
        f"{ov['participants']} participants"
        + (f" · {len(data.waves)} waves" if len(data.waves) > 1 else "")
    )
    return Report(
        title=data.study, subtitle=subtitle, sections=sections, evidence=data.book, meta=meta
    )


def write_reports(
    data: ReportData, folder: str | Path, *, transcripts: list[Any] | None = None
) -> dict[str, float]:
    """Write every report and export of ``data`` into ``folder``; return the seconds each took.

    Parameters
    ----------
    data : ReportData
        The tables and facts of a run (:func:`insights.study.report_data`).
    folder : str or Path
        Where to write ``report.html``, ``report.md`` and ``charts/``, ``report.docx``,
        ``workbook.xlsx`` and ``study.qdpx`` (an existing folder).
    transcripts : list of Transcript, optional
        The transcripts as read, so that ``study.qdpx`` carries each source's own text.

    Returns
    -------
    dict
        Seconds per part: ``report_content``, ``report_html``, ``report_md``,
        ``report_docx``, ``workbook_xlsx``, ``study_qdpx``.
    """
    from . import exchange

    folder = Path(folder)
    timings: dict[str, float] = {}
    t = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal t
        timings[name] = round(time.perf_counter() - t, 3)
        t = time.perf_counter()

    report = build_report(data)
    lap("report_content")
    (folder / "report.html").write_text(render_html(report), encoding="utf-8")
    lap("report_html")
    charts = folder / "charts"
    charts.mkdir(exist_ok=True)
    for c in report.charts:
        (charts / f"{c.name}.png").write_bytes(c.png)
    (folder / "report.md").write_text(render_markdown(report), encoding="utf-8")
    lap("report_md")
    render_docx(report, folder / "report.docx")
    lap("report_docx")
    exchange.write_workbook(data, folder / "workbook.xlsx")
    lap("workbook_xlsx")
    exchange.write_qdpx(data, folder / "study.qdpx", transcripts=transcripts)
    lap("study_qdpx")
    return timings
