"""The music beds. Each function composes one loop on a `Session` and returns
(stereo audio, metadata). Structure is in 4-bar phrases: the chord
progression repeats every phrase, parts enter and leave between phrases, and
drum fills mark the phrase ends so the loop has a shape rather than one bar
copied over."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import drums, music
from .dsp import SR, n_samples
from .music import Chord, Session


@dataclass(frozen=True)
class BedInfo:
    id: str
    title: str
    mood: str
    tags: tuple[str, ...]
    bpm: float
    bars: int
    seed: int


class Memo:
    """Per-bed cache for deterministic note renders (repeated chords and bass
    notes are identical, so render them once)."""

    def __init__(self) -> None:
        self.store: dict = {}

    def __call__(self, fn: Callable, *args, **kw):
        key = (fn.__name__, args, tuple(sorted(kw.items())))
        if key not in self.store:
            self.store[key] = fn(*args, **kw)
        return self.store[key]


def _place_melody(s: Session, notes, bar0: int, voice: Callable[[float, float], np.ndarray],
                  gain: float, pan: float = 0.0, verb: float = 0.3) -> None:
    for beat, length, note in notes:
        s.add(voice(note, length * s.beat), s.at(bar0, beat), gain, pan, verb)


def _snare_roll(s: Session, bar: int, start_beat: float, gain: float, step: float = 0.25) -> None:
    beat = start_beat
    k = 0
    count = int(round((4.0 - start_beat) / step))
    while k < count:
        s.add(drums.snare(s.rng, snappy=0.6), s.at(bar, beat), gain * (0.45 + 0.55 * k / max(1, count - 1)), 0.1)
        beat += step
        k += 1


# --------------------------------------------------------------------------- 1 upbeat pop

def sunny_pop() -> tuple[np.ndarray, BedInfo]:
    info = BedInfo("sunny-pop", "Sunny Side Up", "upbeat", ("pop", "happy", "bright", "summer", "vlog"), 120, 16, 101)
    s, m = Session(info.bpm, info.bars, info.seed), Memo()
    prog = [Chord(60, "maj"), Chord(67, "maj"), Chord(69, "min"), Chord(65, "maj")]
    mel_a = music.phrase_melody(s.rng, prog, 60, "major", 74)
    mel_b = music.phrase_melody(s.rng, prog, 60, "major", 77)
    lead = lambda n, d: m(music.lead, n, d, 7, shape="square", cutoff=2200.0, vibrato=10.0)
    for bar in range(info.bars):
        ch = prog[bar % 4]
        phrase = bar // 4
        # Drums
        for beat in (0.0, 2.0, 2.5) if phrase else (0.0, 2.0):
            s.add(drums.kick(s.rng), s.at(bar, beat), 1.0)
        if phrase >= 1:
            for beat in (1.0, 3.0):
                s.add(drums.clap(s.rng), s.at(bar, beat), 0.55, 0.0, 0.25)
        for e in range(8):
            s.add(drums.hat(s.rng), s.at(bar, e * 0.5), 0.19 if e % 2 else 0.26, 0.3)
        if bar % 8 == 7:
            _snare_roll(s, bar, 3.0, 0.5)
        if bar % 8 == 0:
            s.add(drums.cymbal(s.rng), s.at(bar), 0.35, -0.2, 0.2)
        # Bass: driving eighths with an octave pop at the end of the bar
        root = ch.bass(36)
        for e in range(8):
            note = root + 12 if e == 7 else root
            s.add(m(music.bass, note, 0.4 * s.beat, 1, cutoff=700.0), s.at(bar, e * 0.5), 0.5)
        # Off-beat chord plucks
        for beat in (0.5, 1.5, 2.5, 3.5):
            for i, note in enumerate(ch.voicing(64)):
                s.add(m(music.pluck_synth, note, 0.3 * s.beat, 20 + i, bright=3000.0, decay=0.15),
                      s.at(bar, beat), 0.13, -0.3 + 0.3 * i, 0.2)
        if phrase == 2:
            for i, note in enumerate(ch.voicing(60)):
                s.add(m(music.pad, note, 4 * s.beat, 30 + i, cutoff=1500.0), s.at(bar), 0.12, 0.0, 0.3)
    for phrase, mel in ((1, mel_a), (2, mel_b), (3, mel_a)):
        _place_melody(s, mel, phrase * 4, lead, 0.16, 0.1, 0.3)
    return s.render(rt60=1.4, verb_gain=0.3), info


# --------------------------------------------------------------------------- 2 lo-fi

def lofi_study() -> tuple[np.ndarray, BedInfo]:
    info = BedInfo("lofi-study", "Late Night Notes", "chill", ("lofi", "hip hop", "study", "relaxed", "cozy"), 85, 8, 202)
    s, m = Session(info.bpm, info.bars, info.seed), Memo()
    prog = [Chord(50, "min9"), Chord(55, "dom9"), Chord(48, "maj9"), Chord(57, "min7")]
    swing = 0.09  # beats: late off-beat 8ths = lazy feel
    mel = music.phrase_melody(s.rng, prog, 60, "major_pent", 72,
                              rhythms=[[(0.0, 1.5), (1.5, 1.0), (3.0, 1.0)], [(0.5, 1.0), (2.0, 2.0)],
                                       [(0.0, 0.5), (0.5 + swing, 1.0), (2.0, 1.5)]])
    for bar in range(info.bars):
        ch = prog[bar % 4]
        for beat in (0.0, 1.5 + swing, 2.5 + swing):
            s.add(drums.kick(s.rng, tune=0.9, punch=0.5), s.at(bar, beat), 0.75 if beat == 0 else 0.55)
        for beat in (1.0, 3.0):
            s.add(music.dsp.lowpass(drums.snare(s.rng, tone_hz=170.0), 5000.0), s.at(bar, beat), 0.6, 0.05, 0.35)
        for e in range(8):
            off = swing if e % 2 else 0.0
            s.add(music.dsp.lowpass(drums.hat(s.rng), 9000.0), s.at(bar, e * 0.5 + off), 0.16 if e % 2 else 0.24, 0.25)
        if bar % 4 == 3:
            s.add(drums.rim(s.rng), s.at(bar, 3.75 + swing / 2), 0.3, -0.2, 0.3)
        # Electric piano: chord on 1, softer re-strike on the "and" of 3
        for beat, g, hold in ((0.0, 0.19, 2.3), (2.5 + swing, 0.11, 1.3)):
            for i, note in enumerate(ch.voicing(62)):
                s.add(m(music.epiano, note, hold * s.beat), s.at(bar, beat) + i * 0.006, g, -0.4 + 0.2 * i, 0.35)
        root = ch.bass(36)
        s.add(m(music.bass, root, 1.6 * s.beat, 3, cutoff=450.0, shape="triangle", sub=0.6), s.at(bar), 0.4)
        s.add(m(music.bass, root + 7, 1.0 * s.beat, 3, cutoff=450.0, shape="triangle", sub=0.6), s.at(bar, 2.5 + swing), 0.33)
    _place_melody(s, mel, 4, lambda n, d: m(music.piano, n, d, int(n), bright=0.4), 0.19, 0.2, 0.4)
    # Vinyl: quiet hiss and sparse crackle across the whole loop (circular by construction)
    hiss = music.dsp.bandpass(s.rng.standard_normal(s.length), 800.0, 6000.0) * 0.006
    crackle = np.zeros(s.length)
    pops = s.rng.integers(0, s.length, size=int(s.duration * 6))
    crackle[pops] = s.rng.uniform(-0.25, 0.25, size=pops.size)
    crackle = music.dsp.bandpass(crackle, 1500.0, 7000.0)
    s.add(np.stack([hiss + crackle, hiss * 0.8 + crackle]), 0.0, 1.0)
    return s.render(rt60=1.2, verb_gain=0.35, master_lowpass=9000.0), info


# --------------------------------------------------------------------------- 3 trap

def night_trap() -> tuple[np.ndarray, BedInfo]:
    info = BedInfo("night-trap", "Midnight Run", "dark", ("trap", "hip hop", "dark", "808", "street"), 140, 16, 303)
    s, m = Session(info.bpm, info.bars, info.seed), Memo()
    prog = [Chord(57, "min"), Chord(53, "maj"), Chord(50, "min"), Chord(52, "maj")]
    mel = music.phrase_melody(s.rng, prog, 57, "harmonic_minor", 76,
                              rhythms=[[(0.0, 0.5), (0.5, 0.5), (1.0, 0.5), (1.5, 0.5), (2.0, 1.0), (3.0, 0.5)],
                                       [(0.0, 0.75), (0.75, 0.75), (1.5, 0.5), (2.0, 0.5), (2.5, 1.5)]],
                              last_long=False)
    bell = lambda n, d: m(music.bell, n, max(d, 0.6))
    for bar in range(info.bars):
        ch = prog[bar % 4]
        phrase = bar // 4
        root = ch.bass(33)
        # 808 + kick pattern
        pattern = [(0.0, 1.5), (1.75, 0.5), (2.5, 1.5)] if bar % 2 == 0 else [(0.0, 1.0), (1.0, 0.5), (2.5, 0.75), (3.25, 0.75)]
        for beat, hold in pattern:
            s.add(m(drums.sub808, root, hold * s.beat), s.at(bar, beat), 0.55)
            s.add(drums.kick(s.rng, tune=1.1, length=0.25), s.at(bar, beat), 0.5)
        # Half-time clap + snare on beat 3
        s.add(drums.clap(s.rng), s.at(bar, 2.0), 0.5, 0.0, 0.3)
        s.add(drums.snare(s.rng, tone_hz=200.0), s.at(bar, 2.0), 0.45)
        # Hats: straight 8ths, rolls at the end of every other bar
        for e in range(8):
            s.add(drums.hat(s.rng), s.at(bar, e * 0.5), 0.23 if e % 2 == 0 else 0.15, 0.25)
        if bar % 2 == 1:
            for k in range(6):  # triplet roll
                s.add(drums.hat(s.rng), s.at(bar, 3.0 + k / 6.0), 0.09 + 0.015 * k, 0.25)
        if bar % 4 == 3:
            s.add(drums.hat(s.rng, open_=True), s.at(bar, 1.5), 0.15, -0.3)
        # Dark pad, one chord per bar
        if phrase >= 1:
            for i, note in enumerate(ch.voicing(60)):
                s.add(m(music.pad, note, 4 * s.beat, 40 + i, cutoff=1400.0, attack=0.2), s.at(bar), 0.13, 0.0, 0.3)
        if bar % 8 == 0:
            s.add(drums.cymbal(s.rng, 2.0), s.at(bar), 0.25, 0.3, 0.2)
    for phrase in (0, 2, 3):
        _place_melody(s, mel, phrase * 4, bell, 0.16 if phrase else 0.1, -0.15, 0.4)
    return s.render(rt60=1.6, verb_gain=0.3, low_shelf_db=-7.0), info


# --------------------------------------------------------------------------- 4 cinematic

def epic_rise() -> tuple[np.ndarray, BedInfo]:
    info = BedInfo("epic-rise", "Rise of Giants", "epic", ("cinematic", "epic", "trailer", "dramatic", "orchestral"), 90, 8, 404)
    s, m = Session(info.bpm, info.bars, info.seed), Memo()
    prog = [Chord(50, "min"), Chord(46, "maj"), Chord(53, "maj"), Chord(48, "maj")]
    mel = music.phrase_melody(s.rng, prog, 50, "minor", 65,
                              rhythms=[[(0.0, 2.0), (2.0, 1.0), (3.0, 1.0)], [(0.0, 3.0), (3.0, 1.0)], [(0.0, 4.0)]])
    for bar in range(info.bars):
        ch = prog[bar % 4]
        phrase = bar // 4
        for i, note in enumerate(ch.voicing(60)):
            s.add(m(music.strings, note, 4 * s.beat, 50 + i, attack=0.35, cutoff=3500.0), s.at(bar), 0.16, 0.0, 0.5)
        # Spiccato ostinato in 8ths: root, octave, fifth shapes
        root = ch.bass(38)
        for e, iv in enumerate((0, 12, 7, 12, 0, 12, 7, 15 if ch.quality == "min" else 16)):
            s.add(m(music.pluck_synth, root + iv, 0.35 * s.beat, 60, bright=3000.0, dark=600.0, decay=0.12),
                  s.at(bar, e * 0.5), 0.2 if e % 2 == 0 else 0.13, -0.25, 0.35)
        s.add(m(music.bass, ch.bass(26), 3.8 * s.beat, 61, cutoff=300.0, shape="saw"), s.at(bar), 0.24)
        # Taiko on 1 and 3, smaller drums on 2 and 4; second phrase doubles up
        for beat in (0.0, 2.0):
            s.add(drums.taiko(s.rng), s.at(bar, beat), 0.8, 0.0, 0.5)
        for beat in (1.0, 3.0):
            s.add(drums.tom(s.rng, 120.0), s.at(bar, beat), 0.45, 0.2, 0.5)
        if phrase == 1:
            for beat in (1.5, 2.5, 3.5):
                s.add(drums.tom(s.rng, 160.0, 0.3), s.at(bar, beat), 0.28, -0.25, 0.5)
        if bar == info.bars - 1:
            for k in range(8):  # tom fill into the loop point
                s.add(drums.tom(s.rng, 180.0 - 12 * k, 0.3), s.at(bar, 2.0 + k * 0.25), 0.35 + 0.04 * k, -0.3 + 0.08 * k, 0.5)
    brass = lambda n, d: m(music.brass, n, d, 70)
    _place_melody(s, mel, 4, brass, 0.26, 0.1, 0.6)
    # Reverse cymbal swelling into the downbeat of the loop
    swell = drums.cymbal(s.rng, 2.0)[::-1].copy()
    s.add(swell, s.duration - swell.size / SR, 0.3, 0.0, 0.3)
    return s.render(rt60=2.4, verb_gain=0.45, presence_db=6.0), info


# --------------------------------------------------------------------------- 5 acoustic

def porch_acoustic() -> tuple[np.ndarray, BedInfo]:
    info = BedInfo("porch-acoustic", "Front Porch", "warm", ("acoustic", "guitar", "folk", "happy", "travel"), 100, 12, 505)
    s, m = Session(info.bpm, info.bars, info.seed), Memo()
    prog = [Chord(55, "maj"), Chord(50, "maj"), Chord(52, "min"), Chord(48, "maj")]
    voicings = {55: [43, 47, 50, 55, 59, 67], 50: [50, 57, 62, 66], 52: [40, 47, 52, 55, 59, 64], 48: [48, 52, 55, 60, 64]}
    mel = music.phrase_melody(s.rng, prog, 55, "major_pent", 79,
                              rhythms=[[(0.0, 1.0), (1.0, 0.5), (1.5, 1.5), (3.0, 1.0)], [(0.5, 0.5), (1.0, 1.0), (2.0, 2.0)],
                                       [(0.0, 1.5), (1.5, 0.5), (2.0, 2.0)]])
    strokes = [(0.0, True), (1.0, True), (1.5, False), (2.5, False), (3.0, True), (3.5, False)]
    for bar in range(info.bars):
        ch = prog[bar % 4]
        for beat, down in strokes:
            music.strum(s, voicings[ch.root], s.at(bar, beat), down, 1.2 if down else 0.6,
                        0.2 if beat in (0.0, 3.0) else 0.15, s.rng)
        root = ch.bass(40)
        for beat, iv in ((0.0, 0), (2.0, 7)):
            s.add(music.guitar(root + iv - 12 if root + iv - 12 >= 38 else root + iv, 1.0, s.rng, 0.35, 1.5),
                  s.at(bar, beat), 0.55, 0.0, 0.1)
        # Cajon-style percussion: low thump on 1 and 3, slap on 2 and 4, soft shaker
        for beat in (0.0, 2.0):
            s.add(drums.kick(s.rng, tune=0.8, length=0.3, punch=0.3), s.at(bar, beat), 0.7)
        for beat in (1.0, 3.0):
            s.add(music.dsp.lowpass(drums.snare(s.rng, tone_hz=220.0, snappy=0.5), 6000.0), s.at(bar, beat), 0.35, 0.1, 0.3)
        for e in range(8):
            s.add(drums.shaker(s.rng), s.at(bar, e * 0.5), 0.22 if e % 2 == 0 else 0.13, 0.4)
    whistle = lambda n, d: m(music.lead, n, d, 9, shape="sine", vibrato=18.0, release=0.2)
    for phrase in (1, 2):
        _place_melody(s, mel, phrase * 4, whistle, 0.14, -0.1, 0.4)
    return s.render(rt60=1.3, verb_gain=0.3, low_shelf_db=-4.0, presence_db=1.5), info


# --------------------------------------------------------------------------- 6 electronic

def neon_drive() -> tuple[np.ndarray, BedInfo]:
    info = BedInfo("neon-drive", "Neon Drive", "energetic", ("electronic", "edm", "dance", "house", "workout"), 128, 16, 606)
    s, m = Session(info.bpm, info.bars, info.seed), Memo()
    prog = [Chord(53, "min"), Chord(49, "maj"), Chord(56, "maj"), Chord(51, "maj")]
    mel = music.phrase_melody(s.rng, prog, 53, "minor", 77,
                              rhythms=[[(0.0, 0.5), (0.5, 0.5), (1.0, 0.5), (1.5, 1.0), (2.5, 0.5), (3.0, 1.0)],
                                       [(0.0, 1.5), (1.5, 1.5), (3.0, 1.0)]])
    for bar in range(info.bars):
        ch = prog[bar % 4]
        phrase = bar // 4
        for beat in range(4):
            s.add(drums.kick(s.rng, punch=1.2), s.at(bar, beat), 0.75)
            s.add(drums.hat(s.rng, open_=True, length=0.2), s.at(bar, beat + 0.5), 0.17, 0.2)
        if phrase >= 1:
            for beat in (1.0, 3.0):
                s.add(drums.clap(s.rng), s.at(bar, beat), 0.5, 0.0, 0.3)
        if phrase >= 2:
            for k in range(16):
                if k % 4:
                    s.add(drums.hat(s.rng), s.at(bar, k * 0.25), 0.08, -0.3)
        if bar == info.bars - 1 or bar == 7:
            _snare_roll(s, bar, 2.0, 0.45, 0.25 if bar == 7 else 0.125)
        if bar % 8 == 0:
            s.add(drums.cymbal(s.rng), s.at(bar), 0.3, 0.0, 0.3)
        root = ch.bass(29)
        for beat in (0.5, 1.5, 2.5, 3.5):
            s.add(m(music.bass, root, 0.45 * s.beat, 5, cutoff=900.0, sub=0.4), s.at(bar, beat), 0.45, 0.0, 0.0, "duck")
        for i, note in enumerate(ch.voicing(63)):
            s.add(m(music.pad, note, 4 * s.beat, 80 + i, cutoff=2600.0, attack=0.05, release=0.3),
                  s.at(bar), 0.12, 0.0, 0.3, "duck")
        if phrase in (1, 3):
            arp = ch.voicing(70) + [ch.voicing(70)[0] + 12]
            for k in range(16):
                note = arp[k % len(arp)]
                s.add(m(music.pluck_synth, note, 0.2 * s.beat, 90, bright=4000.0, decay=0.1),
                      s.at(bar, k * 0.25), 0.09, 0.35 if k % 2 else -0.35, 0.3)
    lead = lambda n, d: m(music.lead, n, d, 95, shape="saw", cutoff=3000.0, vibrato=8.0)
    _place_melody(s, mel, 12, lead, 0.12, 0.0, 0.4)
    return s.render(rt60=1.5, verb_gain=0.3, ducking={"duck": s.pump(0.55, 0.5)}, low_shelf_db=-8.0), info


# --------------------------------------------------------------------------- 7 funk

def funk_strut() -> tuple[np.ndarray, BedInfo]:
    info = BedInfo("funk-strut", "Strut It", "groovy", ("funk", "groovy", "disco", "fashion", "dance"), 110, 12, 707)
    s, m = Session(info.bpm, info.bars, info.seed), Memo()
    prog = [Chord(52, "min7"), Chord(52, "min7"), Chord(57, "dom9"), Chord(57, "dom9")]
    for bar in range(info.bars):
        ch = prog[bar % 4]
        phrase = bar // 4
        for beat in (0.0, 0.75, 2.5) + ((3.25,) if bar % 2 else ()):
            s.add(drums.kick(s.rng, length=0.3), s.at(bar, beat), 0.8)
        for beat in (1.0, 3.0):
            s.add(drums.snare(s.rng), s.at(bar, beat), 0.65, 0.05, 0.25)
        for beat in (1.75, 2.25, 3.75):
            s.add(drums.snare(s.rng, snappy=0.4), s.at(bar, beat), 0.12, 0.05)
        for k in range(16):
            s.add(drums.hat(s.rng), s.at(bar, k * 0.25), 0.18 if k % 2 == 0 else 0.08, 0.3)
        r = ch.bass(28)
        riff = [(0.0, 0, 0.5), (0.75, 0, 0.2), (1.0, 12, 0.2), (1.5, 10, 0.3), (2.0, 0, 0.4),
                (2.75, 7, 0.2), (3.0, 12, 0.2), (3.5, 10, 0.2)]
        for beat, iv, hold in riff:
            s.add(m(music.bass, r + iv, hold * s.beat, 11, cutoff=1400.0, shape="saw", sub=0.3), s.at(bar, beat), 0.5)
        for beat in (0.5, 1.25, 2.5, 3.0, 3.5) if bar % 2 else (0.5, 1.5, 2.25, 3.5):
            for i, note in enumerate(ch.voicing(64)):
                s.add(m(music.clav, note, 0.15 * s.beat, 12 + i), s.at(bar, beat), 0.12, 0.35 - 0.1 * i, 0.15)
        if bar % 4 == 3:  # horn stabs close each phrase
            for beat, hold in ((2.5, 0.3), (3.0, 0.3), (3.5, 0.5)):
                for i, note in enumerate(ch.voicing(67)[:3]):
                    s.add(m(music.brass, note, hold * s.beat, 14 + i), s.at(bar, beat), 0.12, -0.3 + 0.3 * i, 0.3)
        if phrase == 1:
            for i, note in enumerate(ch.voicing(57)):
                s.add(m(music.pad, note, 4 * s.beat, 16 + i, cutoff=1300.0), s.at(bar), 0.06, 0.0, 0.3)
    riff_notes = [(0.0, 0.5, 71), (0.5, 0.5, 74), (1.0, 0.25, 76), (1.5, 1.0, 74), (2.5, 0.5, 71), (3.0, 1.0, 69)]
    lead = lambda n, d: m(music.lead, n, d, 17, shape="square", cutoff=1800.0, vibrato=12.0)
    for bar in (8, 10):
        _place_melody(s, riff_notes, bar, lead, 0.13, 0.15, 0.3)
    return s.render(rt60=1.0, verb_gain=0.25, low_shelf_db=-7.0), info


# --------------------------------------------------------------------------- 8 calm

def still_water() -> tuple[np.ndarray, BedInfo]:
    info = BedInfo("still-water", "Still Water", "calm", ("calm", "ambient", "piano", "peaceful", "meditation"), 70, 8, 808)
    s, m = Session(info.bpm, info.bars, info.seed), Memo()
    prog = [Chord(50, "maj7"), Chord(59, "min7"), Chord(55, "maj7"), Chord(57, "sus4")]
    mel = music.phrase_melody(s.rng, prog, 62, "major", 76,
                              rhythms=[[(0.0, 2.0), (2.0, 2.0)], [(0.0, 1.0), (1.0, 1.0), (2.0, 2.0)], [(0.0, 3.0), (3.0, 1.0)]])
    for bar in range(info.bars):
        ch = prog[bar % 4]
        for i, note in enumerate(ch.voicing(62)):
            s.add(m(music.pad, note, 4 * s.beat, 100 + i, cutoff=1800.0, attack=0.8, release=1.5), s.at(bar), 0.1, 0.0, 0.5)
        # Piano arpeggio in quarter notes (keeps the pulse on the beat)
        arp = [ch.bass(50)] + ch.voicing(64)[1:]
        for beat in range(4):
            note = arp[beat % len(arp)]
            s.add(m(music.piano, note, 1.5 * s.beat, int(note), bright=1.0), s.at(bar, beat),
                  0.22 if beat == 0 else 0.16, -0.2 + 0.1 * beat, 0.45)
        s.add(m(music.bass, ch.bass(38), 3.8 * s.beat, 101, cutoff=400.0, shape="triangle", sub=0.6), s.at(bar), 0.22)
        for beat in (0.0, 2.0):
            s.add(drums.kick(s.rng, tune=0.85, length=0.4, punch=0.2), s.at(bar, beat), 0.38)
        for beat in (1.0, 3.0):
            s.add(drums.rim(s.rng), s.at(bar, beat), 0.2, 0.15, 0.4)
        for beat in range(4):
            s.add(drums.shaker(s.rng), s.at(bar, beat), 0.16, -0.35, 0.3)
    piano = lambda n, d: m(music.piano, n, d, int(n) + 1, bright=1.0)
    _place_melody(s, mel, 4, piano, 0.26, 0.15, 0.5)
    return s.render(rt60=2.2, verb_gain=0.45, presence_db=6.0), info


BEDS: list[Callable[[], tuple[np.ndarray, BedInfo]]] = [
    sunny_pop, lofi_study, night_trap, epic_rise, porch_acoustic, neon_drive, funk_strut, still_water,
]
