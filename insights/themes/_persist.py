"""Saving a fitted theme model to a folder, and loading it back without refitting.

The folder holds BERTopic's safetensors files, ``insights_centroids.safetensors``
(the theme centroids and the vectors of the fitted segments) and
``insights_themes.json`` (parameters, labels, keywords, edits, the fitted segments).
:meth:`ThemeModel.save <insights.themes.ThemeModel.save>` and
:meth:`ThemeModel.load <insights.themes.ThemeModel.load>` call these functions.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from insights.errors import InputError, ModelError
from insights.schema import person_key
from insights.themes._backends import bertopic_backend, hub_offline, resolve_method

if TYPE_CHECKING:  # pragma: no cover
    from insights.embed import Embedder

__all__ = ["NOT_SAVED", "STATE_FILE", "load_bertopic", "load_model", "plain", "save_model"]

#: parameters that are not part of a saved model (passed again at load)
NOT_SAVED = ("codebook", "embedder", "cache_dir")
#: the file that marks a folder as a saved theme model
STATE_FILE = "insights_themes.json"
_TENSORS_FILE = "insights_centroids.safetensors"


def plain(value: Any) -> str | None:
    """A JSON-safe string, or ``None`` for missing values (``None``, NaN, ``pd.NA``).

    Examples
    --------
    >>> plain(3), plain(float("nan")), plain(None)
    ('3', None, None)
    """
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return None if value is None else str(value)


def save_model(model: Any, path: str | Path) -> Path:
    """Write a fitted ``model`` to the folder ``path`` (created if need be).

    Parameters
    ----------
    model : ThemeModel
        Fitted (or loaded).
    path : str or Path

    Returns
    -------
    Path
        The folder.
    """
    from safetensors.numpy import save_file

    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    log = logging.getLogger("BERTopic")
    level = log.level
    log.setLevel(logging.ERROR)  # its "no embedding model pointer" warning: ours is passed at load
    source = model.__dict__.get("_bertopic_from_")
    try:
        if source is not None:  # loaded and BERTopic never read: its files as they were
            for f in Path(source).iterdir():
                if f.is_file() and f.name not in (STATE_FILE, _TENSORS_FILE):
                    if f.resolve() != (path / f.name).resolve():
                        shutil.copyfile(f, path / f.name)
        else:
            model.topic_model_.save(
                str(path), serialization="safetensors", save_ctfidf=True, save_embedding_model=False
            )
    finally:
        log.setLevel(level)
    save_file(
        {
            "centroids": np.ascontiguousarray(model.centroids_),
            "fit_vectors": np.ascontiguousarray(model.fit_vectors_),
        },
        str(path / _TENSORS_FILE),
    )
    state = {
        "format": 1,
        "embedder": getattr(model.embedder_, "name", None),
        "params": {k: v for k, v in model.get_params().items() if k not in NOT_SAVED},
        "labels": {str(k): v for k, v in model.labels_.items()},
        "keywords": {str(k): v for k, v in model.keywords_.items()},
        "stability": {str(k): v for k, v in getattr(model, "stability_", {}).items()},
        "codebook_codes": {str(k): v for k, v in getattr(model, "codebook_codes_", {}).items()},
        "centroid_ids": [int(t) for t in model.centroid_ids_],
        "fit": {
            "segment_id": model.fit_ids_,
            "text": model.fit_docs_,
            "participant_id": [plain(p) for p in model.fit_participants_],
            "transcript_id": model.fit_transcripts_,
            "theme_id": [int(t) for t in model.theme_of_doc_],
            "person": model.fit_persons_,
            "phrases": [
                [list(p) for p in doc] for doc in getattr(model, "fit_phrases_", None) or []
            ],
            "stance": [int(x) for x in _or_empty(getattr(model, "fit_stances_", None))],
        },
        "excluded": {"segment_id": model.excluded_ids_, "reason": model.excluded_reasons_},
        "words": {
            "names": list(model.person_names_),
            "nouns": list(model.nouns_),
            "non_topic": list(model.non_topic_words_),
            "label_names": list(getattr(model, "label_names_", [])),
        },
    }
    (path / STATE_FILE).write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    return path


def _saved_persons(fit: dict[str, Any]) -> list[str]:
    """The person of each fitted segment (:func:`insights.schema.person_key`).

    Models saved before the person was kept know participant and transcript only.
    """
    if "person" in fit:
        return list(fit["person"])
    import pandas as pd

    columns: dict[str, list[Any]] = {"participant_id": list(fit["participant_id"])}
    if any(t is not None for t in fit["transcript_id"]):
        columns["transcript_id"] = list(fit["transcript_id"])
    return person_key(pd.DataFrame(columns, dtype=object)).tolist()


def load_bertopic(path: str | Path, embedder: Embedder) -> Any:
    """The BERTopic model saved in ``path``, with ``embedder`` as its backend (offline)."""
    with hub_offline():
        from bertopic import BERTopic

        return BERTopic.load(str(path), embedding_model=bertopic_backend(embedder))


def load_model(
    cls: type,
    path: str | Path,
    *,
    embedder: Embedder | None = None,
    cache_dir: str | Path | None = None,
) -> Any:
    """A ``cls`` with the fitted state saved in ``path`` (its tables are not derived yet).

    Parameters
    ----------
    cls : type
        :class:`~insights.themes.ThemeModel` or a subclass.
    path : str or Path
        A folder written by :func:`save_model`.
    embedder : Embedder, optional
        Default :func:`insights.embed.get_embedder`; must be the one the model was
        fitted with.
    cache_dir : path, optional
        See :class:`~insights.themes.ThemeModel`.

    Returns
    -------
    ThemeModel
        Call its ``_refresh`` to derive ``themes_`` and ``assignments_``.
    """
    from safetensors.numpy import load_file

    path = Path(path)
    state_file = path / STATE_FILE
    if not state_file.is_file():
        raise InputError(
            f"not a saved theme model (no {STATE_FILE})",
            fix="pass the folder written by ThemeModel.save",
            file=path,
        )
    from insights.io import read_text_file

    try:  # a damaged or hand-edited file is one line naming it, not a traceback
        state = json.loads(read_text_file(state_file, what=STATE_FILE))
        params = dict(state["params"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(
            f"is not a readable saved theme model ({exc.__class__.__name__})",
            fix="delete the theme_model folder (the next run fits the themes again) "
            "or restore it from a backup",
            file=state_file,
        ) from None
    # models saved before content words existed were fitted on sentence embeddings alone
    params.setdefault("content_weight", 0.0)
    params.setdefault("exclude_generic", False)
    params["representation"] = tuple(params.get("representation", ()))
    if params.get("roles") is not None:
        params["roles"] = tuple(params["roles"])
    for k in NOT_SAVED:
        params.pop(k, None)
    model = cls(**params, embedder=embedder, cache_dir=cache_dir)
    if embedder is None:
        from insights.embed import get_embedder

        embedder = get_embedder()
    if state.get("embedder") and getattr(embedder, "name", None) != state["embedder"]:
        raise ModelError(
            f"the theme model was fitted with embeddings from {state['embedder']!r}, "
            f"not {embedder.name!r}",
            fix=f"load it with embedder=get_embedder(...) for {state['embedder']!r}, or refit",
        )
    model._bertopic_from_ = path  # read on first use of topic_model_ (load_bertopic)
    tensors = load_file(str(path / _TENSORS_FILE))
    fit = state["fit"]
    model.embedder_ = embedder
    model.fit_ids_ = list(fit["segment_id"])
    model.fit_docs_ = list(fit["text"])
    model.fit_participants_ = list(fit["participant_id"])
    model.fit_transcripts_ = list(fit["transcript_id"])
    model.fit_persons_ = _saved_persons(fit)
    model.theme_of_doc_ = np.asarray(fit["theme_id"], dtype=int)
    model.fit_vectors_ = tensors["fit_vectors"]
    model.method_ = resolve_method(model.method, len(model.fit_docs_))
    model.labels_ = {int(k): v for k, v in state["labels"].items()}
    model.keywords_ = {int(k): v for k, v in state["keywords"].items()}
    model.stability_ = {int(k): float(v) for k, v in state.get("stability", {}).items()}
    model.codebook_codes_ = {int(k): v for k, v in state.get("codebook_codes", {}).items()}
    model.excluded_ids_ = list(state["excluded"]["segment_id"])
    model.excluded_reasons_ = list(state["excluded"]["reason"])
    words = state.get("words", {})
    model.person_names_ = list(words.get("names", []))
    model.nouns_ = list(words.get("nouns", []))
    model.non_topic_words_ = list(words.get("non_topic", []))
    model.label_names_ = list(words.get("label_names", model.person_names_))
    model.fit_phrases_ = [[(w, m) for w, m in doc] for doc in fit.get("phrases", [])] or None
    model.fit_stances_ = np.asarray(fit["stance"], dtype=np.int8) if fit.get("stance") else None
    return model


def _or_empty(values: Any) -> Any:
    """``values``, or an empty tuple for None."""
    return () if values is None else values
