"""Feelings said in idioms, and the same words said of something else: own sentences.

``benchmarks/emotion_idiom_sentences.csv``: sentences written for insights (no eval
text). ``part``: ``tune`` (17 lines, read while :data:`insights.emotions.IDIOM_WORDS` was
written; all say a feeling) or ``held`` (20 idioms of feeling and 12 hard negatives, "I
put the code on the edge server.", written before the rule and read once after).
``expressed``: the Ekman group, or ``none``. A line that says a feeling is right when the
emotions table's ``ekman`` is its group; a ``none`` line when ``ekman`` is neutral or the
segment is approval (left out of counts and triggers)::

    .venv/bin/python benchmarks/emotion_idioms.py

prints a table and writes ``benchmarks/results/emotion_idioms.json``.
"""

from __future__ import annotations

import json
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("INSIGHTS_PROGRESS", "0")

from emotion_speech import REPO  # noqa: E402 (puts the repository on the path)

DATA = REPO / "benchmarks" / "emotion_idiom_sentences.csv"
OUT = REPO / "benchmarks" / "results" / "emotion_idioms.json"


def main() -> dict:
    import pandas as pd

    from insights.emotions import approval_rows, get_emotion_model, score_emotions
    from insights.schema import EMOTION_FLOOR

    d = pd.read_csv(DATA, dtype=str)
    e = score_emotions(d.rename(columns={"id": "segment_id"}), model=get_emotion_model())
    said = d["expressed"] != "none"
    heard = (e["ekman"] != "neutral") & ~approval_rows(e)
    right = (said & (e["ekman"] == d["expressed"])) | (~said & ~heard)
    best = e[[c for c in e.columns if c.startswith("p_") and c != "p_neutral"]].max(axis=1)
    out: dict = {"data": str(DATA.relative_to(REPO)), "floor": EMOTION_FLOOR}
    for part, g in d.groupby("part"):
        i = g.index
        out[part] = {
            "feeling_lines": int(said[i].sum()),
            "right_group": int((right[i] & said[i]).sum()),
            "at_floor": int((right[i] & said[i] & (best[i] >= EMOTION_FLOOR)).sum()),
            "negatives": int((~said[i]).sum()),
            "negatives_neutral": int((right[i] & ~said[i]).sum()),
        }
        f = out[part]
        print(f"{part:<5} feelings heard in their group {f['right_group']} of {f['feeling_lines']}"
              f" ({f['at_floor']} at the floor); negatives neutral "
              f"{f['negatives_neutral']} of {f['negatives']}")  # fmt: skip
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"-> {OUT}")
    return out


if __name__ == "__main__":
    main()
