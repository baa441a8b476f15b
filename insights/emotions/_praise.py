"""Praise said with feeling: what a customer had, not an idea approved of.

:func:`is_felt_praise` tells "I love that I can go at two in the morning", "the coaches
are brilliant", "honestly it's been great" (a person, service or time the speaker had,
praised with feeling: admiration or joy) from "That's a great idea.", "I like that.",
"It's great." (approval of an idea or of what was just said). The approval rule of the
emotions table (:func:`insights.emotions.is_approval`) keeps the first kind as a
feeling. Nothing here imports torch.
"""

from __future__ import annotations

import re

__all__ = ["PRAISE_WORDS", "is_felt_praise", "SHORT"]

#: most words of a sentence said as a short answer ("Really friendly.")
SHORT: int = 6
_WORDS = re.compile(r"[A-Za-z']+")

#: praise words that say more than approval: said of a person, a service or a time the
#: speaker had ("the coaches are brilliant", "it's been fantastic"), they are admiration
#: or joy; "good", "fine", "nice" alone are not among them (they need "really", "so"...).
#: Written for insights (no lexicon copied).
PRAISE_WORDS: tuple[str, ...] = (
    "brilliant", "amazing", "fantastic", "wonderful", "lovely", "superb", "excellent",
    "great", "incredible", "outstanding", "marvellous", "marvelous", "terrific", "fab",
    "fabulous", "awesome", "phenomenal", "gorgeous", "delicious", "stunning", "heavenly",
    "spot on", "first class", "rock solid", "a lifesaver", "a godsend", "a treat",
    "a blast", "a joy", "a dream", "perfect",
)  # fmt: skip
_MILD = (
    r"(?:good|nice|helpful|friendly|kind|patient|welcoming|cheerful|gentle|solid|pleasant|"
    r"decent|enjoyable|handy|sweet|caring|attentive|polite|responsive)"
)
_INTENS = r"(?:really|so|very|super|incredibly|extremely|genuinely|absolutely|honestly|always|such)"
_PRAISE_ALT = "|".join(w.replace(" ", r"\W+") for w in PRAISE_WORDS)
#: a strong praise word, or an intensifier and a milder one ("really good", "so helpful"),
#: or "good to me"
_PRAISE = re.compile(
    rf"\b(?:(?:{_INTENS}\W+)?(?:{_PRAISE_ALT})|{_INTENS}\W+(?:\w+\W+)?{_MILD}"
    r"|good\W+to\W+(?:me|us))\b",
    re.I,
)
_ADV = (
    r"(?:(?:just|actually|really|honestly|always|all|both|so|quite|consistently|genuinely|"
    r"absolutely|again|every\W+time|a|an|such\W+a|\w+ly)\W+){0,3}"
)
_BEEN = r"(?:has|have|had|'s|s|'ve|ve)\W+(?:(?:always|really|just|all)\W+)?been"
#: a person or thing of the service as subject, with a verb of being ("the staff are",
#: "my trainer has been", "the lady I spoke to was", "they've always been", "it's been")
_SUBJECT = re.compile(
    r"(?:\b(?:the|my|our|their|his|her|this|that)\W+(?:[a-z][\w-]*\W+){0,4}?"
    rf"(?:is|are|was|were|{_BEEN})"
    rf"|\b(?:he|she|they|everyone|everybody|mine|it)\W*(?:{_BEEN}|'s|'re|is|are|was|were)"
    r")\W+" + _ADV + r"$",
    re.I,
)
#: a named person as subject ("Shannon was very good"): case matters
_NAMED = re.compile(r"\b[A-Z][a-z]+\W+(?:was|is|has\W+been)\W+" + _ADV + r"$")
#: praise of an idea, a plan or what was just said: approval however strong the word
_IDEA = re.compile(
    r"\b(?:idea|ideas|plan|suggestion|proposal|approach|concept|point|question|thought|"
    r"solution|option|initiative|example|argument|summary|tip|design|framework|practice|"
    r"way\W+(?:to|of)|overlap|paper|interview)\b",
    re.I,
)
#: "that", "this", "it" praised as they are now: a reply ("That's brilliant.", "It's great.")
_DEMONSTRATIVE_NOW = re.compile(
    r"\b(?:that|this|which|it)\W*(?:'s|s|is|sounds|seems|looks|would|will|'d|'ll)\W+"
    r"(?!been\b)(?:(?:just|actually|really|honestly|so|quite|also|\w+ly)\W+){0,3}$",
    re.I,
)
#: the speaker's liking said of a thing of theirs: "I love that I can go at two", "we
#: really like the coaches", "I liked that", "I appreciated that"
_LIKING = re.compile(
    r"\b(?:i|we)\W+" + _ADV + r"(?:(?P<past>loved|adored|enjoyed|liked|appreciated)|"
    r"(?:love|adore|enjoy|like|appreciate))\b",
    re.I,
)
#: a person praised as a kind of person ("a nice chap", "lovely girl")
_GOOD_PERSON = re.compile(
    r"\b(?:nice|lovely|great|brilliant|wonderful|fantastic|friendly|kind|helpful)\W+"
    r"(?:chap|guy|bloke|lad|lass|lady|woman|man|girl|boy|person|people|bunch|team|fella)\b",
    re.I,
)
#: the speaker's being moved or impressed ("I was impressed", "we were actually blown
#: away", "Oh, really touched.")
_MOVED = re.compile(r"\b(impressed|touched|blown\W+away|made\W+up)\b", re.I)
_MOVED_FRAME = re.compile(
    r"\b(?:i|we)\W*(?:'m|m|'re|am|are|was|were|'ve\W+been|have\W+been|felt|feel|got|was\W+left)"
    r"\W+(?:(?:so|really|very|quite|genuinely|honestly|actually|absolutely|just|well|pretty|"
    r"a\W+bit|properly|totally)\W+){0,3}$",
    re.I,
)
_ELIDED_MOVED = re.compile(
    r"\W*(?:(?:and|but|so|oh|well|yeah|honestly|actually)\W+)*"
    r"(?:(?:so|really|very|genuinely|honestly|actually)\W+){0,3}",
    re.I,
)
#: set phrases of customers' praise
_PRAISE_PHRASE = re.compile(
    r"\b(?:made\W+my\W+(?:day|week|year)|can(?:'|no)?t\W+fault|couldn'?t\W+fault|"
    r"can(?:'|no)?t\W+praise\W+\w+\W+enough|above\W+and\W+beyond|worth\W+every\W+penny|"
    r"changed\W+my\W+(?:\w+\W+)?life|turned\W+me\W+around|the\W+best\W+(?:bit|part)\b|"
    r"best\W+(?:service|experience|compliment)|(?:nice|lovely|real|little)\W+touch|"
    r"(?:nice|lovely|best)\W+(?:moment|bit)|(?:a|such\W+a)\W+(?:lifesaver|godsend|treat)|"
    r"a\W+(?:real|great|big|huge)\W+help|what\W+was\W+(?:really\W+)?(?:good|great|nice|"
    r"brilliant|lovely)\W+was)",
    re.I,
)
#: an answer with its subject left out: "Really friendly.", "Honestly, really good."
_ELIDED_PRAISE = re.compile(
    r"^\W*(?:(?:and|but|so|oh|well|yeah|um|uh|touch\W+wood|honestly|actually)\W+)*"
    r"(?:(?:really|so|honestly|touch\W+wood)\W+)+(?:\w+\W+)?(?:"
    + _PRAISE_ALT
    + "|"
    + _MILD
    + r")\b",
    re.I,
)
#: what makes a praise word not said as fact: negated, supposed, hedged, someone else's
_UNDONE = re.compile(
    r"\b(?:not|never|no|hardly|barely|nor|neither|nothing|if|unless|whether|would|will|could|"
    r"might|may|should|wish|hope|imagine|probably|maybe|perhaps|possibly|supposedly|"
    r"said|says|told|claimed|as\W+if|as\W+though)\b|n't\b|\w'(?:d|ll)\b|\b(?:id|ill)\b",
    re.I,
)


