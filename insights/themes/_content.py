"""Which segments a theme model fits, and the content words of each segment.

Content words are a segment's nouns and verbs that are not stop words, verbs of
saying or feeling, or dates and numbers (spaCy tags them). A segment with none of
them ("It was fine, honestly.") is *generic*: :func:`exclusion_reasons` is the one
place that decides it, for :func:`fitting_exclusions` and for
:class:`~insights.themes.ThemeModel` alike.

Examples
--------
>>> import pandas as pd
>>> seg = pd.DataFrame({"text": ["Yeah.", "The bill went up twice this year.", "It was ok"],
...                     "role": ["participant", "participant", "participant"]})
>>> fitting_exclusions(seg).tolist()
['backchannel', '', 'short']
>>> "yeah" in TRANSCRIPT_STOP_WORDS
True
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from insights.nlp import DEFAULT_SPACY_MODEL, pipeline_key
from insights.schema import ANALYSED_ROLES, spoken_words
from insights.segments import is_backchannel
from insights.themes._phrases import FRAME_LEMMAS, Phrase, doc_phrases

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "FILLER_WORDS",
    "FOREIGN_WORDS",
    "GENERIC_NOUNS",
    "Phrase",
    "TRANSCRIPT_STOP_WORDS",
    "ContentWords",
    "exclusion_reasons",
    "fitting_exclusions",
    "stop_words",
]

#: words that say nothing about a theme in spoken transcripts (added to English stop words),
#: transcribers' markers among them ("[laughter]", "[inaudible]", QMSum's "{vocalsound}").
TRANSCRIPT_STOP_WORDS = frozenset(
    """um uh erm er eh ah oh hmm mm mhm yeah yes yep no nope okay ok right like just really
    know mean think thing things stuff kind sort bit lot gonna wanna gotta actually basically
    literally honest honestly probably maybe sure guess pretty quite got get getting said say says
    saying went going go goes come came want wanted tell told way time times good well
    did does don didn doesn isn wasn weren aren couldn wouldn shouldn haven hasn hadn won
    ain ve ll re im ive youre theyre thats theres whats lets kinda dunno laughs laugh
    inaudible crosstalk interviewer moderator laughter unintelligible overtalk
    vocalsound nonvocalsound disfmarker""".split()
)

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")

#: content-word parts of speech: what a segment is about. Not proper nouns: a segment
#: is not about "Kestrel" or "Maureen" because it names them.
_CONTENT_POS = frozenset({"NOUN", "VERB"})
#: words scikit-learn's English stop list holds that name what people talk about.
_NOT_STOP = frozenset({"bill", "call", "computer", "system", "interest", "fire", "amount"})
#: entity types whose words make poor theme labels (dates, durations, counts).
_NON_TOPIC_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL"})

#: nouns that say what kind of talk it is, not what it is about ("for example", "good
#: question", "the thing is", "different people"): never a segment's only content word,
#: never a label on their own.
FILLER_WORDS = frozenset(
    """example examples question questions answer answers point points sense idea ideas
    moment moments day days week weeks year years today yesterday tomorrow lot lots part
    parts side fact facts reason reasons matter word words term terms people person persons
    guy guys everybody everyone somebody someone anybody anyone something anything nothing
    everything one ones bit bits kind sort sorts type types way ways thing things stuff time
    times case cases level levels number numbers end aspect aspects perspective experience
    experiences interview interviews conversation talk view opinion opinions problem problems
    issue issues situation lot story stories meeting meetings discussion discussions work""".split()
)
#: nouns too general to name a theme on their own ("Project", "Form", "App & phone"):
#: a label may hold them only with a modifier that says which ("Engineering projects",
#: "Claim form"). Singular forms: plurals count by their stem.
GENERIC_NOUNS = frozenset(
    """work job project target form thing stuff data information system process service
    product app phone tool model place area group team company business result change
    option choice detail feature task step plan set stage role software hardware""".split()
)
#: talk about the interview itself: a segment that matches and has almost no other
#: content word is ``"meta"`` (left out of fitting like filler)
_META = re.compile(
    r"\b(?:(?:does|did|do) (?:that|this|it) make sense|makes? sense\?|good question|"
    r"(?:great|interesting|tough|hard|difficult|big) question|next question|"
    r"(?:repeat|rephrase) (?:the|that|your) question|what was the question|"
    r"thanks? (?:you )?(?:so much |very much )?for (?:your time|having me|the invit|inviting)|"
    r"nice (?:to|meeting) (?:meet|talk|chat)|(?:can|could) you (?:hear|see) me|"
    r"(?:hear|see) me (?:ok|okay|alright|now)|record(?:ing)? (?:this|the call|it)|"
    r"the recording|let me think|let's move on|move on to|you(?:'re| are) muted|"
    r"any (?:other )?questions (?:for me|from you)|that's all (?:i have|from me)|"
    r"i hope (?:that|this) (?:helps|answers)|(?:does|did) that answer|"
    r"thank you|thanks (?:a lot|so much|again|for)|happy to help|good luck with)",
    re.IGNORECASE,
)
#: words of other languages that a label must not hold (function words of French,
#: Spanish, German, Italian, Portuguese and Dutch that are not English words)
FOREIGN_WORDS = frozenset(
    """le la les des du et est une un que qui pas pour dans sur avec ce cette ces je tu il
    nous vous ils elle elles mais ou donc sont très te moi toi lui leur leurs el los las del
    y es por con una muy pero como más der die das und ist nicht ein eine mit auf zu den dem
    ich sie wir ihr aber oder sehr il della che non di per sono molto em não uma com het een
    niet ook van zijn""".split()
)

#: bump when the content-word analysis changes, to invalidate cached analyses
_CONTENT_VERSION = "10"

#: one alphabetic token: (lower case, in a PERSON entity, in a date/time/number, noun)
Token = tuple[str, bool, bool, bool]


def stop_words() -> frozenset[str]:
    """The stop words of theme keywords and content words.

    Returns
    -------
    frozenset of str
        scikit-learn's English stop words, less a few that name topics ("bill",
        "call"), plus :data:`TRANSCRIPT_STOP_WORDS`.

    Examples
    --------
    >>> words = stop_words()
    >>> "the" in words, "um" in words, "bill" in words
    (True, True, False)
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return (frozenset(ENGLISH_STOP_WORDS) - _NOT_STOP) | TRANSCRIPT_STOP_WORDS


