"""End-to-end benchmark of `studio quick`, as a creator runs it, against one ffmpeg filter graph
doing the same work, measured in the same run.

The short: a 30 s source (the real 640x480 webcam clips in ../shared/media played in turn and
encoded once into one file, as a phone or webcam recording arrives), made into a short with

    studio quick SOURCE --text TITLE --text CAPTION --sticker fire --sticker label_new
                 --effect look:name=vivid --sound sunny-pop -o out.mp4

timed from process start to exit: imports, probing, the look for a subject to follow (MediaPipe),
the follow pan, soundtrack, render, encode, the cover, the pre-flight check of the written file
and the publish. The output is then checked here (outside the timing): 1080x1920 H.264 + AAC,
30 s, pre-flight passed.

The ffmpeg side is one filter graph with the same inputs and outputs: decode, grade, crop and
scale to 1080x1920, two stickers and the two texts (rasterised by Studio's own text renderer into
PNGs, as Studio does once per text) overlaid while they show, the music bed trimmed, faded,
`loudnorm`-ed (single pass, I=-14 TP=-1) and resampled to 48 kHz; the same x264 preset, CRF and
profile, AAC-LC 192 kb/s 48 kHz stereo, +faststart. It checks nothing, tracks nothing and pans
nothing (a centred crop), and its texts do not animate. Two grades:

  lut3d  the same .cube on the 640x480 source, then the crop converted to YUV at its own size and
         scaled: the same work in the same order as Studio (its look runs on the RGB source
         picture, which is converted to Y'CbCr before it is scaled), so the like-for-like baseline;
  eq     eq=contrast:saturation:gamma in YUV after scaling, at 1080x1920: the baseline the issue
         first used; no RGB round trip at all, so less work than a LUT look and the stricter ratio.

Tracking cache: `quick` looks for a face (MediaPipe, or the cache when the clip was tracked before)
and, for a landscape clip with one, plans a panning crop from face tracking of every other frame,
cached on disk per source.
  cold  every Studio run gets an empty cache (the first short made from a clip);
  warm  the cache is filled by one untimed run first (the same clip made into a short again), one
        per `--studio` variant (each fills it with the frames it tracks).
Either way the runs use a private XDG_CACHE_HOME; the user's cache is not touched.

    python benchmarks/quick_end_to_end.py [--repeat 3] [--tracking both|cold|warm]
                                          [--grade both|lut3d|eq] [--source FILE] [--keep DIR]
                                          [--studio DIR ...]

`--studio DIR` (repeatable) times the `studio` package found in DIR instead of this tree's, e.g.
copies of the tree before and after a change, taken at the same moment and run interleaved in the
same load (each runs with PYTHONPATH=DIR and this tree's assets).

Prints every run's wall time, best and median of each side, the ratios (best/best and
median/median) and the peak resident memory of the Studio process."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FPS = 30
LOOK = "vivid"
MUSIC = "sunny-pop"
TEXTS = ("Watch this!", "Wait for the end")
STICKERS = ("fire", "label_new")
EQ = "eq=contrast=1.12:saturation=1.35:gamma=1.02"  # a 'vivid'-like grade for the eq baseline
TARGET = 1.15


def build_source(media: Path, seconds: int, out: Path, ffmpeg: str) -> Path:
    """The webcam clips played in turn until `seconds`, encoded once into one H.264 file."""
    files = sorted(media.glob("webcam_*.mkv"))
    if not files:
        sys.exit(f"no webcam clips in {media}")
    listing = out.with_suffix(".txt")
    listing.write_text("".join(f"file '{f}'\n" for f in files) * (seconds // 2 + 1))
    subprocess.run([ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-f", "concat", "-safe", "0",
                    "-i", str(listing), "-t", str(seconds), "-r", str(FPS), "-c:v", "libx264",
                    "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p", "-an", str(out)], check=True)
    return out


def studio_command(source: Path, out: Path) -> list[str]:
    # the console script a creator types (it imports `studio` from PYTHONPATH first, see --studio)
    script = Path(sys.executable).with_name("studio")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "studio"]
    cmd = [*head, "quick", str(source)]
    for text in TEXTS:
        cmd += ["--text", text]
    for sticker in STICKERS:
        cmd += ["--sticker", sticker]
    return cmd + ["--effect", f"look:name={LOOK}", "--sound", MUSIC, "-o", str(out), "--json"]


def quick_project(source: Path):
    """The project `studio quick` builds for these arguments (layout, timings, fades), so the
    ffmpeg graph places the same things at the same spots."""
    from studio.quick import build_quick_project, parse_effect

    return build_quick_project([str(source)], texts=list(TEXTS), stickers=list(STICKERS), sound=MUSIC,
                               effects=[parse_effect(f"look:name={LOOK}")], name="out")


def overlay_pngs(project, work: Path) -> list[tuple[Path, int, int, float, float]]:
    """(png, x, y, start s, end s) per text and sticker, rasterised by Studio at full size, as it
    looks once its in-animation is over."""
    import cv2

    from studio.model import StickerItem, TextItem
    from studio.render.canvas import RGB
    from studio.render.compositor import Renderer

    out = []
    fps = float(project.fps)
    with Renderer() as renderer:
        cache = renderer.overlay_cache(RGB)
        for n, item in enumerate(project.timeline.all_items()):
            if isinstance(item, TextItem):
                local = min(item.duration - 1, max(item.anim_frames, item.duration // 2))
                placed = cache.text(item, local, project.width, project.height, project.width, RGB)
            elif isinstance(item, StickerItem):
                placed = cache.sticker_item(item, 0, project.fps, project.width, project.height, RGB)
            else:
                continue
            premult, alpha = placed.sprite.planes[0]
            a = alpha.astype("float32")[..., None] / 255.0
            rgb = (premult.astype("float32") / (a + (a == 0))).clip(0, 255).astype("uint8")  # straight alpha
            png = work / f"overlay{n}.png"
            cv2.imwrite(str(png), cv2.cvtColor(cv2.merge([*cv2.split(rgb), alpha]), cv2.COLOR_RGBA2BGRA))
            out.append((png, placed.x, placed.y, item.start / fps, item.end / fps))
    return out


def ffmpeg_command(ffmpeg: str, source: Path, project, overlays, grade: str, out: Path, crf: int,
                   preset: str) -> list[str]:
    from studio.library.looks import get_look
    from studio.library.sounds import get_sound
    from studio.model import SoundItem

    seconds = float(project.duration_seconds)
    sound = next(i for i in project.timeline.all_items() if isinstance(i, SoundItem))
    fps = float(project.fps)
    crop = "crop=ih*9/16:ih"  # centred 9:16 window
    if grade == "lut3d":
        video = f"[0:v]lut3d=file='{get_look(LOOK).path}',{crop},format=yuv420p,scale=1080:1920,setsar=1,fps={FPS}"
    else:
        video = f"[0:v]{crop},scale=1080:1920,setsar=1,fps={FPS},{EQ}"
    chains = [video + "[v0]"]
    inputs = ["-i", str(source)]
    for n, (png, x, y, start, end) in enumerate(overlays, start=1):
        inputs += ["-loop", "1", "-framerate", str(FPS), "-i", str(png)]
        chains.append(f"[v{n - 1}][{n}:v]overlay=x={x}:y={y}:enable='between(t,{start:.3f},{end - 0.001:.3f})'[v{n}]")
    chains[-1] = chains[-1][:-len(f"[v{len(overlays)}]")] + ",format=yuv420p[v]"
    music = len(overlays) + 1
    inputs += ["-stream_loop", "-1", "-i", str(get_sound(sound.source).path)]
    fade_in, fade_out = sound.fade_in / fps, sound.fade_out / fps
    chains.append(f"[{music}:a]atrim=0:{seconds},asetpts=N/SR/TB,volume={sound.volume_db}dB,"
                  f"afade=t=in:d={fade_in}:curve=tri,afade=t=out:st={seconds - fade_out}:d={fade_out}:curve=tri,"
                  f"loudnorm=I=-14:TP=-1,aresample=48000[a]")
    return [ffmpeg, "-hide_banner", "-loglevel", "error", "-y", *inputs, "-filter_complex", ";".join(chains),
            "-map", "[v]", "-map", "[a]", "-t", str(seconds),
            "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-profile:v", "high", "-pix_fmt", "yuv420p",
            "-r", str(FPS), "-c:a", "aac", "-b:a", "192k", "-ar", "48000", "-ac", "2",
            "-movflags", "+faststart", str(out)]


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (user + system, all threads), peak RSS (MB) and stdout of one
    command, measured by a small parent process (so the figures are the command's own)."""
    probe_code = ("import resource,subprocess,sys,time;t=time.monotonic();"
                  "r=subprocess.run(sys.argv[1:],stdout=subprocess.PIPE,stderr=subprocess.PIPE,text=True);"
                  "d=time.monotonic()-t;u=resource.getrusage(resource.RUSAGE_CHILDREN);"
                  "sys.stderr.write(r.stderr);sys.stderr.write('\\n@@'+r.stdout);"
                  "print(d, u.ru_utime+u.ru_stime, u.ru_maxrss/1024, r.returncode)")
    out = subprocess.run([sys.executable, "-c", probe_code, *cmd], capture_output=True, text=True, env=env)
    last = out.stdout.strip().splitlines()[-1].split()
    if last[3] != "0":
        sys.exit(f"command failed ({last[3]}): {' '.join(cmd[:6])}...\n{out.stderr[-3000:]}")
    return float(last[0]), float(last[1]), float(last[2]), out.stderr.rpartition("\n@@")[2]


