"""Generated and mutated transcripts for the reader fuzz test and benchmarks/reliability_eval.py.

:func:`make_input` turns a seeded ``random.Random`` into one transcript file of a
family (txt, md, otter, descript, vtt, srt, whisper-json, whisper-tsv, csv, tsv,
xlsx, docx, json-list) as bytes, together with the words a reader must account
for (the file's logical text: every cell, value, paragraph or line). :func:`mutate`
damages a file the way downloads, editors and other tools do.
"""

from __future__ import annotations

import csv
import io
import json
import random

FAMILIES = (
    "txt",
    "md",
    "otter",
    "descript",
    "vtt",
    "srt",
    "whisper-json",
    "whisper-tsv",
    "csv",
    "tsv",
    "xlsx",
    "docx",
    "json-list",
)
SUFFIX = {
    "txt": ".txt",
    "md": ".md",
    "otter": ".txt",
    "descript": ".txt",
    "vtt": ".vtt",
    "srt": ".srt",
    "whisper-json": ".json",
    "whisper-tsv": ".tsv",
    "csv": ".csv",
    "tsv": ".tsv",
    "xlsx": ".xlsx",
    "docx": ".docx",
    "json-list": ".json",
}

WORDS = (
    "the router kept dropping and I rang support twice honestly it was fine "
    "price app broke slow fast switch plan engineer came Tuesday no yes "
    "caf\u00e9 na\u00efve \u00fcber \u201cquoted\u201d don\u2019t \u2013 \u2014 \u00a3120 "
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \u0915\u094d\u200d\u0937 "
    "\u4f60\u597d \u043f\u0440\u0438\u0432\u0435\u0442 co\u00adoperate \U0001f468\u200d\U0001f469 "
    "e.g. No. Mr. Dr. 3.5 10:30 ok? wow! [laughs] (pause) https://x.org a@b.com"
).split()
#: what real exports put between and inside words
SEPARATORS = [" "] * 12 + ["\t", "  ", "\u00a0", "\u2009", "\u200b", "\u2060", "\u3000"]
NAMES = ["Interviewer", "Ann", "Bob Smith", "Moderator", "Speaker 1", "Jos\u00e9", "Priya K"]


def _sentence(rng: random.Random, n: int | None = None) -> str:
    n = n or rng.randint(1, 14)
    out = []
    for i in range(n):
        out.append(rng.choice(WORDS))
        if i < n - 1:
            out.append(rng.choice(SEPARATORS))
    return "".join(out) + rng.choice([".", "?", "!", "", "...", "\u2026"])


def _turns(rng: random.Random) -> list[tuple[str, str]]:
    speakers = rng.sample(NAMES, rng.randint(1, 3))
    return [(rng.choice(speakers), _sentence(rng)) for _ in range(rng.randint(1, 12))]


def _ts(sec: float, sep: str = ".") -> str:
    h, rem = divmod(sec, 3600)
    m, s = divmod(rem, 60)
    return f"{int(h):02d}:{int(m):02d}:{int(s):02d}{sep}{int(sec * 1000) % 1000:03d}"


