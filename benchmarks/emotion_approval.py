"""Approval counted apart from joy: what the rule changes on real talk and on the held-out sets.

The emotions table notes a segment whose joy is approval, praise, thanks or a wish and
that states no feeling (``insights.emotions.is_approval``: "I agree.", "That sounds
good.", "That's a great idea."), and people counts and triggers leave it out
(``approval_rows``); the table keeps the model's labels. Every figure here is read from
``score_emotions`` as shipped; "before" counts every row as the table labels it, "after"
counts approval rows as neutral, so before and after differ by the rule alone. On the
held-out sets "before" is also the table's own figure, which the rule leaves unchanged.

- **Studies** (participant segments of the ``benchmarks/eval_studies.py`` folders, parsed
  with ``insights parse``): share of segments with an emotion (any score, and at the
  report's floor) and people counted under joy at the floor.
- **Hand labels** (``benchmarks/emotion_joy_labels.csv``: ids and labels only, no text;
  labelled by helper h13): 150 random participant segments of QMSum / MLSS / Hit Save dev
  that the model called joy (``sample=joy``, labelled from the text alone) and 90 more
  it called joy at the floor (``sample=floor``, labelled after the model's top labels
  had been seen). ``label``: joy (the speaker's joy, fun, excitement, pride, relief),
  approval (agreement, praise of a thing or idea, thanks, wishes), other (another
  emotion, hope), neutral. ``part`` by md5 of ``'part' + id``: the label list was
  chosen on ``tune``; ``held`` was read once, after.
- **Held-out sets** of ``benchmarks/emotion_speech.py``: XED test lines, RECCON test
  conversations, GoEmotions dev report eighths. Their gold calls "That's great!" and
  "I love it" joy, so counting approval as neutral costs there by construction (the
  ``after`` F1s); the table's figures are the ``before`` ones.

    PYTHONPATH=. python benchmarks/emotion_approval.py --segments DIR

``DIR`` holds ``mlss.csv``, ``hitsave.csv``, ``qmsum.csv`` (``insights parse`` of each
study's transcripts). Writes ``benchmarks/results/emotion_approval.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "training"))
sys.path.insert(0, str(REPO / "benchmarks"))

LABELS_FILE = REPO / "benchmarks" / "emotion_joy_labels.csv"
STUDIES = ("qmsum", "mlss", "hitsave")


def before_after(emo):
    """(before, after) ``ekman`` Series as the counts see them: after, approval rows are
    neutral (the table's own ``ekman`` is the model's either way)."""
    from insights.emotions import approval_rows

    return emo["ekman"], emo["ekman"].where(~approval_rows(emo), "neutral")


def at_floor(emo, ekman):
    """Whether each row's group is an emotion whose best label score reaches the floor."""
    from insights.emotions import EKMAN
    from insights.schema import EMOTION_FLOOR

    best = np.zeros(len(emo))
    for g, labs in EKMAN.items():
        rows = (ekman == g).to_numpy()
        if g != "neutral" and rows.any():
            best[rows] = emo.loc[rows, [f"p_{x}" for x in labs]].max(axis=1).to_numpy()
    return (ekman != "neutral").to_numpy() & (best >= EMOTION_FLOOR)


def studies(folder: Path, model) -> tuple[dict, dict]:
    import pandas as pd

    from insights.emotions import score_emotions

    out, tables = {}, {}
    for s in STUDIES:
        seg = pd.read_csv(folder / f"{s}.csv", dtype={"segment_id": str})
        part = seg[seg["role"] == "participant"].reset_index(drop=True)
        emo = score_emotions(part, model=model)
        tables[s] = part[["segment_id", "text"]].merge(emo, on="segment_id")
        row = {"participant_segments": len(part), "people": int(part["participant_id"].nunique())}
        for name, ek in zip(("before", "after"), before_after(emo), strict=True):
            fl = at_floor(emo, ek)
            joy = fl & (ek == "joy").to_numpy()
            row[name] = {
                "emotional_share": round(float((ek != "neutral").mean()), 4),
                "emotional_share_at_floor": round(float(fl.mean()), 4),
                "segments_at_floor": int(fl.sum()),
                "joy_segments_at_floor": int(joy.sum()),
                "people_with_joy_at_floor": int(part.loc[joy, "participant_id"].nunique()),
                "groups_at_floor": ek[fl].value_counts().to_dict(),
            }
        out[s] = row
    return out, tables


def hand_labels(tables: dict) -> dict:
    """Joy right among the labelled segments counted as joy, before and after, per part."""
    import pandas as pd

    lab = pd.read_csv(LABELS_FILE, dtype={"segment_id": str})
    emo = pd.concat(tables.values(), ignore_index=True)
    m = lab.merge(emo, on="segment_id", how="inner")
    out = {"n": len(lab), "found": len(m)}
    for part in ("tune", "held"):
        d = m[m["part"] == part].reset_index(drop=True)
        gold = (d["label"] == "joy").to_numpy()
        row = {"n": len(d), "gold": d["label"].value_counts().to_dict()}
        for name, ek in zip(("before", "after"), before_after(d), strict=True):
            for where, mask in (("any", np.ones(len(d), bool)), ("floor", at_floor(d, ek))):
                kept = mask & (ek == "joy").to_numpy()
                gold_here = gold & (at_floor(d, before_after(d)[0]) if where == "floor" else True)
                row[f"{name}_{where}"] = {
                    "called_joy": int(kept.sum()),
                    "right": int((kept & gold).sum()),
                    "precision": round(float(gold[kept].mean()), 3) if kept.any() else None,
                    "gold_joy_kept": f"{int((kept & gold).sum())} of {int(gold_here.sum())}",
                }
        out[part] = row
    return out


