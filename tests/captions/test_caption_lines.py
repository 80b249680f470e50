"""Grouping words into caption lines as creators do: 1-3 words, at most ~32 characters, never
across a pause over half a second, ending at clause ends, evenly shared, timed to the words."""
from __future__ import annotations

import pytest

from studio.captions import CaptionLine, Word, group_lines


def words_at(text: str, step: float = 0.3, length: float = 0.25, start: float = 0.0) -> list[Word]:
    return [Word(t, round(start + i * step, 3), round(start + i * step + length, 3)) for i, t in enumerate(text.split())]


def test_lines_hold_one_to_three_words_and_keep_them():
    words = words_at("today I want to show you three simple tricks for better videos at home")
    lines = group_lines(words)
    assert all(1 <= len(line.words) <= 3 for line in lines)
    assert [w for line in lines for w in line.words] == words  # every word once, in order
    for line in lines:
        assert line.text == " ".join(w.text for w in line.words)
        assert (line.start, line.end) == (line.words[0].start, line.words[-1].end)


def test_no_line_is_longer_than_32_characters_unless_one_word_is():
    words = words_at("extraordinarily photogenic neighbourhoods everywhere supercalifragilisticexpialidocious yes")
    lines = group_lines(words)
    for line in lines:
        assert len(line.text) <= 32 or len(line.words) == 1
    assert "supercalifragilisticexpialidocious" in [line.text for line in lines]


def test_a_pause_longer_than_half_a_second_ends_the_line():
    words = words_at("one two", start=0.0) + words_at("three four", start=0.55 + 0.3 + 0.25)
    lines = group_lines(words)
    assert [line.text for line in lines] == ["one two", "three four"]
    # a shorter pause does not
    close = words_at("one two", start=0.0) + words_at("three", start=0.3 + 0.25 + 0.4)
    assert [line.text for line in group_lines(close)] == ["one two three"]


def test_clause_ends_end_lines_even_after_one_word():
    lines = group_lines(words_at("First, always film near a window. Then! move 🔥 slowly"))
    assert [line.text for line in lines][:3] == ["First,", "always film", "near a window."]
    assert "Then!" in [line.text for line in lines]


def test_words_are_shared_out_evenly():
    lines = group_lines(words_at("a1 b2 c3 d4"))
    assert [len(line.words) for line in lines] == [2, 2]  # not 3 + 1
    lines = group_lines(words_at("a1 b2 c3 d4 e5 f6 g7"))
    assert sorted(len(line.words) for line in lines) == [2, 2, 3]


def test_limits_can_change_and_bad_limits_are_refused():
    assert all(len(line.words) == 1 for line in group_lines(words_at("one word at a time"), max_words=1))
    with pytest.raises(ValueError):
        group_lines(words_at("x"), max_words=0)


def test_a_line_and_its_words_go_to_a_dict_and_back():
    line = group_lines(words_at("hello there"))[0]
    again = CaptionLine.from_dict(line.to_dict())
    assert again == line
