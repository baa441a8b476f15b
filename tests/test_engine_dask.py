"""The Dask engine: the same tables as the local engine, on a real two-worker LocalCluster.

A tiny study (two transcripts of the sample study, in two formats) is run once with
``engine="local"``; the tests run it on a ``distributed.LocalCluster`` of two
single-threaded worker processes started here (one for the module), with a worker killed
mid-run, comparing every output table byte for byte, then again warm with one transcript
changed: only its partitions are computed (the local engine's warm re-run is checked by
``tests/test_study.py`` on the whole sample study).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.slow

TINY = ("P01_aisha.txt", "P10_ben_zoom.vtt")
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


def _stages(out: Path) -> dict:
    return json.loads((out / "run.json").read_text())["engine"]["stages"]


@pytest.fixture(scope="module")
def local_tables(tmp_path_factory) -> dict[str, bytes]:
    from insights.study import run

    result = run(_tiny_study(tmp_path_factory.mktemp("local")), engine="local")
    assert result.counts["transcripts"] == 2
    return _tables(result.out_dir)


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as c:
        yield c


def test_engines_keep_partition_results_and_compute_only_the_rest(tmp_path, cluster):
    from insights._rerun import PartitionCache
    from insights.study._engine import DaskEngine, LocalEngine

    tasks = [[1, 2, 3], [4], [5, 6]]
    for name, engine in (
        ("local", LocalEngine()),
        ("dask", DaskEngine(cluster.scheduler_address)),
    ):
        cache = PartitionCache(tmp_path / name)
        keys = [cache.key("count", str(t)) for t in tasks]
        with engine:
            assert engine.map(len, tasks, stage="count", keys=keys, cache=cache) == [3, 1, 2]
            # the second task's input changed: only its partition is computed again
            tasks2 = [tasks[0], [4, 4], tasks[2]]
            keys2 = [cache.key("count", str(t)) for t in tasks2]
            assert engine.map(len, tasks2, stage="again", keys=keys2, cache=cache) == [3, 2, 2]
        assert engine.stats["count"]["cached"] == 0, name
        assert engine.stats["again"]["cached"] == 2, name
        assert cache.hits == 2 and len(list((tmp_path / name).glob("*.pkl"))) == 4


def test_a_worker_killed_mid_run_loses_nothing_and_reruns_recompute_only_changes(
    tmp_path, local_tables, cluster
):
    import distributed

    from insights.study import run

    study = _tiny_study(tmp_path / "study")
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
        deadline = time.monotonic() + 300
        while killed is None and worker.is_alive() and time.monotonic() < deadline:
            for addr, keys in client.processing().items():  # a coding partition is running
                if addr in pids and any(str(k).startswith("insights-coding") for k in keys):
                    os.kill(pids[addr], signal.SIGKILL)
                    killed = addr
                    break
            time.sleep(0.02)
        worker.join(timeout=900)
    assert killed is not None, "no partition was seen running"
    assert not worker.is_alive(), "the run did not finish within 15 minutes"
    assert "error" not in outcome, outcome.get("error")
    out = study / "output"
    got = _tables(out)
    assert [name for name in TABLES if got[name] != local_tables[name]] == []
    ids = pd.read_csv(io.BytesIO(got["segments.csv"]))["segment_id"]
    assert ids.is_unique and len(ids) > 100  # a real study, not an empty one
    info = json.loads((out / "run.json").read_text())["engine"]
    assert info["name"] == "dask" and info["workers"] == 2
    for stage in ("reading transcripts", "coding", "triggers"):  # one partition per transcript
        assert info["stages"][stage]["partitions"] == 2, stage
    assert info["stages"]["triggers"]["segments"] == len(ids)

    # one transcript changed, on the Dask engine: only its partitions are computed
    changed = study / "transcripts" / TINY[1]
    changed.write_text(
        changed.read_text() + "\n106\n00:11:57.000 --> 00:11:59.000\n"
        "Ben Ashworth: Actually the router still drops every evening and I'm furious about it.\n"
    )
    kept = TINY[0].split(".")[0].lower()

    def themes_of_kept() -> list:  # what a cause's theme is read from, for the kept transcript
        a = pd.read_csv(out / "assignments.csv", dtype=str)
        return a.loc[
            a["segment_id"].str.startswith(kept), ["segment_id", "theme_id"]
        ].values.tolist()

    before = themes_of_kept()
    run(study, engine="dask", scheduler=cluster.scheduler_address)
    stages = _stages(out)
    assert stages["reading transcripts"]["cached"] == stages["coding"]["cached"] == 1
    assert stages["emotions"]["partitions"] == 1  # scores are kept per text
    # a re-run assigns every segment to the saved themes: the kept transcript's
    # triggers are recomputed only if its segments' themes moved
    assert stages["triggers"]["cached"] == int(themes_of_kept() == before)
    new = pd.read_csv(out / "triggers.csv", dtype=str).drop(columns="theme")
    old = pd.read_csv(io.BytesIO(local_tables["triggers.csv"]), dtype=str).drop(columns="theme")
    mine = new[new["segment_id"].str.startswith(kept)].reset_index(drop=True)
    assert len(mine) and mine.equals(
        old[old["segment_id"].str.startswith(kept)].reset_index(drop=True)
    )


def test_no_worker_behind_the_scheduler_is_a_config_error():
    distributed = pytest.importorskip("distributed")
    from insights.errors import ConfigError
    from insights.study._engine import DaskEngine

    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=None) as empty:
        with pytest.raises(ConfigError, match="no Dask worker is connected") as err:
            DaskEngine(empty.scheduler_address, timeout=0.5)
    assert "dask worker" in str(err.value) and len(str(err.value).splitlines()) == 1


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
