import random

import numpy as np
import pytest

from studio.media import MediaError, StillReader, VideoReader, open_visual, probe
from media_files import gray_level, solid, write_video

TOL = 1  # gray levels; the codec is lossy (crf 8), frames are 3-4 levels apart


def level(frame) -> int:
    return int(np.median(frame[..., 0]))


@pytest.mark.parametrize("name", ["numbered_mp4", "numbered_mkv"])
def test_sequential_export_pattern_returns_every_frame(request, name):
    with open_visual(request.getfixturevalue(name)) as reader:
        assert isinstance(reader, VideoReader)
        for i in range(60):
            frame = reader.frame_at(i / 30)
            assert frame.shape == (120, 160, 3) and frame.dtype == np.uint8
            assert abs(level(frame) - gray_level(i)) <= TOL, i


@pytest.mark.parametrize("name", ["numbered_mp4", "numbered_mkv"])
def test_random_access_forward_and_backward(request, name):
    rng = random.Random(7)
    times = [rng.randrange(60) for _ in range(80)] + [59, 0, 58, 1, 30, 29, 31, 12, 11, 24, 23, 5]
    with open_visual(request.getfixturevalue(name)) as reader:
        for i in times:
            # Anywhere inside the frame's display interval maps to that frame.
            t = i / 30 + rng.choice([0.0, 0.01, 0.03])
            assert abs(level(reader.frame_at(t)) - gray_level(i)) <= TOL, (i, t)


def test_clamps_before_start_and_after_end(numbered_mp4):
    with open_visual(numbered_mp4) as reader:
        assert abs(level(reader.frame_at(-5)) - gray_level(0)) <= TOL
        assert abs(level(reader.frame_at(100.0)) - gray_level(59)) <= TOL
        assert abs(level(reader.frame_at(1.0)) - gray_level(30)) <= TOL
        assert abs(level(reader.frame_at(2.5)) - gray_level(59)) <= TOL


def test_returned_frames_are_read_only(numbered_mp4):
    with open_visual(numbered_mp4) as reader:
        frame = reader.frame_at(0.5)
        with pytest.raises(ValueError):
            frame[0, 0] = 0
        assert reader.frame_at(0.5) is frame  # scrubbing back hits the cache


def test_yuv_planes(numbered_mp4):
    with open_visual(numbered_mp4) as reader:
        y, u, v = reader.frame_at(10 / 30, fmt="yuv420p")
    assert y.shape == (120, 160) and u.shape == (60, 80) and v.shape == (60, 80)
    # Gray: chroma is neutral; luma is the limited-range image of the gray level.
    assert abs(int(np.median(u)) - 128) <= 2 and abs(int(np.median(v)) - 128) <= 2
    assert abs(int(np.median(y)) - round(16 + gray_level(10) * 219 / 255)) <= 2


def test_vfr_maps_by_timestamp(tmp_path):
    pts = [0.0, 0.04, 0.1, 0.2, 0.22, 0.3, 0.45, 0.5, 0.6, 0.61, 0.8]
    frames = [solid(64, 48, (gray_level(i * 3),) * 3) for i in range(len(pts))]
    path = write_video(tmp_path / "vfr.mp4", frames, pts_s=pts)

    def expected(t):
        i = max([k for k, p in enumerate(pts) if p <= t + 1e-9], default=0)
        return gray_level(i * 3)

    times = [k / 30 for k in range(30)] + [0.0, 0.04, 0.099, 0.1, 0.61, 0.6, 0.21, 0.9, 5.0, 0.05]
    with open_visual(path) as reader:
        for t in times:
            assert abs(level(reader.frame_at(t)) - expected(t)) <= TOL, t


