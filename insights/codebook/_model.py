"""Codebooks, and coding segments with them (deductive coding).

A codebook is a list of codes. Each code has a ``name``, a one-line
``definition``, an optional ``parent``, ``include`` / ``exclude`` notes,
``keywords`` and ``patterns`` for rule coding, example quotes and a ``color``::

    name: Broadband study codebook
    threshold: 0.5            # optional: minimum confidence of a semantic coding
    codes:
      - name: Price
        definition: Talk about what the service costs or whether it is worth it.
        keywords: [price, expensive, cheap, bill, "cost*"]
        patterns: ["too ... much", "/£\\d+/"]
        include: [price rises, discounts]
        exclude: [billing errors (code those as Billing)]
        examples: ["It's just too expensive for what you get."]
        color: "#E15759"

Two coders run over the segments and agree on one ``codes`` table:

- **rule**: spaCy ``Matcher`` patterns on lower-cased lemmas built from
  ``keywords`` (a trailing ``*`` is a prefix wildcard) and ``patterns`` (a string
  of tokens where ``*`` is any one token and ``...`` a gap of up to three tokens;
  ``/regex/`` on the raw text; or a raw spaCy token-pattern list). A match with a
  negation (``not``, ``no``, ``never``, ``n't``, ``without`` …) in the three tokens
  before it, within the clause, does not count.
- **semantic**: cosine similarity of the segment's embedding to the code's
  definition and examples; a logistic calibration turns (similarity, margin over
  the best other code, rule hit) into ``confidence`` — the estimated probability
  that a human would apply the code. The default calibration was fitted on the
  SemEval-2016 restaurant dev data; :func:`calibrate` refits it on your own human
  codes.

Human decisions are ``coder=human`` rows (``confidence`` 1 = accepted, 0 =
rejected) kept in their own table; :func:`code_segments` applies them last, so
they win over the model on every re-run.

Examples
--------
>>> import pandas as pd
>>> from insights.codebook import Codebook, Code, code_segments
>>> book = Codebook(codes=[Code(name="Price", definition="what it costs",
...                            keywords=["expensive", "price"])])
>>> segs = pd.DataFrame({"segment_id": ["s1", "s2"],
...                      "text": ["It is far too expensive.", "It isn't expensive."]})
>>> code_segments(segs, book, methods=("rule",))[["segment_id", "code", "method"]]
  segment_id   code method
0         s1  Price   rule
"""

from __future__ import annotations

import difflib
import re
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from insights._safe import write_bytes_atomic
from insights.schema import CODE_COLUMNS, ConfigError, InputError, require_columns

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from insights.embed import Embedder

__all__ = [
    "Code",
    "Codebook",
    "Calibration",
    "DEFAULT_CALIBRATION",
    "MODEL_CODER",
    "HUMAN_CODER",
    "merge_decisions",
    "load_codebook",
    "code_segments",
    "rule_code",
    "semantic_scores",
    "calibrate",
    "confidences",
    "apply_decisions",
    "decide",
    "review_table",
]

MODEL_CODER = "insights"
HUMAN_CODER = "human"
_QDC_NS = "urn:QDA-XML:codebook:1.0"
_GUID_NS = uuid.UUID("6f1c3a52-5d8e-4a8b-9a57-0b7f5d1c2e11")
_COLOR = re.compile(r"^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")


# --------------------------------------------------------------------------- model


