"""Causes on customer-interview excerpts written for this benchmark (own text, no eval data).

``benchmarks/cause_own_excerpts.jsonl``: 33 short interview and focus-group excerpts
(broadband, energy, banking, delivery, gym, software, ...) written by hand, each with
one or more emotional participant sentences and the cause span a researcher would sign
(in the same sentence, another sentence of the same turn, the interviewer's question,
another member's remark or the speaker's own earlier turn). ``split`` is ``calib`` when
the md5 of the excerpt id is even, else ``report``: choices are made on ``calib``, the
``report`` figures are the ones to quote.

The real pipeline pieces run as ``insights run`` runs them: every excerpt is written as
a ``Speaker: text`` transcript, read and segmented (``build_segments``), participant
segments scored by the emotion model (``score_emotions``), and ``find_triggers`` picks
the causes. Two modes:

* ``pipeline``: the emotion model decides which segments are emotional; a planted pair
  whose sentence it calls neutral is a miss (``found`` says how many it found);
* ``given``: the planted emotions are given (the ``emotion`` column), as RECCON's
  benchmark gives them: the cause decision alone.

A predicted cause scores its SQuAD token-F1 against the planted span when it lies in the
planted cause's turn, else 0; ``recall`` is the share with token-F1 >= 0.5. The
baseline takes the whole emotional sentence as its own cause (0 when the planted cause
lies in an earlier turn). ``earlier`` counts planted causes in an earlier turn found.

    INSIGHTS_EVAL_DIR=../shared/eval .venv/bin/python benchmarks/cause_own_eval.py

writes ``benchmarks/results/cause_own_eval.json`` (``--ranker PATH`` scores another
ranker JSON; ``--out`` another result file).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("INSIGHTS_PROGRESS", "0")

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DATA = REPO / "benchmarks" / "cause_own_excerpts.jsonl"
OUT = REPO / "benchmarks" / "results" / "cause_own_eval.json"
EARLIER = ("interviewer_question", "other_member", "own_earlier_turn")


def load(path: Path = DATA) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def segments_of(excerpts: list[dict]):
    """The segments table of the excerpts, read as ``insights run`` reads transcripts."""
    import pandas as pd

    from insights.segments import build_segments
    from insights.study import read_transcripts

    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for ex in excerpts:
            p = Path(tmp) / f"{ex['id']}.txt"
            p.write_text("".join(f"{t['speaker']}: {t['text']}\n\n" for t in ex["turns"]))
            files.append(p)
        segs = [build_segments(t) for t in read_transcripts(files)]
    return pd.concat(segs, ignore_index=True)


def _overlap(a: str, b: str) -> float:
    from training.train_cause_ranker import normalize_tokens

    x, y = set(normalize_tokens(a)), set(normalize_tokens(b))
    return len(x & y) / max(1, len(x | y))


def locate(segments, excerpts: list[dict]) -> list[dict]:
    """Each planted pair with the segment id of its emotional sentence and turn numbers."""
    pairs = []
    for ex in excerpts:
        seg = segments[segments["transcript_id"].astype(str) == ex["id"]]
        turn_nos = sorted(seg["turn"].unique())
        assert len(turn_nos) == len(ex["turns"]), (ex["id"], len(turn_nos))
        for p in ex["pairs"]:
            own = seg[seg["turn"] == turn_nos[p["turn"]]]
            best = max(own.index, key=lambda i: _overlap(own.at[i, "text"], p["emotion_sentence"]))
            pairs.append(
                {
                    **p,
                    "excerpt": ex["id"],
                    "split": ex["split"],
                    "segment_id": str(own.at[best, "segment_id"]),
                    "sentence": str(own.at[best, "text"]),
                    "turn_no": turn_nos[p["turn"]],
                    "cause_turn_no": turn_nos[p["cause_turn"]],
                }
            )
    return pairs


def run_triggers(segments, pairs, *, mode: str, ranker=None, emotions=None):
    """The triggers table of the excerpts (``mode``: ``pipeline`` or ``given``)."""
    from insights.emotions import get_emotion_model
    from insights.triggers import find_triggers

    model = get_emotion_model()
    seg = segments.copy()
    if mode == "given":
        gold = {p["segment_id"]: p["emotion"] for p in pairs}
        seg["emotion"] = [gold.get(str(s), "neutral") for s in seg["segment_id"]]
        return find_triggers(seg, model=model, ranker=ranker)
    return find_triggers(seg, emotions=emotions, model=model, ranker=ranker)


def score(pairs, triggers, segments) -> list[dict]:
    """Per pair: the first cause of its segment, its token-F1 and the baseline's."""
    from training.train_cause_ranker import token_f1

    turn_of = dict(zip(segments["segment_id"].astype(str), segments["turn"], strict=True))
    first = triggers.drop_duplicates("segment_id").set_index("segment_id")
    rows = []
    for p in pairs:
        sid = p["segment_id"]
        base = token_f1(p["sentence"], p["cause"]) if p["cause_turn"] == p["turn"] else 0.0
        if sid in first.index:
            t = first.loc[sid]
            right_turn = turn_of.get(str(t["cause_segment_id"])) == p["cause_turn_no"]
            f1 = token_f1(str(t["cause_text"]), p["cause"]) if right_turn else 0.0
            found, pred, csid = True, str(t["cause_text"]), str(t["cause_segment_id"])
        else:
            f1, found, pred, csid = 0.0, False, "", ""
        rows.append(
            {**p, "found": found, "pred": pred, "pred_segment": csid, "f1": f1, "base": base}
        )
    return rows


