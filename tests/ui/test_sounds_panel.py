"""The Sounds panel imports your own sounds: a music file dropped on it (or picked with "Import
sound…") is imported off the UI thread, then listed, selected and shown with its measured BPM; a
file that cannot be a sound says why in the panel's status line."""
from __future__ import annotations

import wave
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from studio.model import SoundItem

RATE = 44100


@pytest.fixture(autouse=True)
def private_user_data(tmp_path_factory, monkeypatch):
    folder = tmp_path_factory.mktemp("user-data")
    monkeypatch.setenv("STUDIO_USER_DATA", str(folder))
    return folder


def drum_loop(path: Path, bpm: float, seconds: float = 12.0, offset: float = 0.2) -> Path:
    """Kick on 1 and 3, snare on 2 and 4, hats on the 8ths and a bass note per beat, as a WAV."""
    rng = np.random.default_rng(7)
    out = np.zeros(int(seconds * RATE))
    beat = 60.0 / bpm

    def add(t: float, sig: np.ndarray) -> None:
        i = int(t * RATE)
        n = min(len(sig), len(out) - i)
        if n > 0:
            out[i:i + n] += sig[:n]

    tt = np.arange(int(0.3 * RATE)) / RATE
    kick = 0.9 * np.sin(2 * np.pi * np.cumsum(45 + 80 * np.exp(-tt / 0.04)) / RATE) * np.exp(-tt / 0.12)
    snare = 0.4 * rng.standard_normal(len(tt)) * np.exp(-tt / 0.06)
    hat = 0.1 * np.diff(rng.standard_normal(len(tt) + 1)) * np.exp(-tt / 0.02)
    bass = 0.2 * np.sin(2 * np.pi * 55 * tt) * np.exp(-tt / 0.2)
    for k in range(int(seconds / beat) + 1):
        t = offset + k * beat
        add(t, (kick if k % 2 == 0 else snare) + bass)
        add(t, hat)
        add(t + beat / 2, 0.6 * hat)
    out += 0.003 * rng.standard_normal(len(out))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((np.clip(out / np.abs(out).max() * 0.5, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def silent_video(path: Path) -> Path:
    with av.open(str(path), "w") as c:
        v = c.add_stream("libx264", rate=30)
        v.width, v.height, v.pix_fmt = 64, 64, "yuv420p"
        for i in range(15):
            frame = av.VideoFrame.from_ndarray(np.zeros((64, 64, 3), np.uint8), format="rgb24")
            frame.pts = i
            frame.time_base = Fraction(1, 30)
            c.mux(v.encode(frame))
        c.mux(v.encode(None))
    return path


def drop(widget, *paths: Path) -> bool:
    """Drag files over `widget` and drop them, as a file manager would; True when the drag was accepted."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)
    return True


def test_dropped_music_is_imported_listed_selected_with_its_bpm(window, tmp_path, qtbot):
    panel = window.library.sounds
    window.library.setCurrentWidget(panel)
    panel.search.setText("chill")  # a filter that would hide the new sound
    song = drum_loop(tmp_path / "Garage Jam.wav", 124.0)
    assert drop(panel, song)
    assert panel.tasks.running  # off the UI thread
    qtbot.waitUntil(lambda: not panel.tasks.running, timeout=30000)

    item = panel.list.currentItem()
    assert item is not None and item.data(Qt.ItemDataRole.UserRole) == "my_garage_jam"
    assert panel.search.text() == ""
    assert "Garage Jam" in item.text()
    bpm = float(item.text().split(" BPM")[0].split("·")[-1])
    assert abs(bpm - 124) <= 124 * 0.02, item.text()
    assert "Added" in panel.status_label.text() and "BPM" in window.statusBar().currentMessage()
    # the same sound everywhere in the window: the timeline gets it by id
    panel._add()
    added = [i for i in window.document.project.timeline.all_items() if isinstance(i, SoundItem)
             and i.source == "my_garage_jam"]
    assert len(added) == 1
    # dropped again: kept as a second sound, not an error
    assert drop(panel, song)
    qtbot.waitUntil(lambda: not panel.tasks.running, timeout=30000)
    assert panel.list.currentItem().data(Qt.ItemDataRole.UserRole) == "my_garage_jam_2"


def test_import_button_and_errors_as_a_status_line(window, tmp_path, qtbot, monkeypatch):
    from studio.ui import library_panels

    panel = window.library.sounds
    count = panel.list.count()
    video = silent_video(tmp_path / "no sound.mp4")
    monkeypatch.setattr(library_panels.QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: ([str(video)], "")))
    assert panel.import_button.text() == "Import sound…"
    panel.import_button.click()
    qtbot.waitUntil(lambda: not panel.tasks.running, timeout=30000)
    message = panel.status_label.text()
    assert message.startswith("no sound.mp4: is a video with no audio track") and "\n" not in message
    assert window.statusBar().currentMessage() == message
    assert panel.list.count() == count
    # text is no sound either; a folder dragged in is refused too
    notes = tmp_path / "notes.mp3"
    notes.write_text("la la la\n" * 50)
    assert drop(panel, notes)
    qtbot.waitUntil(lambda: not panel.tasks.running, timeout=30000)
    assert panel.status_label.text().startswith("notes.mp3: ")
    assert panel.list.count() == count
