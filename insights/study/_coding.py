"""The codes stage's coding, one entry point for ``insights run`` and notebook 03."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..schema import language_exclusions

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..codebook import Codebook
    from ..embed import Embedder
    from ._config import Study


def talk_about_nothing(segments: pd.DataFrame, *, cache: Path | None = None) -> dict[str, list]:
    """The segments the model may not code by meaning (``code_segments`` arguments).

    ``uncodable``: the themes' "not a theme" group (filler, talk about the interview) and
    backchannels; ``rules_only``: the other segments too short for the themes to fit.
    ``cache`` is the run's cache folder (``<output>/.cache``).
    """
    from ..schema import NOT_A_THEME, segment_ids
    from ..themes import fitting_exclusions

    reason = fitting_exclusions(
        segments,
        min_words=1,
        exclude_generic=True,
        cache=None if cache is None else Path(cache) / "content",
    )
    short = fitting_exclusions(segments) == "short"  # the themes' own minimum length
    nothing = reason.isin([*NOT_A_THEME, "backchannel"]).to_numpy()
    ids = segment_ids(segments).astype(str)
    return {
        "uncodable": ids[nothing].tolist(),
        "rules_only": ids[short.to_numpy() & ~nothing].tolist(),
    }


def coded_segments(segments: pd.DataFrame, study: Study) -> pd.DataFrame:
    """The rows the codes stage codes: those in the study's language (the codebook's)."""
    return segments[language_exclusions(segments, study.config.language) == ""]


def code_study(
    study: Study,
    segments: pd.DataFrame,
    *,
    codebook: Codebook | None = None,
    decisions: pd.DataFrame | None = None,
    keep_below: float | None = None,
    cache: str | Path | None = None,
    embedder: Embedder | None = None,
) -> pd.DataFrame:
    """Code a study's segments exactly as the codes stage of ``insights run`` does.

    The rows in another language than the study's are left out; filler, talk about the
    interview and backchannels get no model code, and segments too short to be coded by
    meaning only a rule hit (:func:`talk_about_nothing`); ``decisions`` win. Notebook 03
    calls it too, so its codings are the run's.

    Parameters
    ----------
    study : Study
    segments : DataFrame
        The study's segments table (``insights run``'s segments.csv).
    codebook : Codebook, optional
        Default: the study's codebook.yaml.
    decisions : DataFrame, optional
        The researcher's decisions (``<study>/decisions.csv``, :func:`read_decisions`).
    keep_below : float, optional
        Also keep model codings below the threshold down to this confidence (to review
        them); the run keeps none (``confidence >= threshold`` gives the run's codings).
    cache : path, optional
        The run's cache folder (default ``<output>/.cache``): rule matches and the
        segments' content checks are kept there per text.
    embedder : Embedder, optional
        Default: the process-wide MiniLM.

    Returns
    -------
    DataFrame
        The ``codes`` table of :func:`~insights.codebook.code_segments` (without the
        per-code gate's ``status``: see :func:`insights.codebook.with_status`).

    Examples
    --------
    >>> from insights.datasets import sample_study_path
    >>> from insights.study import load_study, read_study
    >>> study = load_study(sample_study_path())
    >>> codes = code_study(study, read_study(study)[0])  # doctest: +SKIP
    """
    from ..codebook import code_segments, load_codebook
    from ..nlp import shared_parses

    if codebook is None:
        if study.codebook_path is None:
            from ..schema import CODE_COLUMNS, empty_table

            return empty_table(CODE_COLUMNS)
        codebook = load_codebook(study.codebook_path)
    folder = Path(cache) if cache is not None else study.output_dir / ".cache"
    segments = coded_segments(segments, study)
    with shared_parses():  # the content analysis' Docs serve the keyword rules
        return code_segments(
            segments,
            codebook,
            embedder=embedder,
            decisions=decisions,
            keep_below=keep_below,
            cache=folder / "rules",
            **talk_about_nothing(segments, cache=folder),
        )
