"""The emotion labels, their groups and the rules on scores that need no model.

The 28 GoEmotions labels (:data:`LABELS`, defined in :mod:`insights.schema`), their
Ekman groups and sentiment groups, the other names accepted in a given ``emotion``
column, and the functions that turn label scores into group scores, valence,
intensity and the chosen labels. Nothing here imports torch.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from insights.schema import EMOTION_LABELS, InputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "LABELS",
    "EKMAN",
    "EKMAN_GROUPS",
    "LABEL_TO_EKMAN",
    "POSITIVE",
    "NEGATIVE",
    "AMBIGUOUS",
    "ALIASES",
    "NEUTRAL_INDEX",
    "group_scores",
    "ekman_scores",
    "valence_intensity",
    "normalize_emotion",
    "validate_emotion_column",
    "decide_labels",
    "decide_calibrated",
    "calibrated_scores",
    "SECOND_GROUP",
    "language_note",
]

#: the 28 GoEmotions labels, in the order of GoEmotions' ``labels.txt``.
LABELS: tuple[str, ...] = EMOTION_LABELS

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

#: the column of ``neutral`` in a label-score array.
NEUTRAL_INDEX: int = LABELS.index("neutral")

#: with a calibrated model, a label of another group than the chosen one is named too when
#: it passes its threshold and its group's probability reaches this.
SECOND_GROUP: float = 0.25

_POS = [LABELS.index(lab) for lab in POSITIVE]
_GROUP_OF = np.array([EKMAN_GROUPS.index(LABEL_TO_EKMAN[lab]) for lab in LABELS])
_NEG = [LABELS.index(lab) for lab in NEGATIVE]


# --------------------------------------------------------------------------- scores


def group_scores(p: np.ndarray) -> np.ndarray:
    """Ekman group scores ``(n, 7)`` from label scores ``(n, 28)``: the max of each group.

    Parameters
    ----------
    p : ndarray of shape (n, 28)
        Label scores, columns in :data:`LABELS` order.

    Returns
    -------
    ndarray of shape (n, 7)
        Columns in :data:`EKMAN_GROUPS` order.

    Examples
    --------
    >>> p = np.zeros((1, len(LABELS)))
    >>> p[0, LABELS.index("nervousness")] = 0.7
    >>> round(float(group_scores(p)[0, EKMAN_GROUPS.index("fear")]), 2)
    0.7
    """
    p = np.asarray(p, dtype=np.float32)
    columns = [p[:, [LABELS.index(lab) for lab in EKMAN[g]]].max(1) for g in EKMAN_GROUPS]
    return np.stack(columns, 1)


def ekman_scores(p: np.ndarray, head: np.ndarray | None = None) -> np.ndarray:
    """The Ekman group scores ``(n, 7)`` the thresholds apply to.

    ``head``: the model's own group outputs ``(n, 7)``, when it has them. The score is
    then the geometric mean of the head's score and the group's best label score
    (:func:`group_scores`): on out-of-fold GoEmotions scores it gives macro-F1 0.615
    over the groups, against 0.609 for the head alone and 0.608 for the label maxima
    (nested thresholds, ``benchmarks/emotions_eval.py``). Without ``head``: the label
    maxima.

    Parameters
    ----------
    p : ndarray of shape (n, 28)
        Label scores.
    head : ndarray of shape (n, 7), optional
        The model's own group scores.

    Returns
    -------
    ndarray of shape (n, 7)

    Examples
    --------
    >>> p = np.full((1, len(LABELS)), 0.01)
    >>> p[0, LABELS.index("annoyance")] = 0.64
    >>> head = np.full((1, len(EKMAN_GROUPS)), 0.04)
    >>> round(float(ekman_scores(p, head)[0, EKMAN_GROUPS.index("anger")]), 2)
    0.16
    """
    best = group_scores(p)
    if head is None:
        return best
    return np.sqrt(np.asarray(head, dtype=np.float32) * best)


def valence_intensity(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(valence, intensity) of label scores ``p``.

    Valence is ``(P - N) / (P + N + p_neutral)`` in [-1, 1], where P and N are the
    summed scores of :data:`POSITIVE` and :data:`NEGATIVE`; intensity is the highest
    score of the 27 emotion labels (neutral excluded).

    Parameters
    ----------
    p : ndarray of shape (n, 28)
        Label scores.

    Returns
    -------
    valence, intensity : ndarray of shape (n,)

    Examples
    --------
    >>> p = np.zeros((1, len(LABELS)))
    >>> p[0, LABELS.index("joy")], p[0, LABELS.index("fear")] = 0.8, 0.2
    >>> [float(x[0].round(2)) for x in valence_intensity(p)]
    [0.6, 0.8]
    """
    p = np.asarray(p, dtype=np.float64)
    pos, neg = p[:, _POS].sum(1), p[:, _NEG].sum(1)
    valence = (pos - neg) / np.maximum(pos + neg + p[:, NEUTRAL_INDEX], 1e-9)
    intensity = np.delete(p, NEUTRAL_INDEX, axis=1).max(1)
    return valence, intensity