def test_ten_bit_hevc_and_h264(tmp_path):
    colours = [(200, 40, 40), (40, 200, 40), (40, 40, 200)]
    frames = [solid(128, 96, c) for c in colours for _ in range(4)]
    for codec in ("libx265", "libx264"):
        path = write_video(tmp_path / f"ten_{codec}.mp4", frames, codec=codec, pix_fmt="yuv420p10le")
        info = probe(path)
        assert info.bit_depth == 10 and info.pix_fmt.startswith("yuv420p10")
        with open_visual(path) as reader:
            for k, colour in enumerate(colours):
                frame = reader.frame_at((k * 4 + 1) / 30)
                assert frame.dtype == np.uint8
                assert np.abs(np.median(frame.reshape(-1, 3), axis=0) - colour).max() <= 6, (codec, k)
                y, u, v = reader.frame_at((k * 4 + 1) / 30, fmt="yuv420p")
                assert y.dtype == np.uint8 and y.shape == (96, 128)


def test_hevc_8bit(tmp_path):
    frames = [solid(128, 96, (gray_level(i),) * 3) for i in range(10)]
    path = write_video(tmp_path / "hevc.mp4", frames, codec="libx265")
    assert probe(path).video_codec == "hevc"
    with open_visual(path) as reader:
        for i in (0, 9, 3, 7):
            assert abs(level(reader.frame_at(i / 30)) - gray_level(i)) <= TOL


def test_odd_size(tmp_path):
    img = solid(321, 241, (30, 160, 220))
    path = write_video(tmp_path / "odd.mkv", [img] * 5, codec="libx264", pix_fmt="yuv444p")
    info = probe(path)
    assert (info.width, info.height) == (321, 241)
    with open_visual(path) as reader:
        frame = reader.frame_at(0.05)
        assert frame.shape == (241, 321, 3)
        assert np.abs(np.median(frame.reshape(-1, 3), axis=0) - (30, 160, 220)).max() <= 5
        y, u, v = reader.frame_at(0.05, fmt="yuv420p")
        assert y.shape == (240, 320) and u.shape == (120, 160)  # cropped to even


def test_png_with_alpha(tmp_path):
    from PIL import Image
    rgba = np.zeros((50, 70, 4), np.uint8)
    rgba[..., :3] = (250, 100, 0)
    rgba[..., 3] = 255
    rgba[:, 35:, 3] = 0  # right half transparent
    Image.fromarray(rgba).save(tmp_path / "logo.png")
    info = probe(tmp_path / "logo.png")
    assert (info.kind, info.width, info.height, info.duration, info.fps) == ("image", 70, 50, 0.0, None)
    with open_visual(tmp_path / "logo.png") as reader:
        assert isinstance(reader, StillReader)
        rgb = reader.frame_at(3.0)
        assert rgb.shape == (50, 70, 3) and rgb.dtype == np.uint8
        assert tuple(rgb[10, 10]) == (250, 100, 0) and tuple(rgb[10, 60]) == (0, 0, 0)
        assert reader.frame_at(0, fmt="rgba")[10, 60, 3] == 0
        y, u, v = reader.frame_at(0, fmt="yuv420p")
        assert y.shape == (50, 70)


def test_jpeg_exif_orientation(tmp_path):
    from PIL import Image
    img = np.zeros((40, 60, 3), np.uint8)
    img[:10, :10] = (255, 0, 0)
    pil = Image.fromarray(img)
    exif = pil.getexif()
    exif[0x0112] = 6  # stored landscape, shown rotated 90 degrees clockwise
    pil.save(tmp_path / "photo.jpg", exif=exif, quality=95)
    info = probe(tmp_path / "photo.jpg")
    assert (info.width, info.height) == (40, 60)
    with open_visual(tmp_path / "photo.jpg") as reader:
        frame = reader.frame_at(0)
    assert frame.shape == (60, 40, 3)
    assert frame[3, -3, 0] > 200  # top-left went to the top-right


def test_audio_only_is_not_visual(tmp_path):
    from media_files import write_wav
    path = write_wav(tmp_path / "a.wav", np.zeros(4800, np.float32), 48000)
    with pytest.raises(MediaError, match="a.wav: .*audio only"):
        open_visual(path)


def test_closed_reader(numbered_mp4):
    reader = open_visual(numbered_mp4)
    reader.close()
    reader.close()
    with pytest.raises(ValueError):
        reader.frame_at(0)
