"""Waves: what changed between waves of interviews, tested on people.

The test is Fisher's exact test, with BH q-values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from insights.schema import person_key

from ._people import participant_segments, prevalence

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Two-sided Fisher exact p-value of the 2x2 table ``[[a, b], [c, d]]``.

    Suited to the small counts of qualitative studies (no large-sample
    approximation): the sum of the hypergeometric probabilities of every table with
    the same margins that is no more likely than the observed one (as R and scipy).

    Examples
    --------
    >>> round(fisher_exact(8, 2, 1, 5), 3)
    0.035
    """
    n1, n2, k, n = a + b, c + d, a + c, a + b + c + d
    if n == 0:
        return float("nan")
    denom = math.comb(n, k)

    def pmf(x: int) -> float:
        return math.comb(n1, x) * math.comb(n2, k - x) / denom

    lo, hi = max(0, k - n2), min(k, n1)
    p0 = pmf(a)
    return min(1.0, sum(p for p in (pmf(x) for x in range(lo, hi + 1)) if p <= p0 * (1 + 1e-7)))


def benjamini_hochberg(p: Sequence[float]) -> list[float]:
    """False-discovery-rate adjusted p-values (q-values) of ``p`` (NaN stays NaN)."""
    vals = [(i, x) for i, x in enumerate(p) if x == x]
    m = len(vals)
    q = [float("nan")] * len(p)
    prev = 1.0
    for rank, (i, x) in reversed(list(enumerate(sorted(vals, key=lambda t: t[1]), start=1))):
        prev = min(prev, x * m / rank)
        q[i] = min(prev, 1.0)
    return q


def wave_order(segments: pd.DataFrame, waves: Sequence[object] | None = None) -> list[object]:
    """The waves present in ``segments``, in the study's order (``waves``) or sorted."""
    present = [w for w in segments["wave"].dropna().unique()] if "wave" in segments.columns else []
    if waves:
        norm = {str(w): w for w in present}
        ordered = [norm[str(w)] for w in waves if str(w) in norm]
        return ordered + [w for w in present if str(w) not in {str(x) for x in ordered}]
    try:
        return sorted(present)
    except TypeError:
        return sorted(present, key=str)


def compare_waves(
    labels: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    waves: Sequence[object] | None = None,
    alpha: float = 0.05,
    kind: str = "",
) -> pd.DataFrame:
    """Which labels grew or shrank between consecutive waves, with a Fisher exact test.

    For each pair of consecutive waves (A, B) and each label: the people who
    mentioned it in A and in B (of those who spoke in that wave), the change in
    share (percentage points), the two-sided Fisher exact p-value on the 2x2 table
    (mentioned / not, A / B), its Benjamini-Hochberg q-value across the labels
    of the pair, and a ``direction``: ``grew`` / ``shrank`` when p < ``alpha``,
    ``grew (n.s.)`` / ``shrank (n.s.)`` / ``steady`` otherwise.

    Returns
    -------
    DataFrame with ``kind, label, wave_a, wave_b, n_a, base_a, share_a, n_b,
    base_b, share_b, change_pp, p_value, q_value, test, direction, evidence_a,
    evidence_b``, sorted by pair then p-value.
    """
    import pandas as pd

    cols = [
        "kind",
        "label",
        "wave_a",
        "wave_b",
        "n_a",
        "base_a",
        "share_a",
        "n_b",
        "base_b",
        "share_b",
        "change_pp",
        "p_value",
        "q_value",
        "test",
        "direction",
        "evidence_a",
        "evidence_b",
    ]
    order = wave_order(segments, waves)
    if len(order) < 2 or labels is None or labels.empty:
        return pd.DataFrame(columns=cols)
    p = prevalence(labels, segments, by="wave")
    idx = {(r["label"], str(r["wave"])): r for r in p.to_dict("records")}
    base_seg = participant_segments(segments)
    denom = (
        base_seg.assign(_person=person_key(base_seg))
        .dropna(subset=["wave"])
        .groupby("wave")["_person"]
        .nunique()
    )
    denom = {str(k): int(v) for k, v in denom.items()}
    rows = []
    all_labels = sorted(set(p["label"])) if len(p) else []
    for wa, wb in zip(order[:-1], order[1:], strict=True):
        ba, bb = denom.get(str(wa), 0), denom.get(str(wb), 0)
        pair_rows = []
        for lab in all_labels:
            ra, rb = idx.get((lab, str(wa))), idx.get((lab, str(wb)))
            na, nb = (ra["participants"] if ra else 0), (rb["participants"] if rb else 0)
            sa, sb = (na / ba if ba else float("nan")), (nb / bb if bb else float("nan"))
            pv = fisher_exact(na, ba - na, nb, bb - nb) if ba and bb else float("nan")
            pair_rows.append(
                {
                    "kind": kind,
                    "label": lab,
                    "wave_a": wa,
                    "wave_b": wb,
                    "n_a": na,
                    "base_a": ba,
                    "share_a": round(sa, 4),
                    "n_b": nb,
                    "base_b": bb,
                    "share_b": round(sb, 4),
                    "change_pp": round(100 * (sb - sa), 1),
                    "p_value": round(pv, 4) if pv == pv else pv,
                    "test": "Fisher exact (two-sided), people per wave",
                    "evidence_a": ra["evidence"] if ra else [],
                    "evidence_b": rb["evidence"] if rb else [],
                }
            )
        qs = benjamini_hochberg([r["p_value"] for r in pair_rows])
        for r, q in zip(pair_rows, qs, strict=True):
            r["q_value"] = round(q, 4) if q == q else q
            sig = r["p_value"] == r["p_value"] and r["p_value"] < alpha
            if r["change_pp"] > 0:
                r["direction"] = "grew" if sig else "grew (n.s.)"
            elif r["change_pp"] < 0:
                r["direction"] = "shrank" if sig else "shrank (n.s.)"
            else:
                r["direction"] = "steady"
        rows.extend(pair_rows)
    out = pd.DataFrame(rows, columns=cols)
    out["_abs"] = out["change_pp"].abs()
    out = out.sort_values(
        ["p_value", "_abs", "label"], ascending=[True, False, True], kind="stable"
    )
    return out.drop(columns="_abs").reset_index(drop=True)
