"""Candidate label phrases of a parsed segment: what a researcher could call its theme.

:func:`doc_phrases` reads one spaCy ``Doc`` (tagger and entities, no parser) and
returns the phrases a theme label may be made of, each as its words as said and
their lemmas (the key that counts "checked my bill" and "check the bill" as one):

- noun phrases: runs of nouns and adjectives that end in a noun, and their endings
  ("missed install appointment", "install appointment"); a time of day or week
  ("evening", "weekends") may be a modifier, a number or date may not;
- two noun phrases joined by a link word ("price rise at renewal"), or said together
  with "and" ("fees and charges": a label joins two things only as people say them);
- a noun phrase and what it did ("engineer didn't turn up", "price went up");
- what was done to a noun phrase ("checked the bill", "went on the live chat").

Filler words ("example", "question", "people") are trimmed from the ends of a
noun phrase; verbs of saying, thinking and feeling ("think", "want", "let") never
make a phrase; transcribers' markers ("{disfmarker}") break every pattern.

Examples
--------
>>> from insights.nlp import load_spacy                      # doctest: +SKIP
>>> nlp = load_spacy(exclude=("parser",))                    # doctest: +SKIP
>>> [w for w, _l in doc_phrases(nlp("The engineer didn't turn up."), frozenset())]  # doctest: +SKIP
['engineer', "engineer didn't turn up"]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "FRAME_LEMMAS",
    "LINKS",
    "Phrase",
    "doc_phrases",
    "gerund",
    "phrase_token",
    "regular_past",
    "transcriber_marker",
    "verb_lemma",
]

#: a candidate label phrase: (its words in lower case, their lemmas), as space-joined
#: text with as many lemmas as words
Phrase = tuple[str, str]

#: link words that join two noun phrases into one label ("price rise at renewal")
LINKS = frozenset({"of", "at", "for", "with", "on", "in", "about", "from", "to", "after"})
#: verbs of saying, thinking and feeling: they frame what is said, they are not a topic.
FRAME_LEMMAS = frozenset(
    """think feel know mean say tell guess suppose reckon hear see look seem want need like
    love hate try give take make put let happen remember forget wonder agree notice realise
    realize find annoy frustrate bother upset surprise impress worry""".split()
)
#: verbs that do not say what happened in a phrase ("have the bill", "asked a question")
_LIGHT_VERBS = FRAME_LEMMAS | frozenset("be have do ask answer talk speak mention explain".split())
#: entity types whose words are never in a label (dates, numbers); times of day or week
#: ("evening") may be a modifier
_NUMBER_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})
_NEGATIONS = frozenset({"not", "n't", "never", "no"})
#: link words that tie a verb to what it is about ("working from home", "waiting for the
#: engineer"); others ("in", "at") only after a particle ("dropping out in the evenings")
_VERB_LINKS = frozenset({"from", "for", "about", "on", "with"})


def transcriber_marker(tok: Any) -> bool:
    """Whether ``tok`` is a transcriber's marker: a word in brackets ("{pause}", "[laughs]")."""
    doc, i = tok.doc, tok.i
    return 0 < i < len(doc) - 1 and doc[i - 1].text in "{[(<" and doc[i + 1].text in "}])>"


def phrase_token(tok: Any, stop: frozenset[str], filler: frozenset[str]) -> bool:
    """Whether ``tok`` may be part of a noun phrase (a noun, proper noun or adjective).

    A gerund that modifies the noun after it is one too: "changing rooms", "washing
    machine" (spaCy tags "changing" a verb, which left the label "Rooms").
    """
    doc, i = tok.doc, tok.i
    modifier = (  # tags only: the themes' pipeline has no parser
        tok.tag_ == "VBG"
        and 0 < i < len(doc) - 1
        and doc[i + 1].pos_ == "NOUN"
        and doc[i - 1].tag_ in ("DT", "PRP$", "POS", "JJ", "CD")
    )
    if not (tok.is_alpha and (tok.pos_ in ("NOUN", "PROPN", "ADJ") or modifier) and len(tok) > 1):
        return False
    if transcriber_marker(tok):
        return False
    if tok.is_stop or tok.lower_ in stop or tok.ent_type_ == "PERSON":
        return False
    if tok.ent_type_ in _NUMBER_ENTS:  # "every evening" is a time, "April" or "two" a date
        return tok.pos_ == "NOUN" and tok.lower_ not in filler and tok.ent_type_ in ("TIME", "DATE")
    return True


