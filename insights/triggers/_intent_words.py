"""The words of the intent parse: which nouns name a provider, a person, another provider.

One home for the lexicons and noun tests that the parse proposer
(:mod:`._intent_parse`) and its extra verb families (:mod:`._intent_verbs`) share.
"""

from __future__ import annotations

#: people and businesses whose customer one is (*the plumber*, *that hairdresser*, *a
#: different optician*): providers as much as a *supplier* is
PROVIDERS = frozenset(
    "hairdresser barber salon optician optometrist dentist vet plumber electrician builder "
    "roofer decorator gardener cleaner accountant solicitor lawyer broker agent agency "
    "nursery childminder tutor groomer mechanic surgery gp physio osteopath chiropractor "
    "photographer caterer florist butcher baker bakery takeaway courier supermarket retailer "
    "landline pharmacy chemist kennel cattery clinic launderette removals insurer".split()
)
#: nouns that name a service, product or provider (the head of the object)
SERVICE = (
    frozenset(
        "subscription membership contract account plan policy deal tariff box kit broadband "
        "insurance insurer bank gym provider supplier network service package mortgage pension "
        "savings licence license sim fibre bundle energy phone mobile card isp operator app "
        "platform company firm lender club cover line utility utilities debit airline carrier "
        "scheme streaming sub pension platform software society shop store garage practice studio "
        "centre center servicing".split()
    )
    | PROVIDERS
)
#: services that are also places or things left behind (not objects of *leave*)
LEAVE_NOT = (
    frozenset(
        "gym bank club card phone app line box kit account company firm platform software "
        "shop store garage practice studio centre center".split()
    )
    | PROVIDERS
)
#: services too generic to be kept as a relationship (*keep the plan*, *keep the app*)
KEEP_NOT = frozenset("plan deal app card phone line box kit company firm platform".split())
#: an object that is another provider than the one left
OTHER = frozenset(
    "another different new rival cheaper other smaller local better competitor competing".split()
)
PEOPLE = frozenset(
    "husband wife partner mum mom dad mother father sister brother son daughter friend "
    "flatmate housemate neighbour neighbor colleague cousin parent family boyfriend "
    "girlfriend uncle aunt gran nan grandma grandad mate sibling kid child".split()
)
AUDIENCE = PEOPLE | frozenset(
    "anyone everyone people friend everybody anybody mate office team group class".split()
)


def is_service(t, *, leave: bool = False, keep: bool = False) -> bool:
    lem = t.lemma_.lower()
    if lem not in SERVICE and t.lower_ not in SERVICE:
        return False
    if leave and lem in LEAVE_NOT:
        return False
    if lem in ("licence", "license") and any(c.lower_ in ("driving", "tv") for c in t.children):
        return False  # "renewed my driving licence": a document, not a service
    return not (keep and lem in KEEP_NOT)


def antecedent(o) -> bool:
    """*it* / *them* with a service named before it in the text (what the pronoun refers to)."""
    if o.lower_ not in ("it", "them"):
        return False
    return any(t.pos_ in ("NOUN", "PROPN") and is_service(t) for t in o.doc[: o.i])


def other(t) -> bool:
    """``a rival app``, ``a different insurer``, ``another one``, ``the other lot``."""
    mods = {
        c.lower_ for c in t.children if c.dep_ in ("amod", "det", "compound", "nummod", "advmod")
    }
    head = t.lemma_.lower()
    if head in ("company", "firm", "job", "team", "role"):
        return False  # "moved on to another company": a job
    return bool(mods & OTHER) and (
        head in SERVICE | {"one", "lot", "crowd", "outfit", "someone", "somebody"}
        or "rival" in mods
    )


def objects(v):
    """Direct objects, and objects of a particle (``bin off the subscription``)."""
    for c in v.children:
        if c.dep_ in ("dobj", "nsubjpass"):
            yield c
        if c.dep_ in ("prep", "prt") and c.lower_ in ("off", "out"):
            yield from (g for g in c.children if g.dep_ == "pobj")
