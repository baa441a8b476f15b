"""Intent: can a small learned layer over the rules do better? (Tried; not shipped.)

Grouped 5-fold cross-validation on the parts of the labelled sets that may be tuned on:
the main set's ``tune`` part and the fresh batch's ``calib`` half (1,176 sentences, 261
with an intent). The ``held_out`` part and the ``report`` half are not read here. Three
layers, each a logistic regression (scikit-learn, ``lbfgs``):

* ``rules_embedding`` — five classes (the four intents, none) over the rules' proposal
  features (:data:`insights.triggers.INTENT_FEATURES`, zeros without a proposal), the
  shipped verifier's probability and logit, and the MiniLM embedding of the sentence;
* ``embedding`` — five classes over the embedding alone (can it find intents the cues
  miss?);
* ``rules_or_embedding`` — the shipped rules and verifier, plus ``embedding``'s intent
  for sentences no cue fired on.

The reference is the shipped detector on the same sentences, at the 0.5 floor: its rules
were written on these very sentences, so every figure here is tuned-on, and a layer
that learns "trust the rules" looks as good as they do. That is what happens: the
proposal features decide, the embedding adds nothing (the embedding-only layer finds a
tenth to a third of the intents at precision 0.6-0.8), and no layer gives a reason to
expect better figures on held-out text. The one ship check (``rules_embedding`` fit on
every tunable sentence, read once on the held-out part and the report half) lowered
precision on both; nothing here ships. Figures: ``insights/models/intent/README.md``.

    INSIGHTS_EVAL_DIR=/work/shared/eval .venv/bin/python benchmarks/intent_learned.py

Writes ``benchmarks/results/intent_learned.json``.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "benchmarks"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import intent_data  # noqa: E402
from intent_eval import prf  # noqa: E402

from insights.schema import INTENT_FLOOR  # noqa: E402
from insights.triggers import INTENT_FEATURES, INTENTS, proposal_features, propose_intent  # noqa: E402
from insights.triggers._intent import IntentVerifier  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "intent_learned.json"
CLASSES = INTENTS[:4]


def tunable() -> pd.DataFrame:
    """The main set's tune part and the fresh batch's calib half: ``text, intent, group``."""
    main = intent_data.labelled()
    fresh = intent_data.fresh()
    parts = [main[main["split"] == "tune"], fresh[fresh["split"] == "calib"]]
    return pd.concat([p[["text", "intent", "group"]] for p in parts], ignore_index=True)


def figures(gold: pd.Series, pred) -> dict:
    """P/R per intent."""
    return {c: prf(gold, pd.Series(pred, index=gold.index), c) for c in CLASSES}


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    from insights.embed import get_embedder

    t0 = time.time()
    df = tunable()
    props = [propose_intent(t) for t in df["text"]]
    has = np.array([p is not None for p in props])
    proposed = np.array([p.intent if p else "none" for p in props])
    X = np.zeros((len(df), len(INTENT_FEATURES)))
    for i, p in enumerate(props):
        if p is not None:
            X[i] = proposal_features(p)
    E = np.asarray(get_embedder().encode(df["text"].tolist()), dtype=np.float64)
    prob = np.zeros(len(df))
    ver = IntentVerifier.load()
    prob[has] = ver.predict(X[has], E[has])
    q = np.clip(prob, 1e-4, 1 - 1e-4)
    V = np.c_[prob, np.log(q / (1 - q)) * has]
    y = np.array([INTENTS.index(v) for v in df["intent"]])
    fold = np.array([int(hashlib.md5(g.encode()).hexdigest(), 16) % 5 for g in df["group"]])
    shipped = np.where(has & (prob >= INTENT_FLOOR), proposed, "none")
    res: dict = {
        "n": len(df),
        "n_positive": int((df["intent"] != "none").sum()),
        "shipped_at_floor_tuned_on": figures(df["intent"], shipped),
    }
    for name, M in (("rules_embedding", np.hstack([X, V, E])), ("embedding", E)):
        for C in (0.3, 1.0, 3.0):
            oof = np.zeros((len(df), len(INTENTS)))
            for f in range(5):
                lr = LogisticRegression(C=C, max_iter=3000).fit(M[fold != f], y[fold != f])
                oof[fold == f] = lr.predict_proba(M[fold == f])
            best = np.array(INTENTS)[oof[:, :4].argmax(1)]
            pred = np.where(oof[:, :4].max(1) >= INTENT_FLOOR, best, "none")
            res[f"{name}_C{C}_cv"] = figures(df["intent"], pred)
            if name == "embedding":
                either = np.where(shipped != "none", shipped, np.where(has, "none", pred))
                res[f"rules_or_embedding_C{C}_cv"] = figures(df["intent"], either)
    res["notes"] = (
        "Grouped 5-fold CV on the tunable parts only (main tune + fresh calib); the rules "
        "were written on them, so all figures are tuned-on. held_out and report not read."
    )
    res["seconds"] = round(time.time() - t0, 1)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    for k, v in res.items():
        if isinstance(v, dict) and "stay" in v:
            cells = "  ".join(f"{c} {_f(r['precision'])}/{_f(r['recall'])}" for c, r in v.items())
            print(f"{k:32s} {cells}")
    print(f"wrote {OUT}")


def _f(x) -> str:
    return "-" if x is None else f"{x:.2f}"


if __name__ == "__main__":
    main()
