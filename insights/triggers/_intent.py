"""Intent: whether the speaker says they will stay with, leave, recommend or warn about a provider.

Three steps, in this order:

1. **Cues** — high-recall patterns propose a candidate intent: *cancel my contract*,
   *switched to Brightwire*, *I left in January*, *I'll stay*, *I'd be mad to leave*,
   *recommend them*, *told my sister to sign up*, *tell everyone to avoid them*, *will be
   back*, *never again*.
2. **Rules** — hard negatives are dropped (a *recommender system*, *switch to Spark*,
   *stick with the decision*, *leave it*, *quit the game*, an *appointment* or *meeting*
   that was *cancelled*, a process that *terminates*, advice to *recommend using* or
   *checking* something); negation turns a cue round (*I wouldn't leave them* is
   ``stay``, *I wouldn't recommend them* is ``warn_others``); a past counterfactual
   without a condition (*I wouldn't have left them over the price alone*) is no
   intent. The ``kind`` comes from the clause: ``reported`` (another person's: *my
   neighbour switched*), ``conditional`` (*I'd switch if the price went up*), ``done``
   (*I left them in May*) or ``intended`` (*I'm going to cancel*, *I'll stay*).
3. **Verifier** — a logistic regression over the cue features and (when an embedder
   is given) the sentence's MiniLM embedding says how likely the proposed intent is
   right; that probability is the ``confidence``, and a proposal below
   :data:`THRESHOLD` is dropped. The weights ship in
   ``insights/models/intent/intent_verifier.json`` (fit by ``training/train_intent.py``
   on the tuning part of ``benchmarks/intent_labels.csv``; figures in
   ``insights/models/intent/README.md`` and ``benchmarks/results/intent_eval.json``).

Examples
--------
>>> out = detect_intent(["I told my sister to sign up with them.",
...                      "It's a recommender system for sizes.",
...                      "My neighbour switched to another provider."], embedder=False)
>>> out[["intent", "kind"]].values.tolist()
[['recommend', 'done'], ['none', ''], ['leave', 'reported']]
>>> bool(((out["confidence"] > 0) & (out["confidence"] <= 1)).iloc[[0, 2]].all())
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "INTENTS",
    "INTENT_FEATURES",
    "KINDS",
    "THRESHOLD",
    "Proposal",
    "IntentVerifier",
    "detect_intent",
    "propose_intent",
    "proposal_features",
]

#: the intents a text can have (``none`` for no intent).
INTENTS = ("stay", "leave", "recommend", "warn_others", "none")
#: the kinds of a detected intent.
KINDS = ("done", "intended", "conditional", "reported")
#: proposals whose verified probability is below this are dropped.
THRESHOLD = 0.5
MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "intent" / "intent_verifier.json"

_I = re.I
# object of a relationship verb: the provider, a brand (capitalised word), or "them"
_OBJ = r"(?:them|you|it|this\s+place|the\s+place|this\s+one|[A-Z][\w'-]+)"
_CUES: dict[str, list[tuple[str, str]]] = {
    # (name, pattern); the name becomes a feature
    "leave": [
        (
            "cancel",
            r"\bcancel(?:l?ing|l?ed|s)?\b(?!\s+(?:(?:the|a|my|our|his|her)\s+)?(?:\w+\s+)?"
            r"(?:appointment|meeting|order|trip|series|call|plans?|slot|flight|booking|vote|"
            r"match|show|party|class|event|gig|appearances?)\b|\s+(?:it|that|out)\b)",
        ),
        (
            "switch",
            r"\bswitch(?:ed|ing)?\s+(?:to\s+(?:another|a\s+new|a\s+different|"
            r"[A-Z][\w-]+)|over\b|away\b|provider|supplier|networks?)|"
            r"\b(?:I|we)\s+(?:\w+\s+)?switched(?=\s+(?:at|in|last|when|after|because|"
            r"providers?|over|away)\b|\s*[.,!]|\s*$)|\bthe\s+switching\b|"
            r"\b(?:might|may|could|will|'ll|'d|would|going\s+to|want\s+to|thinking\s+about)\s+"
            r"switch(?:ing)?\b(?!\s+(?:it|them|back|off|on|to\s+\w+ing|to\s+start)\b)",
        ),
        (
            "leave_them",
            r"\b(?:leav(?:e|ing)|left)\s+(?:them|you|[A-Z][\w-]+|for\s+(?:another|a|"
            r"something|someone)|the\s+(?:provider|network|contract))\b",
        ),
        (
            "i_left",
            r"\b(?:(?:I|we|I'd|we'd)\s+(?:\w+\s+)?(?:left|was\s+leaving|am\s+leaving)|"
            r"I'm\s+leaving|we're\s+leaving)\b(?!\s+(?:the\s+(?:house|room|office|flat|data|"
            r"dinner|table|car|party|building|meeting)|a\s|it\b|early|work|home|school))",
        ),
        (
            "to_leave",
            r"\b(?:want(?:ed)?|going|decided|plan(?:ning)?|about|think(?:ing)?\s+about|"
            r"easier)\s+(?:to\s+)?leav(?:e|ing)\b(?!\s+(?:it|the\s+(?:house|room|office)|"
            r"early|home|work))",
        ),
        ("be_gone", r"\bI'll\s+be\s+gone\b"),
        (
            "would_leave",
            r"\b(?:I|we)(?:'d|\s+would)\s+(?:probably\s+|definitely\s+|just\s+)?leave\b"
            r"(?!\s+(?:the|a|it|my|our|early|work|home|room)\b)",
        ),
        ("reason_to_go", r"\breason\s+to\s+(?:go|leave|switch|move)\b"),
        (
            "close_account",
            r"\b(?:clos(?:e|ing|ed)|end(?:ing|ed)?|terminat(?:e|ing|ed))\s+(?:my|the|our)\s+"
            r"(?:account|contract|subscription|membership)\b",
        ),
        ("port", r"\bport(?:ing|ed)?\s+(?:my|our)\s+number\b"),
        (
            "move_to",
            r"\bmov(?:e|ed|ing)\s+(?:my\s+account\s+)?(?:over\s+)?to\s+(?:another\s+"
            r"(?:provider|company|network)|[A-Z][\w-]+)",
        ),
        (
            "look_around",
            r"\b(?:look|looking|shop|shopping)\s+(?:around|for\s+(?:another|a\s+new)\s+"
            r"(?:provider|supplier|deal|company))\b",
        ),
        ("done_with", r"\b(?:done|finished)\s+with\s+them\b"),
        ("elsewhere", r"\b(?:going|gone|go|take\s+my\s+\w+)\s+elsewhere\b"),
        ("ditch", r"\bditch(?:ed|ing)?\s+them\b"),
        ("unsubscribe", r"\bunsubscrib(?:e|ed|ing)\b(?!\s+from\s+(?:their|the|your)\s+emails)"),
        ("drop_sub", r"\bdrop\s+(?:the|my)\s+subscription\b"),
        ("not_renew", r"(?:\b(?:not|never|won'?t)|n't)\s+(?:be\s+)?renew(?:ing)?\b"),
        ("never_again", r"\bnever\s+again\b"),
        (
            "never_back",
            r"\b(?:never|not|won'?t|wouldn'?t|n't)\s+(?:\w+\s+){0,2}(?:go|going|be|come|"
            r"coming)\s+back\b|\bnever\s+to\s+return\b|\b(?:never|not)\s+return\b",
        ),
        ("off_to", r"\bI'?m\s+off\s+to\b"),
    ],
    "stay": [
        (
            "stay_with",
            r"\bstay(?:ing|ed)?\s+(?:with\s+" + _OBJ + r"|put|loyal|on\s+with)\b",
        ),
        (
            "wont_leave",
            r"\b(?:wouldn't|won't|will\s+not|would\s+not|not\s+going\s+to|never|no\s+way\s+I'd)"
            r"\s+(?:\w+\s+)?(?:switch|leave|cancel|change\s+provider)\b",
        ),
        (
            "i_stay",
            r"\b(?:I|we)(?:'ll|’ll|'d|’d|\s+will|\s+would|\s+might|\s+should)?\s+(?:\w+\s+){0,2}"
            r"stay(?:ed)?\b(?!\s+(?:on\s+the\s+phone|late|at|in\b|up|home|the\s+same|away|"
            r"awake|calm|quiet|for|overnight|there|here|with\s+(?:my|a|the)\b))",
        ),
        ("why_stay", r"\b(?:why|reason)\s+I\s+stay\b"),
        ("stick_with", r"\b(?:stick(?:ing)?|stuck)\s+with\s+(?:them|you|[A-Z][\w-]+)\b"),
        (
            "renew",
            r"\b(?:I|we|I'd|we'd|I'll|we'll)\s+(?:\w+\s+)?renew(?:ed)?\b|\brenewed\s+with\b",
        ),
        ("sign_up_again", r"\bsign(?:ed)?\s+up\s+again\b"),
        ("loyal_customer", r"\bloyal\s+customer\b"),
        ("keeps_me", r"\bkeeps?\s+me\s+with\s+them\b"),
        ("keep_contract", r"\bkeep\s+(?:my|our)\s+contract\b"),
        ("not_anywhere", r"\bnot\s+going\s+anywhere\b"),
        (
            "be_with",
            r"\bstill\s+(?:be\s+)?with\s+(?:them|you|[A-Z][\w-]+)\b|\bbeen\s+with\s+"
            r"(?:them|you|[A-Z][\w-]+)\s+for\s+(?:ages|years|decades|\w+\s+years)\b",
        ),
        ("mad_to_leave", r"\bmad\s+to\s+leave\b"),
        (
            "come_back",
            r"\b(?:we|I)(?:'ll|\s+will|\s+would)\s+(?:definitely\s+|probably\s+|certainly\s+|"
            r"absolutely\s+|surely\s+|most\s+likely\s+)?(?:be|go|come)\s+back\b(?!\s+(?:and|to\s+"
            r"(?:the\s+)?(?:office|work|bed|school|class|normal)))"
            r"|\bcan't\s+wait\s+to\s+go\s+back\b"
            r"|(?:^|[.!]\s*)(?:will|'ll)\s+(?:\w+\s+)?be\s+back\b|\bgoing\s+to\s+be\s+back\b|"
            r"\b(?:going|been\s+going)\s+back\s+again\b|\bvisit\s+again\b|\bstop\s+in\s+again\b"
            r"|\bcome\s+back\s+(?:nearly|every)\b|\bwon't\s+stop\s+going\s+back\b",
        ),
        ("many_times", r"\b(?:eaten\s+here|been)\s+(?:many|more\s+than\s+\d+|\w+)\s+times?\b"),
        ("no_plans", r"\bno\s+(?:reason|plans?)\s+to\s+(?:leave|switch|move)\b"),
    ],
    "recommend": [
        (
            "recommend",
            r"\brecommend(?:ed|ing|s)?\b(?!\s+(?:that|using|getting|checking|trying|making|"
            r"to\s+make|reservations?|a\s+reservation|you\b|he\b|she\b|we\b|I\b|this\s+paper))"
            r"(?!\s+(?:system|engine|model))",
        ),
        ("recommend_it", r"\brecommend(?:ed)?\s+(?:it|them|this|the\s+place)\b|\brecommend!"),
        (
            "told_sign_up",
            r"\b(?:told|tell|telling)\s+(?:my\s+)?\w+(?:\s+\w+)?\s+to\s+(?:sign\s+up|join|"
            r"look\s+at|go\s+with|try|switch)\b",
        ),
        (
            "referral",
            r"\b(?:referral|refer-a-friend)\s+link\b|\brefer(?:red|ring)?\s+(?:us|me|"
            r"\w+\s+friends?|people)\b|\bfor\s+recommending\s+people\b",
        ),
        ("put_onto", r"\bput\s+(?:him|her|them)\s+onto\b"),
        ("good_review", r"\bfive[- ]star\s+review\b"),
        (
            "must",
            r"\b(?:is\s+a\s+must|a\s+must\s+(?:for|visit)|do\s+not\s+pass\s+it\s+up|"
            r"don'?t\s+miss\s+(?:this|it)|friends\s+will\s+thank\s+you|you\s+will\s+go\s+back)\b",
        ),
        ("how_good", r"\b(?:saying|tell\w*|spoke)\s+(?:\w+\s+){0,3}(?:how\s+good|about\s+it)\b"),
        ("bring", r"\bpeople\s+(?:that\s+)?I\s+bring\b"),
        ("told_about", r"\btold\s+(?:my\s+)?\w+\s+about\s+(?:it|them)\b"),
        ("enough", r"\brecommend\s+(?:\w+\s+){1,4}enough\b"),
    ],
    "warn_others": [
        ("warn", r"\bwarn(?:ed|ing)?\s+(?:my|you|other|people|everyone|them|diners|\w+\s+not)\b"),
        (
            "tell_avoid",
            r"\b(?:tell|told|telling)\s+(?:\w+\s+){0,4}(?:to\s+)?(?:avoid|stay\s+away|not\s+to|"
            r"never|don'?t)\b",
        ),
        ("avoid_them", r"\bavoid\s+(?:them|that\s+lot)\b"),
        ("stay_away", r"\bstay\s+away\s+from\s+(?:them|there|this\s+place)\b"),
        ("bad_review", r"\b(?:one[- ]star|bad|terrible|awful|negative)\s+review\b"),
        ("boycott", r"\bboycott\b"),
        ("dont_go", r"\bdon'?t\s+(?:go\s+to\s+this|go\s+with\s+them|sign\s+up|waste\s+your)\b"),
        ("said_dont", r"\bI\s+said,?\s+don'?t\b"),
        ("spread_word", r"\bspread\s+the\s+word\b"),
        ("do_not_get", r"^\s*(?:do\s+not|don'?t)\s+(?:get|order|go|bother)\b"),
        ("go_instead", r"\bgo\s+with\s+[A-Z]\w+\s+instead\b|\bgo\s+to\s+\w+\s+\w+\s+place\b"),
        ("dont_recommend", r"^\s*(?:don'?t|do\s+not|can'?t|cannot)\s+recommend\b"),
    ],
}
_COMPILED = {
    k: [(n, re.compile(p.replace("[A-Z]", "(?-i:[A-Z])"), _I)) for n, p in v]
    for k, v in _CUES.items()
}

_NEG = re.compile(
    r"\b(?:not|never|no\s+longer|wouldn'?t|won'?t|don'?t|didn'?t|can'?t|couldn'?t|cannot|"
    r"isn'?t|wasn'?t|aren'?t|shouldn'?t|no\s+way)\b|n['’]t\b",
    _I,
)
_SELF_NEGATED = {"not_renew", "never_again", "never_back", "no_plans", "not_anywhere",
                 "dont_go", "said_dont", "do_not_get", "dont_recommend", "tell_avoid",
                 "mad_to_leave", "reason_to_go", "wont_leave", "enough"}  # fmt: skip
#: cues that win over a general cue they overlap ("mad to leave" over "leave").
_PRIORITY = _SELF_NEGATED | {"keeps_me", "told_about", "bring"}
#: cues that need a provider-like context and no technical one.
_NEEDS_CONTEXT = {"switch", "move_to", "stick_with", "i_left", "cancel"}
#: cues that need a provider-like context.
_NEEDS_PROVIDER = {"move_to"}
_PASSIVE = re.compile(r"\b(?:been|was|were|be|is|are|get|got|gets)\s+(?:\w+\s+)?$", re.I)
_ASKED = re.compile(
    r"\b(?:you|you'd|would\s+you|do\s+you|can\s+you|for|threat\w*\s+to|threatening|"
    r"threatened\s+to)\s+(?:\w+\s+)?$",
    re.I,
)
_NEG_NEAR = re.compile(
    r"(?:\b(?:not|never|no\s+longer|cannot|no\s+way)\b|n't\b)(?:\s+\w+){0,3}\s*$", _I
)
_FLIP = {"leave": "stay", "stay": "none", "recommend": "warn_others", "warn_others": "none"}
_PAST_CF = re.compile(
    r"\b(?:would|'d|’d|might|could)\s+(?:not\s+|n't\s+)?have\b|n['’]t\s+have\b", _I
)
_COND = re.compile(
    r"\b(?<!know\s)(?<!sure\s)(?<!wonder\s)(?<!see\s)(?:if|unless|otherwise|one\s+more|might|"
    r"maybe)\b(?!\s+(?:you\b|I'm\s+honest|anyone\s+asks))",
    _I,
)
_FIRST = re.compile(r"\b(?:I|we|I'm|I'd|I've|I'll|we're|we'd|we've|we'll)\b", _I)
_THIRD = re.compile(
    r"\b(?:he|she|they|he's|she's|they've|they're)\b|"
    r"\bmy\s+(?:neighbou?r|sister|brother|mum|dad|mother|father|friend|mate|cousin|colleague|"
    r"wife|husband|partner|son|daughter|flatmate|flatmate's\s+\w+|boyfriend|girlfriend)s?\b|"
    r"\b(?:half\s+my|people|everyone\s+I\s+know|our\s+friend|the\s+friend|"
    r"(?!(?:That|It|There|What|Here|Who|Where|This|Let|He|She)'s)(?-i:[A-Z])[a-z]+'s)\b",
    _I,
)
_PAST = re.compile(
    r"\b(?:cancell?ed|left|switched|stayed|renewed|recommended|told|warned|referred|moved|"
    r"closed|ported|ditched|unsubscribed|signed\s+up\s+again|stuck|sent|put\s+him|been|had|"
    r"was|were|did|rang|said|went|posted|felt|have\s+been|I've|I’ve|we've)\b|\btell\s+everyone\b"
    r"|\bI\s+tell\b|\bI\s+bring\b|\bkeeps?\s+me\b|\bwhy\s+I\s+stay\b"
    r"|\bcome\s+back\s+(?:nearly|every)\b",
    _I,
)
_FUTURE = re.compile(
    r"\b(?:will|'ll|going|gonna|'m\s+\w+ing|am\s+\w+ing|would|'d|want\s+to|"
    r"thinking\s+about|plan|probably)\b",
    _I,
)
_TECH = re.compile(
    r"\b(?:system|engine|model|data(?:set)?s?|pipeline|process|code|function|game|sword|"
    r"project|algorithm|server|cloud|deploy\w*|python|spark|flask|pytorch|framework|"
    r"library|tool|meeting|appointment|paper|team|job|position|job|the\s+decision)\b",
    _I,
)
_PROVIDER = re.compile(
    r"\b(?:provider|supplier|contract|them|they|account|subscription|broadband|deal|price|"
    r"company|restaurant|place|service|customer|renewal|network|fibre|bill|here|again)\b",
    _I,
)
_CLAUSE = re.compile(r"[.!?;]+|,\s+(?:but|and|so|because|though)\b|\bbut\b", _I)

INTENT_FEATURES: tuple[str, ...] = (
    "bias",
    *(f"intent_{i}" for i in INTENTS[:4]),
    *(f"kind_{k}" for k in KINDS),
    "negated",
    "first_person",
    "third_person",
    "conditional",
    "past_cf",
    "question",
    "tech",
    "provider",
    "n_cues",
    "short",
    *sorted({f"cue_{n}" for v in _CUES.values() for n, _ in v}),
)


@dataclass(frozen=True)
class Proposal:
    """A candidate intent of one text, before verification."""

    intent: str
    kind: str
    cue: str
    start: int
    end: int
    negated: bool
    flags: dict[str, float]


def _clause_before(text: str, start: int) -> str:
    before = text[max(0, start - 80) : start]
    parts = _CLAUSE.split(before)
    return parts[-1] if parts else before


def _kind(text: str, start: int, end: int, intent: str, name: str = "") -> str:
    clause = _clause_before(text, start)
    cue = text[start:end]
    after = text[end : end + 60]
    after = _CLAUSE.split(after)[0]
    around = clause + text[start:end] + after
    subj_first = list(_FIRST.finditer(clause + cue[:6]))
    subj_third = list(_THIRD.finditer(clause))
    last_first = subj_first[-1].start() if subj_first else -1
    last_third = subj_third[-1].start() if subj_third else -1
    reported = last_third > last_first
    # "told my neighbour to switch": the speaker is the subject, not a report
    if re.search(r"\b(?:I|we)\s+(?:\w+\s+)?(?:told|tell|sent|put|said)\b", clause + cue):
        reported = False
    if reported:
        return "reported"
    if re.search(
        r"\b(?:I|we)'d\s+(?:just\s+|already\s+)?(?:left|renewed|cancell?ed|switched|"
        r"recommended|told|stayed|signed)\b",
        clause + cue,
        _I,
    ):
        return "done"  # pluperfect: "after I'd left"
    if (
        intent in ("recommend", "warn_others")
        and not _FIRST.search(clause)
        and not re.search(r"\b(?:I|we)\b", cue, _I)
    ):
        if not re.search(r"\b(?:have|has|had)\b", clause, _I):
            return "intended"  # "Highly recommended!", "Don't go to this place!"
    if name == "mad_to_leave":
        return "intended"
    if re.search(r"\b(?:have|has|'ve)\s+been\b", clause + cue, _I):
        return "done"  # "I have been going back again and again"
    if _COND.search(text) and (
        _COND.search(around) or re.search(r"\b(?:'d|’d|would)\b", around, _I)
    ):
        return "conditional"
    if _PAST_CF.search(around):
        return "conditional"
    if _FUTURE.search(clause + cue) and not re.search(
        r"\b(?:I've|I’ve|we've|been|already)\b", clause, _I
    ):
        return "intended"
    if _PAST.search(clause + cue + after):
        return "done"
    return "intended"


def propose_intent(text: str) -> Proposal | None:
    """The candidate intent of ``text`` from cues and rules (``None``: no candidate).

    The last cue in the text wins ("I nearly left, but I'm staying" is ``stay``).

    Examples
    --------
    >>> propose_intent("I wouldn't leave them over that.").intent
    'stay'
    >>> propose_intent("Then we switch to Spark for the big jobs.") is None
    True
    """
    text = (text or "").replace("’", "'").replace("‘", "'")
    if not text.strip():
        return None
    tech = bool(_TECH.search(text))
    provider = bool(_PROVIDER.search(text))
    hits = []
    for intent, cues in _COMPILED.items():
        for name, pat in cues:
            for m in pat.finditer(text):
                if name in _NEEDS_CONTEXT and tech and not provider:
                    continue
                if name in _NEEDS_PROVIDER and not provider:
                    continue
                before = text[max(0, m.start() - 30) : m.start()]
                if name in ("cancel", "recommend", "recommend_it") and _PASSIVE.search(before):
                    continue  # "the appointment had been cancelled"
                if name not in ("must", "tell_avoid") and _ASKED.search(before):
                    continue  # "would you recommend", "would you unsubscribe"
                if name == "cancel" and re.search(
                    r"(?:without|plans?|appointment|meeting|order)\s+$", before, re.I
                ):
                    continue
                if name == "leave_them" and re.search(
                    r"\b(?:should|could|can|let's|we)\s+$", before, re.I
                ):
                    continue  # "we should leave Japanese constructions out"
                if name == "to_leave" and re.search(r"threat\w*\s+$", before, re.I):
                    continue
                hits.append((m.start(), m.end(), intent, name))
    if not hits:
        return None
    names = {h[3] for h in hits}
    # more specific cues win over the general ones they overlap
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    start, end, intent, name = max(hits, key=lambda h: h[0] + (h[1] - h[0]) * 0.5)
    for h in hits:  # a specific cue overlapping the chosen one wins
        if h[3] in _PRIORITY and h[0] < end and start < h[1] and name not in _PRIORITY:
            start, end, intent, name = h
    clause = _clause_before(text, start)
    negated = False
    label = intent
    near = re.split(r",", clause)[-1]
    if name not in _SELF_NEGATED and _NEG_NEAR.search(near):
        negated = True
        label = _FLIP[intent]
    if name == "dont_recommend":
        negated = True
    if label == "none":
        return None
    around = clause + text[start:end] + _CLAUSE.split(text[end : end + 60])[0]
    past_cf = bool(_PAST_CF.search(around))
    if past_cf and not _COND.search(text) and name != "mad_to_leave":
        return None  # "I wouldn't have left them over the price alone"
    kind = _kind(text, start, end, label, name)
    flags = {
        "negated": float(negated),
        "first_person": float(bool(_FIRST.search(text))),
        "third_person": float(bool(_THIRD.search(clause))),
        "conditional": float(bool(_COND.search(text))),
        "past_cf": float(past_cf),
        "question": float("?" in text),
        "tech": float(bool(_TECH.search(text))),
        "provider": float(bool(_PROVIDER.search(text))),
        "n_cues": min(len(names), 3) / 3.0,
        "short": float(len(text.split()) <= 4),
        **{f"cue_{n}": 1.0 for n in names},
    }
    return Proposal(label, kind, name, start, end, negated, flags)


def proposal_features(p: Proposal) -> np.ndarray:
    """The verifier's feature vector of a proposal (order :data:`INTENT_FEATURES`)."""
    x = dict(p.flags)
    x["bias"] = 1.0
    x[f"intent_{p.intent}"] = 1.0
    x[f"kind_{p.kind}"] = 1.0
    return np.array([x.get(f, 0.0) for f in INTENT_FEATURES], dtype=np.float64)


