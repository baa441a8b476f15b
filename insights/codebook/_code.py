"""A code of the codebook (:class:`Code`); how scores become confidences (:class:`Calibration`)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

MODEL_CODER = "insights"
HUMAN_CODER = "human"
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

    def definition_text(self) -> str:
        """The text embedded for coding: the definition and include notes (the name without them).

        The name's words still count through :func:`~insights.codebook.word_scores`; a name
        such as ``FOOD#STYLE_OPTIONS`` embedded with the definition pulls it off its meaning.
        """
        if not self.definition:
            return self.description_text()
        return ". ".join([self.definition.rstrip("."), *self.include])

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


#: Fitted by ``benchmarks/coding_eval.py --fit-calibration`` on the tune half of the
#: SemEval-2016 restaurant dev sentences (benchmarks/semeval_definitions.yaml, with and
#: without keywords), on the study model's scores standardised over the study and their
#: margins; the intercept is shifted so that confidence 0.5 is the F1-best cut there (raw
#: probability 0.30). The margin's weight came out near 0: the study model's scores are
#: already relative (log-probabilities of a softmax over the codes).
#: Refit on your own human codes with :func:`calibrate`.
DEFAULT_CALIBRATION = Calibration(similarity=1.863, margin=0.034, rule=0.482, intercept=-2.822)
