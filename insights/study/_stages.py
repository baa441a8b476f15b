"""The stages of a run: each reads tables from the run's context and adds its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._safe import write_atomic
from ..errors import ConfigError, InsightsError
from ..schema import (
    INTENT_FLOOR,
    analysed_rows,
    language_exclusions,
    outcome_column,
    person_key,
)
from ._ahead import fitting_model, read_ahead, saved_theme_model, theme_segments
from ._config import Study
from ._read import read_study
from ._tables import OUTPUT_TABLES, read_decisions, report_data

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


@dataclass
class RunContext:
    """What the stages of one run share: the study, the tables so far, the staging folder."""

    study: Study
    stage_dir: Path
    tables: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    usage: dict[str, dict[str, float]] = field(default_factory=dict)  # CPU s, peak RSS per stage
    counts: dict[str, int] = field(default_factory=dict)
    models: dict[str, str] = field(default_factory=dict)
    transcripts: list = field(default_factory=list)
    #: re-run: inputs added/changed/removed (run.json)
    changes: dict[str, Any] = field(default_factory=dict)
    refit_themes: bool = False
    engine: Any = None  # where the per-segment stages run (insights.study._engine)
    scores_emotions: bool = True  # the emotions or triggers stage runs (scores every segment)
    emotion_scores: dict[str, Any] = field(default_factory=dict)  # text -> scores, one pass
    skipped: frozenset[str] = frozenset()  # the stages left out
    ahead: dict[str, Any] = field(default_factory=dict)  # work started early (_ahead)

    def partition_cache(self) -> Any:
        """The engine's cache of partition results (``<output>/.cache/partitions``)."""
        from .._rerun import PartitionCache

        return PartitionCache(self.cache("partitions"))

    @property
    def versions_key(self) -> str:
        """The installed versions of the packages the models run on (part of a partition's key)."""
        from importlib import metadata

        from ._tables import package_versions

        versions = package_versions()
        try:  # the models run by ONNX Runtime when it is installed
            versions["onnxruntime"] = metadata.version("onnxruntime")
        except metadata.PackageNotFoundError:
            versions["onnxruntime"] = None
        return repr(sorted(versions.items()))

    def cache(self, name: str) -> Path:
        """``<output>/.cache/<name>``: a stage's cache, kept across runs.

        It sits next to the staging folder.
        """
        return self.stage_dir.parent / ".cache" / name


def peak_rss_mb() -> float | None:
    """The peak resident memory of the process so far, in MB (None where it cannot be read)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    import sys

    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    df.to_csv(path, index=False)


def read_pseudonym_key(path: Path) -> pd.DataFrame | None:
    """A study's ``private/pseudonym_key.csv`` (None when there is none yet), checked."""
    import os

    from ..errors import InputError
    from ..io import read_csv_table

    if not os.path.lexists(path):
        return None
    key = read_csv_table(path, what="the pseudonym key (original, pseudonym, kind)")
    missing = [c for c in ("original", "pseudonym", "kind") if c not in key.columns]
    if missing or key[["original", "pseudonym", "kind"]].isna().any().any():
        raise InputError(
            f"is damaged (columns original, pseudonym, kind with no empty cell are needed; "
            f"{'missing: ' + ', '.join(missing) if missing else 'some cells are empty'})",
            fix="restore it from a backup; deleting it starts a new key, which numbers "
            "the pseudonyms afresh",
            file=path,
        )
    return key.astype(str)


def _with_file(exc: InsightsError, path: Path) -> InsightsError:
    """``exc`` naming ``path`` when it names no file (errors found after the file was read)."""
    if exc.file is None:
        exc.file = str(path)
        exc.args = (exc.message,)
    return exc


