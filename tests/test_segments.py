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


# --------------------------------------------------------------------------- people and roles


def _t(tid, turns):
    return Transcript(tid, f"{tid}.txt", "text", "utf-8", turns=[RawTurn(s, x) for s, x in turns])


def test_participant_ids_without_participants_csv():
    seg = build_segments(make_transcript())
    by = seg.drop_duplicates("turn").set_index("turn")
    assert by.loc[0, "participant_id"] is None or pd.isna(by.loc[0, "participant_id"])  # staff
    assert by.loc[1, "participant_id"] == "p01:Aisha" and by.loc[3, "participant_id"] == "p01:Aisha"
    assert pd.isna(by.loc[2, "participant_id"])  # text without a speaker label: nobody's
    # the same rule as person_key, so counts of people agree
    from insights.schema import person_key

    part = seg[seg["role"] == "participant"]
    assert person_key(part).tolist() == part["participant_id"].tolist()
    # participants.csv still links and wins
    people = pd.DataFrame({"participant_id": ["P01"], "name": ["Aisha Rahman"]})
    linked = build_segments(make_transcript(), participants=people)
    assert set(linked.loc[linked["role"] == "participant", "participant_id"]) == {"P01"}


FOCUS_GROUP = [
    ("Moderator", "Welcome all. What made you pick your provider?"),
    ("Kwame", "Price, mostly, and a friend who swore by them for years and years."),
    ("Helen", "For me it was the speed they promised on the leaflet through my door."),
    ("Moderator", "And has it lived up to that?"),
    ("Kwame", "Mostly yes, apart from one week in winter when it kept dropping out at night."),
    ("Helen", "Not really, the evenings are slow and the app shows half the speed I pay for."),
]


def test_focus_group_members_each_get_their_own_id_and_the_session_type():
    seg = build_segments(_t("fg", FOCUS_GROUP))
    assert seg["session_type"].unique().tolist() == ["focus_group"]
    roles = dict(zip(seg["speaker"], seg["role"], strict=True))
    assert roles == {"Moderator": "moderator", "Kwame": "participant", "Helen": "participant"}
    ids = seg.drop_duplicates("speaker").set_index("speaker")["participant_id"]
    assert ids["Kwame"] == "fg:Kwame" and ids["Helen"] == "fg:Helen"


def test_session_type_counts_participants_who_speak_substantially():
    # two interviewers and a one-line interjection by a second person: still an interview
    turns = [
        ("Interviewer 1", "Thanks for joining. How did the move to the new plan go?"),
        ("Interviewer 2", "Hi, I am taking notes today."),
        ("Interviewee", " ".join(["The switch took two weeks and the router came late."] * 8)),
        ("Interviewer 1", "What happened when you called them?"),
        ("Interviewee", " ".join(["They were polite but could not say when it would work."] * 8)),
        ("Dana", "Sorry, wrong room."),
    ]
    seg = build_segments(_t("int", turns))
    assert seg["session_type"].unique().tolist() == ["interview"]
    first = seg.drop_duplicates("speaker").set_index("speaker")
    assert first["role"].to_dict() == {
        "Interviewer 1": "interviewer",
        "Interviewer 2": "interviewer",
        "Interviewee": "participant",
        "Dana": "participant",
    }
    assert first.loc["Dana", "participant_id"] == "int:Dana"  # a person, though not substantial
    # the same transcript with Dana speaking at length is a focus group
    turns[-1] = ("Dana", " ".join(["My flat had the same trouble with the same router."] * 6))
    assert build_segments(_t("int", turns))["session_type"].iloc[0] == "focus_group"


def test_roles_by_question_rate_not_count():
    # the interviewee talks far more and asks more questions in all (rhetorical ones);
    # the interviewer asks a larger share, speaks first and says least per turn
    long_answer = (
        "Honestly it was a mess from start to finish. Why would anyone design it like that? "
        "I waited three weeks for the engineer. Who does that to a customer? "
        "Then the bill came and it was double what I was quoted. The app kept logging me out. "
        "I rang them four times and every time I got someone new. Nobody called me back."
    )
    turns = [
        ("Jo", "Thanks for taking part. How did the installation go?"),
        ("Al", long_answer),
        ("Jo", "I see. What did you do next?"),
        ("Al", long_answer.replace("three", "two")),
        ("Jo", "Right. Would you stay with them?"),
        ("Al", long_answer.replace("four", "five") + " Would you stay after all that?"),
        ("Jo", "Thank you, that is all from me."),
    ]
    questions_in_all = {s: sum(x.count("?") for sp, x in turns if sp == s) for s in ("Jo", "Al")}
    assert questions_in_all == {"Jo": 3, "Al": 7}
    assert assign_roles(turns) == {"Jo": "interviewer", "Al": "participant"}
    seg = build_segments(_t("rate", turns))
    assert set(seg.loc[seg["speaker"] == "Al", "participant_id"]) == {"rate:Al"}
    assert seg.loc[seg["speaker"] == "Jo", "participant_id"].isna().all()
    # labels that name a role and study.yaml's interviewers still win
    assert assign_roles(turns, interviewers=["Al"])["Al"] == "interviewer"
    named = [("Interviewee" if s == "Jo" else s, x) for s, x in turns]
    assert assign_roles(named) == {"Interviewee": "participant", "Al": "interviewer"}


def test_people_of_participants_csv_no_speaker_is_linked_to_are_listed_with_why():
    from insights.segments import unlinked_participants

    people = pd.DataFrame(
        {
            "participant_id": ["P1", "P2", "P3", "P4", "P5"],
            "transcript": ["a.txt", "b", "gone.txt", None, "c.txt"],
        }
    )
    seg = pd.DataFrame(
        {
            "participant_id": ["P1", "b:Ann", "b:Bo", None],
            "source": ["a.txt", "b.txt", "b.txt", "c.txt"],
            "speaker": ["P1", "Ann", "Bo", "Interviewer"],
            "role": ["participant", "participant", "participant", "interviewer"],
        }
    )
    out = unlinked_participants(people, seg, ["a.txt", "b.txt", "c.txt"])
    assert out["participant_id"].tolist() == ["P2", "P3", "P4", "P5"]
    assert out["reason"].tolist() == [
        "b has 2 participant speakers and none is labelled with its participant_id, name or "
        "aliases",  # a transcript named by its stem
        "its transcript gone.txt is not in transcripts/",
        "no speaker is labelled with its participant_id, name or aliases",
        "c.txt has no participant speaker",
    ]
    assert out["transcript"].tolist() == ["b", "gone.txt", "", "c.txt"]
    # everyone linked, or no sheet: nothing to say
    assert unlinked_participants(people.iloc[:1], seg, ["a.txt"]).empty
    assert unlinked_participants(None, seg).columns.tolist() == [
        "participant_id",
        "transcript",
        "reason",
    ]
