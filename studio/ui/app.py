"""Composition root of the window: `run_app(project)` builds the QApplication, the theme and the
main window, opens the project (or the demo project when none is given), offers crash recovery,
and runs the event loop.

On a first start the demo media does not exist yet and takes seconds to encode, so it is built in a
background thread started before the window is even constructed: the window appears at once and
opens the demo as soon as it is ready."""
from __future__ import annotations

import sys
import threading
from pathlib import Path

from .settings import data_dir


def _demo_folder(folder: Path | None = None) -> Path:
    return Path(folder) if folder else data_dir() / "demo"


def demo_ready(folder: Path | None = None) -> Path | None:
    """The demo project file when it has been built already, else None."""
    from studio.demo import PROJECT_NAME

    folder = _demo_folder(folder)
    existing = folder / PROJECT_NAME
    return existing if existing.exists() and (folder / "demo_clip.mp4").exists() else None


def demo_project_path(folder: Path | None = None) -> Path:
    """The demo project in the per-user data folder, built on first use."""
    from studio.demo import build_demo_project

    return demo_ready(folder) or build_demo_project(_demo_folder(folder))


class DemoBuild:
    """Builds the demo project in a worker thread; the UI polls `done` (no Qt needed to start it,
    so it can run while PySide6 and the window are still loading)."""

    def __init__(self, folder: Path | None = None):
        self.folder = _demo_folder(folder)
        self.path: Path | None = None
        self.error = ""
        self._thread = threading.Thread(target=self._run, name="studio-demo-build", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self.path = demo_project_path(self.folder)
        except Exception as exc:  # a full disk or an encoder problem: the window says so, empty
            self.error = f"{self.folder}: cannot build the demo project ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})"

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)


def create_window(project_path=None, settings=None, prompts=None):
    """A MainWindow on `project_path` (None: the demo project). Needs a QApplication."""
    from studio.model import Project, ProjectError, load_project

    from .main_window import MainWindow

    path = Path(project_path) if project_path else demo_project_path()
    try:
        project = load_project(path)
    except ProjectError as exc:
        window = MainWindow(Project(), None, settings, prompts)
        window.show_status(str(exc), 15000)
        window.prompts.error("Cannot open project", str(exc))
        return window
    window = MainWindow(project, path.resolve(), settings, prompts)
    window.settings.add_recent(path)
    return window


def _open_demo_when_built(window, build: DemoBuild) -> None:
    """Poll the demo build from the UI thread and open the demo in the (still empty) window."""
    from PySide6.QtCore import QTimer

    timer = QTimer(window)
    timer.setInterval(100)

    def check() -> None:
        if not build.done:
            return
        timer.stop()
        if build.path is None:
            window.show_status(build.error, 15000)
        elif window.document.dirty or window.document.path is not None:
            # the user started work (or opened a file) meanwhile: never replace it
            window.show_status(f"The demo project is ready: {build.path}", 10000)
        else:
            window.open_path(build.path)
            window.show_status("Demo project opened: press Space to play, Ctrl+E to export", 8000)

    timer.timeout.connect(check)
    timer.start()
    window.building_demo = timer  # kept alive with the window; tests can see it


def run_app(project_path=None) -> int:
    # first start: the demo media encodes while Qt loads and the window is built
    build = None
    if project_path is None:
        try:
            ready = demo_ready()
        except Exception:
            ready = None
        if ready is None:
            build = DemoBuild()
        else:
            project_path = ready

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from .theme import apply_dark_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Studio")
    app.setOrganizationName("Studio")
    apply_dark_theme(app)
    if build is not None and build.done and build.path is not None:
        window = create_window(build.path)
        build = None
    elif build is not None:
        from studio.model import Project

        from .main_window import MainWindow

        window = MainWindow(Project(name="Studio demo"), None)
        window.show_status("Preparing the demo project…", 0)
        window.title_label.setText("Preparing the demo project…")  # menus clear the status bar
        _open_demo_when_built(window, build)
    else:
        window = create_window(project_path)
    window.show()
    QTimer.singleShot(200, window.offer_recovery)
    QTimer.singleShot(400, window.check_missing_media)
    if project_path is None and window.settings.q.value("start/show", True, type=bool):
        from .start_screen import show_start

        QTimer.singleShot(600, lambda w=window: show_start(w))  # no project asked for: what to make?
    code = app.exec()
    if build is not None:
        build.wait(30)  # never tear the interpreter down under a half-written demo
    # tear Qt down while Python is still fully alive: leaving the window and the application to
    # interpreter finalisation crashed about one exit in four after a camera session had run
    # (a refcount error reported from PySide 6.12's teardown)
    window.deleteLater()
    app.processEvents()
    del window
    import gc

    gc.collect()
    app.shutdown()
    return code
