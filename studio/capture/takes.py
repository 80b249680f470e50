"""Deleting a finished take without losing it: the take's files move into a hidden bin beside
them and come back on undo, until the recording session ends.

A take is TAKE.mp4 plus TAKE.studio (its effects). "Delete last" used to unlink both at once,
so one stray Backspace destroyed a recording. Now the files are renamed (same folder tree, so
nothing is copied and it cannot fail half way for lack of space) into
TAKES/.deleted/<pid>/, and only `empty()` at the end of the session removes them. A session that
dies leaves its bin; the next session's `sweep_dead_bins` removes bins whose process is gone.
"""
from __future__ import annotations

import itertools
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

BIN_FOLDER = ".deleted"


def take_files(path: Path) -> list[Path]:
    """The files that make up the take at `path` (its video and its project), where present."""
    path = Path(path)
    return [p for p in (path, path.with_suffix(".studio")) if p.exists()]


@dataclass(frozen=True)
class DeletedTake:
    """Where each of a deleted take's files was and where it waits now."""

    path: Path
    moved: tuple[tuple[Path, Path], ...]  # (original, in the bin)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def sweep_dead_bins(takes_dir: Path) -> int:
    """Remove the bins that sessions which no longer run left behind; returns how many."""
    root = Path(takes_dir) / BIN_FOLDER
    removed = 0
    if not root.is_dir():
        return 0
    for folder in root.iterdir():
        if folder.name.isdigit() and int(folder.name) != os.getpid() and not _pid_alive(int(folder.name)):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    _remove_if_empty(root)
    return removed


class TakeBin:
    """The deleted takes of one recording session (one per window)."""

    def __init__(self):
        self._folders: set[Path] = set()
        self._serial = itertools.count(1)

    def delete(self, path: Path) -> DeletedTake:
        """Move the take's files into the bin beside them (OSError if they cannot be moved; then
        the files are where they were)."""
        path = Path(path)
        folder = path.parent / BIN_FOLDER / str(os.getpid())
        folder.mkdir(parents=True, exist_ok=True)
        self._folders.add(folder)
        serial = next(self._serial)
        moved: list[tuple[Path, Path]] = []
        try:
            for original in take_files(path):
                held = folder / f"{serial}-{original.name}"
                os.rename(original, held)
                moved.append((original, held))
        except OSError:
            for original, held in reversed(moved):
                os.rename(held, original)
            raise
        return DeletedTake(path, tuple(moved))

    def restore(self, deleted: DeletedTake) -> Path:
        """Put a deleted take's files back (FileExistsError if something new took their names)."""
        for original, _ in deleted.moved:
            if original.exists():
                raise FileExistsError(f"{original.name}: a file of that name is there again")
        for original, held in deleted.moved:
            os.rename(held, original)
        for original, held in deleted.moved[:1]:
            _remove_if_empty(held.parent)  # no empty hidden folder left beside the takes
            _remove_if_empty(held.parent.parent)
        return deleted.path

    def empty(self) -> None:
        """The session ends: deleted takes go for good."""
        for folder in self._folders:
            shutil.rmtree(folder, ignore_errors=True)
            _remove_if_empty(folder.parent)
        self._folders.clear()


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass
