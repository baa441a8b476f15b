"""Word (.docx) files read from their XML, so that no text-bearing element is missed.

python-docx's ``Paragraph.text`` reads the runs and hyperlinks of a paragraph only:
speech inside content controls (``w:sdt``), tracked insertions (``w:ins``), smart
tags, simple fields and text boxes is left out. Here the main document part is
walked directly: block-level content controls and custom XML are opened, every
``w:t`` of a paragraph is read (tabs and breaks as whitespace), and only what Word
itself does not show is left out: tracked deletions (``w:del``, ``w:moveFrom``),
field instructions and the fallback copy of ``mc:AlternateContent``. The same rule
over the whole body gives the file's own full text, which the lossless accounting
is made against (so an element the block reader misses shows as missing words).
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from ..errors import InputError
from ._base import Transcript

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: elements whose text Word does not show as the document's text
_HIDDEN = {f"{W}del", f"{W}moveFrom", f"{W}pPr", f"{W}rPr", f"{W}sdtPr", f"{W}sdtEndPr"}
_LEAF = {f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}
_LEAF[f"{W}softHyphen"] = "\u00ad"
#: containers that hold paragraphs and tables as if they stood in the body
_BLOCK_WRAPPERS = {f"{W}sdtContent", f"{W}customXml", f"{W}ins", f"{W}moveTo", f"{W}smartTag"}


def open_document(data: bytes, source: str) -> Any:
    """The ``w:body`` element of a .docx package; a damaged package is one InputError."""
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            name = _main_part(z)
            xml = z.read(name)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(xml, parser=parser)
    except Exception as exc:  # noqa: BLE001 - zip, zlib and XML errors of every kind
        raise InputError(
            f"cannot be opened as a Word document ({exc.__class__.__name__}: the file is "
            "damaged or was not saved completely)",
            fix="open and save it again in Word, or export the transcript as .txt",
            file=source,
        ) from None
    body = root.find(f"{W}body")
    if body is None:
        raise InputError(
            "is a Word package without a document body",
            fix="open and save it again in Word, or export the transcript as .txt",
            file=source,
        )
    return body


def _main_part(z: zipfile.ZipFile) -> str:
    from lxml import etree

    names = set(z.namelist())
    if "_rels/.rels" in names:
        rels = etree.fromstring(z.read("_rels/.rels"))
        for rel in rels.iter(f"{_REL}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                target = rel.get("Target", "").lstrip("/")
                if target in names:
                    return target
    return "word/document.xml"


def text_of(el: Any) -> str:
    """The text Word shows for ``el``: its ``w:t``, tabs and breaks; nested paragraphs on lines."""
    parts: list[str] = []
    _walk(el, parts)
    return "".join(parts)


def _walk(el: Any, parts: list[str]) -> None:
    for ch in el:
        tag = ch.tag
        if not isinstance(tag, str) or tag in _HIDDEN:
            continue
        if tag == f"{W}t":
            parts.append(ch.text or "")
        elif tag in _LEAF:
            parts.append(_LEAF[tag])
        elif tag == f"{MC}AlternateContent":
            choice = ch.find(f"{MC}Choice")
            _walk(choice if choice is not None else ch, parts)
        elif tag == f"{MC}Fallback":
            continue
        elif tag in (f"{W}p", f"{W}tr"):  # a text box's paragraph, a table row
            parts.append("\n")
            _walk(ch, parts)
            parts.append("\n")
        elif tag == f"{W}tc":
            parts.append("\t")
            _walk(ch, parts)
        else:
            _walk(ch, parts)


#: paragraph styles that make a paragraph a heading, not speech (Word's built-in ids)
_HEADING_STYLE = re.compile(r"^(?:title|subtitle|heading\s*\d*)$", re.IGNORECASE)


def is_heading(p: Any) -> bool:
    """Whether paragraph ``p`` has a Title, Subtitle or Heading style (or an outline level).

    A heading is structure: "Member interview: Leah" in Heading 1 is a title, not the
    speaker "Member interview" saying "Leah".
    """
    ppr = p.find(f"{W}pPr")
    if ppr is None:
        return False
    style = ppr.find(f"{W}pStyle")
    if style is not None and _HEADING_STYLE.match(style.get(f"{W}val", "")):
        return True
    level = ppr.find(f"{W}outlineLvl")
    return level is not None and level.get(f"{W}val", "9") != "9"  # 9 is body text


def blocks(el: Any) -> list[tuple[str, Any]]:
    """``("p", text)``, ``("h", text)`` (a heading) and ``("tbl", rows)`` in body order.

    Content controls, custom XML and tracked insertions at block level are opened.
    """
    out: list[tuple[str, Any]] = []
    for ch in el:
        tag = ch.tag
        if not isinstance(tag, str) or tag in _HIDDEN:
            continue
        if tag == f"{W}p":
            out.append(("h" if is_heading(ch) else "p", text_of(ch)))
        elif tag == f"{W}tbl":
            out.append(("tbl", _rows(ch)))
        elif tag == f"{W}sdt" or tag in _BLOCK_WRAPPERS:
            out.extend(blocks(ch))
        elif tag == f"{MC}AlternateContent":
            choice = ch.find(f"{MC}Choice")
            if choice is not None:
                out.extend(blocks(choice))
    return out


def _rows(tbl: Any) -> list[list[str]]:
    rows: list[list[str]] = []
    for tr in _children(tbl, f"{W}tr"):
        cells = []
        for tc in _children(tr, f"{W}tc"):
            texts = []
            for kind, value in blocks(tc):
                texts.append(value if kind != "tbl" else "\n".join(" ".join(r) for r in value))
            cells.append("\n".join(texts))
        rows.append(cells)
    return rows


def _children(el: Any, tag: str) -> list[Any]:
    """Children of ``el`` named ``tag``, looking through content controls and custom XML."""
    out = []
    for ch in el:
        if ch.tag == tag:
            out.append(ch)
        elif ch.tag == f"{W}sdt" or ch.tag in _BLOCK_WRAPPERS:
            out.extend(_children(ch, tag))
    return out


def read_docx(data: bytes, transcript: Transcript) -> list[tuple[str, Any]]:
    """Open the package; set ``transcript.source_text`` to its full text; return its blocks."""
    body = open_document(data, transcript.source)
    transcript.encoding = None
    transcript.source_text = text_of(body)
    return blocks(body)
