"""Theme label faults by rule, per study: the labels a researcher would not keep.

Fits the themes of each study as ``insights run``'s themes stage does (the study's
language and seed, each segment's stance from ``emotions.csv``, codebook codes naming
the themes they match) on the ``segments.csv`` a run wrote, and checks every label
with :func:`insights.themes.label_problems` given the theme's own segments:

- ``repeated word``: one lemma twice ("Pick meals, meal", "Data data");
- ``joined``: two heads glued by "&" or "," ("Work & choosing", "Send photos,
  delivery"), or by "and" when the theme's segments never say them together;
- ``generic``: only nouns too general to name a theme ("Project", "App & phone");
- ``made gerund``: an -ing form of a wrong lemma ("Hatting the new app" from "hated");
- ``name``, ``other language``, ``filler only``, ``shared``.

"Mixed talk: a, b" labels (a theme with no single topic) are counted apart. With
``benchmarks/theme_label_judgements.csv`` (study, run, theme_id, label, judgement:
keep / weak; written by hand from each theme's keywords and quotes, ids and labels
only) it prints the share of the judged labels kept.

Run ``insights run`` on each study first (``benchmarks/eval_studies.py --out DIR``
makes mlss, hitsave and qmsum; copy ``data/sample_study`` to ``DIR/sample``)::

    PYTHONPATH=. python benchmarks/theme_labels_eval.py --studies DIR --tag after

``--fit-only`` fits and keeps each study's labels and theme texts in ``--cache``
(outside the repository); ``--reuse`` checks kept labels without refitting, so the
labels of an older tree (``git archive``) are checked by today's rules.

Held-out studies (``--held-out``, default hitsave and qmsum) print their fault
counts only, not their labels, unless ``--show-held-out``: they are judged once, at
the end, never tuned on.
"""

from __future__ import annotations

import argparse
import csv
import json
import pickle
import time
from pathlib import Path

import numpy as np
import pandas as pd

from insights.schema import MIXED_TALK, language_exclusions
from insights.study import load_config
from insights.summarize import applied_codes, segment_stances
from insights.themes import ThemeModel, label_problems

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results" / "theme_labels_eval.json"
JUDGEMENTS = ROOT / "theme_label_judgements.csv"
STUDIES = ("sample", "mlss", "hitsave", "qmsum")
FAULTS = (
    "repeated word",
    "joined",
    "generic",
    "made gerund",
    "name",
    "other language",
    "filler only",
    "shared",
)


def _read(path: Path) -> pd.DataFrame | None:
    if not path.exists():
        return None
    return pd.read_csv(path, dtype={"segment_id": str}, keep_default_na=False)


def fit_study(study: Path, cache: Path) -> tuple[ThemeModel, float]:
    """The study's themes, fitted as the themes stage fits them; and the fit's CPU seconds."""
    out = study / "output"
    config = load_config(study / "study.yaml")
    seg = _read(out / "segments.csv")
    if seg is None:
        raise SystemExit(f"{out / 'segments.csv'} is missing: run `insights run {study}` first")
    seg = seg[language_exclusions(seg, config.language) == ""]
    emo = _read(out / "emotions.csv")
    if emo is not None and len(emo):
        emo["valence"] = pd.to_numeric(emo["valence"], errors="coerce")
        side = segment_stances(emo).set_index("segment_id")["stance"]
        seg = seg.assign(stance=seg["segment_id"].map(side).fillna(""))
    t0 = time.process_time()
    model = ThemeModel(random_state=config.random_state, cache_dir=cache / study.name)
    model.fit(seg)
    codes = applied_codes(_read(out / "codes.csv"))
    if codes is not None and len(codes):
        model.name_from_codes(codes)
    return model, time.process_time() - t0


def fitted_labels(model: ThemeModel, cpu: float) -> dict:
    """What the check needs of a fitted model: labels, sizes, keywords, names, theme texts."""
    theme = np.asarray(model.theme_of_doc_)
    docs = list(model.fit_docs_)
    return {
        "cpu": cpu,
        "names": sorted(set(getattr(model, "label_names_", ())) | set(model.person_names_)),
        "themes": [
            {
                "theme_id": int(t),
                "label": str(label),
                "keywords": list(model.keywords_.get(t, []))[:6],
                "texts": [docs[i] for i in np.flatnonzero(theme == t)],
            }
            for t, label in sorted(model.labels_.items())
        ],
    }


