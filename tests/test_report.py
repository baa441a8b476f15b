"""Reports: one content source, three renderers; every number links to its quotes; exports."""

from __future__ import annotations

import re
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from report_fixtures import fake_tables  # noqa: E402

from insights import schemas  # noqa: E402
from insights.report import ReportData, build_report, render_docx, render_html, render_markdown  # noqa: E402
from insights.report import exchange as X  # noqa: E402
from insights.schema import EMOTION_FLOOR  # noqa: E402

XSD = schemas.path("Project.xsd")


@pytest.fixture(scope="module")
def study_tables():
    from insights.codebook import load_codebook
    from insights.datasets import sample_study_path
    from insights.study import load_study, read_study

    study = load_study(sample_study_path())
    seg, skipped, _ = read_study(study)
    return study, seg, skipped, load_codebook(study.codebook_path)


def _data(study_tables, *, analyses: bool) -> ReportData:
    study, seg, skipped, book = study_tables
    tables = {"segments": seg, "skipped": skipped, **(fake_tables(seg) if analyses else {})}
    return ReportData(
        study=study.name,
        segments=seg,
        tables=tables,
        participants=study.participants,
        codebook=book if analyses else None,
        waves=[(w.id, w.label) for w in study.config.waves],
        config=study.config.model_dump(),
    )


def test_segments_only_report_has_no_analysis_sections(study_tables):
    r = build_report(_data(study_tables, analyses=False))
    ids = [s.id for s in r.sections]
    assert ids == ["summary", "method", "personas", "waves", "appendix"]
    html = render_html(r)
    assert "Not in this report because the stage did not run" in html
    assert "codes, themes, emotions, triggers" in html


@pytest.fixture(scope="module")
def full_report(study_tables):
    return build_report(_data(study_tables, analyses=True))


def test_every_number_links_to_an_evidence_entry_with_quotes(full_report):
    r = full_report
    html = render_html(r)
    targets = set(re.findall(r'<a class="n" href="#(ev-[^"]+)"', html))
    anchors = set(re.findall(r'<section class="evidence-entry" id="(ev-[^"]+)"', html))
    assert len(targets) > 50 and targets <= anchors
    for e in r.evidence.entries.values():
        assert 1 <= len(e.quotes) <= 4 and e.total >= len(e.quotes)
    # a quote names participant, segment attribute and position
    q = next(iter(r.evidence.entries.values())).quotes[0]
    assert re.match(r"^P\d\d$", q.who) and "segment: " in q.attrs and "turn " in q.where
    assert [s.id for s in r.sections] == [
        "summary",
        "method",
        "themes",
        "codes",
        "emotions",
        "personas",
        "waves",
        "codebook",
        "appendix",
    ]


def test_html_is_self_contained(full_report):
    html = render_html(full_report)
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "@import" not in html and "url(http" not in html
    assert html.count('src="data:image/png;base64,') >= 5


def test_html_ids_are_unique(full_report):
    # the same segment can be quoted under several numbers: quotes carry data-segment, not an id
    ids = re.findall(r'\sid="([^"]+)"', render_html(full_report))
    assert len(ids) > 50 and len(ids) == len(set(ids))
    assert 'data-segment="' in render_html(full_report)


def test_appendix_listings_are_bounded(study_tables, monkeypatch):
    # at scale (QMSum: 66 meetings, 370 participants, 40+ speakers in a meeting) the appendix
    # stays readable
    from insights.report.content import Link, Section, Table
    from insights.report.sections import appendix

    monkeypatch.setattr(appendix, "MAX_APPENDIX_ROWS", 5)
    monkeypatch.setattr(appendix, "MAX_SPEAKERS", 2)
    app = appendix.appendix_section(_data(study_tables, analyses=False))
    tables = {}
    for sub in app.blocks:
        if isinstance(sub, Section):
            tables[sub.id] = next(
                b for b in app.blocks[app.blocks.index(sub) :] if isinstance(b, Table)
            )
    tr, pt = tables["appendix-transcripts"], tables["appendix-participants"]
    assert (
        len(tr.rows) == 5
        and tr.note == "First 5 of 12 rows; all in segments.csv and workbook.xlsx (sheet segments)."
    )
    assert len(pt.rows) == 5 and pt.note.startswith("First 5 of 20 rows")
    fg = next(r for r in tr.rows if r[2] == "focus_group")
    assert fg[4].count(", ") == 1 and fg[4].endswith("more")
    # every transcript's segment count still links to its quotes
    assert all(isinstance(r[6], Link) and r[6].target for r in tr.rows)


