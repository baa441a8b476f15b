"""Bundled example data: the fictional Kestrel Fibre customer-experience study.

Twelve transcripts (ten one-to-one interviews and two focus groups, in two waves)
in eight formats, with ``participants.csv``, ``study.yaml`` and ``codebook.yaml``.
It feeds the notebooks, the tests and ``make demo``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["sample_study_path", "load_sample_study"]


def sample_study_path() -> Path:
    """The folder of the bundled sample study (read it; do not write into it)."""
    return Path(__file__).resolve().parent / "sample_study"


def load_sample_study() -> pd.DataFrame:
    """The sample study's segments table (read and segmented with the default options).

    Examples
    --------
    >>> segments = load_sample_study()
    >>> sorted(segments["session_type"].unique())
    ['focus_group', 'interview']
    """
    from ..study import load_study, read_study

    segments, _, _ = read_study(load_study(sample_study_path()))
    return segments
