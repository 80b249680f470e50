"""Shared media generators: small files written with PyAV, and helpers to decode exports back.

The factories are exposed through the `mediagen` fixture (a conftest is not importable by name from
every test folder), and the session-scoped `engine_media` folder holds files that many tests share."""
from __future__ import annotations

import struct
import subprocess
import sys
import textwrap
import zlib
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import av
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_MEDIA_DIR = ROOT.parent / "shared" / "media"
RATE = 48000


def write_clip(path: Path, *, size=(320, 240), seconds: float = 2.0, fps: int = 30, codec: str = "libx264",
               pix_fmt: str = "yuv420p", picture=None, audio: str | None = "tone", rotation: int = 0,
               pts_s=None, flash_frame: int | None = None, tone_hz: float = 440.0) -> Path:
    """A small video. picture(i) -> HxWx3 RGB (default: blue-grey with a red top edge and a moving
    bar); audio: "tone" (sine), "beep" (silence with a 50 ms 1 kHz burst at flash_frame / fps) or None;
    flash_frame: that frame is all white; pts_s: per-frame times (seconds) for a variable-rate file."""
    w, h = size
    n = len(pts_s) if pts_s is not None else int(round(seconds * fps))
    if picture is None:
        def picture(i):
            img = np.empty((h, w, 3), np.uint8)
            img[:] = (40, 90, 160)
            img[: max(2, h // 8)] = (230, 20, 20)
            x = (i * 7) % max(1, w - 10)
            img[h // 2:h // 2 + 10, x:x + 10] = (250, 250, 250)
            return img
    tb = Fraction(1, 1000) if pts_s is not None else Fraction(1, fps)
    with av.open(str(path), "w") as out:
        vs = out.add_stream(codec, rate=fps)
        vs.width, vs.height, vs.pix_fmt = w, h, pix_fmt
        vs.codec_context.time_base = tb
        if codec == "libx264":
            vs.options = {"preset": "ultrafast", "crf": "12"}
        elif codec == "libx265":
            vs.options = {"preset": "ultrafast", "crf": "12", "x265-params": "log-level=error"}
        if rotation:
            vs.set_display_rotation(rotation)
        astream = out.add_stream("aac", rate=RATE, layout="stereo") if audio else None
        for i in range(n):
            img = picture(i)
            if flash_frame is not None and i == flash_frame:
                img = np.full_like(img, 255)
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(img), format="rgb24")
            if pix_fmt != "yuv420p":
                frame = frame.reformat(format=pix_fmt)
            frame.pts = int(round(pts_s[i] / tb)) if pts_s is not None else i
            frame.time_base = tb
            out.mux(vs.encode(frame))
        out.mux(vs.encode(None))
        if astream is not None:
            total_s = (pts_s[-1] + 1 / fps) if pts_s is not None else n / fps
            samples = int(round(total_s * RATE))
            t = np.arange(samples) / RATE
            if audio == "beep":
                sig = np.zeros(samples, np.float32)
                start = round((flash_frame or 0) * RATE / fps)
                length = RATE // 20
                sig[start:start + length] = 0.5 * np.sin(2 * np.pi * 1000 * t[:length])
            else:
                sig = (0.3 * np.sin(2 * np.pi * tone_hz * t)).astype(np.float32)
            data = np.ascontiguousarray(np.stack([sig, sig]).astype(np.float32))
            for start in range(0, samples, 1024):
                chunk = av.AudioFrame.from_ndarray(np.ascontiguousarray(data[:, start:start + 1024]),
                                                   format="fltp", layout="stereo")
                chunk.sample_rate, chunk.pts, chunk.time_base = RATE, start, Fraction(1, RATE)
                out.mux(astream.encode(chunk))
            out.mux(astream.encode(None))
    return path


def write_png(path: Path, rgb_or_rgba: np.ndarray) -> Path:
    from PIL import Image

    Image.fromarray(np.ascontiguousarray(rgb_or_rgba)).save(path)
    return path


def solid(w: int, h: int, rgb) -> np.ndarray:
    img = np.empty((h, w, 3), np.uint8)
    img[:] = rgb
    return img


@dataclass
class Decoded:
    width: int
    height: int
    codec: str
    profile: str
    pix_fmt: str
    fps: Fraction
    frames: int
    frame_times: list
    video_duration: float
    audio_codec: str | None
    audio_profile: str | None
    audio_rate: int
    audio_channels: int
    tags: dict


def decode_info(path: Path) -> Decoded:
    """Decode every video frame (timestamps only) and read the stream parameters and tags."""
    with av.open(str(path)) as c:
        vs = c.streams.video[0]
        ctx = vs.codec_context
        times = [float(f.time) for f in c.decode(vs)]
        a = c.streams.audio[0] if c.streams.audio else None
        return Decoded(ctx.width, ctx.height, ctx.name, ctx.profile or "", ctx.pix_fmt or "", vs.average_rate,
                       len(times), times, float(vs.duration * vs.time_base) if vs.duration else 0.0,
                       a.codec_context.name if a else None, a.codec_context.profile if a else None,
                       a.codec_context.sample_rate if a else 0, a.codec_context.channels if a else 0,
                       dict(c.metadata))


def decode_frames(path: Path, indices=None) -> dict[int, np.ndarray]:
    """RGB frames of a video by index (all when indices is None)."""
    wanted = None if indices is None else set(indices)
    out = {}
    with av.open(str(path)) as c:
        for i, f in enumerate(c.decode(video=0)):
            if wanted is None or i in wanted:
                out[i] = f.to_ndarray(format="rgb24")
            if wanted is not None and len(out) == len(wanted):
                break
    return out


def run_studio(*args: str, cwd: Path | None = None, timeout: float = 240) -> subprocess.CompletedProcess:
    """Run the real `studio` command in a child process (as a user would)."""
    return subprocess.run([sys.executable, "-m", "studio", *map(str, args)], cwd=cwd or ROOT, capture_output=True,
                          text=True, timeout=timeout)


def error_lines(stderr: str) -> list[str]:
    """stderr lines that Studio wrote (MediaPipe/TFLite log lines are not ours)."""
    noise = ("INFO: Created TensorFlow", "WARNING: All log messages", "W0000", "I0000", "E0000")
    return [line for line in stderr.splitlines() if line.strip() and not line.startswith(noise)]


def blank_png(path, width: int, height: int):
    """A 1-bit PNG of any size, written directly: a few KB on disk for hundreds of megapixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = (b"\x00" + bytes((width + 7) // 8)) * height
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))
    return path


def peak_rss_mb(code: str) -> tuple[float, str]:
    """Run `code` in a fresh Python; (its peak resident memory in MB, its stdout)."""
    script = textwrap.dedent(code) + textwrap.dedent("""
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                print("PEAK_KB", line.split()[1])
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    peak = next(line for line in proc.stdout.splitlines() if line.startswith("PEAK_KB"))
    return int(peak.split()[1]) / 1024, proc.stdout


@pytest.fixture(autouse=True)
def private_user_cache(tmp_path_factory, monkeypatch):
    """Each test gets its own user cache folder (the tracking cache lives there), so no test is
    served landmarks another one computed, and nothing lands in the real ~/.cache; and its own
    user data folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    # imported looks, sounds and templates: private to the test, never the real user's folder
    monkeypatch.setenv("STUDIO_USER_DATA", str(tmp_path_factory.mktemp("user-data")))


@pytest.fixture(scope="session")
def mediagen():
    return SimpleNamespace(write_clip=write_clip, write_png=write_png, solid=solid, decode_info=decode_info,
                           decode_frames=decode_frames, run_studio=run_studio, error_lines=error_lines,
                           blank_png=blank_png, peak_rss_mb=peak_rss_mb,
                           shared_media=SHARED_MEDIA_DIR)


@pytest.fixture(scope="session")
def engine_media(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("engine_media")


@pytest.fixture(scope="session")
def tone_clip(engine_media) -> Path:
    """2 s, 320x240, 30 fps H.264 with a red top edge and a 440 Hz stereo tone."""
    return write_clip(engine_media / "tone.mp4")


@pytest.fixture(scope="session")
def silent_clip(engine_media) -> Path:
    """As tone_clip without an audio stream."""
    return write_clip(engine_media / "silent.mp4", audio=None)


@pytest.fixture
def rtmp_server(tmp_path):
    """A real nginx-rtmp ingest on 127.0.0.1 (a free port), recording each stream as records/KEY.flv."""
    from rtmp_server import NGINX, RTMP_MODULE, RtmpServer

    if not NGINX.exists() or not RTMP_MODULE.exists():
        pytest.skip("needs nginx with the RTMP module (apt: nginx-light libnginx-mod-rtmp)")
    server = RtmpServer(tmp_path / "server")
    server.start()
    yield server
    server.stop()
