"""Report sections, one function per section: the run's tables in, a :class:`Section` out.

Each function returns ``None`` when its data does not exist (a stage that did not
run), so a report on segments alone is complete and honest about what it lacks.
Summary tables come from :mod:`insights.summarize`; every count is a
:class:`~insights.report.content.Link` to the quotes behind it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import summarize as S
from .content import Bullets, Chart, EvidenceBook, Link, Paragraph, Quotes, Section, Table, slug

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "ReportData", "SECTIONS",
    "summary_section", "method_section", "themes_section", "codes_section", "emotions_section",
    "personas_section", "waves_section", "codebook_section", "appendix_section",
]

MAX_ROWS = 25  # rows of a label table in the report (all of them are in workbook.xlsx)
MAX_APPENDIX_ROWS = 200  # rows of an appendix listing (transcripts, participants, skipped text)
MAX_SPEAKERS = 10  # speakers named per transcript in the appendix (a meeting can have dozens)


# --------------------------------------------------------------------------- basic tables (segments only)


# --------------------------------------------------------------------------- the data a report reads


@dataclass
class ReportData:
    """Everything the sections read: the run's tables and facts about the run."""

    study: str
    segments: pd.DataFrame
    tables: dict[str, Any] = field(default_factory=dict)
    participants: pd.DataFrame | None = None
    codebook: Any = None  # insights.codebook.Codebook
    waves: list[Any] = field(default_factory=list)  # [(id, label)]
    counts: dict[str, Any] = field(default_factory=dict)
    models: dict[str, str] = field(default_factory=dict)
    packages: dict[str, str | None] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, Any] = field(default_factory=dict)  # re-run: what was added
    charts: bool = True
    book: EvidenceBook | None = None

    def __post_init__(self) -> None:
        if self.book is None:
            self.book = EvidenceBook(self.segments)
        self._labels: dict[str, Any] = {}

    def table(self, name: str) -> pd.DataFrame | None:
        t = self.tables.get(name)
        return t if t is not None and len(t) else None

    def labels(self, kind: str) -> pd.DataFrame | None:
        """``segment_id, label`` of one kind: themes, codes, emotions (None when absent)."""
        if kind not in self._labels:
            lab = None
            if kind == "themes" and self.table("assignments") is not None:
                lab = S.theme_labels(self.table("assignments"), self.tables.get("themes"))
            elif kind == "codes" and self.table("codes") is not None:
                lab = S.code_labels(self.table("codes"))
            elif kind == "emotions" and self.table("emotions") is not None:
                lab = S.emotion_labels(self.table("emotions"))
            self._labels[kind] = lab if lab is not None and len(lab) else None
        return self._labels[kind]

    @property
    def primary_attribute(self) -> str | None:
        attrs = S.attribute_columns(self.segments)
        for pref in ("segment", "persona", "status"):
            if pref in attrs:
                return pref
        return attrs[0] if attrs else None

    def wave_label(self, w: Any) -> str:
        for wid, lab in self.waves:
            if str(wid) == str(w):
                return f"wave {w} ({lab})" if lab else f"wave {w}"
        return f"wave {w}"


NOUNS = {"themes": "theme", "codes": "code", "emotions": "emotion"}


def _pct(x: float) -> str:
    return "" if x != x else f"{100 * x:.0f}%"


def _ids(value: Any) -> list[str]:
    """Segment ids from a list or a ``;``/``,``/``|``-joined string."""
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    s = str(value).strip().strip("[]")
    return [x.strip().strip("'\"") for x in re.split(r"[;,|]\s*", s) if x.strip().strip("'\"")]


def _prevalence_rows(d: ReportData, kind: str, prev: pd.DataFrame, *, by: str | None) -> Table:
    """label | people | share | segments | <by value: n/base> ... ; every count links to quotes."""
    noun = NOUNS.get(kind, kind)
    book = d.book
    ct = S.crosstab(d.labels(kind), d.segments, by) if by else None
    values = list(dict.fromkeys(ct["value"])) if ct is not None and len(ct) else []
    cells = {(r["label"], r["value"]): r for r in ct.to_dict("records")} if ct is not None else {}
    cols = [noun.capitalize(), "People", "Share", "Segments"] + [f"{by}: {v}" for v in values]
    rows = []
    for r in prev.head(MAX_ROWS).to_dict("records"):
        lab = r["label"]
        row = [
            lab,
            book.link(r["participants"], f"{noun.capitalize()} “{lab}”: every participant", r["evidence"], key=f"{kind}-{lab}"),
            f"{_pct(r['share'])}",
            book.link(r["segments"], f"{noun.capitalize()} “{lab}”: every participant", r["evidence"], key=f"{kind}-{lab}"),
        ]
        for v in values:
            c = cells.get((lab, v))
            text = f"{c['participants']}/{c['base']}" if c else "0"
            row.append(book.link(text, f"{noun.capitalize()} “{lab}” among {by} = {v}", c["evidence"] if c else [],
                                 key=f"{kind}-{lab}-{by}-{v}"))
        rows.append(row)
    note = f"Top {MAX_ROWS} of {len(prev)}; every row is in workbook.xlsx." if len(prev) > MAX_ROWS else ""
    return Table(cols, rows, caption=f"{noun.capitalize()}s by the number of people who mention them"
                 + (f", and within each {by} (people with it / people in the group)" if by else ""), note=note)


