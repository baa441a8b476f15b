"""Seconds of the themes stage against segments, with and without the fitting bound.

For each study folder: its segments (:func:`insights.study.read_study`), then what the
themes stage of ``insights run`` does with them, timed: ``ThemeModel.fit`` (on a sample
by transcript above ``max_fit_segments``) and, when it sampled, ``transform`` +
``summarize`` of every segment. ``--old`` also times ``max_fit_segments=None`` (every
segment fitted, as before the bound). The content (spaCy) and embedding caches are
warmed by a first pass that is timed too ("cold"), so the later figures compare
the fitting alone.

    python benchmarks/themes_scale.py /tmp/h15/qmsum10 /tmp/h15/qmsum33 [--old] \
        [--bound 4000] [--out benchmarks/results/themes_scale.json]

QMSum studies of 33 and 66 meetings: ``benchmarks/eval_studies.py`` (``qmsum(out, n)``).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def themes_stage(segments, cache: Path, **params) -> tuple[float, object, object, object]:
    """Seconds, model, assignments and themes of the themes stage on ``segments``."""
    from insights.themes import ThemeModel

    start = time.perf_counter()
    model = ThemeModel(random_state=42, cache_dir=cache, **params).fit(segments)
    assignments, themes = model.assignments_, model.themes_
    if model.sampled_:
        assignments = model.transform(segments)
        themes = model.summarize(segments, assignments)
    return time.perf_counter() - start, model, assignments, themes


def checks(assignments, themes) -> dict:
    """Themes, label problems and the largest theme's share of the fitted segments."""
    from insights.themes import label_problems

    th = themes[themes.theme_id != -1]
    used = int((assignments.excluded == "").sum())
    return {
        "themes": len(th),
        "label_problems": int(sum(bool(label_problems(x)) for x in th.label)),
        "largest_theme_share": round(float(th["size"].max()) / max(1, used), 4),
        "labels": th.label.tolist(),
    }


def main() -> None:
    """Time the themes stage on each study folder; print and write JSON."""
    from sklearn.metrics import normalized_mutual_info_score

    from insights.study import load_study, read_study

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("studies", nargs="+", type=Path)
    ap.add_argument("--bound", type=int, default=4000, help="max_fit_segments")
    ap.add_argument("--old", action="store_true", help="also fit every segment")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/themes_scale.json")
    args = ap.parse_args()
    out = json.loads(args.out.read_text()) if args.out.exists() else {}
    for folder in args.studies:
        segments = read_study(load_study(folder))[0]
        words = int(segments["text"].astype(str).str.split().str.len().sum())
        cache = Path(tempfile.mkdtemp(prefix="themes_scale_"))
        row: dict = {"segments": len(segments), "words": words, "bound": args.bound}
        cold, *_ = themes_stage(segments, cache, max_fit_segments=args.bound)
        sec, model, a, th = themes_stage(segments, cache, max_fit_segments=args.bound)
        # the rows clustered (at most the bound); "excluded" are rows of the fitted table
        # left out (filler, short, ...): a table below the bound of used rows is not sampled
        row["fitted_on"] = len(model.fit_ids_)
        row["excluded_in_fit"] = len(model.excluded_ids_)
        row["sampled"] = bool(model.sampled_)
        row["assigned"] = int((a.excluded == "").sum())
        row["bounded"] = {"cold_s": round(cold, 1), "warm_s": round(sec, 1), **checks(a, th)}
        if args.old:
            sec_old, _, a_old, th_old = themes_stage(segments, cache, max_fit_segments=None)
            row["every_segment"] = {"warm_s": round(sec_old, 1), **checks(a_old, th_old)}
            both = a.merge(a_old, on="segment_id")
            both = both[(both.excluded_x == "") & (both.excluded_y == "")]
            row["nmi_bounded_vs_every"] = round(
                float(normalized_mutual_info_score(both.theme_id_x, both.theme_id_y)), 4
            )
        out[f"{folder.name}@{args.bound}"] = row
        print(folder.name, json.dumps({k: v for k, v in row.items()}, default=str)[:600])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
