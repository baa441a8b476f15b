"""Column names of every table, the shared rules about rows, and table validation.

Every stage of ``insights`` takes a pandas DataFrame and returns a new one; the
column names live here so that readers, analyses and renderers agree on them.
Tables join on ``segment_id``. The rules every stage shares live here too: which
rows are analysed (:data:`ANALYSED_ROLES`, :func:`analysed_rows`, and by language
:func:`language_exclusions`), the id of a row in a table without ids
(:func:`segment_ids`) and who a person is (:func:`person_key`,
:func:`speaker_person_id`), and which characters of a segment are words the models read
(:func:`spoken_words`).

The error tree lives in :mod:`insights.errors`; its classes are re-exported here.

Examples
--------
>>> import pandas as pd
>>> seg = pd.DataFrame({"text": ["Hi.", "Fine."], "role": ["interviewer", "participant"]})
>>> segment_ids(seg).tolist()
['0', '1']
>>> analysed_rows(seg)["text"].tolist()
['Fine.']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from insights.errors import (
    ConfigError,
    InputError,
    InsightsError,
    ModelError,
    OutputError,
    SchemaError,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "InsightsError",
    "InputError",
    "ConfigError",
    "SchemaError",
    "ModelError",
    "OutputError",
    "TURN_COLUMNS",
    "SEGMENT_COLUMNS",
    "SKIPPED_COLUMNS",
    "CODE_COLUMNS",
    "THEME_COLUMNS",
    "THEME_EXTRA_COLUMNS",
    "THEME_UNSTABLE_BELOW",
    "NOT_A_THEME",
    "MIXED_TALK",
    "STANCES",
    "THEME_STANCE_COLUMNS",
    "THEME_SIDES_COLUMNS",
    "ASSIGNMENT_COLUMNS",
    "EMOTION_BASE_COLUMNS",
    "TRIGGER_COLUMNS",
    "EMOTION_LABELS",
    "EMOTION_COLUMNS",
    "EMOTION_FLOOR",
    "DRIVER_COLUMNS",
    "NEEDS_COLUMNS",
    "AGREEMENT_COLUMNS",
    "ROLES",
    "ANALYSED_ROLES",
    "SESSION_TYPES",
    "CODE_METHODS",
    "INTENTS",
    "INTENT_FLOOR",
    "analysed_rows",
    "language_exclusions",
    "segment_ids",
    "person_key",
    "speaker_person_id",
    "spoken_words",
    "TRANSCRIBER_MARKER",
    "OUTCOME_VALUES",
    "outcome_column",
    "person_outcomes",
    "require_columns",
    "empty_table",
]


# --------------------------------------------------------------------------- tables

#: turns: one row per speaker turn as read from a source file.
TURN_COLUMNS: tuple[str, ...] = (
    "transcript_id",
    "source",
    "turn",
    "speaker",
    "start_s",
    "end_s",
    "text",
)

#: segments: one row per utterance or sentence; the table every analysis reads.
SEGMENT_COLUMNS: tuple[str, ...] = (
    "segment_id",
    "transcript_id",
    "source",
    "session_type",
    "wave",
    "turn",
    "speaker",
    "role",
    "participant_id",
    "start_s",
    "end_s",
    "char_start",
    "char_end",
    "text",
    "language",
)

#: skipped: source text that is not in any segment, with the reason.
SKIPPED_COLUMNS: tuple[str, ...] = ("transcript_id", "source", "where", "reason", "text")

CODE_COLUMNS: tuple[str, ...] = ("segment_id", "code", "confidence", "method", "coder")
THEME_COLUMNS: tuple[str, ...] = ("theme_id", "label", "keywords", "size", "prevalence", "quotes")
#: more columns of a fitted themes table: ``participants`` (people with a segment in the
#: theme), ``quote_texts``, ``talk_share`` (mean share of a person's talk in the theme),
#: ``dwellers`` (people with 2+ segments in it, above their own average per theme),
#: ``stability`` (mean best-match Jaccard over refits, 0-1) and ``codebook_code``
#: (the codebook code that names the theme; "" for a theme the codebook missed)
#: a theme whose stability (mean best-match Jaccard over refits) is below this is unstable
THEME_UNSTABLE_BELOW = 0.5
#: exclusion reasons of participant segments that are talk but not about anything: the
#: "not a theme" group (filler: "generic"; talk about the interview itself: "meta")
NOT_A_THEME = ("generic", "meta")
#: the start of the label of a theme that no keyword names ("Mixed talk: asked, thought,
#: laughed"): talk with no single topic, ranked last in the report's summary
MIXED_TALK = "Mixed talk"
THEME_EXTRA_COLUMNS: tuple[str, ...] = (
    "participants",
    "quote_texts",
    "talk_share",
    "dwellers",
    "stability",
    "codebook_code",
)
ASSIGNMENT_COLUMNS: tuple[str, ...] = ("segment_id", "theme_id", "probability")
EMOTION_BASE_COLUMNS: tuple[str, ...] = ("segment_id", "emotions", "ekman", "valence", "intensity")
TRIGGER_COLUMNS: tuple[str, ...] = (
    "segment_id",
    "emotion",
    "cause_segment_id",
    "cause_start",
    "cause_end",
    "cause_text",
    "theme",
    "intent",
    "confidence",
)
#: the columns after :data:`TRIGGER_COLUMNS` in ``triggers.csv``: the emotional segment's
#: intent kind and confidence, its row of ``intents.csv`` at :data:`INTENT_FLOOR`
#: (``intent`` too; below the floor ``none``, ``""`` and 0). ``confidence`` is the cause's.
TRIGGER_INTENT_COLUMNS: tuple[str, ...] = ("intent_kind", "intent_confidence")

#: the 28 GoEmotions labels, in the order of GoEmotions' ``labels.txt``.
EMOTION_LABELS: tuple[str, ...] = (
    "admiration", "amusement", "anger", "annoyance", "approval", "caring", "confusion",
    "curiosity", "desire", "disappointment", "disapproval", "disgust", "embarrassment",
    "excitement", "fear", "gratitude", "grief", "joy", "love", "nervousness", "optimism",
    "pride", "realization", "relief", "remorse", "sadness", "surprise", "neutral",
)  # fmt: skip

#: columns of the emotions table, in order.
EMOTION_COLUMNS: tuple[str, ...] = (
    *EMOTION_BASE_COLUMNS,
    *(f"p_{lab}" for lab in EMOTION_LABELS),
    "note",
)

#: drivers: one row per (direction, grouping, driver) tested for pushing people to leave or
#: stay: a theme or code with a stance (the valence of the triggers' emotion), the people
#: who name it and show the intent, the one-sided Fisher p-value, its Benjamini-Hochberg
#: q-value and whether it is supported (:func:`insights.summarize.drivers`); ``what``: what
#: went wrong (or right), in the words of its trigger spans
#: (:func:`insights.summarize.stance_phrase`); ``driver`` is the theme, ``label`` the
#: driver named by theme and stance (:func:`insights.summarize.driver_label`).
DRIVER_COLUMNS: tuple[str, ...] = (
    "direction", "group", "driver", "label", "n_participants", "n_with_intent", "rate",
    "base_rate", "lift", "score", "n_triggers", "n_chains", "top_emotion", "quotes", "quote_text",
    "stance", "p_value", "q_value", "supported", "people", "what",
)  # fmt: skip

#: needs: one row per theme, baseline (noticed when missed) or delight, with the evidence
#: (``n_people*``: distinct people; the other counts are of segments); ``going_wrong`` and
#: ``going_right``: the theme's stance, what its negative and positive segments say
#: (:func:`insights.summarize.stance_phrase`); ``stated``: the need its people say in words
#: (:func:`insights.summarize.expectation_cue`: "you only notice it when it goes wrong"),
#: by ``n_people_stated`` people, one segment each in ``stated_quotes``.
NEEDS_COLUMNS: tuple[str, ...] = (
    "theme", "kind", "n_segments", "n_emotional", "n_negative", "n_positive", "n_delight",
    "negative_share", "delight_share", "negative_quotes", "delight_quotes",
    "negative_text", "delight_text", "n_people", "n_people_negative", "n_people_delight",
    "going_wrong", "going_right", "stated", "n_people_stated", "stated_quotes", "topic",
)  # fmt: skip

#: a segment's stance inside its theme: going wrong, going right, or neither (neutral,
#: ambiguous or weak emotion) (:func:`insights.summarize.segment_stances`)
STANCES: tuple[str, ...] = ("negative", "positive", "neutral")
#: theme_stance: one row per (theme, stance): the theme's scored segments of that stance
#: (``n_segments``; ``n_people`` behind them; ``share`` of the theme's scored segments),
#: what they say went wrong or right (``what``, :func:`insights.summarize.stance_phrase`)
#: and every segment id behind the count, most intense first (``quotes``)
#: (:func:`insights.summarize.theme_stance`).
THEME_STANCE_COLUMNS: tuple[str, ...] = (
    "theme_id", "theme", "stance", "n_segments", "n_people", "share", "what", "quotes",
)  # fmt: skip

#: themes_sides: one row per (theme, side) that at least 3 segments of 2 people take
#: (``stance`` ``negative``: going wrong, ``positive``: going right, as in drivers);
#: ``phrase``: what that side says and the other does not, a label-like phrase of its
#: own text ("Engineer never turned up" / "Engineer was brilliant"); ``people`` and
#: ``segment_ids`` behind it, ``;``-joined (:func:`insights.themes.theme_sides`)
THEME_SIDES_COLUMNS: tuple[str, ...] = (
    "theme_id", "theme", "stance", "phrase", "n_segments", "n_people", "people", "segment_ids",
)  # fmt: skip

#: the confidence floor of an emotion that counts a person as expressing it
#: (:func:`insights.summarize.emotion_labels`): the score of the emotion (``p_<label>``;
#: for an Ekman group, the best ``p_<label>`` of its labels) must reach it, not only the
#: model's threshold. Its one home is here; the emotion model's ``config.json`` records
#: how it was chosen (``speech_head.floor``; a test keeps the two equal): the lowest floor
#: (0.50 to 0.95 by 0.05) at which the lines counted as an emotion are right at least 85%
#: of the time on both tune sets of ``training/train_emotion_calibration.py`` (XED
#: calibration lines, RECCON calibration conversations), the scores being the calibrated
#: group probabilities. Held-out figures at it are in the model README. Nearly all lines
#: that reach it are joy: a negative emotion reaches it mostly through a strong word said
#: of oneself ("I was furious because ...", ``insights.emotions.STRONG_WORDS``), so a
#: count of people is a floor, not an estimate.
EMOTION_FLOOR: float = 0.75

#: agreement: one row per (coder pair, code).
AGREEMENT_COLUMNS: tuple[str, ...] = (
    "coder_a", "coder_b", "code", "n_segments", "both", "only_a", "only_b", "neither",
    "percent_agreement", "kappa", "alpha", "kappa_coded",
)  # fmt: skip

ROLES: tuple[str, ...] = ("participant", "interviewer", "moderator", "unknown")
#: the roles whose words the analyses read (codes, themes, emotions, triggers, prevalence):
#: participants, and speakers whose role could not be told.
ANALYSED_ROLES: tuple[str, ...] = ("participant", "unknown")
SESSION_TYPES: tuple[str, ...] = ("interview", "focus_group")
CODE_METHODS: tuple[str, ...] = ("rule", "semantic", "topic", "human")
INTENTS: tuple[str, ...] = ("stay", "leave", "recommend", "warn_others", "none")
#: the calibrated confidence an intent needs to count for drivers and the report's
#: headline (``intents.csv`` keeps every intent above the verifier's 0.5 threshold, with
#: its confidence, for the researcher to read). Figures on the fresh intent batch:
#: ``benchmarks/intent_fresh.py`` and the intent model's README.
#: 0.5, "more likely right than not", fixed before measuring: the calibration is fit on
#: sentences the rules had not seen, so the confidence is an estimate of P(right).
INTENT_FLOOR: float = 0.5


def require_columns(
    df: pd.DataFrame,
    columns: Iterable[str],
    *,
    table: str,
    file: str | Path | None = None,
    fix: str | None = None,
) -> None:
    """Raise :class:`SchemaError` naming every column of ``columns`` that ``df`` lacks."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        have = ", ".join(map(str, df.columns)) or "no columns"
        raise SchemaError(
            f"the {table} table has no column {', '.join(repr(m) for m in missing)} "
            f"(it has: {have})",
            fix=fix or f"add the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
            file=file,
        )


