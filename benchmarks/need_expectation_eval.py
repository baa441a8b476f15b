"""How well the needs' expectation words say baseline or delight on sentences we wrote.

``benchmarks/need_expectation_sentences.csv``: 174 customer-interview sentences written
for insights (x001-x150 by one person; x151-x174, for "don't think about X when it
works", "the best thing is the X" and "never had that anywhere else" with near misses, by
another, before the rules for them) (broadband, banking, energy, travel, gym, delivery, insurance;
none from the sample study or the eval data), labelled baseline (noticed only when it
fails, expected), delight (beyond what was expected) or none (hard negatives: "I expect
the price will go up", "You only notice the outliers when you plot the residuals", "I
took it for granted that the data was clean"). All were written before the cue rules;
the rules (:func:`insights.summarize.expectation_cue`) were written from the ``tune``
split (md5 of the text, first hex digit < 8) and its errors; ``held_out`` is read only
here. The author saw every sentence while writing them, so held-out is not blind.

    python benchmarks/need_expectation_eval.py [--show-tune-errors]

prints precision / recall per label and split and writes
``benchmarks/results/need_expectation.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from insights.summarize import expectation_cue

HERE = Path(__file__).parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-tune-errors", action="store_true")
    args = ap.parse_args()
    rows = list(csv.DictReader(open(HERE / "need_expectation_sentences.csv", encoding="utf-8")))
    out: dict[str, dict[str, dict[str, float]]] = {}
    print(f"{'split':9} {'label':9} {'n':>4} {'P':>6} {'R':>6}")
    for split in ("tune", "held_out"):
        part = [r for r in rows if r["split"] == split]
        got = [expectation_cue(r["text"]) or "none" for r in part]
        out[split] = {}
        for lab in ("baseline", "delight"):
            tp = sum(g == lab and r["label"] == lab for g, r in zip(got, part, strict=True))
            fp = sum(g == lab and r["label"] != lab for g, r in zip(got, part, strict=True))
            n = sum(r["label"] == lab for r in part)
            p = tp / (tp + fp) if tp + fp else float("nan")
            rec = tp / n if n else float("nan")
            out[split][lab] = {"n": n, "precision": round(p, 3), "recall": round(rec, 3),
                               "false_positives": fp}  # fmt: skip
            print(f"{split:9} {lab:9} {n:4d} {p:6.2f} {rec:6.2f}")
        if split == "tune" and args.show_tune_errors:
            for g, r in zip(got, part, strict=True):
                if g != r["label"]:
                    print(f"  {r['id']} {r['label']} -> {g}: {r['text']}")
    res = HERE / "results" / "need_expectation.json"
    res.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {res}")


if __name__ == "__main__":
    main()
