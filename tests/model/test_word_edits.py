"""Edits keep a text's word times right: a split or trim re-times them to the part that stays, a
new text keeps them when it has as many words and spreads them over the same time otherwise."""
from studio.model import TextItem, Timeline, Track, WordTime
from studio.model import edits

WORDS = (WordTime("go", 0, 10), WordTime("extraordinary", 12, 30), WordTime("now", 32, 55))


def timeline(**kw) -> Timeline:
    return Timeline((Track("overlay", (TextItem("t-1", 100, 60, "go extraordinary now", words=WORDS, **kw),)),))


def items(tl: Timeline):
    return sorted(tl.tracks[0].items, key=lambda i: i.start)


def test_a_split_gives_each_part_the_words_at_the_same_moments():
    first, second = items(edits.split(timeline(), "t-1", 120))
    assert first.words == (WordTime("go", 0, 10), WordTime("extraordinary", 12, 20), WordTime("now", 20, 20))
    # the word being said at the cut is still the one being said; words said before start with the part
    assert second.start == 120 and second.words == (WordTime("go", 0, 0), WordTime("extraordinary", 0, 10),
                                                    WordTime("now", 12, 35))
    for part in (first, second):  # the same moments on the timeline
        said = {w.text: part.start + w.start for w in part.words if 0 < w.start < part.duration}
        assert all(said[t] == 100 + w.start for w in WORDS for t in [w.text] if t in said)


def test_a_trim_moves_the_words_with_the_in_point_and_cuts_them_at_the_out_point():
    trimmed = items(edits.trim(timeline(), "t-1", start=105, end=140))[0]
    assert trimmed.words == (WordTime("go", 0, 5), WordTime("extraordinary", 7, 25), WordTime("now", 27, 35))
    longer = items(edits.trim(timeline(), "t-1", start=90))[0]
    assert longer.words == tuple(WordTime(w.text, w.start + 10, w.end + 10) for w in WORDS)


def test_new_text_keeps_or_spreads_the_word_times():
    fixed = items(edits.set_property(timeline(), "t-1", "content", "go *extra-ordinary* now"))[0]
    assert [(w.start, w.end) for w in fixed.words] == [(0, 10), (12, 30), (32, 55)]
    assert [w.text for w in fixed.words] == ["go", "extra-ordinary", "now"]
    longer = items(edits.set_property(timeline(), "t-1", "content", "go go go now"))[0].words
    assert [w.text for w in longer] == ["go", "go", "go", "now"]
    assert longer[0].start == 0 and longer[-1].end == 55  # over the time the old words took, by length
    assert all(a.end == b.start for a, b in zip(longer, longer[1:]))
    plain = Timeline((Track("overlay", (TextItem("t-1", 0, 60, "hello"),)),))
    assert items(edits.set_property(plain, "t-1", "content", "hello there"))[0].words == ()
