"""The command line: a stable contract. Exit 0 on success; bad input: one line on stderr, exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest


def insights(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "INSIGHTS_PROGRESS": "0", "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "insights.cli", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=600,
    )


def assert_one_line_error(proc, *fragments):
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for f in fragments:
        assert f in lines[0], lines[0]


def test_help_lists_the_contract_commands():
    proc = insights("--help")
    assert proc.returncode == 0
    for cmd in (
        "run",
        "parse",
        "code",
        "themes",
        "emotions",
        "triggers",
        "new-study",
        "import-qdpx",
    ):
        assert f" {cmd} " in proc.stdout


def test_parse_files_and_folders(sample_study, tmp_path):
    out = tmp_path / "seg.csv"
    skipped = tmp_path / "skipped.csv"
    t = sample_study / "transcripts"
    proc = insights(
        "parse",
        t / "P04_gareth.vtt",
        t / "P02_tom_otter.txt",
        "--out",
        out,
        "--skipped",
        skipped,
        "--interviewer",
        "Sam Patel",
        "--participants",
        sample_study / "participants.csv",
    )
    assert proc.returncode == 0, proc.stderr
    seg = pd.read_csv(out)
    assert set(seg["transcript_id"]) == {"p04_gareth", "p02_tom_otter"}
    assert set(seg.loc[seg["role"] == "participant", "participant_id"]) == {"P02", "P04"}
    assert (seg.loc[seg["speaker"] == "Sam Patel", "role"] == "interviewer").all()
    proc = insights("parse", t, "--out", out, "--unit", "turn")
    assert proc.returncode == 0, proc.stderr
    assert pd.read_csv(out)["transcript_id"].nunique() == 12


def test_parse_reads_a_folder_as_a_study_does(tmp_path):
    """'insights parse' and a study run share one loop: same files, same errors."""
    from insights.errors import InputError
    from insights.study import load_study, read_study

    folder = tmp_path / "transcripts"
    folder.mkdir()
    (folder / "a.txt").write_text("Sam: How was it?\nAnn: Slow, every evening.\n", encoding="utf-8")
    (folder / ".~lock.a.txt#").write_text("not a transcript", encoding="utf-8")
    (folder / ".hidden.txt").write_text("Bo: hidden\n", encoding="utf-8")
    out = tmp_path / "seg.csv"
    proc = insights("parse", folder, "--out", out)
    assert proc.returncode == 0, proc.stderr
    parsed = pd.read_csv(out, dtype=str)
    studied, _, _ = read_study(load_study(tmp_path))
    assert (
        parsed["segment_id"].tolist()
        == studied["segment_id"].tolist()
        == ["a-t000-s01", "a-t001-s01"]
    )
    (folder / "a.md").write_text("Sam: Hello?\nAnn: Hi.\n", encoding="utf-8")
    proc = insights("parse", folder, "--out", out)
    assert_one_line_error(proc, "a.txt", "same transcript id 'a' as a.md", "Fix: rename one")
    with pytest.raises(InputError, match="same transcript id 'a' as a.md"):
        read_study(load_study(tmp_path))


@pytest.mark.parametrize(
    "content, fragments",
    [
        (b"", ["empty.txt", "the file is empty", "Fix:"]),
        (b"\x00\x01\x02binary\x00\x00\xff", ["empty.txt", "not a text file"]),
    ],
)
def test_parse_bad_input_exits_2_with_one_line(tmp_path, content, fragments):
    p = tmp_path / "empty.txt"
    p.write_bytes(content)
    out = tmp_path / "seg.csv"
    proc = insights("parse", p, "--out", out)
    assert_one_line_error(proc, *fragments)
    assert not out.exists()


@pytest.mark.parametrize("command", ["emotions", "triggers", "code", "themes"])
def test_analysis_commands_need_a_text_column(tmp_path, command):
    bad = tmp_path / "in.csv"
    bad.write_text("id,words\n1,hello there\n", encoding="utf-8")
    extra = ["--codebook", tmp_path / "cb.yaml"] if command == "code" else []
    out = tmp_path / "out.csv"
    proc = insights(command, bad, "--out", out, *extra)
    assert_one_line_error(proc, "in.csv", "text")
    assert not out.exists()


def test_triggers_given_emotion_with_unknown_label_names_the_row(tmp_path):
    bad = tmp_path / "in.csv"
    bad.write_text(
        "text,emotion\nThe engineer never came.,neutral\nI was livid.,livid\n", encoding="utf-8"
    )
    proc = insights("triggers", bad, "--out", tmp_path / "t.csv")
    assert_one_line_error(proc, "in.csv", "row 2", "livid")


@pytest.mark.slow
def test_emotions_and_triggers_commands(tmp_path):
    seg = tmp_path / "in.csv"
    pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "transcript_id": ["t1"] * 4,
            "speaker": ["Sam", "Ann", "Sam", "Ann"],
            "turn": [0, 1, 2, 3],
            "text": [
                "How was the installation?",
                "I am so angry with them because the engineer never showed up.",
                "   ",
                "Thank you so much, the new router is wonderful and I love it.",
            ],
        }
    ).to_csv(seg, index=False)
    proc = insights("emotions", seg, "--out", tmp_path / "e.csv")
    assert proc.returncode == 0, proc.stderr
    emo = pd.read_csv(tmp_path / "e.csv", keep_default_na=False)
    assert emo["segment_id"].tolist() == ["a", "b", "c", "d"]
    assert sum(c.startswith("p_") for c in emo.columns) == 28
    assert emo.loc[1, "ekman"] == "anger" and emo.loc[3, "ekman"] == "joy"
    assert emo.loc[2, "emotions"] == "" and "not scored" in emo.loc[2, "note"]
    proc = insights("triggers", seg, "--out", tmp_path / "t.csv", "--emotions", tmp_path / "e.csv")
    assert proc.returncode == 0, proc.stderr
    trig = pd.read_csv(tmp_path / "t.csv", keep_default_na=False)
    best = trig[trig["segment_id"] == "b"].iloc[0]
    assert best["cause_segment_id"] == "b" and "engineer never showed up" in best["cause_text"]
    text = "I am so angry with them because the engineer never showed up."
    assert (
        text[best["cause_start"] : best["cause_end"]] == best["cause_text"]
    )  # offsets into the cause segment
    assert best["emotion"] == "anger" and set(trig["intent"]) <= {
        "none",
        "stay",
        "recommend",
        "leave",
        "warn_others",
    }


def test_run_bad_study_yaml_and_participants(study_copy, tmp_path):
    (study_copy / "study.yaml").write_text("name: x\ncolour: red\n")
    proc = insights("run", study_copy, "--out", tmp_path / "o")
    assert_one_line_error(proc, "study.yaml", "unknown key 'colour'", "use one of:")
    (study_copy / "study.yaml").write_text("name: x\n")
    (study_copy / "participants.csv").write_text("id,segment\nP01,new\n")
    proc = insights("run", study_copy, "--out", tmp_path / "o")
    assert_one_line_error(proc, "participants.csv", "no 'participant_id' column")
    assert not (tmp_path / "o" / "segments.csv").exists()


def test_missing_file_and_usage_errors(tmp_path):
    proc = insights("parse", tmp_path / "nope.txt", "--out", tmp_path / "x.csv")
    assert_one_line_error(proc, "nope.txt", "does not exist")
    proc = insights("parse")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_run_sample_study_prints_report_path(study_copy, tmp_path):
    from insights.study import stage_names

    skips = [
        a
        for s in ("codes", "themes", "emotions", "triggers")
        if s in stage_names()
        for a in ("--skip", s)
    ]
    out = tmp_path / "o"
    proc = insights("run", study_copy, "--out", out, *skips)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == str(out / "report.html")
    assert (out / "run.json").exists() and (out / "segments.csv").exists()


@pytest.mark.slow
def test_run_warns_of_people_in_participants_csv_no_speaker_is_linked_to(study_copy, tmp_path):
    import json

    sheet = study_copy / "participants.csv"
    sheet.write_text(
        sheet.read_text(encoding="utf-8").rstrip("\n") + "\nP99,Nobody Here,new,1,retained,"
        "website,1,interview,P99_lost.txt\n",
        encoding="utf-8",
    )
    skips = [a for s in ("codes", "themes", "emotions", "triggers") for a in ("--skip", s)]
    out = tmp_path / "o"
    proc = insights("run", study_copy, "--out", out, *skips)
    assert proc.returncode == 0, proc.stderr
    warning = [line for line in proc.stderr.splitlines() if "warning: participants.csv" in line]
    assert len(warning) == 1
    assert "1 person is linked to no speaker" in warning[0]
    assert "P99: its transcript P99_lost.txt is not in transcripts/" in warning[0]
    run = json.loads((out / "run.json").read_text())
    assert run["participants_unlinked"] == [
        {
            "participant_id": "P99",
            "transcript": "P99_lost.txt",
            "reason": "its transcript P99_lost.txt is not in transcripts/",
        }
    ]
    assert run["counts"]["participants_unlinked"] == 1 and run["counts"]["participants"] == 20
