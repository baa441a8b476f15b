"""A study's tables for notebooks and reports: one reader of decisions.csv, one report_data."""

from __future__ import annotations

from insights.study import load_study, load_tables, read_decisions, report_data


def test_decisions_are_read_as_a_table_not_counted_as_lines(study_copy):
    study = load_study(study_copy)
    assert read_decisions(study) is None
    (study_copy / "decisions.csv").write_text(
        "segment_id,code,confidence,coder,note\n"
        'p01_aisha-t001-s01,Price,1,human,"a note\nover two lines"\n'
        "p01_aisha-t002-s01,Price,0,human,\n",
        encoding="utf-8",
    )
    table = read_decisions(load_study(study_copy))
    assert table["segment_id"].tolist() == ["p01_aisha-t001-s01", "p01_aisha-t002-s01"]
    assert table["confidence"].tolist() == [1, 0]


def test_report_data_of_a_loaded_study(study_copy):
    study = load_study(study_copy)
    tables = load_tables(study, rule_codes=False)
    data = report_data(study, tables, counts={"transcripts": 12})
    assert data.study == study.name
    assert data.segments is tables["segments"]
    assert data.codebook is tables["codebook"] and len(data.codebook) > 5
    assert [w for w, _ in data.waves] == [1, 2]
    assert data.counts == {"transcripts": 12} and "pandas" in data.packages
    assert "codes" not in tables  # rule_codes=False codes nothing
