"""How the study was done and the material it used: method, codebook, appendix."""

from __future__ import annotations

from typing import Any

from ... import summarize as S
from ...language import language_summary
from ..content import Paragraph, Section, Table
from ..data import ReportData
from .blocks import counted

__all__ = ["method_section", "codebook_section", "appendix_section"]

MAX_APPENDIX_ROWS = 200  # rows of an appendix listing (transcripts, participants, skipped text)
MAX_SPEAKERS = 10  # speakers named per transcript in the appendix (a meeting can have dozens)


def method_section(d: ReportData) -> Section:
    """Method: material, participants, codebook, models and versions.

    Parameters
    ----------
    d : ReportData
        The run's tables and facts (``config``, ``models``, ``packages``, ``codebook``).

    Returns
    -------
    Section
        Always.
    """
    sec = Section("method", "Method")
    ov = S.overview(d.segments, d.tables.get("skipped"))
    tt = S.transcripts_table(d.segments)
    sec.add(Paragraph([_material(d, ov)]))
    languages = _languages(d)
    if languages:
        sec.add(Paragraph([languages]))
    if "wave" in tt.columns and tt["wave"].notna().any():
        mat = tt.assign(
            wave=tt["wave"].map(lambda w: d.wave_label(w) if w == w and w is not None else "—")
        )
        g = (
            mat.groupby(["wave", "session_type"], sort=True)
            .agg(transcripts=("transcript_id", "size"), words=("words", "sum"))
            .reset_index()
        )
        sec.add(
            Table(
                ["Wave", "Session", "Transcripts", "Words"],
                g.values.tolist(),
                caption="Transcripts by wave and session type",
            )
        )
    attrs = S.attribute_columns(d.segments)
    if attrs:
        part = S.participant_segments(d.segments)
        people = part.assign(_p=S.person_key(part)).drop_duplicates("_p")
        rows = []
        for a in attrs:
            vc = people[a].value_counts(dropna=True).sort_index()
            rows.append([a, ", ".join(f"{k} ({v})" for k, v in vc.items())])
        sec.add(
            Table(
                ["Attribute", "Participants per value"],
                rows,
                caption="Participants (participants.csv)",
            )
        )
    if d.codebook is not None:
        codes = list(d.codebook.codes)
        tops = [c.name for c in codes if not c.parent]
        sec.add(
            Paragraph(
                [
                    f"Codebook: {len(codes)} codes ({len(tops)} top-level: "
                    f"{', '.join(tops[:12])}"
                    + ("…" if len(tops) > 12 else "")
                    + "); see the Codebook section."
                ]
            )
        )
    sec.add(_stages_table(d))
    pk = [[k, v or "not installed"] for k, v in d.packages.items() if v]
    if pk:
        sec.add(Table(["Package", "Version"], pk, caption="Software versions (also in run.json)"))
    sec.add(
        Paragraph(
            [
                "How to read the numbers: a person counts once for a theme, code or emotion "
                "however many times they expressed it; shares are of the participants who "
                "spoke in the group. Wave differences are tested with Fisher's exact test "
                "on people per wave, which is valid for small counts; with a few dozen "
                "participants only large differences can be significant, so read changes "
                "with their quotes."
            ],
            style="muted",
        )
    )
    return sec


def _material(d: ReportData, ov: dict[str, int]) -> str:
    """The paragraph on the material: transcripts, words, segments, skipped text, pseudonyms."""
    seg_unit = d.config.get("segment_by", "sentence")
    n_skipped = ov["skipped"]
    are = "are" if n_skipped != 1 else "is"
    skipped = (
        f"{n_skipped} piece{'s' if n_skipped != 1 else ''} of source text that {are} "
        f"not speech {are} listed in the appendix. "
        if n_skipped
        else ""
    )
    pseudonyms = (
        "Names were replaced by pseudonyms before any analysis; quotes come from the "
        "pseudonymised text. "
        if d.config.get("pseudonymise")
        else ""
    )
    return (
        f"Material: {counted(ov['transcripts'], 'transcript')} "
        f"({counted(ov['interviews'], 'in-depth interview')}, "
        f"{counted(ov['focus_groups'], 'focus group')}), {ov['words']:,} words in all. "
        "Each transcript was read from its source file, split into "
        f"{seg_unit}s ({ov['segments']:,} segments, "
        f"{ov['participant_segments']:,} spoken by participants) and every segment kept its "
        "speaker, role, participant, position and time. " + skipped + pseudonyms
    )


_LANGUAGE_NAMES = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian",
    "nl": "Dutch", "pt": "Portuguese", "pl": "Polish", "sv": "Swedish", "da": "Danish",
    "no": "Norwegian", "fi": "Finnish", "cy": "Welsh", "ga": "Irish", "tr": "Turkish",
    "ar": "Arabic", "zh": "Chinese", "ja": "Japanese", "ru": "Russian", "hi": "Hindi",
}  # fmt: skip


