"""Duet benchmark: Studio exporting a 30 s duet (two layers side by side, a sticker over both, a
music bed) against one ffmpeg filter graph doing the same work (`hstack` of the two halves +
`overlay`), measured in the same run, as a creator runs it: process start to the finished file.

The halves: the real 640x480 webcam clips in ../shared/media, played in turn until 30 s, the
right half starting from another clip; each half is the 9:16-of-a-half (540x1920) centre crop.

    python benchmarks/duet.py [--seconds 30] [--repeat 2] [--check]

--check includes Studio's pre-flight pass (the ffmpeg graph checks nothing). Prints both wall
times (best of the alternating runs), the ratio and each side's peak memory."""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from export_reference import FPS, MUSIC, plan_clips, timed  # noqa: E402

from studio.library.sounds import get_sound  # noqa: E402
from studio.library.stickers import get_sticker, load_sticker_frames  # noqa: E402
from studio.model import Clip, Metadata, Project, SoundItem, StickerItem, Timeline, Track, save_project  # noqa: E402
from studio.model import edits  # noqa: E402
from studio.model.layouts import LAYOUTS  # noqa: E402
from studio.render.presets import QUALITY  # noqa: E402

STICKER = ("fire", 0.5, 0.2, 0.22)


def build_project(left, right, seconds: int) -> Project:
    slots = LAYOUTS["duet"].slots
    tracks = []
    for side, (clips, slot) in enumerate(((left, slots[0]), (right, slots[1])), start=1):
        timeline = Timeline((Track("video"),))
        for n, (path, frames) in enumerate(clips, start=1):
            timeline = edits.append_clip(timeline, Clip(f"clip-{side}-{n}", str(path), 0, frames, **slot))
        tracks.append(Track("video", timeline.tracks[0].items, name=f"Video {side}"))
    total = seconds * FPS
    name, x, y, w = STICKER
    timeline = Timeline(tuple(tracks))
    timeline = edits.add_item(timeline, StickerItem("sticker-1", 0, total, name, x=x, y=y, scale=w))
    timeline = edits.add_item(timeline, SoundItem("sound-1", MUSIC, 0, total, volume_db=-4.0))
    return Project(name="duet", fps=Fraction(FPS), timeline=timeline, metadata=Metadata(caption="Duet #benchmark"))


def ffmpeg_command(left, right, seconds: int, work: Path, crf: int, preset: str) -> list[str]:
    import cv2
    import imageio_ffmpeg

    lists = []
    for side, clips in (("left", left), ("right", right)):
        listing = work / f"{side}.txt"
        listing.write_text("".join(f"file '{p}'\noutpoint {frames / FPS:.6f}\n" for p, frames in clips))
        lists.append(listing)
    name, x, y, w = STICKER
    rgba = load_sticker_frames(get_sticker(name), round(w * 1080 / 2) * 2)[0]
    png = work / f"{name}.png"
    cv2.imwrite(str(png), cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA))
    half = "crop=135:480,scale=540:1920,setsar=1,fps=30"  # a 9:32 centre crop of 640x480, as Studio's fill
    graph = (f"[0:v]{half}[l];[1:v]{half}[r];[l][r]hstack=inputs=2[base];[2:v]format=rgba[s];"
             f"[base][s]overlay=x={x}*W-w/2:y={y}*H-h/2,format=yuv420p[v];"
             f"[3:a]volume=-4dB,atrim=0:{seconds},loudnorm=I=-14:TP=-1,aresample=48000[a]")
    return [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
            "-f", "concat", "-safe", "0", "-i", str(lists[0]), "-f", "concat", "-safe", "0", "-i", str(lists[1]),
            "-loop", "1", "-i", str(png), "-stream_loop", "-1", "-i", str(get_sound(MUSIC).path),
            "-filter_complex", graph, "-map", "[v]", "-map", "[a]", "-t", str(seconds),
            "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-profile:v", "high", "-r", str(FPS),
            "-c:a", "aac", "-b:a", "192k", "-ar", "48000", "-ac", "2", "-movflags", "+faststart",
            str(work / "ffmpeg.mp4")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--media", default=str(ROOT.parent / "shared" / "media"))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--check", action="store_true", help="include Studio's pre-flight pass")
    parser.add_argument("--keep", help="folder to keep the outputs in")
    args = parser.parse_args()
    preset, crf = QUALITY["standard"]
    work = Path(args.keep or tempfile.mkdtemp(prefix="studio-duet-"))
    work.mkdir(parents=True, exist_ok=True)
    left = plan_clips(Path(args.media), args.seconds)
    right = plan_clips(Path(args.media), args.seconds + 60)
    right = _from_second_clip(right, args.seconds)
    project_file = save_project(build_project(left, right, args.seconds), work / "duet.studio")
    studio_cmd = [sys.executable, "-m", "studio", "export", str(project_file), "-o", str(work / "studio.mp4"), "--json"]
    if not args.check:
        studio_cmd.append("--no-check")
    ff_cmd = ffmpeg_command(left, right, args.seconds, work, crf, preset)
    note = f"load average before: {os.getloadavg()[0]:.2f}, cores: {os.cpu_count()}"
    studio_runs, ff_runs = [], []
    for _ in range(max(1, args.repeat)):
        studio_runs.append(timed(studio_cmd))
        ff_runs.append(timed(ff_cmd))
    studio_s, ff_s = min(r[0] for r in studio_runs), min(r[0] for r in ff_runs)
    result = {"seconds_of_video": args.seconds, "preflight": args.check, "studio_s": round(studio_s, 2),
              "studio_runs_s": [round(r[0], 2) for r in studio_runs], "studio_peak_mb": round(max(r[1] for r in studio_runs)),
              "ffmpeg_s": round(ff_s, 2), "ffmpeg_runs_s": [round(r[0], 2) for r in ff_runs],
              "ffmpeg_peak_mb": round(max(r[1] for r in ff_runs)), "ratio": round(studio_s / ff_s, 3),
              "x264": f"preset {preset} crf {crf}", "note": note}
    print(json.dumps(result, indent=2))
    print(f"duet: Studio {studio_s:.1f} s vs ffmpeg hstack graph {ff_s:.1f} s: ratio {studio_s / ff_s:.2f} (target <= 1.15)")


def _from_second_clip(clips, seconds: int):
    """The same playlist started one clip later, cut to `seconds`."""
    out, total = [], 0
    for path, frames in clips[1:]:
        take = min(frames, seconds * FPS - total)
        if take <= 0:
            break
        out.append((path, take))
        total += take
    return out


if __name__ == "__main__":
    main()
