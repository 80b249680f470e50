"""Bad files give one-line MediaErrors naming the file, never raw PyAV/OpenCV exceptions."""
import shutil

import numpy as np
import pytest

from studio.media import MediaError, load_audio, open_visual, probe
from media_files import gray_level, solid, write_video


def _assert_media_error(path, *fragments):
    for fn in (probe, open_visual, load_audio):
        with pytest.raises(MediaError) as err:
            fn(path)
        msg = str(err.value)
        assert "\n" not in msg and "Traceback" not in msg and "Errno" not in msg
        assert msg.startswith(f"{path.name}: "), msg
        for fragment in fragments:
            assert fragment in msg, msg


def test_missing_file(tmp_path):
    _assert_media_error(tmp_path / "nope.mp4", "not found")


def test_directory(tmp_path):
    (tmp_path / "folder.mp4").mkdir()
    _assert_media_error(tmp_path / "folder.mp4", "directory")


def test_zero_bytes(tmp_path):
    (tmp_path / "clip.mp4").write_bytes(b"")
    _assert_media_error(tmp_path / "clip.mp4", "file is empty (0 bytes)")


def test_garbage_bytes(tmp_path):
    (tmp_path / "x.mp4").write_bytes(np.random.default_rng(1).integers(0, 256, 5000, dtype=np.uint8).tobytes())
    _assert_media_error(tmp_path / "x.mp4")


def test_text_renamed(tmp_path):
    (tmp_path / "notes.mp4").write_text("shopping list\n- milk\n- eggs\n" * 20)
    _assert_media_error(tmp_path / "notes.mp4", "not a media file or corrupt")


def test_garbage_image(tmp_path):
    (tmp_path / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"nonsense" * 50)
    for fn in (probe, open_visual):
        with pytest.raises(MediaError, match=r"^pic.png: "):
            fn(tmp_path / "pic.png")


@pytest.fixture(scope="module")
def valid_mp4(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "valid.mp4"
    return write_video(path, [solid(160, 120, (gray_level(i),) * 3) for i in range(30)], audio_hz=440.0)


@pytest.mark.parametrize("keep", ["half", 2048])
def test_truncated_mp4(tmp_path, valid_mp4, keep):
    data = valid_mp4.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2 if keep == "half" else keep])
    _assert_media_error(cut)


def test_truncated_faststart_mp4_keeps_header_loses_frames(tmp_path, valid_mp4):
    """moov first, then only a sliver of media data: headers parse but no frame decodes."""
    from media_files import ffmpeg
    fast = tmp_path / "fast.mp4"
    ffmpeg("-i", str(valid_mp4), "-c", "copy", "-movflags", "+faststart", str(fast))
    data = fast.read_bytes()
    moov_end = data.index(b"mdat") + 4
    cut = tmp_path / "fastcut.mp4"
    cut.write_bytes(data[: moov_end + 200])
    with pytest.raises(MediaError, match=r"^fastcut.mp4: .*(truncated|corrupt)"):
        probe(cut)


def test_truncated_mkv_decodes_what_is_there(tmp_path):
    """A recording cut short (e.g. a crash): the intact head stays usable."""
    path = write_video(tmp_path / "rec.mkv", [solid(160, 120, (gray_level(i),) * 3) for i in range(60)])
    data = path.read_bytes()
    cut = tmp_path / "cut.mkv"
    cut.write_bytes(data[: len(data) * 2 // 3])
    with open_visual(cut) as reader:
        assert abs(int(np.median(reader.frame_at(0.1))) - gray_level(3)) <= 4
        last = reader.frame_at(10.0)  # past what survived: the last decodable frame
        assert last.shape == (120, 160, 3)


def _damage_middle(path, out, first=20, last=24):
    """Overwrite the coded data of frames first..last (by packet position) with noise."""
    import av
    with av.open(str(path)) as c:
        stream = c.streams.video[0]
        spans = sorted((p.pts, p.pos, p.size) for p in c.demux(stream) if p.pts is not None and p.pos is not None)
    data = bytearray(path.read_bytes())
    rng = np.random.default_rng(3)
    for _, pos, size in spans[first:last + 1]:
        data[pos + 2:pos + size] = rng.integers(0, 256, max(0, size - 2), dtype=np.uint8).tobytes()
    out.write_bytes(bytes(data))
    return out


@pytest.mark.parametrize("name,opts", [("mid.mp4", None), ("mid.mkv", {"cluster_time_limit": "200"})])
def test_corrupt_middle_keeps_head_and_tail(tmp_path, name, opts):
    frames = [solid(160, 120, (gray_level(i),) * 3) for i in range(60)]
    path = write_video(tmp_path / name, frames, options={"g": "15"}, container_options=opts)
    bad = _damage_middle(path, tmp_path / ("bad" + name))
    with open_visual(bad) as reader:
        for i in range(60):
            assert reader.frame_at(i / 30).shape == (120, 160, 3)
        # The GOPs before and after the damage still decode exactly, forwards and after seeks.
        for i in (0, 5, 19, 30, 44, 59, 3, 31, 50):
            assert abs(int(np.median(reader.frame_at(i / 30))) - gray_level(i)) <= 1, i


def test_corrupt_single_cluster_mkv_returns_last_good_frame(tmp_path):
    """The whole file is one Matroska cluster: after the damage nothing can be demuxed."""
    frames = [solid(160, 120, (gray_level(i),) * 3) for i in range(60)]
    bad = _damage_middle(write_video(tmp_path / "one.mkv", frames), tmp_path / "onebad.mkv", 20, 40)
    with open_visual(bad) as reader:
        levels = [int(np.median(reader.frame_at(i / 30))) for i in range(60)]
    assert abs(levels[0] - gray_level(0)) <= 4
    good = {gray_level(i) for i in range(60)}
    assert all(min(abs(lv - g) for g in good) <= 4 for lv in levels)  # only real frames, no garbage
    assert levels[-1] == levels[-2]  # the tail holds the last good frame


def test_media_error_forms():
    err = MediaError("/some/dir/clip.mp4", "bad\nthing  here")
    assert str(err) == "clip.mp4: bad thing here" and err.path.name == "clip.mp4"
    ready = MediaError("out.mp4: output size must be even")
    assert str(ready) == "out.mp4: output size must be even" and ready.path is None
