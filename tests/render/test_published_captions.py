"""Captions are published as the picture shows them: a style that colours *keywords* drops their
asterisks in the sidecar and the soft subtitles; a plain style keeps what was typed."""
from fractions import Fraction

from studio.model import Clip, Project, TextItem, Timeline, Track, WordTime
from studio.render.metadata import caption_lines


def test_keyword_asterisks_follow_the_style():
    starred = TextItem("c1", 0, 30, "this is *huge*", style="word_highlight",
                       words=(WordTime("this", 0, 5), WordTime("is", 6, 10), WordTime("*huge*", 11, 29)))
    plain = TextItem("c2", 30, 30, "plain *stars*", style="classic")
    project = Project(fps=Fraction(30), timeline=Timeline((
        Track("video", (Clip("v", "/media/x.mp4", 0, 60),)), Track("overlay", (starred, plain), name="Captions"))))
    first, second = caption_lines(project)
    assert first["text"] == "this is huge" and [w["text"] for w in first["words"]] == ["this", "is", "huge"]
    assert first["words"][2]["start"] == round(11 / 30, 3)
    assert second["text"] == "plain *stars*"
