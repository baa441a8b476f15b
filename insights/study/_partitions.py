"""The partition functions of the per-segment stages: one transcript's rows in, records out.

Each is a module-level function of one picklable task, so a Dask worker can run it (it
imports insights) and so can this process: :mod:`insights.study._engine` runs the very
same calls either way. A partition never reads a per-process cache that another
partition may have filled (embedders are used without their disk cache; span scores
are not cached here): what it computes depends on its own rows only, so the tables
are the same whichever worker, or engine, computed it. Models are loaded once per
process.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..embed import Embedder
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


class _CallMemo(Embedder):
    """An embedder that remembers whole calls: the same list of texts is encoded once.

    A codebook's definitions and examples, encoded by every coding partition in the same
    batches, are computed once per process, while a segment's vector never depends on
    which partitions a worker ran before (a text is only ever served from the call that
    held it, with the same batch companions).
    """

    def __init__(self, inner: Embedder, *, calls: int = 64, max_texts: int = 2048) -> None:
        self.inner, self.name, self.dimension = inner, inner.name, inner.dimension
        self._calls: dict[tuple[str, ...], Any] = {}
        self._size, self._max_texts = calls, max_texts

    def encode(self, texts: Sequence[str]) -> Any:
        """``inner.encode(texts)``, or the vectors of the last call with exactly these texts."""
        key = tuple(str(t) for t in texts)
        hit = self._calls.get(key)
        if hit is None:
            hit = self.inner.encode(list(key))
            if len(key) <= self._max_texts:
                if len(self._calls) >= self._size:
                    self._calls.pop(next(iter(self._calls)))
                self._calls[key] = hit
        return hit.copy()


_MEMO: list[_CallMemo] = []


def _embedder() -> _CallMemo:
    """The process's MiniLM without its disk cache (whose contents differ between workers)."""
    from ..embed import get_embedder

    if not _MEMO:
        _MEMO.append(_CallMemo(get_embedder(cache_dir=False)))
    return _MEMO[0]


def embed_partition(texts: list[str]) -> Any:
    """The vectors of ``texts`` (one row per text), for ``CachedEmbedder.add`` in the client."""
    return _embedder().inner.encode(texts)


def emotions_partition(rows: pd.DataFrame) -> pd.DataFrame:
    """The emotions table of ``rows`` (one transcript's analysed segments)."""
    from ..emotions import get_emotion_model, score_emotions

    return score_emotions(rows, model=get_emotion_model())


#: the columns of a transcript's segments each partition reads (what is shipped and
#: keyed: a participant attribute that changes, or turns from int to float because a
#: new transcript has no row in participants.csv, recomputes nothing)
CODES_READS = ("segment_id", "text", "role")
TRIGGERS_READS = ("segment_id", "transcript_id", "turn", "speaker", "role", "text", "language")


