"""Reading a study's transcripts into the segments table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._progress import progress
from ..errors import InputError
from ..io import ReadOptions, read_transcript
from ..schema import SKIPPED_COLUMNS
from ._config import Study

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def read_transcripts(
    files: list[Path],
    *,
    options: ReadOptions | None = None,
    require_speakers: bool = False,
    cache: Any = None,
) -> list[Any]:
    """Read each file into a :class:`~insights.io.Transcript`, with a progress bar.

    Two files that give the same transcript id are an error (ids come from file
    names), and so, with ``require_speakers``, is a file without speaker labels.
    ``cache`` (an ``insights._rerun.ParseCache``) skips files read before unchanged.
    """
    opts = options or ReadOptions()
    transcripts = []
    seen_ids: dict[str, Path] = {}
    for f in progress(files, desc="reading transcripts", unit="file"):
        if cache is not None:
            t = cache.read(f, lambda p: read_transcript(p, options=opts), options_key=repr(opts))
        else:
            t = read_transcript(f, options=opts)
        if t.transcript_id in seen_ids:
            raise InputError(
                f"has the same transcript id {t.transcript_id!r} "
                f"as {seen_ids[t.transcript_id].name}",
                fix="rename one of the two files (ids come from file names)",
                file=f,
            )
        seen_ids[t.transcript_id] = f
        if require_speakers and not t.speakers:
            raise InputError(
                f"no speaker labels were found ({len(t.turns)} turns of an unknown speaker), "
                "but study.yaml names speakers (interviewers)",
                fix="label turns as 'Name: text' (for tables set transcripts.speaker_column), "
                "or set transcripts.require_speakers: false in study.yaml to accept unlabelled "
                "files",
                file=f,
            )
        transcripts.append(t)
    return transcripts


def skipped_table(transcripts: list[Any]) -> pd.DataFrame:
    """The text of ``transcripts`` that is in no segment, with the reason (``SKIPPED_COLUMNS``)."""
    import pandas as pd

    return pd.DataFrame(
        [
            (t.transcript_id, Path(t.source).name, w, r, x)
            for t in transcripts
            for (w, r, x) in t.skipped
        ],
        columns=list(SKIPPED_COLUMNS),
    )


def read_study(
    study: Study, *, pseudonymiser: Any = None, cache: Any = None
) -> tuple[pd.DataFrame, pd.DataFrame, list]:
    """Read every transcript of ``study`` into ``(segments, skipped, transcripts)``.

    Participant attributes from participants.csv are joined onto the segments
    (all columns but ``name``, ``aliases``, ``transcript``, ``email``, ``phone``).
    """
    import pandas as pd

    from ..segments import build_segments, split_sentences

    cfg = study.config
    opts = ReadOptions(
        speaker_column=cfg.transcripts.speaker_column,
        text_column=cfg.transcripts.text_column,
        start_column=cfg.transcripts.start_column,
        end_column=cfg.transcripts.end_column,
        speakers=tuple(cfg.interviewers),
        encoding=cfg.transcripts.encoding,
    )
    splitter = None
    if cfg.sentence_splitter == "spacy":
        from ..nlp import spacy_sentence_splitter

        splitter = spacy_sentence_splitter(cfg.spacy_model)
    else:
        splitter = lambda text: split_sentences(text, max_chars=cfg.max_segment_chars)  # noqa: E731
    require_speakers = cfg.transcripts.require_speakers
    if require_speakers is None:
        require_speakers = bool(cfg.interviewers)
    transcripts = read_transcripts(
        study.files, options=opts, require_speakers=require_speakers, cache=cache
    )
    if pseudonymiser is not None:
        pseudonymiser.learn(turn.text for t in transcripts for turn in t.turns)
        for t in transcripts:
            for turn in t.turns:
                turn.text = pseudonymiser(turn.text)
    frames = []
    for t in transcripts:
        seg = build_segments(
            t,
            unit=cfg.segment_by,
            max_chars=cfg.max_segment_chars,
            interviewers=cfg.interviewers,
            participants=study.participants,
            wave=study.wave_of(Path(t.source)),
            splitter=splitter,
        )
        if pseudonymiser is not None:
            seg["speaker"] = [
                (pid if isinstance(pid, str) and pid else pseudonymiser(s))
                if isinstance(s, str)
                else s
                for s, pid in zip(seg["speaker"], seg["participant_id"], strict=True)
            ]
        frames.append(seg)
    segments = pd.concat(frames, ignore_index=True)
    if study.participants is not None:
        private = {"name", "aliases", "transcript", "email", "phone", "session_type", "wave"}
        attrs = study.participants[[c for c in study.participants.columns if c not in private]]
        segments = segments.merge(attrs, on="participant_id", how="left")
        if "wave" in study.participants.columns:
            pw = study.participants.set_index("participant_id")["wave"]
            fill = segments["participant_id"].map(pw)
            segments["wave"] = segments["wave"].where(segments["wave"].notna(), fill)
    return segments, skipped_table(transcripts), transcripts
