"""The codebook: :class:`Codebook`, a named list of :class:`~insights.codebook.Code`."""

from __future__ import annotations

import difflib
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from insights.errors import ConfigError

from ._code import Calibration, Code
from ._files import codebook_yaml, read_codebook, save_codebook
from ._qdc import qdc_bytes, read_qdc, write_qdc

_GUID_NS = uuid.UUID("6f1c3a52-5d8e-4a8b-9a57-0b7f5d1c2e11")


class Codebook(BaseModel):
    """A named list of codes, loaded from and saved to YAML or REFI-QDA ``.qdc``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = "codebook"
    description: str = ""
    threshold: float = Field(default=0.5, ge=0.0, le=1.0)
    #: the least closeness (similarity of a segment to a code's description or examples) at
    #: which the model may apply the code; moves the three floors of
    #: :func:`~insights.codebook.absolute_gate` together. None: the default
    #: (:data:`~insights.codebook.CLOSENESS_FLOOR`, chosen for MiniLM)
    floor: float | None = None
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
        return read_codebook(path, cls)

    def to_yaml(self) -> str:
        """The codebook as YAML text."""
        return codebook_yaml(self)

    def save(self, path: str | Path) -> Path:
        """Write the codebook as YAML (or ``.qdc`` if the suffix says so), atomically.

        Saving over a YAML file keeps its comment lines: those at the top, and those
        standing just above a top-level key or a code's ``- name:`` line go back above
        the same key or code. (Comments at the end of a line are not kept.)
        """
        return save_codebook(self, path)

    # ----- REFI-QDA (:mod:`insights.codebook._qdc`)

    def guid(self, name: str) -> str:
        """A stable GUID for code ``name`` (same codebook name + code name → same GUID)."""
        return str(uuid.uuid5(_GUID_NS, f"{self.name}\0{name}"))

    def to_qdc_bytes(self) -> bytes:
        """The codebook as REFI-QDA Codebook XML (``urn:QDA-XML:codebook:1.0``)."""
        return qdc_bytes(self)

    def to_qdc(self, path: str | Path) -> Path:
        """Write a ``.qdc`` file (validated against the REFI-QDA schema when it is found)."""
        return write_qdc(self, path)

    @classmethod
    def from_qdc(cls, path: str | Path, *, validate: bool = True) -> Codebook:
        """Read a REFI-QDA ``.qdc`` codebook (as written by NVivo, ATLAS.ti, MAXQDA, QualCoder)."""
        return read_qdc(path, cls, validate=validate)


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a codebook: YAML, or REFI-QDA ``.qdc`` by its suffix.

    A YAML file is either a mapping with a ``codes`` key (a list of codes, or a
    mapping from code name to its fields) or a bare list of codes. A ``.qdc`` file
    is read as :meth:`Codebook.from_qdc` reads it (validated against the schema).
    The same as :meth:`Codebook.load`.

    Raises
    ------
    ConfigError
        For a missing file, bad YAML, an unknown key, a code referenced as parent
        but not defined, or two codes with the same name; the message names the
        file, the line and the code.
    """
    return Codebook.load(path)
