"""Semantic coding: similarity to each code, and its calibration into confidence."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from insights.errors import InputError
from insights.schema import require_columns

from ._code import DEFAULT_CALIBRATION, Calibration, Code
from ._head import decision_head
from ._lexical import HeadFeatures
from ._model import Codebook
from ._rules import rule_matrix
from ._segments import prepare_segments
from ._study import StudyModel
from ._words import word_scores

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from insights.embed import Embedder

_CLAUSE_SPLIT = re.compile(
    r"\s*(?:[,;:()\u2013\u2014!?]|\s-\s|\.\s|\bbut\b|\band\b|\bthough\b|\balthough\b)\s*", re.I
)


def _clauses(text: str, *, min_words: int = 2) -> list[str]:
    """Clauses of a segment worth embedding on their own (empty when it has only one)."""
    parts = [p.strip() for p in _CLAUSE_SPLIT.split(text) if p and p.strip()]
    parts = [p for p in parts if len(p.split()) >= min_words]
    return parts if len(parts) > 1 else []


def _code_similarity(
    x: np.ndarray, codes: list[Code], defs: np.ndarray, examples, excludes
) -> np.ndarray:
    sim = x @ defs.T
    for j, (ex, neg_vecs) in enumerate(zip(examples, excludes, strict=True)):
        if ex is not None and len(ex):
            s = x @ ex.T
            k = min(2, s.shape[1])
            top = np.sort(s, axis=1)[:, -k:].mean(axis=1)
            sim[:, j] = np.maximum(sim[:, j], top)
        if neg_vecs is not None:
            neg = (x @ neg_vecs.T).max(axis=1)
            sim[:, j] -= 0.5 * np.clip(neg - sim[:, j], 0, None)
    return sim


def embedded_texts(texts: Sequence[str]) -> list[str]:
    """What coding ``texts`` encodes with the embedder: each text, then its clauses.

    So an engine can embed a study's texts ahead, in partitions (the coding then finds
    every vector in the embedder's cache).

    Examples
    --------
    >>> embedded_texts(["Great food, rude staff.", "Yes."])
    ['Great food, rude staff.', 'Yes.', 'Great food', 'rude staff.']
    """
    texts = [str(t) for t in texts]
    return [*texts, *(part for t in texts for part in _clauses(t))]


def embed_segments(texts: Sequence[str], emb: Embedder, *, clauses: bool = True):
    """Embeddings of the segments and of their clauses: ``(x, clause_vectors, clause_owner)``."""
    x = emb.encode(list(texts))
    owner, parts = [], []
    if clauses:
        for i, text in enumerate(texts):
            for part in _clauses(text):
                owner.append(i)
                parts.append(part)
    cvec = emb.encode(parts) if parts else np.zeros((0, x.shape[1]), dtype=np.float32)
    return x, cvec, np.asarray(owner, dtype=int)


def code_similarity(
    x: np.ndarray, cvec: np.ndarray, owner: np.ndarray, codes: list[Code], emb: Embedder
) -> np.ndarray:
    """Similarity of every segment (the best of the whole and of each clause) to every code."""
    defs = emb.encode([c.definition_text() for c in codes])
    examples = [emb.encode(c.examples) if c.examples else None for c in codes]
    excludes = [emb.encode(c.exclude) if c.exclude else None for c in codes]
    sim = _code_similarity(x, codes, defs, examples, excludes)
    if len(owner):
        csim = _code_similarity(cvec, codes, defs, examples, excludes)
        np.maximum.at(sim, owner, csim)
    return sim


def semantic_scores(
    segments: pd.DataFrame,
    codebook: Codebook,
    *,
    embedder: Embedder | None = None,
    clauses: bool = True,
) -> tuple[list[str], list[str], np.ndarray]:
    """Cosine similarity of every segment to every codable code.

    The similarity to a code is the larger of the similarity to its description
    (name, definition, include notes) and the mean of the two most similar
    examples, minus half the excess similarity to its exclude notes. With
    ``clauses`` (default), a segment made of several clauses ("great food,
    rude staff") scores the best of the whole and of each clause, so a code
    mentioned in passing is not drowned by the rest of the sentence.

    Returns
    -------
    segment_ids, code_names, scores : list, list, ndarray of shape (n_segments, n_codes)
    """
    from insights.embed import get_embedder

    emb = embedder if embedder is not None else get_embedder()
    segs = prepare_segments(segments)
    codes = [c for c in codebook.codes if c.is_codable]
    if not codes or segs.empty:
        ids = segs["segment_id"].tolist()
        return ids, [c.name for c in codes], np.zeros((len(segs), len(codes)))
    x, cvec, owner = embed_segments(segs["text"].tolist(), emb, clauses=clauses)
    return (
        segs["segment_id"].tolist(),
        [c.name for c in codes],
        code_similarity(x, cvec, owner, codes, emb),
    )


def _lineage_mask(codebook: Codebook, names: list[str]) -> np.ndarray:
    """mask[j, k] is True when codes j and k are different and neither is the other's ancestor."""
    parents = {c.name: c.parent for c in codebook.codes}

    def ancestors(name: str) -> set[str]:
        out, node = set(), parents.get(name)
        while node is not None and node not in out:
            out.add(node)
            node = parents.get(node)
        return out

    anc = {n: ancestors(n) for n in names}
    return np.array(
        [
            [j != k and a not in anc[b] and b not in anc[a] for k, b in enumerate(names)]
            for j, a in enumerate(names)
        ]
    )


def _margin(sim: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Similarity minus the best similarity to a code outside the code's own lineage."""
    n = sim.shape[1]
    if n < 2:
        return np.zeros_like(sim)
    if mask is None:
        mask = ~np.eye(n, dtype=bool)
    out = np.zeros_like(sim)
    for j in range(n):
        others = sim[:, mask[j]]
        out[:, j] = sim[:, j] - (others.max(axis=1) if others.shape[1] else 0.0)
    return out


#: weight of the soft keywords (:func:`word_scores`) and of a rule hit in the zero-shot prior
WORD_WEIGHT = 0.5
RULE_WEIGHT = 0.3
#: "No code" that holds. The study model's scores are relative (every segment goes to its
#: likeliest code), so the model applies a code only where the evidence is there in absolute
#: terms: the segment's closeness (cosine similarity of the segment or one of its clauses to
#: the code's description or examples, :func:`code_similarity`; soft keywords are left out,
#: since any two words of MiniLM are about 0.5 alike) to *some* code is at least
#: ``ANY_CODE_FLOOR`` ("any code?"), and to *this* code at least ``CLOSENESS_FLOOR``, or
#: ``RULE_FLOOR`` with a rule hit. Chosen on true negatives (``benchmarks/coding_eval.py
#: --fit-floor``): the tune half of the MLSS and Hit Save interviews with the sample study's
#: customer codebook, and of SemEval with its restaurant codebooks, by a rule fixed before the
#: table was read (best SemEval tune micro-F1 among the settings that code at most 5% of the
#: unrelated tune segments); the other halves are the held-out check (MiniLM).
ANY_CODE_FLOOR = 0.30
CLOSENESS_FLOOR = 0.36
RULE_FLOOR = 0.25
#: Those floors are for a codebook that does not fit the study. How well it fits is read
#: from the study itself, without labels (:func:`study_fit`: the median, over the study's
#: segments, of their closeness to the closest code). A one-line definition is often not
#: close to a sentence that is about it, so where the codebook fits the study (fit at or
#: above ``FIT_HIGH``) the three floors fall to ``FITTED_FLOOR``; at or below ``FIT_LOW``
#: they stay; in between they move in proportion. With MiniLM, fits were: SemEval reviews
#: with the restaurant codebook 0.39, the sample study with its own 0.32, the MLSS and Hit
#: Save interviews with the sample study's customer codebook 0.24 and 0.21, with the
#: restaurant codebook 0.19 and 0.15. ``FIT_LOW`` and ``FIT_HIGH`` were set between those
#: before any F1 was read; ``FITTED_FLOOR`` is the best SemEval tune micro-F1 of the grid
#: 0.15-0.33 (``coding_eval.py --fit-floor``); the unrelated studies keep the floors above.
FIT_LOW = 0.28
FIT_HIGH = 0.38
FITTED_FLOOR = 0.15


def study_fit(closeness: np.ndarray) -> float:
    """How well a codebook fits a study: the median segment's closeness to its closest code.

    Examples
    --------
    >>> import numpy as np
    >>> study_fit(np.array([[0.5, 0.3], [0.2, 0.1], [0.4, 0.45]]))
    0.45
    """
    close = np.asarray(closeness, dtype=float)
    if close.size == 0:
        return 0.0
    return round(float(np.median(close.max(axis=1))), 4)


def gate_floors(closeness: np.ndarray, floor: float | None = None) -> tuple[float, float, float]:
    """The study's ``(any code, this code, this code with a rule hit)`` floors.

    They fall from ``ANY_CODE_FLOOR``, ``CLOSENESS_FLOOR`` and ``RULE_FLOOR`` towards
    ``FITTED_FLOOR`` as :func:`study_fit` rises from ``FIT_LOW`` to ``FIT_HIGH``; ``floor``
    (the codebook's) moves all three by its difference from ``CLOSENESS_FLOOR``.

    Examples
    --------
    >>> import numpy as np
    >>> gate_floors(np.full((3, 2), 0.1))
    (0.3, 0.36, 0.25)
    >>> gate_floors(np.full((3, 2), 0.5))
    (0.15, 0.15, 0.15)
    """
    shift = 0.0 if floor is None else floor - CLOSENESS_FLOOR
    w = min(1.0, max(0.0, (study_fit(closeness) - FIT_LOW) / (FIT_HIGH - FIT_LOW)))
    return tuple(  # type: ignore[return-value]
        round(f - w * (f - FITTED_FLOOR) + shift, 4)
        for f in (ANY_CODE_FLOOR, CLOSENESS_FLOOR, RULE_FLOOR)
    )


def absolute_gate(closeness: np.ndarray, rule: np.ndarray, floor: float | None) -> np.ndarray:
    """Which (segment, code) the evidence allows in absolute terms: a boolean matrix.

    The floors are the study's (:func:`gate_floors`; ``floor`` moves the three together);
    a segment close to no code gets none, whatever the other codes score.

    Examples
    --------
    >>> import numpy as np
    >>> close = np.array([[0.5, 0.3, 0.2], [0.28, 0.28, 0.1], [0.2, 0.2, 0.1]])
    >>> rule = np.array([[0, 1, 0], [0, 1, 0], [0, 0, 0]])
    >>> absolute_gate(close, rule, None).tolist()
    [[True, True, False], [False, False, False], [False, False, False]]
    """
    close = np.asarray(closeness, dtype=float)
    if close.size == 0:
        return np.zeros(close.shape, dtype=bool)
    any_floor, pair_floor, rule_floor = gate_floors(close, floor)
    any_code = close.max(axis=1, keepdims=True) >= any_floor
    pair = (close >= pair_floor) | ((rule > 0) & (close >= rule_floor))
    return any_code & pair


def closeness_floor(
    conf: np.ndarray, closeness: np.ndarray, rule: np.ndarray, floor: float | None
) -> np.ndarray:
    """``conf`` with 0 where :func:`absolute_gate` does not allow the code.

    Examples
    --------
    >>> import numpy as np
    >>> closeness_floor(np.array([[0.9, 0.8]]), np.array([[0.5, 0.1]]),
    ...                 np.zeros((1, 2)), None).tolist()
    [[0.9, 0.0]]
    """
    return np.where(absolute_gate(closeness, rule, floor), conf, 0.0)


def taught_closeness(
    closeness: np.ndarray, features: np.ndarray, taught: list[tuple[int, int, bool]]
) -> np.ndarray:
    """Closeness with the researcher's accepted codings counted as the code's examples.

    A segment as close to two segments the researcher coded with a code (the mean of
    its two best cosines to them, on the segment embeddings: the first half of
    ``features``) as to the code's description is close to the code.
    """
    out = np.array(closeness, dtype=float)
    d = features.shape[1] // 2
    x = features[:, :d]
    by_code: dict[int, list[int]] = {}
    for r, c, ok in taught:
        if ok:
            by_code.setdefault(c, []).append(r)
    for j, rows in by_code.items():
        s = x @ x[rows].T
        k = min(2, s.shape[1])
        out[:, j] = np.maximum(out[:, j], np.sort(s, axis=1)[:, -k:].mean(axis=1))
    return out


#: accepted codings of a code from which they count fully in its prior (:func:`taught_prior`).
#: Chosen on SemEval dev scored on the tune half (``benchmarks/coding_eval.py``): counted
#: fully from the first, they raise the learning curve at 10 per code (0.574 -> 0.594) but
#: a review queue's first 24 decisions lower F1 (0.553 -> 0.536); from 10, 0.599 and 0.554.
TAUGHT_FULL = 10


def taught_prior(
    prior: np.ndarray,
    closeness: np.ndarray,
    taught_close: np.ndarray,
    taught: list[tuple[int, int, bool]],
) -> np.ndarray:
    """The zero-shot prior with the researcher's accepted codings counted as the code's examples.

    The closeness a code gains from its accepted codings (:func:`taught_closeness`) is added
    to its prior, so the study model's pseudo-labels follow them; in proportion to how many
    it has, up to ``TAUGHT_FULL``: one or two accepted codings (often the unsure ones a review
    shows) are a noisy picture of a code.
    """
    count = np.zeros(prior.shape[1])
    for _, c, ok in taught:
        count[c] += ok
    weight = np.minimum(1.0, count / TAUGHT_FULL)
    return prior + (taught_close - closeness) * weight[None, :]


def decision_rows(decisions, ids: list[str], names: list[str]) -> list[tuple[int, int, bool]]:
    if decisions is None or len(decisions) == 0:
        return []
    row = {sid: i for i, sid in enumerate(ids)}
    col = {n: j for j, n in enumerate(names)}
    conf = decisions["confidence"] if "confidence" in decisions.columns else [1.0] * len(decisions)
    return [
        (row[str(sid)], col[code], float(c) >= 0.5)
        for sid, code, c in zip(decisions["segment_id"], decisions["code"], conf, strict=True)
        if str(sid) in row and code in col
    ]


def study_inputs(segs: pd.DataFrame, codebook: Codebook, rule: np.ndarray, *, embedder: Embedder):
    """What :class:`StudyModel` learns from: ``(names, features, prior, examples, closeness)``.

    The zero-shot prior is the similarity to the code's definition and examples
    (:func:`code_similarity`) plus ``WORD_WEIGHT`` x :func:`word_scores` plus
    ``RULE_WEIGHT`` x a rule hit; the features are each segment's embedding and the
    mean of its clauses' embeddings; the examples are the codebook's example quotes;
    ``closeness`` is the similarity alone (what :func:`absolute_gate` reads).
    """
    codes = [c for c in codebook.codes if c.is_codable]
    texts = segs["text"].tolist()
    x, cvec, owner = embed_segments(texts, embedder)
    closeness = code_similarity(x, cvec, owner, codes, embedder)
    prior = closeness + WORD_WEIGHT * word_scores(texts, codes, embedder) + RULE_WEIGHT * rule
    cmean = x.astype(float).copy()
    if len(owner):
        total = np.zeros_like(cmean)
        np.add.at(total, owner, cvec)
        count = np.bincount(owner, minlength=len(x))
        has = count > 0
        cmean[has] = total[has] / count[has, None]
    ex_texts = [(e, j) for j, c in enumerate(codes) for e in c.examples]
    examples = None
    if ex_texts:
        ev = embedder.encode([e for e, _ in ex_texts])
        examples = (np.hstack([ev, ev]), [j for _, j in ex_texts])
    return [c.name for c in codes], np.hstack([x, cmean]), prior, examples, closeness


def study_standardise(scores: np.ndarray) -> np.ndarray:
    """The scores as z-scores over the whole study (every segment and code together).

    Not per code: standardised per code, every code gets the same share of high scores,
    so a code the study hardly has (one SemEval tune sentence of 395 is about where the
    restaurant is) is applied as often as a common one. Over the study as a whole a code's
    scores keep their level; how each one stands against the other codes is the margin.

    Examples
    --------
    >>> import numpy as np
    >>> study_standardise(np.array([[1.0, 0.0], [3.0, 0.0]])).round(2).tolist()
    [[0.0, -0.82], [1.63, -0.82]]
    """
    s = np.asarray(scores, dtype=float)
    if s.size < 2 or s.std() < 1e-9:
        return np.zeros_like(s)
    return (s - s.mean()) / s.std()


def score_features(score: np.ndarray, codebook: Codebook, names: list[str]):
    """Calibration features of study-model scores: standardised over the study, and the margin.

    ``benchmarks/coding_eval.py`` on the SemEval tune half (definitions only, the default
    calibration refitted for each): standardised per code 0.555 micro-F1, over the study
    0.576 (0.542 -> 0.576 and 0.568 -> 0.575 on its two quarters), measured before soft
    keywords were taken relative to the study's median segment (:func:`word_scores`).
    """
    return study_standardise(score), _margin(score, _lineage_mask(codebook, names))


def study_features(
    segs: pd.DataFrame,
    codebook: Codebook,
    rule: np.ndarray,
    *,
    embedder: Embedder,
    decisions: pd.DataFrame | None = None,
    model: StudyModel | None = None,
) -> tuple[np.ndarray, np.ndarray, StudyModel]:
    """The calibration features of every (segment, codable code): standardised score and margin.

    :class:`StudyModel` (a copy of ``model`` when given) turns the zero-shot prior of
    :func:`study_inputs`, with the codebook's examples and the human ``decisions``, into
    scores over this study's segments. Features: the scores standardised over the study
    (:func:`study_standardise`), and the margin over the best code outside the code's
    own lineage (relative to the other codes). Only pairs
    :func:`absolute_gate` allows become pseudo-labels, so self-training does not learn
    from, and spread, codings the evidence does not carry; the fitted model's
    ``closeness_`` is the closeness of :func:`study_inputs`, with the accepted
    ``decisions`` as examples (:func:`taught_closeness`).
    """
    names, features, prior, examples, close = study_inputs(segs, codebook, rule, embedder=embedder)
    ids = segs["segment_id"].tolist()
    taught = decision_rows(decisions, ids, names)
    taught_close = taught_closeness(close, features, taught)
    prior = taught_prior(prior, close, taught_close, taught)
    close = taught_close
    fitted = StudyModel(**(model.get_params() if model is not None else {})).fit(
        features,
        prior,
        decisions=taught,
        examples=examples,
        eligible=absolute_gate(close, rule, codebook.floor),
    )
    fitted.closeness_ = close
    fitted.features_ = features
    s, m = score_features(fitted.scores_, codebook, names)
    return s, m, fitted


def _fit_logistic(X: np.ndarray, y: np.ndarray) -> Calibration:
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=10.0, max_iter=2000).fit(X, y)
    a, b, c = lr.coef_[0]
    return Calibration(
        similarity=float(a), margin=float(b), rule=float(c), intercept=float(lr.intercept_[0])
    )


def _best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The confidence threshold that maximises F1 (ties: the higher threshold)."""
    best, best_f1 = 0.5, -1.0
    for t in np.round(np.arange(0.1, 0.91, 0.05), 2):
        pred = p >= t
        tp = int((pred & (y == 1)).sum())
        f1 = 2 * tp / max(1, pred.sum() + (y == 1).sum())
        if f1 >= best_f1:
            best, best_f1 = float(t), f1
    return best


def calibrate(
    segments: pd.DataFrame,
    codebook: Codebook,
    human_codes: pd.DataFrame,
    *,
    embedder: Embedder | None = None,
    nlp=None,
    per_code_min: int = 8,
    tune_thresholds: bool = True,
) -> Codebook:
    """A copy of ``codebook`` whose confidences are calibrated on human codes.

    Every segment that appears in ``human_codes`` counts as judged: codes the
    human did not apply to it are negatives. A logistic map from (similarity,
    margin, rule hit) to probability is fitted for the whole codebook, and one
    per code that has at least ``per_code_min`` positive segments. With
    ``tune_thresholds``, such codes also get the F1-optimal ``threshold``.
    Save the returned codebook to keep the calibration.
    """
    from insights.embed import get_embedder

    require_columns(human_codes, ["segment_id", "code"], table="human codes")
    judged = set(human_codes["segment_id"].astype(str))
    segs = prepare_segments(segments)
    if not segs["segment_id"].isin(judged).any():
        raise InputError(
            "none of the human-coded segment ids are in the segments table",
            fix="code segments by their segment_id from segments.csv",
        )
    codes = [c for c in codebook.codes if c.is_codable]
    names = [c.name for c in codes]
    ids = segs["segment_id"].tolist()
    rule = rule_matrix(segs, codebook, ids, names, nlp=nlp)
    emb = embedder if embedder is not None else get_embedder()
    # the study model sees every segment (as on a run), but not the human codes: the
    # calibration is of the model's own scores
    s_all, m_all, _ = study_features(segs, codebook, rule, embedder=emb)
    keep = segs["segment_id"].isin(judged).to_numpy()
    ids = [i for i, k in zip(ids, keep, strict=True) if k]
    s, m, r = s_all[keep], m_all[keep], rule[keep]
    pos = set(zip(human_codes["segment_id"].astype(str), human_codes["code"], strict=True))
    y = np.array([[(sid, n) in pos for n in names] for sid in ids], dtype=int)
    if y.min() == y.max():
        raise InputError(
            "the human codes are all positive or all negative; cannot calibrate",
            fix="include segments that have codes and segments that do not",
        )
    overall = _fit_logistic(np.column_stack([s.ravel(), m.ravel(), r.ravel()]), y.ravel())
    updated = []
    col = {n: j for j, n in enumerate(names)}
    for code in codebook.codes:
        j = col.get(code.name)
        if j is None or y[:, j].sum() < per_code_min or y[:, j].sum() == len(y):
            updated.append(code.model_copy(update={"calibration": None}))
            continue
        cal = _fit_logistic(np.column_stack([s[:, j], m[:, j], r[:, j]]), y[:, j])
        update: dict[str, Any] = {"calibration": cal}
        if tune_thresholds:
            p = cal.confidence(s[:, j], m[:, j], r[:, j])
            update["threshold"] = _best_threshold(p, y[:, j])
        updated.append(code.model_copy(update=update))
    return codebook.model_copy(update={"calibration": overall, "codes": updated})


def confidences(
    segments: pd.DataFrame,
    codebook: Codebook,
    *,
    embedder: Embedder | None = None,
    nlp=None,
    methods: Sequence[str] = ("rule", "semantic"),
    cache: str | Path | None = None,
    decisions: pd.DataFrame | None = None,
) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """Calibrated confidence of every (segment, codable code), and the rule hits.

    The semantic scores come from the study's own model (:func:`study_features`),
    taught by the codebook's examples; a code the evidence does not allow in absolute
    terms has confidence 0 (:func:`absolute_gate`). The human ``decisions``, when given,
    then move each code's confidences through its decision head (:mod:`._head`).
    Rule matches are cached in ``cache`` (see :func:`rule_code`).

    Returns
    -------
    segment_ids, code_names, confidence, rule_hit : list, list, ndarray, ndarray
    """
    segs = prepare_segments(segments)
    codes = [c for c in codebook.codes if c.is_codable]
    names = [c.name for c in codes]
    ids = segs["segment_id"].tolist()
    if not codes or segs.empty:
        z = np.zeros((len(ids), len(names)))
        return ids, names, z, z.copy()
    rule = (
        rule_matrix(segs, codebook, ids, names, nlp=nlp, cache=cache)
        if "rule" in methods
        else np.zeros((len(ids), len(names)))
    )
    if "semantic" not in methods:
        return ids, names, rule.copy(), rule
    from insights.embed import get_embedder

    emb = embedder if embedder is not None else get_embedder()
    conf, features = zero_shot(segs, codebook, rule, embedder=emb)
    return ids, names, decision_head(features, conf, decision_rows(decisions, ids, names)), rule


def zero_shot(segs: pd.DataFrame, codebook: Codebook, rule: np.ndarray, *, embedder: Embedder):
    """The zero-shot coder's gated confidences, and the segments' features: ``(conf, features)``.

    ``features`` (:class:`~insights.codebook._lexical.HeadFeatures`) are what the decision
    head reads: the segment embeddings, the zero-shot prior, and the study's words.

    The study model is not taught the decisions: they teach :func:`decision_head` on top
    (on SemEval dev at 10 coded segments per code, teaching both scored as the head alone).
    """
    s, m, fitted = study_features(segs, codebook, rule, embedder=embedder)
    conf = calibrated(s, m, rule, codebook)
    features = HeadFeatures(fitted.features_, fitted.prior_, segs["text"].tolist())
    return closeness_floor(conf, fitted.closeness_, rule, codebook.floor), features


def calibrated(s: np.ndarray, m: np.ndarray, rule: np.ndarray, codebook: Codebook) -> np.ndarray:
    """Confidence of every (segment, codable code) from its study-model features."""
    codes = [c for c in codebook.codes if c.is_codable]
    conf = np.zeros_like(s)
    for j, code in enumerate(codes):
        cal = code.calibration or codebook.calibration or DEFAULT_CALIBRATION
        conf[:, j] = cal.confidence(s[:, j], m[:, j], rule[:, j])
    return conf
