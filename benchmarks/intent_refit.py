"""Refit the intent verifier's calibration on blind text, with the rules it was labelled under.

A Platt step ``(a, b)`` on the shipped verifier's score, fit on the proposals that the
rules **as they were when each blind batch was labelled** made on its tunable half (the
fresh batch's ``calib`` half: rules of commit :data:`FROZEN_RULES` ``fresh``; the blind
batch's ``read`` half: rules of commit ``blind``, main as it was when the blind batch
was written), then composed with each weight set's ``calibration_tune``. The confidence
then estimates how often a proposal is right on text no rule was written for, with the
verifier as it ships now. The old rules are read with
``git archive`` into a temporary folder and run in a subprocess (no text is written).

    INSIGHTS_EVAL_DIR=/work/shared/eval .venv/bin/python benchmarks/intent_refit.py

Run it after ``training/train_intent.py`` (which writes ``calibration_tune``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "benchmarks"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import intent_data  # noqa: E402

from insights.triggers import INTENT_FEATURES  # noqa: E402
from insights.triggers._intent import MODEL_PATH, IntentVerifier  # noqa: E402

#: the commit whose rules each blind batch was labelled against
FROZEN_RULES = {
    "fresh": "c3dce7ac1e02ec2de985cbd24326097cfefd213b",
    "blind": "f78554eae54b8e2897dd07484da062c841ba3fa3",
}
_PROPOSE = """
import json, sys
from insights.triggers import INTENT_FEATURES, proposal_features, propose_intent
out = []
for t in json.load(sys.stdin):
    p = propose_intent(t)
    out.append(None if p is None else
               [p.intent, dict(zip(INTENT_FEATURES, proposal_features(p).tolist()))])
json.dump(out, sys.stdout)
"""


def old_proposals(commit: str, texts: list[str]) -> list:
    """Each text's proposal (intent, feature dict) by the rules of ``commit``."""
    with tempfile.TemporaryDirectory(prefix="intent-rules-") as tmp:
        arc = subprocess.run(
            ["git", "-C", str(ROOT), "archive", commit, "insights"],
            check=True, capture_output=True,
        ).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", tmp], input=arc, check=True)
        env = {**os.environ, "PYTHONPATH": tmp}
        res = subprocess.run(
            [sys.executable, "-c", _PROPOSE], input=json.dumps(texts), env=env,
            capture_output=True, text=True, check=True, cwd=tmp,
        )  # fmt: skip
    return json.loads(res.stdout)


def frozen_rows() -> pd.DataFrame:
    """The tunable halves' proposals by their frozen rules: ``text, gold, prop, x``."""
    fr = intent_data.fresh()
    bl = intent_data.blind()
    parts = [
        ("fresh", fr[fr["split"] == "calib"]),
        ("blind", bl[bl["split"] == "read"]),
    ]
    rows = []
    for name, part in parts:
        props = old_proposals(FROZEN_RULES[name], part["text"].tolist())
        for t, gold, p in zip(part["text"], part["intent"], props, strict=True):
            if p is not None:
                rows.append({"batch": name, "text": t, "gold": gold, "prop": p[0], "x": p[1]})
    return pd.DataFrame(rows)


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    from insights.embed import get_embedder

    rows = frozen_rows()
    X = np.array([[r.get(f, 0.0) for f in INTENT_FEATURES] for r in rows["x"]])
    y = (rows["prop"] == rows["gold"]).to_numpy().astype(int)
    w = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    emb = get_embedder()
    E = np.asarray(emb.encode(rows["text"].tolist()), dtype=np.float64)
    res = {"n": len(rows), "right": int(y.sum()), "by_batch": {}}
    for name in ("features", "embedding"):
        ws = w[name]
        tune = ws.get("calibration_tune", ws.get("calibration", (1.0, 0.0)))
        ver = IntentVerifier({**w, name: {**ws, "calibration": tune}})
        p = np.clip(ver.predict(X, E if name == "embedding" else None), 1e-6, 1 - 1e-6)
        z = np.log(p / (1 - p)).reshape(-1, 1)
        lr = LogisticRegression(C=1e4, solver="lbfgs").fit(z, y)
        a, b = float(lr.coef_[0, 0]), float(lr.intercept_[0])
        ws["calibration_tune"] = tune
        ws["calibration"] = [round(a * tune[0], 6), round(a * tune[1] + b, 6)]
        res[name] = {"refit": [round(a, 4), round(b, 4)], "calibration": ws["calibration"]}
    for name, g in rows.groupby("batch"):
        res["by_batch"][name] = {"n": len(g), "right": int((g["prop"] == g["gold"]).sum())}
    w["cv"]["calibration_source"] = (
        "calibration = Platt refit (benchmarks/intent_refit.py) on the proposals the frozen "
        "rules made on the fresh batch's calib half and the blind batch's read half "
        f"({res['n']} proposals, {res['right']} right), composed with calibration_tune"
    )
    MODEL_PATH.write_text(json.dumps(w) + "\n", encoding="utf-8")
    out = ROOT / "benchmarks" / "results" / "intent_refit.json"
    out.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(res, indent=1))
    print(f"wrote {MODEL_PATH} and {out}")


if __name__ == "__main__":
    main()