def held_out(model) -> dict:
    """XED test, RECCON test, GoEmotions report eighths: before and after the rule."""
    import pandas as pd
    import train_emotion_calibration as tc
    from emotion_speech import classification
    from emotions_eval import multilabel_f1

    from insights.emotions import EKMAN_GROUPS, score_emotions

    xed = tc.read_xed(tc.EVAL_DIR / "xed_en" / "train.csv")
    xed = xed[(xed["part"] == "test") & ~xed["only_ta"]].reset_index(drop=True)
    rc = tc.read_reccon(tc.EVAL_DIR / "reccon" / "dev.jsonl")
    rc = rc[rc["part"] == "test"].reset_index(drop=True)
    go = tc.read_goemotions(tc.EVAL_DIR / "goemotions" / "dev.csv")
    eighths = tc.GOEMOTIONS_PARTS["report"]
    go = go[go["id"].map(lambda i: tc.md5_int("sub" + i) % 8 in eighths)].reset_index(drop=True)
    out = {}
    for name, d in (("xed_test", xed), ("reccon_test", rc), ("goemotions_report", go)):
        emo = score_emotions(pd.DataFrame({"text": d["text"].tolist()}), model=model)
        y = np.stack(d["y"])
        row = {"approval_rows": int((before_after(emo)[0] != emo["ekman"]).sum())}
        for when, ek in zip(("before", "after"), before_after(emo), strict=True):
            pred = np.array([EKMAN_GROUPS.index(g) for g in ek])
            c = classification(pred, y)
            fl = at_floor(emo, ek)
            right = y[np.arange(len(y)), pred] > 0
            row[when] = {
                **{k: c[k] for k in ("weighted_f1", "macro_f1", "accuracy", "emotional_precision",
                                     "emotional_recall", "predicted_neutral_share")},
                "joy_f1": c["per_group_f1"]["joy"],
                "at_floor": {"lines": int(fl.sum()),
                             "right": round(float(right[fl].mean()), 4) if fl.any() else None},
            }  # fmt: skip
            if name == "goemotions_report":
                row[when]["ekman_macro_f1"] = multilabel_f1(
                    np.eye(len(EKMAN_GROUPS), dtype=bool)[pred], y > 0, EKMAN_GROUPS
                )["macro_f1"]
        out[name] = row
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--segments", type=Path, required=True)
    ap.add_argument("--no-held-out", action="store_true", help="skip XED / RECCON / GoEmotions")
    a = ap.parse_args()
    from insights.emotions import get_emotion_model

    model = get_emotion_model()
    res: dict = {}
    res["studies"], tables = studies(a.segments, model)
    res["hand_labels"] = hand_labels(tables)
    if not a.no_held_out:
        res["held_out"] = held_out(model)
    print(f"{'study':8s} {'emotional':>19s} {'at floor':>15s} {'joy people':>11s}")
    for s, r in res["studies"].items():
        b, f = r["before"], r["after"]
        print(f"{s:8s} {b['emotional_share']:.3f} -> {f['emotional_share']:.3f}    "
              f"{b['emotional_share_at_floor']:.3f} -> {f['emotional_share_at_floor']:.3f}  "
              f"{b['people_with_joy_at_floor']:>3d} -> {f['people_with_joy_at_floor']:<3d} of "
              f"{r['people']}")  # fmt: skip
    for part in ("tune", "held"):
        h = res["hand_labels"][part]
        for w in ("any", "floor"):
            b, f = h[f"before_{w}"], h[f"after_{w}"]
            print(f"hand {part:4s} {w:5s}: joy precision {b['precision']} -> {f['precision']}, "
                  f"gold joy kept {f['gold_joy_kept']}")  # fmt: skip
    for name, r in res.get("held_out", {}).items():
        b, f = r["before"], r["after"]
        extra = (f", Ekman macro-F1 {b['ekman_macro_f1']} -> {f['ekman_macro_f1']}"
                 if "ekman_macro_f1" in b else "")  # fmt: skip
        print(f"{name}: weighted-F1 {b['weighted_f1']} -> {f['weighted_f1']}, joy F1 "
              f"{b['joy_f1']} -> {f['joy_f1']}, at floor {b['at_floor']} -> {f['at_floor']}"
              f"{extra}")  # fmt: skip
    out = REPO / "benchmarks" / "results" / "emotion_approval.json"
    out.write_text(json.dumps(res, indent=2, default=str) + "\n")
    print(f"-> {out}")


if __name__ == "__main__":
    main()
