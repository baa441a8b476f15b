"""The emotion model's speech head measured on spoken lines, calibration, context and MLSS.

Called by ``benchmarks/emotions_eval.py`` (sections 5 and 6); runs alone too:

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/emotion_speech.py

Parts held out from every tuning decision (``training/train_emotion_calibration.py``
chooses nothing on them): the XED *test* part (20% of the cleaned lines, by md5 of the
normalised text), the RECCON *test* conversations (half, by md5 of the id) and the
GoEmotions dev ``report`` eighths (3/8, never trained on by the head nor read for the
blend weight, which was chosen on the ``tune`` eighths). The MiniLM top under the head
was fine-tuned on all of GoEmotions dev, so every GoEmotions figure here is optimistic
(the top saw those comments). The text rules of the emotions table are applied as
``score_emotions`` applies them: strong emotion words (``with_strong_words``) and
courtesy formulas called neutral (``is_courtesy``). ``emotion_mlss_labels.csv`` holds
ids and hand labels (no text) of 200 random participant sentences of the MLSS dev
interviews, labelled by helper i13 without looking at the model's output: ``emotional``
(1 when the speaker expresses a feeling), ``ekman`` and ``courtesy`` (thank-yous, good
wishes, "Great." as an acknowledgement).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "training"))

from insights.emotions import EKMAN_GROUPS  # noqa: E402

LABELS_FILE = REPO / "benchmarks" / "emotion_mlss_labels.csv"
STATED_FILE = REPO / "benchmarks" / "emotion_stated_sentences.csv"
NEU = EKMAN_GROUPS.index("neutral")


# --------------------------------------------------------------------------- metrics


def single_gold(pred: np.ndarray, y: np.ndarray) -> np.ndarray:
    """One gold group per row of soft targets ``y``: the prediction when it is among them,
    else the row's strongest group."""
    ok = y[np.arange(len(y)), pred] > 0
    return np.where(ok, pred, y.argmax(1))


def classification(pred: np.ndarray, y: np.ndarray) -> dict:
    """Accuracy, macro/weighted F1 over the 7 groups and neutral-vs-emotional F1."""
    from sklearn.metrics import f1_score

    gold = single_gold(pred, y)
    labels = list(range(len(EKMAN_GROUPS)))
    per = f1_score(gold, pred, labels=labels, average=None, zero_division=0)
    emo_gold, emo_pred = y[:, NEU] < 1, pred != NEU
    return {
        "n": len(y),
        "accuracy": round(float((gold == pred).mean()), 4),
        "macro_f1": round(float(per.mean()), 4),
        "weighted_f1": round(
            float(f1_score(gold, pred, labels=labels, average="weighted", zero_division=0)), 4
        ),
        "per_group_f1": {g: round(float(v), 3) for g, v in zip(EKMAN_GROUPS, per, strict=True)},
        "emotional_f1": round(float(f1_score(emo_gold, emo_pred, zero_division=0)), 4),
        "emotional_precision": round(float(emo_gold[emo_pred].mean()), 4)
        if emo_pred.any()
        else None,
        "emotional_recall": round(float(emo_pred[emo_gold].mean()), 4) if emo_gold.any() else None,
        "gold_neutral_share": round(float(1 - emo_gold.mean()), 4),
        "predicted_neutral_share": round(float(1 - emo_pred.mean()), 4),
    }


def calibration(q: np.ndarray, y: np.ndarray, bins: int = 10) -> dict:
    """Expected calibration error of the top group and of P(emotional), with a table."""
    pred = q.argmax(1)
    conf = q.max(1)
    right = y[np.arange(len(y)), pred] > 0
    p_emo, emo = 1 - q[:, NEU], (y[:, NEU] < 1).astype(float)

    def ece(p, hit):
        edges = np.linspace(0, 1, bins + 1)
        b = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
        rows, e = [], 0.0
        for k in range(bins):
            m = b == k
            if m.any():
                e += m.mean() * abs(p[m].mean() - hit[m].mean())
                rows.append(
                    [f"{edges[k]:.1f}-{edges[k + 1]:.1f}", int(m.sum()),
                     round(float(p[m].mean()), 3), round(float(hit[m].mean()), 3)]
                )  # fmt: skip
        return round(float(e), 4), rows

    e_top, t_top = ece(conf, right.astype(float))
    e_emo, t_emo = ece(p_emo, emo)
    stated = pred != NEU  # the lines whose stated group is an emotion (what a floor reads)
    e_stated, t_stated = ece(conf[stated], right[stated].astype(float))
    return {
        "ece_top_group": e_top,
        "ece_stated_emotion": e_stated,
        "reliability_stated_emotion": {
            "columns": ["bin", "n", "mean_confidence", "share_right"],
            "rows": t_stated,
        },
        "ece_p_emotional": e_emo,
        "reliability_p_emotional": {
            "columns": ["bin", "n", "mean_p", "share_emotional"],
            "rows": t_emo,
        },  # fmt: skip
        "reliability_top_group": {
            "columns": ["bin", "n", "mean_confidence", "share_right"],
            "rows": t_top,
        },  # fmt: skip
    }


