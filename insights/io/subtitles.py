"""Subtitle-like transcripts: WebVTT (Zoom, Teams, whisper) and SRT.

Cues are read block by block. The speaker comes from a ``<v Name>`` voice tag
(Teams), or from a ``Name:`` prefix in the cue text (Zoom) when that label recurs.
Consecutive cues of one known speaker merge into one turn that keeps the first
start and the last end time; cues without a speaker stay cue-level turns.
"""

from __future__ import annotations

import re

from ._base import LabelFinder, RawTurn, ReadOptions, Transcript, parse_time

__all__ = ["parse_vtt", "parse_srt", "looks_like_srt"]

_TIMING = re.compile(
    r"^\s*(?P<start>(?:\d{1,3}:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*"
    r"(?P<end>(?:\d{1,3}:)?\d{1,2}:\d{2}[.,]\d{1,3})(?P<settings>.*)$"
)
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+(?P<name>[^>]+)>")
_TAG = re.compile(
    r"</?(?:v|c|i|b|u|ruby|rt|lang)(?:[.\s][^>]*)?>|<\d{1,2}:\d{2}(?::\d{2})?[.,]\d{1,3}>"
)


def looks_like_srt(text: str) -> bool:
    """Whether ``text`` opens like SRT: a cue number, then a timing line with a comma."""
    head = [ln for ln in text.split("\n")[:12] if ln.strip()]
    return (
        len(head) >= 2
        and head[0].strip().isdigit()
        and bool(_TIMING.match(head[1]))
        and "," in head[1]
    )


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks with the 1-based line number where each starts."""
    blocks: list[tuple[int, list[str]]] = []
    cur: list[str] = []
    start = 1
    for i, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not cur:
                start = i
            cur.append(line)
        elif cur:
            blocks.append((start, cur))
            cur = []
    if cur:
        blocks.append((start, cur))
    return blocks


def _cues(transcript: Transcript, text: str, *, vtt: bool) -> list[tuple[str, float, float, str]]:
    """``(where, start, end, raw cue text)`` for every cue.

    Other blocks become markup or are skipped.
    """
    cues = []
    for n, (line_no, block) in enumerate(_blocks(text)):
        where = f"line {line_no}"
        first = block[0].strip()
        if vtt and n == 0 and first.startswith("WEBVTT"):
            transcript.markup.extend(block)
            continue
        if vtt and (
            first.startswith("NOTE")
            or first in {"STYLE", "REGION"}
            or first.startswith(("STYLE ", "REGION "))
        ):
            transcript.skip(
                where, f"WebVTT {first.split()[0]} block (not speech)", "\n".join(block)
            )
            continue
        timing_at = next((i for i, ln in enumerate(block) if _TIMING.match(ln)), None)
        if timing_at is None:
            transcript.skip(where, "block without a cue timing line", "\n".join(block))
            continue
        if timing_at > 1:
            transcript.skip(where, "lines before the cue timing", "\n".join(block[: timing_at - 1]))
        transcript.markup.extend(block[max(0, timing_at - 1) : timing_at + 1])  # cue id + timing
        m = _TIMING.match(block[timing_at])
        assert m is not None
        cues.append(
            (
                where,
                parse_time(m["start"]) or 0.0,
                parse_time(m["end"]) or 0.0,
                "\n".join(block[timing_at + 1 :]),
            )
        )
    return cues


def _read_cues(transcript: Transcript, text: str, options: ReadOptions, *, vtt: bool) -> Transcript:
    cues = _cues(transcript, text, vtt=vtt)
    plain: list[tuple[str, float, float, str | None, str]] = []
    for where, start, end, raw in cues:
        voice = _VOICE.search(raw)
        speaker = " ".join(voice["name"].split()) if voice else None
        for tag in _TAG.findall(raw):
            transcript.markup.append(tag)
        body = _TAG.sub("", raw)
        plain.append((where, start, end, speaker, body))
    finder = LabelFinder([p[4] for p in plain if p[3] is None], speakers=options.speakers)
    for where, start, end, speaker, body in plain:
        if speaker is None and finder:
            lm = finder.match(body)
            if lm is not None:
                transcript.markup.append(lm.prefix)
                speaker, body = lm.label, lm.text
            elif transcript.turns and transcript.turns[-1].speaker:
                speaker = transcript.turns[-1].speaker  # a continuation cue without its label
        transcript.add_turn(RawTurn(speaker, body, start, end, where), merge=speaker is not None)
    return transcript


def parse_vtt(text: str, transcript: Transcript, options: ReadOptions) -> Transcript:
    """Read a WebVTT transcript's cues into turns."""
    return _read_cues(transcript, text, options, vtt=True)


def parse_srt(text: str, transcript: Transcript, options: ReadOptions) -> Transcript:
    """Read an SRT transcript's cues into turns."""
    return _read_cues(transcript, text, options, vtt=False)