def _encode(rng: random.Random, text: str) -> bytes:
    choice = rng.choice(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252", "crlf"])
    if choice == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8")
    if choice == "cp1252":
        try:
            return text.encode("cp1252")
        except UnicodeEncodeError:
            return text.encode("utf-8")
    return text.encode(choice)


def make_input(rng: random.Random, family: str) -> tuple[bytes, str]:
    """``(file bytes, the logical text whose every word a reader must account for)``."""
    turns = _turns(rng)
    if family in ("txt", "md"):
        head = "# Interview notes\n\n" if family == "md" and rng.random() < 0.7 else ""
        sep = rng.choice([": ", ":\t", " : "])
        body = "\n\n".join(f"{s}{sep}{t}" for s, t in turns)
        if rng.random() < 0.3:  # an unlabelled file
            body = "\n\n".join(t for _, t in turns)
        text = head + body + "\n"
        return _encode(rng, text), text
    if family == "otter":
        text = "".join(f"{s}  {i // 60}:{i % 60:02d}\n{t}\n\n" for i, (s, t) in enumerate(turns))
        return _encode(rng, text), text
    if family == "descript":
        text = "".join(f"**{s}:** [{_ts(i * 7.0)[3:8]}] {t}\n\n" for i, (s, t) in enumerate(turns))
        return _encode(rng, text), text
    if family in ("vtt", "srt"):
        blocks = []
        for i, (s, t) in enumerate(turns, start=1):
            sep = "." if family == "vtt" else ","
            timing = f"{_ts(i * 3.0, sep)} --> {_ts(i * 3.0 + 2.5, sep)}"
            cue = f"<v {s}>{t}" if family == "vtt" and rng.random() < 0.5 else f"{s}: {t}"
            blocks.append(f"{i}\n{timing}\n{cue}\n")
        text = ("WEBVTT\n\n" if family == "vtt" else "") + "\n".join(blocks)
        return _encode(rng, text), text
    if family == "whisper-tsv":
        rows = [("start", "end", "text")] + [
            (str(i * 3000), str(i * 3000 + 2500), t) for i, (_, t) in enumerate(turns)
        ]
        return _table(rng, rows, "\t"), "\n".join(" ".join(r) for r in rows)
    if family in ("csv", "tsv"):
        header = rng.choice([("speaker", "text"), ("Speaker", "Utterance", "Notes")])
        rows = [header] + [(s, t, _sentence(rng, 2))[: len(header)] for s, t in turns]
        return _table(rng, rows, "\t" if family == "tsv" else ","), "\n".join(
            " ".join(r) for r in rows
        )
    if family in ("whisper-json", "json-list"):
        items = [
            {"id": i, "start": i * 3.0, "end": i * 3.0 + 2.5, "speaker": s, "text": t}
            for i, (s, t) in enumerate(turns)
        ]
        doc: object = {"segments": items} if family == "whisper-json" else items
        data = json.dumps(doc, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 2]))
        keys = " ".join(items[0])  # a reader names each column once
        logical = keys + " " + " ".join(str(v) for it in items for v in it.values())
        return data.encode("utf-8"), logical
    if family == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        rows = [("speaker", "text")] + turns
        for r in rows:
            wb.active.append([_xml_safe(c) for c in r])
        if rng.random() < 0.3:
            ws = wb.create_sheet("Notes")
            ws.append(["note"])
            ws.append([_xml_safe(_sentence(rng))])
            rows = rows + [("note",), (_xml_safe(ws["A2"].value),)]
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue(), "\n".join(" ".join(_xml_safe(c) for c in r) for r in rows)
    if family == "docx":
        import docx

        d = docx.Document()
        lines = [f"{_xml_safe(s)}: {_xml_safe(t)}" for s, t in turns]
        for ln in lines:
            d.add_paragraph(ln)
        if rng.random() < 0.3:
            table = d.add_table(rows=len(turns) + 1, cols=2)
            table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Speaker", "Text"
            for row, (s, t) in zip(table.rows[1:], turns, strict=True):
                row.cells[0].text, row.cells[1].text = _xml_safe(s), _xml_safe(t)
                lines.append(f"{row.cells[0].text} {row.cells[1].text}")
            lines.append("Speaker Text")
        buf = io.BytesIO()
        d.save(buf)
        return buf.getvalue(), "\n".join(lines)
    raise ValueError(family)


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot hold most control characters (openpyxl and Word refuse them)."""
    return "".join(c for c in str(text) if c in "\t\n" or ord(c) >= 0x20)


def _table(rng: random.Random, rows: list[tuple[str, ...]], delimiter: str) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return _encode(rng, buf.getvalue())


def mutate(rng: random.Random, data: bytes) -> bytes:
    """Damage ``data`` the way interrupted downloads, editors and other tools do."""
    kind = rng.choice(["truncate", "flip", "insert", "delete", "splice", "controls", "repeat"])
    data = bytearray(data)
    if not data:
        return bytes(data)
    i = rng.randrange(len(data))
    if kind == "truncate":
        return bytes(data[:i])
    if kind == "flip":
        for _ in range(rng.randint(1, 8)):
            j = rng.randrange(len(data))
            data[j] ^= 1 << rng.randrange(8)
        return bytes(data)
    if kind == "insert":
        junk = rng.choice(
            [b"\x00", b"\xff\xfe", b"\x93quoted\x94", b"[" * 2000, b" " * 5000, b"\t", b"\x1b[0m"]
        )
        return bytes(data[:i] + junk + data[i:])
    if kind == "delete":
        return bytes(data[:i] + data[i + rng.randint(1, 64) :])
    if kind == "splice":
        j = rng.randrange(len(data))
        return bytes(data[:i] + data[j:])
    if kind == "controls":
        for _ in range(rng.randint(1, 6)):
            data.insert(rng.randrange(len(data) + 1), rng.choice([0x07, 0x0B, 0x0C, 0x1F, 0x7F]))
        return bytes(data)
    return bytes(data[:i] + data[i:] * rng.randint(2, 4))