def at_floor(q: np.ndarray, y: np.ndarray, floor: float) -> dict:
    """Lines whose top emotion group reaches ``floor``: how many, and how often right."""
    pred, conf = q.argmax(1), q.max(1)
    keep = (pred != NEU) & (conf >= floor)
    right = y[np.arange(len(y)), pred] > 0
    return {
        "floor": floor,
        "kept": int(keep.sum()),
        "kept_share": round(float(keep.mean()), 4),
        "precision": round(float(right[keep].mean()), 4) if keep.any() else None,
        "kept_that_are_neutral": round(float((y[keep, NEU] >= 1).mean()), 4)
        if keep.any()
        else None,
    }


# --------------------------------------------------------------------------- speech head


def _skip(model) -> tuple[int, int]:
    """The XED chunks the shipped speech head was trained without."""
    model.load()
    return tuple(model.meta_["speech_head"]["training"].get("xed_skip_chunks", (0, 0)))


def head_of(model) -> dict:
    """The shipped speech head (weights, temperature, bias, blend weight) of ``model``."""
    model.load()
    return model.speech_


def shipped(model, X, texts=None) -> np.ndarray:
    """The shipped model's Ekman-7 probabilities of pooled states ``X`` (blend included).

    With ``texts``, strong emotion words raise their group as in the emotions table.
    """
    import train_emotion_calibration as tc

    from insights.emotions import with_strong_words
    from insights.emotions._model import speech_probabilities

    folder = Path(model.model_dir) if model.model_dir is not None else tc.MODEL_DIR
    q = speech_probabilities(X, head_of(model), tc.top_outputs(folder, X))
    head = head_of(model)
    if texts is not None and "strong_words" in head:
        q = with_strong_words(list(texts), q, head["strong_words"], head.get("stated_words"))
    return q


def decided(q: np.ndarray, texts) -> np.ndarray:
    """The ``ekman`` group index per row: the most probable, neutral for courtesy formulas."""
    from insights.emotions import is_courtesy

    pred = q.argmax(1)
    pred[[is_courtesy(t) for t in texts]] = NEU
    return pred


def floors(q: np.ndarray, y: np.ndarray, pred: np.ndarray) -> list[dict]:
    """Lines kept and share right at floors 0.5 to 0.9 (top emotion group's probability)."""
    right = y[np.arange(len(y)), pred] > 0
    out = []
    for f in (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9):
        keep = (pred != NEU) & (q[np.arange(len(q)), pred] >= f)
        out.append({
            "floor": f,
            "kept": int(keep.sum()),
            "precision": round(float(right[keep].mean()), 4) if keep.any() else None,
            "neutral_lines_kept_share": round(float(keep[y[:, NEU] >= 1].mean()), 4),
        })  # fmt: skip
    return out


def _held_out(q, y, texts) -> dict:
    from insights.schema import EMOTION_FLOOR

    pred = decided(q, texts)
    return {
        **classification(pred, y),
        **calibration(q, y),
        "at_emotion_floor": at_floor(q, y, EMOTION_FLOOR),
        "floors": floors(q, y, pred),
    }