def test_markdown_and_docx_carry_the_same_content(full_report, tmp_path):
    r = full_report
    md = render_markdown(r)
    assert md.count("](#ev-") > 50 and "![Bar chart" in md and "> “" in md
    render_docx(r, tmp_path / "r.docx")
    from docx import Document

    doc = Document(str(tmp_path / "r.docx"))
    heads = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Summary of findings" in heads and "Changes between waves" in heads
    assert sum(p.style.name == "Quote" for p in doc.paragraphs) > 20
    assert len(doc.inline_shapes) == len(r.charts)
    xml = doc.element.xml
    assert len(re.findall(r'w:anchor="ev_\d+"', xml)) > 50 and "w:bookmarkStart" in xml
    # built in pieces (the body is kept short while adding): order and picture ids hold
    assert heads[0] == r.sections[0].title and heads.index(
        "Evidence: the quotes behind every number"
    ) > heads.index("Changes between waves")
    ids = re.findall(r'<wp:docPr id="(\d+)"', xml)
    assert len(ids) == len(r.charts) > 1 and len(set(ids)) == len(ids)
    assert doc.paragraphs[0].style.name == "Title" and doc.paragraphs[0].text == r.title


def test_workbook_sheets(study_tables, tmp_path):
    X.write_workbook(_data(study_tables, analyses=True), tmp_path / "w.xlsx")
    sheets = pd.read_excel(tmp_path / "w.xlsx", sheet_name=None)
    assert {
        "quotes",
        "code_x_participant",
        "participants",
        "segments",
        "codes",
        "themes",
        "emotions",
        "triggers",
        "codebook",
    } <= set(sheets)
    q = sheets["quotes"]
    assert {
        "quote",
        "participant",
        "segment",
        "status",
        "code",
        "code_path",
        "transcript",
        "position",
    } <= set(q.columns)
    assert "Reliability and speed / Outages and dropouts" in set(q["code_path"])
    m = sheets["code_x_participant"]
    assert set(m["Price and billing"].unique()) <= {0, 1} and len(m) == 20


def test_qdpx_cases_point_at_their_own_sources(study_tables, tmp_path):
    # interviewees: a SourceRef to their interview; focus-group members: SelectionRefs to their
    # turns
    from lxml import etree

    data = _data(study_tables, analyses=False)
    p = X.write_qdpx(data, tmp_path / "s.qdpx")
    root = etree.fromstring(zipfile.ZipFile(p).read("project.qde"))
    ns = {"q": X.QDA_NS}
    src = {s.get("guid"): s.get("name") for s in root.iterfind(".//q:TextSource", ns)}
    cases = {c.get("name"): c for c in root.iterfind(".//q:Case", ns)}
    assert [src[r.get("targetGUID")] for r in cases["P03"].iterfind("q:SourceRef", ns)] == [
        "P03_priya.docx"
    ]
    assert (
        cases["P12"].find("q:SourceRef", ns) is None
        and len(cases["P12"].findall("q:SelectionRef", ns)) > 3
    )


def test_qdpx_validates_and_human_codings_come_back(study_tables, tmp_path):
    from lxml import etree

    data = _data(study_tables, analyses=True)
    p = X.write_qdpx(data, tmp_path / "s.qdpx")
    assert X.validate_qdpx(p, XSD) == []
    with zipfile.ZipFile(p) as z:
        root = etree.fromstring(z.read("project.qde"))
        sources = {n: z.read(n).decode() for n in z.namelist() if n.startswith("sources/")}
    ns = {"q": X.QDA_NS}
    assert len(root.findall(".//q:TextSource", ns)) == 12 and len(sources) == 12
    assert len(root.findall(".//q:Case", ns)) == 20
    users = {u.get("name") for u in root.iterfind(".//q:User", ns)}
    assert any(u.startswith("insights rule coding") for u in users)
    # selections point at the segment's text in the source file
    seg = data.segments.set_index("segment_id")
    src = root.find(".//q:TextSource", ns)
    text = sources["sources/" + src.get("plainTextPath")[len("internal://") :]]
    sel = src.find("q:PlainTextSelection", ns)
    assert (
        text[int(sel.get("startPosition")) : int(sel.get("endPosition"))]
        == seg.loc[sel.get("name"), "text"]
    )
    # the model's own codings do not come back as human codings
    assert X.read_qdpx_codings(p, data.segments).empty
    # a colleague codes a span in their QDA tool (a new user, a new selection without our name)
    alice = "11111111-2222-3333-4444-555555555555"
    etree.SubElement(
        root.find("q:Users", ns), f"{{{X.QDA_NS}}}User", guid=alice, name="Alice (NVivo)"
    )
    code_guid = root.find(".//q:Code[@name='Engineer visit']", ns).get("guid")
    target = data.segments[data.segments["segment_id"] == "p03_priya-t010-s01"].iloc[0]
    new_sel = etree.SubElement(
        src
        if src.get("name") == target["source"]
        else root.find(f".//q:TextSource[@name='{target['source']}']", ns),
        f"{{{X.QDA_NS}}}PlainTextSelection",
        guid="aaaaaaaa-2222-3333-4444-555555555555",
        startPosition=str(int(target["char_start"]) + 2),
        endPosition=str(int(target["char_end"])),
    )
    c = etree.SubElement(
        new_sel,
        f"{{{X.QDA_NS}}}Coding",
        guid="bbbbbbbb-2222-3333-4444-555555555555",
        creatingUser=alice,
    )
    etree.SubElement(c, f"{{{X.QDA_NS}}}CodeRef", targetGUID=code_guid)
    p2 = tmp_path / "coded.qdpx"
    with zipfile.ZipFile(p) as zin, zipfile.ZipFile(p2, "w") as zout:
        for n in zin.namelist():
            zout.writestr(
                n,
                etree.tostring(root, xml_declaration=True, encoding="utf-8")
                if n == "project.qde"
                else zin.read(n),
            )
    back = X.read_qdpx_codings(p2, data.segments)
    assert back[
        ["segment_id", "code", "confidence", "method", "coder", "user"]
    ].values.tolist() == [
        ["p03_priya-t010-s01", "Engineer visit", 1.0, "human", "human", "Alice (NVivo)"]
    ]