def language_name(code: str) -> str:
    """The English name of an ISO 639-1 code, with the code: ``"French (fr)"``.

    Examples
    --------
    >>> language_name("fr"), language_name("xx")
    ('French (fr)', 'xx')
    """
    name = _LANGUAGE_NAMES.get(code)
    return f"{name} ({code})" if name else code


def _languages(d: ReportData) -> str:
    """The sentence naming the transcripts left out of the one-language stages, or ``""``."""
    study = str(d.config.get("language") or "en")
    left = language_summary(d.segments, study)["left_out"]
    if not left:
        return ""
    names = "; ".join(f"{t['source']} ({language_name(t['language'])})" for t in left)
    one = len(left) == 1
    return (
        f"{'One transcript is' if one else f'{len(left)} transcripts are'} not in the study's "
        f"language, {language_name(study)}: {names}. "
        f"{'Its' if one else 'Their'} {sum(t['segments'] for t in left):,} segments are in the "
        "segments table and the transcript list, but were left out of the themes, the codes "
        "and the emotions (so of the emotional triggers too), whose models read one language."
    )


def _stages_table(d: ReportData) -> Table:
    """Each analysis stage, its model, and whether it ran."""
    splitter = (
        "rule sentence splitter"
        if d.config.get("sentence_splitter", "rule") == "rule"
        else d.config.get("spacy_model", "spaCy")
    )
    stages = [("segments", splitter)]
    for name, tbl in (
        ("codes", "codes"),
        ("themes", "assignments"),
        ("emotions", "emotions"),
        ("triggers", "triggers"),
    ):
        if d.table(tbl) is not None:
            stages.append((name, d.models.get(name, "")))
    rows = [[n, m or "—", "ran"] for n, m in stages]
    for n in ("codes", "themes", "emotions", "triggers"):
        if n not in [s for s, _ in stages]:
            rows.append([n, "—", "did not run"])
    extra = [[k, v, "model"] for k, v in d.models.items() if k not in {s for s, _ in stages}]
    return Table(["Stage", "Model", "Status"], rows + extra, caption="Analysis stages and models")


def code_path(codebook: Any, name: str) -> str:
    """A code's path from its top-level parent: ``"Reliability / Outages"``.

    Examples
    --------
    >>> from types import SimpleNamespace as C
    >>> book = C(codes=[C(name="Reliability", parent=None),
    ...                 C(name="Outages", parent="Reliability")])
    >>> code_path(book, "Outages"), code_path(book, "Unknown")
    ('Reliability / Outages', 'Unknown')
    """
    by = {c.name: c for c in codebook.codes}
    path, seen = [name], {name}
    while by.get(path[0]) is not None and by[path[0]].parent and by[path[0]].parent not in seen:
        seen.add(by[path[0]].parent)
        path.insert(0, by[path[0]].parent)
    return " / ".join(path)


def codebook_section(d: ReportData) -> Section | None:
    """The codebook: each code's path, definition, include / exclude rules, and people coded.

    Parameters
    ----------
    d : ReportData
        The run's tables and its ``codebook``.

    Returns
    -------
    Section or None
        None without a codebook.
    """
    if d.codebook is None:
        return None
    sec = Section("codebook", "Codebook")
    lab = d.labels("codes")
    prev = (
        {r["label"]: r for r in S.prevalence(lab, d.segments).to_dict("records")}
        if lab is not None
        else {}
    )
    rows = []
    for c in d.codebook.codes:
        r = prev.get(c.name)
        if r:
            n = d.book.link(
                r["participants"],
                f"Code “{c.name}”: every participant",
                r["evidence"],
                key=f"codes-{c.name}",
            )
        else:
            n = "0" if lab is not None else "—"
        inc = c.include if isinstance(c.include, str) else "; ".join(c.include or [])
        exc = c.exclude if isinstance(c.exclude, str) else "; ".join(c.exclude or [])
        rows.append([code_path(d.codebook, c.name), c.definition or "", inc or "", exc or "", n])
    sec.add(
        Table(
            ["Code", "Definition", "Include", "Exclude", "People"],
            rows,
            caption="Codes (parent / child), with the number of people coded",
        )
    )
    _gate_block(sec, d)
    return sec


