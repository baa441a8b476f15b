"""The emotion network run by ONNX Runtime: the same outputs in less CPU time.

Private module, imported only by :mod:`insights.emotions._model` when a model is
loaded. The network (frozen MiniLM base, fine-tuned top and head; and, for the one
pass that also embeds, MiniLM's own upper layers) is exported from the loaded torch
modules once per machine and model into ``<cache>/onnx/`` (``<cache>``:
``$INSIGHTS_CACHE_DIR``, else ``~/.cache/insights``; 110 MB with the embedding, which a
run uses for every text; 90 MB for the score-only graph of a process that never
embeds; never in the repository), named by the model's fingerprint and the torch and
transformers versions.
Without ``onnxruntime`` and ``onnx`` (the ``onnx`` extra) the torch modules run.
"""

from __future__ import annotations

import hashlib
import os
import uuid
import warnings
from pathlib import Path

import numpy as np

__all__ = ["OnnxEmotionNet", "onnx_path"]


class OnnxEmotionNet:
    """``run(ids, mask) -> (probs, pooled[, vectors])`` of the emotion network, with ORT.

    Parameters
    ----------
    modules : callable
        Returns the torch modules ``(base, top, upper)`` of a loaded
        :class:`~insights.emotions.EmotionModel`; called only to export the network.
    fingerprint : str
        The model files' digest (:meth:`~insights.emotions.EmotionModel.fingerprint` with
        ``rules=False``: the text rules do not change the network).
    embed : bool
        Also output MiniLM's mean-pooled sentence embedding (upper layers).
    """

    def __init__(self, modules, fingerprint: str, *, embed: bool) -> None:
        import onnxruntime  # noqa: F401 - fail here (torch runs instead) when it is missing

        from insights._optional import onnx_session
        from insights._tokens import model_threads

        path = onnx_path(fingerprint, embed=embed)
        if not path.exists():
            _export(*modules(), embed, path)
        # torch's thread count, read without importing torch (an exported net needs none)
        self.session = onnx_session(path, threads=model_threads())

    def run(self, ids: np.ndarray, mask: np.ndarray) -> list[np.ndarray]:
        """The network's outputs for int64 ``ids`` and ``mask`` of shape (batch, tokens)."""
        return self.session.run(None, {"input_ids": ids, "attention_mask": mask})


def onnx_path(fingerprint: str, *, embed: bool) -> Path:
    """Where the network of the model ``fingerprint`` is exported (exists or not).

    The name holds the torch and transformers versions that export it (read without
    importing them).
    """
    from insights._rerun import machine_cache_dir
    from insights._tokens import versions_stamp

    stamp = f"{fingerprint}|{embed}|{versions_stamp()}|1"
    digest = hashlib.sha1(stamp.encode()).hexdigest()[:12]
    return machine_cache_dir() / "onnx" / f"emotions-{digest}.onnx"


def _export(base, top, upper, embed: bool, path: Path) -> None:
    import torch

    from ._net import mean_pooled

    class _Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.base, self.top = base, top
            self.upper = torch.nn.ModuleList(upper)

        def forward(self, input_ids, attention_mask):
            h = self.base(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            z = self.top.pooled(h, attention_mask)
            probs = torch.sigmoid(self.top.head(z))
            if not embed:
                return probs, z
            v = torch.nn.functional.normalize(mean_pooled(self.upper, h, attention_mask), dim=-1)
            return probs, z, v

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{uuid.uuid4().hex}.onnx.tmp")
    example = torch.ones((2, 8), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    names = ["probs", "pooled", "vectors"][: 3 if embed else 2]
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Net().eval(),
                (example, example),
                str(tmp),
                input_names=["input_ids", "attention_mask"],
                output_names=names,
                dynamic_axes={
                    "input_ids": axes,
                    "attention_mask": axes,
                    **dict.fromkeys(names, {0: "batch"}),
                },
                opset_version=17,
                dynamo=False,
            )
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
