"""Calibration on human codes: :func:`calibrate`, a logistic map per codebook and per code."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from insights.errors import InputError
from insights.schema import require_columns

from ._code import Calibration
from ._model import Codebook
from ._rules import rule_matrix
from ._segments import prepare_segments
from ._semantic import study_features

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from insights.embed import Embedder


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