def _prevalence_chart(d: ReportData, kind: str, prev: pd.DataFrame, title: str) -> Chart | None:
    if not d.charts or prev is None or prev.empty:
        return None
    from .plots import OKABE_ITO, bar_chart

    top = prev.head(15)
    color = {"themes": OKABE_ITO[0], "codes": OKABE_ITO[2], "emotions": OKABE_ITO[5]}.get(kind, OKABE_ITO[0])
    png = bar_chart(
        list(top["label"]), list(top["participants"]), title=title, xlabel="participants who mention it",
        annotations=[f"{n} of {b} ({_pct(s)})" for n, b, s in zip(top["participants"], top["base"], top["share"], strict=True)],
        color=color,
    )
    alt = "; ".join(f"{lab}: {n} of {b}" for lab, n, b in zip(top["label"], top["participants"], top["base"], strict=True))
    return Chart(f"{kind}-prevalence", title, png, alt=f"Bar chart, {title}: {alt}")


def _top_list(d: ReportData, kind: str, prev: pd.DataFrame, n: int = 3) -> list[Any]:
    noun = NOUNS.get(kind, kind)
    parts: list[Any] = []
    for i, r in enumerate(prev.head(n).to_dict("records")):
        if i:
            parts.append("; ")
        parts += [f"{r['label']} (", d.book.link(f"{r['participants']} of {r['base']} people",
                                                  f"{noun.capitalize()} “{r['label']}”: every participant",
                                                  r["evidence"], key=f"{kind}-{r['label']}"), ")"]
    return parts


# --------------------------------------------------------------------------- sections


def summary_section(d: ReportData) -> Section:
    """Summary of findings: scope, top themes, leave and stay drivers, delight vs baseline, changes."""
    sec = Section("summary", "Summary of findings")
    ov = S.overview(d.segments, d.tables.get("skipped"))
    waves = S.wave_order(d.segments, [w for w, _ in d.waves])
    scope = (f"{ov['transcripts']} transcripts ({ov['interviews']} interviews, {ov['focus_groups']} focus groups), "
             f"{ov['participants']} participants"
             + (f" in {len(waves)} waves" if len(waves) > 1 else "")
             + f", {ov['participant_words']:,} words of participant speech in {ov['participant_segments']:,} segments.")
    items: list[list[Any]] = [[scope]]
    chart = None
    for kind, lead in (("themes", "Top themes: "), ("codes", "Most applied codes: ")):
        lab = d.labels(kind)
        if lab is None:
            continue
        prev = S.prevalence(lab, d.segments)
        if len(prev):
            items.append([lead, *_top_list(d, kind, prev), "."])
            if chart is None:
                chart = _prevalence_chart(d, kind, prev, f"Top {kind}: participants who mention each")
    drv = _drivers(d)
    if drv is not None:
        for direction, lead in (("leave", "Reasons to leave: "), ("stay", "Reasons to stay or recommend: ")):
            rows = drv[drv["direction"] == direction].head(3)
            if len(rows):
                parts: list[Any] = [lead]
                for i, r in enumerate(rows.to_dict("records")):
                    parts += (["; "] if i else []) + [f"{r['driver']} (", r["link"], ")"]
                items.append(parts + ["."])
    needs = _needs(d)
    if needs is not None:
        for kind, lead in (("delight", "Delights (met beyond expectation): "), ("baseline", "Baseline needs (noticed when they fail): ")):
            rows = needs[needs["kind"] == kind].head(4)
            if len(rows):
                parts = [lead]
                for i, r in enumerate(rows.to_dict("records")):
                    parts += (["; "] if i else []) + [f"{r['theme']} (", r["link"], ")"]
                items.append(parts + ["."])
    lab = d.labels("emotions")
    if lab is not None:
        prev = S.prevalence(lab, d.segments)
        if len(prev):
            items.append(["Emotions heard most (besides neutral): ", *_top_list(d, "emotions", prev), "."])
    if len(waves) > 1:
        for kind in ("themes", "codes", "emotions"):
            lab = d.labels(kind)
            if lab is None:
                continue
            cmp_ = S.compare_waves(lab, d.segments, waves=[w for w, _ in d.waves])
            if len(cmp_):
                r = cmp_.iloc[0]
                word = "grew" if r["change_pp"] > 0 else "shrank"
                sig = "a significant change" if r["p_value"] < 0.05 else "not significant at this sample size"
                items.append([
                    f"Largest change between waves ({NOUNS[kind]}s): “{r['label']}” {word} from ",
                    d.book.link(f"{r['n_a']} of {r['base_a']}", f"“{r['label']}” in {d.wave_label(r['wave_a'])}", r["evidence_a"]),
                    " to ", d.book.link(f"{r['n_b']} of {r['base_b']}", f"“{r['label']}” in {d.wave_label(r['wave_b'])}", r["evidence_b"]),
                    f" people (Fisher exact p = {r['p_value']:.3f}, {sig}).",
                ])
                break
    if d.changes.get("added") and not d.changes.get("first_run", False):
        added = d.changes["added"]
        items.append([f"This run added {len(added)} transcript{'s' if len(added) != 1 else ''}: {', '.join(added)}; "
                      f"{d.changes.get('cached', 0)} were reused unchanged from the previous run."])
    sec.add(Bullets(items))
    missing = [n for n in ("codes", "themes", "emotions", "triggers") if d.table(n if n != "themes" else "assignments") is None]
    if missing:
        sec.add(Paragraph([f"Not in this report because the stage did not run or found nothing: {', '.join(missing)}. "
                           "Their sections appear when the stages run (insights run without --skip)."], style="note"))
    sec.add(Paragraph(["Every number in this report links to the quotes behind it (the Evidence section at the end). "
                       "Counts are of people: a participant counts once however often they said it."], style="muted"))
    sec.add(_drivers_chart(d, drv))
    sec.add(chart)
    return sec


