r"""Codebooks, and coding segments with them (deductive coding).

A codebook is a list of codes. Each code has a ``name``, a one-line
``definition``, an optional ``parent``, ``include`` / ``exclude`` notes,
``keywords`` and ``patterns`` for rule coding, example quotes and a ``color``::

    name: Broadband study codebook
    threshold: 0.5            # optional: minimum confidence of a semantic coding
    codes:
      - name: Price
        definition: Talk about what the service costs or whether it is worth it.
        keywords: [price, expensive, cheap, bill, "cost*"]
        patterns: ["too ... much", "/£\d+/"]
        include: [price rises, discounts]
        exclude: [billing errors (code those as Billing)]
        examples: ["It's just too expensive for what you get."]
        color: "#E15759"

Two coders run over the segments and agree on one ``codes`` table:

- **rule**: spaCy ``Matcher`` patterns on lower-cased lemmas built from
  ``keywords`` (a trailing ``*`` is a prefix wildcard) and ``patterns`` (a string
  of tokens where ``*`` is any one token and ``...`` a gap of up to three tokens;
  ``/regex/`` on the raw text; or a raw spaCy token-pattern list). A match with a
  negation (``not``, ``no``, ``never``, ``n't``, ``without`` …) in the three tokens
  before it, within the clause, does not count.
- **semantic**: cosine similarity of the segment's embedding to the code's
  definition and examples; a logistic calibration turns (similarity, margin over
  the best other code, rule hit) into ``confidence`` — the estimated probability
  that a human would apply the code. The default calibration was fitted on the
  SemEval-2016 restaurant dev data; :func:`calibrate` refits it on your own human
  codes.
- **no code**: a model coding also needs absolute evidence (:func:`absolute_gate`): the
  segment close to some code and to this one, so a codebook that does not fit a study
  codes (almost) nothing in it. How close is close enough is read from the study itself
  (:func:`gate_floors`): the better the codebook fits the study's segments as a whole
  (:func:`study_fit`), the lower the floors.

Human decisions are ``coder=human`` rows (``confidence`` 1 = accepted, 0 =
rejected) kept in their own table; :func:`code_segments` applies them last, so
they win over the model on every re-run. They also teach the coder: each code gets a
logistic head over the segment embeddings that starts from the zero-shot confidence and
moves as far as the decisions carry it, in proportion to how many segments teach it.

Examples
--------
>>> import pandas as pd
>>> from insights.codebook import Codebook, Code, code_segments
>>> book = Codebook(codes=[Code(name="Price", definition="what it costs",
...                            keywords=["expensive", "price"])])
>>> segs = pd.DataFrame({"segment_id": ["s1", "s2"],
...                      "text": ["It is far too expensive.", "It isn't expensive."]})
>>> code_segments(segs, book, methods=("rule",))[["segment_id", "code", "method"]]
  segment_id   code method
0         s1  Price   rule
"""

from __future__ import annotations

from ._code import DEFAULT_CALIBRATION, HUMAN_CODER, MODEL_CODER, Calibration, Code
from ._coding import code_segments
from ._decisions import apply_decisions, decide, merge_decisions, review_queue, review_table
from ._gate import APPLIED, REVIEWED, SUGGESTED, gate_pairs, with_status
from ._model import Codebook, load_codebook
from ._qdc import codes_from_project, merge_codes
from ._review import KEYS, ReviewSession, ReviewWidget, save_decisions
from ._rules import rule_code
from ._semantic import (
    ANY_CODE_FLOOR,
    CLOSENESS_FLOOR,
    FIT_HIGH,
    FIT_LOW,
    FITTED_FLOOR,
    RULE_FLOOR,
    absolute_gate,
    calibrate,
    closeness_floor,
    confidences,
    embedded_texts,
    gate_floors,
    semantic_scores,
    study_features,
    study_fit,
)
from ._study import StudyModel
from ._words import word_scores

__all__ = [
    "Code",
    "Codebook",
    "Calibration",
    "DEFAULT_CALIBRATION",
    "MODEL_CODER",
    "HUMAN_CODER",
    "merge_decisions",
    "codes_from_project",
    "merge_codes",
    "load_codebook",
    "code_segments",
    "rule_code",
    "semantic_scores",
    "calibrate",
    "confidences",
    "embedded_texts",
    "apply_decisions",
    "decide",
    "review_table",
    "review_queue",
    "ReviewSession",
    "ReviewWidget",
    "save_decisions",
    "KEYS",
    "StudyModel",
    "gate_pairs",
    "with_status",
    "APPLIED",
    "SUGGESTED",
    "REVIEWED",
    "study_features",
    "word_scores",
    "CLOSENESS_FLOOR",
    "closeness_floor",
    "absolute_gate",
    "ANY_CODE_FLOOR",
    "RULE_FLOOR",
    "FIT_LOW",
    "FIT_HIGH",
    "FITTED_FLOOR",
    "study_fit",
    "gate_floors",
]
