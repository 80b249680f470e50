"""Keyframes, transitions, layers and speed curves in the window: the inspector's ◆ ◀ ▶ and ease
controls key any animatable value at the playhead (one undo step per click), keyed values follow
the playhead, the timeline draws keys as diamonds (a click moves the playhead) and transitions as
badges whose edges drag their length, video layers show the top layer above, and a speed curve
preset keys a clip's speed so the engine shows the source frames the curve reaches."""
from __future__ import annotations

from fractions import Fraction

import pytest
from PySide6.QtCore import QPointF, Qt

from numbered_media import read_number, write_numbered
from studio.model import Clip, Project, Timeline, Track, edits
from studio.model.keys import Key, keys_of, preset_keys, source_offset
from studio.model.layouts import add_video_layer
from studio.ui import key_edits as ke
from studio.ui import timeline_geometry as tg


def _select_clip(window, qtbot, clip_id="clip-1"):
    window.document.select([clip_id])
    qtbot.waitUntil(lambda: "x" in window.inspector.key_rows, timeout=5000)
    return window.inspector


def _x_keys(doc, clip_id="clip-1"):
    return [(k.frame, round(k.value, 4), k.ease) for k in keys_of(doc.project.timeline.get(clip_id).keys, "x")]


# ------------------------------------------------------------------------------------- inspector

def test_key_toggle_at_two_playheads_interpolates_and_undoes(window, qtbot):
    doc = window.document
    inspector = _select_clip(window, qtbot)
    row, spin = inspector.key_rows["x"], inspector.editors["x"][0]
    assert row.state == ke.NONE and not row.ease_row.isVisible()
    doc.set_playhead(30)
    spin.setValue(0.3)                       # no keys yet: the clip's own x
    assert doc.project.timeline.get("clip-1").x == 0.3 and not _x_keys(doc)
    qtbot.mouseClick(row.toggle, Qt.MouseButton.LeftButton)
    assert _x_keys(doc) == [(30, 0.3, "linear")] and row.state == ke.ON
    assert doc.undo_stack.undoText() == "Keyframe X of “demo_clip.mp4”"
    doc.set_playhead(90)
    assert row.state == ke.ELSEWHERE and row.toggle.text() == "◇"
    qtbot.mouseClick(row.toggle, Qt.MouseButton.LeftButton)  # a second key, with the value shown there
    assert _x_keys(doc) == [(30, 0.3, "linear"), (90, 0.3, "linear")]
    steps = doc.undo_stack.count()
    for value in (0.5, 0.7, 0.8):                             # spinning a keyed value keys it at the playhead
        spin.setValue(value)
    assert _x_keys(doc) == [(30, 0.3, "linear"), (90, 0.8, "linear")]
    assert doc.undo_stack.count() == steps + 1                # ... merged into one step
    assert doc.project.timeline.get("clip-1").x == 0.3        # the clip's own value is untouched
    doc.set_playhead(60)                                      # half way: the editor shows the interpolated value
    assert spin.value() == pytest.approx(0.55) and row.state == ke.ELSEWHERE
    doc.set_playhead(100)
    assert spin.value() == pytest.approx(0.8)                 # after the last key it holds
    doc.undo_stack.undo()                                     # the value edit
    assert _x_keys(doc) == [(30, 0.3, "linear"), (90, 0.3, "linear")]
    doc.undo_stack.undo()                                     # the second ◆ click
    assert _x_keys(doc) == [(30, 0.3, "linear")]
    doc.set_playhead(30)
    qtbot.mouseClick(row.toggle, Qt.MouseButton.LeftButton)   # ◆ on a key removes it
    assert _x_keys(doc) == [] and row.state == ke.NONE
    assert doc.undo_stack.undoText() == "Remove keyframe X of “demo_clip.mp4”"