def _drivers_chart(d: ReportData, drv: pd.DataFrame | None) -> Chart | None:
    """Leave and stay drivers as one bar chart: people whose triggers name the driver and who show the intent."""
    if not d.charts or drv is None or drv.empty:
        return None
    from .plots import OKABE_ITO, bar_chart

    count = "n_with_intent" if "n_with_intent" in drv.columns else "n_participants"
    top = drv.groupby("direction", sort=False).head(6)
    top = top[top[count].astype(float) > 0]
    if top.empty:
        return None
    labels = [f"{r['driver']} → {r['direction']}" for r in top.to_dict("records")]
    title = "Drivers: what pushes people to leave, and what keeps them"
    png = bar_chart(labels, list(top[count]), title=title, xlabel="people who name it and show the intent",
                    color=OKABE_ITO[5] if set(top["direction"]) == {"leave"} else OKABE_ITO[0])
    alt = "; ".join(f"{lab}: {n}" for lab, n in zip(labels, top[count], strict=True))
    return Chart("drivers", title, png, alt=f"Bar chart, {title}: {alt}")


def _journey(d: ReportData) -> list[Any]:
    """The emotional journey: mean valence at each stage (top-level code, codebook order), linked to quotes."""
    emotions, codes = d.table("emotions"), d.table("codes")
    if emotions is None or codes is None or codes.empty or "valence" not in emotions.columns:
        return []
    parents = {c.name: c.parent for c in d.codebook.codes} if d.codebook is not None else None
    order = [c.name for c in d.codebook.codes if not c.parent] if d.codebook is not None else None
    sv = S.stage_valence(emotions, codes, d.segments, parents=parents, order=order)
    if sv.empty:
        return []
    blocks: list[Any] = [Section("journey", "Emotional journey", level=3)]
    if d.charts:
        from .plots import journey_chart

        title = "Emotional journey: mean valence at each stage (codebook order)"
        png = journey_chart(list(sv["stage"]), list(sv["valence"]), title=title,
                            annotations=[f"{v:+.2f}" for v in sv["valence"]])
        alt = "; ".join(f"{st}: {v:+.2f}" for st, v in zip(sv["stage"], sv["valence"], strict=True))
        blocks.append(Chart("journey", title, png, alt=f"Line chart, {title}: {alt}"))
    rows = [[r["stage"], f"{r['valence']:+.2f}", _pct(r["negative_share"]),
             d.book.link(r["segments"], f"Emotional journey: “{r['stage']}” (most negative and most positive)",
                         r["evidence"], key=f"journey-{r['stage']}"), r["participants"]]
            for r in sv.to_dict("records")]
    blocks.append(Table(["Stage", "Mean valence", "Negative segments", "Segments", "People"], rows,
                        caption="Valence runs from −1 (negative) to +1 (positive); quotes: the most negative and most positive"))
    return blocks


