"""A real stream to a real nginx-rtmp: what the SERVER recorded is decoded and checked, and so is
the local safety recording made from the same encode."""
from __future__ import annotations

import secrets

import av
import numpy as np

from live_stream_media import SQUARE, audio_samples, square_x, stream, video_frames, video_packets
from studio.live import LiveOutput

FPS = 30
SIZE = (720, 1280)
FRAMES = 136      # 4.5 s: keyframes at 0, 2 and 4 s
FLASH = 75        # frame 75 (2.5 s) is white, and a beep starts with it


def test_server_recording_matches_what_was_sent(rtmp_server, tmp_path, capfd):
    key = secrets.token_urlsafe(32)
    client = tmp_path / "client"
    client.mkdir()
    events: list[str] = []
    out = LiveOutput(rtmp_server.url, key, size=SIZE, fps=FPS, record=client / "safety.mkv",
                     on_event=events.append)
    out.start()
    stream(out, size=SIZE, fps=FPS, frames=FRAMES, flash_at=FLASH)
    health = out.health()
    out.stop()
    flv = rtmp_server.recording(key)

    for label, path in (("server", flv), ("safety", client / "safety.mkv")):
        with av.open(str(path)) as c:
            v, a = c.streams.video[0].codec_context, c.streams.audio[0].codec_context
            assert (v.name, v.width, v.height) == ("h264", 720, 1280)
            assert (a.name, a.sample_rate, a.channels) == ("aac", 48000, 2)

        packets = video_packets(path)
        assert abs(len(packets) - FRAMES) <= 1, f"{label}: {len(packets)} frames for {FRAMES} sent"
        duration = packets[-1][0] - packets[0][0] + 1 / FPS
        assert abs(duration - FRAMES / FPS) <= 1 / FPS
        keys = [t - packets[0][0] for t, k in packets if k]
        gaps = np.diff(keys)
        print(f"{label}: keyframes at {np.round(keys, 3).tolist()}")
        assert len(keys) == 3 and np.allclose(gaps, 2.0, atol=0.0015), keys

        frames = video_frames(path)
        for i in (0, 31, 100):  # decoded frame i is sent frame i (nothing dropped)
            t, img = frames[i]
            side = SIZE[0] // 10
            x, y = square_x(i, SIZE[0], side), SIZE[1] // 3
            inside = img[y + side // 2, x + side // 2].astype(int)
            outside = img[y + side // 2, (x + side * 2) % SIZE[0]].astype(int)
            assert np.abs(inside - SQUARE).max() < 40, (label, i, inside)
            assert np.abs(outside - 60).max() < 25, (label, i, outside)

        flash_t = next(t for t, img in frames if img.mean() > 200)
        first, sound = audio_samples(path)
        beep_t = first + np.argmax(np.abs(sound) > 0.1) / 48000
        offset = beep_t - flash_t
        print(f"{label}: beep - flash = {offset * 1000:.1f} ms")
        assert abs(offset) <= 1 / FPS

    assert health.state == "live" and health.frames_dropped == 0
    assert 20 <= health.fps <= 35 and health.kbps > 1000 and health.encoder_lag_ms < 500  # (last second; a loaded machine)
    assert events == ["connected", "stopped"]
    assert out.health().state == "stopped"

    # The key went to the server and nowhere else: not into our files, output, events or reprs.
    secret = key.encode()
    for path in client.rglob("*"):
        assert key not in path.name
        if path.is_file():
            assert secret not in path.read_bytes(), path
    captured = capfd.readouterr()
    assert key not in captured.out + captured.err + " ".join(events) + repr(out.health()) + repr(out.__dict__)
