"""Live capture at 1280x720: preview rate, camera-to-preview latency, frames dropped while recording.

    /work/venv/bin/python benchmarks/capture_latency.py [clip.mkv] [--seconds N]

A real webcam clip (../shared/media) is cropped to 16:9 and upscaled to 1280x720 in a temp dir,
then played by the file camera at real-time pace (looped) - the same path a webcam takes through
CaptureSession. For each setting it measures:
  preview fps   processed preview frames per second (baseline: the rate the camera delivers)
  latency       capture timestamp -> processed preview frame ready (median, p95), ms
  skipped       camera frames the preview had no time for (the newest frame is always shown)
and, with the chain live while recording a take, recorded vs dropped frames (dropped = the
writer queue overflowed because the disk/encoder did not keep up).
Targets: >= 30 fps with face_sticker(sunglasses) + beauty, latency <= 60 ms, no dropped frames.
The load average is printed: other workers share the 2 cores.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.capture import CaptureSession, FileCamera, TakeSettings  # noqa: E402
from studio.model import EffectRef  # noqa: E402

DEFAULT_CLIP = Path(__file__).resolve().parents[2] / "shared" / "media" / "webcam_yes.mkv"
CHAIN = [EffectRef("face_sticker", {"sticker": "ar_sunglasses"}), EffectRef("beauty")]


def make_720p(src: Path, folder: Path) -> Path:
    import imageio_ffmpeg

    out = folder / "webcam_720p.mp4"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i", str(src),
                    "-vf", "crop=iw:iw*9/16,scale=1280:720", "-c:v", "libx264", "-preset", "veryfast",
                    "-crf", "18", "-pix_fmt", "yuv420p", "-an", str(out)], check=True)
    return out


def measure(clip: Path, effects, seconds: float, preview_size=None, record: Path | None = None) -> dict:
    cam = FileCamera(clip, loop=True)
    with CaptureSession(cam, effects=effects, preview_size=preview_size) as s:
        s.wait_preview(3, timeout=30)  # model loading is not part of the steady state
        s.stats.frames, s.stats.skipped = 0, 0
        s.stats.latencies.clear()
        s.stats.started = time.monotonic()
        delivered0 = cam.frames_delivered
        take = None
        if record is not None:
            take = s.begin_take(record, TakeSettings(countdown=0, max_seconds=seconds))
            take.wait(seconds + 10)
        else:
            time.sleep(seconds)
        span = time.monotonic() - s.stats.started
        lat = sorted(s.stats.latencies)
        row = {"camera_fps": (cam.frames_delivered - delivered0) / span, "preview_fps": s.stats.frames / span,
               "lat_med": 1000 * statistics.median(lat) if lat else float("nan"),
               "lat_p95": 1000 * lat[int(0.95 * (len(lat) - 1))] if lat else float("nan"),
               "skipped": s.stats.skipped}
        if take is not None:
            result = take.finish()
            row["recorded"] = result.recorded_frames
            row["dropped"] = result.dropped_frames
            row["take_frames"] = result.finalised.frames if result.finalised else 0
            row["tracked"] = result.finalised.tracked_frames if result.finalised else 0
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("clip", nargs="?", default=str(DEFAULT_CLIP))
    ap.add_argument("--seconds", type=float, default=8.0)
    args = ap.parse_args()
    src = Path(args.clip)
    if not src.is_file():
        print(f"no clip at {src}", file=sys.stderr)
        return 2
    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        clip = make_720p(src, Path(tmp))
        rows = [
            ("no effects (baseline)", measure(clip, [], args.seconds)),
            ("sunglasses + beauty", measure(clip, CHAIN, args.seconds)),
            ("sunglasses + beauty, 640x360 preview", measure(clip, CHAIN, args.seconds, preview_size=(640, 360))),
            ("recording, no effects", measure(clip, [], args.seconds, record=Path(tmp) / "a.mp4")),
            ("recording, sunglasses + beauty", measure(clip, CHAIN, args.seconds, record=Path(tmp) / "b.mp4")),
        ]
    load1 = os.getloadavg()
    base = rows[0][1]["preview_fps"]
    print(f"file camera 1280x720 @ 30 fps, {args.seconds:g} s per row; load average before "
          f"{load0[0]:.2f}, after {load1[0]:.2f} on {os.cpu_count()} cores")
    print(f"{'setting':40s} {'camera':>7s} {'preview':>8s} {'x base':>7s} {'lat med':>8s} {'lat p95':>8s} "
          f"{'skipped':>8s} {'recorded':>9s} {'dropped':>8s}")
    for name, r in rows:
        rec = f"{r['recorded']:>9d} {r['dropped']:>8d}" if "recorded" in r else f"{'-':>9s} {'-':>8s}"
        print(f"{name:40s} {r['camera_fps']:6.1f}  {r['preview_fps']:7.1f}  {r['preview_fps'] / base:6.2f} "
              f"{r['lat_med']:6.1f}ms {r['lat_p95']:6.1f}ms {r['skipped']:8d} {rec}")
    print("targets: preview >= 30 fps with the chain, latency <= 60 ms, 0 dropped frames while recording")
    return 0


if __name__ == "__main__":
    sys.exit(main())
