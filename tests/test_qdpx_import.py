"""REFI-QDA projects made by other QDA tools come in: sources, codebook, codings as decisions.

The fixtures are written here by hand, the way NVivo / MAXQDA / QualCoder write a
REFI-QDA 1.5 project: upper-case GUIDs in braces, nested codes, two coders, a source
named differently from its file, Windows line endings counted as two characters, a
selection that crosses a sentence boundary, NVivo's case coding.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from insights import schemas
from insights.cli import main
from insights.report.exchange import validate_qdpx

NS = "urn:QDA-XML:project:1.0"
ALICE = "{5D2B49D0-9562-4DD3-9EE3-CE2B965E413C}"
BEN = "0B1E2A44-7F3C-4C1D-8E21-6A9D1F00AB12"
SERVICE, OUTAGES, SUPPORT = (
    "11111111-AAAA-4AAA-8AAA-000000000001",
    "11111111-AAAA-4AAA-8AAA-000000000002",
    "11111111-AAAA-4AAA-8AAA-000000000003",
)
PRICE, OTHER_SERVICE, OTHER_PRICE = (
    "11111111-AAAA-4AAA-8AAA-000000000004",
    "11111111-AAAA-4AAA-8AAA-000000000005",
    "11111111-AAAA-4AAA-8AAA-000000000006",
)
CASE = "22222222-BBBB-4BBB-8BBB-000000000001"
SRC_ANNA, SRC_MO = "33333333-CCCC-4CCC-8CCC-000000000001", "33333333-CCCC-4CCC-8CCC-000000000002"

# Windows line endings, as NVivo writes its plain-text sources (positions count both)
ANNA = (
    "Interviewer: How has the service been?\r\n\r\n"
    "Anna: The line drops every evening. It is worse when it rains. "
    "I called support twice and nobody came.\r\n\r\n"
    "Interviewer: And the price?\r\n\r\n"
    "Anna: The bill went up again in March. Honestly it is too expensive for what we get.\r\n"
)
MO = (
    "Moderator: Tell me about the engineer visit.\n\n"
    "Mo: He came on time. He fixed the box in ten minutes.\n"
)


def span(text: str, phrase: str) -> tuple[int, int]:
    i = text.index(phrase)
    return i, i + len(phrase)


def selection(guid: str, text: str, phrase: str, code: str, user: str) -> str:
    s, e = span(text, phrase)
    return (
        f'<PlainTextSelection guid="{guid}" name="{phrase[:20]}" startPosition="{s}" '
        f'endPosition="{e}" creatingUser="{user}" creationDateTime="2024-03-01T10:00:00Z">'
        f'<Coding guid="{guid[:-4]}9999" creatingUser="{user}"><CodeRef targetGUID="{code}"/>'
        "</Coding></PlainTextSelection>"
    )


def project_xml(selections_anna: str, selections_mo: str = "") -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{NS}" name="Broadband pilot" origin="NVivo 14.23.2"
         creationDateTime="2024-03-01T09:00:00Z">
  <Users>
    <User guid="{ALICE}" name="Alice Smith"/>
    <User guid="{BEN}" name="Ben Okafor"/>
  </Users>
  <CodeBook><Codes>
    <Code guid="{SERVICE}" name="Service" isCodable="false">
      <Description>How the service itself works for people.</Description>
      <Code guid="{OUTAGES}" name="Outages" isCodable="true" color="#E15759">
        <Description>The connection drops or is down.</Description>
      </Code>
      <Code guid="{SUPPORT}" name="Support calls" isCodable="true">
        <Description>Calling or chatting with customer support.</Description>
      </Code>
      <Code guid="{OTHER_SERVICE}" name="Other" isCodable="true"/>
    </Code>
    <Code guid="{PRICE}" name="Price" isCodable="true">
      <Description>What the service costs, bills, whether it is worth it.</Description>
      <Code guid="{OTHER_PRICE}" name="Other" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Cases><Case guid="{CASE}" name="Anna"/></Cases>
  <Sources>
    <TextSource guid="{SRC_ANNA}" name="Interview with Anna" plainTextPath="internal://{SRC_ANNA}.txt"
                richTextPath="internal://{SRC_ANNA}.docx" creatingUser="{ALICE}">
      {selections_anna}
    </TextSource>
    <TextSource guid="{SRC_MO}" name="Mo (focus group).docx" plainTextPath="internal://{SRC_MO}.txt">
      {selections_mo}
    </TextSource>
  </Sources>
</Project>
"""


