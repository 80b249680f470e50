"""chroma_key on green-screen footage made here: a real person (webcam frame cut out with MediaPipe
segmentation) and anti-aliased shapes with a green spill halo, keyed over a colour, an image and
through a real export."""
from __future__ import annotations

from fractions import Fraction

import cv2
import numpy as np
import pytest

from studio.effects import EffectChain, EffectError, FrameContext, default_registry
from studio.model import Clip, EffectRef, Project, Timeline, Track

REG = default_registry()
KEY = REG.get("chroma_key")
SCREEN = (10, 235, 20)  # a real screen is not #00ff00; the default key must still take it
BG = (40, 60, 210)


def screen(h, w, seed=0):
    """A green screen with sensor noise."""
    rng = np.random.default_rng(seed)
    noise = rng.integers(-6, 7, (h, w, 3))
    return np.clip(np.array(SCREEN) + noise, 0, 255).astype(np.uint8)


def key(rgb, **params):
    p = REG.validate("chroma_key", {"source": "#%02x%02x%02x" % BG, **params})
    KEY.check(p)
    h, w = rgb.shape[:2]
    return KEY.apply(rgb, FrameContext(0, 0.0, None, (w, h), {}), p)


def err(a, b):
    return np.abs(a.astype(int) - np.asarray(b, int)).mean()


def green_excess(rgb):
    """How far green leads the larger of red and blue (0 where it does not)."""
    rgb = rgb.astype(int)
    return np.maximum(0, rgb[..., 1] - np.maximum(rgb[..., 0], rgb[..., 2]))


# -- synthetic: shapes over green ------------------------------------------------------------------

SHAPES = [  # colour, draw(img, colour) at 4x
    ((225, 180, 150), lambda im, c: cv2.circle(im, (4 * 150, 4 * 300), 4 * 90, c, -1)),    # skin
    ((185, 185, 185), lambda im, c: cv2.rectangle(im, (4 * 300, 4 * 200), (4 * 480, 4 * 420), c, -1)),  # grey
    ((200, 30, 40), lambda im, c: cv2.circle(im, (4 * 270, 4 * 650), 4 * 110, c, -1)),     # red
    ((30, 40, 160), lambda im, c: cv2.fillPoly(im, [4 * np.array([[60, 800], [200, 930], [60, 930]])], c)),
]
HALO = 5  # px of green spill inside each shape's edge


