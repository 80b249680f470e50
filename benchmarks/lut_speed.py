"""Print LUT apply time (ms per frame) at preview and full export sizes. Run: python benchmarks/lut_speed.py"""

import time

import cv2
import numpy as np

from studio.library.looks import list_looks, load_lut


def _frame(h, w):
    """A natural image (cache behaviour matters: random noise is the worst case)."""
    from skimage import data
    return cv2.resize(data.astronaut(), (w, h), interpolation=cv2.INTER_LINEAR)


def bench(lut, h, w, reps):
    frame = _frame(h, w)
    lut.apply(frame)  # builds the fast table
    t0 = time.perf_counter()
    for _ in range(reps):
        lut.apply(frame)
    return (time.perf_counter() - t0) / reps * 1000


def main():
    look = list_looks()[0]
    t0 = time.perf_counter()
    lut = load_lut(look)
    lut.apply(np.zeros((2, 2, 3), np.uint8))
    print(f"load + build '{look.id}': {(time.perf_counter() - t0) * 1000:.1f} ms")
    print(f"480x270:   {bench(lut, 270, 480, 200):.2f} ms/frame")
    print(f"1080x1920: {bench(lut, 1920, 1080, 30):.2f} ms/frame")
    print(f"1080x1920 intensity 0.5: {bench_blend(lut):.2f} ms/frame")
    noise = np.random.default_rng(0).integers(0, 256, (1920, 1080, 3), dtype=np.uint8)
    t0 = time.perf_counter()
    for _ in range(10):
        lut.apply(noise)
    print(f"1080x1920 random noise (worst case): {(time.perf_counter() - t0) * 100:.2f} ms/frame")


def bench_blend(lut):
    frame = _frame(1920, 1080)
    t0 = time.perf_counter()
    for _ in range(30):
        lut.apply(frame, 0.5)
    return (time.perf_counter() - t0) / 30 * 1000


if __name__ == "__main__":
    main()
