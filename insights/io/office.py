"""Table-shaped transcripts: CSV, whisper TSV, XLSX, JSON, and Word (.docx).

Every table goes through :func:`turns_from_table`: it finds the text, speaker and
time columns (or takes the ones configured in study.yaml), and makes one turn per
row. A Word file is read in body order: paragraphs go to the plain-text parser, a
table with a speaker column goes through :func:`turns_from_table`.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

from ..schema import InputError
from ._base import (
    MAX_JSON_DEPTH,
    LabelFinder,
    RawTurn,
    ReadOptions,
    Transcript,
    decode_bytes,
    json_depth,
    parse_time,
    read_file_bytes,
)
from .text import parse_text_lines

__all__ = ["turns_from_table", "parse_csv", "parse_xlsx", "parse_json", "parse_docx", "TEXT_NAMES"]

TEXT_NAMES = (
    "text",
    "utterance",
    "transcript",
    "content",
    "message",
    "speech",
    "quote",
    "sentence",
    "body",
)
SPEAKER_NAMES = (
    "speaker",
    "speaker_name",
    "name",
    "participant",
    "who",
    "author",
    "speaker_label",
    "role",
)
START_NAMES = (
    "start",
    "start_time",
    "starttime",
    "begin",
    "start_s",
    "from",
    "timestamp",
    "time",
    "offset",
)
END_NAMES = ("end", "end_time", "endtime", "stop", "end_s", "to")


def _norm(name: object) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")


def _pick(
    columns: list[str], configured: str | None, names: tuple[str, ...], *, what: str, file: str
) -> str | None:
    if configured:
        for c in columns:
            if c == configured or _norm(c) == _norm(configured):
                return c
        raise InputError(
            f"has no {what} column {configured!r} (columns: {', '.join(columns)})",
            fix=f"set transcripts.{what}_column in study.yaml to one of the columns above",
            file=file,
        )
    normed = {_norm(c): c for c in columns}
    for n in names:
        if n in normed:
            return normed[n]
    return None


def turns_from_table(
    rows: list[dict[str, Any]],
    columns: list[str],
    transcript: Transcript,
    options: ReadOptions,
    *,
    time_unit: str = "s",
    row_offset: int = 2,
    where_prefix: str = "",
) -> Transcript:
    """Make one turn per row of a table (consecutive rows of one speaker merge).

    ``row_offset`` is the source row number of ``rows[0]`` (2 for a CSV with a header),
    so that errors and skipped pieces name the row a spreadsheet shows.
    """
    file = transcript.source
    text_col = _pick(columns, options.text_column, TEXT_NAMES, what="text", file=file)
    if text_col is None:
        raise InputError(
            f"has no text column (columns: {', '.join(map(str, columns)) or 'none'})",
            fix=(
                "name the column of what was said 'text', "
                "or set transcripts.text_column in study.yaml"
            ),
            file=file,
        )
    spk_col = _pick(columns, options.speaker_column, SPEAKER_NAMES, what="speaker", file=file)
    start_col = _pick(columns, options.start_column, START_NAMES, what="start", file=file)
    end_col = _pick(columns, options.end_column, END_NAMES, what="end", file=file)
    used = {c for c in (text_col, spk_col, start_col, end_col) if c}
    transcript.markup.extend(str(c) for c in columns)  # the header row

    unlabelled = [str(r.get(text_col) or "") for r in rows] if spk_col is None else []
    finder = LabelFinder(unlabelled, speakers=options.speakers) if unlabelled else None
    for i, row in enumerate(rows):
        where = f"{where_prefix}row {i + row_offset}"
        text = row.get(text_col)
        text = "" if text is None or (isinstance(text, float) and text != text) else str(text)
        speaker = row.get(spk_col) if spk_col else None
        speaker = (
            None
            if speaker is None or str(speaker).strip() in {"", "nan", "None"}
            else " ".join(str(speaker).split())
        )
        if speaker:
            transcript.markup.append(speaker)
        elif finder:
            lm = finder.match(text)
            if lm is not None:
                transcript.markup.append(lm.prefix)
                speaker, text = lm.label, lm.text
        try:
            start = parse_time(row.get(start_col), unit=time_unit) if start_col else None
            end = parse_time(row.get(end_col), unit=time_unit) if end_col else None
        except ValueError:
            raise InputError(
                f"{where}: cannot read the time {row.get(start_col)!r} / {row.get(end_col)!r}",
                fix="write times as seconds (12.5) or hh:mm:ss",
                file=file,
            ) from None
        for c in (start_col, end_col):
            if c and row.get(c) is not None:
                transcript.markup.append(str(row.get(c)))
        for c, v in row.items():
            if c not in used and v is not None and str(v).strip() and str(v) != "nan":
                transcript.skip(where, f"column {c!r} is not read as speech", str(v))
        transcript.add_turn(RawTurn(speaker, text, start, end, where), merge=speaker is not None)
    return transcript


# --------------------------------------------------------------------------- CSV / TSV / XLSX


def parse_csv(data: bytes, transcript: Transcript, options: ReadOptions) -> Transcript:
    """Read a CSV or TSV transcript (a whisper TSV has times in ms), one turn per row."""
    import csv

    text, transcript.encoding = decode_bytes(
        data, file=transcript.source, encoding=options.encoding
    )
    transcript.source_text = text
    sample = text[:4096]
    delimiter = "\t" if sample.split("\n", 1)[0].count("\t") >= 1 else ","
    if delimiter == ",":
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        table = [row for row in reader]
    except csv.Error as exc:
        raise InputError(
            f"line {reader.line_num}: is not valid CSV ({exc})",
            fix='check that quotes in the text are doubled ("") or export the table again',
            file=transcript.source,
        ) from None
    table = [r for r in table if any(c.strip() for c in r)]
    if not table:
        raise InputError("has no rows", fix="export the transcript again", file=transcript.source)
    header, body = table[0], table[1:]
    for i, r in enumerate(body):
        if len(r) > len(header):
            raise InputError(
                f"row {i + 2}: has {len(r)} fields but the header has {len(header)}",
                fix="quote text that contains the delimiter, or export the table again",
                file=transcript.source,
            )
    rows = [dict(zip(header, r + [""] * (len(header) - len(r)), strict=True)) for r in body]
    whisper_tsv = delimiter == "\t" and [_norm(h) for h in header] == ["start", "end", "text"]
    transcript.format = "whisper-tsv" if whisper_tsv else ("tsv" if delimiter == "\t" else "csv")
    return turns_from_table(
        rows, header, transcript, options, time_unit="ms" if whisper_tsv else "s"
    )


def parse_xlsx(data: bytes, transcript: Transcript, options: ReadOptions) -> Transcript:
    """Read every sheet of an XLSX transcript, one turn per row.

    Each sheet whose header row names a text column is read as speech (rows of a
    later sheet are named ``sheet 'Name' row N``); the cells of any other sheet are
    listed as skipped. A damaged or truncated workbook is one InputError.
    """
    sheets = _xlsx_sheets(data, transcript.source)
    transcript.encoding = None
    transcript.source_text = "\n".join(
        " ".join(str(c) for c in r) for _, table in sheets for r in table
    )
    readable = [
        (name, table)
        for name, table in sheets
        if _pick([str(h) for h in table[0]], None, TEXT_NAMES, what="text", file="") is not None
        or (options.text_column and options.text_column in [str(h) for h in table[0]])
    ]
    if not readable:
        if not sheets:
            raise InputError(
                "has no rows in any sheet",
                fix="put the transcript in the first sheet",
                file=transcript.source,
            )
        readable = sheets[:1]  # turns_from_table names the missing text column
    first = readable[0][0]
    for name, table in sheets:
        prefix = "" if name == first else f"sheet {name!r} "
        if (name, table) not in readable:
            for i, r in enumerate(table, start=1):
                text = " ".join(str(c) for c in r if str(c).strip())
                transcript.skip(f"{prefix}row {i}", "sheet without a text column", text)
            continue
        header = [str(h) for h in table[0]]
        rows = [dict(zip(header, r, strict=False)) for r in table[1:]]
        turns_from_table(rows, header, transcript, options, where_prefix=prefix)
    return transcript


def _xlsx_sheets(data: bytes, source: str) -> list[tuple[str, list[list[Any]]]]:
    """``(sheet name, non-empty rows)`` of every worksheet that has a row."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = []
        for ws in wb.worksheets:
            if not hasattr(ws, "iter_rows"):  # a chart sheet
                continue
            table = [
                [("" if v is None else v) for v in row] for row in ws.iter_rows(values_only=True)
            ]
            table = [r for r in table if any(str(c).strip() for c in r)]
            if table:
                sheets.append((str(ws.title), table))
        wb.close()
    except Exception as exc:  # noqa: BLE001 - zip, zlib, XML and openpyxl errors of every kind
        raise InputError(
            f"cannot be opened as an Excel workbook ({exc.__class__.__name__}: the file is "
            "damaged or was not saved completely)",
            fix="open and save it again in Excel, or export the transcript as .csv",
            file=source,
        ) from None
    return sheets


