"""Video layers in the window: Edit ▸ Layout (the engine's frame shows each clip in its place),
Add video layer, the media bin's "Add as picture-in-picture", dragging a framed clip on the preview
(fields, or keys at the playhead when the clip is keyed; text keys too), the Transitions tab, green
screen and the key colour eyedropper, and the status messages for selections that do not fit."""
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage

from studio.model import Clip, Project, TextItem, Timeline, Track, edits, save_project
from studio.model.keys import Key, keys_of, value_at
from studio.render.compositor import render_frame

RED, BLUE = (220, 40, 40), (40, 60, 220)
QUADS = {"tl": (0, 200, 0), "tr": (200, 0, 200), "bl": (0, 0, 200), "br": (230, 220, 0)}
FPS = 30


def flat_clip(path: Path, colour, frames: int = 30, size=(160, 284)) -> Path:
    w, h = size
    with av.open(str(path), "w") as c:
        v = c.add_stream("libx264", rate=FPS)
        v.width, v.height, v.pix_fmt = w, h, "yuv420p"
        v.codec_context.options = {"preset": "ultrafast", "crf": "10"}
        img = np.empty((h, w, 3), np.uint8)
        img[...] = colour
        for i in range(frames):
            f = av.VideoFrame.from_ndarray(img, format="rgb24")
            f.pts = i
            c.mux(v.encode(f))
        c.mux(v.encode(None))
    return path


