"""Inter-coder agreement: Cohen's kappa and Krippendorff's alpha, per code and overall.

Coding is multi-label, so every code is a yes/no decision per segment. For each
pair of coders (human–human, human–model) and each code, the segments both coders
judged are counted in four cells (both applied it, only A, only B, neither), and
kappa and alpha are computed from them. Overall figures pool every (segment, code)
decision.

Uncoded segments are counted, not dropped, and not silently added: the units are
the ``segments`` you say were judged (e.g. the sample a human coded). A segment in
that list that a coder gave no code to is a "no" for every code from that coder;
a segment outside it does not count at all. Without ``segments``, the units are
the segments at least one coder coded — then "neither" only arises between codes,
never from text nobody looked at, which is what inflates kappa in tools that count
uncoded characters. The table reports ``neither`` so the effect is visible, and
``kappa_coded``, computed only on segments that either coder coded with some code.

Examples
--------
>>> import pandas as pd
>>> codes = pd.DataFrame({"segment_id": ["s1", "s2", "s1", "s3"],
...                       "code": ["Price", "Price", "Price", "Price"],
...                       "coder": ["ann", "ann", "bob", "bob"]})
>>> t = agreement(codes, segments=["s1", "s2", "s3", "s4"])
>>> t.loc[t.code == "Price", ["both", "only_a", "only_b", "neither"]].iloc[0].tolist()
[1, 1, 1, 1]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

from insights.schema import AGREEMENT_COLUMNS, InputError, require_columns

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "agreement",
    "cohen_kappa",
    "krippendorff_alpha",
    "ALL_CODES",
    "code_gate",
    "DEFAULT_GATE",
]


ALL_CODES = "(all codes)"


def cohen_kappa(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's kappa of two label vectors (NaN when chance agreement is 1)."""
    a, b = np.asarray(a), np.asarray(b)
    if len(a) == 0:
        return float("nan")
    labels = np.union1d(a, b)
    po = float((a == b).mean())
    pe = float(sum((a == v).mean() * (b == v).mean() for v in labels))
    if pe >= 1.0:
        return float("nan")
    return (po - pe) / (1.0 - pe)


