"""`studio batch` under signals, as a user sends them: the batch killed with SIGKILL takes its
workers with it (nothing published later, no partial left), and Ctrl+C (SIGINT to the whole
foreground process group) cancels cleanly with exit code 130 and no traceback from any worker."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads processes from /proc")

EXPORTING = re.compile(r"running [1-9]\d*%")  # a progress line past 0%: a job is encoding frames


@pytest.fixture(scope="module")
def projects(tmp_path_factory, mediagen) -> list[Path]:
    """Three projects whose draft export takes several seconds each, so a signal lands mid-export."""
    from studio.model import save_project
    from studio.quick import build_quick_project

    folder = tmp_path_factory.mktemp("batch_signals")
    source = mediagen.write_clip(folder / "long.mp4", seconds=20, size=(160, 120))
    return [save_project(build_quick_project([str(source)], name=f"p{k}"), folder / f"p{k}.studio")
            for k in (1, 2, 3)]


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, ppid, start time) of a process, or None when there is none."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()  # the name in parentheses may hold spaces
    return fields[0], int(fields[1]), int(fields[19])


def _descendants(root: int) -> dict[int, int]:
    """pid -> start time of every process below `root` (the start time tells a reused pid apart)."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (st := _stat(int(entry.name))):
            stats[int(entry.name)] = st
    found: dict[int, int] = {}
    parents = {root}
    while parents:
        children = {pid for pid, (_, ppid, _) in stats.items() if ppid in parents and pid not in found}
        found.update((pid, stats[pid][2]) for pid in children)
        parents = children
    return found


def _alive(pids: dict[int, int]) -> list[int]:
    """Those still running; a zombie (exited, not yet reaped by its new parent) counts as gone."""
    return [pid for pid, start in pids.items()
            if (st := _stat(pid)) is not None and st[0] not in "ZX" and st[2] == start]


def _start_batch(projects: list[Path], out_dir: Path) -> subprocess.Popen:
    # its own session and process group: the signal to the group below reaches only this batch
    return subprocess.Popen([sys.executable, "-m", "studio", "batch", *map(str, projects), "--jobs", "2",
                             "--out-dir", str(out_dir), "--quality", "draft"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _wait_for_line(proc: subprocess.Popen, pattern: re.Pattern) -> list[str]:
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if pattern.search(line):
            return lines
    pytest.fail("batch ended before the expected progress line:\n" + "".join(lines)[-3000:])


def _kill_all(proc: subprocess.Popen, pids: dict[int, int]) -> None:
    """Leave nothing behind, whatever the test found."""
    for pid in [proc.pid, *_alive(pids)]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait()
    proc.stdout.close()
    proc.stderr.close()


def test_sigkill_of_the_batch_takes_its_workers_along(projects, tmp_path):
    out_dir = tmp_path / "out"
    proc = _start_batch(projects, out_dir)
    workers: dict[int, int] = {}
    try:
        _wait_for_line(proc, EXPORTING)
        workers = _descendants(proc.pid)
        assert len(workers) >= 2, workers  # two jobs run at once (plus multiprocessing's resource tracker)
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + 10  # a loaded machine takes a few seconds to stop an export
        while _alive(workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = _alive(workers)
        assert not left, f"workers outlived the batch: {left}"
        # every process of the batch is gone, so nothing can be published or left behind later
        assert sorted(p.name for p in out_dir.iterdir()) == []
    finally:
        _kill_all(proc, workers)


# The first two land while the workers start: "launched" while the new interpreter initialises
# (SIGINT's default action would kill it), "importing" during multiprocessing's bootstrap (where
# Python's own handler would raise KeyboardInterrupt); the third while frames are encoding.
@pytest.mark.parametrize("when, delay", [("launched", 0.0), ("importing", 0.1), ("exporting", 0.0)])
def test_ctrl_c_on_the_process_group_cancels_without_tracebacks(projects, tmp_path, when, delay):
    out_dir = tmp_path / "out"
    proc = _start_batch(projects, out_dir)
    workers: dict[int, int] = {}
    try:
        seen = _wait_for_line(proc, EXPORTING if when == "exporting" else re.compile(r"running 0%"))
        time.sleep(delay)
        workers = _descendants(proc.pid)
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl+C does
        _, err = proc.communicate(timeout=60)
        err = "".join(seen) + err
        deadline = time.monotonic() + 5  # the resource tracker exits once the workers have
        while _alive(workers) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        _kill_all(proc, workers)
    assert proc.returncode == 130, err[-3000:]
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err[-3000:]
    assert "failed" not in err and "crashed" not in err, err[-3000:]  # the jobs were cancelled, not killed
    assert not _alive(workers)
    assert sorted(p.name for p in out_dir.iterdir()) == []
