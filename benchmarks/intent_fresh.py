"""Intent on the fresh batch: labelled blind after the rules were frozen.

``benchmarks/intent_labels_fresh.csv`` holds 340 sentences no rule, cue or verifier
weight was ever chosen on: 200 real sentences with an intent-like word (stay, leave,
switch, cancel, recommend, warn, stick, upgrade, move, quit, renew, avoid) drawn at
random among those not in the main labelled set (GoEmotions dev, QMSum dev meetings
11-66, XED subtitle lines, the last unlabelled Hit Save and MLSS dev segments) and 140
customer-like sentences written for it (``intent_own_fresh.csv``) before the detector
ran on any of them. Split by group into two halves:

* ``calib`` — the Platt calibration ``(a, b)`` is refit on it (:func:`refit_calibration`)
  with the rules as they were when the batch was labelled (``intent_fresh_frozen.json``;
  ``--refit`` wrote it into the shipped weights; since the third round it runs
  ``intent_refit.py``, which fits on this half and the blind batch's read half); after
  that its errors were read
  (``--errors``) to fix rule classes, so its figures are tuned-on;
* ``report`` — only aggregate figures are printed: precision, recall and calibration
  error, never its sentences.

    INSIGHTS_EVAL_DIR=/work/shared/eval .venv/bin/python benchmarks/intent_fresh.py
    ... benchmarks/intent_fresh.py --refit   # run benchmarks/intent_refit.py (the refit now)
    ... benchmarks/intent_fresh.py --errors  # print the calib half's errors

Writes ``benchmarks/results/intent_fresh.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "benchmarks"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import intent_data  # noqa: E402
from intent_eval import calibration, prf  # noqa: E402

from insights.schema import INTENT_FLOOR  # noqa: E402
from insights.triggers import INTENTS, proposal_features, propose_intent  # noqa: E402
from insights.triggers._intent import THRESHOLD, IntentVerifier  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "intent_fresh.json"
#: the figures of the rules as they were when the batch was labelled (before any fix)
FROZEN = ROOT / "benchmarks" / "results" / "intent_fresh_frozen.json"
CLASSES = INTENTS[:4]


def proposals(df: pd.DataFrame, embedder) -> pd.DataFrame:
    """Each sentence's proposal and the shipped verifier's probability (all, kept or not)."""
    ver = IntentVerifier.load()
    props = [propose_intent(t) for t in df["text"]]
    todo = [i for i, p in enumerate(props) if p is not None]
    prob = np.zeros(len(df))
    if todo:
        X = np.vstack([proposal_features(props[i]) for i in todo])
        E = None
        if ver.uses_embedding(embedder):
            E = np.asarray(embedder.encode([df["text"].iloc[i] for i in todo]), dtype=float)
        prob[todo] = ver.predict(X, E)
    return df.assign(
        prop=[p.intent if p else "none" for p in props],
        prop_kind=[p.kind if p else "" for p in props],
        prob=prob,
    )


def figures(df: pd.DataFrame, prob: np.ndarray, floor: float = THRESHOLD) -> dict:
    """P/R per intent, and calibration of the kept proposals, at a probability floor."""
    kept = (df["prop"] != "none").to_numpy() & (prob >= floor)
    pred = df["prop"].where(kept, "none")
    out = {"n": len(df), "n_positive": int((df["intent"] != "none").sum()), "floor": floor}
    out["intent"] = {c: prf(df["intent"], pred, c) for c in CLASSES}
    right = (pred == df["intent"]).to_numpy()[kept]
    out["kept"] = int(kept.sum())
    if kept.any():
        out["mean_confidence_kept"] = round(float(prob[kept].mean()), 3)
        out["share_right_kept"] = round(float(right.mean()), 3)
        out["calibration"] = calibration(right, prob[kept])
    both = kept & (pred == df["intent"]).to_numpy() & (df["intent"] != "none").to_numpy()
    out["kind_right_when_intent_right"] = (
        round(float((df["prop_kind"][both] == df["kind"][both]).mean()), 3) if both.any() else None
    )
    return out


def refit_calibration(df: pd.DataFrame) -> tuple[float, float]:
    """Platt ``(a, b)`` on the logit of the shipped probability of each proposal of ``df``."""
    from sklearn.linear_model import LogisticRegression

    m = (df["prop"] != "none").to_numpy()
    p = np.clip(df["prob"].to_numpy()[m], 1e-6, 1 - 1e-6)
    z = np.log(p / (1 - p)).reshape(-1, 1)
    y = (df["prop"] == df["intent"]).to_numpy()[m].astype(int)
    lr = LogisticRegression(C=1e4, solver="lbfgs").fit(z, y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def main() -> None:
    from insights.embed import get_embedder

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--refit", action="store_true", help="write the calib-half calibration")
    ap.add_argument("--errors", action="store_true", help="print the calib half's errors")
    args = ap.parse_args()
    df = proposals(intent_data.fresh(), get_embedder())
    cal, rep = df[df["split"] == "calib"], df[df["split"] == "report"]
    m = cal["prop"] != "none"
    same = (cal["prop"] == cal["intent"])[m].nunique() < 2
    ab = (1.0, 0.0) if same else refit_calibration(cal)
    res = {
        "sizes": df.groupby(["split", "intent"]).size().unstack(fill_value=0).to_dict("index"),
        "refit_on_calib": [round(ab[0], 4), round(ab[1], 4)],
    }
    for name, part in (("calib", cal), ("report", rep)):
        res[name] = part_figures(part)
    res["notes"] = (
        "Fresh batch labelled blind after the rules were frozen; calib: calibration refit "
        "(and errors read with --errors); report: aggregate figures only. 'shipped' is "
        "the verifier as it ships now (its calibration may already be the calib refit)."
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    print_figures(res, ("calib", "report"))
    print("refit (a, b) on calib:", res["refit_on_calib"])
    if args.errors:
        print_errors(cal)
    if args.refit:
        # superseded: the shipped calibration is fit on both blind batches' frozen-rule
        # proposals with the verifier as it ships (benchmarks/intent_refit.py)
        import intent_refit

        intent_refit.main()
    print(f"wrote {OUT}")


def part_figures(part: pd.DataFrame) -> dict:
    """:func:`figures` of one part of a batch, at the verifier's threshold and at the floor."""
    prob = part["prob"].to_numpy()
    return {
        "shipped": figures(part, prob),
        f"shipped_floor_{INTENT_FLOOR}": figures(part, prob, INTENT_FLOOR),
    }


