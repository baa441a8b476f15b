"""Soft keywords from a code's own words: how close a segment's words come to its definition's."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ._code import Code

if TYPE_CHECKING:  # pragma: no cover
    from insights.embed import Embedder

_WORD = re.compile(r"[a-z][a-z'-]+")


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def content_words(text: str, stop: frozenset[str]) -> list[str]:
    """Lower-case words of ``text`` of three letters or more that are not stop words."""
    return sorted({w for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in stop})


def code_words(code: Code, stop: frozenset[str]) -> list[str]:
    """The words a researcher used for a code: its name, definition, include notes, keywords."""
    name = re.sub(r"[_#/]+", " ", code.name)
    kws = [k.rstrip("*") for k in code.keywords]
    return content_words(" ".join([name, code.definition, *code.include, *kws]), stop)


def word_scores(
    texts: Sequence[str], codes: Sequence[Code], embedder: Embedder, *, top: int = 2
) -> np.ndarray:
    """How well each segment's words match each code's words: shape ``(len(texts), len(codes))``.

    Every word of the code (name, definition, include notes, keywords) is matched to
    the closest content word of the segment (cosine of their embeddings); words that
    several codes share weigh less (``log(1 + n_codes / n_codes_with_the_word)``,
    scaled so the most specific word weighs 1). The score is the mean of the ``top``
    best weighted matches: "the waitress" comes close to a definition that says
    "waiters" without any keyword list.
    """
    stop = _stop_words()
    seg_words = [content_words(t, stop) for t in texts]
    per_code = [code_words(c, stop) for c in codes]
    out = np.zeros((len(texts), len(codes)))
    if not any(per_code) or not any(seg_words):
        return out
    vocab = sorted({w for ws in (*seg_words, *per_code) for w in ws})
    index = {w: i for i, w in enumerate(vocab)}
    vectors = embedder.encode(vocab)
    df = Counter(w for ws in per_code for w in set(ws))
    flat = [w for ws in per_code for w in ws]
    owner = np.repeat(np.arange(len(codes)), [len(ws) for ws in per_code])
    weight = np.array([math.log(1 + len(codes) / df[w]) for w in flat])
    for j in range(len(codes)):
        mask = owner == j
        if mask.any():
            weight[mask] /= weight[mask].max()
    code_vecs = vectors[[index[w] for w in flat]]
    for i, ws in enumerate(seg_words):
        if not ws:
            continue
        best = (vectors[[index[w] for w in ws]] @ code_vecs.T).max(axis=0) * weight
        for j in range(len(codes)):
            vals = best[owner == j]
            if len(vals):
                out[i, j] = np.sort(vals)[-top:].mean()
    return out