def figures(rows: list[dict]) -> dict:
    import numpy as np

    def m(x):
        return round(float(np.mean(x)), 3) if len(x) else None

    found = [r for r in rows if r["found"]]
    early = [r for r in rows if r["where"] in EARLIER]
    return {
        "pairs": len(rows),
        "found": len(found),
        "recall": m([r["f1"] >= 0.5 for r in rows]),
        "token_f1": m([r["f1"] for r in rows]),
        "baseline_recall": m([r["base"] >= 0.5 for r in rows]),
        "baseline_token_f1": m([r["base"] for r in rows]),
        "recall_found": m([r["f1"] >= 0.5 for r in found]),
        "baseline_recall_found": m([r["base"] >= 0.5 for r in found]),
        "earlier_found": f"{sum(r['f1'] >= 0.5 for r in early)} of {len(early)}",
        "own_turn_recall": m([r["f1"] >= 0.5 for r in rows if r["where"] not in EARLIER]),
        "recall_by_where": {
            w: f"{sum(r['f1'] >= 0.5 for r in rows if r['where'] == w)} of "
            f"{sum(r['where'] == w for r in rows)}"
            for w in sorted({r["where"] for r in rows})
        },
    }


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ranker", type=Path, help="a cause_ranker.json to score instead")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--show", action="store_true", help="print the calib pairs' causes")
    args = ap.parse_args(argv)

    from insights.emotions import get_emotion_model, score_emotions
    from insights.schema import analysed_rows
    from insights.triggers import CauseRanker

    ranker = CauseRanker(path=args.ranker) if args.ranker else None
    excerpts = load()
    segments = segments_of(excerpts)
    pairs = locate(segments, excerpts)
    emotions = score_emotions(analysed_rows(segments), model=get_emotion_model())
    out = {"data": str(DATA.relative_to(REPO)), "ranker": str(args.ranker or "shipped")}
    for mode in ("pipeline", "given"):
        rows = score(
            pairs,
            run_triggers(segments, pairs, mode=mode, ranker=ranker, emotions=emotions),
            segments,
        )
        out[mode] = {s: figures([r for r in rows if r["split"] == s]) for s in ("calib", "report")}
        out[mode]["all"] = figures(rows)
        if args.show and mode == "given":
            for r in rows:
                if r["split"] == "calib":
                    print(
                        f"{r['f1']:.2f} {r['base']:.2f} {r['where']:<20} "
                        f"{r['sentence']!r} -> {r['pred']!r}"
                    )
    print(
        f"{'mode':<9}{'split':<8}{'pairs':>6}{'found':>6}{'recall':>8}{'tokF1':>7}"
        f"{'base':>7}{'baseF1':>8}  earlier"
    )
    for mode in ("pipeline", "given"):
        for s in ("calib", "report", "all"):
            f = out[mode][s]
            print(
                f"{mode:<9}{s:<8}{f['pairs']:>6}{f['found']:>6}{f['recall']:>8}{f['token_f1']:>7}"
                f"{f['baseline_recall']:>7}{f['baseline_token_f1']:>8}  {f['earlier_found']}"
            )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    return out


if __name__ == "__main__":
    main()
