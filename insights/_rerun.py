"""Re-runs: what changed since the last run, and caches by content so only new work is done.

- :class:`ParseCache` keeps each parsed transcript under the SHA-256 of its file's
  bytes (and the reading options), so an unchanged file is never parsed twice.
- :func:`cached_values` / :func:`cached_rows` run a per-text function only on texts
  not seen before (emotion scores, keyword matches, content words), keyed by the
  text's hash and a namespace naming the model and its version.
- :class:`PartitionCache` keeps a stage's partition results (one transcript's
  codes, triggers...) under a key of their inputs, for either engine.
- :func:`compare_inputs` says which transcripts were added, changed, removed or
  unchanged since the previous ``run.json``.

Segment ids need no cache: they are ``<transcript_id>-t<turn>-s<k>``, so adding a
transcript leaves every other id as it was. Human decisions live in the study
folder (``decisions.csv``), which a run never writes, so they survive every re-run.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._safe import write_bytes_atomic
from .schema import OutputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "CACHE_ENV",
    "machine_cache_dir",
    "ParseCache",
    "cached_values",
    "cached_rows",
    "compare_inputs",
    "previous_inputs",
    "file_sha256",
    "CACHE_VERSION",
    "PartitionCache",
    "frame_digest",
    "code_fingerprint",
    "MISSING",
]

#: bump when the parsed form changes, to invalidate old caches
CACHE_VERSION = "1"


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


#: environment variable that moves the machine's cache folder.
CACHE_ENV = "INSIGHTS_CACHE_DIR"


def machine_cache_dir() -> Path:
    """``$INSIGHTS_CACHE_DIR``, else ``~/.cache/insights``: what is kept once per machine.

    Embeddings, ONNX exports and the unpacked language model live under it; a study's
    own caches live in its output folder.
    """
    root = os.environ.get(CACHE_ENV)
    return Path(root) if root else Path.home() / ".cache" / "insights"


class ParseCache:
    """Parsed transcripts on disk, keyed by file content + reading options.

    Parameters
    ----------
    folder : Path
        Where the cache lives (``<output>/.cache/parse`` in a run).

    Examples
    --------
    >>> cache = ParseCache(tmp / "parse")                       # doctest: +SKIP
    >>> t = cache.read(path, lambda p: read_transcript(p), options_key="...")  # doctest: +SKIP
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.hits = 0
        self.misses = 0

    def key(self, path: Path, options_key: str = "") -> str:
        from importlib.metadata import PackageNotFoundError, version

        try:
            v = version("insights")
        except PackageNotFoundError:  # pragma: no cover
            v = "dev"
        return hashlib.sha256(
            f"{CACHE_VERSION}\0{v}\0{options_key}\0{path.name}\0{file_sha256(path)}".encode()
        ).hexdigest()[:32]

    def get(self, path: str | Path, *, options_key: str = "") -> Any:
        """The cached transcript of ``path`` for these bytes and options, else None."""
        path = Path(path)
        try:
            entry = self.folder / f"{self.key(path, options_key)}.pkl"
        except OSError:
            return None
        if not entry.exists():
            return None
        try:
            obj = pickle.loads(entry.read_bytes())
        except Exception:  # noqa: BLE001 - a damaged cache entry is re-parsed
            entry.unlink(missing_ok=True)
            return None
        obj.source = str(path)  # the file may have moved
        self.hits += 1
        return obj

    def put(self, path: str | Path, obj: Any, *, options_key: str = "") -> None:
        """Keep ``obj``, the transcript read from ``path`` (a read-only cache keeps nothing)."""
        self.misses += 1
        try:
            entry = self.folder / f"{self.key(Path(path), options_key)}.pkl"
            write_bytes_atomic(entry, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, OutputError):
            pass

    def read(
        self, path: str | Path, reader: Callable[[Path], Any], *, options_key: str = ""
    ) -> Any:
        """``reader(path)``, or its cached result for the same bytes and options."""
        path = Path(path)
        try:
            entry = self.folder / f"{self.key(path, options_key)}.pkl"
        except OSError:  # a folder or an unreadable file: the reader says so in one line
            return reader(path)
        if entry.exists():
            try:
                obj = pickle.loads(entry.read_bytes())
                obj.source = str(path)  # the file may have moved
                self.hits += 1
                return obj
            except Exception:  # noqa: BLE001 - a damaged cache entry is re-parsed
                entry.unlink(missing_ok=True)
        obj = reader(path)
        self.misses += 1
        try:
            write_bytes_atomic(entry, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, OutputError):  # a read-only cache never stops a run
            pass
        return obj


