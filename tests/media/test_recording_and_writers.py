"""The media doors other layers go through instead of PyAV: the crash-safe recording (write, kill,
read back), the MP4 writer's picture/RGB/streamed-audio inputs, the streaming tempo filter, the
in-order frame reader and the looping reader."""
from __future__ import annotations

import os

import av
import numpy as np
import pytest

from media_files import gray_level, solid, write_video
from studio.media.encode import EncodeSettings, Mp4Writer
from studio.media.errors import MediaError, MediaWriteError
from studio.media.recording import RecordingReader, RecordingWriter
from studio.media.sequential import IndexedFrames, LoopingVideo
from studio.media.tempo import TempoStream

RATE = 48000


def test_recording_round_trip_keeps_times_pictures_and_sound(tmp_path):
    path = tmp_path / "take.recording.mkv"
    w = RecordingWriter(path, (65, 49), audio_rate=RATE)  # odd sizes are cut to even
    assert w.size == (64, 48)
    stamped = [w.write_video(solid(65, 49, (gray_level(i),) * 3), t) for i, t in enumerate([0.0, 0.0333, 0.0334, 0.1])]
    assert stamped == [0.0, 0.033, 0.034, 0.1]  # one millisecond apart at least: never a collision
    w.write_audio(np.full((4800, 2), 1000, np.int16), 0)
    w.close()
    with RecordingReader(path) as r:
        assert r.has_video and r.has_audio and r.size == (64, 48)
        items = list(r.items())
    video = [(t, ms) for kind, t, ms, _ in items if kind == "video"]
    assert [ms for _, ms in video] == [0, 33, 34, 100]
    pcm = np.concatenate([p for kind, _, _, p in items if kind == "audio"])
    assert pcm.shape == (4800, 2) and pcm.dtype == np.int16 and np.all(pcm == 1000)


def test_a_killed_recording_reads_up_to_the_kill(tmp_path):
    path = tmp_path / "killed.recording.mkv"
    w = RecordingWriter(path, (64, 48))
    for i in range(30):
        w.write_video(solid(64, 48, (gray_level(i),) * 3), i / 30)
    # no close(): what a killed process leaves, with its last cluster cut short
    os.truncate(path, os.path.getsize(path) - 100)
    with RecordingReader(path) as r:
        assert 15 <= sum(kind == "video" for kind, *_ in r.items()) < 30
    w.abort()


def test_recording_errors_carry_the_systems_words(tmp_path):
    with pytest.raises(MediaWriteError) as caught:
        # the muxer opens its file when the first picture is written
        w = RecordingWriter(tmp_path / "no-such-folder" / "x.recording.mkv", (64, 48))
        w.write_video(solid(64, 48, (0, 0, 0)), 0.0)
    assert caught.value.reason == "No such file or directory"
    (tmp_path / "junk.mkv").write_bytes(b"not a recording" * 10)
    with pytest.raises(MediaError, match="cannot be read"):
        RecordingReader(tmp_path / "junk.mkv")


def test_mp4_writer_takes_decoded_pictures_rgb_and_streamed_sound(tmp_path, numbered_mp4):
    out = tmp_path / "out.mp4"
    writer = Mp4Writer(out, EncodeSettings(160, 120, crf=18, preset="ultrafast", audio_bitrate=128_000))
    with av.open(str(numbered_mp4)) as c:  # stands in for RecordingReader's pictures
        for frame in c.decode(video=0):
            writer.write_picture(frame)
    writer.write_rgb(solid(160, 120, (255, 0, 0)))
    writer.write_audio(np.zeros((RATE, 2), np.int16))
    writer.close()
    with av.open(str(out)) as c:
        v = c.streams.video[0]
        assert v.codec_context.colorspace == 1  # tagged BT.709...
        frames = [f.to_ndarray(format="rgb24").astype(int) for f in c.decode(video=0)]
    assert len(frames) == 61
    assert abs(frames[10][60, 80, 0] - gray_level(10)) <= 3
    assert np.abs(frames[-1][60, 80] - [255, 0, 0]).max() <= 8  # ...and converted with that matrix
    with av.open(str(out)) as c:
        assert sum(f.samples for f in c.decode(audio=0)) >= RATE


def test_an_untagged_writer_leaves_the_colour_tags_unset(tmp_path):
    out = tmp_path / "untagged.mp4"
    writer = Mp4Writer(out, EncodeSettings(64, 48, preset="ultrafast", tag_bt709=False), with_audio=False)
    writer.write_rgb(solid(64, 48, (0, 200, 0)))
    writer.close()
    with av.open(str(out)) as c:
        ctx = c.streams.video[0].codec_context
        assert (ctx.colorspace, ctx.color_primaries) == (2, 2)  # unspecified
        rgb = next(c.decode(video=0)).to_ndarray(format="rgb24").astype(int)
    assert np.abs(rgb[24, 32] - [0, 200, 0]).max() <= 8


def test_tempo_stream_changes_length_not_pitch():
    t = np.arange(2 * RATE) / RATE
    tone = (np.sin(2 * np.pi * 440 * t) * 8000).astype(np.int16)
    block = np.stack([tone, tone], axis=1)
    stream = TempoStream(2.0, RATE)
    out = [o for i in range(0, len(block), 4096) for o in stream.push(block[i:i + 4096])] + stream.finish()
    played = np.concatenate(out)
    assert played.dtype == np.int16 and played.shape[1] == 2
    assert abs(len(played) - RATE) < 0.02 * RATE
    spectrum = np.abs(np.fft.rfft(played[:, 0].astype(float)))
    assert abs(np.argmax(spectrum) * RATE / len(played) - 440) < 5


def test_indexed_frames_in_order_and_after_a_seek(numbered_mp4):
    frames = IndexedFrames(numbered_mp4)
    assert (frames.size, frames.frame_count, frames.fps) == ((160, 120), 60, 30)
    got = list(frames.frames(0, 4, (80, 60)))
    assert [k for k, _ in got] == [0, 1, 2, 3, 4] and got[0][1].shape == (60, 80, 3)
    assert frames.positioned
    later = list(frames.frames(40, 41, (80, 60)))  # far ahead: a seek
    assert [k for k, _ in later] == [40, 41]
    assert abs(int(later[0][1][30, 40, 0]) - gray_level(40)) <= 3
    assert list(frames.frames(58, 10**6, (80, 60)))[-1][0] == 59
    assert not frames.positioned  # ran off the end
    frames.close()


def test_looping_video_wraps_and_goes_back(media_dir):
    clip = write_video(media_dir / "loop.mp4", [solid(64, 48, (gray_level(i * 10),) * 3) for i in range(10)])
    loop = LoopingVideo(clip)
    assert loop.duration == pytest.approx(10 / 30, abs=0.01)
    first = int(loop.frame_at(0.0)[24, 32, 0])
    assert abs(int(loop.frame_at(5 / 30)[24, 32, 0]) - gray_level(50)) <= 3
    assert int(loop.frame_at(10 / 30)[24, 32, 0]) == first  # one loop later: the first frame again
    loop.close()
    with pytest.raises(MediaError):
        LoopingVideo(media_dir / "missing.mp4")
