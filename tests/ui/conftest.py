"""Window tests: offscreen Qt, a demo project copied per test, isolated settings, and a check that
closing the window leaves no visible top-level widgets and no worker threads behind."""
import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

import shutil
import threading
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from studio.model import Clip, Project, TextItem, Timeline, Track, edits, save_project


class CannedPrompts:
    """Answers the window's questions without dialogs; records what was asked."""

    def __init__(self, unsaved="discard", recover="recover", relink=False, replace=True):
        self.answers = {"unsaved": unsaved, "recover": recover, "relink": relink, "replace": replace}
        self.asked: list[str] = []
        self.errors: list[str] = []
        self.next_open = ""
        self.next_save = ""

    def unsaved(self, name):
        self.asked.append("unsaved")
        return self.answers["unsaved"]

    def recover(self, recovery):
        self.asked.append("recover")
        return self.answers["recover"]

    def relink(self, count):
        self.asked.append("relink")
        return self.answers["relink"]

    def replace(self, name):
        self.asked.append("replace")
        return self.answers["replace"]

    def error(self, title, text):
        self.errors.append(f"{title}: {text}")

    def open_path(self):
        return self.next_open

    def save_path(self, suggested):
        return self.next_save


def make_clip_file(path: Path, seconds: float = 1.0, size=(160, 284), fps: int = 30, audio: bool = True) -> Path:
    """A small numbered-colour clip (with a tone) made with PyAV."""
    w, h = size
    with av.open(str(path), "w") as c:
        v = c.add_stream("libx264", rate=fps)
        v.width, v.height, v.pix_fmt = w, h, "yuv420p"
        v.codec_context.options = {"preset": "ultrafast"}
        a = c.add_stream("aac", rate=48000, layout="stereo") if audio else None
        n = int(seconds * fps)
        for i in range(n):
            img = np.zeros((h, w, 3), np.uint8)
            img[..., 0] = (i * 8) % 256
            img[..., 1] = 128
            img[: h // 2, :, 2] = 200
            f = av.VideoFrame.from_ndarray(img, format="rgb24")
            f.pts = i
            c.mux(v.encode(f))
        if a is not None:
            t = np.arange(int(seconds * 48000)) / 48000
            tone = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
            samples = np.stack([tone, tone])
            for s in range(0, samples.shape[1], 4800):
                af = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples[:, s:s + 4800]), format="fltp",
                                                layout="stereo")
                af.sample_rate = 48000
                af.pts = s
                c.mux(a.encode(af))
            c.mux(a.encode(None))
        c.mux(v.encode(None))
    return path


def make_tiny_project(folder: Path, name: str = "tiny.studio", seconds: float = 1.0) -> Path:
    """A 1 s project (clip + title) for quick exports."""
    folder.mkdir(parents=True, exist_ok=True)
    clip = make_clip_file(folder / f"{Path(name).stem}-clip.mp4", seconds)
    frames = int(seconds * 30)
    tl = Timeline((Track("video", name="Video"),))
    tl = edits.append_clip(tl, Clip("clip-1", str(clip), 0, frames, source_frames=frames))
    tl = edits.add_item(tl, TextItem("text-1", 0, frames, "Tiny", y=0.4, anim_in="none"))
    return save_project(Project(name="Tiny", fps=Fraction(30), timeline=tl), folder / name)


@pytest.fixture(scope="session")
def demo_source(tmp_path_factory) -> Path:
    from studio.demo import build_demo_project

    return build_demo_project(tmp_path_factory.mktemp("demo-source")).parent


@pytest.fixture
def demo_project(demo_source, tmp_path) -> Path:
    folder = tmp_path / "demo"
    shutil.copytree(demo_source, folder)
    return folder / "demo.studio"


@pytest.fixture
def settings(tmp_path):
    from studio.ui.settings import Settings

    s = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    s.recovery_dir = tmp_path / "recovery"
    s.output_dir = tmp_path / "out"
    s.projects_dir = tmp_path / "projects"  # never the user's real Videos folder
    (tmp_path / "out").mkdir()
    return s


@pytest.fixture
def prompts():
    return CannedPrompts()


def _worker_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t is not threading.main_thread() and t.is_alive()}


@pytest.fixture
def make_window(qapp, qtbot, settings, prompts):
    """Builds MainWindows; after the test each is closed (as a user would, changes discarded) and
    the test fails if a top-level widget stays visible or a worker thread is still running."""
    from studio.ui.app import create_window

    before = _worker_threads()
    windows = []

    def make(path):
        window = create_window(path, settings, prompts)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        prompts.answers["unsaved"] = "discard"
        t0 = time.monotonic()
        window.close()
        if os.environ.get("STUDIO_TEST_TIMING"):
            print("close took", time.monotonic() - t0, [t.name for t in _worker_threads() - before])
        assert not window.isVisible(), "the window refused to close"
        window.deleteLater()
    qapp.processEvents()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        leaked = [t.name for t in _worker_threads() - before]
        if not leaked:
            break
        time.sleep(0.05)
    assert not leaked, f"threads still running after close: {leaked}"
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert not visible, f"top-level widgets left visible: {visible}"


@pytest.fixture
def window(make_window, demo_project):
    return make_window(demo_project)


@pytest.fixture
def clip_file():
    """make_clip_file as a fixture (test modules here are not a package)."""
    return make_clip_file


@pytest.fixture
def tiny_project():
    return make_tiny_project
