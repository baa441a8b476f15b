"""Reading a study's transcripts into the segments table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._progress import progress
from ..errors import InputError, InsightsError
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
        _check_transcript(t, f, seen_ids, require_speakers)
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


def _check_transcript(t: Any, f: Path, seen_ids: dict[str, Path], require_speakers: bool) -> None:
    if t.transcript_id in seen_ids:
        raise InputError(
            f"has the same transcript id {t.transcript_id!r} as {seen_ids[t.transcript_id].name}",
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


def read_study(
    study: Study,
    *,
    pseudonymiser: Any = None,
    cache: Any = None,
    engine: Any = None,
    partitions: Any = None,
) -> tuple[pd.DataFrame, pd.DataFrame, list]:
    """Read every transcript of ``study`` into ``(segments, skipped, transcripts)``.

    Participant attributes from participants.csv are joined onto the segments
    (all columns but ``name``, ``aliases``, ``transcript``, ``email``, ``phone``).
    ``engine`` (see ``insights.study._engine``) reads and segments the transcripts
    one partition per file (default: in this process); with a ``pseudonymiser``,
    which learns names from every transcript, segments are built here after reading.
    ``partitions`` (a ``PartitionCache``, with ``cache``) keeps each file's partition
    result under its bytes, reading options and segmenting options.
    """
    import pandas as pd

    from ..segments import build_segments
    from ._engine import LocalEngine
    from ._partitions import ReadTask, make_splitter, read_partition

    cfg = study.config
    engine = engine or LocalEngine()
    opts = ReadOptions(
        speaker_column=cfg.transcripts.speaker_column,
        text_column=cfg.transcripts.text_column,
        start_column=cfg.transcripts.start_column,
        end_column=cfg.transcripts.end_column,
        speakers=tuple(cfg.interviewers),
        encoding=cfg.transcripts.encoding,
    )
    split = (cfg.sentence_splitter, cfg.spacy_model, cfg.max_segment_chars)
    require_speakers = cfg.transcripts.require_speakers
    if require_speakers is None:
        require_speakers = bool(cfg.interviewers)

    def build(f: Path) -> dict[str, Any]:
        return dict(
            unit=cfg.segment_by,
            max_chars=cfg.max_segment_chars,
            interviewers=cfg.interviewers,
            participants=study.participants,
            wave=study.wave_of(f),
        )

    tasks = []
    for f in study.files:
        cached = cache.get(f, options_key=repr(opts)) if cache is not None else None
        data = None
        if cached is None:
            try:
                data = f.read_bytes()
            except OSError:  # a folder or an unreadable file: the reader says so in one line
                from ..io import read_transcript

                read_transcript(f, options=opts)
                raise
        tasks.append(
            ReadTask(
                path=str(f),
                data=data,
                transcript=cached,
                options=opts,
                build=None if pseudonymiser is not None else build(f),
                splitter=split,
            )
        )
    keys = None
    if partitions is not None and cache is not None:
        from .._rerun import frame_digest

        people = frame_digest(study.participants)
        keys = [
            partitions.key(
                "reading",
                cache.key(Path(t.path), repr(opts)),
                repr(split),
                people,
                repr(None if t.build is None else {**t.build, "participants": None}),
            )
            for t in tasks
        ]
    results = engine.map(
        read_partition, tasks, stage="reading transcripts", keys=keys, cache=partitions
    )
    transcripts, frames, seen_ids = [], [], {}
    for f, task, res in zip(study.files, tasks, results, strict=True):
        if isinstance(res, InsightsError):
            raise res
        t, seg = res
        t.source = str(f)  # a kept result: the study folder may have moved
        if cache is not None and task.transcript is None:
            cache.put(f, t, options_key=repr(opts))
        _check_transcript(t, f, seen_ids, require_speakers)
        transcripts.append(t)
        frames.append(seg)
    if pseudonymiser is not None:
        pseudonymiser.learn(turn.text for t in transcripts for turn in t.turns)
        splitter = make_splitter(*split)
        frames = []
        for f, t in zip(study.files, transcripts, strict=True):
            for turn in t.turns:
                turn.text = pseudonymiser(turn.text)
            seg = build_segments(t, splitter=splitter, **build(f))
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
