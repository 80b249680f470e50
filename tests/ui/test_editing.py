"""Editing through the window: add text and a sticker via the UI actions, move/trim/split on the
timeline, undo/redo each, drags on the preview as one undo step, save and reload."""
from PySide6.QtCore import QPointF, Qt

from studio.model import StickerItem, TextItem, load_project


def _frames(window):
    return window.document.project.timeline


def test_add_text_and_sticker_then_undo_redo(window, qtbot):
    doc = window.document
    before = doc.project
    doc.set_playhead(30)
    window.acts["add_text"].trigger()  # the "T" shortcut's action
    text = doc.selected_items()[0]
    assert isinstance(text, TextItem) and text.start == 30 and text.content == "Your text"
    window.library.stickers.list.setCurrentRow(0)
    sticker_id = window.library.stickers.list.item(0).data(Qt.ItemDataRole.UserRole)
    window.library.stickers.list.itemDoubleClicked.emit(window.library.stickers.list.item(0))
    sticker = doc.selected_items()[0]
    assert isinstance(sticker, StickerItem) and sticker.sticker == sticker_id and sticker.start == 30
    # the inspector edits the selected sticker: one undoable property change
    window.inspector.editors["scale"][0].setValue(50)  # shown in % of the canvas width
    assert doc.project.timeline.get(sticker.id).scale == 0.5
    assert doc.undo_stack.count() == 3
    doc.undo_stack.undo()
    assert doc.project.timeline.get(sticker.id).scale == sticker.scale
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.project == before
    doc.undo_stack.redo()
    doc.undo_stack.redo()
    assert doc.project.timeline.get(text.id).content == "Your text"
    assert doc.project.timeline.get(sticker.id).sticker == sticker_id


def _drag(canvas, doc, item_id, part, press_frame, frames):
    """Press on an item part and move through `frames` (what mouse moves do, without pixel maths)."""
    item = doc.project.timeline.get(item_id)
    canvas._drag = {"mode": part, "item": item, "track": doc.project.timeline.find(item_id)[0],
                    "press_frame": press_frame, "base": doc.project, "key": doc.new_drag_key("test"),
                    "ids": list(doc.selection) if part == "body" else [item_id]}
    for f in frames:
        canvas.drag_to(f)
    canvas._drag = None


def test_timeline_move_trim_split_with_undo(window, qtbot):
    doc = window.document
    canvas = window.timeline.canvas
    canvas.snapping = False
    errors = []
    doc.error.connect(errors.append)
    # a move into a neighbour is refused and changes nothing
    doc.select(["text-2"])
    _drag(canvas, doc, "text-2", "body", 150, [140, 130])
    assert doc.project.timeline.get("text-2").start == 90 and "overlaps" in errors[-1]
    count = doc.undo_stack.count()
    # move: many mouse moves, one undo step
    sticker = doc.project.timeline.get("sticker-1")
    doc.select(["sticker-1"])
    _drag(canvas, doc, "sticker-1", "body", 100, [103, 106, 110])
    assert doc.project.timeline.get("sticker-1").start == sticker.start + 10
    assert doc.undo_stack.count() == count + 1
    # trim the left edge
    _drag(canvas, doc, "sticker-1", "left", sticker.start + 10, [sticker.start + 20, sticker.start + 30])
    trimmed = doc.project.timeline.get("sticker-1")
    assert (trimmed.start, trimmed.end) == (sticker.start + 30, sticker.end + 10)
    assert doc.undo_stack.count() == count + 2
    # split the clip at the playhead with the S action
    doc.select(["clip-1"])
    doc.set_playhead(100)
    window.acts["split"].trigger()
    video = doc.project.timeline.tracks[0].items
    first, second = [c for c in video if c.start < 100 <= c.end or c.start == 100][:2]
    assert (first.end, second.start, second.source_in) == (100, 100, first.source_in + 100)
    doc.undo_stack.undo()
    assert doc.project.timeline.get("clip-1").end > 100
    doc.undo_stack.undo()
    assert doc.project.timeline.get("sticker-1").start == sticker.start + 10
    doc.undo_stack.undo()
    assert doc.project.timeline.get("sticker-1") == sticker
    for _ in range(3):
        doc.undo_stack.redo()
    assert doc.project.timeline.get("sticker-1").start == sticker.start + 30
    assert len(doc.project.timeline.tracks[0].items) == 2


