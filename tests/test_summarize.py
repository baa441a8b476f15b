"""Summary tables: people-based prevalence, crosstabs, waves (Fisher exact), matrix, quote table."""

from __future__ import annotations

import pandas as pd
import pytest

from insights import summarize as S


@pytest.fixture
def segs() -> pd.DataFrame:
    rows = []
    for pid, status, wave in [
        ("P1", "churned", 1),
        ("P2", "retained", 1),
        ("P3", "retained", 2),
        ("P4", "churned", 2),
    ]:
        for k in range(3):
            rows.append(
                {
                    "segment_id": f"{pid}-{k}",
                    "transcript_id": f"t{pid}",
                    "speaker": pid,
                    "role": "participant",
                    "participant_id": pid,
                    "status": status,
                    "wave": wave,
                    "turn": k,
                    "text": f"words {k}",
                    "char_start": 10 * k,
                    "char_end": 10 * k + 7,
                    "start_s": 65.0 * k,
                }
            )
    rows.append(
        {
            "segment_id": "I-0",
            "transcript_id": "tP1",
            "speaker": "Interviewer",
            "role": "interviewer",
            "participant_id": None,
            "status": None,
            "wave": 1,
            "turn": 9,
            "text": "price?",
        }
    )
    return pd.DataFrame(rows)


def test_prevalence_counts_people_once_and_ignores_interviewers(segs):
    labels = pd.DataFrame(
        {
            "segment_id": ["P1-0", "P1-1", "P2-0", "I-0"],
            "label": ["Price", "Price", "Price", "Price"],
        }
    )
    p = S.prevalence(labels, segs)
    assert p[["label", "participants", "base", "share", "segments"]].values.tolist() == [
        ["Price", 2, 4, 0.5, 3]
    ]
    assert p["evidence"].iloc[0] == ["P1-0", "P1-1", "P2-0"]


def test_crosstab_has_zero_cells(segs):
    labels = pd.DataFrame({"segment_id": ["P1-0", "P4-2"], "label": ["Leave", "Leave"]})
    ct = S.crosstab(labels, segs, "status")
    assert ct[["value", "participants", "base"]].values.tolist() == [
        ["churned", 2, 2],
        ["retained", 0, 2],
    ]


def test_fisher_exact_matches_known_values():
    assert S.fisher_exact(8, 2, 1, 5) == pytest.approx(0.034965, abs=1e-5)
    assert S.fisher_exact(3, 1, 1, 3) == pytest.approx(0.485714, abs=1e-5)
    assert S.fisher_exact(0, 5, 0, 5) == 1.0


def test_benjamini_hochberg():
    assert S.benjamini_hochberg([0.01, 0.04, 0.03, float("nan")])[:3] == pytest.approx(
        [0.03, 0.04, 0.04]
    )


def test_compare_waves_direction_and_evidence(segs):
    labels = pd.DataFrame({"segment_id": ["P3-0", "P4-1"], "label": ["Outage", "Outage"]})
    c = S.compare_waves(labels, segs)
    r = c.iloc[0]
    assert (r["wave_a"], r["wave_b"], r["n_a"], r["base_a"], r["n_b"], r["base_b"]) == (
        1,
        2,
        0,
        2,
        2,
        2,
    )
    assert r["change_pp"] == 100.0 and r["direction"] == "grew (n.s.)"  # 0/2 vs 2/2: p = 0.33
    assert r["p_value"] == pytest.approx(1 / 3, abs=1e-4)
    assert r["evidence_b"] == ["P3-0", "P4-1"]


def test_matrix_and_quote_table(segs):
    codes = pd.DataFrame(
        {
            "segment_id": ["P1-0", "P3-2"],
            "code": ["Price", "Speed"],
            "confidence": [0.9, 1.0],
            "method": ["rule", "human"],
            "coder": ["insights", "human"],
        }
    )
    m = S.code_participant_matrix(S.code_labels(codes), segs)
    assert m.set_index("participant")[["Price", "Speed"]].to_dict("index")["P1"] == {
        "Price": 1,
        "Speed": 0,
    }
    assert m["status"].tolist() == ["churned", "retained", "retained", "churned"]
    q = S.quote_table(codes, segs, code_paths={"Speed": "Network / Speed"})
    assert q.loc[1, ["quote", "participant", "code_path", "transcript", "position"]].tolist() == [
        "words 2",
        "P3",
        "Network / Speed",
        "tP3",
        "turn 2, 02:10, chars 20-27",
    ]


def test_co_occurrence_counts_segments_with_both_labels():
    labels = pd.DataFrame(
        {
            "segment_id": ["P1-0", "P1-0", "P1-0", "P2-0", "P2-0", "P3-1"],
            "label": ["Price", "Bill", "Price", "Price", "Speed", "Price"],
        }
    )
    c = S.co_occurrence(labels)
    assert list(c.index) == ["Price", "Bill", "Speed"] and list(c.columns) == list(c.index)
    assert c.loc["Price", "Price"] == 3  # three segments, the repeated row counted once
    assert (c.loc["Price", "Bill"], c.loc["Bill", "Price"], c.loc["Bill", "Speed"]) == (1, 1, 0)
    assert S.co_occurrence(labels, order=["Speed", "Price", "Nothing"]).values.tolist() == [
        [1, 1, 0],
        [1, 3, 0],
        [0, 0, 0],
    ]