def _doc_content(doc: Any, stop: frozenset[str]) -> tuple[list[Token], list[str], list[Phrase]]:
    """Every alphabetic token of one spaCy doc (see :data:`Token`), content words, phrases."""
    tokens, words = [], []
    for tok in doc:
        if not tok.is_alpha:
            continue
        low = tok.lower_
        tokens.append(
            (
                low,
                tok.ent_type_ == "PERSON",
                tok.ent_type_ in _NON_TOPIC_ENTS,
                tok.pos_ in ("NOUN", "PROPN"),
            )
        )
        lemma = tok.lemma_.lower()
        if (
            tok.pos_ in _CONTENT_POS
            and len(low) > 2
            and not tok.is_stop
            and low not in stop
            and lemma not in stop
            and lemma not in FRAME_LEMMAS
            and tok.ent_type_ not in _NON_TOPIC_ENTS
        ):
            words.append(tok.text)
    return tokens, words, doc_phrases(doc, stop, FILLER_WORDS)


class ContentWords:
    """Content words of each text, and what the texts say about their words.

    Parameters
    ----------
    texts : sequence of str
        The texts to analyse.
    nlp : spaCy pipeline or callable
        A pipeline, or a function that loads one (called only when some text is not
        in ``cache``).
    cache : path, optional
        A folder where each text's analysis is kept.
    model_key : str
        Names the pipeline in the cache key (see :func:`insights.nlp.pipeline_key`).
    rows : array of int, optional
        The position of each text in the table it comes from (default ``0..n-1``).

    Attributes
    ----------
    words : list of list of str
        ``words[i]`` are text i's content words (nouns and verbs that are not stop
        words, framing verbs or numbers), in order.
    phrases : list of list of Phrase
        ``phrases[i]`` are text i's candidate label phrases (see :data:`Phrase`).
    n, person, non_topic, noun : Counter
        Over all texts, per lower-cased word: occurrences, how many of them inside a
        PERSON entity, inside a date / time / number, tagged NOUN or PROPN.
    docs_of : dict of str to set of int
        The texts each lower-cased word occurs in.
    rows : ndarray of int
    """

    def __init__(
        self,
        texts: Sequence[str],
        nlp: Any,
        *,
        cache: str | Path | None = None,
        model_key: str = "",
        rows: np.ndarray | None = None,
    ) -> None:
        from insights._rerun import cached_values

        stop = stop_words()

        def parse(batch: list[str]) -> list[tuple[list[Token], list[str], list[Phrase]]]:
            from insights.nlp import parse_texts

            pipeline = nlp if hasattr(nlp, "pipe") else nlp()
            docs = parse_texts(pipeline, [spoken_words(t) for t in batch], batch_size=256)
            return [_doc_content(doc, stop) for doc in docs]

        texts = [str(t) for t in texts]
        words_key = hashlib.sha1(" ".join(sorted(stop | FRAME_LEMMAS)).encode()).hexdigest()[:12]
        namespace = f"content:{_CONTENT_VERSION}:{model_key}:{words_key}"
        parsed = cached_values(texts, parse, folder=cache, namespace=namespace)[0]
        self.words: list[list[str]] = []
        self.phrases: list[list[Phrase]] = []
        self.n: Counter = Counter()
        self.person: Counter = Counter()
        self.non_topic: Counter = Counter()
        self.noun: Counter = Counter()
        self.docs_of: dict[str, set[int]] = {}
        self.rows = np.arange(len(texts)) if rows is None else np.asarray(rows)
        for i, (tokens, words, phrases) in enumerate(parsed):
            for low, person, non_topic, noun in tokens:
                self.n[low] += 1
                self.docs_of.setdefault(low, set()).add(i)
                self.person[low] += person
                self.non_topic[low] += non_topic
                self.noun[low] += noun
            self.words.append(words)
            self.phrases.append(phrases)

    def names(self, units: Sequence[Any] | None = None, *, min_units: int = 3) -> set[str]:
        """Words that are people's names.

        Parameters
        ----------
        units : sequence, optional
            The unit (e.g. the transcript) of each text.
        min_units : int
            A word used in this many units or more is not a name: a brand the tagger
            takes for a name is used everywhere.

        Returns
        -------
        set of str
            Words tagged PERSON in at least half their mentions (and, with ``units``,
            used in fewer than ``min_units`` units).
        """
        out = set()
        for w, k in self.person.items():
            if k * 2 < self.n[w]:
                continue
            if units is not None and len({units[i] for i in self.docs_of[w]}) >= min_units:
                continue
            out.add(w)
        return out

    def nouns(self) -> set[str]:
        """Words tagged NOUN or PROPN in at least half their mentions."""
        return {w for w, k in self.noun.items() if k * 2 >= self.n[w]}

    def non_topic_words(self) -> set[str]:
        """Words inside a date, time or number in at least half their mentions."""
        return {w for w, k in self.non_topic.items() if k * 2 >= self.n[w]}


