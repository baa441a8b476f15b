"""Emotions and emotional triggers measured on ../shared/eval dev data.

Prints a table and writes benchmarks/results/emotions_eval.json.

    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 .venv/bin/python benchmarks/emotions_eval.py \
        [--limit N] [--folds 5] [--skip-goemotions] [--skip-isear] [--skip-reccon] [--skip-speed]

A skipped part keeps its results of the earlier run in the JSON (``kept_from_earlier_run``).

1. GoEmotions (dev, 28 labels, multi-label): macro-F1 over the 28 labels and over the
   7 Ekman groups (the 6 emotions + neutral; a group's score is the model's Ekman
   output, or for a model without one the highest score of its labels), micro-F1
   and per-label F1, all from the **out-of-fold** scores that
   ``training/train_emotions.py --cv K --oof PATH`` saves (each row scored by a fold
   model that never saw it). The shipped thresholds are tuned on those same
   out-of-fold scores, so scoring them with those thresholds is optimistic; the
   headline is *nested*: per fold, thresholds tuned on the other folds' out-of-fold
   scores and applied to the held-out fold. Also: one fixed threshold 0.5 (no tuning
   at all), and the product's own decision rule (every text gets at least one label;
   a single ``ekman`` group). Targets: 0.46 / 0.64 (GoEmotions paper, BERT-base).
2. ISEAR (dev, 7 classes, never seen in training): the shipped model through
   ``insights.emotions.score_emotions``; each ISEAR class gets the highest score of
   the GoEmotions labels mapped to it (:data:`ISEAR_MAP`: shame <- embarrassment,
   guilt <- remorse, sadness <- sadness/disappointment/grief, the other four their
   Ekman group), the prediction is the argmax. Accuracy and macro-F1, on all rows and
   without the ~2% non-answers ("[ No response.]").
3. RECCON (dev, DailyDialog): for every emotional utterance with an annotated cause
   turn, ``insights.triggers.find_triggers`` with the gold emotions; (a) accuracy of
   the cause's turn, (b) token-F1 of the predicted span against the best gold span of
   that turn (0 when the turn is wrong). The cause ranker that ships was fit on RECCON
   dev, so the headline is a conversation-grouped K-fold cross-validation (ranker
   refit on the other folds with ``training/train_cause_ranker.py``'s functions);
   the shipped ranker on dev is reported as in-sample. Baseline: the whole emotional
   utterance as its own cause. Target token-F1 >= 0.70. The figures that count are the
   held-out half's (``benchmarks/cause_eval.py``: tune / held-out halves by conversation,
   every cause setting chosen on tune, next to the whole-utterance and previous-turn
   baselines).
5. Speech (``benchmarks/emotion_speech.py``): the speech head (calibrated Ekman-7
   probabilities) on the XED test part and the RECCON test conversations (held out
   from every choice), cross-validated on XED train lines and GoEmotions rows,
   expected calibration error with a reliability table, what the previous turn adds
   on RECCON (5-fold CV by conversation), and the MLSS dev interviews (``--mlss``: a
   segments table of them; share of emotional participant segments, precision of
   "emotional" on ``benchmarks/emotion_mlss_labels.csv``).
4. Speed (``--threads``, default 2): segments per second of ``score_emotions`` (500
   GoEmotions texts) and ``find_triggers`` (RECCON conversations, emotions table
   given, empty embedding cache), and ``score_emotions`` on the sample study's
   participant segments.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("INSIGHTS_PROGRESS", "0")  # no progress bars in the printed table
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
EVAL = Path(os.environ.get("INSIGHTS_EVAL_DIR", REPO.parent / "shared" / "eval"))
OUT = REPO / "benchmarks" / "results" / "emotions_eval.json"
OOF = Path.home() / ".cache" / "insights" / "emotions_oof.npz"

from insights.emotions import EKMAN, EKMAN_GROUPS, LABELS, decide_labels, ekman_scores, group_scores  # noqa: E402

TARGETS = {
    "goemotions_macro_f1_28": 0.46,
    "goemotions_macro_f1_ekman": 0.64,
    "reccon_token_f1": 0.70,
}

#: ISEAR class -> GoEmotions labels whose highest score is the class's score.
ISEAR_MAP: dict[str, tuple[str, ...]] = {
    "joy": EKMAN["joy"],
    "fear": EKMAN["fear"],
    "anger": EKMAN["anger"],
    "sadness": ("sadness", "disappointment", "grief"),
    "disgust": EKMAN["disgust"],
    "shame": ("embarrassment",),
    "guilt": ("remorse",),
}
ISEAR_CLASSES = tuple(ISEAR_MAP)
#: ISEAR answers that describe no situation ("[ No response.]", "Not applicable.").
NON_ANSWER = re.compile(
    r"^\W*(no response|none|not applicable|nothing|can ?not remember|do not remember|"
    r"don.t remember|same as|never|doesn.t apply|does not apply)\b",
    re.I,
)


# --------------------------------------------------------------------------- metrics


def multilabel_f1(pred: np.ndarray, y: np.ndarray, names: tuple[str, ...]) -> dict:
    """Macro/micro F1, precision, recall and per-column F1 of boolean predictions."""
    pred, gold = np.asarray(pred, bool), np.asarray(y) > 0
    tp = (pred & gold).sum(0)
    fp = (pred & ~gold).sum(0)
    fn = (~pred & gold).sum(0)
    f1 = 2 * tp / np.maximum(1, 2 * tp + fp + fn)
    return {
        "macro_f1": round(float(f1.mean()), 4),
        "micro_f1": round(float(2 * tp.sum() / max(1, 2 * tp.sum() + fp.sum() + fn.sum())), 4),
        "micro_precision": round(float(tp.sum() / max(1, tp.sum() + fp.sum())), 4),
        "micro_recall": round(float(tp.sum() / max(1, tp.sum() + fn.sum())), 4),
        "per_label_f1": {n: round(float(v), 3) for n, v in zip(names, f1, strict=True)},
    }


def single_label_scores(pred: list[str], gold: list[str], classes: tuple[str, ...]) -> dict:
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

    f1 = f1_score(gold, pred, labels=list(classes), average=None, zero_division=0)
    return {
        "n": len(gold),
        "accuracy": round(float(accuracy_score(gold, pred)), 4),
        "macro_f1": round(float(f1.mean()), 4),
        "per_class_f1": {c: round(float(v), 3) for c, v in zip(classes, f1, strict=True)},
        "confusion_rows_gold_cols_pred": {
            c: dict(zip(classes, map(int, row), strict=True))
            for c, row in zip(
                classes, confusion_matrix(gold, pred, labels=list(classes)), strict=True
            )
        },
    }


# --------------------------------------------------------------------------- 1. GoEmotions


def goemotions(oof_path: Path) -> dict:
    from training.train_emotions import best_thresholds, read_goemotions

    data = EVAL / "goemotions" / "dev.csv"
    if not oof_path.exists():
        return {
            "skipped": f"no out-of-fold scores at {oof_path}: "
            f"run training/train_emotions.py --cv 5 --oof {oof_path}"
        }
    z = np.load(oof_path)
    oof, y, folds = z["oof"], z["y"], z["folds"]
    sha = hashlib.sha1(data.read_bytes()).hexdigest()
    if str(z["data_sha1"]) != sha:
        return {
            "skipped": f"{oof_path} was made from other data "
            f"(sha1 {str(z['data_sha1'])[:12]} != {sha[:12]})"
        }
    _, y_now, _ = read_goemotions(data, list(LABELS))
    assert np.array_equal(y_now, y), "labels in the npz differ from dev.csv"
    k = int(folds.max()) + 1
    # group scores as the product makes them: with an Ekman head (columns 28..34) the
    # geometric mean of its score and the group's best label score, else the latter
    head = oof[:, len(LABELS) :] if oof.shape[1] > len(LABELS) else None
    oof = oof[:, : len(LABELS)]
    gs = ekman_scores(oof, head)
    gy = group_scores(y)
    out: dict = {
        "rows": len(y),
        "folds": k,
        "fold_epochs": int(z["epochs"]),
        "ekman_scores": (
            "geometric mean of the model's Ekman output and the group's best label score"
            if head is not None
            else "each group's best label score"
        ),
        "oof_file": str(oof_path).replace(str(Path.home()), "~"),
        "label_support": {n: int(v) for n, v in zip(LABELS, y.sum(0), strict=True)},
        "ekman_support": {n: int(v) for n, v in zip(EKMAN_GROUPS, gy.sum(0), strict=True)},
    }

    def nested(scores, truth):
        # thresholds of fold f tuned on the out-of-fold scores of the other folds
        pred, th = np.zeros_like(truth, bool), np.zeros((k, truth.shape[1]))
        for f in range(k):
            th[f] = best_thresholds(scores[folds != f], truth[folds != f])
            pred[folds == f] = scores[folds == f] >= th[f]
        return pred, th

    (pred_l, th_l), (pred_g, th_g) = nested(oof, y), nested(gs, gy)
    out["nested_thresholds"] = {
        "what": "per fold, thresholds tuned on the other folds' out-of-fold scores, "
        "applied to the held-out fold",
        "labels": multilabel_f1(pred_l, y, LABELS),
        "ekman": multilabel_f1(pred_g, gy, EKMAN_GROUPS),
        "threshold_spread_across_folds": round(float((th_l.max(0) - th_l.min(0)).mean()), 3),
    }
    if head is not None:  # the group-score rules compared (the product uses the geometric mean)
        out["ekman_score_rules_nested"] = {
            name: multilabel_f1(nested(sc, gy)[0], gy, EKMAN_GROUPS)["macro_f1"]
            for name, sc in (
                ("geometric_mean", gs),
                ("ekman_output", head),
                ("best_label", group_scores(oof)),
            )
        }
    # thresholds tuned on all out-of-fold scores (what ships): optimistic
    th_all, gth_all = best_thresholds(oof, y), best_thresholds(gs, gy)
    out["thresholds_tuned_on_same_oof"] = {
        "what": "thresholds tuned on all out-of-fold scores and applied to them "
        "(the shipped thresholds; optimistic)",
        "labels": multilabel_f1(oof >= th_all, y, LABELS),
        "ekman": multilabel_f1(gs >= gth_all, gy, EKMAN_GROUPS),
        "thresholds": {n: float(t) for n, t in zip(LABELS, th_all, strict=True)},
        "ekman_thresholds": {n: float(t) for n, t in zip(EKMAN_GROUPS, gth_all, strict=True)},
    }
    out["fixed_threshold_0.5"] = {
        "what": "no tuning: every label and group at 0.5",
        "labels": multilabel_f1(oof >= 0.5, y, LABELS),
        "ekman": multilabel_f1(gs >= 0.5, gy, EKMAN_GROUPS),
    }
    # the product's decision (insights.emotions.decide_labels), nested thresholds
    emo = [""] * len(y)
    ek = [""] * len(y)
    for f in range(k):
        te = np.where(folds == f)[0]
        e, g = decide_labels(
            oof[te], th_l[f].astype(np.float32), th_g[f].astype(np.float32), gs[te]
        )
        for j, i in enumerate(te):
            emo[i], ek[i] = e[j], g[j]
    pl = np.array([[lab in set(s.split(";")) for lab in LABELS] for s in emo])
    pg = np.array([[g == x for g in EKMAN_GROUPS] for x in ek])
    out["product_decision_nested"] = {
        "what": "insights' `emotions` column (labels above threshold, else the best one) "
        "and single `ekman` group, nested thresholds",
        "labels": multilabel_f1(pl, y, LABELS),
        "ekman_single_group": multilabel_f1(pg, gy, EKMAN_GROUPS),
        "ekman_single_group_accuracy_any_gold": round(
            float(np.mean([gy[i, EKMAN_GROUPS.index(x)] > 0 for i, x in enumerate(ek)])), 4
        ),
    }
    cfg = REPO / "insights" / "models" / "emotions" / "config.json"
    if cfg.exists():
        meta = json.loads(cfg.read_text())
        out["shipped_config_thresholds_match_oof_tuning"] = bool(
            np.allclose(meta["thresholds"], th_all)
            and np.allclose(meta["ekman_thresholds"], gth_all)
        )
        out["shipped_threshold_source"] = meta.get("threshold_source")
    return out


# --------------------------------------------------------------------------- 2. ISEAR


def isear(limit: int | None) -> dict:
    from insights.emotions import get_emotion_model, score_emotions

    df = pd.read_csv(EVAL / "isear" / "dev.csv", dtype=str, keep_default_na=False)
    if limit:
        df = df.iloc[np.random.default_rng(0).permutation(len(df))[:limit]].reset_index(drop=True)
    model = get_emotion_model()
    t = time.perf_counter()
    emo = score_emotions(pd.DataFrame({"segment_id": df["id"], "text": df["text"]}), model=model)
    secs = time.perf_counter() - t
    p = emo[[f"p_{lab}" for lab in LABELS]].to_numpy(dtype=np.float64)
    p = np.nan_to_num(p, nan=0.0)
    cls = np.stack(
        [p[:, [LABELS.index(lab) for lab in labs]].max(1) for labs in ISEAR_MAP.values()], 1
    )
    th = model.thresholds_.astype(np.float64)
    scaled = p / np.maximum(th, 1e-6)
    cls_scaled = np.stack(
        [scaled[:, [LABELS.index(lab) for lab in labs]].max(1) for labs in ISEAR_MAP.values()], 1
    )
    gold = df["emotion"].tolist()
    pred = [ISEAR_CLASSES[j] for j in cls.argmax(1)]
    pred_scaled = [ISEAR_CLASSES[j] for j in cls_scaled.argmax(1)]
    answered = ~df["text"].map(lambda s: bool(NON_ANSWER.search(s))).to_numpy()
    sel = np.where(answered)[0]
    # the product's own `ekman` column on the five classes ISEAR shares with Ekman
    five = [i for i, g in enumerate(gold) if g in EKMAN_GROUPS]
    return {
        "rows": len(df),
        "mapping": {c: list(v) for c, v in ISEAR_MAP.items()},
        "not_used": [lab for lab in LABELS if not any(lab in v for v in ISEAR_MAP.values())],
        "rule": "class score = highest sigmoid score of its labels; "
        "prediction = argmax over the 7 classes",
        "all_rows": single_label_scores(pred, gold, ISEAR_CLASSES),
        "answered_rows": {
            "excluded_non_answers": int((~answered).sum()),
            **single_label_scores([pred[i] for i in sel], [gold[i] for i in sel], ISEAR_CLASSES),
        },
        "variant_scores_divided_by_thresholds": single_label_scores(
            pred_scaled, gold, ISEAR_CLASSES
        ),
        "ekman_column_on_joy_fear_anger_sadness_disgust": {
            "n": len(five),
            "accuracy": round(float(np.mean([emo["ekman"].iloc[i] == gold[i] for i in five])), 4),
            "predicted_neutral_or_surprise": int(
                sum(emo["ekman"].iloc[i] in ("neutral", "surprise") for i in five)
            ),
        },
        "scoring_seconds": round(secs, 2),
    }


# --------------------------------------------------------------------------- 3. RECCON


def score_triggers(
    triggers: pd.DataFrame, segments: pd.DataFrame, gold: dict, evaluated: list[str]
) -> dict:
    """Turn accuracy and token-F1 of the best cause of every evaluated utterance."""
    from training.train_cause_ranker import own_cause_in_gold, score_prediction

    best = triggers.drop_duplicates("segment_id", keep="first").set_index("segment_id")
    turn_ok, f1s, own = [], [], []
    for sid in evaluated:
        own.append(own_cause_in_gold(sid, gold[sid]))
        if sid not in best.index:
            turn_ok.append(0)
            f1s.append(0.0)
            continue
        r = best.loc[sid]
        ok, f = score_prediction(str(r["cause_segment_id"]), str(r["cause_text"]), gold[sid])
        turn_ok.append(ok)
        f1s.append(f)
    return summarise(turn_ok, f1s, own, missing=sum(1 for s in evaluated if s not in best.index))


def summarise(turn_ok, f1s, own, missing=0) -> dict:
    turn_ok, f1s, own = np.array(turn_ok, float), np.array(f1s, float), np.array(own, bool)

    def mean(x):
        return round(float(x.mean()), 4) if len(x) else None

    return {
        "n": len(f1s),
        "turn_accuracy": mean(turn_ok),
        "token_f1": mean(f1s),
        "token_f1_when_turn_right": mean(f1s[turn_ok > 0]),
        "gold_cause_includes_own_utterance": {
            "n": int(own.sum()),
            "turn_accuracy": mean(turn_ok[own]),
            "token_f1": mean(f1s[own]),
        },
        "gold_cause_only_in_other_turns": {
            "n": int((~own).sum()),
            "turn_accuracy": mean(turn_ok[~own]),
            "token_f1": mean(f1s[~own]),
        },
        "no_prediction": int(missing),
    }


def reccon(limit: int | None, k: int, log=print) -> dict:
    from cause_eval import tune_held

    from insights.embed import get_embedder
    from insights.nlp import load_spacy
    from insights.triggers import CauseRanker, find_triggers, set_own_logit
    from training.train_cause_ranker import (
        WHERE_SETTINGS,
        conversation_folds,
        featurize_reccon,
        fit_cause_model,
        own_cause_in_gold,
        own_cause_inputs,
        read_reccon,
        score_prediction,
    )

    segments, gold = read_reccon(EVAL / "reccon" / "dev.jsonl")
    if limit:
        keep = list(dict.fromkeys(segments["transcript_id"]))[:limit]
        segments = segments[segments["transcript_id"].isin(keep)].reset_index(drop=True)
    ids = segments["segment_id"].tolist()
    texts = dict(zip(ids, segments["text"], strict=True))
    evaluated = [s for s in ids if gold.get(s)]
    shipped = CauseRanker()
    use_span_emotions = bool(shipped.meta_.get("span_emotion_features"))
    emb = get_embedder()
    nlp = load_spacy(exclude=("ner", "lemmatizer"))
    out: dict = {
        "conversations": int(segments["transcript_id"].nunique()),
        "utterances": len(segments),
        "emotional_utterances": int((segments["emotion"] != "neutral").sum()),
        "evaluated_utterances_with_cause_turn": len(evaluated),
        "span_emotion_features": use_span_emotions,
    }
    own_flags = [own_cause_in_gold(s, gold[s]) for s in evaluated]
    # baseline: the whole emotional utterance is its own cause
    base = [score_prediction(s, texts[s], gold[s]) for s in evaluated]
    out["baseline_whole_utterance"] = summarise(
        [b[0] for b in base], [b[1] for b in base], own_flags
    )

    t = time.perf_counter()
    feats = featurize_reccon(
        segments, model=None if use_span_emotions else False, embedder=emb, nlp=nlp
    )
    out["featurize_seconds"] = round(time.perf_counter() - t, 1)
    # upper bound of the candidate generator: the best candidate of each utterance
    row_of = {s: i for i, s in enumerate(ids)}
    oracle = []
    for s in evaluated:
        cs, _ = feats[row_of[s]]
        oracle.append(
            max(
                (
                    score_prediction(ids[c.seg], texts[ids[c.seg]][c.start : c.end], gold[s])
                    for c in cs
                ),
                key=lambda x: (x[1], x[0]),
                default=(0, 0.0),
            )
        )
    out["oracle_best_candidate"] = summarise(
        [o[0] for o in oracle], [o[1] for o in oracle], own_flags
    )
    log(f"  RECCON: {len(evaluated)} utterances, features in {out['featurize_seconds']} s")

    # conversation-grouped cross-validation
    fold_of = conversation_folds(segments["transcript_id"].tolist(), k)
    row_fold = np.array([fold_of[t] for t in segments["transcript_id"]])
    with_cause = [r for r in feats if gold.get(ids[r])]
    inputs = own_cause_inputs(segments, emb, with_cause)
    parts, weights, own_known, fallbacks = [], [], [], []
    t = time.perf_counter()
    for f in range(k):
        train_rows = [r for r in with_cause if row_fold[r] != f]
        w, own, fallback, where = fit_cause_model(
            segments, feats, gold, inputs, train_rows, fallback=WHERE_SETTINGS["fallback"]
        )
        weights.append(w)
        fallbacks.append(fallback)
        ranker = CauseRanker(w, own_model=own, fallback=fallback, where=where)
        # diagnostic: the same ranker told, from the gold, whether the cause lies in the
        # utterance itself
        for r in with_cause:
            if row_fold[r] == f:
                cs, X = feats[r]
                own_gold = own_cause_in_gold(ids[r], gold[ids[r]])
                c = cs[
                    int(np.argmax(ranker.score(set_own_logit(X.copy(), 4.0 if own_gold else -4.0))))
                ]
                own_known.append(
                    (
                        *score_prediction(
                            ids[c.seg], texts[ids[c.seg]][c.start : c.end], gold[ids[r]]
                        ),
                        own_gold,
                    )
                )
        held = segments[row_fold == f].reset_index(drop=True)
        parts.append(find_triggers(held, ranker=ranker, embedder=emb, nlp=nlp))
        log(
            f"  fold {f + 1}/{k}: ranker and own-cause model fit on {len(train_rows)} utterances, "
            f"{held['transcript_id'].nunique()} conversations scored"
        )
    cv = score_triggers(pd.concat(parts, ignore_index=True), segments, gold, evaluated)
    cv["folds"] = k
    cv["whole_segment_fallback_per_fold"] = fallbacks
    cv["seconds"] = round(time.perf_counter() - t, 1)
    cv["weight_sd_across_folds"] = {
        f: round(float(np.std([w[f] for w in weights])), 3) for f in weights[0]
    }
    out["cross_validated"] = cv
    out["cross_validated_own_cause_from_gold"] = {
        "what": "diagnostic: the cross-validated ranker with the own-cause log-odds set from "
        "the gold (+4 when a gold cause lies in the utterance itself, else -4): "
        "what a perfect own-cause model would give",
        **summarise(
            [o[0] for o in own_known], [o[1] for o in own_known], [o[2] for o in own_known]
        ),
    }

    # tune / held-out halves by conversation: the figures that count (benchmarks/cause_eval.py)
    if not limit:
        out["tune_held_out"] = tune_held(
            segments, gold, feats, inputs, embedder=emb, nlp=nlp, log=log
        )

    # the shipped ranker (fit on all of RECCON dev): in-sample
    t = time.perf_counter()
    trig = find_triggers(segments, embedder=emb, nlp=nlp)
    ins = score_triggers(trig, segments, gold, evaluated)
    ins["seconds"] = round(time.perf_counter() - t, 1)
    ins["what"] = (
        "shipped insights/models/triggers/cause_ranker.json, fit on these conversations "
        "(training-set score)"
    )
    out["shipped_ranker_in_sample"] = ins
    if (
        not limit
    ):  # does training/train_cause_ranker.py's fit on all of dev reproduce the shipped weights?
        w, own, _, _ = fit_cause_model(
            segments, feats, gold, inputs, with_cause, fallback=WHERE_SETTINGS["fallback"]
        )
        out["refit_on_all_dev_max_weight_difference_to_shipped"] = round(
            max(abs(w[f] - shipped.weights.get(f, 0.0)) for f in w), 4
        )
        if shipped.own_model is not None:
            out["refit_on_all_dev_max_own_cause_difference_to_shipped"] = round(
                float(np.abs(own.coef - shipped.own_model.coef).max()), 4
            )
    return out


# --------------------------------------------------------------------------- 4. speed


def speed(limit: int | None, log=print) -> dict:
    from insights.datasets import sample_study_path
    from insights.embed import get_embedder
    from insights.emotions import get_emotion_model, score_emotions
    from insights.nlp import load_spacy
    from insights.study import load_study, read_study
    from insights.triggers import find_triggers
    from training.train_cause_ranker import read_reccon

    res: dict = {}
    model = get_emotion_model()
    score_emotions(pd.DataFrame({"text": ["warm up", "the model"]}), model=model)
    n = min(500, limit or 500)
    ge = pd.read_csv(EVAL / "goemotions" / "dev.csv", dtype=str, keep_default_na=False)
    ge = ge.iloc[np.random.default_rng(1).permutation(len(ge))[:n]]
    t = time.perf_counter()
    score_emotions(pd.DataFrame({"segment_id": ge["id"], "text": ge["text"]}), model=model)
    s = time.perf_counter() - t
    res["emotions_goemotions"] = {
        "segments": n,
        "seconds": round(s, 2),
        "segments_per_second": round(n / s, 1),
    }
    log(f"  emotions: {n} GoEmotions texts in {s:.1f} s")

    segments, _ = read_reccon(EVAL / "reccon" / "dev.jsonl")
    conv = list(dict.fromkeys(segments["transcript_id"]))[: min(500, limit or 500)]
    segs = (
        segments[segments["transcript_id"].isin(conv)]
        .drop(columns=["emotion"])
        .reset_index(drop=True)
    )
    nlp = load_spacy(exclude=("ner", "lemmatizer"))
    with tempfile.TemporaryDirectory() as tmp:
        emb = get_embedder("minilm", cache_dir=tmp)  # empty cache: every span is embedded
        emb.encode(["warm up"])
        t = time.perf_counter()
        emotions = score_emotions(segs, model=model)
        t1 = time.perf_counter()
        trig = find_triggers(segs, emotions=emotions, model=model, embedder=emb, nlp=nlp)
        t2 = time.perf_counter()
    res["triggers_reccon"] = {
        "conversations": len(conv),
        "segments": len(segs),
        "emotional_segments_explained": int(trig["segment_id"].nunique()),
        "emotions_seconds": round(t1 - t, 2),
        "triggers_seconds": round(t2 - t1, 2),
        "triggers_segments_per_second": round(len(segs) / (t2 - t1), 1),
        "emotions_plus_triggers_segments_per_second": round(len(segs) / (t2 - t), 1),
        "note": "find_triggers with the emotions table given (detected, not gold), "
        "spaCy loaded, empty embedding cache",
    }
    log(f"  triggers: {len(segs)} RECCON utterances in {t2 - t1:.1f} s")

    t = time.perf_counter()
    study = load_study(sample_study_path())
    seg, _, _ = read_study(study)
    t_read = time.perf_counter() - t
    part = seg[seg["role"].isin(("participant", "unknown"))]
    t = time.perf_counter()
    score_emotions(part, model=model)
    s = time.perf_counter() - t
    res["sample_study_score_emotions"] = {
        "segments": len(seg),
        "participant_segments": len(part),
        "read_seconds": round(t_read, 2),
        "score_emotions_seconds": round(s, 2),
        "segments_per_second": round(len(part) / s, 1),
    }
    return res


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    import torch

    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--limit",
        type=int,
        default=None,
        help="ISEAR rows, RECCON conversations and speed samples "
        "(for a quick run; GoEmotions is always whole)",
    )
    ap.add_argument("--folds", type=int, default=5, help="folds of the RECCON cross-validation")
    ap.add_argument(
        "--oof", type=Path, default=OOF, help="out-of-fold scores of training/train_emotions.py"
    )
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--skip-goemotions", action="store_true")
    ap.add_argument("--skip-isear", action="store_true")
    ap.add_argument("--skip-reccon", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--skip-speech", action="store_true")
    ap.add_argument(
        "--mlss", type=Path, default=None, help="segments.csv of the MLSS dev interviews"
    )
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    t_all = time.time()
    res: dict = {
        "targets": TARGETS,
        "threads": a.threads,
        "limit": a.limit,
        "command": "python benchmarks/emotions_eval.py "
        + " ".join(argv if argv is not None else sys.argv[1:]),
    }
    cfg = REPO / "insights" / "models" / "emotions" / "config.json"
    if cfg.exists():
        meta = json.loads(cfg.read_text())
        res["emotion_model"] = {
            "threshold_source": meta.get("threshold_source"),
            "training": meta.get("training"),
        }
    models = REPO / "insights" / "models"
    res["model_files_mb"] = {
        str(f.relative_to(models)): round(f.stat().st_size / 1e6, 3)
        for f in sorted(models.rglob("*"))
        if f.is_file() and f.suffix in (".safetensors", ".json")
    }
    rows = []  # (measure, figure, reference)
    rows.append(
        ("model files in insights/models, MB", round(sum(res["model_files_mb"].values()), 2), "")
    )

    if not a.skip_goemotions:
        g = res["goemotions"] = goemotions(a.oof)
        if "skipped" in g:
            print("GoEmotions:", g["skipped"])
        else:
            print(f"GoEmotions dev, {g['rows']} rows, {g['folds']}-fold out-of-fold scores")
            print(
                f"  {'thresholds':32s} {'macro-F1 28':>11s} {'micro-F1 28':>11s} "
                f"{'macro-F1 Ekman':>14s} {'micro-F1 Ekman':>14s}"
            )
            for key in ("nested_thresholds", "thresholds_tuned_on_same_oof", "fixed_threshold_0.5"):
                v = g[key]
                print(
                    f"  {key:32s} {v['labels']['macro_f1']:11.3f} {v['labels']['micro_f1']:11.3f} "
                    f"{v['ekman']['macro_f1']:14.3f} {v['ekman']['micro_f1']:14.3f}"
                )
            v = g["product_decision_nested"]
            print(
                f"  {'product decision (nested)':32s} {v['labels']['macro_f1']:11.3f} "
                f"{v['labels']['micro_f1']:11.3f} "
                f"{v['ekman_single_group']['macro_f1']:14.3f} "
                f"{v['ekman_single_group']['micro_f1']:14.3f}"
            )
            per = g["nested_thresholds"]["labels"]["per_label_f1"]
            worst = sorted(per.items(), key=lambda kv: kv[1])[:6]
            print(
                "  weakest labels (nested F1, support):",
                ", ".join(f"{n} {f:.2f} ({g['label_support'][n]})" for n, f in worst),
            )
            n, o = g["nested_thresholds"], g["thresholds_tuned_on_same_oof"]
            rows += [
                (
                    "GoEmotions macro-F1, 28 labels (CV, nested thresholds)",
                    n["labels"]["macro_f1"],
                    "0.46",
                ),
                ("  same, thresholds tuned on the same OOF scores", o["labels"]["macro_f1"], ""),
                ("GoEmotions micro-F1, 28 labels (CV, nested)", n["labels"]["micro_f1"], ""),
                (
                    "GoEmotions macro-F1, Ekman 7 (CV, nested thresholds)",
                    n["ekman"]["macro_f1"],
                    "0.64",
                ),
                ("  same, thresholds tuned on the same OOF scores", o["ekman"]["macro_f1"], ""),
            ]

    if not a.skip_isear:
        s = res["isear"] = isear(a.limit)
        print(
            f"ISEAR dev, {s['rows']} rows: accuracy {s['all_rows']['accuracy']:.3f}, "
            f"macro-F1 {s['all_rows']['macro_f1']:.3f}"
            f" (without {s['answered_rows']['excluded_non_answers']} non-answers: "
            f"{s['answered_rows']['accuracy']:.3f} / "
            f"{s['answered_rows']['macro_f1']:.3f}); per class "
            + ", ".join(f"{c} {v:.2f}" for c, v in s["all_rows"]["per_class_f1"].items())
        )
        rows += [
            (
                "ISEAR accuracy (7 classes, zero-shot mapping)",
                s["all_rows"]["accuracy"],
                "chance 0.14",
            ),
            ("ISEAR macro-F1", s["all_rows"]["macro_f1"], ""),
        ]

    if not a.skip_reccon:
        r = res["reccon"] = reccon(a.limit, a.folds)
        print(
            f"RECCON dev, {r['evaluated_utterances_with_cause_turn']} emotional utterances "
            "with a cause turn "
            f"({r['conversations']} conversations)"
        )
        print(f"  {'':44s} {'turn acc':>8s} {'token-F1':>8s}")
        for key, name in (
            ("baseline_whole_utterance", "baseline: whole utterance"),
            ("cross_validated", f"find_triggers, {a.folds}-fold CV by conversation"),
            ("shipped_ranker_in_sample", "find_triggers, shipped ranker (in-sample)"),
            ("cross_validated_own_cause_from_gold", "same CV, own-cause decision from the gold"),
            ("oracle_best_candidate", "oracle: best candidate span"),
        ):
            print(f"  {name:44s} {r[key]['turn_accuracy']:8.3f} {r[key]['token_f1']:8.3f}")
        rows += [
            (
                "RECCON cause turn accuracy (CV by conversation)",
                r["cross_validated"]["turn_accuracy"],
                "",
            ),
            (
                "RECCON cause token-F1 (CV by conversation)",
                r["cross_validated"]["token_f1"],
                ">= 0.70",
            ),
            ("  same, shipped ranker (in-sample)", r["shipped_ranker_in_sample"]["token_f1"], ""),
            ("  baseline: whole utterance", r["baseline_whole_utterance"]["token_f1"], ""),
        ]
        th = r.get("tune_held_out")
        if th:
            base = th["held_baselines"]
            rows += [
                (
                    "RECCON held-out half: cause token-F1",
                    th["held_this_design"]["token_f1"],
                    ">= 0.66",
                ),
                ("  same, turn accuracy", th["held_this_design"]["turn_accuracy"], ""),
                ("  same, previous design", th["held_previous_design"]["token_f1"], ""),
                ("  baseline: whole utterance", base["whole_utterance"]["token_f1"], ""),
                ("  baseline: previous turn", base["previous_turn"]["token_f1"], ""),
            ]

    if not a.skip_speech:
        import emotion_speech

        from insights.emotions import get_emotion_model

        m = get_emotion_model()
        sh = res["speech"] = emotion_speech.speech(m)
        cx = res["context"] = emotion_speech.context(m)
        xt, rt, xc, gc = sh["xed_test"], sh["reccon_test"], sh["xed_cv"], sh["goemotions_cv"]
        rows += [
            ("XED test (held out): Ekman-7 weighted-F1", xt["weighted_f1"], ""),
            ("  macro-F1 / accuracy", f"{xt['macro_f1']:.3f} / {xt['accuracy']:.3f}", ""),
            ("  neutral-vs-emotional F1 (emotional class)", xt["emotional_f1"], ""),
            ("  ECE top group / ECE P(emotional)",
             f"{xt['ece_top_group']:.3f} / {xt['ece_p_emotional']:.3f}", ""),
            ("XED CV (5 folds of the train part): weighted-F1", xc["weighted_f1"], ""),
            ("  macro-F1 / neutral-vs-emotional F1",
             f"{xc['macro_f1']:.3f} / {xc['emotional_f1']:.3f}", ""),
            ("RECCON test conversations (held out): weighted-F1", rt["weighted_f1"], ">= 0.58*"),
            ("  accuracy / macro-F1", f"{rt['accuracy']:.3f} / {rt['macro_f1']:.3f}", ""),
            ("  neutral-vs-emotional F1", rt["emotional_f1"], ""),
            ("  ECE top group / ECE P(emotional)",
             f"{rt['ece_top_group']:.3f} / {rt['ece_p_emotional']:.3f}", ""),
            ("GoEmotions CV (head only; base saw them): Ekman macro-F1",
             gc["ekman_single_group"]["macro_f1"], "0.64"),
            ("  28-label macro-F1", gc["labels_28"]["macro_f1"], "0.46"),
            ("RECCON CV weighted-F1 without / with previous turn",
             f"{cx['without_previous_turn']['weighted_f1']:.3f} / "
             f"{cx['with_previous_turn']['weighted_f1']:.3f}", ""),
        ]  # fmt: skip
        if a.mlss is not None:
            ml = res["mlss"] = emotion_speech.mlss(m, a.mlss)
            hl = ml["hand_labelled"]
            rows += [
                ("MLSS dev: share of participant segments emotional", ml["emotional_share"], ""),
                ("  same, at the emotion floor", ml["emotional_share_at_floor"], ""),
                (f"  people with anger (of {ml['people']}; at the floor)",
                 f"{ml['people_with_anger']} ({ml['people_with_anger_at_floor']})", ""),
                (f"  precision of 'emotional' on {hl['n']} hand-labelled sentences",
                 hl["precision_emotional"] if hl["precision_emotional"] is not None else "-", ""),
                ("  predicted emotional / gold emotional on them",
                 f"{hl['predicted_emotional']} / {hl['gold_emotional']}", ""),
            ]  # fmt: skip

    if not a.skip_speed:
        sp = res["speed"] = speed(a.limit)
        rows += [
            (
                f"emotions, segments/s ({a.threads} threads)",
                sp["emotions_goemotions"]["segments_per_second"],
                "",
            ),
            (
                f"triggers, segments/s ({a.threads} threads)",
                sp["triggers_reccon"]["triggers_segments_per_second"],
                "",
            ),
            (
                "sample study score_emotions, s "
                f"({sp['sample_study_score_emotions']['participant_segments']} segments)",
                sp["sample_study_score_emotions"]["score_emotions_seconds"],
                "",
            ),
        ]

    res["seconds"] = round(time.time() - t_all)
    print()
    print(f"{'measure':60s} {'value':>8s}  target")
    for name, v, ref in rows:
        print(
            f"{name:60s} {v:8.3f}  {ref}"
            if isinstance(v, float) and v < 10
            else f"{name:60s} {v:8}  {ref}"
        )
    # a skipped part keeps its results of the earlier run (named in "kept_from_earlier_run")
    skipped = [
        k
        for k, flag in (
            ("goemotions", a.skip_goemotions),
            ("isear", a.skip_isear),
            ("reccon", a.skip_reccon),
            ("speed", a.skip_speed),
            ("speech", a.skip_speech),
            ("context", a.skip_speech),
        )
        if flag
    ]
    if skipped and a.out.exists():
        old = json.loads(a.out.read_text())
        res.update({k: old[k] for k in skipped if k in old})
        res["kept_from_earlier_run"] = [k for k in skipped if k in old]
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(res, indent=2, default=str) + "\n")
    print(f"-> {a.out} ({res['seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
