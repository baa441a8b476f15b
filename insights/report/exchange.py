"""Exchange with other tools: a workbook for spreadsheets and statistics, a REFI-QDA project.

- :func:`write_workbook` — ``workbook.xlsx`` (:mod:`.workbook`): segments, codes,
  themes, emotions, triggers, participants, a quote table (quote, participant,
  attributes, code path, transcript, position) and a participant x code matrix of 0/1.
- :func:`write_qdpx` — ``study.qdpx`` (REFI-QDA 1.0, validates against
  ``Project.xsd``): every transcript as a plain-text source, the codebook (plus the
  discovered themes and the emotions as code groups), every coding as a
  ``PlainTextSelection`` with a ``Coding`` by a user named for the model that made it
  (human coders as their own users), one case per participant with their attributes
  as variables. Suggested codings (``status=suggested``: codes that have not passed the
  study's gate) are left out, and the project's ``Description`` says how many. NVivo,
  ATLAS.ti, MAXQDA and QualCoder import it.
- :func:`read_qdpx_codings` — the codings a colleague made on that project in their
  QDA tool, mapped back onto our segments as ``coder=human`` rows (a decisions table).
  A project another tool made from its own sources comes in through
  :func:`insights.study.plan_qdpx_import` (parsed by :mod:`insights.io.refi`).
"""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..schema import CODE_COLUMNS, InputError
from .workbook import THEMES_PARENT, clean_text, write_workbook

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .data import ReportData

__all__ = [
    "write_workbook",
    "write_qdpx",
    "read_qdpx_codings",
    "qdpx_guid",
    "QDA_NS",
    "validate_qdpx",
]

QDA_NS = "urn:QDA-XML:project:1.0"
_NS = uuid.UUID("0b6a3f0e-2b1d-4c55-9a43-2f7e0c1d9a17")
_EMOTIONS_PARENT = "Emotions"


def qdpx_guid(*parts: Any) -> str:
    """A stable GUID from ``parts`` (same study, same thing -> same GUID on every export).

    Examples
    --------
    >>> qdpx_guid("Demo", "source", "p01") == qdpx_guid("Demo", "source", "p01")
    True
    >>> len(qdpx_guid("user", "insights"))
    36
    """
    return str(uuid.uuid5(_NS, "\0".join(map(str, parts))))


# --------------------------------------------------------------------------- REFI-QDA


def _users(
    codes: pd.DataFrame | None, models: dict[str, str]
) -> dict[tuple[str, str], tuple[str, str]]:
    """(coder, method) -> (user guid, user name)."""
    users: dict[tuple[str, str], tuple[str, str]] = {}
    if codes is not None and len(codes):
        pairs = codes[["coder", "method"]].astype(str).drop_duplicates()
        for coder, method in pairs.itertuples(index=False):
            if method == "human" or coder == "human":
                name = coder
            else:
                model = models.get("codes") or ("MiniLM" if method == "semantic" else "rules")
                name = f"{coder} {method} coding ({model})"
            users[(coder, method)] = (qdpx_guid("user", name), name)
    return users


