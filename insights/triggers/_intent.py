"""Intent: whether a text says its speaker will stay, leave, recommend or warn others.

Negation-aware patterns first, then (for texts no pattern matches) similarity to
:data:`INTENT_EXAMPLES` by sentence embedding.

Examples
--------
>>> detect_intent(["I told my sister to sign up with them."], embedder=False)
[('recommend', 0.9)]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from insights.triggers._candidates import n_tokens

__all__ = ["INTENT_EXAMPLES", "detect_intent"]

_NEG = (
    r"(?:not|never|n't|no longer|wouldn't|won't|don't|didn't|can't|couldn't|wouldnt|wont|dont|"
    r"cannot|no way I'd|no way I would)"
)
_INTENT_PATTERNS: dict[str, list[str]] = {
    "leave": [
        r"\bcancel(?:l?ing|l?ed|s)?\b",
        r"\bswitch(?:ing|ed)?\s+(?:to|over|away|provider|supplier|networks?)\b",
        r"\bleav(?:e|ing)\s+(?:them|you|it|the\s+\w+|for)\b",
        r"\bleft\s+(?:them|for)\b",
        r"\bquit(?:ting)?\b",
        r"\bclos(?:e|ing|ed)\s+(?:my|the|our)\s+account\b",
        r"\bport(?:ing|ed)?\s+(?:my|our)\s+number\b",
        r"\bmov(?:e|ing)\s+(?:to|over\s+to)\s+(?:another|a different|\w+\s+instead)\b",
        r"\b(?:look|looking|shop|shopping)\s+(?:around|for\s+(?:another|a new|alternatives?)"
        r"|at\s+(?:other|alternatives?))\b",
        r"\bterminat(?:e|ing)\b",
        r"\bend(?:ing)?\s+(?:my|the|our)\s+contract\b",
        r"\bdone with (?:them|you|it)\b",
        r"\bnever\s+(?:go|going|be going|come|coming)\s+back\b",
        r"\bnever\s+(?:again|use them again|buy)\b",
        r"\bnot\s+renew(?:ing)?\b",
        r"\bwon'?t\s+(?:be\s+)?renew(?:ing)?\b",
        r"\bget(?:ting)?\s+out\s+of\s+(?:the|my)\s+contract\b",
        r"\bI'?m\s+off\b",
        r"\bgone\s+elsewhere\b",
        r"\btake\s+my\s+(?:business|money)\s+elsewhere\b",
    ],
    "stay": [
        r"\bstay(?:ing|ed)?\s+(?:with|on|put|loyal)\b",
        r"\bstay(?:ing)?\b(?=[^.!?]*\b(?:them|customer|provider|contract)\b)",
        r"\brenew(?:ed|ing|al)?\b",
        r"\bstick(?:ing)?\s+with\b",
        r"\bstuck\s+with\s+them\b(?=[^.!?]*\b(?:because|since|good|glad)\b)",
        r"\bloyal\b",
        r"\bkeep\s+(?:using|them|my\s+contract)\b",
        r"\bnot\s+going\s+anywhere\b",
        r"\bsign(?:ed)?\s+up\s+again\b",
        r"\bwouldn'?t\s+(?:leave|switch|change|go\s+anywhere)\b",
        r"\bno\s+(?:reason|plans?)\s+to\s+(?:leave|switch|move)\b",
        r"\bhere\s+to\s+stay\b",
        r"\bupgrad(?:e|ed|ing)\b",
    ],
    "recommend": [
        r"\brecommend(?:ed|ing|s)?\b",
        r"\btold\s+(?:my|a|all\s+my)\s+\w+\s+to\s+"
        r"(?:sign\s+up|join|get|switch\s+to|go\s+with|try)\b",
        r"\b(?:told|tell|telling)\s+(?:everyone|everybody|people|friends|my\s+\w+)\s+"
        r"(?:how\s+good|about\s+(?:them|it|how\s+good))\b",
        r"\brefer(?:red|ring)?\s+(?:a\s+)?(?:friend|my|them|people)\b",
        r"\bsuggest(?:ed)?\s+(?:them|it)\s+to\b",
        r"\bwould\s+(?:definitely\s+)?suggest\b",
        r"\bspread\s+the\s+word\b",
        r"\bsing\s+their\s+praises\b",
    ],
    "warn_others": [
        r"\bwarn(?:ed|ing)?\b",
        r"\b(?:tell|told|telling)\s+(?:everyone|everybody|people|friends|others|my\s+\w+)\s+"
        r"(?:to\s+)?(?:avoid|stay\s+away|not\s+to|never|don'?t)\b",
        r"\bstay\s+away\s+from\b",
        r"\bavoid\s+(?:them|it|this)\b",
        r"\b(?:bad|terrible|one[- ]star|awful|negative)\s+review\b",
        r"\b(?:posted|complained|ranted)\s+(?:about\s+it\s+)?on\s+"
        r"(?:facebook|twitter|trustpilot|reddit|social\s+media|x|instagram|tiktok)\b",
        r"\bdon'?t\s+(?:go|sign\s+up)\s+with\s+them\b",
    ],
}
_COMPILED = {k: [re.compile(p, re.I) for p in v] for k, v in _INTENT_PATTERNS.items()}
_NEG_BEFORE = re.compile(_NEG + r"(?:\s+\w+){0,3}\s*$", re.I)
#: what a negated intent turns into.
_FLIP = {"leave": "stay", "stay": "leave", "recommend": "warn_others", "warn_others": "none"}
#: patterns that already contain their own negation (not flipped).
_SELF_NEGATED = re.compile(
    r"never|not\s+renew|won'?t\s+(?:be\s+)?renew|wouldn'?t|no\s+(?:reason|plans?)"
    r"|not\s+going\s+anywhere|don'?t\s+(?:go|sign)",
    re.I,
)

#: example sentences for semantic matching of intents (used when no pattern matches).
INTENT_EXAMPLES: dict[str, tuple[str, ...]] = {
    "leave": (
        "I'm going to cancel my contract.",
        "I'm switching to another provider.",
        "I want out as soon as my contract ends.",
        "I'll be gone the day my contract finishes.",
        "I'm moving to a different company.",
    ),
    "stay": (
        "I'll stay with them.",
        "I'm happy to keep my contract with them.",
        "I've renewed for another year.",
        "I don't see any reason to change provider.",
    ),
    "recommend": (
        "I'd recommend them to anyone.",
        "I've told my friends to sign up.",
        "My sister joined because I told her how good they are.",
    ),
    "warn_others": (
        "I tell everyone to avoid them.",
        "I warned my neighbours not to sign up.",
        "I left a one-star review so others know.",
    ),
}


def _pattern_intent(text: str) -> tuple[str, float, str] | None:
    best = None
    for intent, pats in _COMPILED.items():
        for pat in pats:
            for m in pat.finditer(text):
                before = text[max(0, m.start() - 40) : m.start()]
                before = re.split(r"[.!?;,]|\bbut\b", before)[-1]
                label = intent
                if not _SELF_NEGATED.search(m.group(0)) and _NEG_BEFORE.search(before + " "):
                    label = _FLIP[intent]
                hit = (label, 0.9 if label == intent else 0.8, m.group(0))
                # a later mention wins over an earlier one ("I nearly left, but I'm staying")
                if best is None or m.start() > best[3]:
                    best = (*hit, m.start())
    return best[:3] if best else None


def detect_intent(
    texts: Sequence[str],
    *,
    embedder: Any = None,
    min_similarity: float = 0.62,
) -> list[tuple[str, float]]:
    """The intent of each text and its confidence.

    The intent is ``stay``, ``leave``, ``recommend``, ``warn_others`` or ``none``.
    Patterns first ("I'm cancelling", "I'd never go back", "told my sister to sign
    up"), negation-aware ("I wouldn't leave them" is ``stay``, "I wouldn't recommend
    them" is ``warn_others``); a later mention wins ("I nearly left, but I'm
    staying"). Texts no pattern matches are compared with :data:`INTENT_EXAMPLES`
    by sentence embedding when ``embedder`` is given (``False`` turns this off;
    ``None`` uses the default embedder); a cosine of ``min_similarity`` or more, on
    a text without negation, gives that intent with the cosine as confidence.

    Examples
    --------
    >>> texts = ["I'm cancelling on Monday.", "I wouldn't leave them.", "The app is fine."]
    >>> detect_intent(texts, embedder=False)
    [('leave', 0.9), ('stay', 0.8), ('none', 0.0)]
    """
    out: list[tuple[str, float]] = []
    todo = []
    for i, t in enumerate(texts):
        hit = _pattern_intent(t or "")
        if hit:
            out.append((hit[0], hit[1]))
        else:
            out.append(("none", 0.0))
            if t and t.strip() and n_tokens(t) >= 3 and not re.search(_NEG, t, re.I):
                todo.append(i)
    if todo and embedder is not False:
        if embedder is None:
            from insights.embed import get_embedder

            embedder = get_embedder()
        names = [k for k, v in INTENT_EXAMPLES.items() for _ in v]
        ex = embedder.encode([s for v in INTENT_EXAMPLES.values() for s in v])
        x = embedder.encode([texts[i] for i in todo])
        sim = x @ ex.T
        for r, i in enumerate(todo):
            j = int(np.argmax(sim[r]))
            if sim[r, j] >= min_similarity:
                out[i] = (names[j], round(float(sim[r, j]), 3))
    return out
