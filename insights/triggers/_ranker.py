"""Features of cause candidates and the linear cause ranker.

Each candidate (:class:`~insights.triggers.Candidate`) gets the features
:data:`FEATURES`: turn distance, same speaker, kind of span, position, question,
length, connective, how emotional the span is by itself, semantic similarity to the
emotional segment, and the log-odds of :class:`~insights.triggers.OwnCauseModel`
(does the segment carry its own cause?). :class:`CauseRanker` scores them with the
weights shipped in ``insights/models/triggers/cause_ranker.json``
(``training/train_cause_ranker.py`` refits them).

Examples
--------
>>> ranker = CauseRanker({"bias": 0.0, "d0": 1.0})
>>> X = np.zeros((2, len(FEATURES)))
>>> X[0, FEATURES.index("d0")] = 1
>>> ranker.score(X).round(3).tolist()
[0.731, 0.5]
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from insights.emotions import LABEL_TO_EKMAN, LABELS, NEGATIVE, POSITIVE
from insights.triggers._candidates import Candidate, cause_candidates, n_tokens, parse_marks
from insights.triggers._own_cause import OwnCauseModel, own_cause_rows, previous_rows
from insights.triggers._where import WhereModel

__all__ = [
    "FEATURES",
    "candidate_features",
    "set_own_logit",
    "featurize",
    "CauseRanker",
    "default_ranker",
]

#: the shipped weights; ``insights/models/triggers`` holds data, not Python.
_RANKER_PATH = Path(__file__).resolve().parents[1] / "models" / "triggers" / "cause_ranker.json"

#: openings of a short reaction to what came before ("Oh wow!", "I'm sorry").
_REACTION = re.compile(
    r"^\s*(?:oh|ah|wow|really|great|good|thanks|thank|sorry|what|how|that'?s|that is|no|yes|yeah|"
    r"congratulations|cool|awesome|terrible|oops|well|gosh|my god|oh my|i see|excellent|"
    r"wonderful|fantastic|sure|ok|okay|"
    r"i'?m (?:sorry|glad|happy)|not really|are you|you're|it'?s|me too|why)\b",
    re.I,
)

#: features comparing a candidate with the others of its segment (:func:`_within_segment`);
#: the listwise fit uses them (``training/train_cause_ranker.py --listwise``).
WITHIN_SEGMENT: tuple[str, ...] = (
    "multi_d0", "multi_d1", "multi_d2p", "log_nsent_seg", "sim_rel_seg", "emo_rel_seg",
    "sim_rel_seg_d1", "emo_rel_seg_d0", "sent_last_d1", "sent_first_d0", "question_d1",
    "frac_d0", "frac_d1",
)  # fmt: skip
FEATURES: tuple[str, ...] = (
    "bias", "d0", "d1", "d2", "d3p", "after", "same_speaker", "prev_other",
    "kind_segment", "kind_sentence", "kind_clause", "kind_causal", "own_causal",
    "sent_first", "sent_last", "question", "log_ntok", "frac", "whole_short",
    "u_short_d1", "u_react_d1", "u_question", "u_question_d1", "cand_emotion", "cand_emotion_d0",
    "cand_same_valence", "sim", "sim_d1", "only_segment", "sim_rel", "emo_rel",
    "sim_max_d0", "sim_max_d1",
    "seg_emotional_d1", "seg_same_emotion_d1", "seg_emotional_d2p", "seg_neutral_d0",
    "own_d0", "own_d1", "own_d2p",
    *WITHIN_SEGMENT,
)  # fmt: skip
_NEGATIVE_GROUPS = ("anger", "disgust", "fear", "sadness")


#: of a turn longer than this many rows (sentences), the context of an emotional segment
#: takes only the rows this close to it in its own turn and the last ones of an earlier
#: turn. A turn of a committee meeting can run to 255 sentences: with every row of it
#: in the context, each of its emotional segments had hundreds of candidate spans and the
#: triggers stage's cost grew with the square of the turn (QMSum: 2.3 spans to score per
#: segment in meetings of long turns, 0.25 in the others). Interviews' turns are shorter:
#: the sample study's and Ridgeway's longest turns have 10 and 8 rows, RECCON's and the
#: own cause excerpts' turns are one utterance or a few sentences, so their causes do not
#: change.
CONTEXT_ROWS = 12


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
    is the :class:`~insights.triggers.OwnCauseModel`'s log-odds that the cause lies
    in ``seg`` itself.

    Examples
    --------
    >>> texts = ["How was it?", "Awful."]
    >>> cands = cause_candidates(texts, 1, [0, 1])
    >>> X = candidate_features(cands, 1, texts=texts, turns=[1, 2], speakers=["A", "B"],
    ...                        emotion="anger")
    >>> X[:, [FEATURES.index("d1"), FEATURES.index("question")]].tolist()
    [[1.0, 1.0], [0.0, 0.0]]
    """
    u = texts[seg]
    u_short = n_tokens(u) <= 6
    u_react = bool(_REACTION.match(u))
    u_q = u.rstrip().endswith("?")
    group = LABEL_TO_EKMAN.get(emotion, emotion)
    u_sign = 1.0 if group == "joy" else (-1.0 if group in _NEGATIVE_GROUPS else 0.0)
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
        row[F["question"]] = text.rstrip().endswith("?") or texts[c.seg][
            c.end : c.end + 2
        ].strip().startswith("?")
        nt = n_tokens(text)
        row[F["log_ntok"]] = math.log1p(nt)
        row[F["frac"]] = nt / max(1, n_tokens(texts[c.seg]))
        row[F["whole_short"]] = c.kind == "segment" and n_tokens(texts[c.seg]) <= 10
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
            same_group = LABEL_TO_EKMAN.get(lab, lab) == group
            row[F["seg_emotional_d1"]] = bool(lab) and d == 1
            row[F["seg_same_emotion_d1"]] = bool(lab) and d == 1 and same_group
            row[F["seg_emotional_d2p"]] = bool(lab) and d >= 2
            row[F["seg_neutral_d0"]] = (not lab) and d == 0 and c.seg != seg
    if len(cands):
        X[:, F["emo_rel"]] = X[:, F["cand_emotion"]] - X[:, F["cand_emotion"]].max()
        if sims is not None:
            X[:, F["sim_rel"]] = sims - sims.max()
            best = sims >= sims.max() - 1e-9
            X[:, F["sim_max_d0"]] = best & (X[:, F["d0"]] > 0)
            X[:, F["sim_max_d1"]] = best & (X[:, F["d1"]] > 0)
        _within_segment(X, cands)
        if own_logit is not None:
            set_own_logit(X, own_logit)
    return X


