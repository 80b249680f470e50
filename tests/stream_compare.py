"""Two encodes of the same pictures and sound, compared as a viewer would get them. Separate x264
runs of identical frames are byte-identical nearly always, but on these machines not always (seen
even single-threaded: a run now and then decides a few blocks differently, ±1 level on a few
pixels), so a test that needs "the same video" asserts the same packets in count, timing and
keyframes, and the same decoded pictures within a level or two, and says whether the bytes matched.
A plain module (imported by name, as numbered_media is)."""
from __future__ import annotations

from pathlib import Path

import av
import numpy as np


def packet_layout(path: Path) -> dict[str, list[tuple]]:
    """(stream kind) -> [(pts, duration, keyframe)] of every packet."""
    out: dict[str, list] = {}
    with av.open(str(path)) as c:
        for p in c.demux():
            if p.size:
                out.setdefault(p.stream.type, []).append((p.pts, p.duration, p.is_keyframe))
    return out


def packet_bytes(path: Path, kind: str) -> list[bytes]:
    with av.open(str(path)) as c:
        return [bytes(p) for p in c.demux() if p.size and p.stream.type == kind]


def assert_same_streams(a: Path, b: Path, kinds=("video", "audio")) -> bool:
    """Fails unless `a` and `b` carry the same streams as a viewer sees them; True when their
    packets are also byte for byte the same."""
    la, lb = packet_layout(a), packet_layout(b)
    for kind in kinds:
        assert la.get(kind) == lb.get(kind), f"{kind}: packet count, timing or keyframes differ"
    identical = all(packet_bytes(a, k) == packet_bytes(b, k) for k in kinds)
    if identical:
        return True
    if "video" in kinds:
        with av.open(str(a)) as ca, av.open(str(b)) as cb:
            for fa, fb in zip(ca.decode(video=0), cb.decode(video=0)):
                d = np.abs(fa.to_ndarray(format="yuv420p").astype(int) - fb.to_ndarray(format="yuv420p").astype(int))
                assert d.max() <= 3 and d.mean() < 0.05, f"pictures differ (max {d.max()}, mean {d.mean():.3f})"
    if "audio" in kinds:
        with av.open(str(a)) as ca, av.open(str(b)) as cb:
            sa = np.concatenate([f.to_ndarray() for f in ca.decode(audio=0)], axis=1)
            sb = np.concatenate([f.to_ndarray() for f in cb.decode(audio=0)], axis=1)
        assert sa.shape == sb.shape and np.abs(sa - sb).max() < 0.01, "sound differs"
    return False
