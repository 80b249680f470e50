"""Video layers: several clips at once, each with a transform, opacity, blend mode and keys; checked
on rendered and exported (decoded) pixels."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import cv2
import numpy as np
import pytest

from studio.model import Clip, EffectRef, Project, Timeline, Track
from studio.model.keys import Key
from studio.model.layouts import apply_layout
from studio.render.compositor import Renderer
from studio.render.export import ExportOptions, export_project

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "media"
W, H = 360, 640


def _project(*tracks, size=(W, H), frames=None) -> Project:
    return Project(name="layers", width=size[0], height=size[1], fps=Fraction(30), timeline=Timeline(tuple(tracks)))


def _still(tmp_path: Path, mediagen, name: str, rgb) -> str:
    return str(mediagen.write_png(tmp_path / name, mediagen.solid(90, 160, rgb)))


def _err(a, b) -> float:
    return float(np.abs(a.astype(np.float32) - np.asarray(b, np.float32)).mean())


def _centre_crop(rgb: np.ndarray, w: int, h: int) -> np.ndarray:
    """A 'fill' of rgb into w x h: the centred crop of that aspect, scaled."""
    sh, sw = rgb.shape[:2]
    if sw * h > sh * w:
        cw = round(sh * w / h)
        x = (sw - cw) // 2
        rgb = rgb[:, x:x + cw]
    else:
        ch = round(sw * h / w)
        y = (sh - ch) // 2
        rgb = rgb[y:y + ch]
    return cv2.resize(rgb, (w, h), interpolation=cv2.INTER_AREA)


def _webcam(name: str) -> Path:
    p = SHARED / name
    if not p.is_file():
        pytest.skip(f"shared webcam footage not present ({p})")
    return p


def test_duet_export_halves_match_their_sources_frame_by_frame(tmp_path, mediagen):
    left_src, right_src = _webcam("webcam_book.mkv"), _webcam("webcam_yes.mkv")
    frames = 24
    a = Clip("clip-1", str(left_src), 0, frames, source_frames=frames)
    b = Clip("clip-2", str(right_src), frames, frames, source_frames=frames)
    project = _project(Track("video", (a, b), name="Video"), size=(540, 960))
    project = Project(**{**project.__dict__, "timeline": apply_layout(project.timeline, "duet", ["clip-1", "clip-2"])})
    assert [t.kind for t in project.timeline.tracks] == ["video", "video"]
    assert project.duration == frames
    out = tmp_path / "duet.mp4"
    export_project(project, out, ExportOptions(quality="draft", cover=False, sidecar=False, preflight=False))
    got = mediagen.decode_frames(out)
    left = mediagen.decode_frames(left_src, range(frames))
    right = mediagen.decode_frames(right_src, range(frames))
    assert len(got) == frames
    for i in range(frames):
        frame = cv2.resize(got[i], (540, 960), interpolation=cv2.INTER_AREA)
        want_left, want_right = _centre_crop(left[i], 270, 960), _centre_crop(right[i], 270, 960)
        assert _err(frame[:, :270], want_left) < 6, i
        assert _err(frame[:, 270:], want_right) < 6, i
        # and not the other way round: the halves are the right sources, in sync
        assert _err(frame[:, :270], want_right) > 2 * _err(frame[:, :270], want_left)
        if i + 3 < frames:
            assert _err(frame[:, :270], _centre_crop(left[i + 3], 270, 960)) > _err(frame[:, :270], want_left)


def test_pip_sits_at_its_keyed_position_at_each_key_and_in_between(tmp_path, mediagen):
    bg = _still(tmp_path, mediagen, "bg.png", (20, 40, 200))
    red = _still(tmp_path, mediagen, "red.png", (230, 20, 20))
    base = Clip("clip-1", bg, 0, 31)
    pip = Clip("clip-2", red, 0, 31, box_w=0.25, box_h=0.25,
               keys=(Key("x", 0, 0.25, "linear"), Key("x", 30, 0.75, "linear"),
                     Key("y", 0, 0.25, "ease_in_out"), Key("y", 30, 0.75)))
    project = _project(Track("video", (base,)), Track("video", (pip,)), size=(360, 640))
    out = tmp_path / "pip.mp4"
    export_project(project, out, ExportOptions(quality="draft", cover=False, sidecar=False, preflight=False))
    got = mediagen.decode_frames(out, [0, 15, 30, 7])

    def red_centre(rgb):
        rgb = cv2.resize(rgb, (360, 640), interpolation=cv2.INTER_AREA)
        mask = (rgb[..., 0] > 150) & (rgb[..., 2] < 100)
        ys, xs = np.nonzero(mask)
        return xs.mean() / 360, ys.mean() / 640, mask.mean()

    for frame, (x, y) in {0: (0.25, 0.25), 15: (0.5, 0.5), 30: (0.75, 0.75)}.items():
        cx, cy, area = red_centre(got[frame])
        assert abs(cx - x) < 0.01 and abs(cy - y) < 0.01, (frame, cx, cy)
        assert abs(area - 0.25 * 0.25) < 0.01
    # in between, x moves linearly and y eases (slower at the start)
    cx, cy, _ = red_centre(got[7])
    assert abs(cx - (0.25 + 0.5 * 7 / 30)) < 0.01
    assert cy < 0.25 + 0.5 * 7 / 30 - 0.03


def test_blend_modes_follow_their_formulas_in_preview_and_export_formats(tmp_path, mediagen):
    lower = (200, 100, 40)
    upper = (100, 150, 250)
    bg = _still(tmp_path, mediagen, "lower.png", lower)
    top = _still(tmp_path, mediagen, "upper.png", upper)
    d, s = np.array(lower) / 255.0, np.array(upper) / 255.0
    want = {"normal": s, "screen": s + d - s * d, "multiply": s * d, "darken": np.minimum(s, d),
            "lighten": np.maximum(s, d)}
    with Renderer() as renderer:
        for mode, value in want.items():
            clip = Clip("clip-2", top, 0, 10, box_w=0.5, box_h=0.5, blend=mode, opacity=0.5)
            project = _project(Track("video", (Clip("clip-1", bg, 0, 10),)), Track("video", (clip,)))
            expected = (d + 0.5 * (value - d)) * 255
            rgb = renderer.render(project, 3, fmt="rgb")
            assert _err(rgb[H // 2 - 40:H // 2 + 40, W // 2 - 40:W // 2 + 40], expected) < 1.5, mode
            assert _err(rgb[10:40, 10:40], lower) < 1.5  # outside the box: the lower clip alone
            from studio.render.colour import i420_to_rgb

            i420 = i420_to_rgb(renderer.render(project, 3, fmt="i420"), W, H)
            assert _err(i420[H // 2 - 40:H // 2 + 40, W // 2 - 40:W // 2 + 40], expected) < 3, mode


def test_rotated_and_cropped_clip(tmp_path, mediagen):
    bg = _still(tmp_path, mediagen, "bg.png", (0, 0, 0))
    img = np.zeros((160, 90, 3), np.uint8)
    img[:, :45] = (250, 0, 0)   # left half red, right half green
    img[:, 45:] = (0, 250, 0)
    src = str(mediagen.write_png(tmp_path / "halves.png", img))
    with Renderer() as renderer:
        cropped = Clip("clip-2", src, 0, 5, crop_right=0.5)  # only the red half, filling the canvas
        rgb = renderer.render(_project(Track("video", (Clip("clip-1", bg, 0, 5),)), Track("video", (cropped,))), 0)
        assert _err(rgb, (250, 0, 0)) < 2
        turned = Clip("clip-2", src, 0, 5, box_w=0.3, box_h=0.3, rotation=90)
        rgb = renderer.render(_project(Track("video", (Clip("clip-1", bg, 0, 5),)), Track("video", (turned,))), 0)
        # turned a quarter clockwise, the left (red) half is on top
        cx, cy = W // 2, H // 2
        assert rgb[cy - 20, cx, 0] > 200 and rgb[cy - 20, cx, 1] < 50
        assert rgb[cy + 20, cx, 1] > 200 and rgb[cy + 20, cx, 0] < 50
        assert _err(rgb[:40, :40], (0, 0, 0)) < 1


def test_green_screen_clip_stands_over_another_clip(tmp_path, mediagen):
    """A self-made green-screen clip (shapes over pure green) keyed transparently over a lower clip:
    keyed pixels show the lower clip, the subject keeps its colours."""
    h, w = 160, 90
    img = np.zeros((h, w, 3), np.uint8)
    img[:] = (0, 255, 0)
    cv2.circle(img, (45, 80), 25, (200, 30, 40), -1)
    green = str(mediagen.write_png(tmp_path / "green.png", img))
    lower = str(mediagen.write_png(tmp_path / "lower.png", mediagen.solid(w, h, (40, 60, 220))))
    keyed = Clip("clip-2", green, 0, 5, effects=(EffectRef("chroma_key", {}),))  # default: transparent
    project = _project(Track("video", (Clip("clip-1", lower, 0, 5),)), Track("video", (keyed,)))
    with Renderer() as renderer:
        for fmt in ("rgb", "i420"):
            out = renderer.render(project, 2, fmt=fmt)
            if fmt == "i420":
                from studio.render.colour import i420_to_rgb

                out = i420_to_rgb(out, W, H)
            assert _err(out[20:120, 20:120], (40, 60, 220)) < 3, fmt           # keyed: the clip below
            assert _err(out[H // 2 - 30:H // 2 + 30, W // 2 - 30:W // 2 + 30], (200, 30, 40)) < 4, fmt  # subject


def test_top_layer_that_covers_skips_the_layers_below(tmp_path, mediagen, monkeypatch):
    """Nothing under an opaque full-canvas clip is decoded (the duet/PiP cost stays that of what shows)."""
    a = _still(tmp_path, mediagen, "a.png", (10, 10, 10))
    b = _still(tmp_path, mediagen, "b.png", (200, 200, 200))
    project = _project(Track("video", (Clip("clip-1", a, 0, 5),)), Track("video", (Clip("clip-2", b, 0, 5),)))
    with Renderer() as renderer:
        asked = []
        real = renderer.source_rgba
        monkeypatch.setattr(renderer, "source_rgba", lambda clip, *a, **k: asked.append(clip.id) or real(clip, *a, **k))
        rgb = renderer.render(project, 1)
        assert asked == ["clip-2"]
        assert _err(rgb, (200, 200, 200)) < 1
        see_through = Project(**{**project.__dict__, "timeline": Timeline((
            project.timeline.tracks[0], Track("video", (Clip("clip-2", b, 0, 5, opacity=0.5),))))})
        asked.clear()
        rgb = renderer.render(see_through, 1)
        assert asked == ["clip-1", "clip-2"]
        assert _err(rgb, (105, 105, 105)) < 1.5


def test_cross_dissolve_middle_frame_is_the_mean_of_its_two_sources(tmp_path, mediagen):
    a_src, b_src = _webcam("webcam_book.mkv"), _webcam("webcam_yes.mkv")
    a = Clip("clip-1", str(a_src), 0, 20, source_frames=40)
    b = Clip("clip-2", str(b_src), 20, 20, source_in=10, source_frames=40, transition="dissolve", transition_frames=9)
    project = _project(Track("video", (a, b)), size=(540, 960))
    out = tmp_path / "dissolve.mp4"
    export_project(project, out, ExportOptions(quality="draft", cover=False, sidecar=False, preflight=False))
    got = mediagen.decode_frames(out, [15, 16, 20, 24, 25])
    src_a = mediagen.decode_frames(a_src, [15, 16, 20, 24])
    src_b = mediagen.decode_frames(b_src, [5, 6, 10, 14])  # clip-2 shows source frame 10 at frame 20

    def fill(rgb):
        return _centre_crop(rgb, 540, 960).astype(np.float32)

    def shown(i):
        return cv2.resize(got[i], (540, 960), interpolation=cv2.INTER_AREA).astype(np.float32)

    # the window is frames 16..24 (9 frames centred on the cut at 20): 20 is its middle, p = 0.5
    mean = (fill(src_a[20]) + fill(src_b[10])) / 2
    assert _err(shown(20), mean) < 4
    assert _err(shown(20), fill(src_a[20])) > 3 * _err(shown(20), mean)
    assert _err(shown(15), fill(src_a[15])) < 4             # before the window: A alone
    assert _err(shown(16), fill(src_a[16]) * (1 - 1 / 18) + fill(src_b[6]) / 18) < 4
    assert _err(shown(24), fill(src_a[24]) / 18 + fill(src_b[14]) * (1 - 1 / 18)) < 4
    assert _err(shown(25), fill(mediagen.decode_frames(b_src, [15])[15])) < 4  # after: B alone


def test_pan_moves_the_crop_by_hand_and_by_keys(tmp_path, mediagen):
    """A person left of centre in 16:9 footage is cut in half by the centred 9:16 crop; `pan`
    moves the crop (keyable, also as a correction of a follow path)."""
    wide = np.zeros((180, 320, 3), np.uint8)
    wide[:, :108] = (250, 0, 0)     # the left third red ...
    wide[:, 108:212] = (0, 0, 250)  # ... the middle blue, the right third green
    wide[:, 212:] = (0, 250, 0)
    src = str(mediagen.write_png(tmp_path / "wide.png", wide))
    crop_w = 180 * 9 / 16 / 320  # the 9:16 crop is ~0.32 of the width
    with Renderer() as renderer:
        centred = renderer.render(_project(Track("video", (Clip("clip-1", src, 0, 31),))), 0)
        assert _err(centred, (0, 0, 250)) < 2
        left = Clip("clip-1", src, 0, 31, pan=crop_w / 2 - 0.5)  # the crop at the left edge
        assert _err(renderer.render(_project(Track("video", (left,))), 0), (250, 0, 0)) < 2
        keyed = Clip("clip-1", src, 0, 31, fit="follow", keys=(Key("pan", 0, -0.5), Key("pan", 30, 0.5)))
        project = _project(Track("video", (keyed,)))
        first, middle, last = (renderer.render(project, f) for f in (0, 15, 30))
        assert _err(first, (250, 0, 0)) < 2 and _err(last, (0, 250, 0)) < 2   # kept inside the picture
        assert _err(middle, (0, 0, 250)) < 2  # the still picture's follow path is the middle


def test_remove_background_puts_a_real_person_over_another_clip(tmp_path, mediagen):
    """The person segmentation as a cut-out: the webcam take's room is gone and the clip below
    shows around the person, whose face keeps its own pixels."""
    take = _webcam("webcam_book.mkv")
    below = _still(tmp_path, mediagen, "below.png", (30, 200, 60))
    person = Clip("clip-2", str(take), 0, 10, source_frames=10, effects=(EffectRef("remove_background", {}),))
    alone = Clip("clip-2", str(take), 0, 10, source_frames=10)
    with Renderer() as renderer:
        cut = renderer.render(_project(Track("video", (Clip("clip-1", below, 0, 10),)), Track("video", (person,))), 5)
        plain = renderer.render(_project(Track("video", (alone,))), 5)
        anchor = renderer.face_anchor(alone, 5, Fraction(30), W, H)
    assert anchor is not None
    fx, fy, fw, _ = anchor
    x0, x1 = int((fx - fw / 3) * W), int((fx + fw / 3) * W)
    face = (slice(max(0, int(fy * H) - 15), int(fy * H) + 15), slice(x0, x1))
    assert _err(cut[face], plain[face]) < 6                     # the face is the take's own
    assert _err(cut[face], (30, 200, 60)) > 60
    corner = (slice(10, 60), slice(10, 60))                     # the room behind, top left
    assert _err(cut[corner], (30, 200, 60)) < 25
    assert _err(plain[corner], (30, 200, 60)) > 60
