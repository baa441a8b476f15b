"""A dependency-parse proposer of intent, for sentences no cue of :mod:`._intent_cues` fires on.

A cue table knows only the phrasings someone wrote down; the parse knows the shape of the
clause. A candidate is a verb of a relationship family whose subject is the speaker
(*I*, *we*) or a person the speaker reports (*my husband*, *she*), and whose object or
destination is a service (*the subscription*, *my membership*, *a rival app*, *a
different insurer*, *them*):

* leave — *cancel / quit / ditch / drop / bin (off) / scrap / close / stop / end* a
  service; *give the gym the boot*; *move / jump / go / switch* to a rival or another
  service, or a service *somewhere* / *elsewhere*; *switch banks*;
* stay — *keep / renew / extend / retain* a service;
* recommend — *tell / get / advise* a person *to get / join / sign up / try / go with*
  something;
* warn_others — the same with *to avoid / cancel / leave / switch / go with a
  different one*, or *not to*.

More verb families (*give them up*, *get rid of*, *sing their praises*, *a good word
for*, *been with the same*, ...) are in :mod:`._intent_verbs`, tried after these.

The tense and modals of the verb chain give the ``kind`` (*'ll / going to / want to* →
intended, a condition → conditional, past → done, a reported subject → reported). A
negated verb, a subject that is not a person (*they*, *the office*) and objects that
are not services (*the delivery slot*, *the receipt*, *the laptop*) give no candidate:
this step only adds candidates and keeps precision by asking for the whole shape.

The pipeline is the study's spaCy pipeline (:func:`insights.nlp.load_spacy`), loaded on
the first text whose words could make a candidate (:data:`PREFILTER`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ._intent_words import (
    AUDIENCE,
    PEOPLE,
    SERVICE,
)
from ._intent_words import antecedent as _antecedent
from ._intent_words import is_service as _is_service
from ._intent_words import objects as _objects
from ._intent_words import other as _other

#: the names of the parse proposer's candidates (verifier features ``cue_<name>``)
PARSE_CUES = (
    "parse_leave",
    "parse_move",
    "parse_alone",
    "parse_done_with",
    "parse_stay",
    "parse_recommend",
    "parse_warn",
)
LEAVE_V = frozenset(
    "cancel quit ditch dump drop bin scrap axe terminate close end leave unsubscribe stop "
    "abandon".split()
)
#: leave verbs whose object may be a bare *it* (*I cancelled it*; not *leave it*, *end it*)
IT_OK = frozenset("cancel quit ditch bin scrap axe terminate unsubscribe".split())
#: leave verbs whose object may be *it* or *them* when a service is named before it in the
#: text (*the membership was frozen, I ended it*; *I quit in January, cancelled it online*);
#: not *leave*, which is *leave it (alone, there)*
ANTECEDENT_V = frozenset("cancel quit ditch drop bin scrap axe terminate end close stop".split())
#: move verbs whose *it* (a service named before) goes to a destination that is a service
#: (*my pension, I moved it to a platform with lower fees*)
MOVE_IT_V = frozenset("move transfer port switch take".split())
#: the head of a new agreement with the same provider (*we signed the new contract*)
SIGNED = frozenset("contract deal plan policy agreement term".split())
#: leave verbs also said of things (*dropped my phone*, *dumped the phone*, *left the gym*)
PHYSICAL = frozenset("leave drop dump stop end".split())
MOVE_V = frozenset("switch swap move jump go transfer port defect take head".split())
#: verbs that are a leave with no object when the subject is elided (*Switched.*, *Ported
#: out last Tuesday*) or a reported person (*my flatmate's already switched*), or with a
#: rival as destination
ALONE_V = frozenset("switch swap port cancel".split())
#: particles that make them something else (*switched off*, *cancel out*)
ALONE_NOT = frozenset("off on round back up down in".split())
STAY_V = frozenset("keep renew extend retain".split())
#: verbs that are a stay with a *with* destination (*stay with the airline*)
STAY_WITH_V = frozenset("stay stick remain".split())
TELL_V = frozenset("tell get advise urge persuade convince encourage".split())
GOOD_V = frozenset("get join sign try use choose pick go buy".split())
BAD_V = frozenset("avoid cancel leave switch move quit ditch".split())
BOOT = frozenset("boot elbow push chop heave".split())
INTEND = frozenset("want plan intend decide mean aim hope try".split())
COND = re.compile(
    r"\b(?:if|unless|as\s+long\s+as|provided|providing|should\s+(?:they|the|it)|one\s+more|"
    r"another\s+\w+\s+like\s+that)\b",
    re.I,
)
THIRD_PRON = frozenset(("he", "she"))
#: subordinators that make a bare verb a time or a condition, not a decision
SUBORD = frozenset("when whenever if once before after until unless while".split())

#: words without which no candidate is possible (the parse runs only when one is there)
PREFILTER = re.compile(
    r"\b(?:cancel|quit|ditch|dump|drop|bin|binn|scrap|ax|termin|clos|end|leav|left|"
    r"unsubscrib|stop|abandon|switch|mov|jump|went|gone|go|transfer|port|defect|took|tak|"
    r"head|keep|kept|renew|extend|retain|tell|told|get|got|advis|urg|persuad|convinc|"
    r"encourag|gave|give|stay|stick|stuck|remain|done|unsubscrib|hand|sign|recommend|"
    r"sang|sing|prais|rav|mention|spread|word|introduc|point|send|sent|sold|sell|drag|"
    r"bring|brought|put|pull|swap|rid|goodbye|knock|loyal|been|say|said|talk|big|pull)\w*\b",
    re.I,
)


#: and one of the words a candidate's object, destination or audience must be
OBJECT_WORD = re.compile(
    r"\b(?:"
    + "|".join(
        sorted(
            SERVICE
            | AUDIENCE
            | {"them", "elsewhere", "somewhere", "boot", "elbow", "notice", "payment", "order"}
            | {"praises"}
        )
    )
    + r")(?:e?s)?\b|\b(?:cancel|quit|ditch|bin|binn|scrap|ax|termin|unsubscrib)\w*\s+it\b|"
    r"(?:^|[.!?]\s+)\W*(?:switch|port|cancell?|unsubscrib|renew)\w*\b|\bstick\w*\s+with\s+what\b|"
    r"\b(?:I|we)(?:'m|'re|\s+am|\s+are|\s+have|'ve|\s+just|\s+finally)?\s+"
    r"(?:switch|port|cancell?|unsubscrib)\w*\b|"
    r"\b(?:cancel|quit|ditch|dump|drop|bin|scrap|ax)\w*\s+(?-i:[A-Z])\w+|"
    r"\b(?:left|leav\w*|recommend\w*)\s+(?:them|it|(?-i:[A-Z])\w+)\b",
    re.I,
)


@lru_cache(maxsize=1)
def _nlp() -> Any:
    from insights.nlp import load_spacy

    return load_spacy(exclude=("ner",))


def _chain(v) -> list:
    """The verb and the verbs it hangs from by xcomp / conj / dep (``want to cancel``)."""
    out = [v]
    while out[-1].dep_ in ("xcomp", "conj", "dep") and out[-1].head is not out[-1] and len(out) < 4:
        if out[-1].dep_ == "dep" and (
            out[-1].head.pos_ not in ("VERB", "AUX")
            or any(c.dep_ in ("nsubj", "nsubjpass") for c in out[-1].children)
        ):
            break  # a comma-spliced verb shares the subject: "I quit in January, cancelled it"
        out.append(out[-1].head)
    return out


def _subject(chain):
    for t in chain:
        for c in t.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                return c
    return None


def _elided(v) -> bool:
    """A past verb that opens its sentence with no subject: *Switched.*, *Ported out Tuesday*."""
    if v.tag_ not in ("VBD", "VBN") or any(c.dep_ in ("nsubj", "nsubjpass") for c in v.children):
        return False
    first = next((t for t in v.sent if not t.is_punct and t.pos_ != "INTJ"), None)
    return first is not None and first.i == v.i


def _who(subj) -> str:
    """``first`` (the speaker), ``reported`` (a person the speaker reports) or ``""``."""
    if subj is None:
        return ""
    w = subj.lower_
    if w in ("i", "we") or any(c.dep_ == "conj" and c.lower_ in ("i", "we") for c in subj.children):
        return "first"  # "my wife and I cancelled"
    if w in THIRD_PRON or subj.lemma_.lower() in PEOPLE:
        return "reported"
    if w in ("most", "half", "all", "some", "many", "loads", "lots") and any(
        t.lemma_.lower() in AUDIENCE for t in subj.subtree if t is not subj
    ):
        return "reported"  # "Most of my friends have kept theirs", "half my team"
    return ""


def _new_service(d, lem: str) -> bool:
    """A destination that is a new service of its kind: *to a platform*, *to a building society*."""
    if lem not in MOVE_IT_V - {"take"}:
        return False
    dets = {c.lower_ for c in d.children if c.dep_ == "det"}
    return bool(dets & {"a", "an"}) and _is_service(d)


#: what after *left X* makes X a person or a thing put somewhere
PLACED = frozenset("at in with behind alone on outside there here out".split())


def _provider_left(v, objs) -> bool:
    """*left them* / *left Ridgeway*: a provider left, not a person or a thing put down."""
    if not objs or any(c.dep_ in ("dative", "ccomp", "xcomp", "oprd") for c in v.children):
        return False  # "left them a message", "left them to it"
    if any(c.dep_ in ("prep", "advmod", "prt") and c.lower_ in PLACED for c in v.children):
        return False  # "left Tom at the station", "left them behind"
    return all(
        (o.lower_ == "them" or (o.pos_ == "PROPN" and o.i > o.sent.start)) and o.dep_ == "dobj"
        for o in objs
    )


def _dest(v):
    """Destinations: ``to`` / ``over to`` / ``with`` objects, and ``elsewhere``, ``somewhere``."""
    for c in v.children:
        if c.dep_ in ("prep", "advmod", "prt") and c.lower_ in (
            "to",
            "with",
            "for",
            "over",
            "across",
        ):
            for g in c.children:
                if g.dep_ == "pobj":
                    yield g
                if g.dep_ == "prep":
                    yield from (h for h in g.children if h.dep_ == "pobj")
        if c.dep_ == "advmod" and c.lower_ in ("elsewhere", "somewhere"):
            yield c


def _negated(chain) -> bool:
    """A negated verb chain; *couldn't stop telling people* is not (it means kept telling)."""
    return any(
        (c.dep_ == "neg" or c.lower_ in ("never",))
        and not (k > 0 and t.lemma_ == "stop" and chain[k - 1].tag_ == "VBG")
        for k, t in enumerate(chain)
        for c in t.children
    )