# --------------------------------------------------------------------------- JSON

_LIST_KEYS = (
    "segments",
    "transcript",
    "utterances",
    "turns",
    "results",
    "items",
    "monologues",
    "entries",
)


def parse_json(data: bytes, transcript: Transcript, options: ReadOptions) -> Transcript:
    """Whisper JSON (``segments``), and the turn lists of Otter/Zoom/Teams-style exports."""
    text, transcript.encoding = decode_bytes(
        data, file=transcript.source, encoding=options.encoding
    )
    if json_depth(text) > MAX_JSON_DEPTH:
        raise InputError(
            f"is JSON nested more than {MAX_JSON_DEPTH} levels deep (not a transcript export)",
            fix="export the transcript again, or save it as .txt/.vtt",
            file=transcript.source,
        )
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"line {exc.lineno}, column {exc.colno}: is not valid JSON ({exc.msg})",
            fix="export the transcript again, or save it as .txt/.vtt",
            file=transcript.source,
        ) from None
    items, key = _find_items(doc)
    if items is None:
        raise InputError(
            "is JSON but holds no list of utterances "
            "(looked for a list of objects with a 'text' field "
            f"under {', '.join(_LIST_KEYS)} or at the top level)",
            fix="export the transcript from the tool as VTT, SRT or TXT instead",
            file=transcript.source,
        )
    columns: list[str] = []
    for it in items:
        for k in it:
            if k not in columns:
                columns.append(k)
    # whisper: word-level timings and token ids repeat the segment text; not speech of their own
    rows = [{k: v for k, v in it.items() if not isinstance(v, list | dict)} for it in items]
    columns = [c for c in columns if any(c in r for r in rows)]
    transcript.format = "whisper-json" if key == "segments" else "json"
    scalar = [(k, v) for r in rows for k, v in r.items() if v is not None]
    # the accounting is made against the whole document: every distinct key and every value
    transcript.source_text = _json_full_text(doc)
    _json_outside(doc, items, columns, transcript)
    skip_cols = {
        "id",
        "seek",
        "tokens",
        "temperature",
        "avg_logprob",
        "compression_ratio",
        "no_speech_prob",
    }
    transcript.markup.extend(c for c in columns if c in skip_cols)
    transcript.markup.extend(str(v) for k, v in scalar if k in skip_cols)
    rows = [{k: v for k, v in r.items() if k not in skip_cols} for r in rows]
    return turns_from_table(
        rows, [c for c in columns if c not in skip_cols], transcript, options, row_offset=1
    )


