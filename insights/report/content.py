"""The content of a report, independent of its format: sections of blocks, and evidence.

One source of content, three renderers (HTML, Markdown, Word). A :class:`Report`
is a list of :class:`Section` s, each a list of blocks (:class:`Paragraph`,
:class:`Bullets`, :class:`Table`, :class:`Chart`, :class:`Quotes`), plus an
:class:`EvidenceBook`: every number that counts people or segments is a
:class:`Link` to an evidence entry, which lists the quotes behind it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "Link",
    "Paragraph",
    "Bullets",
    "Table",
    "Chart",
    "Quote",
    "Quotes",
    "Section",
    "Evidence",
    "EvidenceBook",
    "Report",
    "slug",
]


def slug(text: str, *, limit: int = 48) -> str:
    """A short ASCII anchor: ``"Price & billing!"`` -> ``"price-billing"``.

    Examples
    --------
    >>> slug("Price & billing!"), slug("…"), slug("a" * 60, limit=5)
    ('price-billing', 'x', 'aaaaa')
    """
    s = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")
    return (s[:limit].rstrip("-")) or "x"


@dataclass
class Link:
    """A number (or short text) that links to an evidence entry (``#ev-...``)."""

    text: str
    target: str | None  # evidence id, or None when there is nothing behind it (0)
    title: str = ""

    def __str__(self) -> str:
        return self.text


@dataclass
class Paragraph:
    """Text made of parts: plain strings and :class:`Link` s."""

    parts: list[Any]
    style: str = ""  # "" | "muted" | "note"


@dataclass
class Bullets:
    """A bulleted list; each item is a list of parts (strings and :class:`Link` s)."""

    items: list[list[Any]]  # each item: parts (str | Link)


@dataclass
class Table:
    """A table with a header row; cells are text, numbers or :class:`Link` s."""

    columns: list[str]
    rows: list[list[Any]]  # cells: str | int | float | Link | None
    caption: str = ""
    note: str = ""  # e.g. "top 30 of 112 rows; all in workbook.xlsx"

    def numeric(self, j: int) -> bool:
        """Whether column ``j`` holds numbers (judged by its first non-empty cell)."""
        for r in self.rows:
            v = r[j]
            if v is None or v == "":
                continue
            if isinstance(v, Link):
                return bool(re.match(r"^[\d.,/%\s()+−-]+$", v.text))
            return isinstance(v, (int, float))
        return False


@dataclass
class Chart:
    """A chart as PNG bytes, with the alt text that carries its numbers."""

    name: str  # file stem, e.g. "themes-prevalence"
    title: str
    png: bytes
    alt: str
    width_in: float = 6.5

    @property
    def b64(self) -> str:
        """The PNG as base64 (for an HTML ``data:`` URI)."""
        import base64

        return base64.b64encode(self.png).decode("ascii")


@dataclass
class Quote:
    """One segment quoted: its words, who said it, their attributes and where."""

    segment_id: str
    text: str
    who: str  # participant id or speaker
    attrs: str  # "segment: new, status: retained, wave 1"
    where: str  # "p01_aisha, turn 12, 03:25"
    note: str = ""  # e.g. "cause: ..." for triggers


@dataclass
class Quotes:
    """A block of quotes, with an optional title."""

    quotes: list[Quote]
    title: str = ""
    more: Link | None = None


@dataclass
class Section:
    """A titled section (``level`` 2) or sub-section (3) of blocks."""

    id: str
    title: str
    blocks: list[Any] = field(default_factory=list)
    level: int = 2

    def add(self, *blocks: Any) -> Section:
        """Append ``blocks``, leaving out ``None`` (a block without data); returns the section."""
        self.blocks.extend(b for b in blocks if b is not None)
        return self


@dataclass
class Evidence:
    """The evidence behind a number: the quotes shown, and how many segments and people."""

    id: str
    title: str
    quotes: list[Quote]
    total: int  # segments behind the number
    people: int


class EvidenceBook:
    """Collects the evidence behind every number; :meth:`link` makes the number's link.

    Parameters
    ----------
    segments : DataFrame
        The (pseudonymised, where configured) segments table: quotes come only from it.
    per_entry : int
        Quotes shown per entry (one per person first, then more); the rest are
        counted and found in ``workbook.xlsx``.
    """

    def __init__(
        self, segments: pd.DataFrame, *, per_entry: int = 4, attributes: list[str] | None = None
    ) -> None:
        from ..summarize import attribute_columns, person_key, person_label, position

        seg = segments.assign(segment_id=segments["segment_id"].astype(str))
        seg = seg.assign(
            _person=person_key(seg),
            _label=person_label(seg),
            _pos=position(seg),
            _words=seg["text"].fillna("").astype(str).str.split().str.len(),
        )
        self._seg = seg.set_index("segment_id", drop=False)
        self._order = {s: i for i, s in enumerate(seg["segment_id"])}
        self._person = dict(zip(seg["segment_id"], seg["_person"], strict=True))
        self._words = dict(zip(seg["segment_id"], seg["_words"].fillna(0).astype(int), strict=True))
        self.attributes = attributes if attributes is not None else attribute_columns(segments)
        self.per_entry = per_entry
        self.entries: dict[str, Evidence] = {}
        self._by_key: dict[tuple, str] = {}

    # -- quotes
    def quote(self, segment_id: str, note: str = "") -> Quote | None:
        """The :class:`Quote` of one segment (None when it is not in the segments)."""
        if segment_id not in self._person:
            return None
        r = self._seg.loc[segment_id]
        attrs = []
        for a in self.attributes:
            v = r.get(a)
            if v is not None and v == v and str(v) != "":
                attrs.append(f"{a}: {v}")
        w = r.get("wave")
        if w is not None and w == w and str(w) != "":
            attrs.append(f"wave {w}")
        return Quote(
            segment_id=segment_id,
            text=str(r["text"]),
            who=str(r["_label"]),
            attrs=", ".join(attrs),
            where=f"{r['transcript_id']}, {r['_pos']}" if r["_pos"] else str(r["transcript_id"]),
            note=note,
        )

    def pick(self, segment_ids: list[str], k: int | None = None) -> list[str]:
        """Up to ``k`` segment ids to quote.

        One per person first (their most substantial segment of 6-60 words), then seconds,
        in transcript order.
        """
        k = self.per_entry if k is None else k
        ids = [s for s in dict.fromkeys(map(str, segment_ids)) if s in self._person]
        if len(ids) <= k:
            return ids

        def score(sid: str) -> float:
            w = self._words[sid]
            return float(w) if 6 <= w <= 60 else min(w, 60) / 4

        ranked = sorted(ids, key=lambda s: (-score(s), self._order[s]))
        rounds: list[list[str]] = []
        seen: dict[str, int] = {}
        for sid in ranked:
            i = seen.get(self._person[sid], 0)
            seen[self._person[sid]] = i + 1
            while len(rounds) <= i:
                rounds.append([])
            rounds[i].append(sid)
        chosen: list[str] = []
        for r in rounds:  # each round: people in order of their best quote
            chosen.extend(r[: k - len(chosen)])
            if len(chosen) >= k:
                break
        return sorted(chosen, key=lambda s: self._order.get(s, 0))

    # -- entries
    def add(
        self,
        title: str,
        segment_ids: list[str],
        *,
        key: str | None = None,
        notes: dict[str, str] | None = None,
        prefer: list[str] | None = None,
    ) -> str | None:
        """Register an evidence entry; returns its id (``None`` when there are no segments)."""
        ids = [s for s in dict.fromkeys(map(str, segment_ids)) if s in self._person]
        if not ids:
            return None
        sig = (title, len(ids), ids[0], ids[-1])
        if sig in self._by_key:
            return self._by_key[sig]
        base = "ev-" + slug(key or title)
        eid, n = base, 2
        while eid in self.entries:
            eid, n = f"{base}-{n}", n + 1
        first = [s for s in (prefer or []) if s in set(ids)][: self.per_entry]
        rest: list[str] = []
        if len(first) < self.per_entry:
            rest = self.pick([s for s in ids if s not in set(first)], self.per_entry - len(first))
        chosen = first + rest
        quotes = [
            q for q in (self.quote(s, (notes or {}).get(s, "")) for s in chosen) if q is not None
        ]
        people = len({self._person[s] for s in ids} - {None})
        self.entries[eid] = Evidence(
            id=eid, title=title, quotes=quotes, total=len(ids), people=people
        )
        self._by_key[sig] = eid
        return eid

    def link(self, text: Any, title: str, segment_ids: list[str], **kw: Any) -> Link | str:
        """``text`` as a :class:`Link` to the evidence of ``segment_ids`` (plain text if none)."""
        eid = self.add(title, segment_ids, **kw)
        return Link(str(text), eid, title) if eid else str(text)

    def quotes(
        self,
        segment_ids: list[str],
        *,
        title: str = "",
        k: int = 3,
        notes: dict[str, str] | None = None,
    ) -> Quotes | None:
        """A block of up to ``k`` quotes (chosen as :meth:`pick` does) from the first ids given."""
        ids = [s for s in dict.fromkeys(map(str, segment_ids)) if s in self._person]
        ids = ids[: max(k * 20, 50)]
        chosen = ids[:k] if len(ids) <= k else self.pick(ids, k)
        qs = [q for q in (self.quote(s, (notes or {}).get(s, "")) for s in chosen) if q is not None]
        return Quotes(qs, title=title) if qs else None


@dataclass
class Report:
    """A whole report: title, sections and the evidence behind their numbers."""

    title: str
    subtitle: str
    sections: list[Section]
    evidence: EvidenceBook
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def charts(self) -> list[Chart]:
        """Every chart, in document order (sub-sections included)."""
        out: list[Chart] = []

        def walk(blocks: list[Any]) -> None:
            for b in blocks:
                if isinstance(b, Chart):
                    out.append(b)
                elif isinstance(b, Section):
                    walk(b.blocks)

        walk(self.sections)
        return out
