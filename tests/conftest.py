"""Shared test fixtures: small hand-written transcripts, the sample study, offline settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("INSIGHTS_PROGRESS", "0")
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def write(tmp_path: Path):
    """write(name, content, encoding="utf-8") -> Path; bytes are written as they are."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_bytes(content.encode(encoding))
        return p

    return _write


@pytest.fixture
def sample_study() -> Path:
    from insights.datasets import sample_study_path

    return sample_study_path()


@pytest.fixture
def study_copy(tmp_path: Path, sample_study: Path) -> Path:
    """A writable copy of the sample study (without outputs)."""
    import shutil

    dst = tmp_path / "study"
    shutil.copytree(sample_study, dst, ignore=shutil.ignore_patterns("output", "private"))
    return dst
