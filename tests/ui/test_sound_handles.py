"""A sound's volume is a line on its timeline item and its fades are handles at the line's ends:
dragging them with the mouse changes volume_db and the fades, each drag one undo step."""
import pytest
from PySide6.QtCore import QPointF, Qt

from studio.ui import timeline_geometry as tg


def _sound(window):
    doc = window.document
    canvas = window.timeline.canvas
    canvas.set_zoom(2.0)
    canvas.set_scroll(0)
    doc.select(["sound-1"])
    [(item, rect)] = [(i, r) for i, _, r in canvas.item_rects() if i.id == "sound-1"]
    return doc, canvas, item, rect


def test_volume_line_drag_sets_db_in_one_undo_step(window, qtbot):
    doc, canvas, item, rect = _sound(window)
    line = tg.volume_y(item.volume_db, rect.top(), rect.height())
    x = rect.left() + rect.width() / 2
    steps = doc.undo_stack.count()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPointF(x, line).toPoint())
    target = tg.volume_y(0.0, rect.top(), rect.height())
    for y in (line - 2, (line + target) / 2, target):
        qtbot.mouseMove(canvas, QPointF(x, y).toPoint())
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPointF(x, target).toPoint())
    got = doc.project.timeline.get("sound-1").volume_db
    assert got == pytest.approx(0.0, abs=1.5) and got > item.volume_db + 4    # louder, near 0 dB
    assert doc.undo_stack.count() == steps + 1 and doc.undo_stack.undoText().startswith("Volume of ")
    doc.undo_stack.undo()
    assert doc.project.timeline.get("sound-1").volume_db == item.volume_db


def test_fade_handles_drag_the_fades(window, qtbot):
    doc, canvas, item, rect = _sound(window)
    ppf = canvas.layout_.px_per_frame
    line = tg.volume_y(item.volume_db, rect.top(), rect.height())
    fin, fout = tg.fade_points(rect.left(), rect.right(), item.fade_in, item.fade_out, ppf)
    assert tg.audio_part(fin, line, rect.left(), rect.right(), rect.top(), rect.height(), item.volume_db,
                         item.fade_in, item.fade_out, ppf) == "fade_in"
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPointF(fin, line).toPoint())
    to = canvas.x_of(item.start + 45)
    qtbot.mouseMove(canvas, QPointF(to, line).toPoint())
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPointF(to, line).toPoint())
    assert doc.project.timeline.get("sound-1").fade_in == pytest.approx(45, abs=1)
    assert "Fade in of" in doc.undo_stack.undoText()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPointF(fout, line).toPoint())
    to = canvas.x_of(item.end - 60)
    qtbot.mouseMove(canvas, QPointF(to, line).toPoint())
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPointF(to, line).toPoint())
    assert doc.project.timeline.get("sound-1").fade_out == pytest.approx(60, abs=1)
    # a plain click on the line changes nothing
    steps = doc.undo_stack.count()
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPointF(rect.center().x(), line).toPoint())
    assert doc.undo_stack.count() == steps


def test_volume_geometry_round_trips():
    for db in (-40.0, -12.5, 0.0, 6.0, 12.0):
        assert tg.db_at_y(tg.volume_y(db, 100, 46), 100, 46) == pytest.approx(db, abs=0.5)
    assert tg.db_at_y(100 + 46, 100, 46) == -120.0
