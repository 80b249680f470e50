"""Timelapse benchmark: a 30-minute 1080p recording made into a 15 s short at 120x, against decoding
that recording once (what any tool that looks at every frame must at least do).

The source (made once, then reused from --cache): 1920x1080, 30 fps, H.264 (x264 ultrafast, a
keyframe every --gop frames: 60 by default, 2 s, as phones and action cameras record; try 250,
x264's default, for screen recordings), with a mono 48 kHz AAC sine. The picture is mostly still (a
flat background with a 320x240 test pattern and frame counter moving across it), so that a minute
encodes in seconds: one minute is encoded, then copied (no re-encoding) --minutes times into one
file. Making it is not timed. Still content is cheap to decode between keyframes, so the baseline
below is fast and the ratio conservative: real footage costs more per skipped frame.

Timed (after one untimed warm-up `studio quick` of a 4 s clip), each from process start to a
checked file / the last frame:
  timelapse  `studio quick SRC --speed 120 -o out.mp4` (1080x1920, 450 frames, H.264 + AAC,
             pre-flight included); the output is then checked (outside the timing);
  decode     every video frame of SRC decoded with PyAV, threaded as Studio's reader is
             (frames not converted): the baseline;
  reader     in this process, the 450 frames the timelapse shows, through
             VideoReader.frame_at(t, tolerance=frame_tolerance(120, 30)): the decode part alone,
             with how many packets it decoded.

Until studio/render/compositor.py passes the tolerance itself, `quick` decodes each timelapse
frame exactly (from the keyframe before it); the timelapse then runs twice: as the compositor is,
and with a stand-in that passes `tolerance=frame_tolerance(clip.speed, fps)` to frame_at (the rule
the compositor is to follow), both printed.

    python benchmarks/timelapse.py [--minutes 30] [--gop 60] [--speed 120] [--cache DIR] [--keep DIR]
"""
from __future__ import annotations

import argparse
import inspect
import json
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FPS = 30
PROJECT_FPS = 30
SHORT_SECONDS = 15

# Runs `studio` with frame_at given the compositor's tolerance rule (see the module docstring).
WIRED = """
import sys, threading
from studio.media.timelapse import frame_tolerance
from studio.render import compositor
local = threading.local()
def speed_aware(name):
    original = getattr(compositor.Renderer, name)
    def method(self, clip, frame_index, fps, *rest, **kw):
        local.tolerance = frame_tolerance(clip.speed, fps)
        try:
            return original(self, clip, frame_index, fps, *rest, **kw)
        finally:
            local.tolerance = 0.0
    setattr(compositor.Renderer, name, method)
for name in ("source_rgba", "source_picture"):
    if name in compositor.Renderer.__dict__:
        speed_aware(name)
        break
class Tolerant:
    def __init__(self, reader):
        self._reader = reader
    def __getattr__(self, name):
        return getattr(self._reader, name)
    def frame_at(self, t, fmt="rgb24", tolerance=0.0):
        return self._reader.frame_at(t, fmt, tolerance=max(tolerance, getattr(local, "tolerance", 0.0)))
plain_reader = compositor.Renderer.reader
compositor.Renderer.reader = lambda self, *args, **kw: Tolerant(plain_reader(self, *args, **kw))
from studio.cli import main
sys.exit(main(sys.argv[1:]))
"""


def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def make_source(path: Path, minutes: int, gop: int) -> Path:
    """The test recording (see the module docstring); reused when already there."""
    if path.exists():
        return path
    ff = ffmpeg_exe()
    work = Path(tempfile.mkdtemp(prefix="timelapse-src-"))
    chunk = work / "minute.mp4"
    picture = (f"color=c=0x406080:s=1920x1080:r={FPS}:d=60,format=yuv420p[bg];"
               f"testsrc=s=320x240:r={FPS}:d=60,format=yuv420p[fg];"
               "[bg][fg]overlay=x='mod(t*100,1600)':y='420+200*sin(t)':format=yuv420")
    started = time.monotonic()
    subprocess.run([ff, "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", picture,
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=60",
                    "-c:v", "libx264", "-preset", "ultrafast", "-g", str(gop), "-keyint_min", str(gop),
                    "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "1", "-b:a", "64k",
                    "-shortest", str(chunk)], check=True)
    (work / "list.txt").write_text(f"file '{chunk}'\n" * minutes)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_suffix(".part.mp4")
    subprocess.run([ff, "-nostdin", "-loglevel", "error", "-y", "-f", "concat", "-safe", "0", "-i",
                    str(work / "list.txt"), "-c", "copy", "-movflags", "+faststart", str(part)], check=True)
    part.rename(path)
    chunk.unlink()
    (work / "list.txt").unlink()
    work.rmdir()
    print(f"made {path} in {time.monotonic() - started:.0f} s (not timed)")
    return path


