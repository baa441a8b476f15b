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

from collections.abc import Callable
from importlib import import_module
from types import ModuleType
from typing import TypeVar

from insights.errors import ModelError

T = TypeVar("T")

__all__ = ["defer_bertopic_plotting", "import_optional", "onnx_or_torch", "onnx_session"]


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


def defer_bertopic_plotting() -> None:
    """Let ``import bertopic`` leave its plotting module unread until a chart is drawn.

    BERTopic imports ``bertopic.plotting`` (plotly's figure factory, plotly express and
    UMAP) at import when plotly is installed: seconds of a cold run, and insights draws
    no BERTopic chart. A stand-in module takes its place and reads the real one on
    first use (``visualize_*`` still work). Does nothing when bertopic is imported
    already or not installed.

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


class _DeferredModule(ModuleType):
    """A module read on the first attribute it is asked for (then the real one serves)."""

    def __getattr__(self, attr: str):
        import sys

        if attr.startswith("__") and attr not in ("__path__", "__all__"):
            raise AttributeError(attr)  # probes (inspect reads every module's __file__)
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        real = import_module(name)
        parent, _, child = name.rpartition(".")
        setattr(sys.modules[parent], child, real)
        return getattr(real, attr)