def _as_list(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    return value


class Calibration(BaseModel):
    """Logistic map from (similarity, margin, rule hit) to confidence."""

    model_config = ConfigDict(extra="forbid")

    similarity: float
    margin: float
    rule: float
    intercept: float

    def confidence(self, sim: np.ndarray, margin: np.ndarray, rule: np.ndarray) -> np.ndarray:
        z = self.similarity * sim + self.margin * margin + self.rule * rule + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


class Code(BaseModel):
    """One code of a codebook. Unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1)
    definition: str = ""
    parent: str | None = None
    keywords: list[str] = Field(default_factory=list)
    patterns: list[str | list[dict[str, Any]]] = Field(default_factory=list)
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    color: str | None = None
    threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    calibration: Calibration | None = None

    @field_validator("keywords", "include", "exclude", "examples", "patterns", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return _as_list(value)

    @field_validator("parent", mode="before")
    @classmethod
    def _empty_parent(cls, value: Any) -> Any:
        return None if value in ("", None) else value

    @field_validator("color")
    @classmethod
    def _check_color(cls, value: str | None) -> str | None:
        if value is not None and not _COLOR.match(value):
            raise ValueError(f"color {value!r} is not #RRGGBB")
        return value

    def description_text(self) -> str:
        """The text embedded for semantic coding: name, definition, include notes."""
        name = re.sub(r"[_#/]+", " ", self.name).strip()
        parts = [f"{name}: {self.definition}" if self.definition else name]
        if self.include:
            parts.append("; ".join(self.include))
        return ". ".join(parts)

    @property
    def is_codable(self) -> bool:
        """False for pure grouping codes (nothing to match or embed but the name)."""
        return bool(self.definition or self.keywords or self.patterns or self.examples)


#: Fitted by ``benchmarks/themes_eval.py`` on the SemEval-2016 restaurant dev
#: sentences with MiniLM and benchmarks/semeval_codebook.yaml (whole-codebook fit,
#: ``default_calibration_fitted`` in benchmarks/results/themes_eval.json). Refit on
#: your own human codes with :func:`calibrate`.
DEFAULT_CALIBRATION = Calibration(similarity=2.65, margin=6.42, rule=2.72, intercept=-3.28)


class Codebook(BaseModel):
    """A named list of codes, loaded from and saved to YAML or REFI-QDA ``.qdc``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = "codebook"
    description: str = ""
    threshold: float = Field(default=0.5, ge=0.0, le=1.0)
    calibration: Calibration | None = None
    codes: list[Code] = Field(default_factory=list)

    def model_post_init(self, _context: Any) -> None:
        self.check()

    # ----- validation

    def check(self, *, file: str | Path | None = None) -> None:
        """Raise :class:`ConfigError` for duplicate names, unknown parents, cycles."""
        seen: dict[str, int] = {}
        for i, code in enumerate(self.codes):
            key = code.name.casefold()
            if key in seen:
                raise ConfigError(
                    f"code {code.name!r} is defined twice (codes {seen[key] + 1} and {i + 1})",
                    fix="give each code a unique name, or merge the two entries",
                    file=file,
                    where=f"codes[{i}]",
                )
            seen[key] = i
        names = {c.name for c in self.codes}
        for i, code in enumerate(self.codes):
            if code.parent is not None and code.parent not in names:
                close = difflib.get_close_matches(code.parent, names, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise ConfigError(
                    f"code {code.name!r} has parent {code.parent!r}, which is not a code in this codebook",
                    fix=f"{hint}define a code named {code.parent!r} or correct the parent name",
                    file=file,
                    where=f"codes[{i}]",
                )
        parents = {c.name: c.parent for c in self.codes}
        for name in parents:
            chain, node = [name], parents[name]
            while node is not None:
                if node in chain:
                    raise ConfigError(
                        f"codes form a parent cycle: {' -> '.join([*chain, node])}",
                        fix="make sure no code is its own ancestor",
                        file=file,
                    )
                chain.append(node)
                node = parents.get(node)

    # ----- access

    def __getitem__(self, name: str) -> Code:
        for code in self.codes:
            if code.name == name:
                return code
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return any(c.name == name for c in self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.codes]

    def children(self, name: str | None) -> list[Code]:
        """Codes whose parent is ``name`` (``None``: top-level codes)."""
        return [c for c in self.codes if c.parent == name]

    def with_codes(self, codes: Iterable[Code], *, replace: bool = True) -> Codebook:
        """A new codebook with ``codes`` added (replacing same-named codes if ``replace``)."""
        new = list(codes)
        new_names = {c.name for c in new}
        if not replace:
            clash = sorted(new_names & set(self.names))
            if clash:
                raise ConfigError(
                    f"codes already in the codebook: {', '.join(clash)}",
                    fix="rename them or pass replace=True",
                )
        kept = [c for c in self.codes if c.name not in new_names]
        return self.model_copy(update={"codes": [*kept, *new]}).validated()

    def without(self, names: Iterable[str]) -> Codebook:
        """A new codebook without the codes ``names`` (their children move up)."""
        drop = set(names)
        codes = []
        for c in self.codes:
            if c.name in drop:
                continue
            parent = c.parent
            while parent in drop:
                parent = self[parent].parent
            codes.append(c.model_copy(update={"parent": parent}))
        return self.model_copy(update={"codes": codes}).validated()

    def validated(self) -> Codebook:
        self.check()
        return self

    # ----- YAML

    @classmethod
    def load(cls, path: str | Path) -> Codebook:
        """Read a codebook from ``.yaml`` / ``.yml`` or REFI-QDA ``.qdc``."""
        path = Path(path)
        if path.suffix.lower() == ".qdc":
            return cls.from_qdc(path)
        return load_codebook(path)

    def to_yaml(self) -> str:
        import yaml

        data: dict[str, Any] = {"name": self.name}
        if self.description:
            data["description"] = self.description
        data["threshold"] = self.threshold
        if self.calibration is not None:
            data["calibration"] = self.calibration.model_dump()
        data["codes"] = [
            {k: v for k, v in c.model_dump().items() if v not in (None, [], "")} for c in self.codes
        ]
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)

    def save(self, path: str | Path) -> Path:
        """Write the codebook as YAML (or ``.qdc`` if the suffix says so), atomically.

        Saving over a YAML file keeps its comment lines: those at the top, and those
        standing just above a top-level key or a code's ``- name:`` line go back above
        the same key or code. (Comments at the end of a line are not kept.)
        """
        path = Path(path)
        if path.suffix.lower() == ".qdc":
            return self.to_qdc(path)
        text = self.to_yaml()
        if path.is_file():
            try:
                text = _carry_comments(path.read_text(encoding="utf-8"), text)
            except UnicodeDecodeError:
                pass
        write_bytes_atomic(path, text.encode())
        return path

    # ----- REFI-QDA

    def guid(self, name: str) -> str:
        """A stable GUID for code ``name`` (same codebook name + code name → same GUID)."""
        return str(uuid.uuid5(_GUID_NS, f"{self.name}\0{name}"))

    def to_qdc_bytes(self) -> bytes:
        """The codebook as REFI-QDA Codebook XML (``urn:QDA-XML:codebook:1.0``)."""
        from lxml import etree

        root = etree.Element(f"{{{_QDC_NS}}}CodeBook", nsmap={None: _QDC_NS})
        root.set("origin", "insights")
        codes_el = etree.SubElement(root, f"{{{_QDC_NS}}}Codes")

        def add(parent_el, code: Code) -> None:
            el = etree.SubElement(parent_el, f"{{{_QDC_NS}}}Code")
            el.set("guid", self.guid(code.name))
            el.set("name", code.name)
            el.set("isCodable", "true" if code.is_codable or not self.children(code.name) else "false")
            if code.color:
                el.set("color", code.color)
            desc = _describe(code)
            if desc:
                etree.SubElement(el, f"{{{_QDC_NS}}}Description").text = desc
            for child in self.children(code.name):
                add(el, child)

        for top in self.children(None):
            add(codes_el, top)
        if not self.codes:
            raise ConfigError(
                "a REFI-QDA codebook needs at least one code", fix="add a code before exporting"
            )
        return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)

    def to_qdc(self, path: str | Path) -> Path:
        """Write a ``.qdc`` file (validated against the REFI-QDA schema when it is found)."""
        data = self.to_qdc_bytes()
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

    @classmethod
    def from_qdc(cls, path: str | Path, *, validate: bool = True) -> Codebook:
        """Read a REFI-QDA ``.qdc`` codebook (as written by NVivo, ATLAS.ti, MAXQDA, QualCoder)."""
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
        ns = {"q": root.nsmap.get(None, _QDC_NS)}
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
            return cls(name=path.stem, codes=codes)
        except ConfigError as exc:
            raise ConfigError(exc.what, fix=exc.fix, file=path, where=exc.where) from exc


