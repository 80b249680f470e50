"""The ingest goes away mid-stream and comes back: LiveOutput reconnects by itself, the server's
second recording continues the timeline, and the safety recording has every frame."""
from __future__ import annotations

import secrets
import time

import numpy as np

from live_stream_media import stream, video_packets
from studio.live import LiveOutput

FPS = 30
SIZE = (320, 240)


def test_reconnects_after_the_server_was_down_for_5_s(rtmp_server, tmp_path):
    key = secrets.token_hex(24)
    events: list[tuple[float, str]] = []
    out = LiveOutput(rtmp_server.url, key, size=SIZE, fps=FPS, record=tmp_path / "safety.mkv",
                     on_event=lambda m: events.append((time.monotonic(), m)))
    out.start()
    marks = {}

    def server_outage(i):
        if i == 2 * FPS:  # 2 s in: the server dies for 5 s, then comes back on the same port
            rtmp_server.stop()
            first = rtmp_server.records / f"{key}.flv"
            first.rename(rtmp_server.records / "first.flv")
            marks["down"] = time.monotonic()
        elif "down" in marks and "up" not in marks and time.monotonic() - marks["down"] >= 5:
            rtmp_server.start()
            marks["up"] = time.monotonic()

    frames = 14 * FPS
    t0 = stream(out, size=SIZE, fps=FPS, frames=frames, after_frame=server_outage)
    health = out.health()
    out.stop()

    messages = [m for _, m in events]
    assert messages[0] == "connected" and "disconnected" in messages and messages[-1] == "stopped"
    assert any(m.startswith("reconnecting in") for m in messages)
    back = [t for t, m in events if m == "connected"][1]
    print(f"reconnected {back - marks['up']:.2f} s after the server came back; events: {messages}")
    assert back - marks["up"] < 5.5  # the backoff is capped at 5 s
    assert health.reconnects == 1 and health.state == "live"

    # The server's second recording continues the timeline, from a keyframe, to the end.
    first = video_packets(rtmp_server.records / "first.flv")
    second = video_packets(rtmp_server.recording(key))
    assert second[0][1], "a new connection starts with a keyframe"
    resumed = second[0][0] - first[0][0]
    print(f"server: first part {first[-1][0] - first[0][0]:.2f} s, second part starts at {resumed:.2f} s")
    assert abs(resumed - (back - t0)) < 0.5
    assert abs(second[-1][0] - first[0][0] - (frames - 1) / FPS) < 0.1

    # The safety recording never noticed: every frame, evenly spaced.
    local = video_packets(tmp_path / "safety.mkv")
    assert len(local) == frames
    steps = np.diff([t for t, _ in local])
    assert steps.max() < 1.6 / FPS and steps.min() > 0.4 / FPS
