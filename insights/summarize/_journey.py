"""Emotional journeys: mean valence at each stage of the customer journey (top-level codes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from insights.schema import person_key

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def root_code(code: str, parents: dict[str, str | None] | None) -> str:
    """The top-level ancestor of ``code`` (``parents`` maps a code to its parent).

    >>> root_code("Price rise", {"Price rise": "Price and billing", "Price and billing": None})
    'Price and billing'
    """
    seen: set[str] = set()
    while parents and parents.get(code) and code not in seen:
        seen.add(code)
        code = str(parents[code])
    return code


def stage_valence(
    emotions: pd.DataFrame,
    codes: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    parents: dict[str, str | None] | None = None,
    order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Everyone's emotional journey: mean valence of the segments at each stage.

    A stage is a top-level code (:func:`root_code`); a segment counts at every stage one
    of its codes (confidence > 0) belongs to. ``order`` gives the stages' order (e.g.
    the codebook's top-level codes); others follow by name. Returns ``stage, valence,
    negative_share, segments, participants, evidence`` (evidence: the stage's most
    negative and most positive segments, up to four).

    Examples
    --------
    >>> import pandas as pd
    >>> segs = pd.DataFrame({"segment_id": ["a", "b", "c"], "participant_id": ["P1", "P2", "P2"]})
    >>> emo = pd.DataFrame({"segment_id": ["a", "b", "c"], "valence": [0.5, -0.8, -0.4]})
    >>> codes = pd.DataFrame({"segment_id": ["a", "b", "c"],
    ...                       "code": ["Sign-up", "Engineer", "Engineer"],
    ...                       "confidence": 1.0})
    >>> stage_valence(emo, codes, segs, parents={"Engineer": "Install"},
    ...               order=["Sign-up", "Install"])[
    ...     ["stage", "valence", "segments", "participants"]].values.tolist()
    [['Sign-up', 0.5, 1, 1], ['Install', -0.6, 2, 1]]
    """
    import pandas as pd

    c = codes.assign(segment_id=codes["segment_id"].astype(str))
    c = c[c["confidence"].fillna(1) > 0] if "confidence" in c.columns else c
    c = c.assign(stage=[root_code(x, parents) for x in c["code"]])[
        ["segment_id", "stage"]
    ].drop_duplicates()
    emo = emotions.assign(segment_id=emotions["segment_id"].astype(str))[
        ["segment_id", "valence"]
    ].dropna()
    who = pd.DataFrame(
        {"segment_id": segments["segment_id"].astype(str), "_p": person_key(segments)}
    )
    m = c.merge(emo, on="segment_id").merge(who, on="segment_id")
    cols = ["stage", "valence", "negative_share", "segments", "participants", "evidence"]
    if m.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for stage, g in m.groupby("stage", sort=False):
        g = g.sort_values("valence", kind="stable")
        ev = list(dict.fromkeys([*g["segment_id"].head(2), *g["segment_id"].tail(2)[::-1]]))
        rows.append(
            {
                "stage": stage,
                "valence": round(float(g["valence"].mean()), 4),
                "negative_share": round(float((g["valence"] < 0).mean()), 4),
                "segments": len(g),
                "participants": int(g["_p"].nunique()),
                "evidence": ev,
            }
        )
    out = pd.DataFrame(rows, columns=cols)
    rank = {s: i for i, s in enumerate(order or [])}
    out = out.assign(_o=[(rank.get(s, len(rank)), str(s)) for s in out["stage"]]).sort_values(
        "_o", kind="stable"
    )
    return out.drop(columns="_o").reset_index(drop=True)


