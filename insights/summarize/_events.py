"""What happened, when no feeling is said: "the engineer never turned up" is a thing going wrong.

Most accounts of a service going wrong are told flatly: "nobody came", "they charged me
twice", "the price went up in April". The emotion model rightly calls them neutral (no
feeling is said), so a stance taken from emotions alone misses them, and a driver
tested on feelings alone misses the people who told of it calmly. :func:`event_stance`
reads the event itself: a service that did not come, work, answer or arrive, a charge
or price that rose, something lost, late, cancelled or broken (``negative``); one that
came on time, was sorted, refunded or fixed (``positive``). It holds back on
questions, conditionals ("if it goes down I'd ring them") and statements that deny
the event ("it hasn't gone down once" is positive).

Measured by ``benchmarks/event_stance_eval.py`` on sentences written for it (several
kinds of service, apart from the sample study), split in halves by a hash: the cues
were written from the ``tune`` half's errors, the ``report`` half is read once.

Examples
--------
>>> event_stance("The engineer never turned up, so I took another day off.")
'negative'
>>> event_stance("They charged me twice for the same month.")
'negative'
>>> event_stance("The refund came through the next day.")
'positive'
>>> event_stance("It hasn't gone down once since we switched.")
'positive'
>>> event_stance("They never fixed it.")
'negative'
>>> event_stance("I've never had a wrong bill.")
''
>>> event_stance("What happens if the connection goes down?")
''
>>> event_stance("I signed up in January through their website.")
''
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["event_stance", "told_stances", "CLASSES", "MODEL_PATH", "rule_features"]

#: the told-event classes of the learned model, in its weights' order
CLASSES: tuple[str, ...] = ("negative", "positive", "neutral")
#: the learned model's weights (fit by ``training/train_events.py``)
MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "events" / "event_stance.json"

_NEG_AUX = (
    r"(?:never|didn'?t|did not|doesn'?t|does not|don'?t|wouldn'?t|would not|won'?t|wasn'?t|"
    r"weren'?t|couldn'?t|hasn'?t|haven'?t|not)"
)
_SHOW = (
    r"(?:turn(?:ed)? up|show(?:ed)? up|show|let (?:me|us)|come|came|arrive[ds]?|work(?:ed|s)?|"
    r"get back|got back|"
    r"call(?:ed)? (?:me |us )?back|r[ai]ng (?:me |us )?back|answer(?:ed)?|respond(?:ed)?|"
    r"repl(?:y|ied)|fix(?:ed)?|sort(?:ed)?|open|load|connect|come through|came through|"
    r"return(?:ed)? (?:my|our) calls?)"
)
_THING = (
    r"(?:price|prices|bill|bills|premium|tariff|fee|fees|cost|costs|rent|charge|charges|"
    r"direct debit|subscription|payment|payments|rate|rates)"
)
_RISE = (
    r"(?:went up|gone up|go(?:es)? up|rose|risen|increased|doubled|tripled|jumped|shot up|hiked)"
)
_FALL = r"(?:went down|gone down|came down|dropped|fell|reduced|lowered)"

#: an event of a service going wrong
NEGATIVE_EVENTS: tuple[str, ...] = (
    rf"\b{_NEG_AUX}\s+(?:even\s+|actually\s+|ever\s+)?{_SHOW}\b",
    r"\b(?:nobody|no one|no-one|noone)\s+(?:\w+\s+){0,3}?(?:came|turned up|showed up|called|rang|"
    r"answered|got back|could (?:answer|help|tell))\b",
    r"\bcharged (?:me|us|my \w+)? ?(?:twice|double|extra|again|for (?:a|an|the|something|"
    r"things?|stuff|months?)\b)",
    r"\bovercharg\w*",
    rf"\b{_THING}\b[\w\s']{{0,24}}?\b{_RISE}\b",
    r"\b(?:price|bill|tariff|premium) (?:rise|rises|hike|hikes|increase|increases)\b",
    r"\b(?:kept|keeps|keep|was|were|is|are|been)\s+(?:\w+\s+)?(?:dropping|crashing|failing|"
    r"freezing|buffering|cutting out|timing out|going down|going off|disconnecting)\b",
    r"\b(?:it|internet|connection|broadband|service|network|wi-?fi|site|website|app|system|line|"
    r"server|signal|power|phone|phones)\s+(?:\w+\s+)?(?:went|goes|has gone|had gone|was|been|is)\s+"
    r"down\b(?!\s+(?:to|for (?:planned )?maintenance))",
    r"\b(?:signal|connection|line|wi-?fi|call|calls|broadband)\s+drops\b|\bthey never did\b|"
    r"\btook (?:\w+ )?(?:days|weeks|months) to\b|\bthe same (?:fault|problem|issue)\b",
    r"\b(?:drop-?outs?|outages?|cut out|cuts out|stopped working|stops working|not working|"
    r"broke down|broken|faulty|declined|refused|rejected)\b",
    r"\b(?:cancell?ed|postponed|rescheduled) (?:my|our|the) (?:\w+ )?(?:appointment|order|"
    r"delivery|install\w*|visit|booking|class|session|slot)\b",
    r"\b(?:cancell?ed|postponed) (?:it|them)?\s*(?:the night before|at the last minute|"
    r"with \w+ (?:minutes|hours)'? notice|without (?:telling|warning))",
    r"\b(?:hours?|days?|weeks?) late\b|\bwas late\b|\bdelayed\b|\brunning late\b",
    r"\b(?:(?:was|were|is|are) missing (?:a|an|the|some|half|two|three|\d+)\b|"
    r"lost (?:my|our|the)|wrong (?:size|item|order|amount|bill|address)|"
    r"(?:bill|statement|charge) was wrong|were wrong|was wrong)\b",
    r"\bon hold for\b|\bhung up on\b|\bhad to chase\b|\bchas(?:e|ed|ing) (?:them|it|up)\b|"
    r"\bround in circles\b",
    r"\bno (?:signal|internet|connection|service|reply|response|answer|word)\b",
    r"\b(?:costs?|paying|pay) more for less\b|\bleft without (?:fixing|finishing)\b",
    r"\barrived (?:cold|damaged|broken|late|open)\b",
    r"\bnever (?:arrived|came|happened|opened)\b|\b(?:not|never|nobody|wasn'?t|weren'?t) "
    r"mentioned\b|"
    r"\bwithout (?:telling|warning) (?:anyone|us|me)\b",
)

#: an event of a service going right
POSITIVE_EVENTS: tuple[str, ...] = (
    r"\b(?:on time|on the dot|bang on time|as promised|exactly when|came early|was early|"
    r"arrived early)\b",
    r"\b(?:sorted|fixed|resolved|solved|repaired|replaced) (?:it|that|everything|the \w+|my \w+)?"
    r"\s*(?:on the first call|straight away|the same day|the next (?:day|morning)|in \w+ minutes|"
    r"within|first time|before)",
    r"\b(?:refund|credit|compensation|discount|claim)\b[\w\s]{0,20}?\b(?:came through|was paid|"
    r"paid|applied|arrived|went through|on my account)\b",
    r"\b(?:fixed|sorted|resolved|solved) (?:it|that|everything|the \w+|my \w+)\b|"
    r"\bput (?:a|some) credit\b|\bwaived\b|\bmatched\b|\bupgraded \w+ \w+ for free\b|"
    r"\bfor free\b|\bextended my\b",
    rf"\b{_THING}\b[\w\s']{{0,24}}?\b{_FALL}\b",
    r"\b(?:solid|stable|reliable|seamless|painless|smooth)\b",
    r"\b(?:hasn'?t|has not|haven'?t|never) (?:once )?(?:gone down|dropped|failed|crashed|"
    r"missed)\b|\bnothing missing\b|\bno (?:downtime|problems|issues|hassle)\b",
    r"\b(?:right|correct|accurate) every (?:single )?(?:month|time)\b",
    r"\b(?:went through|done|paid|sorted) in (?:seconds|minutes|a (?:day|week)|"
    r"about \w+ minutes)\b|"
    r"\bwithin (?:a|the|an) (?:hour|day|week)\b|\bthe same day\b|\bthe next (?:day|morning)\b",
    r"\b(?:walked|talked) me through\b|\btook (?:about |only |just )?(?:two|three|five|ten|a few) "
    r"minutes\b",
)

_NEG = re.compile("|".join(NEGATIVE_EVENTS), re.IGNORECASE)
#: a going-right event said as not having happened ("they never fixed it")
_DENIED = re.compile(rf"\b(?:{_NEG_AUX}|no)\s+(?:\w+\s+){{0,2}}$", re.IGNORECASE)
_POS = re.compile("|".join(POSITIVE_EVENTS), re.IGNORECASE)
#: a question, a condition or an unknown: the event is not told as having happened
_NOT_TOLD = re.compile(
    r"\?\s*$|^\s*(?:if|when|whether|what if|in case)\b|\b(?:if|unless|whether)\b.*\b(?:I'?d|I'?ll|"
    r"would|will)\b|\bI don'?t know (?:if|whether)\b|\bI'?d (?:probably |just )?(?:ring|call|"
    r"leave|switch)\b",
    re.IGNORECASE,
)


def event_stance(text: object) -> str:
    """``negative`` / ``positive``: ``text`` tells of a service going wrong / right; else ``""``.

    A told event only: questions, conditionals and "I don't know whether…" are ``""``.
    When both kinds are told ("it went down, but they fixed it the same day"), the one
    told last wins, as the speaker's last word on it.
    """
    if not isinstance(text, str) or not text.strip() or _NOT_TOLD.search(text):
        return ""
    neg = [m.end() for m in _NEG.finditer(text) if not _DENIED.search(text[: m.start()])]
    told = [m for m in _POS.finditer(text) if not _DENIED.search(text[: m.start()])]
    pos = [m.end() for m in told]
    # "hasn't gone down once" is a positive told with a negative's words
    if (
        neg
        and pos
        and max(pos) >= max(neg)
        and any(m.start() <= p <= m.end() + 1 for m in told for p in neg)
    ):
        return "positive"
    if not neg and not pos:
        return ""
    if not pos:
        return "negative"
    if not neg:
        return "positive"
    return "negative" if max(neg) > max(pos) else "positive"


def rule_features(texts: Iterable[str]) -> np.ndarray:
    """``(n, 2)``: whether the cue rules (:func:`event_stance`) say negative, positive."""
    told = [event_stance(t) for t in texts]
    return np.array([[t == "negative", t == "positive"] for t in told], dtype=np.float64).reshape(
        -1, 2
    )


@lru_cache(maxsize=1)
def _weights() -> dict[str, Any]:
    return json.loads(MODEL_PATH.read_text(encoding="utf-8"))


def told_stances(texts: Sequence[str], embedder: Any = None) -> list[str]:
    """What each text tells happened: ``negative``, ``positive`` or ``""`` (neither, or not told).

    With an ``embedder`` whose name and dimension the shipped weights were fit on
    (all-MiniLM-L6-v2), a logistic regression over the sentence embedding and the cue
    rules' two outputs (``insights/models/events``: sentences the team wrote, figures
    in its README); a class below the model's probability floor is ``""``. Without
    one (``embedder=False``), the cue rules alone (:func:`event_stance`), which are more
    precise and find far fewer. Questions and conditionals are ``""`` either way.

    Examples
    --------
    >>> told_stances(["Nobody came on the Tuesday.", "The box comes on a Thursday."],
    ...              embedder=False)
    ['negative', '']
    """
    texts = [t if isinstance(t, str) else "" for t in texts]
    if not texts:
        return []
    rules = [event_stance(t) for t in texts]
    w = _weights()
    if (
        embedder is None
        or embedder is False
        or (
            str(getattr(embedder, "name", "")) != w["embedder"]
            or int(getattr(embedder, "dimension", 0)) != w["dimension"]
        )
    ):
        return rules
    X = np.c_[np.asarray(embedder.encode(texts), dtype=np.float64), rule_features(texts)]
    logits = X @ np.asarray(w["coef"]).T + np.asarray(w["intercept"])
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    out = []
    for text, row in zip(texts, p, strict=True):
        k = int(row.argmax())
        told = CLASSES[k] if row[k] >= w["floor"] else "neutral"
        out.append("" if told == "neutral" or _NOT_TOLD.search(text) else told)
    return out