def _stage_segments(ctx: RunContext) -> None:
    from ..nlp import Pseudonymiser

    cfg = ctx.study.config
    pseudo = None
    key_path = ctx.study.path / "private" / "pseudonym_key.csv"
    if cfg.pseudonymise:
        key = read_pseudonym_key(key_path)
        pseudo = Pseudonymiser(
            ctx.study.participants,
            staff=cfg.interviewers,
            spacy_model=cfg.spacy_model,
            key=key,
            # the provider the study is about ("talking to Kestrel") is no person's name
            keep=[*cfg.pseudonymise_keep, *cfg.provider_names],
        )
        ctx.models["spacy"] = cfg.spacy_model
    from .._rerun import ParseCache, compare_inputs, file_sha256, previous_inputs

    cache = ParseCache(ctx.cache("parse"))
    segments, skipped, transcripts = read_study(
        ctx.study,
        pseudonymiser=pseudo,
        cache=cache,
        engine=ctx.engine,
        partitions=ctx.partition_cache(),
    )
    ctx.changes.update(
        compare_inputs(
            previous_inputs(ctx.stage_dir.parent),
            {Path(t.source).name: file_sha256(t.source) for t in transcripts},
        )
    )
    decisions = read_decisions(ctx.study)
    ctx.tables["decisions"] = decisions
    ctx.changes.update(
        cached=cache.hits,
        parsed=cache.misses,
        human_decisions=0 if decisions is None else len(decisions),
    )
    if pseudo is not None:  # the key lives apart from the outputs
        # a participant participants.csv does not name is <transcript_id>:<label>: the label
        # is pseudonymised like any other speaker's
        from ..schema import speaker_person_id

        ids = [
            speaker_person_id(t, pseudo(p[len(t) + 1 :]))
            if isinstance(p, str) and p.startswith(f"{t}:")
            else p
            for t, p in zip(
                segments["transcript_id"].astype(str), segments["participant_id"], strict=True
            )
        ]
        own = [a is not b for a, b in zip(ids, segments["participant_id"], strict=True)]
        segments["participant_id"] = ids
        segments.loc[own, "speaker"] = segments.loc[own, "participant_id"]
        write_atomic(key_path, lambda p: pseudo.key.to_csv(p, index=False))
    outcome_column(segments, cfg.outcome)  # a named outcome column is checked before any output
    ctx.tables["segments"] = segments
    ctx.tables["skipped"] = skipped
    ctx.transcripts = transcripts
    _write_csv(segments, ctx.stage_dir / "segments.csv")
    _write_csv(skipped, ctx.stage_dir / "skipped.csv")
    from ..summarize import participant_segments

    people = participant_segments(segments)
    ctx.counts.update(
        transcripts=len(transcripts),
        turns=sum(len(t.turns) for t in transcripts),
        segments=len(segments),
        participant_segments=len(people),
        participants=int(person_key(people).nunique()),
        skipped=len(skipped),
    )
    from ..language import language_summary

    left_out = language_summary(segments, cfg.language)["left_out"]
    ctx.counts["transcripts_not_in_study_language"] = len(left_out)
    ctx.counts["segments_not_in_study_language"] = sum(t["segments"] for t in left_out)


def _gated(ctx: RunContext, book, segments, codes):
    """The codes with their ``status``, and the per-code gate (alpha of the model on decisions)."""
    from ..codebook import gate_pairs, with_status
    from ..summarize import code_gate

    decisions = ctx.tables.get("decisions")
    names = [c.name for c in book.codes if c.is_codable]
    pairs = (
        gate_pairs(segments, book, decisions, cache=ctx.cache("rules"))
        if decisions is not None and len(decisions)
        else None
    )
    gate = code_gate(pairs, codes=names, gate=ctx.study.config.code_gate)
    return with_status(codes, gate.loc[~gate["passes"], "code"]), gate