def _kind(chain, who: str, sent: str) -> str:
    if who == "reported":
        return "reported"
    aux = {c.lower_ for t in chain for c in t.children if c.dep_ in ("aux", "auxpass")}
    if aux & {"'d", "would", "could", "might", "’d"}:
        return "conditional" if COND.search(sent) else "intended"
    if aux & {"will", "'ll", "’ll", "shall", "gonna"} or any(
        t.lemma_ in INTEND or (t.lemma_ == "go" and t.tag_ == "VBG") for t in chain[1:]
    ):
        return "conditional" if COND.search(sent) else "intended"
    head = chain[0]
    if COND.search(sent) and head.tag_ in ("VB", "VBP"):
        return "conditional"
    if head.tag_ == "VBG" and aux & {"'m", "am", "'re", "are", "be"}:
        return "intended"
    return "done"


def _candidate(v, reported: bool = False) -> tuple[str, str] | None:
    """``(intent, name)`` of one verb (``reported``: its subject is another person)."""
    lem = v.lemma_.lower()
    objs = list(_objects(v))
    if lem == "leave" and _provider_left(v, objs):
        return "leave", "parse_leave"  # "I left Ridgeway after two years", "left them"
    if lem == "recommend" and any(
        o.lower_ in ("them", "it") or o.pos_ == "PROPN" or _is_service(o) for o in objs
    ):
        return "recommend", "parse_recommend"  # "I'd recommend Ridgeway to anyone"
    if lem in LEAVE_V:
        for o in objs:
            if o.lower_ == "them" and lem not in ("stop", "end", "close", "drop"):
                return "leave", "parse_leave"
            if o.lower_ == "it" and lem in IT_OK:
                return "leave", "parse_leave"
            if lem in ANTECEDENT_V and _antecedent(o):
                return "leave", "parse_leave"  # "the membership ... I ended it"
            if _is_service(o, leave=lem in PHYSICAL):
                return "leave", "parse_leave"
    if lem == "give" and any(c.dep_ == "dobj" and c.lemma_.lower() in BOOT for c in v.children):
        if any(c.dep_ == "dative" and (c.lower_ == "them" or _is_service(c)) for c in v.children):
            return "leave", "parse_leave"
    if lem in LEAVE_V - {"leave", "stop", "end", "close"} and not any(
        c.dep_ == "prep" and c.lower_ in ("at", "off", "to", "outside") for c in v.children
    ):
        for o in objs:
            if (o.pos_ == "PROPN" or o.text[:1].isupper()) and o.i > o.sent.start:
                return "leave", "parse_leave"  # "we dropped Netflix", "cancelled Sky"
    if (
        lem in ALONE_V
        and not [o for o in objs if o.dep_ != "nsubjpass"]
        and not any(c.dep_ in ("prt", "advmod") and c.lower_ in ALONE_NOT for c in v.children)
    ):
        dests = list(_dest(v))
        own = not any(  # not "when I switch, ...", "if I wanted to switch"
            c.dep_ == "mark" or (c.dep_ == "advmod" and c.lower_ in SUBORD)
            for t in _chain(v)
            for c in t.children
        )
        if (dests or _elided(v) or reported or own) and all(
            d.lower_ == "them" or _other(d) or d.pos_ == "PROPN" for d in dests
        ):
            return "leave", "parse_alone"  # "Switched.", "Ported out Tuesday", "moved to Zest"
    if lem in STAY_WITH_V:
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ == "with":
                for g in c.children:
                    if g.dep_ == "pobj" and (
                        g.lower_ == "them" or _is_service(g, keep=True) or g.pos_ == "PROPN"
                    ):
                        return "stay", "parse_stay"  # "I'll stay with the airline"
    if lem in MOVE_V and not any(o.lemma_.lower() in ("debit", "payment") for o in objs):
        dests = list(_dest(v))  # not "switched the direct debit to a different account"
        if any(d.lower_ in ("elsewhere", "somewhere") for d in dests):
            if lem != "go" and any(_is_service(o) for o in objs):
                return "leave", "parse_move"
        if any(d.lower_ not in ("elsewhere", "somewhere") and _other(d) for d in dests):
            return "leave", "parse_move"
        if lem in MOVE_IT_V and any(_antecedent(o) or _is_service(o, leave=True) for o in objs):
            if any(_new_service(d, lem) or _other(d) or d.pos_ == "PROPN" for d in dests):
                return "leave", "parse_move"  # "my pension ... I moved it to a platform"
        if lem == "switch" and any(
            o.tag_ == "NNS"
            and o.lemma_.lower() in ("bank", "provider", "supplier", "network", "insurer")
            for o in objs
        ):
            return "leave", "parse_move"
    if lem == "hand" and any(o.lemma_.lower() == "notice" for o in objs):
        return "leave", "parse_leave"  # "I've handed in my notice at the gym"
    if lem in ("move", "transfer", "port") and not list(_dest(v)):
        if any(_is_service(o, leave=True) and o.lemma_.lower() != "debit" for o in objs):
            return "leave", "parse_move"  # "I'd probably move the pet cover"
    if lem == "keep" and (
        any(
            c.dep_ in ("xcomp", "ccomp")
            and c.lemma_ == "go"
            and any(g.dep_ == "nsubj" and _is_service(g) for g in c.children)
            for c in v.children
        )
        or any(_is_service(o) and any(a.lemma_ == "go" for a in o.children) for o in objs)
    ):
        return "stay", "parse_stay"  # "we'll keep the meal kit going"
    if lem == "sign" and any(
        o.lemma_.lower() in SIGNED
        and any(c.lower_ in ("new", "another", "fresh", "second") for c in o.children)
        for o in objs
    ):
        return "stay", "parse_stay"  # "we signed the new contract last week"
    if lem in STAY_V:
        if any(_is_service(o, keep=True) for o in objs):
            return "stay", "parse_stay"
        if lem in ("renew", "extend") and any(d.lower_ == "them" for d in _dest(v)):
            return "stay", "parse_stay"
        if lem == "renew" and not objs and _elided(v):
            return "stay", "parse_stay"  # "Renewed again, third year running."
    if lem in TELL_V:
        audience = [c for c in v.children if c.dep_ in ("dobj", "dative")]
        heard = ("him", "her", "me", "us") if reported else ("him", "her")
        if any(a.lemma_.lower() in AUDIENCE or a.lower_ in heard for a in audience):
            for x in (c for c in v.children if c.dep_ in ("xcomp", "ccomp")):
                if any(c.dep_ in ("nsubj", "nsubjpass") for c in x.children):
                    continue  # "told my brother the price had gone up": a fact, not advice
                xl = x.lemma_.lower()
                if xl in BAD_V and any(
                    c.dep_ == "prt" and c.lower_ in ("off", "on", "round", "back")
                    for c in x.children
                ):
                    continue  # "got my husband to switch the lights off"
                neg = any(c.dep_ == "neg" for c in x.children)
                away = any(c.lower_ in ("away", "clear", "elsewhere", "instead") for c in x.subtree)
                if xl in ("switch", "move") and any(d.lower_ in ("them", "us") for d in _dest(x)):
                    return "recommend", "parse_recommend"  # "told him to switch to them"
                if (
                    xl in BAD_V
                    or (neg and xl in GOOD_V)
                    or (away and xl in GOOD_V | {"stay", "keep", "steer"})
                    or any(_other(d) for d in _dest(x))
                ):
                    return "warn_others", "parse_warn"  # not "told her, take the morning off"
                if xl == "go" and not any(
                    d.lower_ == "them" or _is_service(d) or d.pos_ == "PROPN" for d in _dest(x)
                ):
                    continue  # "told my sister to go with her gut"
                if xl in GOOD_V:
                    return "recommend", "parse_recommend"
    from ._intent_verbs import relation_candidate

    return relation_candidate(v)


