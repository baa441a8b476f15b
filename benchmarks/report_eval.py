"""Reports, exports and re-runs measured: the sample study, a re-run with one new transcript, QMSum scale.

Prints a table and writes benchmarks/results/report_eval.json.

    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 MPLBACKEND=Agg INSIGHTS_PROGRESS=0 \
        .venv/bin/python benchmarks/report_eval.py [--runs 3] [--skip-qmsum] [--no-screenshots]

1. Sample study (``insights.datasets.sample_study_path()``, copied to a temporary
   folder): ``insights.study.run`` with every stage, ``--runs`` times, each in a fresh
   Python process, into a fresh output folder (so ``output/.cache`` — parsed
   transcripts, emotion scores, the previous theme model — is empty) and with a fresh
   embedding cache (``INSIGHTS_CACHE_DIR``). Reported: process wall time, run.json
   ``timings`` (per stage and per export: report_content, report_html, report_md,
   report_docx, workbook_xlsx, study_qdpx), the size of every export, and
   ``study.qdpx`` validated against the shipped REFI-QDA ``Project.xsd``.
2. Re-run: after each full run, one transcript is added to the study and it is run
   again into the same output folder (caches warm, as for a user), twice in turn:
   ``+copy`` — a copy of ``P01_aisha.txt`` as ``P21_new.txt`` (every sentence is
   already in the content caches, so this is the re-run's fixed cost); ``+new`` — a
   real interview no cache has seen (``transcripts_mlss_interviews/raw/Interview_30.txt``
   from ../shared/eval, copied into the temporary study only, as ``P22``). Each gets a
   participants.csv row. Reported: wall time and run.json ``changes`` (parsed vs
   cached transcripts, emotions_cached, how themes were obtained).
3. Scale: the 66 QMSum dev meetings (``../shared/eval/qmsum/dev.jsonl``) written as
   ``Speaker: text`` transcripts into a temporary study folder (one participants.csv
   row per meeting speaker with the meeting's domain as an attribute) and run with
   ``insights.study.run`` with a fresh embedding cache (every stage by default; there
   is no codebook, so codes find nothing; ``--qmsum-skip`` leaves stages out).
   Reported: stage and export timings, file sizes, the exports rebuilt from the
   written tables (``read_outputs`` + ``study_report_data``) with each part timed, the XSD check, and whether the HTML stays readable (quotes per
   section and per evidence entry, rows per table, every number's link resolves).
4. Screenshots (if ``chromium`` is installed) of both report.html files, headless,
   1280 px wide, saved under benchmarks/results/ when under 300 KB, else /tmp.
"""  # noqa: E501 - argparse shows only the first line, so the summary stays on one line

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("INSIGHTS_PROGRESS", "0")

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
EVAL = Path(os.environ.get("INSIGHTS_EVAL_DIR", REPO.parent / "shared" / "eval"))
RESULTS = REPO / "benchmarks" / "results"
OUT = RESULTS / "report_eval.json"
EXPORTS = ("report.html", "report.md", "report.docx", "workbook.xlsx", "study.qdpx")
EXPORT_TIMINGS = (
    "report_content",
    "report_html",
    "report_md",
    "report_docx",
    "workbook_xlsx",
    "study_qdpx",
)
NEW_TRANSCRIPT = "P21_new.txt"
SCREENSHOT_LIMIT = 300_000


# ---------------------------------------------------------------- one run in a fresh process


def worker(study: str, out: str, skip: str) -> None:
    """``--worker``: one ``insights.study.run`` in this (fresh) process.

    Prints its timings as JSON.
    """
    t0 = time.perf_counter()
    from insights.study import run

    t_import = time.perf_counter() - t0
    res = run(study, out=out, skip=[s for s in skip.split(",") if s])
    print(
        json.dumps(
            {
                "import_s": round(t_import, 3),
                "process_s": round(time.perf_counter() - t0, 3),
                "counts": res.counts,
            }
        )
    )


