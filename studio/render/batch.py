"""Batch export: every project x preset, N at a time in separate processes (an export keeps a
core busy and a crash in one must not take the others down), with progress per job and cancel.

Jobs whose streams would be the same (one project for TikTok, Reels and Shorts) form a render
group (render_once.py): one process renders the group once and publishes every job's output from
that render by a stream copy, each with its own tags, cover, sidecar and pre-flight."""
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
    variant: str = ""                      # the variant's name, for a batch of variants
    captions_language: str | None = None   # the soft subtitle track's language tag


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
                **({"variant": self.job.variant} if self.job.variant else {}),
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


class _AllSet:
    """Set once every one of `events` is: a group's render stops only when all its jobs are cancelled."""

    def __init__(self, events):
        self.events = list(events)

    def is_set(self) -> bool:
        return all(e.is_set() for e in self.events)

    def set(self) -> None:
        for e in self.events:
            e.set()


def _one_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__


def _run_job(job: Job, quality: str, crf: int | None, events, cancel, parent_pid: int,
             keep_failed: bool = False) -> None:
    """One job in a child process (a group of one)."""
    _run_group([job], quality, crf, events, [cancel], parent_pid, keep_failed)


def _run_group(jobs: list[Job], quality: str, crf: int | None, events, cancels, parent_pid: int,
               keep_failed: bool = False) -> None:
    """Runs in a child process; reports through `events`; never raises. A group of one is a plain
    export; a larger group renders once and publishes each job's output as a stream copy."""
    # Ctrl+C in a terminal signals the whole process group, us included, but the batch cancels us
    # through `cancel` (so the export cleans up); a KeyboardInterrupt here would only print a
    # traceback. The parent started us with SIGINT blocked (see _sigint_blocked); ignoring it drops
    # one that is pending, and only then is it safe to unblock.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    every = _AllSet(cancels)
    threading.Thread(target=_cancel_when_orphaned, args=(parent_pid, every), name="orphan-watch",
                     daemon=True).start()
    run_group(jobs, quality, crf, lambda *event: events.put(event), cancels, keep_failed)


def run_group(jobs: list[Job], quality: str, crf: int | None, emit, cancels, keep_failed: bool = False) -> None:
    """The work of one render group wherever it runs (a local worker process, a cluster worker):
    `emit(kind, job_id, payload[, eta])` for progress, done, failed and cancelled; never raises."""
    from studio.model import load_project
    from studio.render.errors import Cancelled
    from studio.render.export import ExportOptions, export_project

    every = _AllSet(cancels)

    def progress(p) -> None:
        if p.stage == "video":
            for job in jobs:
                emit("progress", job.id, p.fraction, p.eta)

    def finished(job: Job, result) -> None:
        if result.preflight is not None and not result.preflight["passed"]:  # kept on request: still a failure
            emit("failed", job.id, f"pre-flight for {job.preset} failed ({result.preflight['errors']} "
                                   f"errors); the file was kept")
            return
        emit("done", job.id, {"duration": result.duration, "loudness": result.loudness,
                              "preflight_passed": (result.preflight or {}).get("passed"),
                              "preflight": result.preflight,
                              "cover": str(result.cover) if result.cover else None,
                              "rendered_once": len(jobs) > 1})

    if len(jobs) == 1:
        job = jobs[0]
        try:
            project = load_project(job.project)
            result = export_project(project, job.out, ExportOptions(preset=job.preset, quality=quality, crf=crf,
                                                                    keep_failed=keep_failed,
                                                                    captions_language=job.captions_language),
                                    progress=progress, cancel=every, inputs=(job.project,))
            finished(job, result)
        except Cancelled:
            emit("cancelled", job.id, None)
        except Exception as exc:  # reported to the parent as the job's reason, one line
            emit("failed", job.id, _one_line(exc))
        return

    from studio.render.render_once import MasterFolder, publish_copy, render_master

    first = jobs[0]
    try:
        projects = {job.id: load_project(job.project) for job in jobs}
        with MasterFolder() as folder:
            master, cover = render_master(projects[first.id], first.preset, folder, quality=quality, crf=crf,
                                          captions_language=first.captions_language, progress=progress,
                                          cancel=every, inputs=tuple(j.project for j in jobs))
            for job, cancel in zip(jobs, cancels):
                if cancel.is_set():
                    emit("cancelled", job.id, None)
                    continue
                try:
                    result = publish_copy(master, cover, projects[first.id], projects[job.id], job.preset, job.out,
                                          quality=quality, crf=crf, keep_failed=keep_failed, cancel=cancel,
                                          inputs=(job.project,))
                    finished(job, result)
                except Cancelled:
                    emit("cancelled", job.id, None)
                except Exception as exc:
                    emit("failed", job.id, _one_line(exc))
    except Cancelled:
        for job in jobs:
            emit("cancelled", job.id, None)
    except Exception as exc:  # the render failed: every job of the group, with its reason
        for job in jobs:
            emit("failed", job.id, _one_line(exc))


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


