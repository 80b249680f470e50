"""Emphasise: the selected words wrapped in asterisks, and unwrapped again."""
import pytest

from studio.model.emphasis import toggle_emphasis


@pytest.mark.parametrize("text,start,end,expected", [
    ("this is huge", 8, 12, "this is *huge*"),       # a selected word
    ("this is huge", 10, 10, "this is *huge*"),      # the cursor inside a word
    ("this is huge", 6, 9, "this *is huge*"),        # a selection across words widens to them
    ("this is *huge*", 9, 9, "this is huge"),        # toggling again unwraps
    ("this *is huge* now", 7, 7, "this is huge now"),   # inside two emphasised words: unwrapped
    ("this *is huge* now", 11, 11, "this is huge now"),
    ("ünïcode wörd", 9, 9, "ünïcode *wörd*"),
    ("   ", 1, 1, "   "),                            # nothing to wrap
    ("huge", 4, 0, "*huge*"),                         # a selection made backwards
    ("a *half word", 3, 3, "a *half* word"),          # a stray asterisk is replaced, not doubled
])
def test_toggle(text, start, end, expected):
    new, a, b = toggle_emphasis(text, start, end)
    assert new == expected
    if new != text:
        assert new[a:b].strip("*") and (new[a:b].startswith("*") == new[a:b].endswith("*"))


def test_round_trip_restores_the_text():
    text = "wait for it"
    once, a, b = toggle_emphasis(text, 5, 8)
    assert once == "wait *for* it"
    twice, _, _ = toggle_emphasis(once, a, b)
    assert twice == text