def empty_table(columns: Sequence[str]) -> pd.DataFrame:
    """An empty DataFrame with ``columns``, for stages that found nothing."""
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def analysed_rows(segments: pd.DataFrame, *, language: str | None = None) -> pd.DataFrame:
    """The rows the analyses read: role in :data:`ANALYSED_ROLES` (all rows without ``role``).

    A missing role (``NaN``) counts as unknown, so it is analysed. With ``language``
    (the study's, ISO 639-1), rows of a transcript in another language are left out
    too (:func:`language_exclusions`): the stages whose models read one language
    (themes, emotions, triggers and intents, semantic coding) use this.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"text": ["Hi.", "Fine.", "Bien."],
    ...                     "role": ["interviewer", "participant", "participant"],
    ...                     "language": ["en", "en", "fr"]})
    >>> analysed_rows(seg)["text"].tolist(), analysed_rows(seg, language="en")["text"].tolist()
    (['Fine.', 'Bien.'], ['Fine.'])
    """
    rows = segments
    if "role" in segments.columns:
        role = segments["role"]
        rows = segments[role.isin(ANALYSED_ROLES) | role.isna()]
    if language is not None:
        rows = rows[language_exclusions(rows, language) == ""]
    return rows


def language_exclusions(segments: pd.DataFrame, language: str) -> pd.Series:
    """Why each row is left out for its language: ``"language:<code>"``, or ``""`` (kept).

    The one rule for text in a language the models do not read: a row is left out
    when its ``language`` (the transcript's, ISO 639-1) is given and is not
    ``language`` (the study's: study.yaml ``language``). A missing language (text
    too short to tell, a table without the column) is kept.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"language": ["en", "fr", None]})
    >>> language_exclusions(seg, "en").tolist()
    ['', 'language:fr', '']
    """
    import pandas as pd

    reason = pd.Series("", index=segments.index, dtype="object")
    if "language" not in segments.columns:
        return reason
    lang = segments["language"]
    other = lang.notna() & (lang.astype(str) != "") & (lang.astype(str) != str(language))
    reason[other] = "language:" + lang[other].astype(str)
    return reason