def test_qdpx_leaves_suggested_codings_out_and_round_trips(study_tables, tmp_path):
    # applied and human codings are Codings; suggested ones (codes not past the gate) are not
    from lxml import etree

    data = _data(study_tables, analyses=True)
    codes = data.tables["codes"].copy()
    suggested_code = codes["code"].value_counts().index[0]
    codes["status"] = np.where(codes["code"] == suggested_code, "suggested", "applied")
    human = (
        codes[codes["code"] != suggested_code]
        .iloc[[0]]
        .assign(code=suggested_code, method="human", coder="human", confidence=1.0, status="human")
    )
    codes = pd.concat([codes, human], ignore_index=True)
    data.tables["codes"] = codes
    # a theme named like a code is a code of its own (its own GUID) in the themes group
    themes = data.tables["themes"].copy()
    themes.loc[0, "label"] = suggested_code
    data.tables["themes"] = themes
    p = X.write_qdpx(data, tmp_path / "s.qdpx")
    assert X.validate_qdpx(p, XSD) == []
    root = etree.fromstring(zipfile.ZipFile(p).read("project.qde"))
    guids = [c.get("guid") for c in root.iter(f"{{{X.QDA_NS}}}Code")]
    assert len(guids) == len(set(guids))
    n_suggested = int((codes["status"] == "suggested").sum())
    assert root.find(f"{{{X.QDA_NS}}}Description").text.startswith(f"{n_suggested} codings")
    kept = codes[codes["status"] != "suggested"]
    back = X.read_qdpx_codings(p, data.segments, include_model_users=True)
    back = back[~back["user"].str.startswith(("insights theme", "insights emotions"))]
    pairs = lambda t: sorted(set(zip(t["segment_id"], t["code"], strict=True)))  # noqa: E731
    assert pairs(back) == pairs(kept)
    # as decisions, only the human one comes back accepted; no suggested coding does
    decisions = X.read_qdpx_codings(p, data.segments)
    assert pairs(decisions) == pairs(human)


def test_our_export_comes_in_as_a_new_study_without_theme_and_emotion_groups(
    study_tables, tmp_path
):
    # another team opens our study.qdpx as a project of its own: the sources become transcripts
    # under their file's stem, the codebook comes back whole, themes and emotions stay out
    from insights.study import plan_qdpx_import

    data = _data(study_tables, analyses=True)
    p = X.write_qdpx(data, tmp_path / "s.qdpx")
    plan = plan_qdpx_import(p, tmp_path / "new")
    assert sorted(plan.transcripts)[:3] == ["FG1_wave1.txt", "FG2_wave2.txt", "P01_aisha.txt"]
    book = study_tables[3]
    assert plan.codebook.names == book.names and plan.notes == []
    assert plan.codebook["Price rise"].definition == book["Price rise"].definition
    assert plan.decisions.empty and plan.model_codings > 0 and plan.unmatched.empty


def test_chart_style_sorted_and_counted():
    from insights.report.plots import OKABE_ITO, bar_chart

    png = bar_chart(["a", "b", "c"], [1, 5, 3], title="t", xlabel="x")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) < 40_000
    assert OKABE_ITO[0] == "#0072B2"


def test_heatmap_and_journey_charts():
    import io

    from PIL import Image

    from insights.report.plots import heatmap, journey_chart

    small = heatmap(["a", "b"], ["x", "y"], [[0, 4], [2, 0]], title="t")
    tall = heatmap(
        [f"row {i}" for i in range(12)], ["x", "y"], [[i, 0] for i in range(12)], title="t"
    )
    empty = heatmap(["a"], ["x"], [[0]], title="nothing yet")  # all zero: no division by zero
    sizes = [Image.open(io.BytesIO(png)).size for png in (small, tall, empty)]
    assert sizes[1][1] > sizes[0][1] > 0 and sizes[2][0] > 0
    # the largest value is the darkest blue in the picture
    colours = [
        c for _, c in Image.open(io.BytesIO(small)).convert("RGB").getcolors(maxcolors=1 << 16)
    ]
    assert any(b > 90 and r + g < 80 for r, g, b in colours)  # the cell of 4 in dark blue
    line = journey_chart(
        ["intro", "install", "bill"],
        [0.2, -0.8, 0.5],
        title="P01",
        annotations=["joy", "anger", ""],
    )
    assert Image.open(io.BytesIO(line)).size[0] > 300