def _within_segment(X: np.ndarray, cands: Sequence[Candidate]) -> None:
    """Fill the features that compare a candidate with the others of its own segment (in place).

    Which sentence of a turn of several is the cause: the whole multi-sentence segment by
    distance, the candidate's similarity and emotion against the best of its segment, the
    last sentence of the turn before, the first of the emotional turn, a question before.
    """
    F = {f: i for i, f in enumerate(FEATURES)}
    d0, d1 = X[:, F["d0"]], X[:, F["d1"]]
    seg = np.array([c.seg for c in cands])
    whole = np.array([c.kind == "segment" for c in cands])
    multi = whole & np.array([c.n_sents > 1 for c in cands])
    X[:, F["multi_d0"]] = multi * d0
    X[:, F["multi_d1"]] = multi * d1
    X[:, F["multi_d2p"]] = multi * (1 - d0 - d1)
    X[:, F["log_nsent_seg"]] = whole * np.log([max(1, c.n_sents) for c in cands])
    for col, rel in (("sim", "sim_rel_seg"), ("cand_emotion", "emo_rel_seg")):
        v = X[:, F[col]]
        best = {s: v[seg == s].max() for s in set(seg.tolist())}
        X[:, F[rel]] = v - np.array([best[s] for s in seg])
    X[:, F["sim_rel_seg_d1"]] = X[:, F["sim_rel_seg"]] * d1
    X[:, F["emo_rel_seg_d0"]] = X[:, F["emo_rel_seg"]] * d0
    X[:, F["sent_last_d1"]] = X[:, F["sent_last"]] * d1 * ~multi
    X[:, F["sent_first_d0"]] = X[:, F["sent_first"]] * d0 * ~multi
    X[:, F["question_d1"]] = X[:, F["question"]] * d1
    X[:, F["frac_d0"]] = X[:, F["frac"]] * d0
    X[:, F["frac_d1"]] = X[:, F["frac"]] * d1