# --------------------------------------------------------------------------- given labels


def normalize_emotion(value: object) -> str | None:
    """A GoEmotions label or Ekman group for ``value`` (aliases allowed), else None.

    Parameters
    ----------
    value : object
        A label as given; None and NaN mean neutral.

    Returns
    -------
    str or None

    Examples
    --------
    >>> normalize_emotion("Happiness"), normalize_emotion("hangry")
    ('joy', None)
    """
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

    Parameters
    ----------
    df : DataFrame
        Has ``column`` (and, for the error message, maybe ``segment_id``).
    column : str
        The column of given labels.
    file : str or Path, optional
        Named in error messages.

    Returns
    -------
    list of str

    Raises
    ------
    InputError
        An unknown label.

    Examples
    --------
    >>> import pandas as pd
    >>> validate_emotion_column(pd.DataFrame({"emotion": ["angry;sad", None, "Relief"]}))
    ['anger', 'neutral', 'relief']
    """
    out = []
    for row, value in enumerate(df[column].tolist()):
        first = str(value).split(";")[0] if isinstance(value, str) else value
        lab = normalize_emotion(first)
        if lab is None:
            segment = (
                f" (segment {df['segment_id'].iloc[row]})" if "segment_id" in df.columns else ""
            )
            raise InputError(
                f"unknown emotion {value!r} in the {column!r} column",
                fix="use one of the 28 GoEmotions labels (e.g. anger, joy, neutral) or an Ekman "
                "group (anger, disgust, fear, joy, sadness, surprise, neutral)",
                file=file,
                where=f"row {row + 1}" + segment,
            )
        out.append(lab)
    return out


# --------------------------------------------------------------------------- decisions


def decide_labels(
    p: np.ndarray, thresholds: np.ndarray, ekman_thresholds: np.ndarray, g: np.ndarray | None = None
) -> tuple[list[str], list[str]]:
    """Labels above threshold (best first; the best one when none is) and the Ekman group.

    The group is the strongest non-neutral group above its own threshold (``g``: group
    scores, default :func:`group_scores` of ``p``); when there is none but a non-neutral
    label passed its threshold, the group of the best such label, so ``ekman`` never
    says neutral while ``emotions`` names an emotion that passed.

    Parameters
    ----------
    p : ndarray of shape (n, 28)
        Label scores.
    thresholds : ndarray of shape (28,)
        Each label's threshold.
    ekman_thresholds : ndarray of shape (7,)
        Each group's threshold.
    g : ndarray of shape (n, 7), optional
        Group scores (default: :func:`group_scores` of ``p``).

    Returns
    -------
    emotions, ekman : list of str
        Per row, the ``;``-joined labels and the group.

    Examples
    --------
    >>> p = np.full((1, len(LABELS)), 0.01)
    >>> p[0, LABELS.index("anger")] = 0.6
    >>> decide_labels(p, np.full(len(LABELS), 0.5), np.full(len(EKMAN_GROUPS), 0.9))
    (['anger'], ['anger'])
    """
    emotions, ekman = [], []
    g = group_scores(p) if g is None else np.asarray(g)
    for row in range(p.shape[0]):
        passed = np.where(p[row] >= thresholds)[0]
        if len(passed):
            above = passed
        else:
            above = np.array([int(np.argmax(p[row] / np.maximum(thresholds, 1e-6)))])
        above = above[np.argsort(-p[row, above])]
        emotions.append(";".join(LABELS[j] for j in above))
        gab = [j for j in np.where(g[row] >= ekman_thresholds)[0] if EKMAN_GROUPS[j] != "neutral"]
        if gab:
            ekman.append(EKMAN_GROUPS[max(gab, key=lambda j: g[row, j])])
        else:
            order = passed[np.argsort(-p[row, passed])]
            best = [LABELS[j] for j in order if LABELS[j] != "neutral"]
            ekman.append(LABEL_TO_EKMAN[best[0]] if best else "neutral")
    return emotions, ekman


def calibrated_scores(p: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Label scores ``(n, 28)`` on the scale of calibrated group probabilities ``g`` ``(n, 7)``.

    Each label's score is its group's probability times its share of the group's best
    label score, so the best label of a group carries the group's probability (what
    :func:`insights.summarize.emotion_labels` compares with the floor) and ``p_neutral`` is
    the probability that no emotion is expressed.

    Parameters
    ----------
    p : ndarray of shape (n, 28)
        The label scores (independent sigmoids).
    g : ndarray of shape (n, 7)
        Calibrated probabilities of the Ekman groups (they sum to 1).

    Returns
    -------
    ndarray of shape (n, 28)

    Examples
    --------
    >>> p = np.full((1, len(LABELS)), 0.1)
    >>> p[0, LABELS.index("annoyance")] = 0.4
    >>> g = np.array([[0.6, 0.0, 0.0, 0.1, 0.0, 0.0, 0.3]])
    >>> q = calibrated_scores(p, g)
    >>> [round(float(q[0, LABELS.index(x)]), 3) for x in ("annoyance", "anger", "neutral")]
    [0.6, 0.15, 0.3]
    """
    p = np.asarray(p, dtype=np.float32)
    g = np.asarray(g, dtype=np.float32)
    best = group_scores(p)[:, _GROUP_OF]
    out = g[:, _GROUP_OF] * p / np.maximum(best, 1e-9)
    out[:, NEUTRAL_INDEX] = g[:, EKMAN_GROUPS.index("neutral")]
    return out