def _emotion_theme_heatmap(d: ReportData, emotions: pd.DataFrame) -> Chart | None:
    """People who express each emotion (Ekman group) within each theme."""
    import pandas as pd

    themes = d.labels("themes")
    if not d.charts or themes is None or themes.empty or emotions is None or emotions.empty:
        return None
    from .plots import heatmap

    both = themes.merge(emotions, on="segment_id", suffixes=("_theme", "_emotion"))
    if both.empty:
        return None
    people = pd.DataFrame({"segment_id": d.segments["segment_id"].astype(str), "_p": S.person_key(d.segments)})
    both = both.assign(segment_id=both["segment_id"].astype(str)).merge(people, on="segment_id")
    ct = both.groupby(["label_theme", "label_emotion"])["_p"].nunique().unstack(fill_value=0)
    ct = ct.loc[ct.sum(axis=1).sort_values(ascending=False).index[:15]]
    ct = ct[ct.sum(axis=0).sort_values(ascending=False).index]
    title = "Emotions within themes: people who express each"
    png = heatmap(list(ct.index), list(ct.columns), ct.values.tolist(), title=title)
    alt = "; ".join(f"{t}: " + ", ".join(f"{e} {int(n)}" for e, n in row.items() if n) for t, row in ct.iterrows())
    return Chart("emotion-theme", title, png, alt=f"Heatmap, {title}: {alt}")


def method_section(d: ReportData) -> Section:
    """Method: material, participants, codebook, models and versions."""
    import pandas as pd

    sec = Section("method", "Method")
    ov = S.overview(d.segments, d.tables.get("skipped"))
    tt = S.transcripts_table(d.segments)
    seg_unit = d.config.get("segment_by", "sentence")
    sec.add(Paragraph([
        f"Material: {ov['transcripts']} transcripts ({ov['interviews']} in-depth interviews, {ov['focus_groups']} focus groups), "
        f"{ov['words']:,} words in all. Each transcript was read from its source file, split into {seg_unit}s "
        f"({ov['segments']:,} segments, {ov['participant_segments']:,} spoken by participants) and every segment kept its "
        "speaker, role, participant, position and time. "
        + (f"{ov['skipped']} piece{'s' if ov['skipped'] != 1 else ''} of source text that {'are' if ov['skipped'] != 1 else 'is'} not speech {'are' if ov['skipped'] != 1 else 'is'} listed in the appendix. " if ov["skipped"] else "")
        + ("Names were replaced by pseudonyms before any analysis; quotes come from the pseudonymised text. " if d.config.get("pseudonymise") else "")
    ]))
    if "wave" in tt.columns and tt["wave"].notna().any():
        mat = tt.assign(wave=tt["wave"].map(lambda w: d.wave_label(w) if w == w and w is not None else "—"))
        g = mat.groupby(["wave", "session_type"], sort=True).agg(transcripts=("transcript_id", "size"), words=("words", "sum")).reset_index()
        sec.add(Table(["Wave", "Session", "Transcripts", "Words"], g.values.tolist(), caption="Transcripts by wave and session type"))
    attrs = S.attribute_columns(d.segments)
    if attrs:
        part = S.participant_segments(d.segments)
        people = part.assign(_p=S.person_key(part)).drop_duplicates("_p")
        rows = []
        for a in attrs:
            vc = people[a].value_counts(dropna=True).sort_index()
            rows.append([a, ", ".join(f"{k} ({v})" for k, v in vc.items())])
        sec.add(Table(["Attribute", "Participants per value"], rows, caption="Participants (participants.csv)"))
    if d.codebook is not None:
        codes = list(d.codebook.codes)
        tops = [c.name for c in codes if not c.parent]
        sec.add(Paragraph([f"Codebook: {len(codes)} codes ({len(tops)} top-level: {', '.join(tops[:12])}"
                           + ("…" if len(tops) > 12 else "") + "); see the Codebook section."]))
    stages = [("segments", "rule sentence splitter" if d.config.get("sentence_splitter", "rule") == "rule" else d.config.get("spacy_model", "spaCy"))]
    for name, tbl in (("codes", "codes"), ("themes", "assignments"), ("emotions", "emotions"), ("triggers", "triggers")):
        if d.table(tbl) is not None:
            stages.append((name, d.models.get(name, "")))
    rows = [[n, m or "—", "ran"] for n, m in stages]
    for n in ("codes", "themes", "emotions", "triggers"):
        if n not in [s for s, _ in stages]:
            rows.append([n, "—", "did not run"])
    extra = [[k, v, "model"] for k, v in d.models.items() if k not in {s for s, _ in stages}]
    sec.add(Table(["Stage", "Model", "Status"], rows + extra, caption="Analysis stages and models"))
    pk = [[k, v or "not installed"] for k, v in d.packages.items() if v]
    if pk:
        sec.add(Table(["Package", "Version"], pk, caption="Software versions (also in run.json)"))
    sec.add(Paragraph(["How to read the numbers: a person counts once for a theme, code or emotion however many times "
                       "they expressed it; shares are of the participants who spoke in the group. Wave differences are "
                       "tested with Fisher's exact test on people per wave, which is valid for small counts; with a "
                       "few dozen participants only large differences can be significant, so read changes with their quotes."],
                      style="muted"))
    _ = pd
    return sec


