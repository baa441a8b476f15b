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
  vaccinations*, *switch the order of those questions*;
* **a recommender who is no customer** — the subject of *recommend* is a thing or a
  professional (*the app recommends shows*, *the engineer recommended a new router*, *my
  physio recommended stretching*), or the speaker is the one advised by someone who is
  not a friend or relative (*they recommended the bigger plan to me*);
* **advice on a thing to do** — *I'd recommend a warm-up before anything heavy*: an
  indefinite object that is no service or provider;
* **leaving a place** — *we left the gym early*, *I left the bank at five*: a departure,
  not an ending;
* **a denied assertion** — *I wouldn't say I'd warn people off*: the speaker says the
  cue is too strong for what they mean;
* **never again, about an activity** — *never again will I fly overnight with a toddler*:
  the inverted vow names no provider (*never again will I use them* does);
* **a plan change inside the provider** — *switch plans in the app*, *switched to the
  annual plan*: no other provider is named;
* **someone or something put somewhere** — *we left the kids with my mum*, *I left the
  dog at the vet's*, *told us to leave his bandage on*: the object of *leave* stays behind
  in a place, nothing is ended;
* **an accident** — *I stopped the direct debit by mistake*: nothing was meant;
* **speculation about other customers** — *someone on a tight budget might cancel*,
  *if people want cheaper, they'll probably switch*: a guess about a group, said by
  nobody who is leaving.