def write_qdpx(
    data: ReportData,
    path: str | Path,
    *,
    transcripts: Iterable[Any] | None = None,
    emotions: bool = True,
) -> Path:
    """Write a REFI-QDA project (``.qdpx``: a zip of ``project.qde`` and ``sources/*.txt``).

    Sources are the transcripts' plain text (:func:`insights.segments.plain_text`, the
    text ``char_start``/``char_end`` index, pseudonymised where configured); each
    coded segment is a ``PlainTextSelection`` named by its ``segment_id``.

    Parameters
    ----------
    data : ReportData
        The run's tables: codes, themes and (with ``emotions``) emotions become codings.
    path : str or Path
        The ``.qdpx`` file to write.
    transcripts : iterable of Transcript, optional
        Accepted for the run's caller and not used: the sources are rebuilt from the
        segments, so that selections index them exactly.
    emotions : bool
        Export the emotions as a code group with their codings.

    Returns
    -------
    Path
        ``path``.
    """
    import pandas as pd
    from lxml import etree

    from .. import summarize as S
    from ..segments import plain_text

    path = Path(path)
    seg = data.segments.assign(segment_id=data.segments["segment_id"].astype(str))
    study = data.study

    def E(parent: Any, tag: str, **attrs: Any) -> Any:
        return etree.SubElement(parent, f"{{{QDA_NS}}}{tag}", {k: str(v) for k, v in attrs.items()})

    now = pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
    root = etree.Element(f"{{{QDA_NS}}}Project", nsmap={None: QDA_NS})
    root.set("name", clean_text(study))
    root.set("origin", "insights")
    root.set("creationDateTime", now)

    # ---- codings: (segment_id, code name, user key)
    codes = data.table("codes")
    if codes is not None and "confidence" in codes.columns:
        codes = codes[codes["confidence"].fillna(1) > 0]
    suggested = 0
    if codes is not None and "status" in codes.columns:
        # only codings the study stands behind: applied (the code passed the gate) and human
        is_suggested = codes["status"].astype(str) == "suggested"
        suggested = int(is_suggested.sum())
        codes = codes[~is_suggested]
    users = _users(codes, data.models)
    codings: list[tuple[str, str, str]] = []  # segment_id, code guid, user guid
    code_guid: dict[tuple[str, str], str] = {}  # (kind, name): a theme may share a code's name
    book = data.codebook

    def cguid(name: str, kind: str = "code") -> str:
        if (kind, name) not in code_guid:
            own = book is not None and kind == "code" and name in book
            code_guid[kind, name] = book.guid(name) if own else qdpx_guid(study, kind, name)
        return code_guid[kind, name]

    if codes is not None:
        rows = codes[["segment_id", "code", "coder", "method"]].astype(str)
        for sid, code, coder, method in rows.itertuples(index=False):
            codings.append((sid, cguid(code), users[(coder, method)][0]))
    themes_lab = data.labels("themes")
    theme_user = (
        qdpx_guid("user", "themes"),
        f"insights theme discovery ({data.models.get('themes', 'BERTopic')})",
    )
    if themes_lab is not None:
        for sid, lab in themes_lab[["segment_id", "label"]].itertuples(index=False):
            codings.append((sid, cguid(lab, "theme"), theme_user[0]))
    emo_user = (
        qdpx_guid("user", "emotions"),
        f"insights emotions ({data.models.get('emotions', 'GoEmotions MiniLM')})",
    )
    emo_lab = data.labels("emotions") if emotions else None
    if emo_lab is not None:
        for sid, lab in emo_lab.itertuples(index=False):
            codings.append((sid, cguid(lab, "emotion"), emo_user[0]))

    # ---- users
    users_el = E(root, "Users")
    E(users_el, "User", guid=qdpx_guid("user", "insights"), name="insights")
    all_users = (
        set(users.values())
        | ({theme_user} if themes_lab is not None else set())
        | ({emo_user} if emo_lab is not None else set())
    )
    for g, name in sorted(all_users):
        E(users_el, "User", guid=g, name=clean_text(name))

    # ---- codebook (+ themes and emotions as groups)
    cb = E(root, "CodeBook")
    codes_el = E(cb, "Codes")
    described: set[str] = set()

    def add_code(
        parent_el, name: str, guid: str, *, codable: bool, color: str | None = None, desc: str = ""
    ) -> Any:
        el = E(
            parent_el,
            "Code",
            guid=guid,
            name=clean_text(name),
            isCodable="true" if codable else "false",
        )
        if color:
            el.set("color", color)
        if desc:
            E(el, "Description").text = clean_text(desc)
        described.add(guid)
        return el

    if book is not None:

        def walk(parent_el, parent: str | None) -> None:
            for c in book.children(parent):
                el = add_code(
                    parent_el,
                    c.name,
                    cguid(c.name),
                    codable=True,
                    color=c.color,
                    desc=c.qda_description(),
                )
                walk(el, c.name)

        walk(codes_el, None)
    extra = [
        n
        for (kind, n), g in code_guid.items()
        if kind == "code" and g not in described and (codes is not None and n in set(codes["code"]))
    ]
    for n in extra:
        add_code(codes_el, n, code_guid["code", n], codable=True)
    if themes_lab is not None:
        grp = add_code(
            codes_el,
            THEMES_PARENT,
            qdpx_guid(study, "group", "themes"),
            codable=False,
            desc="Themes discovered by insights (BERTopic over MiniLM embeddings).",
        )
        themes = data.tables.get("themes")
        kw = {}
        if themes is not None and "keywords" in themes.columns:
            kw = dict(zip(themes["label"].astype(str), themes["keywords"].astype(str), strict=True))
        for lab in sorted(set(themes_lab["label"])):
            add_code(
                grp,
                lab,
                cguid(lab, "theme"),
                codable=True,
                desc=f"Keywords: {kw[lab]}" if kw.get(lab) else "",
            )
    if emo_lab is not None:
        grp = add_code(
            codes_el,
            _EMOTIONS_PARENT,
            qdpx_guid(study, "group", "emotions"),
            codable=False,
            desc="Emotions detected by insights (Ekman groups of GoEmotions labels).",
        )
        for lab in sorted(set(emo_lab["label"])):
            add_code(grp, lab, cguid(lab, "emotion"), codable=True)
    if not len(codes_el):
        cb.remove(codes_el)
        root.remove(cb)

    # ---- variables (participant attributes) and cases
    attrs = S.attribute_columns(seg, max_values=10_000)
    people = S.participant_segments(seg)
    if "participant_id" in people.columns:
        people = people[people["participant_id"].notna()]
    else:
        people = people.iloc[0:0]
    first = (
        people.drop_duplicates("participant_id").set_index("participant_id")
        if len(people)
        else None
    )
    var_types: dict[str, str] = {}
    for a in attrs + (["wave"] if "wave" in seg.columns and seg["wave"].notna().any() else []):
        if first is not None and a in first.columns:
            vals = first[a].dropna()
        else:
            vals = pd.Series(dtype=object)
        if vals.empty:
            continue
        whole = pd.api.types.is_float_dtype(vals) and (vals == vals.round()).all()
        if pd.api.types.is_integer_dtype(vals) or whole:
            var_types[a] = "Integer"
        elif pd.api.types.is_float_dtype(vals):
            var_types[a] = "Float"
        else:
            var_types[a] = "Text"
    if var_types:
        vars_el = E(root, "Variables")
        for a, t in var_types.items():
            E(vars_el, "Variable", guid=qdpx_guid(study, "variable", a), name=a, typeOfVariable=t)

    # selections: every coded segment, plus every participant turn of a focus group (for cases)
    tids = list(dict.fromkeys(seg["transcript_id"].astype(str)))
    coded: dict[str, list[tuple[str, str]]] = {}
    for sid, cg, ug in codings:
        coded.setdefault(sid, []).append((cg, ug))
    case_sel: dict[str, list[str]] = {}
    if len(people) and "session_type" in people.columns:
        fg = people[people["session_type"].astype(str) == "focus_group"]
    else:
        fg = people.iloc[0:0]
    fg_ids = set(fg["segment_id"])
    for sid, pid in zip(fg["segment_id"], fg["participant_id"], strict=True):
        case_sel.setdefault(str(pid), []).append(qdpx_guid(study, "selection", sid))

    if first is not None and len(first):
        cases_el = E(root, "Cases")
        # once, not per participant (a per-participant scan of every segment is quadratic at scale)
        p_sessions = {}
        if "session_type" in people.columns:
            p_sessions = dict(
                zip(
                    people["transcript_id"].astype(str),
                    people["session_type"].astype(str),
                    strict=False,
                )
            )
        p_tids_of = {
            pid: list(dict.fromkeys(g.astype(str)))
            for pid, g in people.groupby("participant_id", sort=False)["transcript_id"]
        }
        for pid, row in first.iterrows():
            case = E(cases_el, "Case", guid=qdpx_guid(study, "case", pid), name=clean_text(pid))
            for a, t in var_types.items():
                v = row.get(a)
                if v is None or v != v:
                    continue
                vv = E(case, "VariableValue")
                E(vv, "VariableRef", targetGUID=qdpx_guid(study, "variable", a))
                tag = {"Integer": "IntegerValue", "Float": "FloatValue"}.get(t, "TextValue")
                E(vv, tag).text = str(int(float(v))) if t == "Integer" else str(v)
            for tid in p_tids_of.get(pid, []):
                if p_sessions.get(tid) != "focus_group":
                    E(case, "SourceRef", targetGUID=qdpx_guid(study, "source", tid))
            for g in case_sel.get(str(pid), []):
                E(case, "SelectionRef", targetGUID=g)

    # ---- sources
    sources_el = E(root, "Sources")
    texts: dict[str, str] = {}
    user0 = qdpx_guid("user", "insights")
    for tid in tids:
        s = seg[seg["transcript_id"].astype(str) == tid]
        text = clean_text(plain_text(s, tid))
        sguid = qdpx_guid(study, "source", tid)
        texts[sguid] = text
        name = str(s["source"].iloc[0]) if "source" in s.columns else tid
        src = E(
            sources_el,
            "TextSource",
            guid=sguid,
            name=clean_text(name),
            plainTextPath=f"internal://{sguid}.txt",
            creatingUser=user0,
            creationDateTime=now,
        )
        for sid, start, end in s[["segment_id", "char_start", "char_end"]].itertuples(index=False):
            if sid not in coded and sid not in fg_ids:
                continue
            sel = E(
                src,
                "PlainTextSelection",
                guid=qdpx_guid(study, "selection", sid),
                name=sid,
                startPosition=int(start),
                endPosition=int(end),
                creatingUser=user0,
                creationDateTime=now,
            )
            for cg, ug in dict.fromkeys(coded.get(sid, [])):
                c = E(
                    sel,
                    "Coding",
                    guid=qdpx_guid(study, "coding", sid, cg, ug),
                    creatingUser=ug,
                    creationDateTime=now,
                )
                E(c, "CodeRef", targetGUID=cg)
    if suggested:
        E(root, "Description").text = (
            f"{suggested} codings the model only suggests (codes whose agreement with the "
            "researcher's decisions has not passed the study's gate, status=suggested) are not "
            "in this project: review them in notebook 03 or in workbook.xlsx (sheet codes)."
        )
    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", xml)
        for g, t in texts.items():
            z.writestr(f"sources/{g}.txt", t.encode("utf-8"))
    return path


