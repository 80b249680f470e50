"""The preview keeps its frames and its soundtrack across edits that do not change them: a caption
keystroke changes neither, a text edit only the picture, a sound's volume only the mix."""
import dataclasses

from studio.model import SoundItem, TextItem
from studio.render.dependencies import picture_inputs, sound_inputs


def _first(window, kind):
    return next(i for i in window.document.project.timeline.all_items() if isinstance(i, kind))


def test_caption_keystrokes_keep_the_preview_frames_and_the_soundtrack(window, qtbot):
    preview, doc = window.preview, window.document
    shown = []
    preview.renderer.frame_ready.connect(lambda f, image: shown.append(f))
    doc.set_playhead(10)
    qtbot.waitUntil(lambda: 10 in shown, timeout=20000)
    before = doc.project

    for text in ("S", "Su", "Sun", "Sunset #beach"):  # the export dialog's caption, typed
        assert doc.set_metadata(caption=text)
    shown.clear()
    preview.refresh()
    assert shown == [10]  # shown at once from the cache: the caption did not flush it
    picture, sound = preview.picture_key(doc.project), preview.sound_key(doc.project)
    assert (picture, sound) == (preview.picture_key(before), preview.sound_key(before))

    text = _first(window, TextItem)
    assert doc.set_property(text.id, "content", text.content + "!")
    assert preview.picture_key(doc.project) != picture and preview.sound_key(doc.project) == sound

    sound_item = _first(window, SoundItem)
    picture = preview.picture_key(doc.project)
    assert doc.set_property(sound_item.id, "volume_db", sound_item.volume_db - 3)
    assert preview.picture_key(doc.project) == picture and preview.sound_key(doc.project) != sound


def test_inputs_follow_what_the_mix_and_the_compositor_read(demo_project):
    from studio.model import load_project

    project = load_project(demo_project)
    muted = dataclasses.replace(project, timeline=dataclasses.replace(project.timeline, tracks=tuple(
        dataclasses.replace(t, muted=True) if any(isinstance(i, SoundItem) for i in t.items) else t
        for t in project.timeline.tracks)))
    assert sound_inputs(muted) != sound_inputs(project)  # muting a sound track changes the mix
    renamed = dataclasses.replace(project, name="Other", metadata=dataclasses.replace(project.metadata, caption="x"))
    assert sound_inputs(renamed) == sound_inputs(project) and picture_inputs(renamed) == picture_inputs(project)
