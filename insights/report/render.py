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
    doc.core_properties.title = report.title
    doc.core_properties.author = "insights"
    styles = {s.name: s for s in doc.styles}
    table_style = styles.get("Light List Accent 1") or styles.get("Table Grid")
    # paragraph styles by id: python-docx's style= looks the document's default style up on
    # every call (about 1.5 ms, most of the time of a report with 2,000 quotes)
    quote_id = styles["Quote"].style_id if "Quote" in styles else None
    bullet_id = styles["List Bullet"].style_id if "List Bullet" in styles else None

    def paragraph(text: str = "", style_id: str | None = None):
        par = doc.add_paragraph(text)
        if style_id:
            par._p.style = style_id
        return par

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
                run = par.add_run(_fmt(p))
                if size is not None:
                    run.font.size = size

    def add_quote(q):
        par = paragraph(f"“{q.text}”", quote_id)
        if q.note:
            n = doc.add_paragraph()
            r = n.add_run(q.note)
            r.font.size = Pt(9)
        cite = doc.add_paragraph()
        r = cite.add_run(f"— {q.who}" + (f" ({q.attrs})" if q.attrs else "") + f" · {q.where}")
        r.font.size = Pt(8.5)
        r.font.color.rgb = RGBColor(0x5B, 0x64, 0x75)
        _ = par

    def add_block(b):
        k = type(b).__name__
        if k == "Section":
            doc.add_heading(b.title, level=min(b.level - 1, 4))
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
                r = cap.add_run(b.caption)
                r.italic = True
                r.font.size = Pt(9)
            t = doc.add_table(rows=1, cols=len(b.columns))
            t.style = table_style
            for cell, c in zip(t.rows[0].cells, b.columns, strict=True):
                cell.text = ""
                run = cell.paragraphs[0].add_run(str(c))
                run.bold = True
                run.font.size = small
            for row in b.rows:
                cells = t.add_row().cells
                for cell, v in zip(cells, row, strict=True):
                    add_parts(cell.paragraphs[0], [v], size=small)
            if b.note:
                n = doc.add_paragraph()
                r = n.add_run(b.note)
                r.font.size = Pt(8.5)
        elif k == "Chart":
            doc.add_picture(io.BytesIO(b.png), width=Inches(min(b.width_in, 6.3)))
        elif k == "Quotes":
            if b.title:
                p = doc.add_paragraph()
                p.add_run(b.title).bold = True
            for q in b.quotes:
                add_quote(q)

    doc.add_heading(report.title, level=0)
    sub = doc.add_paragraph()
    sub.add_run(report.subtitle).italic = True
    for s in report.sections:
        add_block(s)
    doc.add_heading("Evidence: the quotes behind every number", level=1)
    for i, e in enumerate(report.evidence.entries.values()):
        h = doc.add_heading(e.title, level=3)
        _add_bookmark(h, marks[e.id], 1000 + i)
        info = doc.add_paragraph()
        shown = f"; {len(e.quotes)} shown" if len(e.quotes) < e.total else ""
        r = info.add_run(
            f"{e.total} segment{'s' if e.total != 1 else ''} from {e.people} "
            f"{'person' if e.people == 1 else 'people'}" + shown
        )
        r.italic = True
        r.font.size = Pt(9)
        for q in e.quotes:
            add_quote(q)
    doc.save(str(path))
