"""Tests of insights._rerun: caches by content, and what changed between runs."""

from pathlib import Path

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
    assert calls[-1] == ["a"] and len(list(tmp_path.glob("*/*.pkl"))) == 3  # 2 shards of up:1


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
    (shard,) = tmp_path.glob("*/*.pkl")
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


def _upper(texts):
    return [t.upper() for t in texts]


def test_cached_values_writes_each_value_once_and_reads_what_another_process_added(tmp_path):
    import pickle
    import subprocess
    import sys

    from insights._rerun import _ShardStore

    for chunk in (["a", "b"], ["c"], ["a", "d"]):  # one call per transcript, as a run does
        cached_values(chunk, _upper, folder=tmp_path, namespace="up:1")
    shards = sorted(tmp_path.glob("*/*.pkl"))
    parts = [pickle.loads(p.read_bytes()) for p in shards]
    assert [sorted(p.values()) for p in parts] == [["A", "B"], ["C"], ["D"]]  # nothing twice
    code = (
        "import sys; from insights._rerun import cached_values; "
        f"cached_values(['e'], lambda ts: ['from the other'], folder={str(tmp_path)!r}, "
        "namespace='up:1')"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])
    calls = []
    values, hits = cached_values(
        ["e", "a"], lambda ts: calls.append(ts) or _upper(ts), folder=tmp_path, namespace="up:1"
    )
    assert values == ["from the other", "A"] and hits == 2 and calls == []
    _ShardStore._open.clear()  # a new process reads the same values from disk
    assert cached_values(["d", "c"], _upper, folder=tmp_path, namespace="up:1") == (["D", "C"], 2)


def test_cached_values_compacts_a_store_of_many_shards_into_one(tmp_path, monkeypatch):
    from insights._rerun import _ShardStore

    monkeypatch.setattr(_ShardStore, "max_shards", 4)
    for k in range(9):
        cached_values([f"t{k}"], _upper, folder=tmp_path, namespace="up:1")
    assert 1 <= len(list(tmp_path.glob("*/*.pkl"))) <= 4
    _ShardStore._open.clear()
    texts = [f"t{k}" for k in range(9)]
    values, hits = cached_values(texts, _upper, folder=tmp_path, namespace="up:1")
    assert values == [t.upper() for t in texts] and hits == 9
