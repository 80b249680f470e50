"""EffectChain: validation up front, order, gesture triggers, live tracking only when needed."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

from studio.effects import EffectChain, EffectError, FrameContext, default_registry

try:
    from studio.model import EffectRef
except ImportError:  # the model is written in parallel; any object with these fields will do
    @dataclass
    class EffectRef:
        id: str
        params: dict = field(default_factory=dict)
        enabled: bool = True
        trigger: str | None = None


def test_empty_chain_returns_a_copy(astronaut):
    chain = EffectChain([])
    assert chain.is_empty and chain.needs == frozenset()
    out = chain.apply(astronaut, frame_index=0, time=0.0)
    assert out is not astronaut and np.array_equal(out, astronaut)
    assert EffectChain([EffectRef("grain", {}, enabled=False)]).is_empty


def test_chain_applies_in_order_and_does_not_track_without_need(astronaut):
    chain = EffectChain([EffectRef("vignette", {"strength": 0.7}), EffectRef("mirror")])
    assert chain.needs == frozenset()
    reg = default_registry()
    ctx = FrameContext(3, 0.1, None, (512, 512), {})
    expected = reg.get("mirror").apply(reg.get("vignette").apply(astronaut, ctx, {"strength": 0.7}), ctx, {})
    assert np.array_equal(chain.apply(astronaut, frame_index=3, time=0.1), expected)
    assert chain._tracker is None  # no MediaPipe for a chain that needs none


def test_constructor_validates_everything():
    with pytest.raises(EffectError, match="unknown effect 'sparkle'"):
        EffectChain([EffectRef("sparkle")])
    with pytest.raises(EffectError, match="param 'amount' must be between 0 and 1, got 3"):
        EffectChain([EffectRef("grain", {"amount": 3})])
    with pytest.raises(EffectError, match="effect 'grain': trigger must be one of"):
        EffectChain([EffectRef("grain", {}, trigger="wave")])
    with pytest.raises(EffectError, match="effect 'look': param 'name'"):
        EffectChain([EffectRef("look", {"name": "no-such-look"})])
    with pytest.raises(EffectError, match="background_replace.*file not found"):
        EffectChain([EffectRef("background_replace", {"source": "/nonexistent/bg.png"})])


def test_needs_is_the_union_and_a_trigger_needs_hands():
    chain = EffectChain([EffectRef("beauty"), EffectRef("background_blur"), EffectRef("vignette", trigger="peace")])
    assert chain.needs == {"face", "segmentation", "hands"}


def test_triggered_effect_is_off_without_the_gesture(astronaut):
    # The astronaut shows no hand: the triggered vignette must not run, the plain grain must.
    chain = EffectChain([EffectRef("vignette", {"strength": 1.0}, trigger="open_palm"), EffectRef("grain")])
    out = chain.apply(astronaut, frame_index=1, time=0.0)
    reg = default_registry()
    only_grain = reg.get("grain").apply(astronaut, FrameContext(1, 0.0, None, (512, 512)), reg.validate("grain", {}))
    assert np.array_equal(out, only_grain)
    chain.close()


def test_export_of_a_tracked_clip_does_not_track_again(tmp_path, webcam_clip, read_frames):
    import shutil

    from studio.tracking import Tracker

    class NoMediaPipe(Tracker):
        def track_raw(self, rgb, needs=None):
            raise AssertionError("MediaPipe ran during export of a tracked clip")

    clip = tmp_path / "take.mkv"
    shutil.copyfile(webcam_clip("webcam_yes.mkv"), clip)
    frames = read_frames(clip, 12)
    refs = [EffectRef("face_sticker", {"sticker": "ar_sunglasses"}), EffectRef("beauty")]
    with EffectChain(refs, tracking_source=clip) as preview:
        first = [preview.apply(f, frame_index=i, time=i / 30) for i, f in enumerate(frames)]
    with EffectChain(refs, tracking_source=clip, tracker=NoMediaPipe()) as export:
        # the exporter works at another size: cached landmarks scale to it
        second = [export.apply(f, frame_index=i, time=i / 30) for i, f in enumerate(frames)]
        small = export.apply(frames[3][::2, ::2].copy(), frame_index=3, time=3 / 30)
    for a, b, f in zip(first, second, frames):
        assert np.array_equal(a, b)
    assert sum(not np.array_equal(a, f) for a, f in zip(first, frames)) >= 10  # the sticker was drawn
    assert small.shape == (240, 320, 3) and not np.array_equal(small, frames[3][::2, ::2])