def test_previous_next_key_buttons_and_the_ease_choice(window, qtbot):
    doc = window.document
    inspector = _select_clip(window, qtbot)
    doc.edit("keys", lambda tl: edits.set_property(tl, "clip-1", "keys", (Key("x", 30, 0.3), Key("x", 90, 0.8))))
    row, spin = inspector.key_rows["x"], inspector.editors["x"][0]
    doc.set_playhead(0)
    assert row.prev.isHidden() is False and not row.prev.isEnabled() and row.next.isEnabled()
    qtbot.mouseClick(row.next, Qt.MouseButton.LeftButton)
    assert doc.playhead == 30 and row.state == ke.ON and row.ease.isEnabled()
    qtbot.mouseClick(row.next, Qt.MouseButton.LeftButton)
    assert doc.playhead == 90 and not row.next.isEnabled()
    qtbot.mouseClick(row.prev, Qt.MouseButton.LeftButton)
    assert doc.playhead == 30
    row.ease.setCurrentIndex(row.ease.findData("ease_in"))   # the key at the playhead eases in
    assert _x_keys(doc) == [(30, 0.3, "ease_in"), (90, 0.8, "linear")]
    assert doc.undo_stack.undoText() == "Ease in from keyframe X of “demo_clip.mp4”"
    doc.set_playhead(60)                                      # half way along a cubic ease-in: 1/8 of the way
    assert spin.value() == pytest.approx(0.3 + 0.5 / 8, abs=0.006)
    assert not row.ease.isEnabled()                           # no key at the playhead to ease
    qtbot.keyClick(window.timeline.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _x_keys(doc) == [(30, 0.3, "linear"), (90, 0.8, "linear")]
    assert spin.value() == pytest.approx(0.55)


def test_an_effect_param_is_keyed_from_its_editor(window, qtbot):
    doc = window.document
    inspector = _select_clip(window, qtbot)
    assert inspector.add_effect("clip-1", "vignette")
    row = inspector.effect_key_rows["vignette.strength"]
    spin = inspector.effect_editors[-1]["strength"].widget
    doc.set_playhead(0)
    spin.setValue(0.2)                                        # unkeyed: the effect's own value
    assert doc.project.timeline.get("clip-1").effects[-1].params["strength"] == 0.2
    qtbot.mouseClick(row.toggle, Qt.MouseButton.LeftButton)
    doc.set_playhead(60)
    spin.setValue(1.0)                                        # keyed: a second key at the playhead
    clip = doc.project.timeline.get("clip-1")
    assert [(k.frame, k.value) for k in keys_of(clip.keys, "vignette.strength")] == [(0, 0.2), (60, 1.0)]
    assert clip.effects[-1].params["strength"] == 0.2
    doc.set_playhead(30)
    assert spin.value() == pytest.approx(0.6)
    assert row.state == ke.ELSEWHERE
    # removing the effect takes its keys along, in one step
    from PySide6.QtWidgets import QToolButton

    remove = [b for b in inspector.effects_box.findChildren(QToolButton) if b.text() == "✕"][-1]
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    clip = doc.project.timeline.get("clip-1")
    assert all(e.id != "vignette" for e in clip.effects) and not keys_of(clip.keys, "vignette.strength")
    assert doc.undo_stack.undoText() == "Remove effect “Vignette” from “demo_clip.mp4”"
    doc.undo_stack.undo()
    assert len(keys_of(doc.project.timeline.get("clip-1").keys, "vignette.strength")) == 2


# -------------------------------------------------------------------------------------- timeline

def test_timeline_draws_key_diamonds_and_a_click_moves_the_playhead(window, qtbot):
    doc = window.document
    canvas = window.timeline.canvas
    canvas.set_zoom(2.0)
    canvas.set_scroll(0)
    _select_clip(window, qtbot)
    doc.edit("keys", lambda tl: edits.set_property(tl, "clip-1", "keys", (
        Key("x", 30, 0.3), Key("x", 90, 0.8), Key("opacity", 150, 0.5))))
    ti = doc.project.timeline.find("clip-1")[0]
    top, h = canvas.layout_.rows(canvas.kinds)[ti]
    marks = [(item.id, frame, x, y) for (item, frame), x, y in canvas.key_marks()]
    y = tg.key_mark_y(top + 1, h - 2)
    assert marks == [("clip-1", f, canvas.x_of(f), y) for f in (30, 90, 150)]
    assert all(top <= my <= top + h for *_, my in marks)
    assert canvas.tooltip_at(QPointF(canvas.x_of(150), y)) == (
        "Keyframe of Opacity on “demo_clip.mp4” at 0:05: click to move the playhead there")
    doc.set_playhead(0)
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPointF(canvas.x_of(90) + 1, y).toPoint())
    assert doc.playhead == 90
    assert window.inspector.key_rows["x"].state == ke.ON
    # a click beside the diamond (still on the clip) does not jump there
    doc.set_playhead(0)
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPointF(canvas.x_of(110), y).toPoint())
    assert doc.playhead == 0


