"""The own-cause model.

Does an emotional segment carry its own cause, or answer what came before?

"Congratulations, that's wonderful!" answers the previous turn; "I'm thrilled, I got
the job" carries its own cause. :class:`OwnCauseModel` reads sentence vectors of the
segment and of the one before it (:func:`own_cause_features`); its log-odds feed the
``own_*`` features of the cause ranker.

Examples
--------
>>> prev = previous_rows(["c", "c"])
>>> vecs = {"I got the job.": np.array([1.0]), "Wonderful!": np.array([2.0])}
>>> rows = own_cause_rows(["I got the job.", "Wonderful!"], prev, ["", "joy"], [1], vecs)
>>> OwnCauseModel([0.0, 1.0, 0.0] + [0.0] * 7, -0.5).logit(rows[1]).tolist()
[0.5]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from insights.emotions import LABEL_TO_EKMAN

__all__ = ["OWN_GROUPS", "previous_rows", "own_cause_features", "own_cause_rows", "OwnCauseModel"]

#: Ekman groups one-hot in the own-cause model's input (neutral segments have no cause).
OWN_GROUPS: tuple[str, ...] = ("anger", "disgust", "fear", "joy", "sadness", "surprise")


def previous_rows(tids: Sequence[str]) -> list[int | None]:
    """Row index of the segment before each row in the same transcript (None for the first).

    Examples
    --------
    >>> previous_rows(["a", "a", "b"])
    [None, 0, None]
    """
    return [i - 1 if i > 0 and tids[i - 1] == tids[i] else None for i in range(len(tids))]


def own_cause_features(vec: np.ndarray, prev_vec: np.ndarray | None, label: str) -> np.ndarray:
    """Input of :class:`OwnCauseModel` for one segment.

    The segment's vector, the previous segment's (zeros when none), their product,
    the Ekman group one-hot (:data:`OWN_GROUPS`) and whether there is no previous
    segment.

    Examples
    --------
    >>> own_cause_features(np.array([1.0]), None, "anger").tolist()
    [1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]
    """
    z = prev_vec if prev_vec is not None else np.zeros_like(vec)
    group = LABEL_TO_EKMAN.get(label, label)
    onehot = [float(group == g) for g in OWN_GROUPS]
    return np.concatenate([vec, z, vec * z, onehot, [float(prev_vec is None)]])


def own_cause_rows(
    texts: Sequence[str],
    prev: Sequence[int | None],
    labs: Sequence[str],
    rows: Sequence[int],
    vecs: dict[str, np.ndarray],
) -> dict[int, np.ndarray]:
    """{row: :func:`own_cause_features`} of ``rows``.

    ``prev`` is :func:`previous_rows`; ``vecs`` maps each row's text and the text of
    the segment before it to its sentence vector.
    """
    return {
        i: own_cause_features(
            vecs[texts[i]], vecs[texts[prev[i]]] if prev[i] is not None else None, labs[i]
        )
        for i in rows
    }


class OwnCauseModel:
    """Log-odds that an emotional segment's cause lies in the segment itself rather than before it.

    A logistic regression over :func:`own_cause_features` (sentence vectors of the
    segment and of the one before it): "Congratulations, that's wonderful!" answers
    the previous turn; "I'm thrilled, I got the job" carries its own cause. Its
    output feeds the ``own_*`` features of the cause ranker.

    Examples
    --------
    >>> m = OwnCauseModel.from_dict({"coef": [1.0, -1.0], "intercept": 0.5})
    >>> m.logit([2.0, 1.0]).tolist()
    [1.5]
    """

    def __init__(self, coef: Sequence[float], intercept: float):
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = float(intercept)

    @classmethod
    def fit(cls, X: np.ndarray, own: np.ndarray, *, C: float = 0.1) -> OwnCauseModel:
        """Fit on inputs ``X`` and ``own`` (1 where the cause lies in the segment)."""
        from sklearn.linear_model import LogisticRegression

        lr = LogisticRegression(C=C, max_iter=3000).fit(X, own)
        return cls(lr.coef_[0], float(lr.intercept_[0]))

    def logit(self, X: np.ndarray) -> np.ndarray:
        """The log-odds of each row of ``X`` (one input: one value)."""
        X = np.atleast_2d(np.asarray(X, dtype=np.float64))
        if X.shape[1] != len(self.coef):
            raise ValueError(f"own-cause model expects {len(self.coef)} inputs, got {X.shape[1]}")
        return X @ self.coef + self.intercept

    def to_dict(self) -> dict[str, Any]:
        """The coefficients rounded to 5 decimals, as stored in ``cause_ranker.json``."""
        return {
            "coef": [round(float(c), 5) for c in self.coef],
            "intercept": round(self.intercept, 5),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> OwnCauseModel:
        """The model of :meth:`to_dict`'s output."""
        return cls(d["coef"], d["intercept"])
