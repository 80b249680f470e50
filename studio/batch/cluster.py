"""Batch jobs on a dask.distributed cluster (`studio batch ... --cluster tcp://HOST:PORT`).

Each render group (studio.render.render_once) is one task; the worker runs the same code as a
local batch worker (studio.render.batch.run_group), so its outputs are published the same way:
written to a temp file in the output folder and renamed when complete. Workers are ordinary
Studio installs that see the project's media and the output folder at the same paths (a shared
disk); the projects themselves travel with the task. Progress comes back through a dask Queue;
a task whose worker dies is run again on another one (the scheduler's `allowed_failures`), and
a job already published by the dead worker is published again, atomically. Ctrl+C cancels: the
tasks are cancelled and running renders see the batch's cancel flag and remove their partial
files. docs/cluster.md shows how to start a scheduler and workers."""
from __future__ import annotations

import queue as queue_mod
import tempfile
import time
import uuid
from pathlib import Path
from typing import Callable

from studio.library.errors import LibraryError
from studio.render.batch import FINAL, Job, JobStatus, apply_event

CANCEL_POLL_S = 0.5
CANCEL_WAIT = 30.0  # seconds cancelled renders get to stop and clean up before they are let go


class ClusterError(LibraryError):
    """The cluster cannot be used: one line."""


def _distributed():
    try:
        import distributed
    except ImportError:
        raise ClusterError("--cluster needs dask's distributed package: pip install 'studio[cluster]'") from None
    return distributed


class _RemoteCancel:
    """A job's cancel flag as the worker sees it: the batch's dask Variable, read at most twice a second."""

    def __init__(self, name: str):
        self.name = name
        self._checked = 0.0
        self._set = False

    def is_set(self) -> bool:
        if not self._set and time.monotonic() - self._checked > CANCEL_POLL_S:
            self._checked = time.monotonic()
            try:
                self._set = bool(_distributed().Variable(self.name).get(timeout=1))
            except Exception:  # noqa: BLE001 - no answer: not cancelled
                pass
        return self._set


def run_remote_group(jobs: list[dict], quality: str, crf: int | None, keep_failed: bool, batch: str) -> list:
    """The task a worker runs: the group's projects written to a private folder, then run_group.
    Returns the events it sent (the last word when the queue lost some)."""
    from studio.model import project_from_dict, save_project
    from studio.render.batch import run_group

    distributed = _distributed()
    events = distributed.Queue(f"{batch}-events")
    sent = []

    def emit(*event) -> None:
        sent.append(event)
        try:
            events.put(list(event), timeout=5)
        except Exception:  # noqa: BLE001 - progress is best effort; the result carries the outcome
            pass

    cancel = _RemoteCancel(f"{batch}-cancel")
    with tempfile.TemporaryDirectory(prefix="studio-cluster-") as folder:
        local = []
        for data in jobs:
            project = save_project(project_from_dict(data["project"]), Path(folder) / f"job-{data['id']}.studio")
            local.append(Job(data["id"], project, data["preset"], Path(data["out"]), data["variant"],
                             data["captions_language"]))
        run_group(local, quality, crf, emit, [cancel] * len(local), keep_failed)
    return [e for e in sent if e[0] != "progress"]


