"""Intent: whether the speaker says they will stay with, leave, recommend or warn about a provider.

Three steps, in this order:

1. **Cues** — high-recall patterns propose a candidate intent: *cancel my contract*,
   *switched to Brightwire*, *I left in January*, *I'll stay*, *I'd be mad to leave*,
   *recommend them*, *told my sister to sign up*, *tell everyone to avoid them*, *will be
   back*, *never again*.
2. **Rules** — hard negatives are dropped (a *recommender system*, *switch to Spark*,
   *stick with the decision*, *leave it*, *quit the game*, an *appointment* or *meeting*
   that was *cancelled*, a process that *terminates*, advice to *recommend using* or
   *checking* something); negation turns a cue round (*I wouldn't leave them* is
   ``stay``, *I wouldn't recommend them* is ``warn_others``); a past counterfactual
   without a condition (*I wouldn't have left them over the price alone*) is no
   intent. The ``kind`` comes from the clause: ``reported`` (another person's: *my
   neighbour switched*), ``conditional`` (*I'd switch if the price went up*), ``done``
   (*I left them in May*) or ``intended`` (*I'm going to cancel*, *I'll stay*).
3. **Verifier** — a logistic regression over the cue features and (when an embedder
   is given) the sentence's MiniLM embedding says how likely the proposed intent is
   right; that probability is the ``confidence``, and a proposal below
   :data:`THRESHOLD` is dropped. The weights ship in
   ``insights/models/intent/intent_verifier.json`` (fit by ``training/train_intent.py``
   on the tuning part of ``benchmarks/intent_labels.csv``; figures in
   ``insights/models/intent/README.md`` and ``benchmarks/results/intent_eval.json``).

Examples
--------
>>> out = detect_intent(["I told my sister to sign up with them.",
...                      "It's a recommender system for sizes.",
...                      "My neighbour switched to another provider."], embedder=False)
>>> out[["intent", "kind"]].values.tolist()
[['recommend', 'done'], ['none', ''], ['leave', 'reported']]
>>> bool(((out["confidence"] > 0) & (out["confidence"] <= 1)).iloc[[0, 2]].all())
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ._intent_cues import (
    ADVICE,
    ASKED,
    CHANNEL_ADVICE,
    CLAUSE,
    COMPILED,
    COND,
    CUES,
    FIRST,
    FLIP,
    FUTURE,
    IMPERATIVE,
    NEEDS_CONTEXT,
    NEEDS_PROVIDER,
    NEG,
    NEG_INSIDE,
    NEG_NEAR,
    NEVER_LEFT,
    OBJECT_FIRST,
    PASSIVE,
    PAST,
    PAST_CF,
    PERSONAL,
    PRIORITY,
    PROVIDER,
    PROVIDER_STRONG,
    SELF_NEGATED,
    TECH,
    THIRD,
    THREAT,
)
from ._intent_parse import PARSE_CUES, cue_object, parse_detail
from ._intent_target import intent_context, intent_target
from ._intent_veto import told_to_leave, vetoed

__all__ = [
    "INTENTS",
    "INTENT_FEATURES",
    "KINDS",
    "THRESHOLD",
    "Proposal",
    "IntentVerifier",
    "detect_intent",
    "propose_intent",
    "proposal_features",
    "segment_intents",
]

#: the intents a text can have (``none`` for no intent).
INTENTS = ("stay", "leave", "recommend", "warn_others", "none")
#: the kinds of a detected intent.
KINDS = ("done", "intended", "conditional", "reported")
#: proposals whose calibrated probability is below this are dropped. Low on purpose:
#: ``intents.csv`` shows the researcher every possible intent with its confidence, while
#: drivers and the report's headline count only those at :data:`insights.schema.INTENT_FLOOR`.
THRESHOLD = 0.3
MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "intent" / "intent_verifier.json"


INTENT_FEATURES: tuple[str, ...] = (
    "bias",
    *(f"intent_{i}" for i in INTENTS[:4]),
    *(f"kind_{k}" for k in KINDS),
    "negated",
    "first_person",
    "third_person",
    "conditional",
    "past_cf",
    "question",
    "tech",
    "provider",
    "n_cues",
    "short",
    "parse_agrees",
    "object_service",
    "object_other",
    *sorted({f"cue_{n}" for v in CUES.values() for n, _ in v}),
    *(f"cue_{n}" for n in PARSE_CUES),
)


@dataclass(frozen=True)
class Proposal:
    """A candidate intent of one text, before verification."""

    intent: str
    kind: str
    cue: str
    start: int
    end: int
    negated: bool
    flags: dict[str, float]


def _clause_before(text: str, start: int) -> str:
    before = text[max(0, start - 80) : start]
    parts = CLAUSE.split(before)
    return parts[-1] if parts else before


def _clause_around(text: str, start: int, end: int) -> str:
    return _clause_before(text, start) + text[start:end] + CLAUSE.split(text[end : end + 60])[0]


def _kind(text: str, start: int, end: int, intent: str, name: str = "") -> str:
    clause = _clause_before(text, start)
    cue = text[start:end]
    after = text[end : end + 60]
    after = CLAUSE.split(after)[0]
    around = clause + text[start:end] + after
    subj_first = list(FIRST.finditer(clause + cue[:6]))
    subj_third = list(THIRD.finditer(clause))
    last_first = subj_first[-1].start() if subj_first else -1
    last_third = subj_third[-1].start() if subj_third else -1
    reported = last_third > last_first and name not in OBJECT_FIRST
    # "told my neighbour to switch": the speaker is the subject, not a report
    if re.search(
        r"\b(?:I|we)(?:'d|'ll|\s+would|\s+will)?\s+(?:\w+\s+)?(?:told|tell|sent|put|said)\b",
        clause + cue,
    ):  # "I'd tell people to think twice" too
        reported = False
    if reported:
        return "reported"
    if re.search(
        r"\b(?:I|we)'d\s+(?:just\s+|already\s+)?(?:left|renewed|cancell?ed|switched|"
        r"recommended|told|stayed|signed)\b",
        clause + cue,
        re.I,
    ):
        return "done"  # pluperfect: "after I'd left"
    if (
        intent in ("recommend", "warn_others")
        and not FIRST.search(clause)
        and not re.search(r"\b(?:I|we)\b", cue, re.I)
    ):
        if not re.search(r"\b(?:have|has|had)\b", clause, re.I):
            return "intended"  # "Highly recommended!", "Don't go to this place!"
    if name == "mad_to_leave":
        return "intended"
    if re.search(r"\b(?:have|has|'ve)\s+been\b", re.split(r"\band\b", clause)[-1] + cue, re.I):
        # "I have been going back again and again" (not "I've been ... and I'm staying")
        return "done"
    if COND.search(text) and (
        COND.search(around) or re.search(r"\b(?:'d|’d|would)\b", around, re.I)
    ):
        return "conditional"
    if PAST_CF.search(around):
        return "conditional"
    if FUTURE.search(clause + cue) and not re.search(
        r"\b(?:I've|I’ve|we've|been|already)\b", re.split(r"\band\b", clause)[-1], re.I
    ):
        return "intended"
    if PAST.search(clause + cue + after):
        return "done"
    return "intended"


def _asks_you(text: str, start: int, end: int) -> bool:
    """Whether the cue sits in a question put to "you" (the speaker says nothing of their own)."""
    q = text.find("?", end)
    if q < 0:
        return False
    s0 = max(text.rfind(c, 0, start) for c in ".!?")
    sentence = text[s0 + 1 : q]
    return bool(re.search(r"\byou\b", sentence, re.I)) and not FIRST.search(sentence)


def _flags(text: str, clause: str, names: set[str], negated: bool, past_cf: bool) -> dict:
    return {
        "negated": float(negated),
        "first_person": float(bool(FIRST.search(text))),
        "third_person": float(bool(THIRD.search(clause))),
        "conditional": float(bool(COND.search(text))),
        "past_cf": float(past_cf),
        "question": float("?" in text),
        "tech": float(bool(TECH.search(text))),
        "provider": float(bool(PROVIDER.search(text))),
        "n_cues": min(len(names), 3) / 3.0,
        "short": float(len(text.split()) <= 4),
        **{f"cue_{n}": 1.0 for n in names},
    }


def _parsed(text: str, tech: bool, provider: bool) -> Proposal | None:
    """The dependency-parse proposer's candidate (:mod:`._intent_parse`), under the same rules."""
    found = parse_detail(text)
    if found is None:
        return None
    intent, kind, name, start, end, named = found
    if tech and not provider and not (named and name in ("parse_leave", "parse_stay")):
        return None  # a technical sentence, unless the verb's own object is a service
    if _asks_you(text, start, end) or ASKED.search(text[max(0, start - 30) : start]):
        return None
    clause = _clause_before(text, start)
    around = clause + text[start:end] + CLAUSE.split(text[end : end + 60])[0]
    if PAST_CF.search(around) or THREAT.search(clause):
        return None  # (no PERSONAL check: the object is a service, "my husband" is a reporter)
    if intent == "warn_others" and CHANNEL_ADVICE.search(re.split(r"[.!?]", text[end:])[0]):
        return None  # "I tell my mates to avoid the new app, just ring up"
    if vetoed(text, start, end, intent, name, False):
        return None
    flags = _flags(text, clause, {name}, False, False)
    flags["parse_agrees"] = 1.0
    return Proposal(intent, kind, name, start, end, False, flags)


def propose_intent(text: str, *, parse: bool = True) -> Proposal | None:
    """The candidate intent of ``text`` from cues and rules (``None``: no candidate).

    The last cue in the text wins ("I nearly left, but I'm staying" is ``stay``). When
    no cue fires and ``parse`` is true, the dependency-parse proposer
    (:func:`._intent_parse.parse_proposal`: a relationship verb, the speaker or a
    reported person as its subject, a service as its object) may give one.

    Examples
    --------
    >>> propose_intent("I wouldn't leave them over that.").intent
    'stay'
    >>> propose_intent("Then we switch to Spark for the big jobs.") is None
    True
    """
    text = (text or "").replace("’", "'").replace("‘", "'")
    if not text.strip():
        return None
    tech = bool(TECH.search(text))
    provider = bool(PROVIDER.search(text))
    strong = bool(PROVIDER_STRONG.search(text))
    hits = []
    for intent, cues in COMPILED.items():
        for name, pat in cues:
            for m in pat.finditer(text):
                if name in NEEDS_CONTEXT and tech and not provider:
                    continue
                if name in NEEDS_PROVIDER and not strong:
                    continue
                before = text[max(0, m.start() - 30) : m.start()]
                word = m.group(0).split()[0].lower()
                if (
                    name in ("cancel", "recommend", "recommend_it")
                    and word.endswith("ed")
                    and PASSIVE.search(before)
                ):
                    continue  # "the appointment had been cancelled" (not "I'd be cancelling")
                if _asks_you(text, m.start(), m.end()):
                    continue  # "Did you ever think about leaving them?"
                if name not in ("must", "tell_avoid") and ASKED.search(before):
                    continue  # "would you recommend", "would you unsubscribe"
                if name == "cancel" and re.search(
                    r"(?:without|plans?|appointment|meeting|order)\s+$", before, re.I
                ):
                    continue
                if name == "leave_them" and re.search(
                    r"\b(?:should|could|can|let's|we)\s+$", before, re.I
                ):
                    continue  # "we should leave Japanese constructions out"
                if name == "to_leave" and re.search(r"threat\w*\s+$", before, re.I):
                    continue
                if intent == "stay" and any(
                    a.start() <= m.start() and not re.search(r"[.!?]", text[a.end() : m.start()])
                    for a in ADVICE.finditer(text)
                ):
                    continue  # "Reward the people who've stuck with them."
                if intent == "warn_others" and CHANNEL_ADVICE.search(
                    re.split(r"[.!?]", text[m.end() :])[0]
                ):
                    continue  # "I tell everyone, don't bother with the app, just ring them."
                if intent in ("leave", "stay") and THREAT.search(_clause_before(text, m.start())):
                    continue  # "don't make us threaten to leave", "pretend you're leaving"
                if not strong and any(
                    i.end() >= m.start() and i.start() <= m.start()
                    for i in IMPERATIVE.finditer(text[: m.start() + 8])
                ):
                    continue  # "Leave ASAP.", "Stay strong!": advice, not one's own intent
                if intent == "leave" and PERSONAL.search(_clause_around(text, m.start(), m.end())):
                    continue  # "leave Mr Case's employment", "leave the marriage"
                if (
                    name == "i_stay"
                    and not provider
                    and not text[m.end() :].strip(" .!?,")
                    and re.search(r"\b(?:wish|could|can|need|have\s+to|let)\b", m.group(0), re.I)
                ):
                    continue  # "I wish I could stay.": stay where, with whom?
                if name == "be_with" and re.search(r"(?:'d|\bhad)\s+$", before):
                    continue  # "I left them, and I'd been with them since 2008": background
                if intent == "stay" and re.search(r"\btold\s+(?:me|us)\s+to\s+$", before, re.I):
                    continue  # "they told me to stay put while they checked"
                if name == "i_stay" and (
                    re.search(r"(?:^|[.!?]\s*)should\s+$", before, re.I)
                    or (
                        not provider
                        and re.fullmatch(r"(?:I|we)\s+stay", m.group(0), re.I)
                        and not re.sub(r"\{\w+\}|[\s.!?,]", "", text[m.end() :])
                    )
                ):
                    continue  # "Should I stay on this tariff...?", a bare "I stay {disfmarker}"
                if re.search(r"\b(?:rather\s+than|instead\s+of)\s+(?:\w+\s+)?$", before, re.I):
                    continue  # "upgraded with them rather than shopping around": not done
                hits.append((m.start(), m.end(), intent, name))
    if len({h[3] for h in hits}) > 1:
        # another person's standing with the provider is background to what the speaker
        # reports of them: "My brother put me onto them, he's been with them years."
        bg = re.compile(r"\b(?:he|she|they)(?:'s|\s+has|'ve|\s+have)\s+$", re.I)
        hits = [h for h in hits if h[3] != "be_with" or not bg.search(text[: h[0]])]
    if not hits:
        return _parsed(text, tech, provider) if parse else None
    names = {h[3] for h in hits}
    # more specific cues win over the general ones they overlap
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    start, end, intent, name = max(hits, key=lambda h: h[0] + (h[1] - h[0]) * 0.5)
    for h in hits:  # a specific cue overlapping the chosen one wins
        if h[3] in PRIORITY and h[0] < end and start < h[1] and name not in PRIORITY:
            start, end, intent, name = h
    clause = _clause_before(text, start)
    negated = False
    label = intent
    near = re.split(r",", clause)[-1]
    inside = (name in NEG_INSIDE and NEG.search(text[start:end])) or (
        name == "i_left" and NEVER_LEFT.search(text[start:end])
    )
    if name not in SELF_NEGATED and (NEG_NEAR.search(near) or inside):
        negated = True
        label = FLIP[intent]
    if name == "dont_recommend":
        negated = True
    if label == "none" or vetoed(text, start, end, label, name, negated):
        return None
    if label == "leave" and not negated and told_to_leave(text, start):
        label = "warn_others"  # "I told my neighbour to cancel hers too"
    around = clause + text[start:end] + CLAUSE.split(text[end : end + 60])[0]
    past_cf = bool(PAST_CF.search(around))
    if past_cf and not COND.search(text) and name != "mad_to_leave":
        return None  # "I wouldn't have left them over the price alone"
    kind = _kind(text, start, end, label, name)
    flags = _flags(text, clause, names, negated, past_cf)
    if parse:
        # the relation (a person, a relationship verb, a service or "it" naming one) read
        # from the parse says the same intent: evidence the cue's words alone do not give
        found = parse_detail(text)
        flags["parse_agrees"] = float(found is not None and found[0] == label)
        obj = cue_object(text, start, end)  # "cancelled the meeting": no service as object
        flags["object_service"] = float(obj == "service")
        flags["object_other"] = float(obj == "other")
    return Proposal(label, kind, name, start, end, negated, flags)


