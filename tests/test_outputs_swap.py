"""A run's outputs are switched as one set: a real `insights run` killed at the swap.

The run is paused by a test hook (``INSIGHTS_TEST_PAUSE_BEFORE_SWAP`` /
``..._AFTER_SWAP``: touch a file, then sleep) right before or right after the one
step that switches the sets, and killed with SIGKILL there. The output folder must
then be wholly the old set or wholly the new one, and the next run must clean up
what the killed one left.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from insights._safe import recover_outputs, staged_outputs, switch_outputs

SKIP = ["--skip", "codes", "--skip", "themes", "--skip", "emotions", "--skip", "triggers"]


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".cache" not in p.parts
    }


def insights_run(study: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "insights.cli", "run", str(study), "-q", *SKIP],
        env={**os.environ, "INSIGHTS_PROGRESS": "0", "HF_HUB_OFFLINE": "1", **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


TRANSCRIPTS = {
    "a_ann.txt": "Interviewer: How was the switch?\nAnn: Slow. The router kept dropping.\n",
    "b_bob.txt": "Interviewer: Would you stay?\nBob: Yes, the price is fair.\n",
    "c_cat.txt": "Interviewer: And support?\nCat: They rang back the same day.\n",
}


@pytest.fixture(scope="module")
def two_sets(tmp_path_factory):
    """A small study run once (the old set), and the new set after one transcript changed."""
    root = tmp_path_factory.mktemp("swap")
    study = root / "study"
    (study / "transcripts").mkdir(parents=True)
    for name, text in TRANSCRIPTS.items():
        (study / "transcripts" / name).write_text(text, encoding="utf-8")
    (study / "study.yaml").write_text("interviewers: [Interviewer]\n", encoding="utf-8")
    assert insights_run(study).wait(timeout=600) == 0
    old = files(study / "output")
    changed = TRANSCRIPTS["a_ann.txt"] + "Ann: One more thing, the app froze today.\n"
    fresh = root / "fresh"
    shutil.copytree(study, fresh, ignore=shutil.ignore_patterns("output"))
    (fresh / "transcripts" / "a_ann.txt").write_text(changed, encoding="utf-8")
    assert insights_run(fresh).wait(timeout=600) == 0
    new = files(fresh / "output")
    return study, old, new, changed


def same_set(got: dict[str, bytes], want: dict[str, bytes]) -> bool:
    # run.json and the reports carry the time and the timings of their run
    varying = {"run.json", "report.html", "report.md", "report.docx", "workbook.xlsx", "study.qdpx"}
    return set(got) == set(want) and all(got[k] == want[k] for k in want if k not in varying)


@pytest.mark.parametrize("moment", ["BEFORE", "AFTER"])
def test_kill_at_the_swap_leaves_one_whole_set(two_sets, tmp_path, moment):
    base, old, new, changed = two_sets
    study = tmp_path / "study"
    shutil.copytree(base, study, symlinks=True)
    (study / "transcripts" / "a_ann.txt").write_text(changed, encoding="utf-8")
    marker = tmp_path / "paused"
    proc = insights_run(study, {f"INSIGHTS_TEST_PAUSE_{moment}_SWAP": str(marker)})
    deadline = time.monotonic() + 600
    while not marker.exists():
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    got = files(study / "output")
    assert old != new
    assert same_set(got, old if moment == "BEFORE" else new)
    assert (b"froze today" in got["segments.csv"]) == (moment == "AFTER")
    leftovers = [p.name for p in study.iterdir() if p.name.startswith(".output.")]
    assert leftovers  # the killed run left its other set beside the outputs
    # the next run cleans what the killed one left, and writes the new set
    assert insights_run(study).wait(timeout=600) == 0
    assert not [p.name for p in study.iterdir() if p.name.startswith(".output.")]
    assert not list((study / "output").glob(".staging-*"))
    assert same_set(files(study / "output"), new)


def test_switch_carries_what_the_run_did_not_write(tmp_path):
    out = tmp_path / "out"
    (out / ".cache").mkdir(parents=True)
    (out / ".cache" / "k.pkl").write_bytes(b"cache")
    (out / "emotions.csv").write_text("old emotions")
    (out / "segments.csv").write_text("old segments")
    with staged_outputs(out) as stage:
        (stage / "segments.csv").write_text("new segments")
    assert (out / "segments.csv").read_text() == "new segments"
    assert (out / "emotions.csv").read_text() == "old emotions"
    assert (out / ".cache" / "k.pkl").read_bytes() == b"cache"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_failed_block_leaves_the_old_set(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "segments.csv").write_text("old")
    with pytest.raises(RuntimeError), staged_outputs(out) as stage:
        (stage / "segments.csv").write_text("new")
        raise RuntimeError("a stage failed")
    assert (out / "segments.csv").read_text() == "old"
    assert [p.name for p in out.iterdir()] == ["segments.csv"]


def test_recover_puts_back_a_set_caught_between_two_renames(tmp_path):
    out = tmp_path / "out"
    old = tmp_path / ".out.old-999999999-ab"
    nxt = tmp_path / ".out.next-999999999-cd"
    old.mkdir()
    (old / "segments.csv").write_text("old")
    nxt.mkdir()
    (nxt / "segments.csv").write_text("new")
    recover_outputs(out)
    assert (out / "segments.csv").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    stage = out / ".staging-x"
    stage.mkdir()
    (stage / "segments.csv").write_text("newer")
    switch_outputs(out, stage)
    assert (out / "segments.csv").read_text() == "newer"
