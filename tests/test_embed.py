import numpy as np
import pytest

from insights.embed import CachedEmbedder, Embedder, HashEmbedder, get_embedder, text_key
from insights.schema import ConfigError


class CountingEmbedder(Embedder):
    name = "counting"
    dimension = 4

    def __init__(self):
        self.calls: list[list[str]] = []

    def encode(self, texts):
        self.calls.append(list(texts))
        out = np.array([[len(t), 1.0, t.count("a"), 0.0] for t in texts], dtype=np.float32)
        return out  # not normalised on purpose: the cache must normalise


def test_hash_embedder_is_unit_and_deterministic():
    emb = HashEmbedder(dimension=64)
    a = emb.encode(["the bill was wrong", "the bill was wrong", "lovely staff"])
    assert a.shape == (3, 64) and a.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, rtol=1e-5)
    assert np.array_equal(a[0], a[1])
    assert a[0] @ a[2] < 0.5


def test_cache_embeds_each_text_once_and_survives_a_new_process(tmp_path):
    inner = CountingEmbedder()
    emb = CachedEmbedder(inner, cache_dir=tmp_path)
    first = emb.encode(["aa", "b", "aa"])
    assert inner.calls == [["aa", "b"]]
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, rtol=1e-5)
    assert np.array_equal(first[0], first[2])

    again = CachedEmbedder(CountingEmbedder(), cache_dir=tmp_path)  # fresh memory, same disk
    second = again.encode(["b", "aa", "new"])
    assert again.inner.calls == [["new"]]
    assert again.hits == 2 and again.misses == 1
    np.testing.assert_allclose(second[1], first[0])
    assert list((tmp_path / "counting").glob("*.npz"))


def test_cache_keys_depend_on_model_name():
    assert text_key("a", "x") != text_key("b", "x")
    assert text_key("a", "x") == text_key("a", "x")


def test_empty_input_gives_empty_matrix(tmp_path):
    emb = CachedEmbedder(HashEmbedder(dimension=8), cache_dir=tmp_path)
    assert emb.encode([]).shape == (0, 8)


def test_compaction_keeps_every_vector(tmp_path):
    emb = CachedEmbedder(HashEmbedder(dimension=8), cache_dir=tmp_path)
    emb.max_shards = 3
    texts = [f"text {i}" for i in range(6)]
    for t in texts:
        emb.encode([t])
    assert len(list(emb.folder.glob("*.npz"))) <= 3
    fresh = CachedEmbedder(HashEmbedder(dimension=8), cache_dir=tmp_path)
    fresh.encode(texts)
    assert fresh.misses == 0


def test_get_embedder_is_shared_and_rejects_unknown_names(tmp_path):
    a = get_embedder("hash", cache_dir=tmp_path)
    assert a is get_embedder("hash", cache_dir=tmp_path)
    assert isinstance(get_embedder("hash", cache_dir=False), HashEmbedder)
    with pytest.raises(ConfigError, match="unknown embedder"):
        get_embedder("word2vec")


@pytest.mark.slow
def test_minilm_ranks_paraphrase_above_unrelated(tmp_path):
    emb = get_embedder("minilm", cache_dir=tmp_path)
    v = emb.encode(
        ["The bill was far too expensive.", "It costs too much money.", "The dog sleeps."]
    )
    assert v.shape == (3, 384)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def test_vectors_stored_from_elsewhere_are_served_and_kept_on_disk(tmp_path):
    emb = CachedEmbedder(CountingEmbedder(), cache_dir=tmp_path)
    emb.encode(["aa"])
    assert emb.missing(["aa", "b", "ccc", "b"]) == ["b", "ccc"]
    emb.store(["b"], np.array([[3.0, 0.0, 4.0, 0.0]]))  # normalised on the way in
    assert emb.missing(["aa", "b", "ccc"]) == ["ccc"]
    got = emb.encode(["b", "ccc"])
    assert emb.inner.calls == [["aa"], ["ccc"]]  # "b" was not computed by the inner embedder
    np.testing.assert_allclose(got[0], [0.6, 0.0, 0.8, 0.0], rtol=1e-6)
    fresh = CachedEmbedder(CountingEmbedder(), cache_dir=tmp_path)
    np.testing.assert_allclose(fresh.encode(["b"])[0], [0.6, 0.0, 0.8, 0.0], rtol=1e-6)
    assert fresh.inner.calls == []


