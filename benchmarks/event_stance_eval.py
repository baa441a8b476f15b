"""Stance from what happened: does :func:`insights.summarize.event_stance` tell a calm account
of a service going wrong ("nobody came", "they charged me twice") from one going right and
from plain description?

Sentences written for it (benchmarks/event_stance_sentences.csv: id, label, part, text;
negative / positive / neutral; several kinds of service, none from the sample study).
Batches 1 and 2 are what the cue rules were written from (their errors were read);
batch 3 was written after, and with them trains the learned model
(``training/train_events.py``); the ``held_out`` batch was written before any model was
fit and is read only here (one person wrote all four, so "held-out" means no rule or
weight was chosen by reading it). Rows: the cue rules alone
(:func:`~insights.summarize.event_stance`), the learned model
(:func:`~insights.summarize.told_stances`), the stance a segment got before (emotions
alone: :func:`~insights.summarize.segment_stances`) and after (the model's for segments
whose emotions name no side).

    .venv/bin/python benchmarks/event_stance_eval.py

Writes ``benchmarks/results/event_stance.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from insights.summarize import event_stance, segment_stances, told_stances  # noqa: E402


def prf(gold: pd.Series, pred: pd.Series) -> dict:
    out = {}
    for side in ("negative", "positive"):
        tp = int(((pred == side) & (gold == side)).sum())
        p, g = int((pred == side).sum()), int((gold == side).sum())
        out[side] = {
            "precision": round(tp / p, 3) if p else None,
            "recall": round(tp / g, 3) if g else None,
            "predicted": p,
            "gold": g,
        }
    out["neutral_called_a_side"] = int(((gold == "neutral") & (pred != "")).sum())
    out["n"] = len(gold)
    return out


def main() -> None:
    from insights.embed import get_embedder
    from insights.emotions import score_emotions

    d = pd.read_csv(ROOT / "benchmarks" / "event_stance_sentences.csv")
    emo = score_emotions(d.rename(columns={"id": "segment_id"}))
    model = pd.Series(told_stances(d["text"].tolist(), get_embedder()), index=d.index)
    before = segment_stances(emo)["stance"].fillna("")
    after = segment_stances(emo, told=dict(zip(d["id"], model, strict=True)))["stance"]
    events = d["text"].map(event_stance)
    res = {}
    rows = []
    parts = (
        ("batches 1-2: rules written from them", d["part"].isin(["batch1", "batch2"])),
        ("batch 3: model trained on it", d["part"] == "batch3"),
        ("held_out (never read)", d["part"] == "held_out"),
    )
    for name, part in parts:
        if not part.any():
            continue
        gold = d.loc[part, "label"]
        res[name] = {
            "rules_alone": prf(gold, events[part]),
            "model": prf(gold, model[part]),
            "emotions_alone": prf(gold, before[part]),
            "emotions_then_events": prf(gold, after[part].fillna("")),
        }
        for how, r in res[name].items():
            rows.append(
                (
                    name,
                    how,
                    r["negative"]["precision"],
                    r["negative"]["recall"],
                    r["positive"]["precision"],
                    r["positive"]["recall"],
                    r["neutral_called_a_side"],
                    r["n"],
                )
            )
    t = pd.DataFrame(
        rows,
        columns=["set", "stance from", "neg P", "neg R", "pos P", "pos R", "neutral→side", "n"],
    )
    print(t.to_string(index=False))
    out = ROOT / "benchmarks" / "results" / "event_stance.json"
    out.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
