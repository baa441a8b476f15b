import numpy as np
import pandas as pd
import pytest

from insights.schema import InputError
from insights.summarize import ALL_CODES, agreement, cohen_kappa, krippendorff_alpha


def test_kappa_matches_hand_computation():
    a = np.array([1, 1, 0, 0, 1, 0, 0, 0])
    b = np.array([1, 0, 0, 0, 1, 1, 0, 0])
    # po = 6/8; pe = (3/8)(3/8) + (5/8)(5/8) = 34/64
    assert cohen_kappa(a, b) == pytest.approx((0.75 - 34 / 64) / (1 - 34 / 64))
    assert np.isnan(cohen_kappa(np.zeros(4), np.zeros(4)))


def test_alpha_perfect_and_missing_values():
    assert krippendorff_alpha(np.array([[1, 0, 1, 0], [1, 0, 1, 0]])) == pytest.approx(1.0)
    assert krippendorff_alpha(np.array([[1, 0, np.nan, 0], [1, 0, 1, 0]])) == pytest.approx(1.0)


def codes():
    return pd.DataFrame(
        {
            "segment_id": ["s1", "s2", "s1", "s3", "s1", "s2", "s4"],
            "code": ["Price", "Price", "Price", "Price", "Support", "Support", "Support"],
            "coder": ["ann", "ann", "bob", "bob", "ann", "bob", "ann"],
        }
    )


def test_uncoded_segments_are_counted_only_when_judged():
    few = agreement(codes(), segments=["s1", "s2", "s3", "s4"])
    many = agreement(codes(), segments=[f"s{i}" for i in range(1, 41)])
    p_few = few[few.code == "Price"].iloc[0]
    p_many = many[many.code == "Price"].iloc[0]
    assert (p_few.both, p_few.only_a, p_few.only_b, p_few.neither) == (1, 1, 1, 1)
    assert p_many.neither == 37
    # 36 extra uncoded segments inflate raw kappa, but not kappa on coded segments
    assert p_many.kappa > p_few.kappa
    assert p_many.kappa_coded == pytest.approx(p_few.kappa_coded)


def test_overall_row_pools_every_decision():
    t = agreement(codes(), segments=["s1", "s2", "s3", "s4"])
    overall = t[t.code == ALL_CODES].iloc[0]
    assert overall.n_segments == 8  # 4 segments x 2 codes
    assert overall.both + overall.only_a + overall.only_b + overall.neither == 8


def test_rejected_decisions_and_three_coders():
    c = pd.concat(
        [
            codes(),
            pd.DataFrame(
                {
                    "segment_id": ["s1", "s2"],
                    "code": ["Price", "Support"],
                    "coder": ["insights", "insights"],
                    "confidence": [0.9, 0.2],
                }
            ),
        ]
    )
    t = agreement(c, segments=["s1", "s2", "s3", "s4"])
    assert set(zip(t.coder_a, t.coder_b, strict=True)) >= {
        ("ann", "bob"),
        ("ann", "insights"),
        ("bob", "insights"),
    }
    row = t[(t.coder_a == "ann") & (t.coder_b == "insights") & (t.code == "Support")].iloc[0]
    assert row.both == 0 and row.only_a == 2  # the 0.2 coding is below min_confidence
    assert ((t.coder_a == "(all coders)") & t.alpha.notna()).any()


def test_needs_two_coders():
    with pytest.raises(InputError, match="at least two coders"):
        agreement(codes()[codes().coder == "ann"])
