"""Readers: every format, every label shape, encodings, and the lossless accounting."""

from __future__ import annotations

import json

import pytest

from insights.io import detect_format, read_transcript, token_accounting
from insights.schema import InputError


def turns(t):
    return [(x.speaker, x.text) for x in t.turns]


def assert_lossless(t):
    acc = token_accounting(t)
    assert acc["missing"] == {}, acc["missing"]
    assert acc["extra"] == {}, acc["extra"]
    assert acc["coverage"] == 1.0


def test_colon_labels_vary_in_case_spacing_and_numbering(write):
    p = write(
        "i.txt",
        "Interviewer 1: Hello, how did it go?\n\nINTERVIEWER1: And then?\n\n"
        "interviewee: It went badly.\nThe router died twice.\n\nInterviewee: Yes.\n",
    )
    t = read_transcript(p)
    assert t.format == "text"
    assert turns(t) == [
        ("Interviewer 1", "Hello, how did it go? And then?"),
        ("Interviewee", "It went badly. The router died twice. Yes."),
    ]
    assert_lossless(t)


def test_bracket_labels_cp1252_crlf(write):
    text = (
        "[INTERVIEWER] Was it \u201cfine\u201d?\r\n"
        "[FATIMA] It cost \u00a340 \u2013 too much.\r\n"
        "[Fatima] Really.\r\n"
    )
    t = read_transcript(write("f.txt", text.encode("cp1252")))
    assert t.encoding == "cp1252"
    assert turns(t) == [
        ("INTERVIEWER", "Was it \u201cfine\u201d?"),
        ("FATIMA", "It cost \u00a340 \u2013 too much. Really."),
    ]
    assert_lossless(t)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-8"])
def test_encodings(write, encoding):
    t = read_transcript(
        write(
            "e.txt", "Ann: Caf\u00e9 was great \u2014 really.\nBob: Why?\nAnn: Staff.\n", encoding
        )
    )
    assert turns(t)[0] == ("Ann", "Caf\u00e9 was great \u2014 really.")
    assert t.speakers == ["Ann", "Bob"]


def test_stray_byte_does_not_crash(write):
    t = read_transcript(write("s.txt", b"Ann: price was \x9d bad\nBob: ok?\nAnn: yes\n"))
    assert t.speakers == ["Ann", "Bob"]
    assert "price was" in t.turns[0].text


def test_otter_markdown_header_and_footer(write):
    md = (
        "# Interview with Ann\n\n## Details\n\nRecorded in May.\n\n## Transcript\n"
        "Sam Patel  0:05  \nHi Ann, thanks for coming.\n\nAnn Lee  0:09  \nHappy to help.\n"
        "It was a long week.\n\nSam Patel  12:41  \nWhy?\n\nTranscribed by https://otter.ai\n"
    )
    t = read_transcript(write("o.md", md))
    assert turns(t) == [
        ("Sam Patel", "Hi Ann, thanks for coming."),
        ("Ann Lee", "Happy to help. It was a long week."),
        ("Sam Patel", "Why?"),
    ]
    assert [x.start_s for x in t.turns] == [5.0, 9.0, 761.0]
    assert t.turns[0].end_s == 9.0
    reasons = {r for _, r, _ in t.skipped}
    assert reasons == {
        "markdown heading",
        "text before the first speaker label (title or notes)",
        "transcription service footer",
    }
    assert_lossless(t)


def test_descript(write):
    t = read_transcript(
        write(
            "d.txt", "**Sam:** [00:00:03] Hello there?\n\n**Liam Carter:** [00:01:15] Hi, fine.\n"
        )
    )
    assert turns(t) == [("Sam", "Hello there?"), ("Liam Carter", "Hi, fine.")]
    assert t.turns[1].start_s == 75.0
    assert_lossless(t)


def test_unlabelled_text_is_one_turn_per_paragraph_or_line(write):
    t = read_transcript(write("u.txt", "first line\nstill first\n\nsecond para\n"))
    assert turns(t) == [(None, "first line still first"), (None, "second para")]
    t2 = read_transcript(write("u2.txt", "line one\nline two\nline three\n"))
    assert [x.text for x in t2.turns] == ["line one", "line two", "line three"]


