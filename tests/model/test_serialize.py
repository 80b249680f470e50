"""Project files: round trip, relative media paths, atomic save, upgrades, and one-line errors."""
from __future__ import annotations

import copy
import json
import os
import random
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from studio.model import (Clip, EffectRef, Metadata, Project, ProjectError, SoundItem, TextItem, Timeline, Track, load_project,
                          project_from_dict, project_to_dict, save_project)
from studio.model.upgrade import CURRENT_VERSION

from timeline_checks import check_invariants, full_project


@pytest.fixture
def root(tmp_path) -> Path:
    return tmp_path.resolve()  # compare with the resolved paths load_project gives back


@pytest.fixture
def project(root) -> Project:
    (root / "media").mkdir()
    return full_project(root / "media")


# ---------------------------------------------------------------- round trip and paths

def test_round_trip_keeps_every_field(root, project):
    (root / "proj").mkdir()
    path = save_project(project, root / "proj" / "short.studio.json")
    loaded = load_project(path)
    assert loaded == project
    check_invariants(loaded.timeline)
    assert loaded.fps == Fraction(30000, 1001) and loaded.timeline.get("clip-1").speed == Fraction(3, 2)
    assert loaded.timeline.get("text-1").content == "Salut 👋 — ça va?\nligne 2"
    assert loaded.metadata.all_hashtags() == ["voyage", "été", "shorts"]
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["version"] == CURRENT_VERSION and raw["fps"] == "30000/1001"
    assert raw["timeline"]["tracks"][0]["items"][0]["speed"] == "3/2"
    assert "👋" in path.read_text(encoding="utf-8")  # stored as text, not \\u escapes
    # saving what was loaded gives the same file
    again = save_project(loaded, root / "proj" / "again.json")
    assert again.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_media_paths_are_relative_to_the_project_file(root, project):
    (root / "proj").mkdir()
    path = save_project(project, root / "proj" / "p.json")
    items = [i for t in json.loads(path.read_text())["timeline"]["tracks"] for i in t["items"]]
    sources = {i["id"]: i.get("source", i.get("sticker")) for i in items}
    assert sources == {"clip-1": "../media/x.mp4", "clip-2": "../media/photo.png", "text-1": None,
                       "sticker-1": "sunglasses", "sound-1": "lofi_85", "sound-2": "../media/voice.wav"}
    loaded = load_project(path)
    assert loaded.timeline.get("clip-1").source == str(root / "media" / "x.mp4")
    assert os.path.isabs(loaded.timeline.get("sound-2").source)
    assert loaded.timeline.get("sound-1").source == "lofi_85"  # library refs stay ids
    assert loaded.timeline.get("sticker-1").sticker == "sunglasses"


def test_moving_the_folder_with_its_media_keeps_paths_resolving(root, project):
    work = root / "work"
    (work / "proj").mkdir(parents=True)
    shutil.move(str(root / "media"), str(work / "media"))
    project = full_project(work / "media")
    save_project(project, work / "proj" / "p.json")
    shutil.move(str(work), str(root / "moved"))
    loaded = load_project(root / "moved" / "proj" / "p.json")
    assert loaded.timeline.get("clip-1").source == str(root / "moved" / "media" / "x.mp4")
    assert loaded.timeline.get("sound-2").source == str(root / "moved" / "media" / "voice.wav")
    assert loaded.timeline.get("sound-1").source == "lofi_85"


def test_project_to_dict_without_base_keeps_paths(project):
    data = project_to_dict(project)
    assert data["timeline"]["tracks"][0]["items"][0]["source"] == project.timeline.get("clip-1").source
    assert project_from_dict(json.loads(json.dumps(data))) == project


# ---------------------------------------------------------------- atomic save

def test_save_leaves_no_temp_file_and_replaces_via_rename(root, project, monkeypatch):
    path = root / "p.json"
    renames = []
    real_replace = os.replace

    def recording_replace(src, dst):
        renames.append((Path(src), Path(dst), Path(src).read_text(encoding="utf-8")))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", recording_replace)
    save_project(project, path)
    (src, dst, text), = renames
    assert dst == path and src.parent == path.parent and src != path  # same folder: rename is atomic
    assert text == path.read_text(encoding="utf-8")
    assert sorted(p.name for p in root.iterdir()) == ["media", "p.json"]


