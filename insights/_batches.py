"""Batches of token sequences for the ONNX Runtime passes, with little padding.

The model passes sort their sequences by length and cut the order every
``batch_size`` rows (:func:`fixed_batches`): a batch then spans many lengths (a
partition's 200 windows run from 5 to 64 word pieces) and two fifths of what the
network reads is padding (the sample study: 77,054 tokens read for 45,589 real ones).
:func:`length_batches` gives batches of about one length instead.

The outputs stay the fixed batches' bit for bit. ONNX Runtime's CPU kernels give a row
the same outputs whatever its batch-mates, its position and the batch's width, with two
exceptions (outputs then differ by about 1e-7, enough to move a rounded score or a
theme): a batch of one row, and a row that fills the batch's width (no padding) against
one that is padded. So each row keeps both facts from :func:`fixed_batches`: alone or
not, padded or not; a padded row's batch is as wide as it needs (one more than its
longest padded row when no row fills it), and a row that would be alone in a batch it
was not alone in before is run twice (``tests/test_batches.py`` checks the emotion
network's outputs with ``np.array_equal``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["fixed_batches", "length_batches"]

#: a batch is cut where a length exceeds its first length by this share (plus one token)
_GROWTH = 0.125


def fixed_batches(lengths: Sequence[int], batch_size: int) -> list[tuple[np.ndarray, int]]:
    """``(positions, width)`` of ``lengths`` sorted by length (stable), cut every ``batch_size``.

    ``width`` is the batch's longest length.

    Examples
    --------
    >>> [(b.tolist(), w) for b, w in fixed_batches([5, 2, 9], 2)]
    [([1, 0], 5), ([2], 9)]
    """
    order = np.argsort(np.asarray(lengths, dtype=np.int64), kind="stable")
    out = []
    for s in range(0, len(order), max(1, int(batch_size))):
        idx = order[s : s + max(1, int(batch_size))]
        out.append((idx, int(max(lengths[i] for i in idx))))
    return out


def length_batches(lengths: Sequence[int], batch_size: int) -> list[tuple[np.ndarray, int]]:
    """``(positions, width)`` batches of about one length, each row as in :func:`fixed_batches`.

    A batch holds at most ``batch_size`` rows and is cut where a length exceeds its first
    by more than an eighth plus one. A row alone in its fixed batch is alone here; a row
    as long as its fixed batch's width fills its batch here (the width is its length),
    every other row is padded (the width is longer); a row that would be alone in a
    batch is listed twice (the same outputs both times).

    Examples
    --------
    >>> [(b.tolist(), w) for b, w in length_batches([8, 8, 30, 31, 9, 60, 61], 64)]
    [([0, 1, 4], 10), ([2, 3], 32), ([5, 6], 61)]
    >>> [(b.tolist(), w) for b, w in length_batches([8, 30, 61, 60], 2)]
    [([0, 0], 9), ([1, 1], 30), ([3, 2], 61)]
    """
    n = len(lengths)
    size = max(1, int(batch_size))
    fixed = fixed_batches(lengths, size)
    fills = np.zeros(n, bool)
    alone = []
    for idx, width in fixed:
        if len(idx) == 1:
            alone.append((idx, width))
        else:
            fills[[i for i in idx if lengths[i] == width]] = True
    rest = [i for idx, _ in fixed if len(idx) > 1 for i in idx.tolist()]
    # at one length, the rows that fill their batch come first: they end a batch
    rest.sort(key=lambda i: (lengths[i], not fills[i]))
    batches: list[list[int]] = []
    filled: list[int | None] = []  # the length that fills each batch (None: all padded)
    for i in rest:
        new = (
            not batches
            or len(batches[-1]) >= size
            or lengths[i] > lengths[batches[-1][0]] * (1 + _GROWTH) + 1
            or filled[-1] is not None
            and not (fills[i] and lengths[i] == filled[-1])
            or fills[i]
            and filled[-1] is None
            and max(lengths[k] for k in batches[-1]) >= lengths[i]
        )
        if new:
            batches.append([])
            filled.append(None)
        batches[-1].append(i)
        if fills[i]:
            filled[-1] = lengths[i]
    out = []
    for rows, full in zip(batches, filled, strict=True):
        width = full if full is not None else max(lengths[k] for k in rows) + 1
        out.append((np.asarray(rows * 2 if len(rows) == 1 else rows, dtype=np.int64), width))
    return out + alone