def _stage_codes(ctx: RunContext) -> None:
    """Code participant segments with codebook.yaml (if any).

    decisions.csv (coder=human rows) wins.
    """
    from ..codebook import load_codebook
    from ..schema import CODE_COLUMNS, empty_table
    from ._coding import code_study, coded_segments

    path = ctx.study.codebook_path
    if path is None:
        ctx.tables["codes"] = empty_table(CODE_COLUMNS)
        ctx.counts["codes"] = 0
        return
    book = load_codebook(path)
    # the codebook's rules and definitions are in one language: the study's
    segments = coded_segments(ctx.tables["segments"], ctx.study)
    # the segments' and their clauses' vectors made on the engine, by transcript; the
    # study's coder is then fitted here, on the whole study, from the embedder's cache
    _embed_on_engine(ctx, segments, clauses=True)
    try:  # a keyword, regex or spaCy pattern the rules cannot compile names the codebook
        codes = code_study(
            ctx.study,
            segments,
            codebook=book,
            decisions=ctx.tables.get("decisions"),
            cache=ctx.cache("rules").parent,
        )
        codes, gate = _gated(ctx, book, segments, codes)
    except ConfigError as exc:
        raise _with_file(exc, path) from None
    ctx.tables["codebook"] = book
    ctx.tables["codes"] = codes
    ctx.tables["code_gate"] = gate
    _write_csv(gate, ctx.stage_dir / "code_gate.csv")
    ctx.counts["codes_needing_review"] = int((~gate["passes"].astype(bool)).sum())
    ctx.models["codes"] = (
        "codebook rules on spaCy lemmas + semantic similarity to definitions and examples "
        "(all-MiniLM-L6-v2)"
    )
    ctx.models["embedder"] = "all-MiniLM-L6-v2"
    _write_csv(codes, ctx.stage_dir / "codes.csv")
    ctx.counts["codes"] = len(codes)


def _embed_on_engine(
    ctx: RunContext, segments: pd.DataFrame, *, clauses: bool = False, max_rows: int = 512
) -> None:
    """Embed the analysed texts the vector cache lacks, one partition per transcript chunk.

    With ``clauses``, also their clauses (what coding encodes). The vectors go into the
    process's cached embedder, where coding and the theme model find them. The
    segments' own texts go through the emotion model's pass when a stage will score
    them (:func:`~insights.study._partitions.score_embed_partition`): one pass per
    segment gives its scores and its embedding.
    """
    from ..codebook import embedded_texts
    from ..embed import CachedEmbedder, MiniLMEmbedder, get_embedder
    from ._engine import by_transcript
    from ._partitions import embed_partition, score_embed_partition

    cached = get_embedder()
    if not isinstance(cached, CachedEmbedder):  # pragma: no cover - the default is cached
        return
    inner = cached.inner
    rows = analysed_rows(segments)
    chunks = [p["text"].astype(str).tolist() for p in by_transcript(rows, max_rows=max_rows)]
    if ctx.scores_emotions and type(inner) is MiniLMEmbedder and inner.model_path is None:
        _embed_chunks(ctx, cached, chunks, score_embed_partition)
    if clauses:
        chunks = [embedded_texts(c) for c in chunks]
    _embed_chunks(ctx, cached, chunks, embed_partition)


def _embed_chunks(ctx: RunContext, cached: Any, chunks: list[list[str]], fn: Any) -> None:
    """The texts of ``chunks`` the cache lacks, embedded by ``fn`` on the engine and stored.

    With the emotion model's pass, its scores are kept in ``ctx.emotion_scores``.
    """
    todo = set(cached.missing([t for c in chunks for t in c]))
    parts = []
    for chunk in chunks:
        texts = [t for t in dict.fromkeys(chunk) if t in todo]
        todo.difference_update(texts)
        if texts:
            parts.append(texts)
    found = ctx.engine.map(fn, parts, stage="embedding", sizes=[len(p) for p in parts])
    for texts, vec in zip(parts, found, strict=True):
        if isinstance(vec, tuple):  # (vectors, emotion scores) of the emotion model's pass
            vec, scores = vec
            ctx.emotion_scores.update(zip(texts, scores, strict=True))
        cached.store(texts, vec)