def test_failed_save_keeps_the_old_file(root, project, monkeypatch):
    path = save_project(project, root / "p.json")
    good = path.read_text(encoding="utf-8")
    with pytest.raises(AttributeError):
        save_project(object(), path)  # project_to_dict fails before anything is written
    broken = Project(timeline=Timeline((Track("video", (
        Clip("c", "/x.mp4", 0, 5, effects=(EffectRef("blur", {"k": {1, 2}}),)),)),)))
    with pytest.raises(TypeError):
        save_project(broken, path)  # a value JSON cannot hold

    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError):
        save_project(Project(name="new"), path)
    assert path.read_text(encoding="utf-8") == good
    assert sorted(p.name for p in root.iterdir()) == ["media", "p.json"]  # the temp file was cleaned up
    assert load_project(path) == project


# ---------------------------------------------------------------- upgrade

def v1_file() -> dict:
    return {
        "schema": "studio.project", "version": 1, "name": "old", "width": 1080, "height": 1920, "fps": 30,
        "metadata": {"caption": "old #one", "cover_time": 1.5},
        "timeline": {"tracks": [
            {"kind": "video", "name": "Video", "items": [
                {"type": "clip", "id": "c1", "source": "lofi_clip", "start_s": 0, "duration_s": 2.5, "in_s": 0.1},
                {"type": "clip", "id": "c2", "source": "other", "start_s": 2.5, "duration_s": 1.05, "speed": 2},
            ]},
            {"kind": "audio", "items": [
                {"type": "sound", "id": "s1", "source": "lofi_85", "start_s": 0.5, "duration_s": 3,
                 "fade_in_s": 0.25, "fade_out_s": 0.05},
            ]},
        ]},
    }


def test_version_1_seconds_load_as_frames(root):
    path = root / "old.json"
    path.write_text(json.dumps(v1_file()))
    loaded = load_project(path)
    expected = Project(
        name="old", fps=Fraction(30),
        timeline=Timeline((
            Track("video", (Clip("c1", "lofi_clip", 0, 75, source_in=3),
                            Clip("c2", "other", 75, 32, speed=Fraction(2))), name="Video"),
            Track("audio", (SoundItem("s1", "lofi_85", 15, 90, fade_in=8, fade_out=2),)),  # 7.5 and 1.5 round up
        )),
        metadata=Metadata(caption="old #one", cover_frame=45),
    )
    assert loaded == expected
    data = v1_file()
    del data["version"]  # no version: the first format
    path.write_text(json.dumps(data))
    assert load_project(path) == expected


def test_version_1_at_ntsc_rate():
    data = v1_file()
    data["fps"] = "30000/1001"
    project = project_from_dict(data)
    assert project.timeline.get("c1").duration == 75  # 2.5 s * 29.97 = 74.925
    assert project.timeline.get("c2").start == 75
    data["fps"] = 29.97
    assert project_from_dict(data).fps == Fraction(30000, 1001)


def test_version_1_bad_seconds_name_the_field():
    data = v1_file()
    data["timeline"]["tracks"][1]["items"][0]["fade_in_s"] = "soon"
    with pytest.raises(ProjectError, match=r"timeline\.tracks\[1\]\.items\[0\]\.fade_in_s: must be a number of seconds, got 'soon'"):
        project_from_dict(data)
    data = v1_file()
    data["metadata"]["cover_time"] = [1]
    with pytest.raises(ProjectError, match=r"metadata\.cover_time: .*got \[1\]"):
        project_from_dict(data)
    data = v1_file()
    data["fps"] = "abc"
    with pytest.raises(ProjectError, match="fps: .*got 'abc'"):
        project_from_dict(data)