def _json_walk(doc: Any) -> list[tuple[str, Any]]:
    """``(key, scalar value)`` of every value in ``doc`` (iterative: depth is bounded anyway)."""
    out: list[tuple[str, Any]] = []
    stack: list[tuple[str, Any]] = [("", doc)]
    while stack:
        k, v = stack.pop()
        if isinstance(v, dict):
            stack.extend((str(kk), vv) for kk, vv in reversed(list(v.items())))
            out.extend((str(kk), _KEY) for kk in v)
        elif isinstance(v, list):
            stack.extend((k, vv) for vv in reversed(v))
        elif v is not None:
            out.append((k, v))
    return out


_KEY = object()  # marks a key (not a value) in _json_walk's output


def _json_full_text(doc: Any) -> str:
    walked = _json_walk(doc)
    keys = dict.fromkeys(k for k, v in walked if v is _KEY)
    return " ".join(keys) + "\n" + "\n".join(str(v) for _, v in walked if v is not _KEY)


def _json_outside(doc: Any, items: list[dict], read: list[str], transcript: Transcript) -> None:
    """What the utterance list does not hold: nested word timings (markup), other fields.

    Keys that are not columns of the utterance list are markup (structure). Values
    nested inside an utterance (whisper's word timings and tokens repeat its text) are
    markup; a top-level ``text`` (whisper's copy of the whole transcript) too; any other
    value outside the list is listed as skipped, named by its key.
    """
    inside: list[Any] = []
    for it in items:
        for v in it.values():
            if isinstance(v, list | dict):
                inside.append(v)
    for v in inside:
        transcript.markup.extend(str(x) for _, x in _json_walk(v) if x is not _KEY)
    item_ids = {id(it) for it in items}
    columns = {str(k) for k in read}  # the header the table reader names
    keys = dict.fromkeys(k for k, v in _json_walk(doc) if v is _KEY)
    transcript.markup.extend(k for k in keys if k not in columns)
    stack: list[tuple[str, Any]] = [("", doc)]
    while stack:
        k, v = stack.pop()
        if isinstance(v, dict) and id(v) not in item_ids:
            stack.extend((str(kk), vv) for kk, vv in v.items())
        elif isinstance(v, list) and v is not items:
            stack.extend((k, vv) for vv in v)
        elif isinstance(v, list | dict) or v is None:
            continue
        elif k == "text" and isinstance(doc, dict) and doc.get("text") is v:
            transcript.markup.append(str(v))  # whisper's copy of the whole transcript
        else:
            transcript.skip(f"field {k!r}", "JSON field outside the utterance list", str(v))