def test_a_text_with_markup_is_known_by_its_spoken_words(tmp_path):
    # what encode reads of "[laughs] aa" is its spoken words: a vector stored for it
    # (the emotion model's pass reads the same words) is the one encode serves
    emb = CachedEmbedder(CountingEmbedder(), cache_dir=tmp_path)
    emb.store(["So [laughs] aa"], np.array([[0.0, 3.0, 0.0, 4.0]]))
    assert emb.missing(["So [laughs] aa", "So          aa", "b"]) == ["b"]
    np.testing.assert_allclose(emb.encode(["So [laughs] aa"])[0], [0.0, 0.6, 0.0, 0.8], rtol=1e-6)
    assert emb.inner.calls == []
    assert emb.missing(["[laughs] b", "         b"]) == ["[laughs] b"]  # one text, asked once


@pytest.mark.slow
def test_onnx_runtime_gives_sentence_transformers_vectors():
    from insights.embed import MiniLMEmbedder

    texts = ["The engineer never came.", "Great support, thanks!", "long " * 300, "ok"]
    onnx = MiniLMEmbedder(backend="onnx")
    got = onnx.encode(texts)
    assert onnx.backend_ == "onnx" and got.shape == (4, 384)
    want = MiniLMEmbedder(backend="torch").encode(texts)  # the text of 300 words: cut at 256
    np.testing.assert_allclose(got, want, atol=2e-5)
    with pytest.raises(ConfigError, match="auto, onnx or torch"):
        MiniLMEmbedder(backend="tensorflow")


@pytest.mark.slow
def test_the_emotion_pass_embeds_segments_as_minilm_and_scores_them_on_the_way():
    # one pass per segment (insights run): the emotion model's pass gives each text its
    # all-MiniLM-L6-v2 vector and its scores, which the emotions stage's partitions take
    # (on any engine: they travel with the task) instead of reading the texts again
    import pandas as pd

    from insights.embed import MiniLMEmbedder
    from insights.emotions import get_emotion_model, score_emotions
    from insights.study._partitions import (
        EmotionsTask,
        embed_partition,
        emotions_partition,
        score_embed_partition,
    )

    texts = ["The engineer never came and I was furious.", "Thanks, lovely.", "long " * 600]
    model = get_emotion_model()
    model.load()
    fresh = model._score(texts)  # what a stage reading the texts afresh scores
    model._memo.clear()
    got, scores = score_embed_partition(texts)
    assert got.shape == (3, 384) and not np.isnan(got).any() and len(scores) == 3
    want = embed_partition(texts)
    assert float(((got * want).sum(axis=1)).min()) > 0.99999  # the long text: by MiniLM itself
    np.testing.assert_allclose(got[2], MiniLMEmbedder().encode([texts[2]])[0], atol=1e-6)
    for k in (0, 1):  # scores (p, groups) as a fresh reading gives them
        np.testing.assert_allclose([s[k] for s in scores], fresh[k], atol=1e-6)
    rows = pd.DataFrame({"segment_id": ["a", "b"], "text": texts[:2]})
    model._memo.clear()
    want_table = score_emotions(rows, model=model)
    model._memo.clear()
    got_table = emotions_partition(
        EmotionsTask(rows, dict(zip(texts[:2], scores[:2], strict=True)))
    )
    pd.testing.assert_frame_equal(got_table, want_table)
    model._memo.clear()
    swapped = dict(zip(texts[:2], scores[1::-1], strict=True))  # the task's scores are used
    table = emotions_partition(EmotionsTask(rows, swapped))
    assert table["p_anger"].tolist() == want_table["p_anger"].tolist()[::-1]
    model._memo.clear()