def _stage_themes(ctx: RunContext) -> None:
    """Discover themes, or assign to a saved model's themes without refitting (ids stay the same).

    The saved model is ``<study>/theme_model`` (curated in notebook 02), else the one the
    previous run wrote to the output folder; ``refit_themes`` fits afresh. With the
    emotions scored (that stage runs first), each segment's stance goes to the fit, so no
    label is one side of a two-sided theme ("Engineer", not "Engineer didn't turn up").
    """
    import pandas as pd

    from ..summarize import segment_stances, theme_prevalence
    from ..themes import FROM_COLUMN, METHOD_DESCRIPTIONS, ThemeModel, themes_from_context

    everything = ctx.tables["segments"]
    segments, other = theme_segments(ctx)  # the embedder and the labels read its language
    emotions = ctx.tables.get("emotions")
    if emotions is not None and len(emotions):
        side = segment_stances(emotions).set_index("segment_id")["stance"]
        segments = segments.assign(stance=segments["segment_id"].astype(str).map(side).fillna(""))
    curated, previous = ctx.study.path / "theme_model", ctx.stage_dir.parent / "theme_model"
    _embed_on_engine(ctx, segments)
    saved = saved_theme_model(ctx)
    if saved is not None and not ctx.refit_themes:
        model = ThemeModel.load(saved, cache_dir=ctx.cache("content"))
        assignments = model.transform(segments)
        themes = model.summarize(segments, assignments)
        if saved == previous:
            model.save(ctx.stage_dir / "theme_model")
        where = "the study's theme_model" if saved == curated else "the previous run"
        ctx.models["themes"] = (
            f"saved theme model from {where} (not refitted; insights run --refit-themes refits)"
        )
        ctx.changes["themes"] = f"assigned to the themes of {where}"
    else:
        model = fitting_model(ctx).fit(segments)  # its content words read ahead, if they were
        codes = ctx.tables.get("codes")  # a code not yet reviewed still names: a name is no count
        if codes is not None and len(codes):  # codebook codes name the themes they match
            model.name_from_codes(codes)
        assignments, themes = model.assignments_, model.themes_
        if model.sampled_:  # fitted on a sample by transcript: every segment is assigned
            assignments = model.transform(segments)
            themes = model.summarize(segments, assignments)
        model.save(ctx.stage_dir / "theme_model")
        ctx.models["themes"] = (
            f"BERTopic ({METHOD_DESCRIPTIONS[model.method_]}, KeyBERT-inspired + MMR labels)"
        )
        ctx.changes["themes"] = "fitted"
    assignments = themes_from_context(assignments, segments, themes)
    if (assignments[FROM_COLUMN] != "").any():
        themes = model.summarize(segments, assignments)
    if (other != "").any():  # left out for their language: listed with the reason
        left = pd.DataFrame(
            {
                "segment_id": everything.loc[other != "", "segment_id"].astype(str).to_numpy(),
                "theme_id": -1,
                "probability": float("nan"),
                "excluded": other[other != ""].to_numpy(),
            }
        )
        assignments = pd.concat([assignments, left], ignore_index=True).fillna({FROM_COLUMN: ""})
    ctx.tables["themes"] = themes
    ctx.tables["assignments"] = assignments
    _write_csv(themes, ctx.stage_dir / "themes.csv")
    _write_csv(assignments, ctx.stage_dir / "assignments.csv")
    if "segment" in segments.columns:
        prev = theme_prevalence(assignments, segments, by="segment", themes=themes)
        ctx.tables["theme_prevalence"] = prev
        _write_csv(prev, ctx.stage_dir / "theme_prevalence.csv")
    ctx.counts["themes"] = int((themes["theme_id"] != -1).sum())


def _emotion_partitions(ctx: RunContext, rows: pd.DataFrame, max_rows: int = 1024) -> pd.DataFrame:
    """``score_emotions`` of ``rows``, a partition per transcript (chunk) on the engine."""
    import pandas as pd

    from ..emotions import score_emotions
    from ._engine import by_transcript
    from ._partitions import EmotionsTask, emotions_partition

    parts = by_transcript(rows, max_rows=max_rows)
    if not parts:
        return score_emotions(rows)
    known = ctx.emotion_scores  # scored by the pass that embedded them
    tasks = [
        EmotionsTask(p, {t: known[t] for t in p["text"].astype(str) if t in known}) if known else p
        for p in parts
    ]
    found = ctx.engine.map(
        emotions_partition, tasks, stage="emotions", sizes=[len(p) for p in parts]
    )
    return pd.concat(found, ignore_index=True)