FINAL = ("done", "failed", "cancelled")


class BatchRunner:
    """`render_once`: jobs with the same streams share one render (False: every job renders from
    scratch, as batches did before; the benchmark's baseline)."""

    def __init__(self, jobs: list[Job], workers: int = 2, quality: str = "standard", crf: int | None = None,
                 keep_failed: bool = False, render_once: bool = True):
        self._ctx = mp.get_context("spawn")  # no fork: MediaPipe and codec threads do not survive it
        self.statuses = {j.id: JobStatus(j) for j in jobs}
        self.workers = max(1, workers)
        self.quality, self.crf, self.keep_failed = quality, crf, keep_failed
        if render_once:
            from studio.render.render_once import group_jobs

            self.groups = group_jobs(jobs, quality, crf)
        else:
            self.groups = [[job] for job in jobs]
        self._events = self._ctx.Queue()
        self._cancel = {j.id: self._ctx.Event() for j in jobs}
        self._procs: dict[int, mp.Process] = {}   # group index -> its process
        self._started: dict[int, float] = {}

    def cancel(self, job_id: int | None = None) -> None:
        """Cancel one job (or all): running ones stop and delete their partial file (a shared
        render stops once every job of its group is cancelled)."""
        for jid, status in self.statuses.items():
            if job_id is None or jid == job_id:
                self._cancel[jid].set()
                if status.state == "queued":
                    status.state = "cancelled"

    def run(self, on_update: Callable[[JobStatus], None] | None = None, poll: float = 0.2) -> list[JobStatus]:
        notify = on_update or (lambda s: None)

        def queued(g: int) -> bool:
            return any(self.statuses[j.id].state == "queued" for j in self.groups[g])

        pending = [g for g in range(len(self.groups)) if queued(g)]
        while pending or self._procs:
            while pending and len(self._procs) < self.workers:
                g = pending.pop(0)
                jobs = [j for j in self.groups[g] if self.statuses[j.id].state == "queued"]
                if not jobs:
                    continue
                proc = self._ctx.Process(target=_run_group, name=f"studio-job-{jobs[0].id}", daemon=True,
                                         args=(jobs, self.quality, self.crf, self._events,
                                               [self._cancel[j.id] for j in jobs], os.getpid(), self.keep_failed))
                with _sigint_blocked():
                    proc.start()
                self._procs[g] = proc
                for job in jobs:
                    self._started[job.id] = time.monotonic()
                    self.statuses[job.id].state = "running"
                    notify(self.statuses[job.id])
            self._drain(notify, poll)
            for g, proc in list(self._procs.items()):
                if not proc.is_alive():
                    proc.join()
                    self._drain(notify, 0)
                    for job in self.groups[g]:
                        status = self.statuses[job.id]
                        if status.state == "running":  # died without a word: a crash
                            status.state = "failed"
                            status.error = f"worker crashed (exit code {proc.exitcode})"
                            notify(status)
                    del self._procs[g]
            pending = [g for g in pending if queued(g)]
        return list(self.statuses.values())

    def _drain(self, notify, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                kind, jid, payload, *rest = self._events.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue_mod.Empty:
                return
            status = self.statuses[jid]
            if status.state in FINAL:
                continue  # a job's first word on how it ended is the one that counts
            apply_event(status, kind, payload, rest[0] if rest else None,
                        time.monotonic() - self._started.get(jid, time.monotonic()))
            notify(status)


def apply_event(status: JobStatus, kind: str, payload, eta, seconds: float) -> None:
    """A worker's report (run_group's `emit`) applied to the job's status."""
    status.seconds = seconds
    if kind == "progress":
        status.fraction, status.eta = max(status.fraction, payload), eta
    elif kind == "done":
        status.state, status.fraction, status.result = "done", 1.0, payload
    elif kind == "failed":
        status.state, status.error = "failed", payload
    elif kind == "cancelled":
        status.state = "cancelled"
