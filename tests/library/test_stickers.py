"""Built-in sticker library: every sticker decodes to real transparent artwork; AR anchors are usable."""

import numpy as np
import pytest
from PIL import Image

from studio.library.errors import LibraryError
from studio.library.stickers import (FACE_MESH_LANDMARKS, frame_index_at, get_sticker, list_stickers,
                                     load_sticker_frames)

STICKERS = list_stickers()


def test_library_size_and_categories():
    assert len(STICKERS) >= 30
    assert len({s.id for s in STICKERS}) == len(STICKERS)
    assert sum(s.animated for s in STICKERS) >= 4
    assert len(list_stickers("ar")) >= 8
    assert all(s.category == "ar" for s in list_stickers("ar"))


@pytest.mark.parametrize("sticker", STICKERS, ids=lambda s: s.id)
def test_sticker_decodes_with_transparent_background(sticker):
    frames = load_sticker_frames(sticker)
    assert len(frames) == sticker.frame_count
    for f in frames:
        assert f.dtype == np.uint8 and f.ndim == 3 and f.shape[2] == 4
        assert max(f.shape[:2]) <= 640
        corners = f[[0, 0, -1, -1], [0, -1, 0, -1], 3]
        assert (corners == 0).all(), "corners must be fully transparent"
        assert (f[..., 3] >= 128).mean() > 0.05, "too little visible content"
        # colourful artwork, not a blank/black silhouette
        assert f[f[..., 3] > 200, :3].std() > 10


@pytest.mark.parametrize("sticker", [s for s in STICKERS if s.animated], ids=lambda s: s.id)
def test_animated_sticker_has_distinct_frames(sticker):
    frames = load_sticker_frames(sticker)
    assert 12 <= len(frames) <= 24 and sticker.fps > 0
    distinct = {f.tobytes() for f in frames}
    assert len(distinct) >= len(frames) // 2
    diff = max(np.abs(frames[0].astype(int) - f.astype(int)).mean() for f in frames)
    assert diff > 2.0


def test_frame_index_loops():
    s = get_sticker("heart_beat")
    n, fps = s.frame_count, s.fps
    assert frame_index_at(s, 0.0) == 0
    assert frame_index_at(s, 1.5 / fps) == 1
    assert frame_index_at(s, n / fps) == 0
    assert frame_index_at(s, (n + 3) / fps) == 3
    assert frame_index_at(get_sticker("heart_red"), 12.3) == 0


@pytest.mark.parametrize("sticker", list_stickers("ar"), ids=lambda s: s.id)
def test_ar_anchor_is_usable(sticker):
    a = sticker.anchor
    assert a is not None
    assert a.landmarks and all(0 <= i < FACE_MESH_LANDMARKS for i in a.landmarks)
    assert 0.0 < a.point[0] < 1.0 and 0.0 < a.point[1] < 1.0
    assert 0.2 < a.scale < 4.0
    # something is drawn near the anchored row or the accessory hangs off it (head-top items sit above)
    f = load_sticker_frames(sticker)[0]
    assert f[..., 3].any()


def test_non_ar_stickers_have_no_anchor():
    assert all(s.anchor is None for s in STICKERS if s.category != "ar")


def test_resize_to_width_keeps_aspect_and_clean_edges():
    s = get_sticker("label_link_in_bio")
    full = load_sticker_frames(s)[0]
    small = load_sticker_frames(s, width=200)[0]
    assert small.shape[1] == 200
    assert abs(small.shape[0] - round(full.shape[0] * 200 / full.shape[1])) <= 1
    # premultiplied resize: semi-transparent edge pixels of the white-bordered pill are not darkened to black
    edge = (small[..., 3] > 20) & (small[..., 3] < 200)
    assert edge.any()
    big = load_sticker_frames(get_sticker("star_spin"), width=200)
    assert all(f.shape[1] == 200 for f in big)


def test_user_png_and_gif(tmp_path):
    rgba = np.zeros((40, 60, 4), np.uint8)
    rgba[10:30, 20:40] = (255, 0, 0, 255)
    png = tmp_path / "mine.png"
    Image.fromarray(rgba).save(png)
    s = get_sticker(png)
    assert not s.animated and s.frame_count == 1 and s.anchor is None
    f = load_sticker_frames(s, width=30)[0]
    assert f.shape == (20, 30, 4)
    assert tuple(f[10, 15]) == (255, 0, 0, 255) and f[0, 0, 3] == 0

    frames = [Image.new("RGBA", (16, 16), (i * 60, 0, 0, 255)) for i in range(4)]
    gif = tmp_path / "anim.gif"
    frames[0].save(gif, save_all=True, append_images=frames[1:], duration=50, loop=0)
    g = get_sticker(str(gif))
    assert g.animated and g.frame_count == 4 and g.fps == pytest.approx(20.0)
    loaded = load_sticker_frames(g)
    assert len(loaded) == 4 and loaded[3][8, 8, 0] > loaded[1][8, 8, 0]


def test_unknown_sticker_and_bad_files(tmp_path):
    with pytest.raises(LibraryError, match="no_such_sticker"):
        get_sticker("no_such_sticker")
    with pytest.raises(LibraryError, match="not found"):
        get_sticker(tmp_path / "missing.png")
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    with pytest.raises(LibraryError, match="bad.png"):
        get_sticker(bad)


def test_a_jpeg_is_an_opaque_picture_sticker(tmp_path):
    """A logo or photo saved as JPEG (a live scene's logo, a picture over a clip): opaque, its colours."""
    from studio.library.stickers import load_sticker_frames

    path = tmp_path / "logo.jpg"
    Image.new("RGB", (80, 40), (0, 0, 255)).save(path, quality=95)
    [frame] = load_sticker_frames(get_sticker(path), width=40)
    assert frame.shape == (20, 40, 4) and (frame[..., 3] == 255).all()
    assert abs(int(frame[10, 20, 2]) - 255) <= 3 and frame[10, 20, 0] <= 3
