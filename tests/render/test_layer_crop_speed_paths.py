"""The renderer converts and processes only the part of a source that shows (a duet half is about a
quarter of a 640x480 webcam frame). These tests hold that crop-first path to the pixels of the
whole-frame path: swscale's conversion of the whole decoded frame, then cut and drawn."""
from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
import pytest

from studio.effects.chain import EffectChain
from studio.effects.color import Look, Vignette
from studio.effects.registry import EffectRegistry
from studio.media.decode import open_visual
from studio.media.picture import Yuv420, planes_of
from studio.model import Clip, EffectRef, Project, Timeline, Track
from studio.model.layouts import LAYOUTS
from studio.render.animation import keyed
from studio.render.canvas import Canvas
from studio.render.compositor import Renderer
from studio.render.layers import draw_clip

REGIONS = [(0, 0, 640, 480), (252, 0, 135, 480), (253, 1, 134, 477), (101, 37, 9, 5), (639, 479, 1, 1)]


def _webcam(mediagen, name: str):
    path = mediagen.shared_media / name
    if not path.is_file():
        pytest.skip(f"shared webcam footage not present ({path})")
    return path


# the region is converted with the exact matrix; swscale's fixed point sits 0.5-1.5 levels lower
TOLERANCE_MEAN, TOLERANCE_MAX = 1.6, 3


def _diff(a: np.ndarray, b: np.ndarray) -> tuple[float, int]:
    d = np.abs(a.astype(np.int16) - b.astype(np.int16))
    return float(d.mean()), int(d.max())


@pytest.mark.parametrize("name", ["webcam_book.mkv", "webcam_yes.mkv"])
def test_regions_of_decoded_webcam_frames_match_the_whole_frame_conversion(mediagen, name):
    """Full-range (yuvj420p) BT.601 frames: each region as swscale converts the whole frame."""
    with open_visual(_webcam(mediagen, name)) as reader:
        for t in (0.0, 0.5, 1.3):
            picture = reader.picture_at(t)
            assert isinstance(picture, Yuv420)  # kept as planes, not converted whole
            whole = reader.frame_at(t, "rgb24")
            for x, y, w, h in REGIONS:
                part = picture.rgb(x, y, w, h)
                assert part.shape == (h, w, 3)
                mean, worst = _diff(part, whole[y:y + h, x:x + w])
                assert mean <= 1.0 and worst <= 2, (t, (x, y, w, h), mean, worst)  # full range: closer


@pytest.mark.parametrize("pix_fmt,rotation", [("yuv420p", 0), ("yuv420p", 90), ("yuvj420p", 270)])
def test_regions_of_limited_range_and_turned_sources_match(tmp_path, mediagen, pix_fmt, rotation):
    path = mediagen.write_clip(tmp_path / f"c_{pix_fmt}_{rotation}.mp4", size=(160, 96), seconds=0.5,
                               pix_fmt=pix_fmt, audio=None, rotation=rotation)
    with open_visual(path) as reader:
        whole = reader.frame_at(0.2, "rgb24")
        picture = reader.picture_at(0.2)
        assert (picture.height, picture.width) == whole.shape[:2]
        for x, y, w, h in [(0, 0, picture.width, picture.height), (3, 5, 40, 61), (10, 0, 1, picture.height)]:
            mean, worst = _diff(picture.rgb(x, y, w, h), whole[y:y + h, x:x + w])
            assert mean <= TOLERANCE_MEAN and worst <= TOLERANCE_MAX, (x, y, w, h, mean, worst)


def test_the_matrix_follows_the_frame_colour_tags():
    """A BT.709 limited-range frame and a full-range one are converted with their own matrices."""
    rng = np.random.default_rng(7)
    i420 = rng.integers(16, 236, (96, 64), dtype=np.uint8)
    for colorspace, color_range in ((1, 1), (1, 2), (2, 0)):
        frame = av.VideoFrame.from_ndarray(i420, format="yuv420p")
        frame.colorspace, frame.color_range = colorspace, color_range
        mean, worst = _diff(planes_of(frame).rgb(6, 4, 50, 58), frame.to_ndarray(format="rgb24")[4:62, 6:56])
        assert mean <= TOLERANCE_MEAN and worst <= TOLERANCE_MAX, (colorspace, color_range, mean, worst)


