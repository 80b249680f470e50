"""Live scene benchmark: ms per frame of SceneRenderer.render at 720x1280 with a picture in picture
and three overlays (a text, a sticker, a clock that ticks every 30 frames), against a plain
cv2.resize of the camera to the output size measured in the same run (alternating rounds, best of
each). The camera is a natural 1280x720 picture, the second source 640x360.

    flock /tmp/bench.lock python benchmarks/live_scene.py [--frames 300] [--rounds 3] [--size 720x1280]

Prints both times, the ratio, the slowest single frame (a clock tick: its text is rasterised
again) and the load average."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from studio.live.scene import SceneRenderer  # noqa: E402
from studio.model.live_scene import LiveOverlay, LiveScene, Rect, SecondSource  # noqa: E402

START = dt.datetime(2024, 5, 1, 12, 0, 0).timestamp()


def natural(w: int, h: int) -> np.ndarray:
    from skimage import data
    return cv2.resize(data.astronaut(), (w, h), interpolation=cv2.INTER_LINEAR)


def scene() -> LiveScene:
    return LiveScene("bench", layout="pip", second_source=SecondSource("screen", ":0"), pip=Rect(0.6, 0.04, 0.36, 0.2),
                     overlays=(LiveOverlay("text", x=0.5, y=0.88, text="Ask me anything!", style="classic"),
                               LiveOverlay("sticker", x=0.15, y=0.12, width=0.22, source="heart_red"),
                               LiveOverlay("clock", x=0.5, y=0.04, text="%H:%M:%S")))


def run_scene(renderer: SceneRenderer, camera, second, frames: int, first: int) -> tuple[float, float]:
    worst = 0.0
    t0 = time.perf_counter()
    for i in range(first, first + frames):
        t = time.perf_counter()
        renderer.render(camera, second, START + i / 30)
        worst = max(worst, time.perf_counter() - t)
    return (time.perf_counter() - t0) / frames * 1000, worst * 1000


def run_resize(camera, out, frames: int) -> float:
    t0 = time.perf_counter()
    for _ in range(frames):
        cv2.resize(camera, (out.shape[1], out.shape[0]), dst=out, interpolation=cv2.INTER_LINEAR)
    return (time.perf_counter() - t0) / frames * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--size", default="720x1280")
    args = ap.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    camera, second = natural(1280, 720), natural(640, 360)
    t = time.perf_counter()
    renderer = SceneRenderer(scene(), (w, h), now=START)
    prepare_ms = (time.perf_counter() - t) * 1000
    out = np.empty((h, w, 3), np.uint8)
    run_scene(renderer, camera, second, 30, 0)  # warm up both
    run_resize(camera, out, 30)
    scene_ms, resize_ms, worst_ms = [], [], 0.0
    for r in range(args.rounds):
        ms, worst = run_scene(renderer, camera, second, args.frames, 30 + r * args.frames)
        scene_ms.append(ms)
        worst_ms = max(worst_ms, worst)
        resize_ms.append(run_resize(camera, out, args.frames))
    best_scene, best_resize = min(scene_ms), min(resize_ms)
    print(f"output {w}x{h}, camera 1280x720, pip 640x360, 3 overlays, {args.frames} frames x {args.rounds} rounds")
    print(f"prepare scene:                    {prepare_ms:.1f} ms (once, at switch)")
    print(f"SceneRenderer.render:             {best_scene:.2f} ms/frame (slowest frame {worst_ms:.2f} ms)")
    print(f"plain cv2.resize camera->output:  {best_resize:.2f} ms/frame")
    print(f"ratio:                            {best_scene / best_resize:.2f}x")
    print(f"cv2 threads {cv2.getNumThreads()}, load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