def validate_qdpx(path: str | Path, xsd: str | Path) -> list[str]:
    """Errors of ``project.qde`` in ``path`` against REFI-QDA's ``Project.xsd`` (empty = valid).

    Parameters
    ----------
    path : str or Path
        A ``.qdpx`` file.
    xsd : str or Path
        ``Project.xsd`` (:func:`insights.schemas.path`).

    Returns
    -------
    list of str
        ``line N: message`` per error.
    """
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(xsd)))
    with zipfile.ZipFile(path) as z:
        doc = etree.fromstring(z.read("project.qde"))
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def read_qdpx_codings(
    path: str | Path,
    segments: pd.DataFrame,
    *,
    min_overlap: float = 0.5,
    include_model_users: bool = False,
) -> pd.DataFrame:
    """The codings a person made in a QDA tool on our exported project, as ``coder=human`` rows.

    Each coded selection is mapped to the segments of its source that it covers
    (at least ``min_overlap`` of the segment, or of the selection when it is inside
    one segment). Selections named by a ``segment_id`` map straight to it. Codings
    by the users that stand for our models are left out unless
    ``include_model_users``: they are the model's own codings coming back.

    Parameters
    ----------
    path : str or Path
        The ``.qdpx`` project, as the QDA tool exported it.
    segments : DataFrame
        The study's segments (``segment_id, transcript_id, source, char_start, char_end``).
    min_overlap : float
        The share of a segment (or of the selection) a selection must cover.
    include_model_users : bool
        Keep the codings of the users that stand for our models.

    Returns
    -------
    DataFrame
        ``segment_id, code, confidence (1.0), method ("human"), coder ("human")`` plus
        ``user`` (the QDA tool's user name) and ``selection_text``; usable as
        ``decisions`` for :func:`insights.codebook.code_segments`.

    Raises
    ------
    InputError
        Anything :func:`insights.io.refi.read_project` refuses (not a zip, no
        project.qde, a selection outside its source, an unknown code), or a source of the
        project that is not among the segments' transcripts.
    """
    import pandas as pd

    from ..io.refi import map_selections, read_project

    project = read_project(path)
    code_names = {c.guid: c.name for c in project.codes}
    model_users = {g for g, n in project.users.items() if n.startswith("insights")}
    seg = segments.assign(segment_id=segments["segment_id"].astype(str))
    by_source: dict[str, pd.DataFrame] = {
        str(t): g for t, g in seg.groupby("transcript_id", sort=False)
    }
    name_to_tid = {}
    for tid, g in by_source.items():
        name_to_tid[tid] = tid
        if "source" in g.columns:
            name_to_tid[str(g["source"].iloc[0])] = tid
    study_names = {qdpx_guid(project.name, "source", tid): tid for tid in by_source}
    ids = set(seg["segment_id"])
    rows = []
    for src in project.sources:
        if not any(s.codings for s in src.selections):
            continue
        tid = (
            study_names.get(src.guid)
            or name_to_tid.get(src.name)
            or name_to_tid.get(Path(src.name).stem.lower())
        )
        if tid is None:
            raise InputError(
                f"source {src.name!r} is not one of the study's transcripts",
                fix="import codings only into the study the project was exported from",
                file=path,
            )
        g = by_source[tid]
        spans = pd.DataFrame(
            {"segment_id": g["segment_id"], "start": g["char_start"], "end": g["char_end"]}
        )
        for s in src.selections:
            if s.name in ids:
                hit = [s.name]
            else:
                hit = list(
                    map_selections(spans, s.start, s.end, min_overlap=min_overlap)["segment_id"]
                )
            for code, ug in s.codings:
                if ug in model_users and not include_model_users:
                    continue
                user = project.users.get(ug, "unknown")
                for sid in hit:
                    rows.append(
                        (
                            sid,
                            code_names[code],
                            1.0,
                            "human",
                            "human",
                            user,
                            src.text[s.start : s.end],
                        )
                    )
    out = pd.DataFrame(rows, columns=[*CODE_COLUMNS, "user", "selection_text"])
    return out.drop_duplicates(["segment_id", "code", "user"]).reset_index(drop=True)