_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*):")
_CODE_NAME = re.compile(r"""^(\s*)-\s+name:\s*(["']?)(.*?)\2(?:\s+#.*)?\s*$""")


def _comment_anchor(line: str) -> tuple[str, str] | None:
    """(indent, key) of a line comments can stand above: a top-level key or a code's name line."""
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


def _describe(code: Code) -> str:
    lines = [code.definition] if code.definition else []
    for label, values in (
        ("Include", code.include),
        ("Exclude", code.exclude),
        ("Keywords", code.keywords),
        ("Patterns", [p for p in code.patterns if isinstance(p, str)]),
    ):
        if values:
            lines.append(f"{label}: " + " | ".join(values))
    if code.examples:
        lines.append("Examples:")
        lines.extend(f"- {e}" for e in code.examples)
    return "\n".join(lines)


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


# --------------------------------------------------------------------------- YAML loading


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
                items = v.value if isinstance(v, yaml.SequenceNode) else [x[0] for x in v.value]
    return {i: n.start_mark.line + 1 for i, n in enumerate(items or [])}


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a codebook YAML file.

    The file is either a mapping with a ``codes`` key (a list of codes, or a
    mapping from code name to its fields) or a bare list of codes.

    Raises
    ------
    ConfigError
        For a missing file, bad YAML, an unknown key, a code referenced as parent
        but not defined, or two codes with the same name; the message names the
        file, the line and the code.
    """
    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise ConfigError(
            "codebook file not found", fix="check the path, or create a codebook.yaml", file=path
        ) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(
            f"not valid YAML ({problem})",
            fix="check indentation and quoting (quote text that contains ': ' or starts with a symbol)",
            file=path,
            where=where,
        ) from exc
    return _codebook_from_data(data, file=path, lines=_yaml_lines(text), default_name=path.parent.name)


def _codebook_from_data(
    data: Any, *, file: Path | None = None, lines: dict[int, int] | None = None, default_name: str = ""
) -> Codebook:
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
                f"code {i + 1} is not a mapping", fix="write it as '- name: ...'", file=file, where=where
            )
        label = raw.get("name") or f"number {i + 1}"
        try:
            built.append(Code(**raw))
        except ValidationError as exc:
            raise _pydantic_error(exc, Code, f"code {label!r}", file, where) from exc
    data["codes"] = []
    data.setdefault("name", default_name or "codebook")
    try:
        book = Codebook(**data)
    except ValidationError as exc:
        raise _pydantic_error(exc, Codebook, "the codebook", file, None) from exc
    book.codes = built
    try:
        book.check(file=file)
    except ConfigError as exc:
        idx = re.search(r"codes\[(\d+)\]", exc.where or "")
        where = f"line {lines[int(idx.group(1))]}" if idx and int(idx.group(1)) in lines else exc.where
        raise ConfigError(exc.what, fix=exc.fix, file=file, where=where) from exc
    return book


def _pydantic_error(exc: ValidationError, model: type[BaseModel], label: str, file, where) -> ConfigError:
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


# --------------------------------------------------------------------------- rule coding

_NEGATORS = frozenset(
    "not no never n't without hardly barely nothing none nobody neither nor cannot".split()
)
_CLAUSE_BREAK = frozenset([",", ";", ":", "but", "although", "though", "however", ".", "!", "?"])
_GAP = "..."


def _load_nlp():
    """The default pipeline for rule coding: lemmas only (no parser, NER or sentence splitter)."""
    from insights.nlp import load_spacy

    return load_spacy(exclude=("parser", "ner", "senter"))


def _ensure_extension() -> None:
    from spacy.tokens import Token

    if not Token.has_extension("ins_lemma"):
        Token.set_extension("ins_lemma", getter=lambda t: t.lemma_.lower())


def _token_specs(nlp, phrase: str) -> list[list[dict[str, Any]]]:
    """Matcher patterns for one keyword / pattern string: by lemma, and by lower-case form."""
    slots: list[tuple[str, str]] = []
    plain: list[str] = []
    for w in phrase.split():
        if w == _GAP:
            slots.append(("gap", ""))
        elif w == "*":
            slots.append(("any", ""))
        elif w.endswith("*") and len(w) > 1:
            slots.append(("prefix", w[:-1].lower()))
        else:
            slots.append(("word", str(len(plain))))
            plain.append(w)
    # spaCy may split a word into several tokens (e.g. "wi-fi"): keep its tokens
    groups: list[list[tuple[str, str]]] = [[] for _ in plain]
    if plain:
        doc = nlp(" ".join(plain))
        offsets = []
        pos = 0
        for w in plain:
            offsets.append((pos, pos + len(w)))
            pos += len(w) + 1
        for tok in doc:
            for k, (a, b) in enumerate(offsets):
                if a <= tok.idx < b:
                    groups[k].append((tok.lemma_.lower(), tok.lower_))
    by_lemma: list[dict[str, Any]] = []
    by_lower: list[dict[str, Any]] = []
    for kind, value in slots:
        if kind == "gap":
            for p in (by_lemma, by_lower):
                p.extend({"OP": "?"} for _ in range(3))
        elif kind == "any":
            for p in (by_lemma, by_lower):
                p.append({})
        elif kind == "prefix":
            for p in (by_lemma, by_lower):
                p.append({"LOWER": {"REGEX": "^" + re.escape(value)}})
        else:
            for lemma, lower in groups[int(value)]:
                by_lemma.append({"_": {"ins_lemma": {"IN": sorted({lemma, lower})}}})
                by_lower.append({"LOWER": lower})
    return [by_lemma, by_lower]


class _RuleCoder:
    def __init__(self, codebook: Codebook, nlp) -> None:
        from spacy.matcher import Matcher

        _ensure_extension()
        self.nlp = nlp
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.regexes: list[tuple[str, re.Pattern]] = []
        for code in codebook.codes:
            specs: list[list[dict[str, Any]]] = []
            for kw in code.keywords:
                specs.extend(_token_specs(nlp, kw))
            for pat in code.patterns:
                if isinstance(pat, list):
                    specs.append(pat)
                elif len(pat) > 2 and pat.startswith("/") and pat.endswith("/"):
                    try:
                        self.regexes.append((code.name, re.compile(pat[1:-1], re.IGNORECASE)))
                    except re.error as exc:
                        raise ConfigError(
                            f"code {code.name!r}: pattern {pat!r} is not a valid regular expression ({exc})",
                            fix="correct the regex between the slashes",
                        ) from exc
                else:
                    specs.extend(_token_specs(nlp, pat))
            specs = [s for s in specs if s]
            if specs:
                try:
                    self.matcher.add(code.name, specs)
                except Exception as exc:
                    raise ConfigError(
                        f"code {code.name!r}: a keyword or pattern is not a valid spaCy pattern ({exc})",
                        fix="see https://spacy.io/usage/rule-based-matching for the token-pattern format",
                    ) from exc

    @staticmethod
    def _negated(doc, start: int) -> bool:
        for i in range(start - 1, max(start - 4, -1), -1):
            tok = doc[i]
            low = tok.lower_
            if low in _CLAUSE_BREAK:
                return False
            if low in _NEGATORS or tok.lemma_.lower() in _NEGATORS:
                return True
        return False

    def code(self, ids: Sequence[str], texts: Sequence[str], *, batch_size: int = 256):
        """Yield (segment_id, code, matched_text, negated) per match."""
        for sid, doc in zip(ids, self.nlp.pipe(texts, batch_size=batch_size), strict=True):
            found: dict[str, tuple[str, bool]] = {}
            for match_id, start, end in self.matcher(doc):
                code = self.nlp.vocab.strings[match_id]
                neg = self._negated(doc, start)
                prev = found.get(code)
                if prev is None or (prev[1] and not neg):
                    found[code] = (doc[start:end].text, neg)
            for code, rx in self.regexes:
                m = rx.search(doc.text)
                if m and (code not in found or found[code][1]):
                    found[code] = (m.group(0), False)
            for code, (text, neg) in found.items():
                yield sid, code, text, neg


def rule_code(
    segments: pd.DataFrame,
    codebook: Codebook,
    *,
    nlp=None,
    include_negated: bool = False,
    cache: str | Path | None = None,
) -> pd.DataFrame:
    """Keyword / pattern matches: ``segment_id, code, match, negated`` (one row per code hit).

    With ``cache`` (a folder), matches are kept per text under a key of the
    codebook's keywords and patterns and the spaCy pipeline and version: a re-run with
    the same rules lemmatises only texts it has not seen (none: spaCy is not even loaded).
    """
    import pandas as pd

    from insights._rerun import cached_values

    def match(todo: list[str]) -> list[list[tuple[str, str, bool]]]:
        found: list[list[tuple[str, str, bool]]] = [[] for _ in todo]
        coder = _RuleCoder(codebook, nlp if nlp is not None else _load_nlp())
        for k, code, text, negated in coder.code(list(range(len(todo))), todo):
            found[k].append((code, text, negated))
        return found

    segs = _prepare(segments)
    ids, texts = segs["segment_id"].tolist(), segs["text"].tolist()
    hits, _ = cached_values(texts, match, folder=cache, namespace=f"rules:{_rules_key(codebook, nlp)}")
    rows = [(sid, code, text, neg) for sid, found in zip(ids, hits, strict=True) for code, text, neg in found]
    out = pd.DataFrame(rows, columns=["segment_id", "code", "match", "negated"])
    if not include_negated:
        out = out[~out["negated"]].reset_index(drop=True)
    return out


#: bump when rule matching changes, to invalidate cached matches
_RULES_VERSION = "1"


def _rules_key(codebook: Codebook, nlp) -> str:
    import hashlib
    import json

    from insights.nlp import DEFAULT_SPACY_MODEL, pipeline_key

    pipeline = pipeline_key(DEFAULT_SPACY_MODEL if nlp is None else nlp)  # None: what _load_nlp() loads
    rules = [(c.name, list(c.keywords), [p if isinstance(p, str) else json.dumps(p, sort_keys=True) for p in c.patterns])
             for c in codebook.codes if c.keywords or c.patterns]
    blob = json.dumps([_RULES_VERSION, pipeline, sorted(_NEGATORS), rules])
    return hashlib.sha1(blob.encode()).hexdigest()[:16]


# --------------------------------------------------------------------------- semantic coding


def _prepare(segments: pd.DataFrame, *, roles: Sequence[str] | None = None) -> pd.DataFrame:
    """segment_id + text of the rows to code (participant speech when roles are known)."""
    import pandas as pd

    if "segment_id" not in segments.columns:
        if "id" in segments.columns:
            segments = segments.assign(segment_id=segments["id"])
        else:
            require_columns(segments, ["segment_id", "text"], table="segments")
    require_columns(segments, ["text"], table="segments")
    df = segments
    if roles is not None and "role" in df.columns:
        df = df[df["role"].isin(roles) | df["role"].isna()]
    out = pd.DataFrame(
        {
            "segment_id": df["segment_id"].astype(str).to_numpy(),
            "text": df["text"].fillna("").astype(str).to_numpy(),
        }
    )
    dup = out["segment_id"].duplicated()
    if dup.any():
        raise InputError(
            f"segment_id {out['segment_id'][dup].iloc[0]!r} appears more than once",
            fix="give every segment a unique segment_id",
        )
    return out[out["text"].str.strip() != ""].reset_index(drop=True)


_CLAUSE_SPLIT = re.compile(r"\s*(?:[,;:()\u2013\u2014!?]|\s-\s|\.\s|\bbut\b|\band\b|\bthough\b|\balthough\b)\s*", re.I)


def _clauses(text: str, *, min_words: int = 2) -> list[str]:
    """Clauses of a segment worth embedding on their own (empty when it has only one)."""
    parts = [p.strip() for p in _CLAUSE_SPLIT.split(text) if p and p.strip()]
    parts = [p for p in parts if len(p.split()) >= min_words]
    return parts if len(parts) > 1 else []


def _code_similarity(x: np.ndarray, codes: list[Code], defs: np.ndarray, examples, excludes) -> np.ndarray:
    sim = x @ defs.T
    for j, (ex, neg_vecs) in enumerate(zip(examples, excludes, strict=True)):
        if ex is not None and len(ex):
            s = x @ ex.T
            k = min(2, s.shape[1])
            top = np.sort(s, axis=1)[:, -k:].mean(axis=1)
            sim[:, j] = np.maximum(sim[:, j], top)
        if neg_vecs is not None:
            neg = (x @ neg_vecs.T).max(axis=1)
            sim[:, j] -= 0.5 * np.clip(neg - sim[:, j], 0, None)
    return sim


def semantic_scores(
    segments: pd.DataFrame,
    codebook: Codebook,
    *,
    embedder: Embedder | None = None,
    clauses: bool = True,
) -> tuple[list[str], list[str], np.ndarray]:
    """Cosine similarity of every segment to every codable code.

    The similarity to a code is the larger of the similarity to its description
    (name, definition, include notes) and the mean of the two most similar
    examples, minus half the excess similarity to its exclude notes. With
    ``clauses`` (default), a segment made of several clauses ("great food,
    rude staff") scores the best of the whole and of each clause, so a code
    mentioned in passing is not drowned by the rest of the sentence.

    Returns
    -------
    segment_ids, code_names, scores : list, list, ndarray of shape (n_segments, n_codes)
    """
    from insights.embed import get_embedder

    emb = embedder if embedder is not None else get_embedder()
    segs = _prepare(segments)
    codes = [c for c in codebook.codes if c.is_codable]
    if not codes or segs.empty:
        return segs["segment_id"].tolist(), [c.name for c in codes], np.zeros((len(segs), len(codes)))
    texts = segs["text"].tolist()
    defs = emb.encode([c.description_text() for c in codes])
    examples = [emb.encode(c.examples) if c.examples else None for c in codes]
    excludes = [emb.encode(c.exclude) if c.exclude else None for c in codes]
    sim = _code_similarity(emb.encode(texts), codes, defs, examples, excludes)
    if clauses:
        owner, parts = [], []
        for i, text in enumerate(texts):
            for part in _clauses(text):
                owner.append(i)
                parts.append(part)
        if parts:
            csim = _code_similarity(emb.encode(parts), codes, defs, examples, excludes)
            np.maximum.at(sim, np.asarray(owner), csim)
    return segs["segment_id"].tolist(), [c.name for c in codes], sim


def _lineage_mask(codebook: Codebook, names: list[str]) -> np.ndarray:
    """mask[j, k] is True when codes j and k are different and neither is the other's ancestor."""
    parents = {c.name: c.parent for c in codebook.codes}

    def ancestors(name: str) -> set[str]:
        out, node = set(), parents.get(name)
        while node is not None and node not in out:
            out.add(node)
            node = parents.get(node)
        return out

    anc = {n: ancestors(n) for n in names}
    return np.array(
        [[j != k and a not in anc[b] and b not in anc[a] for k, b in enumerate(names)] for j, a in enumerate(names)]
    )


def _margin(sim: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Similarity minus the best similarity to a code outside the code's own lineage."""
    n = sim.shape[1]
    if n < 2:
        return np.zeros_like(sim)
    if mask is None:
        mask = ~np.eye(n, dtype=bool)
    out = np.zeros_like(sim)
    for j in range(n):
        others = sim[:, mask[j]]
        out[:, j] = sim[:, j] - (others.max(axis=1) if others.shape[1] else 0.0)
    return out


def _features(sim: np.ndarray, rule: np.ndarray, mask: np.ndarray | None = None):
    return sim, _margin(sim, mask), rule.astype(float)


def _fit_logistic(X: np.ndarray, y: np.ndarray) -> Calibration:
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=10.0, max_iter=2000).fit(X, y)
    a, b, c = lr.coef_[0]
    return Calibration(similarity=float(a), margin=float(b), rule=float(c), intercept=float(lr.intercept_[0]))


def _best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The confidence threshold that maximises F1 (ties: the higher threshold)."""
    best, best_f1 = 0.5, -1.0
    for t in np.round(np.arange(0.1, 0.91, 0.05), 2):
        pred = p >= t
        tp = int((pred & (y == 1)).sum())
        f1 = 2 * tp / max(1, pred.sum() + (y == 1).sum())
        if f1 >= best_f1:
            best, best_f1 = float(t), f1
    return best


def calibrate(
    segments: pd.DataFrame,
    codebook: Codebook,
    human_codes: pd.DataFrame,
    *,
    embedder: Embedder | None = None,
    nlp=None,
    per_code_min: int = 8,
    tune_thresholds: bool = True,
) -> Codebook:
    """A copy of ``codebook`` whose confidences are calibrated on human codes.

    Every segment that appears in ``human_codes`` counts as judged: codes the
    human did not apply to it are negatives. A logistic map from (similarity,
    margin, rule hit) to probability is fitted for the whole codebook, and one
    per code that has at least ``per_code_min`` positive segments. With
    ``tune_thresholds``, such codes also get the F1-optimal ``threshold``.
    Save the returned codebook to keep the calibration.
    """
    require_columns(human_codes, ["segment_id", "code"], table="human codes")
    judged = set(human_codes["segment_id"].astype(str))
    segs = _prepare(segments)
    segs = segs[segs["segment_id"].isin(judged)]
    if segs.empty:
        raise InputError(
            "none of the human-coded segment ids are in the segments table",
            fix="code segments by their segment_id from segments.csv",
        )
    ids, names, sim = semantic_scores(segs, codebook, embedder=embedder)
    rule = _rule_matrix(segs, codebook, ids, names, nlp=nlp)
    pos = set(zip(human_codes["segment_id"].astype(str), human_codes["code"], strict=True))
    y = np.array([[(sid, n) in pos for n in names] for sid in ids], dtype=int)
    if y.min() == y.max():
        raise InputError(
            "the human codes are all positive or all negative; cannot calibrate",
            fix="include segments that have codes and segments that do not",
        )
    s, m, r = _features(sim, rule, _lineage_mask(codebook, names))
    overall = _fit_logistic(np.column_stack([s.ravel(), m.ravel(), r.ravel()]), y.ravel())
    updated = []
    col = {n: j for j, n in enumerate(names)}
    for code in codebook.codes:
        j = col.get(code.name)
        if j is None or y[:, j].sum() < per_code_min or y[:, j].sum() == len(y):
            updated.append(code.model_copy(update={"calibration": None}))
            continue
        cal = _fit_logistic(np.column_stack([s[:, j], m[:, j], r[:, j]]), y[:, j])
        update: dict[str, Any] = {"calibration": cal}
        if tune_thresholds:
            update["threshold"] = _best_threshold(cal.confidence(s[:, j], m[:, j], r[:, j]), y[:, j])
        updated.append(code.model_copy(update=update))
    return codebook.model_copy(update={"calibration": overall, "codes": updated})


def confidences(
    segments: pd.DataFrame,
    codebook: Codebook,
    *,
    embedder: Embedder | None = None,
    nlp=None,
    methods: Sequence[str] = ("rule", "semantic"),
    cache: str | Path | None = None,
) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """Calibrated confidence of every (segment, codable code), and the rule hits (cached in ``cache``).

    Returns
    -------
    segment_ids, code_names, confidence, rule_hit : list, list, ndarray, ndarray
    """
    segs = _prepare(segments)
    codes = [c for c in codebook.codes if c.is_codable]
    names = [c.name for c in codes]
    ids = segs["segment_id"].tolist()
    if not codes or segs.empty:
        z = np.zeros((len(ids), len(names)))
        return ids, names, z, z.copy()
    rule = (
        _rule_matrix(segs, codebook, ids, names, nlp=nlp, cache=cache)
        if "rule" in methods
        else np.zeros((len(ids), len(names)))
    )
    if "semantic" not in methods:
        return ids, names, rule.copy(), rule
    _, _, sim = semantic_scores(segs, codebook, embedder=embedder)
    s, m, r = _features(sim, rule, _lineage_mask(codebook, names))
    conf = np.zeros_like(sim)
    for j, code in enumerate(codes):
        cal = code.calibration or codebook.calibration or DEFAULT_CALIBRATION
        conf[:, j] = cal.confidence(s[:, j], m[:, j], r[:, j])
    return ids, names, conf, rule


def _rule_matrix(segs, codebook, ids, names, *, nlp=None, hits=None, cache=None) -> np.ndarray:
    if hits is None:
        has_rules = any(c.keywords or c.patterns for c in codebook.codes)
        if not has_rules:
            return np.zeros((len(ids), len(names)))
        hits = rule_code(segs, codebook, nlp=nlp, cache=cache)
    row = {sid: i for i, sid in enumerate(ids)}
    col = {n: j for j, n in enumerate(names)}
    mat = np.zeros((len(ids), len(names)))
    for sid, code in zip(hits["segment_id"], hits["code"], strict=True):
        if sid in row and code in col:
            mat[row[sid], col[code]] = 1.0
    return mat


# --------------------------------------------------------------------------- coding


def code_segments(
    segments: pd.DataFrame,
    codebook: Codebook,
    *,
    embedder: Embedder | None = None,
    nlp=None,
    methods: Sequence[str] = ("rule", "semantic"),
    threshold: float | None = None,
    decisions: pd.DataFrame | None = None,
    roles: Sequence[str] | None = ("participant", "unknown"),
    keep_below: float | None = None,
    cache: str | Path | None = None,
) -> pd.DataFrame:
    """Code every segment with the codebook; returns a ``codes`` table.

    Parameters
    ----------
    segments : DataFrame
        Needs ``segment_id`` (or ``id``) and ``text``; when it has ``role``, only
        rows whose role is in ``roles`` (or missing) are coded.
    codebook : Codebook
    embedder : Embedder, optional
        Default: the process-wide MiniLM (cached on disk).
    nlp : spaCy Language, optional
        Needs a lemmatizer; default: ``en_core_web_sm`` without parser and NER.
    methods : ("rule", "semantic")
        ``("rule",)`` needs no embedder: every non-negated match is coded with
        confidence 1.
    threshold : float, optional
        Minimum confidence; default the code's own ``threshold``, else the codebook's.
    decisions : DataFrame, optional
        Human decisions (``segment_id, code, confidence``; 1 accept, 0 reject),
        applied last: they win over the model.
    keep_below : float, optional
        Also keep model codings whose confidence is at least this but below the
        threshold (to review them); filter ``confidence >= threshold`` to drop them.
    cache : path, optional
        A folder where keyword / pattern matches are kept per text (see :func:`rule_code`),
        so a re-run lemmatises only new text.

    Returns
    -------
    DataFrame with ``segment_id, code, confidence, method, coder``, one row per
    (segment, code), sorted by segment order then confidence.
    """
    import pandas as pd

    unknown = set(methods) - {"rule", "semantic"}
    if unknown:
        raise ConfigError(
            f"unknown coding method(s): {', '.join(sorted(unknown))}", fix="use 'rule' and/or 'semantic'"
        )
    segs = _prepare(segments, roles=roles)
    order = {sid: i for i, sid in enumerate(_prepare(segments)["segment_id"])}
    rows: list[tuple[str, str, float, str, str]] = []
    if not segs.empty:
        ids, names, conf, rule = confidences(segs, codebook, embedder=embedder, nlp=nlp, methods=methods, cache=cache)
        by_name = {c.name: c for c in codebook.codes}
        thresholds = np.array(
            [
                threshold
                if threshold is not None
                else (by_name[n].threshold if by_name[n].threshold is not None else codebook.threshold)
                for n in names
            ]
        )
        floor = np.minimum(thresholds, keep_below) if keep_below is not None else thresholds
        hit = conf >= floor[None, :] if len(names) else np.zeros((len(ids), 0), bool)
        for i, j in zip(*np.nonzero(hit), strict=True):
            method = "rule" if rule[i, j] else "semantic"
            rows.append((ids[i], names[j], round(float(conf[i, j]), 4), method, MODEL_CODER))
    out = pd.DataFrame(rows, columns=list(CODE_COLUMNS))
    if decisions is not None:
        out = apply_decisions(out, decisions)
    if not out.empty:
        out = (
            out.assign(_o=out["segment_id"].map(order).fillna(len(order)))
            .sort_values(["_o", "confidence"], ascending=[True, False], kind="stable")
            .drop(columns="_o")
            .reset_index(drop=True)
        )
    return out


# --------------------------------------------------------------------------- human decisions


def _decision_frame(decisions: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    require_columns(decisions, ["segment_id", "code"], table="decisions")
    d = decisions.copy()
    if "confidence" not in d.columns:
        d["confidence"] = 1.0
    if "coder" not in d.columns:
        d["coder"] = HUMAN_CODER
    d["method"] = "human"
    d["segment_id"] = d["segment_id"].astype(str)
    d["confidence"] = pd.to_numeric(d["confidence"], errors="coerce").fillna(1.0).clip(0, 1)
    # the last decision on a (segment, code) wins; extra columns (the QDA tool's `user`) stay
    extra = [c for c in d.columns if c not in CODE_COLUMNS]
    return d.drop_duplicates(["segment_id", "code"], keep="last")[[*CODE_COLUMNS, *extra]].reset_index(drop=True)


def merge_decisions(*tables: pd.DataFrame | None) -> pd.DataFrame:
    """One decisions table from several, in order: the last decision on a (segment, code) wins.

    Examples
    --------
    >>> import pandas as pd
    >>> old = pd.DataFrame({"segment_id": ["s1"], "code": ["Price"], "confidence": [1.0]})
    >>> new = pd.DataFrame({"segment_id": ["s1"], "code": ["Price"], "confidence": [0.0], "user": ["Ana"]})
    >>> merge_decisions(old, new)[["segment_id", "confidence", "user"]].to_dict("records")
    [{'segment_id': 's1', 'confidence': 0.0, 'user': 'Ana'}]
    """
    import pandas as pd

    # each table filled in on its own first: one without `coder` is human decisions, even
    # when another table brings the column
    parts = [_decision_frame(t) for t in tables if t is not None and not t.empty]
    if not parts:
        return pd.DataFrame(columns=list(CODE_COLUMNS))
    return _decision_frame(pd.concat(parts, ignore_index=True))


def apply_decisions(codes: pd.DataFrame, decisions: pd.DataFrame) -> pd.DataFrame:
    """Model codes with human decisions applied: accepted ones become ``coder=human``
    rows with confidence 1, rejected ones disappear."""
    import pandas as pd

    d = _decision_frame(decisions)
    if d.empty:
        return codes.copy()
    decided = set(zip(d["segment_id"], d["code"], strict=True))
    keep = [
        (sid, code) not in decided
        for sid, code in zip(codes["segment_id"].astype(str), codes["code"], strict=True)
    ]
    accepted = d[d["confidence"] >= 0.5].assign(confidence=1.0)
    return pd.concat([codes[keep], accepted], ignore_index=True)[list(CODE_COLUMNS)]


def decide(
    decisions: pd.DataFrame | None,
    segment_id: str | Sequence[str],
    code: str | Sequence[str],
    *,
    accept: bool | Sequence[bool],
    coder: str = HUMAN_CODER,
) -> pd.DataFrame:
    """A new decisions table with the given accept / reject decisions added.

    Examples
    --------
    >>> d = decide(None, ["s1", "s2"], "Price", accept=[True, False])
    >>> d[["segment_id", "code", "confidence", "coder"]].to_dict("records")[1]
    {'segment_id': 's2', 'code': 'Price', 'confidence': 0.0, 'coder': 'human'}
    """
    import pandas as pd

    ids = [segment_id] if isinstance(segment_id, str) else list(segment_id)
    codes = [code] * len(ids) if isinstance(code, str) else list(code)
    accepts = [accept] * len(ids) if isinstance(accept, bool) else list(accept)
    if not (len(ids) == len(codes) == len(accepts)):
        raise InputError("segment_id, code and accept have different lengths", fix="pass lists of equal length")
    new = pd.DataFrame(
        {
            "segment_id": [str(s) for s in ids],
            "code": codes,
            "confidence": [1.0 if a else 0.0 for a in accepts],
            "method": "human",
            "coder": coder,
        }
    )
    return merge_decisions(decisions, new)


def review_table(
    codes: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    low: float = 0.0,
    high: float = 0.75,
    extra_columns: Sequence[str] = ("participant_id",),
) -> pd.DataFrame:
    """Model codings with ``low <= confidence < high`` next to their text, least sure first."""
    c = codes[(codes["coder"] != HUMAN_CODER) & (codes["confidence"] >= low) & (codes["confidence"] < high)]
    cols = ["segment_id", "text", *[x for x in extra_columns if x in segments.columns]]
    seg = segments.assign(segment_id=segments["segment_id"].astype(str))[cols]
    out = c.merge(seg, on="segment_id", how="left")
    return out.sort_values("confidence", kind="stable").reset_index(drop=True)
