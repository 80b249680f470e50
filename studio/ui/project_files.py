"""Saving with rolling backups, and autosave/recovery files. Qt-free so it is easy to test; the
window decides when to call it."""
from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from studio.model import Project, load_project, save_project

BACKUPS_KEPT = 5
BACKUP_DIR = ".studio-backups"


def save_with_backup(project: Project, path: Path, keep: int = BACKUPS_KEPT) -> Path:
    """Copy the current file into <folder>/.studio-backups/<name>.<stamp>.bak, keep the newest `keep`,
    then save atomically."""
    path = Path(path)
    if path.exists():
        folder = path.parent / BACKUP_DIR
        folder.mkdir(exist_ok=True)
        now = time.time_ns()  # one reading for both parts, or a save at a second's edge sorts wrong
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now // 1_000_000_000)) + f"-{now % 1_000_000_000:09d}"
        shutil.copy2(path, folder / f"{path.name}.{stamp}.bak")
        for old in backups_of(path)[keep:]:
            old.unlink(missing_ok=True)
    return save_project(project, path)


def backups_of(path: Path) -> list[Path]:
    """Backups of a project file, newest first."""
    folder = Path(path).parent / BACKUP_DIR
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{Path(path).name}.*.bak"), key=lambda p: p.name, reverse=True)


@dataclass(frozen=True)
class Recovery:
    file: Path            # the autosaved project
    original: Path | None  # the project it belongs to (None for a never-saved project)
    saved_at: float

    def load(self) -> Project:
        return load_project(self.file)

    def discard(self) -> None:
        self.file.unlink(missing_ok=True)
        self.file.with_suffix(".json").unlink(missing_ok=True)


def _proc_stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (field 3 on), or None where there is
    no such file (process gone, or not Linux)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    return stat.rpartition(")")[2].split()  # the name may itself hold spaces and ")"


def process_started(pid: int) -> str | None:
    """When a process started (field 22 of /proc/<pid>/stat, ticks since boot): with its id it names
    the process even after the id has been given to a later one. None where unknown."""
    fields = _proc_stat(pid)
    return fields[19] if fields and len(fields) > 19 else None


def process_running(pid: object, started: object = None) -> bool:
    """Whether the process that wrote an autosave is still running."""
    if os.name != "posix" or type(pid) is not int or pid <= 0:
        return False  # no owner to ask (os.kill(pid, 0) on Windows would send it Ctrl+C)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, under another user
    fields = _proc_stat(pid)
    if not fields:
        return True  # no /proc to ask more
    if fields[0] == "Z":
        return False  # crashed, not yet reaped by its parent
    return started is None or process_started(pid) == started  # else the id is another process's now


class AutosaveStore:
    """One recovery file per window session in `folder`; removed when the session ends cleanly, so
    one whose process is gone is from a crash."""

    def __init__(self, folder: Path, session: str | None = None):
        self.folder = Path(folder)
        self.session = session or f"{os.getpid()}-{time.time_ns()}"

    @property
    def file(self) -> Path:
        return self.folder / f"autosave-{self.session}.studio"

    def save(self, project: Project, original: Path | None) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        pid = os.getpid()
        info = {"original": str(original) if original else None, "saved_at": time.time(), "pid": pid,
                "started": process_started(pid)}
        # the owner goes first: an autosave without one looks like a crash's to other windows
        tmp = self.file.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(info), encoding="utf-8")
        os.replace(tmp, self.file.with_suffix(".json"))
        save_project(project, self.file)
        return self.file

    def clear(self) -> None:
        Recovery(self.file, None, 0).discard()

    def adopt(self, recovery: Recovery) -> Project:
        """Recover a leftover: it becomes this session's autosave (written atomically) before the
        leftover is deleted, so a crash at any moment still leaves the work to recover."""
        project = recovery.load()
        try:
            self.save(project, recovery.original)
        except OSError:
            return project  # not taken over: the leftover stays, it is the only copy on disk
        recovery.discard()
        return project

    def leftovers(self) -> list[Recovery]:
        """Recovery files of crashed sessions, newest first. A running session's (another window's)
        is not one: recovering it would fork its work and discarding it would delete it."""
        if not self.folder.is_dir():
            return []
        out = []
        for f in self.folder.glob("autosave-*.studio"):
            if f == self.file:
                continue
            try:
                info = json.loads(f.with_suffix(".json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                info = {}  # a crash before the owner was written; offer it
            if not isinstance(info, dict):
                info = {}
            if process_running(info.get("pid"), info.get("started")):
                continue
            original = info.get("original")
            out.append(Recovery(f, Path(original) if original else None, float(info.get("saved_at", f.stat().st_mtime))))
        return sorted(out, key=lambda r: r.saved_at, reverse=True)


def relink_plan(missing: list[str], folder: Path) -> dict[str, str]:
    """Missing path -> a file with the same name found under `folder` (searched once, recursively)."""
    wanted = {Path(m).name: m for m in missing}
    found: dict[str, str] = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            if name in wanted and wanted[name] not in found:
                found[wanted[name]] = str(Path(root) / name)
        if len(found) == len(wanted):
            break
    return found