def proposal_features(p: Proposal) -> np.ndarray:
    """The verifier's feature vector of a proposal (order :data:`INTENT_FEATURES`)."""
    x = dict(p.flags)
    x["bias"] = 1.0
    x[f"intent_{p.intent}"] = 1.0
    x[f"kind_{p.kind}"] = 1.0
    return np.array([x.get(f, 0.0) for f in INTENT_FEATURES], dtype=np.float64)


class IntentVerifier:
    """Logistic regression: probability that a proposed intent is right.

    Two weight sets: ``features`` (cue features only, used without an embedder) and
    ``embedding`` (cue features + the sentence embedding, used with one whose name
    matches ``embedder``).
    """

    def __init__(self, weights: dict[str, Any]):
        self.weights = weights

    @classmethod
    def load(cls, path: str | Path = MODEL_PATH) -> IntentVerifier:
        """Read the shipped weights."""
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def uses_embedding(self, embedder: Any) -> bool:
        """Whether the embedding weights fit ``embedder`` (same model name and dimension)."""
        w = self.weights.get("embedding")
        if not w or embedder is None or embedder is False:
            return False
        return str(getattr(embedder, "name", "")) == w.get("embedder") and int(
            getattr(embedder, "dimension", 0)
        ) == len(w["coef_embedding"])

    def _coef(self, w: dict[str, Any]) -> np.ndarray:
        order = self.weights.get("features_order", INTENT_FEATURES)
        by = dict(zip(order, w["coef"], strict=True))
        return np.array([by.get(f, 0.0) for f in INTENT_FEATURES], dtype=np.float64)

    def predict(self, X: np.ndarray, E: np.ndarray | None = None) -> np.ndarray:
        """Calibrated probabilities for feature rows ``X`` (and embedding rows ``E``).

        The logistic regression's score ``z`` goes through the weight set's Platt
        calibration ``(a, b)`` when it has one: ``p = 1 / (1 + exp(-(a z + b)))``.
        """
        w = self.weights["embedding" if E is not None else "features"]
        z = X @ self._coef(w) + w["intercept"]
        if E is not None:
            z = z + E @ np.asarray(w["coef_embedding"])
        a, b = w.get("calibration", (1.0, 0.0))
        return 1.0 / (1.0 + np.exp(-(a * z + b)))


