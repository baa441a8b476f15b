"""The Dask engine: the same tables as the local engine, on a real two-worker LocalCluster.

A tiny study (the opening of two transcripts of the sample study, in two formats, a few
dozen segments) is run once with ``engine="local"``; the tests run it on a
``distributed.LocalCluster`` of two single-threaded worker processes started here (one
for the module), with a worker killed while it computes a triggers partition, comparing
every output table byte for byte, then again warm with one transcript changed: only its
partitions are computed (the local engine's warm re-run is checked by
``tests/test_study.py`` on the whole sample study).
"""

from __future__ import annotations

import io
import json
import os
import signal
import sys
import uuid
from pathlib import Path

import pandas as pd
import pytest

distributed = pytest.importorskip("distributed")
cloudpickle = pytest.importorskip("cloudpickle")
# the workers cannot import this test module: its plugin class travels by value
cloudpickle.register_pickle_by_value(sys.modules[__name__])

#: (file, lines of it kept): the opening of an interview, a few dozen segments in all
TINY = (("P01_aisha.txt", 32), ("P10_ben_zoom.vtt", 72))  # P01 to its stated fury (line 31)
#: theme fitting runs on the client with either engine (from the vectors the engine
#: made, which the codes compare): the tiny runs skip it, to keep the tests short
SKIP = ("themes",)
TABLES = (
    "segments.csv",
    "skipped.csv",
    "codes.csv",
    "emotions.csv",
    "triggers.csv",
    "intents.csv",
    "drivers.csv",
    "needs.csv",
)


def _tiny_study(dst: Path) -> Path:
    import shutil

    from insights.datasets import sample_study_path

    src = sample_study_path()
    (dst / "transcripts").mkdir(parents=True)
    for name in ("study.yaml", "participants.csv", "codebook.yaml"):
        shutil.copy(src / name, dst / name)
    for name, lines in TINY:
        text = (src / "transcripts" / name).read_text(encoding="utf-8-sig")
        (dst / "transcripts" / name).write_text("\n".join(text.splitlines()[:lines]) + "\n")
    return dst


def _tables(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in TABLES}


class KillOnce(distributed.WorkerPlugin):
    """A worker plugin: the first worker to start computing ``prefix``'s partition ``index``
    kills its own process (SIGKILL, no goodbye to the scheduler); ``marker`` makes it once."""

    def __init__(self, prefix: str, index: int, marker: str) -> None:
        self.prefix, self.index, self.marker = prefix, index, marker

    def transition(self, key, start, finish, **kwargs) -> None:  # noqa: D102
        key = str(key)
        if finish != "executing" or not key.startswith(self.prefix):
            return
        if not key.endswith(f"-{self.index}"):
            return
        try:
            os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return
        os.kill(os.getpid(), signal.SIGKILL)


@pytest.fixture(scope="module")
def local_run(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    from insights.study import run

    result = run(_tiny_study(tmp_path_factory.mktemp("local")), engine="local", skip=SKIP)
    assert result.counts["transcripts"] == 2
    return result.out_dir, _tables(result.out_dir)


@pytest.fixture(scope="module")
def cluster():
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


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_nothing_and_reruns_recompute_only_changes(
    tmp_path, local_run, cluster
):
    from insights.schema import analysed_rows
    from insights.study import run

    local_out, local_tables = local_run
    study = _tiny_study(tmp_path / "study")
    marker = tmp_path / "killed"
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        before = set(client.run(os.getpid).values())
        # the worker that starts the second triggers partition dies while computing it
        client.register_plugin(KillOnce("insights-triggers-", 1, str(marker)), name="kill")
        try:
            run(study, engine="dask", scheduler=cluster.scheduler_address, skip=SKIP)
        finally:
            client.unregister_worker_plugin("kill")
        client.wait_for_workers(2, timeout=60)
        after = set(client.run(os.getpid).values())
    assert marker.exists() and len(before - after) == 1  # one worker was killed and replaced
    out = study / "output"
    got = _tables(out)
    assert [name for name in TABLES if got[name] != local_tables[name]] == []
    seg = pd.read_csv(io.BytesIO(got["segments.csv"]), dtype=str)
    assert seg["segment_id"].is_unique and 20 <= len(seg) <= 80
    analysed = set(analysed_rows(seg, language="en")["segment_id"])
    for name in ("emotions.csv", "intents.csv"):  # every analysed segment once, none lost
        ids = pd.read_csv(io.BytesIO(got[name]), dtype=str)["segment_id"]
        assert ids.is_unique and set(ids) == analysed, name
    trig = pd.read_csv(io.BytesIO(got["triggers.csv"]), dtype=str)
    assert len(trig) and not trig.duplicated(["segment_id", "cause_segment_id"]).any()
    info = json.loads((out / "run.json").read_text())["engine"]
    assert info["name"] == "dask" and info["workers"] == 2
    for stage in ("reading transcripts", "triggers"):  # one partition per transcript
        assert info["stages"][stage]["partitions"] == 2, stage
    assert info["stages"]["triggers"]["segments"] == len(seg)

    # one transcript changed, on the Dask engine: only its partitions are computed
    changed = study / "transcripts" / TINY[1][0]
    # a sentence no earlier run embedded: the embedding cache is the machine's, and kept
    nonce = uuid.uuid4().hex[:8]
    changed.write_text(
        changed.read_text() + "\n106\n00:11:57.000 --> 00:11:59.000\n"
        "Ben Ashworth: Actually the router still drops every evening and I'm furious about it, "
        f"ticket {nonce}.\n"
    )
    run(study, engine="dask", scheduler=cluster.scheduler_address, skip=SKIP)
    stages = json.loads((out / "run.json").read_text())["engine"]["stages"]
    assert stages["reading transcripts"]["cached"] == stages["triggers"]["cached"] == 1
    # the new segment's vectors only: its text (the emotion model's pass) and its clauses
    assert stages["embedding"]["partitions"] == 2
    assert stages["emotions"]["partitions"] == 1  # scores are kept per text
    kept = TINY[0][0].split(".")[0].lower()
    new = pd.read_csv(out / "triggers.csv", dtype=str)
    old = pd.read_csv(io.BytesIO(local_tables["triggers.csv"]), dtype=str)
    mine = new[new["segment_id"].str.startswith(kept)].drop(columns="theme")
    assert len(mine) and mine.reset_index(drop=True).equals(
        old[old["segment_id"].str.startswith(kept)].drop(columns="theme").reset_index(drop=True)
    )


def test_no_worker_behind_the_scheduler_is_a_config_error():
    from insights.errors import ConfigError
    from insights.study._engine import DaskEngine

    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=None) as empty:
        with pytest.raises(ConfigError, match="no Dask worker is connected") as err:
            DaskEngine(empty.scheduler_address, timeout=0.5)
    assert "dask worker" in str(err.value) and len(str(err.value).splitlines()) == 1


def test_a_bad_scheduler_address_is_one_line_and_exit_status_2(tmp_path, capsys):
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
