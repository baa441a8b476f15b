"""The codebook data model: :class:`Code`, :class:`Codebook`, :class:`Calibration`."""

from __future__ import annotations

import difflib
import re
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from insights.errors import ConfigError

MODEL_CODER = "insights"
HUMAN_CODER = "human"
_GUID_NS = uuid.UUID("6f1c3a52-5d8e-4a8b-9a57-0b7f5d1c2e11")
_COLOR = re.compile(r"^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")


def _as_list(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    return value


class Calibration(BaseModel):
    """Logistic map from (similarity, margin, rule hit) to confidence."""

    model_config = ConfigDict(extra="forbid")

    similarity: float
    margin: float
    rule: float
    intercept: float

    def confidence(self, sim: np.ndarray, margin: np.ndarray, rule: np.ndarray) -> np.ndarray:
        z = self.similarity * sim + self.margin * margin + self.rule * rule + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


class Code(BaseModel):
    """One code of a codebook. Unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1)
    definition: str = ""
    parent: str | None = None
    keywords: list[str] = Field(default_factory=list)
    patterns: list[str | list[dict[str, Any]]] = Field(default_factory=list)
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    color: str | None = None
    threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    calibration: Calibration | None = None

    @field_validator("keywords", "include", "exclude", "examples", "patterns", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return _as_list(value)

    @field_validator("parent", mode="before")
    @classmethod
    def _empty_parent(cls, value: Any) -> Any:
        return None if value in ("", None) else value

    @field_validator("color")
    @classmethod
    def _check_color(cls, value: str | None) -> str | None:
        if value is not None and not _COLOR.match(value):
            raise ValueError(f"color {value!r} is not #RRGGBB")
        return value

    def description_text(self) -> str:
        """The text embedded for semantic coding: name, definition, include notes."""
        name = re.sub(r"[_#/]+", " ", self.name).strip()
        parts = [f"{name}: {self.definition}" if self.definition else name]
        if self.include:
            parts.append("; ".join(self.include))
        return ". ".join(parts)

    def qda_description(self) -> str:
        """The ``<Description>`` of the code in a REFI-QDA codebook or project.

        It holds the definition, include, exclude, keywords, patterns and examples, read back
        on import.

        Examples
        --------
        >>> print(Code(name="Price", definition="Price talk", include=["bills"],
        ...            keywords=["price", "cost"], examples=["Too dear"]).qda_description())
        Price talk
        Include: bills
        Keywords: price | cost
        Examples:
        - Too dear
        """
        lines = [self.definition] if self.definition else []
        for label, values in (
            ("Include", self.include),
            ("Exclude", self.exclude),
            ("Keywords", self.keywords),
            ("Patterns", [p for p in self.patterns if isinstance(p, str)]),
        ):
            if values:
                lines.append(f"{label}: " + " | ".join(values))
        if self.examples:
            lines.append("Examples:")
            lines.extend(f"- {e}" for e in self.examples)
        return "\n".join(lines)

    @property
    def is_codable(self) -> bool:
        """False for pure grouping codes (nothing to match or embed but the name)."""
        return bool(self.definition or self.keywords or self.patterns or self.examples)


#: Fitted by ``benchmarks/themes_eval.py`` on the SemEval-2016 restaurant dev
#: sentences with MiniLM and benchmarks/semeval_codebook.yaml (whole-codebook fit,
#: ``default_calibration_fitted`` in benchmarks/results/themes_eval.json). Refit on
#: your own human codes with :func:`calibrate`.
DEFAULT_CALIBRATION = Calibration(similarity=2.65, margin=6.42, rule=2.72, intercept=-3.28)


class Codebook(BaseModel):
    """A named list of codes, loaded from and saved to YAML or REFI-QDA ``.qdc``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = "codebook"
    description: str = ""
    threshold: float = Field(default=0.5, ge=0.0, le=1.0)
    calibration: Calibration | None = None
    codes: list[Code] = Field(default_factory=list)

    def model_post_init(self, _context: Any) -> None:
        self.check()

    # ----- validation

    def check(self, *, file: str | Path | None = None) -> None:
        """Raise :class:`ConfigError` for duplicate names, unknown parents, cycles."""
        seen: dict[str, int] = {}
        for i, code in enumerate(self.codes):
            key = code.name.casefold()
            if key in seen:
                raise ConfigError(
                    f"code {code.name!r} is defined twice (codes {seen[key] + 1} and {i + 1})",
                    fix="give each code a unique name, or merge the two entries",
                    file=file,
                    where=f"codes[{i}]",
                )
            seen[key] = i
        names = {c.name for c in self.codes}
        for i, code in enumerate(self.codes):
            if code.parent is not None and code.parent not in names:
                close = difflib.get_close_matches(code.parent, names, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise ConfigError(
                    f"code {code.name!r} has parent {code.parent!r}, "
                    "which is not a code in this codebook",
                    fix=f"{hint}define a code named {code.parent!r} or correct the parent name",
                    file=file,
                    where=f"codes[{i}]",
                )
        parents = {c.name: c.parent for c in self.codes}
        for name in parents:
            chain, node = [name], parents[name]
            while node is not None:
                if node in chain:
                    raise ConfigError(
                        f"codes form a parent cycle: {' -> '.join([*chain, node])}",
                        fix="make sure no code is its own ancestor",
                        file=file,
                    )
                chain.append(node)
                node = parents.get(node)

    # ----- access

    def __getitem__(self, name: str) -> Code:
        for code in self.codes:
            if code.name == name:
                return code
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return any(c.name == name for c in self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.codes]

    def children(self, name: str | None) -> list[Code]:
        """Codes whose parent is ``name`` (``None``: top-level codes)."""
        return [c for c in self.codes if c.parent == name]

    def with_codes(self, codes: Iterable[Code], *, replace: bool = True) -> Codebook:
        """A new codebook with ``codes`` added (replacing same-named codes if ``replace``)."""
        new = list(codes)
        new_names = {c.name for c in new}
        if not replace:
            clash = sorted(new_names & set(self.names))
            if clash:
                raise ConfigError(
                    f"codes already in the codebook: {', '.join(clash)}",
                    fix="rename them or pass replace=True",
                )
        kept = [c for c in self.codes if c.name not in new_names]
        return self.model_copy(update={"codes": [*kept, *new]}).validated()

    def without(self, names: Iterable[str]) -> Codebook:
        """A new codebook without the codes ``names`` (their children move up)."""
        drop = set(names)
        codes = []
        for c in self.codes:
            if c.name in drop:
                continue
            parent = c.parent
            while parent in drop:
                parent = self[parent].parent
            codes.append(c.model_copy(update={"parent": parent}))
        return self.model_copy(update={"codes": codes}).validated()

    def validated(self) -> Codebook:
        self.check()
        return self

    # ----- files (:mod:`insights.codebook._files`)

    @classmethod
    def load(cls, path: str | Path) -> Codebook:
        """Read a codebook from YAML or REFI-QDA ``.qdc`` (the same as :func:`load_codebook`)."""
        from ._files import load_codebook

        return load_codebook(path)

    def to_yaml(self) -> str:
        """The codebook as YAML text."""
        from ._files import codebook_yaml

        return codebook_yaml(self)

    def save(self, path: str | Path) -> Path:
        """Write the codebook as YAML (or ``.qdc`` if the suffix says so), atomically.

        Saving over a YAML file keeps its comment lines: those at the top, and those
        standing just above a top-level key or a code's ``- name:`` line go back above
        the same key or code. (Comments at the end of a line are not kept.)
        """
        from ._files import save_codebook

        return save_codebook(self, path)

    # ----- REFI-QDA (:mod:`insights.codebook._qdc`)

    def guid(self, name: str) -> str:
        """A stable GUID for code ``name`` (same codebook name + code name → same GUID)."""
        return str(uuid.uuid5(_GUID_NS, f"{self.name}\0{name}"))

    def to_qdc_bytes(self) -> bytes:
        """The codebook as REFI-QDA Codebook XML (``urn:QDA-XML:codebook:1.0``)."""
        from ._qdc import qdc_bytes

        return qdc_bytes(self)

    def to_qdc(self, path: str | Path) -> Path:
        """Write a ``.qdc`` file (validated against the REFI-QDA schema when it is found)."""
        from ._qdc import write_qdc

        return write_qdc(self, path)

    @classmethod
    def from_qdc(cls, path: str | Path, *, validate: bool = True) -> Codebook:
        """Read a REFI-QDA ``.qdc`` codebook (as written by NVivo, ATLAS.ti, MAXQDA, QualCoder)."""
        from ._qdc import read_qdc

        return read_qdc(path, validate=validate)
