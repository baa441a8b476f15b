"""The Dask engine: the same tables as the local engine, on a real two-worker LocalCluster.

A small study (three transcripts of the sample study, in three formats) is run once with
``engine="local"``; the tests run it on a ``distributed.LocalCluster`` of two worker
processes started here, once as it is and once with a worker killed mid-run, and compare
every output table byte for byte.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.slow

TINY = ("P01_aisha.txt", "P03_priya.docx", "P08_oliver.docx")
TABLES = (
    "segments.csv",
    "skipped.csv",
    "codes.csv",
    "themes.csv",
    "assignments.csv",
    "emotions.csv",
    "triggers.csv",
    "intents.csv",
    "drivers.csv",
    "needs.csv",
)


def _tiny_study(dst: Path) -> Path:
    from insights.datasets import sample_study_path

    src = sample_study_path()
    (dst / "transcripts").mkdir(parents=True)
    for name in ("study.yaml", "participants.csv", "codebook.yaml"):
        shutil.copy(src / name, dst / name)
    for name in TINY:
        shutil.copy(src / "transcripts" / name, dst / "transcripts" / name)
    return dst


def _tables(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in TABLES}


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    """One embedding cache for the module's runs (as on one machine)."""
    old = os.environ.get("INSIGHTS_CACHE_DIR")
    os.environ["INSIGHTS_CACHE_DIR"] = str(tmp_path_factory.mktemp("vectors"))
    yield
    if old is None:
        os.environ.pop("INSIGHTS_CACHE_DIR", None)
    else:
        os.environ["INSIGHTS_CACHE_DIR"] = old


@pytest.fixture(scope="module")
def local_tables(tmp_path_factory, cache_dir) -> dict[str, bytes]:
    from insights.study import run

    study = _tiny_study(tmp_path_factory.mktemp("local"))
    result = run(study, engine="local")
    assert result.counts["transcripts"] == 3
    return _tables(result.out_dir)


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as c:
        yield c


def test_the_dask_engine_writes_byte_identical_tables(tmp_path, local_tables, cluster):
    import json

    from insights.study import run

    result = run(_tiny_study(tmp_path), engine="dask", scheduler=cluster.scheduler_address)
    got = _tables(result.out_dir)
    differ = [name for name in TABLES if got[name] != local_tables[name]]
    assert differ == []
    segments = pd.read_csv(io.BytesIO(local_tables["segments.csv"]))
    assert len(segments) > 200  # a real study, not an empty one
    engine = json.loads((result.out_dir / "run.json").read_text())["engine"]
    assert engine["name"] == "dask" and engine["workers"] == 2
    # one partition per transcript for reading, coding and triggers
    for stage in ("reading transcripts", "coding", "triggers"):
        assert engine["stages"][stage]["partitions"] == 3, stage
    assert engine["stages"]["triggers"]["segments"] == len(segments)


def test_a_worker_killed_mid_run_loses_and_duplicates_no_segment(tmp_path, local_tables, cluster):
    import distributed

    from insights.study import run

    study = _tiny_study(tmp_path)
    outcome: dict[str, object] = {}

    def go() -> None:
        try:
            outcome["result"] = run(study, engine="dask", scheduler=cluster.scheduler_address)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            outcome["error"] = exc

    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        pids = client.run(os.getpid)
        worker = threading.Thread(target=go)
        worker.start()
        killed = None
        deadline = time.monotonic() + 120
        while killed is None and worker.is_alive() and time.monotonic() < deadline:
            for addr, keys in client.processing().items():
                busy = [k for k in keys if str(k).startswith(("insights-coding", "insights-emot"))]
                if busy and addr in pids:
                    os.kill(pids[addr], signal.SIGKILL)
                    killed = addr
                    break
            time.sleep(0.02)
        worker.join(timeout=300)
    assert killed is not None, "no partition was seen running"
    assert "error" not in outcome, outcome.get("error")
    got = _tables(outcome["result"].out_dir)
    assert [name for name in TABLES if got[name] != local_tables[name]] == []
    ids = pd.read_csv(io.BytesIO(got["segments.csv"]))["segment_id"]
    assert ids.is_unique and len(ids) > 200


def test_a_bad_scheduler_address_is_one_line_and_exit_status_2(tmp_path, capsys):
    pytest.importorskip("distributed")
    from insights.cli import main

    study = _tiny_study(tmp_path)
    argv = ["run", str(study), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9", "-q"]
    with pytest.raises(SystemExit) as done:
        main(argv)
    err = capsys.readouterr().err
    assert done.value.code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'" in lines[0]
    assert "dask scheduler" in lines[0] and "Traceback" not in err
    assert not (study / "output" / "segments.csv").exists()
