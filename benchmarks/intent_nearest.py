"""Would a proposal step that reads no cue word add intents? An embedding classifier, measured.

A five-class logistic regression over the all-MiniLM-L6-v2 sentence embedding, fit on the
tunable sentences only (main ``tune`` part, the fresh batch's ``calib`` half, the four
blind batches' ``read`` halves since s9), proposes an intent for a sentence the cues and rules leave
without one when its top intent's probability reaches a threshold. Grouped 5-fold
cross-validation on the tunable sentences gives the added proposals' precision and the
share of the rules' misses they find; the model fit on all of them is run on every
participant segment of the MLSS and Hit Save dev studies (no customer there: every
proposal is false). No held-out or report part is read.

    INSIGHTS_EVAL_DIR=/work/shared/eval .venv/bin/python benchmarks/intent_nearest.py

Writes ``benchmarks/results/intent_nearest.json``.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "benchmarks", ROOT / "training"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import intent_data  # noqa: E402
from train_intent import folds_of  # noqa: E402

from insights.triggers import INTENTS, propose_intent  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "intent_nearest.json"
THRESHOLDS = (0.5, 0.7, 0.8, 0.9)


def fit(E: np.ndarray, y: np.ndarray):
    """A fixed-seed multinomial logistic regression."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=1.0, max_iter=2000, random_state=0).fit(E, y)


def main() -> None:
    from insights.embed import get_embedder

    lab = intent_data.labelled()
    fr = intent_data.fresh()
    cols = ["id", "group", "text", "intent"]
    reads = [
        b[b["split"] == "read"][cols]
        for b in (intent_data.blind(), intent_data.blind2(), intent_data.blind3(),
                  intent_data.blind4())
    ]  # fmt: skip
    pool = pd.concat(
        [lab[lab["split"] == "tune"][cols], fr[fr["split"] == "calib"][cols], *reads],
        ignore_index=True,
    )
    emb = get_embedder()
    E = np.asarray(emb.encode(pool["text"].tolist()), dtype=np.float64)
    y = pool["intent"].to_numpy()
    rules = np.array([(p.intent if p else "none") for p in map(propose_intent, pool["text"])])
    folds = folds_of(pool["group"].tolist())
    prob = np.zeros((len(pool), len(INTENTS)))
    for f in np.unique(folds):
        tr, te = folds != f, folds == f
        m = fit(E[tr], y[tr])
        idx = [list(m.classes_).index(c) for c in INTENTS]
        prob[te] = m.predict_proba(E[te])[:, idx]
    top = np.array(INTENTS[:4])[prob[:, :4].argmax(1)]
    ptop = prob[:, :4].max(1)
    missed = (rules == "none") & (y != "none")
    res = {"n": len(pool), "rules_missed": int(missed.sum()), "cv": {}}
    for t in THRESHOLDS:
        add = (rules == "none") & (ptop >= t)
        tp = int((add & (top == y)).sum())
        res["cv"][str(t)] = {
            "added": int(add.sum()),
            "right": tp,
            "precision": round(tp / add.sum(), 3) if add.any() else None,
            "share_of_misses_found": round(tp / max(int(missed.sum()), 1), 3),
        }
    model = fit(E, y)
    idx = [list(model.classes_).index(c) for c in INTENTS]
    res["false_per_10k"] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("mlss", "hitsave"):
            seg = intent_data.study_segments(name, Path(tmp))
            S = np.asarray(emb.encode(seg["text"].tolist()), dtype=np.float64)
            p = model.predict_proba(S)[:, idx][:, :4].max(1)
            none = np.array([propose_intent(t) is None for t in seg["text"]])
            words = int(seg["n_words"].sum())
            res["false_per_10k"][name] = {
                str(t): round(10000 * int((none & (p >= t)).sum()) / words, 2) for t in THRESHOLDS
            }
    OUT.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
