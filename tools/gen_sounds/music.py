"""Arrangement engine, instruments and a little music theory for the beds.

A `Session` is one loop: a fixed number of 4/4 bars at a fixed tempo. Parts
are placed on a beat grid into named stereo buses that are longer than the
loop; at render time everything past the loop end is folded back onto the
start (and the reverb is a circular convolution), so decays of the last bar
ring into the first bar exactly as they would when the loop repeats. That is
what makes the files loop without a seam.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import signal

from . import dsp
from .dsp import SR, additive, adsr, midi_hz, n_samples, time_axis

CHORD_SHAPES: dict[str, tuple[int, ...]] = {
    "maj": (0, 4, 7), "min": (0, 3, 7), "maj7": (0, 4, 7, 11), "min7": (0, 3, 7, 10),
    "dom7": (0, 4, 7, 10), "min9": (0, 3, 7, 10, 14), "maj9": (0, 4, 7, 11, 14),
    "dom9": (0, 4, 7, 10, 14), "sus4": (0, 5, 7), "sus2": (0, 2, 7), "add9": (0, 4, 7, 14),
    "min11": (0, 3, 7, 10, 17), "dom13": (0, 4, 10, 14, 21),
}
SCALES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11), "minor": (0, 2, 3, 5, 7, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10), "harmonic_minor": (0, 2, 3, 5, 7, 8, 11),
    "major_pent": (0, 2, 4, 7, 9), "minor_pent": (0, 3, 5, 7, 10),
}
# Corner of the master low shelf: the kick/bass fundamentals sit below it,
# their harmonics (what a phone actually reproduces) above it.
LOW_SHELF_HZ = 120.0


@dataclass(frozen=True)
class Chord:
    root: int  # MIDI note of the root (any octave)
    quality: str

    def pitch_classes(self) -> list[int]:
        return [(self.root + i) % 12 for i in CHORD_SHAPES[self.quality]]

    def voicing(self, centre: int) -> list[int]:
        """Close voicing around `centre` (smooth voice leading between chords
        for free: every chord lands in the same register)."""
        notes = []
        for pc in self.pitch_classes():
            n = centre - 6 + ((pc - (centre - 6)) % 12)
            notes.append(n)
        return sorted(notes)

    def bass(self, low: int = 36) -> int:
        return low + ((self.root - low) % 12)


@dataclass
class Session:
    bpm: float
    bars: int
    seed: int
    tail_s: float = 4.0
    buses: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.beat = 60.0 / self.bpm
        self.duration = self.bars * 4 * self.beat
        self.length = n_samples(self.duration)
        self.tail = n_samples(self.tail_s)
        self.rng = np.random.default_rng(self.seed)

    # Grid -------------------------------------------------------------
    def at(self, bar: int, beat: float = 0.0) -> float:
        return (bar * 4 + beat) * self.beat

    def beats(self) -> list[float]:
        return [round(i * self.beat, 3) for i in range(self.bars * 4)]

    # Placement ---------------------------------------------------------
    def bus(self, name: str) -> np.ndarray:
        if name not in self.buses:
            self.buses[name] = np.zeros((2, self.length + self.tail))
        return self.buses[name]

    def add(self, sig: np.ndarray, at_s: float, gain: float = 1.0, pan: float = 0.0,
            verb: float = 0.0, bus: str = "dry") -> None:
        stereo = dsp.pan(sig, pan) if sig.ndim == 1 else sig
        start = int(round(at_s * SR)) % self.length  # events before 0 wrap to the end
        room = self.length + self.tail - start
        chunk = stereo[:, :room] * gain
        self.bus(bus)[:, start:start + chunk.shape[1]] += chunk
        if verb:
            self.bus("verb")[:, start:start + chunk.shape[1]] += chunk * verb

    def _folded(self, name: str) -> np.ndarray:
        buf = self.bus(name)
        out = buf[:, : self.length].copy()
        out[:, : self.tail] += buf[:, self.length:]
        return out

    # Mixdown -----------------------------------------------------------
    def render(self, rt60: float = 1.6, verb_gain: float = 0.35, ducking: dict[str, np.ndarray] | None = None,
               master_lowpass: float | None = None, drive: float = 1.2, low_shelf_db: float = -6.0,
               presence_db: float = 4.0, presence_hz: float = 3500.0) -> np.ndarray:
        """Mix the buses down to one seamless stereo loop.

        The master EQ is voiced for phone speakers, where shorts are heard:
        they roll off below ~150 Hz, so sub energy only eats headroom at a
        fixed LUFS, while the 2-6 kHz presence band is where they are most
        sensitive. A low shelf trims the sub and a broad presence bell lifts
        chords and melody; beds with a warmer character ask for less."""
        ducking = ducking or {}
        mix = np.zeros((2, self.length))
        for name in list(self.buses):
            if name == "verb":
                continue
            part = self._folded(name)
            if name in ducking:
                part *= ducking[name][None, :]
            mix += part
        if "verb" in self.buses:
            ir = dsp.reverb_ir(min(rt60 * 1.5, 3.5), np.random.default_rng(self.seed + 99), rt60=rt60)
            mix += verb_gain * dsp.circular_convolve(self._folded("verb"), ir)
        mix = dsp.circular_filter(signal.butter(2, 30.0, "high", fs=SR, output="sos"), mix)
        if low_shelf_db:
            mix = dsp.circular_filter(dsp.low_shelf(LOW_SHELF_HZ, low_shelf_db), mix)
        if presence_db:
            mix = dsp.circular_filter(dsp.peaking(presence_hz, presence_db, q=0.7), mix)
        if master_lowpass:
            mix = dsp.circular_filter(signal.butter(2, master_lowpass, "low", fs=SR, output="sos"), mix)
        # Even for bright beds, nothing useful lives above 16 kHz in a phone mix;
        # the corner sits a little below so the filter skirt (which the
        # presence lift and low cut make relatively louder) stays out of it too.
        mix = dsp.circular_filter(signal.butter(6, 15000.0, "low", fs=SR, output="sos"), mix)
        mix /= max(1e-9, np.max(np.abs(mix)))
        return dsp.soft_clip(mix * drive, 1.0)

    def pump(self, depth: float = 0.6, release_beats: float = 0.45, every_beats: float = 1.0) -> np.ndarray:
        """Side-chain style gain curve: dips on every beat and recovers."""
        t = np.arange(self.length) / SR
        phase = (t % (every_beats * self.beat)) / self.beat
        return 1.0 - depth * np.exp(-phase / (release_beats / 3.0))


# --------------------------------------------------------------------------- instruments

def _note_len(hold: float, release: float) -> int:
    return n_samples(hold + release + 0.01)


def pad(note: float, hold: float, seed: int, cutoff: float = 1800.0, attack: float = 0.4,
        release: float = 0.8) -> np.ndarray:
    """Warm detuned-saw pad, returned as stereo (voices spread L/R)."""
    n = _note_len(hold, release)
    f = midi_hz(note)
    voices = [(-9, -0.6), (0, 0.0), (8, 0.6)]
    out = np.zeros((2, n))
    for i, (cents, p) in enumerate(voices):
        v = additive(f, n, "saw", cutoff=cutoff, phase_seed=seed + i, detune_cents=cents)
        out += dsp.pan(v, p)
    env = adsr(n, attack, 0.5, 0.8, release, hold)
    return out * env / 3.0


def strings(note: float, hold: float, seed: int, attack: float = 0.25, release: float = 0.6,
            cutoff: float = 2500.0) -> np.ndarray:
    n = _note_len(hold, release)
    f = midi_hz(note)
    out = np.zeros((2, n))
    for i, (cents, p) in enumerate([(-6, -0.5), (5, 0.5)]):
        v = additive(f, n, "saw", cutoff=cutoff, phase_seed=seed + i, detune_cents=cents, vibrato=12.0)
        out += dsp.pan(v, p)
    return out * adsr(n, attack, 0.6, 0.85, release, hold) / 2.0


def pluck_synth(note: float, hold: float, seed: int, bright: float = 3500.0, dark: float = 700.0,
                decay: float = 0.25, release: float = 0.15, shape: str = "saw") -> np.ndarray:
    """Filter-envelope pluck: a bright and a dark copy cross-faded, which
    sounds like a decaying low-pass sweep but stays alias-free."""
    n = _note_len(hold, release)
    f = midi_hz(note)
    b = additive(f, n, shape, cutoff=bright, phase_seed=seed)
    d = additive(f, n, shape, cutoff=dark, phase_seed=seed)
    t = time_axis(n)
    x = np.exp(-t / (decay * 0.4))
    amp = adsr(n, 0.003, decay, 0.35, release, hold)
    return (x * b + (1 - x) * d) * amp


def bass(note: float, hold: float, seed: int, cutoff: float = 600.0, shape: str = "saw",
         release: float = 0.06, sub: float = 0.6) -> np.ndarray:
    n = _note_len(hold, release)
    f = midi_hz(note)
    body = additive(f, n, shape, cutoff=cutoff, phase_seed=seed)
    body += sub * np.sin(2 * np.pi * f * time_axis(n))
    return body * adsr(n, 0.004, 0.3, 0.7, release, hold)


def epiano(note: float, hold: float, release: float = 0.4) -> np.ndarray:
    n = _note_len(hold, release)
    f = midi_hz(note)
    tone = dsp.fm_tone(f, n, ratio=1.0, index=1.2, index_decay=0.35)
    tone += 0.25 * dsp.fm_tone(f * 2, n, ratio=3.0, index=0.6, index_decay=0.08)
    return tone * adsr(n, 0.003, 1.2, 0.25, release, hold)


def piano(note: float, hold: float, seed: int = 0, release: float = 0.35, bright: float = 0.0) -> np.ndarray:
    """Additive piano-ish tone: stretched partials, higher ones decaying faster.
    `bright` (0..1) flattens the partial roll-off and slows the upper decays,
    like a harder hammer: more 2-5 kHz, which is what carries on a phone."""
    rng = np.random.default_rng(seed)
    n = _note_len(hold, release)
    f = midi_hz(note)
    t = time_axis(n)
    out = np.zeros(n)
    B = 0.0003
    base_tau = 1.6 * (261.0 / f) ** 0.5
    for k in range(1, 14):
        fk = f * k * np.sqrt(1 + B * k * k)
        if fk > dsp.MAX_PARTIAL_HZ:
            break
        amp = 1.0 / k ** (1.4 - 0.4 * bright)
        tau = base_tau / k ** (0.7 - 0.25 * bright)
        out += amp * np.exp(-t / tau) * np.sin(2 * np.pi * fk * t + rng.uniform(0, 6.28))
    hammer = dsp.lowpass(dsp.noise(n, rng), 3000.0 + 3000.0 * bright) * dsp.exp_decay(n, 0.004) * 0.05
    env = adsr(n, 0.002, 10.0, 1.0, release, hold)
    return (out + hammer) * env


def bell(note: float, length: float) -> np.ndarray:
    n = n_samples(length)
    f = midi_hz(note)
    t = time_axis(n)
    out = np.zeros(n)
    for ratio, amp, tau in ((1.0, 1.0, 1.2), (2.0, 0.5, 0.8), (3.01, 0.25, 0.5), (4.2, 0.2, 0.35), (5.43, 0.12, 0.25)):
        if f * ratio < dsp.MAX_PARTIAL_HZ:
            out += amp * np.exp(-t / tau) * np.sin(2 * np.pi * f * ratio * t)
    return dsp.fade_edges(out, 0.001, 0.05)


def lead(note: float, hold: float, seed: int, shape: str = "square", cutoff: float = 2500.0,
         vibrato: float = 15.0, release: float = 0.12) -> np.ndarray:
    n = _note_len(hold, release)
    v = additive(midi_hz(note), n, shape, cutoff=cutoff, phase_seed=seed, vibrato=vibrato)
    return v * adsr(n, 0.01, 0.2, 0.7, release, hold)


def brass(note: float, hold: float, seed: int, release: float = 0.25) -> np.ndarray:
    """Swelling brass: dark saw cross-fading to bright as the note opens up."""
    n = _note_len(hold, release)
    f = midi_hz(note)
    dark = additive(f, n, "saw", cutoff=700.0, phase_seed=seed, vibrato=8.0)
    bright = additive(f, n, "saw", cutoff=2600.0, phase_seed=seed, vibrato=8.0)
    t = time_axis(n)
    x = np.minimum(t / max(hold * 0.7, 0.05), 1.0)
    return (x * bright + (1 - x) * dark) * adsr(n, 0.06, 0.4, 0.85, release, hold)


def clav(note: float, hold: float, seed: int) -> np.ndarray:
    n = _note_len(hold, 0.04)
    f = midi_hz(note)
    v = additive(f, n, "square", cutoff=3000.0, phase_seed=seed)
    v = dsp.highpass(v, 250.0)
    return v * adsr(n, 0.002, 0.12, 0.3, 0.04, hold)


def guitar(note: float, length: float, rng: np.random.Generator, brightness: float = 0.55,
           t60: float = 2.0) -> np.ndarray:
    n = n_samples(length)
    s = dsp.karplus_strong(midi_hz(note), n, rng, t60=t60, brightness=brightness)
    # Body resonance: a gentle low-mid bump and a top-end roll-off.
    s = dsp.lowpass(s, 5000.0) + 0.3 * dsp.bandpass(s, 90.0, 250.0)
    return dsp.fade_edges(s, 0.0005, 0.03)


def strum(sess: Session, voicing: list[int], at_s: float, down: bool, length: float, gain: float,
          rng: np.random.Generator, spread_s: float = 0.012, verb: float = 0.2) -> None:
    order = voicing if down else list(reversed(voicing))
    for i, note in enumerate(order):
        g = gain * (1.0 if down else 0.7) * (0.9 + 0.2 * rng.random())
        p = -0.35 + 0.7 * (note - min(voicing)) / max(1, max(voicing) - min(voicing))
        sess.add(guitar(note, length, rng, brightness=0.5 if down else 0.65), at_s + i * spread_s, g, p, verb)


# --------------------------------------------------------------------------- melody

RHYTHMS = [
    [(0.0, 1.0), (1.0, 0.5), (1.5, 0.5), (2.0, 1.5), (3.5, 0.5)],
    [(0.0, 0.5), (0.5, 0.5), (1.0, 1.0), (2.5, 0.5), (3.0, 1.0)],
    [(0.0, 1.5), (1.5, 0.5), (2.0, 0.5), (2.5, 1.5)],
    [(0.5, 0.5), (1.0, 0.5), (1.5, 1.0), (3.0, 0.5), (3.5, 0.5)],
    [(0.0, 2.0), (2.0, 1.0), (3.0, 1.0)],
    [(0.0, 0.75), (0.75, 0.75), (1.5, 0.5), (2.0, 2.0)],
]


def _pick(rng: np.random.Generator, prev: int, pool: list[int]) -> int:
    d = np.array([abs(p - prev) for p in pool], dtype=float)
    w = np.exp(-d / 2.5) * np.where(d == 0, 0.35, 1.0)
    return int(pool[rng.choice(len(pool), p=w / w.sum())])


def phrase_melody(rng: np.random.Generator, chords: list[Chord], key_root: int, scale: str,
                  centre: int, rhythms: list[list[tuple[float, float]]] | None = None,
                  last_long: bool = True) -> list[tuple[float, float, int]]:
    """One melodic phrase, one chord per bar: (beat offset, length in beats,
    MIDI note). Strong beats take chord tones, weak beats scale tones, and
    leaps are rare, which is most of what makes a line sound sung."""
    rhythms = rhythms or RHYTHMS
    scale_pcs = [(key_root + s) % 12 for s in SCALES[scale]]
    lo, hi = centre - 7, centre + 9
    scale_pool = [n for n in range(lo, hi + 1) if n % 12 in scale_pcs]
    motif = rhythms[int(rng.integers(len(rhythms)))]
    notes: list[tuple[float, float, int]] = []
    prev = centre
    for bar, chord in enumerate(chords):
        chord_pool = [n for n in range(lo, hi + 1) if n % 12 in chord.pitch_classes()]
        # Bars 1 and 3 share a rhythm (call and answer); the last bar resolves long.
        rhythm = motif if bar % 2 == 0 else rhythms[int(rng.integers(len(rhythms)))]
        if last_long and bar == len(chords) - 1:
            rhythm = [(0.0, 1.0), (1.0, 3.0)]
        for beat, length in rhythm:
            strong = float(beat).is_integer() and int(beat) % 2 == 0
            prev = _pick(rng, prev, chord_pool if strong else scale_pool)
            notes.append((bar * 4 + beat, length, prev))
    return notes
