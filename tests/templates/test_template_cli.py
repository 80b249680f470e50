"""`studio template list|apply|save` and `studio quick --cut-to-beat N`, run as a user would (a child
process): exports that pass pre-flight, cuts on the beat, and bad input as one line with exit 3."""
from __future__ import annotations

import json

import pytest

from studio.model import save_project
from studio.quick import build_quick_project
from template_media import detect_cuts, frame_differences, frame_error, library_beats


def _one_error(proc, mediagen) -> str:
    lines = mediagen.error_lines(proc.stderr)
    assert proc.returncode == 3 and len(lines) == 1 and lines[0].startswith("studio: error: "), proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    return lines[0]


def test_list(mediagen):
    proc = mediagen.run_studio("template", "list")
    assert proc.returncode == 0, proc.stderr
    ids = [line.split()[0] for line in proc.stdout.splitlines()]
    assert len(ids) >= 10 and "beat-montage" in ids and "reaction" in ids
    rows = json.loads(mediagen.run_studio("template", "list", "--json").stdout)
    assert [r["id"] for r in rows] == ids
    for row in rows:
        assert row["slots"] and row["sound"] and row["cuts"] and row["duration"] > 5
        assert row["preview"].endswith(".webp") and row["origin"] == "library"
        assert {t["id"] for t in row["texts"]} and all(t["placeholder"] for t in row["texts"])


def test_apply_exports_and_saves_the_project(mediagen, template_media, tmp_path):
    out, saved = tmp_path / "montage.mp4", tmp_path / "montage.studio"
    proc = mediagen.run_studio("template", "apply", "beat-montage", *template_media[:3], "-o", out,
                               "--text", "title=Lisbon days", "--text", "caption=", "--save-project", saved,
                               "--quality", "draft", "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout)
    assert summary["preflight"]["passed"] is True and summary["output"] == str(out)
    info = mediagen.decode_info(out)
    assert (info.width, info.height, info.audio_codec) == (1080, 1920, "aac")
    project = json.loads(saved.read_text())
    items = {i["id"]: i for t in project["timeline"]["tracks"] for i in t["items"]}
    assert items["title"]["content"] == "Lisbon days" and "caption" not in items
    names = [items[f"slot-{n}"]["source"].rsplit("/", 1)[-1] for n in range(1, 9)]
    assert names == ["a.mp4", "b.png", "c.mp4"] * 2 + ["a.mp4", "b.png"]  # three media for eight slots
    cuts = detect_cuts(frame_differences(out))
    assert cuts == [items[f"slot-{n}"]["start"] for n in range(2, 9)]


@pytest.mark.parametrize("args, message", [
    (["no-such-template", "{a}"], "unknown template 'no-such-template'; try `studio template list`"),
    (["recipe", "{missing}"], "missing.mp4: file not found"),
    (["recipe", "{text_file}"], "notes.mp4: "),
    (["recipe", "{a}", "--text", "titel=Soup"], "template 'recipe' has no text slot 'titel' (its text slots: "),
    (["recipe", "{a}", "--text", "Soup"], "--text 'Soup': give SLOT=TEXT"),
])
def test_apply_errors_are_one_line(mediagen, template_media, tmp_path, args, message):
    (tmp_path / "notes.mp4").write_text("these are notes, not a video\n")
    names = {"a": template_media[0], "missing": tmp_path / "missing.mp4", "text_file": tmp_path / "notes.mp4"}
    out = tmp_path / "out.mp4"
    proc = mediagen.run_studio("template", "apply", *[a.format(**names) for a in args], "-o", out)
    assert _one_error(proc, mediagen).startswith(f"studio: error: {message}")
    assert not out.exists() and list(tmp_path.glob("*.mp4")) == [tmp_path / "notes.mp4"]


def test_save_a_project_as_a_template(mediagen, template_media, tmp_path, private_user_data):
    project = build_quick_project([str(template_media[0]), str(template_media[1])], texts=["My week"],
                                  sound="porch-acoustic")
    path = tmp_path / "week.studio"
    save_project(project, path)
    proc = mediagen.run_studio("template", "save", path, "-o", "week recap")
    assert proc.returncode == 0, proc.stderr
    assert "saved template 'my_week_recap' (2 slots, 1 text slots)" in proc.stdout
    assert (private_user_data / "templates" / "week_recap.json").is_file()
    rows = json.loads(mediagen.run_studio("template", "list", "--json").stdout)
    mine = next(r for r in rows if r["id"] == "my_week_recap")
    assert mine["origin"] == "user" and [s["id"] for s in mine["slots"]] == ["slot-1", "slot-2"]
    assert mine["texts"] == [{"id": "text-1", "label": "My week", "placeholder": "My week"}]
    assert mine["preview"] == str(private_user_data / "templates" / "week_recap.webp")
    # a second save under that name is refused unless told to replace it
    assert "already exists" in _one_error(mediagen.run_studio("template", "save", path, "-o", "week recap"),
                                          mediagen)
    again = mediagen.run_studio("template", "save", path, "-o", "week recap", "--replace", "--no-preview")
    assert again.returncode == 0, again.stderr
    missing = _one_error(mediagen.run_studio("template", "save", tmp_path / "nope.studio", "-o", "x"), mediagen)
    assert "nope.studio: no such project file" in missing


def test_quick_cut_to_beat_two(mediagen, template_media, tmp_path):
    out = tmp_path / "beat.mp4"
    media = [template_media[i] for i in (0, 2, 3)]
    proc = mediagen.run_studio("quick", *media, "--sound", "night-trap", "--cut-to-beat", "2", "-o", out,
                               "--quality", "draft", "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout)
    assert summary["preflight"]["passed"] is True
    beats = library_beats("night-trap")  # 140 BPM: beats fall between frames
    cuts = detect_cuts(frame_differences(out))
    expected = [beats[2 * n] for n in range(1, len(cuts) + 1)]
    assert len(cuts) == 5 and summary["frames"] >= 150  # six stretches of two beats pass 5 s
    errors = [frame_error(c, t) for c, t in zip(cuts, expected)]
    assert max(errors) <= 1.0, (cuts, [round(t * 30, 2) for t in expected])
    print(f"cut-to-beat 2, night-trap: cut errors (frames) {[round(e, 2) for e in errors]}")
    # the music is there: an AAC track at the platforms' loudness
    info = mediagen.decode_info(out)
    assert info.audio_codec == "aac" and summary["loudness"]["has_audio"]
    assert abs(summary["loudness"]["integrated_lufs"] + 14) < 1.5


@pytest.mark.parametrize("args, code, message", [
    (["--sound", "whoosh", "--cut-to-beat", "2"], 3, "sound 'whoosh' has no beat grid"),
    (["--cut-to-beat", "2"], 3, "--cut-to-beat needs a music sound"),
    (["--sound", "sunny-pop", "--cut-to-beat", "3"], 2, "invalid choice: 3"),
])
def test_cut_to_beat_errors(mediagen, template_media, tmp_path, args, code, message):
    out = tmp_path / "o.mp4"
    proc = mediagen.run_studio("quick", template_media[0], *args, "-o", out)
    assert proc.returncode == code and message in proc.stderr, proc.stderr[-1500:]
    if code == 3:
        _one_error(proc, mediagen)
    assert not out.exists()