def test_drivers_chart_comes_first_and_emotions_have_a_theme_heatmap(full_report, study_tables):
    charts = [b for s in full_report.sections for b in s.blocks if type(b).__name__ == "Chart"]
    ids = [c.name for c in charts]
    # participants.csv's status says 5 of the 20 left: no driver passes, so no bars
    assert "drivers" not in ids and "emotion-theme" in ids and "journey" in ids
    # and no evidence section for a driver the report does not list
    assert not [e for e in full_report.evidence.entries.values() if e.title.startswith("Driver ")]
    md = render_markdown(full_report)
    assert "Reasons to leave" not in md and "(0 of" not in md
    assert (
        "Who left and who stayed is taken from participants.csv (column “status”: 5 left, "
        "15 stayed), whatever they said." in md
    )
    assert "Intents counted" not in md
    assert (
        "Closest: Price and billing: going right (2 of the 2 people who name it stayed, "
        "against 75% of everyone; q = 1.00), Engineer visit: going right (2 of 3; q = 1.00)" in md
    )
    # without the sheet (outcome: false) the keyword fixtures call 14 of 20 people leaving
    # (a leaver who also recommended counts once, as leaving: q 0.61, not 0.62 as before)
    data = _data(study_tables, analyses=True)
    said = render_markdown(build_report(replace(data, config={**data.config, "outcome": False})))
    assert "participants.csv (column" not in said
    assert (
        "No leave driver is supported by the evidence: 1 candidate driver was tested, none "
        "passed (one-sided Fisher exact test on people, Benjamini-Hochberg q ≤ 0.10). "
        "Closest: Price and billing: going wrong (4 of the 4 people who name it said they "
        "had left or meant to leave, against 70% of everyone; q = 0.61). Leads to read in "
        "their quotes, not findings." in said
    )
    journey = charts[ids.index("journey")]
    assert (
        "Engineer visit" not in journey.alt and "Installation and onboarding: " in journey.alt
    )  # stages are top-level codes
    heat = charts[ids.index("emotion-theme")]
    # the alt text carries the numbers: anger within the engineer-visit theme was heard from
    # somebody
    assert "engineer visit: " in heat.alt and "anger" in heat.alt
    # supported drivers are drawn first, with their people and test figures in the table
    data = _data(study_tables, analyses=True)
    quotes = ";".join(data.segments["segment_id"].astype(str).iloc[5:7])
    data.tables["drivers"] = pd.DataFrame(
        [
            _driver_row("leave", "Engineer no-show", 4, 4, "P03;P06;P09;P13", 0.0021, 0.012),
            _driver_row("stay", "Engineer visit", 6, 5, "P01;P02;P04;P05;P07", 0.004, 0.03),
            _driver_row("leave", "Price rise", 5, 1, "P03", 0.4, 0.6, supported=False),
        ]
    ).assign(quotes=quotes)
    # a table with labels shows them; one without (hand-made) gets theme and stance words
    data.tables["drivers"]["label"] = ["", "Engineer visit: “fixed it in minutes”", ""]
    r = build_report(data)
    charts = [b for s in r.sections for b in s.blocks if type(b).__name__ == "Chart"]
    assert charts[0].name == "drivers"
    assert charts[0].alt.endswith(
        ": Engineer no-show: going wrong → leave: 4; "
        "Engineer visit: “fixed it in minutes” → stay: 5"
    )
    md = render_markdown(r)
    assert "Reasons to leave: Engineer no-show: going wrong ([4 of 4 people](#ev-" in md
    assert "Reasons to stay or recommend: Engineer visit: “fixed it in minutes” ([5 of" in md
    assert ", q = 0.012)." in md and "Price rise" not in md.split("## Method")[0]
    assert "| leave | Engineer no-show: going wrong | [4 of 4 people](#ev-" in md
    assert "| P03, P06, P09, P13 | 0.0021 | 0.012 |" in md
    assert "2 of 3 tested drivers are supported" in md


def _driver_row(direction, driver, n, k, people, p, q, *, supported=True):
    return {
        "direction": direction, "group": "all", "driver": driver, "n_participants": n,
        "n_with_intent": k, "rate": k / n, "base_rate": 0.25, "lift": k / n / 0.25,
        "score": 0.1, "n_triggers": n, "n_chains": 1, "top_emotion": "anger",
        "quotes": "", "quote_text": "", "stance": "negative" if direction == "leave" else
        "positive", "p_value": p, "q_value": q, "supported": supported, "people": people,
    }  # fmt: skip


