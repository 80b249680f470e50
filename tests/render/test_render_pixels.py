"""The renderer's pixels: stickers, text, reframing, animations, keyframes, preview and I420 paths."""
from __future__ import annotations

from fractions import Fraction

import cv2
import numpy as np
import pytest

from studio.model import Clip, Keyframe, Project, StickerItem, TextItem, Timeline, Track
from studio.render.animation import anim_state
from studio.render.colour import i420_to_rgb
from studio.render.compositor import Renderer, render_frame

W, H = 1080, 1920
BG = (30, 160, 60)
FRAMES = 60


def project_with(background: str, *overlays, fit: str = "fill", frames: int = FRAMES) -> Project:
    """A still-image clip with each overlay on its own overlay track (so they may overlap in time)."""
    tracks = [Track("video", (Clip("bg", background, 0, frames, fit=fit),), name="Video")]
    tracks += [Track("overlay", (item,), name=f"o{i}") for i, item in enumerate(overlays)]
    return Project(name="pixels", width=W, height=H, fps=Fraction(30), timeline=Timeline(tuple(tracks)))


@pytest.fixture(scope="module")
def flat_bg(engine_media, mediagen) -> str:
    return str(mediagen.write_png(engine_media / "flat_bg.png", mediagen.solid(540, 960, BG)))


@pytest.fixture(scope="module")
def ringed_sticker(engine_media, mediagen) -> str:
    """120x120: half-transparent blue (alpha 128) all over, an opaque red 60x60 square in the middle."""
    rgba = np.zeros((120, 120, 4), np.uint8)
    rgba[...] = (0, 0, 255, 128)
    rgba[30:90, 30:90] = (255, 0, 0, 255)
    return str(mediagen.write_png(engine_media / "ringed.png", rgba))


@pytest.fixture(scope="module")
def red_square(engine_media, mediagen) -> str:
    rgba = np.zeros((40, 40, 4), np.uint8)
    rgba[...] = (255, 0, 0, 255)
    return str(mediagen.write_png(engine_media / "red_square.png", rgba))


@pytest.fixture(scope="module")
def bands(engine_media, mediagen) -> str:
    """640x480: red [0,160), green [160,480), blue [480,640), a dark-green stripe at x [310,330)."""
    img = mediagen.solid(640, 480, (0, 200, 0))
    img[:, :160] = (220, 0, 0)
    img[:, 480:] = (0, 0, 220)
    img[:, 310:330] = (0, 40, 0)
    return str(mediagen.write_png(engine_media / "bands.png", img))


# The ringed sticker at scale 1/9 is exactly 120 px wide on a 1080 canvas (no resampling), centred
# at (0.25 W, 0.4 H) = (270, 768): its box is x [210, 330), y [708, 828).
BOX = (210, 708, 330, 828)


def _sticker_project(bg, sticker):
    return project_with(bg, StickerItem("s", 0, FRAMES, sticker, x=0.25, y=0.4, scale=1 / 9))


def _expected_half_blue():
    a = 128 / 255
    return np.array(BG) * (1 - a) + np.array([0, 0, 255]) * a


def test_sticker_position_and_alpha_rgb(flat_bg, ringed_sticker):
    frame = render_frame(_sticker_project(flat_bg, ringed_sticker), 10)
    assert frame.shape == (H, W, 3)
    x0, y0, x1, y1 = BOX
    # opaque centre: exactly the sticker's colour
    assert tuple(frame[768, 270]) == (255, 0, 0)
    assert np.all(frame[y0 + 32:y0 + 88, x0 + 32:x0 + 88] == (255, 0, 0))
    # half-transparent ring: blue over the background at alpha 128/255
    for y, x in [(y0 + 5, x0 + 5), (y0 + 5, x1 - 6), (y1 - 6, x0 + 60), (y0 + 60, x1 - 3)]:
        assert np.abs(frame[y, x].astype(float) - _expected_half_blue()).max() <= 1.5, (y, x, frame[y, x])
    # everything outside the box is untouched background
    outside = np.ones((H, W), bool)
    outside[y0:y1, x0:x1] = False
    assert np.all(frame[outside] == BG)
    # and the box's edges are the sticker's, i.e. it is not shifted by a pixel
    assert not np.all(frame[y0, x0:x1] == BG) and not np.all(frame[y1 - 1, x0:x1] == BG)
    assert not np.all(frame[y0:y1, x0] == BG) and not np.all(frame[y0:y1, x1 - 1] == BG)