def columns_read(frame: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """``frame``'s columns among ``names`` (in ``names``' order), its rows relabelled 0..n-1."""
    return frame[[c for c in names if c in frame.columns]].reset_index(drop=True)


@dataclass
class CodesTask:
    """One transcript's segments to code with ``codebook`` (human decisions come after)."""

    segments: Any
    codebook: Any
    rules_cache: str | None
    options: dict[str, Any] | None = None  # code_segments keywords (uncodable, rules_only)


def codes_partition(task: CodesTask) -> pd.DataFrame:
    """The model's codes of one transcript's segments (rule matches may be cached)."""
    from ..codebook import code_segments

    return code_segments(
        task.segments,
        task.codebook,
        embedder=_embedder(),
        cache=task.rules_cache,
        **(task.options or {}),
    )


@dataclass
class TriggersTask:
    """One transcript: its segments, their emotions, and what names a cause's theme."""

    segments: Any
    emotions: Any
    codes: Any
    themes: Any
    assignments: Any
    language: str
    provider: tuple[str, ...]


def triggers_partition(task: TriggersTask) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(triggers, intents)`` of one transcript (each segment's intent read once, in context)."""
    import pandas as pd

    from ..emotions import get_emotion_model
    from ..schema import analysed_rows
    from ..triggers import find_triggers, segment_intents

    segments, embedder = task.segments, _embedder()
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
        codes=task.codes,
        themes=task.themes,
        assignments=task.assignments,
        intents=intents,
    )
    return triggers, intents


# the client's side: partitions cut, keyed, mapped on the engine and put together


def code_partitions(
    ctx: Any,
    segments: pd.DataFrame,
    book: Any,
    *,
    uncodable: list[str] = (),
    rules_only: list[str] = (),
) -> pd.DataFrame:
    """``code_segments`` of each transcript on the engine; human decisions applied here.

    ``uncodable`` and ``rules_only`` (segment ids, see :func:`_talk_about_nothing`) go
    to each partition for its own segments.
    """
    import pandas as pd

    from .._rerun import file_sha256, frame_digest
    from ..codebook import apply_decisions
    from ..schema import CODE_COLUMNS, empty_table
    from ._engine import by_transcript

    parts = [columns_read(p, CODES_READS) for p in by_transcript(segments)]
    rules = str(ctx.cache("rules")) if ctx.engine.name == "local" else None
    cache = ctx.partition_cache()
    book_key = (file_sha256(ctx.study.codebook_path), ctx.versions_key)
    tasks, keys = [], []
    for p in parts:
        ids = set(p["segment_id"].astype(str))
        options = {
            "uncodable": [i for i in uncodable if i in ids],
            "rules_only": [i for i in rules_only if i in ids],
        }
        tasks.append(CodesTask(p, book, rules, options))
        keys.append(cache.key("coding", *book_key, frame_digest(p), repr(sorted(options.items()))))
    found = ctx.engine.map(
        codes_partition,
        tasks,
        stage="coding",
        sizes=[len(p) for p in parts],
        keys=keys,
        cache=cache,
    )
    codes = pd.concat(found, ignore_index=True) if found else empty_table(CODE_COLUMNS)
    decisions = ctx.tables.get("decisions")
    if decisions is not None:
        codes = apply_decisions(codes, decisions)
    if codes.empty:
        return codes.reset_index(drop=True)
    order = {sid: i for i, sid in enumerate(segments["segment_id"].astype(str))}
    return (
        codes.assign(_o=codes["segment_id"].astype(str).map(order).fillna(len(order)))
        .sort_values(["_o", "confidence"], ascending=[True, False], kind="stable")
        .drop(columns="_o")
        .reset_index(drop=True)
    )


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
    from ._engine import by_transcript

    cfg, cache, versions = ctx.study.config, ctx.partition_cache(), ctx.versions_key
    tasks, sizes, keys = [], [], []
    for part in by_transcript(segments):
        ids = set(part["segment_id"].astype(str))
        # of codes, themes and assignments a cause reads its theme's name only (best
        # first): a re-run's new assignment probabilities do not recompute its transcript
        mine = subset(assignments, ids)
        if mine is not None and {"theme_id", "probability"} <= set(mine.columns):
            first = {sid: i for i, sid in enumerate(dict.fromkeys(mine["segment_id"]))}
            mine = mine.assign(_o=mine["segment_id"].map(first), _p=-mine["probability"])
            mine = mine.sort_values(["_o", "_p"], kind="stable")[["segment_id", "theme_id"]]
        named = themes
        if themes is not None and mine is not None and {"theme_id", "label"} <= set(themes):
            named = themes.loc[
                themes["theme_id"].astype(str).isin(set(mine["theme_id"].astype(str))),
                ["theme_id", "label"],
            ]
        task = TriggersTask(
            segments=columns_read(part, TRIGGERS_READS),
            emotions=subset(emotions, ids),
            codes=subset(codes, ids),
            themes=named,
            assignments=mine,
            language=cfg.language,
            provider=cfg.provider_names,
        )
        frames = (task.segments, task.emotions, task.codes, task.themes, task.assignments)
        keys.append(
            cache.key(
                "triggers",
                versions,
                cfg.language,
                repr(cfg.provider_names),
                *map(frame_digest, frames),
            )
        )
        tasks.append(task)
        sizes.append(len(part))
    found = ctx.engine.map(
        triggers_partition, tasks, stage="triggers", sizes=sizes, keys=keys, cache=cache
    )
    triggers = [t for t, _ in found if len(t)]
    intents = [i for _, i in found]
    return (
        pd.concat(triggers, ignore_index=True)
        if triggers
        else empty_table([*TRIGGER_COLUMNS, *TRIGGER_INTENT_COLUMNS]),
        pd.concat(intents, ignore_index=True)
        if intents
        else pd.DataFrame(columns=["segment_id", "intent", "kind", "confidence", "target"]),
    )