def _project(tracks, size=(540, 960)) -> Project:
    return Project(name="crop-first", width=size[0], height=size[1], fps=Fraction(30), timeline=Timeline(tuple(tracks)))


def _whole_frame_render(renderer: Renderer, project: Project, k: int, fmt: str) -> np.ndarray:
    """The frame drawn from whole source pictures (swscale-converted), as before the crop-first path."""
    canvas = Canvas(project.width, project.height, fmt)
    for lane, track in enumerate(project.timeline.tracks):
        layer = track.item_at(k)
        clip, overrides = keyed(layer, k - layer.start)
        rgb, alpha = renderer.source_rgba(clip, k, project.fps, overrides, lane)
        draw_clip(canvas, rgb, alpha, clip, renderer.follow_centre(clip, k, project.fps, project.width, project.height))
    return canvas.buffer


def _layouts(book: str, yes: str):
    left, right = LAYOUTS["duet"].slots
    pip = LAYOUTS["pip"].slots[1]
    return {
        "duet": [Clip("l", book, 0, 40, **left), Clip("r", yes, 0, 40, **right)],
        "pip over a panned crop": [Clip("base", book, 0, 40, crop_left=0.1, crop_right=0.05, pan=0.08),
                                   Clip("corner", yes, 0, 40, **pip)],
        "fit_blur under a turned see-through clip": [
            Clip("base", yes, 0, 40, fit="fit_blur", crop_top=0.1),
            Clip("turned", book, 0, 40, x=0.4, y=0.6, box_w=0.6, box_h=0.5, rotation=12.0, opacity=0.7)],
    }


@pytest.mark.parametrize("layout", ["duet", "pip over a panned crop", "fit_blur under a turned see-through clip"])
@pytest.mark.parametrize("fmt", ["i420", "rgb"])
def test_crop_first_render_matches_the_whole_frame_path_on_webcam_footage(mediagen, layout, fmt):
    book, yes = str(_webcam(mediagen, "webcam_book.mkv")), str(_webcam(mediagen, "webcam_yes.mkv"))
    project = _project([Track("video", (clip,)) for clip in _layouts(book, yes)[layout]])
    with Renderer() as renderer:
        for k in (0, 7, 31):
            out = renderer.render(project, k, fmt=fmt)
            ref = _whole_frame_render(renderer, project, k, fmt)
            assert out.shape == ref.shape
            mean, worst = _diff(out, ref)
            # 2 levels of conversion rounding, through a resize and the RGB -> Y'CbCr matrix
            assert mean < 0.8 and worst <= 4, (layout, fmt, k, mean, worst)
            assert out.std() > 10  # real footage, not a blank canvas


class _PointwiseLook(Look):
    pointwise = True  # a LUT maps each pixel by its value alone


def test_a_pointwise_chain_gives_the_same_pixels_on_a_crop_as_on_the_whole_frame(mediagen):
    with open_visual(_webcam(mediagen, "webcam_book.mkv")) as reader:
        rgb = reader.frame_at(0.4, "rgb24")
    refs = [EffectRef("look", {"name": "vivid", "intensity": 0.8})]
    chain = EffectChain(refs, registry=EffectRegistry([_PointwiseLook()]))
    assert chain.pointwise
    whole, _ = chain.apply_rgba(rgb, frame_index=3, time=0.1)
    part, _ = chain.apply_rgba(np.ascontiguousarray(rgb[13:400, 252:387]), frame_index=3, time=0.1)
    assert np.array_equal(part, whole[13:400, 252:387])
    assert _diff(whole, rgb)[0] > 3  # the look changed the picture


def test_chains_that_move_pixels_or_read_positions_are_not_pointwise():
    assert not EffectChain([EffectRef("vignette", {})], registry=EffectRegistry([Vignette()])).pointwise
    registry = EffectRegistry([_PointwiseLook(), Vignette()])
    mixed = [EffectRef("look", {"name": "vivid"}), EffectRef("vignette", {})]
    assert not EffectChain(mixed, registry=registry).pointwise
    assert not EffectChain([EffectRef("face_sticker", {})]).pointwise  # needs tracking