def test_sticker_position_and_alpha_i420(flat_bg, ringed_sticker):
    buf = render_frame(_sticker_project(flat_bg, ringed_sticker), 10, fmt="i420")
    assert buf.shape == (H * 3 // 2, W) and buf.dtype == np.uint8
    frame = i420_to_rgb(buf, W, H).astype(int)
    x0, y0, x1, y1 = BOX
    assert np.abs(frame[768, 270] - (255, 0, 0)).max() <= 6
    assert np.abs(frame[y0 + 40:y0 + 80, x0 + 40:x0 + 80] - (255, 0, 0)).max() <= 6
    for y, x in [(y0 + 8, x0 + 8), (y1 - 8, x0 + 60), (y0 + 60, x1 - 8)]:
        assert np.abs(frame[y, x] - _expected_half_blue()).max() <= 6, (y, x, frame[y, x])
    outside = np.ones((H, W), bool)
    outside[y0 - 2:y1 + 2, x0 - 2:x1 + 2] = False  # chroma upsampling may smear one pixel
    assert np.abs(frame[outside] - BG).max() <= 3


def _ink(frame, bg=BG, threshold=24):
    return np.abs(frame.astype(int) - bg).max(axis=2) > threshold


def _bbox(mask):
    ys, xs = np.nonzero(mask)
    assert len(xs), "nothing drawn"
    return xs.min(), ys.min(), xs.max() + 1, ys.max() + 1


def _text(content, **kw):
    kw = {"style": "bold_caps", "x": 0.5, "y": 0.5, "width": 0.8, "anim_in": "none", "anim_out": "none", **kw}
    return TextItem("t", 0, FRAMES, content, **kw)


STROKE_TOL = 2 * 8 + 10  # bold_caps' 8 px outline on both sides plus glyph overhang


def test_text_inside_its_box(flat_bg):
    renderer = Renderer()
    short = renderer.render(project_with(flat_bg, _text("Hello")), 10)
    x0, y0, x1, y1 = _bbox(_ink(short))
    assert abs((x0 + x1) / 2 - 0.5 * W) <= 12 and abs((y0 + y1) / 2 - 0.5 * H) <= 20
    assert 100 < x1 - x0 <= 0.8 * W and 40 < y1 - y0 < 200

    long_text = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    tall = renderer.render(project_with(flat_bg, _text(long_text, x=0.45, y=0.6)), 10)
    lx0, ly0, lx1, ly1 = _bbox(_ink(tall))
    assert lx1 - lx0 <= 0.8 * W + STROKE_TOL, "wrapped text is wider than item.width"
    assert lx0 >= 0.45 * W - 0.4 * W - STROKE_TOL / 2 and lx1 <= 0.45 * W + 0.4 * W + STROKE_TOL / 2
    assert ly1 - ly0 > 2.5 * (y1 - y0), "a long text must wrap into several lines"
    assert abs((ly0 + ly1) / 2 - 0.6 * H) <= 25

    narrow = renderer.render(project_with(flat_bg, _text(long_text, width=0.4)), 10)
    nx0, ny0, nx1, ny1 = _bbox(_ink(narrow))
    assert nx1 - nx0 <= 0.4 * W + STROKE_TOL
    assert ny1 - ny0 > (ly1 - ly0) * 1.5, "a narrower box makes the text taller"
    renderer.close()


def test_text_size_scales_with_preview(flat_bg):
    project = project_with(flat_bg, _text("Hello"))
    full = _bbox(_ink(render_frame(project, 10)))
    small = _bbox(_ink(render_frame(project, 10, size=(270, 480))))
    assert abs((full[2] - full[0]) / 4 - (small[2] - small[0])) <= 4


def _sharp_edge(row):
    return np.abs(np.diff(row.astype(int), axis=0)).max()


def test_reframe_fill_shows_only_the_centre(bands):
    frame = render_frame(project_with(bands, fit="fill"), 0)
    assert frame[..., 0].max() < 30 and frame[..., 2].max() < 30, "side bands leaked into a fill crop"
    assert frame[960, 100, 1] > 180 and frame[960, 1000, 1] > 180
    # the dark stripe (x 310..330 of the 270 px crop starting at 185) is scaled by 4: x 500..580
    assert frame[960, 540, 1] < 60


def test_reframe_fit_black(bands):
    frame = render_frame(project_with(bands, fit="fit_black"), 0)
    # 640x480 scaled by 1.6875 -> 1080x810, centred at y 554..1364
    assert np.all(frame[:550] == 0) and np.all(frame[1368:] == 0)
    row = frame[960]
    assert row[40, 0] > 180 and row[400, 1] > 180 and row[1040, 2] > 180  # whole width shown
    assert row[40, 2] < 30 and row[1040, 0] < 30


def test_reframe_fit_blur(bands):
    frame = render_frame(project_with(bands, fit="fit_blur"), 0)
    row = frame[960]
    assert row[40, 0] > 180 and row[400, 1] > 180 and row[1040, 2] > 180  # the whole frame, sharp
    assert _sharp_edge(row[380:700, 1]) > 60
    for y in (200, 1700):  # above and below: a blurred, darker copy of the centre crop
        band = frame[y]
        assert band.mean() > 20, "fit_blur background is black"
        assert band[:, 1].max() < 0.8 * 200, "blurred background is not darker"
        assert _sharp_edge(band[:, 1]) < 25, "background is not blurred"
        assert band[:, 0].max() < 20 and band[:, 2].max() < 20  # it shows the centre, not the sides
    assert abs(int(frame[200, 540, 1]) - int(frame[100, 540, 1])) < 20


def _coverage(frame):
    return float(np.abs(frame.astype(int) - BG).sum())


def test_fade_in_opacity_rises(flat_bg):
    project = project_with(flat_bg, _text("Fade in", anim_in="fade", anim_frames=9))
    with Renderer() as r:
        values = [_coverage(r.render(project, f, size=(270, 480))) for f in (0, 2, 4, 6, 8, 12)]
    assert all(b > a for a, b in zip(values, values[1:-1])), values
    assert values[-1] >= values[-2] and values[0] < 0.2 * values[-1], values
    # and the pure function it uses
    assert [round(anim_state("fade", "none", 9, k, 60).opacity, 2) for k in (0, 4, 9)] == [0.1, 0.5, 1.0]


def test_typewriter_reveals_more_characters(flat_bg):
    project = project_with(flat_bg, _text("Typewriter", anim_in="typewriter", anim_frames=12))
    with Renderer() as r:
        masks = [_ink(r.render(project, f, size=(540, 960))) for f in (1, 4, 8, 14)]
    counts = [int(m.sum()) for m in masks]
    assert all(b > a for a, b in zip(counts, counts[1:])), counts
    rightmost = [_bbox(m)[2] for m in masks]
    assert all(b > a for a, b in zip(rightmost, rightmost[1:])), rightmost
    # what was revealed stays where it was: letters do not move while the text grows
    early, late = masks[1], masks[3]
    assert (early & ~late).sum() < 0.02 * early.sum()


def test_keyframed_sticker_moves(flat_bg, red_square):
    item = StickerItem("s", 0, FRAMES, red_square, scale=40 / W,
                       keyframes=(Keyframe(0, 0.2, 0.3, 40 / W), Keyframe(30, 0.8, 0.7, 40 / W)))
    project = project_with(flat_bg, item)
    with Renderer() as r:
        for frame_index, (fx, fy) in [(0, (0.2, 0.3)), (15, (0.5, 0.5)), (30, (0.8, 0.7)), (50, (0.8, 0.7))]:
            frame = r.render(project, frame_index)
            red = (frame[..., 0] > 200) & (frame[..., 1] < 60)
            ys, xs = np.nonzero(red)
            assert len(xs) == 40 * 40, frame_index
            assert abs(xs.mean() + 0.5 - fx * W) <= 1.0 and abs(ys.mean() + 0.5 - fy * H) <= 1.0, frame_index


def _scene(bands, red_square):
    return project_with(bands, _text("Preview title", style="classic", y=0.25),
                        StickerItem("s", 0, FRAMES, red_square, x=0.7, y=0.7, scale=0.2), fit="fit_blur")


def test_preview_matches_full_size_downscaled(bands, red_square):
    project = _scene(bands, red_square)
    with Renderer() as r:
        full = r.render(project, 20)
        preview = r.render(project, 20, size=(270, 480))
    assert preview.shape == (480, 270, 3)
    down = cv2.resize(full, (270, 480), interpolation=cv2.INTER_AREA).astype(int)
    diff = np.abs(down - preview.astype(int))
    assert diff.mean() < 3.0, diff.mean()
    assert np.percentile(diff, 99) < 64


def test_rgb_and_i420_paths_agree(bands, red_square):
    project = _scene(bands, red_square)
    with Renderer() as r:
        rgb = r.render(project, 20).astype(int)
        yuv = i420_to_rgb(r.render(project, 20, fmt="i420"), W, H).astype(int)
    diff = np.abs(rgb - yuv)
    assert diff.mean() < 2.0, diff.mean()
    assert np.percentile(diff, 99) < 30