def test_future_version_is_refused(root):
    data = project_to_dict(Project())
    data["version"] = 99
    path = root / "new.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ProjectError, match=r"version.*99") as err:
        load_project(path)
    assert "new.json" in str(err.value)
    for bad in (0, -1, "2", 2.0, True, None):
        data["version"] = bad
        with pytest.raises(ProjectError, match="version: must be a schema version number"):
            project_from_dict(data)


# ---------------------------------------------------------------- malformed files

def simple_dict() -> dict:
    project = Project(timeline=Timeline((
        Track("video", (Clip("c1", "/m/a.mp4", 0, 30, source_frames=100), Clip("c2", "/m/b.mp4", 30, 20))),
        Track("overlay", (TextItem("t1", 0, 10, "hi"),)),
        Track("audio", (SoundItem("s1", "lofi_85", 0, 50),)),
    )))
    return project_to_dict(project)


def _set(path, value):
    def change(d):
        *keys, last = path
        for k in keys:
            d = d[k]
        if value is KeyError:
            del d[last]
        else:
            d[last] = value
    return change


ITEMS0 = ("timeline", "tracks", 0, "items")
MALFORMED = [
    (_set((*ITEMS0, 1, "duration"), -5), "timeline.tracks[0].items[1].duration: must be positive, got -5"),
    (_set((*ITEMS0, 1, "duration"), 0), "timeline.tracks[0].items[1].duration: must be positive, got 0"),
    (_set((*ITEMS0, 1, "duration"), 2.5), "timeline.tracks[0].items[1].duration: must be a whole number, got 2.5"),
    (_set((*ITEMS0, 1, "duration"), "20"), "timeline.tracks[0].items[1].duration: must be a whole number, got '20'"),
    (_set((*ITEMS0, 1, "duration"), KeyError), "timeline.tracks[0].items[1].duration: is required but missing"),
    (_set((*ITEMS0, 0, "type"), "video"), "timeline.tracks[0].items[0].type: must be one of clip, text, sticker, sound, got 'video'"),
    (_set((*ITEMS0, 0, "type"), ["clip"]), "timeline.tracks[0].items[0].type: must be one of"),
    (_set((*ITEMS0, 0, "colour"), "red"), "timeline.tracks[0].items[0].colour: is not a known field, got 'red'"),
    (_set(("timeline", "tracks", 1, "items", 0, "type"), "clip"), "timeline.tracks[1].items[0]"),
    (_set(("timeline", "tracks", 0, "items", 1), {"type": "text", "id": "t1", "start": 30, "duration": 5, "content": "x"}),
     "timeline.tracks[0].items[1].type: cannot be on a video track, got 'text'"),
    (_set(("timeline", "tracks", 2, "items", 0, "id"), "c1"), "timeline.tracks[2].items[0].id: is used twice, got 'c1'"),
    (_set((*ITEMS0, 1, "start"), 29), "timeline.tracks[0]: items 'c1' and 'c2' overlap"),
    (_set((*ITEMS0, 0, "fit"), "zoom"), "timeline.tracks[0].items[0].fit: must be one of fill, fit_blur, fit_black, follow, got 'zoom'"),
    (_set(("timeline", "tracks", 1, "items", 0, "anim_in"), "spin"), "timeline.tracks[1].items[0].anim_in: must be one of none, fade, pop"),
    (_set(("timeline", "tracks", 1, "items", 0, "opacity"), 2), "timeline.tracks[1].items[0].opacity: must be between 0 and 1, got 2"),
    (_set(("timeline", "tracks", 2, "items", 0, "role"), "music"), "timeline.tracks[2].items[0].role: must be one of"),
    (_set((*ITEMS0, 0, "speed"), "fast"), "timeline.tracks[0].items[0].speed: must be a number or a fraction like 30000/1001, got 'fast'"),
    (_set((*ITEMS0, 0, "speed"), "1/0"), "timeline.tracks[0].items[0].speed:"),
    (_set((*ITEMS0, 0, "volume"), float("inf")), "timeline.tracks[0].items[0].volume: must be a finite number, got inf"),
    (_set((*ITEMS0, 0, "volume"), 10 ** 400), "timeline.tracks[0].items[0].volume: must be a finite number"),
    (_set((*ITEMS0, 0, "source"), ""), "timeline.tracks[0].items[0].source: must name a file or a library item"),
    (_set((*ITEMS0, 0, "source"), "a\x00b.mp4"), "timeline.tracks[0].items[0].source: is not a usable file path"),
    (_set((*ITEMS0, 0, "id"), ""), "timeline.tracks[0].items[0].id: must not be empty"),
    (_set((*ITEMS0, 0, "source_in"), 80), "timeline.tracks[0].items[0].duration: needs 110 source frames but the source has 100"),
    (_set((*ITEMS0, 0, "duration"), 10 ** 400), "timeline.tracks[0].items[0].duration: must be between 0 and 10368000 frames"),
    (_set((*ITEMS0, 0, "effects"), [{"id": "blur", "params": []}]), "timeline.tracks[0].items[0].effects[0].params: must be an object, got []"),
    (_set(("timeline", "tracks", 0, "kind"), "subtitles"), "timeline.tracks[0].kind: must be one of video, overlay, audio, got 'subtitles'"),
    (_set(("timeline", "tracks", 0, "muted"), "no"), "timeline.tracks[0].muted: must be true or false, got 'no'"),
    (_set(("timeline", "tracks", 0, "volume"), 3), "timeline.tracks[0].volume: is not a known field"),
    (_set(("timeline", "tracks", 0, "items"), {}), "timeline.tracks[0].items: must be a list, got {}"),
    (_set(("timeline", "tracks"), None), "timeline.tracks: must be a list of tracks, got None"),
    (_set(("timeline",), KeyError), "timeline: must be an object with a list of tracks, got None"),
    (_set(("timeline",), []), "timeline: must be an object with a list of tracks, got []"),
    (_set(("fps",), "abc"), "fps: must be a number or a fraction like 30000/1001, got 'abc'"),
    (_set(("fps",), 0), "fps: must be positive, got 0"),
    (_set(("fps",), float("inf")), "fps: must be a number or a fraction like 30000/1001, got inf"),
    (_set(("width",), 1080.5), "width: must be a whole number, got 1080.5"),
    (_set(("height",), -1), "height: must be from 16 to 7680 pixels, got -1"),
    (_set(("name",), 5), "name: must be text, got 5"),
    (_set(("metadata", "hashtags"), "#a #b"), "metadata.hashtags: must be a list, got '#a #b'"),
    (_set(("metadata", "cover_frame"), -2), "metadata.cover_frame: must not be negative, got -2"),
    (_set(("schema",), "other.app"), "schema: not a Studio project, got 'other.app'"),
    (_set(("timeline", "tracks", 0, "items", 0, "bad\nkey"), 1), "timeline.tracks[0].items[0].bad\\nkey: is not a known field"),
]


