"""Every built-in template, filled with media the generator never saw, exports, passes pre-flight,
and cuts where its sound's beats are: scene cuts found in the decoded file fall within one frame
of the beat times in assets/sounds/library.json. Also: the committed files are what
tools/gen_templates makes, and each has a small animated preview."""
from __future__ import annotations

import json
import time

import pytest
from PIL import Image

from studio.render.export import ExportOptions, export_project
from studio.templates import apply_template, list_templates, template_to_dict
from template_media import ROOT, detect_cuts, frame_differences, frame_error, library_beats

BUILTIN = [t for t in list_templates() if not t.user]
KINDS = {"montage", "transformation", "vlog", "tutorial", "product", "list", "food", "travel", "quote", "reaction"}


def test_at_least_ten_built_ins_cover_what_creators_post():
    assert len(BUILTIN) >= 10
    assert KINDS <= {t.category for t in BUILTIN}
    assert len({t.id for t in BUILTIN}) == len(BUILTIN)


@pytest.mark.parametrize("template", BUILTIN, ids=lambda t: t.id)
def test_slots_are_cut_on_the_sounds_beat_grid(template):
    beats = library_beats(template.sound)
    starts = sorted(template.slot_clip(s.id).start for s in template.slots)
    ends = [template.slot_clip(s.id).end for s in template.slots]
    assert starts[0] == 0 and len(template.cut_beats) == len(template.slots) + 1
    boundaries = starts + [max(ends)]
    for frame, beat in zip(boundaries, template.cut_beats):
        assert frame_error(frame, beats[beat]) <= 0.5, (frame, beat, beats[beat])
    assert template.project.duration == max(ends)  # nothing runs past the last slot


@pytest.mark.parametrize("template", BUILTIN, ids=lambda t: t.id)
def test_template_exports_with_cuts_on_the_beat(template, template_media, tmp_path, record_property):
    started = time.monotonic()
    texts = {template.texts[0].id: "Words from the test"} if template.texts else {}
    project = apply_template(template, [str(p) for p in template_media], texts)
    assert [c.id for c in project.timeline.tracks[0].items] == [s.id for s in template.slots]
    assert all(c.source != "slot" for c in project.timeline.tracks[0].items)
    if texts:
        assert project.timeline.get(template.texts[0].id).content == "Words from the test"
    result = export_project(project, tmp_path / "out.mp4", ExportOptions(quality="draft"))
    assert result.preflight["passed"] is True, result.preflight["findings"]
    assert result.loudness["has_audio"] and result.frames == project.duration

    cuts = detect_cuts(frame_differences(result.path))
    beats = library_beats(template.sound)
    beat_times = [beats[b] for b in template.cut_beats[1:-1]]
    assert len(cuts) == len(beat_times), (cuts, [round(b * 30, 2) for b in beat_times])
    errors = [frame_error(frame, beat) for frame, beat in zip(cuts, beat_times)]
    assert max(errors) <= 1.0, errors
    record_property("cut_errors_frames", [round(e, 2) for e in errors])
    record_property("seconds", round(time.monotonic() - started, 1))
    print(f"{template.id}: cut errors (frames) {[round(e, 2) for e in errors]}, "
          f"{time.monotonic() - started:.1f} s")


@pytest.mark.parametrize("template", BUILTIN, ids=lambda t: t.id)
def test_committed_template_is_what_the_generator_makes(template):
    from tools.gen_templates.designs import DESIGNS

    design = next(d for d in DESIGNS if d().id == template.id)
    made = template_to_dict(design().template())
    committed = json.loads(template.path.read_text(encoding="utf-8"))
    committed.pop("preview")
    made.pop("preview")
    assert made == committed, "run python -m tools.gen_templates"


@pytest.mark.parametrize("template", BUILTIN, ids=lambda t: t.id)
def test_preview_is_small_and_animated(template):
    assert template.preview is not None and template.preview.parent == ROOT / "assets" / "templates"
    assert template.preview.stat().st_size < 300_000
    with Image.open(template.preview) as image:
        assert image.format == "WEBP" and image.size == (144, 256)
        frames = image.n_frames
        first = image.convert("RGB").copy()
        image.seek(frames // 2)
        middle = image.convert("RGB")
        assert first.tobytes() != middle.tobytes()
    # one preview frame every 0.1 s of the template
    assert abs(frames / 10 - template.duration_seconds) <= 0.11
