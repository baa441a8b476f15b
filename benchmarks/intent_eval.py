"""Intent detection on the labelled set, and false findings on studies with no customers.

Rebuilds each sentence of ``benchmarks/intent_labels.csv`` from its id
(``benchmarks/intent_data.py``), runs :func:`insights.triggers.detect_intent` (MiniLM
verifier) and reports precision and recall per intent and per kind on the **tune**
part (the cues, rules and verifier were chosen on it: tuned-on figures) and on the
**held_out** part (never used for choosing anything). Also: intents per 10,000
participant words on the MLSS and Hit Save dev studies (no customer relationship
anywhere, so every intent is a false finding), and the sample study's people with a
leave or warn intent against ``participants.csv``'s ``status``.

    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 .venv/bin/python benchmarks/intent_eval.py

Writes ``benchmarks/results/intent_eval.json``.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "benchmarks"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import intent_data  # noqa: E402

from insights.schema import INTENT_FLOOR  # noqa: E402
from insights.triggers import INTENTS, KINDS, detect_intent  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "intent_eval.json"
CLASSES = INTENTS[:4]


def prf(gold: pd.Series, pred: pd.Series, label: str) -> dict:
    """Precision, recall and counts of one label."""
    tp = int(((gold == label) & (pred == label)).sum())
    fp = int(((gold != label) & (pred == label)).sum())
    fn = int(((gold == label) & (pred != label)).sum())
    return {
        "precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "recall": round(tp / (tp + fn), 3) if tp + fn else None,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def scores(df: pd.DataFrame) -> dict:
    """Per intent, per kind (intent and kind both right) and micro over the four intents."""
    pos = df["intent"] != "none"
    hit = (df["pred"] == df["intent"]) & pos
    out = {"n": len(df), "n_positive": int(pos.sum())}
    out["intent"] = {c: prf(df["intent"], df["pred"], c) for c in CLASSES}
    g = df["intent"].where(pos, "none") + "/" + df["kind"]
    pr = df["pred"] + "/" + df["pred_kind"]
    out["kind"] = {}
    for k in KINDS:
        gk = g.where(df["kind"] == k, "x")
        pk = pr.where(df["pred_kind"] == k, "y")
        tp = int((gk == pk).sum())
        fp = int((df["pred_kind"] == k).sum()) - tp
        fn = int((df["kind"] == k).sum()) - tp
        out["kind"][k] = {
            "precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / (tp + fn), 3) if tp + fn else None,
            "tp": tp,
            "fp": fp,
            "fn": fn,
        }
    out["kind_accuracy_when_intent_right"] = (
        round(float((df["pred_kind"][hit] == df["kind"][hit]).mean()), 3) if hit.any() else None
    )
    anyp = df["pred"] != "none"
    out["any_intent"] = {
        "precision": round(float(hit.sum() / anyp.sum()), 3) if anyp.any() else None,
        "recall": round(float(hit.sum() / pos.sum()), 3) if pos.any() else None,
    }
    # calibration: the confidence of each kept prediction against whether its intent is right
    if anyp.any():
        out["mean_confidence_kept"] = round(float(df["confidence"][anyp].mean()), 3)
        out["calibration"] = calibration(
            (df["pred"] == df["intent"])[anyp].to_numpy(), df["confidence"][anyp].to_numpy()
        )
    return out


def calibration(right, conf, bins: int = 5) -> dict:
    """Reliability table (equal-width bins of confidence) and expected calibration error."""
    import numpy as np

    right, conf = np.asarray(right, dtype=float), np.asarray(conf, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(conf, edges[1:-1]), 0, bins - 1)
    table, ece = [], 0.0
    for b in range(bins):
        m = idx == b
        if not m.any():
            continue
        table.append(
            {
                "bin": f"{edges[b]:.1f}-{edges[b + 1]:.1f}",
                "n": int(m.sum()),
                "mean_confidence": round(float(conf[m].mean()), 3),
                "accuracy": round(float(right[m].mean()), 3),
            }
        )
        ece += abs(conf[m].mean() - right[m].mean()) * m.mean()
    return {"ece": round(float(ece), 4), "reliability": table}


def second_annotator() -> dict:
    """Cohen's kappa of the blind second labels (intent_labels_second.csv) with the first."""
    from insights.summarize import cohen_kappa

    first = pd.read_csv(intent_data.LABELS, dtype=str, keep_default_na=False).set_index("id")
    sec = pd.read_csv(intent_data.SECOND, dtype=str, keep_default_na=False)
    a, b = sec["id"].map(first["intent"]), sec["intent"]
    out = {"n": len(sec), "kappa_intent": round(cohen_kappa(a.to_numpy(), b.to_numpy()), 3)}
    out["kappa_per_class"] = {
        c: {
            "kappa": round(cohen_kappa((a == c).to_numpy(), (b == c).to_numpy()), 3),
            "first": int((a == c).sum()),
            "second": int((b == c).sum()),
        }
        for c in CLASSES
    }
    both = (a == b) & (b != "none")
    ka = sec["id"].map(first["kind"])[both]
    out["kind_agreement_when_intent_agrees"] = round(float((ka == sec["kind"][both]).mean()), 3)
    out["disagreements"] = [
        {"id": i, "first": x, "second": y}
        for i, x, y in zip(sec["id"], a, b, strict=True)
        if x != y
    ]
    return out


