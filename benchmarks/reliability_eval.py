"""Reliability: no crash, no lost word, no hang, no mixed outputs; offline; redaction.

1. Readers, in process: ``--per-family`` inputs of each of the 13 families of
   ``tests/fuzz_inputs.py`` (half generated, half mutated: truncated, bit-flipped,
   spliced, junk inserted), each under a time limit (SIGALRM). A crash is any
   exception but a one-line :class:`~insights.errors.InputError` naming the file;
   a lost-word case is a generated input with a word in no turn, skipped piece or
   markup, or a damaged one the reader read with words missing from its own full
   text (:func:`~insights.io.token_accounting`); a hang is an input over the limit.
2. The CLI bad-input table and the kill-at-swap test (``tests/test_cli_bad_input.py``,
   ``tests/test_outputs_swap.py``), run by pytest in a subprocess.
3. A cold ``insights run`` of a copy of the sample study with the network denied
   (``unshare -rn``; no cache, no previous output).
4. Redaction recall and precision (``benchmarks/redaction_eval.py``).

Prints a table; writes ``benchmarks/results/reliability.json``.
``python benchmarks/reliability_eval.py [--per-family 800] [--quick-run]``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from fuzz_inputs import FAMILIES, SUFFIX, make_input, mutate  # noqa: E402


class _Timeout(Exception):
    pass


def _alarm(signum, frame):  # noqa: ARG001
    raise _Timeout


def readers(per_family: int, limit: float, folder: Path) -> dict:
    from insights.io import read_transcript, token_accounting, words
    from insights.schema import InputError

    signal.signal(signal.SIGALRM, _alarm)
    out: dict[str, dict] = {}
    examples: dict[str, list[str]] = {}
    for fi, family in enumerate(FAMILIES):
        c = Counter()
        slowest = 0.0
        pool: list[bytes] = []
        for n in range(per_family):
            rng = random.Random(fi * 1_000_003 + n)
            mutated = n % 2 == 1
            if mutated and family in ("docx", "xlsx") and len(pool) >= 40:
                data, logical = rng.choice(pool), None  # office files are slow to make
            else:
                data, logical = make_input(rng, family)
                if family in ("docx", "xlsx"):
                    pool.append(data)
            if mutated:
                data, logical = mutate(rng, data), None
            path = folder / f"in{SUFFIX[family]}"
            path.write_bytes(data)
            c["inputs"] += 1
            t0 = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, limit)
            try:
                t = read_transcript(path)
                signal.setitimer(signal.ITIMER_REAL, 0)
                if logical is not None:
                    acc = (
                        words(" ".join(x.text for x in t.turns))
                        + words(" ".join(s[2] for s in t.skipped))
                        + words(" ".join(t.markup))
                    )
                    lost = words(logical) - acc
                else:
                    lost = token_accounting(t)["missing"]
                c["read"] += 1
                if lost:
                    c["lost_words"] += 1
                    examples.setdefault(family, []).append(f"seed {n}: lost {dict(lost)}"[:200])
            except _Timeout:
                c["hangs"] += 1
                examples.setdefault(family, []).append(f"seed {n}: over {limit} s")
            except InputError as exc:
                signal.setitimer(signal.ITIMER_REAL, 0)
                msg = str(exc)
                if "\n" in msg or path.name not in msg or "Fix:" not in msg:
                    c["crashes"] += 1
                    examples.setdefault(family, []).append(f"seed {n}: bad message {msg!r}")
                else:
                    c["refused"] += 1
                    if logical is not None:  # a clean generated file refused
                        c["lost_words"] += 1
                        examples.setdefault(family, []).append(f"seed {n}: refused {msg}")
            except Exception as exc:  # noqa: BLE001 - that is what is counted
                signal.setitimer(signal.ITIMER_REAL, 0)
                c["crashes"] += 1
                examples.setdefault(family, []).append(f"seed {n}: {exc.__class__.__name__}")
            slowest = max(slowest, time.perf_counter() - t0)
        out[family] = {k: c.get(k, 0) for k in ("inputs", "read", "refused", "crashes")}
        out[family].update(
            lost_words=c.get("lost_words", 0), hangs=c.get("hangs", 0), slowest_s=round(slowest, 3)
        )
    return {"families": out, "examples": {k: v[:5] for k, v in examples.items()}}


def linear_time() -> dict:
    """The two inputs that were quadratic: 1 MB of spaces, 48 KB of "No. "."""
    from insights.io._base import clean_text
    from insights.segments import split_sentences

    t0 = time.perf_counter()
    clean_text("a" + " " * 1_000_000 + "\nb")
    t1 = time.perf_counter()
    split_sentences("No. " * 12_000)
    t2 = time.perf_counter()
    return {"clean_text_1MB_spaces_s": round(t1 - t0, 3), "split_48KB_No_s": round(t2 - t1, 3)}


def pytest_cases() -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "INSIGHTS_PROGRESS": "0", "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-rA",
            "tests/test_cli_bad_input.py",
            "tests/test_outputs_swap.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    results = re.findall(r"^(PASSED|FAILED|ERROR) (\S+)", proc.stdout, re.M)
    cli = [(s, t) for s, t in results if "test_cli_bad_input" in t]
    kill = [(s, t) for s, t in results if "kill_at_the_swap" in t]
    return {
        "cli_cases": len(cli),
        "cli_passed": sum(s == "PASSED" for s, _ in cli),
        "cli_failed": [t.split("::")[-1] for s, t in cli if s != "PASSED"],
        "kill_at_swap": {t.split("[")[-1].rstrip("]"): s for s, t in kill},
        "swap_tests_passed": sum(s == "PASSED" for s, t in results if "outputs_swap" in t),
    }


def offline_run(quick: bool) -> dict:
    from insights.datasets import sample_study_path

    tmp = Path(tempfile.mkdtemp(prefix="insights-offline-"))
    study = tmp / "study"
    shutil.copytree(sample_study_path(), study, ignore=shutil.ignore_patterns("output", "private"))
    exe = Path(sys.executable).parent / "insights"
    cmd = [str(exe), "run", str(study), "-q"]
    if quick:
        cmd += ["--skip", "themes", "--skip", "emotions", "--skip", "triggers"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "INSIGHTS_PROGRESS": "0"}
    env.pop("HF_HUB_OFFLINE", None)  # the run itself must need no network, flag or not
    t0 = time.perf_counter()
    proc = subprocess.run(
        ["unshare", "-rn", *cmd], env=env, capture_output=True, text=True, timeout=3600
    )
    seconds = round(time.perf_counter() - t0, 1)
    ok = proc.returncode == 0 and (study / "output" / "report.html").exists()
    shutil.rmtree(tmp, ignore_errors=True)
    return {
        "command": "unshare -rn " + " ".join(cmd[1:2] + ["STUDY", *cmd[3:]]),
        "exit": proc.returncode,
        "ok": ok,
        "seconds": seconds,
        "stderr_tail": proc.stderr.strip().splitlines()[-1:] if proc.returncode else [],
    }


def main() -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-family", type=int, default=800)
    ap.add_argument("--limit", type=float, default=10.0, help="seconds per input")
    ap.add_argument("--quick-run", action="store_true", help="offline run without model stages")
    ap.add_argument("--skip", nargs="*", default=[], help="parts to leave out: cli offline")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="insights-reliability-"))
    t0 = time.perf_counter()
    result: dict = {"readers": readers(args.per_family, args.limit, folder)}
    result["readers_seconds"] = round(time.perf_counter() - t0, 1)
    result["linear_time"] = linear_time()
    if "cli" not in args.skip:
        result["tests"] = pytest_cases()
    if "offline" not in args.skip:
        result["offline_run"] = offline_run(args.quick_run)
    from redaction_eval import main as redaction

    result["redaction"] = {
        k: {kk: v[kk] for kk in ("by_kind", "recall", "precision")} for k, v in redaction().items()
    }
    fam = result["readers"]["families"]
    print(
        f"\n{'family':14} {'inputs':>7} {'read':>6} {'refused':>8} {'crashes':>8} "
        f"{'lost':>5} {'hangs':>6} {'slowest s':>10}"
    )
    for name, r in fam.items():
        print(
            f"{name:14} {r['inputs']:>7} {r['read']:>6} {r['refused']:>8} {r['crashes']:>8} "
            f"{r['lost_words']:>5} {r['hangs']:>6} {r['slowest_s']:>10}"
        )
    tot = {k: sum(r[k] for r in fam.values()) for k in ("inputs", "crashes", "lost_words", "hangs")}
    result["totals"] = tot
    print(
        f"{'all':14} {tot['inputs']:>7} {'':>6} {'':>8} {tot['crashes']:>8} "
        f"{tot['lost_words']:>5} {tot['hangs']:>6}"
    )
    print(f"linear time: {result['linear_time']}")
    if "tests" in result:
        t = result["tests"]
        print(f"CLI bad-input cases: {t['cli_passed']}/{t['cli_cases']} pass {t['cli_failed']}")
        print(f"kill at the swap: {t['kill_at_swap']}")
    if "offline_run" in result:
        o = result["offline_run"]
        print(f"network denied: {o['command']} -> exit {o['exit']} in {o['seconds']} s")
    out = ROOT / "benchmarks" / "results" / "reliability.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    return result


if __name__ == "__main__":
    main()