def _stage_emotions(ctx: RunContext) -> None:
    """Score participant segments with the emotion model.

    Texts scored before come from the cache.
    """
    import pandas as pd

    from .._rerun import cached_rows
    from ..emotions import get_emotion_model
    from ..schema import EMOTION_COLUMNS

    model = get_emotion_model()
    lang = ctx.study.config.language
    rows = analysed_rows(ctx.tables["segments"])
    scored = analysed_rows(rows, language=lang)
    read_ahead(ctx)  # the themes' spaCy pass, in a thread beside the emotion model's
    _embed_on_engine(ctx, scored)  # one pass embeds and scores (the themes read the vectors)
    emotions = cached_rows(
        scored,
        lambda df: _emotion_partitions(ctx, df),
        folder=ctx.cache("emotions"),
        namespace=f"emotions:{model.fingerprint()}",
    )
    left = rows[language_exclusions(rows, lang) != ""]
    if len(left):  # kept as rows without scores, so every analysed segment has its note
        unscored = pd.DataFrame(
            {
                "segment_id": left["segment_id"].astype(str).to_numpy(),
                "emotions": "",
                "ekman": "",
                "note": [
                    f"not scored: transcript in {x}; the model reads {lang}"
                    for x in left["language"].astype(str)
                ],
            }
        ).reindex(columns=list(EMOTION_COLUMNS))
        order = {sid: i for i, sid in enumerate(rows["segment_id"].astype(str))}
        attrs = dict(emotions.attrs)
        emotions = pd.concat([emotions, unscored], ignore_index=True)
        emotions = emotions.iloc[emotions["segment_id"].map(order).argsort(kind="stable")]
        emotions = emotions.reset_index(drop=True)
        emotions.attrs.update(attrs)
    ctx.tables["emotions"] = emotions
    ctx.models["emotions"] = f"GoEmotions MiniLM (insights/models/emotions, {model.fingerprint()})"
    ctx.changes["emotions_cached"] = int(emotions.attrs.get("cached", 0))
    _write_csv(emotions, ctx.stage_dir / "emotions.csv")
    from insights.emotions import approval_rows

    emotional = ~emotions["emotions"].isin(("", "neutral")).to_numpy() & ~approval_rows(emotions)
    ctx.counts["emotional_segments"] = int(emotional.sum())


