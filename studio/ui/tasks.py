"""Background work for the window, one way (in the spirit of napari's `thread_worker`): run a
function in a thread, get what it reports and what it returns or raises back on the UI thread.
A panel or dialog owns one `Tasks`; each `run()` gives a `Task` handle (no QObject per task).

Results travel through an `Inbox` that a UI timer drains, never through signals emitted from the
worker thread: queued cross-thread signals pile up behind a busy UI thread (one per camera frame
or progress step), and PySide 6.12 crashed at exit delivering them. The long-lived workers
(preview frames, thumbnails) use the same inbox for their results.
"""
from __future__ import annotations

import threading
from typing import Callable

from PySide6.QtCore import QObject, QTimer

DRAIN_MS = 15  # how often results are collected: well under a frame at 30 fps


class Inbox(QObject):
    """Values posted from any thread reach `deliver(*values)` on the UI thread, in order."""

    def __init__(self, deliver: Callable, parent: QObject | None = None, interval_ms: int = DRAIN_MS):
        super().__init__(parent)
        self._deliver = deliver
        self._items: list = []
        self._lock = threading.Lock()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.drain)
        self._timer.start(interval_ms)

    def post(self, *values) -> None:
        with self._lock:
            self._items.append(values)

    def drain(self) -> None:
        with self._lock:
            items, self._items = self._items, []
        for values in items:
            self._deliver(*values)

    def stop(self) -> None:
        self._timer.stop()


class Task:
    """One function running in a thread for `Tasks`. `report(value)` may be called from any
    thread; `running` stays true until the result has been delivered on the UI thread."""

    def __init__(self, owner: "Tasks", call: Callable, name: str, handlers: dict):
        self._owner, self._handlers = owner, handlers
        self.running = True
        self._thread = threading.Thread(target=self._run, args=(call,), name=f"studio-ui-{name}", daemon=True)

    def report(self, value) -> None:
        self._owner._inbox.post(self, "progress", value)

    def _run(self, call: Callable) -> None:
        try:
            result = call()
        except BaseException as exc:  # delivered to the UI, which says what went wrong
            self._owner._inbox.post(self, "failed", exc)
        else:
            self._owner._inbox.post(self, "done", result)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the function has returned (True) or `timeout` passed (False), then deliver
        what it left (call on the UI thread: shutdown and tests)."""
        self._thread.join(timeout)
        self._owner._inbox.drain()
        return not self._thread.is_alive()


class Tasks(QObject):
    """The background tasks of one panel or dialog. `run(fn, ...)` starts `fn(*args, **kwargs)`
    in a daemon thread; its `report` values reach `on_progress`, then its result `on_done` or
    its exception `on_failed` — all called on the UI thread, in order."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._live: list[Task] = []
        self._inbox = Inbox(self._arrived, self)
        self._inbox.stop()  # the timer runs only while tasks do

    def run(self, fn: Callable, *args, name: str = "task", on_done: Callable | None = None,
            on_failed: Callable | None = None, on_progress: Callable | None = None, report_as: str | None = None,
            **kwargs) -> Task:
        """report_as: the keyword argument of `fn` that takes a progress callback (gets task.report)."""
        task = Task(self, lambda: fn(*args, **kwargs), name,
                    {"done": on_done, "failed": on_failed, "progress": on_progress})
        if report_as:
            kwargs[report_as] = task.report  # set before the thread starts: fn sees it from its first line
        self._live.append(task)
        self._inbox._timer.start(DRAIN_MS)
        task._thread.start()
        return task

    @property
    def running(self) -> bool:
        return bool(self._live)

    def wait(self, timeout: float = 10.0) -> None:
        """Block until the running tasks' threads end (a closing dialog leaves none behind); their
        results are dropped."""
        import time

        deadline = time.monotonic() + timeout
        for task in list(self._live):
            task._thread.join(max(0.0, deadline - time.monotonic()))

    def _arrived(self, task: Task, kind: str, value) -> None:
        if kind != "progress":
            task.running = False
            if task in self._live:
                self._live.remove(task)
            if not self._live:
                self._inbox.stop()
        handler = task._handlers.get(kind)
        if handler is not None:
            handler(value)
        elif kind == "failed":
            raise value  # nobody asked: a programming error, not a user's

    def wait_all(self, timeout: float = 60) -> bool:
        """Let every task finish (up to `timeout` s each) and deliver its result; True when all did."""
        return all([task.wait(timeout) for task in list(self._live)])


def one_line(exc: BaseException) -> str:
    """An exception as the one line the window shows."""
    text = str(exc)
    return text.splitlines()[0] if text else type(exc).__name__
