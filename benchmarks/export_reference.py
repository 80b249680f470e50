"""Reference-short benchmark: Studio's export against one hand-written ffmpeg filter graph doing
the same work, measured in the same run.

The short: 30 s at 1080x1920 from the real 640x480 webcam clips in ../shared/media (played in turn
until 30 s), filled to 9:16, a colour look on every clip, two timed captions, two stickers (one
moving), a music bed (the clips have no audio of their own), loudness-normalised, H.264 + AAC.
Both sides use the same x264 preset and CRF (Studio's "standard" quality).

    python benchmarks/export_reference.py [--seconds 30] [--media ../shared/media] [--skip-ffmpeg]

Prints both wall times (best of --repeat alternating runs), the ratio, and the peak resident
memory of each process."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studio.library.looks import get_look  # noqa: E402
from studio.library.sounds import get_sound  # noqa: E402
from studio.library.stickers import get_sticker, load_sticker_frames  # noqa: E402
from studio.library.styles import get_style  # noqa: E402
from studio.media.probe import probe  # noqa: E402
from studio.model import (Clip, EffectRef, Keyframe, Metadata, Project, SoundItem, StickerItem, TextItem,  # noqa: E402
                          Timeline, Track, save_project)
from studio.model import edits  # noqa: E402
from studio.render.presets import QUALITY  # noqa: E402

FPS = 30
LOOK = "vivid"
MUSIC = "sunny-pop"
CAPTIONS = [("Watch this!", 0, 3), ("Wait for the end", 12, 20)]
STICKERS = [("fire", 0.78, 0.2, 0.22), ("label_new", 0.25, 0.62, 0.3)]  # the first one moves


def plan_clips(media: Path, seconds: int) -> list[tuple[Path, int]]:
    files = sorted(media.glob("webcam_*.mkv"))
    if not files:
        sys.exit(f"no webcam clips in {media}")
    clips, total, i = [], 0, 0
    while total < seconds * FPS:
        path = files[i % len(files)]
        frames = min(round(probe(path).duration * FPS), seconds * FPS - total)
        clips.append((path, frames))
        total += frames
        i += 1
    return clips


def build_project(clips, seconds: int) -> Project:
    timeline = Timeline((Track("video", name="Video"),))
    for n, (path, frames) in enumerate(clips, start=1):
        timeline = edits.append_clip(timeline, Clip(f"clip-{n}", str(path), 0, frames,
                                                    effects=(EffectRef("look", {"name": LOOK, "intensity": 1.0}),)))
    total = seconds * FPS
    for n, (text, start, end) in enumerate(CAPTIONS, start=1):
        start, end = min(start, seconds - 1), min(end, seconds)  # short runs keep both captions inside
        timeline = edits.add_item(timeline, TextItem(f"text-{n}", start * FPS, (end - start) * FPS, text,
                                                    style="classic", y=0.25 if n == 1 else 0.7,
                                                    anim_in="none", anim_out="none"))
    (s1, x1, y1, w1), (s2, x2, y2, w2) = STICKERS
    timeline = edits.add_item(timeline, StickerItem("sticker-1", 0, total, s1, x=x1, y=y1, scale=w1,
                                                    keyframes=(Keyframe(0, x1, y1, w1), Keyframe(total - 1, 0.22, 0.4, w1))))
    timeline = edits.add_item(timeline, StickerItem("sticker-2", 0, total, s2, x=x2, y=y2, scale=w2))
    timeline = edits.add_item(timeline, SoundItem("sound-1", MUSIC, 0, total, volume_db=-4.0))
    return Project(name="reference", fps=Fraction(FPS), timeline=timeline,
                   metadata=Metadata(caption="Reference short #benchmark"))


def ffmpeg_command(clips, seconds: int, work: Path, crf: int, preset: str) -> list[str]:
    import imageio_ffmpeg
    import cv2

    listing = work / "clips.txt"
    listing.write_text("".join(f"file '{p}'\noutpoint {frames / FPS:.6f}\n" for p, frames in clips))
    pngs = []
    for sticker, _, _, scale in STICKERS:
        rgba = load_sticker_frames(get_sticker(sticker), round(scale * 1080 / 2) * 2)[0]
        png = work / f"{sticker}.png"
        cv2.imwrite(str(png), cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA))
        pngs.append(png)
    style = get_style("classic")
    font = str(style.font_path).replace(":", r"\:")
    total = seconds
    (_, x1, y1, w1), (_, x2, y2, w2) = STICKERS
    draw = []
    for n, (text, start, end) in enumerate(CAPTIONS, start=1):
        start, end = min(start, seconds - 1), min(end, seconds)
        y = 0.25 if n == 1 else 0.7
        draw.append(f"drawtext=fontfile='{font}':text='{text}':fontsize={style.font_size}:fontcolor=white:"
                    f"borderw={style.stroke_width}:bordercolor=black:shadowx=0:shadowy=4:shadowcolor=black@0.4:"
                    f"x=(w-text_w)/2:y=h*{y}-text_h/2:enable='between(t,{start},{end})'")
    look = get_look(LOOK).path
    graph = (
        f"[0:v]lut3d=file='{look}',crop=270:480,scale=1080:1920,setsar=1,fps={FPS}[base];"
        f"[1:v]format=rgba[s1];[2:v]format=rgba[s2];"
        f"[base][s1]overlay=x='(({x1}+(0.22-{x1})*t/{total})*W)-w/2':y='(({y1}+(0.4-{y1})*t/{total})*H)-h/2'[o1];"
        f"[o1][s2]overlay=x={x2}*W-w/2:y={y2}*H-h/2,{','.join(draw)},format=yuv420p[v];"
        f"[3:a]volume=-4dB,atrim=0:{total},loudnorm=I=-14:TP=-1,aresample=48000[a]"
    )
    return [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
            "-f", "concat", "-safe", "0", "-i", str(listing), "-loop", "1", "-i", str(pngs[0]),
            "-loop", "1", "-i", str(pngs[1]), "-stream_loop", "-1", "-i", str(get_sound(MUSIC).path),
            "-filter_complex", graph, "-map", "[v]", "-map", "[a]", "-t", str(total),
            "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-profile:v", "high", "-r", str(FPS),
            "-c:a", "aac", "-b:a", "192k", "-ar", "48000", "-ac", "2", "-movflags", "+faststart",
            str(work / "ffmpeg.mp4")]


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one command, measured by a small parent process."""
    probe_code = ("import resource,subprocess,sys,time;t=time.monotonic();r=subprocess.run(sys.argv[1:]);"
                  "print(time.monotonic()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024, r.returncode)")
    out = subprocess.run([sys.executable, "-c", probe_code, *cmd], capture_output=True, text=True)
    last = out.stdout.strip().splitlines()[-1].split()
    if last[2] != "0":
        sys.exit(f"command failed: {' '.join(cmd[:6])}...\n{out.stderr[-2000:]}")
    return float(last[0]), float(last[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--media", default=str(ROOT.parent / "shared" / "media"))
    parser.add_argument("--skip-ffmpeg", action="store_true")
    parser.add_argument("--keep", help="folder to keep the outputs in")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of each side, alternating; the best of each is compared (default 2)")
    args = parser.parse_args()
    crf_preset, crf = QUALITY["standard"]
    work = Path(args.keep or tempfile.mkdtemp(prefix="studio-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    clips = plan_clips(Path(args.media), args.seconds)
    project_file = save_project(build_project(clips, args.seconds), work / "reference.studio")
    studio_cmd = [sys.executable, "-m", "studio", "export", str(project_file), "-o", str(work / "studio.mp4"),
                  "--json", "--no-check"]
    env_note = f"load average before: {os.getloadavg()[0]:.2f}, cores: {os.cpu_count()}"
    # --no-check: Studio's export without the pre-flight pass, since the ffmpeg graph checks nothing
    ff_cmd = None if args.skip_ffmpeg else ffmpeg_command(clips, args.seconds, work, crf, crf_preset)
    studio_runs, ff_runs = [], []
    for _ in range(max(1, args.repeat)):  # alternating, so load changes hit both sides alike
        studio_runs.append(timed(studio_cmd))
        if ff_cmd:
            ff_runs.append(timed(ff_cmd))
    studio_s, studio_mb = min(r[0] for r in studio_runs), max(r[1] for r in studio_runs)
    result = {"seconds_of_video": args.seconds, "studio_s": round(studio_s, 2), "studio_peak_mb": round(studio_mb),
              "studio_runs_s": [round(r[0], 2) for r in studio_runs],
              "x264": f"preset {crf_preset} crf {crf}", "note": env_note}
    if ff_runs:
        ff_s, ff_mb = min(r[0] for r in ff_runs), max(r[1] for r in ff_runs)
        result.update(ffmpeg_s=round(ff_s, 2), ffmpeg_peak_mb=round(ff_mb),
                      ffmpeg_runs_s=[round(r[0], 2) for r in ff_runs], ratio=round(studio_s / ff_s, 3))
    print(json.dumps(result, indent=2))
    if "ratio" in result:
        print(f"Studio {studio_s:.1f} s vs ffmpeg graph {result['ffmpeg_s']:.1f} s: ratio {result['ratio']:.2f} "
              f"(target <= 1.15); Studio peak memory {studio_mb:.0f} MB")


if __name__ == "__main__":
    main()
