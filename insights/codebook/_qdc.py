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


# --------------------------------------------------------------------------- from a project


def codes_from_project(project: Any) -> tuple[list[Code], dict[str, str], list[str]]:
    """The codes of a REFI-QDA project (:func:`insights.io.refi.read_project`) as our codes.

    A code's ``<Description>`` is read as :meth:`Code.qda_description` writes it (so our
    own exports come back whole; another tool's description becomes the definition). Two
    codes of one name (NVivo allows "Other" under two parents) become
    ``"Parent / Other"``; a colour that is not ``#RRGGBB`` is left out; a group that is not
    codable (``isCodable="false"``) comes without its description (nothing to code by).

    Returns
    -------
    (codes, names, notes)
        The codes in codebook order (parents first); code GUID key -> our code name;
        one line per code renamed or changed on the way.
    """
    import re

    rgb = re.compile(r"#[0-9A-Fa-f]{6}")
    by_guid = {c.guid: c for c in project.codes}
    counts: dict[str, int] = {}
    for c in project.codes:
        counts[c.name.casefold()] = counts.get(c.name.casefold(), 0) + 1
    names: dict[str, str] = {}
    notes: list[str] = []
    taken: set[str] = set()
    for c in project.codes:
        name = c.name
        if counts[name.casefold()] > 1 and c.parent in by_guid:
            name = f"{names.get(c.parent, by_guid[c.parent].name)} / {c.name}"
        base, k = name, 2
        while name.casefold() in taken:
            name, k = f"{base} ({k})", k + 1
        if name != c.name:
            notes.append(f"code {c.name!r} is imported as {name!r} (its name is not unique)")
        taken.add(name.casefold())
        names[c.guid] = name
    codes = []
    for c in project.codes:
        fields = _parse_description(c.description)
        if not c.codable and any(v for v in fields.values()):
            # a group (isCodable="false"): nothing the model could code it by
            fields = {"definition": "", "examples": []}
            notes.append(
                f"code {names[c.guid]!r} is a group in the project (not codable): its "
                "description is left out, so insights does not code with it"
            )
        color = (c.color or "").strip()
        color = color[:7] if rgb.fullmatch(color[:7]) and len(color) in (7, 9) else None
        codes.append(
            Code(
                name=names[c.guid],
                parent=names.get(c.parent) if c.parent else None,
                color=color,
                **fields,
            )
        )
    return codes, names, notes


def merge_codes(book: Any, codes: list[Code]) -> tuple[Any, list[str], list[str]]:
    """``book`` with the ``codes`` it lacks added; a same-named code keeps ``book``'s fields.

    A name is the same whatever its case. Where the two differ (definition, parent), the
    codebook's own is kept and the difference reported; a definition the codebook lacks
    is taken from the project.

    Returns
    -------
    (book, added, conflicts)
        The merged codebook (a new one), the names added, one line per conflict.
    """
    own = {c.name.casefold(): c for c in book.codes}
    added, conflicts, new = [], [], []
    rename: dict[str, str] = {}
    filled: dict[str, str] = {}
    for c in codes:
        mine = own.get(c.name.casefold())
        if mine is None:
            new.append(c)
            added.append(c.name)
            continue
        rename[c.name] = mine.name
        theirs_parent = rename.get(c.parent, c.parent) if c.parent else None
        if c.definition and mine.definition and c.definition != mine.definition:
            conflicts.append(
                f"code {mine.name!r}: the project's definition differs; codebook.yaml's is kept"
            )
        elif c.definition and not mine.definition:
            filled[mine.name] = c.definition
        if (theirs_parent or "").casefold() != (mine.parent or "").casefold():
            conflicts.append(
                f"code {mine.name!r}: parent {theirs_parent!r} in the project, "
                f"{mine.parent!r} in codebook.yaml; codebook.yaml's is kept"
            )
    new = [
        c.model_copy(update={"parent": rename.get(c.parent, c.parent)}) if c.parent else c
        for c in new
    ]
    kept = [
        c.model_copy(update={"definition": filled[c.name]}) if c.name in filled else c
        for c in book.codes
    ]
    merged = book.model_copy(update={"codes": [*kept, *new]}).validated()
    return merged, added, conflicts
