"""What a theme model is built from: BERTopic, its clustering and its labels.

BERTopic is given our embedder (:func:`bertopic_backend`), a reducer and a
clusterer (:func:`cluster_models`: spectral clustering, PCA + k-means or UMAP +
HDBSCAN), a vectorizer and representation models for the keywords;
:func:`fit_topics` fits it and :func:`label_from_keywords` turns the keywords into
a readable label.

Examples
--------
>>> resolve_method("auto", 500), resolve_method("auto", 20_000), auto_k(500)
('spectral', 'kmeans', 10)
>>> label_from_keywords(["engineer appointment", "visit", "engineer"])
'Engineer appointment'
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import numpy as np

from insights._optional import defer_bertopic_plotting
from insights.errors import ConfigError
from insights.themes._checks import lemma_stem
from insights.themes._content import stop_words

defer_bertopic_plotting()  # BERTopic's charts (plotly, UMAP) are not read unless drawn

if TYPE_CHECKING:  # pragma: no cover
    from insights.codebook import Codebook
    from insights.embed import Embedder

__all__ = [
    "METHOD_DESCRIPTIONS",
    "SPECTRAL_MAX",
    "SpectralThemes",
    "auto_k",
    "bertopic_backend",
    "cluster_models",
    "fit_topics",
    "hub_offline",
    "l2_normalise",
    "label_from_keywords",
    "make_representation",
    "make_vectorizer",
    "resolve_method",
]

#: ``method="auto"`` uses spectral clustering up to this many segments, k-means above.
SPECTRAL_MAX = 10_000
#: how each clustering method is described in run.json and the report
METHOD_DESCRIPTIONS = {
    "spectral": "spectral clustering of the 15-nearest-neighbour graph",
    "kmeans": "PCA + k-means",
    "hdbscan": "UMAP + HDBSCAN",
}


def auto_k(n: int) -> int:
    """The number of themes for ``n`` segments: ``round(sqrt(n / 5))`` clipped to 4-40.

    Examples
    --------
    >>> [auto_k(n) for n in (20, 500, 2_000, 100_000)]
    [4, 10, 20, 40]
    """
    return int(min(40, max(4, round(math.sqrt(n / 5)))))


def resolve_method(method: str, n: int) -> str:
    """The clustering ``method`` used for ``n`` segments (``"auto"``: see :data:`SPECTRAL_MAX`)."""
    if method != "auto":
        return method
    return "spectral" if n <= SPECTRAL_MAX else "kmeans"


def l2_normalise(x: np.ndarray) -> np.ndarray:
    """Rows of ``x`` scaled to unit length (zero rows stay zero).

    Examples
    --------
    >>> l2_normalise(np.array([[3.0, 4.0], [0.0, 0.0]])).tolist()
    [[0.6, 0.8], [0.0, 0.0]]
    """
    n = np.linalg.norm(x, axis=-1, keepdims=True)
    n[n == 0] = 1.0
    return x / n


@contextmanager
def hub_offline() -> Iterator[None]:
    """Switch the Hugging Face hub off (``HF_HUB_OFFLINE``, ``TRANSFORMERS_OFFLINE``) for a block.

    Both variables are put back as they were afterwards.

    Examples
    --------
    >>> import os
    >>> before = os.environ.get("HF_HUB_OFFLINE")
    >>> with hub_offline():
    ...     os.environ["HF_HUB_OFFLINE"]
    '1'
    >>> os.environ.get("HF_HUB_OFFLINE") == before
    True
    """
    keys = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    old = {k: os.environ.get(k) for k in keys}
    os.environ.update(dict.fromkeys(keys, "1"))
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def bertopic_backend(embedder: Embedder) -> Any:
    """Our embedder as a BERTopic backend (so KeyBERTInspired and guidance can embed words)."""
    from bertopic.backend import BaseEmbedder

    class _Backend(BaseEmbedder):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def embed(self, documents, verbose: bool = False) -> np.ndarray:
            return self.inner.encode([str(d) for d in documents])

    return _Backend(embedder)


class SpectralThemes:
    """Spectral clustering of the symmetric k-nearest-neighbour graph (a BERTopic cluster model).

    Parameters
    ----------
    n_clusters : int
    n_neighbors : int
        Neighbours of each segment in the graph.
    random_state : int
    """

    def __init__(self, n_clusters: int, n_neighbors: int, random_state: int) -> None:
        self.n_clusters = n_clusters
        self.n_neighbors = n_neighbors
        self.random_state = random_state

    def fit(self, X: np.ndarray, y: Any = None) -> SpectralThemes:
        """Cluster the rows of ``X``; the clusters are in ``labels_``."""
        import warnings

        from sklearn.cluster import SpectralClustering

        with warnings.catch_warnings():  # "graph is not fully connected": still a valid partition
            warnings.simplefilter("ignore", UserWarning)
            model = SpectralClustering(
                n_clusters=self.n_clusters,
                affinity="nearest_neighbors",
                n_neighbors=self.n_neighbors,
                assign_labels="discretize",
                random_state=self.random_state,
            ).fit(X)
        self.labels_ = model.labels_
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:  # pragma: no cover - we assign by centroid
        """Not used: :meth:`insights.themes.ThemeModel.transform` assigns new segments."""
        raise NotImplementedError("assign new segments with ThemeModel.transform")


def cluster_models(
    method: str,
    n: int,
    *,
    n_themes: int | str,
    min_theme_size: int | None,
    random_state: int,
) -> tuple[Any, Any]:
    """BERTopic's reducer and cluster model for ``n`` segments.

    Parameters
    ----------
    method : {"spectral", "kmeans", "hdbscan"}
        Resolved already (see :func:`resolve_method`).
    n : int
        Number of segments fitted.
    n_themes : int or "auto"
        Clusters for spectral clustering and k-means (see :func:`auto_k`).
    min_theme_size : int, optional
        HDBSCAN's ``min_cluster_size`` (default ``max(5, n // 100)``).
    random_state : int

    Returns
    -------
    reducer, cluster
    """
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA

    if method in ("kmeans", "spectral"):
        k = auto_k(n) if n_themes == "auto" else int(n_themes)
        k = max(1, min(k, n // 2 if n >= 4 else 1))
    if method == "spectral":
        from bertopic.dimensionality import BaseDimensionalityReduction

        return BaseDimensionalityReduction(), SpectralThemes(k, min(15, n - 1), random_state)
    if method == "kmeans":
        reducer = PCA(
            n_components=min(10, max(1, n - 1)), svd_solver="full", random_state=random_state
        )
        cluster = KMeans(n_clusters=k, n_init=10 if n <= 5000 else 3, random_state=random_state)
        return reducer, cluster
    from hdbscan import HDBSCAN
    from umap import UMAP

    reducer = UMAP(
        n_neighbors=max(2, min(15, n - 1)),
        n_components=min(5, max(2, n - 2)),
        min_dist=0.0,
        metric="cosine",
        random_state=random_state,
        low_memory=True,  # a custom UMAP overrides BERTopic's low_memory: set it here
        n_jobs=1,
    )
    size = min_theme_size or max(5, n // 100)
    cluster = HDBSCAN(
        min_cluster_size=size,
        metric="euclidean",
        cluster_selection_method="eom",
        prediction_data=True,
    )
    return reducer, cluster


def make_vectorizer(n_docs: int, names: Iterable[str] = ()) -> Any:
    """The CountVectorizer of theme keywords: words and two-word phrases, no stop words.

    Parameters
    ----------
    n_docs : int
        Segments fitted: from 60 on, a keyword must occur in two of them.
    names : iterable of str
        People's names, left out like stop words.

    Returns
    -------
    sklearn.feature_extraction.text.CountVectorizer
    """
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(
        stop_words=sorted(stop_words() | set(names)),
        ngram_range=(1, 2),
        min_df=2 if n_docs >= 60 else 1,
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z-]+\b",
    )


def repeats_word(keyword: str) -> bool:
    """A keyword that says one word twice ("data data", "model models").

    The vectorizer's two-word phrases pair words across a pause ("data, data"), which
    names nothing; such a keyword is left out of a theme's keywords and label. One word
    is one lemma, as the label check's "repeated word" counts it (:func:`lemma_stem`).

    Examples
    --------
    >>> repeats_word("data data"), repeats_word("model models"), repeats_word("data quality")
    (True, True, False)
    """
    words = [lemma_stem(w) for w in keyword.split()]
    return len(set(words)) < len(words)


def make_representation(
    names: Sequence[str], *, top_n_words: int, random_state: int
) -> list[Any] | None:
    """BERTopic representation models, chained: ``"keybert"``, ``"mmr"`` and/or ``"pos"``.

    Returns
    -------
    list or None
        ``None`` when ``names`` is empty (c-TF-IDF keywords alone).
    """
    from bertopic.representation import KeyBERTInspired, MaximalMarginalRelevance

    parts = []
    for name in names:
        if name == "keybert":
            parts.append(
                KeyBERTInspired(
                    top_n_words=max(top_n_words, 10), nr_repr_docs=5, random_state=random_state
                )
            )
        elif name == "mmr":
            parts.append(MaximalMarginalRelevance(diversity=0.3, top_n_words=top_n_words))
        elif name == "pos":
            from bertopic.representation import PartOfSpeech

            from insights.nlp import load_spacy

            parts.append(
                PartOfSpeech(load_spacy(exclude=("parser", "ner")), top_n_words=top_n_words)
            )
        else:
            raise ConfigError(
                f"unknown representation {name!r}", fix="use 'keybert', 'mmr' and/or 'pos'"
            )
    return parts or None


def fit_topics(
    docs: list[str],
    vectors: np.ndarray,
    *,
    embedder: Embedder,
    reducer: Any,
    cluster: Any,
    vectorizer: Any,
    representation: list[Any] | None,
    top_n_words: int,
    guidance: str = "none",
    codebook: Codebook | None = None,
    zeroshot_min_similarity: float = 0.5,
    label: Callable[[list[str]], str] | None = None,
) -> tuple[Any, np.ndarray, dict[int, list[str]], dict[int, str]]:
    """Fit BERTopic on ``docs`` (embedded as ``vectors``), single-threaded.

    Parameters
    ----------
    docs, vectors
        The texts fitted and their vectors.
    embedder : Embedder
        Embeds keywords (KeyBERT-inspired representation) and guidance.
    reducer, cluster
        See :func:`cluster_models`.
    vectorizer, representation
        See :func:`make_vectorizer` and :func:`make_representation`.
    top_n_words : int
        Keywords per topic.
    guidance : {"none", "guided", "zeroshot"}
        ``"guided"``: the codebook's keywords seed topics; ``"zeroshot"``: segments
        close to a code's definition go to that code.
    codebook : Codebook, optional
    zeroshot_min_similarity : float
    label : callable, optional
        Makes a topic's label from its keywords (default :func:`label_from_keywords`);
        zero-shot topics take the code's name.

    Returns
    -------
    model : bertopic.BERTopic
    topics : ndarray of int
        The topic of each doc (-1: outlier).
    keywords : dict of int to list of str
        Each topic's keywords, best first.
    labels : dict of int to str
        Each topic's label.
    """
    from bertopic import BERTopic
    from threadpoolctl import threadpool_limits

    label = label or label_from_keywords
    kwargs: dict[str, Any] = {}
    zeroshot_names: list[str] = []
    if guidance == "guided":
        seeds = [c.keywords for c in codebook.codes if c.keywords]
        if seeds:
            kwargs["seed_topic_list"] = seeds
    elif guidance == "zeroshot":
        codes = [c for c in codebook.codes if c.is_codable]
        zeroshot_names = [c.name for c in codes]
        kwargs["zeroshot_topic_list"] = [c.description_text() for c in codes]
        kwargs["zeroshot_min_similarity"] = zeroshot_min_similarity
    model = BERTopic(
        embedding_model=bertopic_backend(embedder),
        umap_model=reducer,
        hdbscan_model=cluster,
        vectorizer_model=vectorizer,
        representation_model=representation,
        top_n_words=top_n_words,
        calculate_probabilities=False,
        verbose=False,
        **kwargs,
    )
    # one thread: faster on a shared 2-core machine, and repeatable (UMAP needs it)
    with threadpool_limits(limits=1):
        topics = np.asarray(model.fit_transform(docs, embeddings=vectors)[0], dtype=int)
    desc_to_name = dict(zip(kwargs.get("zeroshot_topic_list", []), zeroshot_names, strict=True))
    custom = getattr(model, "topic_labels_", {}) or {}
    keywords: dict[int, list[str]] = {}
    labels: dict[int, str] = {}
    for t in model.get_topic_info()["Topic"].tolist():
        words = [w for w, _score in (model.get_topic(t) or []) if w and not repeats_word(w)]
        keywords[int(t)] = words[:top_n_words]
        labels[int(t)] = desc_to_name.get(custom.get(t, "")) or label(words)
    return model, topics, keywords, labels


def label_from_keywords(
    keywords: Sequence[str], *, nouns: Iterable[str] | None = None, last: Iterable[str] = ()
) -> str:
    """A readable label: the best multi-word phrase among the top keywords, else the best word.

    One head only: two keywords glued ("Send photos, delivery", "App & phone") name
    two things, and a keyword glued to its own plural ("Pick meals, meal") one twice.

    Parameters
    ----------
    keywords : sequence of str
        A theme's keywords, best first.
    nouns : iterable of str, optional
        Words used as nouns: keywords that end in one come first.
    last : iterable of str
        With ``nouns``: keywords with one of these words (dates, durations) come last.
        Otherwise the keywords keep their order.

    Returns
    -------
    str
        Capitalised; ``"(no keywords)"`` without keywords.

    Examples
    --------
    >>> kw = ["thought decent", "genuinely", "price rise", "contract"]
    >>> label_from_keywords(kw)
    'Thought decent'
    >>> label_from_keywords(kw, nouns={"rise", "price", "contract"})
    'Price rise'
    >>> label_from_keywords(["price", "bill", "cost"])
    'Price'
    """
    if not keywords:
        return "(no keywords)"
    if nouns is not None:
        nouns, last = set(nouns), set(last)

        def rank(k: str) -> int:
            words = k.replace("-", " ").split()
            if any(w in last for w in words):
                return 2
            return 0 if words and words[-1] in nouns else 1

        keywords = sorted(keywords, key=rank)  # stable: keeps the order within a rank
    top = list(keywords[:5])
    phrase = next((k for k in top if 2 <= len(k.split()) <= 3), None)
    label = phrase if phrase is not None else top[0]  # one head: never "Pick meals, meal"
    return label[:1].upper() + label[1:]
