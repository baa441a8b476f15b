"""The tables a theme model derives from the theme of each segment.

:func:`fitted_tables` makes the centroids, ``assignments_`` and ``themes_`` of the
fitted segments (after a fit, a load and every edit); :func:`nearest_themes`
assigns new vectors to the centroids; :func:`summary_table` makes a themes table
for new assignments. People are counted by :func:`insights.schema.person_key`.

Examples
--------
>>> import numpy as np
>>> probabilities(np.array([0.9, 0.8, 0.1])).round(3).tolist()
[0.881, 0.119, 0.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from insights.schema import (
    ASSIGNMENT_COLUMNS,
    THEME_COLUMNS,
    THEME_EXTRA_COLUMNS,
    person_key,
    segment_ids,
)
from insights.themes._backends import l2_normalise

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "THEME_TABLE_COLUMNS",
    "fitted_tables",
    "nearest_themes",
    "pick_quotes",
    "probabilities",
    "summary_table",
    "talk_shares",
    "theme_centroids",
]

#: columns of ``ThemeModel.themes_`` and of :func:`summary_table`
THEME_TABLE_COLUMNS: tuple[str, ...] = (*THEME_COLUMNS, *THEME_EXTRA_COLUMNS)


def talk_shares(persons: Sequence[Any], themes: Sequence[int]) -> pd.DataFrame:
    """How much of each person's talk each theme takes, and who dwells on it.

    The one home of "dwelling": a person dwells on a theme when they have more than
    one segment in it *and* more than their own average per theme (their segments
    over the number of themes). Mentioning a theme once is not dwelling on it.

    Parameters
    ----------
    persons : sequence
        The person of each segment (``None``: nobody).
    themes : sequence of int
        The theme of each segment (-1: none; counted in a person's talk, never a theme).

    Returns
    -------
    DataFrame
        One row per theme (not -1): ``theme_id``, ``talk_share`` (the mean, over every
        person, of the share of their segments in the theme: the themes' shares add up
        to the share of talk in a theme) and ``dwellers`` (people who dwell on it).

    Examples
    --------
    >>> talk_shares(["a", "a", "a", "b", "b", "b"], [0, 0, 1, 1, 1, 1]).values.tolist()
    [[0.0, 0.3333, 1.0], [1.0, 0.6667, 1.0]]
    """
    import pandas as pd

    df = pd.DataFrame({"person": list(persons), "theme_id": np.asarray(themes, dtype=int)})
    df = df[df["person"].notna()]
    ids = sorted(t for t in set(df["theme_id"].tolist()) if t != -1)
    if df.empty or not ids:
        return pd.DataFrame({"theme_id": ids, "talk_share": 0.0, "dwellers": 0})
    counts = pd.crosstab(df["person"], df["theme_id"])
    total = counts.sum(axis=1)
    counts = counts[[t for t in ids if t in counts.columns]]
    share = counts.div(total, axis=0)
    average = total / len(ids)
    dwell = (counts >= 2) & counts.gt(average, axis=0)
    return pd.DataFrame(
        {
            "theme_id": counts.columns.astype(int),
            "talk_share": share.mean(axis=0).round(4).to_numpy(),
            "dwellers": dwell.sum(axis=0).astype(int).to_numpy(),
        }
    ).astype({"theme_id": float, "talk_share": float, "dwellers": float})


def probabilities(sim_row: np.ndarray, temperature: float = 0.05) -> np.ndarray:
    """Softmax of one segment's cosine to each centroid, at ``temperature``."""
    z = (sim_row - sim_row.max()) / temperature
    e = np.exp(z)
    return e / e.sum()


def theme_centroids(vectors: np.ndarray, theme_of_doc: np.ndarray) -> tuple[list[int], np.ndarray]:
    """Each theme's (not -1) ids, sorted, and its centroid: the unit-length mean of its vectors.

    Examples
    --------
    >>> ids, cents = theme_centroids(np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]]),
    ...                              np.array([4, 4, -1]))
    >>> ids, [round(float(x), 3) for x in cents[0]]
    ([4], [0.447, 0.894])
    """
    ids = sorted(t for t in set(theme_of_doc.tolist()) if t != -1)
    if not ids:
        return [], np.zeros((0, vectors.shape[1]), dtype=np.float32)
    cents = np.stack([vectors[theme_of_doc == t].mean(axis=0) for t in ids])
    return ids, l2_normalise(cents).astype(np.float32)


def nearest_themes(
    vectors: np.ndarray, centroids: np.ndarray, centroid_ids: Sequence[int], min_similarity: float
) -> tuple[np.ndarray, np.ndarray]:
    """The nearest centroid of each vector (-1 below ``min_similarity``), and its probability.

    Returns
    -------
    theme : ndarray of int
    probability : ndarray of float
        Rounded to 4 places; NaN where ``theme`` is -1.
    """
    sims = vectors @ centroids.T
    best = sims.argmax(axis=1)
    best_sim = sims[np.arange(len(best)), best]
    p = np.array([probabilities(r)[b] for r, b in zip(sims, best, strict=True)])
    chosen = np.array(centroid_ids)[best]
    chosen[best_sim < min_similarity] = -1
    return chosen, np.where(chosen == -1, np.nan, p.round(4))


def pick_quotes(
    members: np.ndarray,
    sim: np.ndarray | None,
    docs: Sequence[str],
    participants: Sequence[Any],
    n_quotes: int,
) -> list[int]:
    """Representative quotes of a theme.

    They are its segments nearest the centroid, one per participant first, of six words
    or more when there are such.

    Parameters
    ----------
    members : ndarray of int
        Positions of the theme's segments.
    sim : ndarray, optional
        Cosine of every segment to the theme's centroid (none for outliers).
    docs, participants : sequence
        Text and participant id of every segment.
    n_quotes : int

    Returns
    -------
    list of int
        Positions of the quotes.
    """
    if not len(members):
        return []
    order = members[np.argsort(-sim[members], kind="stable")] if sim is not None else members
    order = [i for i in order if len(docs[i].split()) >= 6] or list(order)
    chosen, seen = [], set()
    for i in order:  # one quote per participant first
        p = participants[i]
        if p in seen and p is not None:
            continue
        chosen.append(int(i))
        seen.add(p)
        if len(chosen) == n_quotes:
            return chosen
    for i in order:
        if int(i) not in chosen:
            chosen.append(int(i))
        if len(chosen) == n_quotes:
            break
    return chosen


def fitted_tables(
    *,
    ids: Sequence[str],
    docs: Sequence[str],
    vectors: np.ndarray,
    persons: Sequence[str],
    participants: Sequence[Any],
    theme_of_doc: np.ndarray,
    excluded_ids: Sequence[str],
    excluded_reasons: Sequence[str],
    labels: dict[int, str],
    keywords: dict[int, list[str]],
    n_quotes: int,
    stability: dict[int, float] | None = None,
    codebook_codes: dict[int, str] | None = None,
) -> tuple[list[int], np.ndarray, pd.DataFrame, pd.DataFrame]:
    """Centroids, assignments and themes of the fitted segments.

    Parameters
    ----------
    ids, docs, vectors, persons, participants, theme_of_doc
        Of each fitted segment: id, text, vector, person
        (:func:`insights.schema.person_key`), participant id and theme (-1: none).
    excluded_ids, excluded_reasons
        The segments left out, and why.
    labels, keywords
        Of each theme.
    n_quotes : int
        Quotes per theme.
    stability, codebook_codes : dict, optional
        Of each theme, when known: see :class:`~insights.themes.ThemeModel`.

    Returns
    -------
    centroid_ids : list of int
    centroids : ndarray
    assignments : DataFrame
        ``segment_id, theme_id, probability, excluded``: fitted segments, then excluded ones.
    themes : DataFrame
        :data:`THEME_TABLE_COLUMNS`, largest theme first, outliers last.
    """
    import pandas as pd

    centroid_ids, centroids = theme_centroids(vectors, theme_of_doc)
    cidx = {t: i for i, t in enumerate(centroid_ids)}
    sims = vectors @ centroids.T if len(centroid_ids) else None
    prob = np.full(len(docs), np.nan)
    for i, t in enumerate(theme_of_doc):
        if t != -1 and sims is not None:
            prob[i] = probabilities(sims[i])[cidx[t]]
    fitted = pd.DataFrame(
        {
            "segment_id": ids,
            "theme_id": theme_of_doc.astype(int),
            "probability": prob.round(4),
            "excluded": "",
        }
    )
    excluded = pd.DataFrame(
        {
            "segment_id": excluded_ids,
            "theme_id": -1,
            "probability": np.nan,
            "excluded": excluded_reasons,
        }
    )
    assignments = pd.concat([fitted, excluded], ignore_index=True)
    assignments = assignments[[*ASSIGNMENT_COLUMNS, "excluded"]]

    everyone = {p for p in persons if p is not None}
    stability, codebook_codes = stability or {}, codebook_codes or {}
    shares = talk_shares(persons, theme_of_doc).set_index("theme_id")
    rows = []
    for t in [*centroid_ids, *([-1] if (theme_of_doc == -1).any() else [])]:
        members = np.flatnonzero(theme_of_doc == t)
        people = {persons[i] for i in members if persons[i] is not None}
        sim = sims[:, cidx[t]] if t in cidx else None
        quotes = pick_quotes(members, sim, docs, participants, n_quotes)
        rows.append(
            {
                "theme_id": int(t),
                "label": labels.get(t, "Outliers") if t != -1 else "Outliers (no theme)",
                "keywords": "; ".join(keywords.get(t, [])),
                "size": int(len(members)),
                "prevalence": round(len(people) / len(everyone), 4) if everyone else 0.0,
                "quotes": "; ".join(ids[i] for i in quotes),
                "participants": len(people),
                "quote_texts": " | ".join(docs[i] for i in quotes),
                **_extra(t, shares, stability, codebook_codes),
            }
        )
    themes = pd.DataFrame(rows, columns=list(THEME_TABLE_COLUMNS))
    if not themes.empty:
        themes = themes.sort_values(["size", "theme_id"], ascending=[False, True])
        themes = pd.concat([themes[themes.theme_id != -1], themes[themes.theme_id == -1]])
    return centroid_ids, centroids, assignments, themes.reset_index(drop=True)


def _extra(
    t: int, shares: pd.DataFrame, stability: dict[int, float], codebook_codes: dict[int, str]
) -> dict[str, Any]:
    """The talk share, dwellers, stability and codebook code of theme ``t``."""
    known = t in shares.index
    return {
        "talk_share": float(shares.at[t, "talk_share"]) if known else np.nan,
        "dwellers": int(shares.at[t, "dwellers"]) if known else 0,
        "stability": stability.get(t, np.nan),
        "codebook_code": codebook_codes.get(t, ""),
    }


def summary_table(
    segments: pd.DataFrame,
    assignments: pd.DataFrame,
    *,
    theme_ids: Sequence[int],
    labels: dict[int, str],
    keywords: dict[int, list[str]],
    n_quotes: int,
    stability: dict[int, float] | None = None,
    codebook_codes: dict[int, str] | None = None,
) -> pd.DataFrame:
    """A themes table (:data:`THEME_TABLE_COLUMNS`) of ``assignments`` of ``segments``.

    Parameters
    ----------
    segments : DataFrame
        The segments assigned (``text``; ids by :func:`insights.schema.segment_ids`).
    assignments : DataFrame
        ``segment_id, theme_id, probability`` and, when present, ``excluded``: rows
        with a reason are not counted.
    theme_ids : sequence of int
        The themes, in their order (outliers come after them when there are any).
    labels, keywords
        Of each theme.
    n_quotes : int
        Quotes per theme: most probable first, one per participant (else per
        transcript) first.
    stability, codebook_codes : dict, optional
        Of each theme (from the fit).

    Returns
    -------
    DataFrame
        Largest theme first.
    """
    import pandas as pd

    seg = segments.assign(segment_id=segment_ids(segments).to_numpy()).reset_index(drop=True)
    a = assignments.assign(segment_id=assignments["segment_id"].astype(str))
    df = seg.merge(a[["segment_id", "theme_id", "probability"]], on="segment_id", how="inner")
    if "excluded" in a.columns:
        used = df[a.set_index("segment_id").loc[df["segment_id"], "excluded"].to_numpy() == ""]
    else:
        used = df
    person = person_key(used)
    everyone = person.nunique()
    if "participant_id" in df.columns and df["participant_id"].notna().any():
        quote_unit = "participant_id"
    else:
        quote_unit = "transcript_id" if "transcript_id" in df.columns else "segment_id"
    shares = talk_shares(person.tolist(), used["theme_id"].tolist()).set_index("theme_id")
    rows = []
    for t in [*theme_ids, -1]:
        in_theme = used["theme_id"] == t
        m = used[in_theme]
        if t == -1 and m.empty:
            continue
        m = m.sort_values("probability", ascending=False, kind="stable")
        long_enough = m["text"].str.split().str.len() >= 6
        m = m[long_enough] if long_enough.any() else m
        q = m.drop_duplicates(quote_unit).head(n_quotes)
        if len(q) < n_quotes:
            q = pd.concat([q, m[~m["segment_id"].isin(q["segment_id"])].head(n_quotes - len(q))])
        people = int(person[in_theme].nunique())
        rows.append(
            {
                "theme_id": int(t),
                "label": labels.get(t, "Outliers (no theme)"),
                "keywords": "; ".join(keywords.get(t, [])),
                "size": int(in_theme.sum()),
                "prevalence": round(people / everyone, 4) if everyone else 0.0,
                "quotes": "; ".join(q["segment_id"]),
                "participants": people,
                "quote_texts": " | ".join(q["text"]),
                **_extra(t, shares, stability or {}, codebook_codes or {}),
            }
        )
    out = pd.DataFrame(rows, columns=list(THEME_TABLE_COLUMNS))
    out = out.sort_values(["size", "theme_id"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)