@lru_cache(maxsize=1)
def default_verifier() -> IntentVerifier | None:
    """The shipped verifier (``None`` when its file is missing)."""
    return IntentVerifier.load() if MODEL_PATH.exists() else None


def detect_intent(
    texts: Sequence[str],
    *,
    embedder: Any = None,
    verifier: IntentVerifier | None | bool = None,
    threshold: float = THRESHOLD,
    context: Sequence[Sequence[str]] | None = None,
    provider: Sequence[str] = (),
):
    """The intent the speaker of each text expresses about a provider, product or brand.

    Parameters
    ----------
    texts : sequence of str
        One text (a segment, a sentence) per item.
    embedder : Embedder, optional
        Adds the sentence embedding to the verifier. Default:
        :func:`insights.embed.get_embedder`; ``False``: cue features only.
    verifier : IntentVerifier, optional
        Default: the shipped one. ``False``: no verification (the rules' proposal is
        kept, with confidence 0.5).
    threshold : float
        Proposals with a lower verified probability become ``none``.
    context : sequence of sequences of str, optional
        Per text, the texts before it in its transcript (interviewer's questions too;
        :func:`intent_context`), read for whose provider the intent is about.
    provider : sequence of str
        The study's own provider names (:attr:`insights.study.StudyConfig.provider_names`).

    Returns
    -------
    DataFrame
        One row per text: ``intent`` (stay, leave, recommend, warn_others, none),
        ``kind`` (done, intended, conditional, reported; ``""`` for none) and
        ``confidence`` (the verifier's calibrated probability, 0 for none) and
        ``target`` (``study``: about the study's provider; ``other``: about another one,
        such as a previous provider or the one they moved to; ``""`` for none; see
        :func:`intent_target`).

    Examples
    --------
    >>> out = detect_intent(["I'm cancelling on Monday.", "I wouldn't leave them.",
    ...                      "The app is fine."], embedder=False)
    >>> out[["intent", "kind"]].values.tolist()
    [['leave', 'intended'], ['stay', 'intended'], ['none', '']]
    """
    import pandas as pd

    texts = ["" if t is None or (isinstance(t, float) and np.isnan(t)) else str(t) for t in texts]
    props = [propose_intent(t) for t in texts]
    todo = [i for i, p in enumerate(props) if p is not None]
    intent = ["none"] * len(texts)
    kind = [""] * len(texts)
    conf = [0.0] * len(texts)
    if todo:
        ver = default_verifier() if verifier is None else (verifier or None)
        if ver is None:
            probs = np.full(len(todo), 0.5)
        else:
            X = np.vstack([proposal_features(props[i]) for i in todo])
            if embedder is None:
                from insights.embed import get_embedder

                embedder = get_embedder()
            E = None
            if ver.uses_embedding(embedder):
                E = np.asarray(embedder.encode([texts[i] for i in todo]), dtype=np.float64)
            probs = ver.predict(X, E)
        for i, pr in zip(todo, probs, strict=True):
            if pr >= threshold:
                intent[i], kind[i] = props[i].intent, props[i].kind
                conf[i] = round(float(pr), 3)
    target = [
        intent_target(
            texts[i],
            intent[i],
            context=context[i] if context is not None else (),
            provider=provider,
        )
        for i in range(len(texts))
    ]
    return pd.DataFrame({"intent": intent, "kind": kind, "confidence": conf, "target": target})