def _text_key(namespace: str, text: str) -> str:
    return hashlib.sha1(f"{namespace}\0{text}".encode()).hexdigest()


def cached_values(
    texts: Sequence[str],
    fn: Callable[[list[str]], Sequence[Any]],
    *,
    folder: str | Path | None,
    namespace: str,
) -> tuple[list[Any], int]:
    """``fn`` of every text, computed only for texts not seen before under ``namespace``.

    ``fn`` takes a list of distinct texts and returns one value per text. Values live
    in ``folder`` (one subfolder per namespace: model, version, rules…), keyed by the
    text's hash; ``folder=None`` keeps nothing (every distinct text is computed).
    Returns the values in the order of ``texts`` and how many texts were found in the
    cache. A damaged or unwritable cache only means work is redone.

    Each call that computes something writes only its new values, as one more shard of
    the namespace's store (:class:`_ShardStore`), so a run that calls this once per
    transcript writes each value once (not the whole store again each time).
    """
    store = None if folder is None else _ShardStore.of(Path(folder), namespace)
    values = {} if store is None else store.read()
    keys = [_text_key(namespace, t) for t in texts]
    todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in values}
    fresh: dict[str, Any] = {}
    if todo:
        computed = list(fn(list(todo.values())))
        if len(computed) != len(todo):
            raise ValueError(f"{namespace}: {len(todo)} texts in, {len(computed)} values out")
        fresh = dict(zip(todo, computed, strict=True))
        if store is not None:
            store.add(fresh)
    return [fresh[k] if k in fresh else values[k] for k in keys], sum(k not in todo for k in keys)


class _ShardStore:
    """One namespace's values on disk: shards of ``{key: value}`` pickles in one folder.

    A call adds one shard with its new values (written atomically). What this process
    read is kept in memory with each shard's size and time, so the next call reads only
    the shards added since (by any process); a shard that changed or went away makes it
    read the folder afresh. Past :attr:`max_shards` shards, the store is rewritten as
    one. A store of more than :attr:`max_memory` values is not kept in memory.
    """

    max_shards = 32
    max_memory = 200_000
    _open: dict[Path, _ShardStore] = {}
    _lock = threading.Lock()

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen: dict[str, tuple[int, int]] = {}  # shard name -> (size, mtime_ns) read
        self.values: dict[str, Any] = {}

    @classmethod
    def of(cls, folder: Path, namespace: str) -> _ShardStore:
        path = folder / hashlib.sha1(namespace.encode()).hexdigest()[:16]
        with cls._lock:
            store = cls._open.get(path)
            if store is None:
                store = cls._open[path] = cls(path)
            return store

    def _shards(self) -> dict[str, tuple[int, int]]:
        try:
            with os.scandir(self.path) as it:
                found = {}
                for e in it:
                    if e.name.endswith(".pkl") and not e.name.startswith("."):
                        st = e.stat()
                        found[e.name] = (st.st_size, st.st_mtime_ns)
                return found
        except OSError:
            return {}

    def read(self) -> dict[str, Any]:
        """Every value of the store (what is new on disk read, the rest from memory)."""
        with self._lock:
            found = self._shards()
            if any(found.get(name) != sig for name, sig in self.seen.items()):
                self.seen, self.values = {}, {}
            for name in sorted(set(found) - set(self.seen)):
                try:
                    part = pickle.loads((self.path / name).read_bytes())
                except Exception:  # noqa: BLE001 - a damaged shard is only work redone
                    part = None
                if isinstance(part, dict):
                    self.values.update(part)
                self.seen[name] = found[name]
            values = self.values
            if len(values) > self.max_memory:  # read afresh next time: memory stays bounded
                self.seen, self.values = {}, {}
            return values

    def add(self, fresh: dict[str, Any]) -> None:
        """Write ``fresh`` as a new shard (and compact the store when it has too many)."""
        import time
        import uuid

        with self._lock:
            try:
                self.path.mkdir(parents=True, exist_ok=True)
                compact = len(self.seen) + 1 > self.max_shards and bool(self.values)
                part = {**self.values, **fresh} if compact else fresh
                name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.pkl"
                write_bytes_atomic(
                    self.path / name, pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)
                )
                st = (self.path / name).stat()
                if compact:
                    for old in self.seen:
                        (self.path / old).unlink(missing_ok=True)
                    self.seen = {}
                self.seen[name] = (st.st_size, st.st_mtime_ns)
                if len(self.values) <= self.max_memory:
                    self.values.update(fresh)
            except (OSError, OutputError):  # a read-only cache never stops a run
                pass


