"""Turns to segments: sentences (or whole turns), speaker roles, participants, stable ids.

The segments table (columns in :data:`insights.schema.SEGMENT_COLUMNS`) is what every
analysis reads. Its guarantees:

- ``segment_id`` is ``<transcript_id>-t<turn>-s<k>``: the same input gives the same ids;
- ``char_start``/``char_end`` index the transcript's plain text
  (:func:`plain_text`: ``"Speaker: text"`` turns separated by blank lines), so
  ``plain_text(...)[char_start:char_end] == text``;
- lossless: the segments of a turn, in order, are the turn's text split at
  whitespace; no character of speech is left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .io import label_key, read_csv_table
from .schema import SEGMENT_COLUMNS, InputError, SchemaError, require_columns

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .io import Transcript

__all__ = [
    "split_sentences",
    "assign_roles",
    "build_segments",
    "plain_text",
    "complete_segments",
    "read_segments_csv",
    "link_participants",
    "is_backchannel",
    "set_roles",
    "set_participants",
]

# --------------------------------------------------------------------------- sentences

_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "approx",
    "no",
    "inc",
    "ltd",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "mins",
    "min",
}
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9£$€])|(?<=\?)\s+")


def split_sentences(text: str, *, max_chars: int = 600) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text`` by punctuation rules.

    Splits after ``.``, ``!``, ``?`` or ``…`` followed by a capital or a digit (not
    after common abbreviations), and always after ``?``. Sentences longer than
    ``max_chars`` (unpunctuated automatic transcripts) are cut at the last comma or
    space before the limit. The spans cover every non-space character of ``text``.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.start()
        # the closing quote/bracket belongs to the sentence
        while end < len(text) and text[end] in '"”’)]':
            end += 1
        prev_word = re.search(r"(\w[\w.]*)\.\s*$", text[start:end] + " ")
        if prev_word and prev_word.group(1).lower().rstrip(".") in _ABBREV:
            continue
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        out.extend(_cut_long(text, s, e, max_chars))
    return out


def _cut_long(text: str, s: int, e: int, max_chars: int) -> list[tuple[int, int]]:
    pieces = []
    while e - s > max_chars:
        window = text[s : s + max_chars]
        cut = max(window.rfind(", "), window.rfind("; "))
        cut = cut + 1 if cut > max_chars // 3 else window.rfind(" ")
        if cut <= 0:
            cut = max_chars
        pieces.append((s, s + len(text[s : s + cut].rstrip())))
        s += cut
        while s < e and text[s].isspace():
            s += 1
    if s < e:
        pieces.append((s, e))
    return pieces


_BACKCHANNEL = re.compile(
    r"^(?:(?:yeah|yes|yep|yup|no|nope|ok|okay|right|sure|mm+|m+-?hm+|uh-?huh|uh|um|hmm+|ah|oh|"
    r"i see|got it|cool|great|fine|true|exactly|absolutely|definitely|totally|alright|all right|"
    r"thanks|thank you|wow|really|same|same here|indeed|of course|"
    r"\[laughs?\]|\[inaudible\])[\s,.!?…-]*)+$",
    re.IGNORECASE,
)


def is_backchannel(text: str) -> bool:
    """True for short acknowledgements ("Yeah.", "Mm-hm.", "Right, okay.") that carry no content."""
    return bool(_BACKCHANNEL.match(text.strip()))


# --------------------------------------------------------------------------- roles

_INTERVIEWER_WORDS = ("interviewer", "moderator", "facilitator", "researcher", "host")
_PARTICIPANT_WORDS = ("interviewee", "respondent", "participant", "customer", "guest")


def assign_roles(
    turns: Sequence[tuple[str | None, str]],
    *,
    interviewers: Iterable[str] = (),
    session_type: str = "interview",
) -> dict[str, str]:
    """Map each speaker of one transcript to a role.

    In order: a speaker listed in ``interviewers`` (study.yaml) is the interviewer
    (the moderator in a focus group); a label that names a role (``Interviewer 2``,
    ``Moderator``, ``Interviewee``, ``Respondent``) takes that role; ``Unknown
    Speaker`` is unknown; where no one is the interviewer yet, the speaker who asks
    the most questions (at least two, and in a larger share of turns than anyone
    else) is. Everyone else is a participant.

    Parameters
    ----------
    turns : sequence of (speaker, text)
    """
    lead = "moderator" if session_type == "focus_group" else "interviewer"
    interviewers = list(interviewers)
    configured = {label_key(s) for s in interviewers}
    # "Jess" stands for the configured "Jess Morgan"
    first_names = {label_key(s.split()[0]) for s in interviewers if len(s.split()) > 1}
    roles: dict[str, str] = {}
    questions: dict[str, int] = {}
    counts: dict[str, int] = {}
    for speaker, text in turns:
        if not speaker:
            continue
        counts[speaker] = counts.get(speaker, 0) + 1
        questions[speaker] = questions.get(speaker, 0) + ("?" in text)
    for speaker in counts:
        key = label_key(speaker)
        single = len(speaker.split()) == 1
        if (
            key in configured
            or (single and key in first_names)
            or any(key.startswith(w) for w in _INTERVIEWER_WORDS)
        ):
            roles[speaker] = lead
        elif key.startswith("unknown"):
            roles[speaker] = "unknown"
        elif any(key.startswith(w) for w in _PARTICIPANT_WORDS):
            roles[speaker] = "participant"
    if lead not in roles.values() and len(counts) >= 2:
        rates = {
            s: questions[s] / counts[s] for s in counts if s not in roles and questions[s] >= 2
        }
        if rates:
            best = max(rates, key=lambda s: (rates[s], questions[s]))
            others = [r for s, r in rates.items() if s != best]
            if not others or rates[best] > max(others):
                roles[best] = lead
    for speaker in counts:
        roles.setdefault(speaker, "participant")
    return roles


# --------------------------------------------------------------------------- participants


def link_participants(
    speakers: Iterable[str],
    roles: dict[str, str],
    participants: pd.DataFrame | None,
    *,
    source: str,
) -> dict[str, str]:
    """Map participant speakers of one transcript to ``participant_id``.

    A speaker matches a participant when the label equals the ``participant_id``,
    the ``name`` column, any of the ``aliases`` (``;``-separated), or the first
    name of ``name`` (when only one participant of this transcript, or of the
    study, has that first name). Where ``participants.csv`` has a ``transcript``
    column and exactly one participant is listed for this file, its one
    participant speaker is that participant.
    """
    if participants is None or participants.empty:
        return {}
    name = Path(source).name
    stem = Path(source).stem
    rows = participants
    if "transcript" in participants.columns:
        listed = participants["transcript"].fillna("").astype(str).str.strip()
        mine = participants[(listed == name) | (listed == stem)]
    else:
        mine = participants.iloc[0:0]

    def keys_of(df: pd.DataFrame) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for _, r in df.iterrows():
            pid = str(r["participant_id"])
            ks = {label_key(pid)}
            full = str(r.get("name", "") or "").strip() if "name" in df.columns else ""
            if full and full.lower() != "nan":
                ks.add(label_key(full))
            if "aliases" in df.columns and isinstance(r.get("aliases"), str):
                ks.update(label_key(a) for a in r["aliases"].split(";") if a.strip())
            out[pid] = ks
        return out

    def first_names(df: pd.DataFrame) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        if "name" not in df.columns:
            return out
        for _, r in df.iterrows():
            full = str(r.get("name") or "").strip()
            if full and full.lower() != "nan":
                out.setdefault(label_key(full.split()[0]), []).append(str(r["participant_id"]))
        return out

    all_keys, mine_keys = keys_of(rows), keys_of(mine)
    firsts_mine, firsts_all = first_names(mine), first_names(rows)
    links: dict[str, str] = {}
    speaking = [s for s in speakers if roles.get(s) == "participant"]
    for s in speaking:
        k = label_key(s)
        hit = [pid for pid, ks in mine_keys.items() if k in ks] or [
            pid for pid, ks in all_keys.items() if k in ks
        ]
        if not hit:
            first = label_key(s.split()[0]) if s.split() else k
            hit = firsts_mine.get(first) or firsts_mine.get(k) or []
            if not hit and len(firsts_all.get(k, [])) == 1:
                hit = firsts_all[k]
        if len(hit) == 1:
            links[s] = hit[0]
    if len(mine) == 1 and len(speaking) == 1 and speaking[0] not in links:
        links[speaking[0]] = str(mine.iloc[0]["participant_id"])
    return links


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
        transcript are used when not given.
    splitter : callable, optional
        ``text -> [(start, end), ...]`` sentence spans (e.g. spaCy's, from
        :func:`insights.nlp.spacy_sentence_splitter`); defaults to
        :func:`split_sentences`.

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
    >>> build_segments(t)[["segment_id", "role", "text"]].values.tolist()[-1]
    ['demo-t001-s02', 'participant', 'Slow though.']
    """
    import pandas as pd

    if unit not in ("sentence", "turn"):
        raise InputError(
            f"unknown segment unit {unit!r}",
            fix="use 'sentence' or 'turn' (study.yaml: segment_by)",
        )
    pairs = [(t.speaker, t.text) for t in transcript.turns]
    listed = _listed_rows(participants, transcript.source)
    n_speaking = len({s for s, _ in pairs if s})
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
        else:
            session_type = "focus_group" if n_speaking >= 4 else "interview"
    if (
        wave is None
        and listed is not None
        and "wave" in listed.columns
        and listed["wave"].notna().any()
    ):
        wave = listed["wave"].dropna().mode().iloc[0]
    roles = assign_roles(pairs, interviewers=interviewers, session_type=session_type)
    links = link_participants(roles.keys(), roles, participants, source=transcript.source)
    split = splitter or (lambda text: split_sentences(text, max_chars=max_chars))

    records = []
    offset = 0
    for turn_no, t in enumerate(transcript.turns):
        prefix = _prefix(t.speaker)
        base = offset + len(prefix)
        if unit == "turn":
            spans = _cut_long(t.text, 0, len(t.text), max_chars)
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
    is no longer a participant loses its ``participant_id``.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"transcript_id": ["a", "a"], "speaker": ["Jess", "Ann"],
    ...                     "role": ["participant", "participant"], "participant_id": ["P9", "P1"]})
    >>> set_roles(seg, {"Jess": "interviewer"})[["role", "participant_id"]].values.tolist()
    [['interviewer', None], ['participant', 'P1']]
    """
    from .schema import ROLES

    bad = {r for r in roles.values() if r not in ROLES}
    if bad:
        raise InputError(
            f"unknown role(s) {', '.join(sorted(bad))}", fix=f"use one of: {', '.join(ROLES)}"
        )
    out = segments.copy()
    for speaker, role in roles.items():
        hit = _speaker_rows(out, speaker, transcript_id)
        out.loc[hit, "role"] = role
        if role != "participant":
            out["participant_id"] = out["participant_id"].astype(object)
            out.loc[hit, "participant_id"] = None
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
