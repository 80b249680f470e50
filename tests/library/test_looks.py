"""Colour looks: each built-in LUT does what its name says; .cube parsing/writing is strict and exact."""

import numpy as np
import pytest
from skimage import data

from studio.library.errors import LibraryError
from studio.library.looks import Look, Lut3D, get_look, list_looks, load_lut, parse_cube, write_cube

IMG = data.astronaut()[::2, ::2].copy()  # 256x256 RGB uint8: skin, colours, darks and brights


def sat(rgb):
    f = rgb.astype(float)
    return float((f.max(axis=2) - f.min(axis=2)).mean())


def luma(rgb):
    return rgb.astype(float) @ np.array([0.2126, 0.7152, 0.0722])


def colour_spread(rgb):
    """Spread of the opponent colours (ignores a uniform colour cast)."""
    f = rgb.astype(float)
    rg = f[..., 0] - f[..., 1]
    yb = 0.5 * (f[..., 0] + f[..., 1]) - f[..., 2]
    return float(np.hypot(rg.std(), yb.std()))


def rb(rgb):
    f = rgb.astype(float)
    return float(f[..., 0].mean() / f[..., 2].mean())


@pytest.fixture(scope="module")
def graded():
    return {look.id: load_lut(look).apply(IMG) for look in list_looks()}


def test_library_has_the_named_looks():
    ids = {look.id for look in list_looks()}
    assert {"vivid", "bw", "vintage", "warm", "cool", "teal_orange", "faded", "noir", "sunset",
            "cyberpunk"} <= ids
    for look in list_looks():
        lut = load_lut(look)
        assert lut.size == 33 and lut.table.shape == (33, 33, 33, 3)


def test_every_look_changes_the_image(graded):
    for look_id, out in graded.items():
        assert out.shape == IMG.shape and out.dtype == np.uint8
        assert np.abs(out.astype(int) - IMG).mean() > 4, look_id


def test_looks_do_what_their_names_say(graded):
    s0, c0, rb0 = sat(IMG), luma(IMG).std(), rb(IMG)
    assert sat(graded["bw"]) < 1.5
    assert sat(graded["vivid"]) > s0 * 1.25
    assert rb(graded["warm"]) > rb0 * 1.1
    assert rb(graded["cool"]) < rb0 * 0.9
    faded = graded["faded"]
    assert luma(faded).std() < c0 * 0.85 and np.percentile(luma(faded), 1) > np.percentile(luma(IMG), 1) + 15
    noir = graded["noir"]
    assert sat(noir) < 4 and luma(noir).std() > c0 * 1.05
    vintage = graded["vintage"]
    assert colour_spread(vintage) < colour_spread(IMG) * 0.85 and np.percentile(luma(vintage), 1) > np.percentile(luma(IMG), 1) + 10
    assert rb(vintage) > rb0
    assert rb(graded["sunset"]) > rb0 * 1.05
    # teal & orange: dark/neutral areas go teal (G,B over R), skin stays warm
    to = graded["teal_orange"].astype(float)
    dark = luma(IMG) < 60
    assert (to[dark, 2] - to[dark, 0]).mean() > (IMG[dark, 2].astype(float) - IMG[dark, 0]).mean() + 5
    # cyberpunk: magenta shadows, cyan highlights, more saturated
    cp = graded["cyberpunk"].astype(float)
    bright = luma(IMG) > 180
    assert (cp[dark, 0] + cp[dark, 2] - 2 * cp[dark, 1]).mean() > (
        IMG[dark, 0].astype(float) + IMG[dark, 2] - 2 * IMG[dark, 1].astype(float)).mean() + 10
    assert (cp[bright, 1] + cp[bright, 2] - 2 * cp[bright, 0]).mean() > (
        IMG[bright, 1].astype(float) + IMG[bright, 2] - 2 * IMG[bright, 0].astype(float)).mean() + 10


def test_identity_cube_leaves_pixels_alone():
    ramp = np.arange(256, dtype=np.uint8)
    full = np.stack(np.meshgrid(ramp, ramp, indexing="ij"), axis=-1).reshape(256, 256, 2)
    img = np.concatenate([full, full[..., :1][:, ::-1]], axis=2)
    for lut in (Lut3D.identity(33), Lut3D.identity(2), Lut3D.identity(17)):
        out = lut.apply(img)
        assert np.abs(out.astype(int) - img).max() <= 1
        assert np.abs(lut.apply(IMG).astype(int) - IMG).max() <= 1


