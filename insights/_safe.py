"""Safe writing: every output goes to a temporary file first and is renamed into place.

An interrupted or failed run leaves the previous outputs as they were: a single file
is written beside its target and renamed (:func:`write_atomic`), several files are
all written before any is renamed (:func:`write_files_atomic`), and a run's output
folder is switched as one set (:func:`staged_outputs`).
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from .schema import OutputError

__all__ = [
    "write_atomic",
    "write_bytes_atomic",
    "write_files_atomic",
    "staged_outputs",
    "switch_outputs",
    "recover_outputs",
    "check_writable",
]


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
    return write_files_atomic({Path(path): write})[0]


def write_files_atomic(writers: dict[Path, Callable[[Path], None]]) -> list[Path]:
    """Write every file to a temporary file first; rename them only when all were written.

    A target that is a folder, or a folder that cannot be written, is an
    :class:`~insights.errors.OutputError` before any target is replaced.
    """
    temps: dict[Path, Path] = {}
    try:
        for path, write in writers.items():
            path = Path(path)
            if path.is_dir():
                raise OutputError(
                    "is a folder, not a file to write",
                    fix="pass a file name (e.g. skipped.csv)",
                    file=path,
                )
            check_writable(path.parent)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            os.close(fd)
            temps[path] = Path(tmp)
            write(temps[path])
        for path, tmp in temps.items():
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise OutputError(
                    f"cannot be written ({exc.strerror or exc})",
                    fix="check the path and its permissions",
                    file=path,
                ) from None
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
    return list(temps)


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    return write_atomic(path, lambda tmp: tmp.write_bytes(data))


@contextlib.contextmanager
def staged_outputs(out_dir: str | Path) -> Iterator[Path]:
    """A staging folder inside ``out_dir``; on success it replaces the old outputs as one set.

    Everything a run writes goes into the staging folder. Only when the block
    finishes without an error does the new set take the place of the old one, in
    one step (:func:`switch_outputs`): a reader, or a run killed at any moment,
    sees either the whole old set or the whole new one. On an error the staging
    folder is removed and ``out_dir`` is untouched. Staging folders left by killed
    runs are removed first.
    """
    out = Path(out_dir)
    recover_outputs(out)
    out = check_writable(out)
    stage = Path(tempfile.mkdtemp(dir=out, prefix=f".staging-{os.getpid()}-"))
    try:
        yield stage
        switch_outputs(out, stage)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


#: names in an output folder (and beside it) that belong to a run in progress, never outputs
_TRANSIENT = (".staging-", ".insights-probe-")


def _sibling(out: Path, kind: str) -> str:
    return f".{out.name}.{kind}-"


def _owner_alive(name: str, prefix: str) -> bool:
    """Whether the run whose pid is in ``name`` (``<prefix><pid>-...``) is still running."""
    pid = name[len(prefix) :].split("-", 1)[0]
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def recover_outputs(out_dir: str | Path) -> None:
    """Undo what a killed run left: staging folders, and a set caught between two renames.

    A set swapped by the two-rename fallback of :func:`switch_outputs` and killed
    between them leaves no ``out_dir`` and the old set beside it: it is put back.
    """
    out = Path(os.path.realpath(out_dir))
    parent = out.parent
    if not parent.is_dir():
        return
    for kind in ("old", "next"):
        prefix = _sibling(out, kind)
        for p in sorted(parent.glob(f"{glob.escape(prefix)}*")):
            if _owner_alive(p.name, prefix):
                continue
            if kind == "old" and not os.path.lexists(out):
                os.rename(p, out)  # the old set, whole
            else:
                shutil.rmtree(p, ignore_errors=True)
    if out.is_dir():
        for p in out.glob(".staging-*"):
            if not _owner_alive(p.name, ".staging-"):
                shutil.rmtree(p, ignore_errors=True)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2``); False where that is unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def _pause(hook: str) -> None:
    """Tests only: with ``INSIGHTS_TEST_<hook>=FILE`` set, touch FILE and wait to be killed."""
    marker = os.environ.get(f"INSIGHTS_TEST_{hook}")
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
        time.sleep(600)


def switch_outputs(out_dir: str | Path, stage: str | Path) -> None:
    """Make the files of ``stage`` (a folder inside ``out_dir``) the contents of ``out_dir``.

    What the old set has and the new one does not (the caches in ``.cache``, the
    outputs of stages this run left out, a researcher's own files) is carried into
    the new set as hard links, so the old set stays whole until the switch. The
    staging folder is then renamed beside ``out_dir`` and exchanged with it in one
    ``renameat2`` call; where the system cannot exchange, two renames are used and
    :func:`recover_outputs` puts the old set back if a run dies between them. Where
    no folder can be made beside ``out_dir``, files are moved in one at a time.
    """
    out, stage = Path(out_dir), Path(stage)
    real = Path(os.path.realpath(out))
    for item in sorted(real.iterdir()):
        if item.name.startswith(_TRANSIENT) or (stage / item.name).exists():
            continue
        dst = stage / item.name
        if item.is_symlink():
            os.symlink(os.readlink(item), dst)
        elif item.is_dir():
            shutil.copytree(item, dst, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(str(item), str(dst))
    nxt = real.parent / f"{_sibling(real, 'next')}{os.getpid()}-{os.urandom(4).hex()}"
    try:
        os.rename(stage, nxt)
    except OSError:  # no folder can be made beside the outputs: file by file
        _move_files(stage, real)
        return
    try:
        _pause("PAUSE_BEFORE_SWAP")
        if not _exchange(nxt, real):
            old = real.parent / f"{_sibling(real, 'old')}{os.getpid()}-{os.urandom(4).hex()}"
            os.rename(real, old)
            os.rename(nxt, real)
            nxt = old
        _pause("PAUSE_AFTER_SWAP")
    finally:
        shutil.rmtree(nxt, ignore_errors=True)  # the old set (or, on an error, the new one)


def _move_files(stage: Path, out: Path) -> None:
    for item in sorted(stage.rglob("*")):
        if item.is_file():
            target = out / item.relative_to(stage)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(item, target)
