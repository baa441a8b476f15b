"""Rules on the words of a segment that the model cannot learn from its training lines.

Courtesy formulas (:func:`is_courtesy`: "Thanks.", "Great, thank you.", "Good question.")
are labelled neutral in the emotions table, and approval without a stated feeling
(:func:`is_approval`: "I agree.", "That sounds good.", "That's a great idea.") is noted
there and left out of the counts (:func:`approval_rows`), unless it is praise of what the
speaker had, said with feeling (:func:`is_felt_praise`: "I love that I can go at two in
the morning", "the coaches are brilliant"); strong emotion words said of oneself
(:func:`strong_word_group`: "Furious.", "I was gutted") and feelings the speaker states
(:func:`stated_emotion_group`: "I was so frustrated", "it really annoyed me", "I'm so
relieved", idioms such as "it did my head in" or "I was on edge")
raise their group's probability (:func:`with_strong_words`). Nothing here
imports torch.
"""

from __future__ import annotations

import re

import numpy as np

from ._idioms import IDIOM_FRAMES as _IDIOMS
from ._idioms import IDIOM_WORDS
from ._labels import EKMAN_GROUPS
from ._praise import is_felt_praise

__all__ = [
    "COURTESY_NOTE",
    "is_courtesy",
    "APPROVAL_LABELS",
    "APPROVAL_NOTE",
    "is_approval",
    "approval_rows",
    "STRONG_WORDS",
    "STRONG_SHORT",
    "strong_word_group",
    "STATED_WORDS",
    "IDIOM_WORDS",
    "idiom_group",
    "stated_emotion_group",
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


# --------------------------------------------------------------------------- approval

#: GoEmotions labels of the joy group that, said in calm talk, are agreement, praise of a
#: thing or idea, thanks, wishes or hopes rather than the speaker's joy: "I agree." is
#: approval, "That sounds great." admiration, "I like that." love. Chosen on the tune half
#: of ``benchmarks/emotion_joy_labels.csv`` (hand labels of meeting and interview
#: sentences the model called joy): at the 0.75 floor, joy right 12 of 74 times counting
#: every label, 10 of 13 without these.
APPROVAL_LABELS: tuple[str, ...] = (
    "admiration", "approval", "caring", "desire", "gratitude", "love", "optimism",
)  # fmt: skip

#: the note of a segment counted as approval (:func:`is_approval`).
APPROVAL_NOTE = (
    "approval or praise ('I agree', 'That sounds good', 'That's a great idea'), no feeling "
    "stated: not counted as an emotion in people counts and triggers"
)


def is_approval(text: str, emotions: str) -> bool:
    """Whether a segment labelled ``emotions`` is approval, not the speaker's joy.

    True when its first label (the best of its Ekman group) is one of
    :data:`APPROVAL_LABELS` and the text states no feeling of the speaker's
    (:func:`stated_emotion_group`, :func:`strong_word_group`: "I'm so glad", "thrilled",
    "I was awestruck")
    and praises nothing the speaker had with feeling (:func:`is_felt_praise`: "the
    staff were brilliant", "I love that I can book it in the app").
    In meetings and interviews most of what the model calls joy is agreement or praise
    ("I agree.", "That sounds good.", "that's perfect"); GoEmotions' Ekman grouping puts
    approval and admiration under joy, so without this rule a report counted most of a
    meeting's people under joy.

    Parameters
    ----------
    text : str
    emotions : str
        The segment's labels, ``;``-joined, best first (the emotions table's ``emotions``).

    Returns
    -------
    bool

    Examples
    --------
    >>> is_approval("I agree.", "approval"), is_approval("That sounds great.", "admiration")
    (True, True)
    >>> is_approval("I'm so glad it worked.", "admiration"), is_approval("It's fun.", "joy")
    (False, False)
    >>> is_approval("The coaches are brilliant.", "admiration")
    False
    """
    first = str(emotions or "").split(";")[0]
    if first not in APPROVAL_LABELS:
        return False
    said = stated_emotion_group(text) or strong_word_group(text) or idiom_group(text)
    if said is not None:
        return False  # a feeling said ("I was immediately awestruck by its beauty") is no approval
    return not is_felt_praise(text)


def approval_rows(emotions) -> np.ndarray:
    """Boolean mask of the rows of an emotions table noted as approval (:func:`is_approval`).

    People counts and triggers leave them out; the table keeps the model's labels.

    Examples
    --------
    >>> import pandas as pd
    >>> approval_rows(pd.DataFrame({"note": ["", APPROVAL_NOTE, None]})).tolist()
    [False, True, False]
    >>> approval_rows(pd.DataFrame({"ekman": ["joy"]})).tolist()
    [False]
    """
    if "note" not in emotions.columns:
        return np.zeros(len(emotions), dtype=bool)
    notes = emotions["note"].fillna("").astype(str)
    return notes.str.contains(APPROVAL_NOTE, regex=False).to_numpy()


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


# --------------------------------------------------------------------------- stated feelings

#: feeling words a speaker says of themself ("I was so frustrated", "I'm relieved"), by
#: Ekman group (GoEmotions' grouping: relief, pride, gratitude are joy; embarrassment and
#: disappointment sadness; nervousness fear). Written for insights (no lexicon copied).
STATED_WORDS: dict[str, tuple[str, ...]] = {
    "anger": ("angry", "annoyed", "frustrated", "irritated", "cross", "mad", "pissed",
              "sick of", "sick and tired", "wound up", "exasperated", "infuriated",
              "furious", "fuming", "livid", "outraged", "fed up", "seething", "irate",
              "angrier"),
    "disgust": ("disgusted", "appalled", "sickened", "repulsed", "grossed out"),
    "fear": ("scared", "afraid", "frightened", "worried", "anxious", "nervous", "stressed",
             "terrified", "petrified", "panicking", "panicked", "dreading", "uneasy"),
    "joy": ("happy", "glad", "pleased", "relieved", "delighted", "thrilled", "chuffed",
            "excited", "grateful", "thankful", "proud", "overjoyed", "ecstatic",
            "over the moon", "happier"),
    "sadness": ("sad", "upset", "disappointed", "gutted", "devastated", "heartbroken",
                "embarrassed", "let down", "miserable", "depressed", "crushed", "ashamed",
                "melancholy", "sadder"),
    "surprise": ("surprised", "shocked", "amazed", "astonished", "stunned", "gobsmacked",
                 "flabbergasted", "awestruck", "in awe", "astounded"),
}  # fmt: skip
#: feelings named as nouns, the speaker's only after "I felt" / "I feel" ("I felt nothing
#: but awe", "I felt happiness, guilt, sorrow and anger"), never after "I was"
FELT_NOUNS: dict[str, tuple[str, ...]] = {
    "anger": ("anger", "rage", "frustration", "annoyance"),
    "fear": ("fear", "dread", "anxiety", "panic"),
    "joy": ("joy", "happiness", "elation", "pride", "relief", "gratitude"),
    "sadness": ("sadness", "sorrow", "grief", "guilt", "shame", "despair"),
    "surprise": ("awe", "amazement", "astonishment", "wonder"),
}  # fmt: skip
#: crying said of oneself ("I cried.", "I cry every time", "I was in tears", "it moved
#: me to tears"): sadness, in GoEmotions' sense; "cried laughing" is joy
_CRIED = re.compile(
    r"\b(?:i|we)\W+(?:(?:just|actually|literally|really|even|genuinely|nearly|almost|also|"
    r"honestly|have|had|'ve|ve|still|always|then)\W+){0,3}"
    r"(cried|cry|wept|weep|teared up|welled up|bawled|sobbed|(?:was|were) in tears)\b"
    r"|\b(?:moved|brought|reduced)\W+(?:me|us)\W+to\W+(tears)\b"
    r"|\b(?:i|we)\W+(?:was|were|am|are|'m|'re)\W+(?:\w+\W+){0,2}(?:moved|brought|reduced)"
    r"\W+to\W+(tears)\b",
    re.I,
)
_CRIED_JOY = re.compile(r"^\W+(?:with|of|from)\W+(?:joy|laughter|happiness)|^\W+laughing", re.I)
#: a list of feelings after its frame: "it made me feel contemplative, happy, sad": the
#: items before the feeling word (a word each, then a comma, "and" or "or")
_LIST_BEFORE = re.compile(r"(?:\b[\w'-]+\s*(?:,\s*(?:and\b|or\b)?|\band\b|\bor\b)\s*){1,5}$", re.I)
#: the same feelings as verbs done to the speaker ("it really annoyed me", "that scared me")
_DONE_TO_ME = {
    "anger": r"annoy(?:s|ed|ing)?|frustrat(?:es|ed|ing)|irritat(?:es|ed|ing)|"
    r"infuriat(?:es|ed|ing)|anger(?:s|ed)|madden(?:s|ed)|"
    r"(?:wound|winds|winding)(?=\W+(?:me|us)\W+up)|(?:drove|drives|driving)"
    r"(?=\W+(?:me|us)\W+(?:mad|crazy|nuts|insane|up the wall|round the bend))|"
    r"pisse[sd](?=\W+(?:me|us)\W+off)",
    "disgust": r"disgust(?:s|ed)?|appall?(?:s|ed)|sicken(?:s|ed)",
    "fear": r"scare[sd]?|scaring|worr(?:y|ies|ied|ying)|frighten(?:s|ed|ing)?|"
    r"terrif(?:y|ies|ied)|stress(?:es|ed)?|panick?(?:s|ed)?",
    "joy": r"delight(?:s|ed)?|thrill(?:s|ed)?",
    "sadness": r"upset(?:s|ting)?|disappoint(?:s|ed|ing)?|sadden(?:s|ed)|embarrass(?:es|ed)",
    "surprise": r"surpris(?:e|es|ed)|shock(?:s|ed)?|amaz(?:e|es|ed)|astonish(?:es|ed)|"
    r"stun(?:s|ned)",
}
_STATED = [(g, re.compile(rf"\b({'|'.join(ws)})\b(?!-)", re.I)) for g, ws in STATED_WORDS.items()]
_FELT = [(g, re.compile(rf"\b({'|'.join(ws)})\b(?!-)", re.I)) for g, ws in FELT_NOUNS.items()]
_VERBED = [(g, re.compile(rf"\b({v})\W+(?:me|us)\b", re.I)) for g, v in _DONE_TO_ME.items()]
_MOD = r"(?:(?:so|really|very|quite|absolutely|a|bit|little|pretty|genuinely|totally|"
_MOD += r"extremely|just|properly|honestly|super|rather|actually|deeply|utterly|completely|"
_MOD += r"massively|hugely|incredibly|slightly|fairly|bloody|well|also|still|even|too|"
_MOD += r"kind|sort|of|kinda|more|than|and|getting|really|starting|to|feel|become|"
_MOD += r"frankly|seriously|thoroughly|increasingly|that|all|at|first|then)\W+){0,4}"
#: I/we and a verb of being or feeling, then a few modifiers, right before the word
_I_FEEL = re.compile(
    r"\b(?:i|we)\W*(?:'m|m|'re|am|are|was|were|'ve been|ve been|have been|had been|"
    r"'d been|d been|felt|feel|feeling|get|got|getting|became|become|went from|"
    r"ended up|was left|were left|must have been)\W+" + _MOD + r"$",
    re.I,
)
#: ... or the thing done to the speaker: "made me", "left me", "it got us"
_MADE_ME = re.compile(
    r"\b(?:made|makes|make|making|left|leaves|leave|got|gets|get|getting|had)\W+(?:me|us)"
    r"\W+(?:(?:feel|feeling|so|really|very|quite|absolutely|a|bit|little|pretty|just|"
    r"properly|more|even|rather|incredibly|extremely|genuinely|truly|honestly|actually|"
    r"deeply|somehow|both)\W+){0,3}$",
    re.I,
)
_NO = re.compile(r"\b(?:not|never|no|hardly|barely|nor|neither|nothing)\b|n['\u2019]t\b", re.I)
#: a clause that only supposes, reports or asks a feeling ("if I were upset", "I'd be
#: furious", "he said I was angry"): checked on the clause before the feeling word
_NOT_SAID = re.compile(
    r"\b(?:if|unless|whether|would|will|could|might|may|should|wish|hope|imagine|"
    r"said|says|thought|thinks|assumed|claimed|told|accused|pretend\w*|sounded|seemed|"
    r"as if|as though)\b|\w['\u2019](?:d(?!\W+been)|ll)\b|\b(?:id|ill)\b",
    re.I,
)
#: someone else's words quoted in the sentence before the feeling ("she was like, oh my
#: god, I'm so nervous", "he goes, I was so scared", "she said, I'm thrilled"): theirs
_QUOTES_OTHER = re.compile(
    r"\b(?:he|she|they|you|someone|somebody|everyone)\s+(?:was|were|is|are|goes|go|went|"
    r"said|says|asked|told\s+\w+)(?:\s+like)?\s*,",
    re.I,
)
#: words right after that turn a feeling word into a formula: "I'm afraid not", "I'm
#: happy to help", "mad about football"
_FORMULA_AFTER = {
    "afraid": re.compile(r"^(?!\W+of\b)", re.I),
    "happy": re.compile(r"^\W+to\b", re.I),
    "glad": re.compile(r"^\W+to\W+(?!hear|see|know|find|be|get|have)", re.I),
    "pleased": re.compile(r"^\W+to\W+(?!hear|see|know|find|be|get|have)", re.I),
    "mad": re.compile(r"^\W+(?:about|for|keen)\b", re.I),
}
#: "I felt" and what may come between it and a feeling noun ("I felt nothing but awe")
_I_FELT = re.compile(
    r"\b(?:i|we)\W+(?:(?:also|really|just|genuinely|honestly|actually|still|then|even|"
    r"definitely)\W+)?(?:felt|feel|feeling|experienced)\W+(?:(?:nothing_but|so\W+much|"
    r"a\W+lot\W+of|a\W+sense\W+of|such|a|an|real|genuine|pure|legit|great|deep|some|"
    r"immense|overwhelming|complete|total|utter|intense|huge)\W+){0,3}$",
    re.I,
)
#: "nothing but" is no negation ("I felt nothing but awe"): read as one word
_NOTHING_BUT = re.compile(r"\bnothing\W+but\b", re.I)
#: ... unless the noun is the subject of an opinion ("I feel fear is overblown")
_FELT_NOT_AFTER = re.compile(r"^\s+(?:is|was|are|were|has|had|will|would|can|could)\b", re.I)
_PRESENT = re.compile(r"(?:'m|\bm|'re|\bam|\bare)\W+" + _MOD + r"$", re.I)
#: a feeling word that opens its sentence, after fillers at most: an answer with the "I
#: was" left out ("Really let down.", "Honestly, scared.", "And grateful that they
#: noticed."), the speaker's own in talk
_ELIDED = re.compile(
    r"\W*(?:(?:and|but|so|then|oh|um|uh|er|erm|well|yeah|honestly|frankly|"
    r"mostly|mainly|probably|definitely)\W+)*" + _MOD + r"$",
    re.I,
)
#: ... unless a word other than a preposition or conjunction follows it: then it is a
#: noun's adjective or a formula ("Annoyed customers", "Happy days", "Nervous system",
#: "Pleased to meet you", "Mad to leave them")
_ELIDED_NOT = re.compile(
    r"^\s+(?!(?:about|that|with|by|at|for|because|when|and|but|or|really|honestly|mostly|"
    r"though|actually|of|as|if|after|before|since|again|too|now|then|still|yet)\b)\w",
    re.I,
)
#: every frame of a stated feeling, with how its clause is read (:func:`_said_of_oneself`)
_FRAMES = (
    [(g, rx, "stated") for g, rx in _STATED]
    + [(g, rx, "done") for g, rx in _VERBED]
    + [(g, rx, "felt") for g, rx in _FELT]
    + [("sadness", _CRIED, "cried")]
)


def stated_emotion_group(text: str) -> str | None:
    """The Ekman group of a feeling the speaker says they had, in ``text``; else None.

    A feeling word (:data:`STATED_WORDS`) after I/we and a verb of being or feeling
    ("I was so frustrated", "we were really happy", "I got annoyed"), or after "made
    me" / "left me", or a feeling verb done to the speaker ("it really annoyed me",
    "that scared me"). Not when the clause before it negates ("I'm not angry", "it
    didn't worry me"), supposes ("if I were upset", "I'd be furious", "I'll be
    disappointed if"), reports someone's words or view ("he said I was angry", "she was
    like, oh my god, I'm so nervous"), or the
    sentence asks; nor in formulas ("I'm afraid not", "I'm happy to answer that", "mad
    about football"). Someone else's feeling ("she was angry") has no first-person frame.

    Parameters
    ----------
    text : str

    Returns
    -------
    str or None

    Examples
    --------
    >>> [stated_emotion_group(t) for t in ("I was so frustrated because it dropped out.",
    ...  "It really annoyed me.", "I'm so relieved.", "That scared me.")]
    ['anger', 'anger', 'joy', 'fear']
    >>> [stated_emotion_group(t) for t in ("I'm not angry.", "If I were upset I'd say.",
    ...  "She was angry.", "I'm afraid not.", "I'd be mad to leave.")]
    [None, None, None, None, None]
    """
    return _said_group(text, _FRAMES)


def _said_group(text: str, frames) -> str | None:
    """The group of the earliest of ``frames`` (group, pattern, how) said of oneself in ``text``."""
    text = text.replace("\u2019", "'")
    best = None
    for g, rx, how in frames:
        for m in rx.finditer(text):
            if best is not None and m.start() >= best[0]:
                break
            if how == "cried":
                if _said_of_oneself(text, m, "done"):
                    cried_joy = _CRIED_JOY.search(text[m.end() :])
                    best = (m.start(), "joy" if cried_joy else g)
                    break
                continue
            if _said_of_oneself(text, m, how) or (
                (listed := _LIST_BEFORE.search(text[: m.start()])) is not None
                and _said_of_oneself(text, m, how, start=listed.start())
            ):  # "it made me feel contemplative, happy, sad": a list after its frame
                best = (m.start(), g)
                break
    return None if best is None else best[1]


def idiom_group(text: str) -> str | None:
    """The Ekman group of a feeling the speaker says in an idiom (:data:`IDIOM_WORDS`), else None.

    Read as a stated feeling is (:func:`stated_emotion_group`): an idiom with *my* / *me*
    in it as a feeling done to the speaker ("it really got on my nerves", "that made my
    week"), the others after the frame of a stated feeling ("I was on edge", "we were
    buzzing"); not negated, supposed, reported or asked.

    >>> [idiom_group(t) for t in ("It did my head in.", "Honestly it made my week.",
    ...  "I was on edge all week.", "I put it on the edge server.", "Would it make my day?")]
    ['anger', 'joy', 'fear', None, None]
    >>> idiom_group("It didn't get on my nerves at all.") is None
    True
    """
    return _said_group(text, _IDIOMS)


def _said_of_oneself(text: str, m: re.Match, how: str, start: int | None = None) -> bool:
    """Whether the feeling word matched by ``m`` is the speaker's, said as a fact.

    ``how``: ``"stated"`` (a feeling word after its frame: "I was so frustrated"),
    ``"felt"`` (a feeling noun after "I felt"), ``"done"`` (done to the speaker: "it
    annoyed me", "I cried"). ``start``: where the frame's clause ends, when a list of
    feelings comes between it and the word.
    """
    start = m.start() if start is None else start
    head = _NOTHING_BUT.sub(lambda x: "nothing_but".ljust(len(x.group())), text[:start])
    clause = re.split(r"[.;:!?,\u2014()]|\bbut\b|\band\b(?=\W+(?:i|we|he|she|they)\b)",
                      head, flags=re.I)[-1]  # fmt: skip
    sentence_end = re.search(r"[.!?]|$", text[m.end() :])
    if sentence_end and sentence_end.group() == "?":
        return False
    sentence = re.split(r"[.!?]", text[:start])[-1]  # the sentence before the word
    if _QUOTES_OTHER.search(sentence):
        return False  # "she was like, oh my god, I'm so nervous": her words, quoted
    word = (m.group(1) or "").lower()
    done_to_me = how == "done"
    if done_to_me:
        frame = clause[-40:]
    elif how == "felt":
        f = _I_FELT.search(clause)
        if f is None or _FELT_NOT_AFTER.search(text[m.end() :]):
            return False  # "I feel fear is overblown": an opinion about fear
        frame = clause[f.start() :]
    else:
        f = _I_FEEL.search(clause) or _MADE_ME.search(clause)
        if f is None:
            # "Really let down." said alone: the speaker's, unless a noun or "to" follows
            return bool(_ELIDED.fullmatch(sentence)) and not (
                _ELIDED_NOT.search(text[m.end() :]) or _NO.search(sentence)
            )
        frame = clause[f.start() :]
        after = _FORMULA_AFTER.get(word)
        if after is not None and after.search(text[m.end() :]):  # a formula when said now
            if word == "mad" or _PRESENT.search(clause) is not None:
                return False
    if not done_to_me:
        clause_before = clause[: f.start()][-40:]
        if _NOT_SAID.search(clause_before) or _NO.search(clause_before):
            return False  # "he thought I was angry", "I wouldn't say I was happy"
    if _NO.search(frame if not done_to_me else clause[-25:]):
        return False
    return not _NOT_SAID.search(clause[-60:] if done_to_me else frame)


def with_strong_words(
    texts,
    g: np.ndarray,
    probability: float,
    stated: float | None = None,
    idiom: float | None = None,
):
    """Group probabilities ``g`` (n, 7) with a strong word's or stated feeling's group raised.

    A text with a strong word of group k (:func:`strong_word_group`) gets
    ``g[k] = max(g[k], probability)`` (the share of dev lines with such a word that have
    that group); else, with ``stated`` given, a text in which the speaker states a
    feeling of group k (:func:`stated_emotion_group`) gets ``max(g[k], stated)``; else,
    with ``idiom`` given, one that says it in an idiom (:func:`idiom_group`) gets
    ``max(g[k], idiom)``. The other groups are scaled to share the rest; other texts are
    left as they are.

    Parameters
    ----------
    texts : sequence of str
    g : ndarray of shape (n, 7)
        Calibrated group probabilities.
    probability : float
    stated, idiom : float, optional

    Returns
    -------
    ndarray of shape (n, 7)

    Examples
    --------
    >>> g = np.array([[0.1, 0.05, 0.05, 0.05, 0.05, 0.0, 0.7]])
    >>> with_strong_words(["Furious."], g, 0.6).astype(float).round(3).tolist()
    [[0.6, 0.022, 0.022, 0.022, 0.022, 0.0, 0.311]]
    >>> with_strong_words(["I was so annoyed."], g, 0.6, 0.8)[0, 0].round(3)
    np.float32(0.8)
    """
    out = np.array(g, dtype=np.float32, copy=True)
    for row, text in enumerate(texts):
        group, p = strong_word_group(text), probability
        if group is None and stated is not None:
            group, p = stated_emotion_group(text), stated
        if group is None and idiom is not None:
            group, p = idiom_group(text), idiom
        if group is None:
            continue
        k = EKMAN_GROUPS.index(group)
        if out[row, k] >= p:
            continue
        rest = out[row].sum() - out[row, k]
        out[row] *= (1.0 - p) / max(rest, 1e-9)
        out[row, k] = p
    return out
