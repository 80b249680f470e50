"""Free recognition with the built-in engine: words with sane timings, and (on a voice modelled on
a real speaker) most of them right."""
from __future__ import annotations

import re
import socket

import numpy as np
import pytest

from studio.captions import recognise

from scoring import normalise, word_error_rate
from spoken import SCRIPT


def test_recognised_words_have_sane_timings(talk):
    """eSpeak's formant voice is far from the speech pocketsphinx was trained on, so many words
    come out wrong (benchmarks/captions_wer.py measures it); their times must still be sane."""
    first = [t for _, t in talk.speech.words if t is not None]
    # the first sentence and its pause: up to the first timed word of the second
    second = next(t for i, (_, t) in enumerate(talk.speech.words) if i >= len(SCRIPT[0].split()) and t is not None)
    cut = int(second * 16000)
    samples = talk.samples16k[:cut]
    words = recognise(samples, "en")
    assert len(words) >= 5
    assert all(0 <= w.start < w.end <= cut / 16000 + 0.01 for w in words)
    assert all(a.end <= b.start + 1e-6 for a, b in zip(words, words[1:]))  # in order, not overlapping
    assert all(0.0 <= w.confidence <= 1.0 for w in words)
    assert words[0].start >= first[0] - 0.1  # nothing in the lead-in silence
    voice = np.abs(samples) > 1e-3
    for w in words:  # every word overlaps the stretch where the voice is
        assert voice[int(w.start * 16000):int(w.end * 16000)].any(), w


def test_most_words_are_right_on_a_voice_modelled_on_a_real_speaker(natural_talk):
    words = recognise(natural_talk.wav)
    wer = word_error_rate(normalise(natural_talk.text), normalise(" ".join(w.text for w in words)))
    print(f"pocketsphinx WER on flite rms: {wer:.0%}")
    assert wer <= 0.35
    # a word recognised right starts near where it was said (words said once, whose start is known)
    said: dict[str, list] = {}
    for w, t in natural_talk.speech.words:
        said.setdefault(w.lower(), []).append(t)
    checked = 0
    for w in words:
        times = said.get(re.sub(r"[^a-z']", "", w.text.lower()), [])
        if len(times) == 1 and times[0] is not None:
            assert abs(w.start - times[0]) <= 0.3, (w, times[0])
            checked += 1
    assert checked >= 10


def test_recognition_never_reaches_the_network(talk, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the captions engine tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    words = recognise(talk.samples16k[: 16000 * 3], "en")
    assert words


def test_a_file_without_sound_is_one_line_error(tmp_path):
    from studio.media.errors import MediaError

    with pytest.raises(MediaError) as err:
        recognise(tmp_path / "missing.mp4")
    assert "\n" not in str(err.value) and "missing.mp4" in str(err.value)
