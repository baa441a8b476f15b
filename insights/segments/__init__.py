"""Turns to segments: sentences (or whole turns), speaker roles, participants, stable ids.

Sentences and backchannels are in ``_sentences``; roles, the session type and links
to participants.csv in ``_roles``; this module builds, completes and corrects the table.

The segments table (columns in :data:`insights.schema.SEGMENT_COLUMNS`) is what every
analysis reads. Its guarantees:

- ``segment_id`` is ``<transcript_id>-t<turn>-s<k>``: the same input gives the same ids;
- ``char_start``/``char_end`` index the transcript's plain text
  (:func:`plain_text`: ``"Speaker: text"`` turns separated by blank lines), so
  ``plain_text(...)[char_start:char_end] == text``;
- lossless: the segments of a turn, in order, are the turn's text split at
  whitespace; no character of speech is left out;
- every participant speaker has a ``participant_id``: the one participants.csv links,
  else the pseudonymous :func:`insights.schema.speaker_person_id`
  (``<transcript_id>:<speaker>``); interviewers, moderators and text without a
  speaker label have none;
- ``language`` is the transcript's (ISO 639-1, :mod:`insights.language`), empty when
  the text is too short to tell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..io import read_csv_table
from ..language import transcript_language
from ..schema import SEGMENT_COLUMNS, InputError, SchemaError, require_columns, speaker_person_id
from ._roles import (
    assign_roles,
    is_question,
    link_participants,
    question_scores,
    session_type_of,
    unlinked_participants,
)
from ._sentences import cut_long, is_backchannel, split_sentences

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..io import Transcript

__all__ = [
    "split_sentences",
    "is_question",
    "question_scores",
    "assign_roles",
    "session_type_of",
    "build_segments",
    "plain_text",
    "complete_segments",
    "read_segments_csv",
    "link_participants",
    "unlinked_participants",
    "is_backchannel",
    "set_roles",
    "set_participants",
]

# --------------------------------------------------------------------------- segments


def _prefix(speaker: str | None) -> str:
    return f"{speaker}: " if speaker else ""


def build_segments(
    transcript: Transcript,
    *,
    unit: str = "sentence",
    max_chars: int = 600,
    interviewers: Iterable[str] = (),
    participants: pd.DataFrame | None = None,
    session_type: str | None = None,
    wave: object = None,
    splitter: Callable[[str], list[tuple[int, int]]] | None = None,
    language: str | None = None,
) -> pd.DataFrame:
    """The segments of one transcript (one row per sentence, or per turn).

    Parameters
    ----------
    transcript : Transcript
        As returned by :func:`insights.io.read_transcript`.
    unit : {"sentence", "turn"}
        Split turns into sentences (default) or keep whole turns.
    max_chars : int
        Longer sentences or turns are cut at a comma or space.
    interviewers : iterable of str
        Speaker names that are the interviewer or moderator.
    participants : DataFrame, optional
        ``participants.csv``: links speakers to ``participant_id`` (see
        :func:`link_participants`); its ``session_type`` and ``wave`` for this
        transcript are used when not given. A participant speaker it does not link
        (or every one, without it) gets :func:`insights.schema.speaker_person_id`.
    session_type : {"interview", "focus_group"}, optional
        Default: participants.csv's, else :func:`session_type_of` (two or more
        participants speaking substantially make a focus group).
    splitter : callable, optional
        ``text -> [(start, end), ...]`` sentence spans (e.g. spaCy's, from
        :func:`insights.nlp.spacy_sentence_splitter`); defaults to
        :func:`split_sentences`.
    language : str, optional
        The transcript's language (ISO 639-1); detected from its text by
        :func:`insights.language.transcript_language` when not given.

    Returns
    -------
    DataFrame
        Columns :data:`~insights.schema.SEGMENT_COLUMNS`.

    Examples
    --------
    >>> from insights.io import Transcript, RawTurn
    >>> t = Transcript("demo", "demo.txt", "text", "utf-8",
    ...                turns=[RawTurn("Interviewer", "How was it? Tell me."),
    ...                       RawTurn("Ann", "Fine. Slow though.")])
    >>> build_segments(t)[["segment_id", "role", "participant_id", "text"]].values.tolist()[-1]
    ['demo-t001-s02', 'participant', 'demo:Ann', 'Slow though.']
    """
    import pandas as pd

    if unit not in ("sentence", "turn"):
        raise InputError(
            f"unknown segment unit {unit!r}",
            fix="use 'sentence' or 'turn' (study.yaml: segment_by)",
        )
    pairs = [(t.speaker, t.text) for t in transcript.turns]
    listed = _listed_rows(participants, transcript.source)
    if session_type is None:
        if (
            listed is not None
            and "session_type" in listed.columns
            and listed["session_type"].notna().any()
        ):
            session_type = (
                str(listed["session_type"].dropna().mode().iloc[0])
                .strip()
                .lower()
                .replace(" ", "_")
            )
    if (
        wave is None
        and listed is not None
        and "wave" in listed.columns
        and listed["wave"].notna().any()
    ):
        wave = listed["wave"].dropna().mode().iloc[0]
    roles = assign_roles(pairs, interviewers=interviewers, session_type=session_type or "interview")
    if session_type is None:
        session_type = session_type_of(pairs, roles)
        if session_type == "focus_group":
            roles = {s: "moderator" if r == "interviewer" else r for s, r in roles.items()}
    links = link_participants(roles.keys(), roles, participants, source=transcript.source)
    for speaker, role in roles.items():
        if role == "participant" and speaker not in links:
            links[speaker] = speaker_person_id(transcript.transcript_id, speaker)
    if language is None:
        language = transcript_language(t.text for t in transcript.turns)
    split = splitter or (lambda text: split_sentences(text, max_chars=max_chars))

    records = []
    offset = 0
    for turn_no, t in enumerate(transcript.turns):
        prefix = _prefix(t.speaker)
        base = offset + len(prefix)
        if unit == "turn":
            spans = cut_long(t.text, 0, len(t.text), max_chars)
        else:
            spans = split(t.text)
        for k, (s, e) in enumerate(spans, start=1):
            records.append(
                {
                    "segment_id": f"{transcript.transcript_id}-t{turn_no:03d}-s{k:02d}",
                    "transcript_id": transcript.transcript_id,
                    "source": Path(transcript.source).name,
                    "session_type": session_type,
                    "wave": wave,
                    "turn": turn_no,
                    "speaker": t.speaker,
                    "role": roles.get(t.speaker, "unknown") if t.speaker else "unknown",
                    "participant_id": links.get(t.speaker) if t.speaker else None,
                    "start_s": t.start_s,
                    "end_s": t.end_s,
                    "char_start": base + s,
                    "char_end": base + e,
                    "text": t.text[s:e],
                    "language": language,
                }
            )
        offset = base + len(t.text) + 2  # "\n\n" between turns
    df = pd.DataFrame.from_records(records, columns=list(SEGMENT_COLUMNS))
    df["turn"] = df["turn"].astype("int64")
    df["char_start"] = df["char_start"].astype("int64")
    df["char_end"] = df["char_end"].astype("int64")
    df["start_s"] = pd.to_numeric(df["start_s"], errors="coerce").astype("float64")
    df["end_s"] = pd.to_numeric(df["end_s"], errors="coerce").astype("float64")
    return df


def _listed_rows(participants: pd.DataFrame | None, source: str) -> pd.DataFrame | None:
    if participants is None or "transcript" not in participants.columns:
        return None
    listed = participants["transcript"].fillna("").astype(str).str.strip()
    rows = participants[(listed == Path(source).name) | (listed == Path(source).stem)]
    return rows if len(rows) else None


def plain_text(segments: pd.DataFrame, transcript_id: str | None = None) -> str:
    """The plain text of one transcript that ``char_start``/``char_end`` index.

    Each turn is ``"Speaker: text"`` (just ``text`` for an unknown speaker), turns
    separated by a blank line. Rebuilt from the segments alone, so it is the text
    exported to REFI-QDA and the one quotes point into.
    """
    seg = (
        segments if transcript_id is None else segments[segments["transcript_id"] == transcript_id]
    )
    if seg["transcript_id"].nunique() > 1:
        raise InputError(
            "plain_text needs the segments of one transcript", fix="pass transcript_id="
        )
    if seg.empty:
        return ""
    chars: list[str] = [" "] * int(seg["char_end"].max())
    for _, group in seg.sort_values("char_start").groupby("turn", sort=True):
        speaker = group["speaker"].iloc[0]
        prefix = _prefix(speaker if isinstance(speaker, str) and speaker else None)
        first = int(group["char_start"].min())
        turn_start = first - len(prefix)
        chars[turn_start:first] = list(prefix)
        for s, e, text in zip(group["char_start"], group["char_end"], group["text"], strict=True):
            chars[int(s) : int(e)] = list(text)
        if turn_start >= 2:
            chars[turn_start - 2 : turn_start] = ["\n", "\n"]
    return "".join(chars)


# --------------------------------------------------------------------------- tables from CSV


def complete_segments(df: pd.DataFrame, *, file: str | Path | None = None) -> pd.DataFrame:
    """Fill in a minimal segments table (one with at least ``text``).

    ``segment_id`` is taken from ``segment_id``, else ``id``, else the row number;
    ``transcript_id`` defaults to ``"input"``, ``turn`` to the row number, ``role``
    to ``participant`` (a table of answers is taken to be participants' words),
    times and offsets to empty. Returns a new DataFrame with every column of
    :data:`~insights.schema.SEGMENT_COLUMNS` first and the others after.

    Raises
    ------
    SchemaError
        No ``text`` column, or ``segment_id`` values repeated.
    """
    import pandas as pd

    require_columns(
        df,
        ["text"],
        table="segments",
        file=file,
        fix=(
            "give the table a 'text' column (one row per segment), "
            "e.g. the segments.csv of 'insights parse'"
        ),
    )
    out = df.copy()
    if "segment_id" not in out.columns:
        out["segment_id"] = (
            out["id"].astype(str) if "id" in out.columns else [str(i) for i in range(len(out))]
        )
    out["segment_id"] = out["segment_id"].astype(str)
    dup = out["segment_id"].duplicated()
    if dup.any():
        first = out.index[dup][0]
        raise SchemaError(
            f"row {int(first) + 2}: segment_id {out.loc[first, 'segment_id']!r} "
            "appears more than once",
            fix="give every row its own segment_id (or drop the column to number rows)",
            file=file,
        )
    defaults = {
        "transcript_id": "input",
        "source": str(Path(file).name) if file else "input",
        "session_type": "interview",
        "wave": None,
        "speaker": None,
        "role": "participant",
        "participant_id": None,
        "start_s": float("nan"),
        "end_s": float("nan"),
        "language": None,
    }
    for col, val in defaults.items():
        if col not in out.columns:
            out[col] = val
    if "turn" not in out.columns:
        out["turn"] = range(len(out))
    out["text"] = out["text"].fillna("").astype(str)
    for col in ("char_start", "char_end"):
        if col not in out.columns:
            out[col] = pd.NA
    out["role"] = out["role"].fillna("unknown").astype(str)
    cols = list(SEGMENT_COLUMNS) + [c for c in out.columns if c not in SEGMENT_COLUMNS]
    return out[cols].reset_index(drop=True)


def read_segments_csv(path: str | Path) -> pd.DataFrame:
    """Read a segments table (``IN.csv`` of the CLI) and complete it.

    Any encoding :func:`insights.io.decode_bytes` detects is accepted.
    """
    df = read_csv_table(path, what="a table with a header row and a 'text' column")
    return complete_segments(df, file=Path(path))


# --------------------------------------------------------------------------- corrections


def _speaker_rows(segments: pd.DataFrame, speaker: str, transcript_id: str | None) -> pd.Series:
    hit = segments["speaker"] == speaker
    if transcript_id:
        hit &= segments["transcript_id"] == transcript_id
    if not hit.any():
        raise InputError(
            f"no segment has the speaker {speaker!r}"
            + (f" in {transcript_id!r}" if transcript_id else ""),
            fix="check the spelling against the speaker column",
        )
    return hit


def set_roles(
    segments: pd.DataFrame, roles: dict[str, str], *, transcript_id: str | None = None
) -> pd.DataFrame:
    """A copy of ``segments`` with the role of the named speakers changed.

    ``roles`` maps a speaker label to participant / interviewer / moderator /
    unknown; ``transcript_id`` limits the change to one transcript. A speaker who
    is no longer a participant loses its ``participant_id``; one who becomes a
    participant without one gets :func:`insights.schema.speaker_person_id`.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"transcript_id": ["a", "a"], "speaker": ["Jess", "Ann"],
    ...                     "role": ["participant", "participant"], "participant_id": ["P9", "P1"]})
    >>> set_roles(seg, {"Jess": "interviewer"})[["role", "participant_id"]].values.tolist()
    [['interviewer', None], ['participant', 'P1']]
    >>> back = set_roles(set_roles(seg, {"Jess": "interviewer"}), {"Jess": "participant"})
    >>> back["participant_id"].tolist()
    ['a:Jess', 'P1']
    """
    from ..schema import ROLES

    bad = {r for r in roles.values() if r not in ROLES}
    if bad:
        raise InputError(
            f"unknown role(s) {', '.join(sorted(bad))}", fix=f"use one of: {', '.join(ROLES)}"
        )
    out = segments.copy()
    for speaker, role in roles.items():
        hit = _speaker_rows(out, speaker, transcript_id)
        out.loc[hit, "role"] = role
        out["participant_id"] = out["participant_id"].astype(object)
        if role != "participant":
            out.loc[hit, "participant_id"] = None
        else:
            pid = out["participant_id"]
            unlinked = hit & (pid.isna() | (pid.astype(str) == ""))
            tids = out.loc[unlinked, "transcript_id"] if "transcript_id" in out.columns else None
            out.loc[unlinked, "participant_id"] = [
                speaker_person_id(str(t), speaker)
                for t in (tids if tids is not None else ["input"] * int(unlinked.sum()))
            ]
    return out


def set_participants(
    segments: pd.DataFrame,
    links: dict[str, str],
    *,
    participants: pd.DataFrame | None = None,
    transcript_id: str | None = None,
) -> pd.DataFrame:
    """A copy of ``segments`` with speakers linked to participant ids.

    Their attributes are re-joined.
    """
    out = segments.copy()
    out["participant_id"] = out["participant_id"].astype(object)
    for speaker, pid in links.items():
        hit = _speaker_rows(out, speaker, transcript_id)
        out.loc[hit, "participant_id"] = pid
        out.loc[hit, "role"] = "participant"
    if participants is not None:
        attrs = [c for c in participants.columns if c in out.columns and c not in SEGMENT_COLUMNS]
        out = out.drop(columns=attrs).merge(
            participants[["participant_id", *attrs]], on="participant_id", how="left"
        )
    return out
