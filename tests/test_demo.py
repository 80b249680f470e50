"""The demo clip shipped in assets/demo is what studio/demo.py generates (so it can be remade)."""
import av
import numpy as np

from studio.demo import FPS, SECONDS, SIZE, make_demo_clip, shipped_demo_clip


def _frames(path, picks):
    with av.open(str(path)) as c:
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
        audio = c.streams.audio[0].codec_context.sample_rate if c.streams.audio else None
    return frames, [frames[i].astype(int) for i in picks], audio


def test_shipped_demo_clip_matches_the_generator(tmp_path):
    shipped = shipped_demo_clip()
    assert shipped.is_file(), "run `python -m tools.gen_demo`"
    fresh = make_demo_clip(tmp_path / "fresh.mp4", preset="ultrafast")
    picks = [0, 100, SECONDS * FPS - 1]
    all_a, a, rate_a = _frames(shipped, picks)
    all_b, b, rate_b = _frames(fresh, picks)
    assert len(all_a) == len(all_b) == SECONDS * FPS
    assert all_a[0].shape == (SIZE[1], SIZE[0], 3) and rate_a == rate_b == 48000
    for x, y in zip(a, b):
        assert np.abs(x - y).mean() < 3  # two encodes of the same pictures