def test_drag_on_timeline_with_mouse_and_snapping(window, qtbot):
    doc = window.document
    canvas = window.timeline.canvas
    canvas.set_zoom(2.0)
    canvas.set_scroll(0)
    doc.set_playhead(120)
    sticker = doc.project.timeline.get("sticker-1")
    ti = doc.project.timeline.find("sticker-1")[0]
    top, h = canvas.layout_.rows(canvas.kinds)[ti]
    y = top + h / 2
    # grab the right edge and drag it near the playhead: it snaps onto frame 120
    x_edge = canvas.x_of(sticker.end) - 2
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPointF(x_edge, y).toPoint())
    qtbot.mouseMove(canvas, QPointF(canvas.x_of(122), y).toPoint())
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPointF(canvas.x_of(122), y).toPoint())
    assert doc.project.timeline.get("sticker-1").end == 120
    doc.undo_stack.undo()
    assert doc.project.timeline.get("sticker-1").end == sticker.end


def test_delete_ripple_and_multiselect(window):
    doc = window.document
    doc.select(["text-1", "sticker-1"])
    window.acts["delete"].trigger()
    ids = {i.id for i in doc.project.timeline.all_items()}
    assert "text-1" not in ids and "sticker-1" not in ids
    doc.undo_stack.undo()
    doc.select(["clip-1"])
    doc.set_playhead(60)
    window.acts["split"].trigger()
    video = doc.project.timeline.tracks[0].items
    first = video[0]
    assert first.end == 60
    doc.select([first.id])
    window.acts["ripple"].trigger()
    after = doc.project.timeline.tracks[0].items
    assert [(c.start, c.end) for c in after] == [(c.start - 60, c.end - 60) for c in video[1:]]


def test_preview_drag_moves_text_in_one_undo_step(window, qtbot):
    doc = window.document
    doc.set_playhead(45)
    doc.select(["text-1"])
    qtbot.wait(100)  # the inspector fills in and the splitter settles the preview's size
    canvas = window.preview.canvas
    original = doc.project.timeline.get("text-1")
    box = canvas.item_box(original)
    assert box is not None
    count = doc.undo_stack.count()
    start = QPointF(box.cx, box.cy).toPoint()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    for dx in (5, 10, 20, 30):
        qtbot.mouseMove(canvas, QPointF(box.cx + dx, box.cy + dx).toPoint())
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPointF(box.cx + 30, box.cy + 30).toPoint())
    moved = doc.project.timeline.get("text-1")
    rect = canvas.canvas_rect()
    assert abs(moved.x - (original.x + 30 / rect.width())) < 0.01
    assert abs(moved.y - (original.y + 30 / rect.height())) < 0.01
    assert doc.undo_stack.count() == count + 1
    # rotate with the handle above the box
    from studio.ui import overlay_geometry as og

    box = canvas.item_box(moved)
    hx, hy = og.handle_points(box)["rotate"]
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPointF(hx, hy).toPoint())
    qtbot.mouseMove(canvas, QPointF(box.cx + 60, box.cy).toPoint())
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPointF(box.cx + 60, box.cy).toPoint())
    assert abs(doc.project.timeline.get("text-1").rotation - 90) < 3
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.project.timeline.get("text-1") == original


def test_effect_params_are_generated_and_undoable(window):
    doc = window.document
    doc.select(["clip-1"])
    original = doc.project.timeline.get("clip-1").effects
    inspector = window.inspector
    assert inspector.add_effect("clip-1", "vignette")
    editors = inspector.effect_editors[-1]
    assert set(editors) == {"strength"}
    editors["strength"].widget.setValue(0.9)
    assert doc.project.timeline.get("clip-1").effects[-1].params["strength"] == 0.9
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.project.timeline.get("clip-1").effects == original


def test_save_reload_roundtrip(window, tmp_path):
    doc = window.document
    window.actions_.add_text("neon", "Saved text")
    window.actions_.add_library_sound("lofi-study")
    out = tmp_path / "saved.studio"
    assert window.save_as(out)
    assert not doc.dirty
    assert load_project(out) == doc.project
    # a second save keeps a backup of the first
    window.actions_.add_sticker("fire")
    assert window.save()
    from studio.ui.project_files import backups_of

    assert len(backups_of(out)) == 1
    assert load_project(backups_of(out)[0]) != load_project(out)
    assert window.open_path(out, check_missing=False)
    assert window.document.project == load_project(out)


