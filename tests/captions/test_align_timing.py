"""Script to captions: every word of the creator's script timed to the sound, checked against the
word starts eSpeak reports while it speaks (spoken.py), clean and with music 10 dB under the voice."""
from __future__ import annotations

import numpy as np
import pytest

from studio.captions import CaptionError, align
from studio.captions.alignment import ESTIMATED


def start_errors_ms(words, speech) -> np.ndarray:
    # one timed word per written word (the caption keeps its punctuation)
    assert [w.text.strip(",.!?") for w in words] == [w for w, _ in speech.words]
    return np.array([abs(words[i].start - t) * 1000 for i, t in speech.timed])


def test_script_words_start_within_100_ms_of_the_truth(talk):
    words = align(talk.wav, talk.text)  # the WAV goes through studio.media's decoder
    errors = start_errors_ms(words, talk.speech)
    print(f"clean: mean {errors.mean():.0f} ms, max {errors.max():.0f} ms, "
          f"{(errors <= 100).mean():.0%} within 100 ms")
    assert len(errors) >= 25
    assert np.median(errors) <= 40
    # one word may miss 100 ms where its vowel runs into the word before ("today I'm")
    assert (errors <= 100).mean() >= 0.95
    assert errors.max() <= 150  # a quiet first sound ("amazing" after "sounds") is not left to the pause
    assert all(w.confidence == 1.0 for w in words)  # every word was placed, none estimated


def test_alignment_holds_with_music_10_db_under_the_voice(talk):
    words = align(talk.with_music, talk.text)
    errors = start_errors_ms(words, talk.speech)
    print(f"music -10 dB: mean {errors.mean():.0f} ms, max {errors.max():.0f} ms, "
          f"{(errors <= 100).mean():.0%} within 100 ms")
    assert np.median(errors) <= 40
    assert (errors <= 100).mean() >= 0.95
    assert errors.max() <= 150


def test_words_come_in_order_and_the_pauses_stay_free(talk):
    words = align(talk.samples16k, talk.text)
    assert all(a.start < a.end <= b.start + 1e-6 for a, b in zip(words, words[1:]))
    # nothing is said in the lead-in silence (0.8 s) nor after the last word
    assert words[0].start >= 0.7
    assert words[-1].end <= len(talk.samples16k) / 16000
    # the sentence pauses (0.7 s) fall between the sentences' last and first words
    ends = [i for i, w in enumerate(words) if w.text.endswith((".", "!"))][:-1]
    for i in ends:
        assert words[i + 1].start - words[i].end >= 0.4, (words[i], words[i + 1])


def test_words_the_dictionary_lacks_are_still_placed(talk):
    """"TikTok" is not in pocketsphinx's dictionary (its sounds are built from "tick"+"tock"-like
    pieces and letter rules); "3" is said "three": both are timed like any word."""
    words = align(talk.samples16k, talk.text)
    truth = dict(talk.speech.timed)
    for written in ("TikTok", "3"):
        i = [w.text for w in words].index(written)
        assert i in truth
        assert abs(words[i].start - truth[i]) <= 0.1, (written, words[i], truth[i])


def test_a_word_in_another_script_takes_the_time_between_its_neighbours(talk):
    """A word that cannot be sounded out in English letters (here Cyrillic, not said at all) gets
    the time between the words around it, marked as estimated; emoji ride with their word."""
    text = talk.text.replace("Hey everyone,", "Hey everyone 👋 привет,")
    words = align(talk.samples16k, text)
    texts = [w.text for w in words]
    assert "everyone 👋" in texts
    i = texts.index("привет,")
    assert words[i].confidence == ESTIMATED
    assert words[i - 1].start <= words[i].start <= words[i + 1].start
    assert words[i].end <= words[i + 1].start + 1e-6


def test_a_script_that_is_not_what_was_said_still_gets_times(talk):
    """Forced alignment of the wrong words cannot be right, but it never fails: every word gets a
    time inside the audio, in order."""
    words = align(talk.samples16k, "completely different words about cooking pasta at home tonight")
    assert len(words) == 9
    assert all(0 <= w.start < w.end <= len(talk.samples16k) / 16000 for w in words)
    assert all(a.start <= b.start for a, b in zip(words, words[1:]))


def test_an_empty_script_is_one_line_error(talk):
    with pytest.raises(CaptionError, match="no words"):
        align(talk.samples16k, "  🔥 — #fyp ")


def test_alignment_on_a_voice_built_from_a_real_speaker(natural_talk):
    """Flite's rms voice (a model of a real speaker's recordings): the same promise."""
    words = align(natural_talk.wav, natural_talk.text)
    errors = start_errors_ms(words, natural_talk.speech)
    print(f"flite rms: mean {errors.mean():.0f} ms, max {errors.max():.0f} ms")
    assert len(errors) >= 20
    assert np.median(errors) <= 40
    assert errors.max() <= 100  # every word


def test_a_long_recording_is_aligned_in_pieces_as_exactly(talk):
    """Three times the talk (45 s) is re-aligned in pieces cut in its pauses (so memory stays small
    for a ten-minute video): the words keep their accuracy across the cuts."""
    from studio.captions.alignment import _PIECE_FRAMES

    times = 3
    samples = np.concatenate([talk.samples16k] * times)
    assert len(samples) / 16000 > 1.2 * _PIECE_FRAMES / 100  # long enough to be cut
    words = align(samples, " ".join([talk.text] * times))
    length = len(talk.samples16k) / 16000
    truth = [(k * len(talk.speech.words) + i, t + k * length) for k in range(times) for i, t in talk.speech.timed]
    errors = np.array([abs(words[i].start - t) * 1000 for i, t in truth])
    assert len(words) == times * len(talk.speech.words)
    assert np.median(errors) <= 40 and (errors <= 100).mean() >= 0.9 and errors.max() <= 250
    assert all(a.start < b.start for a, b in zip(words, words[1:]))


def test_transfer_times_the_script_by_the_words_it_matches():
    """The fallback when the script's grammar does not fit the audio at all (and whisper's way of
    timing a script): matched words take the recognised times, the rest share the time between."""
    from studio.captions import Word
    from studio.captions.alignment import transfer
    from studio.captions.script import tokenize

    heard = [Word("today", 1.0, 1.4, 0.9), Word("we", 1.5, 1.6, 0.8), Word("cook", 2.6, 3.0, 0.9),
             Word("pasta", 3.0, 3.5, 0.9)]
    words = transfer(tokenize("Today we will cook 🍝 pasta!"), heard, 5.0)
    assert [w.text for w in words] == ["Today", "we", "will", "cook 🍝", "pasta!"]
    assert [(w.start, w.end) for w in words if w.text != "will"] == [(1.0, 1.4), (1.5, 1.6), (2.6, 3.0), (3.0, 3.5)]
    will = words[2]
    assert (will.start, will.end) == (1.6, 2.6) and will.confidence == ESTIMATED
