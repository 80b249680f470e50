"""Keyboard editing: copy/cut/paste/duplicate with everything an item carries, J/K/L shuttle,
Shift+arrows by a second, and I/O marks that the export dialog exports as the part between them."""
import av
import numpy as np
from PySide6.QtGui import QKeySequence

from studio.model import TextItem


def test_copy_paste_cut_duplicate_are_single_undo_steps(window):
    doc = window.document
    assert window.acts["copy"].shortcut() == QKeySequence(QKeySequence.StandardKey.Copy)
    assert window.acts["duplicate"].shortcut() == QKeySequence("Ctrl+D")
    text = doc.project.timeline.get("text-1")
    doc.select(["text-1"])
    window.acts["copy"].trigger()
    assert window.statusBar().currentMessage().startswith("Copied text “")
    doc.set_playhead(200)
    steps = doc.undo_stack.count()
    window.acts["paste"].trigger()
    [pasted] = doc.selected_items()
    assert isinstance(pasted, TextItem) and pasted.id != "text-1" and pasted.start == 200
    assert (pasted.content, pasted.style, pasted.keys, pasted.duration) == (text.content, text.style, text.keys,
                                                                           text.duration)
    assert doc.undo_stack.count() == steps + 1 and doc.undo_stack.undoText() == "Paste 1 item"
    doc.undo_stack.undo()
    assert pasted.id not in {i.id for i in doc.project.timeline.all_items()}
    # cut takes it away; paste brings it back at the playhead
    doc.select(["text-1"])
    window.acts["cut"].trigger()
    assert "text-1" not in {i.id for i in doc.project.timeline.all_items()}
    doc.set_playhead(10)
    window.acts["paste"].trigger()
    assert doc.selected_items()[0].content == text.content and doc.selected_items()[0].start == 10
    # duplicate a main-track clip: the copy goes right after it, the rest of the track makes room
    clips = sorted(doc.project.timeline.tracks[0].items, key=lambda c: c.start)
    doc.select([clips[0].id])
    window.acts["duplicate"].trigger()
    after = sorted(doc.project.timeline.tracks[0].items, key=lambda c: c.start)
    assert len(after) == len(clips) + 1 and after[1].source == clips[0].source
    assert after[1].start == clips[0].end and after[1].effects == clips[0].effects
    assert doc.undo_stack.undoText().startswith("Duplicate “")


def test_shuttle_and_seconds_steps(window, qtbot):
    doc = window.document
    preview = window.preview
    doc.set_playhead(0)
    window.acts["forward_second"].trigger()
    assert doc.playhead == 30
    window.acts["back_second"].trigger()
    assert doc.playhead == 0
    window.acts["shuttle_forward"].trigger()
    window.acts["shuttle_forward"].trigger()
    assert preview.playing and preview.rate == 2
    qtbot.waitUntil(lambda: doc.playhead >= 20, timeout=5000)
    window.acts["shuttle_stop"].trigger()
    assert not preview.playing
    stopped = doc.playhead
    window.acts["shuttle_back"].trigger()
    assert preview.playing and preview.rate == -1
    qtbot.waitUntil(lambda: doc.playhead < stopped, timeout=5000)
    window.acts["shuttle_stop"].trigger()


def test_in_out_marks_export_only_that_part(make_window, tmp_path, qtbot, tiny_project):
    window = make_window(tiny_project(tmp_path / "tiny", seconds=3.0))
    doc = window.document
    doc.set_playhead(30)
    window.acts["mark_in"].trigger()
    doc.set_playhead(59)
    window.acts["mark_out"].trigger()
    assert doc.in_out == (30, 60)
    assert "In 0:01 · out 0:02" in window.statusBar().currentMessage()
    dialog = window.open_export()
    assert dialog.range_box.isVisible() and dialog.range_box.isChecked()
    out = tmp_path / "out" / "part.mp4"
    dialog.output.setText(str(out))
    dialog.quality.setCurrentIndex(dialog.quality.findData("draft"))
    dialog.start_export()
    qtbot.waitUntil(lambda: not dialog.running and (dialog.result is not None or bool(dialog.error)), timeout=90000)
    assert dialog.error == ""
    with av.open(str(out)) as c:
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    assert len(frames) == 30
    # the tiny clip's red channel is 8 x its frame number (mod 256): the part starts at source frame 30
    reds = [float(np.median(f[1300:1500, 100:900, 0])) for f in frames[:3]]
    assert abs(reds[0] - 240) < 12 and abs(reds[1] - 248) < 12 and reds[2] < 20
    dialog.close()
    window.acts["clear_in_out"].trigger()
    assert doc.in_out is None