def write_qdpx(path: Path, xml: str, sources: dict[str, str] | None = None) -> Path:
    sources = {SRC_ANNA: ANNA, SRC_MO: MO} if sources is None else sources
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", xml.encode("utf-8"))
        for guid, text in sources.items():
            z.writestr(f"sources/{guid}.txt", text.encode("utf-8"))
        z.writestr(f"sources/{SRC_ANNA}.docx", b"PK not really a docx")
    return path


SELECTIONS_ANNA = "".join(
    [
        # crosses a sentence boundary: codes both sentences
        selection(
            "44444444-DDDD-4DDD-8DDD-000000000001",
            ANNA,
            "The line drops every evening. It is worse when it rains.",
            OUTAGES,
            ALICE,
        ),
        # a few words inside one sentence, by the second coder
        selection(
            "44444444-DDDD-4DDD-8DDD-000000000002",
            ANNA,
            "called support twice",
            SUPPORT,
            BEN,
        ),
        selection(
            "44444444-DDDD-4DDD-8DDD-000000000003",
            ANNA,
            "too expensive for what we get",
            PRICE,
            ALICE,
        ),
        # the speaker label alone: no segment holds it; reported, not dropped
        selection("44444444-DDDD-4DDD-8DDD-000000000004", ANNA, "Anna:", OTHER_PRICE, BEN),
        # NVivo codes a selection to a case: not a code
        selection(
            "44444444-DDDD-4DDD-8DDD-000000000005", ANNA, "The bill went up again", CASE, ALICE
        ),
    ]
)
SELECTIONS_MO = selection(
    "44444444-DDDD-4DDD-8DDD-000000000006", MO, "He came on time.", OTHER_SERVICE, BEN
)


@pytest.fixture
def foreign(tmp_path: Path) -> Path:
    return write_qdpx(tmp_path / "pilot.qdpx", project_xml(SELECTIONS_ANNA, SELECTIONS_MO))


