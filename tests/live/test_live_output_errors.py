"""Addresses that cannot work, and a server that refuses the stream: one clear line, no key."""
from __future__ import annotations

import secrets
import time

import numpy as np

import pytest

from rtmp_server import free_port
from studio.live import LiveError, LiveOutput


def start_error(url: str, key: str, tmp_path) -> str:
    out = LiveOutput(url, key, size=(160, 128), fps=15, record=tmp_path / "safety.mkv")
    with pytest.raises(LiveError) as info:
        out.start()
    assert out.health().state == "failed"
    assert not (tmp_path / "safety.mkv").exists()  # nothing recorded, nothing left behind
    return str(info.value)


def check(message: str, key: str) -> None:
    assert "\n" not in message and key not in message and len(message) < 200, message


def test_wrong_scheme_is_refused_before_anything_opens():
    key = secrets.token_hex(20)
    with pytest.raises(LiveError) as info:
        LiveOutput(f"http://127.0.0.1/live/{key}", key)
    check(str(info.value), key)
    assert "rtmp://" in str(info.value)


def test_refused_connection(tmp_path):
    key = secrets.token_hex(20)
    message = start_error(f"rtmp://127.0.0.1:{free_port()}/live", key, tmp_path)
    check(message, key)
    assert "refused the connection" in message


def test_unknown_host(tmp_path):
    key = secrets.token_hex(20)
    message = start_error("rtmp://no-such-ingest.invalid/live", key, tmp_path)
    check(message, key)
    assert "cannot find the server" in message


def test_refused_stream_key(rtmp_server, tmp_path, capfd):
    """nginx's `deny publish` acts like a wrong key: the TCP and RTMP connection succeed, then the
    server drops the stream. LiveOutput gives up after three such drops in a row. (Sound is sent
    as a live session always does: the muxer interleaves, so without it nothing would be written
    and the drop never seen.)"""
    key = secrets.token_hex(20)
    events: list[str] = []
    locked = rtmp_server.url.replace("/live", "/locked")
    out = LiveOutput(locked, key, size=(160, 128), fps=15, on_event=events.append)
    out.start()
    t0 = time.monotonic()
    i = 0
    while out.health().state != "failed" and time.monotonic() - t0 < 6:
        out.send_video(np.zeros((128, 160, 3), np.uint8), t0 + i / 15)
        out.send_audio(np.zeros((3200, 2), np.float32), t0 + i / 15)
        i += 1
        time.sleep(1 / 15)
    out.stop()
    took = time.monotonic() - t0
    print(f"refusal reported after {took:.2f} s")
    assert took < 5
    assert out.health().state == "failed"
    failed = [m for m in events if m.startswith("failed")]
    assert len(failed) == 1 and "check the stream key" in failed[0]
    for message in events:
        check(message, key)
    captured = capfd.readouterr()
    assert key not in captured.out + captured.err


def test_srt_without_srt_in_this_build_is_one_clear_line(tmp_path):
    """The PyAV wheel's FFmpeg has no libsrt: an srt:// address says so instead of blaming the key."""
    key = secrets.token_hex(20)
    message = start_error("srt://127.0.0.1:9999?streamid={key}", key, tmp_path)
    check(message, key)
    if "cannot stream over SRT" not in message:
        pytest.skip(f"this FFmpeg build has SRT ({message})")
    assert "rtmp" in message and "stream key" not in message


def test_a_server_that_never_answers_is_an_error_not_a_frozen_process(tmp_path):
    """FFmpeg would wait forever inside its handshake, holding the GIL; the probe gives up in 2 s."""
    import socket
    import threading

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        ticks = []
        stop = threading.Event()
        ticker = threading.Thread(target=lambda: [ticks.append(1) or time.sleep(0.1) for _ in iter(stop.is_set, True)],
                                  daemon=True)
        ticker.start()
        key = secrets.token_hex(20)
        began = time.monotonic()
        message = start_error(f"rtmp://127.0.0.1:{port}/live", key, tmp_path)
        took = time.monotonic() - began
        stop.set()
    check(message, key)
    assert "no answer" in message and took < 4
    assert len(ticks) >= 10 * took * 0.5  # other threads kept running meanwhile


def test_rtmps_to_a_plain_rtmp_server_says_so(rtmp_server, tmp_path):
    key = secrets.token_hex(20)
    message = start_error(rtmp_server.url.replace("rtmp://", "rtmps://"), key, tmp_path)
    check(message, key)
    assert "rtmp:// rather than rtmps://" in message