def test_vtt_voice_tags_merge_consecutive_cues(write):
    vtt = (
        "WEBVTT\n\nNOTE exported by Teams\n\n"
        "a1/1-0\n00:00:01.000 --> 00:00:04.000\n<v Sam Patel>How was the install?</v>\n\n"
        "a1/2-0\n00:00:04.500 --> 00:00:08.000\n<v Gareth Jones>Late. The engineer</v>\n\n"
        "a1/2-1\n00:00:08.000 --> 00:00:10.250\n<v Gareth Jones>never came.</v>\n"
    )
    t = read_transcript(write("t.vtt", vtt))
    assert t.format == "vtt"
    assert turns(t) == [
        ("Sam Patel", "How was the install?"),
        ("Gareth Jones", "Late. The engineer never came."),
    ]
    assert (t.turns[1].start_s, t.turns[1].end_s) == (4.5, 10.25)
    assert t.skipped[0][1].startswith("WebVTT NOTE")
    assert_lossless(t)


def test_vtt_zoom_prefix_and_no_speakers(write):
    zoom = (
        "WEBVTT\n\n"
        "1\n00:00:02.340 --> 00:00:07.120\nSam Patel: Hello Ben?\n\n"
        "2\n00:00:07.500 --> 00:00:09.000\nBen: Hi.\n\n"
        "3\n00:00:09.000 --> 00:00:11.000\nBen: All good.\n"
    )
    t = read_transcript(write("z.vtt", zoom))
    assert turns(t) == [("Sam Patel", "Hello Ben?"), ("Ben", "Hi. All good.")]
    assert_lossless(t)
    plain = (
        "WEBVTT\n\n"
        "00:00.000 --> 00:07.680\nhello everyone and welcome\n\n"
        "00:07.680 --> 00:15.920\nto the show\n"
    )
    t2 = read_transcript(write("w.vtt", plain))
    assert turns(t2) == [(None, "hello everyone and welcome"), (None, "to the show")]
    assert t2.turns[1].start_s == 7.68


def test_srt_labels_and_continuations(write):
    srt = (
        "1\n00:00:01,000 --> 00:00:05,200\nInterviewer: How did you hear\nabout us?\n\n"
        "2\n00:00:05,500 --> 00:00:09,000\nMegan: My sister.\n\n"
        "3\n00:00:09,000 --> 00:00:12,000\nMegan: She got fifty pounds.\n"
    )
    t = read_transcript(write("m.srt", srt))
    assert t.format == "srt"
    assert turns(t) == [
        ("Interviewer", "How did you hear about us?"),
        ("Megan", "My sister. She got fifty pounds."),
    ]
    assert (t.turns[1].start_s, t.turns[1].end_s) == (5.5, 12.0)
    assert_lossless(t)


def test_csv_with_quotes_and_times(write):
    csv = (
        "speaker,start,end,text\n"
        'Moderator,00:00:01,00:00:05,"Welcome, everyone. Thoughts on ""Perks""?"\n'
        'Kwame,00:00:06,00:00:09,"I left, honestly."\n'
    )
    t = read_transcript(write("fg.csv", csv))
    assert turns(t) == [
        ("Moderator", 'Welcome, everyone. Thoughts on "Perks"?'),
        ("Kwame", "I left, honestly."),
    ]
    assert t.turns[1].start_s == 6.0
    assert_lossless(t)


def test_csv_without_text_column_is_a_clear_error(write):
    with pytest.raises(InputError, match=r"bad\.csv.*no text column.*Fix: .*text_column"):
        read_transcript(write("bad.csv", "who,said\nA,hi\n"))


def test_whisper_tsv_and_json(write):
    t = read_transcript(
        write("w.tsv", "start\tend\ttext\n0\t7680\thello there\n7680\t9000\tgeneral kenobi\n")
    )
    assert t.format == "whisper-tsv"
    assert [(x.start_s, x.end_s) for x in t.turns] == [(0.0, 7.68), (7.68, 9.0)]
    assert_lossless(t)
    doc = {
        "text": " hello there general kenobi",
        "segments": [
            {
                "id": 0,
                "seek": 0,
                "start": 0.0,
                "end": 7.68,
                "text": " hello there",
                "tokens": [1, 2],
                "words": [{"word": "hello"}],
            },
            {
                "id": 1,
                "seek": 0,
                "start": 7.68,
                "end": 9.0,
                "text": " general kenobi",
                "tokens": [3],
            },
        ],
        "language": "en",
    }
    j = read_transcript(write("w.json", json.dumps(doc)))
    assert j.format == "whisper-json"
    assert turns(j) == [(None, "hello there"), (None, "general kenobi")]
    assert_lossless(j)


