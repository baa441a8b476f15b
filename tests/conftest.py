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


@pytest.fixture(scope="session")
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


def _session_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This test session's temporary root, shared by pytest-xdist workers when there are some."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def sample_run_dir(tmp_path_factory: pytest.TempPathFactory, sample_study: Path) -> Path:
    """The sample study after one whole ``insights run`` (outputs and caches).

    Made once per test session and shared by the xdist workers; tests never write to it
    (use ``ran_study`` for a copy of their own).
    """
    import shutil

    from filelock import FileLock

    from insights.study import run

    root = _session_root(tmp_path_factory)
    target = root / "sample-run"
    with FileLock(str(root / "sample-run.lock")):
        if not (target / "output" / "run.json").exists():
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(
                sample_study, target, ignore=shutil.ignore_patterns("output", "private")
            )
            run(target)
    return target


@pytest.fixture
def ran_study(tmp_path: Path, sample_run_dir: Path) -> Path:
    """A writable copy of the sample study as one whole run left it (outputs and caches)."""
    import shutil

    dst = tmp_path / "ran"
    shutil.copytree(sample_run_dir, dst)
    return dst
