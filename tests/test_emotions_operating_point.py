"""The speech operating point: per-group offsets on the speech head's probabilities."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from insights.emotions import EKMAN_GROUPS
from insights.emotions._speech import shift_groups, shift_neutral, speech_probabilities

CONFIG = Path(__file__).resolve().parents[1] / "insights" / "models" / "emotions" / "config.json"
NEU = EKMAN_GROUPS.index("neutral")


def test_shift_groups_is_a_prior_shift_that_can_move_the_line_from_neutral():
    g = np.array([[0.30, 0.02, 0.02, 0.10, 0.04, 0.02, 0.50], [0.05, 0, 0, 0.05, 0, 0, 0.90]])
    # one neutral offset is the special case shipped before
    np.testing.assert_allclose(
        shift_groups(g, [0, 0, 0, 0, 0, 0, -0.5]), shift_neutral(g, 0.5), atol=1e-6
    )
    # equal offsets change nothing; rows stay distributions
    np.testing.assert_allclose(shift_groups(g, [0.7] * 7), g, atol=1e-6)
    out = shift_groups(g, [np.log(2.0), 0, 0, 0, 0, 0, 0])
    np.testing.assert_allclose(out.sum(1), 1.0, atol=1e-6)
    # anger's odds doubled: 0.30 -> 0.60 / 1.30 = 0.4615, and it overtakes neutral
    assert out[0, 0] == pytest.approx(0.6 / 1.3, abs=1e-5)
    assert out[0].argmax() == 0 and g[0].argmax() == NEU
    assert out[1].argmax() == NEU  # a calm row stays neutral


def test_speech_probabilities_end_with_the_group_offset():
    rng = np.random.default_rng(3)
    head = {"mean": np.zeros(4), "scale": np.ones(4), "W": rng.normal(size=(7, 4)),
            "b": np.zeros(7), "temperature": 1.5, "bias": np.zeros(7)}  # fmt: skip
    x = rng.normal(size=(5, 4))
    offsets = np.array([0.0, 0.25, 0.25, 0.0, 0.25, 0.0, -0.3])
    np.testing.assert_allclose(
        speech_probabilities(x, {**head, "group_offset": offsets}),
        shift_groups(speech_probabilities(x, head), offsets),
        atol=1e-6,
    )


def test_the_shipped_operating_point_obeys_its_rule_and_the_model_loads_it():
    from insights.emotions import EmotionModel

    cfg = json.loads(CONFIG.read_text())["speech_head"]
    point = cfg["group_offset"]
    before, chosen = point["before"], point["chosen_figures"]
    assert chosen["offsets"] == point["values"] and before["offsets"] == [0.0] * 6 + [-0.125]
    # calm interviews (MLSS dev, segments not hand-labelled) no more emotional, angry or
    # negative than before; GoEmotions within 0.01; calibration error bounded
    for k in ("emotional_share", "anger_share", "negative_share"):
        assert chosen["mlss_unlabelled"][k] <= before["mlss_unlabelled"][k]
    assert chosen["mlss_unlabelled"]["segments"] == before["mlss_unlabelled"]["segments"] == 3300
    go = chosen["goemotions_tune"]["ekman_macro_f1"]
    assert go >= before["goemotions_tune"]["ekman_macro_f1"] - 0.01
    for name in ("xed_train_oof", "xed_calib", "reccon_calib"):
        assert chosen[name]["ece_top_group"] <= 0.08
    assert chosen["mean_weighted_f1"] >= before["mean_weighted_f1"]
    model = EmotionModel().load()
    np.testing.assert_allclose(model.speech_["group_offset"], point["values"])
    assert "neutral_offset" not in model.speech_


def test_the_trade_off_curve_shows_what_a_lower_neutral_costs_calm_interviews():
    res = json.loads(
        (CONFIG.parents[3] / "benchmarks" / "results" / "emotion_operating_point.json").read_text()
    )
    curve = pd.DataFrame(
        [{"d": r["neutral_offset"], "mlss": r["mlss_unlabelled"]["emotional_share"],
          "xed": r["xed_calib"]["predicted_neutral_share"]} for r in res["neutral_offset_curve"]]
    )  # fmt: skip
    # a lower neutral makes both subtitles and calm interviews more emotional, monotonically
    assert curve["d"].is_monotonic_increasing
    assert curve["mlss"].is_monotonic_increasing and curve["xed"].is_monotonic_decreasing
    assert curve["mlss"].iloc[-1] > 3 * curve["mlss"].iloc[2]
