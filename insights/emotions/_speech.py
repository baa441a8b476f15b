"""The speech head's probabilities: head, blend with the top's Ekman scores, calibration.

Pure numpy on the pooled states and the top's outputs that :class:`EmotionModel` computes
anyway (see ``insights/models/emotions/README.md`` for how each part was fitted). Nothing
here imports torch.
"""

from __future__ import annotations

import numpy as np

from ._labels import EKMAN_GROUPS, LABELS, ekman_scores

__all__ = [
    "speech_probabilities",
    "blend_groups",
    "blend_weight",
    "comment_probability",
    "temper_groups",
    "shift_neutral",
    "shift_groups",
]

_NEUTRAL = EKMAN_GROUPS.index("neutral")
_SIX = [j for j in range(len(EKMAN_GROUPS)) if j != _NEUTRAL]


def speech_probabilities(
    pooled: np.ndarray, head: dict, outputs: np.ndarray | None = None
) -> np.ndarray:
    """The speech head's calibrated Ekman-7 probabilities of pooled states ``(n, 768)``.

    A softmax over standardised pooled states: ``softmax((z W' + b) / T + bias)``, with the
    temperature ``T`` and per-group ``bias`` fitted on held-out conversational lines.
    When ``head`` has a ``blend`` weight and the top's own sigmoid ``outputs``
    ``(n, 28 + 7)`` are given, :func:`blend_groups` of those probabilities and the top's
    Ekman scores (:func:`~insights.emotions.ekman_scores`), with the weight of
    :func:`blend_weight`: the head decides neutral against emotional for speech, and the
    GoEmotions outputs help choose which emotion. Last, with ``group_temperature``,
    :func:`temper_groups` (the stated group's probability made to mean what it says), and
    with ``neutral_offset``, :func:`shift_neutral` (the odds of neutral against the
    emotions lowered), or with ``group_offset``, :func:`shift_groups` (each group's odds
    moved: the speech operating point, chosen on conversational tune lines and calm
    interviews).

    Examples
    --------
    >>> head = {"mean": np.zeros(2), "scale": np.ones(2), "W": np.eye(2), "b": np.zeros(2),
    ...         "temperature": 1.0, "bias": np.zeros(2)}
    >>> speech_probabilities(np.array([[1.0, 0.0]]), head).astype(float).round(3).tolist()
    [[0.731, 0.269]]
    """
    z = (np.asarray(pooled, np.float32) - head["mean"]) / head["scale"]
    logits = (z @ np.asarray(head["W"]).T + head["b"]) / head["temperature"] + head["bias"]
    q = _softmax(logits)
    if outputs is not None and "blend" in head:
        outputs = np.asarray(outputs, np.float32)
        geo = ekman_scores(outputs[:, : len(LABELS)], outputs[:, len(LABELS) :])
        q = blend_groups(q, geo, blend_weight(pooled, head))
    if "group_temperature" in head:
        q = temper_groups(q, head["group_temperature"])
    if "neutral_offset" in head:
        q = shift_neutral(q, head["neutral_offset"])
    if "group_offset" in head:
        q = shift_groups(q, head["group_offset"])
    return q


def comment_probability(pooled: np.ndarray, head: dict) -> np.ndarray:
    """How much each text reads like a written comment rather than speech, in [0, 1].

    A logistic regression on the standardised pooled states (``gate_mean``,
    ``gate_scale``, ``gate_w``, ``gate_b`` of ``head``), fitted to tell GoEmotions
    comments from XED subtitle lines (their training parts).

    Examples
    --------
    >>> head = {"gate_mean": np.zeros(2), "gate_scale": np.ones(2),
    ...         "gate_w": np.array([2.0, 0.0]), "gate_b": np.zeros(1)}
    >>> p = comment_probability(np.array([[1.0, 5.0], [-1.0, 0.0]]), head)
    >>> p.astype(float).round(3).tolist()
    [0.881, 0.119]
    """
    z = (np.asarray(pooled, np.float32) - head["gate_mean"]) / head["gate_scale"]
    s = z @ np.asarray(head["gate_w"], np.float32).reshape(-1) + float(np.ravel(head["gate_b"])[0])
    return (1.0 / (1.0 + np.exp(-np.clip(s, -50.0, 50.0)))).astype(np.float32)


def blend_weight(pooled: np.ndarray, head: dict) -> np.ndarray | float:
    """The blend weight of each text: ``blend`` alone, or gated by :func:`comment_probability`.

    With a gate (``gate_w`` in ``head``), the weight runs from ``blend_speech`` for a
    text that reads like speech to ``blend`` for one that reads like a comment: the top's
    Ekman scores, learnt on comments, choose the emotion of comments better and that of
    subtitle lines worse than the head does.

    Examples
    --------
    >>> head = {"blend": 0.9, "blend_speech": 0.1, "gate_mean": np.zeros(1),
    ...         "gate_scale": np.ones(1), "gate_w": np.array([1.0]), "gate_b": np.zeros(1)}
    >>> blend_weight(np.array([[0.0]]), head).astype(float).round(3).tolist()
    [0.5]
    """
    weight = float(head["blend"])
    if "gate_w" not in head:
        return weight
    low = float(head.get("blend_speech", 0.0))
    return low + (weight - low) * comment_probability(pooled, head)


