"""Reviewing codings: the session saves each decision at once; the widget is a thin view."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from insights.codebook import (
    KEYS,
    Code,
    Codebook,
    ReviewSession,
    ReviewWidget,
    review_queue,
    save_decisions,
)
from insights.errors import InputError
from insights.io import read_csv_table

BOOK = Codebook(
    codes=[
        Code(name="Price", definition="What the service costs or whether it is worth it."),
        Code(name="Staff", definition="The people who help: friendly, rude, slow."),
        Code(name="Group"),  # a grouping code: nothing to code with
    ]
)
SEGMENTS = pd.DataFrame(
    {
        "segment_id": ["t1-1", "t1-2", "t1-3", "t2-1", "t2-2"],
        "transcript_id": ["t1", "t1", "t1", "t2", "t2"],
        "speaker": ["Interviewer", "Ana", "Interviewer", "Ben", "Ben"],
        "text": [
            "How was the bill?",
            "Far too expensive for <what> it is.",
            "And the staff?",
            "They were lovely.",
            "Quick too.",
        ],
    }
)
CODES = pd.DataFrame(
    {
        "segment_id": ["t1-2", "t2-1", "t2-2"],
        "code": ["Price", "Staff", "Price"],
        "confidence": [0.55, 0.45, 0.6],
        "method": "semantic",
        "coder": "insights",
    }
)


def _queue() -> pd.DataFrame:
    return review_queue(CODES, SEGMENTS)


def _rows(path: Path) -> list[tuple[str, str, float]]:
    d = read_csv_table(path)
    return list(zip(d["segment_id"], d["code"], d["confidence"].astype(float), strict=True))


def test_the_queue_brings_the_turns_before_and_after_with_their_speakers():
    q = _queue().set_index("segment_id")
    assert q.loc["t1-2", "before"] == "How was the bill?"
    assert q.loc["t1-2", "before_speaker"] == "Interviewer"
    assert q.loc["t1-2", "after_speaker"] == "Interviewer"
    # the first segment of a transcript has nothing before it (not the other transcript's)
    assert q.loc["t2-1", "before"] == "" and q.loc["t2-1", "before_speaker"] == ""


def test_each_decision_is_on_disk_as_soon_as_it_is_made(tmp_path):
    path = tmp_path / "decisions.csv"
    s = ReviewSession(_queue(), path, codebook=BOOK)
    first, second, third = (i["segment_id"] for i in s.items)
    assert s.progress_text == "0 of 3 reviewed" and not path.exists()
    s.accept()
    assert _rows(path) == [(first, s.items[0]["code"], 1.0)]
    s.reject()
    assert _rows(path)[-1] == (second, s.items[1]["code"], 0.0)
    assert s.progress == (2, 3) and s.current["segment_id"] == third
    # another code: the proposed one rejected, the chosen one accepted
    proposed = s.items[2]["code"]
    other = "Staff" if proposed == "Price" else "Price"
    s.other(other)
    assert _rows(path)[-2:] == [(third, proposed, 0.0), (third, other, 1.0)]
    assert s.done and s.progress_text == "3 of 3 reviewed" and s.current is None
    d = read_csv_table(path)
    assert set(d["coder"]) == {"human"} and set(d["method"]) == {"human"}


def test_a_changed_decision_replaces_the_old_one_and_earlier_rows_stay(tmp_path):
    path = tmp_path / "decisions.csv"
    path.write_text(
        "segment_id,code,confidence,method,coder,user\nold-1,Staff,1.0,human,human,Ana\n"
    )
    s = ReviewSession(_queue(), path, codebook=BOOK)
    sid, code = s.items[0]["segment_id"], s.items[0]["code"]
    s.accept()
    s.back()
    assert s.current["segment_id"] == sid and s.outcomes[0] == "accepted"
    s.reject()
    d = read_csv_table(path)
    assert d[(d["segment_id"] == sid) & (d["code"] == code)]["confidence"].tolist() == [0.0]
    assert d.loc[d["segment_id"] == "old-1", "user"].tolist() == ["Ana"]  # kept, with its user
    assert len(s.decisions()) == 2 and s.progress == (1, 3)


def test_keys_map_to_actions_and_other_needs_a_code(tmp_path):
    s = ReviewSession(_queue(), tmp_path / "d.csv", codebook=BOOK)
    assert KEYS == {"a": "accept", "r": "reject", "o": "other", "n": "next", "p": "back"}
    assert s.press("n") == "next" and s.position == 1 and s.progress == (0, 3)
    assert s.press("p") == "back" and s.position == 0
    assert s.press("x") is None and s.press("o") is None  # no code chosen: nothing happens
    assert s.press("A") == "accept" and s.progress == (1, 3)
    assert s.press("o", other_code="Staff") == "other"
    assert s.press("r") == "reject" and s.done
    assert s.press("a") is None  # past the end nothing is decided
    assert s.code_choices == ["Price", "Staff"]  # the grouping code is not offered


def test_bad_input_is_one_error_naming_the_fix(tmp_path):
    with pytest.raises(InputError, match="no segment_id"):
        ReviewSession(pd.DataFrame({"code": ["Price"]}), tmp_path / "d.csv")
    s = ReviewSession(_queue(), tmp_path / "d.csv", codebook=BOOK)
    with pytest.raises(InputError, match="not a code of the codebook"):
        s.other("Nonsense")
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(InputError, match="is a folder, not a decisions table"):
        save_decisions(tmp_path / "folder.csv", CODES[["segment_id", "code"]])
    assert not (tmp_path / "d.csv").exists()


def test_nothing_is_lost_when_the_kernel_dies(tmp_path):
    # a process that decides twice, then dies without any clean-up (like a killed kernel)
    path = tmp_path / "decisions.csv"
    _queue().to_csv(tmp_path / "queue.csv", index=False)
    script = textwrap.dedent(
        f"""
        import os
        from insights.codebook import ReviewSession
        from insights.io import read_csv_table
        s = ReviewSession(read_csv_table({str(tmp_path / "queue.csv")!r}), {str(path)!r})
        s.accept(); s.reject()
        os._exit(9)
        """
    )
    res = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert res.returncode == 9, res.stderr.decode()[-2000:]
    q = _queue()
    assert _rows(path) == [
        (q.loc[0, "segment_id"], q.loc[0, "code"], 1.0),
        (q.loc[1, "segment_id"], q.loc[1, "code"], 0.0),
    ]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left


def test_the_widget_shows_the_item_and_its_buttons_and_keys_decide(tmp_path):
    path = tmp_path / "decisions.csv"
    w = ReviewWidget(ReviewSession(_queue(), path, codebook=BOOK))
    s = w.session
    first = s.items[0]
    assert f"data-segment-id='{first['segment_id']}'" in w.card.value
    assert BOOK[first["code"]].definition in w.card.value
    if first["segment_id"] == "t1-2":  # the text is escaped, with its speaker and context
        assert "&lt;what&gt;" in w.card.value and "<b>Ana:</b>" in w.card.value
    assert "0 of 3 reviewed" in w.progress_label.value and w.back_button.disabled
    w.accept_button.click()
    assert _rows(path) == [(first["segment_id"], first["code"], 1.0)]
    assert "1 of 3 reviewed" in w.progress_label.value and w.progress_bar.value == 1
    assert f"segment {first['segment_id']} accepted" in w.status.value
    w.keys.value = "r"  # a key typed into the key box
    assert w.keys.value == "" and _rows(path)[-1][2] == 0.0
    w.keys.value = "p"
    assert s.position == 1 and "already decided: rejected" in w.card.value
    w.keys.value = "n"
    w.other_code.value = "Staff"
    w.other_button.click()
    assert s.done and w.accept_button.disabled and "Done:" in w.card.value
    assert "3 of 3 reviewed" in w.progress_label.value


def test_a_failed_save_is_shown_in_the_widget_and_nothing_moves(tmp_path):
    (tmp_path / "decisions.csv").mkdir()  # cannot be written
    w = ReviewWidget(ReviewSession(_queue(), tmp_path / "decisions.csv", codebook=BOOK))
    w.accept_button.click()
    assert "not saved" in w.status.value and w.session.position == 0
    assert w.session.progress == (0, 3)


def test_an_empty_queue_is_done_at_once_and_writes_nothing(tmp_path):
    w = ReviewWidget(ReviewSession(_queue().head(0), tmp_path / "decisions.csv"))
    assert w.session.done and w.session.progress_text == "0 of 0 reviewed"
    assert "Done:" in w.card.value and w.accept_button.disabled
    w.keys.value = "a"
    assert not (tmp_path / "decisions.csv").exists() and w.session.decisions().empty
