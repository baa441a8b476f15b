"""The Dask engine measured: wall time, identity with the local engine, a projection.

Prints a table and writes benchmarks/results/engine_eval.json.

    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 INSIGHTS_PROGRESS=0 .venv/bin/python \
        benchmarks/engine_eval.py STUDY [--workers 2] [--work /tmp/engine_eval] [--warm]

``STUDY`` is a study folder (e.g. the QMSum meetings made by ``benchmarks/eval_studies.py``);
it is copied twice under ``--work`` and never run in place. Each copy is run cold (its
own empty vector cache) by ``insights run`` in a fresh process: once with
``--engine local``, once with ``--engine dask`` on a ``LocalCluster`` of ``--workers``
single-threaded worker processes (the CLI starts one when no ``--scheduler`` is given;
``--scheduler ADDRESS`` uses a running cluster instead). Reported: wall seconds, the
peak RSS of the largest process (ru_maxrss of the run's process tree), seconds per
stage, and from ``run.json`` (``engine``) per stage the partitions, their summed task
seconds and the wall seconds, whence the scheduler's overhead (wall minus the task
seconds spread over the workers). Identity: every output table of the two runs
compared byte for byte. ``--warm`` runs each copy once more with its caches (nothing
changed: the partition cache answers) and compares those tables too.

The projection for ``--project-words`` words on ``--project-workers`` workers scales
each distributed stage's task seconds linearly in words (partitions are transcripts,
so the cost per word is what was measured) and spreads them over the workers, adds the
measured overhead per partition, and adds the client's stages (themes, report, the
rest) scaled linearly, which is an upper bound when themes fit on a bounded sample.

``run_study(path, engine=..., scheduler=...)`` is the call other benchmarks
(``benchmarks/scale_eval.py``) can use for one run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "engine_eval.json"
TABLES = (
    "segments.csv",
    "skipped.csv",
    "codes.csv",
    "themes.csv",
    "assignments.csv",
    "theme_prevalence.csv",
    "emotions.csv",
    "triggers.csv",
    "intents.csv",
    "drivers.csv",
    "needs.csv",
)
#: stages whose work runs as partitions (names as in run.json's ``engine.stages``)
PARTITIONED = ("reading transcripts", "embedding", "emotions", "triggers")

_RSS = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.call(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(rc)\n"
)


def run_study(
    path: str | Path,
    *,
    engine: str = "local",
    scheduler: str | None = None,
    extra: tuple[str, ...] = (),
    cache_dir: str | Path | None = None,
) -> dict:
    """``insights run PATH --engine ENGINE`` in a fresh process: wall, peak RSS, run.json parts.

    ``cache_dir`` is the vector cache (default: a new empty folder, a cold run).
    """
    path = Path(path)
    cache = Path(cache_dir) if cache_dir else Path(tempfile.mkdtemp(prefix="insights-vectors-"))
    onnx = _machine_cache() / "onnx"  # exported once per machine: not part of a cold run
    if onnx.is_dir() and not (cache / "onnx").exists():
        (cache / "onnx").symlink_to(onnx)
    env = {**os.environ, "INSIGHTS_CACHE_DIR": str(cache), "INSIGHTS_PROGRESS": "0"}
    cmd = [sys.executable, "-m", "insights.cli", "run", str(path), "--engine", engine, "-q"]
    if scheduler:
        cmd += ["--scheduler", scheduler]
    cmd += list(extra)
    t = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _RSS, *cmd], env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - t
    if done.returncode != 0:
        raise RuntimeError(f"insights run failed ({done.returncode}): {done.stderr[-2000:]}")
    rss_kb = int(done.stdout.strip().splitlines()[-1])
    info = json.loads((path / "output" / "run.json").read_text())
    return {
        "engine": engine,
        "wall_s": round(wall, 1),
        "peak_rss_mb": round(rss_kb / 1024),
        "timings": info["timings"],
        "counts": info["counts"],
        "engine_stats": info.get("engine"),
        "cache_dir": str(cache),
    }


def _machine_cache() -> Path:
    root = os.environ.get("INSIGHTS_CACHE_DIR")
    return Path(root) if root else Path.home() / ".cache" / "insights"


def tables_of(out: Path) -> dict[str, bytes | None]:
    """The bytes of each output table of a run's folder (None: not written)."""
    return {name: (out / name).read_bytes() if (out / name).exists() else None for name in TABLES}


def differing_tables(a: Path | dict, b: Path | dict) -> list[str]:
    """The output tables of folders (or :func:`tables_of`) ``a`` and ``b`` that differ."""
    a = tables_of(a) if isinstance(a, Path) else a
    b = tables_of(b) if isinstance(b, Path) else b
    return [name for name in TABLES if a[name] != b[name]]


def words_of(out: Path) -> int:
    """Words of every segment of a run's ``segments.csv``."""
    import pandas as pd

    seg = pd.read_csv(out / "segments.csv", dtype=str, keep_default_na=False)
    return int(seg["text"].str.split().str.len().sum())


