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


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_runs_on_the_sample_study(path, request, tmp_path):
    study = request.getfixturevalue("ran_study" if path.stem in AFTER_RUN else "study_copy")
    _execute(path, study, tmp_path)


@pytest.mark.slow
def test_emotions_notebook_scores_a_study_that_was_not_run(study_copy, tmp_path):
    # three transcripts keep it short; the notebook scores emotions and finds triggers itself
    keep = sorted((study_copy / "transcripts").iterdir())[:3]
    for p in (study_copy / "transcripts").iterdir():
        if p not in keep:
            p.unlink()
    assert not (study_copy / "output").exists()
    _execute(NB_DIR / "04-emotions-and-triggers.ipynb", study_copy, tmp_path)


def _execute(path: Path, study: Path, tmp_path: Path) -> None:
    import papermill

    out = tmp_path / path.name
    papermill.execute_notebook(
        str(path),
        str(out),
        parameters={"study_dir": str(study)},
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