:func:`told_to_leave` turns a leave round into ``warn_others`` when the speaker tells
someone else to leave (*I told my neighbour to cancel hers too*).
"""

from __future__ import annotations

import re

from ._intent_words import SERVICE

#: after a negated cue: the speaker's real point follows ("..., I just want it fixed")
DENIAL = re.compile(
    r"^[^.?!]{0,12}?,\s*(?:I|we)(?:'m|'re|\s+am|\s+are|\s+was|'ve)?\s+(?:just|only|simply)\b|"
    r"^[^.?!]{0,12}?,\s*(?:I'm|I\s+am|we're)\s+(?:just\s+)?saying\b",
    re.I,
)
#: the speaker has not decided (in the cue's sentence)
UNDECIDED = re.compile(
    r"\b(?:who\s+knows|(?:I|we)\s+might\s+not|(?:I|we)\s+may\s+not|"
    r"(?:I'd|I\s+would)\s+like\s+to\s+think|toss-?up|maybe\s+(?:I|we)\s+won't)\b",
    re.I,
)
#: kept by a contract, not by choice
TRAPPED = re.compile(
    r"\b(?:'m|am|are|'re|was|were|be|being|feel|felt)\s+(?:\w+\s+)?stuck\s+with\b", re.I
)
#: "wouldn't leave them over the price alone"
ALONE = re.compile(r"^[^.,;!?]{0,40}?\b(?:alone|on\s+its\s+own)\b", re.I)
#: "left them a voicemail", "left a note"
#: a leave verb, with "it" or "them" at most, that hands its object over to someone or
#: something ("leave them to the game to manage", "left it to my husband"): not a leaving
#: ("left them to join PureGym" is one)
LEAVE_VERB = re.compile(r"\b(?:leave|leaves|leaving|left)(?:\W+(?:it|them))?$", re.I)
HANDED_OVER = re.compile(
    r"(?:\W+(?:it|them))?\W+to\W+(?:the|my|our|your|his|her|their|a|an|someone|somebody|"
    r"whoever|others?)\b",
    re.I,
)
LEFT_SOMETHING = re.compile(
    r"^\s+(?:(?:them|him|her|us|me|you)\s+(?:a|an|the|my|our|some)\b|"
    r"(?:a|an)\s+(?:\w+\s+)?(?:message|voicemail|note|comment|tip|card|review|complaint|"
    r"rating|feedback)\b)",
    re.I,
)
#: a determiner and a noun right after the verb that no provider is
NOT_SERVICE_OBJECT = re.compile(
    r"^\s+(?:the|my|our|her|his|their|a|an|that|this|those|these)\s+(?:[\w-]+'s\s+)?"
    r"(?:[\w-]+\s+)?(?:wedding|party|holiday|trip|flight|booking|appointment|order|plans|"
    r"meeting|class|session|visit|slot|vaccinations?|jabs?|passport|MOT|prescription|seats?|"
    r"tab|camera|reservation|table|questions?|books?|library\s+\w+)\b",
    re.I,
)
#: the cue verb is what the speaker tells someone else to do
TOLD_TO = re.compile(
    r"\b(?:told|tell|telling|advised?|urged?|got)\s+(?:my\s+|our\s+|the\s+|a\s+)?[\w-]+"
    r"(?:\s+[\w-]+)?\s+to\s+$",
    re.I,
)
#: people whose recommendation is a customer's word (a friend, a relative, "everyone")
PERSON = frozenset(
    "husband wife partner mum mom dad mother father sister brother son daughter friend "
    "flatmate housemate neighbour neighbor colleague cousin parent parents family boyfriend "
    "girlfriend uncle aunt gran nan grandma grandad mate sibling guy bloke man woman lady "
    "boss someone somebody everyone everybody people friends mates folks kids".split()
)
#: the noun right before a *recommend* cue, as its subject (adverbs and auxiliaries between)
RECOMMENDER = re.compile(
    r"\b(?:the|this|that|their|its|our|my|your|his|her|a|an)\s+(?:[\w-]+\s+){0,2}?"
    r"(?P<noun>[\w-]+)\s+(?:(?:also|always|even|just|actually|really|then|keeps?|kept|had|"
    r"has|have|would|will|did|does|do|(?!family\b)\w+ly)\s+)*$",
    re.I,
)
#: the speaker is the one a recommendation is given to
TO_SPEAKER = re.compile(r"^\s+(?:me|us)\b|^[^.?!,]{0,40}?\bto\s+(?:me|us)\b", re.I)
#: right after *left / leave* and its object: the time or manner of a departure
DEPARTURE = re.compile(
    r"^\s+(?!(?:the\s+|my\s+|our\s+)?(?:contract|deal|plan|subscription|membership|policy)\b)"
    r"(?:(?:the|my|our)\s+)?(?:[\w-]+\s+){0,2}?(?:early|late|halfway|straight\s+away|"
    r"in\s+a\s+(?:hurry|huff|rush)|at\s+(?:\d|about|around|half|lunch|night|midnight|noon)|"
    r"before\s+(?:the|it|my)\b|after\s+(?:the|my)\s+(?:class|session|lesson|workout|swim|"
    r"meeting|appointment))|^\s+for\s+(?:work|home|school|college|holiday|the\s+(?:airport|"
    r"station|office|day|weekend|night|holidays?))\b|"
    r"^\s+at\s+(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b|"
    r"^\s+for\s+(?-i:[A-Z])\w+\s+(?:the\s+(?:day|next|following)|that\s+(?:morning|night|day|week))\b",
    re.I,
)
#: an act done by accident is no one's intent ("I stopped the direct debit by mistake")
ACCIDENT = re.compile(
    r"\b(?:by\s+(?:mistake|accident)|accidentally|without\s+meaning\s+to)\b", re.I
)
#: after *leave / left*: an object put in a place (*the kids with my mum*, *the dog at the
#: vet's*, *his bandage on*), not a time (*in the end*, *in March*, *at renewal*)
PLACED = re.compile(
    r"^\s+(?:(?:the|my|our|his|her|their|a|an|them|him|it)\s+)?(?:[\w'-]+\s+){0,2}?"
    r"(?:(?:with|at|in|on|outside|by|under|behind)\s+(?!(?:the\s+)?(?:end|start|beginning|"
    r"middle|spring|summer|autumn|winter|new\s+year|first|last|same|time|renewal|\d|"
    r"(?-i:[A-Z])[a-z]+\b(?!'s)))(?:the|my|our|his|her|their|a|an|home|school|work|"
    r"(?-i:[A-Z])[a-z]+'s)\b|on\s*(?:[.,!;]|$|for\b))",
    re.I,
)
#: the object words of a *left* that make it a provider's ending after all
ENDED = re.compile(
    r"\b(?:contract|deal|plan|subscription|membership|policy|account|provider|supplier|"
    r"network|insurer)\b",
    re.I,
)
#: a group of other people, or a guess about them: who a speculation is about
GROUP = re.compile(
    r"\b(?:people|someone|somebody|customers|users|folk|anyone|younger|older)\b", re.I
)
GUESS = re.compile(
    r"\b(?:would|'d|'ll|will|might|may|could|probably|tend\s+to)\b|"
    r"\b(?:I\s+suppose|I'd\s+imagine|I\s+imagine|I\s+guess|I\s+expect)\b",
    re.I,
)
#: what a switch inside the provider moves between
PLAN_CHANGE = re.compile(
    r"^\s+(?:over\s+)?(?:to\s+)?(?:the\s+|a\s+|my\s+|our\s+)?(?:[\w-]+\s+)?(?:plans?|tariffs?|"
    r"tiers?|packages?|bundles?|profiles?|options?)\b",
    re.I,
)
#: another provider named in the sentence (then a plan change is a move)
ELSEWHERE = re.compile(
    r"\b(?:elsewhere|another|different|rival|competitor|other\s+(?:provider|company|"
    r"supplier|network|bank|insurer))\b|\bwith\s+(?-i:[A-Z])\w+",
    re.I,
)
#: "I wouldn't say (that) I'd ...": the speaker disowns the cue that follows
DISOWNED = re.compile(
    r"\b(?:wouldn't|would\s+not|won't|can't|couldn't|don't|didn't)\s+(?:really\s+|exactly\s+)?"
    r"(?:say|go\s+as\s+far\s+as\s+to\s+say|go\s+so\s+far\s+as\s+to\s+say)\s+(?:that\s+)?"
    r"(?:I'd|I\s+would|I'll|I\s+will|I'm|I|we'd|we)?\s*(?:\w+\s+)?$|"
    r"\bnot\s+(?:like|as\s+if)\s+(?:I'm|I\s+am|I'd|I\s+would|I'll|we're|we'd)\s+"
    r"(?:going\s+to\s+|gonna\s+|ever\s+)?$",  # "it's not like I'm going to cancel over it"
    re.I,
)
#: "never again will I <verb> ..." and what it must name to be about a provider
INVERTED_VOW = re.compile(r"^\s*,?\s*(?:will|would|shall|do|am|'ll)\s+(?:I|we)\b", re.I)
PROVIDER_NAMED = re.compile(
    r"\b(?:them|they|it|there|that\s+(?:place|lot|company|firm)|provider|supplier|company|"
    r"network|bank|insurer|airline|gym|shop|service|subscription|contract)\b|"
    r"\b(?:with|from|at|to|by)\s+(?-i:[A-Z])\w+",
    re.I,
)
#: cues that are the verb itself, so what follows them is its object
_VERB_CUES = {
    "cancel", "renew", "switch", "i_left", "parse_leave", "parse_stay", "to_leave", "not_renew"
}  # fmt: skip


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
    if intent == "leave" and LEAVE_VERB.search(text[start:end]) and HANDED_OVER.match(after):
        return True
    if intent == "leave" and re.search(r"\b(?:left|leave|leaving)\s*$", text[start:end], re.I):
        if LEFT_SOMETHING.search(after):
            return True
    if DISOWNED.search(text[max(0, start - 50) : start]):
        return True
    if name == "never_again" and INVERTED_VOW.search(after):
        if not PROVIDER_NAMED.search(_sentence(text, start, end)[len("never again") :]):
            return True
    if _org_subject(text, start):
        return True  # "the council cancelled the collection", "our office switched to Teams"
    word = re.match(r"recommend\w*", text[start:end], re.I)
    if intent in ("recommend", "warn_others") and word:
        if _not_a_customer(text[max(0, start - 60) : start], text[start + word.end() :]):
            return True
        if _advice(text[start + word.end() :]):
            return True
    if intent == "leave" and re.search(r"\b(?:left|leav\w*)\s*$", text[start:end], re.I):
        if DEPARTURE.search(after):
            return True
    verb = list(re.finditer(r"\b(?:left|leav(?:e|es|ing))\b", text[start:end], re.I))
    if intent in ("leave", "warn_others") and verb:
        rest = text[start + verb[-1].end() :]
        placed = PLACED.match(rest)
        if placed and not ENDED.search(placed.group(0)):
            return True
    if intent == "leave" and _speculation(text, start, end):
        return True
    if intent in ("leave", "stay") and ACCIDENT.search(_sentence(text, start, end)):
        return True
    if (
        intent == "leave"
        and re.search(r"switch\w*\s*$", text[start:end], re.I)
        and PLAN_CHANGE.search(after)
        and not ELSEWHERE.search(_sentence(text, start, end))
    ):
        return True
    return name in _VERB_CUES and bool(NOT_SERVICE_OBJECT.search(after))


def _speculation(text: str, start: int, end: int) -> bool:
    """*Someone on a tight budget might cancel*: a guess about other customers, no one's intent."""
    sentence = _sentence(text, start, end)
    s0 = text.find(sentence, max(0, start - len(sentence)))
    before = text[max(s0, 0) : start]
    if re.search(r"\b(?:I|we|I'm|I'd|I've|I'll|we're|we'd|we've|we'll|my|our)\b", before, re.I):
        return False  # "I'd imagine I'll cancel" is the speaker's own
    return bool(GROUP.search(before) and GUESS.search(text[max(s0, 0) : end + 40]))