def is_felt_praise(text: str) -> bool:
    """Whether ``text`` praises a person, service or time the speaker had, with feeling.

    Customers praise with feeling what they had ("I love that I can go at two in the
    morning", "the coaches are brilliant", "honestly it's been great", "I was
    impressed", "it made my day"); people in meetings approve of ideas and of what was
    just said ("That's a great idea.", "I like that.", "That sounds good.", "It's
    great."). True for the first kind: the speaker's liking, in the past or of a thing
    named after it (not of an idea, not "I'd love to" or "I like to"); strong praise
    (:data:`PRAISE_WORDS`, or "really" / "so" and a milder word) of a person or thing
    as subject ("the staff were", "my trainer has been", "it's been", "that was",
    "Shannon was") or as a short answer ("Really friendly."); a person praised as one
    ("a nice chap"); the speaker's being impressed or touched; set phrases of praise
    ("can't fault them", "went above and beyond", "a lovely touch"). False when it is of
    an idea, plan, question or point, when "that" / "this" / "it" is praised as it is
    now ("That's brilliant.", "It's great.": a reply), and when negated, supposed,
    hedged, reported or asked.

    Parameters
    ----------
    text : str

    Returns
    -------
    bool

    Examples
    --------
    >>> [is_felt_praise(t) for t in ("I love that I can go at two in the morning.",
    ...  "The coaches here are brilliant.", "Honestly it's been great.", "I was impressed.")]
    [True, True, True, True]
    >>> [is_felt_praise(t) for t in ("That's a great idea.", "I like that.", "It's great.",
    ...  "I'd love to.", "The staff weren't brilliant.", "Is the gym great?")]
    [False, False, False, False, False, False]
    """
    text = text.replace("\u2019", "'")
    return any(
        _felt_in(s) for s in re.split(r"(?<=[.!?])\s+", text) if not s.rstrip().endswith("?")
    )