@pytest.mark.parametrize("change, message", MALFORMED, ids=[m[:60] for _, m in MALFORMED])
def test_malformed_project_names_field_and_value(root, change, message):
    data = simple_dict()
    change(data)
    path = root / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ProjectError) as err:
        load_project(path)
    text = str(err.value)
    assert "\n" not in text
    assert text.startswith("bad.json: ")
    assert message in text


@pytest.mark.parametrize("content, message", [
    (b'{"schema": "studio.project",\n "version": 2,\n  "name": oops}', "not valid JSON (line 3, column 11: Expecting value)"),
    (b"[1, 2]", "project: must be a JSON object, got list"),
    (b'"just text"', "project: must be a JSON object, got str"),
    (b"", "not valid JSON (line 1, column 1"),
    (b"   \n  ", "not valid JSON (line 2, column 3"),
    (b'{"name": "caf\xe9"}', "not UTF-8 text (bad byte at offset 13)"),
    (b"\xff\xfe{\x00}\x00", "not UTF-8 text"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b'{"width": ' + b"9" * 5000 + b"}", "not valid JSON"),
    (b'{"fps": NaN}', "fps:"),
])
def test_unreadable_files(root, content, message):
    path = root / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ProjectError) as err:
        load_project(path)
    assert "\n" not in str(err.value)
    assert message in str(err.value)


