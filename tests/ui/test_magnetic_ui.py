"""The magnetic main track in the window: a clip dragged along it with the mouse reorders the
clips (a ghost follows the pointer, the others make room, linked titles move along) in one undo
step; deleting closes the gap; with magnetism off the clips are placed freely again."""
from PySide6.QtCore import QPointF, Qt


def _three_clips(window):
    doc = window.document
    for frame in (40, 80):
        doc.select([c.id for c in doc.project.timeline.tracks[0].items if c.start < frame < c.end])
        doc.set_playhead(frame)
        window.acts["split"].trigger()
    clips = sorted(doc.project.timeline.tracks[0].items, key=lambda c: c.start)
    assert [(c.start, c.end) for c in clips][:2] == [(0, 40), (40, 80)]
    return doc, clips


def _centre(canvas, item, track):
    top, h = canvas.layout_.rows(canvas.kinds)[track]
    return QPointF(canvas.x_of((item.start + item.end) / 2), top + h / 2)


def test_drag_reorders_the_main_track_with_a_ghost_in_one_undo_step(window, qtbot):
    doc, clips = _three_clips(window)
    canvas = window.timeline.canvas
    canvas.set_zoom(2.0)
    canvas.set_scroll(0)
    first, second, third = clips[:3]
    before = doc.project
    steps = doc.undo_stack.count()
    start = _centre(canvas, first, 0)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start.toPoint())
    ghosts = []
    target_x = canvas.x_of((third.start + third.end) / 2 + 5)
    for i in range(1, 6):
        x = start.x() + (target_x - start.x()) * i / 5
        qtbot.mouseMove(canvas, QPointF(x, start.y()).toPoint())
        ghosts.append(canvas._ghost)
    assert all(g is not None and g[2] == 0 for g in ghosts)      # a ghost on the main track
    assert ghosts[-1][0] > ghosts[0][0]                            # ... following the pointer
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPointF(target_x, start.y()).toPoint())
    assert canvas._ghost is None
    order = sorted(doc.project.timeline.tracks[0].items, key=lambda c: c.start)
    assert [c.id for c in order][:3] == [second.id, third.id, first.id]
    assert all(a.end == b.start for a, b in zip(order, order[1:]))          # butted: no gap, no overlap
    assert order[0].start == 0
    # text-1 started on the first clip (frame 0): it moved with it
    assert doc.project.timeline.get("text-1").start == doc.project.timeline.get(first.id).start
    assert doc.undo_stack.count() == steps + 1
    assert doc.undo_stack.undoText().startswith("Move “")
    doc.undo_stack.undo()
    assert doc.project == before


def test_delete_closes_the_gap_and_magnetism_can_be_turned_off(window, qtbot):
    doc, clips = _three_clips(window)
    first, second = clips[:2]
    doc.select([first.id])
    window.acts["delete"].trigger()
    order = sorted(doc.project.timeline.tracks[0].items, key=lambda c: c.start)
    assert order[0].id == second.id and order[0].start == 0
    assert all(a.end == b.start for a, b in zip(order, order[1:]))
    doc.undo_stack.undo()
    window.timeline.magnet_box.setChecked(False)
    assert doc.magnetic is False
    doc.select([first.id])
    window.acts["delete"].trigger()
    assert doc.project.timeline.get(second.id).start == 40        # free placement: the gap stays
