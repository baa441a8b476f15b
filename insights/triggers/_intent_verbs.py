"""Provider-relationship verbs the parse proposer of :mod:`._intent_parse` reads beyond its core.

People say they left, kept or recommended a provider in many more verbs than *cancel*,
*switch*, *renew* and *recommend*. Each family here is a verb, what it takes (a
particle, a preposition, a person) and an object that is a provider (:func:`provider`:
a service noun, a provider's trade such as *the plumber*, a business place such as
*the massage place*, a brand, *them*, or *it* naming a service said before it). The
subject (the speaker or a reported person), negation and kind are checked by the
caller, :func:`._intent_parse._parse`, as for its own families:

* leave — *give them up*, *get rid of the landline*, *say goodbye to the cleaners*,
  *knock the bundle on the head*, *stop using / ordering from* them, *stop the
  payments*, *pull her son out of the tutoring place*, *get out of the contract*, *port
  my number*, *sign up with a different optician*;
* stay — *been with the same insurer since*, *loyal to that butcher*, *give them
  another chance*, *stick with what I've got*, *keep the kids at that club*;
* recommend — *sing their praises*, *put a good word in for the builder*, *rave about /
  mention / tell people about* a provider, *spread the word about* one, *sign my brother
  up*, *get the team on the software*, *get my wife to move to my network*, *introduce /
  point / send / bring* a person *to* a provider, *put them in touch*, *sell the street on*
  one, *talk him into it*, *I'd say go with Starling*.

A person, a fault, an outage, a train or a server is not a provider, so *put a good word
in for my nephew*, *told them about the fault*, *got my sister onto the train* and *moved
everything over to the new server* give no candidate.
"""

from __future__ import annotations

from ._intent_words import AUDIENCE, PEOPLE
from ._intent_words import antecedent as _antecedent
from ._intent_words import is_service as _is_service
from ._intent_words import objects as _objects
from ._intent_words import other as _other

#: heads that name a business when a noun or verb modifies them (*the massage place*)
PLACE_HEADS = frozenset("place shop company firm service club school outfit lot".split())
#: what a person is *told about*, *talked into*: the audience of a recommendation
_HEARD = frozenset(("him", "her", "them", "me", "us"))
#: verbs of talking a provider up to someone (*rave about*, *tell people about*)
TALK_V = frozenset("tell mention rave talk speak bang gush boast brag go".split())
#: verbs that take a person to a provider (*point my sister to them*)
SEND_V = frozenset("point send steer direct refer introduce bring drag take".split())
#: what one stops doing with a provider (*stop ordering from them*)
USE_V = frozenset("use order pay buy bank shop go book".split())
#: payments to a provider (*stopped the payments*, *the standing order*)
PAYMENT = frozenset(("payment", "payments"))


def provider(t) -> bool:
    """Whether token ``t`` names a provider (see the module docstring)."""
    if t.lower_ == "them" or _antecedent(t) or _is_service(t) or _other(t):
        return True
    if t.lemma_.lower() in PEOPLE or t.lower_ in ("i", "you", "we", "he", "she", "it"):
        return False
    if t.pos_ == "PROPN" and t.i > t.sent.start:
        return True
    mods = [c for c in t.children if c.dep_ in ("compound", "amod")]
    if t.lemma_.lower() in PLACE_HEADS and any(c.pos_ in ("NOUN", "VERB") for c in mods):
        return True  # "the massage place", "the tutoring place"
    return any(c.dep_ == "compound" and _is_service(c) for c in t.children)  # "bakery round"


def _pobjs(t, *preps: str):
    for c in t.children:
        if c.dep_ in ("prep", "prt", "dative", "advmod") and c.lower_ in preps:
            for g in c.children:
                if g.dep_ == "pobj":
                    yield g
                if g.dep_ == "prep":  # "out of", "on to"
                    yield from (h for h in g.children if h.dep_ == "pobj")


def _has(t, dep: str, *words: str) -> bool:
    return any(c.dep_ == dep and c.lower_ in words for c in t.children)


def _person(t) -> bool:
    return _person_noun(t) or t.lower_ in _HEARD


def _person_noun(t) -> bool:
    """*my sister*, *the kids*, *everyone*: a person, not a provider (*them* may be either)."""
    return t.lemma_.lower() in AUDIENCE or t.lemma_.lower() in PEOPLE


def _leave(v, lem: str, objs) -> bool:
    if lem == "give" and _has(v, "prt", "up"):
        return any(o.lower_ == "them" or _antecedent(o) or provider(o) for o in objs)
    if lem == "rid" and any(
        provider(g) and (g.lower_ != "them" or _antecedent(g)) for g in _pobjs(v, "of")
    ):
        return True  # "we got rid of the landline with BT"
    if lem == "say" and any(o.lower_ == "goodbye" for o in objs):
        return any(provider(g) for g in _pobjs(v, "to"))
    if lem == "knock" and any(provider(o) for o in objs):
        return any(t.lower_ == "head" and t.head.lower_ == "on" for t in v.subtree)
    if lem in ("stop", "end", "cancel") and any(
        o.lemma_.lower() in PAYMENT
        or (o.lemma_.lower() in ("order", "debit") and _has(o, "compound", "standing", "direct"))
        or (o.lemma_.lower() in ("order", "debit") and _has(o, "amod", "standing", "direct"))
        for o in objs
    ):
        return True  # "stopped the payments", "stop the standing order"
    if lem in ("stop", "cancel", "drop", "end") and any(
        c.dep_ == "compound" and c.pos_ == "PROPN" for o in objs for c in o.children
    ):
        return True  # "stopped the HelloFresh boxes": a brand's
    if lem == "stop":
        for x in v.children:
            if x.dep_ == "xcomp" and x.tag_ == "VBG" and x.lemma_.lower() in USE_V:
                if any(provider(o) for o in _objects(x)):
                    return True  # "stopped using the meal kit"
                if any(provider(g) for g in _pobjs(x, "from", "with", "at", "to")):
                    return True  # "stop ordering from them"
    if lem in ("pull", "take", "get", "move") and any(provider(g) for g in _pobjs(v, "out")):
        return True  # "pulled her son out of the tutoring place", "got out of that contract"
    if lem == "port" and any(o.lemma_.lower() == "number" for o in objs):
        return True  # "ported my number across"
    if lem == "sign" and _has(v, "prt", "up"):
        return any(_other(g) for g in _pobjs(v, "with"))  # "signed up with a different one"
    return False