def cli(argv: list, capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as done:
        main([str(a) for a in argv])
    return int(done.value.code or 0), capsys.readouterr().err


def test_the_fixture_follows_the_standard(foreign):
    assert validate_qdpx(foreign, schemas.path("Project.xsd")) == []


def test_a_foreign_project_becomes_transcripts_codebook_and_decisions(foreign, tmp_path, capsys):
    from insights.codebook import load_codebook
    from insights.study import load_study, read_study

    study = tmp_path / "pilot"
    code, err = cli(["import-qdpx", foreign, study], capsys)
    assert code == 0, err
    # sources become transcripts named after the source, not after its file
    files = sorted(p.name for p in (study / "transcripts").iterdir())
    assert files == ["Interview with Anna.txt", "Mo (focus group).txt"]
    # the codebook keeps the hierarchy; descriptions are definitions; two "Other"s apart
    book = load_codebook(study / "codebook.yaml")
    assert book.names == [
        "Service",
        "Outages",
        "Support calls",
        "Service / Other",
        "Price",
        "Price / Other",
    ]
    assert book["Outages"].parent == "Service" and book["Outages"].color == "#E15759"
    assert book["Price"].definition == "What the service costs, bills, whether it is worth it."
    assert not book["Service"].is_codable and book["Outages"].is_codable  # isCodable="false"
    assert "'Other' is imported as 'Service / Other'" in err
    # decisions on the segments the run will cut (same ids), by each coder
    seg = read_study(load_study(study))[0].set_index("segment_id")
    d = pd.read_csv(study / "decisions.csv")
    got = sorted(
        (seg.loc[s, "text"], c, u, o)
        for s, c, u, o in d[["segment_id", "code", "user", "overlap"]].itertuples(index=False)
    )
    assert got == [
        ("He came on time.", "Service / Other", "Ben Okafor", 1.0),
        ("Honestly it is too expensive for what we get.", "Price", "Alice Smith", 0.644),
        ("I called support twice and nobody came.", "Support calls", "Ben Okafor", 0.513),
        ("It is worse when it rains.", "Outages", "Alice Smith", 1.0),
        ("The line drops every evening.", "Outages", "Alice Smith", 1.0),
    ]
    assert set(d["confidence"]) == {1.0} and set(d["coder"]) == {"human"}
    # the label-only selection is reported by its GUID and place (no transcript text)
    assert "selection 44444444-dddd-4ddd-8ddd-000000000004 in 'Interview with Anna'" in err
    assert "matched no segment" in err and "1 case codings (not codes) left out" in err
    assert "5 human codings (5 segments, 2 coder(s): Alice Smith, Ben Okafor)" in err


def test_importing_again_merges_and_reports_conflicts(foreign, tmp_path, capsys):
    study = tmp_path / "pilot"
    assert cli(["import-qdpx", foreign, study], capsys)[0] == 0
    before = (study / "decisions.csv").read_bytes()
    # the researcher edits a definition; the same project comes in again
    cb = study / "codebook.yaml"
    cb.write_text(
        cb.read_text().replace("The connection drops or is down.", "Any loss of service."),
        encoding="utf-8",
    )
    code, err = cli(["import-qdpx", foreign, study], capsys)
    assert code == 0, err
    assert "code 'Outages': the project's definition differs; codebook.yaml's is kept" in err
    assert "Any loss of service." in cb.read_text()
    assert (study / "decisions.csv").read_bytes() == before  # same decisions, not doubled
    assert sorted(p.name for p in (study / "transcripts").iterdir()) == [
        "Interview with Anna.txt",
        "Mo (focus group).txt",
    ]


def _bad(tmp_path: Path, name: str, xml: str | None = None, **kw) -> Path:
    return write_qdpx(tmp_path / name, xml or project_xml(SELECTIONS_ANNA), **kw)


@pytest.mark.parametrize(
    "case, expect",
    [
        ("not_zip", "is not a .qdpx file (not a zip archive)"),
        ("no_qde", "has no project.qde inside"),
        ("outside", "PlainTextSelection 44444444-DDDD-4DDD-8DDD-0000000000aa: selection"),
        ("unknown_code", "a Coding refers to '99999999-0000-4000-8000-000000000000'"),
        ("missing_text", "TextSource 'Mo (focus group).docx' names the file"),
    ],
)
def test_bad_projects_are_one_line_and_write_nothing(case, expect, tmp_path, capsys):
    p = tmp_path / f"{case}.qdpx"
    if case == "not_zip":
        p.write_text("hello", encoding="utf-8")
    elif case == "no_qde":
        with zipfile.ZipFile(p, "w") as z:
            z.writestr("sources/a.txt", "x")
    elif case == "outside":
        bad = (
            '<PlainTextSelection guid="44444444-DDDD-4DDD-8DDD-0000000000aa" '
            f'startPosition="10" endPosition="{len(ANNA) + 5}"/>'
        )
        _bad(tmp_path, p.name, project_xml(SELECTIONS_ANNA + bad))
    elif case == "unknown_code":
        bad = selection(
            "44444444-DDDD-4DDD-8DDD-0000000000bb",
            ANNA,
            "nobody came",
            "99999999-0000-4000-8000-000000000000",
            ALICE,
        )
        _bad(tmp_path, p.name, project_xml(SELECTIONS_ANNA + bad))
    else:
        _bad(tmp_path, p.name, sources={SRC_ANNA: ANNA})
    study = tmp_path / "study"
    code, err = cli(["import-qdpx", p, study], capsys)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and "Traceback" not in err, err
    assert str(p) in lines[0] and expect in lines[0], lines[0]
    assert not study.exists()


def test_atlas_positions_on_a_transcript_the_study_has(tmp_path, capsys):
    # an ATLAS.ti-style project of an existing study's transcript: positions count "\r\n" once
    study = tmp_path / "study"
    (study / "transcripts").mkdir(parents=True)
    (study / "transcripts" / "Interview with Anna.txt").write_text(
        ANNA.replace("\r\n", "\n"), encoding="utf-8"
    )
    one = ANNA.replace("\r\n", "\n")
    xml = project_xml(
        selection("44444444-DDDD-4DDD-8DDD-000000000007", one, "nobody came", SUPPORT, ALICE)
    ).replace('origin="NVivo 14.23.2"', 'origin="ATLAS.ti 23"')
    p = write_qdpx(tmp_path / "atlas.qdpx", xml, sources={SRC_ANNA: ANNA, SRC_MO: MO})
    code, err = cli(["import-qdpx", p, study], capsys)
    assert code == 0, err
    # the source is the study's transcript of that name: no new file for it
    assert sorted(q.name for q in (study / "transcripts").iterdir()) == [
        "Interview with Anna.txt",
        "Mo (focus group).txt",
    ]
    d = pd.read_csv(study / "decisions.csv")
    assert d[["segment_id", "code", "user"]].values.tolist() == [
        ["interview_with_anna-t001-s03", "Support calls", "Alice Smith"]
    ]