def speech(model, log=print) -> dict:
    """XED (test part, CV), RECCON (test conversations), GoEmotions (CV), calibration."""
    import train_emotion_calibration as tc

    from insights.emotions import LABELS, decide_calibrated

    xed, go, rc, fx = tc.load_all(tc.EVAL_DIR, model, _skip(model))
    out: dict = {
        "held_out": "XED test part and RECCON test conversations: no choice was made on them"
    }
    xt = (xed["part"] == "test").to_numpy()
    xe = xt & ~xed["only_ta"].to_numpy()
    texts = xed.loc[xe, "text"].tolist()
    out["xed_test"] = _held_out(
        shipped(model, fx["xed"][xe], texts), np.stack(xed.loc[xe, "y"]), texts
    )
    ta = xt & xed["only_ta"].to_numpy()
    qa = shipped(model, fx["xed"][ta], xed.loc[ta, "text"])
    out["xed_test_trust_or_anticipation_only"] = {
        "n": int(ta.sum()),
        "called_emotional": round(float((decided(qa, xed.loc[ta, "text"]) != NEU).mean()), 4),
    }
    rt = (rc["part"] == "test").to_numpy()
    texts = rc.loc[rt, "text"].tolist()
    out["reccon_test"] = _held_out(
        shipped(model, fx["reccon"][rt], texts), np.stack(rc.loc[rt, "y"]), texts
    )
    out["goemotions_report"] = goemotions_report(model)
    log(f"  speech head: XED test {out['xed_test']['weighted_f1']:.3f} weighted-F1, "
        f"RECCON test {out['reccon_test']['weighted_f1']:.3f}, GoEmotions report Ekman "
        f"macro-F1 {out['goemotions_report']['ekman_single_group']['macro_f1']:.3f}")  # fmt: skip

    # cross-validation: the head refit per fold (calibration part and RECCON calibration
    # conversations fixed), XED train lines and GoEmotions rows predicted out of fold
    from insights.emotions._model import speech_probabilities

    # the blend, its gate, the group temperatures and the neutral offset stay the shipped
    # ones in every fold
    kept = ("blend", "blend_speech", "group_temperature", "neutral_offset", "group_offset")
    fixed = {key: v for key, v in head_of(model).items() if key.startswith("gate_") or key in kept}
    k = 5
    xfold = np.array([tc.md5_int("cv" + s) % k for s in xed["key"]])
    gfold = go["fold"].to_numpy()
    xtr = ((xed["part"] == "train") & ~xed["only_ta"]).to_numpy()
    qx = np.zeros((len(xed), len(EKMAN_GROUPS)), np.float32)
    qg = np.zeros((len(go), len(EKMAN_GROUPS)), np.float32)
    for f in range(k):
        sub = xed.assign(part=np.where(xtr & (xfold == f), "held", xed["part"]))
        h = tc.train_head(sub, go, fx, go_rows=gfold != f)
        t, b = tc.calibrate(h, sub, rc, fx)
        fold_head = {**fixed, **h, "temperature": t, "bias": b}
        m = xtr & (xfold == f)
        for rows, F in ((m, fx["xed"]), (gfold == f, fx["goemotions"])):
            out_rows = qx if F is fx["xed"] else qg
            out_rows[rows] = speech_probabilities(
                F[rows], fold_head, tc.top_outputs(tc.MODEL_DIR, F[rows])
            )
        log(f"  speech head CV fold {f + 1}/{k}")
    y = np.stack(xed.loc[xtr, "y"])
    out["xed_cv"] = {"folds": k, **classification(qx[xtr].argmax(1), y),
                     "ece_top_group": calibration(qx[xtr], y)["ece_top_group"]}  # fmt: skip
    y = np.stack(go["y"])
    y28 = np.stack(go["y28"])
    emo, _ = decide_calibrated(_label_scores(model, fx["goemotions"]), qg, model.thresholds_)
    pl = np.array([[lab in set(s.split(";")) for lab in LABELS] for s in emo])
    from emotions_eval import multilabel_f1  # the benchmark's metric

    pg = np.eye(len(EKMAN_GROUPS), dtype=bool)[qg.argmax(1)]
    out["goemotions_cv"] = {
        "what": "speech head cross-validated (5 folds by md5 of id; the head's training "
        "eighths), blend, gate and group temperatures fixed; the MiniLM top under it saw "
        "all of these comments, so this is optimistic",
        "rows": len(go),
        "ekman_single_group": multilabel_f1(pg, y > 0, EKMAN_GROUPS),
        "labels_28": multilabel_f1(pl, y28, LABELS),
        **{k2: v for k2, v in classification(qg.argmax(1), y).items() if k2 != "per_group_f1"},
    }
    return out


