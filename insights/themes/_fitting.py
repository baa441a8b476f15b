"""The rows a theme model fits, with their vectors, and the checks of its parameters.

:func:`select_rows` is the one place that decides which segments a
:class:`~insights.themes.ThemeModel` fits or assigns (by
:func:`~insights.themes._content.exclusion_reasons`) and makes their vectors
(sentence embedding plus ``content_weight`` times the embedding of the content
words); :func:`check_params` rejects parameters it cannot use, with the fix.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from insights.errors import ConfigError
from insights.nlp import pipeline_key
from insights.schema import segment_ids, spoken_words
from insights.themes._backends import l2_normalise
from insights.themes._content import ContentWords, exclusion_reasons

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from insights.embed import Embedder

__all__ = [
    "Selection",
    "check_params",
    "fit_positions",
    "model_exclusions",
    "sample_positions",
    "select_rows",
    "speaker_words",
    "standalone_texts",
    "theme_sample",
    "zeroshot_names",
]


class Selection(NamedTuple):
    """The segments a model fits or assigns, by position in the table given."""

    ids: pd.Series  # segment id of every row
    reason: pd.Series  # why each row is left out ("" = used)
    use: np.ndarray  # the rows used
    docs: list[str]  # their texts
    vectors: np.ndarray | None  # their vectors
    content: ContentWords | None  # content words of the rows that passed the other exclusions


def _exclusions_key(model: Any, segments: pd.DataFrame) -> str:
    """What :func:`model_exclusions` reads of ``model`` and ``segments``, as a digest."""
    import hashlib

    import pandas as pd

    cols = [c for c in ("text", "role") if c in segments.columns]
    rows = pd.util.hash_pandas_object(segments[cols], index=True).to_numpy()
    params = (
        model.roles and tuple(model.roles),
        model.min_words,
        model.exclude_backchannels,
        model.exclude_generic,
        model.content_weight,
        model.spacy_model,
        str(model.cache_dir),
        sorted({"role", "speaker", "transcript_id"} & set(segments.columns)),
    )
    return hashlib.sha1(repr(params).encode() + rows.tobytes()).hexdigest()


def model_exclusions(model: Any, segments: pd.DataFrame) -> tuple[pd.Series, Any]:
    """Why ``model`` leaves each row out (``""``: used), and the rows' content words.

    The answers for the last two tables are kept on the model (not saved): the themes stage of
    ``insights run`` asks it for the whole study twice (which rows to fit on, then
    ``transform``), and the second asking costs no pass over every segment.
    """
    key = _exclusions_key(model, segments)
    kept = model.__dict__.setdefault("_exclusions_kept", {})
    if key in kept:
        return kept[key][0].copy(), kept[key][1]
    found = _model_exclusions(model, segments)
    while len(kept) >= 2:  # the study's and the fitted sample's
        kept.pop(next(iter(kept)))
    kept[key] = (found[0].copy(), found[1])
    return found


def _model_exclusions(model: Any, segments: pd.DataFrame) -> tuple[pd.Series, Any]:
    uses_spacy = model._uses_spacy()
    texts_only = standalone_texts(segments)
    return exclusion_reasons(
        segments,
        roles=model.roles,
        min_words=1 if texts_only else model.min_words,
        exclude_backchannels=model.exclude_backchannels,
        exclude_generic=model.exclude_generic and uses_spacy and not texts_only,
        analyse_content=uses_spacy,
        nlp=model.spacy_model,
        cache=model.cache_dir,
        model_key=pipeline_key(model.spacy_model) if uses_spacy else "",
    )


def fit_positions(model: Any, segments: pd.DataFrame) -> np.ndarray | None:
    """The rows ``model`` fits on: a sample by transcript of the rows it uses.

    None (every row) while it uses at most ``max_fit_segments``; else
    :func:`sample_positions` of the used rows (filler, short and other excluded rows
    are not fitted anyway, and :meth:`~insights.themes.ThemeModel.transform` lists them).
    """
    bound = model.max_fit_segments
    if bound is None or len(segments) <= bound:
        return None
    used = np.flatnonzero((model_exclusions(model, segments)[0] == "").to_numpy())
    pick = sample_positions(segments.iloc[used], bound, random_state=model.random_state)
    return None if pick is None else used[pick]


def select_rows(
    model: Any, segments: pd.DataFrame, embeddings: np.ndarray | None, embedder: Embedder
) -> Selection:
    """The rows ``model`` uses, their texts and vectors (with content words added).

    See ``content_weight`` in :class:`~insights.themes.ThemeModel`. Standalone texts
    (:func:`standalone_texts`) are each fitted however short, and none is filler.
    """
    reason, content = model_exclusions(model, segments)
    ids = segment_ids(segments).reset_index(drop=True)
    reason = reason.reset_index(drop=True)
    texts = segments["text"].fillna("").astype(str).map(spoken_words).reset_index(drop=True)
    use = (reason == "").to_numpy()
    if not use.any():
        return Selection(ids, reason, use, [], None, content)
    if embeddings is not None:
        vectors = l2_normalise(np.asarray(embeddings, dtype=np.float32))[use]
    else:
        vectors = embedder.encode(texts[use].tolist())
    if content is not None and model.content_weight > 0:
        words = [" ".join(w) for w, r in zip(content.words, content.rows, strict=True) if use[r]]
        has = [i for i, w in enumerate(words) if w]
        extra = np.zeros_like(vectors)
        if has:
            extra[has] = embedder.encode([words[i] for i in has])
        vectors = l2_normalise(vectors + model.content_weight * extra).astype(np.float32)
    return Selection(ids, reason, use, texts[use].tolist(), vectors, content)


def theme_sample(
    segments: pd.DataFrame,
    max_segments: int | None,
    *,
    roles: Any = None,
    min_words: int = 1,
    random_state: int = 42,
) -> pd.DataFrame:
    """At most ``max_segments`` rows of ``segments`` a theme model fits on, by transcript.

    Only the rows that can be fitted count (``role`` in ``roles`` or missing, at least
    ``min_words`` words); when there are at most ``max_segments`` of them (or
    ``max_segments`` is None) ``segments`` is returned as it is. Otherwise each
    transcript (else participant) gives its share of the sample (largest remainders
    first), drawn at random with
    ``random_state``, in the table's order: every conversation is in the fit, and the
    cost of fitting stops growing with the study.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"text": ["a long enough answer here"] * 12,
    ...                     "transcript_id": ["t1"] * 9 + ["t2"] * 3})
    >>> theme_sample(seg, 4)["transcript_id"].tolist()
    ['t1', 't1', 't1', 't2']
    >>> len(theme_sample(seg, 100)), len(theme_sample(seg, None))
    (12, 12)
    """
    pick = sample_positions(
        segments, max_segments, roles=roles, min_words=min_words, random_state=random_state
    )
    return segments if pick is None else segments.iloc[pick]


def sample_positions(
    segments: pd.DataFrame,
    max_segments: int | None,
    *,
    roles: Any = None,
    min_words: int = 1,
    random_state: int = 42,
) -> np.ndarray | None:
    """The positions :func:`theme_sample` keeps (None: every row)."""
    if max_segments is None:
        return None
    words = segments["text"].fillna("").astype(str).str.split().str.len().to_numpy()
    ok = words >= (1 if standalone_texts(segments) else min_words)
    if roles is not None and "role" in segments.columns:
        role = segments["role"]
        ok &= (role.isna() | role.astype(str).isin(list(roles))).to_numpy()
    candidates = np.flatnonzero(ok)
    if len(candidates) <= max_segments:
        return None
    unit = next((c for c in ("transcript_id", "participant_id") if c in segments.columns), None)
    groups = (
        segments[unit].astype(str).to_numpy()[candidates]
        if unit is not None
        else np.zeros(len(candidates), dtype=int)
    )
    names, inverse, counts = np.unique(groups, return_inverse=True, return_counts=True)
    quota = counts * max_segments / len(candidates)
    take = np.floor(quota).astype(int)
    for g in np.argsort(-(quota - take), kind="stable")[: max_segments - int(take.sum())]:
        take[g] += 1
    rng = np.random.default_rng(random_state)
    chosen = [
        rng.choice(candidates[inverse == g], size=int(take[g]), replace=False)
        for g in range(len(names))
        if take[g]
    ]
    return np.sort(np.concatenate(chosen))


def standalone_texts(segments: pd.DataFrame) -> bool:
    """Whether ``segments`` are standalone texts (survey answers, reviews), not transcript turns.

    A table without ``role``, ``speaker`` and ``transcript_id`` holds texts that each
    stand on their own: "Too expensive." is an answer, not a remark that needs the
    question it follows, so no text is too short or generic to fit (on the
    SemEval-2016 review sentences, tune part, this raises the NMI with the gold
    categories from 0.38 to 0.46).

    Examples
    --------
    >>> import pandas as pd
    >>> standalone_texts(pd.DataFrame({"text": ["Too expensive."]}))
    True
    >>> standalone_texts(pd.DataFrame({"text": ["Too expensive."], "speaker": ["P1"]}))
    False
    """
    return not ({"role", "speaker", "transcript_id"} & set(segments.columns))


def check_params(model: Any) -> None:
    """Raise :class:`~insights.errors.ConfigError` for a parameter ``model`` cannot use."""
    if model.method not in ("auto", "spectral", "kmeans", "hdbscan"):
        raise ConfigError(
            f"unknown theme method {model.method!r}",
            fix="use 'auto', 'spectral', 'kmeans' or 'hdbscan'",
        )
    if model.guidance not in ("none", "guided", "zeroshot"):
        raise ConfigError(
            f"unknown guidance {model.guidance!r}", fix="use 'none', 'guided' or 'zeroshot'"
        )
    if model.guidance != "none" and (model.codebook is None or not len(model.codebook)):
        raise ConfigError(
            f"guidance={model.guidance!r} needs a codebook with codes",
            fix="pass codebook= or guidance='none'",
        )
    if not (isinstance(model.n_themes, int) and model.n_themes >= 2) and model.n_themes != "auto":
        raise ConfigError(
            f"n_themes must be 'auto' or an integer >= 2, not {model.n_themes!r}",
            fix="set n_themes to 'auto' or a number such as 12",
        )
    bound = model.max_fit_segments
    if bound is not None and not (isinstance(bound, int) and bound >= 100):
        raise ConfigError(
            f"max_fit_segments must be None or an integer >= 100, not {bound!r}",
            fix="use e.g. 4000, or None to fit every segment",
        )
    share = model.max_theme_share
    if share is not None and not 0 < share <= 1:
        raise ConfigError(
            f"max_theme_share must be between 0 and 1, not {share!r}",
            fix="use e.g. 0.15, or None to keep themes as clustered",
        )


def zeroshot_names(codebook: Any, guidance: str) -> list[str]:
    """The code names zero-shot guidance gives as labels (they are kept as they are)."""
    if guidance != "zeroshot" or codebook is None:
        return []
    return [c.name for c in codebook.codes if c.is_codable]


def speaker_words(segments: pd.DataFrame) -> set[str]:
    """The words of the speaker names in ``segments`` (lower case): never in a label.

    Examples
    --------
    >>> import pandas as pd
    >>> sorted(speaker_words(pd.DataFrame({"speaker": ["Maureen Hill", "Interviewer 1", None]})))
    ['hill', 'interviewer', 'maureen']
    """
    if "speaker" not in segments.columns:
        return set()
    names = segments["speaker"].dropna().astype(str).unique()
    return {w.lower() for n in names for w in n.replace("_", " ").split() if w.isalpha()}