def _org_subject(text: str, start: int) -> bool:
    """Whether the subject right before the cue's verb is an organisation or a thing."""
    if re.match(r"\s*(?:I|we|my|our|his|her|they|he|she)\b", text[start:], re.I):
        return False  # the cue holds its own subject: "I'd say don't"
    clause = re.split(r"[.!?;,]", text[max(0, start - 60) : start])[-1]
    m = RECOMMENDER.search(clause)
    if not m or re.search(r"\b(?:about|at|with|from|to|for|of|in|on|by)\s+$", clause[: m.start()]):
        return False  # "asked about that gym, I'd ...": an object, not the subject
    return m.group("noun").lower().rstrip("s") in ORG_OR_THING


def _advice(after: str) -> bool:
    """*recommend a warm-up*, *recommend some stretching*: a thing to do, not a provider."""
    m = re.match(r"\s+(?:a|an|some)\s+((?:[\w-]+\s+){0,2}[\w-]+)", after, re.I)
    if not m or PROVIDER_OBJECT.search(after):
        return False
    return not any(w.lower().rstrip("s") in SERVICE for w in m.group(1).split())


def _not_a_customer(before: str, after: str) -> bool:
    """Whether a *recommend* is said by a thing or a professional, or given to the speaker.

    A professional who recommends a provider (*my vet recommended this insurer*) is a
    reported recommendation; one who recommends a product or an action is not.
    """
    clause = re.split(r"[.!?;,]", before)[-1]
    if re.search(r"\b(?:I|we|I'd|we'd|I've|we've|I'll|we'll)\s+(?:\w+\s+){0,3}$", clause, re.I):
        return False  # "I'd definitely recommend them"
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", clause)}
    if words & PERSON or {w.rstrip("s") for w in words} & PERSON:
        return False  # "everyone on the forum was recommending them", "my friend at work"
    bare = re.fullmatch(r"\s*(?:it|they)\s+(?:\w+\s+)?", clause, re.I)
    if bare or re.search(r"\bit\s+$", clause):
        return True  # "it recommends a workout", "they recommend you service it"
    m = RECOMMENDER.search(clause)
    if not m:
        return False
    noun = m.group("noun").lower()
    if noun in THINGS or noun.rstrip("s") in THINGS:
        return True  # "the app recommends shows"
    return not PROVIDER_OBJECT.search(after)  # "the engineer recommended a new router"


#: things that recommend (a feature of a product, not a customer's word)
THINGS = frozenset(
    "app system site website algorithm engine tool platform page email ad advert software "
    "programme program feature machine sat-nav satnav tv telly".split()
)
#: subjects that are an organisation or a thing: what they do is no customer's intent
ORG_OR_THING = THINGS | frozenset(
    "council company bank insurer provider supplier network firm gym shop office school "
    "government business club branch centre center service store practice garage airline "
    "landlord agency hospital surgery university college employer".split()
)
#: a provider as the object of a recommendation (not a product or an action)
PROVIDER_OBJECT = re.compile(
    r"^\s+(?:them|(?:this|that|the|their|a)\s+(?:\w+\s+){0,2}?(?:one|place|lot|insurer|bank|gym|"
    r"provider|company|network|shop|garage|practice|firm|supplier|broker|club|lender|airline|"
    r"builder|plumber|dentist|vet|studio|centre|center)s?\b|(?-i:[A-Z])\w+)",
    re.I,
)


def told_to_leave(text: str, start: int) -> bool:
    """Whether a leave cue at ``start`` is what the speaker tells another person to do."""
    return bool(TOLD_TO.search(text[max(0, start - 50) : start]))