def _small_study(rows):
    """A study of people talking, one segment a row: (participant, text)."""
    return pd.DataFrame(
        {
            "segment_id": [f"s{i}" for i in range(len(rows))],
            "transcript_id": [p for p, _ in rows],
            "source": [f"{p}.txt" for p, _ in rows],
            "wave": 1,
            "turn": range(len(rows)),
            "speaker": [p for p, _ in rows],
            "role": "participant",
            "participant_id": [p for p, _ in rows],
            "session_type": "interview",
            "text": [t for _, t in rows],
        }
    )


def test_a_study_with_no_customers_reports_no_driver_in_words():
    seg = _small_study(
        [("P1", "Assessing accuracy is hard."), ("P2", "Metrics lie to you."),
         ("P3", "The big problem is labels."), ("P4", "Labels are a big problem."),
         ("P5", "Notebooks are great."), ("P6", "I love notebooks.")]
    )  # fmt: skip
    trig = pd.DataFrame(
        {
            "segment_id": [f"s{i}" for i in range(6)],
            "emotion": ["annoyance", "disapproval", "annoyance", "sadness", "joy", "love"],
            "cause_segment_id": [f"s{i}" for i in range(6)],
            "cause_text": "it",
            "theme": ["Assess accuracy"] * 2 + ["Big problem"] * 2 + ["Notebooks"] * 2,
            "intent": "none",
            "confidence": 0.8,
        }
    )
    intents = pd.DataFrame({"segment_id": seg["segment_id"], "intent": "none"})
    tables = {"segments": seg, "triggers": trig, "intents": intents}
    md = render_markdown(build_report(ReportData(study="ML practice", segments=seg, tables=tables)))
    summary = md.split("## Method")[0]
    assert "Reasons to leave" not in md and "Reasons to stay" not in md and "(0 of" not in md
    assert (
        "No leave driver: nobody in this study said they had left or meant to leave (2 "
        "candidate drivers named by two or more people, none by anyone with that intent)."
        in summary
    )
    assert "No stay driver: nobody in this study said they would stay or recommend" in summary
    assert "All 3 tested drivers, with their p- and q-values, are in workbook.xlsx" in md
    # one person with a stay intent: no driver can be tested, and the words say so
    one = intents.assign(intent=["stay"] + ["none"] * 5)
    tables = {"segments": seg, "triggers": trig, "intents": one}
    md = render_markdown(build_report(ReportData(study="ML practice", segments=seg, tables=tables)))
    assert (
        "No stay driver: a driver needs two or more people who said they would stay or "
        "recommend, and no candidate driver is named by two of them (1 candidate driver "
        "named by two or more people; too few to test)." in md.split("## Method")[0]
    )
    # no theme named by two people: the words say so
    lone = trig.assign(theme=[f"theme {i}" for i in range(6)])
    tables = {"segments": seg, "triggers": lone, "intents": intents}
    md = render_markdown(build_report(ReportData(study="ML practice", segments=seg, tables=tables)))
    assert "No leave driver is supported by more than one person's account." in md
    assert "No stay driver is supported by more than one person's account." in md


def test_the_report_says_who_the_intents_are_and_leaves_out_unsure_ones():
    seg = _small_study(
        [("P1", "I left them in May."), ("P2", "I might leave them."), ("P3", "I'll stay."),
         ("P4", "I'd leave if it went up."), ("P5", "Fine."), ("P6", "Fine.")]
    )  # fmt: skip
    trig = pd.DataFrame(
        {
            "segment_id": ["s0", "s1", "s2"], "emotion": ["anger", "anger", "joy"],
            "cause_segment_id": ["s0", "s1", "s2"], "cause_text": "it",
            "theme": ["Price"] * 3, "intent": ["leave", "none", "stay"], "confidence": 0.8,
        }
    )  # fmt: skip
    # as find_triggers writes it: a trigger's intent is its row of intents at the floor
    intents = pd.DataFrame(
        {
            "segment_id": ["s0", "s1", "s2", "s3", "s4", "s5"],
            "intent": ["leave", "leave", "stay", "leave", "none", "none"],
            "kind": ["done", "intended", "intended", "conditional", "", ""],
            "confidence": [0.8, 0.35, 0.6, 0.9, 0.0, 0.0],
            "target": ["study", "study", "study", "study", "", ""],
        }
    )
    tables = {"segments": seg, "triggers": trig, "intents": intents}
    md = render_markdown(build_report(ReportData(study="Demo", segments=seg, tables=tables)))
    assert "Intents counted: 1 person with a leave intent" in md
    assert "and 1 with a stay or recommend intent" in md
    assert "2 other intent statements (conditional, reported, about another provider, or " in md
    assert "below that confidence: 1 of them) are in intents.csv and not counted." in md
    # the example triggers are triggers.csv's: P2's unsure leave is none there
    assert "Intent “leave”: [1 trigger segment]" in md
    assert "No stay, leave or recommend intent: [1 trigger segment]" in md