def print_figures(res: dict, names: tuple[str, ...]) -> None:
    """One line per part and floor: P / R per intent, kept, confidence, share right, ECE."""
    for name in names:
        for how, r in res[name].items():
            cells = "  ".join(
                f"{c} P={_f(v['precision'])} R={_f(v['recall'])} n={v['tp'] + v['fn']}"
                for c, v in r["intent"].items()
            )
            c = r.get("calibration", {})
            print(f"{name:6s} {how:22s} {cells}  kept={r['kept']} "
                  f"conf={r.get('mean_confidence_kept')} right={r.get('share_right_kept')} "
                  f"ECE={c.get('ece')}")  # fmt: skip


def print_errors(part: pd.DataFrame) -> None:
    """The sentences of ``part`` whose kept proposal is not their label (readable parts only)."""
    wrong = part[(part["prop"].where(part["prob"] >= THRESHOLD, "none")) != part["intent"]]
    for r in wrong.itertuples():
        print(f"{r.id}\tgold={r.intent}/{r.kind}\tprop={r.prop}/{r.prop_kind}"
              f"\tp={r.prob:.2f}\t{r.text[:160]}")  # fmt: skip


def _f(x) -> str:
    return "-" if x is None else f"{x:.2f}"


if __name__ == "__main__":
    main()