def segment_ids(df: pd.DataFrame) -> pd.Series:
    """Each row's segment id as a string: ``segment_id``, else ``id``, else the row number from 0.

    The one fallback for a table without ids, so that tables scored, coded and fitted
    from the same id-less input join on the same ids. The result has ``df``'s index.
    """
    import pandas as pd

    for col in ("segment_id", "id"):
        if col in df.columns:
            return df[col].astype(str)
    return pd.Series([str(i) for i in range(len(df))], index=df.index, dtype="object")


#: speaker labels that name nobody (matched whole, ignoring case): transcription tools'
#: placeholders for speech they could not attribute. "Speaker 1" / "Speaker 2" are
#: diarised voices, so they are people and not in this list.
UNIDENTIFIED_SPEAKER: str = (
    r"\s*(?:\?+|unknown(?: speaker)?|unidentified(?: speaker)?|unknown voice|"
    r"(?:multiple|several|many) speakers|crosstalk|inaudible|n/?a|none)\s*"
)


def person_key(segments: pd.DataFrame) -> pd.Series:
    """Who said each segment: ``participant_id``, else ``<transcript_id>:<speaker>``.

    The fallback is :func:`speaker_person_id`, the id that
    :func:`insights.segments.build_segments` gives a participant speaker whom
    participants.csv does not link, so both count the same people.

    The one answer to "who is a person": every count of people (prevalence, drivers,
    the report's headline) counts distinct non-missing values of this key. Text
    without a speaker label is ``<transcript_id>:?`` (one person per unlabelled
    transcript), except in a transcript where other text has speaker labels: there it
    is nobody's (``None``; a title line before the first label, say), so it adds no
    person to any count. A label that names nobody (:data:`UNIDENTIFIED_SPEAKER`:
    Otter's "Unknown Speaker", "Unidentified", "?", "Crosstalk") is no label: the
    words may be anyone's, often a person already counted.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"transcript_id": ["a", "a", "a", "b"],
    ...                     "speaker": [None, "Ann", "Bo", None],
    ...                     "participant_id": [None, None, "P2", None]})
    >>> person_key(seg).tolist()
    [None, 'a:Ann', 'P2', 'b:?']
    >>> person_key(seg.assign(speaker=["Unknown Speaker", "Ann", "Bo", "?"])).tolist()
    [None, 'a:Ann', 'P2', 'b:?']
    """
    import pandas as pd

    idx, n = segments.index, len(segments)
    cols = segments.columns
    pid = segments["participant_id"] if "participant_id" in cols else pd.Series([None] * n)
    spk = segments["speaker"] if "speaker" in cols else pd.Series([None] * n)
    tid = segments["transcript_id"].astype(str).tolist() if "transcript_id" in cols else None
    # the answer depends on these three columns only: it is computed once per distinct
    # content (a report asks it of the same segments over a hundred times)
    key = (
        tuple(tid or ["input"] * n),
        tuple(s if ok else None for s, ok in zip(spk.astype(str), spk.notna(), strict=True)),
        tuple(p if ok else None for p, ok in zip(pid.astype(str), pid.notna(), strict=True)),
    )
    out = _PERSONS.pop(key, None) or _persons(*key)
    _PERSONS[key] = out  # most recently used last
    while len(_PERSONS) > 8:
        del _PERSONS[next(iter(_PERSONS))]
    return pd.Series(out, index=idx, dtype="object")


