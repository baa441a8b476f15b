"""Column names of every table, table validation, and the one error tree.

Every stage of ``insights`` takes a pandas DataFrame and returns a new one; the
column names live here so that readers, analyses and renderers agree on them.
Tables join on ``segment_id``.

Errors: every error that is the user's to fix is an :class:`InsightsError`. Its
message names the file (and the line, row or field), says what is wrong and how to
fix it. The command line prints it as one line and exits with status 2.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

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
    "ASSIGNMENT_COLUMNS",
    "EMOTION_BASE_COLUMNS",
    "TRIGGER_COLUMNS",
    "ROLES",
    "SESSION_TYPES",
    "CODE_METHODS",
    "INTENTS",
    "require_columns",
    "empty_table",
]


# --------------------------------------------------------------------------- errors


class InsightsError(Exception):
    """Base of every error the user can fix.

    Parameters
    ----------
    what : str
        What is wrong, in one sentence.
    fix : str, optional
        How to fix it, in one sentence.
    file : str or Path, optional
        The file at fault.
    where : str, optional
        Line, row or field inside the file, e.g. ``"line 12"`` or ``"row 3"``.
    """

    def __init__(
        self,
        what: str,
        *,
        fix: str | None = None,
        file: str | Path | None = None,
        where: str | None = None,
    ) -> None:
        self.what = what
        self.fix = fix
        self.file = str(file) if file is not None else None
        self.where = where
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The one-line message: ``file, where: what. Fix: how.``"""
        place = ", ".join(p for p in (self.file, self.where) if p)
        text = f"{place}: {self.what}" if place else self.what
        if self.fix:
            text = f"{text.rstrip('.')}. Fix: {self.fix}"
        return " ".join(text.split())  # always one line

    def __str__(self) -> str:
        return self.message


class InputError(InsightsError):
    """A transcript, participant sheet or table that cannot be read as it is."""


class ConfigError(InsightsError):
    """A study.yaml, codebook or option with a wrong key or value."""


class SchemaError(InputError):
    """A table that lacks a required column or has values of the wrong kind."""


class ModelError(InsightsError):
    """A model or optional package that is not installed or cannot be loaded."""


class OutputError(InsightsError):
    """An output folder or file that cannot be written."""


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
)

#: skipped: source text that is not in any segment, with the reason.
SKIPPED_COLUMNS: tuple[str, ...] = ("transcript_id", "source", "where", "reason", "text")

CODE_COLUMNS: tuple[str, ...] = ("segment_id", "code", "confidence", "method", "coder")
THEME_COLUMNS: tuple[str, ...] = ("theme_id", "label", "keywords", "size", "prevalence", "quotes")
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

ROLES: tuple[str, ...] = ("participant", "interviewer", "moderator", "unknown")
SESSION_TYPES: tuple[str, ...] = ("interview", "focus_group")
CODE_METHODS: tuple[str, ...] = ("rule", "semantic", "topic", "human")
INTENTS: tuple[str, ...] = ("stay", "leave", "recommend", "warn_others", "none")


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
            f"the {table} table has no column {', '.join(repr(m) for m in missing)} (it has: {have})",
            fix=fix or f"add the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
            file=file,
        )


def empty_table(columns: Sequence[str]) -> pd.DataFrame:
    """An empty DataFrame with ``columns``, for stages that found nothing."""
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
