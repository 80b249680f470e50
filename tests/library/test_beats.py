"""The beat tracker measures tempo and beats from the audio itself: the library's beds imported as
plain files and generated bands with a known grid come out within 2 % of their tempo, with most
beats within 70 ms of the true ones (phase right, not only the period)."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from scipy import signal

from studio.library.beats import track_beats
from studio.library.paths import assets_dir
from studio.library_listing import import_sound

SOUNDS = assets_dir() / "sounds"
BEDS = [e for e in json.loads((SOUNDS / "library.json").read_text(encoding="utf-8"))["sounds"] if e["kind"] == "music"]


def _error(measured: float | None, true: float) -> float:
    assert measured is not None, "no tempo found"
    return abs(measured - true) / true


@pytest.mark.parametrize("bed", BEDS, ids=[e["id"] for e in BEDS])
def test_library_beds_imported_as_plain_files_measure_their_tempo(bed, tmp_path, music):
    """The beds' manifest tempo and grid are the truth; the import sees only a copied file."""
    copy = tmp_path / f"upload {bed['id']}.ogg"
    shutil.copyfile(SOUNDS / bed["file"], copy)
    sound = import_sound(copy)
    assert sound.id != bed["id"] and sound.user
    assert _error(sound.bpm, bed["bpm"]) <= 0.02, f"{bed['id']}: {sound.bpm} BPM, labelled {bed['bpm']}"
    precision, recall = music.hits(sound.beats, bed["beats"])
    assert precision >= 0.85, f"{bed['id']}: only {precision:.0%} of beats within 70 ms"
    assert recall >= 0.7, f"{bed['id']}: only {recall:.0%} of the grid found"


GENERATED = [(84, "hiphop", 0.2), (100, "pop", 0.0), (128, "house", 0.0), (150, "rock", 0.0)]


@pytest.mark.parametrize("bpm,style,swing", GENERATED, ids=[f"{b}-{s}" for b, s, _ in GENERATED])
@pytest.mark.parametrize("rate", [44100, 48000])
def test_generated_music_tempo_and_beat_phase(bpm, style, swing, rate, music):
    """Drums, bass and chords, humanised (6 ms), swung where hip-hop is, over noise at -30 dB, the
    first beat at an odd time so the phase has to be found."""
    samples, truth = music.make(bpm, 20.0, style=style, seed=bpm + rate, rate=rate, offset=0.37, swing=swing,
                                noise_db=-30.0)
    track = track_beats(samples, rate)
    assert _error(track.bpm, bpm) <= 0.02, f"{style} at {bpm}: measured {track.bpm}"
    precision, recall = music.hits(track.beats, truth)
    assert precision >= 0.9 and recall >= 0.85, f"{style} at {bpm}: {precision:.0%} / {recall:.0%}"
    beats = np.asarray(track.beats)
    offsets = beats - truth[np.abs(beats[:, None] - truth[None, :]).argmin(axis=1)]
    assert abs(float(np.median(offsets))) < 0.03


def test_music_without_drums_is_tracked(music):
    samples, truth = music.make(112, 20.0, seed=3, drums=False, offset=0.6)
    track = track_beats(samples, 44100)
    assert _error(track.bpm, 112) <= 0.02
    assert music.hits(track.beats, truth)[0] >= 0.9


def test_phase_check_can_fail(music):
    """The 70 ms check tells on-beat from off-beat: the same beats against the grid moved by half a
    beat score (almost) nothing."""
    samples, truth = music.make(100, 20.0, style="pop", seed=11, offset=0.2)
    track = track_beats(samples, 44100)
    assert music.hits(track.beats, truth)[0] >= 0.9
    assert music.hits(track.beats, truth + 0.3)[0] <= 0.1


def test_tempo_is_measured_not_looked_up(tmp_path, music):
    """A bed played 6 % faster is measured at the new tempo, and its beats follow it."""
    bed = next(e for e in BEDS if e["bpm"] == 100)
    from studio.media.audio import load_audio

    mono = load_audio(SOUNDS / bed["file"], 44100).mean(axis=1)
    faster = signal.resample_poly(mono, 50, 53).astype(np.float32)  # 6 % shorter at the same rate
    sound = import_sound(music.write_wav(tmp_path / f"{bed['id']}.wav", faster))
    assert _error(sound.bpm, bed["bpm"] * 1.06) <= 0.01
    assert _error(sound.bpm, bed["bpm"]) > 0.04
    assert music.hits(sound.beats, np.asarray(bed["beats"]) / 1.06)[0] >= 0.85


def test_no_steady_beat_gives_no_tempo(music):
    rng = np.random.default_rng(0)
    rate = 22050
    t = np.arange(20 * rate) / rate
    speechlike = np.zeros_like(t)
    pos = 0
    while pos < len(t):  # syllables of random length and pitch at random gaps
        n = int(rng.uniform(0.08, 0.4) * rate)
        seg = np.sin(2 * np.pi * rng.uniform(100, 300) * np.arange(n) / rate) * np.hanning(n) * rng.uniform(0.2, 1)
        speechlike[pos:pos + n] += seg[:len(t) - pos]
        pos += n + int(rng.exponential(0.15) * rate)
    for name, x in {"noise": 0.1 * rng.standard_normal(len(t)), "tone": 0.3 * np.sin(2 * np.pi * 440 * t),
                    "silence": np.zeros_like(t), "speech-like": speechlike}.items():
        track = track_beats(x.astype(np.float32), rate)
        assert track.bpm is None and track.beats == (), name
    short, _ = music.make(120, 3.0)
    assert track_beats(short, 44100).bpm is None


def test_sample_layouts_and_rates_agree(music):
    samples, _ = music.make(128, 16.0, style="house", seed=5, rate=48000)
    mono = track_beats(samples, 48000)
    stereo = track_beats(np.stack([samples, samples], axis=1), 48000)
    planar = track_beats(np.stack([samples, samples]), 48000)
    low = track_beats(signal.resample_poly(samples, 147, 320).astype(np.float32), 22050)
    assert mono.bpm == stereo.bpm == planar.bpm
    assert _error(low.bpm, mono.bpm) <= 0.005
    assert np.allclose(mono.beats[:20], low.beats[:20], atol=0.03)


def test_tempo_fit_counts_skipped_beats_and_survives_a_phase_jump():
    from studio.library.beats import _fit_bpm

    grid = 0.1 + 0.5 * np.arange(24)
    assert _fit_bpm(grid, 0.0) == pytest.approx(120.0, abs=1e-6)
    assert _fit_bpm(np.delete(grid, [5, 11]), 0.0) == pytest.approx(120.0, abs=1e-6)  # missed beats
    jumped = np.concatenate([grid[:10], grid[10:] + 0.25])  # the chain moved onto the off-beats
    assert _fit_bpm(jumped, 0.0) == pytest.approx(120.0, abs=1e-6)
    assert _fit_bpm(grid * 1.02, 0.0) == pytest.approx(120.0 / 1.02, abs=1e-6)
