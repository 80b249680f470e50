"""Signal-processing building blocks for the sound generator.

Everything works on float64 numpy arrays at SR. Mono signals are 1-D, stereo
signals are shaped (2, n). Oscillators are additive (sum of sines, harmonics
capped well below Nyquist) so nothing aliases, which is the main thing that
makes naive synthesis sound harsh.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage, signal

SR = 48000
# Harmonics above this are never generated: keeps synths warm and alias-free.
MAX_PARTIAL_HZ = 12000.0


def midi_hz(note: float) -> float:
    return 440.0 * 2.0 ** ((note - 69.0) / 12.0)


def n_samples(seconds: float) -> int:
    return int(round(seconds * SR))


def time_axis(n: int) -> np.ndarray:
    return np.arange(n) / SR


# --------------------------------------------------------------------------- oscillators

def additive(freq: float, n: int, shape: str = "saw", cutoff: float = 4000.0,
             phase_seed: int = 0, detune_cents: float = 0.0, vibrato: float = 0.0) -> np.ndarray:
    """Band-limited waveform built from sines.

    `cutoff` is a soft one-pole-like rolloff applied per partial, i.e. a
    low-pass filter that cannot alias because it is applied in the harmonic
    domain. `vibrato` is the depth in cents of a 5 Hz pitch wobble.
    """
    f0 = freq * 2.0 ** (detune_cents / 1200.0)
    t = time_axis(n)
    if vibrato:
        # Integrated frequency so the vibrato is a true pitch modulation.
        inst = f0 * 2.0 ** (vibrato / 1200.0 * np.sin(2 * np.pi * 5.0 * t) * np.minimum(t / 0.3, 1.0))
        phase = 2 * np.pi * np.cumsum(inst) / SR
    else:
        phase = 2 * np.pi * f0 * t
    rng = np.random.default_rng(phase_seed)
    out = np.zeros(n)
    k_max = max(1, int(MAX_PARTIAL_HZ // f0))
    for k in range(1, k_max + 1):
        if shape == "sine" and k > 1:
            break
        if shape == "saw":
            a = 1.0 / k
        elif shape == "square":
            a = 1.0 / k if k % 2 else 0.0
        elif shape == "triangle":
            a = (1.0 / k ** 2) * (1 if (k // 2) % 2 == 0 else -1) if k % 2 else 0.0
        else:  # sine
            a = 1.0
        if a == 0.0:
            continue
        a /= np.sqrt(1.0 + (k * f0 / cutoff) ** 4)  # 2nd-order-like rolloff
        if abs(a) < 1e-4:
            break
        out += a * np.sin(k * phase + (rng.uniform(0, 2 * np.pi) if shape != "triangle" else 0.0))
    return out


def fm_tone(freq: float, n: int, ratio: float = 1.0, index: float = 1.5, index_decay: float = 0.4) -> np.ndarray:
    """Two-operator FM (electric-piano / bell colour). The index decays so the
    attack is bright and the sustain mellow, like a struck tine."""
    t = time_axis(n)
    idx = index * np.exp(-t / index_decay)
    mod = idx * np.sin(2 * np.pi * freq * ratio * t)
    return np.sin(2 * np.pi * freq * t + mod)


def karplus_strong(freq: float, n: int, rng: np.random.Generator, t60: float = 2.5,
                   brightness: float = 0.6) -> np.ndarray:
    """Plucked string. Delay line of N samples with a two-point averaging loop
    filter (effective delay N + 0.5). Computed one period at a time so the loop
    is vectorised instead of per-sample Python."""
    period = max(4, int(round(SR / freq - 0.5)))
    g = np.exp(-6.9 / (t60 * freq))  # loop gain per period for the wanted T60
    y = np.zeros(n + period + 1)
    exc = rng.uniform(-1.0, 1.0, period)
    # Softer pick = low-passed excitation.
    b, a = signal.butter(1, min(0.99, 0.05 + 0.9 * brightness))
    exc = signal.lfilter(b, a, exc)
    exc -= exc.mean()
    y[:period] = exc
    i = period
    total = n
    while i < total:
        j = min(i + period, total)
        cur = y[i - period:j - period]
        if i - period - 1 >= 0:
            prev = y[i - period - 1:j - period - 1]
        else:
            prev = np.concatenate(([0.0], y[0:j - period - 1]))
        y[i:j] = g * 0.5 * (cur + prev)
        i = j
    return y[:n]


def noise(n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.standard_normal(n)


# --------------------------------------------------------------------------- envelopes

def adsr(n: int, attack: float, decay: float, sustain: float, release: float, hold: float) -> np.ndarray:
    """Envelope for a note held `hold` seconds then released over `release` s.
    The output has n samples (caller picks n >= hold + release)."""
    t = time_axis(n)
    env = np.where(t < attack, t / max(attack, 1e-6), 0.0)
    after = t >= attack
    env[after] = sustain + (1.0 - sustain) * np.exp(-(t[after] - attack) / max(decay, 1e-6))
    level_at_release = env[min(n - 1, n_samples(hold))]
    rel = t >= hold
    env[rel] = level_at_release * np.exp(-(t[rel] - hold) / max(release / 4.0, 1e-6))
    # Short fade at the very end so nothing clicks when the buffer ends.
    fade = min(n, n_samples(0.005))
    env[n - fade:] *= np.linspace(1.0, 0.0, fade)
    return env


def exp_decay(n: int, tau: float, attack: float = 0.001) -> np.ndarray:
    t = time_axis(n)
    env = np.exp(-t / tau)
    a = max(1, n_samples(attack))
    env[:a] *= np.linspace(0.0, 1.0, a)
    return env


# --------------------------------------------------------------------------- filters

def lowpass(x: np.ndarray, hz: float, order: int = 2) -> np.ndarray:
    sos = signal.butter(order, min(hz, SR * 0.45), "low", fs=SR, output="sos")
    return signal.sosfilt(sos, x, axis=-1)


def highpass(x: np.ndarray, hz: float, order: int = 2) -> np.ndarray:
    sos = signal.butter(order, hz, "high", fs=SR, output="sos")
    return signal.sosfilt(sos, x, axis=-1)


def bandpass(x: np.ndarray, lo: float, hi: float, order: int = 2) -> np.ndarray:
    sos = signal.butter(order, [lo, min(hi, SR * 0.45)], "band", fs=SR, output="sos")
    return signal.sosfilt(sos, x, axis=-1)


def _biquad_sos(b: np.ndarray, a: np.ndarray) -> np.ndarray:
    return np.concatenate([b / a[0], a / a[0]])[None, :]


def low_shelf(hz: float, gain_db: float, slope: float = 0.8) -> np.ndarray:
    """RBJ-cookbook low shelf as one SOS section (for `circular_filter`)."""
    a_lin = 10 ** (gain_db / 40.0)
    w = 2 * np.pi * hz / SR
    alpha = np.sin(w) / 2 * np.sqrt((a_lin + 1 / a_lin) * (1 / slope - 1) + 2)
    c, sa = np.cos(w), 2 * np.sqrt(a_lin) * alpha
    b = a_lin * np.array([(a_lin + 1) - (a_lin - 1) * c + sa, 2 * ((a_lin - 1) - (a_lin + 1) * c),
                          (a_lin + 1) - (a_lin - 1) * c - sa])
    a = np.array([(a_lin + 1) + (a_lin - 1) * c + sa, -2 * ((a_lin - 1) + (a_lin + 1) * c),
                  (a_lin + 1) + (a_lin - 1) * c - sa])
    return _biquad_sos(b, a)


def peaking(hz: float, gain_db: float, q: float = 0.7) -> np.ndarray:
    """RBJ-cookbook peaking (bell) EQ as one SOS section."""
    a_lin = 10 ** (gain_db / 40.0)
    w = 2 * np.pi * hz / SR
    alpha = np.sin(w) / (2 * q)
    c = np.cos(w)
    b = np.array([1 + alpha * a_lin, -2 * c, 1 - alpha * a_lin])
    a = np.array([1 + alpha / a_lin, -2 * c, 1 - alpha / a_lin])
    return _biquad_sos(b, a)


def circular_filter(sos: np.ndarray, x: np.ndarray, pad_s: float = 1.0) -> np.ndarray:
    """Filter a loop as if it had been playing forever: prepend its own tail so
    the filter state at the loop point matches, then drop the warm-up."""
    pad = min(x.shape[-1], n_samples(pad_s))
    ext = np.concatenate([x[..., -pad:], x], axis=-1)
    return signal.sosfilt(sos, ext, axis=-1)[..., pad:]


def sweep_filter_noise(n: int, rng: np.random.Generator, centre_hz: np.ndarray,
                       width_oct: float = 1.0) -> np.ndarray:
    """Noise through a band-pass whose centre moves over time (per STFT
    frame); the standard recipe for whooshes and risers."""
    x = noise(n + 2048, rng)
    f, _, z = signal.stft(x, fs=SR, nperseg=1024, noverlap=768)
    frames = z.shape[1]
    centres = np.interp(np.linspace(0, 1, frames), np.linspace(0, 1, len(centre_hz)), centre_hz)
    logf = np.log2(np.maximum(f, 1.0))[:, None]
    mask = np.exp(-0.5 * ((logf - np.log2(centres)[None, :]) / (width_oct / 2.0)) ** 2)
    _, y = signal.istft(z * mask, fs=SR, nperseg=1024, noverlap=768)
    return y[:n]


# --------------------------------------------------------------------------- space

def pan(x: np.ndarray, position: float) -> np.ndarray:
    """Constant-power pan, position in [-1 (left), 1 (right)]."""
    angle = (position + 1.0) * np.pi / 4.0
    return np.stack([x * np.cos(angle), x * np.sin(angle)])


def widen(x: np.ndarray, ms: float = 12.0, amount: float = 0.35) -> np.ndarray:
    """Gentle stereo width for a mono part: a short delayed copy pushed into
    opposite polarities of the side channel (Haas-style, mono-compatible)."""
    d = n_samples(ms / 1000.0)
    delayed = np.concatenate([np.zeros(d), x[:-d]]) if d else x
    side = amount * (delayed - x) * 0.5
    return np.stack([x + side, x - side])


def reverb_ir(seconds: float, rng: np.random.Generator, rt60: float = 1.6,
              damping_hz: float = 5000.0, predelay: float = 0.015) -> np.ndarray:
    """Synthetic stereo room impulse response: decorrelated noise with an
    exponential decay that also gets darker over time (air absorption)."""
    n = n_samples(seconds)
    t = time_axis(n)
    env = np.exp(-6.9 * t / rt60)
    ir = np.zeros((2, n))
    for ch in range(2):
        bright = lowpass(noise(n, rng), damping_hz, order=1)
        dark = lowpass(noise(n, rng), damping_hz / 4.0, order=1)
        mix = np.exp(-t / (rt60 / 3.0))
        ir[ch] = (mix * bright + (1 - mix) * dark) * env
    pd = n_samples(predelay)
    ir = np.concatenate([np.zeros((2, pd)), ir[:, : n - pd]], axis=1)
    ir /= np.sqrt(np.sum(ir ** 2) / 2.0)
    return ir


def circular_convolve(x: np.ndarray, ir: np.ndarray) -> np.ndarray:
    """Reverb for a loop: circular convolution, so the tail of the last bar
    lands on the first bar exactly as it does when the loop repeats."""
    n = x.shape[-1]
    out = np.zeros_like(x)
    mono_in = x.mean(axis=0) if x.ndim == 2 else x
    spec = np.fft.rfft(mono_in, n)
    for ch in range(2):
        h = ir[ch] if ir.shape[1] <= n else ir[ch, :n]
        out[ch] = np.fft.irfft(spec * np.fft.rfft(h, n), n)
    return out


def convolve(x: np.ndarray, ir: np.ndarray) -> np.ndarray:
    """Linear (non-looping) stereo reverb for one-shot effects."""
    mono_in = x.mean(axis=0) if x.ndim == 2 else x
    return np.stack([signal.fftconvolve(mono_in, ir[ch])[: mono_in.size] for ch in range(2)])


# --------------------------------------------------------------------------- dynamics

def soft_clip(x: np.ndarray, drive: float = 1.0) -> np.ndarray:
    """tanh saturation normalised so small signals pass with unit gain."""
    return np.tanh(x * drive) / drive


def limiter(x: np.ndarray, ceiling_db: float = -2.0, lookahead_s: float = 0.005,
            release_s: float = 0.06, wrap: bool = False) -> np.ndarray:
    """Look-ahead peak limiter: the gain curve is the running minimum of the
    per-sample required gain, smoothed; because the minimum window is wider
    than the smoothing window the smoothed gain never exceeds the required one,
    so no sample ends up above the ceiling. `wrap` treats the signal as a loop."""
    ceiling = 10 ** (ceiling_db / 20.0)
    peak = np.max(np.abs(x), axis=0) if x.ndim == 2 else np.abs(x)
    need = np.minimum(1.0, ceiling / np.maximum(peak, 1e-12))
    la = max(1, n_samples(lookahead_s))
    mode = "wrap" if wrap else "nearest"
    g = ndimage.minimum_filter1d(need, size=2 * la + 1, mode=mode)
    g = ndimage.uniform_filter1d(g, size=la, mode=mode)
    # Slower release: a running minimum over the release window, then smoothing.
    rl = max(1, n_samples(release_s))
    g_rel = ndimage.minimum_filter1d(g, size=rl, mode=mode)
    g = np.minimum(g, ndimage.uniform_filter1d(g_rel, size=rl, mode=mode))
    y = x * g
    # Float safety net: anything the smoothing missed is hard-limited.
    return np.clip(y, -ceiling, ceiling)


def fade_edges(x: np.ndarray, fade_in: float = 0.002, fade_out: float = 0.02) -> np.ndarray:
    y = x.copy()
    n = y.shape[-1]
    a = min(n, n_samples(fade_in))
    b = min(n, n_samples(fade_out))
    if a:
        y[..., :a] *= np.linspace(0.0, 1.0, a)
    if b:
        y[..., n - b:] *= np.linspace(1.0, 0.0, b)
    return y