def held_out_only(model) -> dict:
    """The held-out figures of :func:`speech` without its cross-validation (minutes less)."""
    import train_emotion_calibration as tc

    xed, _, rc, fx = tc.load_all(tc.EVAL_DIR, model, _skip(model))
    xe = ((xed["part"] == "test") & ~xed["only_ta"]).to_numpy()
    rt = (rc["part"] == "test").to_numpy()
    out = {}
    for name, d, F, m in (("xed_test", xed, fx["xed"], xe), ("reccon_test", rc, fx["reccon"], rt)):
        texts = d.loc[m, "text"].tolist()
        out[name] = _held_out(shipped(model, F[m], texts), np.stack(d.loc[m, "y"]), texts)
    out["goemotions_report"] = goemotions_report(model)
    return {"speech": out}


def goemotions_report(model) -> dict:
    """The GoEmotions dev ``report`` eighths: Ekman and 28-label macro-F1 of the table's labels."""
    import train_emotion_calibration as tc
    from emotions_eval import multilabel_f1  # the benchmark's metric

    from insights.emotions import LABELS, decide_calibrated, is_courtesy

    go, F = tc.goemotions_part(tc.EVAL_DIR, model, "report")
    texts = go["text"].tolist()
    q = shipped(model, F, texts)
    pred = decided(q, texts)
    emo, _ = decide_calibrated(_label_scores(model, F), q, model.thresholds_)
    emo = ["neutral" if is_courtesy(t) else e for t, e in zip(texts, emo, strict=True)]
    pl = np.array([[lab in set(e.split(";")) for lab in LABELS] for e in emo])
    y = np.stack(go["y"])
    return {
        "what": "GoEmotions dev eighths 5-7 by md5 of 'sub' + id: not trained on by the head, "
        "not read for the blend weight; the MiniLM top saw them (optimistic)",
        "rows": len(go),
        "ekman_single_group": multilabel_f1(
            np.eye(len(EKMAN_GROUPS), dtype=bool)[pred], y > 0, EKMAN_GROUPS
        ),  # fmt: skip
        "labels_28": multilabel_f1(pl, np.stack(go["y28"]), LABELS),
        **{k: v for k, v in classification(pred, y).items() if k != "per_group_f1"},
    }


def _label_scores(model, pooled) -> np.ndarray:
    """The 28 label scores of GoEmotions rows from their cached pooled states (first window)."""
    import train_emotion_calibration as tc

    from insights.emotions import LABELS

    folder = Path(model.model_dir) if model.model_dir is not None else tc.MODEL_DIR
    return tc.top_outputs(folder, pooled)[:, : len(LABELS)]


def held_out_curve(model) -> dict:
    """Held-out figures along the tune curve of ``emotion_operating_point.json``, read after.

    The operating point was chosen on tune parts (``training/choose_emotion_operating_point.py``);
    this shows what the neutral offsets of its curve, the point before and the chosen one
    do on the XED test part and the RECCON test conversations (no choice reads it).
    """
    import json

    import train_emotion_calibration as tc

    from insights.emotions._speech import shift_groups

    res = json.loads((REPO / "benchmarks" / "results" / "emotion_operating_point.json").read_text())
    xed, _, rc, fx = tc.load_all(tc.EVAL_DIR, model, _skip(model))
    head = {k: v for k, v in head_of(model).items() if k not in ("neutral_offset", "group_offset")}
    parts = {}
    for name, d, F, m in (
        ("xed_test", xed, fx["xed"], ((xed["part"] == "test") & ~xed["only_ta"]).to_numpy()),
        ("reccon_test", rc, fx["reccon"], (rc["part"] == "test").to_numpy()),
    ):
        q0 = speech_probabilities_of(model, head, F[m])
        parts[name] = (q0, np.stack(d.loc[m, "y"]), d.loc[m, "text"].tolist())
    from insights.emotions import with_strong_words

    points = [("before", res["before"]["offsets"]), ("chosen", res["values"])]
    points += [(f"neutral offset {r['neutral_offset']}", r["offsets"])
               for r in res["neutral_offset_curve"]]  # fmt: skip
    rows = []
    for label, offsets in points:
        row = {"point": label, "offsets": offsets}
        for name, (q0, y, texts) in parts.items():
            q = with_strong_words(texts, shift_groups(q0, offsets),
                                  head["strong_words"], head.get("stated_words"))  # fmt: skip
            c = classification(decided(q, texts), y)
            row[name] = {k: c[k] for k in ("weighted_f1", "accuracy", "predicted_neutral_share")}
        rows.append(row)
    return {"what": held_out_curve.__doc__.split("\n\n")[1].replace("\n    ", " ").strip(),
            "rows": rows}  # fmt: skip