def _gate_block(sec: Section, d: ReportData) -> None:
    """Which codes are applied alone and which need review, with the alpha behind each."""
    gate = d.tables.get("code_gate")
    if gate is None or not len(gate):
        return
    bar = float(d.config.get("code_gate", S.DEFAULT_GATE)) if d.config else S.DEFAULT_GATE
    review = gate[~gate["passes"].astype(bool)]
    if len(review):
        none = int((gate["n_decisions"] == 0).sum())
        why = f"; {none} of them have no human decision yet" if none else ""
        sec.add(
            Paragraph(
                [
                    f"Needs review: {len(review)} code{'s' if len(review) != 1 else ''} "
                    f"(human-model alpha below {bar:g}, or too few decisions{why}). Their "
                    "codings are suggestions (status=suggested in codes.csv), not applied "
                    "alone: " + ", ".join(str(c) for c in review["code"]) + "."
                ],
                style="note",
            )
        )
    else:
        sec.add(Paragraph([f"Every code passes the agreement gate (alpha ≥ {bar:g})."]))

    def cell(v: Any) -> str:
        return "—" if v is None or v != v else f"{float(v):.2f}"

    rows = [
        [
            str(r["code"]),
            int(r["n_decisions"]),
            cell(r["alpha"]),
            f"{cell(r['alpha_low'])} – {cell(r['alpha_high'])}",
            "applied" if bool(r["passes"]) else "needs review",
        ]
        for r in gate.to_dict("records")
    ]
    sec.add(
        Table(
            ["Code", "Decisions", "Alpha", "95% interval", "Status"],
            rows,
            caption="Human-model agreement per code (Krippendorff's alpha on the decisions, "
            "each answered by a model not taught it; bootstrap interval)",
        )
    )


def _first_note(n: int, where: str) -> str:
    if n <= MAX_APPENDIX_ROWS:
        return ""
    return f"First {MAX_APPENDIX_ROWS} of {n:,} rows; all in {where}."


def _some(names: str, k: int | None = None) -> str:
    """A ``, ``-joined list of names cut to its first ``k`` (a meeting can have dozens of speakers).

    Examples
    --------
    >>> _some("Ann, Bo, Cy", 2)
    'Ann, Bo … and 1 more'
    """
    k = MAX_SPEAKERS if k is None else k
    parts = [p for p in str(names).split(", ") if p]
    return names if len(parts) <= k else ", ".join(parts[:k]) + f" … and {len(parts) - k} more"


def appendix_section(d: ReportData) -> Section:
    """Appendix: transcripts, participants, text not in any segment, run facts.

    Parameters
    ----------
    d : ReportData
        The run's tables and facts (``counts``, ``changes``).

    Returns
    -------
    Section
        Always; each listing holds at most :data:`MAX_APPENDIX_ROWS` rows.
    """
    sec = Section("appendix", "Appendix")
    tt = S.transcripts_table(d.segments)
    by_tid = d.segments.assign(segment_id=d.segments["segment_id"].astype(str)).groupby(
        "transcript_id", sort=False
    )["segment_id"]
    seg_ids = {tid: list(g) for tid, g in by_tid}
    rows = []
    for r in tt.head(MAX_APPENDIX_ROWS).to_dict("records"):
        segs = seg_ids.get(r["transcript_id"], [])
        wave = "" if r["wave"] != r["wave"] or r["wave"] is None else r["wave"]
        rows.append(
            [
                r["transcript_id"],
                r["source"],
                r["session_type"],
                wave,
                _some(r["speakers"]),
                r["turns"],
                d.book.link(
                    r["segments"],
                    f"Transcript {r['transcript_id']}",
                    segs,
                    key=f"transcript-{r['transcript_id']}",
                ),
                r["words"],
            ]
        )
    sec.add(
        Section("appendix-transcripts", "Transcripts", level=3),
        Table(
            ["Transcript", "File", "Session", "Wave", "Speakers", "Turns", "Segments", "Words"],
            rows,
            note=_first_note(len(tt), "segments.csv and workbook.xlsx (sheet segments)"),
        ),
    )
    pt = S.participants_table(d.segments)
    if len(pt):
        cells = [
            ["" if (isinstance(v, float) and v != v) else v for v in row]
            for row in pt.head(MAX_APPENDIX_ROWS).values.tolist()
        ]
        sec.add(
            Section("appendix-participants", "Participants", level=3),
            Table(
                list(pt.columns),
                cells,
                note=_first_note(len(pt), "workbook.xlsx (sheet participants)"),
            ),
        )
    sk = d.tables.get("skipped")
    if sk is not None and len(sk):
        sec.add(
            Section("appendix-skipped", "Text not in any segment", level=3),
            Paragraph(
                ["Every piece of a source file that is not speech, with the reason."], style="muted"
            ),
            Table(
                ["File", "Where", "Reason"],
                sk[["source", "where", "reason"]].head(MAX_APPENDIX_ROWS).values.tolist(),
                note=_first_note(len(sk), "skipped.csv"),
            ),
        )
    if d.changes:
        ch = d.changes
        rows = [
            ["transcripts added", ", ".join(ch.get("added", [])) or "none"],
            ["transcripts changed", ", ".join(ch.get("changed", [])) or "none"],
            ["transcripts removed", ", ".join(ch.get("removed", [])) or "none"],
            ["parsed from cache", ch.get("cached", 0)],
            ["human decisions kept", ch.get("human_decisions", 0)],
        ]
        sec.add(
            Section("appendix-rerun", "This run compared with the previous one", level=3),
            Table(["", ""], rows),
        )
    if d.counts:
        sec.add(
            Section("appendix-counts", "Counts", level=3),
            Table(["Count", "Value"], [[k, v] for k, v in d.counts.items()]),
        )
    return sec
