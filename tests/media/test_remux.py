"""A crash-safe Matroska recording (H.264 + AAC, no B-frames, as the live encode writes it) copied
into an MP4 without re-encoding: every picture kept, a torn (killed) file kept up to the damage."""
import av
import numpy as np
import pytest

from studio.media.errors import MediaError
from studio.media.stream_copy import remux_to_mp4
from stream_media import make_stream_recording as _recording


def _decoded(path):
    with av.open(str(path)) as c:
        pictures = [f.to_ndarray(format="gray") for f in c.decode(video=0)]
    with av.open(str(path)) as c:
        sound = np.concatenate([f.to_ndarray()[0] for f in c.decode(audio=0)])
    return pictures, sound


def test_every_picture_and_the_sound_are_copied(tmp_path):
    result = remux_to_mp4(_recording(tmp_path / "live.mkv"), tmp_path / "live.mp4")
    pictures, sound = _decoded(result.path)
    assert len(pictures) == 90 == result.video_packets
    # the grey ramp in order: the copy is the same pictures, in the same order
    levels = [float(p.mean()) for p in pictures]
    assert all(abs(levels[i] - i * 2) < 3 for i in range(90))
    assert abs(result.duration - 3.0) < 0.05
    assert abs(len(sound) / 48000 - 3.0) < 0.1 and np.abs(sound[4800:-4800]).max() > 0.25
    with av.open(str(result.path)) as c:
        assert c.format.name.startswith("mov") and c.streams.video[0].codec_context.name == "h264"


def test_a_killed_recording_is_kept_up_to_the_damage(tmp_path):
    data = _recording(tmp_path / "live.mkv").read_bytes()
    torn = tmp_path / "torn.mkv"
    torn.write_bytes(data[: len(data) * 2 // 3])
    result = remux_to_mp4(torn, tmp_path / "torn.mp4")
    pictures, _ = _decoded(result.path)
    assert 45 <= len(pictures) < 90
    assert all(abs(float(p.mean()) - i * 2) < 3 for i, p in enumerate(pictures))


def test_unusable_sources_are_one_line_errors(tmp_path):
    with pytest.raises(MediaError, match="cannot be read"):
        remux_to_mp4(tmp_path / "missing.mkv", tmp_path / "out.mp4")
    empty = tmp_path / "zero.mkv"
    empty.write_bytes(b"")
    with pytest.raises(MediaError):
        remux_to_mp4(empty, tmp_path / "out.mp4")
    assert not (tmp_path / "out.mp4").exists() and not list(tmp_path.glob(".*part"))
