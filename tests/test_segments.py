"""Segments: sentences, roles, participant links, stable ids, offsets, completion of minimal
tables.
"""

from __future__ import annotations

import pandas as pd
import pytest

from insights.io import RawTurn, Transcript
from insights.schema import SEGMENT_COLUMNS, SchemaError
from insights.segments import (
    assign_roles,
    build_segments,
    complete_segments,
    is_backchannel,
    plain_text,
    read_segments_csv,
    split_sentences,
)


def spans_text(text, spans):
    return [text[s:e] for s, e in spans]


def test_split_sentences_rules():
    text = "I rang Mr. Jones at 9. He said no! Why? Because the £50 credit… never came. ok"
    assert spans_text(text, split_sentences(text)) == [
        "I rang Mr. Jones at 9.",
        "He said no!",
        "Why?",
        "Because the £50 credit… never came. ok",
    ]


def test_split_sentences_keeps_quotes_and_cuts_long_runs():
    text = "She said “it’s fixed.” Then it broke."
    assert spans_text(text, split_sentences(text)) == ["She said “it’s fixed.”", "Then it broke."]
    long = " ".join(["word"] * 300)
    spans = split_sentences(long, max_chars=100)
    assert all(e - s <= 100 for s, e in spans)
    assert " ".join(spans_text(long, spans)).split() == long.split()


def test_roles_config_labels_and_question_heuristic():
    turns = [("Sam", "How was it?"), ("Ann", "Fine."), ("Sam", "Why?"), ("Ann", "Speed.")]
    assert assign_roles(turns) == {"Sam": "interviewer", "Ann": "participant"}
    assert assign_roles(turns, interviewers=["Ann"]) == {"Ann": "interviewer", "Sam": "participant"}
    assert assign_roles(turns, interviewers=["Sam Patel"]) == {
        "Sam": "interviewer",
        "Ann": "participant",
    }
    fg = [
        ("Moderator", "Hello"),
        ("Kwame", "Hi?"),
        ("Unknown Speaker", "yes"),
        ("Interviewee", "no"),
    ]
    assert assign_roles(fg, session_type="focus_group") == {
        "Moderator": "moderator",
        "Kwame": "participant",
        "Unknown Speaker": "unknown",
        "Interviewee": "participant",
    }


def make_transcript():
    return Transcript(
        "p01",
        "P01.txt",
        "text",
        "utf-8",
        turns=[
            RawTurn("Interviewer", "Welcome. How did the install go?", 0.0, 4.0),
            RawTurn("Aisha", "Badly. The engineer never came! I was furious.", 4.0, 9.0),
            RawTurn(None, "[inaudible]"),
            RawTurn("Aisha", "Yeah."),
        ],
    )


def test_build_segments_ids_offsets_roles_participants():
    people = pd.DataFrame(
        {
            "participant_id": ["P01"],
            "name": ["Aisha Rahman"],
            "transcript": ["P01.txt"],
            "wave": [2],
            "session_type": ["interview"],
        }
    )
    seg = build_segments(make_transcript(), participants=people)
    assert list(seg.columns) == list(SEGMENT_COLUMNS)
    assert seg["segment_id"].tolist() == [
        "p01-t000-s01",
        "p01-t000-s02",
        "p01-t001-s01",
        "p01-t001-s02",
        "p01-t001-s03",
        "p01-t002-s01",
        "p01-t003-s01",
    ]
    assert seg["role"].tolist() == ["interviewer"] * 2 + ["participant"] * 3 + [
        "unknown",
        "participant",
    ]
    assert seg["participant_id"].tolist()[2:5] == ["P01"] * 3
    assert seg["wave"].iloc[0] == 2 and seg["session_type"].iloc[0] == "interview"
    text = plain_text(seg)
    assert text.startswith("Interviewer: Welcome. How did the install go?\n\nAisha: Badly.")
    for s, e, t in zip(seg["char_start"], seg["char_end"], seg["text"], strict=True):
        assert text[s:e] == t
    # same input, same ids
    assert build_segments(make_transcript())["segment_id"].tolist() == seg["segment_id"].tolist()


def test_turn_unit_and_bad_unit():
    seg = build_segments(make_transcript(), unit="turn")
    assert seg["text"].tolist()[1] == "Badly. The engineer never came! I was furious."
    with pytest.raises(Exception, match="unknown segment unit"):
        build_segments(make_transcript(), unit="word")


def test_backchannels():
    assert is_backchannel("Yeah.") and is_backchannel("Mm-hm.") and is_backchannel("Right, okay.")
    assert not is_backchannel("Yeah, the router died.")


def test_complete_segments_minimal_tables(tmp_path):
    df = complete_segments(pd.DataFrame({"text": ["a", "b"]}))
    assert df["segment_id"].tolist() == ["0", "1"] and df["role"].tolist() == ["participant"] * 2
    assert list(df.columns)[: len(SEGMENT_COLUMNS)] == list(SEGMENT_COLUMNS)
    df2 = complete_segments(pd.DataFrame({"id": [7, 9], "text": ["a", None], "extra": [1, 2]}))
    assert (
        df2["segment_id"].tolist() == ["7", "9"]
        and df2["text"].tolist() == ["a", ""]
        and "extra" in df2
    )
    with pytest.raises(SchemaError, match="no column 'text'"):
        complete_segments(pd.DataFrame({"body": ["x"]}))
    with pytest.raises(SchemaError, match="row 3: segment_id 'x' appears more than once"):
        complete_segments(pd.DataFrame({"segment_id": ["x", "x"], "text": ["a", "b"]}))
    p = tmp_path / "in.csv"
    p.write_text('segment_id,text\ns1,hello\ns2,"a, b"\n', encoding="utf-8")
    got = read_segments_csv(p)
    assert got["text"].tolist() == ["hello", "a, b"] and got["segment_id"].tolist() == ["s1", "s2"]


def test_sample_study_segments(sample_study):
    from insights.datasets import load_sample_study

    seg = load_sample_study()
    assert seg["segment_id"].is_unique
    assert seg["transcript_id"].nunique() == 12
    assert sorted(seg["participant_id"].dropna().unique()) == [f"P{i:02d}" for i in range(1, 21)]
    by_t = seg.drop_duplicates("transcript_id").set_index("transcript_id")
    assert by_t.loc["fg1_wave1", "session_type"] == "focus_group"
    assert by_t.loc["p03_priya", "session_type"] == "interview"
    assert set(seg["wave"].dropna().astype(int)) == {1, 2}
    # every participant speaker is linked, and staff are never participants
    part = seg[seg["role"] == "participant"]
    assert part["participant_id"].notna().all()
    staff = seg[seg["role"].isin(["interviewer", "moderator"])]
    assert staff["participant_id"].isna().all()
    assert {"segment", "status", "channel"} <= set(seg.columns)
