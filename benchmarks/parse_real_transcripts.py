"""Parse every real transcript in ../shared/eval and account for every word; time import and a run.

For each file: format, encoding, turns, distinct speakers, segments, and the share of
source speech (words and characters) that landed in segments (or, where the reader
skipped something, the reason). Then: cold `import insights`, `insights --help`, and
`insights run data/sample_study` (median of 3) with the stage timings from run.json.

    python benchmarks/parse_real_transcripts.py [--runs 3]

Prints a table and writes benchmarks/results/parse_real_transcripts.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = Path(os.environ.get("INSIGHTS_EVAL_DIR", ROOT.parent / "shared" / "eval"))
FOLDERS = ["transcripts_hitsave/raw", "transcripts_mlss_interviews/raw"]


def parse_all() -> list[dict]:
    from insights.io import read_transcript, token_accounting, words
    from insights.segments import build_segments

    rows = []
    for folder in FOLDERS:
        for path in sorted((EVAL / folder).iterdir()):
            t0 = time.perf_counter()
            t = read_transcript(path)
            seg = build_segments(t)
            secs = time.perf_counter() - t0
            acc = token_accounting(t, list(seg["text"]))
            content = words(t.source_text) - words(" ".join(t.markup))
            content_chars = sum(len(w) * n for w, n in content.items())
            missing_chars = sum(len(w) * n for w, n in Counter(acc["missing"]).items())
            roles = seg.drop_duplicates("speaker").set_index("speaker")["role"].to_dict()
            rows.append(
                {
                    "file": f"{folder.split('/')[0]}/{path.name}",
                    "format": t.format,
                    "encoding": t.encoding,
                    "turns": len(t.turns),
                    "speakers": len(t.speakers),
                    "roles": {str(k): v for k, v in roles.items() if isinstance(k, str)},
                    "segments": len(seg),
                    "source_words": acc["source_words"],
                    "word_coverage": round(acc["coverage"], 6),
                    "char_coverage": round(
                        1 - missing_chars / content_chars if content_chars else 1.0, 6
                    ),
                    "extra_words": sum(acc["extra"].values()),
                    "skipped": Counter(r for _, r, _ in t.skipped),
                    "seconds": round(secs, 3),
                }
            )
    return rows


def timed(cmd: list[str], runs: int) -> list[float]:
    env = {**os.environ, "INSIGHTS_PROGRESS": "0", "HF_HUB_OFFLINE": "1"}
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        out.append(time.perf_counter() - t0)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-run", action="store_true", help="only parse, do not time a full run")
    args = ap.parse_args()
    if not EVAL.is_dir():
        print(f"no evaluation data at {EVAL} (set INSIGHTS_EVAL_DIR)", file=sys.stderr)
        return 2
    rows = parse_all()
    print(
        f"{'file':<76} {'format':<13} {'enc':<9} {'turns':>5} {'spk':>3} {'segs':>5} "
        f"{'words':>6} {'cover%':>7}  special handling"
    )
    for r in rows:
        special = "; ".join(f"{k} ×{v}" for k, v in r["skipped"].items()) or "-"
        print(
            f"{r['file']:<76} {r['format']:<13} {str(r['encoding']):<9} {r['turns']:>5} "
            f"{r['speakers']:>3} "
            f"{r['segments']:>5} {r['source_words']:>6} {100 * r['char_coverage']:>7.2f}  {special}"
        )
    result: dict = {"files": rows}
    bin_dir = Path(sys.executable).parent
    imp = timed([sys.executable, "-c", "import insights"], 5)
    hlp = timed([str(bin_dir / "insights"), "--help"], 5)
    result["import_insights_s"] = {
        "median": round(statistics.median(imp), 3),
        "runs": [round(x, 3) for x in imp],
    }
    result["help_s"] = {
        "median": round(statistics.median(hlp), 3),
        "runs": [round(x, 3) for x in hlp],
    }
    print(
        f"\nimport insights (cold process): median {result['import_insights_s']['median']:.3f} s; "
        f"insights --help: median {result['help_s']['median']:.3f} s"
    )
    if not args.skip_run:
        times, stages = [], []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as out:
                t = timed(
                    [
                        str(bin_dir / "insights"),
                        "run",
                        str(ROOT / "data" / "sample_study"),
                        "--out",
                        out,
                        "-q",
                    ],
                    1,
                )[0]
                times.append(t)
                stages.append(json.loads((Path(out) / "run.json").read_text())["timings"])
        med = statistics.median(times)
        pick = stages[times.index(sorted(times)[len(times) // 2])]
        result["run_sample_study_s"] = {
            "median": round(med, 2),
            "runs": [round(x, 2) for x in times],
            "stage_timings": pick,
        }
        print(
            f"insights run data/sample_study: median of {args.runs} {med:.2f} s; stages: "
            + ", ".join(f"{k} {v:.2f}s" for k, v in pick.items())
        )
    out = ROOT / "benchmarks" / "results" / "parse_real_transcripts.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=dict), encoding="utf-8")
    print(f"\nwrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