def set_own_logit(X: np.ndarray, own_logit: float) -> np.ndarray:
    """Write the own-cause log-odds into the ``own_*`` columns of a feature matrix (in place).

    Examples
    --------
    >>> X = np.zeros((2, len(FEATURES)))
    >>> X[0, FEATURES.index("d0")] = 1
    >>> set_own_logit(X, 2.0)[:, [FEATURES.index(f) for f in ("own_d0", "own_d2p")]].tolist()
    [[2.0, 0.0], [0.0, 2.0]]
    """
    F = {f: i for i, f in enumerate(FEATURES)}
    d0, d1 = X[:, F["d0"]], X[:, F["d1"]]
    X[:, F["own_d0"]] = own_logit * d0
    X[:, F["own_d1"]] = own_logit * d1
    X[:, F["own_d2p"]] = own_logit * (1 - d0 - d1)
    return X


def _parse_marks_cached(
    texts: list[str], nlp: Any, cache: str | Path | None
) -> dict[str, list[tuple[int, int]]] | None:
    """:func:`parse_marks` of each text, kept in ``cache``; ``None`` without a parser.

    ``nlp`` is a pipeline, the name of an installed one (loaded only if a text is not
    in the cache), or ``None``/``False`` (patterns only).
    """
    if nlp is None or nlp is False:
        return None
    from insights._rerun import cached_values
    from insights.nlp import load_spacy, pipeline_key

    def parse(todo: list[str]) -> list[list[tuple[int, int]]]:
        # the intent parse's pipeline (loaded once for both): the lemmatizer it adds runs
        # after the parser, so the clauses are the same
        pipe = load_spacy(nlp, exclude=("ner",)) if isinstance(nlp, str) else nlp
        return parse_marks(todo, pipe)

    vals, _ = cached_values(
        texts, parse, folder=cache, namespace=f"causal-marks:v1:{pipeline_key(nlp)}"
    )
    return dict(zip(texts, vals, strict=True))


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
    context_rows: int = CONTEXT_ROWS,
    own_model: OwnCauseModel | None = None,
    cache: str | Path | None = None,
) -> dict[int, tuple[list[Candidate], np.ndarray]]:
    """Candidates and their feature matrix for every target row (emotional segment).

    The context of row ``i``: rows of the same transcript whose turn is at most
    ``context_turns`` before ``i``'s, up to ``i`` itself, plus the later rows of its
    own turn; of a long turn, only the ``context_rows`` rows on either side of ``i``
    (its own turn) or the last ``context_rows`` (an earlier turn): see
    :data:`CONTEXT_ROWS`. ``model`` (False: none) scores spans' emotions; ``embedder`` (False:
    none) gives the similarity features and, with ``own_model``, the ``own_*`` ones.
    ``cache`` (a folder) keeps the spans' emotion scores and the parse's causal
    clauses per text for re-runs; ``nlp`` may be an installed pipeline's name (loaded
    only for texts not parsed before).
    """
    from insights._progress import progress

    n = len(texts)
    by_tid: dict[str, list[int]] = {}
    by_turn: dict[tuple[str, int], list[int]] = {}
    for i in range(n):
        by_tid.setdefault(tids[i], []).append(i)
        by_turn.setdefault((tids[i], turns[i]), []).append(i)
    pos, left = [0] * n, [0] * n  # each row's place in its turn, and the rows after it
    for rows in by_turn.values():
        for j, k in enumerate(rows):
            pos[k], left[k] = j, len(rows) - 1 - j
    marks = _parse_marks_cached(sorted({texts[i] for i in targets}), nlp, cache)
    cand_sets = {}
    for i in progress(targets, desc="finding causes", unit="segment"):
        ctx = [
            k
            for k in by_tid[tids[i]]
            if 0 <= turns[i] - turns[k] <= context_turns
            and (k <= i or turns[k] == turns[i])
            and (
                abs(pos[k] - pos[i]) <= context_rows
                if turns[k] == turns[i]
                else left[k] < context_rows
            )
        ]
        own = None if marks is None else marks[texts[i]]
        cand_sets[i] = cause_candidates(texts, i, ctx, marks=own)
    span_texts = sorted({texts[c.seg][c.start : c.end] for cs in cand_sets.values() for c in cs})
    span_scores = None
    if model is not False and span_texts:
        from insights._rerun import cached_values
        from insights.emotions import get_emotion_model

        m = model or get_emotion_model()
        _embed_while_scoring(m, embedder, span_texts)
        probs, _ = cached_values(
            span_texts,
            lambda todo: list(m.score(todo)[0]),
            folder=cache,
            namespace=f"span-emotions:{m.fingerprint()}",
        )
        span_scores = dict(zip(span_texts, probs, strict=True))
    vecs = None
    prev = previous_rows(tids)
    if embedder is not False and embedder is not None and span_texts:
        uniq = set(span_texts) | {texts[i] for i in targets}
        if own_model is not None:
            uniq |= {texts[prev[i]] for i in targets if prev[i] is not None}
        uniq = sorted(uniq)
        vecs = dict(zip(uniq, embedder.encode(uniq), strict=True))
    own_inputs = {}
    if vecs is not None and own_model is not None:
        own_inputs = own_cause_rows(texts, prev, labs, targets, vecs)
    out = {}
    for i in targets:
        cs = cand_sets[i]
        sims = own = None
        if vecs is not None:
            u = vecs[texts[i]]
            sims = np.array([float(vecs[texts[c.seg][c.start : c.end]] @ u) for c in cs])
        if i in own_inputs:
            own = float(own_model.logit(own_inputs[i])[0])
        X = candidate_features(
            cs,
            i,
            texts=texts,
            turns=turns,
            speakers=speakers,
            emotion=labs[i],
            span_scores=span_scores,
            sims=sims,
            labels=labs,
            own_logit=own,
        )
        out[i] = (cs, X)
    return out


