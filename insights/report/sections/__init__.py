"""Report sections, one function per section: the run's tables in, a :class:`Section` out.

Each function returns ``None`` when its data does not exist (a stage that did not
run), so a report on segments alone is complete and honest about what it lacks.
Summary tables come from :mod:`insights.summarize`; every count is a
:class:`~insights.report.content.Link` to the quotes behind it. The sections call
no analysis: they read :class:`~insights.report.data.ReportData`.

- :mod:`.summary` — the summary of findings;
- :mod:`.findings` — themes, codes, emotions (journey, drivers, needs, triggers);
- :mod:`.people` — segments and personas, changes between waves;
- :mod:`.appendix` — method, codebook, appendix;
- :mod:`.blocks` — the prevalence tables and charts they share.

Examples
--------
>>> import pandas as pd
>>> segments = pd.DataFrame({
...     "segment_id": ["t:1", "t:2"], "transcript_id": "t", "source": "t.txt",
...     "session_type": "interview", "wave": None, "turn": [1, 2],
...     "speaker": ["Ann", "Bo"], "role": ["interviewer", "participant"],
...     "participant_id": [None, "P1"], "start_s": None, "end_s": None,
...     "char_start": [0, 10], "char_end": [9, 30],
...     "text": ["How was it?", "Slow, every evening."]})
>>> d = ReportData(study="Demo", segments=segments, charts=False)
>>> [s.id for s in (fn(d) for fn in SECTIONS) if s is not None]
['summary', 'method', 'personas', 'appendix']
"""

from __future__ import annotations

from ..data import ReportData
from .appendix import appendix_section, codebook_section, method_section
from .findings import codes_section, emotions_section, themes_section
from .people import personas_section, waves_section
from .summary import summary_section

__all__ = [
    "ReportData",
    "SECTIONS",
    "summary_section",
    "method_section",
    "themes_section",
    "codes_section",
    "emotions_section",
    "personas_section",
    "waves_section",
    "codebook_section",
    "appendix_section",
]

#: the sections of a report, in order
SECTIONS = [
    summary_section,
    method_section,
    themes_section,
    codes_section,
    emotions_section,
    personas_section,
    waves_section,
    codebook_section,
    appendix_section,
]
