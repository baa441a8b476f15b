"""Plain-text transcripts: ``Name: text``, ``[Name]``, Otter.ai, Descript, markdown.

One parser serves every shape. Lines are read in order; a line that starts with an
accepted speaker label (see :class:`~insights.io._base.LabelFinder`) opens a turn,
any other line continues the current one. Otter.ai puts ``Name  m:ss`` on a line of
its own, which also opens a turn. Text before the first label in a labelled file
(titles, a markdown header section) is reported as skipped, as are markdown
headings and a transcription service's footer. A file without labels becomes one
turn per paragraph, speaker unknown.
"""

from __future__ import annotations

import re

from ._base import LabelFinder, RawTurn, ReadOptions, Transcript, parse_time

__all__ = ["parse_text_lines", "looks_like_otter"]

# Otter.ai: "Jonas Rosland  0:21  " on its own line (two or more spaces before the time)
_OTTER = re.compile(
    r"^(?P<label>[^\W\d_][^\n:]{0,50}?)\s{2,}(?P<ts>(?:\d{1,2}:)?\d{1,2}:\d{2})\s*$"
)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_FOOTER = re.compile(r"^\s*(transcribed by|transcription by)\s+https?://\S+\s*$", re.IGNORECASE)


def looks_like_otter(lines: list[str]) -> bool:
    """Whether ``lines`` look like Otter.ai: at least two ``Name  m:ss`` lines of their own."""
    return sum(1 for ln in lines if _OTTER.match(ln)) >= 2


def parse_text_lines(
    lines: list[tuple[str, str]],
    transcript: Transcript,
    options: ReadOptions,
) -> Transcript:
    """Parse ``(where, line)`` pairs into ``transcript``'s turns; return it.

    Used for .txt/.md files and for the paragraphs of a .docx.
    """
    texts = [ln for _, ln in lines]
    otter = looks_like_otter(texts)
    finder = LabelFinder(texts, speakers=options.speakers)
    labelled = otter or bool(finder)
    # unlabelled: one turn per paragraph, or per line where the file has no blank lines
    body = "\n".join(texts).strip("\n").split("\n")
    line_turns = not labelled and all(t.strip() for t in body)

    current: RawTurn | None = None

    def flush() -> None:
        nonlocal current
        if current is not None:
            transcript.add_turn(current, merge=current.speaker is not None)
            current = None

    for where, line in lines:
        if not line.strip():
            if not labelled:
                flush()  # unlabelled: one turn per paragraph
            continue
        if _HEADING.match(line):
            flush()
            transcript.skip(where, "markdown heading", line.strip())
            continue
        if _FOOTER.match(line):
            flush()
            transcript.skip(where, "transcription service footer", line.strip())
            continue
        if otter:
            m = _OTTER.match(line)
            if m:
                flush()
                transcript.markup.append(line)
                current = RawTurn(m["label"].strip(), "", parse_time(m["ts"]), None, where)
                continue
        else:
            lm = finder.match(line) if labelled else None
            if lm is not None:
                flush()
                transcript.markup.append(lm.prefix)
                current = RawTurn(lm.label, lm.text, lm.start_s, None, where)
                continue
        if labelled and current is None and not transcript.turns:
            transcript.skip(
                where, "text before the first speaker label (title or notes)", line.strip()
            )
            continue
        if current is None:
            current = RawTurn(
                _last_speaker(transcript) if labelled else None, "", None, None, where
            )
        current.text = f"{current.text}\n{line}" if current.text else line
        if line_turns:
            flush()
    flush()
    _fill_end_times(transcript)
    return transcript


def _last_speaker(transcript: Transcript) -> str | None:
    return transcript.turns[-1].speaker if transcript.turns else None


def _fill_end_times(transcript: Transcript) -> None:
    """Where turns carry only start times, a turn ends where the next one starts."""
    turns = transcript.turns
    for a, b in zip(turns, turns[1:], strict=False):
        if a.end_s is None and a.start_s is not None and b.start_s is not None:
            a.end_s = b.start_s