def test_example_triggers_show_counted_intents_first_and_say_why_others_are_not():
    seg = _small_study(
        [("P1", "My neighbour left them."), ("P2", "I left my old provider."),
         ("P3", "I'd leave if it went up."), ("P4", "I left them in May.")]
    )  # fmt: skip
    trig = pd.DataFrame(
        {
            "segment_id": ["s0", "s1", "s2", "s3"], "emotion": "anger",
            "cause_segment_id": ["s0", "s1", "s2", "s3"], "cause_text": "it",
            "theme": "Price", "intent": "leave", "confidence": [0.9, 0.8, 0.7, 0.6],
        }
    )  # fmt: skip
    intents = pd.DataFrame(
        {
            "segment_id": ["s0", "s1", "s2", "s3"], "intent": "leave",
            "kind": ["reported", "done", "conditional", "done"], "confidence": 0.8,
            "target": ["study", "other", "study", "study"],
        }
    )  # fmt: skip
    tables = {"segments": seg, "triggers": trig, "intents": intents}
    md = render_markdown(build_report(ReportData(study="Demo", segments=seg, tables=tables)))
    examples = md[md.index("### Example triggers") :]
    quoted = re.findall(r"^> “(.+?)”$", examples, flags=re.M)
    # the one that counts leads although its trigger is the least confident
    first = ["I left them in May.", "My neighbour left them.", "I left my old provider."]
    assert quoted[:3] == first
    assert "theme: Price · not counted for drivers: someone else's*" in examples
    assert "not counted for drivers: about another provider*" in examples
    assert "I left them in May.”\n> *anger · cause: “it” · theme: Price*" in examples


def test_emotions_heard_most_count_people_above_the_floor():
    from insights.summarize import emotion_labels

    assert 0.5 < EMOTION_FLOOR < 0.93  # the scores below sit on either side of it
    seg = _small_study([("P1", "So annoying."), ("P2", "Not really."), ("P3", "Lovely!")])
    emo = pd.DataFrame(
        {
            "segment_id": ["s0", "s1", "s2"],
            "emotions": ["annoyance", "disapproval", "joy"],
            "ekman": ["anger", "anger", "joy"],
            "p_anger": [0.2, 0.01, 0.0],
            "p_annoyance": [0.93, 0.05, 0.0],
            "p_disapproval": [0.1, 0.62, 0.0],
            "p_joy": [0.0, 0.0, 0.95],
        }
    )
    # P2's disapproval passed the model's threshold at 0.62, but not the floor
    assert emotion_labels(emo).values.tolist() == [["s0", "anger"], ["s2", "joy"]]
    assert emotion_labels(emo, column="emotions").values.tolist() == [
        ["s0", "annoyance"],
        ["s2", "joy"],
    ]
    assert len(emotion_labels(emo, floor=None)) == 3
    tables = {"segments": seg, "emotions": emo}
    md = render_markdown(build_report(ReportData(study="s", segments=seg, tables=tables)))
    assert (
        f"Emotions heard most (besides neutral, scored at least {EMOTION_FLOOR:.2f}): "
        "anger ([1 of 3 people]" in md
    )
    assert "joy ([1 of 3 people]" in md
    quiet = emo.assign(p_annoyance=0.5, p_joy=0.5)
    tables = {"segments": seg, "emotions": quiet}
    md = render_markdown(build_report(ReportData(study="s", segments=seg, tables=tables)))
    assert (
        "No emotion besides neutral was heard with confidence (a score of at least "
        f"{EMOTION_FLOOR:.2f}) from anyone." in md
    )
    assert "not counted as joy" not in md
    # P3's "Lovely!" noted as approval by the emotion stage: no joy, and the report says so
    from insights.emotions import APPROVAL_NOTE

    noted = emo.assign(note=["", "", APPROVAL_NOTE])
    tables = {"segments": seg, "emotions": noted}
    md = render_markdown(build_report(ReportData(study="s", segments=seg, tables=tables)))
    assert "joy ([" not in md and "anger ([1 of 3 people]" in md
    assert "are not counted as joy or as any emotion: 1 segment, noted in emotions.csv." in md


def test_load_tables_reads_outputs_else_segments_and_rule_codes(study_copy, tmp_path):
    from insights.study import load_study, load_tables

    study = load_study(study_copy)
    fresh = load_tables(study)
    assert set(fresh) == {"segments", "skipped", "codes", "codebook"}
    assert set(fresh["codes"]["method"]) == {"rule"} and len(fresh["codes"]) > 20
    out = study.output_dir
    out.mkdir()
    fresh["segments"].head(5).to_csv(out / "segments.csv", index=False)
    pd.DataFrame(
        {
            "segment_id": [fresh["segments"]["segment_id"].iloc[0]],
            "code": ["X"],
            "confidence": [1.0],
            "method": ["human"],
            "coder": ["human"],
        }
    ).to_csv(out / "codes.csv", index=False)
    saved = load_tables(study)
    assert len(saved["segments"]) == 5 and saved["codes"]["code"].tolist() == ["X"]