def _cut_with_transition(doc, frames=15):
    doc.edit("split", lambda tl: edits.split(tl, "clip-1", 120))
    doc.edit("dissolve", lambda tl: edits.set_property(edits.set_property(tl, "clip-2", "transition", "dissolve"),
                                                       "clip-2", "transition_frames", frames))


def test_dragging_a_transition_edge_changes_its_length_in_one_undo_step(window, qtbot):
    doc = window.document
    canvas = window.timeline.canvas
    canvas.set_zoom(4.0)
    canvas.set_scroll(canvas.layout_.x_of(60) - canvas.layout_.header)
    assert canvas.transition_badges() == []
    _cut_with_transition(doc)
    [(span, ti, rect)] = canvas.transition_badges()
    assert (span.incoming, span.outgoing, span.kind, span.first, span.end) == ("clip-2", "clip-1", "dissolve", 113, 128)
    assert rect.left() == pytest.approx(canvas.x_of(113)) and rect.right() == pytest.approx(canvas.x_of(128))
    top, h = canvas.layout_.rows(canvas.kinds)[ti]
    assert top < rect.top() and rect.bottom() < top + h
    steps = doc.undo_stack.count()
    ppf = canvas.layout_.px_per_frame
    y = rect.center().y()
    press = QPointF(rect.right() - 1, y)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=press.toPoint())
    for frames in (2, 4, 5):                                   # the right edge 5 frames further from the cut
        qtbot.mouseMove(canvas, QPointF(press.x() + frames * ppf, y).toPoint())
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPointF(press.x() + 5 * ppf, y).toPoint())
    assert doc.project.timeline.get("clip-2").transition_frames == 25  # centred on the cut: 2 x 5 longer
    assert doc.undo_stack.count() == steps + 1
    assert doc.undo_stack.undoText() == "Transition length into “demo_clip.mp4”"
    [(span, _, rect)] = canvas.transition_badges()
    assert (span.first, span.end) == (108, 133)
    assert canvas.tooltip_at(rect.center()) == ("Cross-dissolve into “demo_clip.mp4”, 0.83 s: "
                                                "drag an edge to change its length")
    # the left edge inwards makes it shorter
    press = QPointF(rect.left() + 1, y)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=press.toPoint())
    qtbot.mouseMove(canvas, QPointF(press.x() + 3 * ppf, y).toPoint())
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPointF(press.x() + 3 * ppf, y).toPoint())
    assert doc.project.timeline.get("clip-2").transition_frames == 19
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert doc.project.timeline.get("clip-2").transition_frames == 25
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert doc.project.timeline.get("clip-2").transition_frames == 15
    # the badge goes when the cut does: a gap between the clips
    doc.edit("gap", lambda tl: edits.move(tl, "clip-2", 125))
    assert canvas.transition_badges() == []


