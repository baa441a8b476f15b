"""One install hint for optional heavy packages, raised only when a stage needs them.

Examples
--------
>>> import_optional("json", extra="themes", purpose="reading JSON").__name__
'json'
>>> import_optional("no_such_module_xyz", extra="themes", purpose="theme discovery")
Traceback (most recent call last):
...
insights.errors.ModelError: theme discovery needs the Python package 'no_such_module_xyz', which is not installed. Fix: pip install 'insights[themes]'
"""  # noqa: E501 - a doctest's expected message is one line

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from types import ModuleType
from typing import TypeVar

from insights.errors import ModelError

T = TypeVar("T")

__all__ = [
    "defer_bertopic_plotting",
    "import_optional",
    "onnx_or_torch",
    "onnx_session",
    "torch_hidden",
]


def import_optional(
    module: str, *, extra: str, purpose: str, package: str | None = None
) -> ModuleType:
    """Import ``module``, or raise :class:`ModelError` naming the extra that installs it.

    Parameters
    ----------
    module : str
        The module to import, e.g. ``"bertopic"``.
    extra : str
        The ``insights`` extra that installs it, e.g. ``"themes"``.
    purpose : str
        What needs it, e.g. ``"theme discovery"``; starts the message.
    package : str, optional
        The distribution's name when it differs from the module's.
    """
    try:
        return import_module(module)
    except ImportError as exc:
        name = package or module.split(".")[0]
        raise ModelError(
            f"{purpose} needs the Python package {name!r}, which is not installed",
            fix=f"pip install 'insights[{extra}]'",
        ) from exc


def onnx_or_torch(build: Callable[[], T], *, backend: str, what: str) -> T | None:
    """``build()`` an ONNX Runtime session, or None to run the torch modules instead.

    ``backend`` ``"auto"`` falls back to torch on any failure; ``"onnx"`` raises
    :class:`ModelError` naming ``what``; ``"torch"`` never builds.

    Examples
    --------
    >>> onnx_or_torch(lambda: 1 / 0, backend="auto", what="x") is None
    True
    >>> onnx_or_torch(lambda: "session", backend="onnx", what="x")
    'session'
    """
    if backend == "torch":
        return None
    try:
        return build()
    except Exception as exc:  # noqa: BLE001 - auto falls back to torch
        if backend == "onnx":
            raise ModelError(
                f"cannot run {what} with ONNX Runtime ({exc})",
                fix="pip install 'insights[onnx]', or use backend='torch'",
            ) from exc
    return None


def onnx_session(path: str, *, threads: int) -> object:
    """An ONNX Runtime CPU session of the model at ``path`` on ``threads`` intra-op threads.

    The threads do not spin while waiting for work (ORT's default is to spin): on 2 cores
    shared with the run's own Python work and other processes, spinning cost about a
    fifth more CPU seconds for the same outputs and no faster wall time (measured on the
    emotion network, 1,536 texts, load 13).
    """
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = max(1, int(threads))
    opts.inter_op_num_threads = 1
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    opts.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


#: BERTopic's modules that import torch-backed packages at ``import bertopic`` (through
#: ``bertopic.backend`` and ``bertopic.representation``), and the class each gives.
#: insights gives BERTopic its embeddings and uses none of them.
_BERTOPIC_EXTRAS = {
    "bertopic.backend._multimodal": "MultiModalBackend",  # sentence-transformers
    "bertopic.representation._textgeneration": "TextGeneration",  # transformers pipelines
    "bertopic.representation._zeroshot": "ZeroShotClassification",  # transformers pipelines
    "bertopic.representation._visual": "VisualRepresentation",  # transformers, PIL
    "bertopic.representation._pos": "PartOfSpeech",  # spaCy (imported by insights.nlp)
}
#: BERTopic's module that imports torch to offer ``serialization="pytorch"`` (insights
#: saves with safetensors): read on first use with torch hidden, torch then lent lazily
_BERTOPIC_SAVE = "bertopic._save_utils"