def run_process(study: Path, out: Path, *, cache: Path, skip: str = "") -> dict:
    """Run the study in a fresh Python process with ``INSIGHTS_CACHE_DIR=cache``.

    Returns the wall time + run.json.
    """
    env = {**os.environ, "INSIGHTS_CACHE_DIR": str(cache), "INSIGHTS_PROGRESS": "0"}
    t = time.perf_counter()
    p = subprocess.run(
        [sys.executable, __file__, "--worker", str(study), str(out), skip],
        capture_output=True,
        text=True,
        env=env,
    )
    wall = time.perf_counter() - t
    if p.returncode:
        raise RuntimeError(f"run of {study} failed:\n{p.stderr[-3000:]}")
    info = json.loads(p.stdout.strip().splitlines()[-1])
    rj = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return {
        "wall_s": round(wall, 2),
        "import_s": info["import_s"],
        "timings": rj["timings"],
        "changes": rj["changes"],
        "counts": rj["counts"],
        "models": rj["models"],
        "stages_skipped": rj["stages_skipped"],
    }


def sizes(out: Path) -> dict[str, int]:
    s = {name: (out / name).stat().st_size for name in EXPORTS if (out / name).exists()}
    charts = list((out / "charts").glob("*.png")) if (out / "charts").is_dir() else []
    s["charts/*.png"] = sum(p.stat().st_size for p in charts)
    s["charts_count"] = len(charts)
    return s


def validate(qdpx: Path) -> dict:
    from insights import schemas
    from insights.report.exchange import validate_qdpx

    errors = validate_qdpx(qdpx, schemas.path("Project.xsd"))
    return {"valid": not errors, "errors": errors[:5], "n_errors": len(errors)}