class IntentVerifier:
    """Logistic regression: probability that a proposed intent is right.

    Two weight sets: ``features`` (cue features only, used without an embedder) and
    ``embedding`` (cue features + the sentence embedding, used with one whose name
    matches ``embedder``).
    """

    def __init__(self, weights: dict[str, Any]):
        self.weights = weights

    @classmethod
    def load(cls, path: str | Path = MODEL_PATH) -> IntentVerifier:
        """Read the shipped weights."""
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def uses_embedding(self, embedder: Any) -> bool:
        """Whether the embedding weights fit ``embedder`` (same model name and dimension)."""
        w = self.weights.get("embedding")
        if not w or embedder is None or embedder is False:
            return False
        return str(getattr(embedder, "name", "")) == w.get("embedder") and int(
            getattr(embedder, "dimension", 0)
        ) == len(w["coef_embedding"])

    def predict(self, X: np.ndarray, E: np.ndarray | None = None) -> np.ndarray:
        """Probabilities for feature rows ``X`` (and embedding rows ``E``)."""
        if E is not None:
            w = self.weights["embedding"]
            z = X @ np.asarray(w["coef"]) + E @ np.asarray(w["coef_embedding"]) + w["intercept"]
        else:
            w = self.weights["features"]
            z = X @ np.asarray(w["coef"]) + w["intercept"]
        return 1.0 / (1.0 + np.exp(-z))