def _stay(v, lem: str, objs) -> bool:
    if lem == "be":
        for g in _pobjs(v, "with"):
            if provider(g) and not _person_noun(g) and _has(g, "amod", "same"):
                return True  # "we've been with the same insurer since we got married"
        for c in v.children:
            if c.dep_ == "acomp" and c.lower_ == "loyal":
                return any(provider(g) and not _person_noun(g) for g in _pobjs(c, "to"))
    if lem == "give" and any(o.lemma_.lower() == "chance" for o in objs):
        return any(
            c.dep_ == "dative" and (c.lower_ == "them" or provider(c)) for c in v.children
        ) and any(_has(o, "amod", "another", "second") or _has(o, "det", "another") for o in objs)
    if lem == "stick" and not _has(v, "aux", "should", "can", "could", "might", "must"):
        for c in v.children:  # "I'll stick with what I've got" (not "we should stick with")
            if (
                c.dep_ == "prep"
                and c.lower_ == "with"
                and any(g.lower_ == "what" for g in c.subtree)
            ):
                return any(g.lemma_ in ("get", "have") for g in c.subtree)
    if lem == "keep" and any(_person(o) for o in objs):
        return any(provider(g) for g in _pobjs(v, "at"))  # "keep the kids at that club"
    return False


def _recommend(v, lem: str, objs) -> bool:
    if lem == "sing" and any(o.lemma_.lower() == "praise" for o in objs):
        return True  # "I sang their praises to everyone"
    if lem == "put" and any(o.lower_ == "word" for o in objs):
        return any(provider(g) and not _person_noun(g) for g in _pobjs(v, "for", "in"))
    if lem == "spread" and any(o.lower_ == "word" for o in objs):
        return any(provider(g) for o in objs for g in _pobjs(o, "about"))
    if lem == "big" and _has(v, "prt", "up"):
        return any(o.lower_ == "them" or provider(o) for o in objs)
    people = [o for o in objs if _person(o)]
    if lem == "talk" and people and any(g.lower_ == "it" for g in _pobjs(v, "into")):
        return True  # "I talked him into it"
    if lem in TALK_V:
        about = [g for g in _pobjs(v, "about") if provider(g) and not _person_noun(g)]
        if lem == "mention":  # "I mentioned the dentist to a friend" (a provider's noun)
            about += [o for o in objs if _is_service(o) or _antecedent(o)]
        told = [o for o in objs if _person(o) and o not in about]
        told += [g for g in _pobjs(v, "to") if _person(g)]
        if lem in ("rave", "gush"):
            return bool(about)
        return bool(about and told)  # "told my sister about the insurance"
    if lem == "sign" and _has(v, "prt", "up") and people:
        return not any(not provider(g) for g in _pobjs(v, "for"))  # not "for a marathon"
    if lem == "get" and people:  # "get the whole team on the software"
        if _has(v, "aux", "'ve", "have", "has", "'s"):
            return False  # "I've got mates on other providers": whom one knows
        return any(
            provider(g) and not _other(g)
            for t in (v, *people)
            for g in _pobjs(t, "on", "onto", "to")
        )
    if lem == "get":  # "I got my wife to move to my network", "... to sign up with them"
        for c in v.children:
            if c.dep_ != "ccomp" or not any(g.dep_ == "nsubj" and _person(g) for g in c.children):
                continue
            xl = c.lemma_.lower()
            if xl in ("move", "switch", "go", "sign", "join") and any(
                provider(g) and not _other(g) for g in _pobjs(c, "to", "with", "onto", "over")
            ):
                return True
            if xl == "join" and any(provider(o) for o in _objects(c)):
                return True
        return False
    if lem == "put" and people:
        return any(g.lower_ == "touch" for g in _pobjs(v, "in"))
    if lem in SEND_V and people:
        dest = list(_pobjs(v, "to", "towards", "along"))
        return any(provider(g) or g.lower_ in ("him", "her") for g in dest)
    if lem == "sell" and objs:
        return any(provider(g) for g in _pobjs(v, "on"))
    if lem == "say":
        return any(
            c.dep_ == "xcomp"
            and c.lemma_ == "go"
            and any(provider(g) or g.text[:1].isupper() for g in _pobjs(c, "with"))
            for c in v.children
        )  # "I'd say go with Starling"
    return False


def relation_candidate(v) -> tuple[str, str] | None:
    """``(intent, name)`` of verb ``v`` in one of this module's families, or ``None``."""
    lem = v.lemma_.lower()
    objs = list(_objects(v))
    if _leave(v, lem, objs):
        return "leave", "parse_leave"
    if _stay(v, lem, objs):
        return "stay", "parse_stay"
    if _recommend(v, lem, objs):
        return "recommend", "parse_recommend"
    return None