def journey(
    segments: pd.DataFrame,
    emotions: pd.DataFrame,
    *,
    person: str,
    codes: pd.DataFrame | None = None,
    parents: dict[str, str | None] | None = None,
) -> pd.DataFrame:
    """One person's emotional journey: their segments in order, grouped into stages.

    A segment's stage is the top-level code of its most confident code (``parents``
    maps a code to its parent, e.g. ``{c.name: c.parent for c in codebook.codes}``);
    consecutive segments of one stage make one step, and segments without a code
    join the step before them. Without ``codes`` the steps are the person's turns.

    Returns ``step, stage, valence, top_emotion, n_segments, segment_ids, quote_id``:
    mean valence of the step's scored segments, their most frequent Ekman group
    besides neutral (``neutral`` when none; approval noted by the emotion stage,
    :func:`insights.emotions.approval_rows`, is not joy), and the most intense segment
    as quote.

    Examples
    --------
    >>> import pandas as pd
    >>> segs = pd.DataFrame({"segment_id": ["a", "b", "c"], "participant_id": "P1",
    ...                      "transcript_id": "t", "turn": [1, 3, 5], "text": ["x", "y", "z"]})
    >>> emo = pd.DataFrame({"segment_id": ["a", "b", "c"], "valence": [0.5, -0.8, -0.4],
    ...                     "ekman": ["joy", "anger", "anger"], "intensity": [0.5, 0.9, 0.4]})
    >>> codes = pd.DataFrame({"segment_id": ["a", "b"], "code": ["Sign-up", "Engineer visit"],
    ...                       "confidence": [0.9, 0.8]})
    >>> journey(segs, emo, person="P1", codes=codes, parents={"Engineer visit": "Installation"})[
    ...     ["stage", "valence", "top_emotion", "n_segments"]].values.tolist()
    [['Sign-up', 0.5, 'joy', 1], ['Installation', -0.6, 'anger', 2]]
    """
    import pandas as pd

    seg = segments.assign(segment_id=segments["segment_id"].astype(str), _p=person_key(segments))
    seg = seg[seg["_p"] == str(person)]
    if seg.empty:
        from insights.schema import InputError

        raise InputError(
            f"nobody called {person!r} in the segments",
            fix="use a participant_id (or transcript:speaker)",
        )
    from insights.emotions import approval_rows

    emo = emotions.assign(segment_id=emotions["segment_id"].astype(str))
    if "ekman" in emo.columns:
        # agreement and praise ("I agree.", "That sounds good.") are not the speaker's
        # joy: such a step's emotion is what else was felt in it, else neutral
        emo = emo.assign(ekman=emo["ekman"].mask(approval_rows(emo), "neutral"))
    seg = seg.merge(
        emo[["segment_id", *[c for c in ("valence", "ekman", "intensity") if c in emo.columns]]],
        on="segment_id",
        how="left",
    )
    order = [c for c in ("wave", "transcript_id", "turn", "char_start") if c in seg.columns]
    seg = seg.sort_values(order, kind="stable") if order else seg
    if codes is not None and len(codes):
        c = codes.assign(segment_id=codes["segment_id"].astype(str))
        c = c[c["confidence"].fillna(1) > 0] if "confidence" in c.columns else c
        best = (
            c.sort_values("confidence", ascending=False, kind="stable").drop_duplicates(
                "segment_id"
            )
            if "confidence" in c.columns
            else c.drop_duplicates("segment_id")
        )
        stage = dict(
            zip(best["segment_id"], (root_code(x, parents) for x in best["code"]), strict=True)
        )
        stages = pd.Series(
            [stage.get(s) for s in seg["segment_id"]], index=seg.index, dtype=object
        ).ffill()
        stages = stages.fillna("(before the first coded segment)")
    else:
        stages = (
            ("turn " + seg["turn"].astype(str))
            if "turn" in seg.columns
            else pd.Series("all", index=seg.index)
        )
    seg = seg.assign(_stage=stages.to_numpy(), _step=(stages != stages.shift()).cumsum().to_numpy())
    rows = []
    for step, g in seg.groupby("_step", sort=True):
        ek = g["ekman"].dropna().astype(str) if "ekman" in g.columns else pd.Series(dtype=str)
        ek = ek[~ek.isin(("", "neutral"))]
        inten = (
            g["intensity"].fillna(-1) if "intensity" in g.columns else pd.Series(0, index=g.index)
        )
        val = g["valence"].mean() if "valence" in g.columns else float("nan")
        rows.append(
            {
                "step": int(step),
                "stage": g["_stage"].iloc[0],
                "valence": round(float(val), 4) if pd.notna(val) else float("nan"),
                "top_emotion": ek.value_counts().index[0] if len(ek) else "neutral",
                "n_segments": len(g),
                "segment_ids": ";".join(g["segment_id"]),
                "quote_id": g["segment_id"].loc[inten.idxmax()],
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "step",
            "stage",
            "valence",
            "top_emotion",
            "n_segments",
            "segment_ids",
            "quote_id",
        ],
    )
