"""The review widget in a real JupyterLab: a click and a key decide, decisions.csv has the rows.

The test starts ``jupyter lab`` (no browser, a free port, a token, a throwaway folder
holding a tiny study and a notebook that shows the widget on it), drives Debian's
headless ``chromium`` with Playwright (the system browser, ``executable_path``; nothing
is downloaded), runs the notebook's cell, clicks *Accept* on the first item and types
``a`` into the widget's key box on the second, then reads ``decisions.csv`` from disk.
The key is the one JupyterLab's own notebook shortcut uses for "insert a cell above",
so the test also shows the key reached the widget and not the notebook. Skipped, with the
reason, only where no Chromium is installed (``.ci/run`` installs it). The server and its
kernel are stopped in a ``finally``, whatever happens.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BROWSERS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
TOKEN = "insights-review-test"

CODEBOOK = """\
name: Tiny study codebook
codes:
  - name: Price
    definition: What the service costs, or whether it is worth it.
  - name: Staff
    definition: The people who help, and how they treat the customer.
"""
SEGMENTS = """\
segment_id,transcript_id,speaker,role,text
t1-1,t1,Interviewer,interviewer,How was the bill?
t1-2,t1,Ana,participant,Far too expensive for what it is.
t1-3,t1,Interviewer,interviewer,And the people in the shop?
t1-4,t1,Ana,participant,They were lovely and quick.
t2-1,t2,Ben,participant,I paid less than I thought.
"""
CODES = """\
segment_id,code,confidence,method,coder
t1-2,Price,0.55,semantic,insights
t1-4,Staff,0.45,semantic,insights
t2-1,Price,0.7,semantic,insights
"""
CELL = """\
from insights.codebook import ReviewSession, ReviewWidget, load_codebook, review_queue
from insights.io import read_csv_table

queue = review_queue(read_csv_table("codes.csv"), read_csv_table("segments.csv"))
review = ReviewSession(queue, "decisions.csv", codebook=load_codebook("codebook.yaml"))
ReviewWidget(review)"""


def _browser() -> str | None:
    return next((b for b in BROWSERS if Path(b).exists()), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_server(url: str, proc: subprocess.Popen, timeout: float, log: Path) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"jupyter lab exited with {proc.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"jupyter lab did not answer {url} within {timeout} s")


def _stop(proc: subprocess.Popen, base: str) -> None:
    """Stop the server and its kernel: the server's shutdown call, then TERM, then KILL."""
    if proc.poll() is None:
        try:  # shuts the kernels down too (they run in sessions of their own)
            req = urllib.request.Request(f"{base}/api/shutdown?token={TOKEN}", method="POST")
            urllib.request.urlopen(req, timeout=5).close()
            proc.wait(timeout=15)
        except (OSError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the kernel, should it have outlived the server
    except ProcessLookupError:
        pass
    proc.wait(timeout=10)


def _study(folder: Path) -> Path:
    folder.mkdir()
    (folder / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (folder / "segments.csv").write_text(SEGMENTS, encoding="utf-8")
    (folder / "codes.csv").write_text(CODES, encoding="utf-8")
    cell = {"cell_type": "code", "id": "review", "metadata": {}, "execution_count": None,
            "outputs": [], "source": CELL}  # fmt: skip
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": kernel}, "cells": [cell]}
    (folder / "review.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    return folder


@pytest.mark.slow
def test_a_click_and_a_key_in_jupyterlab_write_decisions_csv(tmp_path):
    browser = _browser()
    if browser is None:
        pytest.skip("no Chromium installed (apt-get install -y chromium; .ci/run does this)")
    import pandas as pd
    from playwright.sync_api import expect, sync_playwright

    from insights.codebook import review_queue
    from insights.io import read_csv_table

    study = _study(tmp_path / "study")
    home = tmp_path / "jupyter"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "HF_HUB_OFFLINE": "1",
    }
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--IdentityProvider.token={TOKEN}",
            "--allow-root",
            "--LabApp.extension_manager=readonly",
            f"--ServerApp.root_dir={study}",
            "--ServerApp.port_retries=0",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        cwd=study,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "jupyter.log", "wb"),  # noqa: SIM115 - closed with the process
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for_server(f"{base}/api/status?token={TOKEN}", server, 60, tmp_path / "jupyter.log")
        with sync_playwright() as pw:
            chrome = pw.chromium.launch(
                executable_path=browser,
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = chrome.new_page(viewport={"width": 1400, "height": 900})
            try:
                page.set_default_timeout(60_000)
                expect.set_options(timeout=60_000)
                page.goto(f"{base}/lab/tree/review.ipynb?reset&token={TOKEN}")
                cell = page.locator(".jp-Notebook .jp-Cell").first
                expect(page.locator(".jp-Notebook .jp-Cell")).to_have_count(1)
                # run the cell: select it (command mode) and press Ctrl+Enter
                # (a cell run before the kernel is ready is not run: wait for it)
                expect(page.locator(".jp-StatusBar-Widget", has_text="| Idle")).to_be_visible()
                cell.locator(".jp-InputPrompt").click()
                page.keyboard.press("Control+Enter")
                widget = page.locator(".insights-review")
                progress = widget.locator(".insights-review-progress")
                expect(progress).to_have_text("0 of 3 reviewed")
                card = widget.locator(".insights-review-card")
                code = card.locator(".insights-review-code")
                # 1. a click on Accept
                shown = [(card.get_attribute("data-segment-id"), code.inner_text())]
                widget.get_by_role("button", name="Accept (a)").click()
                expect(progress).to_have_text("1 of 3 reviewed")
                expect(card).not_to_have_attribute("data-segment-id", shown[0][0])
                # 2. the key "a" typed into the key box
                shown.append((card.get_attribute("data-segment-id"), code.inner_text()))
                keys = widget.locator("input[type='text']")
                keys.click()
                page.keyboard.press("a")
                expect(progress).to_have_text("2 of 3 reviewed")
                expect(keys).to_have_value("")
                expect(page.locator(".jp-Notebook .jp-Cell")).to_have_count(1)  # no cell inserted
            except Exception as exc:  # keep a picture of what the browser showed
                shot = tmp_path / "jupyterlab.png"
                page.screenshot(path=str(shot))
                exc.add_note(f"screenshot: {shot}; server log: {tmp_path / 'jupyter.log'}")
                raise
            finally:
                chrome.close()
    finally:
        _stop(server, base)
    decisions = read_csv_table(study / "decisions.csv")
    rows = list(
        zip(decisions["segment_id"], decisions["code"], decisions["confidence"], strict=True)
    )
    queue = review_queue(pd.read_csv(study / "codes.csv"), read_csv_table(study / "segments.csv"))
    expected = list(zip(queue["segment_id"][:2], queue["code"][:2], strict=True))
    assert [(s, c) for s, c, _ in rows] == expected == shown
    assert [float(x) for _, _, x in rows] == [1.0, 1.0]
    assert set(decisions["coder"]) == {"human"}
