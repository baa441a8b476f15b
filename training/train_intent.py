"""Fit the intent verifier of insights.triggers on the tuning part of the labelled set.

The cues and rules of :func:`insights.triggers.propose_intent` propose an intent for
each labelled sentence; a logistic regression learns whether the proposal is right
(``1`` when the proposed intent is the labelled one). Two weight sets are fit: on the
cue features alone (used when no embedder is given) and on the cue features plus the
all-MiniLM-L6-v2 sentence embedding. Only the ``tune`` part of
``benchmarks/intent_labels.csv`` is used (the ``held_out`` part is for
``benchmarks/intent_eval.py``), with the ``read`` half of the second blind batch
(``benchmarks/intent_labels_blind2.csv``), of the third
(``benchmarks/intent_labels_blind3.csv``) and of the fourth
(``benchmarks/intent_labels_blind4.csv``; their ``report`` halves are never used). The
regularisation ``C`` is chosen by
source-document-grouped 5-fold cross-validation on the tuning part (log-loss), and the
cross-validated figures are written next to the weights.

Calibration: the regression's out-of-fold scores (grouped 5-fold on the tuning part)
are mapped to probabilities by Platt scaling (a one-feature logistic regression of
"proposal right" on the score), and the ``(a, b)`` pair ships beside each weight set as
``calibration``, so the ``confidence`` of an intent is the calibrated probability.

Reproduce (needs ../shared/eval)::

    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 .venv/bin/python training/train_intent.py

Deterministic: fixed folds (groups sorted, assigned round-robin by md5), liblinear
solver, ``random_state=0``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
for p in (REPO, REPO / "benchmarks"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from insights.triggers import (  # noqa: E402
    INTENT_FEATURES,
    proposal_features,
    propose_intent,
)

OUT = REPO / "insights" / "models" / "intent" / "intent_verifier.json"
#: the rules each blind batch's read half was labelled against (its frozen figures' commit):
#: their proposals that today's rules no longer make are kept as extra rows, so the verifier
#: sees the wrong proposals that rules make on text they were not written for
FROZEN_READ = {
    "blind2": "1bddfec8f083b729613d1ed7bc74f3983e2b6607",
    "blind3": "5d0c9c5f7a46be96e0e72fd1442c428d38d31c84",
    "blind4": "8345e34",
}
CS = (0.03, 0.1, 0.3, 1.0, 3.0)


def folds_of(groups: list[str], k: int = 5) -> np.ndarray:
    """Fold number of each row: its group's md5 modulo ``k``."""
    return np.array([int(hashlib.md5(g.encode()).hexdigest(), 16) % k for g in groups])


def fit_lr(X: np.ndarray, y: np.ndarray, C: float):
    """A fixed-seed logistic regression."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, solver="liblinear", random_state=0, max_iter=1000).fit(X, y)


def cv_scores(X: np.ndarray, y: np.ndarray, folds: np.ndarray, C: float) -> np.ndarray:
    """Out-of-fold decision scores (log-odds)."""
    z = np.zeros(len(y))
    for f in np.unique(folds):
        tr, te = folds != f, folds == f
        if len(set(y[tr])) < 2:
            m = float(np.clip(y[tr].mean(), 1e-3, 1 - 1e-3))
            z[te] = np.log(m / (1 - m))
            continue
        z[te] = fit_lr(X[tr], y[tr], C).decision_function(X[te])
    return z


def cv_probs(X: np.ndarray, y: np.ndarray, folds: np.ndarray, C: float) -> np.ndarray:
    """Out-of-fold probabilities (uncalibrated)."""
    return 1.0 / (1.0 + np.exp(-cv_scores(X, y, folds, C)))


def platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling ``(a, b)``: P(right) = sigmoid(a z + b), fit on out-of-fold scores."""
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000).fit(z.reshape(-1, 1), y)
    return float(m.coef_[0][0]), float(m.intercept_[0])


def cv_calibrated(z: np.ndarray, y: np.ndarray, folds: np.ndarray) -> np.ndarray:
    """Calibrated out-of-fold probabilities: Platt fit on the other folds' scores."""
    p = np.zeros(len(y))
    for f in np.unique(folds):
        tr, te = folds != f, folds == f
        a, b = platt(z[tr], y[tr]) if len(set(y[tr])) == 2 else (1.0, 0.0)
        p[te] = 1.0 / (1.0 + np.exp(-(a * z[te] + b)))
    return p


def reliability(y: np.ndarray, p: np.ndarray, bins: int = 5) -> list[dict]:
    """Per equal-width confidence bin: n, mean confidence, share right."""
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    return [
        {
            "bin": f"{edges[b]:.1f}-{edges[b + 1]:.1f}",
            "n": int((idx == b).sum()),
            "mean_confidence": round(float(p[idx == b].mean()), 3),
            "accuracy": round(float(y[idx == b].mean()), 3),
        }
        for b in range(bins)
        if (idx == b).any()
    ]