def _default_nlp(name: str | None = None) -> Callable[[], Any]:
    """A loader of the spaCy pipeline ``name`` (default pipeline when ``None``), no parser."""

    def load() -> Any:
        from insights.nlp import load_spacy

        if name is None:
            return load_spacy(exclude=("parser",))
        return load_spacy(name, exclude=("parser",))

    return load


def exclusion_reasons(
    segments: pd.DataFrame,
    *,
    roles: Sequence[str] | None = ANALYSED_ROLES,
    min_words: int = 4,
    exclude_backchannels: bool = True,
    exclude_generic: bool = False,
    analyse_content: bool = False,
    nlp: Any = None,
    content: Sequence[Sequence[str]] | None = None,
    cache: str | Path | None = None,
    model_key: str = "",
) -> tuple[pd.Series, ContentWords | None]:
    """Why each segment is left out of theme fitting, and the content words of the rest.

    Parameters
    ----------
    segments : DataFrame
        Needs ``text``; ``role`` when present.
    roles : sequence of str, optional
        Roles that are fitted (a missing role is too); ``None``: every role.
    min_words : int
        Segments with fewer words are ``"short"``.
    exclude_backchannels : bool
        Leave out "Yeah.", "Mm-hm." (``"backchannel"``).
    exclude_generic : bool
        Leave out the segments with no content word other than filler
        (:data:`FILLER_WORDS`: ``"generic"``), and talk about the interview itself
        ("does that make sense?", "good question") with three or fewer
        (``"meta"``).
    analyse_content : bool
        Analyse the content words even without ``exclude_generic``.
    nlp : spaCy pipeline, callable or str, optional
        The pipeline, a function that loads it, or the name of an installed one
        (default :func:`insights.nlp.load_spacy`'s).
    content : sequence of sequence of str, optional
        The content words of every segment, when already known: nothing is analysed.
    cache, model_key
        See :class:`ContentWords`.

    Returns
    -------
    reason : Series of str
        ``"role:<role>"``, ``"backchannel"``, ``"short"``, ``"empty"``, ``"generic"``,
        ``"meta"``, or ``""`` for a segment that is used; ``segments``' index.
    content : ContentWords or None
        The analysis of the segments that pass every other exclusion (``content.rows``:
        their positions), when one was made.
    """
    import pandas as pd

    text = segments["text"].fillna("").astype(str).map(spoken_words)
    reason = pd.Series("", index=segments.index, dtype=object)
    nwords = text.map(lambda t: len(_WORD.findall(t)))
    reason[nwords < min_words] = "short"
    if exclude_backchannels:
        reason[text.map(is_backchannel)] = "backchannel"
    reason[text.str.strip() == ""] = "empty"
    if roles is not None and "role" in segments.columns:
        role = segments["role"]
        bad = role.notna() & ~role.isin(list(roles))
        reason[bad] = "role:" + role[bad].astype(str)
    rows = np.flatnonzero((reason == "").to_numpy())
    analysis = None
    if content is None and len(rows) and (exclude_generic or analyse_content):
        loader = _default_nlp(nlp) if nlp is None or isinstance(nlp, str) else nlp
        analysis = ContentWords(
            text.iloc[rows].tolist(), loader, cache=cache, model_key=model_key, rows=rows
        )
    if exclude_generic and len(rows):
        words = analysis.words if analysis is not None else [content[i] for i in rows]
        topical = [[w for w in ws if w.lower() not in FILLER_WORDS] for ws in words]
        meta = text.iloc[rows].map(lambda t: _META.search(t) is not None).to_numpy()
        reason.iloc[rows[[len(w) == 0 for w in topical]]] = "generic"
        reason.iloc[rows[meta & np.array([len(w) <= 3 for w in topical], dtype=bool)]] = "meta"
    return reason, analysis