def speech_probabilities_of(model, head: dict, X) -> np.ndarray:
    """The speech head ``head``'s probabilities of pooled states ``X`` (the top's outputs)."""
    import train_emotion_calibration as tc

    from insights.emotions._speech import speech_probabilities

    folder = Path(model.model_dir) if model.model_dir is not None else tc.MODEL_DIR
    return speech_probabilities(X, head, tc.top_outputs(folder, X))


# --------------------------------------------------------------------------- context


def context(model, log=print) -> dict:
    """What the previous turn buys on RECCON dev: 5-fold CV by conversation.

    Both models are multinomial logistic regressions fit on the folds' training
    conversations: *without* reads the speech head's log-probabilities of the utterance,
    *with* adds the previous turn's probabilities and whether there is one.
    """
    import train_emotion_calibration as tc
    from sklearn.linear_model import LogisticRegression

    xed, go, rc, fx = tc.load_all(tc.EVAL_DIR, model, _skip(model))
    q = shipped(model, fx["reccon"])
    first = (rc["turn"] == rc.groupby("conv")["turn"].transform("min")).to_numpy()
    qp = np.vstack([np.zeros((1, q.shape[1])), q[:-1]])
    qp[first] = 0.0
    X0 = np.log(np.maximum(q, 1e-6))
    X1 = np.hstack([X0, qp, first[:, None].astype(float)])
    y = np.array([EKMAN_GROUPS.index(e) for e in rc["ekman"]])
    folds = np.array([tc.md5_int("ctx" + c) % 5 for c in rc["conv"]])
    preds = {
        "without_previous_turn": np.zeros(len(y), int),
        "with_previous_turn": np.zeros(len(y), int),
    }
    for f in range(5):
        tr, te = folds != f, folds == f
        for name, X in (("without_previous_turn", X0), ("with_previous_turn", X1)):
            lr = LogisticRegression(C=1.0, max_iter=2000).fit(X[tr], y[tr])
            preds[name][te] = lr.predict(X[te])
    Y = np.eye(len(EKMAN_GROUPS))[y]
    out = {"what": context.__doc__.split("\n\n")[1].replace("\n    ", " ").strip(),
           "no_refit_shipped_head": classification(q.argmax(1), Y)}  # fmt: skip
    for name, p in preds.items():
        out[name] = classification(p, Y)
    log(
        "  context on RECCON (CV): weighted-F1 "
        f"{out['without_previous_turn']['weighted_f1']:.3f} -> "
        f"{out['with_previous_turn']['weighted_f1']:.3f}"
    )
    return out


# --------------------------------------------------------------------------- stated feelings


def stated(model) -> dict:
    """Sentences written for insights: stated feelings and their hard negatives, per part.

    ``emotion_stated_sentences.csv``: ids, ``part`` (``tune``/``held`` by md5 of the id,
    fixed before the rule was written; only the tune part's errors were read), ``kind``
    (stated, negated, hypothetical, reported, idiom, question, plain), ``named`` (the
    group of the feeling word) and ``expressed`` (the group, or none). A stated line is
    right when ``ekman`` is its group and it reaches the report's floor; any other line
    when the named group stays below the floor.
    """
    import pandas as pd

    from insights.emotions import score_emotions
    from insights.schema import EMOTION_FLOOR

    d = pd.read_csv(STATED_FILE, dtype=str)
    emo = score_emotions(d.rename(columns={"id": "segment_id"}), model=model)
    rows = []
    for (_, r), (_, e) in zip(d.iterrows(), emo.iterrows(), strict=True):
        group = r["expressed"] if r["expressed"] != "none" else r["named"]
        best = max(e[f"p_{lab}"] for lab in _labels_of(group)) if group != "none" else 0.0
        hit = e["ekman"] == group and best >= EMOTION_FLOOR
        rows.append({"part": r["part"], "kind": r["kind"],
                     "right": hit if r["expressed"] != "none" else not hit})  # fmt: skip
    t = pd.DataFrame(rows)
    out = {"what": stated.__doc__.split("\n\n")[1].replace("\n    ", " ").strip()}
    for part, g in t.groupby("part"):
        out[part] = {kind: f"{int(k['right'].sum())} of {len(k)}" for kind, k in g.groupby("kind")}
        out[part]["all"] = f"{int(g['right'].sum())} of {len(g)}"
    return out


