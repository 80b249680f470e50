"""`studio export PROJECT -o X.otio` writes a timeline other editors read: tracks, gaps, exact
source ranges, speed, and text/stickers as generator clips with their parameters."""
from fractions import Fraction

import opentimelineio as otio

from studio.cli import main
from studio.model import Clip, Project, SoundItem, StickerItem, TextItem, Timeline, Track, save_project
from studio.model import edits


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
