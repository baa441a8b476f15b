"""Tidy summary tables: prevalence, crosstabs, waves, journeys, drivers, needs, agreement.

Every function takes the run's tables (segments, and a long table of labels per
segment: codes, theme assignments, emotions, triggers) and returns a new tidy
DataFrame. Counts are of *people*: a person counts once for a label however many
of their segments carry it (:func:`insights.schema.person_key`: the
``participant_id``, else ``<transcript_id>:<speaker>``). Every count carries
``evidence``: the segment ids behind it, so that a report can link each number to
its quotes.

Examples
--------
>>> import pandas as pd
>>> segs = pd.DataFrame({"segment_id": ["a", "b", "c"], "participant_id": ["P1", "P1", "P2"],
...                      "transcript_id": ["t1", "t1", "t2"], "role": "participant",
...                      "wave": [1, 1, 2]})
>>> labels = pd.DataFrame({"segment_id": ["a", "b", "c"], "label": ["Price", "Price", "Speed"]})
>>> prevalence(labels, segs)[["label", "participants", "base", "segments"]].values.tolist()
[['Price', 1, 2, 2], ['Speed', 1, 2, 1]]
"""

from __future__ import annotations

from insights.schema import person_key

from ._agreement import (
    ALL_CODES,
    DEFAULT_GATE,
    agreement,
    code_gate,
    cohen_kappa,
    krippendorff_alpha,
)
from ._drivers import (
    DIRECTION_STANCE,
    DRIVER_FDR,
    STANCE_WORDS,
    driver_label,
    drivers,
    fisher_greater,
    is_outcome_talk,
    stance,
)
from ._events import event_stance, told_stances
from ._intents import (
    OTHER_TARGETS,
    OWN_INTENT_KINDS,
    counted_intents,
    intent_people,
    uncounted_intents,
)
from ._journey import journey, root_code, stage_valence
from ._needs import (
    DELIGHT,
    NEEDS_FDR,
    NEEDS_MIN_PEOPLE,
    NEEDS_MIN_STATED,
    baseline_delight,
    expectation_cue,
)
from ._people import (
    BASE_COLUMNS,
    applied_codes,
    attribute_columns,
    co_occurrence,
    code_labels,
    code_participant_matrix,
    crosstab,
    emotion_labels,
    n_approval,
    participant_segments,
    person_label,
    position,
    prevalence,
    quote_table,
    suggested_codes,
    theme_labels,
    theme_prevalence,
    trigger_labels,
)
from ._stance import (
    STANCE_MIN_VALENCE,
    segment_stances,
    stance_phrase,
    theme_members,
    theme_stance,
    told_events,
)
from ._study import overview, participants_table, transcripts_table, word_count, words_by_attribute
from ._topics import stated_topics
from ._waves import benjamini_hochberg, compare_waves, fisher_exact, wave_order

__all__ = [
    "ALL_CODES",
    "BASE_COLUMNS",
    "DEFAULT_GATE",
    "DELIGHT",
    "DIRECTION_STANCE",
    "DRIVER_FDR",
    "NEEDS_MIN_PEOPLE",
    "NEEDS_MIN_STATED",
    "NEEDS_FDR",
    "OTHER_TARGETS",
    "OWN_INTENT_KINDS",
    "counted_intents",
    "intent_people",
    "is_outcome_talk",
    "driver_label",
    "STANCE_WORDS",
    "uncounted_intents",
    "agreement",
    "attribute_columns",
    "baseline_delight",
    "expectation_cue",
    "benjamini_hochberg",
    "co_occurrence",
    "code_gate",
    "code_labels",
    "applied_codes",
    "suggested_codes",
    "code_participant_matrix",
    "cohen_kappa",
    "compare_waves",
    "crosstab",
    "drivers",
    "emotion_labels",
    "n_approval",
    "fisher_exact",
    "fisher_greater",
    "journey",
    "krippendorff_alpha",
    "overview",
    "participant_segments",
    "participants_table",
    "person_key",
    "person_label",
    "position",
    "prevalence",
    "quote_table",
    "root_code",
    "stage_valence",
    "stance",
    "STANCE_MIN_VALENCE",
    "segment_stances",
    "theme_members",
    "event_stance",
    "told_stances",
    "told_events",
    "stance_phrase",
    "stated_topics",
    "theme_stance",
    "theme_labels",
    "theme_prevalence",
    "transcripts_table",
    "trigger_labels",
    "wave_order",
    "word_count",
    "words_by_attribute",
]