def test_json_turn_list(write):
    doc = {
        "meeting": "x",
        "transcript": [
            {"speaker": "Jess", "start": 2.1, "end": 9.8, "text": "Why?"},
            {"speaker": "Chloe", "start": 10, "end": 12, "text": "Because."},
        ],
    }
    t = read_transcript(write("c.json", json.dumps(doc)))
    assert turns(t) == [("Jess", "Why?"), ("Chloe", "Because.")]
    assert_lossless(t)


def test_docx_paragraphs_and_table(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("Interview P08 \u2013 Oliver")
    d.add_paragraph("Jess: Hello?")
    d.add_paragraph("Priya: Hi there.")
    table = d.add_table(rows=3, cols=2)
    for row, (a, b) in zip(
        table.rows,
        [("Speaker", "Text"), ("Interviewer", "Why stay?"), ("Oliver", "Speed.")],
        strict=True,
    ):
        row.cells[0].text, row.cells[1].text = a, b
    p = tmp_path / "o.docx"
    d.save(p)
    t = read_transcript(p)
    assert t.format == "docx"
    assert turns(t) == [
        ("Jess", "Hello?"),
        ("Priya", "Hi there."),
        ("Interviewer", "Why stay?"),
        ("Oliver", "Speed."),
    ]
    assert t.skipped[0][1] == "text before the first speaker label (title or notes)"
    assert_lossless(t)


def test_xlsx(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Speaker", "Utterance", "Notes"])
    ws.append(["Ann", "It broke.", "check"])
    ws.append(["Bob", "When?", None])
    p = tmp_path / "a.xlsx"
    wb.save(p)
    t = read_transcript(p)
    assert turns(t) == [("Ann", "It broke."), ("Bob", "When?")]
    assert t.skipped == [("row 2", "column 'Notes' is not read as speech", "check")]
    assert_lossless(t)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "the file is empty"),
        (b"   \n\n  ", "the file is empty"),
        (b"\x00\x01\x02\x03binary\x00\x00\xff\x00\x10", "not a text file"),
        (b"{not json", "is not valid JSON"),
        (b'{"a": 1}', "holds no list of utterances"),
        (b"WEBVTT\n\nNOTE only a note\n", "has no speech in it"),
    ],
)
def test_bad_files_get_one_clear_error(write, content, message):
    suffix = ".json" if content.startswith(b"{") else ".txt"
    with pytest.raises(InputError) as err:
        read_transcript(write("bad" + suffix, content))
    msg = str(err.value)
    assert message in msg and "bad" + suffix in msg and "Fix:" in msg and "\n" not in msg


def test_detect_format_from_content_not_suffix():
    assert detect_format(b"WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n", ".txt") == "vtt"
    assert detect_format(b"1\n00:00:01,000 --> 00:00:02,000\nhi\n", ".txt") == "srt"
    assert detect_format(b"start\tend\ttext\n0\t1\thi\n", ".txt") == "tsv"
    assert detect_format(b"Ann: hi\n", ".srt") == "text"
    assert detect_format(b"[Ann] hi\n[Bob] yes\n", "") == "text"
    assert detect_format(b'[{"speaker": "Ann", "text": "hi"}]', ".txt") == "json"


def test_every_sample_transcript_is_lossless(sample_study):
    from insights.segments import build_segments

    files = sorted((sample_study / "transcripts").iterdir())
    assert len(files) == 12
    formats = set()
    for f in files:
        t = read_transcript(f)
        formats.add(t.format)
        segs = build_segments(t)
        acc = token_accounting(t, list(segs["text"]))
        assert acc["missing"] == {} and acc["extra"] == {}, f.name
        assert len(t.speakers) >= 2, f.name
    assert formats >= {"text", "docx", "vtt", "srt", "csv", "json"}


def test_docx_heading_with_a_colon_is_a_title_not_a_speaker(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("Member interview: Leah Novak", 1)
    d.add_paragraph("Hannah Cole: Thanks for joining.")
    d.add_paragraph("Leah Novak: Happy to.")
    d.add_paragraph("Outline: body text keeps its label.")  # a Normal paragraph stays speech
    p = tmp_path / "h.docx"
    d.save(p)
    t = read_transcript(p)
    assert turns(t) == [
        ("Hannah Cole", "Thanks for joining."),
        ("Leah Novak", "Happy to."),
        ("Outline", "body text keeps its label."),
    ]
    assert t.skipped == [("paragraph 1", "heading", "Member interview: Leah Novak")]
    assert_lossless(t)