def _embed_while_scoring(model: Any, embedder: Any, texts: Sequence[str]) -> None:
    """Span texts new to both: scored and embedded in one pass through the shared base.

    Only when ``embedder`` caches the default all-MiniLM-L6-v2 (whose lower layers are
    the emotion model's base); the vectors go into its cache, the scores into the model's
    memory, so the calls after this one find them.
    """
    from insights.embed import CachedEmbedder, MiniLMEmbedder

    inner = getattr(embedder, "inner", None)
    if not (
        isinstance(embedder, CachedEmbedder)
        and type(inner) is MiniLMEmbedder
        and inner.model_path is None
        and hasattr(model, "score_and_embed")
    ):
        return
    todo = embedder.missing(texts)
    if todo:
        vectors = model.score_and_embed(todo)
        whole = ~np.isnan(vectors).any(axis=1)  # long texts: left to the embedder
        embedder.store([t for t, ok in zip(todo, whole, strict=True) if ok], vectors[whole])


class CauseRanker:
    """A linear scorer of cause candidates (weights from ``cause_ranker.json``).

    ``own_model`` (also read from the JSON's ``own_cause``) gives the ``own_*``
    features; without it they are 0. ``where`` (the JSON's ``where``) decides whether
    the cause lies in an earlier turn (:meth:`rank`).

    Examples
    --------
    >>> ranker = CauseRanker({"bias": 1.0})
    >>> ranker.uses("bias"), ranker.uses("sim")
    (True, False)
    """

    def __init__(
        self,
        weights: dict[str, float] | None = None,
        *,
        path: str | Path | None = None,
        own_model: OwnCauseModel | None = None,
        fallback: float | None = None,
        where: WhereModel | None = None,
    ):
        if weights is None:
            meta = json.loads(Path(path or _RANKER_PATH).read_text())
            weights = meta["weights"]
            self.meta_ = meta
            if own_model is None and meta.get("own_cause"):
                own_model = OwnCauseModel.from_dict(meta["own_cause"])
            if fallback is None:
                fallback = meta.get("whole_segment_fallback")
            if where is None and meta.get("where"):
                where = WhereModel.from_dict(meta["where"])
        self.weights = dict(weights)
        self.own_model = own_model
        self.fallback = fallback
        self.where = where
        self._w = np.array([self.weights.get(f, 0.0) for f in FEATURES])

    def uses(self, feature: str) -> bool:
        """Whether ``feature`` has a non-zero weight (else it need not be computed)."""
        return abs(self.weights.get(feature, 0.0)) > 0

    def score(self, X: np.ndarray) -> np.ndarray:
        """Probability-like scores in (0, 1)."""
        return 1.0 / (1.0 + np.exp(-(X @ self._w)))

    def rank(
        self,
        cands: Sequence[Candidate],
        X: np.ndarray,
        target: int,
        *,
        earlier: Sequence[bool] | None = None,
        p_earlier: float | None = None,
        excluded: Sequence[bool] | None = None,
    ) -> np.ndarray:
        """Candidate indices, best first, with the where decision and the whole-segment fallback.

        ``earlier`` tells which candidates lie in an earlier turn and ``p_earlier`` is the
        :class:`~insights.triggers.WhereModel`'s probability that the cause lies there
        (``None``: no decision). Its log-odds, times the where model's ``weight``, go to the
        earlier candidates' scores; at or above its ``threshold`` only
        earlier candidates compete. When the best candidate lies in the emotional
        segment's own turn and beats the segment ``target`` itself by no more than
        ``fallback`` (log-odds; chosen on RECCON's tune conversations, see the model
        README; ``None``: no fallback), the whole segment is the cause. ``excluded``
        candidates (an interviewer's "Right.") come last.

        Examples
        --------
        >>> cs = [Candidate(0, 0, 9, "segment"), Candidate(1, 0, 5, "segment")]
        >>> X = np.zeros((2, len(FEATURES)))
        >>> X[1, FEATURES.index("bias")] = 1.0
        >>> r = CauseRanker({"bias": 1.0}, fallback=1.5)
        >>> r.rank(cs, X, 0).tolist(), CauseRanker({"bias": 1.0}).rank(cs, X, 0).tolist()
        ([0, 1], [1, 0])
        >>> w = CauseRanker({"bias": -1.0}, where=WhereModel({}, threshold=0.6))
        >>> w.rank(cs, X, 0, earlier=[False, True], p_earlier=0.7).tolist()
        [1, 0]
        """
        logit = X @ self._w
        if excluded is not None:
            logit = np.where(np.asarray(excluded, bool), logit - 1e9, logit)
        early = np.zeros(len(cands), bool) if earlier is None else np.asarray(earlier, bool)
        if p_earlier is not None and self.where is not None and early.any():
            p = min(max(float(p_earlier), 1e-6), 1 - 1e-6)
            logit = logit + self.where.weight * math.log(p / (1 - p)) * early
            if float(p_earlier) >= self.where.threshold and (logit[early] > -1e8).any():
                logit = np.where(early, logit, logit - 1e6)
        order = np.argsort(-logit, kind="stable")
        if self.fallback is None or early[order[0]]:
            return order
        own = [j for j, c in enumerate(cands) if c.seg == target and c.kind == "segment"]
        if not own or logit[order[0]] - logit[own[0]] > self.fallback:
            return order
        return np.array([own[0], *[j for j in order if j != own[0]]])


_DEFAULT_RANKER: list[CauseRanker] = []


def default_ranker() -> CauseRanker:
    """The shipped :class:`CauseRanker`, read once.

    Examples
    --------
    >>> default_ranker() is default_ranker()
    True
    """
    if not _DEFAULT_RANKER:
        _DEFAULT_RANKER.append(CauseRanker())
    return _DEFAULT_RANKER[0]
