"""A user's own sounds: `studio library sounds --import FILE` (and import_sound) keeps a copy in the
user data folder with its measured tempo and beats; the library lists, finds and credits it like a
built-in sound; bad files are refused with one line and leave nothing behind."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from fractions import Fraction

import numpy as np
import pytest

from studio.library import sounds as lib
from studio.library.errors import LibraryError
from studio.library.paths import assets_dir
from studio.library.sounds import SoundLibrary, get_sound, list_sounds, search_sounds
from studio.library_listing import import_sound, list_library
from studio.media.audio import load_audio
from studio.media.errors import MediaError

def _builtin_ids() -> list[str]:
    return [s["id"] for s in json.loads((assets_dir() / "sounds" / "library.json").read_text())["sounds"]]


def _user_files() -> list[str]:
    folder = lib.user_sounds_dir()
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.fixture
def song(tmp_path, music):
    samples, truth = music.make(118, 24.0, style="pop", seed=4, offset=0.3)
    return music.write_wav(tmp_path / "Summer Song.wav", samples), truth


def test_user_data_is_private_to_the_test(private_user_data):
    assert lib.user_sounds_dir() == private_user_data / "sounds"


def test_imported_audio_is_listed_found_and_kept(song, music):
    path, truth = song
    before = SoundLibrary()  # made before the import: still sees the new sound
    sound = import_sound(path)
    assert sound.id == "my_summer_song" and sound.title == "Summer Song" and sound.origin == "audio"
    assert sound.kind == "music" and sound.licence == "user media" and sound.artist
    assert abs(sound.bpm - 118) / 118 <= 0.02
    assert music.hits(sound.beats, truth)[0] >= 0.9
    assert abs(sound.duration - 24.0) < 0.05
    # kept in the user folder, so it plays when the original is gone
    assert sound.path.parent == lib.user_sounds_dir() and sound.path.suffix == ".wav"
    path.unlink()
    assert len(load_audio(sound.path, 48000)) == pytest.approx(24.0 * 48000, abs=48)
    # built-in first, then the user's
    ids = [s.id for s in list_sounds()]
    assert ids == _builtin_ids() + [sound.id]
    assert [s.id for s in before.list()] == ids
    assert get_sound(sound.id) == sound == before.get(sound.id)
    assert [s.id for s in search_sounds("summer song")] == [sound.id]
    assert sound.id in [s.id for s in search_sounds("imported")]
    hits = search_sounds("118bpm")
    assert sound.id in [s.id for s in hits] and all(abs(s.bpm - 118) <= lib.BPM_TOLERANCE for s in hits)
    assert sound.id not in [s.id for s in search_sounds("140 bpm")]
    assert list_sounds("music")[-1].id == sound.id
    row = next(r for r in list_library("sounds") if r["id"] == sound.id)
    assert row["bpm"] == sound.bpm and row["origin"] == "audio" and row["beats"] == len(sound.beats)


def test_video_sound_is_credited_as_original_sound(tmp_path, music):
    from studio.model import Project, SoundItem, Timeline, Track
    from studio.render.metadata import mp4_tags, sidecar
    from studio.render.soundtrack import build_soundtrack, sound_credits

    samples, truth = music.make(96, 12.0, style="pop", seed=8, rate=48000, offset=0.2)
    clip = music.write_video(tmp_path / "beach day.mp4", samples, 12.0)
    sound = import_sound(clip)
    assert sound.origin == "video" and sound.title == "original sound - beach day"
    assert sound.path.suffix == ".m4a" and sound.source_name == "beach day.mp4"
    assert abs(sound.duration - 12.0) < 0.1
    assert abs(sound.bpm - 96) / 96 <= 0.02 and music.hits(sound.beats, truth)[0] >= 0.9
    assert sound.id in [s.id for s in search_sounds("original sound")]
    # an export credits it as it credits a library sound (by id, no local folder named)
    frames = 60
    project = Project(name="p", fps=Fraction(30), timeline=Timeline((
        Track("video", name="Video"), Track("audio", items=(SoundItem("s1", sound.id, 0, frames),), name="Audio"))))
    credits = sound_credits(project)
    assert [(c.id, c.title, c.licence, c.source) for c in credits] == [
        (sound.id, "original sound - beach day", "user media", f"studio library: {sound.id}")]
    tags = mp4_tags(project, credits, dt.datetime(2024, 1, 1))
    assert "original sound - beach day" in tags["synopsis"]
    side = sidecar(project, credits, duration=2.0, loudness={}, preset="tiktok", preflight=None, cover=None,
                   created=dt.datetime(2024, 1, 1), encode={})
    assert side["sounds"][0]["title"] == "original sound - beach day"
    assert str(tmp_path) not in json.dumps(side)
    # the kept .m4a mixes into the soundtrack
    track = build_soundtrack(project)
    assert track.has_audio and np.abs(track.samples).max() > 0.05


def test_video_sound_that_mp4_cannot_hold_is_encoded(tmp_path, music):
    """PCM in a Matroska video cannot be copied into an .m4a: it is encoded to AAC instead."""
    samples, truth = music.make(124, 8.0, style="house", seed=9, rate=48000, offset=0.1)
    clip = music.write_video(tmp_path / "raw take.mkv", samples, 8.0, audio_codec="pcm_s16le")
    sound = import_sound(clip)
    assert sound.path.suffix == ".m4a" and sound.origin == "video"
    import av

    with av.open(str(sound.path)) as kept:
        assert kept.streams.audio[0].codec_context.name == "aac"
    assert abs(sound.bpm - 124) / 124 <= 0.02 and music.hits(sound.beats, truth)[0] >= 0.9
    assert abs(sound.duration - 8.0) < 0.1


def test_video_without_audio_and_other_bad_files_are_refused_in_one_line(tmp_path, music, monkeypatch):
    silent_video = music.write_video(tmp_path / "silent.mp4", None, 2.0)
    empty = tmp_path / "empty.mp3"
    empty.write_bytes(b"")
    corrupt = tmp_path / "corrupt.mp3"
    corrupt.write_bytes(np.random.default_rng(1).integers(0, 256, 50_000, dtype=np.uint8).tobytes())
    text = tmp_path / "notes.wav"
    text.write_text("not audio at all\n" * 100)
    picture = tmp_path / "cover.png"
    from PIL import Image
    Image.new("RGB", (32, 32), (200, 10, 10)).save(picture)
    quiet = music.write_wav(tmp_path / "quiet.wav", np.zeros(44100 * 3, np.float32))
    cases = {silent_video: "no audio track", empty: "empty", corrupt: "", text: "", picture: "picture",
             quiet: "silent", tmp_path / "missing.mp3": "not found", tmp_path: "directory"}
    for path, words in cases.items():
        with pytest.raises((MediaError, LibraryError)) as err:
            import_sound(path)
        message = str(err.value)
        assert "\n" not in message and path.name in message and words in message, message
    long_song = music.write_wav(tmp_path / "long.wav", music.make(120, 8.0)[0])
    monkeypatch.setattr(lib, "MAX_SOUND_SECONDS", 5.0)
    with pytest.raises(MediaError, match=r"long\.wav: is too long for a sound \(0:08; at most 0:05\)"):
        import_sound(long_song)
    assert _user_files() == []
    assert [s.id for s in list_sounds()] == _builtin_ids()


def test_names_collisions_and_replace(song, tmp_path, music):
    path, _ = song
    first = import_sound(path)
    with pytest.raises(LibraryError, match=r"a sound named 'my_summer_song' already exists; use --replace"):
        import_sound(path)
    other, _ = music.make(140, 10.0, style="rock", seed=2)
    newer = music.write_wav(tmp_path / "summer song.wav", other)
    replaced = import_sound(newer, replace=True)
    assert replaced.id == first.id and abs(replaced.bpm - 140) / 140 <= 0.02
    assert not first.path.exists() and replaced.path.is_file()
    assert get_sound(first.id).bpm == replaced.bpm
    assert sorted(_user_files()) == sorted(["summer_song.json", replaced.path.name])
    named = import_sound(path, name="Beach Bed")
    assert named.id == "my_beach_bed" and named.title == "Beach Bed"
    for bad in ("../up", "a" * 65, "", "naïve"):
        with pytest.raises(LibraryError, match="sound name"):
            import_sound(path, name=bad)
    assert lib.free_user_sound_stem(path) == "summer_song_2"
    both = import_sound(path, keep_both=True)  # the window's drop of a file imported before
    assert both.id == "my_summer_song_2" and both.title == "Summer Song"


def test_a_broken_user_entry_does_not_break_the_library(song):
    sound = import_sound(song[0])
    folder = lib.user_sounds_dir()
    (folder / "broken.json").write_text("{not json")
    (folder / "elsewhere.json").write_text(json.dumps({**json.loads((folder / "summer_song.json").read_text()),
                                                       "id": "my_elsewhere", "file": "../../etc/passwd"}))
    assert [s.id for s in list_sounds()] == _builtin_ids() + [sound.id]
    sound.path.unlink()  # audio gone: the entry is left out, not an error
    assert [s.id for s in list_sounds()] == _builtin_ids()


# --------------------------------------------------------------------------- the command line

def test_cli_import_prints_one_line_and_lists_the_sound(song, tmp_path, music, mediagen):
    path, _ = song
    proc = mediagen.run_studio("library", "sounds", "--import", path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1
    m = re.fullmatch(rf"imported {re.escape(str(path))} as sound 'my_summer_song' \((\d+\.\d) BPM, 0:24\)", lines[0])
    assert m and abs(float(m.group(1)) - 118) <= 2.4, lines[0]
    rows = json.loads(mediagen.run_studio("library", "sounds", "--json").stdout)
    assert [r["id"] for r in rows] == _builtin_ids() + ["my_summer_song"]
    assert rows[-1]["bpm"] == pytest.approx(float(m.group(1)), abs=0.051) and rows[-1]["origin"] == "audio"
    text = mediagen.run_studio("library", "sounds").stdout
    assert "my_summer_song" in text.splitlines()[-1]

    again = mediagen.run_studio("library", "sounds", "--import", path)
    assert again.returncode == 3 and again.stdout == ""
    assert mediagen.error_lines(again.stderr) == [
        "studio: error: a sound named 'my_summer_song' already exists; use --replace to overwrite it "
        "or --name to choose another name"]
    replaced = mediagen.run_studio("library", "sounds", "--import", path, "--replace")
    assert replaced.returncode == 0 and "as sound 'my_summer_song'" in replaced.stdout

    clip = music.write_video(tmp_path / "clip.mp4", music.make(100, 6.0, rate=48000)[0], 6.0)
    proc = mediagen.run_studio("library", "sounds", "--import", clip, "--name", "take one")
    assert proc.returncode == 0, proc.stderr
    assert re.fullmatch(r"imported .*clip\.mp4 as sound 'my_take_one' \(\d+\.\d BPM, 0:06\)\n", proc.stdout)
    assert get_sound("my_take_one").title == "original sound - take one"


def test_cli_refuses_a_video_without_sound(tmp_path, music, mediagen):
    silent = music.write_video(tmp_path / "silent.mp4", None, 1.0)
    proc = mediagen.run_studio("library", "sounds", "--import", silent)
    assert proc.returncode == 3 and proc.stdout == ""
    lines = mediagen.error_lines(proc.stderr)
    assert len(lines) == 1 and lines[0].startswith("studio: error: silent.mp4: is a video with no audio track")
    assert _user_files() == []
    styles = mediagen.run_studio("library", "styles", "--import", silent)
    assert styles.returncode == 3 and "--import works for looks" in styles.stderr


def test_kept_copy_survives_the_original_moving(song, tmp_path):
    path, _ = song
    sound = import_sound(path)
    shutil.move(path, tmp_path / "moved.wav")
    assert get_sound(sound.id).path.is_file()
    assert len(load_audio(get_sound(sound.id).path, 48000)) > 48000 * 20
