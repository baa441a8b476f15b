"""How stable each theme is: refit the clustering on resamples and match the themes.

:func:`theme_stability` refits only the cheap clustering step (on the fitted
segments' cached vectors: no embedding, no spaCy, no labels) on ``runs``
subsamples of the segments and gives each theme the mean, over the refits, of the
best Jaccard overlap between its members and a refitted cluster (both restricted
to the segments in the subsample). A theme near 1 comes back whatever the sample;
one below :data:`UNSTABLE_BELOW` is an accident of this sample and seed, to merge
or drop knowingly.

Examples
--------
>>> rng = np.random.default_rng(0)
>>> x = np.vstack([rng.normal(c, 0.05, (20, 2)) for c in ((0, 1), (1, 0), (-1, 0))])
>>> labels = np.repeat([0, 1, 2], 20)
>>> s = theme_stability(x, labels, method="kmeans", runs=3, random_state=0)
>>> sorted(s), min(s.values()) > 0.9
([0, 1, 2], True)
"""

from __future__ import annotations

import numpy as np

from insights.schema import THEME_UNSTABLE_BELOW

__all__ = ["UNSTABLE_BELOW", "best_match_jaccard", "theme_stability"]

#: a theme whose stability is below this is marked unstable in the report
UNSTABLE_BELOW = THEME_UNSTABLE_BELOW


def best_match_jaccard(members: np.ndarray, clusters: np.ndarray) -> float:
    """The best Jaccard overlap of the boolean mask ``members`` with one of ``clusters``' labels.

    Examples
    --------
    >>> best_match_jaccard(np.array([1, 1, 0, 0], bool), np.array([5, 5, 5, 6]))
    0.6667
    """
    if not members.any():
        return 0.0
    best = 0.0
    for c in np.unique(clusters[members]):
        other = clusters == c
        best = max(best, float((members & other).sum() / (members | other).sum()))
    return round(best, 4)


def _recluster(x: np.ndarray, k: int, method: str, seed: int) -> np.ndarray:
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA
    from threadpoolctl import threadpool_limits

    from insights.themes._backends import SpectralThemes

    with threadpool_limits(limits=1):
        if method == "spectral":
            return SpectralThemes(k, min(15, len(x) - 1), seed).fit(x).labels_
        z = PCA(n_components=min(10, len(x) - 1, x.shape[1]), random_state=seed).fit_transform(x)
        return KMeans(n_clusters=k, n_init=3, random_state=seed).fit_predict(z)


def theme_stability(
    vectors: np.ndarray,
    theme_of_doc: np.ndarray,
    *,
    method: str,
    runs: int = 3,
    fraction: float = 0.8,
    max_segments: int = 1500,
    random_state: int = 0,
) -> dict[int, float]:
    """Each theme's stability: its mean best-match Jaccard over ``runs`` refits.

    Parameters
    ----------
    vectors : ndarray
        The fitted segments' vectors.
    theme_of_doc : ndarray of int
        Their themes (-1: none; not scored).
    method : {"spectral", "kmeans", "hdbscan"}
        The clustering refitted (HDBSCAN is refitted as k-means: its numba start-up
        would cost more than the fit).
    runs : int
        Refits, each on ``fraction`` of the segments drawn without replacement and
        with its own seed.
    fraction : float
    max_segments : int
        At most this many segments per refit, so the cost stays bounded on large
        studies (spectral clustering grows faster than the number of segments).
    random_state : int

    Returns
    -------
    dict of int to float
        Between 0 and 1, rounded to 3 places; empty when ``runs`` is 0.
    """
    theme_of_doc = np.asarray(theme_of_doc)
    themes = sorted(t for t in set(theme_of_doc.tolist()) if t != -1)
    if runs <= 0 or len(themes) < 2:
        return {t: 1.0 for t in themes} if runs > 0 else {}
    used = np.flatnonzero(theme_of_doc != -1)
    rng = np.random.default_rng(random_state)
    scores: dict[int, list[float]] = {t: [] for t in themes}
    m = min(max_segments, max(2 * len(themes), int(round(fraction * len(used)))))
    for r in range(runs):
        pick = np.sort(rng.choice(used, size=min(m, len(used)), replace=False))
        refit = _recluster(vectors[pick], len(themes), method, random_state + r + 1)
        sub = theme_of_doc[pick]
        for t in themes:
            scores[t].append(best_match_jaccard(sub == t, refit))
    return {t: round(float(np.mean(v)), 3) for t, v in scores.items()}
