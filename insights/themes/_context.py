"""A sentence with no topic of its own takes the theme of the turn it is said in.

Interview talk is cut into sentences, and many of them only make sense next to the
one before: "I couldn't believe it.", "Two years of misery.", "And they did knock a
bit off." Fitted alone they gather into one theme that no keyword names ("Mixed
talk: asked, thought"), mentioned by nearly everyone and about nothing, while the
emotional peak of an account ("I was livid.") is lost to the theme it is about. A
researcher codes such a sentence with the passage around it; so does
:func:`themes_from_context`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from insights.schema import MIXED_TALK

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: the column of the assignments that names the segment a theme was taken from
FROM_COLUMN = "theme_from"
#: a sentence of mixed talk this short (in words) is read in its turn; a longer one says
#: what it is about (in a theme that only its label failed to name, "images, computer
#: vision, labeling", most sentences are longer: 8-23% of the sentences of named themes
#: have ten words or fewer on the sample and real studies, 50-70% of catch-all ones)
CONTEXT_MAX_WORDS = 10


def themes_from_context(
    assignments: pd.DataFrame,
    segments: pd.DataFrame,
    themes: pd.DataFrame,
    *,
    max_words: int = CONTEXT_MAX_WORDS,
) -> pd.DataFrame:
    """Give each short segment of mixed talk the theme of the nearest segment of its turn.

    A segment of at most ``max_words`` words assigned to a theme whose label starts with
    :data:`~insights.schema.MIXED_TALK` takes the theme of the nearest segment of the
    same turn (same ``transcript_id`` and ``turn``, in the order of ``segments``; the
    one before first when two are as near) that has a named theme. A turn with no such
    segment keeps its mixed talk. Segments left out of fitting (``theme_id`` -1) are
    not touched.

    Parameters
    ----------
    assignments : DataFrame
        ``segment_id, theme_id, probability, excluded``, as :meth:`ThemeModel.transform`
        returns them.
    segments : DataFrame
        ``segment_id, transcript_id, turn, text``, in transcript order.
    themes : DataFrame
        ``theme_id, label``.
    max_words : int
        Longer segments keep their theme.

    Returns
    -------
    DataFrame
        A copy of ``assignments`` with :data:`FROM_COLUMN`: the segment whose theme a
        segment took ("" when its own); a taken theme has no ``probability`` (NaN), so
        a theme's quotes stay its own segments.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"segment_id": ["a", "b", "c", "d"], "transcript_id": "t",
    ...                     "turn": [1, 1, 1, 2], "text": "I couldn't believe it."})
    >>> asg = pd.DataFrame({"segment_id": ["a", "b", "c", "d"], "theme_id": [0, 9, 1, 9],
    ...                     "probability": [0.8, 0.5, 0.7, 0.6], "excluded": ""})
    >>> th = pd.DataFrame({"theme_id": [0, 1, 9],
    ...                    "label": ["Engineer visit", "Bill", "Mixed talk: asked"]})
    >>> out = themes_from_context(asg, seg, th)
    >>> out["theme_id"].tolist(), out[FROM_COLUMN].tolist()
    ([0, 0, 1, 9], ['', 'a', '', ''])
    """
    import numpy as np

    out = assignments.copy()
    out[FROM_COLUMN] = ""
    if themes is None or not len(themes) or not len(out):
        return out
    labels = themes["label"].fillna("").astype(str)
    mixed = set(themes.loc[labels.str.startswith(MIXED_TALK), "theme_id"].astype(int))
    if not mixed:
        return out
    ids = out["segment_id"].astype(str)
    theme = dict(zip(ids, out["theme_id"].astype(int), strict=True))
    taken: dict[str, str] = {}
    order = segments[["segment_id", "transcript_id", "turn"]].astype({"segment_id": str})
    words = segments["text"].fillna("").astype(str).str.split().str.len()
    short = set(order.loc[(words <= max_words).to_numpy(), "segment_id"])
    for turn_ids in order.groupby(["transcript_id", "turn"], sort=False)["segment_id"]:
        members = list(turn_ids[1])
        own = [theme.get(s, -1) for s in members]
        named = [i for i, t in enumerate(own) if t != -1 and t not in mixed]
        if not named or len(named) == len(members):
            continue
        for i, t in enumerate(own):
            if t in mixed and members[i] in short:
                j = min(named, key=lambda k: (abs(k - i), k > i))
                taken[members[i]] = members[j]
    if not taken:
        return out
    rows = ids.isin(taken)
    source = ids[rows].map(taken)
    out.loc[rows, FROM_COLUMN] = source.to_numpy()
    out.loc[rows, "theme_id"] = source.map(theme).astype(int).to_numpy()
    out.loc[rows, "probability"] = np.nan
    return out