@lru_cache(maxsize=1)
def default_verifier() -> IntentVerifier | None:
    """The shipped verifier (``None`` when its file is missing)."""
    return IntentVerifier.load() if MODEL_PATH.exists() else None


def detect_intent(
    texts: Sequence[str],
    *,
    embedder: Any = None,
    verifier: IntentVerifier | None | bool = None,
    threshold: float = THRESHOLD,
):
    """The intent the speaker of each text expresses about a provider, product or brand.

    Parameters
    ----------
    texts : sequence of str
        One text (a segment, a sentence) per item.
    embedder : Embedder, optional
        Adds the sentence embedding to the verifier. Default:
        :func:`insights.embed.get_embedder`; ``False``: cue features only.
    verifier : IntentVerifier, optional
        Default: the shipped one. ``False``: no verification (the rules' proposal is
        kept, with confidence 0.5).
    threshold : float
        Proposals with a lower verified probability become ``none``.

    Returns
    -------
    DataFrame
        One row per text: ``intent`` (stay, leave, recommend, warn_others, none),
        ``kind`` (done, intended, conditional, reported; ``""`` for none) and
        ``confidence`` (the verifier's probability, 0 for none).

    Examples
    --------
    >>> out = detect_intent(["I'm cancelling on Monday.", "I wouldn't leave them.",
    ...                      "The app is fine."], embedder=False)
    >>> out[["intent", "kind"]].values.tolist()
    [['leave', 'intended'], ['stay', 'intended'], ['none', '']]
    """
    import pandas as pd

    texts = ["" if t is None or (isinstance(t, float) and np.isnan(t)) else str(t) for t in texts]
    props = [propose_intent(t) for t in texts]
    todo = [i for i, p in enumerate(props) if p is not None]
    intent = ["none"] * len(texts)
    kind = [""] * len(texts)
    conf = [0.0] * len(texts)
    if todo:
        ver = default_verifier() if verifier is None else (verifier or None)
        if ver is None:
            probs = np.full(len(todo), 0.5)
        else:
            X = np.vstack([proposal_features(props[i]) for i in todo])
            if embedder is None:
                from insights.embed import get_embedder

                embedder = get_embedder()
            E = None
            if ver.uses_embedding(embedder):
                E = np.asarray(embedder.encode([texts[i] for i in todo]), dtype=np.float64)
            probs = ver.predict(X, E)
        for i, pr in zip(todo, probs, strict=True):
            if pr >= threshold:
                intent[i], kind[i] = props[i].intent, props[i].kind
                conf[i] = round(float(pr), 3)
    return pd.DataFrame({"intent": intent, "kind": kind, "confidence": conf})