def krippendorff_alpha(data: np.ndarray) -> float:
    """Krippendorff's alpha (nominal) of a (coders, units) array; NaN = missing.

    Uses the ``krippendorff`` package; NaN when there is no variation at all.
    """
    data = np.asarray(data, dtype=float)
    if data.size == 0:
        return float("nan")
    values = data[~np.isnan(data)]
    if len(np.unique(values)) < 2:
        return float("nan")
    import krippendorff

    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def agreement(
    codes: pd.DataFrame,
    *,
    segments: Iterable[str] | None = None,
    coders: Sequence[str] | None = None,
    codes_list: Sequence[str] | None = None,
    min_confidence: float = 0.5,
) -> pd.DataFrame:
    """Agreement of every pair of coders, per code and overall.

    Parameters
    ----------
    codes : DataFrame
        Long table ``segment_id, code, coder`` (a ``confidence`` column, if any,
        keeps rows with ``confidence >= min_confidence``: rejected decisions drop out).
        Combine the model's codes.csv and human CSVs with ``pd.concat``.
    segments : iterable of str, optional
        The segments every coder judged; the units of agreement (see module notes).
    coders : sequence of str, optional
        Coders to compare (default: every coder in ``codes``, in order of appearance).
    codes_list : sequence of str, optional
        Codes to report (default: every code any compared coder used).

    Returns
    -------
    DataFrame with ``coder_a, coder_b, code, n_segments, both, only_a, only_b,
    neither, percent_agreement, kappa, alpha, kappa_coded``; ``code`` is
    ``"(all codes)"`` for the pooled figures. With three or more coders, rows with
    ``coder_b == "(all coders)"`` give Krippendorff's alpha over all of them.
    """
    import pandas as pd

    require_columns(
        codes,
        ["segment_id", "code", "coder"],
        table="codes",
        fix="give the table the columns segment_id, code, coder (one row per code applied)",
    )
    df = codes.copy()
    df["segment_id"] = df["segment_id"].astype(str)
    df["coder"] = df["coder"].astype(str)
    if "confidence" in df.columns:
        conf = pd.to_numeric(df["confidence"], errors="coerce").fillna(1.0)
        df = df[conf >= min_confidence]
    all_coders = list(dict.fromkeys(codes["coder"].astype(str)))
    coders = list(coders) if coders is not None else all_coders
    missing = [c for c in coders if c not in all_coders]
    if missing:
        raise InputError(
            f"no codes from coder(s) {', '.join(missing)}",
            fix=f"use some of: {', '.join(all_coders)}",
        )
    if len(coders) < 2:
        raise InputError(
            "agreement needs codes from at least two coders",
            fix="concatenate the human codes and the model's codes (column 'coder')",
        )
    df = df[df["coder"].isin(coders)]
    units = (
        list(dict.fromkeys(str(s) for s in segments))
        if segments is not None
        else sorted(set(df["segment_id"]))
    )
    if not units:
        raise InputError(
            "there are no segments to compare", fix="pass segments= the ids the coders judged"
        )
    unit_set = set(units)
    outside = sorted(set(df["segment_id"]) - unit_set)
    df = df[df["segment_id"].isin(unit_set)]
    names = list(codes_list) if codes_list is not None else sorted(set(df["code"]))
    index = {u: i for i, u in enumerate(units)}
    cidx = {c: j for j, c in enumerate(names)}
    tensor = np.zeros((len(coders), len(units), len(names)), dtype=np.int8)
    for k, coder in enumerate(coders):
        sub = df[(df["coder"] == coder) & df["code"].isin(cidx)]
        tensor[k, sub["segment_id"].map(index).to_numpy(), sub["code"].map(cidx).to_numpy()] = 1

    rows = []
    for ka, kb in combinations(range(len(coders)), 2):
        A, B = tensor[ka], tensor[kb]
        coded = A.any(axis=1) | B.any(axis=1)
        for j, name in enumerate(names):
            rows.append(_row(coders[ka], coders[kb], name, A[:, j], B[:, j], coded))
        rows.append(
            _row(
                coders[ka],
                coders[kb],
                ALL_CODES,
                A.ravel(),
                B.ravel(),
                np.repeat(coded, len(names)),
            )
        )
    if len(coders) > 2:
        for j, name in enumerate([*names, ALL_CODES]):
            data = tensor[:, :, j] if name != ALL_CODES else tensor.reshape(len(coders), -1)
            rows.append(
                {
                    "coder_a": "(all coders)",
                    "coder_b": "(all coders)",
                    "code": name,
                    "n_segments": len(units),
                    "alpha": krippendorff_alpha(data),
                }
            )
    out = pd.DataFrame(rows, columns=list(AGREEMENT_COLUMNS))
    out.attrs["segments_outside_units"] = outside
    for col in ("percent_agreement", "kappa", "alpha", "kappa_coded"):
        out[col] = out[col].astype(float).round(4)
    return out


def _row(
    a_name: str, b_name: str, code: str, a: np.ndarray, b: np.ndarray, coded: np.ndarray
) -> dict:
    a = a.astype(int)
    b = b.astype(int)
    return {
        "coder_a": a_name,
        "coder_b": b_name,
        "code": code,
        "n_segments": int(len(a)) if code != ALL_CODES else int(len(coded)),
        "both": int(((a == 1) & (b == 1)).sum()),
        "only_a": int(((a == 1) & (b == 0)).sum()),
        "only_b": int(((a == 0) & (b == 1)).sum()),
        "neither": int(((a == 0) & (b == 0)).sum()),
        "percent_agreement": float((a == b).mean()) if len(a) else float("nan"),
        "kappa": cohen_kappa(a, b),
        "alpha": krippendorff_alpha(np.vstack([a, b])),
        "kappa_coded": cohen_kappa(a[coded], b[coded]),
    }


#: a code is applied without review when its human-model alpha reaches this (Krippendorff's
#: own bar for tentative conclusions); a study sets its own with ``code_gate`` in study.yaml
DEFAULT_GATE = 0.667