def test_needs_are_listed_with_the_people_behind_them_or_not_at_all():
    seg = _small_study([("P1", "Fine."), ("P2", "Great."), ("P3", "Slow."), ("P4", "Ok.")])
    needs = pd.DataFrame(
        [
            {"theme": "Speed", "kind": "performance", "negative_quotes": "s2",
             "delight_quotes": "s1", "n_negative": 1, "n_delight": 2, "negative_share": 0.3,
             "delight_share": 0.2, "n_people": 4, "n_people_negative": 1, "n_people_delight": 2},
            {"theme": "Kiosk", "kind": "not enough evidence", "negative_quotes": "s3",
             "delight_quotes": "", "n_negative": 1, "n_delight": 0, "negative_share": 1.0,
             "delight_share": 0.0, "n_people": 1, "n_people_negative": 1, "n_people_delight": 0},
        ]
    )  # fmt: skip
    trig = pd.DataFrame(
        {"segment_id": ["s1"], "emotion": ["joy"], "cause_segment_id": ["s1"],
         "cause_text": "it", "theme": "Speed", "intent": "none", "confidence": 0.8}
    )  # fmt: skip
    tables = {"segments": seg, "needs": needs, "triggers": trig}
    md = render_markdown(build_report(ReportData(study="s", segments=seg, tables=tables)))
    assert "| Speed | performance | [4 people](#ev-" in md and "| Kiosk |" not in md
    assert "1 theme with fewer than 3 such people: not enough evidence" in md
    summary = md.split("## Method")[0]
    assert (
        "No theme has enough people behind it to call it a baseline need or a delight (it "
        f"takes 3 or more people who spoke of it with that emotion, scored at least "
        f"{EMOTION_FLOOR:.2f}, or 2 who said it in words)." in summary
    )


def test_a_need_said_in_words_is_shown_in_those_words():
    seg = _small_study(
        [("P1", "The bill was wrong again and I was livid about it all week."),
         ("P2", "You only notice the bill when it's wrong, don't you, really."),
         ("P3", "You just expect the bill to be right, it's the bare minimum."),
         ("P4", "Honestly I was so angry when the bill came in at double."),
         ("P5", "The bill is fine now, it comes on the first of the month.")]
    )  # fmt: skip
    needs = pd.DataFrame(
        [{"theme": "Bill", "kind": "baseline", "negative_quotes": "s0;s3",
          "delight_quotes": "", "n_negative": 2, "n_delight": 0, "negative_share": 1.0,
          "delight_share": 0.0, "n_people": 2, "n_people_negative": 2, "n_people_delight": 0,
          "stated": "baseline", "n_people_stated": 2, "stated_quotes": "s1;s2"}]
    )  # fmt: skip
    tables = {"segments": seg, "needs": needs}
    report = build_report(ReportData(study="s", segments=seg, tables=tables))
    md = render_markdown(report)
    assert (
        "- Baseline needs (noticed when they fail): Bill ([2 people](#ev-need-baseline-bill))."
        in md
    )
    entry = report.evidence.entries["ev-need-baseline-bill"]
    # the words that name the need come first; the complaints follow
    assert [q.segment_id for q in entry.quotes] == ["s1", "s2", "s0", "s3"]


def test_a_theme_says_how_many_segments_went_wrong_and_right_and_what_they_say():
    from insights.summarize import theme_stance

    seg = _small_study(
        [("P1", "The engineer never came."), ("P2", "The engineer never showed."),
         ("P3", "The engineer was brilliant."), ("P4", "An engineer came.")]
    )  # fmt: skip
    emo = pd.DataFrame(
        {"segment_id": ["s0", "s1", "s2", "s3"],
         "emotions": ["anger", "annoyance", "admiration", "neutral"],
         "valence": [-0.8, -0.7, 0.9, 0.0], "intensity": [0.5, 0.9, 0.8, 0.1]}
    )  # fmt: skip
    assign = pd.DataFrame({"segment_id": ["s0", "s1", "s2", "s3"], "theme_id": 0,
                           "probability": 1.0, "excluded": ""})  # fmt: skip
    themes = pd.DataFrame({"theme_id": [0], "label": ["Engineer visit"], "keywords": ["engineer"],
                           "size": [4], "prevalence": [1.0], "quotes": ["s0;s2"]})  # fmt: skip
    stance = theme_stance(assign, emo, themes=themes, segments=seg)
    trig = pd.DataFrame(
        {"segment_id": ["s2"], "emotion": ["admiration"], "cause_segment_id": ["s2"],
         "cause_text": "brilliant", "theme": "Engineer visit", "intent": "none", "confidence": 0.8}
    )  # fmt: skip
    needs = pd.DataFrame(
        [{"theme": "Engineer visit", "kind": "performance", "negative_quotes": "s1;s0",
          "delight_quotes": "s2", "n_negative": 2, "n_delight": 1, "negative_share": 0.67,
          "delight_share": 0.33, "n_people": 3, "n_people_negative": 2, "n_people_delight": 1,
          "going_wrong": "The engineer never came", "going_right": "The engineer was brilliant"}]
    )  # fmt: skip
    tables = {"segments": seg, "assignments": assign, "themes": themes, "needs": needs,
              "theme_stance": stance, "triggers": trig}  # fmt: skip
    md = render_markdown(build_report(ReportData(study="s", segments=seg, tables=tables)))
    assert re.search(
        r"Going wrong in \[2 segments\]\(#ev-[^)]+\) \(“The engineer never came”\), going "
        r"right in \[1\]\(#ev-[^)]+\) \(“The engineer was brilliant”\); 1 neither\.",
        md,
    )
    assert "| 2: “The engineer never came” | 1: “The engineer was brilliant” |" in md
    # a theme about the decision itself has no going wrong or right: "I'd be mad to
    # leave" is a negative word, not the theme going wrong
    themes = themes.assign(label=["Leave & stay"])
    stance = theme_stance(assign, emo, themes=themes, segments=seg)
    tables = {**tables, "themes": themes, "theme_stance": stance, "needs": needs.iloc[:0]}
    md = render_markdown(build_report(ReportData(study="s", segments=seg, tables=tables)))
    assert "### Leave & stay" in md and "Going wrong in" not in md


