"""Length batches for the model passes: every sequence once, lone ones as before, same outputs."""

from __future__ import annotations

import numpy as np
import pytest

from insights._batches import fixed_batches, length_batches


def _padding(lengths, batches):
    return sum(len(b) * width for b, width in batches) - sum(lengths)


def _kinds(lengths, batches):
    # what decides a row's outputs: alone in its batch or not, filling its width or not
    kinds = {}
    for idx, width in batches:
        assert width >= max(lengths[i] for i in idx)
        for i in set(idx.tolist()):
            assert i not in kinds
            kinds[i] = (len(idx) == 1, lengths[i] == width)
    return kinds


@pytest.mark.parametrize("seed", range(5))
def test_every_row_once_at_most_batch_size_alone_and_filling_as_in_the_fixed_batches(seed):
    rng = np.random.default_rng(seed)
    for n, size in [(0, 64), (1, 64), (65, 64), (129, 64), (200, 64), (64, 64), (7, 3), (50, 2)]:
        lengths = np.clip(rng.lognormal(2.9, 0.6, n).astype(int), 3, 64).tolist()
        got = length_batches(lengths, size)
        assert all(len(b) <= max(size, 2) for b, _ in got)
        kinds = _kinds(lengths, got)
        assert sorted(kinds) == list(range(n))
        assert kinds == _kinds(lengths, fixed_batches(lengths, size))


def test_a_partition_of_many_lengths_reads_far_less_padding():
    rng = np.random.default_rng(3)
    lengths = np.clip(rng.lognormal(2.9, 0.6, 230).astype(int), 5, 128).tolist()
    fixed, mine = fixed_batches(lengths, 64), length_batches(lengths, 64)
    assert _padding(lengths, fixed) > 0.5 * sum(lengths)  # 4,036 padding tokens for 4,988
    assert _padding(lengths, mine) < 0.2 * sum(lengths)  # 702


@pytest.mark.slow
def test_the_emotion_network_gives_each_window_the_fixed_batches_outputs_bit_for_bit():
    # ONNX Runtime gives a row the same outputs whatever its batch-mates and the batch's
    # width, except alone in a batch or filling the width: the length batches keep both
    # facts of every window from the fixed batches, so every output is the same
    pytest.importorskip("onnxruntime")
    import pandas as pd

    from insights.datasets import sample_study_path
    from insights.emotions import EmotionModel
    from insights.io import read_transcript
    from insights.segments import build_segments

    files = sorted((sample_study_path() / "transcripts").glob("*"))[:2]
    texts = pd.concat([build_segments(read_transcript(f)) for f in files])["text"].tolist()
    model = EmotionModel().load()
    windows = model._windows(list(dict.fromkeys(texts)))[0][:257]  # 4 x 64 + 1
    net = model._onnx_net(True)

    def outputs(batches):
        out = [np.zeros((len(windows), k), np.float32) for k in (35, 768, 384)]
        for idx, width in batches:
            ids = np.zeros((len(idx), width), np.int64)
            mask = np.zeros_like(ids)
            for k, i in enumerate(idx):
                ids[k, : len(windows[i])], mask[k, : len(windows[i])] = windows[i], 1
            for o, r in zip(out, net.run(ids, mask), strict=True):
                o[idx] = r
        return out

    lengths = [len(w) for w in windows]
    fixed, mine = fixed_batches(lengths, 64), length_batches(lengths, 64)
    assert len(mine) > len(fixed) and sum(len(b) == 1 for b, _ in mine) == 1
    assert _padding(lengths, mine) < _padding(lengths, fixed) / 2
    for a, b in zip(outputs(fixed), outputs(mine), strict=True):
        assert np.array_equal(a, b)