def check_output(path: Path, seconds: float, studio_json: str | None = None) -> None:
    from studio.media.probe import probe

    info = probe(path)
    problems = []
    if (info.width, info.height) != (1080, 1920):
        problems.append(f"size {info.width}x{info.height}")
    if info.video_codec != "h264" or info.audio_codec != "aac":
        problems.append(f"codecs {info.video_codec}/{info.audio_codec}")
    if abs(info.duration - seconds) > 0.1:
        problems.append(f"duration {info.duration}")
    if studio_json is not None:
        report = json.loads(studio_json)["preflight"]
        if report is None or not report["passed"]:
            problems.append(f"pre-flight: {report}")
    if problems:
        sys.exit(f"{path}: {', '.join(problems)}")


def summary(runs: list[float]) -> dict:
    return {"best": round(min(runs), 2), "median": round(statistics.median(runs), 2),
            "runs": [round(r, 2) for r in runs]}


def main() -> None:
    import imageio_ffmpeg

    from studio.render.presets import QUALITY

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--media", default=str(ROOT.parent / "shared" / "media"))
    parser.add_argument("--source", help="use this video as the source instead of building one")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; each runs every case once, interleaved")
    parser.add_argument("--tracking", choices=("both", "cold", "warm"), default="both")
    parser.add_argument("--grade", choices=("both", "lut3d", "eq"), default="both")
    parser.add_argument("--keep", help="folder to keep the work files and outputs in")
    parser.add_argument("--studio", action="append", metavar="DIR",
                        help="time the studio package in DIR (repeatable; default: this tree's)")
    args = parser.parse_args()

    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    x264_preset, crf = QUALITY["standard"]  # what `studio quick` uses by default
    work = Path(args.keep or tempfile.mkdtemp(prefix="studio-quick-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    source = Path(args.source).resolve() if args.source else build_source(
        Path(args.media), args.seconds, work / "source.mp4", ffmpeg)
    # the parent's own look at the source runs with a private cache too
    os.environ["XDG_CACHE_HOME"] = str(work / "cache-parent")
    project = quick_project(source)
    seconds = float(project.duration_seconds)
    overlays = overlay_pngs(project, work)
    grades = ("lut3d", "eq") if args.grade == "both" else (args.grade,)
    modes = ("cold", "warm") if args.tracking == "both" else (args.tracking,)
    ff_cmds = {g: ffmpeg_command(ffmpeg, source, project, overlays, g, work / f"ffmpeg-{g}.mp4", crf, x264_preset)
               for g in grades}
    studio_out = work / "studio.mp4"
    variants = [(Path(d).resolve().name, str(Path(d).resolve())) for d in args.studio] if args.studio \
        else [("tree", None)]
    base_env = {**os.environ, "STUDIO_ASSETS": str(ROOT / "assets")}

    def env_for(package_dir: str | None, cache: Path) -> dict:
        env = {**base_env, "XDG_CACHE_HOME": str(cache)}
        if package_dir is not None:
            env["PYTHONPATH"] = package_dir
        return env

    # the tracking cache is filled once per variant, untimed: variants may track different frames
    # (the follow pan's stride), and one variant's cache would leave another frames to track
    warm_caches = {pkg: work / f"cache-warm-{i}" for i, (_, pkg) in enumerate(variants)}
    if "warm" in modes:
        for pkg, cache in warm_caches.items():
            timed(studio_command(source, studio_out), env_for(pkg, cache))

    cases = [(name, pkg, mode) for name, pkg in variants for mode in modes]
    labels = {case: case[0] + "/" + case[2] if len(variants) > 1 else case[2] for case in cases}
    studio_runs: dict[str, list] = {labels[c]: [] for c in cases}
    ff_runs: dict[str, list] = {g: [] for g in grades}
    load = os.getloadavg()[0]
    for rnd in range(max(1, args.repeat)):  # interleaved, so load changes hit every case alike
        for i in range(max(len(cases), len(grades))):
            if i < len(cases):
                name, pkg, mode = cases[i]
                cold = work / f"cache-cold-{rnd}-{i}"
                cache = warm_caches[pkg] if mode == "warm" else cold
                s, cpu, mb, stdout = timed(studio_command(source, studio_out), env_for(pkg, cache))
                shutil.rmtree(cold, ignore_errors=True)
                check_output(studio_out, seconds, stdout)
                studio_runs[labels[cases[i]]].append((s, mb, cpu))
                print(f"round {rnd + 1}: studio quick ({labels[cases[i]]} tracking cache) {s:6.2f} s  "
                      f"cpu {cpu:6.2f} s  peak {mb:5.0f} MB  load {os.getloadavg()[0]:.1f}", flush=True)
            grade = grades[i % len(grades)]
            s, cpu, mb, _ = timed(ff_cmds[grade])
            check_output(work / f"ffmpeg-{grade}.mp4", seconds)
            ff_runs[grade].append((s, mb, cpu))
            print(f"round {rnd + 1}: ffmpeg graph ({grade}) {s:6.2f} s  cpu {cpu:6.2f} s  peak {mb:5.0f} MB  "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)

    result: dict = {"seconds_of_video": seconds, "source": str(source), "x264": f"preset {x264_preset} crf {crf}",
                    "load_average_before": round(load, 2), "cores": os.cpu_count(), "studio": {}, "ffmpeg": {},
                    "ratios": {}}
    for side, all_runs in (("studio", studio_runs), ("ffmpeg", ff_runs)):
        for label, runs in all_runs.items():
            result[side][label] = {**summary([r[0] for r in runs]), "peak_mb": round(max(r[1] for r in runs)),
                                   "cpu_s": summary([r[2] for r in runs])}
    for label in studio_runs:
        for grade in grades:
            st, ff = result["studio"][label], result["ffmpeg"][grade]
            result["ratios"][f"{label} : {grade}"] = {
                "best": round(st["best"] / ff["best"], 3), "median": round(st["median"] / ff["median"], 3),
                # on a busy machine wall time swings with others' load; CPU time shows the work
                "cpu_median": round(st["cpu_s"]["median"] / ff["cpu_s"]["median"], 3)}
    print(json.dumps(result, indent=2))
    for key, r in result["ratios"].items():
        label, grade = key.split(" : ")
        print(f"studio quick ({label} cache) {result['studio'][label]['best']:.1f} s vs ffmpeg graph ({grade}) "
              f"{result['ffmpeg'][grade]['best']:.1f} s: ratio {r['best']:.2f} best, {r['median']:.2f} median, "
              f"cpu {r['cpu_median']:.2f} median (target <= {TARGET})")
    print("studio peak memory: " + ", ".join(f"{m} {v['peak_mb']} MB" for m, v in result["studio"].items()))
    print("(cpu: user + system seconds of all the process' threads; less sensitive to other load than "
          "wall time, it shows the work done)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
