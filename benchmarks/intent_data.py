"""The intent labelled set: rebuild each labelled sentence's text from its id.

``benchmarks/intent_labels.csv`` holds only ``source, id, intent, kind``; the text is
read again from ``../shared/eval`` (MLSS and Hit Save interviews, QMSum meetings,
SemEval-2016 restaurant reviews, GoEmotions Reddit comments), from the bundled sample
study, or from ``benchmarks/intent_own_sentences.csv`` (sentences written for the set).
Ids:

* ``sample:<segment_id>``, ``mlss:<file>:<segment_id>``, ``hitsave:<file>:<segment_id>``,
  ``qmsum:<file>:<segment_id>`` — segments of :func:`insights.study.read_study` (the eval
  transcripts are copied into a temporary study folder by ``benchmarks/eval_studies.py``);
* ``semeval:<sentence id>``, ``goemotions:<comment id>``, ``own:<n>``.

The fresh batch (``intent_labels_fresh.csv``, :func:`fresh`) was labelled blind after
the rules were frozen, from sentences no rule was written on; its ``calib`` half fits
the calibration, its ``report`` half is only measured. The blind batch
(``intent_labels_blind.csv``, :func:`blind`) was written and labelled the same way a
round later: its ``read`` half's errors may be read, its ``report`` half's never.

Each sentence has a ``group`` (its transcript, review, comment or own sentence) and a
``split``: ``tune`` when ``md5(group) % 10 < 7``, else ``held_out``, so one interview,
meeting or review is never in both parts.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
EVAL = Path(os.environ.get("INSIGHTS_EVAL_DIR", ROOT.parent / "shared" / "eval"))
LABELS = ROOT / "benchmarks" / "intent_labels.csv"
OWN = ROOT / "benchmarks" / "intent_own_sentences.csv"
#: a second annotator's blind labels of 150 random labelled sentences (``id, intent, kind``)
SECOND = ROOT / "benchmarks" / "intent_labels_second.csv"
#: the fresh batch, labelled blind after the rules were frozen (``source, id, intent, kind``)
FRESH = ROOT / "benchmarks" / "intent_labels_fresh.csv"
#: the fresh batch's own sentences (``n, text``; ids ``ownf:<n>``)
OWN_FRESH = ROOT / "benchmarks" / "intent_own_fresh.csv"
#: the blind batch of issue 12's third round (``source, id, intent, kind``): labelled before
#: the detector ran on any of it; own sentences ``ownb:<n>`` and real eval segments
BLIND = ROOT / "benchmarks" / "intent_labels_blind.csv"
#: the blind batch's own sentences (``n, text``)
OWN_BLIND = ROOT / "benchmarks" / "intent_own_blind.csv"
#: the second blind batch (issue 12, fourth round): labelled before the detector ran on it
BLIND2 = ROOT / "benchmarks" / "intent_labels_blind2.csv"
#: the second blind batch's own sentences (``n, text``; ids ``ownc:<n>``)
OWN_BLIND2 = ROOT / "benchmarks" / "intent_own_blind2.csv"
#: the third blind batch (issue 12, s8; ``source, id, intent, kind``; ids ``ownd:<n>``)
BLIND3 = ROOT / "benchmarks" / "intent_labels_blind3.csv"
#: the third blind batch's own sentences (``n, text``), written before the code was read
OWN_BLIND3 = ROOT / "benchmarks" / "intent_own_blind3.csv"
#: the fourth blind batch (issue 12, s9; ``source, id, intent, kind``; ids ``owne:<n>``)
BLIND4 = ROOT / "benchmarks" / "intent_labels_blind4.csv"
#: the fourth blind batch's own sentences (``n, text``), labelled before the detector ran
OWN_BLIND4 = ROOT / "benchmarks" / "intent_own_blind4.csv"
#: the fifth blind batch (issue 12, s12; ``source, id, intent, kind``; ids ``owng:<n>``)
BLIND5 = ROOT / "benchmarks" / "intent_labels_blind5.csv"
#: the fifth blind batch's own sentences (``n, text``), labelled as written, before any run
OWN_BLIND5 = ROOT / "benchmarks" / "intent_own_blind5.csv"
#: the sixth blind batch (issue 12, s13; ``source, id, intent, kind``; ids ``ownh:<n>`` and
#: real segments of the eval studies, QMSum dev meetings 11-66 and the survey)
BLIND6 = ROOT / "benchmarks" / "intent_labels_blind6.csv"
#: the sixth blind batch's own sentences (``n, text``), labelled as written, before any run
OWN_BLIND6 = ROOT / "benchmarks" / "intent_own_blind6.csv"
#: the seventh blind batch (issue 12, s14; ``source, id, intent, kind``; ids ``owni:<n>`` and
#: real segments of the MLSS, Hit Save and QMSum eval studies and QMSum dev meetings 11-66)
BLIND7 = ROOT / "benchmarks" / "intent_labels_blind7.csv"
#: the seventh blind batch's own sentences (``n, text``), labelled as written, before any run
OWN_BLIND7 = ROOT / "benchmarks" / "intent_own_blind7.csv"
TRANSCRIPT_SOURCES = ("sample", "mlss", "hitsave", "qmsum")


def split_of(group: str) -> str:
    """``tune`` for about 70% of groups (by md5), else ``held_out``."""
    return "tune" if int(hashlib.md5(group.encode()).hexdigest(), 16) % 10 < 7 else "held_out"


def study_segments(name: str, folder: Path | None = None) -> pd.DataFrame:
    """The analysed segments of one study (``sample``, ``mlss``, ``hitsave``, ``qmsum``).

    Columns ``id`` (as in the labels), ``group`` (source:file), ``text``, ``n_words``.
    """
    from insights.schema import analysed_rows
    from insights.study import load_study, read_study

    if name == "sample":
        path = ROOT / "data" / "sample_study"
    else:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import eval_studies

        out = Path(folder or tempfile.mkdtemp(prefix="intent-eval-"))
        path = getattr(eval_studies, name)(out)
    seg, _, _ = read_study(load_study(path))
    seg = analysed_rows(seg)
    files = seg["source"].astype(str).map(lambda s: Path(s).name)
    sid = seg["segment_id"].astype(str)
    ids = ("sample:" + sid) if name == "sample" else (f"{name}:" + files + ":" + sid)
    return pd.DataFrame(
        {
            "id": ids.tolist(),
            "group": (f"{name}:" + files).tolist(),
            "text": seg["text"].astype(str).tolist(),
            "n_words": seg["text"].astype(str).str.split().str.len().tolist(),
        }
    )


def other_texts() -> pd.DataFrame:
    """SemEval, GoEmotions and own sentences: ``id, group, text``."""
    rows = []
    with open(EVAL / "semeval16_restaurants" / "dev.jsonl", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            rows.append((f"semeval:{d['id']}", f"semeval:{d['review_id']}", d["text"]))
    ge = pd.read_csv(EVAL / "goemotions" / "dev.csv", dtype=str)
    rows += [
        (f"goemotions:{i}", f"goemotions:{i}", t) for i, t in zip(ge["id"], ge["text"], strict=True)
    ]
    if OWN.exists():
        own = pd.read_csv(OWN, dtype=str)
        rows += [(f"own:{n}", f"own:{n}", t) for n, t in zip(own["n"], own["text"], strict=True)]
    return pd.DataFrame(rows, columns=["id", "group", "text"])


def all_texts() -> pd.DataFrame:
    """Every sentence a label may point to: ``id, group, text``."""
    with tempfile.TemporaryDirectory(prefix="intent-eval-") as tmp:
        frames = [study_segments(n, Path(tmp)) for n in TRANSCRIPT_SOURCES]
    frames.append(other_texts())
    return pd.concat([f[["id", "group", "text"]] for f in frames], ignore_index=True)


def fresh_texts() -> pd.DataFrame:
    """Texts of the fresh batch's sources the main set does not use: ``id, group, text``.

    ``qmsumx:<meeting>:<turn>:<sentence>`` (QMSum dev meetings after the first ten, which
    the eval study holds), ``xed:<id>`` (XED English subtitle lines), ``ownf:<n>``.
    """
    rows = []
    with open(EVAL / "qmsum" / "dev.jsonl", encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            if k < 10:
                continue
            m = json.loads(line)
            for t, turn in enumerate(m["meeting_transcripts"]):
                for j, sent in enumerate(re.split(r"(?<=[.!?])\s+", turn["content"].strip())):
                    rows.append((f"qmsumx:{m['id']}:{t}:{j}", f"qmsumx:{m['id']}", sent))
    xed = pd.read_csv(EVAL / "xed_en" / "train.csv", dtype=str, keep_default_na=False)
    rows += [(f"xed:{i}", f"xed:{i}", t) for i, t in zip(xed["id"], xed["text"], strict=True)]
    own = pd.read_csv(OWN_FRESH, dtype=str)
    rows += [(f"ownf:{n}", f"ownf:{n}", t) for n, t in zip(own["n"], own["text"], strict=True)]
    return pd.DataFrame(rows, columns=["id", "group", "text"])


def half(salt: str, group: str, first: str = "read", second: str = "report") -> str:
    """``first`` or ``second`` for half the groups each, by the md5 of ``salt:group``."""
    return first if int(hashlib.md5(f"{salt}:{group}".encode()).hexdigest(), 16) % 2 else second


def fresh_split(group: str) -> str:
    """``calib`` (the Platt calibration is fit on it) or ``report`` for half the groups each."""
    return half("fresh", group, "calib")


def fresh() -> pd.DataFrame:
    """The fresh batch with its text, group and split (``calib`` / ``report``)."""
    lab = pd.read_csv(FRESH, dtype=str, keep_default_na=False)
    with tempfile.TemporaryDirectory(prefix="intent-eval-") as tmp:
        frames = [study_segments(n, Path(tmp)) for n in ("mlss", "hitsave")]
    frames += [other_texts(), fresh_texts()]
    texts = pd.concat([f[["id", "group", "text"]] for f in frames], ignore_index=True)
    return _with_texts(lab, texts, "fresh", fresh_split)


def blind_split(group: str) -> str:
    """``read`` (errors may be read and rules written on it) or ``report`` (never read)."""
    return half("blind", group)


def blind() -> pd.DataFrame:
    """The blind batch with its text, group and split (``read`` / ``report``).

    Own sentences are each their own group; a real segment's group is its transcript,
    so one interview or meeting is never in both halves.
    """
    lab = pd.read_csv(BLIND, dtype=str, keep_default_na=False)
    with tempfile.TemporaryDirectory(prefix="intent-eval-") as tmp:
        frames = [study_segments(n, Path(tmp)) for n in ("mlss", "hitsave", "qmsum")]
    own = pd.read_csv(OWN_BLIND, dtype=str)
    frames.append(
        pd.DataFrame({"id": "ownb:" + own["n"], "group": "ownb:" + own["n"], "text": own["text"]})
    )
    texts = pd.concat([f[["id", "group", "text"]] for f in frames], ignore_index=True)
    return _with_texts(lab, texts, "blind", blind_split)


def blind2_split(group: str) -> str:
    """``read`` or ``report`` for half the groups each (its own salt, not :func:`blind_split`)."""
    return half("blind2", group)


def blind2() -> pd.DataFrame:
    """The second blind batch with its text, group and split (``read`` / ``report``).

    Own sentences (``ownc:<n>``) are each their own group; a real segment's group is its
    transcript or meeting (``qmsumx:<meeting>`` for QMSum dev meetings 11-66).
    """
    return _real_and_own(BLIND2, OWN_BLIND2, "ownc", ("mlss", "hitsave", "qmsum"), "blind2")


def _real_and_own(labels: Path, own_path: Path, prefix: str, studies, what: str) -> pd.DataFrame:
    """A blind batch of real segments (``studies`` and QMSum dev meetings 11-66) and own
    sentences (``<prefix>:<n>``, each its own group), split by :func:`<what>_split`."""
    lab = pd.read_csv(labels, dtype=str, keep_default_na=False)
    with tempfile.TemporaryDirectory(prefix="intent-eval-") as tmp:
        frames = [study_segments(n, Path(tmp)) for n in studies]
    qx = fresh_texts()
    frames.append(qx[qx["id"].str.startswith("qmsumx:")])
    own = pd.read_csv(own_path, dtype=str)
    ids = prefix + ":" + own["n"]
    frames.append(pd.DataFrame({"id": ids, "group": ids, "text": own["text"]}))
    texts = pd.concat([f[["id", "group", "text"]] for f in frames], ignore_index=True)
    return _with_texts(lab, texts, what, globals()[f"{what}_split"])


def blind3_split(group: str) -> str:
    """``read`` or ``report`` for half the sentences each (its own salt)."""
    return half("blind3", group)


def blind4_split(group: str) -> str:
    """``read`` or ``report`` for half the sentences each (its own salt)."""
    return half("blind4", group)


def blind5_split(group: str) -> str:
    """``read`` or ``report`` for half the sentences each (its own salt)."""
    return half("blind5", group)


def blind6_split(group: str) -> str:
    """``read`` or ``report`` for half the groups each (its own salt)."""
    return half("blind6", group)


def _own_only(labels: Path, own_path: Path, prefix: str, what: str) -> pd.DataFrame:
    """A blind batch of own sentences only (``<prefix>:<n>``, each its own group), split
    by :func:`<what>_split`."""
    lab = pd.read_csv(labels, dtype=str, keep_default_na=False)
    own = pd.read_csv(own_path, dtype=str)
    ids = prefix + ":" + own["n"]
    texts = pd.DataFrame({"id": ids, "group": ids, "text": own["text"]})
    return _with_texts(lab, texts, what, globals()[f"{what}_split"])


def blind3() -> pd.DataFrame:
    """The third blind batch (own sentences only, each its own group) with its split."""
    return _own_only(BLIND3, OWN_BLIND3, "ownd", "blind3")


def blind4() -> pd.DataFrame:
    """The fourth blind batch (own sentences only, each its own group) with its split."""
    return _own_only(BLIND4, OWN_BLIND4, "owne", "blind4")


def blind5() -> pd.DataFrame:
    """The fifth blind batch (own sentences only, each its own group) with its split."""
    return _own_only(BLIND5, OWN_BLIND5, "owng", "blind5")


def blind6() -> pd.DataFrame:
    """The sixth blind batch with its text, group and split (``read`` / ``report``).

    Own sentences (``ownh:<n>``) are each their own group; a real segment's group is its
    transcript, meeting (``qmsumx:<meeting>``) or survey respondent.
    """
    return _real_and_own(BLIND6, OWN_BLIND6, "ownh", ("hitsave", "qmsum", "survey"), "blind6")


def blind7_split(group: str) -> str:
    """``read`` or ``report`` for half the groups each (its own salt)."""
    return half("blind7", group)


def blind7() -> pd.DataFrame:
    """The seventh blind batch with its text, group and split (``read`` / ``report``).

    Own sentences (``owni:<n>``) are each their own group; a real segment's group is its
    transcript or meeting (``qmsumx:<meeting>``).
    """
    return _real_and_own(BLIND7, OWN_BLIND7, "owni", ("mlss", "hitsave", "qmsum"), "blind7")


def labelled(texts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The labelled set with its text, group and split (rows whose id is not found dropped)."""
    lab = pd.read_csv(LABELS, dtype=str, keep_default_na=False)
    texts = all_texts() if texts is None else texts
    return _with_texts(lab, texts, "labelled", split_of)


def _with_texts(lab: pd.DataFrame, texts: pd.DataFrame, what: str, split) -> pd.DataFrame:
    """Labels joined to their texts by id (ids not found dropped, with a warning), split."""
    out = lab.merge(texts.drop_duplicates("id"), on="id", how="left")
    missing = out["text"].isna()
    if missing.any():
        print(f"warning: {int(missing.sum())} {what} ids not found", file=sys.stderr)
    out = out[~missing].reset_index(drop=True)
    out["split"] = out["group"].map(split)
    return out
