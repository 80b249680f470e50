from fractions import Fraction

import numpy as np
import pytest

from studio.media import MediaError, open_visual, probe
from media_files import SHARED_MEDIA, ffmpeg, gray_level, solid, write_video


def test_probe_video_with_audio(av_mp4):
    info = probe(av_mp4)
    assert info.kind == "video"
    assert (info.width, info.height) == (320, 240)
    assert info.fps == Fraction(30)
    assert info.duration == pytest.approx(1.0, abs=0.05)
    assert info.has_video and info.has_audio
    assert info.audio_rate == 48000 and info.audio_channels == 2
    assert info.video_codec == "h264" and info.pix_fmt == "yuv420p" and info.bit_depth == 8
    assert info.rotation == 0 and not info.vfr


def test_probe_constant_rate_video_without_audio(numbered_mp4):
    info = probe(numbered_mp4)
    assert (info.width, info.height, info.fps) == (160, 120, Fraction(30))
    assert info.duration == pytest.approx(2.0, abs=0.05)
    assert not info.has_audio and not info.vfr


def test_probe_audio_only(tmp_path):
    from media_files import write_wav
    t = np.arange(22050) / 44100
    info = probe(write_wav(tmp_path / "a.wav", np.sin(2 * np.pi * 300 * t).astype(np.float32), 44100))
    assert info.kind == "audio" and info.has_audio and not info.has_video
    assert info.audio_rate == 44100 and info.audio_channels == 1
    assert info.duration == pytest.approx(0.5, abs=0.01)
    assert info.fps is None


def _corner_frames(n=6):
    # 320x240 with a red top-left and a blue top-right corner on gray.
    img = solid(320, 240, (128, 128, 128))
    img[:60, :80] = (230, 20, 20)
    img[:60, -80:] = (20, 20, 230)
    return [img] * n


def _check_upright_ccw90(frame):
    """Display of a source with display rotation 90 (counter-clockwise): the source's
    top-left goes to the bottom-left, its top-right to the top-left."""
    assert frame.shape == (320, 240, 3)
    bottom_left = frame[-30, 20].astype(int)
    top_left = frame[30, 20].astype(int)
    assert bottom_left[0] > 180 and bottom_left[2] < 80, bottom_left  # red
    assert top_left[2] > 180 and top_left[0] < 80, top_left  # blue


def test_rotation_metadata_written_by_pyav(tmp_path):
    path = write_video(tmp_path / "rot.mp4", _corner_frames(), rotation=90)
    info = probe(path)
    assert info.rotation == 90
    assert (info.width, info.height) == (240, 320)
    with open_visual(path) as reader:
        _check_upright_ccw90(reader.frame_at(0.0))
        y, u, v = reader.frame_at(0.0, fmt="yuv420p")
        assert y.shape == (320, 240) and u.shape == (160, 120) and v.shape == (160, 120)


def test_rotation_matches_ffmpeg_autorotate(tmp_path):
    """ffmpeg's own autorotation is the reference for which way the pixels turn."""
    plain = write_video(tmp_path / "plain.mp4", _corner_frames())
    rotated = tmp_path / "rotated.mp4"
    ffmpeg("-display_rotation", "90", "-i", str(plain), "-c", "copy", str(rotated))
    reference = tmp_path / "ref.png"
    ffmpeg("-i", str(rotated), "-frames:v", "1", str(reference))
    from PIL import Image
    expected = np.asarray(Image.open(reference).convert("RGB"))
    info = probe(rotated)
    assert (info.width, info.height, info.rotation) == (240, 320, 90)
    with open_visual(rotated) as reader:
        frame = reader.frame_at(0.0)
    assert frame.shape == expected.shape
    assert np.abs(frame.astype(int) - expected.astype(int)).mean() < 3
    _check_upright_ccw90(frame)


def test_rotation_180_and_270(tmp_path):
    for deg, red_at in ((180, (-30, -20)), (270, (30, -20))):
        path = write_video(tmp_path / f"r{deg}.mp4", _corner_frames(3), rotation=deg)
        info = probe(path)
        assert info.rotation == deg
        with open_visual(path) as reader:
            frame = reader.frame_at(0)
        assert frame.shape[:2] == ((240, 320) if deg == 180 else (320, 240))
        px = frame[red_at].astype(int)
        assert px[0] > 180 and px[2] < 80, (deg, px)


def test_vfr_detected(tmp_path):
    pts = [0, 0.04, 0.1, 0.2, 0.22, 0.3, 0.45, 0.5, 0.6, 0.61]
    path = write_video(tmp_path / "vfr.mp4", [solid(64, 48, (gray_level(i),) * 3) for i in range(len(pts))],
                       pts_s=pts)
    assert probe(path).vfr


@pytest.mark.skipif(not SHARED_MEDIA.is_dir(), reason="shared webcam clips absent")
def test_webcam_clips_probe_and_decode():
    clips = sorted(SHARED_MEDIA.glob("*.mkv"))
    assert clips
    for clip in clips:
        info = probe(clip)
        assert (info.width, info.height) == (640, 480) and info.kind == "video"
        assert info.fps == Fraction(30) and not info.has_audio
        assert 1.5 < info.duration < 4.0 and not info.vfr
        with open_visual(clip) as reader:
            frames = [reader.frame_at(t) for t in (0.0, info.duration / 2, 0.1, info.duration + 1)]
        for f in frames:
            assert f.shape == (480, 640, 3) and f.dtype == np.uint8
            assert 20 < f.mean() < 235  # a real picture, not a blank frame
        assert np.abs(frames[0].astype(int) - frames[1].astype(int)).mean() > 1  # the person moves


@pytest.mark.skipif(not SHARED_MEDIA.is_dir(), reason="shared webcam clips absent")
def test_webcam_sequential_frames_match_reference_decode():
    """Every frame of a real 1 ms-timestamped webcam clip comes back at t = n / 30, bit-exact."""
    import av
    clip = SHARED_MEDIA / "webcam_thanks.mkv"
    if not clip.exists():
        pytest.skip("webcam_thanks.mkv absent")
    with av.open(str(clip)) as c:
        reference = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    with open_visual(clip) as reader:
        for n, expected in enumerate(reference):
            assert np.array_equal(reader.frame_at(n / 30), expected), n
        assert np.array_equal(reader.frame_at(0.5), reference[15])  # and after a backward seek
