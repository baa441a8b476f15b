"""Cause candidates: the spans of text that may have caused an emotion.

Whole segments, their sentences, their clauses (cut at commas, semicolons and
connectives such as *but*, *so*, *and then*) and the complement of a causal or
temporal connective (*because*, *since*, *when*, *the fact that*, *made me*…).

Examples
--------
>>> texts = ["I was furious because the engineer never showed up."]
>>> [(c.kind, texts[0][c.start : c.end]) for c in cause_candidates(texts, 0, [0])]
... # doctest: +NORMALIZE_WHITESPACE
[('segment', 'I was furious because the engineer never showed up.'),
 ('clause', 'I was furious'), ('clause', 'the engineer never showed up.'),
 ('causal', 'the engineer never showed up')]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Candidate", "cause_candidates", "n_tokens"]

_SENT = re.compile(r"[^.!?]+(?:[.!?]+|$)")
_CLAUSE_CUT = re.compile(
    r"\s*(?:[,;:]|\s[-\u2013\u2014]\s|\bbut\b|\bso\b|\band then\b|\bbecause\b|\bsince\b|\bwhen\b"
    r"|\bafter\b|\bthough\b|\balthough\b)\s*",
    re.I,
)
#: causal and temporal connectives whose complement is the cause ("X because CAUSE").
_CAUSAL_AFTER = re.compile(
    r"\b(because(?: of)?|since|as soon as|when|whenever|after|the fact that|due to|thanks to|"
    r"now that|ever since|that|about|by|at|of how|seeing|hearing|"
    r"to (?:see|hear|find|learn|know))\s+",
    re.I,
)
#: connectives whose cause comes before them ("CAUSE made me furious").
_CAUSAL_BEFORE = re.compile(
    r"\s+(?:(?:really |just |actually )?"
    r"(?:made|makes|make|got|gets|left|leaves|drove|drives) (?:me|us)|"
    r"is why|was why|which is why|that's why|so I|so we|so now)\b",
    re.I,
)
#: a pronoun or conjunction ending the span before "made me" ("..., which", "and that").
_BEFORE_TAIL = re.compile(
    r"(?:[\s,;]+(?:and|but|which|that|this|it|all|and that|and it))+\s*$", re.I
)
_WORD = re.compile(r"\w+(?:'\w+)?")
#: words after which the complement of a connective at the start of a sentence is no cause.
_NOT_AT_START = ("that", "about", "by", "at", "of how")
#: subordinating conjunctions whose clause (dependency parse) is a cause.
_CAUSAL_MARKS = ("because", "since", "when", "after", "as", "cause")


def n_tokens(text: str) -> int:
    """The number of words of ``text`` (apostrophes kept inside words).

    Examples
    --------
    >>> n_tokens("I'm sure it's fine, isn't it?")
    6
    """
    return len(_WORD.findall(text))


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim white space and trailing ,;: from text[s:e]."""
    while s < e and (text[s].isspace() or text[s] in ",;:-"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:-"):
        e -= 1
    return s, e


@dataclass
class Candidate:
    """One possible cause: a span ``[start, end)`` of the text of segment ``seg`` (row index).

    ``kind`` is ``segment``, ``sentence``, ``clause`` or ``causal``; ``sent_index`` is
    the sentence the span lies in, of ``n_sents`` sentences of the segment.
    """

    seg: int
    start: int
    end: int
    kind: str
    sent_index: int = 0
    n_sents: int = 1


def _sentences(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _SENT.finditer(text):
        s, e = _strip(text, m.start(), m.end())
        if n_tokens(text[s:e]):
            out.append((s, e))
    return out or ([_strip(text, 0, len(text))] if text.strip() else [])


def _clauses(text: str, s0: int, e0: int) -> list[tuple[int, int]]:
    out, pos = [], s0
    for m in _CLAUSE_CUT.finditer(text, s0, e0):
        s, e = _strip(text, pos, m.start())
        if n_tokens(text[s:e]) >= 2:
            out.append((s, e))
        pos = m.end()
    s, e = _strip(text, pos, e0)
    if n_tokens(text[s:e]) >= 2:
        out.append((s, e))
    return out if len(out) > 1 else []


def _causal_spans(
    text: str, nlp: Any = None, marks: Sequence[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """Spans introduced by a causal/temporal connective, or before 'made me' etc.

    The parse's causal clauses come from ``marks`` (:func:`parse_marks`) when given,
    else from ``nlp``.
    """
    spans = []
    for s0, e0 in _sentences(text):
        for m in _CAUSAL_AFTER.finditer(text, s0, e0):
            if m.start() == s0 and m.group(1).lower() in _NOT_AT_START:
                continue
            end = e0
            cut = re.search(r"[,;]|\bbut\b|\bso\b", text[m.end() : e0])
            if cut and n_tokens(text[m.end() : m.end() + cut.start()]) >= 2:
                end = m.end() + cut.start()
            s, e = _strip(text, m.end(), end)
            if s < e and text[e - 1] in ".!?":
                e -= 1
            if n_tokens(text[s:e]) >= 2:
                spans.append((s, e))
        for m in _CAUSAL_BEFORE.finditer(text, s0, e0):
            s, e = _strip(text, s0, m.start())
            # "..., which made me angrier": the pronoun that points back is not the cause
            tail = _BEFORE_TAIL.search(text, s, e)
            if tail:
                s, e = _strip(text, s, tail.start())
            if n_tokens(text[s:e]) >= 2:
                spans.append((s, e))
    if marks is not None:
        spans.extend(marks)
    elif nlp is not None and text.strip():
        spans.extend(_doc_marks(text, nlp(text)))
    return sorted(set(spans))


def _doc_marks(text: str, doc: Any) -> list[tuple[int, int]]:
    """The clauses a causal subordinator (``because``, ``since`` …) opens in a parsed text."""
    spans = []
    for tok in doc:
        if tok.dep_ == "mark" and tok.lower_ in _CAUSAL_MARKS:
            sub = list(tok.head.subtree)
            s, e = _strip(text, tok.idx + len(tok.text), sub[-1].idx + len(sub[-1].text))
            if n_tokens(text[s:e]) >= 2:
                spans.append((s, e))
    return spans


def parse_marks(texts: Sequence[str], nlp: Any) -> list[list[tuple[int, int]]]:
    """The causal clauses of the dependency parse of each text (``nlp.pipe``, batched).

    What :func:`cause_candidates` adds from ``nlp`` for its segment, computed for many
    segments at once so that a run can keep them (:func:`insights._rerun.cached_values`).

    Examples
    --------
    >>> parse_marks([""], nlp=None)
    [[]]
    """
    out: list[list[tuple[int, int]]] = [[] for _ in texts]
    todo = [i for i, t in enumerate(texts) if t.strip()]
    if nlp is None or not todo:
        return out
    for i, doc in zip(todo, nlp.pipe([texts[i] for i in todo], batch_size=64), strict=True):
        out[i] = _doc_marks(texts[i], doc)
    return out


def cause_candidates(
    texts: Sequence[str],
    seg: int,
    context: Sequence[int],
    *,
    nlp: Any = None,
    marks: Sequence[tuple[int, int]] | None = None,
) -> list[Candidate]:
    """Candidate cause spans for segment ``seg`` among the segments ``context`` (row indices).

    Each context segment gives itself, its sentences and clauses, and the spans of
    its causal connectives; ``nlp`` (a spaCy pipeline, used on ``seg`` only; ``None``
    or ``False``: patterns only) adds the causal clauses of the dependency parse;
    ``marks`` gives those clauses of ``seg`` already parsed (:func:`parse_marks`).
    A span is listed once, under the first kind that finds it.

    Examples
    --------
    >>> texts = ["How was it?", "Awful, so I left."]
    >>> [(c.seg, c.kind, texts[c.seg][c.start : c.end]) for c in cause_candidates(texts, 1, [0, 1])]
    [(0, 'segment', 'How was it?'), (1, 'segment', 'Awful, so I left.')]
    """
    out: list[Candidate] = []
    for k in context:
        text = texts[k]
        if not text.strip():
            continue
        seen = set()
        s, e = _strip(text, 0, len(text))
        sents = _sentences(text)
        out.append(Candidate(k, s, e, "segment", 0, len(sents)))
        seen.add((s, e))
        for i, (a, b) in enumerate(sents):
            if (a, b) not in seen:
                out.append(Candidate(k, a, b, "sentence", i, len(sents)))
                seen.add((a, b))
            for c, d in _clauses(text, a, b):
                if (c, d) not in seen:
                    out.append(Candidate(k, c, d, "clause", i, len(sents)))
                    seen.add((c, d))
        own = k == seg
        for a, b in _causal_spans(
            text,
            nlp if (own and nlp is not False) else None,
            marks if own else None,
        ):
            if (a, b) not in seen:
                idx = next((i for i, (x, y) in enumerate(sents) if x <= a < y), 0)
                out.append(Candidate(k, a, b, "causal", idx, len(sents)))
                seen.add((a, b))
    return out
