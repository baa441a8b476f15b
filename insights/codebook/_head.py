"""Learning from the researcher: a per-code head over the embeddings, shrunk to the zero-shot coder.

The zero-shot coder (:func:`~insights.codebook.study_features` and its calibration) gives
every (segment, code) a confidence from the codebook alone. Once the researcher has coded
some segments (``decisions.csv``, notebook 03's review, ``import-qdpx``), each code gets
its own logistic head over the segment embeddings whose *offset* is the zero-shot logit:

    logit p(code | segment) = logit(zero-shot confidence) + w . x + b

fitted on the decided segments only, with a ridge penalty on ``w`` (``HEAD_LAMBDA``). The
head counts in proportion to how many segments teach the code, fully from ``HEAD_FULL``:
with no decisions the coder is the zero-shot one, and a few reviewed codings (a biased
sample: the ones a queue shows) move it only a little. A segment's labels for a code are

- 1 where the researcher accepted the code on it;
- 0 where they rejected it, and where they accepted *another* code on it and said nothing
  of this one (a coded segment is a negative for the codes it was not given);
- none otherwise (the segment teaches the code nothing).

A negative of the second kind is an assumption, true where the researcher coded the
segment in full (``examples:``, a coding imported from a QDA tool) and not where they
answered one proposed coding (a review: accepting "food quality" says nothing of
"service"). It weighs ``1 - zero-shot confidence``: as much as the coder doubts the code
there. On the SemEval tune half (two quarters, examples from one scored on the other)
this raised the learning curve at 10 and 25 per code from 0.639 / 0.641 to 0.641 / 0.649,
and the mean per-code alpha of a simulated review (30 per code) from 0.30 to 0.35.

Positives are up-weighted by ``(negatives / positives) ** HEAD_BALANCE`` (a code has few).

The head is *anchored* to the zero-shot coder: up to ``HEAD_ANCHOR_ROWS`` undecided
segments join the fit with the zero-shot confidence as a soft label, of total weight
``HEAD_ANCHOR``. Without it, a code that the decisions only ever mark negative (a review
whose first answers all accepted other codes) has its intercept driven without bound to
minus infinity and is never applied again: 24 surest-first reviews took micro-F1 on a
SemEval tune quarter from 0.58 to 0.31; anchored, 0.60.

Besides the segment embeddings, the head reads the study's own words (TF-IDF) and the
zero-shot prior of every code (:class:`~insights.codebook._lexical.HeadFeatures`).
Fitted afresh on each run from the study's own segments and decisions (nothing is kept
between studies), in well under a second per code.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: ridge penalty of the head's weights, and how much positives are up-weighted; chosen on
#: the two quarters of the SemEval tune half (examples from one, scored on the other; a
#: grid of 0.01-1 and 0-1 at 5, 10, 25 per code), never on the held-out half
HEAD_LAMBDA = 0.03
HEAD_BALANCE = 0.5
#: labelled segments of a code from which its head counts fully (in proportion below):
#: counted fully from the first, 24 random reviews lowered micro-F1 on a tune quarter
#: from 0.55 to 0.32; from 100, 0.55, with 10 coded segments per code 0.624 -> 0.627
HEAD_FULL = 100
#: total weight of the zero-shot anchor, and how many undecided segments carry it; chosen on
#: the SemEval tune quarters (0, 1, 2, 5, 20 tried: 2 kept 24 surest-first reviews at 0.60
#: and cost the learning curve at 10 per code 0.001). 150 rows score as 400 (0.642 at 10
#: per code either way) and fit in a fifth of the time (2.7 against 12.9 CPU s, 146
#: decisions on 783 segments): the fit's size does not grow with the study's
HEAD_ANCHOR = 2.0
HEAD_ANCHOR_ROWS = 150
#: zero-shot confidences are clipped to this before their logit (0 means "gated out")
_CLIP = 0.02


def decision_labels(
    taught: Sequence[tuple[int, int, bool]], n_codes: int
) -> tuple[np.ndarray, np.ndarray]:
    """Rows with a decision, and their labels per code (1, 0, or -1: no label).

    Examples
    --------
    >>> rows, y = decision_labels([(4, 0, True), (2, 1, False), (4, 1, True), (7, 0, True)], 3)
    >>> rows.tolist(), y.tolist()
    ([2, 4, 7], [[-1, 0, -1], [1, 1, 0], [1, 0, 0]])
    """
    rows = np.array(sorted({r for r, _, _ in taught}), dtype=int)
    at = {r: i for i, r in enumerate(rows.tolist())}
    y = np.full((len(rows), n_codes), -1, dtype=int)
    accepted = {r for r, _, ok in taught if ok}
    for r in accepted:  # a coded segment is a negative for the codes it was not given
        y[at[r]] = 0
    for r, c, ok in taught:
        y[at[r], c] = int(ok)
    return rows, y


def _fit_offset(x: np.ndarray, offset: np.ndarray, y: np.ndarray, w: np.ndarray, lam: float):
    """Minimise the weighted log-loss of ``offset + x @ beta + b`` plus ``lam * |beta|^2``.

    ``y`` may be soft (in [0, 1]): the anchor rows carry the zero-shot confidence.
    """
    from scipy.optimize import minimize

    def loss_grad(theta: np.ndarray):
        beta, b = theta[:-1], theta[-1]
        z = offset + x @ beta + b
        p = 1.0 / (1.0 + np.exp(-z))
        loss = float(np.sum(w * (np.logaddexp(0.0, z) - y * z)) + lam * beta @ beta)
        g = w * (p - y)
        return loss, np.r_[x.T @ g + 2.0 * lam * beta, g.sum()]

    start = np.zeros(x.shape[1] + 1)
    found = minimize(loss_grad, start, jac=True, method="L-BFGS-B", options={"maxiter": 200})
    return found.x[:-1], float(found.x[-1])


def _blocks(features) -> tuple[np.ndarray, object]:
    from ._lexical import HeadFeatures

    if isinstance(features, HeadFeatures):
        return features.blocks()
    return np.asarray(features, dtype=float), None


def _rows(dense: np.ndarray, lexical, rows: np.ndarray) -> np.ndarray:
    """The dense feature matrix of ``rows`` (the lexical block densified: a few hundred rows)."""
    if lexical is None:
        return dense[rows]
    return np.hstack([dense[rows], lexical[rows].toarray()])


def decision_head(
    features,
    confidence: np.ndarray,
    taught: Sequence[tuple[int, int, bool]],
    *,
    lam: float = HEAD_LAMBDA,
    balance: float = HEAD_BALANCE,
    full: int = HEAD_FULL,
    anchor: float = HEAD_ANCHOR,
    anchor_rows: int = HEAD_ANCHOR_ROWS,
    random_state: int = 0,
) -> np.ndarray:
    """The zero-shot ``confidence`` moved by the researcher's decisions (one head per code).

    Parameters
    ----------
    features : ndarray (n_segments, d) or HeadFeatures
        The segments' features: their embeddings, or
        :class:`~insights.codebook._lexical.HeadFeatures` (embeddings, the standardised
        zero-shot prior and the study's TF-IDF words).
    confidence : ndarray (n_segments, n_codes)
        The zero-shot coder's confidences (0 where the absolute gate said no).
    taught : sequence of (row, code column, accepted)
        The human decisions.
    lam, balance, full, anchor, anchor_rows : float, float, int, float, int
        ``HEAD_LAMBDA``, ``HEAD_BALANCE``, ``HEAD_FULL``, ``HEAD_ANCHOR``,
        ``HEAD_ANCHOR_ROWS``.
    random_state : int
        Seeds the choice of the anchor rows.

    Returns
    -------
    ndarray (n_segments, n_codes)
        Confidences; a code with no labelled segment keeps its zero-shot ones.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]])
    >>> zero = np.full((4, 1), 0.3)
    >>> out = decision_head(x, zero, [(0, 0, True), (2, 0, False)], full=2)
    >>> bool(out[1, 0] > 0.5 > out[3, 0])
    True
    """
    conf = np.asarray(confidence, dtype=float)
    if not len(taught) or conf.size == 0:
        return conf.copy()
    dense, lexical = _blocks(features)
    clipped = np.clip(conf, _CLIP, 1 - _CLIP)
    offset = np.log(clipped / (1 - clipped))
    rows, labels = decision_labels(taught, conf.shape[1])
    at = {r: i for i, r in enumerate(rows.tolist())}
    said = np.zeros(labels.shape, dtype=bool)  # the researcher decided this very pair
    for r, c, _ in taught:
        said[at[r], c] = True
    free = np.setdiff1d(np.arange(len(conf)), rows)
    rng = np.random.default_rng(random_state)
    anchors = np.sort(rng.permutation(free)[:anchor_rows]) if anchor > 0 else free[:0]
    out = conf.copy()
    for j in range(conf.shape[1]):
        known = labels[:, j] >= 0
        if not known.any():
            continue
        r, y = rows[known], labels[known, j].astype(float)
        # a negative nobody decided (another code accepted) counts as the coder doubts it
        w = np.where(said[known, j], 1.0, 1.0 - conf[r, j])
        pos = int(y.sum())
        if pos:
            w[y > 0] = max(1.0, (len(y) - pos) / pos) ** balance
        fit_rows = np.r_[r, anchors]
        y_fit = np.r_[y, clipped[anchors, j]]
        w_fit = np.r_[w, np.full(len(anchors), anchor / max(1, len(anchors)))]
        beta, b = _fit_offset(
            _rows(dense, lexical, fit_rows), offset[fit_rows, j], y_fit, w_fit, lam
        )
        d = dense.shape[1]
        shift = dense @ beta[:d] + b
        if lexical is not None:
            shift = shift + lexical @ beta[d:]
        share = min(1.0, len(r) / max(1, full))
        out[:, j] = 1.0 / (1.0 + np.exp(-(offset[:, j] + share * shift)))
    return out