def test_video_layers_show_the_top_layer_above_and_clips_move_between_them(window, qtbot):
    doc = window.document
    canvas = window.timeline.canvas
    canvas.snapping = False
    canvas.set_zoom(2.0)
    canvas.set_scroll(0)
    doc.edit("split", lambda tl: edits.split(tl, "clip-1", 120))
    doc.edit("Add video layer", lambda tl: add_video_layer(tl)[0])
    kinds = canvas.kinds
    assert kinds[:2] == ["video", "video"]
    rows = canvas.layout_.rows(kinds)
    assert rows[1][0] < rows[0][0]                               # layer 2 (above) is drawn above layer 1
    assert canvas.layout_.track_at(rows[1][0] + 5, kinds) == 1
    clip = doc.project.timeline.get("clip-2")
    y0, y1 = rows[0][0] + rows[0][1] / 2 - 8, rows[1][0] + rows[1][1] / 2 - 8
    x = canvas.x_of(clip.start + 40)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPointF(x, y0).toPoint())
    qtbot.mouseMove(canvas, QPointF(x, y1).toPoint())
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPointF(x, y1).toPoint())
    tl = doc.project.timeline
    assert tl.find("clip-2")[0] == 1 and tl.get("clip-2").start == 120
    assert [i.id for i in tl.tracks[0].items] == ["clip-1"]
    doc.undo_stack.undo()
    assert doc.project.timeline.find("clip-2")[0] == 0


def test_timeline_geometry_of_layers_badges_and_transition_drags():
    assert tg.display_order(["video", "overlay", "audio"]) == [0, 1, 2]
    assert tg.display_order(["video", "video", "video", "overlay", "audio"]) == [2, 1, 0, 3, 4]
    assert tg.dragged_transition_frames(15, "right", 5, 60) == 25
    assert tg.dragged_transition_frames(15, "left", 5, 60) == 5
    assert tg.dragged_transition_frames(15, "left", -40, 60) == 60   # at most the shorter clip
    assert tg.dragged_transition_frames(15, "right", -40, 60) == 2   # at least two frames
    assert tg.badge_part(100, 100, 200) == "left" and tg.badge_part(199, 100, 200) == "right"
    assert tg.badge_part(150, 100, 200) == "body"
    assert tg.badge_part(104, 100, 110) == "left" and tg.badge_part(106, 100, 110) == "right"
    assert tg.badge_span(100, 104) == (96, 108)
    advance = lambda text: 7 * len(text)  # noqa: E731
    assert tg.badge_label("Cross-dissolve", "dissolve", 15, 200, advance) == "Cross-dissolve · 0.5 s"
    assert tg.badge_label("Cross-dissolve", "dissolve", 15, 100, advance) == "Cross-dissolve"
    assert tg.badge_label("Whip pan left", "whip_left", 15, 60, advance) == "Whip"
    assert tg.badge_label("Whip pan left", "whip_left", 15, 30, advance) == "Whip"
    assert tg.badge_label("Whip pan left", "whip_left", 45, 400, advance, fps=60) == "Whip pan left · 0.75 s"
    assert tg.badge_label("Whip pan left", "whip_left", 15, 10, advance) == ""
    assert tg.key_mark_at(50, 20, [("a", 40, 20), ("b", 52, 21)]) == "b"
    assert tg.key_mark_at(50, 40, [("a", 50, 20)]) is None


# ------------------------------------------------------------------------------- speed and curves

def test_speed_editor_offers_0_1_to_200_and_takes_typed_speeds(window, qtbot):
    doc = window.document
    inspector = _select_clip(window, qtbot)
    speed = inspector.editors["speed"][0]
    assert [speed.itemData(i) for i in range(speed.count())][0] == "0.1"
    assert speed.itemData(speed.count() - 1) == "200"
    index = speed.findData("0.5")
    speed.setCurrentIndex(index)
    speed.activated.emit(index)
    clip = doc.project.timeline.get("clip-1")
    assert clip.speed == Fraction(1, 2) and clip.duration == 480
    speed.lineEdit().setText("4")
    qtbot.keyClick(speed.lineEdit(), Qt.Key.Key_Return)
    assert doc.project.timeline.get("clip-1").speed == 4 and doc.project.timeline.get("clip-1").duration == 60
    speed.lineEdit().setText("fast")                        # not a speed: the shown one comes back
    qtbot.keyClick(speed.lineEdit(), Qt.Key.Key_Return)
    assert doc.project.timeline.get("clip-1").speed == 4 and speed.currentText() == "4×"
    speed.lineEdit().setText("500")                          # past 200x
    qtbot.keyClick(speed.lineEdit(), Qt.Key.Key_Return)
    assert doc.project.timeline.get("clip-1").speed == 4


