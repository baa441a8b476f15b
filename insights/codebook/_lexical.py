"""What the decision head reads besides the embeddings: the study's words and the zero-shot prior.

A sentence embedding blurs the words that decide many codes ("wine", "price", "waiter"):
two segments about the drinks and the food are close whatever the nouns. The decision
head (:mod:`._head`) therefore also reads

- each segment's TF-IDF vector over the words of *this* study's segments (fitted on every
  call, from the study's texts alone: nothing is kept between studies, and a word no
  segment of the study uses has no column), weighted ``LEXICAL_WEIGHT``;
- the zero-shot prior of every code, standardised over the study
  (:func:`~insights.codebook._study.standardise`), weighted ``PRIOR_WEIGHT``: a code's
  head can learn "coded where the coder also thinks of that other code".

The weights were chosen on the two quarters of the SemEval tune half (examples from one
quarter, micro-F1 on the other; ``benchmarks/coding_eval.py``), never on its held-out half.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

#: weight of the TF-IDF columns and of the standardised prior in the head's features
LEXICAL_WEIGHT = 0.5
PRIOR_WEIGHT = 0.3
#: a word counts when at least this many segments of the study use it; at most this many words
LEXICAL_MIN_DF = 2
LEXICAL_MAX_WORDS = 5000


def lexical_features(texts: Sequence[str]):
    """TF-IDF over the words of ``texts`` (sublinear counts, words in at least two texts).

    Returns a sparse matrix (one row per text, rows of unit length or empty) fitted on
    ``texts`` alone; with fewer than two texts, or no word two of them share, it has no
    columns.

    Examples
    --------
    >>> m = lexical_features(["the wine list", "cheap wine", "rude waiter"])
    >>> m.shape
    (3, 1)
    >>> m.toarray().round(2).tolist()
    [[1.0], [1.0], [0.0]]
    """
    import scipy.sparse as sp

    texts = [str(t) for t in texts]
    if len(texts) < LEXICAL_MIN_DF:
        return sp.csr_matrix((len(texts), 0))
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(
        min_df=LEXICAL_MIN_DF, max_features=LEXICAL_MAX_WORDS, sublinear_tf=True, lowercase=True
    )
    try:
        return vec.fit_transform(texts).tocsr()
    except ValueError:  # no word in two texts
        return sp.csr_matrix((len(texts), 0))


@dataclass
class HeadFeatures:
    """The features of one study's segments for :func:`~insights.codebook._head.decision_head`.

    ``embedding`` (n, d) and ``prior`` (n, k, the zero-shot prior) are dense; the TF-IDF
    block is computed from ``texts`` the first time it is needed (a run without decisions
    never needs it).
    """

    embedding: np.ndarray
    prior: np.ndarray | None = None
    texts: Sequence[str] | None = None
    _lexical: object = field(default=None, repr=False)

    @property
    def lexical(self):
        if self._lexical is None and self.texts is not None:
            self._lexical = lexical_features(self.texts)
        return self._lexical

    def dense(self) -> np.ndarray:
        """The embedding and the weighted standardised prior, side by side."""
        from ._study import standardise

        x = np.asarray(self.embedding, dtype=float)
        if self.prior is None or not np.size(self.prior):
            return x
        return np.hstack([x, PRIOR_WEIGHT * standardise(np.asarray(self.prior, dtype=float))])

    def blocks(self) -> tuple[np.ndarray, object]:
        """``(dense, sparse lexical or None)``; the lexical block already weighted."""
        lex = self.lexical
        if lex is None or lex.shape[1] == 0:
            return self.dense(), None
        return self.dense(), LEXICAL_WEIGHT * lex