#: :func:`person_key`'s answers for the last few distinct (transcripts, speakers, ids)
_PERSONS: dict[tuple, list] = {}


def _persons(tid: tuple, spk: tuple, pid: tuple) -> list:
    import re

    nobody = re.compile(UNIDENTIFIED_SPEAKER, re.IGNORECASE)
    labelled = [s is not None and s != "" and not nobody.fullmatch(s) for s in spk]
    has_labels = {t for t, ok in zip(tid, labelled, strict=True) if ok}
    return [
        p
        if p is not None and p != ""
        else speaker_person_id(t, s)
        if ok
        else (None if t in has_labels else speaker_person_id(t, None))
        for t, s, p, ok in zip(tid, spk, pid, labelled, strict=True)
    ]


def speaker_person_id(transcript_id: str, speaker: str | None) -> str:
    """The pseudonymous id of a speaker that participants.csv does not name.

    ``<transcript_id>:<speaker>`` (``<transcript_id>:?`` without a label): stable
    across runs, and different for two people of one focus group and for one label
    in two transcripts. :func:`person_key` and the segments' ``participant_id`` use it.

    Examples
    --------
    >>> speaker_person_id("fg1_wave1", "Kwame"), speaker_person_id("notes", None)
    ('fg1_wave1:Kwame', 'notes:?')
    """
    return f"{transcript_id}:{speaker if speaker else '?'}"