def _runs(doc: Any, stop: frozenset[str], filler: frozenset[str]) -> list[list[Any]]:
    """The noun runs of ``doc``, trimmed of filler words and of adjectives at their end."""
    runs: list[list[Any]] = []
    current: list[Any] = []
    for tok in doc:
        if phrase_token(tok, stop, filler):
            current.append(tok)
            continue
        if current:
            runs.append(current)
        current = []
    if current:
        runs.append(current)
    out = []
    for run in runs:
        while run and (run[-1].pos_ == "ADJ" or run[-1].lower_ in filler):
            run = run[:-1]
        while run and run[0].lower_ in filler:
            run = run[1:]
        if run:
            out.append(run)
    return out


def _as_phrase(tokens: Sequence[Any]) -> Phrase:
    """Words as said (a word is what whitespace separates: "didn't") and one lemma per word."""
    words: list[str] = []
    lemmas: list[str] = []
    for i, tok in enumerate(tokens):
        glued = i > 0 and not tokens[i - 1].whitespace_ and tokens[i - 1].i + 1 == tok.i
        if glued and words:
            words[-1] += tok.lower_
            if tok.lower_ in _NEGATIONS:
                lemmas[-1] = "not"
            continue
        words.append(tok.lower_)
        if tok.lower_ in _NEGATIONS:
            lemmas.append("not" if tok.lower_ != "never" else "never")
        elif tok.pos_ == "DET" or tok.tag_ == "PRP$":
            lemmas.append("the")  # "my bill", "the bill", "a bill": one phrase
        elif tok.pos_ == "VERB":
            lemmas.append(verb_lemma(tok.lower_, tok.lemma_))
        else:
            lemmas.append(tok.lemma_.lower())
    return " ".join(words), " ".join(lemmas)


def _verb(tok: Any, stop: frozenset[str], *, light_ok: bool) -> bool:
    """A verb that says what happened; "go", "get", "come" only with a particle after."""
    if tok.pos_ != "VERB" or not tok.is_alpha or tok.ent_type_ or transcriber_marker(tok):
        return False
    lemma = tok.lemma_.lower()
    if lemma in _LIGHT_VERBS:
        return False
    return light_ok or not (tok.is_stop or tok.lower_ in stop or lemma in stop)


def _subject_verb(doc: Any, run: list[Any], stop: frozenset[str]) -> Phrase | None:
    """A noun run and the verb after it: "engineer didn't turn up", "price went up"."""
    j, kept = run[-1].i + 1, []
    while (
        j < len(doc)
        and j - run[-1].i <= 3
        and (doc[j].pos_ == "AUX" or doc[j].lower_ in _NEGATIONS)
    ):
        if doc[j].lower_ in _NEGATIONS:
            if doc[j].lower_ == "n't" and doc[j - 1].pos_ == "AUX":
                kept.append(doc[j - 1])
            kept.append(doc[j])
        j += 1
    if j >= len(doc):
        return None
    particle = j + 1 < len(doc) and doc[j + 1].tag_ == "RP"
    if not _verb(doc[j], stop, light_ok=particle or bool(kept)):  # "engineer never came"
        return None
    tail = [doc[j], doc[j + 1]] if particle else [doc[j]]
    head = run[-2:]
    if head[0].pos_ == "ADJ" and len(head) == 1:
        return None
    return _as_phrase(head + kept + tail)


def _verb_object(doc: Any, run: list[Any], stop: frozenset[str]) -> Phrase | None:
    """A verb and the noun run it acts on: "checked the bill", "went on the live chat"."""
    j, between = run[0].i - 1, []
    while j >= 0 and len(between) < 2 and (doc[j].pos_ == "DET" or doc[j].tag_ == "PRP$"):
        between.insert(0, doc[j])
        j -= 1
    if j >= 0 and doc[j].pos_ == "ADP" and doc[j].tag_ != "RP" and doc[j].lower_ in LINKS:
        between.insert(0, doc[j])
        j -= 1
    if j >= 0 and doc[j].tag_ == "RP":
        between.insert(0, doc[j])
        j -= 1
    elif between and between[0].pos_ == "ADP" and between[0].lower_ not in _VERB_LINKS:
        return None  # "changed in the file": a place, not what was done
        return None
    if j < 0 or not between:  # "estimated fix" is a modifier, "checked the bill" an action
        return None
    light_ok = bool(between) and between[0].tag_ == "RP"  # "brought out the new app"
    if not _verb(doc[j], stop, light_ok=light_ok):
        return None
    obj = run[-3:]
    if len(between) + 1 + len(obj) > 6:
        return None
    words, lemmas = _as_phrase([doc[j], *between, *obj])
    verb = lemmas.split()[0]
    return " ".join([gerund(verb), *words.split()[1:]]), lemmas