def synthetic(w=540, h=960):
    """(frame, coverage float 0..1, halo band mask, shapes without spill) at w x h."""
    cover = np.zeros((4 * h, 4 * w), np.uint8)
    colours = np.zeros((4 * h, 4 * w, 3), np.uint8)
    for colour, draw in SHAPES:
        draw(colours, colour)
        draw(cover, 255)
    # anti-aliased edges: draw at 4x, average down
    cov = cv2.resize(cover, (w, h), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
    solid = (cov > 0.999).astype(np.uint8)
    colours = cv2.resize(colours, (w, h), interpolation=cv2.INTER_AREA).astype(np.float32)
    # colours was averaged with black outside: undo that to get the shapes' own colour at their rim
    subject = np.where(cov[..., None] > 0, colours / np.maximum(cov[..., None], 1e-3), 0)
    subject = np.clip(subject, 0, 255)
    # spill: green light on the subject, strongest at its edge, gone HALO px in
    inside = cv2.distanceTransform(solid, cv2.DIST_L2, 3)
    halo = np.clip(1 - inside / HALO, 0, 1) * (cov > 0)
    spilled = subject.copy()
    spilled[..., 1] += 18 * halo
    frame = spilled * cov[..., None] + screen(h, w) * (1 - cov[..., None])
    band = (halo > 0.2) & (cov > 0.5)
    return np.clip(frame + 0.5, 0, 255).astype(np.uint8), cov, band, np.clip(subject + 0.5, 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def shapes():
    return synthetic()


def test_shapes_keyed_to_a_colour(shapes):
    frame, cov, band, subject = shapes
    out = key(frame)
    keyed = cv2.erode((cov == 0).astype(np.uint8), np.ones((9, 9), np.uint8)).astype(bool)
    interior = cv2.erode((cov > 0.999).astype(np.uint8), np.ones((2 * HALO + 7,) * 2, np.uint8)).astype(bool)
    assert keyed.mean() > 0.5 and interior.mean() > 0.1
    assert err(out[keyed], BG) < 1.0
    assert (np.abs(out[keyed].astype(int) - BG).max(1) <= 1).mean() > 0.99
    assert err(out[interior], subject[interior]) < 1.0  # the subject keeps its colours
    for colour, _ in SHAPES:  # each shape, not just on average
        own = interior & (np.abs(subject.astype(int) - colour).max(2) <= 1)
        assert own.sum() > 500 and err(out[own], colour) < 2.0, colour


def test_spill_removed_at_the_edges(shapes):
    frame, cov, band, subject = shapes
    fringe = band & (green_excess(frame) > 4)  # skin and grey: green light on red or blue does not lead
    assert fringe.sum() > 1000 and green_excess(frame)[fringe].mean() > 15
    spill_kept = key(frame, spill=0.0)
    assert green_excess(spill_kept)[fringe].mean() > 4
    out = key(frame)
    assert green_excess(out)[fringe].mean() < 1.5
    assert np.percentile(green_excess(out)[fringe], 99) < 12
    # and inside, away from the spill, the skin and grey are untouched
    interior = cv2.erode((cov > 0.999).astype(np.uint8), np.ones((2 * HALO + 7,) * 2, np.uint8)).astype(bool)
    assert err(out[interior], subject[interior]) < 1.0


def test_soft_edge_is_monotonic(shapes):
    frame, cov, band, subject = shapes
    out = key(frame, smoothness=0.15).astype(int)
    # from the red disc's centre (270, 650) right across its edge into the keyed screen
    row = out[650, 270:420]
    red = row[:, 0]
    to_bg = np.abs(row - BG).sum(1)  # how far from the background: shrinks all the way out
    assert np.all(np.diff(to_bg) <= 2)
    assert abs(red[0] - 200) <= 2 and to_bg[-1] <= 2
    between = (red < 195) & (red > BG[0] + 5)
    assert 1 <= between.sum() <= 6  # a soft edge, but not a smear
    # more smoothness, a wider edge
    hard = key(frame, smoothness=0.0).astype(int)[650, 270:420, 0]
    assert ((hard < 195) & (hard > BG[0] + 5)).sum() <= between.sum()


def test_key_colour_similarity_and_a_blue_screen():
    frame = np.zeros((200, 200, 3), np.uint8)
    frame[:] = (20, 40, 230)  # blue screen
    frame[50:150, 50:150] = (230, 200, 40)  # yellow card
    assert err(key(frame)[:40], (20, 40, 230)) < 1  # a green key leaves a blue screen alone
    out = key(frame, key_color="#0000ff")
    assert err(out[:40], BG) < 1 and err(out[70:130, 70:130], (230, 200, 40)) < 1
    # similarity 0 keys only the exact key colour
    out = key(frame, key_color="#1428e6", similarity=0.01, smoothness=0.0, spill=0.0)
    assert err(out[:40], BG) < 1
    out = key(frame, key_color="#00ff00", similarity=0.0, smoothness=0.0)
    assert np.array_equal(out, frame)


def test_image_background_and_bad_source(tmp_path, shapes, mediagen):
    frame, cov, band, subject = shapes
    h, w = frame.shape[:2]
    img = np.zeros((h // 2, w // 2, 3), np.uint8)
    img[:, : w // 4] = (250, 200, 0)
    img[:, w // 4:] = (0, 200, 250)
    path = mediagen.write_png(tmp_path / "beach.png", img)
    p = REG.validate("chroma_key", {"source": str(path)})
    KEY.check(p)
    out = KEY.apply(frame, FrameContext(0, 0.0, None, (w, h), {}), p)
    keyed = cv2.erode((cov == 0).astype(np.uint8), np.ones((9, 9), np.uint8)).astype(bool)
    left, right = keyed.copy(), keyed.copy()
    left[:, w // 2 - 4:] = False
    right[:, : w // 2 + 4] = False
    assert err(out[left], (250, 200, 0)) < 2 and err(out[right], (0, 200, 250)) < 2
    with pytest.raises(EffectError, match="chroma_key.*file not found"):
        EffectChain([EffectRef("chroma_key", {"source": str(tmp_path / "nope.png")})])
    with pytest.raises(EffectError, match="chroma_key.*key_color"):
        REG.validate("chroma_key", {"key_color": "green"})


# -- a real person over green -------------------------------------------------------------------------

def _person_on_green(webcam_clip, read_frames):
    from studio.tracking import Tracker

    frame = read_frames(webcam_clip("webcam_book.mkv"), 31)[30]
    with Tracker({"segmentation"}, smooth=False) as t:
        tracking = t.track(frame, 0.0)
    m = tracking.person_mask.at(tracking.size).astype(np.float32) / 255
    h, w = frame.shape[:2]
    comp = frame * m[..., None] + screen(h, w) * (1 - m[..., None])
    return np.clip(comp + 0.5, 0, 255).astype(np.uint8), m, frame


def test_person_keyed_over_a_colour(webcam_clip, read_frames):
    comp, m, frame = _person_on_green(webcam_clip, read_frames)
    out = key(comp)
    person = cv2.erode((m > 0.99).astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    keyed = cv2.erode((m < 0.01).astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    edge = (m > 0.1) & (m < 0.9)
    assert person.mean() > 0.1 and keyed.mean() > 0.5 and edge.sum() > 1000
    assert err(out[keyed], BG) < 1.0
    assert err(out[person], frame[person]) < 4.0
    assert np.percentile(np.abs(out[person].astype(int) - frame[person]).max(1), 95) < 12
    # where the cut-out blended the person into the screen, no bright green rim is left
    assert green_excess(comp)[edge].mean() > 40
    assert green_excess(out)[edge].mean() < 3.0
    assert green_excess(key(comp, spill=0.0))[edge].mean() > 3 * green_excess(out)[edge].mean()


# -- through an export --------------------------------------------------------------------------------

def test_export_with_chroma_key(tmp_path, mediagen):
    from studio.render.export import ExportOptions, export_project

    shapes = cv2.resize(synthetic()[0], (270, 480), interpolation=cv2.INTER_AREA)

    def picture(i):  # the shapes slide right 2 px a frame
        return np.ascontiguousarray(np.roll(shapes, 2 * i, axis=1))

    src = mediagen.write_clip(tmp_path / "green.mp4", size=(270, 480), seconds=1.0, picture=picture, audio=None)
    bg = np.zeros((64, 36, 3), np.uint8)
    bg[:32] = (240, 120, 0)
    bg[32:] = (0, 120, 240)
    bg_path = mediagen.write_png(tmp_path / "sunset.png", bg)
    frames = 30
    clip = Clip("c1", str(src), 0, frames, source_frames=frames,
                effects=(EffectRef("chroma_key", {"source": str(bg_path)}),))
    project = Project(name="key", fps=Fraction(30), timeline=Timeline((Track("video", (clip,)),)))
    out = tmp_path / "keyed.mp4"
    export_project(project, out, ExportOptions(quality="draft", cover=False, sidecar=False, preflight=False))
    decoded = mediagen.decode_frames(out, [0, 20])
    for i, got in decoded.items():
        assert got.shape == (1920, 1080, 3)
        # the screen's corners show the image's top and bottom halves
        assert err(got[40:300, 900:1060], (240, 120, 0)) < 8
        assert err(got[1700:1900, 900:1060], (0, 120, 240)) < 8
        # the red disc (centre (135, 325) in the source, moved 2 px a frame) is still red, not green
        cx, cy = 4 * (135 + 2 * i), 4 * 325
        assert err(got[cy - 60:cy + 60, cx - 60:cx + 60], (200, 30, 40)) < 8
        assert green_excess(got).mean() < 2
