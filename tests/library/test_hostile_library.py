"""Hostile library inputs (.cube looks, sticker images) give one-line LibraryErrors, never tracebacks,
and the ones that are allowed load with bounded memory. The hostile files are generated here."""
from __future__ import annotations

import struct

import numpy as np
import pytest

from studio.library.errors import LibraryError
from studio.library.looks import Lut3D, import_look, list_looks, load_lut, write_cube
from studio.library.stickers import get_sticker, load_sticker_frames


@pytest.fixture
def user_data(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_USER_DATA", str(tmp_path / "userdata"))
    return tmp_path


def _one_line(err) -> str:
    msg = str(err.value)
    assert "\n" not in msg and "Traceback" not in msg and "Errno" not in msg, msg
    return msg




# -- looks ---------------------------------------------------------------------------------------


def test_lut_size_with_thousands_of_digits_is_a_library_error(user_data):
    cube = user_data / "digits.cube"
    cube.write_text("LUT_3D_SIZE " + "9" * 5000 + "\n0 0 0\n")
    with pytest.raises(LibraryError) as err:
        import_look(cube)
    msg = _one_line(err)
    assert "digits.cube: line 1" in msg and "2..129" in msg, msg


def test_lut_size_above_the_cap_is_refused_naming_the_range(user_data):
    cube = user_data / "huge.cube"
    cube.write_text("LUT_3D_SIZE 256\n" + "0 0 0\n" * 8)
    with pytest.raises(LibraryError) as err:
        load_lut(cube)
    msg = _one_line(err)
    assert "huge.cube: line 1" in msg and "256" in msg and "2..129" in msg, msg


def test_cube_file_too_large_for_any_lut_is_refused_before_reading(user_data):
    cube = user_data / "padded.cube"
    with open(cube, "wb") as f:  # sparse: 400 MB that costs nothing on disk
        f.write(b"LUT_3D_SIZE 2\n")
        f.truncate(400 * 1024 * 1024)
    with pytest.raises(LibraryError) as err:
        import_look(cube)
    msg = _one_line(err)
    assert "padded.cube" in msg and "too large" in msg and "400 MB" in msg, msg


def test_largest_lut_parses_fast_with_bounded_memory(tmp_path, mediagen):
    """A 129^3 LUT (58 MB of text) parsed in one C pass: the old line lists took 1.25 GB."""
    n = 129
    grid = np.linspace(0.0, 1.0, n)
    b, g, r = np.meshgrid(grid, grid, grid, indexing="ij")
    path = tmp_path / "big.cube"
    with open(path, "w") as f:
        f.write(f"LUT_3D_SIZE {n}\n")
        np.savetxt(f, np.stack([r.ravel(), g.ravel(), b.ravel()], 1), fmt="%.6f")
    peak, out = mediagen.peak_rss_mb(f"""
        from studio.library.looks import load_lut
        lut = load_lut({str(path)!r})
        print("SHAPE", lut.table.shape, round(float(lut.table[128, 0, 64, 2]), 3))
    """)
    assert "SHAPE (129, 129, 129, 3) 0.5" in out
    assert peak < 600, peak


def test_look_name_too_long_is_a_library_error(user_data):
    cube = user_data / "ok.cube"
    write_cube(Lut3D.identity(2), cube)
    with pytest.raises(LibraryError) as err:
        import_look(cube, name="a" * 300)
    msg = _one_line(err)
    assert "64" in msg and len(msg) < 200, msg
    long_stem = user_data / ("b" * 240 + ".cube")  # a legal file name, too long for a look id
    write_cube(Lut3D.identity(2), long_stem)
    with pytest.raises(LibraryError, match="--name"):
        import_look(long_stem)
    assert not any(lk.id.startswith("my_") for lk in list_looks())


@pytest.mark.parametrize("name", ["../escape", "a/b", "tab\there", "", "  ", ".hidden"])
def test_look_name_with_unsafe_characters_is_refused(user_data, name):
    cube = user_data / "ok.cube"
    write_cube(Lut3D.identity(2), cube)
    with pytest.raises(LibraryError) as err:
        import_look(cube, name=name)
    assert "look name" in _one_line(err)
    assert not any(lk.id.startswith("my_") for lk in list_looks())


def test_import_refuses_an_existing_name_unless_replace(user_data):
    first, second = user_data / "first.cube", user_data / "second.cube"
    write_cube(Lut3D.identity(2), first)
    write_cube(Lut3D(1.0 - Lut3D.identity(3).table, title="invert"), second)
    look = import_look(first, name="Mine")
    assert look.id == "my_mine"
    with pytest.raises(LibraryError) as err:
        import_look(second, name="mine")
    msg = _one_line(err)
    assert "my_mine" in msg and "--replace" in msg, msg
    assert load_lut("my_mine").size == 2  # untouched
    assert import_look(second, name="mine", replace=True).id == "my_mine"
    assert load_lut("my_mine").size == 3


def test_cli_import_errors_and_replace(user_data, mediagen):
    cube = user_data / "warm.cube"
    write_cube(Lut3D.identity(2), cube)
    digits = user_data / "digits.cube"
    digits.write_text("LUT_3D_SIZE " + "7" * 5000 + "\n")
    proc = mediagen.run_studio("library", "looks", "--import", digits)
    lines = mediagen.error_lines(proc.stderr)
    assert proc.returncode == 3 and len(lines) == 1 and lines[0].startswith("studio: error: "), proc.stderr
    assert mediagen.run_studio("library", "looks", "--import", cube, "--name", "warm").returncode == 0
    proc = mediagen.run_studio("library", "looks", "--import", cube, "--name", "warm")
    lines = mediagen.error_lines(proc.stderr)
    assert proc.returncode == 3 and len(lines) == 1 and "--replace" in lines[0], proc.stderr
    proc = mediagen.run_studio("library", "looks", "--import", cube, "--name", "warm", "--replace")
    assert proc.returncode == 0 and "my_warm" in proc.stdout, proc.stderr
    proc = mediagen.run_studio("library", "looks", "--import", cube, "--name", "x" * 300)
    assert proc.returncode == 3 and len(mediagen.error_lines(proc.stderr)) == 1, proc.stderr


# -- stickers ------------------------------------------------------------------------------------




def tiny_frame_gif(path, side: int, frames: int):
    """An animated GIF with a side x side screen whose frames each change one pixel: a few KB on disk,
    but every frame decodes to the whole screen."""
    out = bytearray(b"GIF89a" + struct.pack("<HHBBB", side, side, 0x80, 0, 0) + bytes([0, 0, 0, 255, 255, 255]))
    out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"  # loop forever
    for i in range(frames):
        out += b"\x21\xf9\x04\x00" + struct.pack("<H", 4) + b"\x00\x00"  # 40 ms per frame
        out += b"\x2c" + struct.pack("<HHHHB", i % side, i % side, 1, 1, 0)
        out += b"\x02\x02\x4c\x01\x00"  # LZW, 2-bit codes: clear, colour 1 (white), end
    path.write_bytes(bytes(out + b"\x3b"))
    return path


def test_decompression_bomb_png_sticker_is_a_library_error(tmp_path, mediagen):
    bomb = mediagen.blank_png(tmp_path / "bomb.png", 20000, 20000)
    with pytest.raises(LibraryError) as err:
        get_sticker(str(bomb))
    msg = _one_line(err)
    assert "bomb.png" in msg and "400 megapixels" in msg and "8192" in msg, msg


def test_oversized_png_sticker_is_refused_from_its_header(tmp_path, mediagen):
    big = mediagen.blank_png(tmp_path / "big.png", 12000, 12000)
    with pytest.raises(LibraryError) as err:
        get_sticker(str(big))
    msg = _one_line(err)
    assert "big.png" in msg and "12000x12000" in msg and "8192" in msg and "40 megapixels" in msg, msg


def test_animated_gif_with_too_many_frames_is_refused(tmp_path):
    gif = tiny_frame_gif(tmp_path / "long.gif", 16, 301)
    with pytest.raises(LibraryError) as err:
        get_sticker(str(gif))
    msg = _one_line(err)
    assert "long.gif" in msg and "301 frames" in msg and "300" in msg, msg


def test_large_animated_gif_sticker_decodes_with_bounded_memory(tmp_path, mediagen):
    gif = tiny_frame_gif(tmp_path / "wide.gif", 2048, 120)
    peak, out = mediagen.peak_rss_mb(f"""
        from studio.library.stickers import get_sticker, load_sticker_frames
        sticker = get_sticker({str(gif)!r})
        frames = load_sticker_frames(sticker)
        print("FRAMES", sticker.frame_count, len(frames), sum(f.nbytes for f in frames) // 2**20, frames[0].shape)
    """)
    fields = out.split("FRAMES", 1)[1].split(None, 3)
    assert fields[:2] == ["120", "120"], out
    assert int(fields[2]) <= 300, f"decoded frames take {fields[2]} MB"
    assert peak < 600, f"a 120-frame 2048x2048 GIF sticker peaked at {peak:.0f} MB"


def test_a_big_sticker_is_kept_no_larger_than_the_canvas(tmp_path):
    from PIL import Image

    path = tmp_path / "poster.png"
    img = np.zeros((3000, 4000, 4), np.uint8)
    img[..., 0], img[..., 3] = 200, 255
    img[:, :2000, 3] = 0  # left half transparent
    Image.fromarray(img).save(path)
    frames = load_sticker_frames(get_sticker(str(path)))
    assert len(frames) == 1 and max(frames[0].shape[:2]) <= 1920
    h, w = frames[0].shape[:2]
    assert abs(w / h - 4 / 3) < 0.01
    assert frames[0][h // 2, w // 4, 3] == 0 and tuple(frames[0][h // 2, 3 * w // 4]) == (200, 0, 0, 255)
    at = load_sticker_frames(get_sticker(str(path)), 300)[0]
    assert at.shape[:2] == (225, 300)
