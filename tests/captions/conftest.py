"""Fixtures of the captions tests: spoken test audio with known word times (made once per session
with eSpeak NG, see spoken.py), as a WAV, a talking video and with music under it."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from spoken import SCRIPT, Espeak, Flite, espeak_or_none, flite_or_none, resampled, with_music, write_talking_video, write_wav

MUSIC = "sunny-pop"  # a full mix (drums, bass, chords) from the library, 10 dB under the voice


@pytest.fixture(autouse=True)
def private_user_data(tmp_path_factory, monkeypatch) -> Path:
    """No test looks at (or writes to) the real user's data, such as a downloaded Whisper model."""
    folder = tmp_path_factory.mktemp("user-data")
    monkeypatch.setenv("STUDIO_USER_DATA", str(folder))
    monkeypatch.delenv("STUDIO_WHISPER_MODEL", raising=False)
    return folder


@pytest.fixture(scope="session")
def espeak() -> Espeak:
    engine = espeak_or_none()
    if engine is None:
        pytest.skip("espeak-ng is not installed (./setup.sh installs it)")
    return engine


@pytest.fixture(scope="session")
def talk(espeak, tmp_path_factory) -> SimpleNamespace:
    """SCRIPT spoken (US voice, 165 words a minute): `speech` (22.05 kHz, word starts known),
    `samples16k`, `wav`, `video` (a portrait clip with it as its sound), `with_music` (16 kHz
    samples with the library's MUSIC 10 dB under the voice)."""
    from studio.captions.audio import media_speech
    from studio.library.sounds import get_sound

    folder = tmp_path_factory.mktemp("talk")
    speech = espeak.speech(SCRIPT, "en-us", 165)
    samples = resampled(speech.samples, speech.rate, 16000)
    at16k = type(speech)(samples, 16000, speech.words, speech.text)
    music = with_music(at16k, media_speech(get_sound(MUSIC).path), db=-10.0)
    return SimpleNamespace(speech=speech, samples16k=samples, text=speech.text,
                           wav=write_wav(folder / "talk.wav", speech.samples, speech.rate),
                           video=write_talking_video(folder / "talk.mp4", speech),
                           with_music=music.samples, folder=folder)


@pytest.fixture(scope="session")
def flite() -> Flite:
    engine = flite_or_none()
    if engine is None:
        pytest.skip("flite is not installed (./setup.sh installs it)")
    return engine


@pytest.fixture(scope="session")
def natural_talk(flite, tmp_path_factory) -> SimpleNamespace:
    """SCRIPT said by Flite's "rms" voice (built from recordings of a real speaker; 16 kHz, word
    starts from the sounds Flite reports): `speech`, `wav`."""
    speech = flite.speech(SCRIPT, "rms")
    folder = tmp_path_factory.mktemp("natural")
    return SimpleNamespace(speech=speech, text=speech.text, wav=write_wav(folder / "rms.wav", speech.samples, speech.rate))
