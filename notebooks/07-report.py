# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
study_dir = "../data/sample_study"

# %% [markdown]
# # 07 — Report and exports
#
# Build what the researcher hands over, from the tables of the run: `report.html` (one
# self-contained file), `report.md`, `report.docx`, `workbook.xlsx` and `study.qdpx`
# for NVivo, ATLAS.ti, MAXQDA or QualCoder. Every number in the report links to the
# quotes behind it.
#
# Data flow: `tables → summary tables per section → one report content →
# HTML / Markdown / Word; workbook; REFI-QDA`.

# %%
from pathlib import Path

from IPython.display import HTML, display

from insights import schemas
from insights.report import build_report, render_html, write_reports
from insights.report.exchange import read_qdpx_codings, validate_qdpx
from insights.study import load_study, load_tables, report_data

# %% [markdown]
# ## The tables
# The outputs of `insights run` (or, before a run, the segments and rule-based codes).

# %%
study = load_study(study_dir)
tables = load_tables(study)
sorted(tables)

# %% [markdown]
# ## One content, three renderers
# The report's sections appear only where their data exists.

# %%
data = report_data(study, tables)
report = build_report(data)
[(section.id, section.title) for section in report.sections]

# %% [markdown]
# `write_reports` writes what `insights run` writes: the report three ways, the
# workbook and the REFI-QDA project, and says how long each took.

# %%
report_dir = Path("report")
report_dir.mkdir(exist_ok=True)
write_reports(data, report_dir)
print(
    f"{len(report.evidence.entries)} evidence entries behind the numbers, "
    f"{len(report.charts)} charts"
)

# %% [markdown]
# The summary of findings, as the stakeholders will read it (the whole report is
# `report/report.html`):

# %%
display(HTML(render_html(report).split('<section id="method">')[0].split("</nav>")[-1]))

# %% [markdown]
# ## Workbook and REFI-QDA project
# `workbook.xlsx`: a quote table for QDA users and a participant × code 0/1 matrix for
# statistics software. `study.qdpx`: validated against the REFI-QDA `Project.xsd`.

# %%
xsd = schemas.path("Project.xsd")
errors = validate_qdpx(report_dir / "study.qdpx", xsd)
print("study.qdpx is valid REFI-QDA" if not errors else errors[:5])
{p.name: p.stat().st_size for p in sorted(report_dir.iterdir()) if p.is_file()}

# %% [markdown]
# ## Codings made in a QDA tool come back as human decisions
# After a colleague codes `study.qdpx` in NVivo, ATLAS.ti or MAXQDA and exports it again:
# `insights import-qdpx coded.qdpx STUDY_DIR` adds their codings to `decisions.csv`
# (`coder=human`), which win over the model on every re-run. Our own export has none yet:

# %%
read_qdpx_codings(report_dir / "study.qdpx", tables["segments"])
