"""A text item's word times survive a project file and are checked like any other field."""
import pytest

from studio.model import Project, ProjectError, TextItem, Timeline, Track, WordTime, project_from_dict, project_to_dict


def _project(words):
    item = TextItem("t1", 0, 60, "hello big world", words=words)
    return Project(name="w", timeline=Timeline((Track("overlay", (item,)),)))


def test_word_times_round_trip_and_are_left_out_when_absent():
    words = (WordTime("hello", 0, 10), WordTime("big", 12, 20), WordTime("world", 22, 50))
    data = project_to_dict(_project(words))
    assert data["timeline"]["tracks"][0]["items"][0]["words"][1] == {"text": "big", "start": 12, "end": 20}
    assert project_from_dict(data).timeline.tracks[0].items[0].words == words
    plain = project_to_dict(_project(()))
    assert "words" not in plain["timeline"]["tracks"][0]["items"][0]


@pytest.mark.parametrize("bad, message", [
    ({"text": "hello", "start": -3, "end": 10}, "words[0].start: must not be negative"),
    ({"text": 5, "start": 0, "end": 10}, "words[0].text: must be text"),
    ({"text": "hello", "start": 0}, "words[0]"),
])
def test_hand_edited_word_times_get_one_line_errors(bad, message):
    data = project_to_dict(_project((WordTime("hello", 0, 10),)))
    data["timeline"]["tracks"][0]["items"][0]["words"][0] = bad
    with pytest.raises(ProjectError, match=message.replace("[", r"\[").replace("]", r"\]")) as err:
        project_from_dict(data)
    assert "\n" not in str(err.value)