def log_loss(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def ece(y: np.ndarray, p: np.ndarray, bins: int = 5) -> float:
    """Expected calibration error over equal-width bins."""
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    return float(
        sum(
            abs(p[idx == b].mean() - y[idx == b].mean()) * (idx == b).mean()
            for b in range(bins)
            if (idx == b).any()
        )
    )


def frozen_rows(batches: dict, props: dict, tune: pd.DataFrame):
    """Proposals of each batch's read half by its frozen rules that today's rules do not make.

    Returns feature rows, right (1) / wrong (0), groups and texts. A frozen proposal with
    the same intent as today's proposal of the sentence is left out (it is a row already).
    """
    from intent_refit import old_proposals

    now = {
        t: (p.intent if p is not None else None)
        for t, p in zip(tune["text"], (props[i] for i in range(len(tune))), strict=True)
    }
    X, y, groups, texts = [], [], [], []
    for name, df in batches.items():
        part = df[df["split"] == "read"]
        for t, gold, g, p in zip(
            part["text"], part["intent"], part["group"],
            old_proposals(FROZEN_READ[name], part["text"].tolist()), strict=True,
        ):  # fmt: skip
            if p is None or p[0] == now.get(t):
                continue
            X.append([p[1].get(f, 0.0) for f in INTENT_FEATURES])
            y.append(int(p[0] == gold))
            groups.append(g)
            texts.append(t)
    return (
        np.array(X, dtype=np.float64).reshape(-1, len(INTENT_FEATURES)),
        np.array(y),
        groups,
        texts,
    )


def main() -> None:
    import intent_data

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--no-frozen", action="store_true", help="no frozen-rule proposal rows")
    args = ap.parse_args()
    t0 = time.time()
    lab = intent_data.labelled()
    tune = lab[lab["split"] == "tune"]
    # the second blind batch's read half (its errors were read, its report half never is)
    b2 = intent_data.blind2()
    # and the third blind batch's read half (its report half is never used)
    b3 = intent_data.blind3()
    # and the fourth's (s9; new domains; its report half is never used)
    b4 = intent_data.blind4()
    tune = pd.concat([tune, *(b[b["split"] == "read"] for b in (b2, b3, b4))], ignore_index=True)
    props = [propose_intent(t) for t in tune["text"]]
    keep = [i for i, p in enumerate(props) if p is not None]
    X = np.vstack([proposal_features(props[i]) for i in keep])
    y = np.array([int(props[i].intent == tune["intent"][i]) for i in keep])
    groups = tune["group"].iloc[keep].tolist()
    texts = tune["text"].iloc[keep].tolist()
    n_frozen = 0
    if not args.no_frozen:
        fx, fy, fg, ft = frozen_rows(
            {"blind2": b2, "blind3": b3, "blind4": b4}, dict(enumerate(props)), tune
        )
        n_frozen = len(fy)
        if n_frozen:
            X, y = np.vstack([X, fx]), np.concatenate([y, fy])
            groups, texts = groups + fg, texts + ft
    folds = folds_of(groups)
    from insights.embed import get_embedder

    emb = get_embedder()
    E = np.asarray(emb.encode(texts), dtype=np.float64)
    XE = np.hstack([X, E])
    report: dict = {
        "n_tune": len(tune),
        "n_proposals": len(keep),
        "n_frozen_rows": n_frozen,
        "n_right": int(y.sum()),
    }
    weights: dict = {"features_order": list(INTENT_FEATURES)}
    for name, M in (("features", X), ("embedding", XE)):
        scores = {C: log_loss(y, cv_probs(M, y, folds, C)) for C in CS}
        C = min(scores, key=scores.get)
        z = cv_scores(M, y, folds, C)
        p_raw = 1.0 / (1.0 + np.exp(-z))
        p = cv_calibrated(z, y, folds)
        a, b = platt(z, y)
        model = fit_lr(M, y, C)
        coef = model.coef_[0]
        w = {
            "C": C,
            "intercept": round(float(model.intercept_[0]), 6),
            "coef": [round(float(c), 6) for c in coef[: X.shape[1]]],
            "calibration": [round(a, 6), round(b, 6)],
        }
        if name == "embedding":
            w["coef_embedding"] = [round(float(c), 6) for c in coef[X.shape[1] :]]
            w["embedder"] = emb.name
        weights[name] = w
        kept = p >= 0.5
        report[name] = {
            "C": C,
            "cv_log_loss": {str(k): round(v, 4) for k, v in scores.items()},
            "cv_ece_uncalibrated": round(ece(y, p_raw), 4),
            "cv_ece": round(ece(y, p), 4),
            "calibration": [round(a, 4), round(b, 4)],
            "cv_reliability": reliability(y, p),
            "cv_brier": round(float(np.mean((p - y) ** 2)), 4),
            "cv_kept_precision": round(float(y[kept].mean()), 4) if kept.any() else None,
            "cv_right_kept": round(float(kept[y == 1].mean()), 4),
        }
    weights["cv"] = report
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1))
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes) in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