def cached_rows(
    segments: pd.DataFrame,
    fn: Callable[[pd.DataFrame], pd.DataFrame],
    *,
    folder: str | Path,
    namespace: str,
    text_column: str = "text",
) -> pd.DataFrame:
    """``fn(segments)`` computed only for texts not seen before (by ``namespace``: model + version).

    ``fn`` must return one row per input row with a ``segment_id`` column (like
    :func:`insights.emotions.score_emotions`). Rows of texts seen before come from the
    cache (:func:`cached_values`); the result has one row per input row, in input
    order, with this call's ``segment_id`` s.
    """
    import pandas as pd

    texts = [str(t) for t in segments[text_column].fillna("")]
    first: dict[str, int] = {}
    for i, t in enumerate(texts):
        first.setdefault(t, i)
    values, cached = cached_values(
        texts,
        lambda todo: fn(segments.iloc[[first[t] for t in todo]]).to_dict("records"),
        folder=folder,
        namespace=namespace,
    )
    ids = (
        segments["segment_id"].astype(str).tolist()
        if "segment_id" in segments.columns
        else [str(i) for i in range(len(segments))]
    )
    out = pd.DataFrame.from_records(
        [{**v, "segment_id": sid} for v, sid in zip(values, ids, strict=True)]
    )
    out.attrs["cached"] = cached
    return out


def previous_inputs(out_dir: str | Path) -> dict[str, str] | None:
    """``{file name: sha256}`` of the previous run's inputs (None when there was none)."""
    p = Path(out_dir) / "run.json"
    if not p.exists():
        return None
    try:
        info = json.loads(p.read_text(encoding="utf-8"))
        return {i["file"]: i["sha256"] for i in info.get("inputs", [])}
    except (ValueError, KeyError, TypeError):
        return None


def compare_inputs(previous: dict[str, str] | None, current: dict[str, str]) -> dict[str, Any]:
    """Which input files were added, changed, removed or unchanged since the previous run.

    Examples
    --------
    >>> compare_inputs(
    ...     {"a.txt": "1", "b.txt": "2"}, {"a.txt": "1", "b.txt": "3", "c.txt": "4"}
    ... )["added"]
    ['c.txt']
    """
    if previous is None:
        return {
            "first_run": True,
            "added": sorted(current),
            "changed": [],
            "removed": [],
            "unchanged": [],
        }
    return {
        "first_run": False,
        "added": sorted(set(current) - set(previous)),
        "changed": sorted(f for f in current if f in previous and previous[f] != current[f]),
        "removed": sorted(set(previous) - set(current)),
        "unchanged": sorted(f for f in current if previous.get(f) == current[f]),
    }


