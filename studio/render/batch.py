"""Batch export: every project x preset, N at a time in separate processes (an export keeps a
core busy and a crash in one must not take the others down), with progress per job and cancel."""
from __future__ import annotations

import multiprocessing as mp
import os
import queue as queue_mod
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ORPHAN_POLL_S = 0.2    # how often a worker checks that its batch is still there
ORPHAN_GRACE_S = 10.0  # for an orphaned export to stop and remove its files (its audio thread finishes first)


@dataclass(frozen=True)
class Job:
    id: int
    project: Path
    preset: str
    out: Path


@dataclass
class JobStatus:
    job: Job
    state: str = "queued"        # queued | running | done | failed | cancelled
    fraction: float = 0.0
    eta: float | None = None
    error: str | None = None
    result: dict = field(default_factory=dict)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {"id": self.job.id, "project": str(self.job.project), "preset": self.job.preset,
                "out": str(self.job.out), "state": self.state, "error": self.error,
                "seconds": round(self.seconds, 2), **({"result": self.result} if self.result else {})}


def plan_jobs(projects: list[Path], presets: list[str], out_dir: Path, *, keep_existing: bool = False) -> list[Job]:
    """One job per project x preset, named PROJECT-PRESET.mp4 in `out_dir`; names never collide
    within the batch (two projects of one name in different folders get -2, -3 ...). With
    `keep_existing` they also avoid every file already in the folder (video, sidecar or cover of
    an earlier batch), so nothing there is replaced."""
    from studio.render.outputs import output_paths

    def taken(name: str) -> bool:
        if name in names:
            return True
        out = out_dir / name
        return keep_existing and any(os.path.lexists(p) for p in (out, *output_paths(out)))

    jobs = []
    names: set[str] = set()
    for project in projects:
        stem = project.name.split(".")[0] or "project"
        for preset in presets:
            name = f"{stem}-{preset}.mp4"
            n = 2
            while taken(name):
                name = f"{stem}-{n}-{preset}.mp4"
                n += 1
            names.add(name)
            jobs.append(Job(len(jobs) + 1, project, preset, out_dir / name))
    return jobs


def _run_job(job: Job, quality: str, crf: int | None, events, cancel, parent_pid: int,
             keep_failed: bool = False) -> None:
    """Runs in a child process; reports through `events`; never raises."""
    # Ctrl+C in a terminal signals the whole process group, us included, but the batch cancels us
    # through `cancel` (so the export cleans up); a KeyboardInterrupt here would only print a
    # traceback. The parent started us with SIGINT blocked (see _sigint_blocked); ignoring it drops
    # one that is pending, and only then is it safe to unblock.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    threading.Thread(target=_cancel_when_orphaned, args=(parent_pid, cancel), name="orphan-watch",
                     daemon=True).start()
    from studio.model import load_project
    from studio.render.errors import Cancelled
    from studio.render.export import ExportOptions, export_project

    def progress(p) -> None:
        if p.stage == "video":
            events.put(("progress", job.id, p.fraction, p.eta))

    try:
        project = load_project(job.project)
        result = export_project(project, job.out, ExportOptions(preset=job.preset, quality=quality, crf=crf,
                                                                keep_failed=keep_failed),
                                progress=progress, cancel=cancel, inputs=(job.project,))
        if result.preflight is not None and not result.preflight["passed"]:  # kept on request: still a failure
            events.put(("failed", job.id, f"pre-flight for {job.preset} failed ({result.preflight['errors']} "
                                          f"errors); the file was kept"))
            return
        events.put(("done", job.id, {"duration": result.duration, "loudness": result.loudness,
                                     "preflight_passed": (result.preflight or {}).get("passed")}))
    except Cancelled:
        events.put(("cancelled", job.id, None))
    except Exception as exc:  # reported to the parent as the job's reason, one line
        message = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        events.put(("failed", job.id, message))


