"""AR tracking and effect cost on real webcam footage upscaled to 1280x720.

    /work/venv/bin/python benchmarks/effects_fps.py [clip.mkv] [--frames N]

Prints ms per frame for face tracking (face only; face + segmentation) and for every effect given
precomputed tracking, then the fps of the live chain tracking + face_sticker(sunglasses) + beauty +
look(vivid). Targets (2-core machine): face tracking <= 12 ms, that chain >= 30 fps at 720p.
The baseline row is a plain frame copy measured in the same run; the load average is printed
because the machine may be shared.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import av
import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.effects import EffectChain, FrameContext, default_registry  # noqa: E402
from studio.tracking import Tracker  # noqa: E402

DEFAULT_CLIP = Path(__file__).resolve().parents[2] / "shared" / "media" / "webcam_yes.mkv"


class Ref:
    def __init__(self, id, params=None, trigger=None):
        self.id, self.params, self.enabled, self.trigger = id, params or {}, True, trigger


def load_720p(path: Path, count: int) -> list[np.ndarray]:
    frames = []
    with av.open(str(path)) as c:
        for f in c.decode(video=0):
            rgb = f.to_ndarray(format="rgb24")
            h, w = rgb.shape[:2]
            s = 1280 / w  # cover 1280x720: scale to the width, crop the height around the middle
            big = cv2.resize(rgb, (1280, int(round(h * s))), interpolation=cv2.INTER_LINEAR)
            y = (big.shape[0] - 720) // 2
            frames.append(np.ascontiguousarray(big[y:y + 720]))
            if len(frames) >= count:
                break
    return frames


def per_frame_ms(fn, frames, warmup=3) -> float:
    for i, f in enumerate(frames[:warmup]):
        fn(i, f)
    t = time.perf_counter()
    for i, f in enumerate(frames[warmup:], warmup):
        fn(i, f)
    return (time.perf_counter() - t) * 1000 / max(1, len(frames) - warmup)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("clip", nargs="?", default=str(DEFAULT_CLIP))
    ap.add_argument("--frames", type=int, default=60)
    a = ap.parse_args()
    frames = load_720p(Path(a.clip), a.frames)
    load0 = os.getloadavg()
    rows: list[tuple[str, float]] = []

    rows.append(("baseline: frame copy", per_frame_ms(lambda i, f: f.copy(), frames)))
    with Tracker({"face"}) as t:
        rows.append(("track: face", per_frame_ms(lambda i, f: t.track(f, i / 30), frames)))
    with Tracker({"face", "segmentation"}) as t:
        rows.append(("track: face + segmentation", per_frame_ms(lambda i, f: t.track(f, i / 30), frames)))
    with Tracker({"face", "segmentation", "hands"}) as t:
        rows.append(("track: face + seg + hands", per_frame_ms(lambda i, f: t.track(f, i / 30), frames)))
        tracked = [t.track(f, i / 30) for i, f in enumerate(frames)]

    reg = default_registry()
    for e in reg.list():
        params = reg.validate(e.id, {})
        cache: dict = {}

        def run(i, f, e=e, params=params, cache=cache):
            e.apply(f, FrameContext(i, i / 30, tracked[i], (1280, 720), cache), params)
        rows.append((f"effect: {e.id}", per_frame_ms(run, frames)))

    chain = EffectChain([Ref("face_sticker", {"sticker": "ar_sunglasses"}), Ref("beauty"), Ref("look", {"name": "vivid"})])
    chain_ms = per_frame_ms(lambda i, f: chain.apply(f, frame_index=i, time=i / 30), frames)
    chain.close()
    rows.append(("chain: track + sunglasses + beauty + look(vivid)", chain_ms))

    base = rows[0][1]
    print(f"{len(frames)} frames of {Path(a.clip).name} at 1280x720, {os.cpu_count()} CPUs, "
          f"load average before {load0[0]:.2f} / after {os.getloadavg()[0]:.2f}")
    print(f"{'stage':52s} {'ms/frame':>9s} {'x copy':>8s} {'fps':>7s}")
    for name, ms in rows:
        print(f"{name:52s} {ms:9.2f} {ms / base:8.1f} {1000 / ms:7.1f}")
    face_ms = rows[1][1]
    print(f"targets: face tracking {face_ms:.1f} ms (<= 12: {'ok' if face_ms <= 12 else 'MISSED'}), "
          f"chain {1000 / chain_ms:.1f} fps (>= 30: {'ok' if 1000 / chain_ms >= 30 else 'MISSED'})")


if __name__ == "__main__":
    main()