def frame_digest(frame: Any) -> str:
    """A SHA-256 of a table's columns, dtypes and values (``None``: of nothing).

    The same rows give the same digest in every process and run (the row labels are
    left out: a transcript's rows keep their digest when an earlier transcript grows).

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"text": ["Hi", "Yes"]})
    >>> frame_digest(a) == frame_digest(a.set_axis([7, 8]))
    True
    >>> frame_digest(a) == frame_digest(a.iloc[:1])
    False
    """
    h = hashlib.sha256()
    if frame is None:
        h.update(b"none")
        return h.hexdigest()
    h.update(repr([str(c) for c in frame.columns]).encode())
    h.update(repr([str(t) for t in frame.dtypes]).encode())
    h.update(frame.to_csv(index=False).encode())
    return h.hexdigest()


_CODE_DIGEST: list[str] = []


def code_fingerprint() -> str:
    """A digest of this insights' code and shipped model files (``.py``, ``.json``, weights).

    Part of every partition result's key, so results made by other code are never reused
    (a new version, or an edit in a checkout).
    """
    if not _CODE_DIGEST:
        root = Path(__file__).parent
        h = hashlib.sha256(CACHE_VERSION.encode())
        for f in sorted(root.rglob("*")):
            if f.suffix in (".py", ".json", ".safetensors") and "__pycache__" not in f.parts:
                h.update(str(f.relative_to(root)).encode() + b"\0")
                h.update(hashlib.sha256(f.read_bytes()).digest())
        _CODE_DIGEST.append(h.hexdigest())
    return _CODE_DIGEST[0]


#: what :meth:`PartitionCache.get` returns for a partition it does not hold
MISSING = object()


class PartitionCache:
    """Results of a stage's partitions on the client's disk, keyed by their inputs.

    A partition's key (:meth:`key`) is the SHA-256 of the stage, this code
    (:func:`code_fingerprint`) and the parts that say what the partition computes: the
    digests of its rows (:func:`frame_digest`), the model and configuration fingerprints.
    The client reads and writes the entries, so workers need no shared disk; a re-run
    computes only the partitions whose inputs changed, and takes the others as they were
    computed (the same bytes, whichever engine made them).

    Parameters
    ----------
    folder : Path
        Where the results live (``<output>/.cache/partitions`` in a run).

    Examples
    --------
    >>> cache = PartitionCache(tmp / "partitions")  # doctest: +SKIP
    >>> k = cache.key("coding", frame_digest(rows), book_sha)  # doctest: +SKIP
    >>> cache.get(k) is MISSING  # doctest: +SKIP
    True
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.hits = 0
        self.misses = 0

    def key(self, stage: str, *parts: str) -> str:
        """The key of one partition of ``stage`` whose inputs are described by ``parts``."""
        material = "\0".join([CACHE_VERSION, code_fingerprint(), stage, *map(str, parts)])
        return hashlib.sha256(material.encode()).hexdigest()[:40]

    def get(self, key: str) -> Any:
        """The result kept under ``key``, else :data:`MISSING`."""
        entry = self.folder / f"{key}.pkl"
        try:
            obj = pickle.loads(entry.read_bytes())
        except FileNotFoundError:
            self.misses += 1
            return MISSING
        except Exception:  # noqa: BLE001 - a damaged entry is computed again
            entry.unlink(missing_ok=True)
            self.misses += 1
            return MISSING
        self.hits += 1
        return obj

    def put(self, key: str, result: Any) -> None:
        """Keep ``result`` under ``key`` (a read-only cache keeps nothing)."""
        try:
            data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            write_bytes_atomic(self.folder / f"{key}.pkl", data)
        except (OSError, OutputError, pickle.PicklingError):
            pass
