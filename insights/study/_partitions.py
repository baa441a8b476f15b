"""The partition functions of the per-segment stages: one transcript's rows in, records out.

Each is a module-level function of one picklable task, so a Dask worker can run it (it
imports insights) and so can this process: :mod:`insights.study._engine` runs the very
same calls either way. Models are loaded once per process. The local engine's
partitions use the caches a run without partitions uses (the process's vector cache,
``output/.cache/spans`` for span scores and parses), so it does the same work; a
cluster's workers use their own machine's vector cache and keep no span scores.
What needs the whole study (the study's coder, the themes' fit) runs on the client.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InsightsError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


@dataclass
class ReadTask:
    """One transcript to read (``data``: the file's bytes, shipped to the worker) and segment."""

    path: str
    data: bytes | None
    transcript: Any  # a cached Transcript (then ``data`` is None)
    options: Any
    build: dict[str, Any] | None  # build_segments keywords; None: read only
    splitter: tuple[str, str, int] = ("rule", "", 600)  # (kind, spacy model, max chars)


def make_splitter(kind: str, spacy_model: str, max_chars: int):
    from ..segments import split_sentences

    if kind == "spacy":
        from ..nlp import spacy_sentence_splitter

        return spacy_sentence_splitter(spacy_model)
    return lambda text: split_sentences(text, max_chars=max_chars)


def read_partition(task: ReadTask) -> tuple[Any, pd.DataFrame | None] | InsightsError:
    """Read one transcript (from its bytes, under its own file name) and build its segments.

    Returns ``(transcript, segments or None)``, or the :class:`InsightsError` it met
    (naming the study's file, not the worker's copy) for the caller to raise.
    """
    from ..io import read_transcript
    from ..segments import build_segments

    path = Path(task.path)
    t = task.transcript
    try:
        if t is None:
            with tempfile.TemporaryDirectory(prefix="insights-read-") as tmp:
                copy = Path(tmp) / path.name
                copy.write_bytes(task.data or b"")
                try:
                    t = read_transcript(copy, options=task.options)
                except InsightsError as exc:
                    if exc.file is not None and Path(exc.file).name == path.name:
                        exc.file = str(path)
                    raise
            t.source = str(path)
        if task.build is None:
            return t, None
        seg = build_segments(t, splitter=make_splitter(*task.splitter), **task.build)
    except InsightsError as exc:
        if exc.file is None:
            exc.file = str(path)
        return exc
    return t, seg


def embed_partition(texts: list[str]) -> Any:
    """The vectors of ``texts`` (one row per text), for ``CachedEmbedder.store`` in the client.

    Computed by the process's MiniLM itself (not its vector cache), in one call: the
    partition's texts are the batch, whichever engine computes it.
    """
    from ..embed import get_embedder

    return get_embedder(cache_dir=False).encode(texts)


def score_embed_partition(texts: list[str]) -> tuple[Any, list[Any]]:
    """:func:`embed_partition` of ``texts`` from the emotion model's one pass, and the scores.

    The emotion model's base is MiniLM's lower layers: one pass scores the texts and
    gives their all-MiniLM-L6-v2 embeddings (cosine to the embedder's above 0.99999). A
    text longer than one window is embedded by MiniLM itself. The scores (one
    ``EmotionModel.score`` row per text) go to the emotions stage's partitions
    (:class:`EmotionsTask`), so any engine scores each segment once and alike.
    """
    import numpy as np

    from ..embed import get_embedder
    from ..emotions import get_emotion_model

    model = get_emotion_model()
    vectors = np.array(model.score_and_embed(texts), dtype=np.float32)
    long = np.isnan(vectors).any(axis=1)
    if long.any():
        rest = [t for t, cut in zip(texts, long, strict=True) if cut]
        vectors[long] = get_embedder(cache_dir=False).encode(rest)
    p, g, n_windows, truncated = model.score(texts)  # from the pass just made
    return vectors, list(zip(p, g, n_windows, truncated, strict=True))


@dataclass
class EmotionsTask:
    """One transcript's analysed segments, and the scores of their texts made already."""

    rows: Any
    scores: dict[str, Any]


def emotions_partition(task: Any) -> pd.DataFrame:
    """The emotions table of ``task``'s rows (one transcript's analysed segments).

    ``task`` is the rows, or an :class:`EmotionsTask`, whose scores the model takes as
    its own (from :func:`score_embed_partition`'s pass) instead of reading those texts again.
    """
    from ..emotions import get_emotion_model, score_emotions

    model = get_emotion_model()
    rows = task
    if isinstance(task, EmotionsTask):
        rows = task.rows
        model.remember(task.scores)
    return score_emotions(rows, model=model)


#: the columns of a transcript's segments a triggers partition reads (what is shipped
#: and keyed: a participant attribute that changes, or turns from int to float because a
#: new transcript has no row in participants.csv, recomputes nothing)
TRIGGERS_READS = ("segment_id", "transcript_id", "turn", "speaker", "role", "text", "language")


def columns_read(frame: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """``frame``'s columns among ``names`` (in ``names``' order), its rows relabelled 0..n-1."""
    return frame[[c for c in names if c in frame.columns]].reset_index(drop=True)


@dataclass
class TriggersTask:
    """One transcript: its segments and their emotions (``cache``: the span scores' folder).

    Codes and themes are not part of it: a cause's theme is named by the client
    (:func:`insights.triggers.label_causes`), so a re-run whose themes moved recomputes
    no transcript's triggers.
    """

    segments: Any
    emotions: Any
    language: str
    provider: tuple[str, ...]
    cache: str | None = None


def triggers_partition(task: TriggersTask) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(triggers, intents)`` of one transcript (each segment's intent read once, in context)."""
    import pandas as pd

    from ..embed import get_embedder
    from ..emotions import get_emotion_model
    from ..schema import analysed_rows
    from ..triggers import find_triggers, segment_intents

    segments, embedder = task.segments, get_embedder()
    ids = analysed_rows(segments, language=task.language)["segment_id"].astype(str).tolist()
    if ids:
        intents = segment_intents(segments, ids, embedder=embedder, provider=task.provider)
    else:
        intents = pd.DataFrame(columns=["segment_id", "intent", "kind", "confidence", "target"])
    triggers = find_triggers(
        segments,
        emotions=task.emotions,
        model=get_emotion_model(),
        embedder=embedder,
        intents=intents,
        cache=task.cache,
    )
    return triggers, intents


# the client's side: partitions cut, keyed, mapped on the engine and put together


def subset(table: pd.DataFrame | None, ids: set[str]) -> pd.DataFrame | None:
    """``table``'s rows of the segments ``ids`` (a table without segment ids as it is)."""
    if table is None or "segment_id" not in table.columns:
        return table
    return table[table["segment_id"].astype(str).isin(ids)]


def trigger_partitions(
    ctx: Any, segments: pd.DataFrame, emotions: pd.DataFrame, *, codes, themes, assignments
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(triggers, intents)``: find_triggers and detect_intent per transcript on the engine.

    Causes lie in the same transcript (earlier turns), so a transcript is a partition.
    """
    import pandas as pd

    from .._rerun import frame_digest
    from ..schema import TRIGGER_COLUMNS, TRIGGER_INTENT_COLUMNS, empty_table
    from ..triggers import label_causes
    from ._engine import by_transcript

    cfg, cache, versions = ctx.study.config, ctx.partition_cache(), ctx.versions_key
    # the local engine keeps span scores and parses across runs as a run without
    # partitions does; a cluster's workers have no disk of the client's
    spans = str(ctx.cache("spans")) if ctx.engine.name == "local" else None
    tasks, sizes, keys = [], [], []
    for part in by_transcript(segments):
        ids = set(part["segment_id"].astype(str))
        task = TriggersTask(
            segments=columns_read(part, TRIGGERS_READS),
            emotions=subset(emotions, ids),
            language=cfg.language,
            provider=cfg.provider_names,
            cache=spans,
        )
        keys.append(
            cache.key(
                "triggers",
                versions,
                cfg.language,
                repr(cfg.provider_names),
                frame_digest(task.segments),
                frame_digest(task.emotions),
            )
        )
        tasks.append(task)
        sizes.append(len(part))
    found = ctx.engine.map(
        triggers_partition, tasks, stage="triggers", sizes=sizes, keys=keys, cache=cache
    )
    # the causes' themes named once for the study (a lookup of every segment's theme
    # made per transcript would cost transcripts x segments)
    triggers = [t for t, _ in found if len(t)]
    intents = [i for _, i in found]
    return (
        label_causes(
            pd.concat(triggers, ignore_index=True),
            codes=codes,
            themes=themes,
            assignments=assignments,
        )
        if triggers
        else empty_table([*TRIGGER_COLUMNS, *TRIGGER_INTENT_COLUMNS]),
        pd.concat(intents, ignore_index=True)
        if intents
        else pd.DataFrame(columns=["segment_id", "intent", "kind", "confidence", "target"]),
    )
