"""Study tables from the segments alone.

Headline counts, transcripts, participants, words by attribute.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from insights.schema import person_key

from ._people import BASE_COLUMNS, attribute_columns, participant_segments

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def word_count(texts: pd.Series) -> pd.Series:
    return texts.fillna("").astype(str).str.split().str.len().fillna(0).astype(int)


def overview(segments: pd.DataFrame, skipped: pd.DataFrame | None = None) -> dict[str, int]:
    """Headline counts of a study."""
    part = participant_segments(segments)
    first = segments.drop_duplicates("transcript_id")
    return {
        "transcripts": int(segments["transcript_id"].nunique()),
        "interviews": int(first["session_type"].eq("interview").sum()),
        "focus_groups": int(first["session_type"].eq("focus_group").sum()),
        "participants": int(person_key(part).nunique()),
        "segments": int(len(segments)),
        "participant_segments": int(len(part)),
        "words": int(word_count(segments["text"]).sum()),
        "participant_words": int(word_count(part["text"]).sum()),
        "skipped": 0 if skipped is None else int(len(skipped)),
    }


def transcripts_table(segments: pd.DataFrame) -> pd.DataFrame:
    """One row per transcript: source, session type, wave, speakers, turns, segments, words."""
    seg = segments.assign(words=word_count(segments["text"]))
    g = seg.groupby("transcript_id", sort=True)
    return g.agg(
        source=("source", "first"),
        session_type=("session_type", "first"),
        wave=("wave", "first"),
        speakers=(
            "speaker",
            lambda s: ", ".join(dict.fromkeys(x for x in s if isinstance(x, str))),
        ),
        turns=("turn", "nunique"),
        segments=("segment_id", "size"),
        words=("words", "sum"),
    ).reset_index()


def participants_table(segments: pd.DataFrame) -> pd.DataFrame:
    """One row per participant: attributes, transcripts, segments and words spoken."""
    import pandas as pd

    part = participant_segments(segments)
    part = part.assign(participant_id=person_key(part), words=word_count(part["text"]))
    if part.empty:
        return pd.DataFrame(columns=["participant_id", "transcripts", "segments", "words"])
    attrs = [c for c in part.columns if c not in BASE_COLUMNS and not c.startswith("_")]
    g = part.groupby("participant_id", sort=True)
    out = g.agg(
        transcripts=("transcript_id", lambda s: ", ".join(sorted(set(s)))),
        segments=("segment_id", "size"),
        words=("words", "sum"),
    )
    if attrs:
        out = g[attrs].first().join(out)
    return out.reset_index()


def words_by_attribute(
    segments: pd.DataFrame, participants: pd.DataFrame | None = None
) -> dict[str, pd.DataFrame]:
    """Participants, segments and words per value of each categorical participant attribute."""
    part = participant_segments(segments)
    part = part.assign(_person=person_key(part), words=word_count(part["text"]))
    out: dict[str, pd.DataFrame] = {}
    for col in attribute_columns(segments):
        out[col] = (
            part.groupby(col, sort=True)
            .agg(
                participants=("_person", "nunique"),
                segments=("segment_id", "size"),
                words=("words", "sum"),
            )
            .reset_index()
        )
    return out