def test_summary_ranks_stable_themes_by_the_people_who_dwell_on_them(study_tables):
    study, seg, _, book = study_tables
    d = _data(study_tables, analyses=True)
    themes = d.tables["themes"]
    plain = render_markdown(build_report(d))
    line = next(x for x in plain.splitlines() if x.startswith("- Top themes: "))
    first = line.removeprefix("- Top themes: ").split(" (")[0]
    # the theme most people mention becomes unstable, the last one the most dwelt on
    ranked = themes.assign(
        dwellers=[1] * (len(themes) - 1) + [9],
        stability=[0.2 if lab == first else 0.9 for lab in themes["label"]],
    )
    tables = {**d.tables, "themes": ranked}
    md = render_markdown(
        build_report(ReportData(study=study.name, segments=seg, tables=tables, codebook=book))
    )
    lead = "- Top themes (stable ones first, by the people who dwell on them): "
    line = next(x for x in md.splitlines() if x.startswith(lead))
    named = [p.split(" (")[0] for p in line.removeprefix(lead).split("; ")]
    assert named[0] == themes["label"].iloc[-1] and first not in named
    # the count it is ranked by is shown beside the people who mention it
    counts = [re.search(r", (\d+) dwells? on it\)", p) for p in line.split("; ")]
    assert [int(m.group(1)) for m in counts] == [9, 1, 1][: len(named)]


def test_suggested_codings_are_shown_apart_and_never_counted(study_tables, tmp_path):
    study, seg, _, book = study_tables
    seg = seg[seg["transcript_id"].isin(sorted(set(seg["transcript_id"]))[:3])]  # small
    tables = {"segments": seg, **fake_tables(seg)}
    codes = tables["codes"]
    engineer = codes["code"] == "Engineer visit"
    assert engineer.any() and (~engineer).any()
    tables["codes"] = codes.assign(status=np.where(engineer, "suggested", "applied"))
    gated = ReportData(study=study.name, segments=seg, tables=tables, codebook=book, charts=False)
    from insights.report.content import Paragraph
    from insights.report.sections import codes_section

    md = " ".join(
        str(p) for b in codes_section(gated).blocks if isinstance(b, Paragraph) for p in b.parts
    )
    n_seg = codes.loc[engineer, "segment_id"].nunique()
    assert f"Needs review: 1 code ({int(engineer.sum()):,} suggested codings of {n_seg:,}" in md
    assert f"{int((~engineer).sum()):,} codings of" in md
    assert "Engineer visit" not in set(gated.labels("codes")["label"])
    # no decisions yet, so no code has passed the gate: the section says so, counts nothing
    none = ReportData(
        study=study.name,
        segments=seg,
        tables={**tables, "codes": codes.assign(status="suggested")},
        charts=False,
    )
    parts = [str(p) for b in codes_section(none).blocks for p in getattr(b, "parts", [])]
    assert parts[0] == "No code is applied yet: every model coding is a suggestion."
    assert none.labels("codes") is None
    X.write_workbook(gated, tmp_path / "w.xlsx")
    sheets = pd.read_excel(tmp_path / "w.xlsx", sheet_name=None)
    assert set(sheets["suggested_codes"]["code"]) == {"Engineer visit"}
    assert "Engineer visit" not in set(sheets["quotes"]["code"])
    assert "Engineer visit" not in sheets["code_x_participant"].columns
    assert set(sheets["suggested_codes"]["coding_status"]) == {"suggested"}
