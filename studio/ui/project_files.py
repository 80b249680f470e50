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


class AutosaveStore:
    """One recovery file per window session in `folder`; removed when the session ends cleanly, so
    any that is left at start-up is from a crash."""

    def __init__(self, folder: Path, session: str | None = None):
        self.folder = Path(folder)
        self.session = session or f"{os.getpid()}-{time.time_ns()}"

    @property
    def file(self) -> Path:
        return self.folder / f"autosave-{self.session}.studio"

    def save(self, project: Project, original: Path | None) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        save_project(project, self.file)
        info = {"original": str(original) if original else None, "saved_at": time.time(), "pid": os.getpid()}
        tmp = self.file.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(info), encoding="utf-8")
        os.replace(tmp, self.file.with_suffix(".json"))
        return self.file

    def clear(self) -> None:
        Recovery(self.file, None, 0).discard()

    def leftovers(self) -> list[Recovery]:
        """Recovery files from other sessions (crashed ones), newest first."""
        if not self.folder.is_dir():
            return []
        out = []
        for f in self.folder.glob("autosave-*.studio"):
            if f == self.file:
                continue
            try:
                info = json.loads(f.with_suffix(".json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                info = {}
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