def overheads(stats: dict, workers: int) -> dict:
    """Per partitioned stage: wall, task seconds, seconds per partition, scheduler overhead."""
    out = {}
    for stage, s in (stats or {}).get("stages", {}).items():
        n = max(1, s["partitions"])
        ideal = s["task_seconds"] / max(1, workers)
        out[stage] = {
            "partitions": s["partitions"],
            "segments": s["segments"],
            "wall_s": s["seconds"],
            "task_s": s["task_seconds"],
            "task_s_per_partition": round(s["task_seconds"] / n, 3),
            "max_task_s": s.get("max_task_seconds"),
            "overhead_s": round(s["seconds"] - ideal, 3),
            "overhead_s_per_partition": round((s["seconds"] - ideal) / n, 3),
        }
    return out


def project(run: dict, words: int, *, target_words: int, workers: int) -> dict:
    """Seconds for ``target_words`` on ``workers`` workers, from one measured dask run."""
    scale = target_words / max(1, words)
    stages = overheads(run["engine_stats"], run["engine_stats"]["workers"])
    dist = {}
    for stage, s in stages.items():
        parts = s["partitions"] * scale
        # a partition's first-model-load cost is paid once per worker, not per word
        dist[stage] = s["task_s"] * scale / workers + max(0.0, s["overhead_s_per_partition"]) * (
            parts / workers
        )
    timed = sum(s["wall_s"] for s in stages.values())
    client = max(0.0, run["timings"]["total"] - timed)
    total = sum(dist.values()) + client * scale
    return {
        "target_words": target_words,
        "workers": workers,
        "scale": round(scale, 1),
        "partitioned_s": {k: round(v, 1) for k, v in dist.items()},
        "client_s_linear_upper_bound": round(client * scale, 1),
        "total_s": round(total, 1),
        "words_per_s": round(target_words / total) if total else None,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the study with both engines, compare, project; print and write JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("study", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--scheduler", default=None)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "engine_eval")
    ap.add_argument("--project-words", type=int, default=10_000_000)
    ap.add_argument("--project-workers", type=int, default=8)
    ap.add_argument("--warm", action="store_true", help="re-run each copy warm (its caches)")
    ap.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes")
    args = ap.parse_args(argv)
    runs, warm, cold_tables = {}, {}, {}
    for engine in ("local", "dask"):
        dst = args.work / engine
        shutil.rmtree(dst, ignore_errors=True)
        shutil.copytree(args.study, dst, ignore=shutil.ignore_patterns("output"))
        if engine == "dask" and not args.scheduler and args.workers != (os.cpu_count() or 1):
            print(f"note: the CLI's local cluster has {os.cpu_count()} workers", file=sys.stderr)
        runs[engine] = run_study(dst, engine=engine, scheduler=args.scheduler)
        print(f"{engine}: {runs[engine]['wall_s']} s, {runs[engine]['peak_rss_mb']} MB", flush=True)
        cold_tables[engine] = tables_of(dst / "output")
        if args.warm:  # the same folder and caches again: nothing changed
            warm[engine] = run_study(
                dst, engine=engine, scheduler=args.scheduler, cache_dir=runs[engine]["cache_dir"]
            )
            print(f"{engine} warm: {warm[engine]['wall_s']} s", flush=True)
    differ = differing_tables(cold_tables["local"], cold_tables["dask"])
    words = words_of(args.work / "local" / "output")
    dask = runs["dask"]
    result = {
        "study": str(args.study),
        "words": words,
        "segments": runs["local"]["counts"].get("segments"),
        "runs": runs,
        "identical_tables": not differ,
        "differing_tables": differ,
        "warm_runs": warm,
        "warm_differing_tables": {
            "local_vs_dask": differing_tables(
                args.work / "local" / "output", args.work / "dask" / "output"
            ),
            "local_cold_vs_warm": differing_tables(
                cold_tables["local"], args.work / "local" / "output"
            ),
            "dask_cold_vs_warm": differing_tables(
                cold_tables["dask"], args.work / "dask" / "output"
            ),
        }
        if warm
        else None,
        "dask_overheads": overheads(dask["engine_stats"], dask["engine_stats"]["workers"]),
        "projection": project(
            dask, words, target_words=args.project_words, workers=args.project_workers
        ),
        "cpu_count": os.cpu_count(),
        "load_average_at_end": os.getloadavg(),
        "max_rss_this_process_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(
        f"\n{words} words, {result['segments']} segments; identical tables: {not differ} {differ}"
    )
    print(f"{'engine':11} {'wall s':>8} {'words/s':>8} {'peak RSS MB':>12}")
    for name, r in [*runs.items(), *((f"{k} warm", v) for k, v in warm.items())]:
        print(f"{name:11} {r['wall_s']:>8} {words / r['wall_s']:>8.0f} {r['peak_rss_mb']:>12}")
    if warm:
        print(f"warm runs, tables that differ: {result['warm_differing_tables']}")
    print(
        f"\n{'stage (dask)':22} {'parts':>5} {'wall s':>8} {'task s':>8} {'s/part':>7} {'ovh s':>7}"
    )
    for stage, s in result["dask_overheads"].items():
        print(
            f"{stage:22} {s['partitions']:>5} {s['wall_s']:>8} {s['task_s']:>8} "
            f"{s['task_s_per_partition']:>7} {s['overhead_s']:>7}"
        )
    p = result["projection"]
    print(
        f"\nprojection: {p['target_words']:,} words on {p['workers']} workers "
        f"~ {p['total_s']:.0f} s "
        f"({p['words_per_s']} words/s; client stages {p['client_s_linear_upper_bound']:.0f} s)"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
