"""Readers under hostile input: damaged packages, deep nesting, mixed encodings, every element."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from insights.io import read_transcript, token_accounting
from insights.io._base import clean_text, decode_bytes
from insights.schema import InputError
from insights.segments import split_sentences


def turns(t):
    return [(x.speaker, x.text) for x in t.turns]


def assert_lossless(t):
    acc = token_accounting(t)
    assert acc["missing"] == {} and acc["extra"] == {}, acc


def one_line_error(exc, name):
    msg = str(exc.value)
    assert name in msg and "Fix:" in msg and "\n" not in msg, msg
    return msg


# --------------------------------------------------------------------------- whitespace


def test_tabs_separate_words_and_joiners_stay(write):
    t = read_transcript(
        write(
            "t.txt",
            "Interviewer:\tHow are\tyou?\nAnn:\tFine, e\ta.\nAnn: mi\u200cxaham co\u00adop\n",
        )
    )
    assert turns(t) == [
        ("Interviewer", "How are you?"),
        ("Ann", "Fine, e a. mi\u200cxaham co\u00adop"),
    ]
    assert_lossless(t)


def test_clean_text_never_glues_words():
    assert clean_text("a\x00b\x07c\x1fd\x85e\u2028f\ufeffg\u200bh\ud800i") == "a b c d e f g h i"
    assert clean_text("\u200d\u2060\u200e\u200f") == "\u200d\u2060\u200e\u200f"


def test_clean_text_and_sentences_are_linear():
    t0 = time.perf_counter()
    assert clean_text("a" + " " * 1_000_000 + "\n b") == "a b"
    spans = split_sentences("No. " * 12_000)
    assert time.perf_counter() - t0 < 3.0
    assert spans and spans[0][0] == 0


# --------------------------------------------------------------------------- decoding


def test_utf8_file_with_one_cp1252_line_is_decoded_line_by_line(write):
    data = "Ann: caf\u00e9 \u2013 ok\n".encode() + "Bob: \u201cfine\u201d\n".encode("cp1252")
    t = read_transcript(write("m.txt", data))
    assert turns(t) == [("Ann", "caf\u00e9 \u2013 ok"), ("Bob", "\u201cfine\u201d")]
    assert t.encoding == "utf-8+cp1252"


def test_a_line_neither_utf8_nor_cp1252_is_named():
    data = "Ann: caf\u00e9\n".encode() + b"Bob: \x81\x8d\n"
    with pytest.raises(InputError) as err:
        decode_bytes(data, file="m.txt")
    assert "line 2" in one_line_error(err, "m.txt")


# --------------------------------------------------------------------------- docx


def _docx_with(body_xml: str) -> bytes:
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode()
                start = text.index("<w:body>") + len("<w:body>")
                data = (text[:start] + body_xml + text[start:]).encode()
            z.writestr(item, data)
    return out.getvalue()


def _p(inner: str) -> str:
    return f"<w:p>{inner}</w:p>"


def _r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def test_docx_reads_content_controls_insertions_smart_tags_and_fields(write):
    body = (
        _p(_r("Jess: Hello, ") + f"<w:ins w:id='1' w:author='x'>{_r('inserted words')}</w:ins>")
        + "<w:sdt><w:sdtPr/><w:sdtContent>"
        + _p(_r("Oliver: inside a control"))
        + "</w:sdtContent></w:sdt>"
        + _p(_r("Jess: a ") + f"<w:smartTag w:element='x'>{_r('London')}</w:smartTag>")
        + _p(_r("Oliver: page ") + f"<w:fldSimple w:instr='PAGE'>{_r('seven')}</w:fldSimple>")
        + _p(
            _r("Jess: kept")
            + "<w:del w:id='2' w:author='x'><w:r><w:delText>gone</w:delText></w:r></w:del>"
        )
    )
    t = read_transcript(write("d.docx", _docx_with(body)))
    assert turns(t) == [
        ("Jess", "Hello, inserted words"),
        ("Oliver", "inside a control"),
        ("Jess", "a London"),
        ("Oliver", "page seven"),
        ("Jess", "kept"),
    ]
    assert "gone" not in t.source_text
    assert_lossless(t)


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_damaged_office_files_are_one_line_errors(write, kind):
    if kind == "docx":
        data = _docx_with(_p(_r("Jess: Hello")))
    else:
        from openpyxl import Workbook

        wb = Workbook()
        wb.active.append(["speaker", "text"])
        wb.active.append(["Ann", "hello"])
        buf = io.BytesIO()
        wb.save(buf)
        data = buf.getvalue()
    cuts = [len(data) // 8 * i for i in range(1, 8)]
    flipped = bytearray(data)
    for i in range(200, len(flipped), 97):
        flipped[i] ^= 0x55
    for n, bad in enumerate([data[:c] for c in cuts] + [bytes(flipped)]):
        with pytest.raises(InputError) as err:
            read_transcript(write(f"bad{n}.{kind}", bad))
        one_line_error(err, f"bad{n}.{kind}")


def test_xlsx_reads_every_sheet_and_lists_the_rest(write):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["speaker", "text"])
    ws.append(["Ann", "first sheet"])
    ws2 = wb.create_sheet("Part 2")
    ws2.append(["speaker", "text"])
    ws2.append(["Bob", "second sheet"])
    ws3 = wb.create_sheet("Notes")
    ws3.append(["note"])
    ws3.append(["call back Tuesday"])
    buf = io.BytesIO()
    wb.save(buf)
    t = read_transcript(write("w.xlsx", buf.getvalue()))
    assert turns(t) == [("Ann", "first sheet"), ("Bob", "second sheet")]
    assert t.turns[1].where == "sheet 'Part 2' row 2"
    assert [(w, x) for w, _, x in t.skipped] == [
        ("sheet 'Notes' row 1", "note"),
        ("sheet 'Notes' row 2", "call back Tuesday"),
    ]
    assert_lossless(t)


# --------------------------------------------------------------------------- nesting


@pytest.mark.parametrize(
    "name, data, fragment",
    [
        ("deep.json", b"[" * 50_000 + b"]" * 50_000, "nested more than"),
        ("deep2.json", b'{"a":' * 5_000 + b"1" + b"}" * 5_000, "nested more than"),
    ],
)
def test_deep_json_is_refused_without_recursion(write, name, data, fragment):
    with pytest.raises(InputError) as err:
        read_transcript(write(name, data))
    assert fragment in one_line_error(err, name)


def test_a_text_file_of_brackets_is_text(write):
    t = read_transcript(write("b.txt", "[" * 50_000 + "\nAnn: hi\nBob: yo\n"))
    assert t.format == "text" and turns(t)[-2:] == [("Ann", "hi"), ("Bob", "yo")]


def test_json_is_accounted_against_the_whole_document(write):
    import json

    doc = {
        "text": " Why? Because.",
        "language": "en",
        "meta": {"title": "Call with Jess"},
        "segments": [
            {"id": 0, "start": 0.0, "end": 1.0, "text": " Why?", "words": [{"word": "Why?"}]},
            {"id": 1, "start": 1.0, "end": 2.0, "text": " Because.", "tokens": [3]},
        ],
    }
    t = read_transcript(write("w.json", json.dumps(doc)))
    assert turns(t) == [(None, "Why?"), (None, "Because.")]
    assert [(w, x) for w, _, x in t.skipped] == [
        ("field 'title'", "Call with Jess"),
        ("field 'language'", "en"),
    ]
    assert "Jess" in t.source_text and "language" in t.source_text
    assert_lossless(t)


def test_a_timestamp_is_never_cut_out_of_a_word(write):
    text = "**Ann:** [00:07120 pounds it cost\n\n**Bob:** [00:09] Really?\n\n**Ann:** x10:30: yes\n"
    t = read_transcript(write("d.txt", text))
    assert turns(t)[0] == ("Ann", "[00:07120 pounds it cost")
    assert_lossless(t)
