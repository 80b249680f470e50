"""Built-in sound library: the manifest, the encoded audio it points at, and the loader.

Audio checks decode the real files with PyAV (once per file, module-scoped) and
measure them: duration, loudness, peaks, tempo from the audio itself, loop seam,
and spectral sanity (no aliasing hash above 16 kHz, musical brightness, a
bass/presence balance that carries on phone speakers).
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import av
import numpy as np
import pyloudnorm
import pytest
from scipy import ndimage, signal

from studio.library.errors import LibraryError
from studio.library.paths import assets_dir
from studio.library.sounds import Sound, SoundLibrary, get_sound, list_sounds, search_sounds

SR = 48000
SOUNDS_DIR = assets_dir() / "sounds"


# --------------------------------------------------------------------------- helpers

def decode(path: Path) -> np.ndarray:
    """(2, n) float64 at 48 kHz."""
    chunks = []
    with av.open(str(path)) as f:
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=SR)
        for frame in f.decode(audio=0):
            chunks.extend(o.to_ndarray() for o in resampler.resample(frame))
        chunks.extend(o.to_ndarray() for o in resampler.resample(None))
    return np.concatenate(chunks, axis=1).astype(np.float64)


def onset_strength(mono: np.ndarray, hop: int = 240, n_fft: int = 2048) -> tuple[np.ndarray, float]:
    """Spectral-flux onset envelope: log-compressed magnitude spectrogram, summed
    positive change per frame, local mean removed. Returns (envelope, frames/s)."""
    n = 1 + (mono.size - n_fft) // hop
    idx = np.arange(n_fft)[None, :] + hop * np.arange(n)[:, None]
    spec = np.abs(np.fft.rfft(mono[idx] * np.hanning(n_fft), axis=1))
    spec = np.log1p(1000.0 * spec / (spec.max() + 1e-12))
    flux = np.maximum(0.0, np.diff(spec, axis=0)).sum(axis=1)
    fps = SR / hop
    flux -= ndimage.uniform_filter1d(flux, int(fps * 0.5))
    return np.maximum(flux, 0.0), fps


def estimate_bpm(mono: np.ndarray, lo: float = 60.0, hi: float = 180.0, centre: float = 110.0) -> float:
    """Comb filter over the onset autocorrelation: a tempo scores the mean
    autocorrelation at 1..8 beat periods (so a double-time candidate is punished
    when the off-beats are weaker), times a broad log-Gaussian prior around
    `centre` BPM that settles half-time ties. 0.05 BPM grid with interpolated
    lags, so the estimate is not quantised to whole frames."""
    env, fps = onset_strength(mono)
    e = env - env.mean()
    spec = np.fft.rfft(e, 2 * e.size)
    ac = np.fft.irfft(spec * np.conj(spec))[: e.size]
    ac /= ac[0]
    bpms = np.arange(lo, hi + 1e-9, 0.05)
    lags = 60.0 * fps / bpms
    comb = sum(np.interp(k * lags, np.arange(ac.size), ac) for k in range(1, 9)) / 8.0
    prior = np.exp(-0.5 * np.log2(bpms / centre) ** 2)
    return float(bpms[np.argmax(np.maximum(comb, 0.0) * prior)])


def lufs(x: np.ndarray) -> float:
    need = int(0.41 * SR)
    if x.shape[1] < need:
        x = np.pad(x, ((0, 0), (0, need - x.shape[1])))
    return float(pyloudnorm.Meter(SR).integrated_loudness(x.T))


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def manifest() -> list[dict]:
    return json.loads((SOUNDS_DIR / "library.json").read_text(encoding="utf-8"))["sounds"]


@pytest.fixture(scope="module")
def audio(manifest) -> dict[str, np.ndarray]:
    return {e["id"]: decode(SOUNDS_DIR / e["file"]) for e in manifest}


@pytest.fixture(scope="module")
def music(manifest) -> list[dict]:
    return [e for e in manifest if e["kind"] == "music"]


# --------------------------------------------------------------------------- manifest + files

def test_library_has_enough_music_and_effects(manifest):
    kinds = [e["kind"] for e in manifest]
    assert len(manifest) >= 16
    assert kinds.count("music") >= 8
    assert kinds.count("effect") >= 8
    assert len({e["id"] for e in manifest}) == len(manifest)
    assert len({e["bpm"] for e in manifest if e["kind"] == "music"}) >= 6, "beds should span different tempos"


def test_entries_are_cc0_with_licence_file(manifest):
    for e in manifest:
        assert e["licence"] == "CC0-1.0" and e["artist"] == "Studio", e["id"]
        assert e["mood"] and e["tags"], e["id"]
    text = (SOUNDS_DIR / "LICENSE.md").read_text(encoding="utf-8")
    assert "CC0" in text and "tools/gen_sounds" in text


def test_every_file_decodes_to_its_stated_duration(manifest, audio):
    for e in manifest:
        got = audio[e["id"]].shape[1] / SR
        assert abs(got - e["duration"]) <= 0.5, f"{e['id']}: decoded {got:.2f}s, manifest {e['duration']}"
        if e["kind"] == "music":
            assert 15.0 <= got <= 60.0, e["id"]
        else:
            assert 0.3 <= got <= 4.0, e["id"]


def test_files_are_compressed_and_small(manifest):
    total = 0
    for e in manifest:
        path = SOUNDS_DIR / e["file"]
        with av.open(str(path)) as f:
            stream = f.streams.audio[0]
            assert stream.codec_context.name in ("opus", "libopus", "aac"), e["id"]
            assert stream.rate == SR and stream.channels == 2, e["id"]
        total += path.stat().st_size
        if e["kind"] == "music":
            kbps = path.stat().st_size * 8 / e["duration"] / 1000
            assert kbps < 140, f"{e['id']}: {kbps:.0f} kb/s"
    assert total < 6_000_000


def test_loudness_is_normalised_with_headroom(manifest, audio):
    for e in manifest:
        x = audio[e["id"]]
        level = lufs(x)
        peak_db = 20 * np.log10(np.max(np.abs(x)))
        assert abs(level - (-16.0)) <= 1.0, f"{e['id']}: {level:.2f} LUFS"
        assert peak_db <= -1.0, f"{e['id']}: peak {peak_db:.2f} dBFS"
        assert peak_db > -20.0, f"{e['id']}: suspiciously quiet"


def test_effects_start_promptly_and_have_no_dead_tail(manifest, audio):
    for e in manifest:
        if e["kind"] != "effect":
            continue
        mono = audio[e["id"]].mean(axis=0)
        frame = int(0.05 * SR)
        rms = np.sqrt(np.mean(mono[: mono.size // frame * frame].reshape(-1, frame) ** 2, axis=1))
        audible = np.flatnonzero(rms > 10 ** (-50 / 20))
        assert audible.size, f"{e['id']}: silent"
        assert audible[0] * 0.05 < 0.2, f"{e['id']}: nothing audible in the first 0.2 s"
        dead_tail = mono.size / SR - (audible[-1] + 1) * 0.05
        assert dead_tail < 0.3, f"{e['id']}: {dead_tail:.2f}s of silence at the end"


# --------------------------------------------------------------------------- music structure

def test_beats_are_an_even_grid_at_the_labelled_tempo(music):
    for e in music:
        beats = np.array(e["beats"])
        step = 60.0 / e["bpm"]
        assert beats[0] == 0.0
        assert np.allclose(np.diff(beats), step, atol=0.0011), e["id"]
        # whole bars of 4/4 that fill the file exactly: that is what makes it loop
        assert len(beats) % 4 == 0, e["id"]
        assert abs(len(beats) * step - e["duration"]) < 0.01, e["id"]


def test_measured_tempo_matches_label(music, audio):
    for e in music:
        bpm = estimate_bpm(audio[e["id"]].mean(axis=0))
        assert abs(bpm - e["bpm"]) <= 2.0, f"{e['id']}: measured {bpm:.1f} BPM, labelled {e['bpm']}"


def test_tempo_check_catches_a_mislabelled_bed(music, audio):
    """The estimator must be able to fail: a bed sped up by 6% no longer matches
    its label, and is measured at the new tempo."""
    e = next(x for x in music if x["bpm"] == 120) if any(x["bpm"] == 120 for x in music) else music[0]
    stretched = signal.resample_poly(audio[e["id"]].mean(axis=0), 100, 106)
    bpm = estimate_bpm(stretched)
    assert abs(bpm - e["bpm"]) > 2.0
    assert abs(bpm - e["bpm"] * 1.06) <= 2.0


def test_music_loops_without_a_seam(music, audio):
    q = int(0.25 * SR)
    for e in music:
        x = audio[e["id"]]
        head = np.sqrt(np.mean(x[:, :q] ** 2))
        tail = np.sqrt(np.mean(x[:, -q:] ** 2))
        whole = np.sqrt(np.mean(x ** 2))
        # both ends are playing music (no fade-in, no fade-out): within 20 dB of the whole
        assert head > whole * 0.1 and tail > whole * 0.1, f"{e['id']}: head {head:.3f} tail {tail:.3f} rms {whole:.3f}"
        # the jump from last sample to first is an ordinary sample-to-sample step
        step = np.abs(np.diff(x, axis=1))
        seam = np.max(np.abs(x[:, 0] - x[:, -1]))
        assert seam <= np.percentile(step, 99.5), f"{e['id']}: seam {seam:.4f}"


def test_music_spectrum_is_clean_and_musical(music, audio):
    """Objective stand-in for listening: almost no energy above 16 kHz (aliasing
    shows up there as hash), a spectral centroid in a musical range (median of
    per-frame magnitude-weighted centroids, the usual definition), and a crest
    factor that is neither squashed flat nor all spikes."""
    for e in music:
        mono = audio[e["id"]].mean(axis=0)
        f, p = signal.welch(mono, SR, nperseg=4096)
        above = p[f > 16000].sum() / p.sum()
        f, _, z = signal.stft(mono, SR, nperseg=2048)
        mag = np.abs(z)
        centroid = float(np.median((f[:, None] * mag).sum(axis=0) / (mag.sum(axis=0) + 1e-12)))
        crest_db = 20 * np.log10(np.max(np.abs(mono)) / np.sqrt(np.mean(mono ** 2)))
        assert above < 1e-4, f"{e['id']}: {above:.2e} of energy above 16 kHz"
        assert 500.0 < centroid < 5000.0, f"{e['id']}: centroid {centroid:.0f} Hz"
        assert 6.0 < crest_db < 20.0, f"{e['id']}: crest {crest_db:.1f} dB"


def band_balance(mono: np.ndarray) -> tuple[float, float]:
    """(share of energy below 120 Hz, 2-6 kHz band level in dB relative to the
    whole), from a Welch power spectrum of the mono mix."""
    f, p = signal.welch(mono, SR, nperseg=8192)
    total = p.sum()
    low = p[f < 120.0].sum() / total
    presence_db = 10 * np.log10(p[(f >= 2000.0) & (f < 6000.0)].sum() / total)
    return float(low), float(presence_db)


def test_music_is_balanced_for_phone_speakers(music, audio):
    """Shorts are heard on phones, which roll off below ~150 Hz and are most
    sensitive around 2-6 kHz. At a fixed -16 LUFS, a bed whose energy is
    mostly sub bass plays back thin and quiet there, and a dark one loses its
    chords and melody. So: at most half the energy below 120 Hz, and the
    presence band within 15 dB of the overall level (but not so hot that it
    turns harsh)."""
    for e in music:
        low, presence_db = band_balance(audio[e["id"]].mean(axis=0))
        assert low <= 0.5, f"{e['id']}: {low:.0%} of energy below 120 Hz (bass-heavy on a phone)"
        assert -15.0 <= presence_db <= -5.0, f"{e['id']}: 2-6 kHz band {presence_db:.1f} dB re overall"


def test_balance_check_catches_a_bass_heavy_dark_mix(music, audio):
    """The balance check must be able to fail: the same bed with its sub
    boosted 12 dB and its top rolled off above 1.5 kHz reads as bass-heavy and dark."""
    mono = audio[music[0]["id"]].mean(axis=0)
    sub = signal.sosfilt(signal.butter(2, 120.0, "low", fs=SR, output="sos"), mono)
    dark = signal.sosfilt(signal.butter(4, 1500.0, "low", fs=SR, output="sos"), mono + 3.0 * sub)
    low, presence_db = band_balance(dark)
    assert low > 0.5 and presence_db < -15.0


# --------------------------------------------------------------------------- loader

def test_loader_matches_manifest(manifest):
    sounds = list_sounds()
    assert [s.id for s in sounds] == [e["id"] for e in manifest]
    music = list_sounds("music")
    assert music and all(s.kind == "music" and s.bpm and s.beats for s in music)
    effects = list_sounds("effect")
    assert effects and all(s.bpm is None for s in effects)
    s = get_sound(manifest[0]["id"])
    assert isinstance(s, Sound) and s.path.is_file() and s.path.parent == SOUNDS_DIR
    assert isinstance(s.tags, tuple) and isinstance(s.beats, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.title = "x"  # type: ignore[misc]


def test_unknown_sound_and_kind():
    with pytest.raises(LibraryError, match=r"unknown sound 'nope'; try `studio library sounds`"):
        get_sound("nope")
    with pytest.raises(LibraryError, match="kind"):
        list_sounds("podcast")


def test_search_by_words_and_tempo(music):
    assert {s.id for s in search_sounds("lofi")} == {"lofi-study"}
    assert "still-water" in {s.id for s in search_sounds("Calm")}
    assert all(s.kind == "effect" for s in search_sounds("transition"))
    hits = search_sounds("120bpm")
    assert hits and hits[0].bpm == 120 and all(abs(s.bpm - 120) <= 5 for s in hits)
    assert [s.id for s in search_sounds("128")] == [s.id for s in search_sounds("128 BPM")]
    assert {s.id for s in search_sounds("125")} == {e["id"] for e in music if abs(e["bpm"] - 125) <= 5}
    assert search_sounds("no such thing") == []


def test_missing_and_corrupt_manifest_name_the_file(tmp_path, monkeypatch):
    with pytest.raises(LibraryError, match=r"library\.json"):
        SoundLibrary(tmp_path)
    (tmp_path / "library.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(LibraryError, match=r"library\.json: cannot read sound manifest"):
        SoundLibrary(tmp_path)
    (tmp_path / "library.json").write_text(json.dumps({"sounds": [{"id": "a"}]}), encoding="utf-8")
    with pytest.raises(LibraryError, match=r"library\.json"):
        SoundLibrary(tmp_path)


def test_assets_env_override(tmp_path, monkeypatch, manifest):
    (tmp_path / "sounds").mkdir()
    shutil.copy(SOUNDS_DIR / "library.json", tmp_path / "sounds" / "library.json")
    monkeypatch.setenv("STUDIO_ASSETS", str(tmp_path))
    s = get_sound(manifest[0]["id"])
    assert s.path == tmp_path / "sounds" / manifest[0]["file"]
