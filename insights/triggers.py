"""Emotional triggers: the cause of each emotion and the intent it expresses.

Plain functions over DataFrames joined on ``segment_id``:

* :func:`find_triggers` — for every emotional segment, the **cause**: the span of
  text that triggered the emotion, in the same segment ("I was furious *because the
  engineer never showed up*"), a neighbouring sentence of the same turn, or an
  earlier turn (the interviewer's question, another focus-group member, the
  speaker's own earlier words); plus the theme or code of the cause and the
  **intent** of the segment (:func:`detect_intent`).

How a cause is found
--------------------
Candidates are spans of the emotional segment and of the segments before it in the
same transcript (up to ``context_turns`` turns back) and of the later sentences of
its own turn: whole segments, sentences, clauses (cut at commas, semicolons and
connectives such as *but*, *so*, *and then*) and the complement of a causal or
temporal connective (*because*, *since*, *when*, *after*, *the fact that*, *made
me*, *thanks to*…), found with the dependency parse when spaCy is given, else with
patterns. Each candidate gets features (turn distance, same speaker, kind of span,
position, question, length, connective, how emotional it is by itself, semantic
similarity to the emotional segment, and the log-odds of a small model that reads
the segment and the one before it and tells whether the segment carries its own
cause or answers what came before) and a score from a linear ranker whose
weights ship in ``insights/models/triggers/cause_ranker.json`` (fit on the RECCON
dev conversations; figures by conversation-grouped cross-validation in
``benchmarks/results/emotions_eval.json``). The best candidate is the cause; a
second one from another segment is kept when its score is close.

``cause_start`` / ``cause_end`` are character offsets of the cause span within the
**text of the cause segment** (``cause_segment_id``), end exclusive, so
``text[cause_start:cause_end] == cause_text``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from insights.emotions import (
    LABEL_TO_EKMAN,
    LABELS,
    NEGATIVE,
    POSITIVE,
    segment_ids,
    validate_emotion_column,
)
from insights.schema import TRIGGER_COLUMNS, empty_table, require_columns

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "find_triggers",
    "detect_intent",
    "cause_candidates",
    "featurize",
    "candidate_features",
    "Candidate",
    "CauseRanker",
    "OwnCauseModel",
    "FEATURES",
]

_RANKER_PATH = Path(__file__).resolve().parent / "models" / "triggers" / "cause_ranker.json"

# --------------------------------------------------------------------------- spans

_SENT = re.compile(r"[^.!?]+(?:[.!?]+|$)")
_CLAUSE_CUT = re.compile(
    r"\s*(?:[,;:]|\s[-\u2013\u2014]\s|\bbut\b|\bso\b|\band then\b|\bbecause\b|\bsince\b|\bwhen\b|\bafter\b|\bthough\b|\balthough\b)\s*",
    re.I,
)
#: causal and temporal connectives whose complement is the cause ("X because CAUSE").
_CAUSAL_AFTER = re.compile(
    r"\b(because(?: of)?|since|as soon as|when|whenever|after|the fact that|due to|thanks to|"
    r"now that|ever since|that|about|by|at|of how|seeing|hearing|to (?:see|hear|find|learn|know))\s+",
    re.I,
)
#: connectives whose cause comes before them ("CAUSE made me furious").
_CAUSAL_BEFORE = re.compile(
    r"\s+(?:(?:really |just |actually )?(?:made|makes|make|got|gets|left|leaves|drove|drives) (?:me|us)|"
    r"is why|was why|which is why|that's why|so I|so we|so now)\b",
    re.I,
)
_WORD = re.compile(r"\w+(?:'\w+)?")
_REACTION = re.compile(
    r"^\s*(?:oh|ah|wow|really|great|good|thanks|thank|sorry|what|how|that'?s|that is|no|yes|yeah|"
    r"congratulations|cool|awesome|terrible|oops|well|gosh|my god|oh my|i see|excellent|wonderful|fantastic|sure|ok|okay|"
    r"i'?m (?:sorry|glad|happy)|not really|are you|you're|it'?s|me too|why)\b",
    re.I,
)


def _ntok(text: str) -> int:
    return len(_WORD.findall(text))


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim white space and trailing ,;: from text[s:e]."""
    while s < e and (text[s].isspace() or text[s] in ",;:-"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:-"):
        e -= 1
    return s, e


@dataclass
class Candidate:
    """One possible cause: a span ``[start, end)`` of the text of segment ``seg`` (row index)."""

    seg: int
    start: int
    end: int
    kind: str  # segment / sentence / clause / causal
    sent_index: int = 0
    n_sents: int = 1


def _sentences(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _SENT.finditer(text):
        s, e = _strip(text, m.start(), m.end())
        if _ntok(text[s:e]):
            out.append((s, e))
    return out or ([_strip(text, 0, len(text))] if text.strip() else [])


def _clauses(text: str, s0: int, e0: int) -> list[tuple[int, int]]:
    out, pos = [], s0
    for m in _CLAUSE_CUT.finditer(text, s0, e0):
        s, e = _strip(text, pos, m.start())
        if _ntok(text[s:e]) >= 2:
            out.append((s, e))
        pos = m.end()
    s, e = _strip(text, pos, e0)
    if _ntok(text[s:e]) >= 2:
        out.append((s, e))
    return out if len(out) > 1 else []


def _causal_spans(text: str, nlp: Any = None) -> list[tuple[int, int]]:
    """Spans introduced by a causal/temporal connective, or before 'made me' etc."""
    spans = []
    for s0, e0 in _sentences(text):
        for m in _CAUSAL_AFTER.finditer(text, s0, e0):
            if m.start() == s0 and m.group(1).lower() in ("that", "about", "by", "at", "of how"):
                continue
            end = e0
            cut = re.search(r"[,;]|\bbut\b|\bso\b", text[m.end() : e0])
            if cut and _ntok(text[m.end() : m.end() + cut.start()]) >= 2:
                end = m.end() + cut.start()
            s, e = _strip(text, m.end(), end)
            if s < e and text[e - 1] in ".!?":
                e -= 1
            if _ntok(text[s:e]) >= 2:
                spans.append((s, e))
        for m in _CAUSAL_BEFORE.finditer(text, s0, e0):
            s, e = _strip(text, s0, m.start())
            if _ntok(text[s:e]) >= 2:
                spans.append((s, e))
    if nlp is not None and text.strip():
        doc = nlp(text)
        for tok in doc:
            if tok.dep_ == "mark" and tok.lower_ in ("because", "since", "when", "after", "as", "cause"):
                head = tok.head
                sub = list(head.subtree)
                s, e = _strip(text, tok.idx + len(tok.text), sub[-1].idx + len(sub[-1].text))
                if _ntok(text[s:e]) >= 2:
                    spans.append((s, e))
    return sorted(set(spans))


def cause_candidates(texts: Sequence[str], seg: int, context: Sequence[int], *, nlp: Any = None) -> list[Candidate]:
    """Candidate cause spans for segment ``seg`` among the segments ``context`` (row indices)."""
    out: list[Candidate] = []
    for k in context:
        text = texts[k]
        if not text.strip():
            continue
        seen = set()
        s, e = _strip(text, 0, len(text))
        sents = _sentences(text)
        out.append(Candidate(k, s, e, "segment", 0, len(sents)))
        seen.add((s, e))
        for i, (a, b) in enumerate(sents):
            if (a, b) not in seen:
                out.append(Candidate(k, a, b, "sentence", i, len(sents)))
                seen.add((a, b))
            for c, d in _clauses(text, a, b):
                if (c, d) not in seen:
                    out.append(Candidate(k, c, d, "clause", i, len(sents)))
                    seen.add((c, d))
        for a, b in _causal_spans(text, nlp if (k == seg and nlp is not False) else None):
            if (a, b) not in seen:
                idx = next((i for i, (x, y) in enumerate(sents) if x <= a < y), 0)
                out.append(Candidate(k, a, b, "causal", idx, len(sents)))
                seen.add((a, b))
    return out


# --------------------------------------------------------------------------- features

FEATURES: tuple[str, ...] = (
    "bias", "d0", "d1", "d2", "d3p", "after", "same_speaker", "prev_other",
    "kind_segment", "kind_sentence", "kind_clause", "kind_causal", "own_causal",
    "sent_first", "sent_last", "question", "log_ntok", "frac", "whole_short",
    "u_short_d1", "u_react_d1", "u_question", "u_question_d1", "cand_emotion", "cand_emotion_d0",
    "cand_same_valence", "sim", "sim_d1", "only_segment", "sim_rel", "emo_rel", "sim_max_d0", "sim_max_d1",
    "seg_emotional_d1", "seg_same_emotion_d1", "seg_emotional_d2p", "seg_neutral_d0",
    "own_d0", "own_d1", "own_d2p",
)  # fmt: skip
#: Ekman groups one-hot in the own-cause model's input (neutral segments have no cause).
OWN_GROUPS: tuple[str, ...] = ("anger", "disgust", "fear", "joy", "sadness", "surprise")


def _emo_vector(p: np.ndarray | None) -> tuple[float, float]:
    """(emotionality, valence sign) of label scores p (28,) or (0, 0)."""
    if p is None or np.isnan(p).any():
        return 0.0, 0.0
    emo = 1.0 - float(p[LABELS.index("neutral")])
    pos = float(sum(p[LABELS.index(lab)] for lab in POSITIVE))
    neg = float(sum(p[LABELS.index(lab)] for lab in NEGATIVE))
    return emo, float(np.sign(pos - neg)) if abs(pos - neg) > 0.1 else 0.0


def candidate_features(
    cands: Sequence[Candidate],
    seg: int,
    *,
    texts: Sequence[str],
    turns: Sequence[int],
    speakers: Sequence[Any],
    emotion: str,
    span_scores: dict[str, np.ndarray] | None = None,
    sims: np.ndarray | None = None,
    labels: Sequence[str] | None = None,
    own_logit: float | None = None,
) -> np.ndarray:
    """The feature matrix (len(cands), len(FEATURES)) of candidates for segment ``seg``.

    ``labels`` (one per row, '' for not emotional) tells which context segments are
    emotional themselves (an emotion often answers an emotional turn). ``own_logit``
    is the :class:`OwnCauseModel`'s log-odds that the cause lies in ``seg`` itself.
    """
    u = texts[seg]
    u_tok = _ntok(u)
    u_short = u_tok <= 6
    u_react = bool(_REACTION.match(u))
    u_q = u.rstrip().endswith("?")
    group = LABEL_TO_EKMAN.get(emotion, emotion)
    u_sign = 1.0 if group == "joy" else (-1.0 if group in ("anger", "disgust", "fear", "sadness") else 0.0)
    own_causal = any(c.kind == "causal" and c.seg == seg for c in cands)
    n_segs = len({c.seg for c in cands})
    X = np.zeros((len(cands), len(FEATURES)), dtype=np.float64)
    F = {f: i for i, f in enumerate(FEATURES)}
    for r, c in enumerate(cands):
        text = texts[c.seg][c.start : c.end]
        d = turns[seg] - turns[c.seg]
        after = c.seg > seg
        row = X[r]
        row[F["bias"]] = 1
        row[F["d0"]] = d == 0
        row[F["d1"]] = d == 1
        row[F["d2"]] = d == 2
        row[F["d3p"]] = d >= 3
        row[F["after"]] = after
        same = speakers[c.seg] is not None and speakers[c.seg] == speakers[seg]
        row[F["same_speaker"]] = same
        row[F["prev_other"]] = (d >= 1) and not same
        row[F["kind_" + c.kind]] = 1
        row[F["own_causal"]] = own_causal and c.seg == seg and c.kind != "causal"
        row[F["sent_first"]] = c.sent_index == 0
        row[F["sent_last"]] = c.sent_index == c.n_sents - 1
        row[F["question"]] = text.rstrip().endswith("?") or texts[c.seg][c.end : c.end + 2].strip().startswith("?")
        nt = _ntok(text)
        row[F["log_ntok"]] = math.log1p(nt)
        row[F["frac"]] = nt / max(1, _ntok(texts[c.seg]))
        row[F["whole_short"]] = c.kind == "segment" and _ntok(texts[c.seg]) <= 10
        row[F["u_short_d1"]] = u_short and d == 1
        row[F["u_react_d1"]] = u_react and d == 1
        row[F["u_question"]] = u_q and d == 0
        row[F["u_question_d1"]] = u_q and d == 1
        if span_scores is not None:
            emo, sign = _emo_vector(span_scores.get(text))
            row[F["cand_emotion"]] = emo
            row[F["cand_emotion_d0"]] = emo * (d == 0)
            row[F["cand_same_valence"]] = sign * u_sign
        if sims is not None:
            row[F["sim"]] = sims[r]
            row[F["sim_d1"]] = sims[r] * (d == 1)
        row[F["only_segment"]] = n_segs == 1
        if labels is not None:
            lab = labels[c.seg]
            row[F["seg_emotional_d1"]] = bool(lab) and d == 1
            row[F["seg_same_emotion_d1"]] = bool(lab) and d == 1 and LABEL_TO_EKMAN.get(lab, lab) == group
            row[F["seg_emotional_d2p"]] = bool(lab) and d >= 2
            row[F["seg_neutral_d0"]] = (not lab) and d == 0 and c.seg != seg
    if len(cands):
        X[:, F["emo_rel"]] = X[:, F["cand_emotion"]] - X[:, F["cand_emotion"]].max()
        if sims is not None:
            X[:, F["sim_rel"]] = sims - sims.max()
            best = sims >= sims.max() - 1e-9
            X[:, F["sim_max_d0"]] = best & (X[:, F["d0"]] > 0)
            X[:, F["sim_max_d1"]] = best & (X[:, F["d1"]] > 0)
        if own_logit is not None:
            set_own_logit(X, own_logit)
    return X


def set_own_logit(X: np.ndarray, own_logit: float) -> np.ndarray:
    """Write the own-cause log-odds into the ``own_*`` columns of a feature matrix (in place)."""
    F = {f: i for i, f in enumerate(FEATURES)}
    d0, d1 = X[:, F["d0"]], X[:, F["d1"]]
    X[:, F["own_d0"]] = own_logit * d0
    X[:, F["own_d1"]] = own_logit * d1
    X[:, F["own_d2p"]] = own_logit * (1 - d0 - d1)
    return X


def previous_rows(tids: Sequence[str]) -> list[int | None]:
    """Row index of the segment before each row in the same transcript (None for the first)."""
    return [i - 1 if i > 0 and tids[i - 1] == tids[i] else None for i in range(len(tids))]


def own_cause_features(vec: np.ndarray, prev_vec: np.ndarray | None, label: str) -> np.ndarray:
    """Input of :class:`OwnCauseModel`: the segment's vector, the previous segment's, their product,
    the Ekman group one-hot and whether there is no previous segment."""
    z = prev_vec if prev_vec is not None else np.zeros_like(vec)
    group = LABEL_TO_EKMAN.get(label, label)
    return np.concatenate([vec, z, vec * z, [float(group == g) for g in OWN_GROUPS], [float(prev_vec is None)]])


def own_cause_rows(texts: Sequence[str], prev: Sequence[int | None], labs: Sequence[str], rows: Sequence[int],
                   vecs: dict[str, np.ndarray]) -> dict[int, np.ndarray]:
    """{row: :func:`own_cause_features`} of ``rows``; ``prev`` is :func:`previous_rows`, ``vecs``
    maps each row's text and the text of the segment before it to its sentence vector."""
    return {i: own_cause_features(vecs[texts[i]], vecs[texts[prev[i]]] if prev[i] is not None else None, labs[i])
            for i in rows}


class OwnCauseModel:
    """Log-odds that an emotional segment's cause lies in the segment itself rather than before it.

    A logistic regression over :func:`own_cause_features` (sentence vectors of the
    segment and of the one before it): "Congratulations, that's wonderful!" answers
    the previous turn; "I'm thrilled, I got the job" carries its own cause. Its
    output feeds the ``own_*`` features of the cause ranker.
    """

    def __init__(self, coef: Sequence[float], intercept: float):
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = float(intercept)

    @classmethod
    def fit(cls, X: np.ndarray, own: np.ndarray, *, C: float = 0.1) -> OwnCauseModel:
        from sklearn.linear_model import LogisticRegression

        lr = LogisticRegression(C=C, max_iter=3000).fit(X, own)
        return cls(lr.coef_[0], float(lr.intercept_[0]))

    def logit(self, X: np.ndarray) -> np.ndarray:
        X = np.atleast_2d(np.asarray(X, dtype=np.float64))
        if X.shape[1] != len(self.coef):
            raise ValueError(f"own-cause model expects {len(self.coef)} inputs, got {X.shape[1]}")
        return X @ self.coef + self.intercept

    def to_dict(self) -> dict[str, Any]:
        return {"coef": [round(float(c), 5) for c in self.coef], "intercept": round(self.intercept, 5)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> OwnCauseModel:
        return cls(d["coef"], d["intercept"])


def featurize(
    texts: Sequence[str],
    tids: Sequence[str],
    turns: Sequence[int],
    speakers: Sequence[Any],
    labs: Sequence[str],
    targets: Sequence[int],
    *,
    model: Any = None,
    embedder: Any = None,
    nlp: Any = None,
    context_turns: int = 3,
    own_model: OwnCauseModel | None = None,
    cache: str | Path | None = None,
) -> dict[int, tuple[list[Candidate], np.ndarray]]:
    """Candidates and their feature matrix for every target row (emotional segment).

    The context of row ``i``: rows of the same transcript whose turn is at most
    ``context_turns`` before ``i``'s, up to ``i`` itself, plus the later rows of its
    own turn. ``model`` (False: none) scores spans' emotions; ``embedder`` (False:
    none) gives the similarity features and, with ``own_model``, the ``own_*`` ones.
    ``cache`` (a folder) keeps the spans' emotion scores per text for re-runs.
    """
    n = len(texts)
    by_tid: dict[str, list[int]] = {}
    for i in range(n):
        by_tid.setdefault(tids[i], []).append(i)
    from insights._progress import progress

    cand_sets = {}
    for i in progress(targets, desc="finding causes", unit="segment"):
        rows = by_tid[tids[i]]
        ctx = [k for k in rows if (0 <= turns[i] - turns[k] <= context_turns and (k <= i or turns[k] == turns[i]))]
        cand_sets[i] = cause_candidates(texts, i, ctx, nlp=nlp)
    span_texts = sorted({texts[c.seg][c.start : c.end] for cs in cand_sets.values() for c in cs})
    span_scores = None
    if model is not False and span_texts:
        from insights._rerun import cached_values
        from insights.emotions import get_emotion_model

        m = model or get_emotion_model()
        probs, _ = cached_values(span_texts, lambda todo: list(m.score(todo)[0]), folder=cache,
                                 namespace=f"span-emotions:{m.fingerprint()}")
        span_scores = dict(zip(span_texts, probs, strict=True))
    vecs = None
    prev = previous_rows(tids)
    if embedder is not False and embedder is not None and span_texts:
        uniq = set(span_texts) | {texts[i] for i in targets}
        if own_model is not None:
            uniq |= {texts[prev[i]] for i in targets if prev[i] is not None}
        uniq = sorted(uniq)
        vecs = dict(zip(uniq, embedder.encode(uniq), strict=True))
    own_inputs = own_cause_rows(texts, prev, labs, targets, vecs) if vecs is not None and own_model is not None else {}
    out = {}
    for i in targets:
        cs = cand_sets[i]
        sims = own = None
        if vecs is not None:
            u = vecs[texts[i]]
            sims = np.array([float(vecs[texts[c.seg][c.start : c.end]] @ u) for c in cs])
        if i in own_inputs:
            own = float(own_model.logit(own_inputs[i])[0])
        X = candidate_features(cs, i, texts=texts, turns=turns, speakers=speakers, emotion=labs[i],
                               span_scores=span_scores, sims=sims, labels=labs, own_logit=own)
        out[i] = (cs, X)
    return out


class CauseRanker:
    """A linear scorer of cause candidates (weights from ``cause_ranker.json``).

    ``own_model`` (also read from the JSON's ``own_cause``) gives the ``own_*``
    features; without it they are 0.
    """

    def __init__(
        self,
        weights: dict[str, float] | None = None,
        *,
        path: str | Path | None = None,
        own_model: OwnCauseModel | None = None,
    ):
        if weights is None:
            meta = json.loads(Path(path or _RANKER_PATH).read_text())
            weights = meta["weights"]
            self.meta_ = meta
            if own_model is None and meta.get("own_cause"):
                own_model = OwnCauseModel.from_dict(meta["own_cause"])
        self.weights = dict(weights)
        self.own_model = own_model
        self._w = np.array([self.weights.get(f, 0.0) for f in FEATURES])

    def uses(self, feature: str) -> bool:
        """Whether ``feature`` has a non-zero weight (else it need not be computed)."""
        return abs(self.weights.get(feature, 0.0)) > 0

    def score(self, X: np.ndarray) -> np.ndarray:
        """Probability-like scores in (0, 1)."""
        return 1.0 / (1.0 + np.exp(-(X @ self._w)))


_DEFAULT_RANKER: list[CauseRanker] = []


def _default_ranker() -> CauseRanker:
    if not _DEFAULT_RANKER:
        _DEFAULT_RANKER.append(CauseRanker())
    return _DEFAULT_RANKER[0]


# --------------------------------------------------------------------------- intent

_NEG = r"(?:not|never|n't|no longer|wouldn't|won't|don't|didn't|can't|couldn't|wouldnt|wont|dont|cannot|no way I'd|no way I would)"
_INTENT_PATTERNS: dict[str, list[str]] = {
    "leave": [
        r"\bcancel(?:l?ing|l?ed|s)?\b", r"\bswitch(?:ing|ed)?\s+(?:to|over|away|provider|supplier|networks?)\b",
        r"\bleav(?:e|ing)\s+(?:them|you|it|the\s+\w+|for)\b", r"\bleft\s+(?:them|for)\b", r"\bquit(?:ting)?\b",
        r"\bclos(?:e|ing|ed)\s+(?:my|the|our)\s+account\b", r"\bport(?:ing|ed)?\s+(?:my|our)\s+number\b",
        r"\bmov(?:e|ing)\s+(?:to|over\s+to)\s+(?:another|a different|\w+\s+instead)\b",
        r"\b(?:look|looking|shop|shopping)\s+(?:around|for\s+(?:another|a new|alternatives?)|at\s+(?:other|alternatives?))\b",
        r"\bterminat(?:e|ing)\b", r"\bend(?:ing)?\s+(?:my|the|our)\s+contract\b", r"\bdone with (?:them|you|it)\b",
        r"\bnever\s+(?:go|going|be going|come|coming)\s+back\b", r"\bnever\s+(?:again|use them again|buy)\b",
        r"\bnot\s+renew(?:ing)?\b", r"\bwon'?t\s+(?:be\s+)?renew(?:ing)?\b", r"\bget(?:ting)?\s+out\s+of\s+(?:the|my)\s+contract\b",
        r"\bI'?m\s+off\b", r"\bgone\s+elsewhere\b", r"\btake\s+my\s+(?:business|money)\s+elsewhere\b",
    ],
    "stay": [
        r"\bstay(?:ing|ed)?\s+(?:with|on|put|loyal)\b", r"\bstay(?:ing)?\b(?=[^.!?]*\b(?:them|customer|provider|contract)\b)",
        r"\brenew(?:ed|ing|al)?\b", r"\bstick(?:ing)?\s+with\b", r"\bstuck\s+with\s+them\b(?=[^.!?]*\b(?:because|since|good|glad)\b)",
        r"\bloyal\b", r"\bkeep\s+(?:using|them|my\s+contract)\b", r"\bnot\s+going\s+anywhere\b", r"\bsign(?:ed)?\s+up\s+again\b",
        r"\bwouldn'?t\s+(?:leave|switch|change|go\s+anywhere)\b", r"\bno\s+(?:reason|plans?)\s+to\s+(?:leave|switch|move)\b",
        r"\bhere\s+to\s+stay\b", r"\bupgrad(?:e|ed|ing)\b",
    ],
    "recommend": [
        r"\brecommend(?:ed|ing|s)?\b", r"\btold\s+(?:my|a|all\s+my)\s+\w+\s+to\s+(?:sign\s+up|join|get|switch\s+to|go\s+with|try)\b",
        r"\b(?:told|tell|telling)\s+(?:everyone|everybody|people|friends|my\s+\w+)\s+(?:how\s+good|about\s+(?:them|it|how\s+good))\b",
        r"\brefer(?:red|ring)?\s+(?:a\s+)?(?:friend|my|them|people)\b", r"\bsuggest(?:ed)?\s+(?:them|it)\s+to\b",
        r"\bwould\s+(?:definitely\s+)?suggest\b", r"\bspread\s+the\s+word\b", r"\bsing\s+their\s+praises\b",
    ],
    "warn_others": [
        r"\bwarn(?:ed|ing)?\b", r"\b(?:tell|told|telling)\s+(?:everyone|everybody|people|friends|others|my\s+\w+)\s+(?:to\s+)?"
        r"(?:avoid|stay\s+away|not\s+to|never|don'?t)\b", r"\bstay\s+away\s+from\b", r"\bavoid\s+(?:them|it|this)\b",
        r"\b(?:bad|terrible|one[- ]star|awful|negative)\s+review\b", r"\b(?:posted|complained|ranted)\s+(?:about\s+it\s+)?on\s+"
        r"(?:facebook|twitter|trustpilot|reddit|social\s+media|x|instagram|tiktok)\b", r"\bdon'?t\s+(?:go|sign\s+up)\s+with\s+them\b",
    ],
}
_COMPILED = {k: [re.compile(p, re.I) for p in v] for k, v in _INTENT_PATTERNS.items()}
_NEG_BEFORE = re.compile(_NEG + r"(?:\s+\w+){0,3}\s*$", re.I)
#: what a negated intent turns into.
_FLIP = {"leave": "stay", "stay": "leave", "recommend": "warn_others", "warn_others": "none"}
#: patterns that already contain their own negation (not flipped).
_SELF_NEGATED = re.compile(r"never|not\s+renew|won'?t\s+(?:be\s+)?renew|wouldn'?t|no\s+(?:reason|plans?)|not\s+going\s+anywhere|don'?t\s+(?:go|sign)", re.I)

#: example sentences for semantic matching of intents (used when no pattern matches).
INTENT_EXAMPLES: dict[str, tuple[str, ...]] = {
    "leave": (
        "I'm going to cancel my contract.", "I'm switching to another provider.", "I want out as soon as my contract ends.",
        "I'll be gone the day my contract finishes.", "I'm moving to a different company.",
    ),
    "stay": (
        "I'll stay with them.", "I'm happy to keep my contract with them.", "I've renewed for another year.",
        "I don't see any reason to change provider.",
    ),
    "recommend": (
        "I'd recommend them to anyone.", "I've told my friends to sign up.", "My sister joined because I told her how good they are.",
    ),
    "warn_others": (
        "I tell everyone to avoid them.", "I warned my neighbours not to sign up.", "I left a one-star review so others know.",
    ),
}


def _pattern_intent(text: str) -> tuple[str, float, str] | None:
    best = None
    for intent, pats in _COMPILED.items():
        for pat in pats:
            for m in pat.finditer(text):
                before = text[max(0, m.start() - 40) : m.start()]
                before = re.split(r"[.!?;,]|\bbut\b", before)[-1]
                label = intent
                if not _SELF_NEGATED.search(m.group(0)) and _NEG_BEFORE.search(before + " "):
                    label = _FLIP[intent]
                hit = (label, 0.9 if label == intent else 0.8, m.group(0))
                # a later mention wins over an earlier one ("I nearly left, but I'm staying")
                if best is None or m.start() > best[3]:
                    best = (*hit, m.start())
    return best[:3] if best else None


def detect_intent(
    texts: Sequence[str],
    *,
    embedder: Any = None,
    min_similarity: float = 0.62,
) -> list[tuple[str, float]]:
    """The intent of each text: (``stay`` / ``leave`` / ``recommend`` / ``warn_others`` / ``none``, confidence).

    Patterns first ("I'm cancelling", "I'd never go back", "told my sister to sign
    up"), negation-aware ("I wouldn't leave them" is ``stay``, "I wouldn't recommend
    them" is ``warn_others``); a later mention wins ("I nearly left, but I'm
    staying"). Texts no pattern matches are compared with :data:`INTENT_EXAMPLES`
    by sentence embedding when ``embedder`` is given (``False`` turns this off;
    ``None`` uses the default embedder); a cosine of ``min_similarity`` or more, on
    a text without negation, gives that intent with the cosine as confidence.

    Examples
    --------
    >>> detect_intent(["I'm cancelling on Monday.", "I wouldn't leave them.", "The app is fine."], embedder=False)
    [('leave', 0.9), ('stay', 0.8), ('none', 0.0)]
    """
    out: list[tuple[str, float]] = []
    todo = []
    for i, t in enumerate(texts):
        hit = _pattern_intent(t or "")
        if hit:
            out.append((hit[0], hit[1]))
        else:
            out.append(("none", 0.0))
            if t and t.strip() and _ntok(t) >= 3 and not re.search(_NEG, t, re.I):
                todo.append(i)
    if todo and embedder is not False:
        if embedder is None:
            from insights.embed import get_embedder

            embedder = get_embedder()
        names = [k for k, v in INTENT_EXAMPLES.items() for _ in v]
        ex = embedder.encode([s for v in INTENT_EXAMPLES.values() for s in v])
        x = embedder.encode([texts[i] for i in todo])
        sim = x @ ex.T
        for r, i in enumerate(todo):
            j = int(np.argmax(sim[r]))
            if sim[r, j] >= min_similarity:
                out[i] = (names[j], round(float(sim[r, j]), 3))
    return out


# --------------------------------------------------------------------------- triggers


def _given_or_detected_emotions(segments, emotions, model, file) -> tuple[list[str], dict[str, np.ndarray]]:
    """Emotion label per row ('' when not emotional) and label scores by segment id."""
    ids = segment_ids(segments)
    scores: dict[str, np.ndarray] = {}
    if "emotion" in segments.columns:
        labs = validate_emotion_column(segments, file=file)
        return ["" if lab == "neutral" else lab for lab in labs], scores
    if emotions is None:
        from insights.emotions import score_emotions

        emotions = score_emotions(segments, model=model, file=file)
    emo = emotions.set_index(emotions["segment_id"].astype(str))
    pcols = [f"p_{lab}" for lab in LABELS]
    labs = []
    for sid in ids:
        if sid not in emo.index:
            labs.append("")
            continue
        row = emo.loc[sid]
        if isinstance(row, type(emo)):  # repeated id
            row = row.iloc[0]
        first = str(row.get("emotions") or "").split(";")[0]
        labs.append("" if first in ("", "neutral", "nan") else first)
        if all(c in emo.columns for c in pcols):
            scores[sid] = row[pcols].to_numpy(dtype=np.float64)
    return labs, scores


def _theme_lookup(assignments, themes, codes) -> dict[str, str]:
    """segment_id -> theme label (from assignments + themes), else best code."""
    out: dict[str, str] = {}
    if codes is not None and len(codes):
        c = codes.copy()
        if "confidence" in c.columns:
            c = c.sort_values("confidence", ascending=False, kind="stable")
        for sid, code in zip(c["segment_id"].astype(str), c["code"].astype(str), strict=False):
            out.setdefault(sid, code)
    if assignments is not None and len(assignments):
        labels = {}
        if themes is not None and len(themes):
            labels = dict(zip(themes["theme_id"].astype(str), themes["label"].astype(str), strict=False))
        a = assignments
        if "probability" in a.columns:
            a = a.sort_values("probability", ascending=False, kind="stable")
        seen = set()
        for sid, tid in zip(a["segment_id"].astype(str), a["theme_id"].astype(str), strict=False):
            if sid in seen or tid in ("-1", "nan", ""):
                continue
            seen.add(sid)
            out[sid] = labels.get(tid, f"theme {tid}")
    return out


def find_triggers(
    segments: pd.DataFrame,
    *,
    emotions: pd.DataFrame | None = None,
    codes: pd.DataFrame | None = None,
    themes: pd.DataFrame | None = None,
    assignments: pd.DataFrame | None = None,
    model: Any = None,
    embedder: Any = None,
    nlp: Any = None,
    ranker: CauseRanker | None = None,
    context_turns: int = 3,
    max_causes: int = 2,
    second_margin: float = 0.15,
    roles: Sequence[str] | None = ("participant", "unknown"),
    file: str | Path | None = None,
    cache: str | Path | None = None,
) -> pd.DataFrame:
    """The triggers table: one row per (emotional segment, cause), best cause first.

    Parameters
    ----------
    segments : DataFrame
        A segments table (``text`` needed; ``segment_id``, ``transcript_id``, ``turn``,
        ``speaker``, ``role`` used when present). When it has an ``emotion`` column,
        that is taken as given for rows where it is not ``neutral``; otherwise
        emotions come from ``emotions`` or are detected with ``model``.
    emotions : DataFrame, optional
        The emotions table of these segments (:func:`insights.emotions.score_emotions`).
    codes, themes, assignments : DataFrame, optional
        Where the ``theme`` of a cause comes from: the theme of the cause segment
        (assignments + themes) where present, else its best code.
    model : EmotionModel, optional
        Scores candidate spans (how emotional a span is by itself) and, when no
        emotions are given, the segments. ``False`` skips span scoring.
    embedder : Embedder, optional
        Semantic similarity of candidates to the emotional segment and intent
        matching. Default: :func:`insights.embed.get_embedder`; ``False`` skips both.
    nlp : spaCy Language, optional
        The dependency parse adds causal clauses (``mark`` + ``advcl``) of the
        emotional segment. Default: the installed ``en_core_web_sm``; ``False``:
        patterns only.
    context_turns : int
        How many turns back a cause may lie.
    max_causes : int
        Most cause rows per emotional segment.
    second_margin : float
        A second cause (from another segment) is kept when its score is within this
        margin of the best.
    roles : sequence of str, optional
        Roles whose emotional segments are explained (default participants and
        unknown); causes may come from anyone. ``None``: every role.
    cache : path, optional
        A folder where candidate spans' emotion scores are kept per text, so a re-run
        scores only new spans (``insights run`` uses ``output/.cache/spans``).

    Returns
    -------
    DataFrame with :data:`~insights.schema.TRIGGER_COLUMNS`; ``cause_start`` and
    ``cause_end`` are offsets into the cause segment's text.
    """
    import pandas as pd

    require_columns(segments, ["text"], table="segments", file=file,
                    fix="give a table with one segment per row and its words in a column named 'text'")
    df = segments.reset_index(drop=True)
    ids = segment_ids(df)
    texts = ["" if (t is None or (isinstance(t, float) and np.isnan(t))) else str(t) for t in df["text"].tolist()]
    n = len(df)
    tids = df["transcript_id"].astype(str).tolist() if "transcript_id" in df.columns else ["input"] * n
    turns_raw = df["turn"].tolist() if "turn" in df.columns else list(range(n))
    turns = [int(t) if t is not None and not (isinstance(t, float) and np.isnan(t)) else i for i, t in enumerate(turns_raw)]
    speakers = df["speaker"].tolist() if "speaker" in df.columns else [None] * n
    speakers = [None if (s is None or (isinstance(s, float) and np.isnan(s))) else str(s) for s in speakers]
    role_ok = [True] * n
    if roles is not None and "role" in df.columns:
        role_ok = [(r in roles) or r is None or (isinstance(r, float) and np.isnan(r)) for r in df["role"].tolist()]

    labs, _ = _given_or_detected_emotions(df, emotions, model, file)
    targets = [i for i in range(n) if labs[i] and role_ok[i] and texts[i].strip()]
    if not targets:
        return empty_table(TRIGGER_COLUMNS)
    if embedder is None:
        from insights.embed import get_embedder

        embedder = get_embedder()
    if nlp is None:
        from insights.nlp import load_spacy

        nlp = load_spacy(exclude=("ner", "lemmatizer"))
    ranker = ranker or _default_ranker()
    span_model = model if ranker.uses("cand_emotion") else False
    own_model = ranker.own_model if any(ranker.uses(f) for f in ("own_d0", "own_d1", "own_d2p")) else None
    feats = featurize(texts, tids, turns, speakers, labs, targets, model=span_model, embedder=embedder, nlp=nlp,
                      context_turns=context_turns, own_model=own_model, cache=cache)
    lookup = _theme_lookup(assignments, themes, codes)
    intents = detect_intent([texts[i] for i in targets], embedder=embedder)
    rows = []
    for (i, (intent, _)) in zip(targets, intents, strict=True):
        cs, X = feats[i]
        if not cs:
            continue
        sc = ranker.score(X)
        order = np.argsort(-sc, kind="stable")
        picked = [order[0]]
        for j in order[1:]:
            if len(picked) >= max_causes or sc[j] < sc[order[0]] - second_margin:
                break
            if all(cs[j].seg != cs[p].seg for p in picked):
                picked.append(j)
        for j in picked:
            c = cs[j]
            rows.append(
                (ids[i], labs[i], ids[c.seg], c.start, c.end, texts[c.seg][c.start : c.end],
                 lookup.get(ids[c.seg], lookup.get(ids[i], "")), intent, round(float(sc[j]), 4))
            )
    return pd.DataFrame(rows, columns=list(TRIGGER_COLUMNS))
