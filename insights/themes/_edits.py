"""A researcher's edits of fitted themes: rename, merge, drop, split, and themes as codes.

:class:`ThemeEdits` is a mixin of :class:`~insights.themes.ThemeModel`: it works on
the model's fitted state (the theme of each fitted segment, labels and keywords)
and calls the model's ``_refresh`` after each edit, which recomputes the centroids,
``themes_`` and ``assignments_``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Self

import numpy as np

from insights.errors import InputError
from insights.themes._backends import l2_normalise, make_vectorizer, repeats_word
from insights.themes._fitting import speaker_words, zeroshot_names
from insights.themes._labels import (
    MIN_LABEL_COVER,
    distinct_labels,
    keyword_label,
    label_cover,
    phrase_labels,
    ranked_phrases,
)
from insights.themes._specific import specific_labels
from insights.themes._stance import stance_check

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from insights.codebook import Code
    from insights.embed import Embedder

__all__ = ["ThemeEdits", "interleave"]


def interleave(lists: Sequence[Sequence[str]], n: int) -> list[str]:
    """The first ``n`` distinct items of ``lists`` taken in turn (first of each, then second…).

    Examples
    --------
    >>> interleave([["price", "bill"], ["price", "contract", "fee"]], 3)
    ['price', 'bill', 'contract']
    """
    out: list[str] = []
    for i in range(max((len(x) for x in lists), default=0)):
        for lst in lists:
            if i < len(lst) and lst[i] not in out:
                out.append(lst[i])
    return out[:n]


class ThemeEdits:
    """Edits of a fitted theme model (a mixin of :class:`~insights.themes.ThemeModel`)."""

    # the fitted state the edits read and change (set by ThemeModel.fit and load)
    labels_: dict[int, str]
    keywords_: dict[int, list[str]]
    theme_of_doc_: np.ndarray
    fit_docs_: list[str]
    fit_vectors_: np.ndarray
    person_names_: list[str]
    centroid_ids_: list[int]
    centroids_: np.ndarray
    embedder_: Embedder
    themes_: pd.DataFrame
    top_n_words: int
    random_state: int

    def _known(self, theme_ids: Iterable[int]) -> list[int]:
        self._check_fitted()
        out = []
        for t in theme_ids:
            if int(t) not in self.labels_:
                raise InputError(
                    f"there is no theme {t}",
                    fix=f"use one of the theme ids: {', '.join(map(str, self.labels_))}",
                )
            out.append(int(t))
        return out

    def _forget(self, theme_id: int) -> None:
        """Forget what an edit makes untrue of a theme: its stability and codebook code."""
        for name in ("stability_", "codebook_codes_"):
            getattr(self, name, {}).pop(theme_id, None)

    def rename(self, theme_id: int | dict[int, str], label: str | None = None) -> Self:
        """Give a theme a new label.

        Parameters
        ----------
        theme_id : int or dict of int to str
            The theme, or several as ``{theme_id: label}``.
        label : str, optional
            The new label (with a single ``theme_id``).

        Returns
        -------
        ThemeModel
            The model itself.
        """
        mapping = theme_id if isinstance(theme_id, dict) else {theme_id: label}
        for t, lab in mapping.items():
            (t,) = self._known([t])
            if not lab or not str(lab).strip():
                raise InputError("a theme label cannot be empty", fix="pass a few words")
            self.labels_[t] = str(lab).strip()
        self._refresh()
        return self

    def merge(self, theme_ids: Sequence[int], *, label: str | None = None) -> Self:
        """Merge themes into the one with the smallest id.

        Parameters
        ----------
        theme_ids : sequence of int
            Two or more themes.
        label : str, optional
            The merged theme's label (default: the kept theme's).

        Returns
        -------
        ThemeModel
            The model itself.
        """
        ids = self._known(theme_ids)
        if len(set(ids)) < 2:
            raise InputError(
                "merge needs at least two different themes", fix="pass two or more theme ids"
            )
        keep = min(ids)
        for t in ids:
            self._forget(t)
        sizes = {t: int((self.theme_of_doc_ == t).sum()) for t in ids}
        for t in ids:
            if t != keep:
                self.theme_of_doc_[self.theme_of_doc_ == t] = keep
                del self.labels_[t]
        by_size = sorted(ids, key=lambda t: -sizes[t])
        self.keywords_[keep] = self._recompute_keywords(keep) or interleave(
            [self.keywords_.get(t, []) for t in by_size], self.top_n_words
        )
        for t in ids:
            if t != keep:
                self.keywords_.pop(t, None)
        if label:
            self.labels_[keep] = label
        self._refresh()
        return self

    def drop(self, theme_ids: Sequence[int]) -> Self:
        """Drop noise themes: their segments become outliers (-1) and are no longer assigned.

        Parameters
        ----------
        theme_ids : sequence of int

        Returns
        -------
        ThemeModel
            The model itself.
        """
        for t in self._known(theme_ids):
            self._forget(t)
            self.theme_of_doc_[self.theme_of_doc_ == t] = -1
            del self.labels_[t]
            self.keywords_.pop(t, None)
        self._refresh()
        return self

    def _label_by_phrases(self, sel: Any, segments: pd.DataFrame, embedder: Embedder) -> None:
        """Label the themes with their most distinctive phrases, no two alike (see _labels).

        Themes named after a zero-shot code keep the code's name. The fitted segments'
        phrases are kept (``fit_phrases_``), so :meth:`split` labels its parts the same way.
        """
        named = set(self.labels_.values()) & set(zeroshot_names(self.codebook, self.guidance))
        fixed = [t for t, lab in self.labels_.items() if lab in named]
        self.label_phrases_ = {}
        self.fit_phrases_ = None
        self.label_names_ = sorted(set(self.person_names_) | speaker_words(segments))
        if sel.content is not None:
            self.fit_phrases_ = [
                p for p, r in zip(sel.content.phrases, sel.content.rows, strict=True) if sel.use[r]
            ]
        self._phrase_labels([t for t in self.labels_ if t not in fixed], named, embedder)
        self._distinct_labels(keep=fixed)

    def _phrase_labels(self, themes: Sequence[int], taken: Iterable[str], embedder: Any) -> None:
        """Label ``themes`` from their segments' phrases, else from the keywords said in them.

        A phrase said in few of the theme's segments does not name it: the keywords
        said in it do (:func:`~insights.themes._labels.keyword_label`), else it is talk
        with no single topic. Without the fitted phrases (no spaCy), the fit's rule
        (:func:`~insights.themes.label_from_keywords`).
        """
        found: dict[int, str] = {}
        phrases = getattr(self, "fit_phrases_", None)
        if phrases:
            ranked = ranked_phrases(
                phrases,
                self.theme_of_doc_,
                self.fit_vectors_,
                embedder=embedder,
                names=getattr(self, "label_names_", self.person_names_),
                provider=self._provider_words(),
            )
            self.label_phrases_ = {
                **getattr(self, "label_phrases_", {}),
                **{t: [p for p, _s, _r in r] for t, r in ranked.items()},
            }
            size = {t: int((self.theme_of_doc_ == t).sum()) for t in ranked}
            order = sorted((t for t in themes if t in ranked), key=lambda t: (-size[t], t))
            found = phrase_labels(
                phrases, self.theme_of_doc_, self.fit_vectors_, ranked=ranked, order=order,
                taken=taken, min_cover=0.0, names=getattr(self, "label_names_", ()),
                provider=self._provider_words(),
                fits=self._stance_check(phrases),
            )  # fmt: skip
        for t in themes:
            if not phrases:  # no spaCy: the fit's rule, from the keywords alone
                self.labels_[t] = self._label(self.keywords_.get(t, []))
                continue
            label = found.get(t, "")
            if not label or label_cover(label, phrases, self.theme_of_doc_ == t) < MIN_LABEL_COVER:
                label = keyword_label(
                    self.keywords_.get(t, []), self.fit_docs_, self.theme_of_doc_ == t,
                    provider=self._provider_words(),
                )  # fmt: skip
            self.labels_[t] = label
        if phrases:  # a one-word label made specific: the phrase its segments share
            mine = {t: self.labels_[t] for t in themes}
            others = [lab for k, lab in self.labels_.items() if k not in mine]
            self.labels_.update(
                specific_labels(
                    mine,
                    self.fit_docs_,
                    self.theme_of_doc_,
                    names=getattr(self, "label_names_", ()),
                    taken=others,
                    fits=self._stance_check(phrases),
                )  # fmt: skip
            )

    def _provider_words(self) -> list[tuple[str, ...]]:
        """The provider names as lower-case word tuples (``provider_names``)."""
        names = getattr(self, "provider_names", ()) or ()
        return [tuple(n.lower().split()) for n in names if str(n).strip()]

    def _stance_check(self, phrases: Any) -> Any:
        """The labels' test of one-sided phrases, when the fitted segments have a stance."""
        stances = getattr(self, "fit_stances_", None)
        if stances is None or not np.any(stances):
            return None
        return stance_check(phrases, stances)

    def _distinct_labels(self, keep: Sequence[int] = ()) -> None:
        """No two themes share a label: the others take their next phrase (``keep`` keep theirs)."""
        sizes = {t: int((self.theme_of_doc_ == t).sum()) for t in self.labels_}
        phrases = getattr(self, "label_phrases_", {})
        alternatives = {t: phrases.get(t) or self.keywords_.get(t, []) for t in self.labels_}
        self.labels_ = distinct_labels(self.labels_, alternatives, sizes, keep=keep)

    def split(self, theme_id: int, n: int = 2) -> Self:
        """Split a theme in ``n`` by k-means on its segments' vectors.

        Parameters
        ----------
        theme_id : int
        n : int
            Number of parts: the largest keeps the id, the others get new ids.

        Returns
        -------
        ThemeModel
            The model itself.
        """
        from sklearn.cluster import KMeans

        (t,) = self._known([theme_id])
        self._forget(t)
        members = np.flatnonzero(self.theme_of_doc_ == t)
        if len(members) < 2 * n:
            raise InputError(
                f"theme {t} has only {len(members)} segments; too few to split in {n}",
                fix="split a larger theme or use a smaller n",
            )
        kmeans = KMeans(n_clusters=n, n_init=10, random_state=self.random_state)
        parts = kmeans.fit_predict(self.fit_vectors_[members])
        order = np.argsort(-np.bincount(parts), kind="stable")
        next_id = max(self.labels_) + 1
        for rank, part in enumerate(order):
            new = t if rank == 0 else next_id + rank - 1
            self.theme_of_doc_[members[parts == part]] = new
        parts = [t if rank == 0 else next_id + rank - 1 for rank in range(len(order))]
        for new in parts:
            self.keywords_[new] = self._recompute_keywords(new)
        others = [lab for k, lab in self.labels_.items() if k not in parts]
        self._phrase_labels(parts, others, self.embedder_)
        self._distinct_labels(keep=[k for k in self.labels_ if k not in parts])
        self._refresh()
        return self

    def name_from_codes(self, codes: pd.DataFrame, *, min_share: float = 0.3) -> Self:
        """Name the themes a codebook code matches after the code (seeding by the codebook).

        A theme takes a code's name when the code is the one most of its segments
        carry, it covers at least ``min_share`` of them, and no other theme holds more
        of the code's segments (each code names one theme at most). The code is kept in
        ``codebook_codes_`` (``themes_["codebook_code"]``); the other themes are what
        the codebook missed.

        Parameters
        ----------
        codes : DataFrame
            ``segment_id, code`` (the codes table).
        min_share : float

        Returns
        -------
        ThemeModel
            The model itself.
        """
        if codes is None or codes.empty or not {"segment_id", "code"} <= set(codes.columns):
            return self
        theme_of = dict(zip(self.fit_ids_, self.theme_of_doc_.tolist(), strict=True))
        pairs = codes.assign(theme=codes["segment_id"].astype(str).map(theme_of))
        pairs = pairs[pairs["theme"].notna() & (pairs["theme"] != -1)]
        pairs = pairs.drop_duplicates(["segment_id", "code"])
        if pairs.empty:
            return self
        counts = pairs.groupby(["theme", "code"]).size()
        sizes = {t: int((self.theme_of_doc_ == t).sum()) for t in self.labels_}
        best_theme_of_code = counts.groupby(level="code").idxmax()
        for t, by_code in counts.groupby(level="theme"):
            t = int(t)
            (_, code), n = by_code.idxmax(), int(by_code.max())
            if t not in sizes or n < min_share * sizes[t] or best_theme_of_code[code][0] != t:
                continue
            self.labels_[t] = str(code)
            self.codebook_codes_ = {**getattr(self, "codebook_codes_", {}), t: str(code)}
        self._distinct_labels(keep=list(self.codebook_codes_))
        self._refresh()
        return self

    def similar_themes(self, top: int | None = 10) -> pd.DataFrame:
        """Pairs of themes whose centroids are closest (candidates to merge), most similar first.

        Parameters
        ----------
        top : int, optional
            Rows returned (all pairs when ``None``).

        Returns
        -------
        DataFrame
            ``theme_a, label_a, theme_b, label_b, similarity`` (cosine of the two centroids).
        """
        import pandas as pd

        self._check_fitted()
        ids, vecs = self.centroid_ids_, self.centroids_
        sim = vecs @ vecs.T
        rows = [
            {
                "theme_a": a,
                "label_a": self.labels_[a],
                "theme_b": b,
                "label_b": self.labels_[b],
                "similarity": round(float(sim[i, j]), 4),
            }
            for i, a in enumerate(ids)
            for j, b in enumerate(ids)
            if i < j
        ]
        out = pd.DataFrame(rows, columns=["theme_a", "label_a", "theme_b", "label_b", "similarity"])
        out = out.sort_values(
            ["similarity", "theme_a", "theme_b"], ascending=[False, True, True], kind="stable"
        )
        return (out if top is None else out.head(top)).reset_index(drop=True)

    def _recompute_keywords(self, theme: int) -> list[str]:
        """c-TF-IDF keywords of ``theme`` against every other theme (BERTopic's vectorizer)."""
        from sklearn.feature_extraction.text import CountVectorizer

        themes = sorted(set(self.theme_of_doc_.tolist()))
        joined = [
            " ".join(d for d, th in zip(self.fit_docs_, self.theme_of_doc_, strict=True) if th == t)
            for t in themes
        ]
        base = make_vectorizer(len(self.fit_docs_), self.person_names_)
        vec = CountVectorizer(
            stop_words=base.stop_words,
            ngram_range=base.ngram_range,
            token_pattern=base.token_pattern,
        )
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
        best = np.argsort(-row, kind="stable")[: 3 * self.top_n_words]
        top = [vocab[i] for i in best if row[i] > 0 and not repeats_word(vocab[i])]
        # KeyBERT-like re-rank: keep words close to the theme centroid
        members = self.theme_of_doc_ == theme
        if top and members.any():
            cent = l2_normalise(self.fit_vectors_[members].mean(axis=0, keepdims=True))[0]
            sim = self.embedder_.encode(top) @ cent
            top = [top[i] for i in np.argsort(-sim, kind="stable")]
        return top[: self.top_n_words]

    def to_codes(
        self, theme_ids: Sequence[int] | None = None, *, parent: str | None = None
    ) -> list[Code]:
        """The themes as codebook codes, for ``codebook.with_codes(model.to_codes())``.

        Parameters
        ----------
        theme_ids : sequence of int, optional
            Default: every theme.
        parent : str, optional
            The parent code of the new codes.

        Returns
        -------
        list of Code
            Name = label, the keywords, and up to three quotes as examples.
        """
        from insights.codebook import Code

        self._check_fitted()
        ids = self._known(theme_ids) if theme_ids is not None else list(self.labels_)
        rows = self.themes_.set_index("theme_id")
        codes = []
        for t in ids:
            kws = self.keywords_.get(t, [])
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