def fitting_exclusions(
    segments: pd.DataFrame,
    *,
    roles: Sequence[str] | None = ANALYSED_ROLES,
    min_words: int = 4,
    exclude_backchannels: bool = True,
    exclude_generic: bool = False,
    nlp: Any = None,
    content: Sequence[Sequence[str]] | None = None,
    cache: str | Path | None = None,
) -> pd.Series:
    """Why each segment is left out of theme fitting (``""``: it is used).

    Parameters
    ----------
    segments : DataFrame
        Needs ``text``; ``role`` when present.
    roles : sequence of str, optional
        Roles that are fitted (default :data:`insights.schema.ANALYSED_ROLES`; a
        missing role is fitted too); ``None``: every role.
    min_words : int
        Segments with fewer words are ``"short"``.
    exclude_backchannels : bool
        Leave out "Yeah.", "Mm-hm." (``"backchannel"``).
    exclude_generic : bool
        Leave out the segments with no content word (``"generic"``, see
        :class:`~insights.themes.ThemeModel`).
    nlp : spaCy pipeline, optional
        For ``exclude_generic`` (default :func:`insights.nlp.load_spacy`).
    content : sequence of sequence of str, optional
        The content words of each segment, when already known (no spaCy then).
    cache : path, optional
        A folder where each text's content words are kept (the themes' own cache,
        when ``nlp`` is the name of a pipeline or None).

    Returns
    -------
    Series of str
        ``"role:<role>"``, ``"backchannel"``, ``"short"``, ``"empty"``, ``"generic"``,
        ``"meta"`` or ``""``, with ``segments``' index.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"text": ["And how was it?", "Mm-hm.", "The engineer came late again."],
    ...                     "role": ["interviewer", "participant", None]})
    >>> fitting_exclusions(seg).tolist()
    ['role:interviewer', 'backchannel', '']
    >>> fitting_exclusions(seg, exclude_generic=True, content=[[], [], ["engineer"]]).tolist()
    ['role:interviewer', 'backchannel', '']
    """
    return exclusion_reasons(
        segments,
        roles=roles,
        min_words=min_words,
        exclude_backchannels=exclude_backchannels,
        exclude_generic=exclude_generic,
        nlp=nlp,
        content=content,
        cache=cache if nlp is None or isinstance(nlp, str) else None,
        model_key=pipeline_key(nlp or DEFAULT_SPACY_MODEL) if cache is not None else "",
    )[0]
