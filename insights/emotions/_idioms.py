"""Feelings said in idioms ("it did my head in", "that made my week", "I was on edge").

The word list of :func:`insights.emotions._rules.idiom_group`, which reads each match as a
stated feeling is read (negated, supposed, reported or asked: no feeling). Nothing here
imports torch.
"""

from __future__ import annotations

import re

__all__ = ["IDIOM_WORDS", "IDIOM_FRAMES"]

#: feelings said in an idiom ("it did my head in", "that made my week", "I was on edge"),
#: by Ekman group: each is a regular expression. One with *my* / *me* in it is said of the
#: speaker by itself (read as a feeling done to the speaker: "it really got on my nerves");
#: the others need the frame of a stated feeling ("I was on edge", "we were buzzing",
#: "I was completely blown away"). Written for insights (no lexicon copied).
IDIOM_WORDS: dict[str, tuple[str, ...]] = {
    "anger": (r"(?:did|does|doing) my head in", r"(?:drove|drives|driving) me up the wall",
              r"(?:got|gets|getting|grates|grated) on my nerves", r"lost my (?:temper|rag|cool)",
              r"blew my top", r"(?:tearing|pulling) my hair out", r"at my wits'? end",
              r"at the end of my tether", r"sick to death", r"sick to the back teeth",
              r"up the wall", r"round the bend"),
    "fear": (r"on edge", r"a (?:nervous|total|complete) wreck", r"worried sick",
             r"scared (?:stiff|to death)", r"bricking it", r"in a (?:blind )?panic"),
    "joy": (r"made my (?:day|week|month|year|morning|weekend)", r"makes my day",
            r"(?:a|such a|a real|a huge|a massive) weight off my (?:shoulders|mind)",
            r"put a (?:big |huge )?smile on my face", r"on cloud nine", r"buzzing",
            r"walking on air"),
    "sadness": (r"(?:broke|breaks) my heart", r"my heart sank", r"in bits", r"in pieces",
                r"down in the dumps"),
    "surprise": (r"my jaw (?:dropped|hit the floor)", r"knocked me for six",
                 r"took me by surprise", r"caught me off guard", r"blown away", r"speechless",
                 r"lost for words", r"taken aback"),
}  # fmt: skip
_SELF_WORD = re.compile(r"\b(?:my|me)\b")
#: (group, pattern, how) of each group's idioms: ``done`` (said of the speaker by itself)
#: or ``stated`` (after the frame of a stated feeling)
IDIOM_FRAMES = [
    (g, re.compile(rf"\b({'|'.join(kept)})\b", re.I), how)
    for g, ws in IDIOM_WORDS.items()
    for own, how in ((True, "done"), (False, "stated"))
    if (kept := [i for i in ws if bool(_SELF_WORD.search(i)) == own])
]
