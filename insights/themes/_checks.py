"""The checks a researcher would make of a theme label (:func:`label_problems`).

A label must not repeat a lemma ("Pick meals, meal"), glue two heads ("Work &
choosing"; "X and Y" only when the theme's segments say them together), be a generic
noun without a modifier ("Project"), an -ing form of a wrong lemma ("Hatting the new
app"), only filler, a person's name or another language's word, nor another theme's
label. :func:`usable_words` is the same rule for a candidate phrase's words.

Examples
--------
>>> label_problems("Data data")
['repeated word', 'generic']
>>> label_problems("Answer question"), label_problems("Engineer missed the appointment")
(['filler only'], [])
>>> label_problems("Le & te")
['other language', 'filler only', 'joined']
>>> label_problems("Refund letter", others=["Price rise", "refund letter"])
['shared']
>>> label_problems("Work & choosing"), label_problems("Project"), label_problems("Pick meals, meal")
(['joined'], ['generic'], ['repeated word', 'joined'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from insights.schema import MIXED_TALK
from insights.themes._content import FILLER_WORDS, FOREIGN_WORDS, GENERIC_NOUNS, stop_words
from insights.themes._widen import stem
from insights.wordforms import NOT_VERB_FORMS, lemma_stem

__all__ = [
    "JOINERS",
    "LABEL_WORD",
    "joined_label",
    "label_problems",
    "lemma_stem",
    "made_gerunds",
    "names_provider",
    "usable_words",
    "verb_forms",
]

#: a word of a label
LABEL_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
#: words that join or point, not content: never counted as a label's words
JOINERS = frozenset(
    """and & of at for with on in about from to after the a an my our their your his her its
    every this that these those""".split()
)


#: verbs that say what kind of talk it is (asking, answering, letting, making, using): a
#: label of them alone ("Ask", "Let example", "Make model") names no topic
_DISCOURSE_VERBS = frozenset({"ask", "asking", "asked", "let", "answer", "make", "use"})


def label_problems(
    label: str,
    names: Iterable[str] = (),
    *,
    others: Iterable[str] = (),
    texts: Sequence[str] | None = None,
) -> list[str]:
    """What is wrong with a theme label, by the checks a researcher would make.

    Parameters
    ----------
    label : str
    names : iterable of str
        People's names (speakers, PERSON entities), lower case.
    others : iterable of str
        The other themes' labels: a label one of them has too is ``"shared"``.
    texts : sequence of str, optional
        The theme's segments. With them, two phrases joined by "and" must be said
        together in two or more of them, and a verb's -ing form must come from a
        form of the verb said in them.

    Returns
    -------
    list of str
        Any of ``"repeated word"`` (one lemma twice: "Pick meals, meal"),
        ``"other language"``, ``"name"``, ``"filler only"`` (only stop or filler words:
        "Answer question", "Let example"), ``"generic"`` (only nouns too general to
        name a theme, :data:`~insights.themes._content.GENERIC_NOUNS`: "Project",
        "App & phone"), ``"joined"`` (two heads glued by "&" or ",", or by "and"
        when ``texts`` never say them together: "Work & choosing", "Send photos,
        delivery"), ``"made gerund"`` (an -ing form of a wrong lemma, "Hatting the
        new app" from "hated", known only with ``texts``) and ``"shared"`` (two
        themes, one label); empty when the label passes. A ``"Mixed talk: a, b"``
        label lists what mixed talk holds: it is never joined or generic.
    """
    listed = label.split(":", 1)[1] if label.startswith(MIXED_TALK + ":") else label
    words = [w.lower() for w in LABEL_WORD.findall(listed)]
    content = [w for w in words if w not in JOINERS]
    problems = []
    stems = [lemma_stem(w) for w in content]
    if len(set(stems)) < len(stems):
        problems.append("repeated word")
    if any(w in FOREIGN_WORDS for w in words) or any(
        not w.isascii() for w in words if w not in {"café", "naïve"}
    ):
        problems.append("other language")
    names = {n.lower() for n in names}
    if any(w in names for w in content):
        problems.append("name")
    stop = stop_words() | FILLER_WORDS | _DISCOURSE_VERBS | {"le", "te"}
    mixed = label.startswith(MIXED_TALK)  # lists what talk with no single topic holds
    if not mixed and (not content or all(w in stop or stem(w) in stop for w in content)):
        problems.append("filler only")
    elif not mixed and all(
        w in stop or stem(w) in stop or stem(w) in GENERIC_NOUNS for w in content
    ):
        problems.append("generic")
    if not mixed and joined_label(label, texts):
        problems.append("joined")
    if texts is not None and made_gerunds(label, texts):
        problems.append("made gerund")
    if label.strip().lower() in {str(o).strip().lower() for o in others}:
        problems.append("shared")
    return problems


_JOIN = re.compile(r"\s*(?:&|,)\s*|\s+and\s+", re.IGNORECASE)


def joined_label(label: str, texts: Sequence[str] | None = None) -> bool:
    """Whether ``label`` glues two heads that are not one phrase ("Work & choosing").

    "&" and "," always glue (nobody says them); "X and Y" glues unless ``texts`` are
    given and two or more of them say X and Y together, in either order, with at
    most two words between ("Wiener filtering and spectral subtraction" is a pair
    people name together; "Kestrel hub and copper line" two things).

    Examples
    --------
    >>> joined_label("Send photos, delivery"), joined_label("Price rise at renewal")
    (True, False)
    >>> joined_label("Fees and charges", ["the fees and the charges", "fees and charges"])
    False
    >>> joined_label("Fees and charges", ["the fees went up", "charges"])
    True
    """
    if re.search(r"&|,", label):
        return True
    parts = [p for p in _JOIN.split(label.lower()) if p.strip()]
    if len(parts) < 2:
        return False
    if texts is None:
        return True
    a = [w for w in LABEL_WORD.findall(parts[0]) if w not in JOINERS]
    b = [w for w in LABEL_WORD.findall(parts[1]) if w not in JOINERS]
    if not a or not b:
        return False

    def pattern(x: str, y: str) -> re.Pattern[str]:
        return re.compile(
            rf"\b{re.escape(lemma_stem(x)[:5])}\w*,?\s+(?:and|or|&)\s+(?:[\w'’-]+\s+){{0,2}}"
            rf"{re.escape(lemma_stem(y)[:5])}",
            re.IGNORECASE,
        )

    ab, ba = pattern(a[-1], b[0]), pattern(b[-1], a[0])
    return sum(bool(ab.search(t) or ba.search(t)) for t in map(str, texts)) < 2


def made_gerunds(label: str, texts: Sequence[str]) -> list[str]:
    """The -ing words of ``label`` that no form of their verb said in ``texts`` makes.

    "Hatting the new app" from "I hated the new app" (spaCy's lemma "hat"): the
    verb said is "hate", whose -ing form is "hating".

    Examples
    --------
    >>> made_gerunds("Hatting the new app", ["I hated the new app"])
    ['hatting']
    >>> made_gerunds("Checking the bill", ["I checked the bill"]), made_gerunds("Ring", [])
    ([], [])
    """
    said = {w.lower() for t in texts for w in LABEL_WORD.findall(str(t))}
    out = []
    for w in (x.lower() for x in LABEL_WORD.findall(label)):
        if len(w) < 5 or not w.endswith("ing") or w in NOT_VERB_FORMS or w in said:
            continue
        if not (verb_forms(w) & said):
            out.append(w)
    return out


def verb_forms(ing: str) -> set[str]:
    """The forms of the verb whose -ing form is ``ing``: base, -s, past (regular).

    Examples
    --------
    >>> sorted(verb_forms("hatting")), "hated" in verb_forms("hating")
    (['hat', 'hats', 'hatted', 'hatting'], True)
    """
    from insights.themes._phrases import gerund, regular_past

    root = ing[:-3]
    if len(root) > 2 and root[-1] == root[-2] and gerund(root[:-1]) == ing:
        bases = {root[:-1]}  # "hatting": the verb "hat", never "hatt"
    else:
        bases = {b for b in (root, root + "e", root[:-1] + "ie") if gerund(b) == ing}
    forms = {ing}
    for b in bases:
        forms |= {b, b + ("es" if b.endswith(("s", "x", "z", "ch", "sh")) else "s")}
        forms.add(regular_past(b))
    return forms


def names_provider(words: Sequence[str], provider: Sequence[Sequence[str]]) -> bool:
    """Whether a provider's name is what the phrase ``words`` names, not a modifier.

    ``provider``: the study's provider names, each as its lower-case words. A name
    that ends the phrase or comes before a joiner names the provider ("Member at
    Ridgeway", "Ridgeway"): a theme is never the provider itself. Before a noun it says
    whose thing it is ("Ridgeway app", "Kestrel hub") and the phrase may label.

    Examples
    --------
    >>> ridgeway = [("ridgeway", "gyms"), ("ridgeway",)]
    >>> names_provider("member at ridgeway".split(), ridgeway)
    True
    >>> names_provider("ridgeway app".split(), ridgeway), names_provider(["gym"], ridgeway)
    (False, False)
    """
    low = [w.lower() for w in words]
    for name in provider:
        k = len(name)
        for i in range(len(low) - k + 1):
            ends = i + k == len(low) or low[i + k] in JOINERS
            if ends and tuple(low[i : i + k]) == tuple(name):
                return True
    return False


def usable_words(
    words: Sequence[str],
    lemmas: Sequence[str],
    names: set[str],
    provider: Sequence[Sequence[str]] = (),
) -> bool:
    """Whether a candidate phrase's words may label a theme (see :func:`label_problems`).

    ``names``: people's names, never in a label; ``provider``: the study's provider
    names as word tuples (:func:`names_provider`). The words after a provider's brand
    say what the study is about ("Gyms" of "Ridgeway Gyms", "Fibre" of "Kestrel Fibre"):
    like a generic noun, they label only with a modifier ("Gym" says nothing in a study
    of a gym; "Gym floor" does).

    Examples
    --------
    >>> ridgeway = [("ridgeway", "gyms")]
    >>> usable_words(["gym"], ["gym"], set(), ridgeway), usable_words(["gym"], ["gym"], set())
    (False, True)
    >>> usable_words(["gym", "floor"], ["gym", "floor"], set(), ridgeway)
    True
    """
    if provider and names_provider(words, provider):
        return False
    content = [(w, m) for w, m in zip(words, lemmas, strict=True) if w not in JOINERS]
    filler = FILLER_WORDS | _DISCOURSE_VERBS
    if not content or all(w in filler or m in filler for w, m in content):
        return False
    generic = GENERIC_NOUNS | {stem(w) for name in provider for w in name[1:]}
    if all(m in filler or {stem(w), stem(m)} & generic for w, m in content):
        return False  # "project", "data set": too general without a modifier that says which
    stems = [stem(m) for _w, m in content]
    if len(set(stems)) < len(stems):
        return False
    return not any(w in names or w in FOREIGN_WORDS for w, _m in content)