#: transcribers' markup inside a segment's text: QMSum's ``{disfmarker}``, ``{vocalsound}``,
#: ``{pause}``; and sounds in brackets or parentheses, ``[laughs]``, ``(inaudible)``,
#: ``[crosstalk]``, ``[pause]``. Not words anyone said.
TRANSCRIBER_MARKER: str = (
    r"\{[A-Za-z_ ]{2,30}\}"
    r"|[\[(](?:laugh(?:s|ing|ter)?|chuckles?|giggles?|inaudible|unintelligible|indistinct|"
    r"crosstalk|overtalk|cross-talk|pause|long pause|silence|sighs?|coughs?|clears throat|"
    r"noise|background noise|music|applause|static|vocalsound|disfmarker|nonvocalsound|"
    r"gap|overlapping|sic|beep|phone rings)[\])]"
)


def spoken_words(text: str) -> str:
    """``text`` with transcribers' markup (:data:`TRANSCRIBER_MARKER`) blanked.

    What every model reads of a segment (emotions, embeddings, the parse behind theme
    words): a marker becomes as many spaces as it has characters, so offsets into
    the text still hold, and the segment's own ``text`` keeps every character.

    Examples
    --------
    >>> text = "So {disfmarker} we paused {vocalsound} there [laughs]."
    >>> spoken_words(text).split(), len(spoken_words(text)) == len(text)
    (['So', 'we', 'paused', 'there', '.'], True)
    >>> spoken_words("Pause my plan (if I can).") == "Pause my plan (if I can)."
    True
    """
    import re

    if "{" not in text and "[" not in text and "(" not in text:
        return text
    return re.sub(TRANSCRIBER_MARKER, lambda m: " " * len(m.group()), text, flags=re.IGNORECASE)


# --------------------------------------------------------------------------- outcomes