def _theme_quotes(themes: pd.DataFrame | None) -> dict[str, list[str]]:
    if themes is None or "quotes" not in themes.columns:
        return {}
    return {str(lab): _ids(q) for lab, q in zip(themes["label"], themes["quotes"], strict=True)}


def themes_section(d: ReportData) -> Section | None:
    """Themes: prevalence overall and by segment, keywords, representative quotes."""
    lab = d.labels("themes")
    if lab is None:
        return None
    sec = Section("themes", "Themes")
    themes = d.tables.get("themes")
    prev = S.prevalence(lab, d.segments)
    sec.add(Paragraph([f"{len(prev)} themes were found in participants' words (outliers not assigned to a theme are "
                       "left out). Each theme's label comes from its keywords; its quotes are the segments nearest its centre."]))
    sec.add(_prevalence_chart(d, "themes", prev, "Themes: participants who mention each"))
    sec.add(_prevalence_rows(d, "themes", prev, by=d.primary_attribute))
    reps = _theme_quotes(themes)
    kw = {}
    if themes is not None and "keywords" in themes.columns:
        kw = {str(a): str(b) for a, b in zip(themes["label"], themes["keywords"], strict=True)}
    for r in prev.head(12).to_dict("records"):
        label = r["label"]
        q = d.book.quotes(reps.get(label) or r["evidence"], k=3)
        sub = Section(f"theme-{slug(label)}", label, level=3)
        sub.add(Paragraph([
            d.book.link(f"{r['participants']} of {r['base']} participants", f"Theme “{label}”: every participant", r["evidence"], key=f"themes-{label}"),
            f" ({_pct(r['share'])}), {r['segments']} segments."
            + (f" Keywords: {kw[label]}." if kw.get(label) else ""),
        ]), q)
        sec.add(sub)
    return sec


def codes_section(d: ReportData) -> Section | None:
    """Coding with the codebook: how many people each code applies to, overall and by segment."""
    lab = d.labels("codes")
    if lab is None:
        return None
    sec = Section("codes", "Coding with the codebook")
    codes = d.table("codes")
    by_method = codes.groupby(["method", "coder"]).size().reset_index(name="codings") if {"method", "coder"} <= set(codes.columns) else None
    prev = S.prevalence(lab, d.segments)
    sec.add(Paragraph([f"{len(codes):,} codings of {codes['segment_id'].nunique():,} segments with {len(prev)} codes. "
                       "Human decisions (coder = human) win over the model's codings."]))
    if by_method is not None:
        sec.add(Table(["Method", "Coder", "Codings"], by_method.values.tolist(), caption="Codings by method and coder"))
    sec.add(_prevalence_chart(d, "codes", prev, "Codes: participants they apply to"))
    sec.add(_prevalence_rows(d, "codes", prev, by=d.primary_attribute))
    return sec


def _drivers(d: ReportData) -> pd.DataFrame | None:
    """Drivers with a ``link`` column: the triggers stage's table, else computed from the triggers."""
    t = d.table("drivers")
    if t is None and d.table("triggers") is not None:
        t = S.drivers(d.table("triggers"), d.segments, by=None)
    if t is None or t.empty or not {"direction", "driver"} <= set(t.columns):
        return None
    t = t[t["group"].astype(str).eq("all")] if "group" in t.columns and t["group"].astype(str).eq("all").any() else t
    links = []
    for r in t.to_dict("records"):
        n = r.get("n_with_intent", r.get("n_participants", ""))
        of = r.get("n_participants")
        text = f"{n} of {of} people" if of is not None and of == of else f"{n}"
        links.append(d.book.link(text, f"Driver “{r['driver']}” ({r['direction']})", _ids(r.get("quotes")),
                                 key=f"driver-{r['direction']}-{r['driver']}"))
    return t.assign(link=links).reset_index(drop=True)


def _needs(d: ReportData) -> pd.DataFrame | None:
    t = d.table("needs") if d.table("needs") is not None else d.table("baseline_delight")
    if t is None or not {"theme", "kind"} <= set(t.columns):
        return None
    links = []
    for r in t.to_dict("records"):
        ids = _ids(r.get("delight_quotes")) if r["kind"] == "delight" else _ids(r.get("negative_quotes"))
        ids = ids or _ids(r.get("negative_quotes")) + _ids(r.get("delight_quotes"))
        n = r.get("n_delight") if r["kind"] == "delight" else r.get("n_negative")
        links.append(d.book.link(f"{n} segments" if n is not None else "quotes", f"{r['kind'].capitalize()}: “{r['theme']}”", ids,
                                 key=f"need-{r['kind']}-{r['theme']}"))
    return t.assign(link=links).reset_index(drop=True)


