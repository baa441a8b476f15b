"""Whose provider an intent is about: the study's own, or another one.

A customer study is about one provider (``study.yaml``'s ``provider``, else the
capitalised words of its ``name``: :attr:`insights.study.StudyConfig.provider_names`).
People also talk about the provider they had before and the one they moved to: "Our old
provider ... I tell everyone to avoid them",
"Whereas Northway, I tell everyone to avoid them", "I'd recommend Brightwave", and a new
customer's "we switched to Kestrel" is leaving someone else *for* the study's provider.
Those intents are real, but they are not about the study's provider, so drivers must not
count them. :func:`intent_target` says ``other`` for them and ``study`` otherwise (the
default: in an interview about a provider, "them" is that provider).

The rules, in order:

1. the destination of a leave cue (*switched to X*, *moved over to X*, *went with X*) is
   one of the study's names: the speaker left another provider for the study's (``other``);
2. the sentence names another provider as its topic: *my old / previous / last / former
   provider* (for stay, recommend and warn also *my new provider*, *the new one*), a
   capitalised name before a comma that opens the sentence (*Whereas Northway, ...*), or
   a capitalised name right after *recommend* / *avoid* that is not one of the study's
   names (``other``); the study's name in the sentence is ``study``;
3. a leave told as a bare *we switched in April* (no destination) is ``unknown``: from
   the study's provider, or to it;
4. for leave and warn intents, else the nearest mention in the ``context`` (the
   transcript's :data:`CONTEXT` previous segments, interviewer's questions included): the
   study's name is ``study``, an old / previous provider ("who were you with before?";
   for a warning also someone's new one) is ``other`` (stay and recommend intents are
   about the provider one has now);
5. else ``study``.

Examples
--------
>>> intent_target("We switched to Kestrel in April.", "leave", provider=("Kestrel",))
'other'
>>> intent_target("I tell everyone to avoid them.", "warn_others",
...               context=["Our old provider was dreadful.", "It dropped out."])
'other'
>>> intent_target("I tell everyone to avoid them.", "warn_others",
...               context=["If a friend asked you about Kestrel, what would you say?"],
...               provider=("Kestrel",))
'study'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["intent_target", "intent_context"]

#: how many segments before an intent :func:`intent_context` gives (interviewer's included).
CONTEXT = 10

#: the nouns that stand for a provider after "my old", "the previous", "our new".
_PROVIDER_NOUN = r"(?:provider|supplier|company|network|one|lot|isp)"
_OLD = re.compile(
    r"\b(?:(?:my|our|the|his|her|their)\s+)?(?:old|previous|last|former|first|other)\s+"
    r"(?:\w+\s+)?(?:broadband|" + _PROVIDER_NOUN + r")\b",
    re.I,
)
# not "the new broadband": a new customer's new broadband is the study's provider's
_NEW = re.compile(
    r"\b(?:my|our|the|his|her|their|some|a)\s+new\s+(?:\w+\s+)?" + _PROVIDER_NOUN + r"\b",
    re.I,
)
_DEST = re.compile(
    r"\b(?:switch\w*|mov\w*|went|go(?:ne|ing)?|join\w*|sign\w*\s+up|came|come)\s+"
    r"(?:over\s+)?(?:to|with)\s+((?-i:[A-Z])[\w-]+)",
    re.I,
)
_DEST_BEFORE = re.compile(r"\b(?:to|with|for)\s+$", re.I)
_TOPIC = re.compile(r"^\W*(?:whereas|as\s+for|unlike)\s+((?-i:[A-Z])[\w-]+)\s*,", re.I)
#: in the context: the provider before ("who were you with before?", "our old place was
#: on copper with Northline").
_BEFORE = re.compile(
    r"\bwith\s+before\b|\bold\s+(?:place|flat|house|address)\b[^.?!]*\b(?:with|on)\s+"
    r"(?-i:[A-Z])\w+",
    re.I,
)
_BARE_SWITCH = re.compile(
    r"\bswitched\s*(?:$|[.,!;]|\s+(?:at|in|on|last|when|after|before)\b)", re.I
)
_OBJECT = re.compile(r"\b(?:recommend\w*|avoid\w*)\s+((?-i:[A-Z])[\w-]+)", re.I)


def _names(provider: Sequence[str]) -> re.Pattern | None:
    names = [re.escape(p) for p in provider if p]
    return re.compile(r"\b(?:" + "|".join(names) + r")(?:'s)?\b") if names else None


def intent_target(
    text: str,
    intent: str,
    *,
    context: Sequence[str] = (),
    provider: Sequence[str] = (),
) -> str:
    """``study`` or ``other``: whose provider the intent of ``text`` is about (``""`` for none)."""
    if not intent or intent == "none":
        return ""
    text = (text or "").replace("’", "'")
    own = _names(provider)
    is_own = (lambda w: bool(own.fullmatch(w))) if own else (lambda w: False)
    if intent == "leave":
        for m in _DEST.finditer(text):
            if is_own(m.group(1)):
                return "other"  # "we switched to Kestrel": left someone else for the study's
    if own and own.search(text):
        return "study"
    olds = [
        m
        for m in _OLD.finditer(text)
        if intent != "leave" or not _DEST_BEFORE.search(text[: m.start()])
    ]
    if olds or (intent != "leave" and _NEW.search(text)):
        return "other"
    for pat in (_TOPIC, _OBJECT):
        m = pat.search(text)
        if m and m.group(1) not in ("I", "I'd", "I'm", "I've", "I'll") and not is_own(m.group(1)):
            return "other"
    if intent == "leave" and _BARE_SWITCH.search(text) and not _DEST.search(text):
        return "unknown"  # "we switched in April": from the study's provider, or to it?
    if intent not in ("leave", "warn_others"):
        return "study"  # one stays with, and mostly recommends, the provider one has now
    for prev in reversed(list(context)):
        prev = (prev or "").replace("’", "'")
        hits = [(m.end(), "study") for m in own.finditer(prev)] if own else []
        pats = (_OLD, _BEFORE, _NEW) if intent == "warn_others" else (_OLD, _BEFORE)
        hits += [(m.end(), "other") for pat in pats for m in pat.finditer(prev)]
        if hits:
            return max(hits)[1]  # the mention nearest the intent
    return "study"


def intent_context(segments, ids: Sequence[str], n: int = CONTEXT) -> list[list[str]]:
    """The texts of the ``n`` segments before each of ``ids`` in its transcript (all roles).

    ``segments`` is the segments table in reading order (``segment_id``, ``text`` and,
    when present, ``transcript_id``).
    """
    sid = segments["segment_id"].astype(str).tolist()
    text = segments["text"].astype(str).tolist()
    tid = (
        segments["transcript_id"].astype(str).tolist()
        if "transcript_id" in segments.columns
        else [""] * len(sid)
    )
    where = {s: i for i, s in enumerate(sid)}
    out = []
    for s in ids:
        i = where.get(str(s))
        if i is None:
            out.append([])
            continue
        lo = i
        while lo > 0 and i - lo < n and tid[lo - 1] == tid[i]:
            lo -= 1
        out.append(text[lo:i])
    return out
