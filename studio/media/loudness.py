"""Loudness (ITU-R BS.1770 / EBU R128) measurement and normalisation with a true-peak limiter.

The integrated loudness is pyloudnorm's algorithm (its K-weighting filters, its
block/gating arithmetic) in float32 with the per-block loop vectorised, so that
normalising minutes of audio takes a couple of seconds; tests check it against
``pyloudnorm.Meter`` directly.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# scipy.signal and scipy.ndimage are imported where they are used: together they take ~0.8 s to
# import, which every `studio` command paid at start-up (the CLI imports the encoder, which imports
# this module); an export needs them only in its soundtrack thread, off the critical path.

_OVERSAMPLE = 4
_TP_CHUNK = 1 << 16  # samples per oversampling chunk: bounds the memory used
_TP_PAD = 64  # context each side of a chunk, longer than half the interpolation filter
_SILENCE_LUFS = -70.0
_MARGIN_DB = 0.15  # the limiter aims this far under the ceiling
_LOOKAHEAD_S = 0.005  # each of the two smoothing ramps
_HOLD_S = 0.020


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float  # -inf for silence
    true_peak_dbtp: float  # -inf for digital silence


def _as2d(samples: np.ndarray) -> np.ndarray:
    a = np.asarray(samples, dtype=np.float32)
    return a[:, None] if a.ndim == 1 else a


def _k_weighting_sos(rate: int) -> np.ndarray:
    import pyloudnorm

    meter = pyloudnorm.Meter(rate)
    sos = [np.concatenate([f.passband_gain * np.asarray(f.b), np.asarray(f.a)]) for f in meter._filters.values()]
    return np.array(sos, dtype=np.float64)


def integrated_lufs(samples: np.ndarray, rate: int) -> float:
    """Gated integrated loudness in LUFS, -inf for silence."""
    x = _as2d(samples)
    block = int(0.4 * rate)
    if len(x) == 0:
        return -math.inf
    if len(x) < block:  # too short for one gating block: loop it, loudness stays the same
        x = np.resize(x, (block, x.shape[1]))
    sos = _k_weighting_sos(rate)
    from scipy.signal import sosfilt

    gains = np.array([1.0, 1.0, 1.0, 1.41, 1.41][: x.shape[1]])
    n = len(x)
    num_blocks = int(np.round((n / rate - 0.4) / 0.1)) + 1
    hop = 0.1 * rate
    if hop == int(hop):  # sums per 100 ms hop, four hops make a 400 ms gating block
        hop = int(hop)
        nh = num_blocks + 3
        hops = np.zeros((nh, x.shape[1]))
        # filter in chunks, carrying the filter state: the same result as one pass, but the
        # float64 copy of a whole 10-minute mix (~460 MB) never exists at once
        zi = np.zeros((sos.shape[0], 2, x.shape[1]))
        chunk = hop * 64
        for start in range(0, min(n, nh * hop), chunk):
            y, zi = sosfilt(sos, x[start:start + chunk], axis=0, zi=zi)
            first = start // hop
            full = min(len(y) // hop, nh - first)
            whole = y[: full * hop].reshape(full, hop, -1)
            hops[first:first + full] = np.einsum("ihc,ihc->ic", whole, whole)
            if len(y) > full * hop and first + full < nh:  # a last, partial hop (the rest counts as silence)
                hops[first + full] = np.square(y[full * hop:]).sum(axis=0)
        z = (hops[:-3] + hops[1:-2] + hops[2:-1] + hops[3:]) / (0.4 * rate)
    else:
        x = sosfilt(sos, x, axis=0)
        j = np.arange(num_blocks)
        lo = (0.4 * (j * 0.25) * rate).astype(np.int64)
        hi = np.minimum((0.4 * (j * 0.25 + 1) * rate).astype(np.int64), n)
        csum = np.zeros((n + 1, x.shape[1]))
        np.cumsum(np.square(x, dtype=np.float64), axis=0, out=csum[1:])
        z = (csum[hi] - csum[lo]) / (0.4 * rate)  # (blocks, channels) mean squares
    power = z @ gains
    with np.errstate(divide="ignore"):
        lj = -0.691 + 10.0 * np.log10(power)
    gated = lj >= _SILENCE_LUFS
    if not gated.any():
        return -math.inf
    gamma_r = -0.691 + 10.0 * np.log10(z[gated].mean(axis=0) @ gains) - 10.0
    gated = (lj > gamma_r) & (lj > _SILENCE_LUFS)
    if not gated.any():
        return -math.inf
    return float(-0.691 + 10.0 * np.log10(z[gated].mean(axis=0) @ gains))


_TP_FILTER: np.ndarray | None = None


def _tp_filter() -> np.ndarray:
    """The 4x interpolation filter: the one resample_poly designs by default (20 taps per phase;
    it applies the x4 gain). Designed on first use."""
    global _TP_FILTER
    if _TP_FILTER is None:
        from scipy.signal import firwin

        _TP_FILTER = firwin(81, 1.0 / _OVERSAMPLE, window=("kaiser", 5.0))
    return _TP_FILTER


def peak_envelope(samples: np.ndarray, block: int = 8) -> np.ndarray:
    """True peak (linear) per block of ``block`` samples: max |4x oversampled signal|, over channels."""
    if _TP_CHUNK % block:
        raise ValueError(f"block must divide {_TP_CHUNK}")
    from scipy.signal import resample_poly

    x = _as2d(samples)
    n = len(x)
    window = _tp_filter()
    env = np.zeros(-(-n // block), np.float32)
    for c in range(x.shape[1]):
        ch = np.ascontiguousarray(x[:, c])
        for start in range(0, n, _TP_CHUNK):
            a, b = max(0, start - _TP_PAD), min(n, start + _TP_CHUNK + _TP_PAD)
            stop = min(n, start + _TP_CHUNK)
            up = resample_poly(ch[a:b], _OVERSAMPLE, 1, window=window)
            up = up[(start - a) * _OVERSAMPLE:(stop - a) * _OVERSAMPLE]
            np.abs(up, out=up)
            per = block * _OVERSAMPLE
            if len(up) % per:
                up = np.concatenate([up, np.zeros(per - len(up) % per, up.dtype)])
            blocks = up.reshape(-1, per).max(axis=1)
            sampled = np.abs(ch[start:stop])  # the samples themselves are peaks too
            if len(sampled) % block:
                sampled = np.concatenate([sampled, np.zeros(block - len(sampled) % block, sampled.dtype)])
            blocks = np.maximum(blocks, sampled.reshape(-1, block).max(axis=1))
            seg = env[start // block:start // block + len(blocks)]
            np.maximum(seg, blocks, out=seg)
    return env


def true_peak(samples: np.ndarray) -> float:
    """Linear 4x-oversampled peak over all channels (0 for empty input)."""
    env = peak_envelope(samples, block=4096)
    return float(env.max()) if len(env) else 0.0


def _db(value: float) -> float:
    return 20.0 * math.log10(value) if value > 0 else -math.inf


def measure(samples: np.ndarray, rate: int, peak: float | None = None) -> Loudness:
    """Integrated loudness (LUFS) and true peak (dBTP, 4x oversampled) of (n, ch) or (n,) samples.
    `peak`: their linear true peak when the caller has measured it already (not measured again)."""
    return Loudness(integrated_lufs(samples, rate), _db(true_peak(samples) if peak is None else peak))


def limiter_gain(required: np.ndarray, rate: float) -> np.ndarray:
    """Smooth gain <= ``required`` everywhere (``rate``: values per second of ``required``).

    A trailing minimum over (2W - 1 + hold) values followed by two forward boxes of W
    values never exceeds the required gain anywhere, so no peak escapes (the boxes
    look ahead), and the gain moves in S-shaped ramps of ~2W instead of jumping.
    """
    from scipy.ndimage import minimum_filter1d

    w = max(1, int(_LOOKAHEAD_S * rate))
    length = 2 * w - 1 + int(_HOLD_S * rate)
    length += 1 - length % 2  # odd, so the centred filter shifts cleanly into a trailing one
    half = (length - 1) // 2
    padded = np.concatenate([np.ones(half, required.dtype), required])
    gain = minimum_filter1d(padded, size=length, mode="constant", cval=1.0)[: len(required)]
    for _ in range(2):
        csum = np.concatenate([[0.0], np.cumsum(np.concatenate([gain, np.full(w - 1, gain[-1])]), dtype=np.float64)])
        gain = ((csum[w:] - csum[:-w]) / w)[: len(required)]
    return np.minimum(gain, 1.0).astype(np.float32)


def _limit(y: np.ndarray, env: np.ndarray, ceiling: float, rate: int, block: int) -> np.ndarray:
    """y (n, ch) times a look-ahead limiter gain keeping the block true peaks ``env`` under ``ceiling``.

    Works in place on ``y`` (callers pass a buffer they own) so a long mix is not copied again."""
    from scipy.ndimage import minimum_filter1d

    required = np.minimum(1.0, ceiling / np.maximum(env, 1e-12)).astype(np.float32)
    # Each block also honours its neighbours, so interpolating between block centres stays under all three.
    required = minimum_filter1d(required, size=3, mode="nearest")
    gain_blocks = limiter_gain(required, rate / block)
    active = minimum_filter1d(gain_blocks, size=3, mode="nearest") < 1.0
    if not active.any():
        return y
    # Interpolate only where the limiter works (usually a small part of a song).
    idx = np.flatnonzero(np.repeat(active, block)[: len(y)])
    centres = (np.arange(len(gain_blocks)) + 0.5) * block
    y[idx] *= np.interp(idx, centres, gain_blocks).astype(np.float32)[:, None]
    return y


def normalize(samples: np.ndarray, rate: int, target_lufs: float = -14.0,
              max_true_peak_dbtp: float = -1.0) -> tuple[np.ndarray, Loudness]:
    """Gain ``samples`` to ``target_lufs`` and limit true peaks to ``max_true_peak_dbtp``.

    Returns (float32 samples, Loudness measured on them). Silence or anything under
    -70 LUFS comes back unchanged.
    """
    x = np.asarray(samples, dtype=np.float32)
    loud = integrated_lufs(x, rate)
    if not math.isfinite(loud) or loud < _SILENCE_LUFS:
        return x.copy(), measure(x, rate)
    x2 = _as2d(x)
    block = 8
    env = peak_envelope(x2, block)
    ceiling = 10.0 ** ((max_true_peak_dbtp - _MARGIN_DB) / 20.0)
    gain_db = target_lufs - loud
    for _ in range(3):
        g = np.float32(10.0 ** (gain_db / 20.0))
        y = x2 * g
        if float(env.max()) * g > ceiling:
            y = _limit(y, env * g, ceiling, rate, block)
        got = integrated_lufs(y, rate)
        if abs(got - target_lufs) <= 0.3:
            break
        gain_db += target_lufs - got  # limiting cost loudness: push the input gain up and limit again
    peak = true_peak(y)
    if _db(peak) > max_true_peak_dbtp:  # a gain ramp let an inter-sample peak through: limit the result
        y = _limit(y, peak_envelope(y, block), ceiling, rate, block)
        got, peak = integrated_lufs(y, rate), true_peak(y)
    return (y[:, 0] if np.ndim(samples) == 1 else y), Loudness(got, _db(peak))