def test_utf8_bom_is_accepted(root):
    path = root / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(simple_dict()).encode())
    assert load_project(path).timeline.get("c1").duration == 30


def test_missing_file_and_folder(root):
    with pytest.raises(ProjectError, match="no such project file") as err:
        load_project(root / "nope.json")
    assert str(root / "nope.json") in str(err.value)
    with pytest.raises(ProjectError, match="is a folder, not a project file"):
        load_project(root)


# ---------------------------------------------------------------- fuzz

JUNK = [None, True, False, 0, -1, 1, 2 ** 63, -(10 ** 400), 10 ** 400, 1e308, -1e308, float("inf"), float("-inf"),
        float("nan"), 0.5, -0.0, "", "x", "3/2", "1/0", "nan", "../../etc/passwd", "a\x00b", "lofi_85", "ü👋\n",
        [], [None], [[[]]], {}, {"type": "clip"}, {"a": [{"b": {}}]}, [{"kind": "video"}], "#tag", "fill", "30000/1001"]


def _nodes(data, path=()):
    yield path, data
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _nodes(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _nodes(v, (*path, i))


def _mutate(rng: random.Random, data):
    nodes = list(_nodes(data))
    path, node = rng.choice(nodes)
    if not path:
        return rng.choice([data, [data], None, "x"]) if rng.random() < 0.05 else data
    parent = data
    for k in path[:-1]:
        parent = parent[k]
    key = path[-1]
    action = rng.randrange(5)
    if action == 0:
        del parent[key]
    elif action == 1:  # swap in a value of another type, or one from elsewhere in the file
        parent[key] = copy.deepcopy(rng.choice([rng.choice(JUNK), rng.choice(nodes)[1]]))
    elif action == 2 and isinstance(node, dict):
        node[rng.choice(["type", "id", "kind", "extra", "start_s", "version", "items", ""])] = copy.deepcopy(rng.choice(JUNK))
    elif action == 3 and isinstance(node, list):
        node.insert(rng.randint(0, len(node)), copy.deepcopy(rng.choice(JUNK + [rng.choice(nodes)[1]])))
    else:
        parent[key] = copy.deepcopy(rng.choice(JUNK))
    return data


def test_fuzzed_projects_only_ever_raise_project_error(root):
    rng = random.Random(1234)
    base = project_to_dict(full_project(root / "media"), root)
    v1 = v1_file()
    path = root / "fuzz.json"
    outcomes = {"loaded": 0, "refused": 0}
    for n in range(500):
        data = copy.deepcopy(v1 if n % 5 == 0 else base)
        for _ in range(rng.randint(1, 4)):
            data = _mutate(rng, data)
        path.write_text(json.dumps(data, ensure_ascii=rng.random() < 0.5), encoding="utf-8")
        try:
            project = load_project(path)
        except ProjectError as exc:
            assert "\n" not in str(exc) and str(exc).startswith("fuzz.json"), str(exc)
            outcomes["refused"] += 1
        else:
            check_invariants(project.timeline)
            assert project.fps > 0 and project.width > 0
            outcomes["loaded"] += 1
    assert outcomes["loaded"] > 20 and outcomes["refused"] > 200, outcomes


def test_relative_in_memory_paths_are_stored_relative_to_the_project_file(tmp_path, monkeypatch):
    """A path typed relative to the working folder still resolves after saving elsewhere."""
    from studio.model import Clip, Project, Timeline, Track, load_project, save_project

    (tmp_path / "work" / "media").mkdir(parents=True)
    (tmp_path / "work" / "media" / "a.mp4").write_bytes(b"x")
    (tmp_path / "projects").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    project = Project(timeline=Timeline((Track("video", (Clip("clip-1", "media/a.mp4", 0, 10),)),)))
    saved = save_project(project, tmp_path / "projects" / "p.studio")
    assert '"source": "../work/media/a.mp4"' in saved.read_text()
    assert load_project(saved).timeline.get("clip-1").source == str(tmp_path / "work" / "media" / "a.mp4")
