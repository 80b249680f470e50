"""A whole live session against a real nginx-rtmp: a camera (a file with a real face and sound)
through the AR chain and a scene with overlays, streamed; a highlight marked; the safety recording
finished as LIVE.mp4 + LIVE.studio with the marker; the key nowhere. And `studio live` on the
command line, ended by Ctrl+C."""
from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from fractions import Fraction

import av
import numpy as np
import pytest

from stream_media import tone, write_av_clip
from studio.capture.sources import FileCamera
from studio.live.session import LiveSession
from studio.model import EffectRef, load_project
from studio.model.live_scene import LiveOverlay, LiveScene, LiveSettings

FLASH = 45  # the camera's frame that is all white, with a beep
SIZE = (360, 640)  # the stream's size here: small, so two cores keep up with tracking and encoding
LOGO = (255, 0, 0)


@pytest.fixture(scope="module")
def face_camera(tmp_path_factory):
    """4 s of the astronaut (a real face) in a 360x640 portrait picture with a quiet 440 Hz tone,
    and at 1.5 s a white flash with a loud 1 kHz beep starting on the same instant."""
    data = pytest.importorskip("skimage.data")
    import cv2

    face = cv2.resize(data.astronaut(), (360, 360), interpolation=cv2.INTER_AREA)
    picture = np.full((640, 360, 3), 90, np.uint8)
    picture[140:500] = face
    white = np.full_like(picture, 255)
    sound = tone(4, level=0.05)
    t = np.arange(len(sound)) / 48000
    beep = (t >= FLASH / 30) & (t < FLASH / 30 + 0.1)
    sound[beep] = (0.6 * np.sin(2 * np.pi * 1000 * t[beep])).astype(np.float32)
    path = write_av_clip(tmp_path_factory.mktemp("camera") / "face.mp4", lambda k: white if k == FLASH else picture,
                         120, sound)
    return path, picture


@pytest.fixture
def logo(tmp_path):
    from PIL import Image

    path = tmp_path / "logo.png"
    Image.new("RGBA", (64, 64), LOGO + (255,)).save(path)
    return path


def _frames(path):
    with av.open(str(path)) as c:
        return [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]


def _scene(logo, effects):
    return LiveScene("main", "Main", camera_effects=tuple(effects),
                     overlays=(LiveOverlay("image", x=0.85, y=0.06, width=0.2, source=str(logo)),
                               LiveOverlay("text", x=0.5, y=0.9, width=0.8, text="Q&A live")))


