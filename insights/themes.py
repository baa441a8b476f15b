"""Theme discovery (inductive coding) with BERTopic, as a scikit-learn style estimator.

:class:`ThemeModel` fits BERTopic on the participants' segments and keeps a thin
layer of its own on top: readable labels, stable theme ids, edits a researcher
makes (rename, merge, split, drop) and the theme centroids used to assign new
transcripts to the existing themes without refitting.

Choices, and why:

- **What is fitted**: participant speech only (``role`` participant or unknown),
  without backchannels ("yeah", "mm-hm"), segments shorter than ``min_words``
  words and (``exclude_generic``) segments with no content word at all ("It was
  fine, honestly.", "That's what annoyed me most."): without a common noun or a verb
  that says what is talked about, a segment only makes sense next to the
  question it answers, and such segments otherwise gather into themes of filler
  that every participant "mentions". Every other segment is still listed in the
  assignments, with ``theme_id`` -1 and the reason in ``excluded``.
- **What is compared** (``content_weight``): each segment's sentence embedding
  plus ``content_weight`` times the embedding of its content words alone (its
  nouns and verbs), so segments group by what they are about more
  than by how it is said ("great", "terrible", "to be honest"). On the
  SemEval-2016 restaurant sentences this raises the NMI of the themes with the
  gold aspect categories from 0.37 to 0.40 with k-means and from 0.44 to 0.48
  with spectral clustering (``benchmarks/themes_eval.py``).
  Content words come from the spaCy pipeline ``spacy_model``; ``spacy_model=None``
  (or ``content_weight=0`` and ``exclude_generic=False``) needs no spaCy.
- **Reduction and clustering** (``method``): ``"spectral"`` (the default for
  ``"auto"`` up to 10,000 segments) clusters the graph that links each segment
  to its 15 nearest neighbours (spectral clustering): themes follow the shape of
  the data rather than k-means' round blobs, and on the SemEval-2016 sentences it
  raises the NMI with the gold categories from 0.40 to 0.48 (0.42-0.48 for 8 to 12
  themes and 10 to 30 neighbours); deterministic for a fixed ``random_state``, a
  couple of seconds on thousands of segments. It tends to gather the segments
  that fit no topic well into one large theme, which is easy to spot and drop. ``"kmeans"`` (``"auto"`` above
  10,000 segments) reduces the embeddings with PCA and clusters them with
  k-means: well under a second on thousands of segments. Both work from a few
  dozen segments upwards. ``"hdbscan"`` is
  BERTopic's classic UMAP + HDBSCAN (finds the number of themes and an outlier
  theme itself, but costs ~25 s of numba compilation in a fresh process and is
  repeatable only on one machine, single-threaded).
- **Number of themes** (``n_themes="auto"``): ``round(sqrt(n / 5))`` clipped to
  4–40: about 10 for 500 segments, 20 for 2,000, 40 from 8,000 segments on.
- **Labels**: BERTopic's c-TF-IDF candidates re-ranked by a KeyBERT-inspired
  model and diversified with maximal marginal relevance (no network); the label
  is the best two-or-three-word phrase among the keywords, or the two best
  words ("Engineer appointment", "Price & contract"), never ``3_price_cost_pay``.
  With spaCy, keywords that end in a noun come first (a topic is a thing, not
  "thought decent"), dates and durations ("months", "couple weeks") come last,
  and people's names (tokens spaCy tags as PERSON in most of their mentions,
  unless used in three or more transcripts, like a brand it mistakes for a
  name) are never keywords.
- **Codebook guidance** (``codebook=``, ``guidance=``): ``"guided"`` passes each
  code's keywords as BERTopic seed topics; ``"zeroshot"`` assigns segments close
  to a code's definition to that code (labelled with the code's name) and
  clusters the rest.
- **Assigning new text** (:meth:`transform`): nearest theme centroid by cosine
  similarity, ``theme_id`` -1 when below ``min_similarity``; the same after
  :meth:`save` / :meth:`load`, so ids stay the same across waves.

Examples
--------
>>> from insights.themes import ThemeModel                     # doctest: +SKIP
>>> model = ThemeModel(random_state=0).fit(segments)            # doctest: +SKIP
>>> model.themes_[["theme_id", "label", "size", "prevalence"]]  # doctest: +SKIP
>>> model.rename(3, "Price rise").merge([4, 7], label="Support").drop([9])  # doctest: +SKIP
>>> model.save("output/theme_model")                            # doctest: +SKIP
>>> ThemeModel.load("output/theme_model").transform(wave2)      # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from insights.nlp import DEFAULT_SPACY_MODEL, pipeline_key
from insights.schema import ASSIGNMENT_COLUMNS, THEME_COLUMNS, ConfigError, InputError, ModelError
from insights.segments import is_backchannel

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from insights.codebook import Code, Codebook
    from insights.embed import Embedder

__all__ = [
    "ThemeModel",
    "discover_themes",
    "fitting_exclusions",
    "TRANSCRIPT_STOP_WORDS",
]

#: words that say nothing about a theme in spoken transcripts (added to English stop words),
#: transcribers' markers among them ("[laughter]", "[inaudible]", QMSum's "{vocalsound}").
TRANSCRIPT_STOP_WORDS = frozenset(
    """um uh erm er ah oh hmm mm mhm yeah yes yep no nope okay ok right like just really
    know mean think thing things stuff kind sort bit lot gonna wanna gotta actually basically
    literally honest honestly probably maybe sure guess pretty quite got get getting said say says
    saying went going go goes come came want wanted tell told way time times good well
    did does don didn doesn isn wasn weren aren couldn wouldn shouldn haven hasn hadn won
    ain ve ll re im ive youre theyre thats theres whats lets kinda dunno laughs laugh
    inaudible crosstalk interviewer moderator laughter unintelligible overtalk
    vocalsound nonvocalsound disfmarker""".split()
)

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")

#: content-word parts of speech: what a segment is about. Not proper nouns: a segment
#: is not about "Kestrel" or "Maureen" because it names them.
_CONTENT_POS = frozenset({"NOUN", "VERB"})
#: verbs of saying, thinking and feeling: they frame what is said, they are not a topic.
_FRAME_LEMMAS = frozenset(
    """think feel know mean say tell guess suppose reckon hear see look seem want need like love hate try
    give take make put let happen remember forget wonder agree notice realise realize find
    annoy frustrate bother upset surprise impress worry""".split()
)
#: words scikit-learn's English stop list holds that name what people talk about.
_NOT_STOP = frozenset({"bill", "call", "computer", "system", "interest", "fire", "amount"})
#: entity types whose words make poor theme labels (dates, durations, counts).
_NON_TOPIC_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL"})


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return (frozenset(ENGLISH_STOP_WORDS) - _NOT_STOP) | TRANSCRIPT_STOP_WORDS


#: bump when the content-word analysis changes, to invalidate cached analyses
_CONTENT_VERSION = "1"


def _doc_content(doc, stop: frozenset[str]) -> tuple[list[tuple[str, bool, bool, bool]], list[str]]:
    """(every alphabetic token as (lower, in PERSON, in date/time/number, noun), content words) of one doc."""
    tokens, words = [], []
    for tok in doc:
        if not tok.is_alpha:
            continue
        low = tok.lower_
        tokens.append((low, tok.ent_type_ == "PERSON", tok.ent_type_ in _NON_TOPIC_ENTS, tok.pos_ in ("NOUN", "PROPN")))
        if (
            tok.pos_ in _CONTENT_POS
            and len(low) > 2
            and not tok.is_stop
            and low not in stop
            and tok.lemma_.lower() not in stop
            and tok.lemma_.lower() not in _FRAME_LEMMAS
            and tok.ent_type_ not in _NON_TOPIC_ENTS
        ):
            words.append(tok.text)
    return tokens, words


class _Content:
    """Content words of each text, and what the texts say about their words.

    ``words[i]`` are text i's content words (nouns and verbs that are not stop
    words, framing verbs or numbers), in order. Over all texts, per
    lower-cased word: ``n`` occurrences, ``person`` of them inside a PERSON entity,
    ``non_topic`` inside a date / time / number, ``noun`` tagged NOUN or PROPN.
    """

    def __init__(self, texts: Sequence[str], nlp, *, cache: str | Path | None = None, model_key: str = "") -> None:
        """``nlp``: a spaCy pipeline, or a function that loads one (called only when some
        text is not in ``cache``, a folder where each text's analysis is kept)."""
        from collections import Counter

        stop = _stop_words()

        def parse(batch: list[str]) -> list[tuple[list[tuple[str, bool, bool, bool]], list[str]]]:
            pipeline = nlp if hasattr(nlp, "pipe") else nlp()
            return [_doc_content(doc, stop) for doc in pipeline.pipe(batch, batch_size=256)]

        from insights._rerun import cached_values

        texts = [str(t) for t in texts]
        words_key = hashlib.sha1(" ".join(sorted(stop | _FRAME_LEMMAS)).encode()).hexdigest()[:12]
        parsed, _ = cached_values(texts, parse, folder=cache, namespace=f"content:{_CONTENT_VERSION}:{model_key}:{words_key}")
        self.words: list[list[str]] = []
        self.n: Counter = Counter()
        self.person: Counter = Counter()
        self.non_topic: Counter = Counter()
        self.noun: Counter = Counter()
        self.docs_of: dict[str, set[int]] = {}
        self.rows = np.arange(len(texts))
        for i, (tokens, words) in enumerate(parsed):
            for low, person, non_topic, noun in tokens:
                self.n[low] += 1
                self.docs_of.setdefault(low, set()).add(i)
                self.person[low] += person
                self.non_topic[low] += non_topic
                self.noun[low] += noun
            self.words.append(words)

    def names(self, units: Sequence[Any] | None = None, *, min_units: int = 3) -> set[str]:
        """Words that are people's names: PERSON in at least half their mentions, and
        (when ``units``, e.g. the transcript of each text, are given) used in fewer
        than ``min_units`` units: a brand the tagger takes for a name is used everywhere."""
        out = set()
        for w, k in self.person.items():
            if k * 2 < self.n[w]:
                continue
            if units is not None and len({units[i] for i in self.docs_of[w]}) >= min_units:
                continue
            out.add(w)
        return out

    def nouns(self) -> set[str]:
        return {w for w, k in self.noun.items() if k * 2 >= self.n[w]}

    def non_topic_words(self) -> set[str]:
        return {w for w, k in self.non_topic.items() if k * 2 >= self.n[w]}


def fitting_exclusions(
    segments: pd.DataFrame,
    *,
    roles: Sequence[str] | None = ("participant", "unknown"),
    min_words: int = 4,
    exclude_backchannels: bool = True,
    exclude_generic: bool = False,
    nlp=None,
    content: Sequence[Sequence[str]] | None = None,
) -> pd.Series:
    """Why each segment is left out of theme fitting ("" = it is used).

    Reasons: ``"role:<role>"`` (interviewer / moderator turns), ``"backchannel"``,
    ``"short"`` (fewer than ``min_words`` words), ``"generic"`` (with
    ``exclude_generic``: no content word, see :class:`ThemeModel`), ``"empty"``.
    ``nlp`` is the spaCy pipeline for ``exclude_generic`` (default
    :func:`insights.nlp.load_spacy`); ``content`` (the content words of each
    segment, when already known) skips it.
    """
    import pandas as pd

    text = segments["text"].fillna("").astype(str)
    reason = pd.Series("", index=segments.index, dtype=object)
    nwords = text.map(lambda t: len(_WORD.findall(t)))
    reason[nwords < min_words] = "short"
    if exclude_generic:
        if content is None:
            if nlp is None:
                from insights.nlp import load_spacy

                nlp = load_spacy(exclude=("parser",))
            content = _Content(text.tolist(), nlp).words
        generic = np.array([len(w) == 0 for w in content], dtype=bool)
        reason[(reason == "") & generic] = "generic"
    if exclude_backchannels:
        reason[text.map(is_backchannel)] = "backchannel"
    reason[text.str.strip() == ""] = "empty"
    if roles is not None and "role" in segments.columns:
        role = segments["role"]
        bad = role.notna() & ~role.isin(list(roles))
        reason[bad] = "role:" + role[bad].astype(str)
    return reason


def _segment_ids(segments: pd.DataFrame) -> pd.Series:
    if "segment_id" in segments.columns:
        return segments["segment_id"].astype(str)
    if "id" in segments.columns:
        return segments["id"].astype(str)
    return pd_series_range(len(segments))


def pd_series_range(n: int):
    import pandas as pd

    return pd.Series([str(i) for i in range(n)])


def _auto_k(n: int) -> int:
    return int(min(40, max(4, round(math.sqrt(n / 5)))))


def _bertopic_backend(embedder: Embedder):
    """Our embedder as a BERTopic backend (so KeyBERTInspired and guidance can embed words)."""
    from bertopic.backend import BaseEmbedder

    class _Backend(BaseEmbedder):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def embed(self, documents, verbose: bool = False) -> np.ndarray:
            return self.inner.encode([str(d) for d in documents])

    return _Backend(embedder)


def _label_from_keywords(
    keywords: Sequence[str], *, nouns: Iterable[str] | None = None, last: Iterable[str] = ()
) -> str:
    """A readable label: the best multi-word phrase among the top keywords, else two words.

    With ``nouns`` (words used as nouns), keywords that end in a noun are
    preferred; keywords with a word in ``last`` (dates, durations) come last.
    Otherwise the keywords keep their order.
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
    if phrase is not None:
        words = set(phrase.replace("-", " ").split())
        rest = next(
            (k for k in top if k != phrase and not set(k.replace("-", " ").split()) & words), None
        )
        label = f"{phrase}, {rest}" if rest and keywords.index(rest) < 2 else phrase
    else:
        words = [top[0]]
        for k in top[1:]:
            if not (k in words[0] or words[0] in k):
                words.append(k)
                break
        label = " & ".join(words)
    return label[:1].upper() + label[1:]


#: parameters that are not part of a saved model (passed again at load)
_NOT_SAVED = ("codebook", "embedder", "cache_dir")


#: ``method="auto"`` uses spectral clustering up to this many segments, k-means above.
_SPECTRAL_MAX = 10_000
#: how each clustering method is described in run.json and the report
METHOD_DESCRIPTIONS = {
    "spectral": "spectral clustering of the 15-nearest-neighbour graph",
    "kmeans": "PCA + k-means",
    "hdbscan": "UMAP + HDBSCAN",
}


class _SpectralThemes:
    """Spectral clustering of the symmetric k-nearest-neighbour graph (a BERTopic cluster model)."""

    def __init__(self, n_clusters: int, n_neighbors: int, random_state: int) -> None:
        self.n_clusters = n_clusters
        self.n_neighbors = n_neighbors
        self.random_state = random_state

    def fit(self, X: np.ndarray, y: Any = None) -> _SpectralThemes:
        import warnings

        from sklearn.cluster import SpectralClustering

        with warnings.catch_warnings():  # "graph is not fully connected": still a valid partition
            warnings.simplefilter("ignore", UserWarning)
            model = SpectralClustering(
                n_clusters=self.n_clusters, affinity="nearest_neighbors", n_neighbors=self.n_neighbors,
                assign_labels="discretize", random_state=self.random_state,
            ).fit(X)
        self.labels_ = model.labels_
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:  # pragma: no cover - we assign by centroid ourselves
        raise NotImplementedError("assign new segments with ThemeModel.transform")


def _l2(x: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(x, axis=-1, keepdims=True)
    n[n == 0] = 1.0
    return x / n


class ThemeModel:
    """Discover themes in segments with BERTopic; assign new segments to them.

    Parameters
    ----------
    n_themes : int or "auto"
        Number of clusters for ``method="kmeans"`` (see the module notes for "auto").
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
        Which segments are fitted (see :func:`fitting_exclusions`).
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
        Default: :func:`insights.embed.get_embedder` (MiniLM, cached on disk).
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
        and ``quote_texts``.
    assignments_ : DataFrame
        ``segment_id, theme_id, probability, excluded`` for every fitted-on segment table row.
    labels_ : dict[int, str]
    topic_model_ : bertopic.BERTopic
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
        roles: Sequence[str] | None = ("participant", "unknown"),
        exclude_backchannels: bool = True,
        exclude_generic: bool = True,
        content_weight: float = 0.5,
        spacy_model: str | None = DEFAULT_SPACY_MODEL,
        n_quotes: int = 5,
        top_n_words: int = 10,
        representation: Sequence[str] = ("keybert", "mmr"),
        embedder: Embedder | None = None,
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
        self.content_weight = content_weight
        self.spacy_model = spacy_model
        self.n_quotes = n_quotes
        self.top_n_words = top_n_words
        self.representation = representation
        self.embedder = embedder
        self.random_state = random_state
        self.cache_dir = cache_dir

    # ------------------------------------------------------------------ helpers

    def _embedder(self) -> Embedder:
        if self.embedder is None:
            from insights.embed import get_embedder

            self.embedder = get_embedder()
        return self.embedder

    def _uses_spacy(self) -> bool:
        return self.spacy_model is not None and (self.exclude_generic or self.content_weight > 0)

    def _label(self, keywords: Sequence[str]) -> str:
        nouns = getattr(self, "_nouns", None)
        return _label_from_keywords(keywords, nouns=nouns or None, last=getattr(self, "_non_topic", ()))

    def _select(self, segments: pd.DataFrame, embeddings: np.ndarray | None):
        """Ids, exclusion reasons, the rows used, their texts and vectors (with content
        words added, see ``content_weight``), and the content analysis of the rows that
        passed every other exclusion (``content.rows``: their positions)."""
        ids = _segment_ids(segments).reset_index(drop=True)
        reason = fitting_exclusions(segments, roles=self.roles, min_words=self.min_words,
                                    exclude_backchannels=self.exclude_backchannels).reset_index(drop=True)
        texts = segments["text"].fillna("").astype(str).reset_index(drop=True)
        content = None
        if self._uses_spacy() and (reason == "").any():
            from insights.nlp import load_spacy

            rows = np.flatnonzero((reason == "").to_numpy())
            content = _Content(texts[rows].tolist(), lambda: load_spacy(self.spacy_model, exclude=("parser",)),
                               cache=self.cache_dir, model_key=pipeline_key(self.spacy_model))
            content.rows = rows
            if self.exclude_generic:
                reason.iloc[rows[[len(w) == 0 for w in content.words]]] = "generic"
        use = (reason == "").to_numpy()
        if not use.any():
            return ids, reason, use, [], None, content
        if embeddings is not None:
            vectors = _l2(np.asarray(embeddings, dtype=np.float32))[use]
        else:
            vectors = self._embedder().encode(texts[use].tolist())
        if content is not None and self.content_weight > 0:
            words = [" ".join(w) for w, r in zip(content.words, content.rows, strict=True) if use[r]]
            has = [i for i, w in enumerate(words) if w]
            extra = np.zeros_like(vectors)
            if has:
                extra[has] = self._embedder().encode([words[i] for i in has])
            vectors = _l2(vectors + self.content_weight * extra).astype(np.float32)
        return ids, reason, use, texts[use].tolist(), vectors, content

    def _check_params(self) -> None:
        if self.method not in ("auto", "spectral", "kmeans", "hdbscan"):
            raise ConfigError(f"unknown theme method {self.method!r}",
                              fix="use 'auto', 'spectral', 'kmeans' or 'hdbscan'")
        if self.guidance not in ("none", "guided", "zeroshot"):
            raise ConfigError(
                f"unknown guidance {self.guidance!r}", fix="use 'none', 'guided' or 'zeroshot'"
            )
        if self.guidance != "none" and (self.codebook is None or not len(self.codebook)):
            raise ConfigError(
                f"guidance={self.guidance!r} needs a codebook with codes", fix="pass codebook= or guidance='none'"
            )
        if not (isinstance(self.n_themes, int) and self.n_themes >= 2) and self.n_themes != "auto":
            raise ConfigError(f"n_themes must be 'auto' or an integer >= 2, not {self.n_themes!r}",
                              fix="set n_themes to 'auto' or a number such as 12")

    def _vectorizer(self, n_docs: int):
        from sklearn.feature_extraction.text import CountVectorizer

        stop = sorted(_stop_words() | set(getattr(self, "_names", ())))
        return CountVectorizer(
            stop_words=stop,
            ngram_range=(1, 2),
            min_df=2 if n_docs >= 60 else 1,
            token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z-]+\b",
        )

    def _representation(self):
        from bertopic.representation import KeyBERTInspired, MaximalMarginalRelevance

        parts = []
        for name in self.representation:
            if name == "keybert":
                parts.append(KeyBERTInspired(top_n_words=max(self.top_n_words, 10), nr_repr_docs=5,
                                             random_state=self.random_state))
            elif name == "mmr":
                parts.append(MaximalMarginalRelevance(diversity=0.3, top_n_words=self.top_n_words))
            elif name == "pos":
                from bertopic.representation import PartOfSpeech

                from insights.nlp import load_spacy

                parts.append(PartOfSpeech(load_spacy(exclude=("parser", "ner")), top_n_words=self.top_n_words))
            else:
                raise ConfigError(f"unknown representation {name!r}", fix="use 'keybert', 'mmr' and/or 'pos'")
        return parts or None

    def _models(self, n: int):
        from sklearn.cluster import KMeans
        from sklearn.decomposition import PCA

        method = ("spectral" if n <= _SPECTRAL_MAX else "kmeans") if self.method == "auto" else self.method
        self.method_ = method
        if method in ("kmeans", "spectral"):
            k = _auto_k(n) if self.n_themes == "auto" else int(self.n_themes)
            k = max(1, min(k, n // 2 if n >= 4 else 1))
        if method == "spectral":
            from bertopic.dimensionality import BaseDimensionalityReduction

            return BaseDimensionalityReduction(), _SpectralThemes(k, min(15, n - 1), self.random_state)
        if method == "kmeans":
            reducer = PCA(n_components=min(10, max(1, n - 1)), svd_solver="full", random_state=self.random_state)
            cluster = KMeans(n_clusters=k, n_init=10 if n <= 5000 else 3, random_state=self.random_state)
            return reducer, cluster
        from hdbscan import HDBSCAN
        from umap import UMAP

        reducer = UMAP(
            n_neighbors=max(2, min(15, n - 1)),
            n_components=min(5, max(2, n - 2)),
            min_dist=0.0,
            metric="cosine",
            random_state=self.random_state,
            low_memory=True,  # a custom UMAP overrides BERTopic's low_memory: set it here
            n_jobs=1,
        )
        size = self.min_theme_size or max(5, n // 100)
        cluster = HDBSCAN(min_cluster_size=size, metric="euclidean", cluster_selection_method="eom",
                          prediction_data=True)
        return reducer, cluster

    # ------------------------------------------------------------------ fit

    def fit(self, segments: pd.DataFrame, y: Any = None, *, embeddings: np.ndarray | None = None) -> ThemeModel:
        """Fit themes on ``segments`` (needs ``text``; uses ``segment_id``, ``role``,
        ``participant_id`` when present). ``embeddings`` (one row per segment) skips embedding.
        """

        self._check_params()
        if "text" not in segments.columns:
            from insights.schema import require_columns

            require_columns(segments, ["text"], table="segments")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        emb = self._embedder()
        ids, reason, use, docs, vectors, content = self._select(segments, embeddings)
        n = int(use.sum())
        if n < 8:
            raise InputError(
                f"only {n} segments are long enough participant speech to find themes in (need at least 8)",
                fix="add transcripts, check that speakers have the right roles, or lower min_words"
                + (", or pass exclude_generic=False" if (reason == "generic").any() else ""),
            )
        self._names, self._nouns, self._non_topic = [], [], []
        if content is not None:
            units = None
            for col in ("transcript_id", "participant_id"):
                if col in segments.columns and segments[col].notna().any():
                    units = segments[col].reset_index(drop=True).iloc[content.rows].astype(str).tolist()
                    break
            self._names = sorted(content.names(units))
            self._nouns = sorted(content.nouns() - set(self._names))
            self._non_topic = sorted(content.non_topic_words())

        from bertopic import BERTopic

        reducer, cluster = self._models(n)
        kwargs: dict[str, Any] = {}
        zeroshot_names: list[str] = []
        if self.guidance == "guided":
            seeds = [c.keywords for c in self.codebook.codes if c.keywords]
            if seeds:
                kwargs["seed_topic_list"] = seeds
        elif self.guidance == "zeroshot":
            codes = [c for c in self.codebook.codes if c.is_codable]
            zeroshot_names = [c.name for c in codes]
            kwargs["zeroshot_topic_list"] = [c.description_text() for c in codes]
            kwargs["zeroshot_min_similarity"] = self.zeroshot_min_similarity
        model = BERTopic(
            embedding_model=_bertopic_backend(emb),
            umap_model=reducer,
            hdbscan_model=cluster,
            vectorizer_model=self._vectorizer(n),
            representation_model=self._representation(),
            top_n_words=self.top_n_words,
            calculate_probabilities=False,
            verbose=False,
            **kwargs,
        )
        from threadpoolctl import threadpool_limits

        # one thread: faster on a shared 2-core machine, and repeatable (UMAP needs it)
        with threadpool_limits(limits=1):
            topics, _ = model.fit_transform(docs, embeddings=vectors)
        topics = np.asarray(topics, dtype=int)

        self.topic_model_ = model
        info = model.get_topic_info()
        self._raw_labels: dict[int, str] = {}
        self._raw_keywords: dict[int, list[str]] = {}
        desc_to_name = dict(zip(kwargs.get("zeroshot_topic_list", []), zeroshot_names, strict=True))
        custom = getattr(model, "topic_labels_", {}) or {}
        for t in info["Topic"].tolist():
            words = [w for w, _ in (model.get_topic(t) or []) if w]
            self._raw_keywords[int(t)] = words[: self.top_n_words]
            name = desc_to_name.get(custom.get(t, ""))
            self._raw_labels[int(t)] = name or self._label(words)

        # our layer: theme id of each fitted document (= BERTopic topic id until edited)
        self._fit_ids = ids[use].tolist()
        self._fit_docs = docs
        self._fit_vectors = vectors
        self._fit_participants = (
            segments["participant_id"].reset_index(drop=True)[use].astype("string").tolist()
            if "participant_id" in segments.columns
            else [None] * n
        )
        self._fit_transcripts = (
            segments["transcript_id"].reset_index(drop=True)[use].astype(str).tolist()
            if "transcript_id" in segments.columns
            else [None] * n
        )
        self._theme_of_doc = topics.copy()
        self.labels_ = {t: self._raw_labels[t] for t in sorted(set(topics.tolist())) if t != -1}
        self._keywords = {t: self._raw_keywords.get(t, []) for t in self.labels_}
        if -1 in set(topics.tolist()):
            self._keywords[-1] = self._raw_keywords.get(-1, [])
        self._excluded_ids = ids[~use].tolist()
        self._excluded_reason = reason[~use].tolist()
        self._refresh()
        return self

    def fit_transform(self, segments: pd.DataFrame, y: Any = None, **kw) -> pd.DataFrame:
        """Fit, then return :attr:`assignments_`."""
        return self.fit(segments, **kw).assignments_.copy()

    # ------------------------------------------------------------------ derived state

    def _centroids(self) -> tuple[list[int], np.ndarray]:
        ids = sorted(t for t in set(self._theme_of_doc.tolist()) if t != -1)
        if not ids:
            return [], np.zeros((0, self._fit_vectors.shape[1]), dtype=np.float32)
        cents = np.stack([self._fit_vectors[self._theme_of_doc == t].mean(axis=0) for t in ids])
        return ids, _l2(cents).astype(np.float32)

    def _refresh(self) -> None:
        """Recompute centroids, themes_ and assignments_ from the document → theme map."""
        import pandas as pd

        self._centroid_ids, self._centroid_vecs = self._centroids()
        cidx = {t: i for i, t in enumerate(self._centroid_ids)}
        sims = self._fit_vectors @ self._centroid_vecs.T if len(self._centroid_ids) else None
        prob = np.full(len(self._fit_docs), np.nan)
        for i, t in enumerate(self._theme_of_doc):
            if t != -1 and sims is not None:
                prob[i] = self._probability(sims[i])[cidx[t]]
        fitted = pd.DataFrame(
            {"segment_id": self._fit_ids, "theme_id": self._theme_of_doc.astype(int), "probability": prob.round(4),
             "excluded": ""}
        )
        excluded = pd.DataFrame(
            {"segment_id": self._excluded_ids, "theme_id": -1, "probability": np.nan, "excluded": self._excluded_reason}
        )
        self.assignments_ = pd.concat([fitted, excluded], ignore_index=True)[[*ASSIGNMENT_COLUMNS, "excluded"]]

        participants = [p for p in self._fit_participants if p is not None and not pd.isna(p)]
        unit = "participant" if participants else ("transcript" if self._fit_transcripts[0] else "segment")
        units = (
            self._fit_participants if unit == "participant" else
            self._fit_transcripts if unit == "transcript" else self._fit_ids
        )
        all_units = {u for u in units if u is not None and not (isinstance(u, float) and math.isnan(u))}
        rows = []
        for t in [*self._centroid_ids, *([-1] if (self._theme_of_doc == -1).any() else [])]:
            members = np.flatnonzero(self._theme_of_doc == t)
            theme_units = {units[i] for i in members if units[i] is not None and not pd.isna(units[i])}
            quotes = self._quotes(t, members, sims[:, cidx[t]] if t in cidx else None)
            rows.append(
                {
                    "theme_id": int(t),
                    "label": self.labels_.get(t, "Outliers") if t != -1 else "Outliers (no theme)",
                    "keywords": "; ".join(self._keywords.get(t, [])),
                    "size": int(len(members)),
                    "prevalence": round(len(theme_units) / len(all_units), 4) if all_units else 0.0,
                    "quotes": "; ".join(self._fit_ids[i] for i in quotes),
                    "participants": len(theme_units),
                    "prevalence_unit": unit,
                    "quote_texts": " | ".join(self._fit_docs[i] for i in quotes),
                }
            )
        themes = pd.DataFrame(rows, columns=[*THEME_COLUMNS, "participants", "prevalence_unit", "quote_texts"])
        if not themes.empty:
            themes = themes.sort_values(["theme_id"] if False else ["size", "theme_id"], ascending=[False, True])
            themes = pd.concat([themes[themes.theme_id != -1], themes[themes.theme_id == -1]])
        self.themes_ = themes.reset_index(drop=True)

    @staticmethod
    def _probability(sim_row: np.ndarray, temperature: float = 0.05) -> np.ndarray:
        z = (sim_row - sim_row.max()) / temperature
        e = np.exp(z)
        return e / e.sum()

    def _quotes(self, theme: int, members: np.ndarray, sim: np.ndarray | None) -> list[int]:
        if not len(members):
            return []
        order = members[np.argsort(-sim[members], kind="stable")] if sim is not None else members
        order = [i for i in order if len(self._fit_docs[i].split()) >= 6] or list(order)
        chosen, seen = [], set()
        for i in order:  # one quote per participant first
            p = self._fit_participants[i]
            if p in seen and p is not None:
                continue
            chosen.append(int(i))
            seen.add(p)
            if len(chosen) == self.n_quotes:
                return chosen
        for i in order:
            if int(i) not in chosen:
                chosen.append(int(i))
            if len(chosen) == self.n_quotes:
                break
        return chosen

    def _check_fitted(self) -> None:
        if not hasattr(self, "_theme_of_doc"):
            raise ModelError("this ThemeModel is not fitted yet", fix="call fit(segments) or ThemeModel.load(path) first")

    # ------------------------------------------------------------------ transform

    def transform(self, segments: pd.DataFrame, *, embeddings: np.ndarray | None = None) -> pd.DataFrame:
        """Assign segments to the existing themes (no refitting): ``segment_id, theme_id,
        probability, excluded``. Excluded segments (see :func:`fitting_exclusions`) get -1;
        segments the model was fitted on (same id and text) keep their fitted theme, new
        ones go to the nearest theme centroid."""
        import pandas as pd

        self._check_fitted()
        ids, reason, use, _, vec, _ = self._select(segments, embeddings)
        theme = np.full(len(ids), -1, dtype=int)
        prob = np.full(len(ids), np.nan)
        if use.any() and len(self._centroid_ids):
            sims = vec @ self._centroid_vecs.T
            best = sims.argmax(axis=1)
            best_sim = sims[np.arange(len(best)), best]
            p = np.array([self._probability(r)[b] for r, b in zip(sims, best, strict=True)])
            chosen = np.array(self._centroid_ids)[best]
            chosen[best_sim < self.min_similarity] = -1
            theme[use] = chosen
            prob[use] = np.where(chosen == -1, np.nan, p.round(4))
        # a segment the model was fitted on (same id, same words) keeps its fitted theme,
        # so theme ids and assignments survive a re-run that adds transcripts
        fitted = {sid: (doc, int(t)) for sid, doc, t in zip(self._fit_ids, self._fit_docs, self._theme_of_doc, strict=True)}
        texts_all = segments["text"].fillna("").astype(str).tolist()
        for i, sid in enumerate(ids):
            hit = fitted.get(sid)
            if use[i] and hit is not None and hit[0] == texts_all[i] and theme[i] != hit[1]:
                theme[i] = hit[1]
                prob[i] = np.nan if hit[1] == -1 else prob[i]
        return pd.DataFrame(
            {"segment_id": ids, "theme_id": theme, "probability": prob, "excluded": reason.to_numpy()}
        )

    def summarize(self, segments: pd.DataFrame, assignments: pd.DataFrame) -> pd.DataFrame:
        """A themes table (same columns as :attr:`themes_`) for ``assignments`` of
        ``segments`` made by :meth:`transform`: sizes, prevalence and quotes of the
        new data under the existing labels and keywords."""
        import pandas as pd

        self._check_fitted()
        seg = segments.assign(segment_id=_segment_ids(segments).to_numpy()).reset_index(drop=True)
        a = assignments.assign(segment_id=assignments["segment_id"].astype(str))
        df = seg.merge(a[["segment_id", "theme_id", "probability"]], on="segment_id", how="inner")
        unit = "participant_id" if "participant_id" in df.columns and df["participant_id"].notna().any() else (
            "transcript_id" if "transcript_id" in df.columns else "segment_id")
        used = df[a.set_index("segment_id").loc[df["segment_id"], "excluded"].to_numpy() == ""] \
            if "excluded" in a.columns else df
        all_units = used[unit].dropna().nunique()
        rows = []
        for t in [*self._centroid_ids, -1]:
            m = used[used["theme_id"] == t]
            if t == -1 and m.empty:
                continue
            m = m.sort_values("probability", ascending=False, kind="stable")
            m = m[m["text"].str.split().str.len() >= 6] if (m["text"].str.split().str.len() >= 6).any() else m
            q = m.drop_duplicates(unit).head(self.n_quotes)
            if len(q) < self.n_quotes:
                q = pd.concat([q, m[~m["segment_id"].isin(q["segment_id"])].head(self.n_quotes - len(q))])
            n_units = int(used.loc[used["theme_id"] == t, unit].dropna().nunique())
            rows.append({
                "theme_id": int(t),
                "label": self.labels_.get(t, "Outliers (no theme)"),
                "keywords": "; ".join(self._keywords.get(t, [])),
                "size": int((used["theme_id"] == t).sum()),
                "prevalence": round(n_units / all_units, 4) if all_units else 0.0,
                "quotes": "; ".join(q["segment_id"]),
                "participants": n_units,
                "prevalence_unit": unit.replace("_id", ""),
                "quote_texts": " | ".join(q["text"]),
            })
        out = pd.DataFrame(rows, columns=list(self.themes_.columns))
        return out.sort_values(["size", "theme_id"], ascending=[False, True], kind="stable").reset_index(drop=True)

    # ------------------------------------------------------------------ edits

    def _known(self, theme_ids: Iterable[int]) -> list[int]:
        self._check_fitted()
        out = []
        for t in theme_ids:
            if int(t) not in self.labels_:
                raise InputError(
                    f"there is no theme {t}", fix=f"use one of the theme ids: {', '.join(map(str, self.labels_))}"
                )
            out.append(int(t))
        return out

    def rename(self, theme_id: int | dict[int, str], label: str | None = None) -> ThemeModel:
        """Give a theme (or several, as ``{id: label}``) a new label."""
        mapping = theme_id if isinstance(theme_id, dict) else {theme_id: label}
        for t, lab in mapping.items():
            (t,) = self._known([t])
            if not lab or not str(lab).strip():
                raise InputError("a theme label cannot be empty", fix="pass a few words")
            self.labels_[t] = str(lab).strip()
        self._refresh()
        return self

    def merge(self, theme_ids: Sequence[int], *, label: str | None = None) -> ThemeModel:
        """Merge themes into the one with the smallest id (its label unless ``label``)."""
        ids = self._known(theme_ids)
        if len(set(ids)) < 2:
            raise InputError("merge needs at least two different themes", fix="pass two or more theme ids")
        keep = min(ids)
        sizes = {t: int((self._theme_of_doc == t).sum()) for t in ids}
        for t in ids:
            if t != keep:
                self._theme_of_doc[self._theme_of_doc == t] = keep
                del self.labels_[t]
        self._keywords[keep] = self._recompute_keywords(keep) or _interleave(
            [self._keywords.get(t, []) for t in sorted(ids, key=lambda t: -sizes[t])], self.top_n_words
        )
        for t in ids:
            if t != keep:
                self._keywords.pop(t, None)
        if label:
            self.labels_[keep] = label
        self._refresh()
        return self

    def drop(self, theme_ids: Sequence[int]) -> ThemeModel:
        """Drop noise themes: their segments become outliers (-1) and are no longer assigned."""
        for t in self._known(theme_ids):
            self._theme_of_doc[self._theme_of_doc == t] = -1
            del self.labels_[t]
            self._keywords.pop(t, None)
        self._refresh()
        return self

    def split(self, theme_id: int, n: int = 2) -> ThemeModel:
        """Split a theme in ``n`` by k-means on its segments' embeddings; the largest part
        keeps the id, the others get new ids."""
        from sklearn.cluster import KMeans

        (t,) = self._known([theme_id])
        members = np.flatnonzero(self._theme_of_doc == t)
        if len(members) < 2 * n:
            raise InputError(f"theme {t} has only {len(members)} segments; too few to split in {n}",
                             fix="split a larger theme or use a smaller n")
        parts = KMeans(n_clusters=n, n_init=10, random_state=self.random_state).fit_predict(self._fit_vectors[members])
        order = np.argsort(-np.bincount(parts), kind="stable")
        next_id = max(self.labels_) + 1
        for rank, part in enumerate(order):
            new = t if rank == 0 else next_id + rank - 1
            self._theme_of_doc[members[parts == part]] = new
        for rank in range(len(order)):
            new = t if rank == 0 else next_id + rank - 1
            self._keywords[new] = self._recompute_keywords(new)
            self.labels_[new] = self._label(self._keywords[new])
        self._refresh()
        return self

    def similar_themes(self, top: int | None = 10) -> pd.DataFrame:
        """Pairs of themes whose centroids are closest (candidates to merge), most similar first.

        Returns ``theme_a, label_a, theme_b, label_b, similarity`` (cosine of the two
        centroids), ``top`` rows (all pairs when ``None``).
        """
        import pandas as pd

        self._check_fitted()
        ids, vecs = self._centroid_ids, self._centroid_vecs
        sim = vecs @ vecs.T
        rows = [
            {"theme_a": a, "label_a": self.labels_[a], "theme_b": b, "label_b": self.labels_[b],
             "similarity": round(float(sim[i, j]), 4)}
            for i, a in enumerate(ids) for j, b in enumerate(ids) if i < j
        ]
        out = pd.DataFrame(rows, columns=["theme_a", "label_a", "theme_b", "label_b", "similarity"])
        out = out.sort_values(["similarity", "theme_a", "theme_b"], ascending=[False, True, True], kind="stable")
        return (out if top is None else out.head(top)).reset_index(drop=True)

    def _recompute_keywords(self, theme: int) -> list[str]:
        """c-TF-IDF keywords of ``theme`` against every other theme (same vectorizer as BERTopic)."""
        from sklearn.feature_extraction.text import CountVectorizer

        themes = sorted(t for t in set(self._theme_of_doc.tolist()))
        joined = [" ".join(d for d, th in zip(self._fit_docs, self._theme_of_doc, strict=True) if th == t) for t in themes]
        base = self._vectorizer(len(self._fit_docs))
        vec = CountVectorizer(stop_words=base.stop_words, ngram_range=base.ngram_range, token_pattern=base.token_pattern)
        try:
            counts = vec.fit_transform(joined).toarray().astype(float)
        except ValueError:
            return []
        tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
        avg = counts.sum() / len(themes)
        idf = np.log(1 + avg / np.maximum(counts.sum(axis=0), 1))
        score = tf * idf
        row = score[themes.index(theme)]
        vocab = vec.get_feature_names_out()
        top = [vocab[i] for i in np.argsort(-row, kind="stable")[: 3 * self.top_n_words] if row[i] > 0]
        # KeyBERT-like re-rank: keep words close to the theme centroid
        members = self._theme_of_doc == theme
        if top and members.any():
            cent = _l2(self._fit_vectors[members].mean(axis=0, keepdims=True))[0]
            wv = self._embedder().encode(top)
            sim = wv @ cent
            top = [top[i] for i in np.argsort(-sim, kind="stable")]
        return top[: self.top_n_words]

    # ------------------------------------------------------------------ codebook

    def to_codes(self, theme_ids: Sequence[int] | None = None, *, parent: str | None = None) -> list[Code]:
        """The themes as codebook codes (name = label, keywords, quotes as examples), to
        add to a codebook with ``codebook.with_codes(model.to_codes())``."""
        from insights.codebook import Code

        self._check_fitted()
        ids = self._known(theme_ids) if theme_ids is not None else list(self.labels_)
        rows = self.themes_.set_index("theme_id")
        codes = []
        for t in ids:
            kws = self._keywords.get(t, [])
            quotes = [q for q in str(rows.loc[t, "quote_texts"]).split(" | ") if q][:3]
            codes.append(
                Code(
                    name=self.labels_[t],
                    definition=f"Theme found in the interviews: {', '.join(kws[:6])}.",
                    parent=parent,
                    keywords=[k for k in kws[:5] if len(k) > 3],
                    examples=quotes,
                )
            )
        return codes

    # ------------------------------------------------------------------ persistence

    def save(self, path: str | Path) -> Path:
        """Save to a folder: BERTopic's safetensors files plus ``insights_themes.json``
        (labels, edits, parameters) and ``insights_centroids.safetensors``."""
        from safetensors.numpy import save_file

        self._check_fitted()
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        import logging

        log = logging.getLogger("BERTopic")
        level = log.level
        log.setLevel(logging.ERROR)  # its "no embedding model pointer" warning: ours is passed at load
        try:
            self.topic_model_.save(str(path), serialization="safetensors", save_ctfidf=True,
                                   save_embedding_model=False)
        finally:
            log.setLevel(level)
        save_file(
            {"centroids": np.ascontiguousarray(self._centroid_vecs), "fit_vectors": np.ascontiguousarray(self._fit_vectors)},
            str(path / "insights_centroids.safetensors"),
        )
        state = {
            "format": 1,
            "embedder": getattr(self._embedder(), "name", None),
            "params": {k: v for k, v in self.get_params().items() if k not in _NOT_SAVED},
            "labels": {str(k): v for k, v in self.labels_.items()},
            "keywords": {str(k): v for k, v in self._keywords.items()},
            "centroid_ids": [int(t) for t in self._centroid_ids],
            "fit": {
                "segment_id": self._fit_ids,
                "text": self._fit_docs,
                "participant_id": [_plain(p) for p in self._fit_participants],
                "transcript_id": self._fit_transcripts,
                "theme_id": [int(t) for t in self._theme_of_doc],
            },
            "excluded": {"segment_id": self._excluded_ids, "reason": self._excluded_reason},
            "words": {"names": list(getattr(self, "_names", [])), "nouns": list(getattr(self, "_nouns", [])),
                      "non_topic": list(getattr(self, "_non_topic", []))},
        }
        (path / "insights_themes.json").write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: str | Path, *, embedder: Embedder | None = None, cache_dir: str | Path | None = None) -> ThemeModel:
        """Load a model saved by :meth:`save`. Nothing is downloaded: the embedder is
        passed in (default MiniLM) and the hub is switched off while BERTopic loads.
        ``cache_dir``: see :class:`ThemeModel`."""
        from safetensors.numpy import load_file

        path = Path(path)
        state_file = path / "insights_themes.json"
        if not state_file.is_file():
            raise InputError("not a saved theme model (no insights_themes.json)",
                             fix="pass the folder written by ThemeModel.save", file=path)
        state = json.loads(state_file.read_text(encoding="utf-8"))
        params = dict(state["params"])
        # models saved before content words existed were fitted on sentence embeddings alone
        params.setdefault("content_weight", 0.0)
        params.setdefault("exclude_generic", False)
        params["representation"] = tuple(params.get("representation", ()))
        if params.get("roles") is not None:
            params["roles"] = tuple(params["roles"])
        for k in _NOT_SAVED:
            params.pop(k, None)
        model = cls(**params, embedder=embedder, cache_dir=cache_dir)
        emb = model._embedder()
        if state.get("embedder") and getattr(emb, "name", None) != state["embedder"]:
            raise ModelError(
                f"the theme model was fitted with embeddings from {state['embedder']!r}, not {emb.name!r}",
                fix=f"load it with embedder=get_embedder(...) for {state['embedder']!r}, or refit",
            )
        old = {k: os.environ.get(k) for k in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            from bertopic import BERTopic

            model.topic_model_ = BERTopic.load(str(path), embedding_model=_bertopic_backend(emb))
        finally:
            for k, v in old.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        tensors = load_file(str(path / "insights_centroids.safetensors"))
        fit = state["fit"]
        model._fit_ids = list(fit["segment_id"])
        model._fit_docs = list(fit["text"])
        model._fit_participants = list(fit["participant_id"])
        model._fit_transcripts = list(fit["transcript_id"])
        model._theme_of_doc = np.asarray(fit["theme_id"], dtype=int)
        model._fit_vectors = tensors["fit_vectors"]
        model.labels_ = {int(k): v for k, v in state["labels"].items()}
        model._keywords = {int(k): v for k, v in state["keywords"].items()}
        model._excluded_ids = list(state["excluded"]["segment_id"])
        model._excluded_reason = list(state["excluded"]["reason"])
        words = state.get("words", {})
        model._names = list(words.get("names", []))
        model._nouns = list(words.get("nouns", []))
        model._non_topic = list(words.get("non_topic", []))
        model._refresh()
        return model

    # ------------------------------------------------------------------ sklearn protocol

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        import inspect

        names = [p for p in inspect.signature(type(self).__init__).parameters if p != "self"]
        return {n: getattr(self, n) for n in names}

    def set_params(self, **params: Any) -> ThemeModel:
        valid = self.get_params()
        for k, v in params.items():
            if k not in valid:
                raise ConfigError(f"ThemeModel has no parameter {k!r}", fix=f"use one of: {', '.join(valid)}")
            setattr(self, k, v)
        return self

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.get_params().items()
                   if k not in _NOT_SAVED and v != _DEFAULTS.get(k)}
        return f"ThemeModel({', '.join(f'{k}={v!r}' for k, v in changed.items())})"


def _plain(value: Any) -> str | None:
    """A JSON-safe string, or None for missing values (None, NaN, pd.NA)."""
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return None if value is None else str(value)


def _interleave(lists: Sequence[Sequence[str]], n: int) -> list[str]:
    out: list[str] = []
    for i in range(max((len(x) for x in lists), default=0)):
        for lst in lists:
            if i < len(lst) and lst[i] not in out:
                out.append(lst[i])
    return out[:n]


_DEFAULTS = {k: v.default for k, v in __import__("inspect").signature(ThemeModel.__init__).parameters.items()
             if k != "self"}


def discover_themes(segments: pd.DataFrame, **params: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One call: fit a :class:`ThemeModel` and return ``(themes, assignments)``."""
    model = ThemeModel(**params).fit(segments)
    return model.themes_.copy(), model.assignments_.copy()
