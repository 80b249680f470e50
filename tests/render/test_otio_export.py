"""`studio export PROJECT -o X.otio` writes a timeline other editors read: tracks, gaps, exact
source ranges, speed, transitions between clips, and text/stickers as generator clips with their
parameters."""
from fractions import Fraction
from pathlib import Path

import opentimelineio as otio

from studio.cli import main
from studio.model import Clip, Project, SoundItem, StickerItem, TextItem, Timeline, Track, save_project
from studio.model import edits
from studio.render.otio_export import export_otio


def test_otio_round_trip_of_a_project(tmp_path, tone_clip, capsys):
    timeline = Timeline((Track("video", name="Video"),))
    timeline = edits.append_clip(timeline, Clip("clip-1", str(tone_clip), 0, 30, source_in=6, source_frames=60))
    timeline = edits.append_clip(timeline, Clip("clip-2", str(tone_clip), 0, 12, speed=Fraction(2), source_frames=60))
    timeline = edits.add_item(timeline, TextItem("text-1", 10, 20, "Hello", style="neon", x=0.4))
    timeline = edits.add_item(timeline, StickerItem("sticker-1", 0, 42, "heart_red", scale=0.2))
    timeline = edits.add_item(timeline, SoundItem("sound-1", "pop", 15, 10, volume_db=-3.0))
    project_file = save_project(Project(name="Interchange", timeline=timeline), tmp_path / "p.studio")

    assert main(["export", str(project_file), "-o", str(tmp_path / "p.otio")]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.otio", "p.studio"]  # no temp file left
    read = otio.adapters.read_from_file(str(tmp_path / "p.otio"))

    assert read.name == "Interchange" and len(read.tracks) == 4
    video, text_track, sticker_track, audio = read.tracks
    assert video.kind == otio.schema.TrackKind.Video and audio.kind == otio.schema.TrackKind.Audio
    first, second = video
    assert first.source_range.start_time.value == 6 and first.source_range.duration.value == 30
    assert first.media_reference.target_url == tone_clip.resolve().as_uri()
    # speed 2: 12 frames on the track, played through the media twice as fast (a LinearTimeWarp)
    assert second.source_range.duration.value == 12 and second.effects[0].time_scalar == 2.0
    assert video.range_of_child_at_index(1).start_time.value == 30
    gap, text = text_track
    assert isinstance(gap, otio.schema.Gap) and gap.source_range.duration.value == 10
    assert text.media_reference.generator_kind == "studio.text"
    assert text.media_reference.parameters["content"] == "Hello" and text.media_reference.parameters["x"] == 0.4
    assert sticker_track[0].media_reference.parameters["file"].endswith(".png")
    assert audio.range_of_child_at_index(1).start_time.value == 15 and audio[1].metadata["studio"]["volume_db"] == -3.0
    assert read.duration().value == 42


def test_otio_transitions_sit_between_the_clips_they_join(tmp_path, tone_clip):
    """A transition becomes an OTIO Transition between its two clips, centred on the cut as Studio
    draws it (fitted to the clips); the clips keep their timings; a transition after a gap is dropped."""
    src = str(tone_clip)
    timeline = Timeline((Track("video", name="Video"),))
    timeline = edits.append_clip(timeline, Clip("a", src, 0, 30, source_in=6, source_frames=60))
    timeline = edits.append_clip(timeline, Clip("b", src, 0, 20, source_frames=60, transition="dissolve",
                                                transition_frames=9))
    # 12 frames asked for, but clip c is only 8 long: the transition is shortened to 8
    timeline = edits.append_clip(timeline, Clip("c", src, 0, 8, source_frames=60, transition="whip_left",
                                                transition_frames=12))
    # after a gap there is no previous clip to come from
    timeline = edits.add_item(timeline, Clip("d", src, 70, 10, source_frames=60, transition="dip_black"), 0)
    project = Project(name="Cuts", timeline=timeline)
    read = otio.adapters.read_from_file(str(export_otio(project, tmp_path / "cuts.otio")))

    (video,) = read.tracks
    kinds = [type(child).__name__ for child in video]
    assert kinds == ["Clip", "Transition", "Clip", "Transition", "Clip", "Gap", "Clip"]
    a, dissolve, b, whip, c, gap, d = video
    assert (a.name, b.name, c.name) == (Path(src).name,) * 3
    assert [x.metadata["studio"]["id"] for x in (a, b, c, d)] == ["a", "b", "c", "d"]
    # dissolve over 9 frames at the cut at 30: frames 26..34, 4 before the cut and 5 after
    assert dissolve.transition_type == otio.schema.TransitionTypes.SMPTE_Dissolve
    assert (dissolve.in_offset.value, dissolve.out_offset.value) == (4, 5) and dissolve.in_offset.rate == 30
    assert dissolve.metadata["studio"] == {"kind": "dissolve", "frames": 9}
    assert whip.transition_type == otio.schema.TransitionTypes.Custom
    assert (whip.in_offset.value, whip.out_offset.value) == (4, 4)
    assert whip.metadata["studio"] == {"kind": "whip_left", "frames": 8}
    # the clips keep their places and source ranges: transitions take no time on the track
    assert [video.range_of_child(x).start_time.value for x in (a, b, c, d)] == [0, 30, 50, 70]
    assert a.source_range.start_time.value == 6 and a.source_range.duration.value == 30
    assert b.source_range.duration.value == 20 and c.source_range.duration.value == 8
    assert gap.source_range.duration.value == 12 and read.duration().value == 80
    assert video.neighbors_of(dissolve) == (a, b) and video.neighbors_of(whip) == (b, c)
