"""MiniLM's word pieces without transformers (and so without torch): the models' tokenizer.

The ONNX Runtime passes (embeddings, emotions, span scores) need only the word-piece
ids of their texts. ``transformers.AutoTokenizer`` gives them, but importing it imports
torch (about 2 CPU s of a cold run, and the memory of torch's libraries) although no
torch module runs. The fast tokenizer inside it is the ``tokenizers`` package reading
the model's ``tokenizer.json``: this reads the same file with the same package, with
the file's fixed padding and truncation (128) switched off, so the ids are the same
(checked against ``AutoTokenizer`` in ``tests/test_tokens.py``). Without
``tokenizers`` or ``tokenizer.json``, ``AutoTokenizer`` serves.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path

__all__ = ["WordPieces", "word_pieces", "versions_stamp", "model_threads"]


class WordPieces:
    """The word pieces of a BERT tokenizer folder (``tokenizer.json``), as lists of ids.

    Examples
    --------
    >>> from insights.embed import minilm_path
    >>> tok = word_pieces(minilm_path())
    >>> tok.ids(["Hello there"], special=True)
    [[101, 7592, 2045, 102]]
    >>> tok.ids(["Hello there"], special=False), (tok.cls_token_id, tok.sep_token_id)
    ([[7592, 2045]], (101, 102))
    """

    def __init__(self, model_dir: str | Path) -> None:
        folder = Path(model_dir)
        self._lock = threading.Lock()
        meta = {}
        for name in ("special_tokens_map.json", "tokenizer_config.json"):
            f = folder / name
            if f.exists():
                meta = {**json.loads(f.read_text(encoding="utf-8")), **meta}
        cls = _token(meta.get("cls_token"), "[CLS]")
        sep = _token(meta.get("sep_token"), "[SEP]")
        try:
            from tokenizers import Tokenizer

            fast = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except (ImportError, OSError, ValueError, Exception):  # noqa: BLE001 - fall back below
            fast = None
        if fast is not None:
            fast.no_padding()
            fast.no_truncation()
            self._fast, self._slow = fast, None
            self.cls_token_id = fast.token_to_id(cls)
            self.sep_token_id = fast.token_to_id(sep)
        else:  # pragma: no cover - tokenizers comes with transformers
            from transformers import AutoTokenizer

            self._fast = None
            self._slow = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
            self.cls_token_id = self._slow.cls_token_id
            self.sep_token_id = self._slow.sep_token_id

    def ids(
        self, texts: Sequence[str], *, special: bool, max_length: int | None = None
    ) -> list[list[int]]:
        """The ids of each text: with ``[CLS] … [SEP]`` (``special``), cut to ``max_length``.

        ``max_length`` counts the special tokens (``AutoTokenizer``'s ``truncation=True,
        max_length=``); None: not cut.
        """
        texts = list(texts)
        if self._slow is not None:  # pragma: no cover - without tokenizers
            kw = {"truncation": True, "max_length": max_length} if max_length else {}
            return self._slow(texts, add_special_tokens=special, **kw)["input_ids"]
        with self._lock:  # the cut is the tokenizer's state: one call at a time sets it
            if max_length:
                self._fast.enable_truncation(max_length)
            else:
                self._fast.no_truncation()
            found = self._fast.encode_batch(texts, add_special_tokens=special)
        return [e.ids for e in found]


def _token(value, default: str) -> str:
    if isinstance(value, dict):  # {"content": "[CLS]", ...}
        value = value.get("content")
    return value if isinstance(value, str) and value else default


_LOADED: dict[str, WordPieces] = {}


def word_pieces(model_dir: str | Path) -> WordPieces:
    """The :class:`WordPieces` of ``model_dir``, loaded once per process."""
    key = str(Path(model_dir).resolve())
    if key not in _LOADED:
        _LOADED[key] = WordPieces(model_dir)
    return _LOADED[key]


def versions_stamp() -> str:
    """``<torch version>|<transformers version>``, read without importing either.

    Part of the ONNX exports' names (an export is made by these versions). The installed
    distributions' versions are the packages' ``__version__`` (torch's ``2.13.0+cpu``).
    """
    from importlib import metadata

    out = []
    for name in ("torch", "transformers"):
        try:
            out.append(metadata.version(name))
        except metadata.PackageNotFoundError:  # pragma: no cover - both come with the models
            out.append("?")
    return "|".join(out)


def model_threads() -> int:
    """Threads for one ONNX Runtime pass: as many as torch would use, without importing it.

    torch's own setting when it is loaded already (``torch.set_num_threads`` is obeyed);
    else ``OMP_NUM_THREADS`` (a Dask worker sets it to its thread count), else the
    physical cores (torch's default), else the CPUs this process may run on.
    """
    import sys

    torch = sys.modules.get("torch")
    if torch is not None and hasattr(torch, "get_num_threads"):
        return max(1, int(torch.get_num_threads()))
    env = os.environ.get("OMP_NUM_THREADS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        import psutil

        cores = psutil.cpu_count(logical=False)
    except ImportError:  # pragma: no cover - psutil comes with distributed
        cores = None
    if not cores:
        try:
            cores = len(os.sched_getaffinity(0))
        except AttributeError:  # pragma: no cover - not on Linux
            cores = os.cpu_count() or 1
    return max(1, int(cores))