def warm_up(work: Path) -> None:
    """One untimed `studio quick --speed 2` of a 4 s 1080p clip: the timed runs then find Python's bytecode,
    the libraries and MediaPipe's models in the page cache, as a creator's second run does."""
    clip = work / "warm-up.mp4"
    subprocess.run([ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    f"testsrc=s=1920x1080:r={FPS}:d=4", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt",
                    "yuv420p", str(clip)], check=True)
    subprocess.run([sys.executable, "-m", "studio", "quick", str(clip), "--speed", "2", "-o",
                    str(work / "warm-up-out.mp4")], cwd=ROOT, check=True, capture_output=True)


def time_quick(source: Path, out: Path, speed: int, wired: bool) -> float:
    args = ["quick", str(source), "--speed", str(speed), "-o", str(out), "--json"]
    cmd = [sys.executable, "-c", WIRED, *args] if wired else [sys.executable, "-m", "studio", *args]
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if proc.returncode != 0:
        raise SystemExit(f"studio quick failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    check_output(out, json.loads(proc.stdout))
    return elapsed


def check_output(path: Path, summary: dict) -> None:
    from studio.media.probe import probe

    info = probe(path)
    frames = round(SHORT_SECONDS * PROJECT_FPS)
    assert (info.width, info.height) == (1080, 1920), (info.width, info.height)
    assert summary["frames"] == frames and abs(info.duration - SHORT_SECONDS) < 0.1, (summary["frames"], info.duration)
    assert info.has_audio and summary["preflight"]["passed"], summary["preflight"]


def time_full_decode(source: Path) -> tuple[float, int]:
    import av

    started = time.monotonic()
    count = 0
    with av.open(str(source)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for _ in container.decode(stream):
            count += 1
    return time.monotonic() - started, count


def time_reader(source: Path, speed: int) -> tuple[float, int, int]:
    from studio.media.decode import open_visual
    from studio.media.timelapse import frame_tolerance

    tol = frame_tolerance(speed, PROJECT_FPS)
    started = time.monotonic()
    with open_visual(source) as reader:
        n = int(reader.info.duration * PROJECT_FPS / speed)
        for k in range(n):
            reader.frame_at(Fraction(k * speed, PROJECT_FPS), "rgb24", tolerance=tol)
        decoded = reader.decoded
    return time.monotonic() - started, n, decoded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=int, default=30)
    parser.add_argument("--gop", type=int, default=60, help="frames between keyframes in the source (default 60)")
    parser.add_argument("--speed", type=int, default=120)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "studio-bench")
    parser.add_argument("--keep", type=Path, help="write the timelapse here (default: a temporary folder)")
    args = parser.parse_args()
    global SHORT_SECONDS
    SHORT_SECONDS = args.minutes * 60 / args.speed

    source = make_source(args.cache / f"timelapse-{args.minutes}min-1080p{FPS}-gop{args.gop}.mp4",
                         args.minutes, args.gop)
    print(f"source: {source} ({source.stat().st_size / 1e6:.0f} MB, {args.minutes} min 1920x1080 {FPS} fps, "
          f"keyframe every {args.gop} frames)")
    out_dir = args.keep or Path(tempfile.mkdtemp(prefix="timelapse-out-"))
    out_dir.mkdir(parents=True, exist_ok=True)

    from studio.render import compositor

    wired_in = "tolerance" in inspect.getsource(compositor)
    warm_up(out_dir)
    results = {}
    if not wired_in:
        results["timelapse (compositor as it is: exact frames)"] = time_quick(
            source, out_dir / "timelapse-exact.mp4", args.speed, wired=False)
        results["timelapse (with the tolerance rule)"] = time_quick(
            source, out_dir / "timelapse.mp4", args.speed, wired=True)
    else:
        results["timelapse"] = time_quick(source, out_dir / "timelapse.mp4", args.speed, wired=False)
    reader_s, shown, decoded = time_reader(source, args.speed)
    decode_s, frames = time_full_decode(source)

    print(f"command: studio quick {source.name} --speed {args.speed} -o {out_dir / 'timelapse.mp4'}"
          f"  ({SHORT_SECONDS:g} s, {shown} frames)")
    for name, seconds in results.items():
        print(f"{name:<48} {seconds:7.1f} s   {seconds / decode_s:6.3f} x the full decode")
    print(f"{'full decode of the source (PyAV, ' + str(frames) + ' frames)':<48} {decode_s:7.1f} s")
    print(f"{'reader alone: ' + str(shown) + ' timelapse frames':<48} {reader_s:7.1f} s   "
          f"decoded {decoded} of {frames} frames ({decoded / frames:.2%})")
    print(f"real time of the source: {args.minutes * 60} s")


if __name__ == "__main__":
    main()
