"""A study folder: its configuration, its participants, and the whole run.

::

    data/<study>/
      study.yaml          name, language, waves, options (all optional)
      participants.csv    participant_id + any attributes
      codebook.yaml       the codebook (optional)
      transcripts/        .txt .md .docx .vtt .srt .csv .tsv .xlsx .json (never modified)
      output/             written by run()

:func:`run` reads every transcript, builds the segments table, runs each analysis
stage in order and writes the tables, the report and ``run.json``. Outputs are
staged in a temporary folder and moved into place only when everything succeeded.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._safe import check_writable, staged_outputs
from ..errors import ConfigError
from ..language import language_summary
from ._coding import code_study
from ._config import (
    Study,
    StudyConfig,
    TranscriptOptions,
    Wave,
    list_transcripts,
    load_config,
    load_study,
)
from ._engine import make_engine
from ._import import QdpxImport, plan_qdpx_import, write_qdpx_import
from ._read import read_study, read_transcripts, skipped_table
from ._stages import STAGES, RunContext, Stage, peak_rss_mb, stage_names
from ._tables import (
    OUTPUT_TABLES,
    load_tables,
    package_versions,
    read_decisions,
    read_outputs,
    report_data,
)

__all__ = [
    "QdpxImport",
    "plan_qdpx_import",
    "write_qdpx_import",
    "StudyConfig",
    "TranscriptOptions",
    "Wave",
    "Study",
    "Stage",
    "STAGES",
    "RunContext",
    "RunResult",
    "OUTPUT_TABLES",
    "load_config",
    "load_study",
    "list_transcripts",
    "read_transcripts",
    "skipped_table",
    "read_study",
    "read_outputs",
    "read_decisions",
    "code_study",
    "load_tables",
    "report_data",
    "package_versions",
    "run",
    "stage_names",
]


@dataclass
class RunResult:
    """What :func:`run` wrote: the output folder, the file paths, counts and timings."""

    out_dir: Path
    files: dict[str, Path]
    counts: dict[str, int]
    timings: dict[str, float]
    tables: dict[str, Any]

    @property
    def report(self) -> Path:
        """The path of the HTML report (``report.html``) the run wrote."""
        return self.files["report.html"]


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(
    study_dir: str | Path,
    *,
    out: str | Path | None = None,
    skip: list[str] | tuple[str, ...] = (),
    refit_themes: bool = False,
    engine: str | None = None,
    scheduler: str | None = None,
) -> RunResult:
    """Run the whole pipeline on a study folder and write every output.

    Parameters
    ----------
    study_dir : str or Path
        The study folder.
    out : str or Path, optional
        Output folder (default ``<study_dir>/output``).
    skip : list of str
        Stages to leave out (also ``skip_stages`` in study.yaml).
    refit_themes : bool
        Fit the themes afresh even where a saved theme model exists (the study's
        ``theme_model`` folder or the previous run's); by default new segments are
        assigned to the saved themes, so theme ids stay the same across waves.
    engine : {"local", "dask"}, optional
        Where the per-segment stages (read, segment, embed, code, emotions, triggers)
        run: in this process, or as partitions (by transcript) on a ``dask.distributed``
        cluster; the tables are the same either way. Default: ``engine`` in study.yaml,
        else ``local``.
    scheduler : str, optional
        The Dask scheduler's address (``tcp://host:8786``; default: ``scheduler`` in
        study.yaml, else a local cluster of one worker per core).

    Returns
    -------
    RunResult

    Examples
    --------
    >>> from insights.datasets import sample_study_path
    >>> result = run(sample_study_path(), out=tmp_out,
    ...              skip=["codes", "themes", "emotions", "triggers"])  # doctest: +SKIP
    >>> result.report.name  # doctest: +SKIP
    'report.html'
    """
    t0 = time.perf_counter()
    study = load_study(study_dir)
    out_dir = check_writable(Path(out) if out else study.output_dir)
    skipped_stages = set(skip) | set(study.config.skip_stages)
    for given, file, where in (
        (set(study.config.skip_stages), study.path / "study.yaml", "skip_stages"),
        (set(skip), None, "--skip"),
    ):
        unknown = given - set(stage_names())
        if unknown:
            raise ConfigError(
                f"unknown stage(s) to skip: {', '.join(sorted(unknown))}",
                fix="use some of: "
                f"{', '.join(n for n in stage_names() if n not in ('segments', 'report'))}",
                file=file,
                where=where,
            )
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    cfg = study.config
    engine_ = make_engine(
        engine or cfg.engine, scheduler if scheduler is not None else cfg.scheduler
    )
    with engine_, staged_outputs(out_dir) as stage:
        ctx = RunContext(
            study=study,
            stage_dir=stage,
            refit_themes=refit_themes,
            engine=engine_,
            scores_emotions=not {"emotions", "triggers"} <= skipped_stages,
            skipped=frozenset(skipped_stages),
        )
        for stage_ in STAGES:
            if stage_.name in skipped_stages and stage_.name not in ("segments", "report"):
                continue
            t, cpu = time.perf_counter(), time.process_time()
            stage_.fn(ctx)
            ctx.timings[stage_.name] = round(time.perf_counter() - t, 3)
            # CPU seconds (less moved by a loaded machine than wall seconds) and the
            # process's peak resident memory so far, per stage (run.json)
            ctx.usage[stage_.name] = {
                "cpu_s": round(time.process_time() - cpu, 3),
                "peak_rss_mb": peak_rss_mb(),
            }
        ctx.timings["total"] = round(time.perf_counter() - t0, 3)
        # people of participants.csv no speaker was linked to: their attributes reach no table
        from ..segments import unlinked_participants

        unlinked = unlinked_participants(
            study.participants, ctx.tables["segments"], [f.name for f in study.files]
        )
        ctx.tables["participants_unlinked"] = unlinked
        ctx.counts["participants_unlinked"] = len(unlinked)
        # where the stages ran changes no result: not part of the configuration's hash
        config_json = study.config.model_dump_json(exclude={"engine", "scheduler"})
        versions = package_versions()
        run_info = {
            "study": study.name,
            "started": started,
            "insights_version": versions["insights"],
            "python": platform.python_version(),
            "platform": platform.platform(),
            "packages": versions,
            "models": ctx.models,
            "config": json.loads(config_json),
            "config_hash": hashlib.sha256(config_json.encode()).hexdigest()[:16],
            "inputs": [
                {
                    "file": Path(t.source).name,
                    "sha256": _file_digest(Path(t.source)),
                    "format": t.format,
                    "encoding": t.encoding,
                    "turns": len(t.turns),
                    "speakers": len(t.speakers),
                    "skipped": len(t.skipped),
                }
                for t in ctx.transcripts
            ],
            "stages_skipped": sorted(skipped_stages),
            "counts": ctx.counts,
            "languages": language_summary(ctx.tables["segments"], study.config.language),
            "participants_unlinked": unlinked.to_dict("records"),
            "changes": ctx.changes,
            "timings": ctx.timings,
            "usage": ctx.usage,
            "engine": engine_.describe(),
            "argv": sys.argv[1:] if sys.argv and "insights" in Path(sys.argv[0]).name else None,
        }
        (stage / "run.json").write_text(
            json.dumps(run_info, indent=2, default=str), encoding="utf-8"
        )
        files = sorted(p.relative_to(stage) for p in stage.rglob("*") if p.is_file())
    return RunResult(
        out_dir=out_dir,
        files={str(f): out_dir / f for f in files},
        counts=ctx.counts,
        timings=ctx.timings,
        tables=ctx.tables,
    )
