"""A live stream end to end: a 720p file camera (a real webcam clip, upscaled) through face
tracking + face_sticker + beauty, composed at 720x1280 with a text overlay, encoded (CBR x264 +
AAC) and pushed to a real nginx-rtmp on 127.0.0.1, with the safety recording written.

    python benchmarks/live_stream.py [--seconds 60] [--size 720x1280] [--clip webcam_book.mkv]

Prints, once per run: frames the camera delivered, frames sent to the server, frames dropped
(skipped by the effect chain + dropped at the encoder), the latency from a camera picture being
captured to its packet being written to the server (median / 95th percentile / max, sampled each
second), the effect-chain part of it, and CPU. The baseline is the same stream without effects,
measured in the same run: the ratio of the latencies is the figure that carries between machines.
Needs nginx-light + libnginx-mod-rtmp (setup.sh installs them).
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the tests' nginx-rtmp server

from rtmp_server import NGINX, RTMP_MODULE, RtmpServer  # noqa: E402
from studio.capture.sources import FileCamera  # noqa: E402
from studio.live.session import LiveSession  # noqa: E402
from studio.model import EffectRef  # noqa: E402
from studio.model.live_scene import LiveOverlay, LiveScene, LiveSettings  # noqa: E402

SHARED = ROOT.parent / "shared" / "media"


def make_camera_file(clip: Path, out: Path, size=(1280, 720)) -> Path:
    """The clip upscaled to cover `size`, played forwards then backwards (a loop without a jump),
    with a quiet 440 Hz tone as its sound, at 30 fps."""
    with av.open(str(clip)) as c:
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    w, h = size
    scaled = []
    for rgb in frames:
        s = max(w / rgb.shape[1], h / rgb.shape[0])
        big = cv2.resize(rgb, (round(rgb.shape[1] * s), round(rgb.shape[0] * s)), interpolation=cv2.INTER_LINEAR)
        y, x = (big.shape[0] - h) // 2, (big.shape[1] - w) // 2
        scaled.append(np.ascontiguousarray(big[y:y + h, x:x + w]))
    loop = scaled + scaled[-2:0:-1]
    n = len(loop) * 1600
    tone = (0.1 * np.sin(2 * np.pi * 440 * np.arange(n) / 48000)).astype(np.float32)
    with av.open(str(out), "w") as c:
        v = c.add_stream("libx264", rate=30, options={"preset": "ultrafast", "crf": "18"})
        v.width, v.height, v.pix_fmt = w, h, "yuv420p"
        a = c.add_stream("aac", rate=48000, layout="stereo")
        sent = 0
        for k, rgb in enumerate(loop):  # sound written along with the pictures: a file interleaved as
            f = av.VideoFrame.from_ndarray(rgb, format="rgb24")  # a camera delivers them
            f.pts, f.time_base = k, Fraction(1, 30)
            for p in v.encode(f):
                c.mux(p)
            while sent + 1024 <= (k + 1) * 1600:
                f = av.AudioFrame.from_ndarray(np.stack([tone[sent:sent + 1024]] * 2), format="fltp", layout="stereo")
                f.sample_rate, f.pts = 48000, sent
                for p in a.encode(f):
                    c.mux(p)
                sent += 1024
        for s in (v, a):
            for p in s.encode(None):
                c.mux(p)
    return out


def run(camera_file: Path, server: RtmpServer, effects: list[EffectRef], size, seconds: float, work: Path,
        key: str) -> dict:
    scene = LiveScene("main", "Main", camera_effects=tuple(effects),
                      overlays=(LiveOverlay("text", x=0.5, y=0.88, width=0.8, text="Live Q&A — ask me anything"),))
    settings = LiveSettings(width=size[0], height=size[1], url=server.url, scenes=(scene,), active_scene="main")
    camera = FileCamera(camera_file, loop=True)
    session = LiveSession(camera, settings, key, record=work / f"{key}.mp4")
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    session.start()
    lags, pipes = [], []
    began = time.monotonic()
    time.sleep(2.0)  # the models load and the first keyframe goes out: not part of the steady state
    dropped_at_start = session.health().frames_dropped
    composed_at_start = session._composed
    steady = time.monotonic()
    while time.monotonic() - began < seconds:
        time.sleep(1.0)
        h = session.health()
        if h.stream.encoder_lag_ms is not None:
            lags.append(h.stream.encoder_lag_ms)
        if h.pipeline_ms is not None:
            pipes.append(h.pipeline_ms)
    health = session.health()
    composed = session._composed - composed_at_start
    span = time.monotonic() - steady
    result = session.stop()
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
    with av.open(str(server.recording(key))) as c:
        served = sum(1 for p in c.demux(c.streams.video[0]) if p.size)
    return {"composed_fps": composed / span, "dropped": health.frames_dropped - dropped_at_start,
            "dropped_total": health.frames_dropped, "served_frames": served,
            "recorded_s": result.finished.duration if result.finished else None,
            "lag_median": statistics.median(lags) if lags else None,
            "lag_p95": float(np.percentile(lags, 95)) if lags else None, "lag_max": max(lags) if lags else None,
            "effects_median": statistics.median(pipes) if pipes else None,
            "cpu_percent": 100 * cpu / (time.monotonic() - began), "state": health.stream.state}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--size", default="720x1280")
    ap.add_argument("--clip", default=str(SHARED / "webcam_book.mkv"))
    ap.add_argument("--skip-baseline", action="store_true")
    a = ap.parse_args()
    if not NGINX.exists() or not RTMP_MODULE.exists():
        sys.exit("needs nginx-light + libnginx-mod-rtmp (./setup.sh installs them)")
    size = tuple(int(v) for v in a.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        camera = make_camera_file(Path(a.clip), tmp / "camera720p.mp4")
        server = RtmpServer(tmp / "server")
        server.start()
        try:
            load0 = os.getloadavg()
            rows = []
            if not a.skip_baseline:
                rows.append(("baseline: no effects", run(camera, server, [], size, a.seconds, tmp, "plain")))
            effects = [EffectRef("face_sticker", {"sticker": "ar_sunglasses"}), EffectRef("beauty", {})]
            rows.append(("face_sticker + beauty", run(camera, server, effects, size, a.seconds, tmp, "ar")))
        finally:
            server.stop()
    print(f"live stream {size[0]}x{size[1]} @30 fps, {a.seconds:.0f} s per run, camera 1280x720 file "
          f"({Path(a.clip).name}); load average {load0[0]:.2f} -> {os.getloadavg()[0]:.2f}")
    print(f"{'run':<24}{'fps':>6}{'dropped':>9}{'served':>8}{'lag med':>9}{'p95':>7}{'max':>7}"
          f"{'effects':>9}{'CPU %':>7}")
    for name, r in rows:
        def ms(v):
            return f"{v:7.0f}" if v is not None else "      –"
        print(f"{name:<24}{r['composed_fps']:6.1f}{r['dropped']:9d}{r['served_frames']:8d}{ms(r['lag_median'])}"
              f"{ms(r['lag_p95'])}{ms(r['lag_max'])}{ms(r['effects_median'])}  {r['cpu_percent']:5.0f}")
    if len(rows) == 2 and rows[0][1]["lag_median"] and rows[1][1]["lag_median"]:
        print(f"latency camera -> bytes sent, AR over plain: {rows[1][1]['lag_median'] / rows[0][1]['lag_median']:.2f}x "
              f"(median); dropped with AR after the first 2 s: {rows[1][1]['dropped']}")


if __name__ == "__main__":
    main()
