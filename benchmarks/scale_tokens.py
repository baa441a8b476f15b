"""Where the emotion model's segment pass spends its tokens: would skipping short texts pay?

Prints a table and writes ``benchmarks/results/scale_tokens_<name>.json``.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/scale_tokens.py OUTPUT_FOLDER [--name NAME]

``OUTPUT_FOLDER`` is a run's output (its ``segments.csv``; ``insights run STUDY --skip
codes --skip themes --skip emotions --skip triggers`` makes one in seconds). No network
is run: the analysed segments' texts are cut into the windows the pass reads (the
model's own tokenizer and windows), deduplicated as the pass does (a text is read once
per process) and batched as it batches them (``insights._batches.length_batches``).
It gives the tokens read, the padding, and the share of the tokens in texts of at most
1, 2, 3 and 5 spoken words and in courtesy formulas (the texts a rule could answer
without the network's top): the most a skip of those texts could save of the pass's
CPU time (about proportional to tokens).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
RESULTS = REPO / "benchmarks" / "results"


def budget(texts: list[str]) -> dict:
    """Token figures of the segment pass over ``texts`` (see the module's docstring)."""
    from insights._batches import length_batches
    from insights.emotions import get_emotion_model, is_courtesy
    from insights.schema import spoken_words

    texts = [t for t in texts if t.strip()]
    distinct = list(dict.fromkeys(texts))
    model = get_emotion_model().load()
    windows, owner, _ = model._windows(distinct)
    lengths = np.array([len(w) for w in windows])
    owner = np.asarray(owner)
    batches = length_batches(lengths.tolist(), model.batch_size)
    read = int(sum(len(rows) * width for rows, width in batches))
    words = np.array([len(spoken_words(t).split()) for t in distinct])
    total = int(lengths.sum())
    out = {
        "rows": len(texts),
        "distinct_texts": len(distinct),
        "windows": len(windows),
        "tokens": total,
        "tokens_read": read,
        "padding_share": round(1 - total / read, 4),
        "batches": len(batches),
    }
    for k in (1, 2, 3, 5):
        short = words <= k
        out[f"texts_upto_{k}_words"] = int(short.sum())
        out[f"token_share_upto_{k}_words"] = round(float(lengths[short[owner]].sum()) / total, 4)
    courtesy = np.array([is_courtesy(t) for t in distinct])
    out["courtesy_texts"] = int(courtesy.sum())
    out["token_share_courtesy"] = round(float(lengths[courtesy[owner]].sum()) / total, 4)
    return out


def main() -> None:
    import pandas as pd

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("output", type=Path)
    ap.add_argument("--name", default=None)
    args = ap.parse_args()
    from insights.schema import analysed_rows

    segments = pd.read_csv(args.output / "segments.csv")
    text = analysed_rows(segments)["text"].dropna().astype(str).tolist()  # what the pass reads
    res = budget(text)
    name = args.name or args.output.parent.name
    for k, v in res.items():
        print(f"{k:28s} {v}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"scale_tokens_{name}.json"
    path.write_text(json.dumps({"study": name, **res}, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