def parse_proposal(text: str, nlp: Any = None) -> tuple[str, str, str, int, int] | None:
    """``(intent, kind, name, start, end)`` of the last candidate in ``text``, or ``None``.

    Examples
    --------
    >>> parse_proposal("I binned off the subscription back in the summer.")[:3]
    ('leave', 'done', 'parse_leave')
    >>> parse_proposal("I cancelled the delivery slot because we were away.") is None
    True
    """
    found = parse_detail(text, nlp)
    return None if found is None else found[:5]


def parse_detail(text: str, nlp: Any = None) -> tuple[str, str, str, int, int, bool] | None:
    """:func:`parse_proposal` and whether the verb's own object names a service.

    The last item is true when the object or destination of the verb is a service noun
    (*extended the software licence*), not a pronoun or a name: such a relation holds in
    a sentence with technical words around it (*for the whole team*).
    """
    if not text or not PREFILTER.search(text) or not OBJECT_WORD.search(text):
        return None
    return _parse(_doc(text) if nlp is None else nlp(text))


@lru_cache(maxsize=4096)
def _doc(text: str):
    return _nlp()(text)


def cue_object(text: str, start: int, end: int) -> str:
    """What the verb of a cue at ``text[start:end]`` takes as its object or destination.

    ``service`` (a service noun, a brand, *them*, *it* naming a service before it, *a rival
    one*), ``other`` (a noun that is none of these: *my keys*, *the meeting*), or ``""``
    (no object: *I'm cancelling*). A verifier feature: the relation's object, read from
    the parse rather than from the words after the cue.
    """
    if not text.strip() or not OBJECT_HINT.search(text[start:end]):
        return ""
    doc = _doc(text)
    for v in doc:
        if not (start <= v.idx < end) or (v.pos_ not in ("VERB", "AUX") and v.tag_[:2] != "VB"):
            continue
        for o in (*_objects(v), *_dest(v)):
            if o.dep_ == "nsubjpass" or o.lower_ in ("elsewhere", "somewhere"):
                continue
            if o.lemma_.lower() in AUDIENCE or o.lower_ in ("him", "her", "me", "us", "you"):
                continue  # "told my sister to ...": the audience, not what is left or praised
            if o.lower_ == "them" or _antecedent(o) or _is_service(o) or _other(o):
                return "service"
            if o.pos_ == "PROPN" and o.i > o.sent.start:
                return "service"
            if o.pos_ == "NOUN":
                return "other"
    return ""


