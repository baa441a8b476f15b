"""Rules on the words of a segment that the model cannot learn from its training lines.

Courtesy formulas (:func:`is_courtesy`: "Thanks.", "Great, thank you.", "Good question.")
are labelled neutral in the emotions table, and strong emotion words said of oneself
(:func:`strong_word_group`: "Furious.", "I was gutted") raise their group's probability
(:func:`with_strong_words`). Nothing here imports torch.
"""

from __future__ import annotations

import re

import numpy as np

from ._labels import EKMAN_GROUPS

__all__ = [
    "COURTESY_NOTE",
    "is_courtesy",
    "STRONG_WORDS",
    "STRONG_SHORT",
    "strong_word_group",
    "with_strong_words",
]


# --------------------------------------------------------------------------- courtesy

_ACK = (
    r"(?:great|perfect|cool|lovely|awesome|excellent|wonderful|good|nice|fine|okay|ok|alright|"
    r"all right|sure|right|yes|yeah|yep|oh|well|so|um|uh|and|sounds good|sounds great|"
    r"fair enough|no worries|no problem|of course)"
)
_THANKS = (
    r"(?:thanks|thank you|thankyou|many thanks|cheers|ta)(?: (?:so|very|ever so) much| a lot| "
    r"again| both| all| guys| everyone)*(?: for (?:\w+ ?){0,6}| \w+)?"
)
_FORMULA = (
    rf"{_THANKS}|(?:thats |that is |its |it is )?(?:a |an )?(?:really |very )?"
    r"(?:good|great|interesting|fair|excellent|tough|difficult) (?:question|point|one)|"
    r"youre welcome|you are welcome|my pleasure|pleasure|"
    r"(?:it was |its been )?(?:nice|good|great|lovely) "
    r"(?:to meet|to see|talking|speaking|chatting|meeting) (?:to |with )?you(?: too)?|"
    r"nice to meet you(?: too)?|have a (?:good|great|nice|lovely) (?:day|one|evening|weekend)|"
    r"bye|bye bye|goodbye|see you|take care|happy to help|glad to help|"
    r"good luck(?: with (?:\w+ ?){1,4})?|all the best|best of luck"
)
_COURTESY = re.compile(
    rf"^(?:{_ACK} )*(?:{_FORMULA})(?: (?:{_FORMULA}|{_ACK}))*$|^{_ACK}(?: {_ACK}){{0,2}}$"
)

#: the note of a segment counted as courtesy (:func:`is_courtesy`).
COURTESY_NOTE = (
    "courtesy formula (a thank-you, 'good question', an acknowledgement such as 'Great.'): "
    "counted as neutral, not as an emotion"
)


def is_courtesy(text: str) -> bool:
    """Whether ``text`` is only a courtesy formula: a thank-you, "good question", "Great.".

    Interviews are full of them and the model, trained on comments, calls them gratitude
    or joy; they are not an emotion finding, so :func:`insights.emotions.score_emotions`
    labels them neutral. A formula may come with acknowledgement words ("Okay, great,
    thank you so much."); a lone acknowledgement word ("Great.", "Perfect.") counts, a
    lone word that is not one ("Brilliant!", "Furious.") does not, nor does a sentence
    that says more ("Thanks to them I lost a day's pay").

    Parameters
    ----------
    text : str

    Returns
    -------
    bool

    Examples
    --------
    >>> [is_courtesy(t) for t in ("Great, thank you.", "Good question.", "Thanks!", "Great.")]
    [True, True, True, True]
    >>> [is_courtesy(t) for t in ("Brilliant!", "I was thankful.", "Thanks to them I lost it.")]
    [False, False, False]
    """
    words = re.sub(r"[^a-z]+", " ", text.lower().replace("'", "").replace("\u2019", "")).strip()
    return bool(words) and _COURTESY.match(words) is not None


# --------------------------------------------------------------------------- strong words

