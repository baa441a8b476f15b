"""Where the per-segment stages run: in this process, or as partitions on a Dask cluster.

A stage cuts its work into partitions (by transcript, in reading order) and hands the
engine one module-level function and the list of partitions. :class:`LocalEngine`
calls the function on each partition in turn, in this process; :class:`DaskEngine`
submits the same calls to a ``dask.distributed`` cluster and gathers the results.
Either way the results come back in partition order, so the tables a stage makes are
the same whatever the engine (a partition is the unit of work both engines compute,
so even batched encoders see the same batches). A task lost with a worker is rerun
by the scheduler on another worker; its result is taken once, by its position.

Models are loaded once per process (``get_emotion_model``, ``get_embedder``,
``load_spacy`` keep them), so each Dask worker loads them on its first partition.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .._progress import StageBar
from ..errors import ConfigError

#: the engines ``insights run --engine`` accepts
ENGINES = ("local", "dask")


def _timed(fn: Callable[[Any], Any], task: Any) -> tuple[Any, float, int]:
    """``fn(task)``, the seconds it took and the process it ran in (a Dask task's body)."""
    from .._progress import set_progress

    if _on_dask_worker():
        set_progress(False)  # a worker's bars would go to its log, not to the user
    t = time.perf_counter()
    out = fn(task)
    return out, time.perf_counter() - t, os.getpid()


def _on_dask_worker() -> bool:
    if "distributed" not in sys.modules:  # a local run never imports it
        return False
    try:
        from distributed import get_worker

        get_worker()
    except (ImportError, ValueError):
        return False
    return True


class LocalEngine:
    """Run each partition in this process, in order (the default engine).

    Attributes
    ----------
    stats : dict
        Per stage: ``partitions``, ``segments``, ``seconds`` (wall) and ``task_seconds``
        (the partitions' own times, summed).
    """

    name = "local"
    scheduler: str | None = None
    workers = 1

    def __init__(self) -> None:
        self.stats: dict[str, dict[str, Any]] = {}

    def _record(
        self, stage: str, sizes: Sequence[int], wall: float, times: list[float], cached: int
    ) -> None:
        s = self.stats.setdefault(
            stage,
            {"partitions": 0, "cached": 0, "segments": 0, "seconds": 0.0, "task_seconds": 0.0},
        )
        s["partitions"] += len(sizes)
        s["cached"] += cached
        s["segments"] += int(sum(sizes))
        s["seconds"] = round(s["seconds"] + wall, 3)
        s["task_seconds"] = round(s["task_seconds"] + sum(times), 3)
        s["max_task_seconds"] = round(max([s.get("max_task_seconds", 0.0), *times]), 3)

    def map(
        self,
        fn: Callable[[Any], Any],
        tasks: Sequence[Any],
        *,
        stage: str,
        sizes: Sequence[int] | None = None,
        keys: Sequence[str] | None = None,
        cache: Any = None,
    ) -> list[Any]:
        """``[fn(t) for t in tasks]``, with one progress bar of ``sizes`` (segments) done.

        With ``keys`` (one per task) and ``cache`` (a ``PartitionCache``), a task whose
        key is in the cache is not computed: its kept result is returned; the others'
        results are computed, then kept. The client does both, whatever the engine.
        """
        from .._rerun import MISSING

        sizes = list(sizes) if sizes is not None else [1] * len(tasks)
        t0 = time.perf_counter()
        out: list[Any] = [MISSING] * len(tasks)
        if cache is not None and keys is not None:
            out = [cache.get(k) for k in keys]
        todo = [i for i, res in enumerate(out) if res is MISSING]
        times: list[float] = []
        with StageBar(stage, sum(sizes)) as bar:
            bar.update(sum(sizes) - sum(sizes[i] for i in todo))
            for j, res, sec in self._compute(fn, [tasks[i] for i in todo], stage):
                i = todo[j]
                out[i] = res
                times.append(sec)
                bar.update(sizes[i])
                if cache is not None and keys is not None and not isinstance(res, Exception):
                    cache.put(keys[i], res)
        self._record(stage, sizes, time.perf_counter() - t0, times, len(tasks) - len(todo))
        return out

    def _compute(
        self, fn: Callable[[Any], Any], tasks: Sequence[Any], stage: str
    ) -> Iterator[tuple[int, Any, float]]:
        """``(position, fn(task), seconds)`` of each task, as each is done."""
        for j, task in enumerate(tasks):
            res, sec, _ = _timed(fn, task)
            yield j, res, sec

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def describe(self) -> dict[str, Any]:
        """The engine as ``run.json`` records it (name, scheduler, workers, stage stats)."""
        return {
            "name": self.name,
            "scheduler": self.scheduler,
            "workers": self.workers,
            "stages": self.stats,
        }


class DaskEngine(LocalEngine):
    """Run each partition as a task on a ``dask.distributed`` cluster.

    Parameters
    ----------
    scheduler : str, optional
        The scheduler's address (``tcp://host:8786``). Default: a ``LocalCluster`` of
        one single-threaded worker process per core, started here and closed by
        :meth:`close`.
    timeout : float
        Seconds to wait for the scheduler before giving up.

    Raises
    ------
    ConfigError
        The scheduler cannot be reached (the message names the address and how to
        start one); dask or distributed is not installed (``ModelError``).
    """

    name = "dask"

    def __init__(self, scheduler: str | None = None, *, timeout: float = 5.0) -> None:
        super().__init__()
        from .._optional import import_optional

        distributed = import_optional(
            "distributed", extra="distributed", purpose="the Dask engine (--engine dask)"
        )
        self._cluster = None
        self.scheduler = scheduler
        try:
            if scheduler:
                self.client = distributed.Client(
                    scheduler, timeout=f"{timeout}s", set_as_default=False
                )
            else:
                self._cluster = distributed.LocalCluster(
                    n_workers=os.cpu_count() or 1,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                )
                self.client = distributed.Client(self._cluster, set_as_default=False)
                self.scheduler = self._cluster.scheduler_address
        except (OSError, TimeoutError, ValueError, TypeError) as exc:
            if self._cluster is not None:
                self._cluster.close()
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ConfigError(
                f"cannot reach the Dask scheduler at {scheduler!r} ({reason[:160]})",
                fix="start one with `dask scheduler` and workers with `dask worker ADDRESS`, "
                "then pass its address (tcp://host:8786); or leave --scheduler out for a "
                "local cluster",
                where="--scheduler / study.yaml scheduler",
            ) from None
        try:
            self.client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError):
            self.close()
            raise ConfigError(
                f"no Dask worker is connected to the scheduler at {self.scheduler!r} "
                f"(none within {timeout:g} s)",
                fix="start workers with `dask worker ADDRESS` on the machines that will "
                "compute, or leave --scheduler out for a local cluster",
                where="--scheduler / study.yaml scheduler",
            ) from None
        self.workers = len(self.client.scheduler_info().get("workers", {}))

    def _compute(
        self, fn: Callable[[Any], Any], tasks: Sequence[Any], stage: str
    ) -> Iterator[tuple[int, Any, float]]:
        """The tasks computed on the cluster, yielded as each future completes.

        A task lost with its worker is rerun by the scheduler on another one; an
        exception in a task is retried once (``retries=1``) before it is raised here.
        """
        from concurrent.futures import CancelledError

        from distributed import KilledWorker, as_completed

        if not tasks:
            return
        token = uuid.uuid4().hex[:8]
        keys = [f"insights-{stage.replace(' ', '_')}-{token}-{i}" for i in range(len(tasks))]
        futures = self.client.map(_timed, [fn] * len(tasks), tasks, key=keys, pure=False, retries=1)
        where = {f.key: i for i, f in enumerate(futures)}
        done = [False] * len(tasks)
        try:
            for fut, (res, sec, _) in as_completed(
                futures, with_results=True, loop=self.client.loop
            ):
                i = where[fut.key]
                if done[i]:  # pragma: no cover - a future completes once
                    continue
                done[i] = True
                yield i, res, sec
        except (KilledWorker, CancelledError, OSError) as exc:
            reason = (str(exc).splitlines() or [""])[0][:120]
            raise ConfigError(
                f"the Dask cluster at {self.scheduler!r} lost the {stage} stage's work "
                f"({type(exc).__name__} {reason})",
                fix="check that the workers stay up (their logs, --memory-limit), then run "
                "again: partitions already done are kept in output/.cache",
                where="--scheduler / study.yaml scheduler",
            ) from None
        finally:
            for f in futures:
                f.release()

    def close(self) -> None:
        """Close the client (and the local cluster this engine started)."""
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_engine(name: str = "local", scheduler: str | None = None) -> LocalEngine:
    """The engine called ``name`` (``local`` or ``dask``); ``scheduler`` only for ``dask``."""
    if name not in ENGINES:
        raise ConfigError(
            f"unknown engine {name!r}", fix=f"use one of: {', '.join(ENGINES)}", where="--engine"
        )
    if name == "local":
        if scheduler:
            raise ConfigError(
                "a scheduler address was given for the local engine",
                fix="add --engine dask (or engine: dask in study.yaml), or leave --scheduler out",
                where="--scheduler",
            )
        return LocalEngine()
    return DaskEngine(scheduler)


def by_transcript(frame: Any, *, max_rows: int | None = None) -> list[Any]:
    """``frame`` cut into its transcripts' rows, in reading order (the partitions).

    With ``max_rows``, a longer transcript is cut into consecutive chunks of at most
    that many rows (for stages where rows do not look at each other).
    """
    if frame is None or len(frame) == 0:
        return []
    if "transcript_id" in frame.columns:
        tid = frame["transcript_id"].astype(str)
        starts = [0, *[i for i in range(1, len(tid)) if tid.iat[i] != tid.iat[i - 1]]]
    else:
        starts = [0]
    bounds = [*starts, len(frame)]
    parts = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        step = max_rows or (b - a)
        for s in range(a, b, step):
            parts.append(frame.iloc[s : min(b, s + step)])
    return parts
