"""Where the cause lies: in the emotional turn itself, or in an earlier turn.

"How was the install?" → "Awful." and "Mine was cancelled too." → "That's so annoying"
answer what came before; "I was furious because nobody came" carries its own cause.
:func:`where_features` reads cheap cues of the emotional segment and of the turn
before it (a short or elliptic reply, an answer to a question, anaphora such as
*that* / *it* / *this* with no content noun of its own, a preceding turn by another
speaker, a causal connective, word overlap with the turn before) plus the
:class:`~insights.triggers.OwnCauseModel`'s log-odds; :class:`WhereModel`, a logistic
regression over them fit on RECCON's tune conversations
(``training/train_cause_ranker.py``), gives the probability that the cause is in an
earlier turn.

Examples
--------
>>> texts = ["How was the install?", "Awful."]
>>> x = where_features(texts, 1, 0, turns=[1, 2], speakers=["I", "P"], labels=["", "anger"])
>>> f = dict(zip(WHERE_FEATURES, x.tolist()))
>>> f["p_question"], f["u_short"], f["u_no_content"]
(1.0, 1.0, 1.0)
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from insights.emotions import IDIOM_WORDS, LABEL_TO_EKMAN, STATED_WORDS, STRONG_WORDS
from insights.triggers._candidates import n_tokens

__all__ = [
    "WHERE_FEATURES",
    "where_features",
    "previous_turn_rows",
    "where_probabilities",
    "names_nothing",
    "bare_feeling",
    "judged_words",
    "JUDGING_POS",
    "WhereModel",
]

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
#: words of feeling or judgement ("nightmare", "gutted"), with the stated and strong feeling
#: words of :mod:`insights.emotions`
_FEELING = frozenset(
    """good great bad terrible awful nice lovely fine
    wonderful fantastic amazing awesome horrible sorry glad happy sad angry annoying annoyed
    frustrating frustrated ridiculous shame pity congratulations lucky
    nightmare disaster joke relief shock pain hassle mess dream lifesaver rubbish useless
    pathetic disgusting scary frightening worrying stressful infuriating painful embarrassing
    disappointing disappointed upset scared worried nervous excited pleased impressed
    surprised shocked stressed gutted furious livid thrilled delighted chuffed relieved
    shocking unbelievable incredible brilliant excellent perfect cool love loved
    hate hated fun funny weird strange crazy mad insane unreal brutal grim
    helpful useful interesting outrageous exhausting exhausted insulting cheated
    disrespectful maddening terrify terrifying upsetting panic""".split()
) | frozenset(
    w
    for ws in (*STATED_WORDS.values(), *STRONG_WORDS.values())
    for p in ws
    for w in p.split()
    if len(w) > 3  # "let down", "sick of", "fed up": the feeling, not its particles
)
_FEELING_PHRASE = re.compile(
    r"\b(?:"
    + "|".join(p for ws in (*STATED_WORDS.values(), *STRONG_WORDS.values()) for p in ws if " " in p)
    + r")\b",
    re.I,
)
#: feelings said in an idiom ("it drove me up the wall"): their words name no cause
_IDIOM = re.compile(
    r"\b(?:" + "|".join(p for ws in IDIOM_WORDS.values() for p in ws) + r")\b", re.I
)
#: words of agreement and sympathy with what someone else told: "Same here, I was fuming.",
#: "I can't believe they did that to you.", "Exactly the same thing happened to me."
_REPLY = frozenset(
    "same exactly agree agreed believe imagine happened happen happens feels".split()
)
#: function words, fillers, the words of feeling and of agreement: a reply with nothing else
#: names no cause of its own ("Awful.", "Honestly, it made me so angry.", "Same here.").
_FUNCTION = (
    _FEELING
    | _REPLY
    | frozenset(
        """a an the and or but so if then than that this these those it its it's itself they them
    their there here he she him her his hers we us our ours you your yours i me my mine myself
    is am are was were be been being do does did done have has had having will would shall should
    can could may might must not no nor never yes yeah yep oh ah um uh er hmm wow well okay ok
    really very just quite too also even still again all any some much many more most such own
    what which who whom whose when where why how of in on at by for with about from to into onto
    up down out off over under as like get got getting go going gone went make made thing things
    something anything nothing everything one ones lot lots bit kind sort mean know think guess
    say said tell told see saw sure right god gosh goodness dear thanks
    thank please hi hello don't didn't doesn't isn't wasn't aren't weren't can't couldn't won't
    wouldn't i'm i've i'd i'll you're you've that's it's what's there's let's
    honestly actually basically literally totally absolutely definitely seriously pretty
    properly truly completely utterly genuinely frankly mostly least time times way
    cheers feel felt feeling feelings sounds sound hear laughs laugh laughing laughter
    crosstalk inaudible pause honest let sick fed""".split()
    )
)
_ANAPHORA = re.compile(
    r"\b(?:that|this|it|those|these|so|too|either|same|such|mine|yours|one)\b", re.I
)
_CAUSAL = re.compile(
    r"\b(?:because|cause|since|when|whenever|after|due to|thanks to|the fact that|"
    r"(?:made|makes|make|got|gets|left|drove) (?:me|us)|that's why|which is why)\b",
    re.I,
)
_REACTION = re.compile(
    r"^\s*(?:oh|ah|wow|really|great|good|thanks|thank|sorry|what|how|that'?s|that is|no|yes|"
    r"yeah|congratulations|cool|awesome|terrible|awful|oops|well|gosh|my god|oh my|i see|"
    r"excellent|wonderful|fantastic|sure|ok|okay|ugh|god|seriously|honestly|"
    r"i'?m (?:sorry|glad|happy)|not really|are you|you're|it'?s|me too|same|why)\b",
    re.I,
)
_SELF = re.compile(r"\b(?:i|i'm|i've|i'd|we|we're|my|our|me|us)\b", re.I)
_YOU = re.compile(r"\b(?:you|you're|your|yours)\b", re.I)

WHERE_FEATURES: tuple[str, ...] = (
    "bias", "u_log_ntok", "u_short", "u_react", "u_question", "u_exclaim",
    "u_anaphora_open", "u_content", "u_no_content", "u_causal", "u_self", "u_you",
    "p_none", "p_question", "p_other", "p_emotional", "p_same_group", "p_log_ntok",
    "p_content", "overlap", "own_logit",
)  # fmt: skip


def _content(text: str, judged: frozenset[str] = frozenset()) -> set[str]:
    text = _IDIOM.sub(" feeling ", text.lower())
    return {w for w in _WORD.findall(text) if w not in _FUNCTION and len(w) > 2 and w not in judged}


def names_nothing(text: str, judged: frozenset[str] = frozenset()) -> bool:
    """Whether ``text`` has no word that could name a cause ("Awful.", "That's so annoying.").

    ``judged``: more words that judge rather than name (:func:`judged_words`: the
    adjectives a parse finds, "diabolical", "panicky").

    Examples
    --------
    >>> names_nothing("Honestly, it made me so angry."), names_nothing("The van never came.")
    (True, False)
    >>> names_nothing("That's diabolical."), names_nothing("That's diabolical.", {"diabolical"})
    (False, True)
    """
    return not _content(text, judged)


def bare_feeling(text: str, judged: frozenset[str] = frozenset()) -> bool:
    """Whether ``text`` says a feeling and names nothing else ("I was livid.", "Honestly, scared.").

    :func:`names_nothing` with a word of feeling or judgement (or one of ``judged``):
    "I couldn't get into it at all." names nothing but says no feeling.

    Examples
    --------
    >>> bare_feeling("I was livid."), bare_feeling("I don't go out of my way for it.")
    (True, False)
    >>> bare_feeling("Really let down."), bare_feeling("Pretty panicky.", {"panicky"})
    (True, True)
    """
    words = _WORD.findall(text.lower())
    return names_nothing(text, judged) and (
        any(w in _FEELING or w in judged for w in words)
        or bool(_FEELING_PHRASE.search(text))
        or bool(_IDIOM.search(text))
    )


#: parts of speech whose words judge rather than name ("Honestly, that's diabolical.",
#: "Pretty panicky, honestly."): chosen on RECCON's tune half (token-F1 0.622 -> 0.623, ranker
#: fit on the held half) and own dialogues; adverbs were not tried there
JUDGING_POS: tuple[str, ...] = ("ADJ",)


def judged_words(texts: Sequence[str], nlp: Any, cache: Any = None) -> dict[str, frozenset[str]]:
    """{text: its words that judge rather than name}: the adjectives of a parse, lower-cased.

    No word list can hold every "diabolical" or "grim"; the parse's part of speech
    (:data:`JUDGING_POS`) tells them from the nouns and verbs that name a cause. ``nlp``
    is a spaCy pipeline or an installed one's name (loaded only for texts not in
    ``cache``, the folder :func:`insights._rerun.cached_values` keeps them in);
    ``None`` or ``False``: no parse, every set empty (the word lists alone decide).

    Examples
    --------
    >>> judged_words(["It was grim."], nlp=False)
    {'It was grim.': frozenset()}
    """
    texts = list(dict.fromkeys(texts))
    if nlp is None or nlp is False:
        return {t: frozenset() for t in texts}
    from insights._rerun import cached_values
    from insights.nlp import load_spacy, pipeline_key

    def tag(todo: list[str]) -> list[list[str]]:
        pipe = load_spacy(nlp, exclude=("ner",)) if isinstance(nlp, str) else nlp
        # the tagger alone gives the part of speech: the parser is not run for it
        with pipe.select_pipes(
            disable=[p for p in ("parser", "lemmatizer") if p in pipe.pipe_names]
        ):
            docs = list(pipe.pipe(todo, batch_size=64))
        return [
            sorted({t.lower_ for t in doc if t.pos_ in JUDGING_POS and t.lower_ not in _FUNCTION})
            for doc in docs
        ]

    vals, _ = cached_values(
        texts, tag, folder=cache, namespace=f"judged-words:v1:{pipeline_key(nlp)}"
    )
    return {t: frozenset(v) for t, v in zip(texts, vals, strict=True)}


def previous_turn_rows(tids: Sequence[str], turns: Sequence[int]) -> list[int | None]:
    """Row of the last segment of the turn before each row's turn (same transcript), or None.

    Sentences of one turn share their turn number; the turn before is the last row of an
    earlier turn.

    Examples
    --------
    >>> previous_turn_rows(["a", "a", "a", "b"], [1, 2, 2, 1])
    [None, 0, 0, None]
    """
    out: list[int | None] = []
    last: dict[str, tuple[int, int]] = {}  # transcript -> (turn, row) of the latest row
    before: dict[str, int | None] = {}  # transcript -> last row of the turn before the latest
    for i, (t, k) in enumerate(zip(tids, turns, strict=True)):
        if t in last and last[t][0] != k:
            before[t] = last[t][1]
        out.append(before.get(t))
        last[t] = (k, i)
    return out


def where_features(
    texts: Sequence[str],
    seg: int,
    prev: int | None,
    *,
    turns: Sequence[int],
    speakers: Sequence[Any],
    labels: Sequence[str],
    own_logit: float | None = None,
) -> np.ndarray:
    """The :data:`WHERE_FEATURES` of emotional row ``seg`` whose previous turn ends at ``prev``.

    ``labels`` are the rows' emotion labels ('' for not emotional); ``own_logit`` the
    :class:`~insights.triggers.OwnCauseModel`'s log-odds (0 when not given).
    """
    del turns  # the turn before is ``prev``; kept in the signature for symmetry with callers
    u = texts[seg]
    ntok = n_tokens(u)
    cu = _content(u)
    head = " ".join(_WORD.findall(u.lower())[:4])
    x = {f: 0.0 for f in WHERE_FEATURES}
    x["bias"] = 1.0
    x["u_log_ntok"] = math.log1p(ntok)
    x["u_short"] = float(ntok <= 4)
    x["u_react"] = float(bool(_REACTION.match(u)))
    x["u_question"] = float(u.rstrip().endswith("?"))
    x["u_exclaim"] = float(u.rstrip().endswith("!"))
    x["u_anaphora_open"] = float(bool(_ANAPHORA.search(head)))
    x["u_content"] = math.log1p(len(cu))
    x["u_no_content"] = float(not cu)
    x["u_causal"] = float(bool(_CAUSAL.search(u)))
    x["u_self"] = float(bool(_SELF.search(u)))
    x["u_you"] = float(bool(_YOU.search(u)))
    if prev is None:
        x["p_none"] = 1.0
    else:
        p = texts[prev]
        cp = _content(p)
        group = LABEL_TO_EKMAN.get(labels[seg], labels[seg])
        plab = labels[prev]
        x["p_question"] = float("?" in p[-3:] or p.rstrip().endswith("?"))
        x["p_other"] = float(speakers[prev] is None or speakers[prev] != speakers[seg])
        x["p_emotional"] = float(bool(plab))
        x["p_same_group"] = float(bool(plab) and LABEL_TO_EKMAN.get(plab, plab) == group)
        x["p_log_ntok"] = math.log1p(n_tokens(p))
        x["p_content"] = math.log1p(len(cp))
        x["overlap"] = len(cu & cp) / max(1, len(cu))
    x["own_logit"] = 0.0 if own_logit is None else float(own_logit)
    return np.array([x[f] for f in WHERE_FEATURES])


class WhereModel:
    """Probability that an emotional segment's cause lies in an earlier turn.

    A logistic regression over :func:`where_features`; ``threshold`` is the
    probability at which :func:`~insights.triggers.find_triggers` takes the cause
    from an earlier turn, and ``weight`` how much its log-odds add to the earlier
    candidates' scores below it (both chosen on RECCON's tune conversations).

    Examples
    --------
    >>> m = WhereModel({"bias": -1.0, "u_short": 2.0}, threshold=0.5)
    >>> x = np.zeros(len(WHERE_FEATURES)); x[0] = 1; x[WHERE_FEATURES.index("u_short")] = 1
    >>> round(float(m.proba(x)[0]), 3), bool(m.earlier(x)[0])
    (0.731, True)
    """

    def __init__(self, weights: dict[str, float], *, threshold: float = 0.5, weight: float = 0.0):
        self.weights = dict(weights)
        self.threshold = float(threshold)
        self.weight = float(weight)
        self._w = np.array([self.weights.get(f, 0.0) for f in WHERE_FEATURES])

    @classmethod
    def fit(cls, X: np.ndarray, earlier: np.ndarray, *, C: float = 1.0) -> WhereModel:
        """Fit on :func:`where_features` rows ``X`` and ``earlier`` (1: the cause is earlier)."""
        from sklearn.linear_model import LogisticRegression

        lr = LogisticRegression(C=C, max_iter=3000, fit_intercept=False).fit(X, earlier)
        return cls(
            {f: round(float(w), 5) for f, w in zip(WHERE_FEATURES, lr.coef_[0], strict=True)}
        )

    def proba(self, X: np.ndarray) -> np.ndarray:
        """P(cause in an earlier turn) of each row of ``X``."""
        X = np.atleast_2d(np.asarray(X, dtype=np.float64))
        return 1.0 / (1.0 + np.exp(-(X @ self._w)))

    def earlier(self, X: np.ndarray) -> np.ndarray:
        """Whether each row's cause is taken from an earlier turn."""
        return self.proba(X) >= self.threshold

    def to_dict(self) -> dict[str, Any]:
        """Weights and threshold, as stored in ``cause_ranker.json``."""
        return {
            "weights": self.weights,
            "threshold": round(self.threshold, 4),
            "weight": round(self.weight, 4),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> WhereModel:
        """The model of :meth:`to_dict`'s output."""
        return cls(d["weights"], threshold=d.get("threshold", 0.5), weight=d.get("weight", 0.0))


def where_probabilities(
    where: WhereModel | None,
    texts: Sequence[str],
    tids: Sequence[str],
    turns: Sequence[int],
    speakers: Sequence[Any],
    labels: Sequence[str],
    targets: Sequence[int],
    own_logits: dict[int, float | None] | None = None,
    judged: dict[str, frozenset[str]] | None = None,
) -> dict[int, float | None]:
    """{target row: :class:`WhereModel` probability that its cause lies in an earlier turn}.

    Only a segment that opens its turn (the answer's first sentence, a reply) is
    decided; a later sentence of a turn, a segment with no turn before it, or no
    ``where`` model gives ``None`` (no decision: the ranker alone picks). A sentence
    after fillers only ("Yeah. Honestly, furious.", "Mm. I was livid.") still opens the
    answer for the rule below (the learned model does not decide it). A turn with
    no word that could name a cause (only function words, fillers and words of
    feeling or judgement: "Awful.", "Honestly, it made me so angry.", "That's so
    annoying."), or whose first sentence says a feeling and names nothing else
    (:func:`bare_feeling`: "Honestly, scared. We were already cutting back."; segments are
    sentences), after another speaker's turn answers that turn: probability 1. On
    RECCON's tune conversations this rule fires for 110 of 1,107 utterances, 72 of
    them with the gold cause only in other turns; DailyDialog's annotators mark the rest
    ("It was a nightmare.") as their own cause.

    Examples
    --------
    >>> m = WhereModel({"bias": 0.0})
    >>> where_probabilities(m, ["How was it?", "Awful service.", "The van never came."], ["a"] * 3,
    ...                     [1, 2, 2], ["I", "P", "P"], ["", "anger", "anger"], [1, 2])
    {1: 0.5, 2: None}
    >>> where_probabilities(m, ["How was the install?", "Awful."], ["a"] * 2, [1, 2],
    ...                     ["I", "P"], ["", "anger"], [1])
    {1: 1.0}
    """
    prev = previous_turn_rows(tids, turns)
    judged = judged or {}
    none: frozenset[str] = frozenset()
    turn_text: dict[tuple[str, int], str] = {}
    turn_judged: dict[tuple[str, int], frozenset[str]] = {}
    for k in range(len(texts)):
        key = (tids[k], turns[k])
        turn_text[key] = turn_text.get(key, "") + " " + texts[k]
        turn_judged[key] = turn_judged.get(key, none) | judged.get(texts[k], none)
    out: dict[int, float | None] = {}
    for i in targets:
        opens = i == 0 or tids[i - 1] != tids[i] or turns[i - 1] != turns[i]
        j = i - 1  # "Yeah. Honestly, furious.": fillers before it, and it still opens the answer
        while (
            j >= 0
            and tids[j] == tids[i]
            and turns[j] == turns[i]
            and names_nothing(texts[j], judged.get(texts[j], none))
        ):
            j -= 1
        after_fillers = not opens and (j < 0 or tids[j] != tids[i] or turns[j] != turns[i])
        if where is None or prev[i] is None or not (opens or after_fillers):
            out[i] = None
            continue
        other = speakers[prev[i]] is None or speakers[prev[i]] != speakers[i]
        key = (tids[i], turns[i])
        if other and (
            bare_feeling(texts[i], judged.get(texts[i], none))
            or names_nothing(turn_text[key], turn_judged[key])
        ):
            # nothing in the turn's first sentence can name a cause ("Honestly, scared. We
            # were already cutting back."): it answers the turn before
            out[i] = 1.0
            continue
        if after_fillers:  # the learned model was fit on turns' first sentences only
            out[i] = None
            continue
        own = None if own_logits is None else own_logits.get(i)
        x = where_features(
            texts, i, prev[i], turns=turns, speakers=speakers, labels=labels, own_logit=own
        )
        out[i] = round(float(where.proba(x)[0]), 6)
    return out
