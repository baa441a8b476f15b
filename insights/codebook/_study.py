"""The study's own coder: a light model over embeddings, taught by the codebook and the researcher.

Zero-shot, a codebook is only names, definitions (and perhaps include / exclude notes,
keywords, example quotes). Their similarity to each segment is a weak signal on its own:
a sentence embedding of "The waitress forgot our drinks" is closer to every restaurant
code than to anything else. :class:`StudyModel` turns that prior into a classifier of
*this* study's segments:

1. every segment goes, provisionally, to the code it is most similar to; the surest
   half of each code's segments (and the few segments most typical of each code, so
   no code is left without any) become its pseudo-labels;
2. a multinomial logistic regression over the segment embeddings is fitted on them,
   together with the codebook's example quotes and every human decision (accepted
   codings as labels, weighted ``human_weight``; rejected ones never a pseudo-label);
3. its log-probabilities plus a share of the standardised prior are the new scores,
   and steps 1-2 run again (``rounds`` times in all).

It is fitted afresh on every run, from the study's own segments and decisions only
(nothing is kept between studies), in about a second for a thousand segments.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def standardise(scores: np.ndarray) -> np.ndarray:
    """Each column (code) as z-scores over the study's segments: a code near everything scores 0."""
    if len(scores) < 2:
        return np.zeros_like(scores, dtype=float)
    sd = scores.std(axis=0)
    sd[sd < 1e-9] = 1.0
    return (scores - scores.mean(axis=0)) / sd


_PARAMS = (
    "rounds",
    "keep",
    "seeds",
    "max_per_code",
    "prior_mix",
    "human_weight",
    "C",
    "random_state",
)


class StudyModel:
    """Self-trained per-study coder over segment features (scikit-learn estimator contract).

    Parameters
    ----------
    rounds : int
        Rounds of pseudo-labelling and refitting (0: the prior alone).
    keep : float
        Share of the segments a code wins that become its pseudo-labels (surest first).
    seeds : int
        Segments most typical of each code (highest standardised prior) always labelled.
    max_per_code : int
        At most this many pseudo-labels per code (bounds the fit on big studies).
    prior_mix : float
        Weight of the standardised prior added to the model's log-probabilities.
    human_weight : float
        Sample weight of a human label (decision or codebook example); pseudo-labels weigh 1.
    C : float
        Inverse regularisation of the logistic regression.
    random_state : int

    Attributes
    ----------
    scores_ : ndarray (n_segments, n_codes)
        Scores of the segments fitted on (higher: more likely the code).
    prior_ : ndarray (n_segments, n_codes)
        The zero-shot prior it was fitted on (absolute, where ``scores_`` are relative).
    classifier_ : LogisticRegression or None
    n_pseudo_ : int
        Pseudo-labels in the last round.
    n_human_ : int
        Human labels (accepted decisions and examples) used.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> feats = np.vstack([rng.normal(0, 1, (20, 4)) + [3, 0, 0, 0],
    ...                    rng.normal(0, 1, (20, 4)) + [0, 3, 0, 0]])
    >>> prior = feats[:, :2] + rng.normal(0, 2, (40, 2))   # a noisy hint
    >>> model = StudyModel(rounds=2).fit(feats, prior)
    >>> bool((model.scores_[:20, 0] > model.scores_[:20, 1]).mean() > 0.9)
    True
    """

    def __init__(
        self,
        *,
        rounds: int = 2,
        keep: float = 0.5,
        seeds: int = 3,
        max_per_code: int = 400,
        prior_mix: float = 0.5,
        human_weight: float = 3.0,
        C: float = 2.0,  # noqa: N803 - scikit-learn's name
        random_state: int = 0,
    ) -> None:
        self.rounds = rounds
        self.keep = keep
        self.seeds = seeds
        self.max_per_code = max_per_code
        self.prior_mix = prior_mix
        self.human_weight = human_weight
        self.C = C
        self.random_state = random_state

    def get_params(self, deep: bool = True) -> dict:
        """The constructor's parameters (scikit-learn's contract)."""
        return {k: getattr(self, k) for k in _PARAMS}

    def _pseudo(self, score: np.ndarray, z0: np.ndarray, allowed: np.ndarray) -> tuple:
        n, k = score.shape
        order = np.sort(score, axis=1)
        sure = order[:, -1] - (order[:, -2] if k > 1 else 0.0)
        best = score.argmax(axis=1)
        rows, cols = [], []
        for j in range(k):
            won = np.flatnonzero((best == j) & allowed[:, j])
            take = int(min(self.max_per_code, np.ceil(self.keep * len(won))))
            chosen = set(won[np.argsort(-sure[won], kind="stable")[:take]].tolist())
            typical = [i for i in np.argsort(-z0[:, j], kind="stable") if allowed[i, j]]
            chosen.update(int(i) for i in typical[: self.seeds])
            rows.extend(sorted(chosen))
            cols.extend([j] * len(chosen))
        return rows, cols

    def fit(
        self,
        features: np.ndarray,
        prior: np.ndarray,
        *,
        decisions: Sequence[tuple[int, int, bool]] = (),
        examples: tuple[np.ndarray, Sequence[int]] | None = None,
        eligible: np.ndarray | None = None,
    ) -> StudyModel:
        """Fit on one study's segments.

        Parameters
        ----------
        features : ndarray (n_segments, d)
            What the classifier sees (segment embeddings).
        prior : ndarray (n_segments, n_codes)
            The zero-shot scores (similarity to the codes' definitions, words, rules).
        decisions : sequence of (row, code column, accepted)
            Human decisions on rows of ``features``.
        examples : (ndarray (m, d), sequence of code columns), optional
            Features of labelled texts that are not segments (codebook examples).
        eligible : ndarray of bool (n_segments, n_codes), optional
            The (segment, code) pairs that may become pseudo-labels (default: all); a
            segment the evidence ties to no code teaches the model nothing.
        """
        from sklearn.linear_model import LogisticRegression

        n, k = prior.shape
        z0 = standardise(prior)
        score = np.asarray(prior, dtype=float).copy()
        human = [(r, c) for r, c, ok in decisions if ok]
        allowed = np.ones((n, k), dtype=bool) if eligible is None else np.array(eligible, bool)
        for r, c, ok in decisions:
            if not ok:
                allowed[r, c] = False  # a rejected coding is never a pseudo-label
        allowed[[r for r, _ in human]] = False  # a decided segment is labelled by the human
        ex_x = examples[0] if examples is not None else np.zeros((0, features.shape[1]))
        ex_y = list(examples[1]) if examples is not None else []
        self.classifier_ = None
        self.n_pseudo_ = 0
        self.n_human_ = len(human) + len(ex_y)
        if k >= 2 and n:
            for _ in range(self.rounds):
                rows, cols = self._pseudo(score, z0, allowed)
                x = np.vstack([features[rows], features[[r for r, _ in human]], ex_x])
                y = np.array([*cols, *[c for _, c in human], *ex_y], dtype=int)
                w = np.r_[np.ones(len(rows)), np.full(len(human) + len(ex_y), self.human_weight)]
                if len(set(y.tolist())) < 2:
                    break
                clf = LogisticRegression(C=self.C, max_iter=2000, random_state=self.random_state)
                clf.fit(x, y, sample_weight=w)
                prob = np.full((n, k), 1e-6)
                prob[:, clf.classes_] = np.maximum(clf.predict_proba(features), 1e-6)
                score = np.log(prob) + self.prior_mix * z0
                self.classifier_ = clf
                self.n_pseudo_ = len(rows)
        self.scores_ = score
        self.prior_ = np.asarray(prior, dtype=float)
        return self