def segment_intents(
    segments,
    ids: Sequence[str] | None = None,
    *,
    embedder: Any = None,
    verifier: IntentVerifier | None | bool = None,
    provider: Sequence[str] = (),
):
    """The intents table of a study's segments: each read with its transcript's context.

    The one place a run's intents come from: ``insights run`` writes it as
    ``intents.csv`` and gives it to :func:`~insights.triggers.find_triggers`, whose
    ``intent`` column is this table's at :data:`insights.schema.INTENT_FLOOR`.

    Parameters
    ----------
    segments : DataFrame
        A segments table in reading order (``segment_id``, ``text``; ``transcript_id``
        when present): the context of each segment (:func:`intent_context`) is read from it.
    ids : sequence of str, optional
        The segments whose intent is wanted (default: every row of ``segments``).
    embedder, verifier
        As for :func:`detect_intent`.
    provider : sequence of str
        The study's own provider names (:attr:`insights.study.StudyConfig.provider_names`).

    Returns
    -------
    DataFrame
        ``segment_id, intent, kind, confidence, target``, one row per id, in order.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"segment_id": ["a", "b"], "transcript_id": "t",
    ...                     "text": ["Our old provider was dreadful.",
    ...                              "I tell everyone to avoid them."]})
    >>> segment_intents(seg, embedder=False, provider=("Kestrel",))[
    ...     ["segment_id", "intent", "target"]].values.tolist()
    [['a', 'none', ''], ['b', 'warn_others', 'other']]
    """
    import pandas as pd

    from ..schema import segment_ids

    all_ids = segment_ids(segments).tolist()
    ids = all_ids if ids is None else [str(i) for i in ids]
    text = dict(zip(all_ids, segments["text"].tolist(), strict=True))
    found = detect_intent(
        [text.get(i) for i in ids],
        embedder=embedder,
        verifier=verifier,
        context=intent_context(segments.assign(segment_id=all_ids), ids),
        provider=provider,
    )
    return pd.concat([pd.DataFrame({"segment_id": ids}), found], axis=1)