def _find_items(doc: Any) -> tuple[list[dict] | None, str | None]:
    def ok(v: Any) -> bool:
        return (
            isinstance(v, list)
            and bool(v)
            and all(isinstance(x, dict) for x in v)
            and any(any(_norm(k) in TEXT_NAMES for k in x) for x in v)
        )

    if ok(doc):
        return doc, None
    if isinstance(doc, dict):
        for k in _LIST_KEYS:
            if k in doc and ok(doc[k]):
                return doc[k], k
        for k, v in doc.items():
            if ok(v):
                return v, k
            if isinstance(v, dict):
                found, key = _find_items(v)
                if found is not None:
                    return found, key
    return None, None


# --------------------------------------------------------------------------- DOCX


def parse_docx(data: bytes, transcript: Transcript, options: ReadOptions) -> Transcript:
    """Paragraphs and tables of a Word file, in the order they stand in the body.

    Content controls, tracked insertions, smart tags, fields and text boxes are read
    too (:mod:`insights.io._docx`); tracked deletions are not.
    """
    from ._docx import read_docx

    lines: list[tuple[str, str]] = []
    para_no = 0
    for kind, value in read_docx(data, transcript):
        if kind in ("p", "h"):
            para_no += 1
            if kind == "h":  # a Title / Heading paragraph is structure, never a speaker's turn
                transcript.skip(f"paragraph {para_no}", "heading", value.strip())
            else:
                lines.append((f"paragraph {para_no}", value))
        else:
            if lines:
                parse_text_lines(lines, transcript, options)
                lines = []
            _docx_table(value, transcript, options)
    if lines:
        parse_text_lines(lines, transcript, options)
    return transcript


def _docx_table(cells: list[list[str]], transcript: Transcript, options: ReadOptions) -> None:
    cells = [r for r in cells if any(c.strip() for c in r)]
    if not cells:
        return
    width = max(len(r) for r in cells)
    header = [_norm(c) for c in cells[0]]
    has_header = any(h in TEXT_NAMES + SPEAKER_NAMES for h in header)
    if has_header:
        columns = list(cells[0])
        body = cells[1:]
    elif width >= 2:
        columns = (
            ["speaker", "text"]
            if width == 2
            else ["speaker", "start", "text"][:width] + [f"col{i}" for i in range(3, width)]
        )
        body = cells
    else:
        lines = [(f"table row {i + 1}", r[0]) for i, r in enumerate(cells)]
        parse_text_lines(lines, transcript, options)
        return
    rows = [dict(zip(columns, r + [""] * (len(columns) - len(r)), strict=False)) for r in body]
    before = len(transcript.markup)
    turns_from_table(rows, columns, transcript, options, row_offset=2 if has_header else 1)
    if not has_header:  # the header was made up here: it is not in the source
        del transcript.markup[before : before + len(columns)]


def read_bytes(path: Path) -> bytes:
    """The bytes of a transcript file; an unreadable one is an InputError naming it."""
    return read_file_bytes(path, what="a transcript file")
