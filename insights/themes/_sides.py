"""The phrase that says what one side of a theme shares and the other side does not.

A theme says what people talk about ("Engineer visit"); its two stances say which
way it went. :func:`side_phrase` makes the stance's phrase with the machinery that
makes theme labels (:func:`~insights.themes._labels.phrase_labels`): the texts of
one side are a theme, the other side's are the rest of the study, and the label of
that theme is the phrase ("Engineer didn't turn up" against "Engineer was
brilliant" needs both sides' texts).

Examples
--------
>>> wrong = ["the engineer never turned up", "the engineer didn't turn up again",
...          "engineer never turned up, no call"]
>>> right = ["the engineer was brilliant", "lovely engineer, quick job"]
>>> side_phrase(wrong, right)                                   # doctest: +SKIP
'Engineer never turned up'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from insights.themes._content import ContentWords
from insights.themes._labels import phrase_labels

__all__ = ["side_phrase"]


def side_phrase(
    texts: Sequence[str],
    others: Sequence[str] = (),
    *,
    nlp: Any = None,
    names: Iterable[str] = (),
    cache: str | Path | None = None,
) -> str:
    """The phrase of ``texts`` that says what they share and ``others`` do not, or ``""``.

    Parameters
    ----------
    texts : sequence of str
        One side's segments (or trigger spans), e.g. a theme's negative ones.
    others : sequence of str
        The other side's (the theme's positive ones); may be empty.
    nlp : spaCy pipeline or callable, optional
        A tagger pipeline, or a function that loads one (default
        :func:`insights.nlp.load_spacy` without the parser, as the themes use it).
    names : iterable of str
        People's names (lower case): never in the phrase.
    cache : path, optional
        A folder where each text's analysis is kept (the themes' content cache:
        ``output/.cache/content`` in ``insights run``; text seen by the themes
        stage is not parsed again only when the same pipeline is used).

    Returns
    -------
    str
        Capitalised, as a theme label is (:func:`~insights.themes._labels.phrase_labels`):
        a phrase said in at least two of ``texts``, at most six words, no repeated
        word, no name; ``""`` when none is said twice.
    """
    texts, others = [str(t) for t in texts], [str(t) for t in others]
    if len(texts) < 2:
        return ""
    if nlp is None:
        from insights.nlp import DEFAULT_SPACY_MODEL, load_spacy, pipeline_key

        def nlp() -> Any:
            return load_spacy(exclude=("parser",))

        key = pipeline_key(DEFAULT_SPACY_MODEL)
    else:
        key = ""
    content = ContentWords(texts + others, nlp, cache=cache if key else None, model_key=key)
    side = np.array([0] * len(texts) + [1] * len(others))
    labels = phrase_labels(
        content.phrases, side, np.zeros((len(side), 1)), names=names, order=[0], min_cover=0.0
    )
    return labels.get(0, "")