def test_a_live_session_streams_the_ar_scene_and_keeps_a_recording_with_its_highlight(
        rtmp_server, face_camera, logo, tmp_path, capfd):
    camera_file, picture = face_camera
    key = secrets.token_urlsafe(24)
    settings = LiveSettings(width=SIZE[0], height=SIZE[1], url=rtmp_server.url,
                            scenes=(_scene(logo, [EffectRef("face_sticker", {"sticker": "ar_sunglasses"})]),
                                    _scene(logo, [])), active_scene="main")
    work = tmp_path / "work"
    work.mkdir()
    events = []
    session = LiveSession(FileCamera(camera_file, loop=True), settings, key, record=work / "Live.mp4",
                          on_event=events.append)
    session.start()
    time.sleep(1.5)
    session.mark("the reveal")
    time.sleep(1.5)
    health = session.health()
    result = session.stop()

    assert health.stream.state == "live" and health.stream.fps > 20, health.line()
    assert result.error is None and result.finished is not None
    # the server got the scene: 360x640 H.264 + AAC, about as long as the session
    served = rtmp_server.recording(key)
    with av.open(str(served)) as c:
        assert (c.streams.video[0].codec_context.width, c.streams.video[0].codec_context.height) == SIZE
        assert c.streams.audio and c.streams.audio[0].codec_context.name == "aac"
    frames = _frames(served)
    assert 2.5 * 30 <= len(frames) <= 3.6 * 30
    last = frames[-1].astype(int)
    # the logo overlay in its place (top right), the text at the bottom
    assert np.abs(last[38, 306] - LOGO).max() < 40
    assert np.abs(last[570:600, 60:300] - 90).max() > 100  # white text on the grey
    # the AR effect: the sunglasses over the astronaut's eyes, not elsewhere
    changed = np.abs(last[:500] - picture[:500].astype(int)).max(axis=2) > 80
    changed[:100] = False  # (the logo)
    ys, xs = np.nonzero(changed)
    assert changed.mean() > 0.002  # the lenses: about 60 x 20 px here
    assert 180 < ys.mean() < 250 and 120 < xs.mean() < 200  # the astronaut's eyes (y 200-220, x 130-190)
    # keyframes every 2 s of the stream, and the flash and its beep together (within a frame)
    with av.open(str(served)) as c:
        keys = [float(p.pts * p.time_base) for p in c.demux(c.streams.video[0]) if p.size and p.is_keyframe]
    assert len(keys) >= 2 and np.allclose(np.diff(keys), 2.0, atol=0.002), keys
    with av.open(str(served)) as c:
        flash_t = next(float(f.time) for f in c.decode(video=0) if f.to_ndarray(format="gray").mean() > 200)
    with av.open(str(served)) as c:
        chunks = [(float(f.time), f.to_ndarray()[0]) for f in c.decode(audio=0)]
    sound = np.concatenate([a for _, a in chunks])
    beep_t = chunks[0][0] + np.argmax(np.abs(sound) > 0.3) / 48000
    assert abs(beep_t - flash_t) <= 1 / 30, (beep_t, flash_t)
    # the safety recording, finished: same length, the highlight as a marker at its moment
    recorded = _frames(result.finished.path)
    assert abs(len(recorded) - len(frames)) <= 3
    project = load_project(result.finished.project)
    [marker] = project.markers
    assert marker.name == "the reveal" and abs(marker.frame - 45) <= 8
    # the key: in no file Studio wrote, no event, no output
    for path in list(work.rglob("*")):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path
    out, err = capfd.readouterr()
    assert key not in out + err + " ".join(events)
    assert "connected" in events


def test_scenes_switch_while_live(rtmp_server, face_camera, logo, tmp_path):
    camera_file, picture = face_camera
    plain = LiveScene("plain", "Plain")
    branded = _scene(logo, [])
    settings = LiveSettings(width=SIZE[0], height=SIZE[1], url=rtmp_server.url, scenes=(plain, branded),
                            active_scene="plain")
    session = LiveSession(FileCamera(camera_file, loop=True), settings, "switch-key")
    session.start()
    time.sleep(1.0)
    session.switch_scene("main")
    time.sleep(1.0)
    session.stop()
    frames = _frames(rtmp_server.recording("switch-key"))
    logo_seen = [np.abs(f[38, 306].astype(int) - LOGO).max() < 40 for f in frames]
    assert not logo_seen[5] and logo_seen[-5]
    assert logo_seen.index(True) > 15 and all(logo_seen[logo_seen.index(True):])  # on from the switch on


def test_studio_live_on_the_command_line_ends_cleanly_on_ctrl_c(rtmp_server, face_camera, tmp_path):
    camera_file, _ = face_camera
    key = secrets.token_hex(20)
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "stream.key").write_text(key + "\n")
    work = tmp_path / "cli"
    work.mkdir()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "studio", "live", "--camera", str(camera_file), "--url",
                             rtmp_server.url, "--key-file", str(keys / "stream.key"), "--size", "720x1280",
                             "--text", "hello", "--record", str(work / "Show.mp4"), "--json"],
                            cwd=work, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    lines = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        lines.append(line)
        health = [json.loads(x) for x in lines if x.startswith("{") and '"state"' in x and '"health"' not in x]
        if len(health) >= 3:
            break
    proc.stdin.write("m first\n")
    proc.stdin.flush()
    time.sleep(1.2)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    lines += out.splitlines()
    records = [json.loads(x) for x in lines if x.strip().startswith("{")]
    health = [r for r in records if "state" in r]
    assert len(health) >= 3 and health[-1]["state"] == "live" and health[-1]["fps"] > 15
    summary = records[-1]
    assert summary["recording"] == str(work / "Show.mp4") and summary["highlights"][0]["name"] == "first"
    assert [m.name for m in load_project(summary["project"]).markers] == ["first"]
    assert key not in out + err + "".join(lines)
    assert all(key.encode() not in p.read_bytes() for p in work.rglob("*") if p.is_file())
    assert rtmp_server.recording(key).stat().st_size > 10000