def decide_calibrated(
    p: np.ndarray, g: np.ndarray, thresholds: np.ndarray
) -> tuple[list[str], list[str]]:
    """Labels and Ekman group from label scores and calibrated group probabilities.

    The group is the most probable of ``g`` (neutral included, so neutral wins where
    nothing emotional is said). When it is neutral, the labels are ``neutral``;
    otherwise the best label of the group, then the other labels that pass their
    threshold and whose group's probability reaches :data:`SECOND_GROUP`.

    Parameters
    ----------
    p : ndarray of shape (n, 28)
        Label scores (independent sigmoids, before :func:`calibrated_scores`).
    g : ndarray of shape (n, 7)
        Calibrated group probabilities.
    thresholds : ndarray of shape (28,)
        Each label's threshold.

    Returns
    -------
    emotions, ekman : list of str

    Examples
    --------
    >>> p = np.full((2, len(LABELS)), 0.01)
    >>> p[:, LABELS.index("annoyance")] = 0.6
    >>> g = np.array([[0.7, 0, 0, 0, 0, 0, 0.3], [0.2, 0, 0, 0, 0, 0, 0.8]])
    >>> decide_calibrated(p, g, np.full(len(LABELS), 0.5))
    (['annoyance', 'neutral'], ['anger', 'neutral'])
    """
    p, g = np.asarray(p), np.asarray(g)
    neutral = EKMAN_GROUPS.index("neutral")
    emotions, ekman = [], []
    for row in range(p.shape[0]):
        top = int(np.argmax(g[row]))
        ekman.append(EKMAN_GROUPS[top])
        if top == neutral:
            emotions.append("neutral")
            continue
        members = np.where(_GROUP_OF == top)[0]
        first = int(members[np.argmax(p[row, members])])
        others = [
            j
            for j in np.argsort(-p[row])
            if j != first
            and j != NEUTRAL_INDEX
            and p[row, j] >= thresholds[j]
            and g[row, _GROUP_OF[j]] >= SECOND_GROUP
        ]
        emotions.append(";".join(LABELS[j] for j in [first, *others]))
    return emotions, ekman


# --------------------------------------------------------------------------- language

_STOP = frozenset(
    "the a an and or but to of in on at for with is was were are be been it i you he she we "
    "they my your our their this that not no so if when because have has had do did does "
    "me him her them there what which who would could should will can just very really "
    "these those from by about as up out all some any how than then too also "
    "didn don doesn isn wasn weren aren couldn wouldn shouldn won haven hasn hadn "
    "t s ve ll m re d".split()
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def language_note(text: str) -> str:
    """A note when ``text`` looks not English (few English function words), else ``""``.

    Texts of fewer than 8 words get none ("Um, early days, two months." has no
    function word and is English), and the pieces of contractions count as function
    words ("His engineer didn't turn up, twice.").

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> language_note("I was very disappointed with the customer service of the bank")
    ''
    >>> language_note("Je suis très déçu par le service client de cette banque")[:24]
    'text may not be English:'
    """
    words = _WORD.findall(text.lower())
    if len(words) < 8:  # too short to tell
        return ""
    non_ascii = sum(1 for w in words if not w.isascii())
    stop = sum(1 for w in words if w in _STOP)
    if stop / len(words) < 0.08 or non_ascii / len(words) > 0.3:
        return "text may not be English: the model was trained on English, scores are unreliable"
    return ""
