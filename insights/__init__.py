"""insights: local, open, reproducible qualitative insight analysis.

Transcripts in, then segments, codes, themes, emotions, triggers and reports out.
Every stage takes a pandas DataFrame and returns a new one; tables join on
``segment_id``: :func:`code_segments`, :func:`discover_themes`,
:func:`score_emotions` and :func:`find_triggers` are the analyses, :func:`run` the
whole pipeline on a study folder, :func:`load_tables` a study's tables for notebooks.
Importing this package is fast: spaCy, torch and BERTopic load only when a stage
first needs them.

Examples
--------
>>> import insights
>>> segments = insights.load_sample_study()
>>> int(segments["transcript_id"].nunique())
12
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# name -> module that defines it; loaded on first attribute access (PEP 562)
_EXPORTS: dict[str, str] = {
    # errors
    "InsightsError": "insights.errors",
    "InputError": "insights.errors",
    "ConfigError": "insights.errors",
    "SchemaError": "insights.errors",
    "ModelError": "insights.errors",
    "OutputError": "insights.errors",
    # reading and segmenting
    "read_transcript": "insights.io",
    "ReadOptions": "insights.io",
    "build_segments": "insights.segments",
    "complete_segments": "insights.segments",
    "read_segments_csv": "insights.segments",
    "plain_text": "insights.segments",
    "split_sentences": "insights.segments",
    "assign_roles": "insights.segments",
    # the analyses: a DataFrame of segments in, a new DataFrame out
    "code_segments": "insights.codebook",
    "discover_themes": "insights.themes",
    "score_emotions": "insights.emotions",
    "find_triggers": "insights.triggers",
    # studies
    "StudyConfig": "insights.study",
    "load_study": "insights.study",
    "read_study": "insights.study",
    "load_tables": "insights.study",
    "run": "insights.study",
    "Pseudonymiser": "insights.nlp",
    "set_progress": "insights._progress",
    "load_sample_study": "insights.datasets",
    "sample_study_path": "insights.datasets",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'insights' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
