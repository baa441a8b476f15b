r"""REFI-QDA projects (``.qdpx``) as NVivo, ATLAS.ti, MAXQDA and QualCoder write them.

A ``.qdpx`` is a zip of ``project.qde`` (XML, ``urn:QDA-XML:project:1.0``) and a
``sources/`` folder (``Sources/`` in some tools) holding each text source's plain text.
:func:`read_project` reads and checks the parts insights uses: the users, the codebook
(nested codes, descriptions, colours), the text sources with their own text, and the
coded text selections (``PlainTextSelection`` ``startPosition`` / ``endPosition``, in
characters of the source's plain text; ``Coding`` / ``CodeRef``). Bad input is one
:class:`~insights.errors.InputError` that names the file and the element.

:func:`align_segments` finds segments (cut from a transcript by our own readers) in a
source's text, so :func:`map_selections` can turn each selection into the segments it
covers, whatever offsets the tool counted in.

Examples
--------
>>> text = "Anna: The bill doubled. I called twice.\n\nMo: Why?"
>>> align_segments(["The bill doubled.", "I called twice.", "Why?"], text)
[(6, 23), (24, 39), (45, 49)]
>>> guid_key("{5D2B49D0-9562-4DD3-9EE3-CE2B965E413C}")
'5d2b49d0-9562-4dd3-9ee3-ce2b965e413c'
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "QDA_NS",
    "RefiCode",
    "RefiSelection",
    "RefiSource",
    "RefiProject",
    "read_project",
    "align_segments",
    "map_selections",
    "guid_key",
]

QDA_NS = "urn:QDA-XML:project:1.0"
_FIX = "export the project again from your QDA tool as a REFI-QDA project (.qdpx)"
#: how far past the last found segment the next one is looked for (characters)
_WINDOW = 20_000


def guid_key(guid: str | None) -> str:
    """A GUID as one spelling: no braces, lower case (tools differ in both)."""
    return (guid or "").strip().strip("{}").lower()


@dataclass(frozen=True)
class RefiCode:
    """A code of the project's codebook (``parent``: the parent code's GUID key)."""

    guid: str
    name: str
    parent: str | None = None
    description: str = ""
    color: str | None = None
    codable: bool = True


@dataclass
class RefiSelection:
    """A ``PlainTextSelection``: characters ``start:end`` of its source, and its codings.

    ``codings`` holds ``(code GUID key, user GUID key)`` pairs.
    """

    guid: str
    start: int
    end: int
    codings: list[tuple[str, str]] = field(default_factory=list)
    name: str = ""


@dataclass
class RefiSource:
    """A ``TextSource``: its name, its own plain text and its coded selections."""

    guid: str
    name: str
    text: str
    selections: list[RefiSelection] = field(default_factory=list)


@dataclass
class RefiProject:
    """What :func:`read_project` found in a ``.qdpx``."""

    file: Path
    name: str
    origin: str
    users: dict[str, str]
    codes: list[RefiCode]
    sources: list[RefiSource]
    #: codings whose ``CodeRef`` points at a case (NVivo's case coding), not at a code
    case_codings: int = 0
    #: names of the sources that are not text (pictures, PDF, audio, video)
    other_sources: list[str] = field(default_factory=list)

    def code(self, key: str) -> RefiCode:
        """The code with GUID key ``key``."""
        return next(c for c in self.codes if c.guid == key)


def _parse(path: Path) -> tuple[Any, dict[str, bytes]]:
    from lxml import etree

    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            qde = next((n for n in names if n.lower().endswith(".qde") and "/" not in n), None)
            qde = qde or next((n for n in names if n.lower().endswith(".qde")), None)
            if qde is None:
                raise InputError("has no project.qde inside", fix=_FIX, file=path)
            data = z.read(qde)
            files = {n: z.read(n) for n in names if not n.endswith("/") and n != qde}
    except zipfile.BadZipFile:
        raise InputError("is not a .qdpx file (not a zip archive)", fix=_FIX, file=path) from None
    except OSError as exc:
        raise InputError(
            f"cannot be read ({exc.strerror})", fix="check the path", file=path
        ) from None
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise InputError(
            f"project.qde is not well-formed XML ({exc.msg})",
            fix=_FIX,
            file=path,
            where=f"project.qde line {exc.lineno}",
        ) from None
    if not (isinstance(root.tag, str) and root.tag.startswith("{urn:QDA-XML:project:")):
        raise InputError(
            f"project.qde is not a REFI-QDA project (root element {etree.QName(root).localname!r})",
            fix=_FIX,
            file=path,
        )
    return root, files


def _source_text(src: Any, ns: dict, files: dict[str, bytes], path: Path, where: str) -> str:
    ptp = (src.get("plainTextPath") or "").strip()
    if ptp:
        scheme, sep, rest = ptp.partition("://")
        if not sep or scheme.lower() != "internal":
            raise InputError(
                f"the text of {where} is outside the project (plainTextPath={ptp!r})",
                fix="export the project with its sources inside it (internal://)",
                file=path,
            )
        member = rest.lstrip("/")
        lower = {n.lower(): n for n in files}
        name = lower.get(f"sources/{member}".lower()) or next(
            (n for n in files if n.rsplit("/", 1)[-1].lower() == member.lower()), None
        )
        if name is None:
            raise InputError(
                f"{where} names the file {member!r}, which is not in the project's sources folder",
                fix=_FIX,
                file=path,
            )
        try:
            return files[name].decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(
                f"the text of {where} ({name}) is not UTF-8", fix=_FIX, file=path
            ) from None
    content = src.find("q:PlainTextContent", ns)
    if content is not None:
        return content.text or ""
    raise InputError(f"{where} has no plain text (no plainTextPath)", fix=_FIX, file=path)


def read_project(path: str | Path) -> RefiProject:
    r"""Read and check a REFI-QDA project: users, codes, text sources, coded selections.

    Positions are characters of the source's plain text, as the standard has them. A
    text with Windows line endings from ATLAS.ti (which counts ``\r\n`` as one
    character) is read with ``\n`` line endings; other tools count both characters.

    Raises
    ------
    InputError
        Not a zip, no ``project.qde``, XML that is not well-formed or not a project, a
        source whose text is missing or outside the project, a selection outside its
        source's text, or a ``CodeRef`` to a GUID that is neither a code nor a case.
        The message names the file and the element.
    """
    path = Path(path)
    root, files = _parse(path)
    ns = {"q": root.nsmap.get(None) or root.tag[1:].split("}")[0]}
    origin = root.get("origin") or ""
    users = {
        guid_key(u.get("guid")): (u.get("name") or u.get("id") or u.get("guid") or "").strip()
        for u in root.iterfind("q:Users/q:User", ns)
    }
    codes: list[RefiCode] = []

    def walk(el: Any, parent: str | None) -> None:
        key = guid_key(el.get("guid"))
        desc = el.find("q:Description", ns)
        codes.append(
            RefiCode(
                guid=key,
                name=(el.get("name") or "").strip() or key,
                parent=parent,
                description=(desc.text or "").strip() if desc is not None else "",
                color=el.get("color"),
                codable=(el.get("isCodable") or "true").strip().lower() != "false",
            )
        )
        for child in el.findall("q:Code", ns):
            walk(child, key)

    for el in root.findall("q:CodeBook/q:Codes/q:Code", ns):
        walk(el, None)
    code_keys = {c.guid for c in codes}
    cases = {guid_key(c.get("guid")) for c in root.iterfind("q:Cases/q:Case", ns)}
    project = RefiProject(
        file=path,
        name=root.get("name") or path.stem,
        origin=origin,
        users=users,
        codes=codes,
        sources=[],
    )
    sources_el = root.find("q:Sources", ns)
    for src in sources_el if sources_el is not None else []:
        if not isinstance(src.tag, str):
            continue
        kind = src.tag.rsplit("}", 1)[-1]
        name = (src.get("name") or "").strip() or guid_key(src.get("guid"))
        if kind != "TextSource":
            project.other_sources.append(name)
            continue
        where = f"TextSource {name!r}"
        text = _source_text(src, ns, files, path, where)
        if "ATLAS" in origin.upper() and "\r\n" in text:
            text = text.replace("\r\n", "\n")
        source = RefiSource(guid=guid_key(src.get("guid")), name=name, text=text)
        for sel in src.findall("q:PlainTextSelection", ns):
            sel_where = f"{where}, PlainTextSelection {sel.get('guid')}"
            try:
                start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            except (TypeError, ValueError):
                raise InputError(
                    "has no whole-number startPosition / endPosition",
                    fix=_FIX,
                    file=path,
                    where=sel_where,
                ) from None
            if not 0 <= start <= end <= len(text):
                raise InputError(
                    f"selection {start}-{end} is outside its source "
                    f"({len(text)} characters of plain text)",
                    fix="export the project again with its sources from the same QDA tool",
                    file=path,
                    where=sel_where,
                )
            s = RefiSelection(
                guid=guid_key(sel.get("guid")), start=start, end=end, name=sel.get("name") or ""
            )
            for coding in sel.findall("q:Coding", ns):
                ref = coding.find("q:CodeRef", ns)
                target = guid_key(ref.get("targetGUID") if ref is not None else None)
                if target in cases and target not in code_keys:
                    project.case_codings += 1
                    continue
                if target not in code_keys:
                    raise InputError(
                        f"a Coding refers to {target or 'no code'!r}, which is not a code of "
                        "the project's CodeBook",
                        fix=_FIX,
                        file=path,
                        where=sel_where,
                    )
                user = coding.get("creatingUser") or sel.get("creatingUser")
                s.codings.append((target, guid_key(user)))
            source.selections.append(s)
        project.sources.append(source)
    return project


def align_segments(texts: list[str], source: str) -> list[tuple[int, int] | None]:
    r"""Where each of ``texts`` (a transcript's segments, in order) is in ``source``.

    Each is looked for after the previous one: exactly, else with any run of white space
    standing for any other (line breaks, tabs, ``\r\n``). A text not found within
    20,000 characters gets ``None`` and the search goes on from where it was.
    """
    out: list[tuple[int, int] | None] = []
    pos = 0
    for t in texts:
        t = t.strip()
        if not t:
            out.append(None)
            continue
        i = source.find(t, pos, pos + _WINDOW + len(t))
        if i >= 0:
            span = (i, i + len(t))
        else:
            pattern = r"\s+".join(re.escape(w) for w in t.split())
            m = re.compile(pattern).search(source, pos, pos + _WINDOW + 2 * len(t))
            span = (m.start(), m.end()) if m else None
        out.append(span)
        if span is not None:
            pos = span[1]
    return out


def map_selections(
    spans: pd.DataFrame, start: int, end: int, *, min_overlap: float = 0.5
) -> pd.DataFrame:
    """The segments a selection ``start:end`` codes, with the share of each it covers.

    ``spans`` holds ``segment_id``, ``start`` and ``end`` (the segment's place in the
    same text). A segment is coded when the selection covers at least ``min_overlap``
    of it, or it holds at least ``min_overlap`` of the selection (a selection of a few
    words inside a long sentence); a selection that crosses sentence boundaries codes
    each sentence it covers so.

    Returns
    -------
    DataFrame
        ``segment_id, overlap`` (overlap: share of the segment inside the selection).
    """
    import numpy as np
    import pandas as pd

    s = spans["start"].to_numpy(dtype=float)
    e = spans["end"].to_numpy(dtype=float)
    ov = np.clip(np.minimum(e, end) - np.maximum(s, start), 0, None)
    seg_len = np.clip(e - s, 1, None)
    sel_len = max(end - start, 1)
    keep = (ov > 0) & ((ov / seg_len >= min_overlap) | (ov / sel_len >= min_overlap))
    return pd.DataFrame(
        {
            "segment_id": spans["segment_id"].to_numpy()[keep],
            "overlap": np.round(ov[keep] / seg_len[keep], 3),
        }
    )
