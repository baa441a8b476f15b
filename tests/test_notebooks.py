"""The notebook suite: committed without outputs, paired with a .py, parameters first, no
functions, and it runs.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

NB_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NB_DIR.glob("[0-9][0-9]-*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]


def test_suite_has_index_and_loader():
    assert {"00-index", "01-load-transcripts"} <= set(IDS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_shape(path):
    import jupytext

    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), (
        "commit without outputs"
    )
    first = nb["cells"][0]
    assert first["cell_type"] == "code" and "parameters" in first["metadata"].get("tags", []), (
        "parameters cell first"
    )
    assert "study_dir" in "".join(first["source"])
    for c in code:
        tree = ast.parse(
            "".join(line for line in c["source"] if not line.lstrip().startswith(("%", "!")))
        )
        defined = [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda)
        ]
        assert not defined, (
            f"a notebook defines no functions (found in: {''.join(c['source'])[:60]!r})"
        )
    paired = path.with_suffix(".py")
    assert paired.exists(), "paired percent-format .py is missing (make notebooks)"
    from_py = jupytext.read(paired)
    assert [c.source for c in from_py.cells] == ["".join(c["source"]) for c in nb["cells"]], (
        "run make notebooks"
    )


def test_index_lists_every_notebook():
    text = (NB_DIR / "00-index.py").read_text(encoding="utf-8")
    for stem in IDS:
        if stem != "00-index":
            assert f"[{stem}]({stem}.ipynb)" in text, (
                f"{stem} missing from the index: run make notebooks"
            )


# Notebooks that read what `insights run` wrote run on a study the session ran once
# (conftest.sample_run_dir); the others, and 04's own scoring, start from transcripts.
AFTER_RUN = {"03-code-with-codebook", "04-emotions-and-triggers", "05-segments-and-personas",
             "06-compare-waves", "07-report"}  # fmt: skip


#: notebook 03 codes the whole study itself (embeddings, rules, the study model): it has a
#: test of its own on a small study instead of the whole sample
OWN_TEST = {"03-code-with-codebook"}


@pytest.mark.slow
@pytest.mark.parametrize(
    "path",
    [p for p in NOTEBOOKS if p.stem not in OWN_TEST],
    ids=[i for i in IDS if i not in OWN_TEST],
)
def test_notebook_runs_on_the_sample_study(path, request, tmp_path):
    study = request.getfixturevalue("ran_study" if path.stem in AFTER_RUN else "study_copy")
    _execute(path, study, tmp_path)


@pytest.mark.slow
def test_coding_notebook_on_a_small_study_with_earlier_decisions(study_copy, tmp_path):
    # three transcripts (one a focus group) that were not run: 03 reads and codes them itself;
    # decisions made before, so the agreement and the per-code gate have real work to do
    import pandas as pd

    from insights.study import load_study, read_study

    keep = {"FG1_wave1.csv", "P01_aisha.txt", "P09_fatima.txt"}
    for p in (study_copy / "transcripts").iterdir():
        if p.name not in keep:
            p.unlink()
    seg = read_study(load_study(study_copy))[0]
    said = seg[seg["role"] == "participant"]
    about_money = said["text"].str.contains(r"\b(?:bill|price|pay|£)", case=False)
    accepted = said.loc[about_money, "segment_id"].head(6).tolist()
    rejected = said.loc[~about_money, "segment_id"].head(6).tolist()
    assert len(accepted) == len(rejected) == 6
    pd.DataFrame(
        {
            "segment_id": accepted + rejected,
            "code": "Price and billing",
            "confidence": [1.0] * 6 + [0.0] * 6,
            "method": "human",
            "coder": "human",
        }
    ).to_csv(study_copy / "decisions.csv", index=False)
    before = (study_copy / "decisions.csv").read_bytes()
    nb = _execute(NB_DIR / "03-code-with-codebook.ipynb", study_copy, tmp_path, review_size=10)
    # unattended, the widget decides nothing; the cells below it read the earlier decisions
    assert (study_copy / "decisions.csv").read_bytes() == before
    text = "".join(
        "".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
        for c in nb["cells"]
        for o in c.get("outputs", [])
    )
    assert "0 of 10 reviewed here; 12 decisions in" in text
    assert "No decisions yet" not in text and "Price and billing" in text


@pytest.mark.slow
def test_emotions_notebook_scores_a_study_that_was_not_run(study_copy, tmp_path):
    # three transcripts keep it short; the notebook scores emotions and finds triggers itself
    keep = sorted((study_copy / "transcripts").iterdir())[:3]
    for p in (study_copy / "transcripts").iterdir():
        if p not in keep:
            p.unlink()
    assert not (study_copy / "output").exists()
    _execute(NB_DIR / "04-emotions-and-triggers.ipynb", study_copy, tmp_path)


def _execute(path: Path, study: Path, tmp_path: Path, **parameters) -> dict:
    import papermill

    out = tmp_path / path.name
    papermill.execute_notebook(
        str(path),
        str(out),
        parameters={"study_dir": str(study), **parameters},
        cwd=str(tmp_path),
        progress_bar=False,
        kernel_name="python3",
        execution_timeout=900,
    )
    nb = json.loads(out.read_text(encoding="utf-8"))
    errors = [
        o for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    assert not errors
    assert sum(1 for c in nb["cells"] if c.get("outputs")) >= 1
    return nb