def emotions_section(d: ReportData) -> Section | None:
    """Emotions (how many people express each) and their triggers (cause, theme, intent)."""
    lab = d.labels("emotions")
    trig = d.table("triggers")
    if lab is None and trig is None:
        return None
    sec = Section("emotions", "Emotions and triggers")
    if lab is not None:
        prev = S.prevalence(lab, d.segments)
        sec.add(Paragraph(["Emotions are scored per segment (GoEmotions labels grouped into Ekman's six basic emotions; "
                           "neutral left out). Counts are of people who expressed the emotion at least once."]))
        sec.add(_prevalence_chart(d, "emotions", prev, "Emotions: participants who express each"))
        sec.add(_emotion_theme_heatmap(d, lab))
        sec.add(*_journey(d))
        sec.add(_prevalence_rows(d, "emotions", prev, by=d.primary_attribute))
    drv = _drivers(d)
    if drv is not None:
        sec.add(Section("drivers", "Leave and stay drivers", level=3))
        cols = ["Direction", "Driver", "People"]
        heads = {"lift": "Lift", "n_chains": "Chains", "top_emotion": "Top emotion"}
        extra = [c for c in heads if c in drv.columns]
        rows = [[r["direction"], r["driver"], r["link"], *[(round(r[c], 2) if isinstance(r[c], float) else r[c]) for c in extra]]
                for r in drv.groupby("direction", sort=False).head(8).to_dict("records")]
        sec.add(Table(cols + [heads[c] for c in extra], rows,
                      caption="What pushes people to leave, and what keeps them (people whose triggers name it; "
                              "chains: triggers the same person follows with that intent within two segments)"))
    needs = _needs(d)
    if needs is not None:
        sec.add(Section("needs", "Delight and baseline needs", level=3))
        rows = [[r["theme"], r["kind"], r["link"],
                 _pct(r.get("negative_share", float("nan"))), _pct(r.get("delight_share", float("nan")))]
                for r in needs.head(MAX_ROWS).to_dict("records")]
        sec.add(Table(["Theme", "Kind", "Evidence", "Negative share", "Delight share"], rows,
                      caption="Baseline needs are noticed when they fail (mostly negative); delights surprise and please"))
    if trig is not None:
        sec.add(Section("triggers", "Example triggers", level=3))
        t = trig.sort_values("confidence", ascending=False, kind="stable") if "confidence" in trig.columns else trig
        for intent in ("leave", "warn_others", "stay", "recommend", "none"):
            sub = t[t["intent"] == intent].drop_duplicates("segment_id").head(3)
            if sub.empty:
                continue
            notes = {str(r["segment_id"]): f"{r['emotion']} · cause: “{r['cause_text']}”"
                     + (f" · theme: {r['theme']}" if isinstance(r.get("theme"), str) and r.get("theme") else "")
                     for r in sub.to_dict("records")}
            n_all = t[t["intent"] == intent]
            title = f"Intent “{intent}”: "
            sec.add(Paragraph([title, d.book.link(f"{n_all['segment_id'].nunique()} trigger segments", f"Triggers with intent “{intent}”",
                                                  list(n_all["segment_id"].astype(str)), key=f"intent-{intent}")]))
            sec.add(Quotes([q for q in (d.book.quote(str(s), notes.get(str(s), "")) for s in sub["segment_id"]) if q]))
    return sec


def personas_section(d: ReportData) -> Section:
    """Segments and personas: who we heard, and how themes, codes and emotions differ by group."""
    sec = Section("personas", "Segments and personas")
    attrs = S.attribute_columns(d.segments)
    if not attrs:
        sec.add(Paragraph(["participants.csv has no categorical attributes (segment, status, channel …) to compare groups by."], style="note"))
        return sec
    part = S.participant_segments(d.segments).assign(_words=lambda x: S.word_count(x["text"]))
    for a in attrs:
        g = part.assign(_p=S.person_key(part)).groupby(a, sort=True)
        rows = []
        for v, grp in g:
            rows.append([v, d.book.link(grp["_p"].nunique(), f"Participants with {a} = {v}", list(grp["segment_id"].astype(str)),
                                        key=f"people-{a}-{v}"), len(grp), int(grp["_words"].sum())])
        sec.add(Table([a, "People", "Segments", "Words"], rows, caption=f"Who we heard, by {a}"))
    for kind in ("themes", "codes", "emotions"):
        lab = d.labels(kind)
        if lab is None:
            continue
        prev = S.prevalence(lab, d.segments)
        for a in attrs:
            if a == d.primary_attribute and kind != "emotions":
                continue  # already in the kind's own section
            sec.add(_prevalence_rows(d, kind, prev.head(12), by=a))
        if d.charts and d.primary_attribute:
            from .plots import grouped_bar_chart

            ct = S.crosstab(lab, d.segments, d.primary_attribute)
            top = list(prev["label"].head(8))
            groups = list(dict.fromkeys(ct["value"]))
            share = {(r["label"], r["value"]): r["share"] for r in ct.to_dict("records")}
            png = grouped_bar_chart(top, [str(g) for g in groups], [[share.get((t, g), 0.0) for g in groups] for t in top],
                                    title=f"{NOUNS[kind].capitalize()}s by {d.primary_attribute}")
            sec.add(Chart(f"{kind}-by-{slug(d.primary_attribute)}", f"{NOUNS[kind].capitalize()}s by {d.primary_attribute}", png,
                          alt=f"Grouped bar chart of the share of each {d.primary_attribute} who mention the top {NOUNS[kind]}s"))
    return sec


