"""Sentences of a turn, and short acknowledgements ("Yeah.", "Mm-hm.") that carry no content."""

from __future__ import annotations

import re

__all__ = ["split_sentences", "cut_long", "is_backchannel"]

# --------------------------------------------------------------------------- sentences

_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "approx",
    "no",
    "inc",
    "ltd",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "mins",
    "min",
}
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9£$€])|(?<=\?)\s+")


_PREV_WORD = re.compile(r"(\w[\w.]*)\.\s*$")


def split_sentences(text: str, *, max_chars: int = 600) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text`` by punctuation rules.

    Splits after ``.``, ``!``, ``?`` or ``…`` followed by a capital or a digit (not
    after common abbreviations), and always after ``?``. Sentences longer than
    ``max_chars`` (unpunctuated automatic transcripts) are cut at the last comma or
    space before the limit. The spans cover every non-space character of ``text``.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.start()
        # the closing quote/bracket belongs to the sentence
        while end < len(text) and text[end] in '"”’)]':
            end += 1
        # only the word before the stop (a bounded window: abbreviations do not rescan)
        prev_word = _PREV_WORD.search(text[max(start, end - 40) : end] + " ")
        if prev_word and prev_word.group(1).lower().rstrip(".") in _ABBREV:
            continue
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        out.extend(cut_long(text, s, e, max_chars))
    return out


def cut_long(text: str, s: int, e: int, max_chars: int) -> list[tuple[int, int]]:
    """The span ``(s, e)`` of ``text`` cut at a comma or space into pieces of ``max_chars``.

    Examples
    --------
    >>> text = "one two, three four five"
    >>> [text[a:b] for a, b in cut_long(text, 0, len(text), 12)]
    ['one two,', 'three four', 'five']
    """
    pieces = []
    while e - s > max_chars:
        window = text[s : s + max_chars]
        cut = max(window.rfind(", "), window.rfind("; "))
        cut = cut + 1 if cut > max_chars // 3 else window.rfind(" ")
        if cut <= 0:
            cut = max_chars
        pieces.append((s, s + len(text[s : s + cut].rstrip())))
        s += cut
        while s < e and text[s].isspace():
            s += 1
    if s < e:
        pieces.append((s, e))
    return pieces


_BACKCHANNEL = re.compile(
    r"^(?:(?:yeah|yes|yep|yup|no|nope|ok|okay|right|sure|mm+|m+-?hm+|uh-?huh|uh|um|hmm+|ah|oh|"
    r"i see|got it|cool|great|fine|true|exactly|absolutely|definitely|totally|alright|all right|"
    r"thanks|thank you|wow|really|same|same here|indeed|of course|"
    r"\[laughs?\]|\[inaudible\])[\s,.!?…-]*)+$",
    re.IGNORECASE,
)


def is_backchannel(text: str) -> bool:
    """True for short acknowledgements ("Yeah.", "Mm-hm.", "Right, okay.") that carry no content."""
    return bool(_BACKCHANNEL.match(text.strip()))
