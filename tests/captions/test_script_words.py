"""A script's written words and what is said for them; pronunciations for words the dictionary
lacks."""
from __future__ import annotations

from studio.captions.engines import PocketsphinxEngine
from studio.captions.pronounce import Pronouncer, letters_to_sounds
from studio.captions.script import spoken_number, tokenize


def test_numbers_and_symbols_are_said_as_words():
    assert spoken_number("3") == ["three"]
    assert spoken_number("21st") == ["twenty", "first"]
    assert spoken_number("2024") == ["twenty", "twenty", "four"]
    assert spoken_number("1999") == ["nineteen", "ninety", "nine"]
    assert spoken_number("10,000") == ["ten", "thousand"]
    assert spoken_number("3.5") == ["three", "point", "five"]
    assert spoken_number("90s") == ["nineties"]
    assert spoken_number("word") is None
    said = {t.text: t.spoken for t in tokenize("$5 50% rock & roll well-known iPhone15")}
    assert said["$5"] == ("five", "dollars")
    assert said["50%"] == ("fifty", "percent")
    assert said["&"] == ("and",)
    assert said["well-known"] == ("well", "known")
    assert said["iPhone15"] == ("iphone", "fifteen")


def test_unsaid_marks_ride_with_a_word():
    tokens = tokenize("👋 Day 1 👋🔥 — done! #fyp")
    assert [t.text for t in tokens] == ["👋 Day", "1 👋🔥 —", "done! #fyp"]
    assert [t.spoken for t in tokens] == [("day",), ("one",), ("done",)]
    assert tokenize("🔥 #fyp") == []


def test_words_in_other_scripts_are_kept():
    tokens = tokenize("café Привет 你好")
    assert [t.spoken for t in tokens] == [("cafe",), ("привет",), ("你好",)]


def test_missing_words_are_pronounced_from_dictionary_pieces_and_letter_rules():
    engine = PocketsphinxEngine()
    assert engine.lookup("tiktok") is None  # the case this is for
    pron = Pronouncer(engine.lookup)
    assert pron.phones("hello") == engine.lookup("hello")
    unboxing = pron.phones("unboxing").split()
    assert unboxing[-2:] == ["IH", "NG"] and len(unboxing) >= 6
    assert pron.phones("tiktok").split() == ["T", "IH", "K", "T", "AA", "K"]
    assert letters_to_sounds("grape") == "G R EY P"  # a final e lengthens the vowel
    assert pron.phones("привет") is None  # no Latin letters: timed from its neighbours instead