#: strong emotion words (and the group they say) that the training lines barely have:
#: of the speech head's 17,640 training lines 2 have *furious*, none *fuming* or *livid*,
#: 1 *gutted* ("gutted him"), so the model calls "Furious." neutral. Written for
#: insights (no lexicon copied).
STRONG_WORDS: dict[str, tuple[str, ...]] = {
    "anger": ("furious", "fuming", "livid", "seething", "incensed", "irate", "enraged",
              "infuriated", "infuriating", "outraged", "pissed off", "hacked off",
              "cheesed off", "mugged off", "wound me up", "fed up"),
    "sadness": ("gutted", "devastated", "heartbroken", "heartbreaking", "distraught",
                "crushed", "miserable"),
    "fear": ("terrified", "petrified", "panicking", "panicked", "dreading", "dreaded"),
    "disgust": ("disgusted", "appalled", "appalling", "sickened", "revolted"),
    "joy": ("thrilled", "chuffed", "over the moon", "ecstatic", "overjoyed", "delighted"),
    "surprise": ("gobsmacked", "flabbergasted", "stunned", "astonished", "dumbfounded"),
}  # fmt: skip
_STRONG = [(g, re.compile(rf"\b({'|'.join(ws)})\b", re.I)) for g, ws in STRONG_WORDS.items()]
#: most words of a text in which a strong word counts without a first-person frame.
STRONG_SHORT: int = 6
_WORDS = re.compile(r"[A-Za-z']+")
_FIRST_PERSON = re.compile(
    r"\b(?:i|i'm|im|i've|ive|i'd|id|we|we're|we've|me|us)\b\W+(?:[\w']+\W+){0,3}$", re.I
)
_NEGATED = re.compile(r"\b(?:not|never|no|nor|wasn't|isn't|wasnt|isnt|n't)\W+(?:\w+\W+)?$", re.I)
#: a feeling only supposed ("I'd be delighted", "I'll be irate", "if he ... I'd be stunned")
_SUPPOSED = re.compile(
    r"(?:\b(?:would|will|could|might|if)|\w['\u2019](?:d|ll)|\b(?:id|ill))\W+(?:[\w'\u2019]+\W+){0,2}$",
    re.I,
)
#: someone else's feeling in a short line ("She was terrified.", "Sabich becomes enraged.")
_SOMEONE_ELSE = re.compile(r"\b(?:he|she|they|it was|becomes|became)\b", re.I)


def strong_word_group(text: str) -> str | None:
    """The Ekman group of a strong emotion word said of oneself in ``text``, else None.

    See :data:`STRONG_WORDS`. The word counts in a short answer (at most
    :data:`STRONG_SHORT` words: "Furious.", "Gutted, honestly.") or after a first-person
    frame within three words ("I was absolutely livid", "it made me furious"), and not
    just after a negation ("not furious", "never even livid"), nor when the feeling is
    only supposed ("I'd be delighted", "I'll be irate") or, in a short line, someone
    else's ("She was terrified.", "He became enraged.").

    Parameters
    ----------
    text : str

    Returns
    -------
    str or None

    Examples
    --------
    >>> strong_word_group("Furious."), strong_word_group("I was absolutely gutted because")
    ('anger', 'sadness')
    >>> strong_word_group("Not furious, just tired."), strong_word_group("Brilliant!")
    (None, None)
    >>> strong_word_group("He'll be furious when the new manager finds out about it.") is None
    True
    >>> strong_word_group("I'd be delighted."), strong_word_group("She was terrified.")
    (None, None)
    """
    short = len(_WORDS.findall(text)) <= STRONG_SHORT
    best = None
    for g, rx in _STRONG:
        for m in rx.finditer(text):
            before = text[: m.start()]
            first = _FIRST_PERSON.search(before)
            if _NEGATED.search(before) or _SUPPOSED.search(before):
                continue
            if not first and not (short and not _SOMEONE_ELSE.search(before)):
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), g)
            break
    return None if best is None else best[1]


def with_strong_words(texts, g: np.ndarray, probability: float) -> np.ndarray:
    """Group probabilities ``g`` (n, 7) with :func:`strong_word_group` of each text raised.

    A text with a strong word of group k gets ``g[k] = max(g[k], probability)`` (the
    share of dev lines with such a word that have that group), the other groups scaled
    to share the rest; other texts are left as they are.

    Parameters
    ----------
    texts : sequence of str
    g : ndarray of shape (n, 7)
        Calibrated group probabilities.
    probability : float

    Returns
    -------
    ndarray of shape (n, 7)

    Examples
    --------
    >>> g = np.array([[0.1, 0.05, 0.05, 0.05, 0.05, 0.0, 0.7]])
    >>> with_strong_words(["Furious."], g, 0.6).astype(float).round(3).tolist()
    [[0.6, 0.022, 0.022, 0.022, 0.022, 0.0, 0.311]]
    """
    out = np.array(g, dtype=np.float32, copy=True)
    for row, text in enumerate(texts):
        group = strong_word_group(text)
        if group is None:
            continue
        k = EKMAN_GROUPS.index(group)
        if out[row, k] >= probability:
            continue
        rest = out[row].sum() - out[row, k]
        out[row] *= (1.0 - probability) / max(rest, 1e-9)
        out[row, k] = probability
    return out