def check_labels(fitted: dict) -> list[dict]:
    """One row per theme: id, label, size, the faults of its label, whether it is mixed talk."""
    names = set(fitted["names"])
    labels = {r["theme_id"]: r["label"] for r in fitted["themes"]}
    rows = []
    for r in fitted["themes"]:
        label = r["label"]
        others = [x for k, x in labels.items() if k != r["theme_id"]]
        rows.append(
            {
                "theme_id": r["theme_id"],
                "label": label,
                "size": len(r["texts"]),
                "mixed_talk": label.startswith(MIXED_TALK),
                "faults": label_problems(label, names, others=others, texts=r["texts"]),
                "keywords": r["keywords"],
            }
        )
    return rows


def judgements(path: Path = JUDGEMENTS) -> dict[tuple[str, int, str], str]:
    """(study, theme_id, label lower case) -> keep / weak, from the hand-written list."""
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as fh:
        return {
            (r["study"], int(r["theme_id"]), r["label"].strip().lower()): r["judgement"].strip()
            for r in csv.DictReader(fh)
        }


def summary(name: str, rows: list[dict], cpu: float, judged: dict) -> dict:
    counts = {f: sum(f in r["faults"] for r in rows) for f in FAULTS}
    n = len(rows)
    sizes = [r["size"] for r in rows]
    fitted = sum(sizes)
    said = [judged.get((name, r["theme_id"], r["label"].lower())) for r in rows]
    kept = [s for s in said if s]
    return {
        "themes": n,
        "faults": counts,
        "labels_with_a_fault": sum(bool(r["faults"]) for r in rows),
        "mixed_talk": sum(r["mixed_talk"] for r in rows),
        "largest_share": round(max(sizes) / fitted, 3) if fitted else 0.0,
        "judged": len(kept),
        "kept": sum(s == "keep" for s in kept),
        "kept_share": round(sum(s == "keep" for s in kept) / len(kept), 3) if kept else None,
        "fit_cpu_s": round(cpu, 1),
        "labels": rows,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--studies", type=Path, required=True, help="folder holding the studies")
    ap.add_argument("--only", default=",".join(STUDIES), help="studies to run, comma-separated")
    ap.add_argument("--tag", default="run", help="name of this run in the JSON (before, after)")
    ap.add_argument("--held-out", default="hitsave,qmsum")
    ap.add_argument("--show-held-out", action="store_true")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/insights-label-eval"))
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--fit-only", action="store_true", help="fit and keep the labels, no check")
    ap.add_argument("--reuse", action="store_true", help="check the labels kept by a fit")
    args = ap.parse_args()
    held = set(filter(None, args.held_out.split(",")))
    judged = judgements()
    found = {}
    for name in filter(None, args.only.split(",")):
        dump = args.cache / f"{name}.{args.tag}.pkl"  # outside the repository: it holds text
        if args.reuse and dump.exists():
            fitted = pickle.loads(dump.read_bytes())
        else:
            fitted = fitted_labels(*fit_study(args.studies / name, args.cache))
            dump.parent.mkdir(parents=True, exist_ok=True)
            dump.write_bytes(pickle.dumps(fitted))
        if args.fit_only:
            print(f"{name}: fitted, {len(fitted['themes'])} themes -> {dump}", flush=True)
            continue
        found[name] = res = summary(name, check_labels(fitted), fitted["cpu"], judged)
        show = name not in held or args.show_held_out
        print(f"\n== {name}{'' if show else ' (held out: labels not shown)'}", flush=True)
        if show:
            for r in res["labels"]:
                mark = ", ".join(r["faults"]) or ("mixed talk" if r["mixed_talk"] else "")
                print(f"  {r['theme_id']:3d} {r['size']:5d}  {r['label'][:60]:60s} {mark}")
    if args.fit_only:
        return
    print(
        f"\n{'study':8s} {'themes':>6s} "
        + " ".join(f"{f.split()[0][:8]:>8s}" for f in FAULTS)
        + f" {'any':>4s} {'mixed':>5s} {'largest':>7s} {'kept':>9s} {'fit CPU s':>9s}"
    )
    for name, r in found.items():
        kept = f"{r['kept']}/{r['judged']}" if r["judged"] else "-"
        print(
            f"{name:8s} {r['themes']:6d} "
            + " ".join(f"{r['faults'][f]:8d}" for f in FAULTS)
            + f" {r['labels_with_a_fault']:4d} {r['mixed_talk']:5d} {r['largest_share']:7.3f}"
            + f" {kept:>9s} {r['fit_cpu_s']:9.1f}"
        )
    previous = json.loads(args.out.read_text()) if args.out.exists() else {}
    for name in held & set(found):  # what was not looked at is not written out either
        if not args.show_held_out:
            for row in found[name]["labels"]:
                row["label"] = row["keywords"] = None
    previous[args.tag] = {**previous.get(args.tag, {}), **found}  # per study: --only adds
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(previous, indent=1) + "\n")
    print(f"-> {args.out} [{args.tag}]")


if __name__ == "__main__":
    main()