#: a cue whose words hold a verb (not "never again", "loyal customer")
OBJECT_HINT = re.compile(r"[a-z]{3,}", re.I)


def _parse(doc):
    found = None
    for sent in doc.sents:
        for v in sent:
            if v.pos_ not in ("VERB", "AUX") and v.tag_[:2] != "VB":
                continue
            if v.dep_ == "xcomp" and v.head.lemma_.lower() in TELL_V:
                continue  # "tell my sister to go with a different insurer": hers, not mine
            chain = _chain(v)
            subj = _subject(chain)
            who = "first" if subj is None and _elided(v) else _who(subj)
            if not who or _negated(chain):
                continue
            cand = _candidate(v, who == "reported")
            if cand is None:
                continue
            intent, name = cand
            named = any(o.pos_ == "NOUN" and _is_service(o) for o in (*_objects(v), *_dest(v)))
            found = (intent, _kind(chain, who, sent.text), name, v.idx, v.idx + len(v.text), named)
        for t in sent:
            if t.lower_ == "done" and _done_with(t):
                kind = "conditional" if COND.search(sent.text) else "intended"
                found = ("leave", kind, "parse_done_with", t.idx, t.idx + 4, False)
    return found


def _done_with(t) -> bool:
    """*I'm done with that airline*: the speaker is done with a service or a name."""
    head = t.head if t.dep_ == "acomp" else t
    if _who(_subject([head])) != "first" or _negated([head, t]):
        return False
    return any(
        g.dep_ == "pobj" and (_is_service(g) or g.pos_ == "PROPN")
        for c in t.children
        if c.dep_ == "prep" and c.lower_ == "with"
        for g in c.children
    )
