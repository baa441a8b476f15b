"""Intent on the blind batch of issue 12's third round: written and labelled before any run.

``benchmarks/intent_labels_blind.csv`` holds 300 sentences labelled before the detector
ran on any of them: 170 customer-like sentences written for it
(``intent_own_blind.csv``: spoken, hedged, first person and reported, done / intended /
conditional, every intent in words the cues did not have, and hard negatives such as
"I stayed on the line", "don't make me threaten to leave") and 130 real segments of the
eval studies (MLSS, Hit Save, QMSum dev) with an intent-like word and no relationship
intent. Split by group (:func:`intent_data.blind_split`) into:

* ``read`` — its errors may be read (``--errors``) and rule classes written on them, so
  its figures are tuned-on once that has happened;
* ``report`` — only aggregate figures are printed, never its sentences.

    INSIGHTS_EVAL_DIR=/work/shared/eval .venv/bin/python benchmarks/intent_blind.py
    ... benchmarks/intent_blind.py --errors   # print the read half's errors
    ... benchmarks/intent_blind.py --frozen   # write the figures as intent_blind_frozen.json
    ... benchmarks/intent_blind.py --batch 2  # the second blind batch (intent_blind2*.json)

The second blind batch (issue 12, fourth round; ``intent_labels_blind2.csv``,
``intent_own_blind2.csv``, :func:`intent_data.blind2`) holds 350 sentences labelled
before the detector ran on any of them (commit 0e62cb7): 241 spoken customer-like
sentences written for it (long, hedged, fillers; done / intended / conditional /
reported; hard negatives such as technical *switch*, *leave it*, *recommend a setting*,
reported advice, hypotheticals) and 109 real segments with a cue word (MLSS, Hit Save
and QMSum dev study segments not in the earlier sets, and sentences of QMSum dev
meetings 11-66), all without a relationship intent. Its halves are split with their own
salt (:func:`intent_data.blind2_split`).

The fourth blind batch (issue 12, s9; ``intent_labels_blind4.csv``,
``intent_own_blind4.csv``, :func:`intent_data.blind4`) holds 242 spoken customer-like
sentences written and labelled before the detector ran on them, in new domains (car and
pet insurance, mobile network, streaming, council services, airline loyalty,
coworking): leave 44, stay 29, recommend 19, warn_others 13, none 137, with the
families that missed before (intransitive "I'm switching", ellipsis "Still with them,
twelve years now", idioms "I'm out", "that was the last straw, I left") and hard
negatives in the same words ("I'm out of the office Fridays", "never again will I fly
overnight", "that was the last straw, I rang them"). ``--batch 4`` halves by
:func:`intent_data.blind4_split`.

The fifth blind batch (issue 12, s12; ``intent_labels_blind5.csv``,
``intent_own_blind5.csv``, :func:`intent_data.blind5`) holds 208 spoken sentences written
and labelled in one sitting before the detector ran on them or its cues were read
(gyms, banks, software subscriptions, meal kits, insurance, phone plans, streaming, a
bike shop): leave 48, stay 29, recommend 22, warn_others 11, none 98, with done /
intended / conditional / reported kinds, other people's reports, hedges and fillers,
and hard negatives (technical switch / leave / stick / recommend, *leave it*, a
*recommender*, advice to the interviewer, hypotheticals about other customers, a
provider recommending something to the speaker). ``--batch 5`` halves them by
:func:`intent_data.blind5_split`; both halves stay unread (scored once, at the end).

The sixth blind batch (issue 12, s13; ``intent_labels_blind6.csv``,
``intent_own_blind6.csv``, :func:`intent_data.blind6`) holds 283 spoken sentences written
and labelled in one sitting before the detector ran on them (energy, broadband, dentists,
vets, nurseries, garages, pensions, letting agents, payroll and hosting): leave 57,
stay 39, recommend 58, warn_others 17, none 112, many positives without the usual cue
words ("we've gone over to Octopus", "I put my neighbour onto the window cleaner",
"they've got me for life") and hard negatives ("just look around" at a view, "I left
them behind on the train", "I left the car with the garage", technical switch / stick /
recommender, interviewer questions, speculation about other customers); and 84 real
segments with a cue-like word, all without a relationship intent (Hit Save, QMSum and
survey study segments not in the earlier sets, sentences of QMSum dev meetings 11-66).
``--batch 6`` halves them by :func:`intent_data.blind6_split`.

The seventh blind batch (issue 12, s14; ``intent_labels_blind7.csv``,
``intent_own_blind7.csv``, :func:`intent_data.blind7`) holds 259 spoken sentences written
and labelled in one sitting before the detector ran on them (cloud storage, phone
numbers, banks, subscriptions, opticians, groomers, tradespeople, clubs): leave 67,
stay 33, recommend 58, warn_others 20, none 81, most positives without the usual cue
words ("we moved everything over to Dropbox", "I gave them up", "cancelled the direct
debit", "ported my number", "sang their praises", "put a good word in for the builder")
and hard negatives in the same words ("moved everything over to the new server", "gave
up sugar", "ported the code", "put a good word in for my nephew"); and 63 real segments
with a cue-like word, all without a relationship intent (the 23 MLSS, Hit Save and
QMSum dev study segments no earlier batch had, and 40 sentences of QMSum dev meetings
11-66). ``--batch 7`` halves them by :func:`intent_data.blind7_split`.

Writes ``benchmarks/results/intent_blind.json`` (``intent_blind2.json`` for batch 2).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "benchmarks"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import intent_data  # noqa: E402
from intent_fresh import part_figures, print_errors, print_figures, proposals  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
OUT = RESULTS / "intent_blind.json"
#: the figures of the detector as it was when the batch was labelled (before any change)
FROZEN = ROOT / "benchmarks" / "results" / "intent_blind_frozen.json"


def main() -> None:
    from insights.embed import get_embedder

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true", help="print the read half's errors")
    ap.add_argument("--frozen", action="store_true", help="write the figures as the frozen ones")
    ap.add_argument(
        "--batch", type=int, choices=(1, 2, 3, 4, 5, 6, 7), default=1, help="which blind batch"
    )
    args = ap.parse_args()
    batch = {
        1: intent_data.blind,
        2: intent_data.blind2,
        3: intent_data.blind3,
        4: intent_data.blind4,
        5: intent_data.blind5,
        6: intent_data.blind6,
        7: intent_data.blind7,
    }[args.batch]()
    df = proposals(batch, get_embedder())
    res = {"sizes": df.groupby(["split", "intent"]).size().unstack(fill_value=0).to_dict("index")}
    for name in ("read", "report"):
        res[name] = part_figures(df[df["split"] == name])
    res["notes"] = (
        "Blind batch labelled before the detector ran on it; read: errors read with "
        "--errors after the frozen figures were written (tuned-on from then); report: "
        "aggregate figures only."
    )
    out = FROZEN if args.frozen else OUT
    if args.batch > 1:
        out = RESULTS / out.name.replace("intent_blind", f"intent_blind{args.batch}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    print_figures(res, ("read", "report"))
    if args.errors:
        print_errors(df[df["split"] == "read"])
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
