"""Emotion causes on RECCON dev, split by conversation into tune and held-out parts.

Called by ``benchmarks/emotions_eval.py`` (section 3); runs alone too and writes
``benchmarks/results/cause_eval.json``::

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/cause_eval.py

The split: a conversation is ``tune`` when the md5 of its id is even, else ``held``
(the same halves as ``training/train_emotion_calibration.py``'s calibration and test
conversations; 223 and 122 conversations, since the dev split itself is md5 % 10 < 3).
Every choice of the cause decision (the where model's weight and threshold, the
whole-segment fallback margin, the ranker's objective) was made by 5-fold cross-validation
on ``tune`` and on the calib half of ``cause_own_eval.py``'s excerpts; errors were read
there only. The held-out figures come from a ranker, own-cause and
where model fit on ``tune`` and applied to ``held`` through ``find_triggers`` (gold
emotions). The shipped ``cause_ranker.json`` is fit on all of dev, so it has seen
``held``: it is not scored here.

Every figure sits next to two baselines: the whole emotional utterance as its own
cause, and the whole previous turn (the utterance itself when there is none). Slices:
utterances whose gold cause includes the utterance itself (``own``) and those whose
gold cause lies only in other turns (``other``). Token-F1 is SQuAD-style against the
best gold span of the predicted turn (0 when the turn is wrong); ``recall_at_0.5`` is
the share with token-F1 >= 0.5 (the customer study's cause recall).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("INSIGHTS_PROGRESS", "0")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
EVAL = Path(os.environ.get("INSIGHTS_EVAL_DIR", REPO.parent / "shared" / "eval"))
OUT = REPO / "benchmarks" / "results" / "cause_eval.json"


def part_of(conversation_id: str) -> str:
    """``tune`` or ``held`` by the md5 of the conversation id."""
    return "tune" if int(hashlib.md5(conversation_id.encode()).hexdigest(), 16) % 2 == 0 else "held"


def figures(picks: dict, gold: dict, rows: list[str]) -> dict:
    """Turn accuracy, token-F1 and recall at 0.5, overall and on the own / other slices.

    ``picks`` maps segment_id -> (cause segment_id, cause text).
    """
    from training.train_cause_ranker import own_cause_in_gold, score_prediction

    ok, f1, own = [], [], []
    for s in rows:
        c, text = picks.get(s, (None, ""))
        a, b = score_prediction(c, text, gold[s])
        ok.append(a)
        f1.append(b)
        own.append(own_cause_in_gold(s, gold[s]))
    ok, f1, own = np.array(ok, float), np.array(f1, float), np.array(own, bool)

    def m(x):
        return round(float(x.mean()), 4) if len(x) else None

    return {
        "n": len(rows),
        "turn_accuracy": m(ok),
        "token_f1": m(f1),
        "recall_at_0.5": m(f1 >= 0.5),
        "own": {"n": int(own.sum()), "token_f1": m(f1[own]), "turn_accuracy": m(ok[own])},
        "other": {"n": int((~own).sum()), "token_f1": m(f1[~own]), "turn_accuracy": m(ok[~own])},
    }


def baselines(segments, gold: dict, rows: list[str]) -> dict:
    """The whole-utterance and previous-turn baselines of ``rows``."""
    from insights.triggers import previous_turn_rows

    ids = segments["segment_id"].tolist()
    texts = segments["text"].tolist()
    prev = previous_turn_rows(segments["transcript_id"].tolist(), segments["turn"].tolist())
    row = {s: i for i, s in enumerate(ids)}
    whole = {s: (s, texts[row[s]]) for s in rows}
    before = {
        s: (ids[prev[row[s]]], texts[prev[row[s]]]) if prev[row[s]] is not None else whole[s]
        for s in rows
    }
    return {
        "whole_utterance": figures(whole, gold, rows),
        "previous_turn": figures(before, gold, rows),
    }


def _ratio(fig: dict, base: dict) -> dict:
    return {
        k: round(fig[k] / base[k], 3) if base[k] else None
        for k in ("token_f1", "recall_at_0.5", "turn_accuracy")
    }


def _picks(triggers) -> dict:
    best = triggers.drop_duplicates("segment_id", keep="first")
    return {
        str(s): (str(c), str(t))
        for s, c, t in zip(
            best["segment_id"], best["cause_segment_id"], best["cause_text"], strict=True
        )
    }


def tune_held(segments, gold, feats, inputs, *, embedder, nlp, log=print) -> dict:
    """The tune / held-out report: baselines, the previous design and this one."""
    from insights.triggers import CauseRanker, find_triggers
    from training.train_cause_ranker import WHERE_SETTINGS, fit_cause_model

    ids = segments["segment_id"].tolist()
    tids = segments["transcript_id"].tolist()
    parts = np.array([part_of(t) for t in tids])
    rows = {
        p: [s for s, q in zip(ids, parts, strict=True) if q == p and gold.get(s)]
        for p in ("tune", "held")
    }
    out: dict = {
        "split": "md5(conversation id) even: tune, odd: held",
        "conversations": {
            p: int(len({t for t, q in zip(tids, parts, strict=True) if q == p}))
            for p in ("tune", "held")
        },
        "settings_chosen_on_tune": WHERE_SETTINGS,
    }
    for p in ("tune", "held"):
        out[f"{p}_baselines"] = baselines(segments, gold, rows[p])
    t = time.perf_counter()
    train = [i for i, s in enumerate(ids) if parts[i] == "tune" and gold.get(s) and i in feats]
    w, own, fallback, where = fit_cause_model(
        segments, feats, gold, inputs, train, fallback=WHERE_SETTINGS["fallback"]
    )
    held = segments[parts == "held"].reset_index(drop=True)
    designs = {
        "previous_design": CauseRanker(w, own_model=own, fallback=None),
        "where_decision_only": CauseRanker(w, own_model=own, fallback=None, where=where),
        "whole_segment_fallback_only": CauseRanker(w, own_model=own, fallback=fallback),
        "this_design": CauseRanker(w, own_model=own, fallback=fallback, where=where),
    }
    base = out["held_baselines"]
    for name, ranker in designs.items():
        trig = find_triggers(held, ranker=ranker, embedder=embedder, nlp=nlp)
        fig = figures(_picks(trig), gold, rows["held"])
        fig["ratio_to_whole_utterance"] = _ratio(fig, base["whole_utterance"])
        fig["ratio_to_previous_turn"] = _ratio(fig, base["previous_turn"])
        out[f"held_{name}"] = fig
        log(
            f"  RECCON held-out, {name}: token-F1 {fig['token_f1']:.3f} "
            f"(whole utterance {base['whole_utterance']['token_f1']:.3f}, previous turn "
            f"{base['previous_turn']['token_f1']:.3f}), turn accuracy {fig['turn_accuracy']:.3f}"
        )
    out["seconds"] = round(time.perf_counter() - t, 1)
    return out


def main(argv: list[str] | None = None) -> int:
    import torch

    from insights.embed import get_embedder
    from insights.nlp import load_spacy
    from training.train_cause_ranker import featurize_reccon, own_cause_inputs, read_reccon

    torch.set_num_threads(2)
    segments, gold = read_reccon(EVAL / "reccon" / "dev.jsonl")
    emb = get_embedder()
    nlp = load_spacy(exclude=("ner", "lemmatizer"))
    feats = featurize_reccon(segments, model=None, embedder=emb, nlp=nlp)
    ids = segments["segment_id"].tolist()
    inputs = own_cause_inputs(segments, emb, [r for r in feats if gold.get(ids[r])])
    res = tune_held(segments, gold, feats, inputs, embedder=emb, nlp=nlp)
    OUT.write_text(json.dumps(res, indent=2) + "\n")
    print(f"-> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
