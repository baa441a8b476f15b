"""Tests of insights._rerun: caches by content, and what changed between runs."""

import pandas as pd
import pytest

from insights._rerun import cached_rows, cached_values, compare_inputs


def test_cached_values_computes_only_new_distinct_texts(tmp_path):
    calls = []

    def upper(texts):
        calls.append(list(texts))
        return [t.upper() for t in texts]

    values, hits = cached_values(["a", "b", "a"], upper, folder=tmp_path, namespace="up:1")
    assert values == ["A", "B", "A"] and hits == 0 and calls == [["a", "b"]]
    values, hits = cached_values(["b", "c", "a"], upper, folder=tmp_path, namespace="up:1")
    assert values == ["B", "C", "A"] and hits == 2 and calls[-1] == ["c"]
    # another namespace (another model or version) shares nothing
    cached_values(["a"], upper, folder=tmp_path, namespace="up:2")
    assert calls[-1] == ["a"] and len(list(tmp_path.glob("*.pkl"))) == 2


def test_cached_values_without_a_folder_computes_every_distinct_text_and_keeps_nothing(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    calls = []

    def upper(texts):
        calls.append(list(texts))
        return [t.upper() for t in texts]

    for _ in range(2):
        assert cached_values(["a", "b", "a"], upper, folder=None, namespace="up:1") == (
            ["A", "B", "A"],
            0,
        )
    assert calls == [["a", "b"], ["a", "b"]] and list(tmp_path.iterdir()) == []


def test_cached_values_survives_a_damaged_cache_and_checks_lengths(tmp_path):
    cached_values(["a"], lambda ts: [1 for _ in ts], folder=tmp_path, namespace="n")
    (shard,) = tmp_path.glob("*.pkl")
    shard.write_bytes(b"not a pickle")
    values, hits = cached_values(["a"], lambda ts: [2 for _ in ts], folder=tmp_path, namespace="n")
    assert values == [2] and hits == 0
    with pytest.raises(ValueError, match="2 texts in, 1 values out"):
        cached_values(["x", "y"], lambda ts: [0], folder=tmp_path, namespace="n")


def test_cached_rows_keeps_input_order_and_this_calls_ids(tmp_path):
    seen = []

    def score(df):
        seen.append(df["segment_id"].tolist())
        return pd.DataFrame({"segment_id": df["segment_id"], "n": df["text"].str.len()})

    a = pd.DataFrame({"segment_id": ["s1", "s2", "s3"], "text": ["hi", "hello", "hi"]})
    out = cached_rows(a, score, folder=tmp_path, namespace="len")
    assert out.to_dict("list") == {"segment_id": ["s1", "s2", "s3"], "n": [2, 5, 2]}
    assert seen == [["s1", "s2"]] and out.attrs["cached"] == 0
    b = pd.DataFrame({"segment_id": ["x1", "x2"], "text": ["hello", "hey"]})
    out = cached_rows(b, score, folder=tmp_path, namespace="len")
    assert out.to_dict("list") == {"segment_id": ["x1", "x2"], "n": [5, 3]}
    assert seen[-1] == ["x2"] and out.attrs["cached"] == 1


def test_compare_inputs():
    assert compare_inputs(None, {"a": "1"})["first_run"] is True
    got = compare_inputs({"a": "1", "b": "2", "c": "3"}, {"a": "1", "b": "9", "d": "4"})
    assert (got["added"], got["changed"], got["removed"], got["unchanged"]) == (
        ["d"],
        ["b"],
        ["c"],
        ["a"],
    )
