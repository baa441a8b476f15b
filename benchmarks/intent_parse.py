"""What the dependency-parse proposer adds, on tunable sentences and on studies with no customer.

For every sentence the cues of :func:`insights.triggers.propose_intent` leave without a
candidate (``parse=False``), the dependency-parse proposer
(:mod:`insights.triggers._intent_parse`, with the rules ``propose_intent`` applies to
it) proposes one or not. Printed per tunable part (main ``tune``, fresh ``calib``, the three
blind batches' ``read`` halves): how many it adds, how many are right, and the share of
the cues' misses it finds; and on every analysed segment of the MLSS, Hit Save and
QMSum dev studies (nobody there is a customer: every proposal is false) how many it
adds per 10,000 words. No held-out or report part is read.

    INSIGHTS_EVAL_DIR=/work/shared/eval .venv/bin/python benchmarks/intent_parse.py [--show]

Writes ``benchmarks/results/intent_parse.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "benchmarks"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import intent_data  # noqa: E402

from insights.triggers import propose_intent  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "intent_parse.json"


def added(df: pd.DataFrame) -> pd.DataFrame:
    """The rows the cues leave without a candidate, with the parse proposer's intent."""
    none = [propose_intent(t, parse=False) is None for t in df["text"]]
    rest = df[none].copy()
    props = [propose_intent(t) for t in rest["text"]]
    rest["parse"] = [p.intent if p else "none" for p in props]
    rest["parse_kind"] = [p.kind if p else "" for p in props]
    return rest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", action="store_true", help="print the tunable parts' additions")
    args = ap.parse_args()
    lab = intent_data.labelled()
    parts = {
        "main_tune": lab[lab["split"] == "tune"],
        "fresh_calib": (f := intent_data.fresh())[f["split"] == "calib"],
        "blind1_read": (b := intent_data.blind())[b["split"] == "read"],
        "blind2_read": (b := intent_data.blind2())[b["split"] == "read"],
        "blind3_read": (b := intent_data.blind3())[b["split"] == "read"],
    }
    res: dict = {}
    for name, df in parts.items():
        rest = added(df)
        add = rest[rest["parse"] != "none"]
        right = int((add["parse"] == add["intent"]).sum())
        misses = int((rest["intent"] != "none").sum())
        res[name] = {
            "n": len(df),
            "cue_misses": misses,
            "added": len(add),
            "right": right,
            "found": int(((rest["intent"] != "none") & (rest["parse"] == rest["intent"])).sum()),
        }
        print(name, res[name])
        if args.show:
            for r in add.itertuples():
                mark = "ok" if r.parse == r.intent else "XX"
                gold = f"{r.intent}/{r.kind}"
                print(f"  {mark} gold={gold} parse={r.parse}/{r.parse_kind}\t{r.text[:150]}")
    with tempfile.TemporaryDirectory(prefix="intent-parse-") as tmp:
        for name in ("mlss", "hitsave", "qmsum"):
            seg = intent_data.study_segments(name, Path(tmp))
            rest = added(seg)
            n = int((rest["parse"] != "none").sum())
            words = int(seg["n_words"].sum())
            res[name] = {"added": n, "words": words, "per_10k": round(n / words * 1e4, 2)}
            print(name, res[name])
            if args.show:
                for r in rest[rest["parse"] != "none"].itertuples():
                    print(f"  FP {r.id} parse={r.parse}/{r.parse_kind}")
    OUT.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