def blend_groups(q: np.ndarray, geo: np.ndarray, weight) -> np.ndarray:
    """Ekman-7 probabilities: neutral from the speech head, the emotion from both heads.

    ``q`` (n, 7): the speech head's calibrated probabilities; its neutral column stays
    as it is (the head, calibrated on conversation, says whether anything emotional is
    said). The probability of "emotional", ``1 - q[:, neutral]``, is shared among the six
    emotions by a geometric blend of the head's distribution over them and the top's
    Ekman scores ``geo`` (n, 7; :func:`~insights.emotions.ekman_scores`, trained on the
    28 GoEmotions labels, which tell anger from sadness and disgust better):
    ``r ∝ head^(1 - weight) · geo^weight`` over the six (``weight``: one number, or one
    per text). Where the head's most probable group is neutral, its own distribution is
    kept, so the blend never turns a text the head calls neutral emotional (on
    interviews it would, for one segment in eight).

    Examples
    --------
    >>> q = np.array([[0.3, 0.3, 0.0, 0.0, 0.2, 0.0, 0.2]])
    >>> geo = np.array([[0.6, 0.1, 0.01, 0.01, 0.2, 0.01, 0.1]])
    >>> bool(np.allclose(blend_groups(q, geo, 0.0), q, atol=1e-6))
    True
    >>> g = blend_groups(q, geo, 0.5)
    >>> EKMAN_GROUPS[int(g.argmax())], round(float(g[0, -1]), 2)
    ('anger', 0.2)
    """
    q = np.asarray(q, np.float64)
    w = np.asarray(weight, np.float64).reshape(-1, 1)
    a = np.maximum(q[:, _SIX], 1e-9)
    b = np.maximum(np.asarray(geo, np.float64)[:, _SIX], 1e-6)
    la = np.log(a / a.sum(1, keepdims=True))
    lb = np.log(b / b.sum(1, keepdims=True))
    r = _softmax((1.0 - w) * la + w * lb)
    # where the head's most probable group is neutral, its own distribution stays: the
    # blend, sharper, would otherwise call emotional what the head calls neutral
    calm = q[:, _NEUTRAL] >= q[:, _SIX].max(1)
    r[calm] = a[calm] / a[calm].sum(1, keepdims=True)
    out = np.zeros_like(q)
    out[:, _SIX] = (1.0 - q[:, [_NEUTRAL]]) * r
    out[:, _NEUTRAL] = q[:, _NEUTRAL]
    return out.astype(np.float32)


def temper_groups(g: np.ndarray, temperatures) -> np.ndarray:
    """Group probabilities ``g`` (n, 7) tempered by the temperature of each row's top group.

    Row ``i`` whose most probable group is ``k`` becomes ``softmax(log g[i] / t[k])``: the
    order of its groups (so ``ekman``) is unchanged, and the stated group's probability
    is made to match how often that group is right (the temperatures are fitted on
    conversational tune lines; ``insights/models/emotions/README.md``).

    Examples
    --------
    >>> g = np.array([[0.8, 0.0, 0.0, 0.1, 0.0, 0.0, 0.1]])
    >>> t = np.array([2.0, 1, 1, 1, 1, 1, 1])
    >>> temper_groups(g, t)[0, [0, 3, 6]].astype(float).round(3).tolist()
    [0.586, 0.207, 0.207]
    """
    g = np.asarray(g, np.float64)
    t = np.asarray(temperatures, np.float64)[g.argmax(1)][:, None]
    return _softmax(np.log(np.maximum(g, 1e-12)) / t)


def shift_neutral(g: np.ndarray, offset: float) -> np.ndarray:
    """Group probabilities ``g`` (n, 7) with the odds of neutral divided by ``exp(offset)``.

    The six emotions keep their shares of what is left. The head was calibrated on a mix
    of subtitle lines and conversations by likelihood, which left it calling 72% of
    subtitle lines neutral where 34% are; the offset, chosen on the tune parts for the
    best weighted-F1 at a bounded calibration error, moves that line.

    Examples
    --------
    >>> g = np.array([[0.2, 0.0, 0.0, 0.2, 0.0, 0.0, 0.6]])
    >>> shift_neutral(g, np.log(1.5))[0, [0, 3, 6]].astype(float).round(3).tolist()
    [0.25, 0.25, 0.5]
    """
    g = np.asarray(g, np.float64)
    neutral = g[:, _NEUTRAL] * np.exp(-float(offset))
    total = neutral + (1.0 - g[:, _NEUTRAL])
    out = g / total[:, None]
    out[:, _NEUTRAL] = neutral / total
    return out.astype(np.float32)


def shift_groups(g: np.ndarray, offsets) -> np.ndarray:
    """Group probabilities ``g`` (n, 7) with group ``k``'s odds multiplied by ``exp(offsets[k])``.

    A prior shift: ``softmax(log g + offsets)``. The order of the groups in a row can
    change (that is the point: it moves the line between neutral and each emotion); with
    all offsets equal nothing changes, and ``shift_neutral(g, d)`` is
    ``shift_groups(g, [0, 0, 0, 0, 0, 0, -d])``. The shipped offsets
    (``speech_head.group_offset`` in the model's ``config.json``) were chosen on tune
    lines for the best weighted-F1 that keeps calm interviews calm
    (``training/choose_emotion_operating_point.py``).

    Examples
    --------
    >>> g = np.array([[0.2, 0.0, 0.0, 0.3, 0.0, 0.0, 0.5]])
    >>> out = shift_groups(g, [np.log(2.0), 0, 0, 0, 0, 0, 0])
    >>> out[0, [0, 3, 6]].astype(float).round(3).tolist()
    [0.333, 0.25, 0.417]
    """
    z = np.log(np.maximum(np.asarray(g, np.float64), 1e-12)) + np.asarray(offsets, np.float64)
    return _softmax(z)


def _softmax(logits: np.ndarray) -> np.ndarray:
    logits = logits - logits.max(1, keepdims=True)
    e = np.exp(logits)
    return (e / e.sum(1, keepdims=True)).astype(np.float32)
