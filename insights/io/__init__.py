"""Read transcripts of every common format into turns.

:func:`read_transcript` detects the format from the content (not only the suffix)
and hands the file to one small reader per family:

- :mod:`~insights.io.text`: plain text with speaker labels, Otter.ai, Descript, markdown;
- :mod:`~insights.io.subtitles`: WebVTT (Zoom, Teams, whisper) and SRT;
- :mod:`~insights.io.office`: CSV/TSV (whisper), XLSX, JSON (whisper, turn lists), DOCX.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..schema import InputError
from ._base import (
    MAX_JSON_DEPTH,
    RawTurn,
    ReadOptions,
    Transcript,
    decode_bytes,
    json_depth,
    label_key,
    read_file_bytes,
    read_text_file,
    token_accounting,
    transcript_id_for,
    words,
)
from ._tables import load_participants, read_csv_table
from .office import parse_csv, parse_docx, parse_json, parse_xlsx, read_bytes
from .subtitles import looks_like_srt, parse_srt, parse_vtt
from .text import parse_text_lines

__all__ = [
    "read_transcript",
    "detect_format",
    "Transcript",
    "RawTurn",
    "ReadOptions",
    "token_accounting",
    "decode_bytes",
    "read_text_file",
    "read_file_bytes",
    "label_key",
    "words",
    "read_csv_table",
    "load_participants",
    "SUFFIXES",
]

#: file suffixes looked at in a study's transcripts/ folder
SUFFIXES = (".txt", ".md", ".docx", ".vtt", ".srt", ".csv", ".tsv", ".xlsx", ".json")


def _is_json(data: bytes) -> bool:
    import json

    try:
        text = data.decode("utf-8-sig")
        if json_depth(text) > MAX_JSON_DEPTH:
            return False
        json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    return True


def detect_format(data: bytes, suffix: str = "") -> str:
    """The reader family for ``data``: docx, xlsx, json, vtt, srt, csv, tsv or text."""
    suffix = suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        if b"word/" in data[:4000] or suffix == ".docx":
            return "docx"
        if b"xl/" in data[:4000] or suffix == ".xlsx":
            return "xlsx"
        return "zip"
    head = data[:4000].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    head_text = head.replace(b"\x00", b"").decode("latin-1")
    if head_text.startswith("WEBVTT"):
        return "vtt"
    if suffix == ".json":
        return "json"
    if head_text[:1] in "{[" and _is_json(data):
        return "json"
    if looks_like_srt(head_text.replace("\r", "")):
        return "srt"
    if suffix in (".csv", ".tsv"):
        return suffix[1:]
    first = head_text.split("\n", 1)[0].strip().lower()
    if first.replace(" ", "") in ("start\tend\ttext",) or first.split("\t") == [
        "start",
        "end",
        "text",
    ]:
        return "tsv"
    return "text"


def read_transcript(
    path: str | Path,
    *,
    options: ReadOptions | None = None,
    transcript_id: str | None = None,
) -> Transcript:
    """Read one transcript file into turns.

    Parameters
    ----------
    path : str or Path
        A .txt, .md, .docx, .vtt, .srt, .csv, .tsv, .xlsx or .json file.
    options : ReadOptions, optional
        Column names for tables, known speaker names, a forced encoding.
    transcript_id : str, optional
        Defaults to the file name's stem in lower case.

    Returns
    -------
    Transcript
        ``turns`` (speaker, text, start/end seconds), ``skipped`` (with reasons)
        and ``markup`` (labels, timestamps and headers the reader consumed).

    Raises
    ------
    InputError
        Empty, binary or malformed files, with the file, the place and the fix.

    Examples
    --------
    >>> from insights.datasets import sample_study_path
    >>> t = read_transcript(sample_study_path() / "transcripts" / "P04_gareth.vtt")
    >>> t.format, t.speakers
    ('vtt', ['Sam Patel', 'Gareth Jones'])
    """
    path = Path(path)
    options = options or ReadOptions()
    if path.is_dir():
        raise InputError(
            "is a folder, not a transcript file", fix="pass the files inside it", file=path
        )
    if not os.path.lexists(path):
        raise InputError("does not exist", fix="check the path", file=path)
    data = read_bytes(path)
    fmt = detect_format(data, path.suffix)
    t = Transcript(
        transcript_id=transcript_id or transcript_id_for(path),
        source=str(path),
        format=fmt,
        encoding=None,
    )
    if fmt == "zip":
        raise InputError(
            "is a zip archive that is neither a Word (.docx) nor an Excel (.xlsx) file",
            fix="unpack it and put the transcripts themselves in transcripts/",
            file=path,
        )
    if fmt == "docx":
        return _checked(parse_docx(data, t, options))
    if fmt == "xlsx":
        return _checked(parse_xlsx(data, t, options))
    if fmt == "json":
        return _checked(parse_json(data, t, options))
    if fmt in ("csv", "tsv"):
        return _checked(parse_csv(data, t, options))
    text, t.encoding = decode_bytes(data, file=path, encoding=options.encoding)
    t.source_text = text
    if fmt == "vtt":
        return _checked(parse_vtt(text, t, options))
    if fmt == "srt":
        return _checked(parse_srt(text, t, options))
    lines = [(f"line {i}", ln) for i, ln in enumerate(text.split("\n"), start=1)]
    parse_text_lines(lines, t, options)
    t.format = "text"
    return _checked(t)


def _checked(t: Transcript) -> Transcript:
    if not t.turns:
        raise InputError(
            "has no speech in it (no turns were found"
            + (
                f"; {len(t.skipped)} piece(s) were skipped, "
                f"e.g. {t.skipped[0][1]} at {t.skipped[0][0]}"
                if t.skipped
                else ""
            )
            + ")",
            fix="check that the file holds the transcript itself, or remove it from transcripts/",
            file=t.source,
        )
    return t
