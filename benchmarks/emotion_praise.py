"""Praise said with feeling vs approval: is "states a feeling" right, before and after.

The emotions table notes approval without a stated feeling (``is_approval``: "I agree.",
"That's a great idea.") and people counts and triggers leave it out. Chosen on meeting
and interview talk, it also took customers' praise of what they had ("I love that I can
go at two in the morning", "the coaches are brilliant"); ``is_felt_praise`` now keeps
that as a feeling. Labelled sets (labels written before the rule was changed; ``part``
by md5 of ``'praise' + id``: the rule was chosen reading ``tune`` errors only; the
``report`` part's errors were not read):

- ``emotion_praise_sentences.csv``: sentences written for insights (customer domains
  and meeting / interview replies), ``felt`` or ``approval``: batch 1 (205) labelled
  before the rule was written, batch 2 (80, spoken style) after it was written and
  measured on before any change (``own_batch2``: blind as first measured);
- ``emotion_praise_labels.csv``: ids and labels only (no text) of the 414 participant
  segments on which the approval rule as it was fired: 190 of QMSum / MLSS / Hit Save
  dev (those of ``emotion_joy_labels.csv``), 224 of the sample study.

"States a feeling" is: the emotions table gives an emotion (``ekman`` not neutral) and
no approval note. "before" is the rule without ``is_felt_praise``, same model. Also: MLSS
dev participant segments, emotional share (the table's ``ekman``, which the note does not
change) and the share the counts use (approval left out), with precision against
``emotion_mlss_labels.csv`` (200 random sentences labelled by hand without the model).

    PYTHONPATH=. python benchmarks/emotion_praise.py --segments DIR [--show-tune-errors]

``DIR`` holds ``mlss.csv``, ``hitsave.csv``, ``qmsum.csv`` (``insights parse`` of the
``eval_studies.py`` folders) and ``sample.csv`` (``insights parse data/sample_study/transcripts``).
Writes ``benchmarks/results/emotion_praise.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SENTENCES = REPO / "benchmarks" / "emotion_praise_sentences.csv"
LABELS = REPO / "benchmarks" / "emotion_praise_labels.csv"
MLSS_LABELS = REPO / "benchmarks" / "emotion_mlss_labels.csv"


def approval_before(text: str, emotions: str) -> bool:
    """The approval rule without :func:`insights.emotions.is_felt_praise`."""
    from insights.emotions._rules import APPROVAL_LABELS, stated_emotion_group, strong_word_group

    if str(emotions or "").split(";")[0] not in APPROVAL_LABELS:
        return False
    return stated_emotion_group(text) != "joy" and strong_word_group(text) != "joy"


def felt(texts, emo) -> dict[str, np.ndarray]:
    """States a feeling, before and after: an emotion and no approval note."""
    from insights.emotions import approval_rows

    emotional = (emo["ekman"] != "neutral").to_numpy() & (emo["ekman"] != "").to_numpy()
    before = np.array([approval_before(t, e) for t, e in zip(texts, emo["emotions"], strict=True)])
    return {"before": emotional & ~before, "after": emotional & ~approval_rows(emo)}


def pr(pred: np.ndarray, gold: np.ndarray) -> dict:
    tp = int((pred & gold).sum())
    return {
        "n": len(gold), "gold_felt": int(gold.sum()), "predicted_felt": int(pred.sum()),
        "precision": round(float(tp / pred.sum()), 3) if pred.any() else None,
        "recall": round(float(tp / gold.sum()), 3) if gold.any() else None,
    }  # fmt: skip


def scored(d, model, label: str, show: bool) -> dict:
    from insights.emotions import score_emotions

    d = d.reset_index(drop=True)
    emo = score_emotions(d, model=model)
    f = felt(d["text"].tolist(), emo)
    out = {}
    for part in ("tune", "report"):
        rows = (d["part"] == part).to_numpy()
        gold = (d["label"] == "felt").to_numpy()[rows]
        out[part] = {w: pr(f[w][rows], gold) for w in ("before", "after")}
        if show and part == "tune":
            for i in np.flatnonzero(rows):
                g, p = d.loc[i, "label"] == "felt", bool(f["after"][i])
                if g != p:
                    got = "felt" if p else "no"
                    print(
                        f"  tune {label} gold={d.loc[i, 'label']:8s} got={got:4s} "
                        f"{emo.loc[i, 'emotions'][:24]:24s} | {d.loc[i, 'text'][:120]}"
                    )
    if "study" in d.columns:
        gold = (d["label"] == "felt").to_numpy()
        out["by_study"] = {}
        for s in sorted(set(d["study"])):
            rows = (d["study"] == s).to_numpy()
            out["by_study"][s] = {w: pr(f[w][rows], gold[rows]) for w in ("before", "after")}
    return out


def mlss_share(folder: Path, model) -> dict:
    import pandas as pd

    from insights.emotions import score_emotions

    seg = pd.read_csv(folder / "mlss.csv", dtype={"segment_id": str})
    part = seg[seg["role"] == "participant"].reset_index(drop=True)
    emo = score_emotions(part, model=model)
    f = felt(part["text"].tolist(), emo)
    lab = pd.read_csv(MLSS_LABELS, dtype={"segment_id": str})
    idx = {s: i for i, s in enumerate(emo["segment_id"])}
    rows = np.array([idx[s] for s in lab["segment_id"]])
    gold = (lab["emotional"] == 1).to_numpy()
    out = {
        "participant_segments": len(part),
        "emotional_share_table": round(float((emo["ekman"] != "neutral").mean()), 4),
    }
    for w in ("before", "after"):
        out[w] = {"counted_share": round(float(f[w].mean()), 4),
                  "hand_labelled": pr(f[w][rows], gold)}  # fmt: skip
    return out


def main() -> None:
    import pandas as pd

    from insights.emotions import get_emotion_model

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--segments", type=Path, required=True)
    ap.add_argument("--show-tune-errors", action="store_true")
    a = ap.parse_args()
    model = get_emotion_model()
    own = pd.read_csv(SENTENCES, dtype=str)
    lab = pd.read_csv(LABELS, dtype={"segment_id": str})
    segs = pd.concat(
        [pd.read_csv(a.segments / f"{s}.csv", dtype={"segment_id": str})
         for s in ("mlss", "hitsave", "qmsum", "sample")], ignore_index=True,
    )  # fmt: skip
    real = lab.merge(segs[["segment_id", "text"]].drop_duplicates("segment_id"), on="segment_id")
    res = {
        "own_sentences": scored(own, model, "own", a.show_tune_errors),
        # batch 2 was written after the rule: its figure, before any change, is blind
        "own_batch2": scored(own[own["batch"] == "2"], model, "own2", False),
        "segments": {"n": len(lab), "found": len(real),
                     **scored(real, model, "seg", a.show_tune_errors)},
        "mlss_dev": mlss_share(a.segments, model),
    }  # fmt: skip
    print(f"{'set':14s} {'part':6s} {'before P/R':>13s} {'after P/R':>13s}")
    for name in ("own_sentences", "own_batch2", "segments"):
        for part in ("tune", "report"):
            b, f = res[name][part]["before"], res[name][part]["after"]
            print(
                f"{name:14s} {part:6s} {b['precision']}/{b['recall']:<8} "
                f"{f['precision']}/{f['recall']}  (n={f['n']}, felt={f['gold_felt']})"
            )
    for s, r in res["segments"]["by_study"].items():
        b, f = r["before"], r["after"]
        print(
            f"  segments of {s:8s} n={f['n']:3d} felt={f['gold_felt']:2d}: after P/R "
            f"{f['precision']}/{f['recall']} (before: none predicted felt)"
            if not b["predicted_felt"]
            else f"  segments of {s:8s} before {b} after {f}"
        )
    m = res["mlss_dev"]
    print(f"MLSS dev: table emotional share {m['emotional_share_table']}; counted share "
          f"{m['before']['counted_share']} -> {m['after']['counted_share']}; hand-labelled "
          f"{m['before']['hand_labelled']} -> {m['after']['hand_labelled']}")  # fmt: skip
    out = REPO / "benchmarks" / "results" / "emotion_praise.json"
    out.write_text(json.dumps(res, indent=2, default=str) + "\n")
    print(f"-> {out}")


if __name__ == "__main__":
    main()