def test_preview_renders_frames_in_a_worker(window, qtbot):
    preview = window.preview
    window.document.set_playhead(10)
    qtbot.waitUntil(lambda: preview.canvas.image is not None, timeout=10000)
    image = preview.canvas.image
    assert (image.width(), image.height()) == preview.render_size
    window.document.set_playhead(11)
    window.document.set_playhead(10)
    assert len(preview.renderer.cache) >= 1
    preview.play()
    qtbot.wait(300)
    assert window.document.playhead > 10
    preview.pause()


def test_track_header_toggles_hide_and_mute(window, qtbot):
    doc = window.document
    canvas = window.timeline.canvas
    ti = doc.project.timeline.find("sticker-1")[0]
    top, h = canvas.layout_.rows(canvas.kinds)[ti]
    _, rect = canvas.header_buttons(top, h, "overlay")["hidden"]
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert doc.project.timeline.tracks[ti].hidden
    doc.undo_stack.undo()
    assert not doc.project.timeline.tracks[ti].hidden


def test_keyboard_shortcuts_drive_the_player(window, qtbot):
    doc = window.document
    window.timeline.canvas.setFocus()
    doc.set_playhead(20)
    qtbot.keyClick(window.timeline.canvas, Qt.Key.Key_Right)
    assert doc.playhead == 21
    qtbot.keyClick(window.timeline.canvas, Qt.Key.Key_Left)
    qtbot.keyClick(window.timeline.canvas, Qt.Key.Key_Left)
    assert doc.playhead == 19
    qtbot.keyClick(window.timeline.canvas, Qt.Key.Key_Space)
    assert window.preview.playing
    qtbot.keyClick(window.timeline.canvas, Qt.Key.Key_Space)
    assert not window.preview.playing
    doc.select(["clip-1"])
    qtbot.keyClick(window.timeline.canvas, Qt.Key.Key_S)
    assert len(doc.project.timeline.tracks[0].items) == 2
    qtbot.keyClick(window.timeline.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(doc.project.timeline.tracks[0].items) == 1
    qtbot.keyClick(window.timeline.canvas, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(doc.project.timeline.tracks[0].items) == 2


def test_settings_dialog_saves_choices(window, settings, tmp_path):
    from studio.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(settings, window)
    dialog.preset.setCurrentIndex(dialog.preset.findData("shorts"))
    dialog.quality.setCurrentIndex(dialog.quality.findData("low"))
    dialog.output.setText(str(tmp_path / "exports"))
    dialog.accept()
    dialog.deleteLater()
    assert (settings.default_preset, settings.preview_quality) == ("shorts", "low")
    assert settings.output_dir == tmp_path / "exports"
    window.preview.set_quality(settings.preview_quality)
    assert window.preview.render_size == (270, 480)


def test_ctrl_z_in_the_speed_field_undoes_the_speed_change(window, qtbot):
    from PySide6.QtCore import Qt

    from studio.model import Clip

    clip = next(i for i in window.document.project.timeline.all_items() if isinstance(i, Clip))
    window.document.select([clip.id])
    qtbot.waitUntil(lambda: "speed" in window.inspector.editors, timeout=5000)
    speed = window.inspector.editors["speed"][0]
    index = next(i for i in range(speed.count()) if speed.itemData(i) == "2")
    speed.setCurrentIndex(index)
    speed.activated.emit(index)  # what choosing "2×" does
    changed = next(i for i in window.document.project.timeline.all_items() if i.id == clip.id)
    assert changed.speed == 2
    window.activateWindow()
    speed.setFocus()
    qtbot.waitUntil(speed.hasFocus, timeout=3000)
    qtbot.keyClick(speed, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    undone = next(i for i in window.document.project.timeline.all_items() if i.id == clip.id)
    assert undone.speed == 1
    qtbot.keyClick(speed, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert next(i for i in window.document.project.timeline.all_items() if i.id == clip.id).speed == 2


def test_an_effect_can_be_switched_on_by_a_gesture_in_the_inspector(window, qtbot):
    from PySide6.QtWidgets import QComboBox

    from studio.model import Clip

    clip = next(i for i in window.document.project.timeline.all_items() if isinstance(i, Clip))
    window.document.select([clip.id])
    qtbot.waitUntil(lambda: bool(window.inspector.effect_editors), timeout=5000)
    combos = [c for c in window.inspector.findChildren(QComboBox) if c.itemText(0) == "Always"]
    assert combos and combos[-1].count() == 5
    combos[-1].setCurrentIndex(combos[-1].findData("peace"))
    changed = window.document.project.timeline.get(clip.id)
    assert changed.effects[0].trigger == "peace"
    window.document.undo_stack.undo()
    assert window.document.project.timeline.get(clip.id).effects[0].trigger is None
