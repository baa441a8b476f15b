"""Are felt emotions counted in written accounts of an experience? The LLMCode survey, by hand.

The 54 "games as art" dev answers (``benchmarks/eval_studies.py``: ``survey``) are
written experience, full of felt and stated emotion ("I cried.", "the sky took my breath
away") and of praise of a thing that states no feeling ("The sound design is
fantastic"). ``benchmarks/emotion_survey_labels.csv`` (segment ids and labels only, no
text; labelled by the lead, from the text alone, before any change was measured on it)
holds:

- ``candidate``: every participant segment that main at ``1e6a01c`` gave an emotion
  (Ekman group not neutral) or noted as approval: 159 segments, a census;
- ``neutral``: 40 of the 228 segments main called neutral (lowest md5 of the id), to
  estimate the feelings the model misses entirely (weighted by 228 / 40).

Labels: ``feeling`` (the speaker states or shows their own feeling: "It made me feel
contemplative, happy, sad", "I loved the character designs", "I felt nothing but awe"),
``praise`` (praise or judgement of a thing, no feeling of the speaker's stated: "The
graphics were also artistically done and beautiful"), ``other`` (description, opinion,
a character's feelings).

For a run's ``emotions.csv`` it prints, per label, how many segments the report counts as
an emotion (``insights.summarize.emotion_labels``: the confidence floor, approval left
out) and the precision / recall of "counted" against ``feeling``, and people with a
counted emotion against people with a feeling. ``praise`` counted is a policy, reported
apart: in a customer study, praise of the service is the evidence for delight.

    python benchmarks/emotion_survey_eval.py --outputs DIR/output [--key K]
    python benchmarks/emotion_survey_eval.py               # build the study, run it (~1 min)

Writes ``benchmarks/results/emotion_survey_eval.json`` (a key per run).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "benchmarks" / "emotion_survey_labels.csv"
RESULTS = ROOT / "benchmarks" / "results" / "emotion_survey_eval.json"
#: main's neutral participant segments, of which the ``neutral`` sample is 40
NEUTRAL_TOTAL = 228


def score(output: Path) -> dict:
    from insights.summarize import emotion_labels

    labels = pd.read_csv(LABELS)
    emotions = pd.read_csv(output / "emotions.csv")
    counted = set(emotion_labels(emotions)["segment_id"].astype(str))
    n_neutral = int((labels["sample"] == "neutral").sum())
    weight = labels["sample"].map({"candidate": 1.0, "neutral": NEUTRAL_TOTAL / n_neutral})
    labels = labels.assign(counted=labels["segment_id"].astype(str).isin(counted), w=weight)
    rows = {}
    for lab, grp in labels.groupby("label"):
        rows[lab] = {
            "segments": len(grp),
            "weighted": round(float(grp["w"].sum()), 1),
            "counted": int(grp["counted"].sum()),
            "counted_weighted": round(float(grp.loc[grp["counted"], "w"].sum()), 1),
        }
    feel = labels["label"] == "feeling"
    hit = float(labels.loc[feel & labels["counted"], "w"].sum())
    n_counted = float(labels.loc[labels["counted"], "w"].sum())
    person = labels["segment_id"].str.split("-").str[0]  # one respondent per transcript
    felt = set(person[feel])
    heard = set(person[labels["counted"]])
    return {
        "by_label": rows,
        "precision_counted_is_feeling": round(hit / n_counted, 3) if n_counted else None,
        "precision_counted_is_feeling_or_praise": round(
            float(labels.loc[labels["counted"] & (labels["label"] != "other"), "w"].sum())
            / n_counted,
            3,
        )
        if n_counted
        else None,
        "recall_of_feeling": round(hit / float(labels.loc[feel, "w"].sum()), 3),
        "people_with_a_feeling": len(felt),
        "people_counted": len(heard),
        "people_counted_with_a_feeling": len(heard & felt),
    }


def run_study() -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import eval_studies

    study = eval_studies.survey(Path(tempfile.mkdtemp(prefix="survey-eval-")))
    subprocess.run([sys.executable, "-m", "insights.cli", "run", str(study)], check=True, cwd=ROOT)
    return study / "output"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--outputs", type=Path, help="an output folder of the survey study")
    ap.add_argument("--key", default="this tree")
    args = ap.parse_args()
    res = score(args.outputs or run_study())
    print(f"{'label':8} {'segments':>8} {'counted':>8}  (weighted: of, counted)")
    for lab, r in res["by_label"].items():
        print(
            f"{lab:8} {r['segments']:8} {r['counted']:8}  ({r['weighted']}, "
            f"{r['counted_weighted']})"
        )
    print(
        f"counted is a feeling: precision {res['precision_counted_is_feeling']} "
        f"(feeling or praise {res['precision_counted_is_feeling_or_praise']}); "
        f"recall of feelings {res['recall_of_feeling']}; people counted "
        f"{res['people_counted']} ({res['people_counted_with_a_feeling']} with a feeling) "
        f"of {res['people_with_a_feeling']} with a feeling"
    )
    old = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    old[args.key] = res
    RESULTS.write_text(json.dumps(old, indent=2) + "\n")


if __name__ == "__main__":
    main()
