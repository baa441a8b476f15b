"""Turn the real transcripts of ../shared/eval into study folders, run as a new user would.

Four studies, none of them about customers (so every intent, driver and "reason to
leave" found in them is a false finding):

- ``mlss``: the 8 MLSS dev interviews (machine-learning practitioners), as they are;
- ``hitsave``: the Hit Save dev interview (Otter markdown) and the podcast once (VTT);
- ``qmsum``: 10 QMSum dev meetings as ``Speaker: text`` transcripts;
- ``survey``: the 54 LLMCode "games as art" dev answers, one CSV transcript per
  respondent (the survey's two questions asked by ``Interviewer``, the two answers by
  the respondent): written experience, full of felt and stated emotion.

The folders are written outside the repository (default ``/tmp/insights-eval-studies``),
never committed: the eval text stays in ../shared/eval.

    python benchmarks/eval_studies.py [--out DIR] [--qmsum 10]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = Path(os.environ.get("INSIGHTS_EVAL_DIR", ROOT.parent / "shared" / "eval"))
DEFAULT_OUT = Path("/tmp/insights-eval-studies")
HITSAVE = (
    "2022_GigaSword_GigaSword_-_Interview_with_Jack_Breen.md",
    "2025_Keitai_update_Spring_2025_Keitai_update_Spring_2025.vtt",
)


def _fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "transcripts").mkdir(parents=True)
    return folder


def mlss(out: Path) -> Path:
    study = _fresh(out / "mlss")
    for f in sorted((EVAL / "transcripts_mlss_interviews" / "raw").glob("*.txt")):
        shutil.copy(f, study / "transcripts" / f.name)
    (study / "study.yaml").write_text(
        "name: MLSS practitioner interviews (dev)\n", encoding="utf-8"
    )
    return study


def hitsave(out: Path) -> Path:
    study = _fresh(out / "hitsave")
    for name in HITSAVE:
        shutil.copy(EVAL / "transcripts_hitsave" / "raw" / name, study / "transcripts" / name)
    (study / "study.yaml").write_text("name: Hit Save interviews (dev)\n", encoding="utf-8")
    return study


def qmsum(out: Path, n: int = 10) -> Path:
    study = _fresh(out / "qmsum")
    with open(EVAL / "qmsum" / "dev.jsonl", encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            if k >= n:
                break
            meeting = json.loads(line)
            text = "\n".join(
                f"{t['speaker']}: {t['content'].strip()}"
                for t in meeting["meeting_transcripts"]
                if t["content"].strip()
            )
            (study / "transcripts" / f"{meeting['id']}.txt").write_text(
                text + "\n", encoding="utf-8"
            )
    (study / "study.yaml").write_text(
        "name: QMSum meetings (dev)\ntranscripts:\n  require_speakers: true\n", encoding="utf-8"
    )
    return study


#: the LLMCode survey's two questions, as its answers' columns
SURVEY_QUESTIONS = {
    "experience": "Describe your experience of playing the game.",
    "why_art": "Why did you experience the game as art?",
}


def survey(out: Path) -> Path:
    study = _fresh(out / "survey")
    with open(EVAL / "llmcode_games_as_art" / "dev.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            with open(study / "transcripts" / f"{row['id']}.csv", "w", newline="") as out_fh:
                w = csv.writer(out_fh)
                w.writerow(["speaker", "text"])
                for column, question in SURVEY_QUESTIONS.items():
                    answer = " ".join((row.get(column) or "").split())
                    if answer:
                        w.writerows([["Interviewer", question], ["Respondent", answer]])
    (study / "study.yaml").write_text(
        'name: Games as art survey (LLMCode dev)\nprovider: []\ninterviewers: ["Interviewer"]\n',
        encoding="utf-8",
    )
    return study


def build(out: Path = DEFAULT_OUT, *, n_qmsum: int = 10) -> dict[str, Path]:
    """Write the four studies under ``out``; return their folders by name."""
    return {
        "mlss": mlss(out),
        "hitsave": hitsave(out),
        "qmsum": qmsum(out, n_qmsum),
        "survey": survey(out),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--qmsum", type=int, default=10, help="meetings of QMSum dev to include")
    args = ap.parse_args()
    for name, folder in build(args.out, n_qmsum=args.qmsum).items():
        print(f"{name}: {folder} ({len(list((folder / 'transcripts').iterdir()))} transcripts)")


if __name__ == "__main__":
    main()
