"""Transitions at cuts: the timing rule shared by the compositor and the OTIO export, and the
picture of every kind, in RGB (preview) and I420 (export) alike."""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import pytest

from studio.model import Clip
from studio.render.canvas import I420, RGB, Sprite, make_sprite
from studio.render.colour import i420_to_rgb
from studio.render.transitions import (TRANSITIONS, progress, transition_at, transition_length,
                                       transition_sprite, window)

W, H = 120, 200  # small, even, portrait
KINDS = [k for k in TRANSITIONS if k != "none"]
FORMATS = (RGB, I420)


# -- pictures -------------------------------------------------------------------------------

def opaque(rgb: np.ndarray) -> np.ndarray:
    return np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)])


def quadrants(colours) -> np.ndarray:
    """Top-left, top-right, bottom-left, bottom-right in four flat colours."""
    img = np.empty((H, W, 3), np.uint8)
    (tl, tr), (bl, br) = colours[:2], colours[2:]
    img[:H // 2, :W // 2], img[:H // 2, W // 2:], img[H // 2:, :W // 2], img[H // 2:, W // 2:] = tl, tr, bl, br
    return opaque(img)


QA = [(220, 30, 30), (240, 200, 20), (200, 80, 160), (120, 60, 20)]   # A: red, yellow, pink, brown
QB = [(20, 60, 220), (20, 200, 90), (20, 200, 220), (90, 20, 160)]   # B: blue, green, cyan, violet


def smooth(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    small = rng.integers(30, 225, (5, 3, 3), dtype=np.uint8)
    return opaque(cv2.resize(small, (W, H), interpolation=cv2.INTER_CUBIC))


def stripes(horizontal: bool) -> np.ndarray:
    """8-pixel black/white stripes: horizontal ones vary along y only, vertical ones along x only."""
    n = H if horizontal else W
    line = np.where((np.arange(n) // 8) % 2 == 0, 30, 220).astype(np.uint8)
    grey = np.broadcast_to(line[:, None] if horizontal else line[None, :], (H, W))
    return opaque(np.repeat(grey[..., None], 3, axis=2).copy())


def as_rgb(sprite: Sprite) -> np.ndarray:
    """The sprite's picture (opaque sprites: premultiplied values are the picture) as RGB int."""
    if sprite.fmt == RGB:
        return sprite.planes[0][0].astype(int)
    buffer = np.concatenate([values.reshape(-1) for values, _ in sprite.planes]).reshape(H * 3 // 2, W)
    return i420_to_rgb(buffer, W, H).astype(int)


def sprites(rgba_a: np.ndarray, rgba_b: np.ndarray, fmt: str) -> tuple[Sprite, Sprite]:
    return make_sprite(rgba_a, fmt), make_sprite(rgba_b, fmt)


def same(x: Sprite, y: Sprite, tolerance: int = 1) -> bool:
    return all(np.abs(vx.astype(int) - vy).max() <= tolerance and np.abs(ax.astype(int) - ay).max() <= tolerance
               for (vx, ax), (vy, ay) in zip(x.planes, y.planes))


def closeness(x: Sprite, target: Sprite, other: Sprite) -> float:
    """Mean distance of x to target, as a fraction of the distance between target and other."""
    return float(np.abs(as_rgb(x) - as_rgb(target)).mean() / np.abs(as_rgb(other) - as_rgb(target)).mean())


def snapshot(sprite: Sprite) -> list[np.ndarray]:
    return [array.copy() for plane in sprite.planes for array in plane]


# -- every kind -------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_starts_on_a_ends_on_b_and_leaves_its_inputs_alone(kind, fmt):
    a, b = sprites(quadrants(QA), quadrants(QB), fmt)
    before = snapshot(a) + snapshot(b)
    assert same(transition_sprite(kind, 0.0, a, b), a) and same(transition_sprite(kind, 1.0, a, b), b)
    # the first and last frames of a 15-frame window are close to A and to B
    first, last = transition_sprite(kind, progress(0, 0, 15), a, b), transition_sprite(kind, progress(14, 0, 15), a, b)
    assert closeness(first, a, b) < 0.1 and closeness(last, b, a) < 0.1
    for p in (0.3, 0.5, 0.7):
        out = transition_sprite(kind, p, a, b)
        assert (out.fmt, out.width, out.height) == (fmt, W, H)
        for (values, alpha), (va, aa) in zip(out.planes, a.planes):
            assert values.shape == va.shape and alpha.shape == aa.shape and values.dtype == np.uint8
            assert not np.shares_memory(values, va) and not np.shares_memory(alpha, aa)
            assert alpha.min() == 255  # opaque sources give an opaque frame
    assert all(np.array_equal(x, y) for x, y in zip(before, snapshot(a) + snapshot(b)))


@pytest.mark.parametrize("kind", KINDS)
def test_rgb_and_i420_show_the_same_picture(kind):
    """Geometry is computed once on an even grid and applied per plane, so preview (RGB) and export
    (I420) agree up to chroma subsampling, whose error sits on sharp edges only."""
    ra, rb = smooth(1), smooth(2)
    for p in (0.2, 0.45, 0.5, 0.55, 0.8):
        rgb = as_rgb(transition_sprite(kind, p, *sprites(ra, rb, RGB)))
        i420 = as_rgb(transition_sprite(kind, p, *sprites(ra, rb, I420)))
        diff = np.abs(rgb - i420)
        assert diff.mean() < 2.5 and (diff > 12).mean() < 0.03, (kind, p, diff.mean(), (diff > 12).mean())


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_dissolve_is_linear_and_its_middle_is_the_mean(fmt):
    a, b = sprites(smooth(3), smooth(4), fmt)
    mid = transition_sprite("dissolve", 0.5, a, b)
    for (v, al), (va, aa), (vb, ab) in zip(mid.planes, a.planes, b.planes):
        assert np.abs(v.astype(int) - (va.astype(int) + vb) / 2).max() <= 1
        assert np.abs(al.astype(int) - (aa.astype(int) + ab) / 2).max() <= 1
    quarter = transition_sprite("dissolve", 0.25, a, b)
    (v, _), (va, _), (vb, _) = quarter.planes[0], a.planes[0], b.planes[0]
    assert np.abs(v - (0.75 * va + 0.25 * vb)).max() <= 1


def test_a_dissolve_of_translucent_sprites_is_premultiplied():
    """Half-transparent red to opaque blue: at the middle alpha is the mean and the values are
    the mean of premultiplied values (no dark fringe from mixing straight colours)."""
    ra = np.zeros((H, W, 4), np.uint8)
    ra[...] = (255, 0, 0, 100)
    a, b = sprites(ra, opaque(np.full((H, W, 3), (0, 0, 255), np.uint8)), RGB)
    (values, alpha), = transition_sprite("dissolve", 0.5, a, b).planes
    assert abs(int(alpha[0, 0]) - 178) <= 1 and abs(int(values[0, 0, 0]) - 50) <= 1 and abs(int(values[0, 0, 2]) - 128) <= 1


@pytest.mark.parametrize("fmt, black, white", [(RGB, (0, 0, 0), (255, 255, 255)), (I420, (16, 128, 128), (235, 128, 128))])
def test_a_dip_passes_through_an_opaque_colour_at_the_cut(fmt, black, white):
    a, b = sprites(smooth(5), smooth(6), fmt)
    for kind, colour in (("dip_black", black), ("dip_white", white)):
        mid = transition_sprite(kind, 0.5, a, b)
        if fmt == RGB:
            assert (mid.planes[0][0] == np.array(colour, np.uint8)).all()
        else:
            assert [int(v.min()) for v, _ in mid.planes] == [int(v.max()) for v, _ in mid.planes] == list(colour)
        assert all(al.min() == 255 for _, al in mid.planes)
        # first half: A towards the colour (only A's picture shows), second half: the colour towards B
        quarter = transition_sprite(kind, 0.25, a, b).planes[0][0].astype(int)
        va, vb = a.planes[0][0].astype(int), b.planes[0][0].astype(int)
        c = np.array(colour if fmt == RGB else colour[0])
        assert np.abs(quarter - (va + c) / 2).max() <= 1
        three = transition_sprite(kind, 0.75, a, b).planes[0][0].astype(int)
        assert np.abs(three - (vb + c) / 2).max() <= 1


def quadrant_colours(picture: np.ndarray) -> list[tuple[int, ...]]:
    """The colour at the centre of each quadrant (TL, TR, BL, BR)."""
    return [tuple(int(c) for c in picture[y, x]) for y in (H // 4, 3 * H // 4) for x in (W // 4, 3 * W // 4)]


def near(got, want, tolerance=6) -> bool:
    return all(max(abs(g - w) for g, w in zip(gc, wc)) <= tolerance for gc, wc in zip(got, want))


TL, TR, BL, BR = range(4)
# kind -> which quadrant of A / B each output quadrant shows at p = 0.5 (TL, TR, BL, BR)
HALVES = {
    "slide_left": [("a", TL), ("b", TL), ("a", BL), ("b", BL)],     # B enters from the right
    "slide_right": [("b", TR), ("a", TR), ("b", BR), ("a", BR)],    # B enters from the left
    "slide_up": [("a", TL), ("a", TR), ("b", TL), ("b", TR)],       # B enters from below
    "slide_down": [("b", BL), ("b", BR), ("a", BL), ("a", BR)],     # B enters from above
    "push_left": [("a", TR), ("b", TL), ("a", BR), ("b", BL)],      # A leaves to the left
    "push_right": [("b", TR), ("a", TL), ("b", BR), ("a", BL)],
    "push_up": [("a", BL), ("a", BR), ("b", TL), ("b", TR)],
    "push_down": [("b", BL), ("b", BR), ("a", TL), ("a", TR)],
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", sorted(HALVES))
def test_slides_and_pushes_are_half_way_at_the_cut(kind, fmt):
    a, b = sprites(quadrants(QA), quadrants(QB), fmt)
    got = quadrant_colours(as_rgb(transition_sprite(kind, 0.5, a, b)))
    src = {"a": quadrant_colours(as_rgb(a)), "b": quadrant_colours(as_rgb(b))}
    assert near(got, [src[which][q] for which, q in HALVES[kind]])


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_slide_moves_b_in_over_a_still_a(fmt):
    a, b = sprites(quadrants(QA), quadrants(QB), fmt)
    pa, pb = as_rgb(a), as_rgb(b)
    covered = []
    for p in np.linspace(0.05, 0.95, 10):
        out = as_rgb(transition_sprite("slide_left", p, a, b))
        is_b = np.abs(out[H // 4] - pb[H // 4, 0]).max(axis=1) <= 6  # B's top-left colour
        left = int(np.argmax(is_b)) if is_b.any() else W  # B's left edge
        covered.append(W - left)
        # B came in from the right; the rest is A where it always was
        k = min(W - left, W // 2 - 2)
        assert np.abs(out[:, left:left + k] - pb[:, :k]).max(initial=0) <= 6
        keep = max(0, left - 2)
        assert np.abs(out[:, :keep] - pa[:, :keep]).max(initial=0) <= 6
    assert covered == sorted(covered) and covered[0] < W // 10 and covered[-1] >= W // 2


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind, horizontal", [("whip_left", True), ("whip_right", True), ("whip_up", False), ("whip_down", False)])
def test_a_whip_blurs_along_its_motion_only(kind, horizontal, fmt):
    # stripes that run along the motion are neither moved nor blurred visibly...
    along = make_sprite(stripes(horizontal), fmt)
    out = transition_sprite(kind, 0.5, along, along)
    assert np.abs(as_rgb(out) - as_rgb(along)).max() <= 2
    # ...stripes across it are smeared: their contrast collapses at the cut, and is back at the ends
    across = make_sprite(stripes(not horizontal), fmt)
    axis = 1 if horizontal else 0
    contrast = lambda s: float(np.abs(np.diff(as_rgb(s)[..., 1], axis=axis)).mean())  # noqa: E731
    assert contrast(transition_sprite(kind, 0.5, across, across)) < 0.2 * contrast(across)
    assert contrast(transition_sprite(kind, 0.45, across, across)) < 0.6 * contrast(across)
    assert contrast(transition_sprite(kind, 0.05, across, across)) > 0.95 * contrast(across)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_whip_moves_fastest_at_the_cut(fmt):
    a, b = sprites(quadrants(QA), quadrants(QB), fmt)
    got = quadrant_colours(as_rgb(transition_sprite("whip_left", 0.25, a, b)))
    assert near(got, quadrant_colours(as_rgb(a)), 10)  # a quarter in, barely moved
    got = quadrant_colours(as_rgb(transition_sprite("whip_left", 0.75, a, b)))
    assert near(got, quadrant_colours(as_rgb(b)), 10)


@pytest.mark.parametrize("fmt", FORMATS)
def test_zooms_scale_about_the_centre(fmt):
    a, b = sprites(quadrants(QA), quadrants(QB), fmt)
    qa, qb = quadrant_colours(as_rgb(a)), quadrant_colours(as_rgb(b))
    # zoom in: a quarter in, A is enlarged about the centre: each quadrant keeps its colour and
    # the corners now show A's inner parts (still the same quadrant colours: they are flat)
    out = as_rgb(transition_sprite("zoom_in", 0.3, a, b))
    assert near(quadrant_colours(out), qa, 10)
    assert near([tuple(out[y, x]) for y in (2, H - 3) for x in (2, W - 3)], qa, 10)
    # zoom out: at the middle A is a small centred picture (scale ~0.58) over B, slightly enlarged
    out = as_rgb(transition_sprite("zoom_out", 0.5, a, b))
    inner = [tuple(out[y, x]) for y in (H // 2 - H // 8, H // 2 + H // 8) for x in (W // 2 - W // 8, W // 2 + W // 8)]
    assert near(inner, qa, 10)
    assert near([tuple(out[y, x]) for y in (3, H - 4) for x in (3, W - 4)], qb, 10)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_glitch_is_deterministic_and_brief(fmt):
    a, b = sprites(smooth(7), smooth(8), fmt)
    for p in (0.4, 0.5, 0.62):
        one, two = transition_sprite("glitch", p, a, b), transition_sprite("glitch", p, a, b)
        assert all(np.array_equal(x, y) for x, y in zip(snapshot(one), snapshot(two)))
        base = a if p < 0.5 else b
        assert not same(one, base, 0)  # something is broken up around the cut
    assert not np.array_equal(as_rgb(transition_sprite("glitch", 0.4, a, b)), as_rgb(transition_sprite("glitch", 0.42, a, b)))
    # away from the cut it is a plain cut: A, then B
    assert same(transition_sprite("glitch", 0.2, a, b), a, 0) and same(transition_sprite("glitch", 0.8, a, b), b, 0)


def test_bad_calls_are_refused():
    a, b = sprites(smooth(1), smooth(2), RGB)
    with pytest.raises(ValueError):
        transition_sprite("spin_360", 0.5, a, b)
    with pytest.raises(ValueError):
        transition_sprite("dissolve", 0.5, a, make_sprite(smooth(2), I420))


def test_every_kind_the_model_offers_is_drawn():
    from studio.model import items

    assert set(getattr(items, "TRANSITION_KINDS", ())) <= set(TRANSITIONS)
    assert all(isinstance(title, str) and title for title in TRANSITIONS.values())


# -- timing -----------------------------------------------------------------------------------

def test_the_window_is_centred_on_the_cut():
    assert window(100, 15) == (93, 108) and window(100, 14) == (93, 107) and window(100, 2) == (99, 101)
    # odd d: the middle frame is the cut and has p = 0.5 exactly
    assert progress(100, 93, 15) == 0.5
    assert [progress(f, 93, 15) for f in (93, 107)] == [0.5 / 15, 14.5 / 15]
    # even d: the cut is the first frame past the middle
    assert progress(99, 93, 14) < 0.5 < progress(100, 93, 14)


@dataclass(frozen=True)
class Item:
    """Anything with start/duration/end, as track items are; transitions optional (getattr)."""
    start: int
    duration: int

    @property
    def end(self) -> int:
        return self.start + self.duration


@dataclass(frozen=True)
class Cut(Item):
    transition: str = "dissolve"
    transition_frames: int = 15


def test_transition_at_finds_the_window_with_odd_and_even_lengths():
    a, b = Clip("a", "a.mp4", 0, 40), Clip("b", "b.mp4", 40, 40, transition="dissolve", transition_frames=9)
    hits = {f: transition_at([a, b], f) for f in range(30, 50)}
    assert [f for f, hit in hits.items() if hit] == list(range(36, 45))
    outgoing, incoming, kind, p = hits[40]
    assert (outgoing, incoming, kind, p) == (a, b, "dissolve", 0.5)
    assert hits[36].progress == 0.5 / 9 and hits[44].progress == 8.5 / 9
    even = [Item(0, 40), Cut(40, 40, "push_left", 10)]
    assert [f for f in range(30, 50) if transition_at(even, f)] == list(range(35, 45))


def test_transition_at_fits_the_window_to_short_clips():
    # d <= the shorter clip: 15 asked, the outgoing clip is 6 long -> 6 frames, 3 each side
    items = [Item(0, 6), Cut(6, 30, "dissolve", 15)]
    assert transition_length(*items) == 6
    assert [f for f in range(0, 20) if transition_at(items, f)] == [3, 4, 5, 6, 7, 8]
    items = [Item(0, 30), Cut(30, 5, "dissolve", 15)]
    assert [f for f in range(20, 40) if transition_at(items, f)] == [28, 29, 30, 31, 32]
    # under 2 frames: none
    assert transition_length(Item(0, 1), Cut(1, 30)) == 0 and transition_at([Item(0, 1), Cut(1, 30)], 1) is None
    # the windows at both ends of a short clip never overlap
    chain = [Item(0, 30), Cut(30, 7, "dissolve", 15), Cut(37, 30, "glitch", 15)]
    owners = [transition_at(chain, f) for f in range(20, 50)]
    assert [o.incoming.start for o in owners if o] == [30] * 7 + [37] * 7


def test_transition_at_needs_a_touching_previous_clip_and_a_kind():
    assert transition_at([Item(0, 30), Cut(32, 30)], 31) is None          # a gap
    assert transition_at([Item(0, 30), Item(30, 30)], 30) is None          # no transition field
    assert transition_at([Cut(0, 30, "none"), Cut(30, 30, "none")], 30) is None
    assert transition_at([Cut(0, 30)], 0) is None                          # nothing before the first clip
    found = transition_at([Item(0, 30), Cut(30, 30), Item(60, 30), Cut(90, 30, "zoom_in", 4)], 91)
    assert found.kind == "zoom_in" and found.progress == 3.5 / 4
    assert transition_at([Item(0, 30), Cut(30, 30, "from_a_newer_studio")], 30).kind == "dissolve"