#: what a value of a participant sheet's outcome column (``status: churned``) says of the
#: person's relationship with the study's provider: ``leave`` or ``stay``. Matched whole,
#: ignoring case and surrounding space. A column ``churned`` (or ``churn``, ``left``)
#: of yes/no values says the same (:func:`person_outcomes`).
OUTCOME_VALUES: dict[str, str] = {
    **dict.fromkeys("churned churn left cancelled canceled lapsed lost former".split(), "leave"),
    **dict.fromkeys("retained renewed active current stayed loyal existing".split(), "stay"),
}

#: columns whose yes/no values say whether the person left (``churned: yes``)
_LEFT_COLUMNS = ("churned", "churn", "left", "cancelled")
_YES_NO = {
    **dict.fromkeys("yes y true 1".split(), True),
    **dict.fromkeys("no n false 0".split(), False),
}


def _values(col: pd.Series) -> set[str]:
    return {str(v).strip().lower() for v in col.dropna() if str(v).strip()}


def _outcome_map(name: str, values: set[str]) -> dict[str, str] | None:
    """Value -> ``leave``/``stay`` for every value of a column, or None when one is neither."""
    if name.strip().lower() in _LEFT_COLUMNS and values <= set(_YES_NO):
        return {v: "leave" if _YES_NO[v] else "stay" for v in values}
    if values <= set(OUTCOME_VALUES):
        return {v: OUTCOME_VALUES[v] for v in values}
    return None


def outcome_column(segments: pd.DataFrame, configured: str | bool | None = None) -> str | None:
    """The participant-sheet column that says who left and who stayed, or None.

    ``configured`` is study.yaml's ``outcome``: a column name (checked: it must be a
    column of the sheet whose values are all :data:`OUTCOME_VALUES`, or yes/no under
    a name such as ``churned``), ``False`` for none, or None to find one: the first
    column beyond :data:`SEGMENT_COLUMNS` whose values are all leave or stay words and
    include both (``status: churned / retained``; a ``segment`` column of ``new /
    long-standing / churned`` is not one). Raises :class:`ConfigError` for a named
    column that is missing or has other values.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"participant_id": ["P1", "P2"], "text": ["a", "b"],
    ...                     "segment": ["new", "churned"], "status": ["Retained", "churned"]})
    >>> outcome_column(seg), outcome_column(seg, False)
    ('status', None)
    >>> outcome_column(seg, "segment")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    insights.errors.ConfigError: study.yaml: outcome: column 'segment' has values ... ('new')...
    """
    if configured is False or configured == "":
        return None
    if isinstance(configured, str):
        if configured not in segments.columns:
            raise ConfigError(
                f"outcome: no participants.csv column {configured!r}",
                fix="name a column of participants.csv, or set outcome: false",
                file="study.yaml",
            )
        values = _values(segments[configured])
        if _outcome_map(configured, values) is None:
            other = sorted(v for v in values if v not in OUTCOME_VALUES)[:4]
            raise ConfigError(
                f"outcome: column {configured!r} has values that are neither leaving nor "
                f"staying ({', '.join(repr(v) for v in other)})",
                fix="name a column of participants.csv whose values are such as churned / "
                "retained, or set outcome: false",
                file="study.yaml",
            )
        return configured
    for col in segments.columns:
        if col in SEGMENT_COLUMNS:
            continue
        found = _outcome_map(col, _values(segments[col]))
        if found and {"leave", "stay"} <= set(found.values()):
            return col
    return None


def person_outcomes(segments: pd.DataFrame, column: str | None) -> dict[str, str]:
    """Person (:func:`person_key`) -> ``leave`` or ``stay`` from the sheet's ``column``.

    Empty when ``column`` is None; people with no value in it are not in the dict.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"participant_id": ["P1", "P2", "P3"],
    ...                     "churned": ["yes", "no", None]})
    >>> person_outcomes(seg, "churned")
    {'P1': 'leave', 'P2': 'stay'}
    """
    if column is None:
        return {}
    col = segments[column]
    found = _outcome_map(column, _values(col)) or {}
    out: dict[str, str] = {}
    for person, value in zip(person_key(segments), col, strict=True):
        if person is None or value is None or value != value:
            continue
        direction = found.get(str(value).strip().lower())
        if direction:
            out.setdefault(str(person), direction)
    return out