def per_10k(name: str, embedder) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        seg = intent_data.study_segments(name, Path(tmp))
    det = detect_intent(seg["text"].tolist(), embedder=embedder)
    words = int(seg["n_words"].sum())
    found = det["intent"] != "none"
    sure = found & (det["confidence"] >= INTENT_FLOOR)
    return {
        "participant_words": words,
        "intents": int(found.sum()),
        "per_10k_words": round(10000 * int(found.sum()) / words, 2),
        "intents_at_floor": int(sure.sum()),
        "per_10k_words_at_floor": round(10000 * int(sure.sum()) / words, 2),
        "by_kind": det["kind"][found].value_counts().to_dict(),
        "found": [
            {"id": i, "intent": a, "kind": k, "confidence": c}
            for i, a, k, c in zip(
                seg["id"][found], det["intent"][found], det["kind"][found],
                det["confidence"][found], strict=True,
            )
        ],
    }  # fmt: skip


def sample_people(embedder) -> dict:
    from insights.schema import analysed_rows
    from insights.study import load_study, read_study
    from insights.triggers import intent_context

    path = ROOT / "data" / "sample_study"
    study = load_study(path)
    every = read_study(study)[0]
    seg = analysed_rows(every)
    det = detect_intent(
        seg["text"].astype(str).tolist(),
        embedder=embedder,
        context=intent_context(every, seg["segment_id"].astype(str).tolist()),
        provider=study.config.provider_names,
    )
    det.index = seg.index
    seg = seg.assign(
        **{"intent": det["intent"], "intent_kind": det["kind"], "target": det["target"],
           "intent_confidence": det["confidence"]}
    )  # fmt: skip
    status = pd.read_csv(path / "participants.csv").set_index("participant_id")["status"]
    churned = sorted(status[status == "churned"].index)

    def people(mask) -> list[str]:
        return sorted(seg.loc[mask, "participant_id"].dropna().astype(str).unique())

    lw = seg["intent"].isin(("leave", "warn_others"))
    own = seg["intent_kind"] != "reported"
    leave_own = people((seg["intent"] == "leave") & own)
    counted = (
        seg["intent_kind"].isin(("done", "intended"))
        & (seg["target"] == "study")
        & (seg["intent_confidence"] >= INTENT_FLOOR)
    )
    leave_done = people((seg["intent"] == "leave") & (seg["intent_kind"] == "done"))
    return {
        "churned": churned,
        "leave_or_warn_any_kind": people(lw),
        "leave_or_warn_counted_for_drivers (own kind, about the study's provider, at the floor)": people(  # noqa: E501
            lw & counted
        ),
        "leave_own (not reported)": leave_own,
        "leave_done": leave_done,
        "leave_done_vs_churned": {
            "precision": round(len(set(leave_done) & set(churned)) / max(len(leave_done), 1), 3),
            "recall": round(len(set(leave_done) & set(churned)) / len(churned), 3),
        },
        "stay_or_recommend_own": people(seg["intent"].isin(("stay", "recommend")) & own),
        "segments_by_intent_kind": (seg["intent"] + "/" + seg["intent_kind"])[
            seg["intent"] != "none"
        ]
        .value_counts()
        .to_dict(),
    }