def _labels_of(group: str) -> list[str]:
    from insights.emotions import LABEL_TO_EKMAN

    return [lab for lab, g in LABEL_TO_EKMAN.items() if g == group]


# --------------------------------------------------------------------------- MLSS


def mlss(model, segments_csv: Path) -> dict:
    """Share of emotional participant segments on MLSS dev; precision on the hand labels."""
    import pandas as pd

    from insights.emotions import score_emotions
    from insights.schema import EMOTION_FLOOR

    seg = pd.read_csv(segments_csv, dtype={"segment_id": str})
    part = seg[seg["role"] == "participant"].reset_index(drop=True)
    emo = score_emotions(part, model=model)
    emotional = emo["ekman"] != "neutral"
    best = emo[[c for c in emo.columns if c.startswith("p_") and c != "p_neutral"]].max(axis=1)
    floored = emotional & (best >= EMOTION_FLOOR)
    people = part.assign(ekman=emo["ekman"], floored=floored)
    anger = people[(people["ekman"] == "anger")]
    lab = pd.read_csv(LABELS_FILE, dtype={"segment_id": str})
    m = lab.merge(emo.assign(pred=emotional, floored=floored), on="segment_id", how="left")
    gold, pred = m["emotional"] == 1, m["pred"].astype(bool)
    lenient = gold | (m["courtesy"] == 1)
    return {
        "participant_segments": len(part),
        "people": int(part["participant_id"].nunique()),
        "emotional_share": round(float(emotional.mean()), 4),
        "emotional_share_at_floor": round(float(floored.mean()), 4),
        "ekman_counts": emo.loc[emotional, "ekman"].value_counts().to_dict(),
        "people_with_anger": int(anger["participant_id"].nunique()),
        "people_with_anger_at_floor": int(anger[anger["floored"]]["participant_id"].nunique()),
        "hand_labelled": {
            "n": len(m),
            "gold_emotional": int(gold.sum()),
            "gold_courtesy": int((m["courtesy"] == 1).sum()),
            "predicted_emotional": int(pred.sum()),
            "precision_emotional": round(float(gold[pred].mean()), 4) if pred.any() else None,
            "precision_emotional_courtesy_counted": round(float(lenient[pred].mean()), 4)
            if pred.any()
            else None,
            "recall_emotional": round(float(pred[gold].mean()), 4) if gold.any() else None,
            "ekman_right_on_gold_emotional": int(
                (m.loc[gold, "ekman_x"] == m.loc[gold, "ekman_y"]).sum()
            )
            if "ekman_x" in m
            else None,
            "predicted_emotional_at_floor": int(m["floored"].astype(bool).sum()),
            "precision_at_floor": round(float(gold[m["floored"].astype(bool)].mean()), 4)
            if m["floored"].astype(bool).any()
            else None,
        },
    }


if __name__ == "__main__":
    import json

    from insights.emotions import get_emotion_model

    m = get_emotion_model()
    quick = "--quick" in sys.argv  # held-out parts only: no cross-validation, no context
    res = {"stated": stated(m)}
    res.update(held_out_only(m) if quick else {"speech": speech(m), "context": context(m)})
    res["operating_point_held_out"] = held_out_curve(m)
    seg = Path(next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--mlss=")),
                    "/tmp/i13/mlss_segments.csv"))  # fmt: skip
    if seg.exists():
        res["mlss"] = mlss(m, seg)
    name = "emotion_speech_quick.json" if quick else "emotion_speech.json"
    out = REPO / "benchmarks" / "results" / name
    out.write_text(json.dumps(res, indent=2, default=str) + "\n")
    print(f"-> {out}")
