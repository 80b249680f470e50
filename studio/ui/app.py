"""Composition root of the window: `run_app(project)` builds the QApplication, the theme and the
main window, opens the project (or the demo project when none is given), offers crash recovery,
and runs the event loop."""
from __future__ import annotations

import sys
from pathlib import Path

from .settings import data_dir


def demo_project_path(folder: Path | None = None) -> Path:
    """The demo project in the per-user data folder, built on first use."""
    from studio.demo import PROJECT_NAME, build_demo_project

    folder = Path(folder) if folder else data_dir() / "demo"
    existing = folder / PROJECT_NAME
    if existing.exists() and (folder / "demo_clip.mp4").exists():
        return existing
    return build_demo_project(folder)


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


def run_app(project_path=None) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from .theme import apply_dark_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Studio")
    app.setOrganizationName("Studio")
    apply_dark_theme(app)
    window = create_window(project_path)
    window.show()
    QTimer.singleShot(200, window.offer_recovery)
    QTimer.singleShot(400, window.check_missing_media)
    code = app.exec()
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
