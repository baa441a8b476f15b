"""report.html in a real browser: headless Chromium renders it, every image loads, no console
errors.

Needs Debian's ``chromium`` (``.ci/run`` installs it); skipped, with the reason,
only where no browser is installed. The page checks itself on load (inline script:
every ``<img>`` has ``naturalWidth > 0``, no ``error`` event) and writes the result
into ``<html data-render-check=...>``, which ``--dump-dom`` returns. Chromium runs
with networking features off and a throwaway profile; the page makes no requests.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

BROWSERS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
    "--hide-scrollbars",
]


def _browser() -> str | None:
    for b in BROWSERS:
        if Path(b).exists():
            return b
    return shutil.which("chromium")


@pytest.fixture(scope="module")
def report_html(tmp_path_factory) -> Path:
    from report_fixtures import fake_tables

    from insights.codebook import load_codebook
    from insights.datasets import sample_study_path
    from insights.report import ReportData, build_report, render_html
    from insights.study import load_study, read_study

    study = load_study(sample_study_path())
    seg, skipped, _ = read_study(study)
    data = ReportData(
        study=study.name,
        segments=seg,
        tables={"segments": seg, "skipped": skipped, **fake_tables(seg)},
        participants=study.participants,
        codebook=load_codebook(study.codebook_path),
        waves=[(w.id, w.label) for w in study.config.waves],
        config=study.config.model_dump(),
    )
    out = tmp_path_factory.mktemp("browser") / "report.html"
    out.write_text(render_html(build_report(data)), encoding="utf-8")
    return out


def _run(browser: str, args: list[str], profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_report_renders_in_headless_chromium(report_html: Path, tmp_path: Path):
    browser = _browser()
    if browser is None:
        pytest.skip("no Chromium installed (apt-get install -y chromium; .ci/run does this)")
    url = report_html.as_uri()
    # 1. the page's own check, read back from the DOM after load
    dom = _run(
        browser,
        ["--virtual-time-budget=10000", "--enable-logging=stderr", "--v=0", "--dump-dom", url],
        tmp_path / "p1",
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    m = re.search(r'data-render-check="([^"]*)"', dom.stdout)
    assert m, "the page's load check did not run (script error before load?)"
    check = json.loads(m.group(1).replace("&quot;", '"'))
    assert check["images"] >= 5
    assert check["broken"] == 0, check
    assert check["errors"] == [], check
    # 2. the browser's console: no JavaScript errors or failed loads
    console = [
        ln for ln in dom.stderr.splitlines() if "CONSOLE" in ln or "Uncaught" in ln or "ERR_" in ln
    ]
    assert console == [], console
    # 3. a screenshot of the first 4000 px (look at it: tests/.. writes it next to the report)
    shot = report_html.with_suffix(".png")
    res = _run(browser, [f"--screenshot={shot}", "--window-size=1280,4000", url], tmp_path / "p2")
    assert res.returncode == 0 and shot.exists(), res.stderr[-2000:]
    png = shot.read_bytes()
    assert (
        png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000
    )  # a blank page compresses to a few kB
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1280, 4000)