def waves_section(d: ReportData) -> Section | None:
    """Waves: what grew or shrank between waves (Fisher exact test) and the quotes behind the change."""
    waves = S.wave_order(d.segments, [w for w, _ in d.waves])
    if len(waves) < 2:
        return None
    sec = Section("waves", "Changes between waves")
    part = S.participant_segments(d.segments)
    people = part.assign(_p=S.person_key(part))
    rows = []
    for w in waves:
        grp = people[people["wave"].astype(str) == str(w)]
        rows.append([d.wave_label(w), grp["transcript_id"].nunique(),
                     d.book.link(grp["_p"].nunique(), f"Participants in {d.wave_label(w)}", list(grp["segment_id"].astype(str)), key=f"wave-{w}")])
    sec.add(Table(["Wave", "Transcripts", "People"], rows, caption="Material per wave"))
    sec.add(Paragraph(["For each theme, code and emotion: the people who mention it in each wave, the change in share in "
                       "percentage points, and Fisher's exact test (two-sided) on people per wave, with Benjamini-Hochberg "
                       "q-values across the labels. 'n.s.' = not significant at p < 0.05."], style="muted"))
    any_kind = False
    for kind, kind_title in (("themes", "Themes"), ("codes", "Codes"), ("emotions", "Emotions")):
        lab = d.labels(kind)
        if lab is None:
            continue
        cmp_ = S.compare_waves(lab, d.segments, waves=[w for w, _ in d.waves])
        if cmp_.empty:
            continue
        any_kind = True
        sub = Section(f"waves-{kind}", f"{kind_title} across waves", level=3)
        if d.charts:
            from .plots import change_chart

            first = cmp_[(cmp_["wave_a"] == cmp_["wave_a"].iloc[0]) & (cmp_["wave_b"] == cmp_["wave_b"].iloc[0])]
            png = change_chart(list(first["label"]), list(first["change_pp"]), list(first["p_value"] < 0.05),
                               title=f"{kind_title}: change from {d.wave_label(first['wave_a'].iloc[0])} to {d.wave_label(first['wave_b'].iloc[0])}",
                               annotations=[f"{a}/{ba} → {b}/{bb}" for a, ba, b, bb in
                                            zip(first["n_a"], first["base_a"], first["n_b"], first["base_b"], strict=True)])
            sub.add(Chart(f"waves-{kind}", f"{kind_title}: change between waves", png,
                          alt="Diverging bar chart of the change in share of participants between waves: "
                          + "; ".join(f"{lab} {c:+.0f} pp" for lab, c in zip(first["label"].head(10), first["change_pp"].head(10), strict=True))))
        trows = []
        for r in cmp_.head(MAX_ROWS).to_dict("records"):
            trows.append([
                r["label"], f"{r['wave_a']} → {r['wave_b']}",
                d.book.link(f"{r['n_a']}/{r['base_a']}", f"“{r['label']}” in {d.wave_label(r['wave_a'])}", r["evidence_a"]),
                d.book.link(f"{r['n_b']}/{r['base_b']}", f"“{r['label']}” in {d.wave_label(r['wave_b'])}", r["evidence_b"]),
                f"{r['change_pp']:+.0f}", f"{r['p_value']:.3f}", f"{r['q_value']:.3f}", r["direction"],
            ])
        sub.add(Table([NOUNS[kind].capitalize(), "Waves", "People before", "People after", "Change (pp)", "p", "q", "Direction"],
                      trows, caption=f"{kind_title} that grew or shrank, most significant first"))
        for r in cmp_.head(3).to_dict("records"):
            if r["change_pp"] == 0:
                continue
            later = r["change_pp"] > 0
            ids = r["evidence_b"] if later else r["evidence_a"]
            w = r["wave_b"] if later else r["wave_a"]
            q = d.book.quotes(ids, k=2, title=f"“{r['label']}” {'grew' if later else 'shrank'} ({r['change_pp']:+.0f} pp): quotes from {d.wave_label(w)}")
            sub.add(q)
        sec.add(sub)
    if not any_kind:
        sec.add(Paragraph(["No themes, codes or emotions in this run to compare; the table above shows who was heard in each wave."], style="note"))
    return sec


