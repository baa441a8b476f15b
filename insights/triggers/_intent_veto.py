"""What around a proposed intent says it is no relationship intent, or a different one.

Each rule reads the sentence around a candidate (a cue's or the parse proposer's) and
names a class of false proposal, not a sentence:

* **denial with a point** — the speaker denies leaving to say something else: *I'm not
  cancelling, I just want the bill fixed*, *I don't want to leave, I just want them to
  fix it* (no stay either: nothing is said about staying);
* **undecided** — *I might switch, I might not*, *I'd switch if it got bad, but who
  knows* (not *I might switch when the contract ends*: a conditional leave);
* **trapped** — *I'm stuck with them till next year*: a contract, not loyalty;
* **not over that alone** — *I wouldn't leave them over the price alone*: other
  reasons may do it;
* **left someone something** — *I left them a voicemail*, *left a message*;
* **an object that is no service** — *cancelled her wedding*, *renewed the dog's
  vaccinations*, *switch the order of those questions*.

:func:`told_to_leave` turns a leave round into ``warn_others`` when the speaker tells
someone else to leave (*I told my neighbour to cancel hers too*).
"""

from __future__ import annotations

import re

#: after a negated cue: the speaker's real point follows ("..., I just want it fixed")
DENIAL = re.compile(
    r"^[^.?!]{0,12}?,\s*(?:I|we)(?:'m|'re|\s+am|\s+are|\s+was|'ve)?\s+(?:just|only|simply)\b|"
    r"^[^.?!]{0,12}?,\s*(?:I'm|I\s+am|we're)\s+(?:just\s+)?saying\b",
    re.I,
)
#: the speaker has not decided (in the cue's sentence)
UNDECIDED = re.compile(
    r"\b(?:who\s+knows|(?:I|we)\s+might\s+not|(?:I|we)\s+may\s+not|"
    r"(?:I'd|I\s+would)\s+like\s+to\s+think|toss-?up)\b",
    re.I,
)
#: kept by a contract, not by choice
TRAPPED = re.compile(
    r"\b(?:'m|am|are|'re|was|were|be|being|feel|felt)\s+(?:\w+\s+)?stuck\s+with\b", re.I
)
#: "wouldn't leave them over the price alone"
ALONE = re.compile(r"^[^.,;!?]{0,40}?\b(?:alone|on\s+its\s+own)\b", re.I)
#: "left them a voicemail", "left a note"
LEFT_SOMETHING = re.compile(
    r"^\s+(?:(?:them|him|her|us|me|you)\s+(?:a|an|the|my|our|some)\b|"
    r"(?:a|an)\s+(?:\w+\s+)?(?:message|voicemail|note|comment|tip|card)\b)",
    re.I,
)
#: a determiner and a noun right after the verb that no provider is
NOT_SERVICE_OBJECT = re.compile(
    r"^\s+(?:the|my|our|her|his|their|a|an|that|this|those|these)\s+(?:[\w-]+'s\s+)?"
    r"(?:[\w-]+\s+)?(?:wedding|party|holiday|trip|flight|booking|appointment|order|plans|"
    r"meeting|class|session|visit|slot|vaccinations?|jabs?|passport|MOT|prescription|seats?|"
    r"tab|camera|reservation|table|questions?)\b",
    re.I,
)
#: the cue verb is what the speaker tells someone else to do
TOLD_TO = re.compile(
    r"\b(?:told|tell|telling|advised?|urged?|got)\s+(?:my\s+|our\s+|the\s+|a\s+)?[\w-]+"
    r"(?:\s+[\w-]+)?\s+to\s+$",
    re.I,
)
#: cues that are the verb itself, so what follows them is its object
_VERB_CUES = {"cancel", "renew", "switch", "i_left", "parse_leave", "parse_stay", "to_leave"}


def _sentence(text: str, start: int, end: int) -> str:
    s0 = max(text.rfind(c, 0, start) for c in ".!?")
    ends = [i for i in (text.find(c, end) for c in ".!?") if i >= 0]
    return text[s0 + 1 : min(ends) if ends else len(text)]


def vetoed(text: str, start: int, end: int, intent: str, name: str, negated: bool) -> bool:
    """Whether the proposal ``intent`` from cue ``name`` at ``text[start:end]`` is none.

    Examples
    --------
    >>> vetoed("I'm not cancelling, I just want the bill fixed.", 8, 18, "stay", "cancel", True)
    True
    >>> vetoed("I'm not cancelling, they've been great.", 8, 18, "stay", "cancel", True)
    False
    """
    after = text[end:]
    if (
        intent == "stay"
        and (negated or name in ("wont_leave", "to_leave"))
        and DENIAL.search(after)
    ):
        return True
    if intent in ("leave", "stay") and UNDECIDED.search(_sentence(text, start, end)):
        return True
    if intent == "stay" and name == "stick_with" and TRAPPED.search(text[max(0, start - 30) : end]):
        return True
    if name == "wont_leave" and ALONE.search(after):
        return True
    if intent == "leave" and re.search(r"\bleft\s*$", text[start:end], re.I):
        if LEFT_SOMETHING.search(after):
            return True
    return name in _VERB_CUES and bool(NOT_SERVICE_OBJECT.search(after))


def told_to_leave(text: str, start: int) -> bool:
    """Whether a leave cue at ``start`` is what the speaker tells another person to do."""
    return bool(TOLD_TO.search(text[max(0, start - 50) : start]))