def defer_bertopic_plotting() -> None:
    """Let ``import bertopic`` leave its plotting and torch-backed modules unread until used.

    BERTopic imports ``bertopic.plotting`` (plotly's figure factory, plotly express and
    UMAP) at import when plotly is installed: seconds of a cold run, and insights draws
    no BERTopic chart. It also imports sentence-transformers (and with it torch and
    transformers' models: about 2 CPU s even when torch is loaded already) for its
    multimodal backend, and transformers' pipelines for two representation models.
    Stand-in modules take their places and read the real ones on first use
    (``visualize_*`` still work; a stand-in class builds the real one). Does nothing
    when bertopic is imported already or not installed.

    Examples
    --------
    >>> defer_bertopic_plotting()
    """
    import importlib.util
    import sys

    if "bertopic" in sys.modules or "bertopic.plotting" in sys.modules:
        return
    if importlib.util.find_spec("bertopic") is None:  # a top-level spec: bertopic is not run
        return
    sys.modules["bertopic.plotting"] = _DeferredModule("bertopic.plotting")
    for name, cls in _BERTOPIC_EXTRAS.items():
        sys.modules.setdefault(name, _DeferredModule(name, classes=(cls,)))
    sys.modules.setdefault(_BERTOPIC_SAVE, _DeferredModule(_BERTOPIC_SAVE, lend_torch=True))


@contextmanager
def torch_hidden() -> Iterator[bool]:
    """Within the block, ``import torch`` fails unless torch is loaded already.

    For libraries that import torch only to offer it (thinc, BERTopic's saving): a run
    whose models all run on ONNX Runtime never loads it (about 1.6 CPU s and 300 MB).
    Yields whether torch was hidden.

    Examples
    --------
    >>> import sys
    >>> with torch_hidden() as hidden:
    ...     hidden == ("torch" not in sys.modules or sys.modules["torch"] is None)
    True
    """
    import sys

    if "torch" in sys.modules:
        yield False
        return
    sys.modules["torch"] = None  # type: ignore[assignment] - `import torch` raises ImportError
    try:
        yield True
    finally:
        if "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]


class _DeferredModule(ModuleType):
    """A module read on the first attribute it is asked for (then the real one serves).

    The names in ``classes`` are answered without reading it: a stand-in class whose
    construction reads the module and builds its real class (``from m import C`` at an
    import costs nothing until ``C(...)`` is called).
    """

    def __init__(self, name: str, classes: tuple[str, ...] = (), *, lend_torch: bool = False):
        super().__init__(name)
        self._classes = {c: _deferred_class(self, c) for c in classes}
        self._lend_torch = lend_torch  # read with torch hidden; its `torch` loads on use

    def __getattr__(self, attr: str):
        if attr in ("_classes", "_lend_torch") or (
            # probes (inspect reads every module's __file__); a module of stand-in classes
            # is no package (``from m import C`` asks for its __path__)
            attr.startswith("__")
            and (attr not in ("__path__", "__all__") or self._classes or self._lend_torch)
        ):
            raise AttributeError(attr)
        if attr in self._classes:
            return self._classes[attr]
        return getattr(self._real(), attr)

    def _real(self) -> ModuleType:
        import sys

        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        if not self._lend_torch:
            real = import_module(name)
        else:
            with torch_hidden() as hidden:
                real = import_module(name)
            if hidden and importlib.util.find_spec("torch") is not None:
                real.torch = _DeferredModule("torch")  # imported when a .bin is read/written
                real._has_torch = True
        parent, _, child = name.rpartition(".")
        if parent:
            setattr(sys.modules[parent], child, real)
        return real


def _deferred_class(module: _DeferredModule, name: str) -> type:
    """A stand-in for ``module.name``: calling it reads the module and builds the real class."""

    def __new__(cls, *args, **kwargs):  # noqa: N807 - the stand-in's constructor
        return getattr(module._real(), name)(*args, **kwargs)

    return type(name, (), {"__new__": __new__, "__module__": module.__name__})
