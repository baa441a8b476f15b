"""REFI-QDA codebook exchange: ``.qdc`` files (``urn:QDA-XML:codebook:1.0``).

A code's definition, include / exclude notes, keywords, text patterns and examples
travel in its ``<Description>`` (:meth:`Code.qda_description`) and come back on import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from insights._safe import write_bytes_atomic
from insights.errors import ConfigError

from ._code import Code

QDC_NS = "urn:QDA-XML:codebook:1.0"


def _parse_description(text: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"definition": "", "examples": []}
    definition: list[str] = []
    in_examples = False
    for line in (text or "").splitlines():
        stripped = line.strip()
        head, _, rest = stripped.partition(":")
        key = head.strip().lower()
        if key in ("include", "exclude", "keywords", "patterns") and rest:
            out[key] = [v.strip() for v in rest.split(" | ") if v.strip()]
            in_examples = False
        elif stripped.lower() == "examples:":
            in_examples = True
        elif in_examples and stripped.startswith("- "):
            out["examples"].append(stripped[2:])
        elif stripped:
            definition.append(stripped)
    out["definition"] = " ".join(definition)
    return out


_SCHEMA_CACHE: dict[str, Any] = {}


def _qdc_schema():
    """The REFI-QDA Codebook.xsd shipped with the package (:mod:`insights.schemas`), parsed once."""
    if "qdc" not in _SCHEMA_CACHE:
        from lxml import etree

        from insights.schemas import path

        _SCHEMA_CACHE["qdc"] = etree.XMLSchema(etree.parse(str(path("Codebook.xsd"))))
    return _SCHEMA_CACHE["qdc"]


def qdc_bytes(book: Any) -> bytes:
    """``book`` as REFI-QDA Codebook XML (:meth:`Codebook.to_qdc_bytes`)."""
    from lxml import etree

    root = etree.Element(f"{{{QDC_NS}}}CodeBook", nsmap={None: QDC_NS})
    root.set("origin", "insights")
    codes_el = etree.SubElement(root, f"{{{QDC_NS}}}Codes")

    def add(parent_el, code: Code) -> None:
        el = etree.SubElement(parent_el, f"{{{QDC_NS}}}Code")
        el.set("guid", book.guid(code.name))
        el.set("name", code.name)
        codable = code.is_codable or not book.children(code.name)
        el.set("isCodable", "true" if codable else "false")
        if code.color:
            el.set("color", code.color)
        desc = code.qda_description()
        if desc:
            etree.SubElement(el, f"{{{QDC_NS}}}Description").text = desc
        for child in book.children(code.name):
            add(el, child)

    for top in book.children(None):
        add(codes_el, top)
    if not book.codes:
        raise ConfigError(
            "a REFI-QDA codebook needs at least one code", fix="add a code before exporting"
        )
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def write_qdc(book: Any, path: str | Path) -> Path:
    """Write ``book`` as a ``.qdc`` file (:meth:`Codebook.to_qdc`)."""
    data = qdc_bytes(book)
    schema = _qdc_schema()
    if schema is not None:
        from lxml import etree

        doc = etree.fromstring(data)
        if not schema.validate(doc):
            raise ConfigError(  # pragma: no cover - our own bug
                f"the exported codebook does not validate: {schema.error_log.last_error}",
                fix="report this as a bug in insights",
            )
    path = Path(path)
    write_bytes_atomic(path, data)
    return path


def read_qdc(path: str | Path, model: type, *, validate: bool = True) -> Any:
    """Read a REFI-QDA ``.qdc`` codebook into a ``model`` instance (:meth:`Codebook.from_qdc`)."""
    from lxml import etree

    path = Path(path)
    try:
        doc = etree.parse(str(path))
    except (OSError, etree.XMLSyntaxError) as exc:
        raise ConfigError(
            f"cannot read the REFI-QDA codebook: {exc}",
            fix="export the codebook again from your QDA tool as .qdc",
            file=path,
        ) from exc
    schema = _qdc_schema() if validate else None
    if schema is not None and not schema.validate(doc):
        err = schema.error_log.last_error
        raise ConfigError(
            f"not a valid REFI-QDA codebook: {err.message}",
            fix="export it again as a REFI-QDA codebook (.qdc), or pass validate=False",
            file=path,
            where=f"line {err.line}",
        )
    root = doc.getroot()
    ns = {"q": root.nsmap.get(None, QDC_NS)}
    codes: list[Code] = []

    def walk(el, parent: str | None) -> None:
        name = el.get("name", "").strip()
        desc_el = el.find("q:Description", ns)
        fields = _parse_description(desc_el.text if desc_el is not None else "")
        codes.append(Code(name=name, parent=parent, color=el.get("color"), **fields))
        for child in el.findall("q:Code", ns):
            walk(child, name)

    for el in root.findall("q:Codes/q:Code", ns):
        walk(el, None)
    try:
        return model(name=path.stem, codes=codes)
    except ConfigError as exc:
        raise ConfigError(exc.what, fix=exc.fix, file=path, where=exc.where) from exc
