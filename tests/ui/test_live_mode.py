"""Live mode in the window, with real parts: a file camera streaming to a real nginx-rtmp, the health
panel, H for a highlight, a scene switched on air, End → the recording opens in Edit mode with its
marker; the stream key nowhere on disk; a bad address as one line; scene edits through undo/redo
and a save/reopen."""
from __future__ import annotations

import secrets
from pathlib import Path

import av
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from stream_media import tone, write_av_clip
from studio.model import load_project
from studio.model.live_scene import SecondSource


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    """Remembered stream keys go to a private config folder, never the real user's."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def colour_camera(tmp_path):
    """3 s of a 360x640 portrait picture (blue top, orange bottom, a moving white bar) with a tone."""
    def picture(k):
        img = np.zeros((640, 360, 3), np.uint8)
        img[:320] = (30, 60, 200)
        img[320:] = (230, 120, 30)
        img[300:340, (k * 4) % 320:(k * 4) % 320 + 40] = 255
        return img

    return write_av_clip(tmp_path / "camera.mp4", picture, 90, tone(3, level=0.2))


def _live_panel(window, qtbot, camera: Path):
    window.settings.camera = "file"
    window.settings.file_camera = str(camera)
    window.set_mode("live")
    panel = window.live_panel
    assert window.pages.currentWidget() is panel and window.mode_buttons["live"].isChecked()
    qtbot.waitUntil(lambda: panel.programme.image is not None, timeout=10000)  # the stand-by picture
    return panel


def _type(widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    QTest.keyClicks(widget, text)
    widget.editingFinished.emit()


def _files_holding(root: Path, text: str, skip: Path | None = None) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and (skip is None or skip not in path.parents):
            if text.encode() in path.read_bytes():
                found.append(path)
    return found


def test_go_live_mark_switch_and_end_opens_the_recording(window, qtbot, colour_camera, rtmp_server, tmp_path, prompts):
    panel = _live_panel(window, qtbot, colour_camera)
    panel.scenes.add()  # "Scene 2", with a text over it
    panel.editor.add_overlay("text")
    panel.pick_scene("scene-1")
    key = secrets.token_urlsafe(18)
    _type(panel.output.url, rtmp_server.url)
    _type(panel.output.key, key)
    assert panel.output.key.echoMode() == panel.output.key.EchoMode.Password

    panel.go_button.click()
    qtbot.waitUntil(lambda: panel.state == "live", timeout=15000)
    assert panel.go_button.text().endswith("End LIVE") and panel.go_button.isEnabled()
    assert not panel.output.key.isEnabled()  # what the stream started with stays
    qtbot.waitUntil(lambda: panel.health_labels["state"].text() == "Live"
                    and float(panel.health_labels["fps"].text()) > 0, timeout=8000)
    assert panel.health_labels["kbps"].text().endswith("kbit/s")
    assert "LIVE" in panel.programme.badge

    panel.programme.setFocus()
    QTest.keyClick(panel.programme, Qt.Key.Key_H)  # the hotkey, as a creator presses it
    assert len(panel.session.highlights) == 1
    assert panel.highlight_count.text() == "★ 1 highlight"

    item = panel.scenes.list.item(1)
    panel.scenes.list.itemClicked.emit(item)  # the second scene goes on air
    assert panel.session.scene.id == "scene-2"
    assert "ON AIR" in panel.scenes.list.item(1).text()
    qtbot.wait(1200)  # a second of the text scene on air
    qtbot.waitUntil(lambda: panel.health_labels["highlights"].text() == "1", timeout=3000)

    panel.go_button.click()  # End
    qtbot.waitUntil(lambda: window.mode == "edit", timeout=30000)
    assert "unsaved" in prompts.asked  # the live edits: asked before the recording replaced them
    assert window.document.path.suffix == ".studio" and window.document.path.parent.name == "Live"
    project = window.document.project
    assert len(project.markers) == 1 and project.markers[0].name == "Highlight 1"
    assert project.live is not None and len(project.live.scenes) == 2  # the setup travels with it
    assert Path(panel.last_project).resolve() == window.document.path

    served = rtmp_server.recording(key)
    with av.open(str(served)) as c:
        assert (c.streams.video[0].codec_context.width, c.streams.video[0].codec_context.height) == (720, 1280)
    # the key typed into the window is in no file of the test's folders (the ingest's own recording,
    # named after the key by nginx, is the server's side)
    assert _files_holding(tmp_path, key, skip=rtmp_server.root) == []
    assert key not in window.document.path.read_text()
    assert not (tmp_path / "config" / "studio" / "stream_keys.json").exists()  # "Remember key" was off


def test_a_bad_address_or_no_camera_is_one_line(window, qtbot, colour_camera, tmp_path):
    from rtmp_server import free_port

    panel = _live_panel(window, qtbot, colour_camera)
    key = secrets.token_urlsafe(18)
    _type(panel.output.url, f"rtmp://127.0.0.1:{free_port()}/live")  # nobody listens there
    _type(panel.output.key, key)
    panel.go_button.click()
    qtbot.waitUntil(lambda: panel.state == "idle" and bool(panel.message.text()), timeout=15000)
    line = panel.message.text()
    assert panel.message.property("error") and "\n" not in line and "Traceback" not in line and key not in line
    assert "127.0.0.1" in line
    qtbot.waitUntil(lambda: panel.preview is not None, timeout=5000)  # the stand-by picture is back
    assert panel.go_button.isEnabled() and panel.go_button.text().endswith("Go LIVE")

    panel.output.key.clear()
    panel.go_button.click()
    assert panel.message.text() == "the stream key is empty" and panel.state == "idle"

    window.set_mode("edit")
    window.settings.camera = "7"  # no such webcam (these machines have none)
    window.set_mode("live")
    assert panel.view_stack.currentWidget() is panel.no_camera
    assert "No camera" in panel.no_camera_text.text()
    _type(panel.output.key, key)
    panel.go_button.click()
    assert panel.state == "idle" and "\n" not in panel.message.text() and "camera" in panel.message.text()


def test_scene_edits_undo_redo_and_survive_save_and_reopen(window, qtbot, tmp_path, clip_file):
    window.settings.camera = "7"  # the editor needs no picture
    window.set_mode("live")
    panel, doc = window.live_panel, window.document
    stack = doc.undo_stack
    start = stack.count()
    panel.scenes.add()
    panel.scenes.rename("Q&A")
    editor = panel.editor
    editor.add_overlay("text")
    editor.overlay_text.setFocus()
    editor.overlay_text.selectAll()
    QTest.keyClicks(editor.overlay_text, "Ask me anything")  # typing is one undo step
    editor.overlay_x.setValue(30)
    editor.add_overlay("countdown")
    editor.looks_list.setCurrentRow(2)
    second = clip_file(tmp_path / "second.mp4", seconds=1.0)
    editor.set_second_source(SecondSource("file", str(second)))
    panel.output.size.setCurrentIndex(1)
    panel.output.size.activated.emit(1)
    _type(panel.output.key, "sk_live_do_not_store_123")
    live = doc.project.live
    scene = live.scene("scene-2")
    assert scene.name == "Q&A" and scene.layout == "pip" and scene.look is not None
    assert scene.overlays[0].text == "Ask me anything" and scene.overlays[0].x == 0.3
    assert [o.kind for o in scene.overlays] == ["text", "countdown"]
    assert (live.width, live.height) == (1080, 1920)
    assert stack.count() - start == 9  # add, rename, text, its words, move, countdown, look, source, size
    assert panel.scenes.list.count() == 2 and panel.scenes.list.item(1).text() == "Q&A"

    for _ in range(6):
        stack.undo()
    assert doc.project.live.scene("scene-2").overlays[0].text == "Welcome to my LIVE!"
    assert editor.overlay_text.text() == "Welcome to my LIVE!"  # the editor follows the history
    stack.undo()
    stack.undo()
    assert doc.project.live.scene("scene-2").name == "Scene 2"
    assert panel.scenes.list.item(1).text() == "Scene 2"
    for _ in range(8):
        stack.redo()
    assert doc.project.live == live

    path = tmp_path / "with_live.studio"
    assert window.save_as(path)
    assert "sk_live_do_not_store_123" not in path.read_text()
    assert load_project(path).live == live
    window.new_project()
    assert window.document.project.live is None and panel.scenes.list.count() == 1
    assert window.open_path(path)
    assert window.document.project.live == live
    assert panel.scenes.list.count() == 2 and panel.output.size.currentData() == "1080x1920"


def test_remember_key_keeps_it_out_of_the_project(window, make_window, qtbot, tmp_path):
    from studio.live.secrets import load_key

    window.settings.camera = "7"
    window.set_mode("live")
    form = window.live_panel.output
    _type(form.url, "rtmp://live.example.com/app")
    _type(form.key, "sk_remember_me_0123456789")
    form.remember.setChecked(True)
    assert form.stream_key().reveal() == "sk_remember_me_0123456789"  # what Go LIVE asks for
    assert load_key("rtmp://live.example.com/app").reveal() == "sk_remember_me_0123456789"
    path = tmp_path / "p.studio"
    assert window.save_as(path)
    assert "sk_remember_me" not in path.read_text()
    assert not any("sk_remember_me" in p.read_text(errors="ignore") for p in tmp_path.glob("*.ini"))
    # the next session, the same server: the key is filled in from the keyring/key file
    again = make_window(path)
    again.set_mode("live")
    form = again.live_panel.output
    assert form.key.text() == "sk_remember_me_0123456789" and form.remember.isChecked()
    assert form.key.echoMode() == form.key.EchoMode.Password
