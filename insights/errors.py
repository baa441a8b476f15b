"""The one error tree: every error the user can fix is an :class:`InsightsError`.

Its message names the file (and the line, row or field), says what is wrong and how
to fix it. The command line prints it as one line and exits with status 2.

Examples
--------
>>> from insights.errors import InputError
>>> str(InputError("the file is empty", file="a.txt", fix="export it again"))
'a.txt: the file is empty. Fix: export it again'
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["InsightsError", "InputError", "ConfigError", "SchemaError", "ModelError", "OutputError"]


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
        """The one-line message (``file, where: what. Fix: how.``)."""
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
