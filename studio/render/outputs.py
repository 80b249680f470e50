"""Where an export writes: checked targets, exclusive temp files, and one publish step for all of them.

Every output (video, cover, sidecar) is first written to its own temp file in the target folder,
created with O_EXCL under a random name, so a link planted at a guessable name is never followed
and two exports to the same path never share a file. Only when every temp file is complete are
they renamed over the targets together, under a lock on the folder; if a rename fails, the files
that were there before are put back. Temp names carry the writer's process id, so the next export
into the folder removes those of writers that died (kill -9) without touching live ones."""
from __future__ import annotations

import errno
import fcntl
import os
import re
import stat
import tempfile
from pathlib import Path

from .errors import ExportError

VIDEO_SUFFIXES = (".mp4",)
_PART = ".studio-part"
# .<name>.<pid>.<random>.studio-part[.jpg] : the pid lets a later export tell a dead writer's leftovers
_PART_NAME = re.compile(r"^\..*\.(\d+)\.[A-Za-z0-9_]+" + re.escape(_PART) + r"(\.[a-z]+)?$")
_NAME_KEPT = 100  # of the target's name in a temp name, so the temp name fits NAME_MAX


def output_paths(out: Path) -> tuple[Path, Path]:
    """The sidecar and the cover that go with a video at `out`."""
    return out.with_suffix(".json"), out.with_suffix(".cover.jpg")


def check_target(out: Path, inputs: list[Path]) -> None:
    """Refuse an output that would replace something the export reads, or is not a plain file path.

    `inputs`: every file the export reads (media, looks, the project file)."""
    if out.suffix.lower() not in VIDEO_SUFFIXES:
        raise ExportError(f"{out.name}: the output must be a .mp4 file (the sidecar .json and cover "
                          f".cover.jpg are written beside it)")
    folder = out.parent
    if not folder.is_dir():
        raise ExportError(f"{folder}: output folder does not exist")
    if not os.access(folder, os.W_OK):
        raise ExportError(f"{folder}: output folder is not writable")
    for target in (out, *output_paths(out)):
        try:
            mode = os.lstat(target).st_mode
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise ExportError(f"{target}: cannot be used as an output ({exc.strerror})") from None
        if stat.S_ISDIR(mode):
            raise ExportError(f"{target}: is a folder; give a file name ending in .mp4")
        if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
            raise ExportError(f"{target}: is a device, pipe or socket, not a file; choose another output")
        refuse_inputs(target, inputs)


def refuse_inputs(target: Path, inputs: list[Path]) -> None:
    """An output path that is (or links to) a file the export reads is refused."""
    for source in inputs:
        if _same_file(target, source):
            raise ExportError(f"{Path(target).name}: the output would overwrite the input {Path(source).name}; "
                              f"choose another output name")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b) or os.path.realpath(a) == os.path.realpath(b)
    except OSError:
        return False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def sweep_dead_parts(folder: Path) -> list[Path]:
    """Remove temp files that a killed export left in `folder`; those of live writers stay."""
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        match = _PART_NAME.match(name)
        if match and not _pid_alive(int(match.group(1))):
            path = folder / name
            try:
                if stat.S_ISREG(os.lstat(path).st_mode):
                    path.unlink()
                    removed.append(path)
            except OSError:
                pass  # gone already, or not ours to remove
    return removed


def _umask() -> int:
    # read, not set: os.umask() changes it process-wide, which would race other threads
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


class OutputSet:
    """Temp files for one export's outputs, published together or not at all."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._parts: dict[Path, Path] = {}  # target -> temp file
        self._mode = 0o666 & ~_umask()

    def part(self, target: Path, suffix: str = "") -> Path:
        """A new, exclusively created, empty temp file for `target` (same folder)."""
        fd, name = tempfile.mkstemp(prefix=f".{target.name[:_NAME_KEPT]}.{os.getpid()}.",
                                    suffix=_PART + suffix, dir=self.folder)
        os.close(fd)
        path = Path(name)
        self._parts[target] = path
        return path

    def write_bytes(self, target: Path, data: bytes) -> None:
        with open(self.part(target, Path(target).suffix), "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())

    def publish(self) -> None:
        """Rename every temp file over its target. On failure, the targets are as they were."""
        for part in self._parts.values():
            os.chmod(part, self._mode)  # mkstemp makes 0600; published files get the usual rights
        with _FolderLock(self.folder):
            backups: dict[Path, Path] = {}
            published: list[Path] = []
            try:
                for target in self._parts:
                    if os.path.lexists(target):
                        backups[target] = self._backup(target)
                for target, part in self._parts.items():
                    os.replace(part, target)
                    published.append(target)
            except BaseException:
                for target in published:
                    if target in backups:
                        os.replace(backups.pop(target), target)
                    else:
                        target.unlink(missing_ok=True)
                for target, backup in backups.items():
                    if not os.path.lexists(target):  # moved aside by the fallback in _backup
                        os.replace(backup, target)
                raise
            finally:
                for backup in backups.values():
                    if os.path.lexists(backup):
                        backup.unlink()
        self._parts.clear()

    def _backup(self, target: Path) -> Path:
        backup = Path(tempfile.mktemp(prefix=f".{target.name[:_NAME_KEPT]}.{os.getpid()}.",
                                      suffix=_PART + ".old", dir=self.folder))
        try:
            os.link(target, backup, follow_symlinks=False)  # the old file stays in place meanwhile
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP):
                raise
            os.replace(target, backup)  # a file system without hard links: move it aside
        return backup

    def discard(self) -> None:
        for part in self._parts.values():
            part.unlink(missing_ok=True)
        self._parts.clear()


class _FolderLock:
    """flock on the folder itself: concurrent exports to one folder publish one after another,
    so a video never ends up beside another export's sidecar. Leaves no lock file behind."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._fd: int | None = None

    def __enter__(self):
        self._fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        if self._fd is not None:
            os.close(self._fd)  # closing releases the lock
            self._fd = None


def disk_error(exc: OSError, out: Path) -> ExportError:
    """One line for a write that the system refused (full disk, quota, read-only, I/O error)."""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return ExportError(f"{out.parent}: no space left on the disk; free some space and export again "
                           f"(nothing was changed)")
    if code == errno.EFBIG:
        return ExportError(f"{out.name}: the file is larger than this disk or your limits allow")
    if code == errno.EROFS:
        return ExportError(f"{out.parent}: the disk is read-only")
    reason = exc.strerror or (str(exc).splitlines() or [exc.__class__.__name__])[0]
    return ExportError(f"{out.name}: cannot write the output ({reason})")