def codebook_section(d: ReportData) -> Section | None:
    """The codebook: each code's path, definition, include / exclude rules, and people coded."""
    if d.codebook is None:
        return None
    sec = Section("codebook", "Codebook")
    lab = d.labels("codes")
    prev = {r["label"]: r for r in S.prevalence(lab, d.segments).to_dict("records")} if lab is not None else {}
    rows = []
    for c in d.codebook.codes:
        r = prev.get(c.name)
        n = d.book.link(r["participants"], f"Code “{c.name}”: every participant", r["evidence"], key=f"codes-{c.name}") if r else ("0" if lab is not None else "—")
        inc = c.include if isinstance(c.include, str) else "; ".join(c.include or [])
        exc = c.exclude if isinstance(c.exclude, str) else "; ".join(c.exclude or [])
        rows.append([_code_path(d.codebook, c.name), c.definition or "", inc or "", exc or "", n])
    sec.add(Table(["Code", "Definition", "Include", "Exclude", "People"], rows, caption="Codes (parent / child), with the number of people coded"))
    return sec


def _code_path(codebook: Any, name: str) -> str:
    by = {c.name: c for c in codebook.codes}
    path, seen = [name], {name}
    while by.get(path[0]) is not None and by[path[0]].parent and by[path[0]].parent not in seen:
        seen.add(by[path[0]].parent)
        path.insert(0, by[path[0]].parent)
    return " / ".join(path)


def _first_note(n: int, where: str) -> str:
    return f"First {MAX_APPENDIX_ROWS} of {n:,} rows; all in {where}." if n > MAX_APPENDIX_ROWS else ""


def _some(names: str, k: int | None = None) -> str:
    """A ``, ``-joined list of names cut to its first ``k`` (a meeting can have dozens of speakers)."""
    k = MAX_SPEAKERS if k is None else k
    parts = [p for p in str(names).split(", ") if p]
    return names if len(parts) <= k else ", ".join(parts[:k]) + f" … and {len(parts) - k} more"


def appendix_section(d: ReportData) -> Section:
    """Appendix: transcripts, participants, text not in any segment, run facts."""
    sec = Section("appendix", "Appendix")
    tt = S.transcripts_table(d.segments)
    seg_ids = d.segments.assign(segment_id=d.segments["segment_id"].astype(str)).groupby("transcript_id", sort=False)["segment_id"]
    seg_ids = {tid: list(g) for tid, g in seg_ids}
    rows = []
    for r in tt.head(MAX_APPENDIX_ROWS).to_dict("records"):
        segs = seg_ids.get(r["transcript_id"], [])
        rows.append([r["transcript_id"], r["source"], r["session_type"], "" if r["wave"] != r["wave"] or r["wave"] is None else r["wave"],
                     _some(r["speakers"]), r["turns"], d.book.link(r["segments"], f"Transcript {r['transcript_id']}", segs, key=f"transcript-{r['transcript_id']}"),
                     r["words"]])
    sec.add(Section("appendix-transcripts", "Transcripts", level=3),
            Table(["Transcript", "File", "Session", "Wave", "Speakers", "Turns", "Segments", "Words"], rows,
                  note=_first_note(len(tt), "segments.csv and workbook.xlsx (sheet segments)")))
    pt = S.participants_table(d.segments)
    if len(pt):
        sec.add(Section("appendix-participants", "Participants", level=3),
                Table(list(pt.columns), [["" if (isinstance(v, float) and v != v) else v for v in row]
                                         for row in pt.head(MAX_APPENDIX_ROWS).values.tolist()],
                      note=_first_note(len(pt), "workbook.xlsx (sheet participants)")))
    sk = d.tables.get("skipped")
    if sk is not None and len(sk):
        sec.add(Section("appendix-skipped", "Text not in any segment", level=3),
                Paragraph(["Every piece of a source file that is not speech, with the reason."], style="muted"),
                Table(["File", "Where", "Reason"], sk[["source", "where", "reason"]].head(MAX_APPENDIX_ROWS).values.tolist(),
                      note=_first_note(len(sk), "skipped.csv")))
    if d.changes:
        ch = d.changes
        rows = [["transcripts added", ", ".join(ch.get("added", [])) or "none"],
                ["transcripts changed", ", ".join(ch.get("changed", [])) or "none"],
                ["transcripts removed", ", ".join(ch.get("removed", [])) or "none"],
                ["parsed from cache", ch.get("cached", 0)],
                ["human decisions kept", ch.get("human_decisions", 0)]]
        sec.add(Section("appendix-rerun", "This run compared with the previous one", level=3), Table(["", ""], rows))
    if d.counts:
        sec.add(Section("appendix-counts", "Counts", level=3), Table(["Count", "Value"], [[k, v] for k, v in d.counts.items()]))
    return sec


#: the sections of a report, in order
SECTIONS = [summary_section, method_section, themes_section, codes_section, emotions_section, personas_section,
            waves_section, codebook_section, appendix_section]

_ = (Link,)
