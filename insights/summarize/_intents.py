"""Which intent statements count for drivers, and who leaves and who stays.

* :func:`counted_intents` / :func:`uncounted_intents` — which intent statements count.
* :func:`intent_people` — who left or stays: the participant sheet's outcome where it
  has one, else what people said; leaving wins over staying.

The drivers tested against them are in :mod:`._drivers`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from insights.schema import INTENT_FLOOR, person_key, person_outcomes, segment_ids

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: the kinds of intent (the ``kind`` column of ``intents.csv``) that are the speaker's own
#: intent and count for drivers: what they did and what they mean to do. ``conditional``
#: ("if the price goes up again I'd leave") and ``reported`` ("my neighbour left them")
#: do not; an intents table without ``kind`` counts as ``done``.
OWN_INTENT_KINDS: tuple[str, ...] = ("done", "intended")

#: the targets (the ``target`` column of ``intents.csv``) of intents that are not about
#: the study's provider and count for no driver: ``other`` (a previous provider, the one
#: they moved to: "our old provider ... I tell everyone to avoid them", a new customer's
#: "we switched to Kestrel") and ``unknown`` ("we switched in April": to it or from it?).
#: Warnings about the study's provider do count toward leave (see ``drivers``).
OTHER_TARGETS: tuple[str, ...] = ("other", "unknown")

#: the direction each stated intent counts toward
INTENT_DIRECTION: dict[str, str] = {
    "leave": "leave",
    "warn_others": "leave",
    "stay": "stay",
    "recommend": "stay",
}


def counted_intents(intents: pd.DataFrame) -> pd.DataFrame:
    """``segment_id, intent`` of the intents that count for drivers.

    Kinds :data:`OWN_INTENT_KINDS`, about the study's provider (``target`` not in
    :data:`OTHER_TARGETS`), with a ``confidence`` of at least
    :data:`insights.schema.INTENT_FLOOR` (an empty one, a human's label, counts). A table
    without ``kind``, and rows with an empty one, count as ``done``; a table without
    ``target`` counts every row as about the study's provider.

    Examples
    --------
    >>> import pandas as pd
    >>> it = pd.DataFrame({"segment_id": ["a", "b", "c", "d"],
    ...                    "intent": ["leave", "leave", "stay", "leave"],
    ...                    "kind": ["done", "conditional", "intended", "done"],
    ...                    "confidence": [0.8, 0.9, 0.4, 0.7],
    ...                    "target": ["study", "study", "study", "other"]})
    >>> counted_intents(it)["segment_id"].tolist()
    ['a']
    """
    import pandas as pd

    it = intents.assign(segment_id=intents["segment_id"].astype(str))
    if "confidence" in it.columns:
        conf = pd.to_numeric(it["confidence"], errors="coerce").fillna(1.0)
        it = it[conf >= INTENT_FLOOR]
    if "target" in it.columns:
        target = it["target"].astype("object").where(it["target"].notna(), "")
        it = it[~target.astype(str).str.strip().str.lower().isin(OTHER_TARGETS)]
    if "kind" in it.columns:
        kind = it["kind"].astype("object").where(it["kind"].notna(), "")
        kind = kind.astype(str).str.strip().str.lower().replace("", "done")
        it = it[kind.isin(OWN_INTENT_KINDS)]
    return it[["segment_id", "intent"]].assign(intent=it["intent"].astype(str))


#: why an intent statement of a kind that does not count is left out, in words
_KIND_WHY = {"conditional": "conditional", "reported": "someone else's"}


def uncounted_intents(intents: pd.DataFrame | None) -> dict[str, str]:
    """Segment id -> why its stated intent does not count (see :func:`counted_intents`).

    ``"about another provider"``, ``"provider unclear"``, ``"conditional"``, ``"someone
    else's"`` or ``"low confidence"``; intents that count and ``none`` rows are not in it.

    Examples
    --------
    >>> import pandas as pd
    >>> it = pd.DataFrame({"segment_id": ["a", "b", "c", "d"],
    ...                    "intent": ["leave", "leave", "stay", "leave"],
    ...                    "kind": ["done", "reported", "intended", "done"],
    ...                    "confidence": [0.8, 0.9, 0.4, 0.7],
    ...                    "target": ["study", "study", "study", "other"]})
    >>> uncounted_intents(it)
    {'b': "someone else's", 'c': 'low confidence', 'd': 'about another provider'}
    """
    import pandas as pd

    if intents is None or intents.empty:
        return {}
    stated = intents[intents["intent"].astype(str) != "none"]
    counted = set(counted_intents(stated)["segment_id"])
    out: dict[str, str] = {}
    for r in stated.to_dict("records"):
        sid = str(r["segment_id"])
        if sid in counted:
            continue
        target, kind = (
            "" if pd.isna(r.get(k)) else str(r.get(k)).strip().lower() for k in ("target", "kind")
        )
        if target in OTHER_TARGETS:
            out[sid] = "about another provider" if target == "other" else "provider unclear"
        elif kind in _KIND_WHY:
            out[sid] = _KIND_WHY[kind]
        else:
            out[sid] = "low confidence"
    return out


def people_of(segments: pd.DataFrame, unit: str | None) -> tuple[pd.DataFrame, pd.Series]:
    """``segments`` with ids, and who said each: :func:`person_key`, or the ``unit`` column."""
    import pandas as pd

    seg = segments.assign(segment_id=segment_ids(segments))
    if unit is None:
        return seg, person_key(seg)
    return seg, seg[unit].map(lambda u: None if pd.isna(u) else str(u)).astype("object")


def intent_people(
    segments: pd.DataFrame,
    intents: pd.DataFrame | None,
    *,
    outcome: str | None = None,
    unit: str | None = None,
) -> dict[str, str]:
    """Person -> ``leave`` or ``stay``: who the drivers test as leaving and as staying.

    A person whose participant-sheet ``outcome`` column
    (:func:`insights.schema.outcome_column`) says ``churned`` leaves and ``retained``
    stays, whatever they said; anyone else by their counted intents
    (:func:`counted_intents`: leave and warn_others leave, stay and recommend stay). A
    person with both leaves: "I recommended them to a colleague, which is awkward now"
    from someone who has since cancelled is a past recommendation, not a reason they
    stay. People are :func:`insights.schema.person_key` values, or those of the ``unit``
    column when one is named; people with neither are not in the dict.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"segment_id": list("abcd"), "participant_id": list("AABC"),
    ...                     "status": ["churned", "churned", "retained", None]})
    >>> it = pd.DataFrame({"segment_id": ["a", "c", "d"],
    ...                    "intent": ["recommend", "leave", "stay"]})
    >>> sorted(intent_people(seg, it).items())
    [('A', 'stay'), ('B', 'leave'), ('C', 'stay')]
    >>> sorted(intent_people(seg, it, outcome="status").items())
    [('A', 'leave'), ('B', 'stay'), ('C', 'stay')]
    """
    seg, units = people_of(segments, unit)
    seg_unit = dict(zip(seg["segment_id"], units, strict=False))
    said: dict[str, str] = {}
    if intents is not None and len(intents):
        it = counted_intents(intents)
        for sid, intent in zip(it["segment_id"], it["intent"], strict=False):
            u = seg_unit.get(sid)
            direction = INTENT_DIRECTION.get(intent)
            if u is None or u == "nan" or direction is None:
                continue
            if said.get(u) != "leave":
                said[u] = direction
    sheet = person_outcomes(seg.assign(participant_id=units), outcome) if outcome else {}
    return {**said, **sheet}