def _stage_triggers(ctx: RunContext) -> None:
    """Causes of each emotional segment, with theme and intent.

    Also drivers and baseline/delight per theme.
    """
    from ..summarize import (
        applied_codes,
        baseline_delight,
        drivers,
        segment_stances,
        theme_members,
        theme_stance,
        told_events,
        told_stances,
    )

    segments = ctx.tables["segments"]
    rows = analysed_rows(segments, language=ctx.study.config.language)
    emotions = ctx.tables.get("emotions")
    if emotions is None:  # emotions skipped: score here, but write no emotions.csv
        emotions = _emotion_partitions(ctx, rows)
    found = dict(
        codes=applied_codes(ctx.tables.get("codes")),
        themes=ctx.tables.get("themes"),
        assignments=ctx.tables.get("assignments"),
    )
    from ._partitions import trigger_partitions

    triggers, intents = trigger_partitions(ctx, segments, emotions, **found)
    by = "segment" if "segment" in segments.columns else None  # the participants' segment / persona
    ctx.models["triggers"] = (
        "cause ranker and own-cause model trained on RECCON (insights/models/triggers) over "
        "clauses of the same and earlier turns; intent: cues, a dependency-parse proposer and "
        "rules (negation, conditionals, others' reports, technical uses) checked by a "
        "logistic regression on MiniLM "
        "(insights/models/intent)"
    )
    ctx.tables["triggers"] = triggers
    ctx.tables["intents"] = intents
    outcome = outcome_column(segments, ctx.study.config.outcome)
    # the calm accounts ("nobody came"): what participants' words tell happened, read from the
    # embeddings the embedding stage cached, for the segments whose feelings name no side
    from ..embed import get_embedder

    ids = rows["segment_id"].astype(str).tolist()
    told = dict(
        zip(ids, told_stances(rows["text"].astype(str).tolist(), get_embedder()), strict=True)
    )
    events = told_events(emotions, told, segments=segments, **found)
    if found["assignments"] is not None:  # each theme's going-wrong and going-right sides
        from ..themes import theme_sides

        ctx.tables["themes_sides"] = theme_sides(
            found["assignments"],
            emotions,
            stances=segment_stances(emotions, triggers=triggers),
            members=theme_members(found["assignments"], found["themes"], triggers=triggers),
            themes=found["themes"],
            segments=segments,
            cache=ctx.cache("content"),
        )
    drive = dict(intents=intents, events=events, outcome=outcome, by=by)
    drive.update(themes=found["themes"], codes=found["codes"])
    ctx.tables["drivers"] = drivers(triggers, segments, **drive)
    names = ["triggers", "intents", "drivers", "needs"]
    stance = None
    if found["assignments"] is not None:  # which way each theme went: wrong, right, neither
        stance = theme_stance(
            found["assignments"],
            emotions,
            triggers=triggers,
            themes=found["themes"],
            segments=segments,
            told=told,
        )
        ctx.tables["theme_stance"] = stance
        names += ["theme_stance", "themes_sides"]
    ctx.tables["needs"] = baseline_delight(
        emotions, segments=segments, triggers=triggers, stance=stance, **found
    )
    for name in names:
        _write_csv(ctx.tables[name], ctx.stage_dir / f"{name}.csv")
    ctx.counts["triggers"] = len(triggers)
    sure = intents["confidence"] >= INTENT_FLOOR  # what drivers and the headline count
    ctx.counts["leave_or_warn_segments"] = int(
        (intents["intent"].isin(("leave", "warn_others")) & sure).sum()
    )
    ctx.counts["stay_or_recommend_segments"] = int(
        (intents["intent"].isin(("stay", "recommend")) & sure).sum()
    )


def _stage_report(ctx: RunContext) -> None:
    from ..report import write_reports

    data = report_data(
        ctx.study, ctx.tables, counts=ctx.counts, models=ctx.models, changes=ctx.changes
    )
    ctx.timings.update(write_reports(data, ctx.stage_dir, transcripts=ctx.transcripts))


@dataclass(frozen=True)
class Stage:
    """One stage of :func:`run`: its name, the tables it reads and the tables it adds."""

    name: str
    fn: Callable[[RunContext], None]
    needs: tuple[str, ...]
    makes: tuple[str, ...]


#: the stages of :func:`run`, in order. Each reads ``needs`` from ctx.tables (those that
#: exist: a skipped stage's tables are absent) and adds ``makes``.
STAGES: tuple[Stage, ...] = (
    Stage("segments", _stage_segments, (), ("segments", "skipped", "decisions")),
    Stage("codes", _stage_codes, ("segments", "decisions"), ("codebook", "codes", "code_gate")),
    Stage("emotions", _stage_emotions, ("segments",), ("emotions",)),
    Stage(
        "themes",
        _stage_themes,
        ("segments", "emotions"),
        ("themes", "assignments", "theme_prevalence"),
    ),
    Stage(
        "triggers",
        _stage_triggers,
        ("segments", "emotions", "codes", "themes", "assignments"),
        ("triggers", "intents", "drivers", "needs", "theme_stance", "themes_sides"),
    ),
    Stage(
        "report",
        _stage_report,
        ("codebook", *OUTPUT_TABLES),
        (),
    ),
)


def stage_names() -> list[str]:
    """The names of :data:`STAGES`, in order."""
    return [st.name for st in STAGES]
