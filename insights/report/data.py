"""The data a report reads: :class:`ReportData`, a run's tables and facts about the run.

The report calls no analysis. The stages' outputs come in as
:attr:`ReportData.tables`; what the sections derive from them (labels per segment,
prevalence, crosstabs, wave comparisons, drivers) comes from :mod:`insights.summarize`.

Examples
--------
>>> import pandas as pd
>>> segments = pd.DataFrame({
...     "segment_id": ["t:1", "t:2"], "transcript_id": "t", "turn": [1, 2],
...     "speaker": ["Ann", "Bo"], "role": ["interviewer", "participant"],
...     "participant_id": [None, "P1"], "text": ["How was it?", "Slow, every evening."]})
>>> d = ReportData(study="Demo", segments=segments, waves=[(1, "spring")])
>>> d.table("codes") is None, d.labels("themes") is None
(True, True)
>>> d.wave_label(1), d.wave_label(2)
('wave 1 (spring)', 'wave 2')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import summarize as S
from .content import EvidenceBook

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["ReportData"]


@dataclass
class ReportData:
    """Everything the sections read: the run's tables and facts about the run.

    Parameters
    ----------
    study : str
        The study's name (the report's title).
    segments : DataFrame
        The segments table (pseudonymised where configured): quotes come only from it.
    tables : dict of str to DataFrame
        The run's tables by name: ``skipped``, ``codes``, ``themes``, ``assignments``,
        ``emotions``, ``triggers``, ``drivers``, ``needs`` (those that exist).
    participants : DataFrame, optional
        ``participants.csv`` as read.
    codebook : Codebook, optional
        The study's :class:`insights.codebook.Codebook`, as loaded by the caller.
    waves : list of (id, label)
        The study's waves, in order.
    counts, models, packages, config, changes : dict
        Facts about the run: row counts, the model of each stage, package versions,
        the study's configuration, and what a re-run added, changed or reused.
    charts : bool
        Draw charts (False: tables and text only).
    book : EvidenceBook, optional
        Collects the evidence behind every number (default: a new one over ``segments``).
    """

    study: str
    segments: pd.DataFrame
    tables: dict[str, Any] = field(default_factory=dict)
    participants: pd.DataFrame | None = None
    codebook: Any = None  # insights.codebook.Codebook
    waves: list[Any] = field(default_factory=list)  # [(id, label)]
    counts: dict[str, Any] = field(default_factory=dict)
    models: dict[str, str] = field(default_factory=dict)
    packages: dict[str, str | None] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, Any] = field(default_factory=dict)  # re-run: what was added
    charts: bool = True
    book: EvidenceBook | None = None

    def __post_init__(self) -> None:
        if self.book is None:
            self.book = EvidenceBook(self.segments)
        self._labels: dict[str, Any] = {}

    def table(self, name: str) -> pd.DataFrame | None:
        """The table ``name`` of the run, or None when it is missing or empty."""
        t = self.tables.get(name)
        return t if t is not None and len(t) else None

    def labels(self, kind: str) -> pd.DataFrame | None:
        """``segment_id, label`` of one kind: themes, codes, emotions (None when absent)."""
        if kind not in self._labels:
            lab = None
            if kind == "themes" and self.table("assignments") is not None:
                lab = S.theme_labels(self.table("assignments"), self.tables.get("themes"))
            elif kind == "codes" and self.table("codes") is not None:
                lab = S.code_labels(self.table("codes"))
            elif kind == "emotions" and self.table("emotions") is not None:
                lab = S.emotion_labels(self.table("emotions"))
            self._labels[kind] = lab if lab is not None and len(lab) else None
        return self._labels[kind]

    @property
    def primary_attribute(self) -> str | None:
        """The attribute the label tables break down by: segment, persona or status if any."""
        attrs = S.attribute_columns(self.segments)
        for pref in ("segment", "persona", "status"):
            if pref in attrs:
                return pref
        return attrs[0] if attrs else None

    def wave_label(self, w: Any) -> str:
        """``wave 2 (after the price rise)``: a wave's id with its label when it has one."""
        for wid, lab in self.waves:
            if str(wid) == str(w):
                return f"wave {w} ({lab})" if lab else f"wave {w}"
        return f"wave {w}"
