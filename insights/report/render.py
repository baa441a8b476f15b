"""Three renderers of one :class:`~insights.report.content.Report`: HTML, Markdown, Word."""

from __future__ import annotations

import io
import re
from typing import Any

from .content import Link, Report

__all__ = ["render_html", "render_markdown", "render_docx"]


def _env(autoescape: bool):
    from jinja2 import Environment, PackageLoader

    env = Environment(
        loader=PackageLoader("insights.report", "templates"),
        autoescape=autoescape,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["kind"] = lambda b: type(b).__name__
    env.filters["mdesc"] = _md_escape
    env.tests["link"] = lambda v: isinstance(v, Link)
    return env


def _md_escape(v: Any) -> str:
    s = re.sub(r"\s+", " ", str(v))
    return re.sub(r"([|*_`\[\]<>\\])", r"\\\1", s)


def render_html(report: Report) -> str:
    """One self-contained HTML page: styles inline, charts as base64 PNG, no external requests.

    Parameters
    ----------
    report : Report
        The content (:func:`insights.report.build_report`).

    Returns
    -------
    str
        The page; every number links to its entry in the Evidence section.
    """
    return _env(True).get_template("report.html.j2").render(report=report)


def render_markdown(report: Report) -> str:
    """Markdown (GitHub-flavoured tables); charts are referenced as ``charts/<name>.png``.

    Parameters
    ----------
    report : Report
        The content (:func:`insights.report.build_report`).

    Returns
    -------
    str
        The document, ending in one newline.

    Examples
    --------
    >>> from insights.report.content import Paragraph, Report, Section
    >>> class NoEvidence:
    ...     entries = {}
    >>> report = Report("Demo", "A test", [Section("s", "Findings").add(Paragraph(["Hello."]))],
    ...                 evidence=NoEvidence())
    >>> "Hello." in render_markdown(report) and render_markdown(report).startswith("# Demo")
    True
    """
    text = _env(False).get_template("report.md.j2").render(report=report)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


# --------------------------------------------------------------------------- Word


def _bookmark_names(report: Report) -> dict[str, str]:
    # Word bookmark names: a letter first, letters/digits/underscores, at most 40 characters
    return {eid: f"ev_{i}" for i, eid in enumerate(report.evidence.entries)}


def _add_bookmark(paragraph, name: str, bid: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bid))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bid))
    paragraph._p.insert(0, start)
    paragraph._p.append(end)


def _add_link(paragraph, text: str, anchor: str, *, size=None) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    h = OxmlElement("w:hyperlink")
    h.set(qn("w:anchor"), anchor)
    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "0072B2")
    u = OxmlElement("w:u")
    u.set(qn("w:val"), "single")
    rpr.append(color)
    rpr.append(u)
    if size is not None:
        sz = OxmlElement("w:sz")
        sz.set(qn("w:val"), str(int(size.pt * 2)))
        rpr.append(sz)
    r.append(rpr)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    r.append(t)
    h.append(r)
    paragraph._p.append(h)


