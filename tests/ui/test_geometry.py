"""Qt-free helpers of the window: timeline geometry and snapping, preview handles, relink search."""
from fractions import Fraction

import pytest

from studio.model import Keyframe, StickerItem, TextItem
from studio.ui import overlay_geometry as og
from studio.ui import timeline_geometry as tg
from studio.ui.project_files import relink_plan


def test_frame_pixel_mapping_round_trips():
    layout = tg.Layout(px_per_frame=3.0, header=100)
    assert layout.x_of(10) == 130
    assert layout.frame_at(130) == 10 and layout.frame_at(131.4) == 10 and layout.frame_at(50) == 0
    rows = layout.rows(["video", "overlay", "audio"])
    assert [h for _, h in rows] == [56, 30, 44]
    assert layout.track_at(rows[1][0] + 5, ["video", "overlay", "audio"]) == 1
    assert layout.track_at(2, ["video"]) is None  # the ruler
    assert layout.snap_tolerance() == 3


def test_hit_parts_and_narrow_items():
    assert tg.hit_part(101, 100, 200) == "left"
    assert tg.hit_part(199, 100, 200) == "right"
    assert tg.hit_part(150, 100, 200) == "body"
    assert tg.hit_part(104, 100, 108) == "body"  # an 8 px item still has a body to move it by


def test_snapping_prefers_the_nearest_target():
    assert tg.snap(48, [0, 45, 50, 90], 3) == (50, 50)
    assert tg.snap(40, [0, 45], 3) == (40, None)
    delta, target = tg.snap_span(31, 61, [0, 60, 120], 3)  # the end is 1 frame from 60
    assert (delta, target) == (-1, 60)
    targets = tg.snap_targets([("a", 0, 30), ("b", 30, 90)], playhead=45, beats=[15], exclude=["b"])
    assert targets == [0, 15, 30, 45]


def test_beats_repeat_for_looping_sounds():
    beats = [0.0, 0.5, 1.0, 1.5]
    frames = tg.beat_frames(beats, item_start=30, source_in=0, duration=120, fps=Fraction(30), sound_length_s=2.0)
    assert frames == [30 + 15 * k for k in range(8)]
    # a sound that starts 0.5 s into the file: its first beat is the one at 0.5 s
    assert tg.beat_frames(beats, 0, 15, 30, Fraction(30)) == [0, 15]


def test_ruler_steps_and_labels():
    assert tg.ruler_step(4.0, Fraction(30)) == 30
    assert tg.ruler_step(40.0, Fraction(30)) == 2
    assert tg.timecode_label(95, Fraction(30)) == "0:03.2"
    assert tg.timecode_label(1800, Fraction(30)) == "1:00"
    assert tg.moved_track(["video", "overlay", "overlay"], 1, 2) == 2
    assert tg.moved_track(["video", "overlay", "audio"], 1, 2) == 1
    assert tg.rubber_band([("a", 0, 0, 10, 10), ("b", 50, 0, 10, 10)], 5, 5, 20, 20) == ["a"]


def test_handles_follow_rotation():
    box = og.Box(100, 100, 40, 20, 90)
    pts = og.handle_points(box)
    assert pts["tl"] == pytest.approx((110, 80))  # turned a quarter clockwise
    assert og.hit(box, 100, 100) == "move"
    assert og.hit(box, *pts["rotate"]) == "rotate"
    assert og.hit(box, 200, 200) is None


def test_drag_transforms():
    start = {"x": 0.5, "y": 0.5, "scale": 0.3, "rotation": 0.0}
    moved = og.drag_transform("move", start, (50, 100), (50, 100), (60, 80), (100, 200))
    assert moved["x"] == pytest.approx(0.6) and moved["y"] == pytest.approx(0.4)
    scaled = og.drag_transform("scale", start, (50, 100), (60, 100), (70, 100), (100, 200))
    assert scaled["scale"] == pytest.approx(0.6)
    turned = og.drag_transform("rotate", start, (50, 100), (50, 80), (70, 100), (100, 200))
    assert turned["rotation"] == pytest.approx(90)


def test_property_changes_keep_keyframed_animation_shape():
    sticker = StickerItem("s", 0, 30, "fire", keyframes=(Keyframe(0, 0.2, 0.2, 0.2), Keyframe(29, 0.8, 0.8, 0.4)))
    start = {"x": 0.2, "y": 0.2, "scale": 0.2, "rotation": 0.0}
    changes = og.property_changes(sticker, start, {"x": 0.3, "y": 0.1, "scale": 0.4, "rotation": 10.0})
    k0, k1 = changes["keyframes"]
    assert (k0.x, k0.y, k0.scale, k0.rotation) == pytest.approx((0.3, 0.1, 0.4, 10.0))
    assert (k1.x, k1.y, k1.scale, k1.rotation) == pytest.approx((0.9, 0.7, 0.8, 10.0))
    text = TextItem("t", 0, 30, "hi")
    assert og.property_changes(text, og.transform_of(text), {**og.transform_of(text), "scale": 2.0})["size"] == 2.0


def test_relink_plan_searches_once(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "clip.mp4").write_bytes(b"x")
    (tmp_path / "song.wav").write_bytes(b"x")
    plan = relink_plan(["/old/clip.mp4", "/old/song.wav", "/old/gone.mov"], tmp_path)
    assert plan == {"/old/clip.mp4": str(tmp_path / "a" / "b" / "clip.mp4"), "/old/song.wav": str(tmp_path / "song.wav")}