def quad_still(path: Path, size=(160, 284)) -> Path:
    """A still in four flat colours (green, magenta / blue, yellow): pixels known exactly (PNG)."""
    w, h = size
    img = np.empty((h, w, 3), np.uint8)
    img[: h // 2, : w // 2] = QUADS["tl"]
    img[: h // 2, w // 2:] = QUADS["tr"]
    img[h // 2:, : w // 2] = QUADS["bl"]
    img[h // 2:, w // 2:] = QUADS["br"]
    cv2.imwrite(str(path), cv2.cvtColor(img, cv2.COLOR_RGB2BGR))
    return path


@pytest.fixture
def media(tmp_path):
    folder = tmp_path / "media"
    folder.mkdir()
    return {"red": flat_clip(folder / "red.mp4", RED), "blue": flat_clip(folder / "blue.mp4", BLUE),
            "quad": quad_still(folder / "quad.png"), "pip": flat_clip(folder / "pip.mp4", (250, 250, 250), 45)}


@pytest.fixture
def layers_window(make_window, media, tmp_path):
    """red (0-30), blue (30-60) and the quad still (60-90) on the main track; a text with x keys."""
    tl = Timeline((Track("video", name="Video"),))
    tl = edits.append_clip(tl, Clip("clip-a", str(media["red"]), 0, 30, source_frames=30))
    tl = edits.append_clip(tl, Clip("clip-b", str(media["blue"]), 0, 30, source_frames=30))
    tl = edits.append_clip(tl, Clip("clip-c", str(media["quad"]), 0, 30))
    tl = edits.add_item(tl, TextItem("text-1", 0, 90, "Hello", y=0.8, anim_in="none", anim_out="none",
                                     keys=(Key("x", 0, 0.3), Key("x", 60, 0.7))))
    path = save_project(Project(name="Layers", fps=Fraction(FPS), timeline=tl), tmp_path / "layers.studio")
    window = make_window(path)
    window.resize(1400, 900)
    return window


def status(window) -> str:
    return window.statusBar().currentMessage()


def mean(rgb: np.ndarray) -> np.ndarray:
    return rgb.reshape(-1, 3).astype(float).mean(axis=0)


def near(colour, expected, tol: float = 22) -> bool:
    return bool(np.abs(np.asarray(colour, float) - np.asarray(expected, float)).max() <= tol)


def qimage_rgb(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h = image.width(), image.height()
    raw = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes()).reshape(h, image.bytesPerLine())
    return raw[:, : w * 3].reshape(h, w, 3).copy()


def halves_show(image: QImage | None, left, right) -> bool:
    if image is None:
        return False
    rgb = qimage_rgb(image)
    w = rgb.shape[1]
    return near(mean(rgb[:, : w // 2 - 4]), left) and near(mean(rgb[:, w // 2 + 4:]), right)


# -- layouts -------------------------------------------------------------------------------------

def test_duet_puts_each_clip_in_its_half_and_undo_restores(layers_window, qtbot):
    window, doc = layers_window, layers_window.document
    assert window.layout_menu.title() == "Layout"
    assert [a.text() for a in window.layout_menu.actions()] == ["Duet", "Reaction", "Picture in picture",
                                                                 "Split in three"]
    before, count = doc.project, doc.undo_stack.count()
    doc.select(["clip-a", "clip-b"])
    window.acts["layout_duet"].trigger()
    tl = doc.project.timeline
    a, b = tl.get("clip-a"), tl.get("clip-b")
    assert tl.find("clip-a")[0] == 0 and tl.find("clip-b")[0] == 1
    assert [t.kind for t in tl.tracks[:2]] == ["video", "video"]
    assert b.start == a.start == 0
    assert (a.x, a.box_w, b.x, b.box_w) == (0.25, 0.5, 0.75, 0.5)
    assert tl.get("clip-c").start == 30  # the main track closed the hole clip-b left
    assert doc.undo_stack.count() == count + 1 and doc.undo_stack.undoText() == "Duet layout"
    assert status(window).startswith("Duet layout: “red.mp4” and “blue.mp4”")
    # the engine's frame: red on the left half, blue on the right
    frame = render_frame(doc.project, 10, (108, 192))
    assert near(mean(frame[:, :50]), RED) and near(mean(frame[:, 58:]), BLUE)
    # and the window's own preview shows it
    doc.set_playhead(10)
    qtbot.waitUntil(lambda: halves_show(window.preview.canvas.image, RED, BLUE), timeout=10000)
    doc.undo_stack.undo()
    assert doc.project == before


def test_one_selected_clip_takes_the_next_clips_and_bad_selections_say_why(layers_window):
    window, doc = layers_window, layers_window.document
    count = doc.undo_stack.count()
    doc.select([])
    window.acts["layout_duet"].trigger()
    assert status(window) == "Select 2 clips for a duet"
    doc.select(["text-1"])
    window.acts["layout_react"].trigger()
    assert status(window) == "Select 2 clips for a reaction"
    doc.select(["clip-a", "clip-b", "clip-c"])
    window.acts["layout_pip"].trigger()
    assert status(window) == "Select 2 clips for a picture in picture (3 are selected)"
    doc.select(["clip-b"])
    window.acts["layout_split3"].trigger()
    assert status(window).startswith("Select 3 clips for a split in three (“blue.mp4” has too few clips after it")
    doc.select(["clip-c"])
    window.acts["layout_duet"].trigger()
    assert "has no clips after it" in status(window)
    assert doc.undo_stack.count() == count  # nothing changed
    # one clip selected: it and the clips after it on its track
    doc.select(["clip-a"])
    window.acts["layout_split3"].trigger()
    tl = doc.project.timeline
    assert [tl.find(i)[0] for i in ("clip-a", "clip-b", "clip-c")] == [0, 1, 2]
    assert [round(tl.get(i).y, 3) for i in ("clip-a", "clip-b", "clip-c")] == [0.167, 0.5, 0.833]
    assert doc.undo_stack.undoText() == "Split-in-three layout"
    assert doc.selection == ("clip-a", "clip-b", "clip-c")


def test_add_video_layer_is_one_undo_step(layers_window):
    window, doc = layers_window, layers_window.document
    window.acts["add_layer"].trigger()
    videos = [t for t in doc.project.timeline.tracks if t.kind == "video"]
    assert len(videos) == 2 and videos[1].items == () and videos[1].name == "Video 2"
    assert doc.undo_stack.undoText() == "Add video layer"
    assert "Video 2" in status(window)
    doc.undo_stack.undo()
    assert len(doc.project.timeline.tracks_of("video")) == 1


# -- picture in picture --------------------------------------------------------------------------

def _add_pip(window, media, playhead: int = 10) -> Clip:
    doc = window.document
    bin_ = window.library.media
    bin_.add_path(media["pip"])
    bin_.list.clearSelection()
    bin_.list.item(bin_.paths.index(Path(media["pip"]))).setSelected(True)
    doc.set_playhead(playhead)
    menu = bin_.context_menu()
    action = next(a for a in menu.actions() if a.text() == "Add as picture-in-picture")
    assert action.isEnabled()
    action.trigger()
    menu.deleteLater()
    pip = doc.selected_items()[0]
    assert isinstance(pip, Clip) and Path(pip.source).name == "pip.mp4"
    return pip


def test_add_as_picture_in_picture_goes_on_a_new_layer_at_the_playhead(layers_window, media):
    from studio.model.layouts import LAYOUTS

    window, doc = layers_window, layers_window.document
    count = doc.undo_stack.count()
    pip = _add_pip(window, media, 10)
    tl = doc.project.timeline
    ti = tl.find(pip.id)[0]
    assert tl.tracks[ti].kind == "video" and ti == 1 and tl.tracks[ti].items == (pip,)
    assert pip.start == 10
    slot = LAYOUTS["pip"].slots[1]
    assert {k: getattr(pip, k) for k in slot} == slot
    assert doc.undo_stack.count() == count + 1 and doc.undo_stack.undoText() == "Picture in picture “pip.mp4”"
    # the engine draws it in the corner: white in the pip's box, red elsewhere
    frame = render_frame(doc.project, 12, (108, 192))
    assert near(frame[int(0.24 * 192), int(0.72 * 108)], (250, 250, 250))
    assert near(frame[150, 20], RED)


def _drag(qtbot, canvas, start: QPointF, offsets) -> None:
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start.toPoint())
    for dx, dy in offsets:
        qtbot.mouseMove(canvas, QPointF(start.x() + dx, start.y() + dy).toPoint())
    dx, dy = offsets[-1]
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPointF(start.x() + dx, start.y() + dy).toPoint())


def test_dragging_the_pip_box_moves_it_or_sets_keys_at_the_playhead(layers_window, media, qtbot):
    from studio.ui import overlay_geometry as og

    window, doc = layers_window, layers_window.document
    pip = _add_pip(window, media, 10)
    qtbot.wait(50)
    canvas = window.preview.canvas
    rect = canvas.canvas_rect()
    box = canvas.item_box(pip)
    assert box is not None
    assert box.cx == pytest.approx(rect.x() + 0.72 * rect.width()) and box.w == pytest.approx(0.34 * rect.width())
    # a full-canvas clip has no handles
    assert canvas.item_box(doc.project.timeline.get("clip-a")) is None
    count = doc.undo_stack.count()
    start = QPointF(box.cx, box.cy)
    _drag(qtbot, canvas, start, [(4, 2), (12, 8), (30, 20)])
    moved = doc.project.timeline.get(pip.id)
    dx, dy = round(start.x() + 30) - round(start.x()), round(start.y() + 20) - round(start.y())
    assert moved.x == pytest.approx(0.72 + dx / rect.width(), abs=0.004)
    assert moved.y == pytest.approx(0.24 + dy / rect.height(), abs=0.004)
    assert doc.undo_stack.count() == count + 1
    assert doc.undo_stack.undoText() == "Move “pip.mp4” on preview"
    # a corner handle scales it
    box = canvas.item_box(moved)
    hx, hy = og.handle_points(box)["br"]
    _drag(qtbot, canvas, QPointF(hx, hy), [(10, 10), (box.w / 2, box.h / 2)])
    assert doc.project.timeline.get(pip.id).scale == pytest.approx(2.0, abs=0.05)  # twice as far from the centre
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.project.timeline.get(pip.id) == pip

    # keyed x and y: the handles sit where the keys put it, and a drag sets keys at the playhead
    keys = (Key("x", 0, 0.3), Key("x", 20, 0.7), Key("y", 0, 0.5, "ease_in_out"))
    doc.set_property(pip.id, "keys", keys)
    doc.set_playhead(pip.start + 10)
    keyed_pip = doc.project.timeline.get(pip.id)
    box = canvas.item_box(keyed_pip)
    assert box.cx == pytest.approx(rect.x() + 0.5 * rect.width())
    assert box.cy == pytest.approx(rect.y() + 0.5 * rect.height())
    count = doc.undo_stack.count()
    _drag(qtbot, canvas, QPointF(box.cx, box.cy), [(10, 0), (-40, -30)])
    after = doc.project.timeline.get(pip.id)
    assert doc.undo_stack.count() == count + 1
    assert (after.x, after.y) == (keyed_pip.x, keyed_pip.y)  # the fields stay: keys move it
    dx = round(box.cx - 40) - round(box.cx)
    dy = round(box.cy - 30) - round(box.cy)
    assert [k.frame for k in keys_of(after.keys, "x")] == [0, 10, 20]
    assert value_at(after.keys, "x", 10, 0) == pytest.approx(0.5 + dx / rect.width(), abs=0.004)
    assert value_at(after.keys, "y", 10, 0) == pytest.approx(0.5 + dy / rect.height(), abs=0.004)
    assert keys_of(after.keys, "y")[1].ease == "ease_in_out"  # a new key keeps the curve's easing
    assert value_at(after.keys, "x", 20, 0) == 0.7  # the other keys stay


def test_dragging_keyed_text_sets_keys_at_the_playhead(layers_window, qtbot):
    window, doc = layers_window, layers_window.document
    doc.set_playhead(30)
    doc.select(["text-1"])
    qtbot.wait(50)
    canvas = window.preview.canvas
    rect = canvas.canvas_rect()
    text = doc.project.timeline.get("text-1")
    box = canvas.item_box(text)
    assert box.cx == pytest.approx(rect.x() + 0.5 * rect.width(), abs=1)  # x keys: 0.3 at 0, 0.7 at 60
    _drag(qtbot, canvas, QPointF(box.cx, box.cy), [(5, 0), (20, 0)])
    after = doc.project.timeline.get("text-1")
    dx = round(box.cx + 20) - round(box.cx)
    assert after.x == text.x
    assert [k.frame for k in keys_of(after.keys, "x")] == [0, 30, 60]
    assert value_at(after.keys, "x", 30, 0) == pytest.approx(0.5 + dx / rect.width(), abs=0.004)
    assert doc.undo_stack.undoText() == "Move text “Hello” on preview"


def test_clicking_a_pip_on_the_preview_selects_it(layers_window, media, qtbot):
    window, doc = layers_window, layers_window.document
    pip = _add_pip(window, media, 10)
    doc.select([])
    canvas = window.preview.canvas
    rect = canvas.canvas_rect()
    point = QPointF(rect.x() + 0.72 * rect.width(), rect.y() + 0.24 * rect.height()).toPoint()
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=point)
    assert doc.selection == (pip.id,)


# -- transitions ---------------------------------------------------------------------------------

def test_transitions_panel_applies_a_transition_and_undo_removes_it(layers_window, qtbot):
    from studio.render.transitions import TRANSITIONS
    from studio.ui.transitions_panel import transition_frame

    window, doc = layers_window, layers_window.document
    panel = window.library.transitions
    window.library.setCurrentWidget(panel)
    qtbot.wait(50)
    titles = [panel.list.item(i).text() for i in range(panel.list.count())]
    assert titles == list(TRANSITIONS.values()) and "Cross-dissolve" in titles
    assert all(not panel.list.item(i).icon().isNull() for i in range(panel.list.count()))
    # the thumbnails are the engine's: a dissolve mixes the cards, a slide shows both
    mid = transition_frame("dissolve", 0.5)
    assert mid.shape == (96, 54, 3) and 100 < mid[60, 4, 0] < 160
    slide = transition_frame("slide_left", 0.5)
    assert near(slide[80, 5], (236, 92, 84), 3) and near(slide[80, 50], (40, 150, 190), 3)

    doc.select(["clip-b"])
    row = titles.index("Cross-dissolve")
    item = panel.list.item(row)
    panel.list.scrollToItem(item)
    centre = panel.list.visualItemRect(item).center()
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    b = doc.project.timeline.get("clip-b")
    assert (b.transition, b.transition_frames) == ("dissolve", 15)
    assert doc.undo_stack.undoText() == "Transition “Cross-dissolve” into “blue.mp4”"
    assert status(window) == "Transition “Cross-dissolve” into “blue.mp4” (0.5 s)"
    assert panel.target_label.text() == "Into “blue.mp4”: Cross-dissolve (0.5 s)"
    # the engine mixes red and blue at the cut
    at_cut = mean(render_frame(doc.project, 30, (54, 96)))
    assert near(at_cut, ((RED[0] + BLUE[0]) / 2, (RED[1] + BLUE[1]) / 2, (RED[2] + BLUE[2]) / 2), 30)
    doc.undo_stack.undo()
    assert doc.project.timeline.get("clip-b").transition == "none"
    # the Apply button, then "None" (Remove) takes it out again
    panel.list.setCurrentRow(titles.index("Dip to black"))
    qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    assert doc.project.timeline.get("clip-b").transition == "dip_black"
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert doc.project.timeline.get("clip-b").transition == "none"
    assert doc.undo_stack.undoText() == "Remove transition into “blue.mp4”"
    # the first clip has nothing before it
    doc.select(["clip-a"])
    assert "has no clip right before it" in panel.target_label.text()
    count = doc.undo_stack.count()
    panel.apply("dissolve")
    assert status(window).startswith("“red.mp4” has no clip right before it on its track")
    assert doc.undo_stack.count() == count


def test_dropping_a_transition_near_a_cut_sets_it_into_the_clip_after_the_cut(layers_window):
    window, doc = layers_window, layers_window.document
    assert window.actions_.drop("transition:push_left", 26, 0)  # late in clip-a: the cut into clip-b
    assert doc.project.timeline.get("clip-b").transition == "push_left"
    assert window.actions_.drop("transition:zoom_in", 62, 0)  # early in clip-c: its own cut
    assert doc.project.timeline.get("clip-c").transition == "zoom_in"
    assert not window.actions_.drop("transition:dissolve", 5, 0)  # early in the first clip: no cut there
    assert "no clip right before it" in status(window)
    assert not window.actions_.drop("transition:dissolve", 5, 1)  # the overlay track
    assert status(window).startswith("Drop a transition on a clip of a video track")


# -- green screen and the key colour eyedropper --------------------------------------------------

def _click_canvas_at(qtbot, canvas, fx: float, fy: float) -> None:
    rect = canvas.canvas_rect()
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton,
                     pos=QPoint(round(rect.x() + fx * rect.width()), round(rect.y() + fy * rect.height())))


def test_green_screen_and_the_eyedropper_pick_the_source_colour(layers_window, qtbot):
    window, doc = layers_window, layers_window.document
    canvas = window.preview.canvas
    doc.select(["clip-a"])
    window.acts["pick_key"].trigger()
    assert status(window).startswith("Select a clip with a green screen")
    assert not canvas.picking

    doc.set_playhead(70)
    doc.select(["clip-c"])
    window.acts["green_screen"].trigger()
    ref = doc.project.timeline.get("clip-c").effects[-1]
    assert ref.id == "chroma_key" and ref.params["source"] == "transparent"
    assert doc.undo_stack.undoText() == "Green screen on “quad.png”"
    window.acts["green_screen"].trigger()
    assert "already has green screen" in status(window)

    # full canvas: the magenta quarter (top right)
    window.acts["pick_key"].trigger()
    assert canvas.picking
    _click_canvas_at(qtbot, canvas, 0.75, 0.25)
    assert not canvas.picking
    key = doc.project.timeline.get("clip-c").effects[-1].params["key_color"]
    assert key == "#c800c8"
    assert doc.undo_stack.undoText() == "Key colour #c800c8 on “quad.png”"
    doc.undo_stack.undo()
    assert doc.project.timeline.get("clip-c").effects[-1].params["key_color"] == "#00ff00"

    # a turned picture-in-picture: the click goes back through the rotation, box and fit
    def frame_it(tl):
        for name, value in {"x": 0.3, "y": 0.6, "box_w": 0.4, "box_h": 0.4, "rotation": 90.0}.items():
            tl = edits.set_property(tl, "clip-c", name, value)
        return tl

    doc.edit("Frame it", frame_it)
    bw, bh = 0.4 * 1080, 0.4 * 1920
    # the source's bottom-left quarter (blue), turned a quarter clockwise, lies up and left of the centre
    px, py = 0.3 * 1080 - 0.25 * bh, 0.6 * 1920 - 0.25 * bw
    shown = doc.project
    without_key = edits.set_property(shown.timeline, "clip-c", "effects", ())
    import dataclasses

    frame = render_frame(dataclasses.replace(shown, timeline=without_key), 70)
    assert near(frame[int(py), int(px)], QUADS["bl"], 4)  # the engine draws blue there
    window.acts["pick_key"].trigger()
    _click_canvas_at(qtbot, canvas, px / 1080, py / 1920)
    assert doc.project.timeline.get("clip-c").effects[-1].params["key_color"] == "#0000c8"
    # outside the clip's box: nothing changes, the status says why
    count = doc.undo_stack.count()
    window.acts["pick_key"].trigger()
    _click_canvas_at(qtbot, canvas, 0.95, 0.05)
    assert doc.undo_stack.count() == count
    assert status(window).startswith("That point is not on “quad.png”")
    # Escape cancels a pick
    window.acts["pick_key"].trigger()
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert not canvas.picking


def test_source_point_inverts_the_clip_transform():
    from studio.ui.layout_actions import source_point

    clip = Clip("c", "x.png", 0, 10)
    # a 200x100 source filling a 100x200 canvas: the middle 100x100... scaled 2x
    assert source_point(clip, 0.5, 0.5, (100, 200), (200, 100)) == pytest.approx((100, 50))
    boxed = Clip("c", "x.png", 0, 10, x=0.25, y=0.25, box_w=0.5, box_h=0.5, fit="fit_black")
    assert source_point(boxed, 0.25, 0.25, (100, 200), (100, 200)) == pytest.approx((50, 100), abs=1)
    assert source_point(boxed, 0.75, 0.75, (100, 200), (100, 200)) is None
    cropped = Clip("c", "x.png", 0, 10, crop_left=0.5, x=0.5, y=0.5, box_w=1.0, box_h=0.999, fit="fit_black")
    sx, _ = source_point(cropped, 0.5, 0.5, (100, 200), (100, 200))
    assert sx == pytest.approx(75, abs=1)  # the middle of the right half that is left


def test_a_duet_half_keeps_its_rotate_handle_on_screen(layers_window, qtbot):
    from studio.ui import overlay_geometry as og

    window, doc = layers_window, layers_window.document
    doc.select(["clip-a", "clip-b"])
    window.acts["layout_duet"].trigger()
    doc.set_playhead(5)
    doc.select(["clip-b"])
    canvas = window.preview.canvas
    box = canvas.item_box(doc.project.timeline.get("clip-b"))
    hx, hy = og.handle_points(box)["rotate"]
    assert box.rotate_inside and 0 < hy < canvas.height()
    centre = QPointF(box.cx, box.cy)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPointF(hx, hy).toPoint())
    qtbot.mouseMove(canvas, QPointF(box.cx + 80, box.cy).toPoint())
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPointF(centre.x() + 80, centre.y()).toPoint())
    assert doc.project.timeline.get("clip-b").rotation == pytest.approx(90, abs=3)
    assert doc.undo_stack.undoText() == "Rotate “blue.mp4” on preview"


def test_drag_changes_set_keys_only_for_keyed_params():
    from studio.model import StickerItem
    from studio.ui import overlay_geometry as og

    clip = Clip("c", "x.mp4", 0, 60, x=0.7, y=0.3, box_w=0.3, box_h=0.3)
    start = og.transform_at(clip, 10)
    assert start == {"x": 0.7, "y": 0.3, "scale": 1.0, "rotation": 0.0}
    assert og.property_changes(clip, start, {**start, "x": 0.6}, 10) == {**start, "x": 0.6}
    keyed = Clip("c", "x.mp4", 0, 60, box_w=0.3, box_h=0.3, keys=(Key("scale", 0, 1.0), Key("scale", 40, 2.0)))
    start = og.transform_at(keyed, 20)
    assert start["scale"] == pytest.approx(1.5)
    changes = og.property_changes(keyed, start, {**start, "scale": 3.0}, 20)
    assert "scale" not in changes and changes["x"] == 0.5
    assert [(k.frame, k.value) for k in keys_of(changes["keys"], "scale")] == [(0, 1.0), (20, 3.0), (40, 2.0)]
    # a move leaves the scale keys alone (no key where nothing changed)
    assert "keys" not in og.property_changes(keyed, start, {**start, "x": 0.2}, 20)
    # a sticker's keyed rotation
    sticker = StickerItem("s", 0, 30, "fire", keys=(Key("rotation", 0, 0.0), Key("rotation", 10, 90.0)))
    assert og.transform_at(sticker, 5)["rotation"] == pytest.approx(45)
