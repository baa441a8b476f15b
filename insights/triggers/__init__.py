"""Emotional triggers: the cause of each emotion and the intent it expresses.

Plain functions over DataFrames joined on ``segment_id``:

* :func:`find_triggers` — for every emotional segment, the **cause**: the span of
  text that triggered the emotion, in the same segment ("I was furious *because the
  engineer never showed up*"), a neighbouring sentence of the same turn, or an
  earlier turn (the interviewer's question, another focus-group member, the
  speaker's own earlier words); plus the theme or code of the cause and the
  **intent** of the segment: its row of the intents table at
  :data:`~insights.schema.INTENT_FLOOR` (:func:`segment_intents`).
* :func:`segment_intents` — the intents table of a study's segments, each read with
  the segments before it in its transcript (whose provider it is about): computed once
  per run, written as ``intents.csv`` and given to :func:`find_triggers`.
* :func:`detect_intent` — whether the *speaker* says they will stay with, leave,
  recommend or warn others about a provider, product or brand, with its ``kind``
  (``done``, ``intended``, ``conditional``, ``reported`` for someone else's) and a
  verified ``confidence``: cues propose, rules drop technical and other uses
  ("recommender system", "switch to Spark", "the appointment was cancelled") and
  handle negation, and a small logistic regression (``insights/models/intent``)
  checks the proposal.

How a cause is found
--------------------
Candidates are spans of the emotional segment and of the segments before it in the
same transcript (up to ``context_turns`` turns back) and of the later sentences of
its own turn (of a long turn, the 12 rows on either side; of a long earlier turn, its
last 12: ``CONTEXT_ROWS``): whole segments, sentences, clauses (cut at commas, semicolons and
connectives such as *but*, *so*, *and then*) and the complement of a causal or
temporal connective (*because*, *since*, *when*, *after*, *the fact that*, *made
me*, *thanks to*…), found with the dependency parse when spaCy is given, else with
patterns. Each candidate gets features (turn distance, same speaker, kind of span,
position, question, length, connective, how emotional it is by itself, semantic
similarity to the emotional segment, and the log-odds of a small model that reads
the segment and the one before it and tells whether the segment carries its own
cause or answers what came before) and a score from a linear ranker whose
weights ship in ``insights/models/triggers/cause_ranker.json`` (fit on the RECCON
dev conversations; figures by conversation-grouped cross-validation in
``benchmarks/results/emotions_eval.json``). The best candidate is the cause; a
second one from another segment is kept when its score is close.

``cause_start`` / ``cause_end`` are character offsets of the cause span within the
**text of the cause segment** (``cause_segment_id``), end exclusive, so
``text[cause_start:cause_end] == cause_text``.

Whether the cause lies in the segment's own turn or an earlier one ("How was the
install?" → "Awful.") is also decided apart: :class:`WhereModel` reads cheap cues (a
short or elliptic reply with no content word, an answer to a question, anaphora, a
turn before by another speaker, the own-cause log-odds) of a segment that opens its
turn; its log-odds may raise the earlier candidates' scores, and when it is sure only
the earlier turn competes, so ``cause_segment_id`` is the earlier segment. A whole-segment
fallback may make the segment itself the cause when the best candidate of its own turn
barely beats it. The shipped settings (chosen on RECCON's tune half and the own excerpts'
calib half) use neither: only the rule that a reply with no word that could name a cause
answers the turn before moves the cause (``threshold`` 1, ``weight`` 0, no fallback).
A sentence that says a feeling and names nothing else (function words, fillers and
words of feeling only, :func:`bare_feeling`: "I was livid.") is not its own cause
when other sentences of its turn can be ("Nobody came and nobody called."), and when
it opens its turn after another speaker (fillers such as "Yeah." before it count for
nothing) it answers that speaker. Words of agreement or sympathy ("Same here", "I can't
believe it"), feelings said in idioms ("it drove me up the wall") and the adjectives a
parse finds (:func:`judged_words`: "That's diabolical.") name nothing either.

Modules: ``_candidates`` (the candidate spans), ``_own_cause`` (the own-cause
model), ``_where`` (the where decision), ``_ranker`` (the candidates' features and
the ranker), ``_intent`` (:func:`detect_intent`, its cues, rules and verifier) and
``_find`` (:func:`find_triggers`).

Examples
--------
>>> import pandas as pd
>>> seg = pd.DataFrame({"segment_id": ["t1", "t2"], "turn": [1, 2],
...                     "speaker": ["Interviewer", "Ann"],
...                     "role": ["interviewer", "participant"],
...                     "text": ["How was the installation?",
...                              "I was furious because the engineer never showed up."],
...                     "emotion": ["neutral", "anger"]})
>>> ranker = CauseRanker({"kind_causal": 3.0, "d0": 1.0})
>>> out = find_triggers(seg, model=False, embedder=False, nlp=False, ranker=ranker)
>>> row = out.iloc[0]
>>> row["cause_segment_id"], row["cause_text"]
('t2', 'the engineer never showed up')
>>> seg.set_index("segment_id").loc[row["cause_segment_id"], "text"][
...     row["cause_start"] : row["cause_end"]] == row["cause_text"]
True
>>> detect_intent(["I wouldn't recommend them."], embedder=False)["intent"].tolist()
['warn_others']
"""

from insights.triggers._candidates import Candidate, cause_candidates
from insights.triggers._find import find_triggers, label_causes
from insights.triggers._intent import (
    INTENT_FEATURES,
    INTENTS,
    KINDS,
    IntentVerifier,
    Proposal,
    detect_intent,
    proposal_features,
    propose_intent,
    segment_intents,
)
from insights.triggers._intent_target import intent_context, intent_target
from insights.triggers._own_cause import (
    OWN_GROUPS,
    OwnCauseModel,
    own_cause_features,
    own_cause_rows,
    previous_rows,
)
from insights.triggers._ranker import (
    FEATURES,
    CauseRanker,
    candidate_features,
    featurize,
    set_own_logit,
)
from insights.triggers._where import (
    WHERE_FEATURES,
    WhereModel,
    bare_feeling,
    judged_words,
    names_nothing,
    previous_turn_rows,
    where_features,
    where_probabilities,
)

__all__ = [
    "find_triggers",
    "label_causes",
    "detect_intent",
    "segment_intents",
    "intent_target",
    "intent_context",
    "cause_candidates",
    "featurize",
    "candidate_features",
    "Candidate",
    "CauseRanker",
    "OwnCauseModel",
    "FEATURES",
    # used by training/train_cause_ranker.py, benchmarks/emotions_eval.py and the tests
    "OWN_GROUPS",
    "INTENTS",
    "KINDS",
    "INTENT_FEATURES",
    "IntentVerifier",
    "Proposal",
    "propose_intent",
    "proposal_features",
    "set_own_logit",
    "previous_rows",
    "own_cause_features",
    "own_cause_rows",
    "WhereModel",
    "WHERE_FEATURES",
    "where_features",
    "where_probabilities",
    "previous_turn_rows",
    "names_nothing",
    "judged_words",
    "bare_feeling",
]