def verb_lemma(word: str, lemma: str) -> str:
    """A verb's lemma, mended where spaCy's drops the final "e" of the verb said.

    spaCy's small English model lemmatises "hated" as "hat" (and its -ing form would
    read "hatting"): when the word said is ``lemma + "ed"`` but that is not the
    lemma's regular past, the verb is the word less its "d" ("hate").

    Examples
    --------
    >>> verb_lemma("hated", "hat"), verb_lemma("visited", "visit"), verb_lemma("went", "go")
    ('hate', 'visit', 'go')
    >>> verb_lemma("stopped", "stop"), verb_lemma("travelled", "travel")
    ('stop', 'travel')
    """
    w, m = word.lower(), lemma.lower()
    if w.endswith("ed") and m == w[:-2] and regular_past(m) != w:
        return w[:-1]
    return m


def regular_past(verb: str) -> str:
    """The regular past of a verb's lemma ("hate" → "hated", "drop" → "dropped").

    Examples
    --------
    >>> [regular_past(v) for v in ("hate", "drop", "visit", "try", "play", "hat")]
    ['hated', 'dropped', 'visited', 'tried', 'played', 'hatted']
    """
    v = verb.lower()
    if v.endswith("e"):
        return v + "d"
    if len(v) > 2 and v.endswith("y") and v[-2] not in "aeiou":
        return v[:-1] + "ied"
    return gerund(v)[:-3] + "ed"


def gerund(verb: str) -> str:
    """The -ing form of a verb's lemma: a label says "checking the bill", not "checked".

    Examples
    --------
    >>> [gerund(v) for v in ("check", "ring", "drop", "use", "tie", "visit", "see", "open")]
    ['checking', 'ringing', 'dropping', 'using', 'tying', 'visiting', 'seeing', 'opening']
    """
    v = verb.lower()
    if v.endswith("ie"):
        return v[:-2] + "ying"
    if v.endswith("e") and not v.endswith(("ee", "ye", "oe")) and len(v) > 2:
        return v[:-1] + "ing"
    vowels = "aeiou"
    if (  # one short syllable: "drop", "run", "chat" (not "open")
        3 <= len(v) <= 4
        and sum(c in vowels for c in v) == 1
        and v[-1] not in vowels + "wxy"
        and v[-2] in vowels
        and v[-3] not in vowels
    ):
        return v + v[-1] + "ing"
    return v + "ing"


def doc_phrases(
    doc: Any, stop: frozenset[str], filler: frozenset[str] = frozenset()
) -> list[Phrase]:
    """Candidate label phrases of one spaCy doc (see :data:`Phrase` and the module notes).

    Parameters
    ----------
    doc : spacy.tokens.Doc
        Tagged (no parser needed).
    stop : frozenset of str
        Stop words: never in a noun phrase.
    filler : frozenset of str
        Filler nouns: trimmed from a noun phrase's ends.

    Returns
    -------
    list of Phrase
    """
    runs = _runs(doc, stop, filler)
    out: list[Phrase] = []
    for run in runs:
        for start in range(max(0, len(run) - 4), len(run)):
            part = run[start:]
            if part[0].pos_ != "ADJ" or len(part) > 1:
                out.append(_as_phrase(part))
        if run[-1].pos_ == "NOUN":
            for made in (_subject_verb(doc, run, stop), _verb_object(doc, run, stop)):
                if made is not None:
                    out.append(made)
    for a, b in zip(runs, runs[1:], strict=False):
        if b[0].i - a[-1].i not in (2, 3):
            continue
        link = doc[a[-1].i + 1]
        between = doc[a[-1].i + 1 : b[0].i]
        pair = link.lower_ == "and" and all(t.pos_ == "DET" for t in between[1:])
        if pair and a[-1].pos_ == "NOUN" and b[-1].pos_ == "NOUN" and len(b) <= 2:
            out.append(_as_phrase([*a[-2:], link, *b]))  # "fees and charges"
        elif link.lower_ in LINKS and all(t.pos_ in ("ADP", "DET") for t in between):
            head, tail = a[-3:], b[:3]
            if head[0].pos_ == "ADJ" and len(head) == 1:
                continue
            words = [t.lower_ for t in head] + [link.lower_] + [t.lower_ for t in tail]
            lemmas = [t.lemma_.lower() for t in head] + [link.lower_]
            lemmas += [t.lemma_.lower() for t in tail]
            out.append((" ".join(words), " ".join(lemmas)))
    return out