def median_run(runs: list[dict]) -> dict:
    walls = [r["wall_s"] for r in runs]
    return runs[walls.index(sorted(walls)[len(walls) // 2])]


def med(xs: list[float]) -> float:
    return round(statistics.median(xs), 3)


# --------------------------------------------------------------------------- HTML readability


class _HtmlStats(HTMLParser):
    """Counts quotes per top-level section (evidence apart), rows per table, links and anchors."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.top: list[str] = []  # stack of section ids (top-level = first)
        self.in_evidence_entry: str | None = None
        self.quotes_by_section: Counter = Counter()
        self.quotes_by_entry: Counter = Counter()
        self.table_rows: list[int] = []
        self._rows = 0
        self._in_tbody = False
        self.ids: Counter = Counter()
        self.hrefs: list[str] = []
        self.number_links = 0
        self.images = 0
        self.entries = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids[a["id"]] += 1
        if tag == "section":
            self.top.append(a.get("id", ""))
            if "evidence-entry" in (a.get("class") or ""):
                self.in_evidence_entry = a.get("id")
                self.entries += 1
        elif tag == "blockquote":
            if self.in_evidence_entry:
                self.quotes_by_entry[self.in_evidence_entry] += 1
            elif self.top:
                self.quotes_by_section[self.top[0]] += 1
        elif tag == "tbody":
            self._in_tbody, self._rows = True, 0
        elif tag == "tr" and self._in_tbody:
            self._rows += 1
        elif tag == "a" and a.get("href", "").startswith("#"):
            self.hrefs.append(a["href"][1:])
            if "n" in (a.get("class") or "").split():
                self.number_links += 1
        elif tag == "img":
            self.images += 1

    def handle_endtag(self, tag):
        if tag == "section" and self.top:
            sid = self.top.pop()
            if sid == self.in_evidence_entry:
                self.in_evidence_entry = None
        elif tag == "tbody":
            self._in_tbody = False
            self.table_rows.append(self._rows)


def html_stats(path: Path) -> dict:
    p = _HtmlStats()
    p.feed(path.read_text(encoding="utf-8"))
    broken = sorted({h for h in p.hrefs if h and h not in p.ids})
    dup = {k: v for k, v in p.ids.items() if v > 1}
    return {
        "bytes": path.stat().st_size,
        "quotes_per_section": dict(p.quotes_by_section),
        "quotes_outside_evidence": sum(p.quotes_by_section.values()),
        "evidence_entries": p.entries,
        "max_quotes_per_evidence_entry": max(p.quotes_by_entry.values(), default=0),
        "evidence_quotes": sum(p.quotes_by_entry.values()),
        "tables": len(p.table_rows),
        "max_table_rows": max(p.table_rows, default=0),
        "number_links": p.number_links,
        "internal_links": len(p.hrefs),
        "broken_internal_links": len(broken),
        "broken_examples": broken[:5],
        "duplicate_ids": len(dup),
        "duplicate_id_examples": sorted(dup)[:5],
        "images": p.images,
    }


# ---------------------------------------------------- 1 + 2: sample study, full run and re-run


UNSEEN = EVAL / "transcripts_mlss_interviews" / "raw" / "Interview_30.txt"
NEW = {  # kind: (file name in the study, participant row)
    "copy": (NEW_TRANSCRIPT, dict(participant_id="P21", name="Aisha Khan")),
    "unseen": ("P22_interview30.txt", dict(participant_id="P22", name="Interviewee")),
}


def add_transcript(study: Path, kind: str) -> None:
    """A new interview and its participants.csv row.

    ``copy``: P01's transcript under a new name (every sentence is already in the
    content caches: the re-run's fixed cost). ``unseen``: a real interview whose text
    no cache has seen (../shared/eval transcripts_mlss_interviews Interview_30, 4,320 words).
    """
    import pandas as pd

    name, extra = NEW[kind]
    tr = study / "transcripts"
    shutil.copyfile(tr / "P01_aisha.txt" if kind == "copy" else UNSEEN, tr / name)
    p = pd.read_csv(study / "participants.csv", dtype=str, keep_default_na=False)
    row = p[p.participant_id == "P01"].iloc[0].to_dict()
    row.update(extra, wave="2", transcript=name)
    pd.concat([p, pd.DataFrame([row])], ignore_index=True).to_csv(
        study / "participants.csv", index=False
    )


def _summary(runs: list[dict]) -> dict:
    return {
        "wall_s_median": med([r["wall_s"] for r in runs]),
        "wall_s_runs": [r["wall_s"] for r in runs],
        "run_total_s_median": med([r["timings"]["total"] for r in runs]),
        "import_s_median": med([r["import_s"] for r in runs]),
        "timings_median": {
            k: med([r["timings"].get(k, float("nan")) for r in runs]) for k in runs[0]["timings"]
        },
        "changes": runs[0]["changes"],
        "counts": runs[0]["counts"],
    }


def sample_study(runs: int, tmp: Path, skip: str = "") -> dict:
    from insights.datasets import sample_study_path

    kinds = ["copy"] + (["unseen"] if UNSEEN.exists() else [])
    full, reruns, size_list, valid, mentions = [], {k: [] for k in kinds}, [], [], []
    keep = tmp / "sample_report"
    for i in range(runs):
        study, out, cache = tmp / f"sample{i}", tmp / f"sample{i}_out", tmp / f"sample{i}_cache"
        for d in (study, out, cache):
            shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(
            sample_study_path(),
            study,
            ignore=shutil.ignore_patterns("output", "private", "theme_model"),
        )
        r = run_process(study, out, cache=cache, skip=skip)
        full.append(r)
        size_list.append(sizes(out))
        valid.append(validate(out / "study.qdpx"))
        if i == 0:
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(out, keep, ignore=shutil.ignore_patterns(".cache", "theme_model"))
        msg = f"  sample run {i + 1}/{runs}: full {r['wall_s']:.1f} s"
        for (
            kind
        ) in kinds:  # one after the other, into the same output folder (caches warm, as for a user)
            add_transcript(study, kind)
            rr = run_process(study, out, cache=cache, skip=skip)
            reruns[kind].append(rr)
            mentions.append(
                "This run added 1 transcript" in (out / "report.html").read_text(encoding="utf-8")
            )
            msg += f", re-run +{kind} {rr['wall_s']:.1f} s"
        print(msg, flush=True)
    res: dict = {
        "runs": runs,
        "full_run": _summary(full)
        | {"models": full[0]["models"], "stages_skipped": full[0]["stages_skipped"]},
        "export_bytes": size_list[0],
        "export_bytes_runs": size_list,
        "qdpx_xsd": valid[0] | {"valid_all_runs": all(v["valid"] for v in valid)},
        "html": html_stats(keep / "report.html"),
        "report_dir": str(keep),
    }
    for kind in kinds:
        key = f"rerun_plus_{kind}"
        res[key] = _summary(reruns[kind])
        res[key]["new_transcript"] = NEW[kind][0] + (
            " (copy of P01_aisha.txt)"
            if kind == "copy"
            else f" (= {UNSEEN.relative_to(EVAL.parent)})"
        )
        res[key]["speedup_vs_full"] = round(
            res["full_run"]["wall_s_median"] / res[key]["wall_s_median"], 2
        )
    res["rerun_report_says_what_was_added"] = all(mentions)
    return res


# --------------------------------------------------------------------------- 3: QMSum at scale


def qmsum_study(folder: Path) -> dict:
    """Write the QMSum dev meetings as a study folder; returns what was written."""
    import pandas as pd

    from insights.io import label_key

    tr = folder / "transcripts"
    tr.mkdir(parents=True)
    people, turns, words = [], 0, 0
    for line in open(EVAL / "qmsum" / "dev.jsonl", encoding="utf-8"):
        d = json.loads(line)
        name = f"{d['id']}.txt"
        lines, seen = [], {}
        for t in d["meeting_transcripts"]:
            spk = " ".join(str(t["speaker"]).split()) or "Unknown"
            text = " ".join(str(t["content"]).split())
            if not text:
                continue
            lines.append(f"{spk}: {text}")
            turns += 1
            words += len(text.split())
            seen.setdefault(spk, None)
        (tr / name).write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        for spk in seen:
            people.append(
                {
                    "participant_id": f"{d['id']}-{label_key(spk).replace(' ', '_')}",
                    "name": spk,
                    "domain": d["domain"],
                    "transcript": name,
                }
            )
    pd.DataFrame(people).to_csv(folder / "participants.csv", index=False)
    (folder / "study.yaml").write_text(
        "name: QMSum dev meetings (66)\nlanguage: en\n", encoding="utf-8"
    )
    return {
        "meetings": len(list(tr.iterdir())),
        "turns": turns,
        "words": words,
        "speakers": len(people),
    }


def rebuild_exports(study_dir: Path, out: Path, dst: Path) -> dict:
    """Rebuild every export from the tables a run wrote, timing each part (in this process)."""
    from insights.report import (
        build_report,
        read_outputs,
        render_docx,
        render_html,
        render_markdown,
        study_report_data,
    )
    from insights.report import exchange as X
    from insights.study import load_study

    dst.mkdir(parents=True, exist_ok=True)
    t = {}
    t0 = time.perf_counter()
    study = load_study(study_dir)
    tables = read_outputs(out)
    t["read_outputs"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    data = study_report_data(study, tables)
    report = build_report(data)
    t["report_content"] = time.perf_counter() - t0
    for name, fn in (
        (
            "report_html",
            lambda: (dst / "report.html").write_text(render_html(report), encoding="utf-8"),
        ),
        (
            "report_md",
            lambda: (dst / "report.md").write_text(render_markdown(report), encoding="utf-8"),
        ),
        ("report_docx", lambda: render_docx(report, dst / "report.docx")),
        ("workbook_xlsx", lambda: X.write_workbook(data, dst / "workbook.xlsx")),
        ("study_qdpx", lambda: X.write_qdpx(data, dst / "study.qdpx")),
    ):
        t0 = time.perf_counter()
        fn()
        t[name] = time.perf_counter() - t0
    return {k: round(v, 3) for k, v in t.items()} | {
        "evidence_entries": len(report.evidence.entries),
        "charts": len(report.charts),
    }


def qmsum(tmp: Path, skip: str, cache: Path) -> dict:
    study, out = tmp / "qmsum_study", tmp / "qmsum_out"
    for d in (study, out, cache, tmp / "qmsum_rebuild"):
        shutil.rmtree(d, ignore_errors=True)
    written = qmsum_study(study)
    r = run_process(study, out, cache=cache, skip=skip)
    res = {
        "input": written
        | {
            "source": "../shared/eval/qmsum/dev.jsonl",
            "written_as": "Speaker: text .txt, one per meeting",
        },
        "stages_skipped": r["stages_skipped"],
        "embedding_cache": "fresh (empty) for this run",
        "wall_s": r["wall_s"],
        "timings": r["timings"],
        "counts": r["counts"],
        "models": r["models"],
        "export_bytes": sizes(out),
        "qdpx_xsd": validate(out / "study.qdpx"),
        "html": html_stats(out / "report.html"),
        "report_dir": str(out),
    }
    print(f"  qmsum run: {r['wall_s']:.1f} s; rebuilding the exports from its tables", flush=True)
    res["rebuild_from_outputs_s"] = rebuild_exports(study, out, tmp / "qmsum_rebuild")
    return res


# --------------------------------------------------------------------------- 4: screenshots


def screenshot(html: Path, name: str, height: int = 2000) -> dict:
    exe = (
        shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )
    if exe is None:
        return {"taken": False, "why": "chromium is not installed"}
    tmp_png = Path(tempfile.gettempdir()) / name
    cmd = [
        exe,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        f"--screenshot={tmp_png}",
        f"--window-size=1280,{height}",
        f"file://{html}",
    ]
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    secs = time.perf_counter() - t
    if p.returncode or not tmp_png.exists():
        return {"taken": False, "why": p.stderr[-500:]}
    size = tmp_png.stat().st_size
    path = tmp_png
    if size < SCREENSHOT_LIMIT:
        path = RESULTS / name
        shutil.move(tmp_png, path)
    return {
        "taken": True,
        "path": str(path.relative_to(REPO) if path.is_relative_to(REPO) else path),
        "bytes": size,
        "seconds": round(secs, 1),
        "window": f"1280x{height}",
    }


# --------------------------------------------------------------------------- table


def print_table(res: dict) -> None:
    s = res.get("sample_study")
    if s:
        f = s["full_run"]
        kinds = [k for k in ("rerun_plus_copy", "rerun_plus_unseen") if k in s]
        print(
            f"\nSample study ({f['counts'].get('transcripts')} transcripts, "
            f"{f['counts'].get('segments')} segments), "
            f"median of {s['runs']} fresh-process runs; seconds"
        )
        heads = {"rerun_plus_copy": "+copy P21", "rerun_plus_unseen": "+new P22"}
        print(f"  {'':24s} {'full run':>10s}" + "".join(f" {heads[k]:>10s}" for k in kinds))
        print(
            f"  {'wall (process)':24s} {f['wall_s_median']:>10.2f}"
            + "".join(f" {s[k]['wall_s_median']:>10.2f}" for k in kinds)
        )
        for k in f["timings_median"]:
            print(
                f"  {'  ' + k:24s} {f['timings_median'][k]:>10.3f}"
                + "".join(f" {s[kk]['timings_median'].get(k, float('nan')):>10.3f}" for kk in kinds)
            )
        for kk in kinds:
            ch = s[kk]["changes"]
            print(
                f"  {kk}: added {ch.get('added')}, parsed {ch.get('parsed')}, "
                f"cached {ch.get('cached')}, "
                f"emotions_cached {ch.get('emotions_cached')}, themes: {ch.get('themes')}; "
                f"{s[kk]['speedup_vs_full']}x faster than a full run"
            )
        print(
            f"  qdpx XSD valid (every run): {s['qdpx_xsd']['valid_all_runs']}; "
            f"re-run report says what was added: {s['rerun_report_says_what_was_added']}"
        )
    for key, title in (("sample_study", "sample"), ("qmsum", "QMSum")):
        d = res.get(key)
        if not d:
            continue
        b = d["export_bytes"]
        t = d["full_run"]["timings_median"] if key == "sample_study" else d["timings"]
        print(f"\nExports, {title}: {'file':14s} {'KB':>9s} {'build s':>9s}")
        for name, tk in zip(
            EXPORTS,
            ("report_html", "report_md", "report_docx", "workbook_xlsx", "study_qdpx"),
            strict=True,
        ):
            extra = (
                f" (+ content {t.get('report_content', 0):.2f} s shared)"
                if name == "report.html"
                else ""
            )
            print(
                f"  {'':17s}{name:14s} {b.get(name, 0) / 1024:>9.1f} "
                f"{t.get(tk, float('nan')):>9.3f}{extra}"
            )
        h = d["html"]
        print(
            f"  HTML: {h['quotes_outside_evidence']} quotes in sections (max per section "
            f"{max(h['quotes_per_section'].values(), default=0)}), "
            f"{h['evidence_entries']} evidence entries "
            f"(max {h['max_quotes_per_evidence_entry']} quotes each), {h['tables']} tables "
            f"(max {h['max_table_rows']} rows), "
            f"{h['number_links']} number links, {h['broken_internal_links']} broken, "
            f"{h['duplicate_ids']} duplicate ids"
        )
    q = res.get("qmsum")
    if q:
        print(
            f"\nQMSum: {q['input']['meetings']} meetings, {q['counts'].get('segments')} segments, "
            f"stages skipped {q['stages_skipped']}, run {q['wall_s']:.1f} s; "
            f"XSD valid {q['qdpx_xsd']['valid']}"
        )
        print("  stage timings: " + ", ".join(f"{k} {v:.2f}s" for k, v in q["timings"].items()))
        print(
            "  rebuilt from outputs: "
            + ", ".join(f"{k} {v}" for k, v in q["rebuild_from_outputs_s"].items())
        )
    for k, v in res.get("screenshots", {}).items():
        print(f"screenshot {k}: {v}")


def _save(res: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(res, indent=2, default=str), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--runs",
        type=int,
        default=3,
        help="fresh-process runs of the sample study (median reported)",
    )
    ap.add_argument("--skip-sample", action="store_true")
    ap.add_argument("--skip-qmsum", action="store_true")
    ap.add_argument(
        "--qmsum-skip", default="", help="stages skipped on QMSum, comma-separated (default: none)"
    )
    ap.add_argument(
        "--sample-skip",
        default="",
        help="stages skipped on the sample study (for development only)",
    )
    ap.add_argument(
        "--merge",
        action="store_true",
        help="keep the parts of an existing --out that this call does not run",
    )
    ap.add_argument("--no-screenshots", action="store_true")
    ap.add_argument(
        "--keep",
        default=None,
        help="work folder (default: a new temporary folder, kept for inspection)",
    )
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--worker", nargs=3, metavar=("STUDY", "OUT", "SKIP"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(*args.worker)
        return 0
    import platform

    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="report_eval_"))
    tmp.mkdir(parents=True, exist_ok=True)
    out = Path(args.out)
    res: dict = json.loads(out.read_text(encoding="utf-8")) if args.merge and out.exists() else {}
    git = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--", "insights"],
        capture_output=True,
        text=True,
    )
    commit = git.stdout.strip() + (
        " (insights/ has uncommitted changes)" if dirty.stdout.strip() else ""
    )
    res.update({"python": platform.python_version(), "cpus": os.cpu_count()})
    res.setdefault("screenshots", {})
    res.setdefault("load_average", {})
    parts = [("sample_study", "report_eval_sample.png"), ("qmsum", "report_eval_qmsum.png")]
    for key, png in parts:
        if key == "sample_study" and args.skip_sample or key == "qmsum" and args.skip_qmsum:
            continue
        load0 = [round(x, 2) for x in os.getloadavg()]
        if key == "sample_study":
            print(
                f"sample study: {args.runs} full runs + re-runs "
                "(fresh process, output folder and embedding cache each)",
                flush=True,
            )
            res[key] = sample_study(args.runs, tmp, args.sample_skip)
        elif not (EVAL / "qmsum" / "dev.jsonl").exists():
            print(
                f"no QMSum data at {EVAL / 'qmsum'} (set INSIGHTS_EVAL_DIR); skipping scale",
                file=sys.stderr,
            )
            continue
        else:
            print(
                f"QMSum dev at scale (stages skipped: {args.qmsum_skip or 'none'}; "
                "fresh embedding cache)",
                flush=True,
            )
            res[key] = qmsum(tmp, args.qmsum_skip, tmp / "qmsum_cache")
        res[key]["git_commit"] = commit
        res["load_average"][key] = {"start": load0, "end": [round(x, 2) for x in os.getloadavg()]}
        if not args.no_screenshots:
            res["screenshots"][key] = screenshot(Path(res[key]["report_dir"]) / "report.html", png)
        _save(res, out)
    print_table(res)
    print(
        "\nload average (1, 5, 15 min) at start and end of each part: "
        f"{res['load_average']} on {res['cpus']} CPUs "
        "(wall-clock timings on a shared machine)"
    )
    _save(res, out)
    print(f"wrote {out.relative_to(REPO) if out.is_relative_to(REPO) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
