"""Every registered effect keeps the contract: shape/dtype, params in range, JSON round trip, determinism."""
from __future__ import annotations

import json

import numpy as np
import pytest

from studio.effects import EffectError, FrameContext, default_registry
from studio.effects.params import PARAM_TYPES

REGISTRY = default_registry()
EXPECTED = {"face_sticker", "beauty", "big_eyes", "slim_face", "background_blur", "background_replace", "chroma_key",
            "look",
            "vignette", "grain", "rgb_split", "mirror", "sparkles", "ken_burns", "remove_background"}


def variants(effect):
    """Defaults, every numeric param at its min, and at its max."""
    out = [{}]
    for end in ("min", "max"):
        v = {p.name: getattr(p, end) for p in effect.params if p.type in ("float", "int")}
        if v:
            out.append(v)
    return out


def test_registry_has_the_effects():
    assert set(REGISTRY.ids()) == EXPECTED
    for e in REGISTRY.list():
        assert e.title and e.category
        assert e.needs <= {"face", "hands", "segmentation"}
        for p in e.params:
            assert p.type in PARAM_TYPES
            if p.type in ("float", "int"):
                assert p.min is not None and p.max is not None and p.min <= p.default <= p.max
            if p.type == "choice":
                assert p.default in p.choices


def test_default_registry_is_fresh_and_immutable():
    a, b = default_registry(), default_registry()
    assert a is not b and a.ids() == b.ids()
    with pytest.raises(TypeError):
        a._effects["x"] = None  # the table is a read-only mapping


@pytest.mark.parametrize("effect_id", sorted(EXPECTED))
def test_contract(effect_id, astronaut, astronaut_tracking):
    effect = REGISTRY.get(effect_id)
    frame = astronaut[::2, ::2].copy()  # 256x256: the contract does not need resolution
    tracking = astronaut_tracking.scaled_to((256, 256))
    before = frame.copy()
    for v in variants(effect):
        try:
            params = REGISTRY.validate(effect_id, v)
            effect.check(params)
        except EffectError as e:
            if effect_id == "face_sticker" and "sticker" in str(e):
                pytest.skip(f"sticker library not ready: {e}")
            raise
        assert REGISTRY.validate(effect_id, json.loads(json.dumps(params))) == params
        for p in effect.params:
            if p.type in ("float", "int"):
                assert p.min <= params[p.name] <= p.max
        outs = []
        for _ in range(2):
            ctx = FrameContext(frame_index=7, time=0.25, tracking=tracking, size=(256, 256), cache={})
            out = effect.apply(frame, ctx, params)
            assert out.shape == frame.shape and out.dtype == np.uint8
            assert np.array_equal(frame, before), "apply modified its input"
            outs.append(out)
        assert np.array_equal(outs[0], outs[1]), "same input, different output"
        # a cache kept across frames gives the same result as a fresh one
        ctx = FrameContext(frame_index=7, time=0.25, tracking=tracking, size=(256, 256), cache={})
        effect.apply(frame, ctx, params)
        assert np.array_equal(effect.apply(frame, ctx, params), outs[0])


@pytest.mark.parametrize("effect_id", sorted(e.id for e in REGISTRY.list() if e.needs))
def test_without_tracking_the_frame_is_unchanged(effect_id, astronaut):
    frame = astronaut[::2, ::2].copy()
    effect = REGISTRY.get(effect_id)
    params = REGISTRY.validate(effect_id, {})
    for tracking in (None,):
        out = effect.apply(frame, FrameContext(0, 0.0, tracking, (256, 256), {}), params)
        assert np.array_equal(out, frame)


def test_validation_messages():
    with pytest.raises(EffectError, match=r"^effect 'vignette': param 'strength' must be between 0 and 1, got 1\.5$"):
        REGISTRY.validate("vignette", {"strength": 1.5})
    with pytest.raises(EffectError, match=r"^unknown effect 'nope'$"):
        REGISTRY.validate("nope", {})
    with pytest.raises(EffectError, match=r"^effect 'grain': unknown param 'amout'$"):
        REGISTRY.validate("grain", {"amout": 0.2})
    with pytest.raises(EffectError, match=r"^effect 'grain': param 'amount' must be a number, got 'a'$"):
        REGISTRY.validate("grain", {"amount": "a"})
    with pytest.raises(EffectError, match=r"must be a whole number"):
        REGISTRY.validate("sparkles", {"amount": 2.5})
    with pytest.raises(EffectError, match=r"must be a colour '#rrggbb'"):
        REGISTRY.validate("sparkles", {"color": "red"})
    assert REGISTRY.validate("sparkles", {"amount": 3.0})["amount"] == 3
    assert "\n" not in str(EffectError("x"))