def test_a_sound_played_on_a_hotkey_goes_into_the_stream(rtmp_server, tmp_path):
    """A camera without sound: the quiet bed carries the audio track, and a library sound played
    while live is in it from that moment."""
    path = tmp_path / "silent.mp4"
    with av.open(str(path), "w") as c:
        v = c.add_stream("libx264", rate=30, options={"preset": "ultrafast"})
        v.width, v.height, v.pix_fmt = 180, 320, "yuv420p"
        for k in range(60):
            f = av.VideoFrame.from_ndarray(np.full((320, 180, 3), 40, np.uint8), format="rgb24")
            f.pts, f.time_base = k, Fraction(1, 30)
            for p in v.encode(f):
                c.mux(p)
        for p in v.encode(None):
            c.mux(p)
    settings = LiveSettings(width=SIZE[0], height=SIZE[1], url=rtmp_server.url, scenes=(LiveScene("main"),))
    session = LiveSession(FileCamera(path, loop=True), settings, "sound-key")
    session.start()
    time.sleep(1.0)
    played_at = time.monotonic() - session._output.started_at
    length = session.play_sound("ding")
    time.sleep(1.5)
    session.stop()
    with av.open(str(rtmp_server.recording("sound-key"))) as c:
        chunks = [(float(f.time), f.to_ndarray()[0]) for f in c.decode(audio=0)]
    sound = np.concatenate([a for _, a in chunks])
    start = chunks[0][0]
    loud = np.nonzero(np.abs(sound) > 0.05)[0]
    assert len(loud) and length > 0.3
    heard = start + loud[0] / 48000
    assert abs(heard - played_at) < 0.15, (heard, played_at)  # a block or two of the bed late at most
    assert np.abs(sound[: int((played_at - start - 0.1) * 48000)]).max() < 0.01  # silence before it


def test_a_killed_studio_live_leaves_a_recording_that_studio_recover_finishes(rtmp_server, face_camera, tmp_path):
    camera_file, _ = face_camera
    work = tmp_path / "killed"
    work.mkdir()
    (tmp_path / "k").write_text("kill-key\n")
    proc = subprocess.Popen([sys.executable, "-m", "studio", "live", "--camera", str(camera_file), "--url",
                             rtmp_server.url, "--key-file", str(tmp_path / "k"), "--size", "720x1280", "--record", str(work / "Show.mp4"), "--json"],
                            cwd=work, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    seen = 0
    while seen < 3:
        line = proc.stdout.readline()
        seen += line.startswith('{"state"')
    proc.stdin.write("m before the crash\n")
    proc.stdin.flush()
    time.sleep(1.0)
    proc.kill()
    proc.wait(10)
    assert (work / "Show.mp4.recording.mkv").exists() and not (work / "Show.mp4").exists()
    done = subprocess.run([sys.executable, "-m", "studio", "recover", str(work)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "recovered" in done.stdout and (work / "Show.mp4").exists()
    frames = _frames(work / "Show.mp4")
    assert len(frames) >= 2.5 * 30  # the 3+ s it streamed, up to ~0.2 s before the kill
    assert [m.name for m in load_project(work / "Show.studio").markers] == ["before the crash"]
