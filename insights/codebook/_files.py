"""Codebook files: reading YAML or ``.qdc`` with errors that name the line, writing YAML."""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from insights._safe import write_bytes_atomic
from insights.errors import ConfigError
from insights.io import read_text_file

from ._code import Code
from ._qdc import read_qdc, write_qdc

# --------------------------------------------------------------------------- reading


def read_codebook(path: str | Path, model: type) -> Any:
    """Read a codebook file (YAML, or ``.qdc`` by its suffix) into a ``model`` instance.

    The model class is passed in (:meth:`Codebook.load` passes itself), so this
    module does not import it. See :func:`insights.codebook.load_codebook`.
    """
    import yaml

    path = Path(path)
    if path.suffix.lower() == ".qdc":
        return read_qdc(path, model)
    if not os.path.lexists(path):
        raise ConfigError(
            "codebook file not found", fix="check the path, or create a codebook.yaml", file=path
        )
    text = read_text_file(path, what="a codebook file", allow_empty=True)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(
            f"not valid YAML ({problem})",
            fix="check indentation and quoting "
            "(quote text that contains ': ' or starts with a symbol)",
            file=path,
            where=where,
        ) from exc
    lines = _yaml_lines(text)
    return _codebook_from_data(data, model, file=path, lines=lines, default_name=path.parent.name)


def _yaml_lines(text: str) -> dict[int, int]:
    """Line number (1-based) of each item of ``codes`` in the YAML text, by index."""
    import yaml

    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return {}
    items = None
    if isinstance(node, yaml.SequenceNode):
        items = node.value
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if getattr(k, "value", None) == "codes":
                if isinstance(v, yaml.SequenceNode):
                    items = v.value
                elif isinstance(v, yaml.MappingNode):
                    items = [x[0] for x in v.value]
    return {i: n.start_mark.line + 1 for i, n in enumerate(items or [])}


def _codebook_from_data(
    data: Any,
    model: type,
    *,
    file: Path | None = None,
    lines: dict[int, int] | None = None,
    default_name: str = "",
) -> Any:
    lines = lines or {}
    if data is None:
        data = {"codes": []}
    if isinstance(data, list):
        data = {"codes": data}
    if not isinstance(data, dict):
        raise ConfigError(
            "a codebook must be a mapping with a 'codes' list (or a list of codes)",
            fix="start the file with 'codes:' followed by '- name: ...' entries",
            file=file,
        )
    data = dict(data)
    codes = data.get("codes", [])
    if isinstance(codes, dict):  # {name: {fields}}
        codes = [{"name": k, **(v or {})} for k, v in codes.items()]
    if not isinstance(codes, list):
        raise ConfigError(
            "'codes' must be a list of codes", fix="write each code as '- name: ...'", file=file
        )
    built: list[Code] = []
    for i, raw in enumerate(codes):
        where = f"line {lines[i]}" if i in lines else f"codes[{i}]"
        if isinstance(raw, str):
            raw = {"name": raw}
        if not isinstance(raw, dict):
            raise ConfigError(
                f"code {i + 1} is not a mapping",
                fix="write it as '- name: ...'",
                file=file,
                where=where,
            )
        label = raw.get("name") or f"number {i + 1}"
        try:
            built.append(Code(**raw))
        except ValidationError as exc:
            raise _pydantic_error(exc, Code, f"code {label!r}", file, where) from exc
    data["codes"] = []
    data.setdefault("name", default_name or "codebook")
    try:
        book = model(**data)
    except ValidationError as exc:
        raise _pydantic_error(exc, model, "the codebook", file, None) from exc
    book.codes = built
    try:
        book.check(file=file)
    except ConfigError as exc:
        idx = re.search(r"codes\[(\d+)\]", exc.where or "")
        known = idx and int(idx.group(1)) in lines
        where = f"line {lines[int(idx.group(1))]}" if known else exc.where
        raise ConfigError(exc.what, fix=exc.fix, file=file, where=where) from exc
    return book


def _pydantic_error(
    exc: ValidationError, model: type[BaseModel], label: str, file, where
) -> ConfigError:
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"])
    known = list(model.model_fields)
    if err["type"] == "extra_forbidden":
        close = difflib.get_close_matches(str(err["loc"][0]), known, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return ConfigError(
            f"{label} has an unknown key {field!r}",
            fix=f"{hint}known keys are: {', '.join(known)}",
            file=file,
            where=where,
        )
    if err["type"] == "missing":
        return ConfigError(
            f"{label} has no {field!r}", fix=f"add '{field}:' to it", file=file, where=where
        )
    return ConfigError(
        f"{label}: {field} {err['msg'].lower()} (got {err.get('input')!r})",
        fix=f"correct the value of {field!r}",
        file=file,
        where=where,
    )


# --------------------------------------------------------------------------- writing


def codebook_yaml(book: Any) -> str:
    """``book`` as YAML text (:meth:`Codebook.to_yaml`): empty fields are left out."""
    import yaml

    data: dict[str, Any] = {"name": book.name}
    if book.description:
        data["description"] = book.description
    data["threshold"] = book.threshold
    if book.calibration is not None:
        data["calibration"] = book.calibration.model_dump()
    data["codes"] = [
        {k: v for k, v in c.model_dump().items() if v not in (None, [], "")} for c in book.codes
    ]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def save_codebook(book: Any, path: str | Path) -> Path:
    """Write ``book`` as YAML, or ``.qdc`` by the suffix (:meth:`Codebook.save`)."""
    path = Path(path)
    if path.suffix.lower() == ".qdc":
        return write_qdc(book, path)
    text = codebook_yaml(book)
    if path.is_file():
        try:
            text = _carry_comments(path.read_text(encoding="utf-8"), text)
        except UnicodeDecodeError:
            pass
    write_bytes_atomic(path, text.encode())
    return path


_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*):")
_CODE_NAME = re.compile(r"""^(\s*)-\s+name:\s*(["']?)(.*?)\2(?:\s+#.*)?\s*$""")


def _comment_anchor(line: str) -> tuple[str, str] | None:
    """(indent, key) of a line comments can stand above: a top-level key or a code's name."""
    m = _CODE_NAME.match(line)
    if m:
        return m.group(1), "code:" + m.group(3)
    m = _TOP_KEY.match(line)
    return ("", "key:" + m.group(1)) if m else None


def _carry_comments(old: str, new: str) -> str:
    """``new`` YAML with the comment lines of ``old`` put back (see :meth:`Codebook.save`)."""
    lines = old.splitlines()
    head: list[str] = []
    i = 0
    while i < len(lines) and (not lines[i].strip() or lines[i].lstrip().startswith("#")):
        head.append(lines[i])
        i += 1
    above: dict[str, list[str]] = {}
    pending: list[str] = []
    for line in lines[i:]:
        stripped = line.strip()
        if stripped.startswith("#"):
            pending.append(stripped)
            continue
        anchor = _comment_anchor(line)
        if anchor is not None and pending:
            above[anchor[1]] = pending
        if stripped:
            pending = []
    while head and not head[-1].strip():
        head.pop()
    out = [*head, ""] if any(h.strip() for h in head) else []
    for line in new.splitlines():
        anchor = _comment_anchor(line)
        if anchor is not None and anchor[1] in above:
            out.extend(anchor[0] + c for c in above[anchor[1]])
        out.append(line)
    return "\n".join(out) + "\n"