def table(res: dict) -> str:
    splits = ("tune", "held_out", f"held_out_floor_{INTENT_FLOOR}")
    heads = ("tune (tuned on)", "held_out", f"held_out at {INTENT_FLOOR}")
    lines = [f"{'':14s}" + "".join(f"{s:>24s}" for s in heads)]
    for part, key in (("intent", CLASSES), ("kind", KINDS)):
        for c in key:
            cells = []
            for split in splits:
                r = res[split][part][c]
                p = "-" if r["precision"] is None else f"{r['precision']:.2f}"
                q = "-" if r["recall"] is None else f"{r['recall']:.2f}"
                cells.append(f"P={p} R={q} n={r['tp'] + r['fn']:<3d}")
            lines.append(f"{c:14s}" + "".join(f"{x:>24s}" for x in cells))
    return "\n".join(lines)


def main() -> None:
    from insights.embed import get_embedder

    t0 = time.time()
    emb = get_embedder()
    lab = intent_data.labelled()
    det = detect_intent(lab["text"].tolist(), embedder=emb)
    lab = lab.assign(pred=det["intent"], pred_kind=det["kind"], confidence=det["confidence"])
    res: dict = {
        "labelled": {
            "n": len(lab),
            "by_source_intent": pd.crosstab(lab["source"], lab["intent"]).to_dict("index"),
            "by_intent_kind": pd.crosstab(lab["intent"], lab["kind"]).to_dict("index"),
            "split_sizes": lab["split"].value_counts().to_dict(),
        }
    }
    for split in ("tune", "held_out"):
        res[split] = scores(lab[lab["split"] == split])
        # what drivers and the report count: the intents at the confidence floor
        part = lab[lab["split"] == split]
        sure = part["confidence"] >= INTENT_FLOOR
        res[f"{split}_floor_{INTENT_FLOOR}"] = scores(
            part.assign(pred=part["pred"].where(sure, "none"),
                        pred_kind=part["pred_kind"].where(sure, ""))
        )  # fmt: skip
    nofeat = detect_intent(lab["text"].tolist(), embedder=False)
    held = lab["split"] == "held_out"
    res["held_out_without_embedder"] = scores(
        lab[held].assign(
            pred=nofeat["intent"][held], pred_kind=nofeat["kind"][held],
            confidence=nofeat["confidence"][held],
        )
    )  # fmt: skip
    res["second_annotator"] = second_annotator()
    res["false_findings"] = {n: per_10k(n, emb) for n in ("mlss", "hitsave", "qmsum")}
    res["sample_study"] = sample_people(emb)
    res["notes"] = (
        "tune: cues, rules, verifier C and threshold were chosen on it (tuned-on figures); "
        "held_out: groups (interview, meeting, review, comment) never used for choosing. "
        "Labels by the engineer who wrote the detector (one annotator)."
    )
    res["seconds"] = round(time.time() - t0, 1)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    print(table(res))
    for split in ("tune", "held_out"):
        c = res[split].get("calibration", {})
        print(f"calibration {split}: ECE {c.get('ece')}; " + "; ".join(
            f"{r['bin']}: n={r['n']} conf {r['mean_confidence']:.2f} acc {r['accuracy']:.2f}"
            for r in c.get("reliability", [])
        ))  # fmt: skip
    k = res["second_annotator"]
    print(f"second annotator (n={k['n']}): kappa {k['kappa_intent']}; " + ", ".join(
        f"{c} {v['kappa']}" for c, v in k["kappa_per_class"].items()
    ))  # fmt: skip
    for n, r in res["false_findings"].items():
        print(f"{n}: {r['intents']} intents in {r['participant_words']} words "
              f"= {r['per_10k_words']} per 10k; at the floor {r['intents_at_floor']} "
              f"= {r['per_10k_words_at_floor']}")  # fmt: skip
    s = res["sample_study"]
    print("sample: churned", s["churned"], "leave done", s["leave_done"])
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
