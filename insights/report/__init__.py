"""Reports: the content of each section from tidy summary tables, rendered three ways.

One function per section (:mod:`.sections`) builds a :class:`~.content.Section`
from the run's tables; :func:`build_report` assembles them with the evidence behind
every number; :func:`render_html`, :func:`render_markdown` and :func:`render_docx`
lay the same content out. :func:`write_reports` is the report stage of
:func:`insights.study.run`: it writes ``report.html``, ``report.md`` (+ ``charts/``),
``report.docx``, ``workbook.xlsx`` and ``study.qdpx``.

Examples
--------
>>> from insights.report import build_report, render_html, ReportData   # doctest: +SKIP
>>> html = render_html(build_report(ReportData(study="Demo", segments=segments)))  # doctest: +SKIP
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from .content import Report
from .render import render_docx, render_html, render_markdown
from .sections import (
    SECTIONS,
    ReportData,
    overview,
    participants_table,
    transcripts_table,
    words_by_attribute,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..study import RunContext

__all__ = [
    "write_reports", "build_report", "report_data", "read_outputs",
    "study_tables", "study_report_data", "render_html", "render_markdown", "render_docx",
    "ReportData", "Report", "overview", "transcripts_table", "participants_table", "words_by_attribute",
]


def build_report(data: ReportData) -> Report:
    """Assemble every section that has data (in :data:`~.sections.SECTIONS` order)."""
    sections = [s for s in (fn(data) for fn in SECTIONS) if s is not None]
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("insights")
    except PackageNotFoundError:  # pragma: no cover
        v = "dev"
    meta = {"version": v, "generated": time.strftime("%Y-%m-%d %H:%M"), "pseudonymised": bool(data.config.get("pseudonymise"))}
    ov = overview(data.segments, data.tables.get("skipped"))
    subtitle = (f"Qualitative research report · {ov['transcripts']} transcripts · {ov['participants']} participants"
                + (f" · {len(data.waves)} waves" if len(data.waves) > 1 else ""))
    return Report(title=data.study, subtitle=subtitle, sections=sections, evidence=data.book, meta=meta)


def report_data(ctx: RunContext) -> ReportData:
    """The :class:`ReportData` of a run (its tables, config, models, codebook, what changed)."""
    study = ctx.study
    codebook = ctx.tables.get("codebook")
    if codebook is None and getattr(study, "codebook_path", None) is not None:
        try:
            from ..codebook import load_codebook

            codebook = load_codebook(study.codebook_path)
        except Exception:  # noqa: BLE001 - the codes stage reports codebook errors; the report goes on without it
            codebook = None
    from ..study import package_versions

    pk = package_versions()
    return ReportData(
        study=study.name,
        segments=ctx.tables["segments"],
        tables=ctx.tables,
        participants=study.participants,
        codebook=codebook,
        waves=[(w.id, w.label) for w in study.config.waves],
        counts=dict(ctx.counts),
        models=dict(ctx.models),
        packages={k: v for k, v in pk.items() if v},
        config=study.config.model_dump(),
        changes=dict(getattr(ctx, "changes", {}) or {}),
    )


OUTPUT_TABLES = ("segments", "skipped", "codes", "themes", "assignments", "emotions", "triggers", "intents", "drivers", "needs")


def read_outputs(out_dir: Any) -> dict[str, Any]:
    """The tables a previous ``insights run`` wrote to ``out_dir`` (those that exist)."""
    from pathlib import Path

    import pandas as pd

    out: dict[str, Any] = {}
    for name in OUTPUT_TABLES:
        p = Path(out_dir) / f"{name}.csv"
        if p.exists():
            out[name] = pd.read_csv(p, dtype={"segment_id": str, "cause_segment_id": str, "participant_id": str})
    return out


def study_tables(study: Any, *, out_dir: Any = None, rule_codes: bool = True) -> dict[str, Any]:
    """The tables of a study, for notebooks: what its last ``insights run`` wrote, where it exists.

    Otherwise the segments are read now (:func:`insights.study.read_study`) and, with
    ``rule_codes``, coded with the codebook's keyword rules (fast, no embeddings).
    ``out_dir`` defaults to the study's output folder.
    """
    from pathlib import Path

    tables = read_outputs(Path(out_dir) if out_dir is not None else study.output_dir)
    if "segments" not in tables:
        from ..study import read_study

        tables["segments"], tables["skipped"], _ = read_study(study)
    if rule_codes and "codes" not in tables and study.codebook_path is not None:
        from ..codebook import code_segments, load_codebook

        tables["codes"] = code_segments(tables["segments"], load_codebook(study.codebook_path), methods=("rule",))
    return tables


def study_report_data(study: Any, tables: dict[str, Any], *, changes: dict[str, Any] | None = None) -> ReportData:
    """:class:`ReportData` for a loaded study (:func:`insights.study.load_study`) and its tables."""
    from ..study import package_versions

    codebook = tables.get("codebook")
    if codebook is None and study.codebook_path is not None:
        from ..codebook import load_codebook

        codebook = load_codebook(study.codebook_path)
    return ReportData(
        study=study.name, segments=tables["segments"], tables=tables, participants=study.participants,
        codebook=codebook, waves=[(w.id, w.label) for w in study.config.waves],
        packages={k: v for k, v in package_versions().items() if v}, config=study.config.model_dump(), changes=changes or {},
    )


def write_reports(ctx: RunContext) -> None:
    """The report stage: write every report and export into the run's staging folder."""
    stage = ctx.stage_dir
    t = time.perf_counter()
    data = report_data(ctx)
    report = build_report(data)
    ctx.timings["report_content"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    (stage / "report.html").write_text(render_html(report), encoding="utf-8")
    ctx.timings["report_html"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    charts = stage / "charts"
    charts.mkdir(exist_ok=True)
    for c in report.charts:
        (charts / f"{c.name}.png").write_bytes(c.png)
    (stage / "report.md").write_text(render_markdown(report), encoding="utf-8")
    ctx.timings["report_md"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    render_docx(report, stage / "report.docx")
    ctx.timings["report_docx"] = round(time.perf_counter() - t, 3)
    _write_exchange(ctx, data)


def _write_exchange(ctx: RunContext, data: ReportData) -> None:
    from . import exchange

    t = time.perf_counter()
    exchange.write_workbook(data, ctx.stage_dir / "workbook.xlsx")
    ctx.timings["workbook_xlsx"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    exchange.write_qdpx(data, ctx.stage_dir / "study.qdpx", transcripts=getattr(ctx, "transcripts", None))
    ctx.timings["study_qdpx"] = round(time.perf_counter() - t, 3)