def _cancel_when_orphaned(parent_pid: int, cancel) -> None:
    """A worker must not outlive its batch: a batch that was killed (even by SIGKILL, which it
    cannot catch) never cancels its jobs, and nobody is left to take their results. Once the
    worker is re-parented, cancel its export (which removes its partial file and publishes
    nothing); exit hard if that does not finish in time."""
    while os.getppid() == parent_pid:
        time.sleep(ORPHAN_POLL_S)
    hard_exit = threading.Timer(ORPHAN_GRACE_S, os._exit, (1,))
    hard_exit.daemon = True  # a worker that stops in time exits without waiting for it
    hard_exit.start()  # armed first: set() waits for the event's lock, which the dead parent may have held
    cancel.set()


@contextmanager
def _sigint_blocked():
    """SIGINT blocked in this thread while a worker starts: the mask survives fork and exec, so a
    Ctrl+C cannot raise KeyboardInterrupt in the new interpreter before _run_job ignores it
    (multiprocessing's resource tracker starts the same way). One that comes meanwhile stays
    pending and reaches this process when the mask is restored."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class BatchRunner:
    def __init__(self, jobs: list[Job], workers: int = 2, quality: str = "standard", crf: int | None = None,
                 keep_failed: bool = False):
        self._ctx = mp.get_context("spawn")  # no fork: MediaPipe and codec threads do not survive it
        self.statuses = {j.id: JobStatus(j) for j in jobs}
        self.workers = max(1, workers)
        self.quality, self.crf, self.keep_failed = quality, crf, keep_failed
        self._events = self._ctx.Queue()
        self._cancel = {j.id: self._ctx.Event() for j in jobs}
        self._procs: dict[int, mp.Process] = {}
        self._started: dict[int, float] = {}

    def cancel(self, job_id: int | None = None) -> None:
        """Cancel one job (or all): running ones stop and delete their partial file."""
        for jid, status in self.statuses.items():
            if job_id is None or jid == job_id:
                self._cancel[jid].set()
                if status.state == "queued":
                    status.state = "cancelled"

    def run(self, on_update: Callable[[JobStatus], None] | None = None, poll: float = 0.2) -> list[JobStatus]:
        notify = on_update or (lambda s: None)
        pending = [jid for jid, s in self.statuses.items() if s.state == "queued"]
        while pending or self._procs:
            while pending and len(self._procs) < self.workers:
                jid = pending.pop(0)
                status = self.statuses[jid]
                if status.state != "queued":
                    continue
                proc = self._ctx.Process(target=_run_job, name=f"studio-job-{jid}", daemon=True,
                                         args=(status.job, self.quality, self.crf, self._events, self._cancel[jid],
                                               os.getpid(), self.keep_failed))
                with _sigint_blocked():
                    proc.start()
                self._procs[jid] = proc
                self._started[jid] = time.monotonic()
                status.state = "running"
                notify(status)
            self._drain(notify, poll)
            for jid, proc in list(self._procs.items()):
                if not proc.is_alive():
                    proc.join()
                    self._drain(notify, 0)
                    status = self.statuses[jid]
                    if status.state == "running":  # died without a word: a crash
                        status.state = "failed"
                        status.error = f"worker crashed (exit code {proc.exitcode})"
                        notify(status)
                    del self._procs[jid]
            pending = [jid for jid in pending if self.statuses[jid].state == "queued"]
        return list(self.statuses.values())

    def _drain(self, notify, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                kind, jid, payload, *rest = self._events.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue_mod.Empty:
                return
            status = self.statuses[jid]
            status.seconds = time.monotonic() - self._started.get(jid, time.monotonic())
            if kind == "progress":
                status.fraction, status.eta = payload, rest[0] if rest else None
            elif kind == "done":
                status.state, status.fraction, status.result = "done", 1.0, payload
            elif kind == "failed":
                status.state, status.error = "failed", payload
            elif kind == "cancelled":
                status.state = "cancelled"
            notify(status)