def test_intensity_blends(graded):
    lut = load_lut("noir")
    assert np.array_equal(lut.apply(IMG, 0.0), IMG)
    assert np.array_equal(lut.apply(IMG, 1.0), graded["noir"])
    half = lut.apply(IMG, 0.5).astype(int)
    expect = (IMG.astype(int) + graded["noir"]) / 2
    assert np.abs(half - expect).max() <= 1


def test_apply_matches_exact_trilinear():
    """The fast 7-bit table agrees with a direct trilinear evaluation of the cube."""
    lut = load_lut("teal_orange")
    px = IMG.reshape(-1, 3)[::37].astype(float) / 255.0
    n = lut.size
    pos = px * (n - 1)
    i0 = np.minimum(np.floor(pos).astype(int), n - 2)
    f = pos - i0
    out = np.zeros_like(px)
    for dr in (0, 1):
        for dg in (0, 1):
            for db in (0, 1):
                w = (f[:, 0] if dr else 1 - f[:, 0]) * (f[:, 1] if dg else 1 - f[:, 1]) * (f[:, 2] if db else 1 - f[:, 2])
                out += w[:, None] * lut.table[i0[:, 0] + dr, i0[:, 1] + dg, i0[:, 2] + db]
    fast = lut.apply(IMG).reshape(-1, 3)[::37].astype(float)
    assert np.abs(fast - out * 255).max() <= 4
    assert np.abs(fast - out * 255).mean() < 1.0


def test_user_cube_round_trip(tmp_path):
    rng = np.random.default_rng(7)
    ident = Lut3D.identity(9).table
    table = np.clip(ident ** 0.8 + rng.normal(0, 0.03, ident.shape), 0, 1)
    lut = Lut3D(table, title="mine")
    path = tmp_path / "mine.cube"
    write_cube(lut, path)
    look = get_look(path)
    assert isinstance(look, Look) and look.title == "mine"
    again = load_lut(path)
    assert again.size == 9 and np.abs(again.table - lut.table).max() < 1e-5
    assert np.abs(again.apply(IMG).astype(int) - lut.apply(IMG)).max() <= 1


def test_domain_min_max(tmp_path):
    # identity over the domain 0..2: a pixel value v maps to v/2
    n = 5
    axis = np.linspace(0, 1, n)
    rows = [f"{r} {g} {b}" for b in axis for g in axis for r in axis]
    text = "LUT_3D_SIZE 5\nDOMAIN_MIN 0 0 0\nDOMAIN_MAX 2 2 2\n" + "\n".join(rows)
    lut = parse_cube(text, "dom.cube")
    out = lut.apply(np.full((2, 2, 3), 200, np.uint8))
    assert abs(int(out[0, 0, 0]) - 100) <= 2


@pytest.mark.parametrize("text, line, what", [
    ("LUT_3D_SIZE 2\n0 0 0\n1 0 0\n0 1 0\n", 4, "expected 8 entries"),
    ("LUT_3D_SIZE 2\n0 0 0\n1 0 x\n", 3, "not a number"),
    ("LUT_3D_SIZE 2\n0 0 0\n1 0\n", 3, "expected 3 numbers"),
    ("TITLE \"t\"\n0 0 0\n", 2, "before LUT_3D_SIZE"),
    ("LUT_3D_SIZE two\n", 1, "LUT_3D_SIZE"),
    ("LUT_3D_SIZE 1\n", 1, "out of range"),
    ("LUT_1D_SIZE 4\n", 1, "1D"),
    ("LUT_3D_SIZE 2\nDOMAIN_MIN 0 0\n", 2, "expected 3 numbers"),
    ("LUT_3D_SIZE 2\n" + "0 0 0\n" * 9, 10, "more than"),
])
def test_malformed_cube_names_file_and_line(text, line, what):
    with pytest.raises(LibraryError, match=rf"bad\.cube: line {line}: .*{what}"):
        parse_cube(text, "bad.cube")


def test_unknown_look(tmp_path):
    with pytest.raises(LibraryError, match="sepia_nope"):
        get_look("sepia_nope")
    with pytest.raises(LibraryError, match="not found"):
        get_look(tmp_path / "gone.cube")
    bad = tmp_path / "broken.cube"
    bad.write_text("LUT_3D_SIZE 2\n0 0 0\n")
    with pytest.raises(LibraryError, match=r"broken\.cube: line 2"):
        load_lut(bad)
