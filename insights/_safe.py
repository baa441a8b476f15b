"""Safe writing: every output goes to a temporary file first and is renamed into place.

An interrupted or failed run leaves the previous outputs as they were.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .schema import OutputError

__all__ = ["write_atomic", "write_bytes_atomic", "staged_outputs", "check_writable"]


def check_writable(folder: str | Path) -> Path:
    """Create ``folder`` if needed and prove it can be written, before any work starts."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".insights-probe-"):
            pass
    except OSError as exc:
        raise OutputError(
            f"cannot write to the output folder ({exc.strerror or exc})",
            fix="pass --out with a folder you can write to, or fix its permissions",
            file=folder,
        ) from None
    return folder


def write_atomic(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` and rename the result to ``path`` only when it succeeded."""
    path = Path(path)
    check_writable(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return path


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    return write_atomic(path, lambda tmp: tmp.write_bytes(data))


@contextlib.contextmanager
def staged_outputs(out_dir: str | Path) -> Iterator[Path]:
    """A staging folder inside ``out_dir``; on success its files replace the old outputs.

    Everything a run writes goes into the staging folder; only when the block
    finishes without an error is each file moved into ``out_dir`` (one rename per
    file). On an error the staging folder is removed and ``out_dir`` is untouched.
    """
    out = check_writable(out_dir)
    stage = Path(tempfile.mkdtemp(dir=out, prefix=".staging-"))
    try:
        yield stage
        for item in sorted(stage.rglob("*")):
            if item.is_file():
                target = out / item.relative_to(stage)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(item, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
