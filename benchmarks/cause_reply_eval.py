"""Replies whose cause lies in the turn before: own dialogues, tune and held parts.

``benchmarks/cause_reply_dialogues.jsonl``: 33 short interview and focus-group dialogues
written for insights (no eval text), each with one emotional line (the last one with an
emotion) and ``cause_line``, the line its cause lies in. Most are replies that answer
the turn before ("Honestly, furious." after "How did you feel when ...?", "Same here, I
was fuming." or "Honestly, that's diabolical." after another member's story, fillers such
as "Mm." before the feeling); a few carry their own cause and must keep it. ``part``:
``tune`` (read while the rules were written: the 21 lines of r1 and r2) or ``held``
(r3, written before the last rule was chosen and read once after). Lines of one speaker
in a row are sentences of one turn, as ``insights run`` segments them.

Emotions are given (the cause decision alone); the shipped ranker and the spaCy parse run
as in ``insights run``. A dialogue is right when the first cause's segment is the
``cause_line``::

    INSIGHTS_EVAL_DIR=../shared/eval .venv/bin/python benchmarks/cause_reply_eval.py

prints a table and writes ``benchmarks/results/cause_reply_eval.json``.
"""

from __future__ import annotations

import json

from cause_own_eval import REPO  # offline settings and the repository on the path

DATA = REPO / "benchmarks" / "cause_reply_dialogues.jsonl"
OUT = REPO / "benchmarks" / "results" / "cause_reply_eval.json"


def segments(dialogues: list[dict]):
    """One row per line; a speaker's lines in a row share a turn."""
    import pandas as pd

    rows = []
    for d in dialogues:
        turn = 0
        for k, line in enumerate(d["lines"]):
            turn += k > 0 and line["speaker"] != d["lines"][k - 1]["speaker"]
            rows.append(
                {"segment_id": f"{d['id']}-{k}", "transcript_id": d["id"], "turn": turn, **line}
            )
    return pd.DataFrame(rows)


def main() -> dict:
    import pandas as pd

    from insights.emotions import get_emotion_model
    from insights.triggers import find_triggers

    dialogues = [json.loads(x) for x in DATA.read_text().splitlines() if x.strip()]
    no_intents = pd.DataFrame(columns=["segment_id", "intent", "confidence"])
    trig = find_triggers(segments(dialogues), model=get_emotion_model(), intents=no_intents)
    first = trig.drop_duplicates("segment_id").set_index("segment_id")["cause_segment_id"]
    out: dict = {"data": str(DATA.relative_to(REPO))}
    for part in ("tune", "held"):
        ds = [d for d in dialogues if d["part"] == part]
        right = []
        for d in ds:
            k = max(j for j, line in enumerate(d["lines"]) if line["emotion"] != "neutral")
            right.append(first.get(f"{d['id']}-{k}") == f"{d['id']}-{d['cause_line']}")
        wrong = [d["id"] for d, r in zip(ds, right, strict=True) if not r]
        out[part] = {"dialogues": len(ds), "cause_in_the_right_line": int(sum(right)),
                     "wrong": wrong}  # fmt: skip
        print(f"{part:<5} {sum(right)} of {len(ds)} causes in the right line")
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"-> {OUT}")
    return out


if __name__ == "__main__":
    main()