@pytest.fixture
def numbered_doc(tmp_path, qtbot):
    from studio.ui.document import ProjectDocument

    source = write_numbered(tmp_path / "numbered.mp4", 120, size=(144, 256), gop=30)

    def make(duration=60, source_frames=120):
        clip = Clip("clip-1", str(source), 0, duration, source_frames=source_frames)
        project = Project(name="ramp", width=144, height=256, fps=Fraction(30),
                          timeline=Timeline((Track("video", (clip,), name="Video"),)))
        return ProjectDocument(project)
    return make


def test_speed_curve_bullet_keys_the_speed_and_the_engine_shows_its_source_frames(numbered_doc, qtbot):
    from studio.render.compositor import render_frame
    from studio.ui.inspector import Inspector

    doc = numbered_doc()
    inspector = Inspector(doc)
    qtbot.addWidget(inspector)
    doc.select(["clip-1"])
    curve = inspector.speed_curve
    assert curve.currentData() == "none"
    curve.setCurrentIndex(curve.findData("bullet"))
    clip = doc.project.timeline.get("clip-1")
    assert clip.keys == preset_keys("bullet", 60) and clip.duration == 60
    assert doc.undo_stack.undoText() == "Speed curve “Bullet” on “numbered.mp4”"
    assert inspector.key_rows["speed"].state == ke.ON        # playhead 0: on the first key
    assert inspector.editors["speed"][0].currentText() == "3×"
    for key in clip.keys:
        shown = read_number(render_frame(doc.project, key.frame))
        expected = float(clip.source_frame(key.frame))
        assert abs(shown - expected) <= 1, (key.frame, shown, expected)
    # slow in the middle, fast at the ends, as the engine shows it
    middle = read_number(render_frame(doc.project, 34)) - read_number(render_frame(doc.project, 26))
    edge = read_number(render_frame(doc.project, 8)) - read_number(render_frame(doc.project, 0))
    assert middle <= 3 and edge >= 16
    doc.set_playhead(30)
    assert float(Fraction(inspector.editors["speed"][0].currentText().rstrip("×"))) == pytest.approx(0.2)
    curve.setCurrentIndex(curve.findData("none"))
    assert keys_of(doc.project.timeline.get("clip-1").keys, "speed") == ()
    doc.undo_stack.undo()
    assert doc.project.timeline.get("clip-1").keys == preset_keys("bullet", 60)
    assert curve.currentData() == "bullet"


def test_a_speed_curve_that_would_run_out_of_source_trims_the_clip_in_one_step(numbered_doc, qtbot):
    from studio.ui.inspector import Inspector

    doc = numbered_doc(duration=60, source_frames=70)
    inspector = Inspector(doc)
    qtbot.addWidget(inspector)
    doc.select(["clip-1"])
    before = doc.project
    assert source_offset(preset_keys("montage", 60), Fraction(1), 60) > 70   # montage races through 60 frames
    inspector.speed_curve.setCurrentIndex(inspector.speed_curve.findData("montage"))
    clip = doc.project.timeline.get("clip-1")
    assert clip.duration < 60 and clip.keys == preset_keys("montage", clip.duration)
    assert clip.source_in + clip.source_span <= 70
    assert ke.fitted_duration(clip, "montage") == clip.duration
    longer = Clip("c", "x.mp4", 0, clip.duration + 1, source_frames=70)
    assert source_offset(preset_keys("montage", clip.duration + 1), Fraction(1), clip.duration + 1) > 70, longer
    doc.undo_stack.undo()
    assert doc.project == before
    # a hand-keyed speed shows as custom; choosing it changes nothing
    doc.edit("keys", lambda tl: edits.set_property(tl, "clip-1", "keys", (Key("speed", 0, 1.0), Key("speed", 30, 0.5))))
    assert inspector.speed_curve.currentData() == ke.CUSTOM_CURVE