def _fmt(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return str(v)


def _run(par, text: str | None = None):
    """``par.add_run(text)``, without python-docx's character-by-character text writer.

    Text with no tab or line break becomes one ``w:t`` element, as python-docx writes it;
    other text goes through python-docx.
    """
    run = par.add_run()
    if text:
        if "\t" in text or "\n" in text or "\r" in text:
            run.text = text
        else:
            run._r.add_t(text)
    return run


class _BodySpill:
    """Keep a python-docx body short while it is built, so that adding stays linear.

    python-docx inserts every paragraph and table before the body's ``w:sectPr`` and
    finds it by scanning the body's children, so a report of thousands of paragraphs
    costs quadratic time (most of ``report.docx``'s seconds). :meth:`check` moves the
    finished children (all but the last few, which the caller may still be editing)
    into a holder element; :meth:`restore` puts them back, in order, before the
    ``w:sectPr`` (before a picture is added too: its id counts the drawings in the
    body). The document is the same as one built without it.
    """

    KEEP = 8
    LIMIT = 64

    def __init__(self, doc) -> None:
        from docx.oxml import OxmlElement

        self.body = doc.element.body
        self.holder = OxmlElement("w:body")

    def check(self) -> None:
        kids = [c for c in self.body if not c.tag.endswith("}sectPr")]
        if len(kids) > self.LIMIT:
            for c in kids[: -self.KEEP]:
                self.holder.append(c)

    def restore(self) -> None:
        first = self.body[0] if len(self.body) else None  # a kept child, else the sectPr
        for c in list(self.holder):
            if first is None:
                self.body.append(c)
            else:
                first.addprevious(c)


def render_docx(report: Report, path) -> None:
    """Write a Word document.

    It has headings, tables, charts as pictures, quotes in the Quote style, and numbers
    as internal hyperlinks to bookmarked evidence entries.

    Parameters
    ----------
    report : Report
        The content (:func:`insights.report.build_report`).
    path : str or Path
        The ``.docx`` file to write.
    """
    from docx import Document
    from docx.shared import Inches, Pt, RGBColor

    doc = Document()
    spill = _BodySpill(doc)
    doc.core_properties.title = report.title
    doc.core_properties.author = "insights"
    styles = {s.name: s for s in doc.styles}
    table_style = styles.get("Light List Accent 1") or styles.get("Table Grid")
    # paragraph styles by id: python-docx's style= looks the document's default style up on
    # every call (about 1.5 ms, most of the time of a report with 2,000 quotes)
    quote_id = styles["Quote"].style_id if "Quote" in styles else None
    bullet_id = styles["List Bullet"].style_id if "List Bullet" in styles else None

    def paragraph(text: str = "", style_id: str | None = None):
        par = doc.add_paragraph()
        if text:
            _run(par, text)
        if style_id:
            par._p.style = style_id
        return par

    heading_ids = {n: styles["Title" if n == 0 else f"Heading {n}"].style_id for n in range(5)}

    def heading(text: str, level: int):
        # python-docx's add_heading looks its style up by name (a scan of every style)
        return paragraph(text, heading_ids[level])

    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    marks = _bookmark_names(report)
    small = Pt(8.5)

    def add_parts(par, parts, size=None):
        for p in parts:
            if isinstance(p, Link) and p.target:
                _add_link(par, p.text, marks[p.target], size=size)
            else:
                run = _run(par, _fmt(p))
                if size is not None:
                    run.font.size = size

    def add_quote(q):
        spill.check()
        par = paragraph(f"“{q.text}”", quote_id)
        if q.note:
            n = doc.add_paragraph()
            r = _run(n, q.note)
            r.font.size = Pt(9)
        cite = doc.add_paragraph()
        r = _run(cite, f"— {q.who}" + (f" ({q.attrs})" if q.attrs else "") + f" · {q.where}")
        r.font.size = Pt(8.5)
        r.font.color.rgb = RGBColor(0x5B, 0x64, 0x75)
        _ = par

    def add_block(b):
        spill.check()
        k = type(b).__name__
        if k == "Section":
            heading(b.title, min(b.level - 1, 4))
            for x in b.blocks:
                add_block(x)
        elif k == "Paragraph":
            par = doc.add_paragraph()
            add_parts(par, b.parts)
            if b.style in ("muted", "note"):
                for r in par.runs:
                    r.italic = True
        elif k == "Bullets":
            for it in b.items:
                par = paragraph(style_id=bullet_id)
                add_parts(par, it)
        elif k == "Table":
            if b.caption:
                cap = doc.add_paragraph()
                r = _run(cap, b.caption)
                r.italic = True
                r.font.size = Pt(9)
            t = doc.add_table(rows=1, cols=len(b.columns))
            t.style = table_style
            for cell, c in zip(t.rows[0].cells, b.columns, strict=True):
                cell.text = ""
                run = _run(cell.paragraphs[0], str(c))
                run.bold = True
                run.font.size = small
            for row in b.rows:
                cells = t.add_row().cells
                for cell, v in zip(cells, row, strict=True):
                    add_parts(cell.paragraphs[0], [v], size=small)
            if b.note:
                n = doc.add_paragraph()
                r = _run(n, b.note)
                r.font.size = Pt(8.5)
        elif k == "Chart":
            spill.restore()  # a picture's id counts the drawings already in the body
            doc.add_picture(io.BytesIO(b.png), width=Inches(min(b.width_in, 6.3)))
        elif k == "Quotes":
            if b.title:
                p = doc.add_paragraph()
                _run(p, b.title).bold = True
            for q in b.quotes:
                add_quote(q)

    heading(report.title, 0)
    sub = doc.add_paragraph()
    _run(sub, report.subtitle).italic = True
    for s in report.sections:
        add_block(s)
    heading("Evidence: the quotes behind every number", 1)
    for i, e in enumerate(report.evidence.entries.values()):
        h = heading(e.title, 3)
        _add_bookmark(h, marks[e.id], 1000 + i)
        info = doc.add_paragraph()
        shown = f"; {len(e.quotes)} shown" if len(e.quotes) < e.total else ""
        r = _run(
            info,
            f"{e.total} segment{'s' if e.total != 1 else ''} from {e.people} "
            f"{'person' if e.people == 1 else 'people'}" + shown,
        )
        r.italic = True
        r.font.size = Pt(9)
        for q in e.quotes:
            add_quote(q)
    spill.restore()
    doc.save(str(path))
