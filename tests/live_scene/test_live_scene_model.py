"""LIVE settings in project files: round trip, left out when unset, and one clear line for each
hand-edited mistake (naming the field), never a traceback."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from studio.model import (EffectRef, Project, ProjectError, load_project, project_from_dict, project_to_dict,
                          save_project)
from studio.model.live_scene import LiveOverlay, LiveScene, LiveSettings, Rect, SecondSource


def _live(media: Path) -> LiveSettings:
    logo = media / "logo.png"
    loop = media / "loop.mp4"
    return LiveSettings(
        width=1080, height=1920, fps=30, orientation="portrait", video_kbps=4500,
        url="rtmp://live.example.com/app",
        scenes=(
            LiveScene("main", "Talking", "pip",
                      camera_effects=(EffectRef("beauty", {"amount": 0.4}), EffectRef("sparkles", enabled=False)),
                      look="vivid",
                      overlays=(LiveOverlay("text", x=0.5, y=0.9, text="Ask me anything", style="bold_box", size=1.2),
                                LiveOverlay("sticker", x=0.1, y=0.1, width=0.2, source="heart"),
                                LiveOverlay("image", x=0.85, y=0.95, width=0.15, source=str(logo), opacity=0.8),
                                LiveOverlay("clock", x=0.1, y=0.97, text="%H:%M:%S"),
                                LiveOverlay("countdown", y=0.5, text="Starting in {}", target=20 * 3600)),
                      second_source=SecondSource("file", str(loop)), pip=Rect(0.05, 0.05, 0.3, 0.25)),
            LiveScene("screen", "Screen", "split", second_source=SecondSource("screen", ":0.0+0,0")),
            LiveScene("cam", layout="full"),
        ),
        active_scene="main")


def test_round_trip_keeps_every_field(tmp_path):
    root = tmp_path.resolve()
    (root / "media").mkdir()
    (root / "proj").mkdir()
    project = Project(name="live", live=_live(root / "media"))
    path = save_project(project, root / "proj" / "p.studio.json")
    saved = json.loads(path.read_text())
    # media paths are stored relative to the project file, like every other media path
    scene = saved["live"]["scenes"][0]
    assert scene["overlays"][2]["source"] == "../media/logo.png"
    assert scene["second_source"]["path_or_index"] == "../media/loop.mp4"
    assert saved["live"]["scenes"][1]["second_source"]["path_or_index"] == ":0.0+0,0"  # a display, not a path
    assert load_project(path) == project


def test_no_live_section_when_unset_so_older_files_stay_as_they_were():
    assert "live" not in project_to_dict(Project())
    assert project_from_dict(project_to_dict(Project())).live is None
    assert project_from_dict({**project_to_dict(Project()), "live": None}).live is None


def test_stream_key_is_not_a_field():
    data = project_to_dict(Project(live=LiveSettings(scenes=(LiveScene("a"),), active_scene="a")))
    data["live"]["stream_key"] = "secret"
    with pytest.raises(ProjectError, match=r"^live\.stream_key: is not a known field"):
        project_from_dict(data)


def _good() -> dict:
    return project_to_dict(Project(live=_live(Path("/media"))))


def _edited(change) -> dict:
    data = copy.deepcopy(_good())
    change(data["live"])
    return data


BAD = [
    ("bad layout", lambda d: d["scenes"][0].update(layout="grid"),
     r"^live\.scenes\[0\]\.layout: must be one of full, pip, split, got 'grid'$"),
    ("negative pip size", lambda d: d["scenes"][0]["pip"].update(w=-0.2),
     r"^live\.scenes\[0\]\.pip\.w: must be positive, got -0\.2$"),
    ("negative overlay width", lambda d: d["scenes"][0]["overlays"][1].update(width=-1),
     r"^live\.scenes\[0\]\.overlays\[1\]\.width: must be positive, got -1$"),
    ("unknown overlay kind", lambda d: d["scenes"][0]["overlays"][0].update(kind="gif"),
     r"^live\.scenes\[0\]\.overlays\[0\]\.kind: must be one of text, sticker, image, clock, countdown, got 'gif'$"),
    ("overlay without kind", lambda d: d["scenes"][0]["overlays"][0].pop("kind"),
     r"^live\.scenes\[0\]\.overlays\[0\]\.kind: is required but missing$"),
    ("sticker without a source", lambda d: d["scenes"][0]["overlays"][1].update(source=""),
     r"^live\.scenes\[0\]\.overlays\[1\]\.source: must name a file or a library item"),
    ("unknown second source", lambda d: d["scenes"][0]["second_source"].update(kind="ndi"),
     r"^live\.scenes\[0\]\.second_source\.kind: must be one of file, camera, screen, got 'ndi'$"),
    ("pip without second source", lambda d: d["scenes"][0].update(second_source=None),
     r"^live\.scenes\[0\]\.second_source: is needed by the 'pip' layout"),
    ("camera without index", lambda d: d["scenes"][0]["second_source"].update(kind="camera", path_or_index=" "),
     r"^live\.scenes\[0\]\.second_source\.path_or_index: must name a camera"),
    ("countdown past midnight", lambda d: d["scenes"][0]["overlays"][4].update(target=90000),
     r"^live\.scenes\[0\]\.overlays\[4\]\.target: must be between 0 and 86399, got 90000$"),
    ("text as a number", lambda d: d["scenes"][0]["overlays"][0].update(text=5),
     r"^live\.scenes\[0\]\.overlays\[0\]\.text: must be text, got 5$"),
    ("overlays not a list", lambda d: d["scenes"][0].update(overlays={}),
     r"^live\.scenes\[0\]\.overlays: must be a list, got \{\}$"),
    ("unknown effect field", lambda d: d["scenes"][0]["camera_effects"][0].update(strength=2),
     r"^live\.scenes\[0\]\.camera_effects\[0\]\.strength: is not a known field"),
    ("size not for the orientation", lambda d: d.update(orientation="landscape"),
     r"^live\.width: a landscape stream must be 1280x720 or 1920x1080, not 1080x1920"),
    ("odd size", lambda d: d.update(width=1000),
     r"^live\.width: a portrait stream must be 720x1280 or 1080x1920, not 1000x1920"),
    ("fps too high", lambda d: d.update(fps=240), r"^live\.fps: must be between 1 and 60, got 240$"),
    ("bitrate as text", lambda d: d.update(video_kbps="fast"),
     r"^live\.video_kbps: must be a whole number, got 'fast'$"),
    ("active scene unknown", lambda d: d.update(active_scene="nope"),
     r"^live\.active_scene: must name one of the scenes \(main, screen, cam\), got 'nope'$"),
    ("scene id twice", lambda d: d["scenes"][2].update(id="main"),
     r"^live\.scenes\[2\]\.id: is used twice, got 'main'$"),
    ("scene without id", lambda d: d["scenes"][2].pop("id"), r"^live\.scenes\[2\]\.id: is required but missing$"),
    ("empty look", lambda d: d["scenes"][0].update(look=""), r"^live\.scenes\[0\]\.look: must name a look"),
    ("scene not an object", lambda d: d["scenes"].append(3), r"^live\.scenes\[3\]: must be an object, got 3$"),
]


@pytest.mark.parametrize("change,message", [(c, m) for _, c, m in BAD], ids=[n for n, _, _ in BAD])
def test_hand_edited_mistake_is_one_clear_line(change, message):
    with pytest.raises(ProjectError, match=message) as err:
        project_from_dict(_edited(change))
    assert "\n" not in str(err.value)


def test_live_not_an_object(tmp_path):
    data = {**_good(), "live": [1, 2]}
    path = tmp_path / "p.studio.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ProjectError, match=r"^p\.studio\.json: live: must be an object, got \[1, 2\]$"):
        load_project(path)


def test_defaults_fill_in_for_a_short_hand_written_section():
    data = {**project_to_dict(Project()), "live": {"scenes": [{"id": "s", "overlays": [{"kind": "clock"}]}],
                                                  "active_scene": "s"}}
    live = project_from_dict(data).live
    assert (live.width, live.height, live.fps, live.orientation, live.video_kbps) == (720, 1280, 30, "portrait", None)
    assert live.scenes[0].overlays[0] == LiveOverlay("clock")
    assert live.scene("s").layout == "full" and live.scene("s").pip == Rect()
