"""The theme model: fit BERTopic on participants' segments, assign new ones, summarize.

See :mod:`insights.themes` for the choices it makes and why.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from insights.errors import ConfigError, InputError, ModelError
from insights.nlp import DEFAULT_SPACY_MODEL
from insights.schema import ANALYSED_ROLES, person_key, require_columns, spoken_words
from insights.themes._backends import (
    cluster_models,
    fit_topics,
    hub_offline,
    label_from_keywords,
    make_representation,
    make_vectorizer,
    resolve_method,
)
from insights.themes._edits import ThemeEdits
from insights.themes._fitting import (
    Selection,
    check_params,
    fit_positions,
    select_rows,
    standalone_texts,
)
from insights.themes._persist import NOT_SAVED, load_bertopic, load_model, save_model
from insights.themes._stability import theme_stability
from insights.themes._stance import stance_codes
from insights.themes._tables import fitted_tables, nearest_themes, summary_table

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from insights.codebook import Codebook
    from insights.embed import Embedder

__all__ = ["ThemeModel"]


class ThemeModel(ThemeEdits):
    """Discover themes in segments with BERTopic; assign new segments to them.

    Parameters
    ----------
    n_themes : int or "auto"
        Number of clusters for spectral clustering and k-means (see the package notes
        for "auto").
    method : {"auto", "spectral", "kmeans", "hdbscan"}
        Clustering: spectral clustering of the nearest-neighbour graph, PCA +
        k-means, or UMAP + HDBSCAN; ``"auto"`` is spectral up to 10,000 segments,
        then k-means.
    min_theme_size : int, optional
        HDBSCAN's ``min_cluster_size`` (default ``max(5, n // 100)``).
    codebook : Codebook, optional
        Seeds the themes (with ``guidance``).
    guidance : {"none", "guided", "zeroshot"}
        How the codebook is used; ``"none"`` ignores it.
    zeroshot_min_similarity : float
        Minimum cosine between a segment and a code's definition for zero-shot assignment.
    min_similarity : float
        :meth:`transform` gives ``theme_id`` -1 below this cosine to the nearest centroid.
    min_words, roles, exclude_backchannels, exclude_generic
        Which segments are fitted (see :func:`~insights.themes.fitting_exclusions`).
        A table of standalone texts (no ``role``, ``speaker`` or ``transcript_id``
        column: survey answers, reviews) has every text fitted, however short.
    max_theme_share : float or None
        With ``n_themes="auto"``, a theme holding more than this share of the fitted
        segments is split (k-means on its vectors) until none does: a catch-all theme
        of transcript talk says nothing. ``None``, a number of themes given, or
        standalone texts (a review's topics are as skewed as its readers: SemEval
        tune part, NMI 0.456 split, 0.471 not) keep the themes as clustered.
    max_fit_segments : int or None
        Fit on at most this many of the segments it uses (not excluded), drawn by
        transcript (:func:`~insights.themes.theme_sample`); ``sampled_`` says whether
        rows were left out, and :meth:`transform` then assigns every segment.
        ``None``: fit all.
    stability_runs : int
        Refits of the clustering step (on the cached vectors, at most 1,500 segments
        each) on 80% subsamples that score each theme's stability
        (``themes_["stability"]``); 0 skips it.
    content_weight : float
        Weight of the embedding of a segment's content words added to its sentence
        embedding (0: the sentence embedding alone).
    spacy_model : str or None
        Installed spaCy pipeline for content words, labels and names (see
        :func:`insights.nlp.load_spacy`); ``None`` uses no spaCy (no generic
        exclusion, no content weighting, plain keyword labels).
    n_quotes : int
        Representative quotes per theme (nearest to the centroid, one per participant first).
    top_n_words : int
        Keywords per theme.
    representation : sequence of {"keybert", "mmr", "pos"}
        BERTopic representation models, chained. ``"pos"`` needs the spaCy pipeline.
    embedder : Embedder, optional
        Default: :func:`insights.embed.get_embedder` (MiniLM, cached on disk). The
        embedder used is ``embedder_``; :meth:`fit` leaves this parameter as it is.
    provider_names : sequence of str
        The study's provider names: a label never names the provider, only its things.
    random_state : int
        Seed of every random step; same input and seed → same themes.
    cache_dir : path, optional
        A folder where each text's content-word analysis (spaCy) is kept, so a re-run
        or a ``transform`` of text seen before does not parse it again (``insights run``
        uses ``output/.cache/content``). Not saved with the model.

    Attributes
    ----------
    themes_ : DataFrame
        ``theme_id, label, keywords, size, prevalence, quotes`` plus ``participants``
        and ``quote_texts``. ``participants``: distinct people
        (:func:`insights.schema.person_key`) with a segment in the theme;
        ``prevalence``: their share of the people among the fitted segments.
    assignments_ : DataFrame
        ``segment_id, theme_id, probability, excluded`` for every row fitted on.
    labels_ : dict of int to str
    keywords_ : dict of int to list of str
    label_phrases_ : dict of int to list of str
        Each theme's candidate label phrases, most distinctive first (not saved).
    fit_phrases_ : list of list of (str, str) or None
        Each fitted segment's candidate label phrases (words, lemmas); None without spaCy.
    label_names_ : list of str
        Words never in a label: people's names and the speakers' names.
    topic_model_ : bertopic.BERTopic
    embedder_ : Embedder
        The embedder that made the vectors.
    method_ : str
        The clustering method used.
    fit_ids_, fit_docs_, fit_participants_, fit_transcripts_, fit_persons_ : list
        Segment id, text, participant id, transcript id and person of each fitted segment.
    fit_vectors_ : ndarray
        Their vectors (unit length).
    fit_stances_ : ndarray of int or None
        Their stance (-1 negative, +1 positive, 0 neither) from ``stance``; None without.
    theme_of_doc_ : ndarray of int
        The theme of each fitted segment (-1: none).
    excluded_ids_, excluded_reasons_ : list of str
        The segments left out, and why.
    person_names_, nouns_, non_topic_words_ : list of str
        People's names (never keywords), nouns and date/number words (for labels).
    centroid_ids_ : list of int
    centroids_ : ndarray
        Each theme's centroid (unit length), in ``centroid_ids_`` order.

    Examples
    --------
    >>> import pandas as pd
    >>> from insights.embed import HashEmbedder
    >>> topics = ["the monthly price on my bill went up again",
    ...           "the wifi signal upstairs keeps dropping out",
    ...           "the engineer never came to the appointment"]
    >>> ends = ["", " sadly", " really", " today", " twice", " honestly"]
    >>> seg = pd.DataFrame({"text": [t + e for t in topics for e in ends],
    ...                     "participant_id": [f"P{i % 4}" for i in range(18)]})
    >>> model = ThemeModel(n_themes=3, method="kmeans", embedder=HashEmbedder(),
    ...                    spacy_model=None, representation=(), random_state=0).fit(seg)
    >>> model.themes_["label"].tolist()
    ['Price bill', 'Keeps dropping', 'Engineer appointment']
    >>> model.themes_[["theme_id", "size", "participants", "prevalence"]].values.tolist()
    [[0.0, 6.0, 4.0, 1.0], [1.0, 6.0, 4.0, 1.0], [2.0, 6.0, 4.0, 1.0]]
    >>> new = pd.DataFrame({"text": ["my wifi signal keeps dropping upstairs", "Yeah."]})
    >>> model.transform(new)[["theme_id", "excluded"]].values.tolist()
    [[1, ''], [-1, 'backchannel']]
    >>> model.rename(1, "Wifi drops").labels_[1]
    'Wifi drops'
    """

    def __init__(
        self,
        *,
        n_themes: int | str = "auto",
        method: str = "auto",
        min_theme_size: int | None = None,
        codebook: Codebook | None = None,
        guidance: str = "none",
        zeroshot_min_similarity: float = 0.5,
        min_similarity: float = 0.15,
        min_words: int = 4,
        roles: Sequence[str] | None = ANALYSED_ROLES,
        exclude_backchannels: bool = True,
        exclude_generic: bool = True,
        max_theme_share: float | None = 0.15,
        max_fit_segments: int | None = 4000,
        stability_runs: int = 3,
        content_weight: float = 0.5,
        spacy_model: str | None = DEFAULT_SPACY_MODEL,
        n_quotes: int = 5,
        top_n_words: int = 10,
        representation: Sequence[str] = ("keybert", "mmr"),
        embedder: Embedder | None = None,
        provider_names: Sequence[str] = (),
        random_state: int = 42,
        cache_dir: str | Path | None = None,
    ) -> None:
        self.n_themes = n_themes
        self.method = method
        self.min_theme_size = min_theme_size
        self.codebook = codebook
        self.guidance = guidance
        self.zeroshot_min_similarity = zeroshot_min_similarity
        self.min_similarity = min_similarity
        self.min_words = min_words
        self.roles = roles
        self.exclude_backchannels = exclude_backchannels
        self.exclude_generic = exclude_generic
        self.max_theme_share = max_theme_share
        self.max_fit_segments = max_fit_segments
        self.stability_runs = stability_runs
        self.content_weight = content_weight
        self.spacy_model = spacy_model
        self.provider_names = provider_names
        self.n_quotes = n_quotes
        self.top_n_words = top_n_words
        self.representation = representation
        self.embedder = embedder
        self.random_state = random_state
        self.cache_dir = cache_dir

    # ------------------------------------------------------------------ helpers

    def _uses_spacy(self) -> bool:
        return self.spacy_model is not None and (self.exclude_generic or self.content_weight > 0)

    def _label(self, keywords: Sequence[str]) -> str:
        nouns = getattr(self, "nouns_", None)
        return label_from_keywords(
            keywords, nouns=nouns or None, last=getattr(self, "non_topic_words_", ())
        )

    def _select(
        self, segments: pd.DataFrame, embeddings: np.ndarray | None, embedder: Embedder
    ) -> Selection:
        return select_rows(self, segments, embeddings, embedder)

    # ------------------------------------------------------------------ fit

    def fit(
        self, segments: pd.DataFrame, y: Any = None, *, embeddings: np.ndarray | None = None
    ) -> ThemeModel:
        """Fit themes on ``segments``.

        The parameters and ``os.environ`` are left as they are: the embedder used is
        ``embedder_``, and the hub is switched off only while fitting. Above
        ``max_fit_segments`` used rows only a sample by transcript is fitted
        (``sampled_`` True; ``themes_`` and ``assignments_`` cover the sample):
        ``transform(segments)`` then ``summarize(segments, assignments)`` give every
        segment's theme and the themes table, at a cost linear in the rows.

        Parameters
        ----------
        segments : DataFrame
            Needs ``text``; uses ``segment_id``, ``role``, ``participant_id``,
            ``transcript_id`` and ``speaker`` when present, and ``stance``
            (``negative``, ``positive`` or neither: :func:`insights.summarize.segment_stances`)
            so that no label is one side of a two-sided theme
            (:mod:`insights.themes._stance`).
        y : ignored
        embeddings : ndarray, optional
            One row per segment: skips embedding the texts.

        Returns
        -------
        ThemeModel
            The model itself, fitted.
        """
        check_params(self)
        if "text" not in segments.columns:
            require_columns(segments, ["text"], table="segments")
        pick = fit_positions(self, segments)
        self.sampled_ = pick is not None
        if pick is not None:
            segments = segments.iloc[pick]
            embeddings = None if embeddings is None else np.asarray(embeddings)[pick]
        with hub_offline():
            self._fit(segments, embeddings)
        return self

    def _fit(self, segments: pd.DataFrame, embeddings: np.ndarray | None) -> None:
        embedder = self.embedder
        if embedder is None:
            from insights.embed import get_embedder

            embedder = get_embedder()
        sel = self._select(segments, embeddings, embedder)
        n = int(sel.use.sum())
        if n < 8:
            raise InputError(
                f"only {n} segments are long enough participant speech to find themes in "
                "(need at least 8)",
                fix="add transcripts, check that speakers have the right roles, or lower min_words"
                + (", or pass exclude_generic=False" if (sel.reason == "generic").any() else ""),
            )
        self.person_names_, self.nouns_, self.non_topic_words_ = [], [], []
        if sel.content is not None:
            units = None
            for col in ("transcript_id", "participant_id"):
                if col in segments.columns and segments[col].notna().any():
                    column = segments[col].reset_index(drop=True)
                    units = column.iloc[sel.content.rows].astype(str).tolist()
                    break
            self.person_names_ = sorted(sel.content.names(units))
            self.nouns_ = sorted(sel.content.nouns() - set(self.person_names_))
            self.non_topic_words_ = sorted(sel.content.non_topic_words())

        self.method_ = resolve_method(self.method, n)
        reducer, cluster = cluster_models(
            self.method_,
            n,
            n_themes=self.n_themes,
            min_theme_size=self.min_theme_size,
            random_state=self.random_state,
        )
        self.topic_model_, topics, keywords, labels = fit_topics(
            sel.docs,
            sel.vectors,
            embedder=embedder,
            reducer=reducer,
            cluster=cluster,
            vectorizer=make_vectorizer(n, self.person_names_),
            representation=make_representation(
                self.representation, top_n_words=self.top_n_words, random_state=self.random_state
            ),
            top_n_words=self.top_n_words,
            guidance=self.guidance,
            codebook=self.codebook,
            zeroshot_min_similarity=self.zeroshot_min_similarity,
            label=self._label,
        )

        # our layer: theme id of each fitted document (= BERTopic topic id until edited)
        rows = segments.reset_index(drop=True).loc[sel.use]
        self.embedder_ = embedder
        self.fit_ids_ = sel.ids[sel.use].tolist()
        self.fit_docs_ = sel.docs
        self.fit_vectors_ = sel.vectors
        self.fit_participants_ = (
            rows["participant_id"].astype("string").tolist()
            if "participant_id" in rows.columns
            else [None] * n
        )
        self.fit_transcripts_ = (
            rows["transcript_id"].astype(str).tolist()
            if "transcript_id" in rows.columns
            else [None] * n
        )
        self.fit_persons_ = person_key(rows).tolist()
        self.fit_stances_ = stance_codes(rows["stance"]) if "stance" in rows.columns else None
        self.theme_of_doc_ = topics.copy()
        found = set(topics.tolist())
        self.labels_ = {t: labels[t] for t in sorted(found) if t != -1}
        self.keywords_ = {t: keywords.get(t, []) for t in self.labels_}
        if -1 in found:
            self.keywords_[-1] = keywords.get(-1, [])
        self.excluded_ids_ = sel.ids[~sel.use].tolist()
        self.excluded_reasons_ = sel.reason[~sel.use].tolist()
        self.stability_, self.codebook_codes_ = {}, {}
        self.fit_phrases_ = None  # set by the labelling below; split() then labels from it
        if not standalone_texts(segments):
            self._split_large(n)
        self._label_by_phrases(sel, segments, embedder)
        self.stability_ = theme_stability(
            self.fit_vectors_,
            self.theme_of_doc_,
            method=self.method_,
            runs=self.stability_runs,
            random_state=self.random_state,
        )
        self._refresh()

    def _split_large(self, n: int) -> None:
        """Split every theme above ``max_theme_share`` of the ``n`` fitted segments."""
        if self.max_theme_share is None or self.n_themes != "auto":
            return
        cap = max(2, int(self.max_theme_share * n))
        for _ in range(64):  # each pass splits the largest theme
            sizes = {t: int((self.theme_of_doc_ == t).sum()) for t in self.labels_}
            if not sizes:
                return
            t = max(sizes, key=lambda k: (sizes[k], -k))
            if sizes[t] <= cap or sizes[t] < 4:
                return
            self.split(t, n=min(6, max(2, -(-sizes[t] // cap))))

    def fit_transform(self, segments: pd.DataFrame, y: Any = None, **kw: Any) -> pd.DataFrame:
        """Fit, then return :attr:`assignments_` (``kw``: see :meth:`fit`)."""
        return self.fit(segments, **kw).assignments_.copy()

    # ------------------------------------------------------------------ derived state

    def _refresh(self) -> None:
        """Recompute centroids, themes_ and assignments_ from the document → theme map."""
        self.centroid_ids_, self.centroids_, self.assignments_, self.themes_ = fitted_tables(
            ids=self.fit_ids_,
            docs=self.fit_docs_,
            vectors=self.fit_vectors_,
            persons=self.fit_persons_,
            participants=self.fit_participants_,
            theme_of_doc=self.theme_of_doc_,
            excluded_ids=self.excluded_ids_,
            excluded_reasons=self.excluded_reasons_,
            labels=self.labels_,
            keywords=self.keywords_,
            n_quotes=self.n_quotes,
            stability=getattr(self, "stability_", {}),
            codebook_codes=getattr(self, "codebook_codes_", {}),
        )

    def _check_fitted(self) -> None:
        if not hasattr(self, "theme_of_doc_"):
            raise ModelError(
                "this ThemeModel is not fitted yet",
                fix="call fit(segments) or ThemeModel.load(path) first",
            )

    # ------------------------------------------------------------------ transform

    def transform(
        self, segments: pd.DataFrame, *, embeddings: np.ndarray | None = None
    ) -> pd.DataFrame:
        """Assign segments to the existing themes (no refitting).

        Excluded segments (see :func:`~insights.themes.fitting_exclusions`) get -1;
        segments the model was fitted on (same id and text) keep their fitted theme,
        new ones go to the nearest theme centroid.

        Parameters
        ----------
        segments : DataFrame
            Needs ``text``.
        embeddings : ndarray, optional
            One row per segment, made by ``embedder_``.

        Returns
        -------
        DataFrame
            ``segment_id, theme_id, probability, excluded``, one row per segment.
        """
        import pandas as pd

        self._check_fitted()
        sel = self._select(segments, embeddings, self.embedder_)
        use = sel.use
        theme = np.full(len(sel.ids), -1, dtype=int)
        prob = np.full(len(sel.ids), np.nan)
        if use.any() and len(self.centroid_ids_):
            theme[use], prob[use] = nearest_themes(
                sel.vectors, self.centroids_, self.centroid_ids_, self.min_similarity
            )
        # a segment the model was fitted on (same id, same words) keeps its fitted theme,
        # so theme ids and assignments survive a re-run that adds transcripts
        fitted = {
            sid: (doc, int(t))
            for sid, doc, t in zip(self.fit_ids_, self.fit_docs_, self.theme_of_doc_, strict=True)
        }
        texts_all = [spoken_words(t) for t in segments["text"].fillna("").astype(str)]
        for i, sid in enumerate(sel.ids):
            hit = fitted.get(sid)
            if use[i] and hit is not None and hit[0] == texts_all[i] and theme[i] != hit[1]:
                theme[i] = hit[1]
                prob[i] = np.nan if hit[1] == -1 else prob[i]
        return pd.DataFrame(
            {
                "segment_id": sel.ids,
                "theme_id": theme,
                "probability": prob,
                "excluded": sel.reason.to_numpy(),
            }
        )

    def summarize(self, segments: pd.DataFrame, assignments: pd.DataFrame) -> pd.DataFrame:
        """A themes table for ``assignments`` of ``segments`` made by :meth:`transform`.

        Parameters
        ----------
        segments : DataFrame
            The segments assigned.
        assignments : DataFrame
            :meth:`transform`'s result for them.

        Returns
        -------
        DataFrame
            The columns of :attr:`themes_`: sizes, people (``participants``,
            ``prevalence``: see :attr:`themes_`) and quotes of the new data under the
            existing labels and keywords.
        """
        self._check_fitted()
        return summary_table(
            segments,
            assignments,
            theme_ids=self.centroid_ids_,
            labels=self.labels_,
            keywords=self.keywords_,
            n_quotes=self.n_quotes,
            stability=getattr(self, "stability_", {}),
            codebook_codes=getattr(self, "codebook_codes_", {}),
        )

    # ------------------------------------------------------------------ persistence

    def save(self, path: str | Path) -> Path:
        """Save to a folder.

        It holds BERTopic's safetensors files plus ``insights_themes.json`` (labels, edits,
        parameters) and ``insights_centroids.safetensors``.

        Parameters
        ----------
        path : str or Path
            The folder (created if need be).

        Returns
        -------
        Path
            The folder.
        """
        self._check_fitted()
        return save_model(self, path)

    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        embedder: Embedder | None = None,
        cache_dir: str | Path | None = None,
    ) -> ThemeModel:
        """Load a model saved by :meth:`save`.

        Nothing is downloaded: the embedder is passed in and the hub is switched off
        while BERTopic loads (when ``topic_model_`` is first used: assigning and
        summarizing do not need it).

        Parameters
        ----------
        path : str or Path
            The folder :meth:`save` wrote.
        embedder : Embedder, optional
            Default :func:`insights.embed.get_embedder` (MiniLM); it must be the one the
            model was fitted with. Kept in ``embedder_``.
        cache_dir : path, optional
            See :class:`ThemeModel`.

        Returns
        -------
        ThemeModel
        """
        model = load_model(cls, path, embedder=embedder, cache_dir=cache_dir)
        model._refresh()
        return model

    def __getattr__(self, name: str) -> Any:
        # a loaded model reads BERTopic (seconds of imports) only when topic_model_ is used
        if name == "topic_model_" and "_bertopic_from_" in self.__dict__:
            self.topic_model_ = load_bertopic(self.__dict__.pop("_bertopic_from_"), self.embedder_)
            return self.topic_model_
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    # ------------------------------------------------------------------ sklearn protocol

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor parameters, as set (``deep`` is ignored)."""
        names = [p for p in inspect.signature(type(self).__init__).parameters if p != "self"]
        return {n: getattr(self, n) for n in names}

    def set_params(self, **params: Any) -> ThemeModel:
        """Set constructor parameters; returns the model itself."""
        valid = self.get_params()
        for k, v in params.items():
            if k not in valid:
                raise ConfigError(
                    f"ThemeModel has no parameter {k!r}", fix=f"use one of: {', '.join(valid)}"
                )
            setattr(self, k, v)
        return self

    def __repr__(self) -> str:
        changed = {
            k: v
            for k, v in self.get_params().items()
            if k not in NOT_SAVED and v != _DEFAULTS.get(k)
        }
        return f"ThemeModel({', '.join(f'{k}={v!r}' for k, v in changed.items())})"


#: the constructor's default of every parameter (what ``repr`` leaves out)
_DEFAULTS = {
    name: param.default
    for name, param in inspect.signature(ThemeModel.__init__).parameters.items()
    if name != "self"
}
