"""Every bad side file a new user's tools make, through the command line, in process.

Each case damages one file of a small study that has already been run once, runs a
command, and asserts: exit 2, exactly one stderr line naming the file, no
traceback, and the previous outputs byte-identical. Files a user's tools save in
another encoding (UTF-16 from Notepad, cp1252 from Excel) are read, not refused.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from insights.cli import main

TRANSCRIPT_A = (
    "Interviewer: How was the switch to the new plan?\n"
    "Ann: Honestly it was slow. The router kept dropping.\n"
    "Interviewer: What did you do?\n"
    "Ann: I rang support twice and they fixed it.\n"
)
TRANSCRIPT_B = (
    "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>Would you recommend us?\n\n"
    "2\n00:00:04.500 --> 00:00:09.000\n<v Bob>Yes, the price is fair and the app works.\n"
)
SKIP = ["--skip", "codes", "--skip", "themes", "--skip", "emotions", "--skip", "triggers"]


def cli(argv: list[str], capsys) -> tuple[int, str]:
    """``insights ARGV`` in this process: (exit status, stderr). An escaped exception fails."""
    with pytest.raises(SystemExit) as done:
        main([str(a) for a in argv])
    return int(done.value.code or 0), capsys.readouterr().err


def unreadable(path: Path) -> None:
    """Make ``path`` a file that cannot be opened (a symlink loop: root reads any mode)."""
    if path.exists() or path.is_symlink():
        path.unlink()
    os.symlink(path.name, path)


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["speaker", "text"])
    wb.active.append(["Ann", "hello there"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def ran_study(tmp_path_factory) -> Path:
    """A small study with a codebook and the outputs of one run (segments and report)."""
    root = tmp_path_factory.mktemp("base") / "study"
    (root / "transcripts").mkdir(parents=True)
    (root / "transcripts" / "a_ann.txt").write_text(TRANSCRIPT_A, encoding="utf-8")
    (root / "transcripts" / "b_bob.vtt").write_text(TRANSCRIPT_B, encoding="utf-8")
    (root / "study.yaml").write_text("name: Caf\u00e9 study\ninterviewers: [Interviewer]\n")
    (root / "participants.csv").write_text("participant_id,name,segment\nP1,Ann,new\nP2,Bob,old\n")
    (root / "codebook.yaml").write_text(
        "codes:\n  - name: support\n    keywords: [support, rang]\n"
        "  - name: price\n    keywords: [price]\n"
    )
    with pytest.raises(SystemExit) as done:
        main(["run", str(root), "-q", *SKIP])
    assert done.value.code == 0
    seg = root / "segments.csv"
    with pytest.raises(SystemExit) as done:
        main(["parse", str(root / "transcripts"), "--out", str(seg), "-q"])
    assert done.value.code == 0
    return root


@pytest.fixture
def study(ran_study, tmp_path) -> Path:
    dst = tmp_path / "study"
    shutil.copytree(ran_study, dst, symlinks=True)
    return dst


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".cache" not in p.parts
    }


def w(rel: str, data: bytes | str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if p.is_dir():
            shutil.rmtree(p)
        p.write_bytes(data if isinstance(data, bytes) else data.encode())

    return apply


def folder(rel: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        p = root / rel
        if p.exists():
            p.unlink()
        p.mkdir(parents=True)

    return apply


def broken(rel: str) -> Callable[[Path], None]:
    return lambda root: unreadable(root / rel)


BINARY = b"\x00\x01\x02PK\xff\xfe\x00\x00junk\x00\x9d" * 20
RUN = ["run", "{study}", "-q", *SKIP]
RUN_THEMES = ["run", "{study}", "-q", "--skip", "codes", "--skip", "emotions", "--skip", "triggers"]
CODE = ["code", "{study}/segments.csv", "--codebook", "{study}/codebook.yaml", "--rules-only"]
CODE_OUT = [*CODE, "--out", "{study}/codes_cli.csv", "-q"]
PARSE = ["parse", "{study}/transcripts", "--out", "{study}/segments.csv", "-q"]

#: (case id, damage, command, text the one error line must hold)
BAD: list[tuple[str, Callable[[Path], None], list[str], str]] = [
    ("study.yaml binary", w("study.yaml", BINARY), RUN, "study.yaml"),
    ("study.yaml folder", folder("study.yaml"), RUN, "study.yaml"),
    ("study.yaml unreadable", broken("study.yaml"), RUN, "study.yaml"),
    ("study.yaml bad yaml", w("study.yaml", "name: [unclosed\n"), RUN, "study.yaml"),
    ("study.yaml list", w("study.yaml", "- a\n- b\n"), RUN, "study.yaml"),
    ("skip_stages bogus", w("study.yaml", "skip_stages: [bogus]\n"), RUN, "study.yaml"),
    ("outcome no column", w("study.yaml", "outcome: status\n"), RUN, "no participants.csv column"),
    ("outcome not one", w("study.yaml", "outcome: segment\n"), RUN, "neither leaving nor staying"),
    ("--skip bogus", lambda root: None, ["run", "{study}", "-q", "--skip", "bogus"], "--skip"),
    ("participants folder", folder("participants.csv"), RUN, "participants.csv"),
    ("participants unreadable", broken("participants.csv"), RUN, "participants.csv"),
    ("participants binary", w("participants.csv", BINARY), RUN, "participants.csv"),
    ("participants no id", w("participants.csv", "name\nAnn\n"), RUN, "participants.csv"),
    ("codebook binary", w("codebook.yaml", BINARY), CODE_OUT, "codebook.yaml"),
    ("codebook folder", folder("codebook.yaml"), CODE_OUT, "codebook.yaml"),
    ("codebook unreadable", broken("codebook.yaml"), CODE_OUT, "codebook.yaml"),
    ("codebook codes: 5", w("codebook.yaml", "codes: 5\n"), CODE_OUT, "codebook.yaml"),
    (
        "codebook bad regex",
        w("codebook.yaml", "codes:\n  - name: x\n    patterns: ['/(unclosed/']\n"),
        CODE_OUT,
        "codebook.yaml",
    ),
    (
        "codebook bad spaCy pattern",
        w("codebook.yaml", "codes:\n  - name: x\n    patterns: [[{NOPE: 1}]]\n"),
        CODE_OUT,
        "codebook.yaml",
    ),
    (
        "codebook bad regex in run",
        w("codebook.yaml", "codes:\n  - name: x\n    patterns: ['/(unclosed/']\n"),
        ["run", "{study}", "-q", "--skip", "themes", "--skip", "emotions", "--skip", "triggers"],
        "codebook.yaml",
    ),
    ("transcript unreadable (run)", broken("transcripts/c.txt"), RUN, "c.txt"),
    ("transcript unreadable (parse)", broken("transcripts/c.txt"), PARSE, "c.txt"),
    (
        "transcript truncated xlsx (run)",
        lambda root: w("transcripts/c.xlsx", xlsx_bytes()[:900])(root),
        RUN,
        "c.xlsx",
    ),
    (
        "transcript truncated xlsx (parse)",
        lambda root: w("transcripts/c.xlsx", xlsx_bytes()[:900])(root),
        PARSE,
        "c.xlsx",
    ),
    ("transcript nested json", w("transcripts/c.json", b"[" * 50_000), RUN, "c.json"),
    ("transcript nested json (parse)", w("transcripts/c.json", b"[" * 50_000), PARSE, "c.json"),
    ("transcript binary", w("transcripts/c.txt", BINARY), RUN, "c.txt"),
    (
        "transcript docx damaged",
        w("transcripts/c.docx", b"PK\x03\x04word/" + BINARY),
        RUN,
        "c.docx",
    ),
    (
        "theme model broken",
        w("theme_model/insights_themes.json", '{"params": {"n_th'),
        RUN_THEMES,
        "insights_themes.json",
    ),
    ("decisions binary", w("decisions.csv", BINARY), RUN, "decisions.csv"),
    ("decisions folder", folder("decisions.csv"), RUN, "decisions.csv"),
    (
        "pseudonym key damaged",
        lambda root: (
            w("study.yaml", "pseudonymise: true\n")(root),
            w("private/pseudonym_key.csv", "original,pseud\nAnn\n\x00\x00")(root),
        ),
        RUN,
        "pseudonym_key.csv",
    ),
    (
        "pseudonym key wrong columns",
        lambda root: (
            w("study.yaml", "pseudonymise: true\n")(root),
            w("private/pseudonym_key.csv", "a,b\n1,2\n")(root),
        ),
        RUN,
        "pseudonym_key.csv",
    ),
    (
        "parse --skipped is a folder",
        folder("skipped_out"),
        [*PARSE, "--skipped", "{study}/skipped_out"],
        "skipped_out",
    ),
    (
        "parse --skipped under a file",
        lambda root: None,
        [*PARSE, "--skipped", "{study}/segments.csv/x.csv"],
        "segments.csv",
    ),
    ("parse --participants folder", folder("p2"), [*PARSE, "--participants", "{study}/p2"], "p2"),
    (
        "code --decisions binary",
        w("dec.csv", BINARY),
        [*CODE_OUT, "--decisions", "{study}/dec.csv"],
        "dec.csv",
    ),
    (
        "themes --model broken",
        w("tm/insights_themes.json", "{]"),
        ["themes", "{study}/segments.csv", "--model", "{study}/tm", "--out", "{study}/t.csv"],
        "insights_themes.json",
    ),
]


@pytest.mark.parametrize("case, damage, argv, fragment", BAD, ids=[c[0] for c in BAD])
def test_bad_input_is_one_line_and_exit_2(study, capsys, case, damage, argv, fragment):
    damage(study)
    before = snapshot(study / "output") | {"segments.csv": (study / "segments.csv").read_bytes()}
    status, err = cli([a.format(study=study) for a in argv], capsys)
    lines = err.strip().splitlines()
    assert status == 2, err
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith("insights: error: ") and fragment in lines[0], lines[0]
    assert "Fix:" in lines[0], lines[0]
    after = snapshot(study / "output") | {"segments.csv": (study / "segments.csv").read_bytes()}
    assert after == before
    assert not list((study / "output").glob(".staging-*"))


#: (case id, damage, command): files other tools save in other encodings are read
READABLE: list[tuple[str, Callable[[Path], None], list[str]]] = [
    ("study.yaml UTF-16", w("study.yaml", "name: Caf\u00e9 study\n".encode("utf-16")), RUN),
    ("study.yaml cp1252", w("study.yaml", "name: Caf\u00e9 study\n".encode("cp1252")), RUN),
    (
        "codebook UTF-16",
        w(
            "codebook.yaml",
            "codes:\n  - name: caf\u00e9\n    keywords: [support]\n".encode("utf-16"),
        ),
        CODE_OUT,
    ),
    (
        "codebook cp1252",
        w(
            "codebook.yaml",
            "codes:\n  - name: caf\u00e9\n    keywords: [support]\n".encode("cp1252"),
        ),
        CODE_OUT,
    ),
    (
        "participants cp1252",
        w("participants.csv", "participant_id,name,segment\nP1,Ann,n\u00e9w\n".encode("cp1252")),
        RUN,
    ),
    (
        "decisions cp1252",
        w(
            "decisions.csv",
            "segment_id,code,confidence,coder\nx,caf\u00e9,1,human\n".encode("cp1252"),
        ),
        RUN,
    ),
]


@pytest.mark.parametrize("case, damage, argv", READABLE, ids=[c[0] for c in READABLE])
def test_other_encodings_are_read(study, capsys, case, damage, argv):
    damage(study)
    status, err = cli([a.format(study=study) for a in argv], capsys)
    assert status == 0, err
    if argv[0] == "run":
        import json

        info = json.loads((study / "output" / "run.json").read_text(encoding="utf-8"))
        if case.startswith("study.yaml"):
            assert info["study"] == "Caf\u00e9 study"
        if case.startswith("decisions"):
            assert info["changes"]["human_decisions"] == 1
        if case.startswith("participants"):
            import pandas as pd

            seg = pd.read_csv(study / "output" / "segments.csv")
            assert "n\u00e9w" in set(seg["segment"].dropna())
    else:
        import pandas as pd

        assert "caf\u00e9" in set(pd.read_csv(study / "codes_cli.csv")["code"])