def _felt_in(sentence: str) -> bool:
    """:func:`is_felt_praise` on one sentence."""
    for rx in (_PRAISE_PHRASE, _GOOD_PERSON):
        if any(not _undone(sentence[: m.start()]) for m in rx.finditer(sentence)):
            return True
    for m in _MOVED.finditer(sentence):
        before = sentence[: m.start()]
        if (_MOVED_FRAME.search(before) or _ELIDED_MOVED.fullmatch(before)) and not _undone(before):
            return True
    if len(_WORDS.findall(sentence)) <= SHORT and _ELIDED_PRAISE.match(sentence):
        return not _IDEA.search(sentence)
    for m in _LIKING.finditer(sentence):
        before, after = sentence[: m.start()], sentence[m.end() :]
        if _undone(before + m.group()) or re.match(r"\W+(?:to|a|an)\b", after):
            continue  # "I'd love to", "I don't like", "I like to talk to a person"
        rest = re.sub(r"[^\w\s']", " ", after).split()
        if _IDEA.search(" ".join(rest[:6])) or (rest and rest[-1].lower() in ("better", "more")):
            continue  # "I love that idea", "I like the second one better"
        bare = len(rest) <= 1 and (not rest or rest[0].lower() in ("that", "it", "this", "them"))
        if m.group("past") or not bare or len(_WORDS.findall(before)) >= 5:
            return True  # "I liked that.", "I love the app", "It remembers me, I love that."
    for m in _PRAISE.finditer(sentence):
        before, after = sentence[: m.start()], sentence[m.end() :]
        if _undone(before) or _IDEA.search(" ".join(after.split()[:3])):
            continue
        clause = re.split(r"[;:,\u2014()]|\bbut\b|\band\b(?=\W+(?:i|we|he|she|they|it)\b)",
                          before, flags=re.I)[-1]  # fmt: skip
        if _DEMONSTRATIVE_NOW.search(clause):
            continue  # "That's brilliant.", "It's great.": a reply
        if _SUBJECT.search(clause) or _NAMED.search(clause):
            return True
    return False


def _undone(before: str) -> bool:
    """Whether the clause before a praise word negates, supposes, hedges or reports it."""
    clause = re.split(r"[.;:!?,\u2014()]|\bbut\b", before, flags=re.I)[-1]
    return bool(_UNDONE.search(clause[-40:]))