def test_right_click_menus_on_timeline_and_preview_offer_the_edits(window):
    from PySide6.QtCore import QPointF

    doc = window.document
    canvas = window.timeline.canvas
    canvas.set_zoom(2.0)
    canvas.set_scroll(0)
    sticker = doc.project.timeline.get("sticker-1")
    ti = doc.project.timeline.find("sticker-1")[0]
    top, h = canvas.layout_.rows(canvas.kinds)[ti]
    doc.select([])
    menu = canvas.context_menu(QPointF(canvas.x_of(sticker.start + 10), top + h / 2))
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts[:4] == ["Copy", "Cut", "Paste at playhead", "Duplicate"] and "Delete" in texts
    assert doc.selection == ("sticker-1",)                       # right-click selects what it is on
    steps = doc.undo_stack.count()
    next(a for a in menu.actions() if a.text() == "Duplicate").trigger()
    assert doc.undo_stack.count() == steps + 1 and doc.selected_items()[0].sticker == sticker.sticker
    empty = canvas.context_menu(QPointF(canvas.x_of(5), canvas.height() - 3))
    assert [a.text() for a in empty.actions() if not a.isSeparator()][:2] == ["Paste at playhead", "Select all"]
    # the preview: right-click on the title selects it and offers the same edits
    preview = window.preview.canvas
    doc.set_playhead(10)
    title = doc.project.timeline.get("text-1")
    box = preview.item_box(title)
    assert box is not None
    menu = preview.context_menu(QPointF(box.cx, box.cy))
    assert doc.selection == ("text-1",) and "Copy" in [a.text() for a in menu.actions()]


def test_markers_toggle_jump_show_on_the_ruler_and_survive_saving(window, tmp_path):
    from PySide6.QtCore import QPointF

    from studio.model import load_project

    doc = window.document
    for frame in (30, 90):
        doc.set_playhead(frame)
        window.acts["marker"].trigger()
    assert [(m.frame, m.name) for m in doc.project.markers] == [(30, "Marker 1"), (90, "Marker 2")]
    assert doc.undo_stack.undoText() == "Add marker “Marker 2” at 0:03"
    canvas = window.timeline.canvas
    canvas.set_zoom(2.0)
    canvas.set_scroll(0)
    assert canvas.tooltip_at(QPointF(canvas.x_of(90) + 2, 5)).startswith("Marker 2 at 0:03")
    doc.set_playhead(0)
    window.acts["next_marker"].trigger()
    assert doc.playhead == 30
    window.acts["next_marker"].trigger()
    assert doc.playhead == 90
    window.acts["prev_marker"].trigger()
    assert doc.playhead == 30
    window.acts["marker"].trigger()                         # M on a marker removes it
    assert [m.frame for m in doc.project.markers] == [90]
    doc.undo_stack.undo()
    assert [m.frame for m in doc.project.markers] == [30, 90]
    assert window.save_as(tmp_path / "marked.studio")
    assert [(m.frame, m.name) for m in load_project(tmp_path / "marked.studio").markers] == [
        (30, "Marker 1"), (90, "Marker 2")]


def test_zoom_keys_zoom_around_the_playhead(window):
    canvas = window.timeline.canvas
    window.acts["zoom_fit"].trigger()
    fitted = canvas.layout_.px_per_frame
    window.document.set_playhead(120)
    x = canvas.x_of(120)
    window.acts["zoom_in"].trigger()
    assert canvas.layout_.px_per_frame > fitted * 1.4
    assert abs(canvas.x_of(120) - x) < 2                       # the playhead stays where it was on screen
    window.acts["zoom_out"].trigger()
    assert abs(canvas.layout_.px_per_frame - fitted) < 1e-6