class ClusterRunner:
    """BatchRunner's interface (statuses, cancel, run) over a dask scheduler at `address`."""

    def __init__(self, address: str, jobs: list[Job], quality: str = "standard", crf: int | None = None,
                 keep_failed: bool = False, retries: int = 3, timeout: float = 10):
        from studio.render.render_once import group_jobs

        self.address, self.quality, self.crf, self.keep_failed = address, quality, crf, keep_failed
        self.retries, self.timeout = retries, timeout
        self.statuses = {j.id: JobStatus(j) for j in jobs}
        self.groups = group_jobs(jobs, quality, crf)
        self.batch = f"studio-batch-{uuid.uuid4().hex[:12]}"
        self._cancelled = False
        self._client = None
        self._futures: list = []
        self._started = time.monotonic()

    def cancel(self, job_id: int | None = None) -> None:
        """Cancel the batch (a cluster batch cancels as a whole)."""
        self._cancelled = True
        for status in self.statuses.values():
            if status.state == "queued":
                status.state = "cancelled"

    def _payload(self, job: Job) -> dict:
        from studio.model import load_project, project_to_dict

        return {"id": job.id, "project": project_to_dict(load_project(job.project)),  # absolute media paths
                "preset": job.preset, "out": str(Path(job.out).resolve()), "variant": job.variant,
                "captions_language": job.captions_language}

    def run(self, on_update: Callable[[JobStatus], None] | None = None, poll: float = 0.2) -> list[JobStatus]:
        notify = on_update or (lambda s: None)
        distributed = _distributed()
        try:
            client = distributed.Client(self.address, timeout=self.timeout, set_as_default=False)
        except OSError as exc:
            raise ClusterError(f"{self.address}: no dask scheduler answers ({exc})") from None
        self._client = client
        try:
            events = distributed.Queue(f"{self.batch}-events", client=client)
            flag = distributed.Variable(f"{self.batch}-cancel", client=client)
            flag.set(False)
            futures = {}
            for group in self.groups:
                payload = []
                for job in group:
                    try:
                        payload.append(self._payload(job))
                    except Exception as exc:  # noqa: BLE001 - a project that cannot be read fails its job
                        self._event(notify, "failed", job.id, str(exc).splitlines()[0] if str(exc) else repr(exc))
                if payload:
                    future = client.submit(run_remote_group, payload, self.quality, self.crf, self.keep_failed,
                                           self.batch, pure=False, retries=self.retries,
                                           key=f"{self.batch}-group-{group[0].id}")
                    futures[future] = group
                    for job in group:
                        if self.statuses[job.id].state == "queued":
                            self.statuses[job.id].state = "running"
                            notify(self.statuses[job.id])
            pending = dict(futures)
            cancelling = False
            while pending:
                if self._cancelled and not cancelling:
                    cancelling = True
                    flag.set(True)  # running renders stop and remove their partial files; queued ones end at once
                    # (not future.cancel() at once: it lets go of a running task, which would still be
                    # removing its partial output after this returned)
                    give_up = time.monotonic() + CANCEL_WAIT
                if cancelling and time.monotonic() > give_up:
                    for future in pending:
                        future.cancel()  # a worker that does not answer: let go of it
                try:
                    for kind, jid, payload, *rest in events.get(timeout=poll, batch=True) or []:
                        self._event(notify, kind, jid, payload, rest[0] if rest else None)
                except (queue_mod.Empty, TimeoutError, distributed.TimeoutError):
                    pass
                except Exception:  # noqa: BLE001 - an empty queue times out differently across versions
                    time.sleep(poll)
                for future, group in list(pending.items()):
                    if not future.done():
                        continue
                    del pending[future]
                    try:
                        for kind, jid, payload, *rest in future.result():
                            self._event(notify, kind, jid, payload, rest[0] if rest else None)
                    except Exception as exc:  # noqa: BLE001 - the task itself failed (every retry), or was cancelled
                        reason = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
                        for job in group:
                            if cancelling:
                                self._event(notify, "cancelled", job.id, None)
                            else:
                                self._event(notify, "failed", job.id, f"cluster task failed: {reason}")
                    for job in group:
                        if self.statuses[job.id].state not in FINAL:
                            self._event(notify, "cancelled" if cancelling else "failed", job.id,
                                        None if cancelling else "the cluster task ended without a result")
        finally:
            client.close()
        return list(self.statuses.values())

    def _event(self, notify, kind: str, jid: int, payload, eta=None) -> None:
        status = self.statuses[jid]
        if status.state in FINAL:
            return
        apply_event(status, kind, payload, eta, time.monotonic() - self._started)
        notify(status)


__all__ = ["ClusterError", "ClusterRunner", "run_remote_group"]