def _binary_alpha(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Nominal alpha of two coders' yes/no values, rows = resamples (no missing values).

    With ``N`` units, ``D`` disagreements and ``n0`` / ``n1`` the zeros and ones among
    the ``2N`` values, alpha = 1 - (2N - 1) D / (n0 n1) (NaN without variation).
    """
    a, b = np.atleast_2d(a), np.atleast_2d(b)
    n = 2 * a.shape[1]
    dis = (a != b).sum(axis=1)
    ones = a.sum(axis=1) + b.sum(axis=1)
    expected = ones * (n - ones)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(expected > 0, 1.0 - (n - 1) * dis / expected, np.nan)


def code_gate(
    pairs: pd.DataFrame | None,
    *,
    codes: Sequence[str] | None = None,
    gate: float = DEFAULT_GATE,
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int = 0,
) -> pd.DataFrame:
    """Per code, human-model Krippendorff's alpha over the human decisions, and the gate.

    Parameters
    ----------
    pairs : DataFrame
        One row per human decision: ``code``, ``human`` (1 accepted, 0 rejected) and
        ``model`` (1 when the model, not taught this decision, applies the code).
    gate : float
        A code passes when its alpha is at least this.
    codes : sequence of str, optional
        Every code to report, in this order (a code without decisions gets a row with
        ``n_decisions`` 0, no alpha, and does not pass).
    n_boot : int
        Bootstrap resamples of the decisions for the interval.

    Returns
    -------
    DataFrame with ``code, n_decisions, accepted, model_applied, alpha, alpha_low,
    alpha_high, passes`` (one row per code, codes in order of appearance). ``passes``
    is False where alpha is NaN (too few decisions, or no variation).

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"code": ["Price"] * 6, "human": [1, 1, 1, 0, 0, 0],
    ...                       "model": [1, 1, 1, 0, 0, 1]})
    >>> code_gate(pairs, n_boot=200)[["code", "n_decisions", "alpha", "passes"]]
        code  n_decisions  alpha  passes
    0  Price            6  0.686    True
    """
    import pandas as pd

    if pairs is None:
        pairs = pd.DataFrame(columns=["code", "human", "model"])
    require_columns(pairs, ["code", "human", "model"], table="decision pairs")
    rng = np.random.default_rng(random_state)
    rows = []
    for code, sub in pairs.groupby("code", sort=False):
        h = sub["human"].to_numpy(dtype=int)
        m = sub["model"].to_numpy(dtype=int)
        alpha = float(_binary_alpha(h, m)[0])
        low = high = float("nan")
        if len(h) >= 2 and n_boot:
            idx = rng.integers(0, len(h), size=(n_boot, len(h)))
            boot = _binary_alpha(h[idx], m[idx])
            boot = boot[~np.isnan(boot)]
            if len(boot):
                tail = (1 - level) / 2 * 100
                low, high = (float(v) for v in np.percentile(boot, [tail, 100 - tail]))
        rows.append(
            {
                "code": code,
                "n_decisions": len(h),
                "accepted": int(h.sum()),
                "model_applied": int(m.sum()),
                "alpha": round(alpha, 3) if not np.isnan(alpha) else np.nan,
                "alpha_low": round(low, 3) if not np.isnan(low) else np.nan,
                "alpha_high": round(high, 3) if not np.isnan(high) else np.nan,
                "passes": bool(not np.isnan(alpha) and alpha >= gate),
            }
        )
    cols = ["code", "n_decisions", "accepted", "model_applied", "alpha", "alpha_low"]
    out = pd.DataFrame(rows, columns=[*cols, "alpha_high", "passes"])
    if codes is not None:
        seen = set(out["code"])
        extra = pd.DataFrame(
            [
                {"code": c, "n_decisions": 0, "accepted": 0, "model_applied": 0, "passes": False}
                for c in codes
                if c not in seen
            ],
            columns=out.columns,
        )
        out = pd.concat([out, extra], ignore_index=True) if len(extra) else out
        rank = {c: i for i, c in enumerate(codes)}
        out = out.sort_values("code", key=lambda s: s.map(rank).fillna(len(rank)), kind="stable")
        out = out.reset_index(drop=True)
    out["passes"] = out["passes"].astype(bool)
    return out
