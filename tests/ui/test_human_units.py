"""The inspector and the timeline speak a creator's units: times in seconds, fractions in %, a
clip's gain in dB; undo entries and headings name items by what they show, not by their ids."""
from fractions import Fraction

import pytest

from studio.model import Clip, Project, SoundItem, TextItem, Timeline, Track
from studio.ui import timeline_geometry as tg
from studio.ui.document import ProjectDocument
from studio.ui.inspector import Inspector


def _inspector(qtbot, fps=Fraction(30)):
    tl = Timeline((Track("video", (Clip("clip-1", "/media/take.mp4", 0, 90, source_frames=90),), name="Video"),
                   Track("overlay", (TextItem("text-1", 0, 60, "Wait for it"),)),
                   Track("audio", (SoundItem("sound-1", "/media/beat.wav", 0, 90),))))
    doc = ProjectDocument(Project(name="units", fps=fps, timeline=tl))
    inspector = Inspector(doc)
    qtbot.addWidget(inspector)
    return doc, inspector


@pytest.mark.parametrize("fps, frames", [(Fraction(30), 45), (Fraction(25), 38), (Fraction(60), 90)])
def test_frame_fields_are_edited_in_seconds_at_the_project_rate(qtbot, fps, frames):
    doc, inspector = _inspector(qtbot, fps)
    doc.select(["sound-1"])
    fade = inspector.editors["fade_in"][0]
    assert fade.suffix() == " s" and fade.value() == 0
    fade.setValue(1.5)
    assert doc.project.timeline.get("sound-1").fade_in == frames
    assert doc.undo_stack.undoText() == "Change fade in of “beat”"
    doc.undo_stack.undo()
    assert doc.project.timeline.get("sound-1").fade_in == 0 and fade.value() == 0


def test_opacity_in_percent_and_names_in_headings_and_undo(qtbot):
    doc, inspector = _inspector(qtbot)
    doc.select(["text-1"])
    assert inspector.title.text().startswith("Text “Wait for it”   0:00 – 0:02")
    opacity = inspector.editors["opacity"][0]
    assert opacity.suffix() == " %" and opacity.value() == 100
    opacity.setValue(40)
    assert doc.project.timeline.get("text-1").opacity == pytest.approx(0.4)
    assert doc.undo_stack.undoText() == "Change opacity of text “Wait for it”"
    size = inspector.editors["size"][0]
    assert size.value() == 100 and size.suffix() == " %"
    length = inspector.editors["anim_frames"][0]
    assert length.suffix() == " s" and length.value() == pytest.approx(0.3)  # 9 frames at 30 fps


def test_clip_volume_in_db_with_mute_at_the_bottom(qtbot):
    doc, inspector = _inspector(qtbot)
    doc.select(["clip-1"])
    volume = inspector.editors["volume"][0]
    assert volume.suffix() == " dB" and volume.value() == 0
    volume.setValue(-6)
    assert doc.project.timeline.get("clip-1").volume == pytest.approx(10 ** (-6 / 20), abs=1e-4)
    volume.setValue(volume.minimum())
    assert doc.project.timeline.get("clip-1").volume == 0 and volume.text() == "Muted"
    assert doc.undo_stack.undoText() == "Change volume of “take.mp4”"
    assert inspector.title.text().startswith("Clip “take.mp4”")


def test_time_labels_read_as_seconds():
    assert tg.timecode_label(45, Fraction(30)) == "0:01.5"
    assert tg.timecode_label(1800, Fraction(30)) == "1:00"
    assert tg.timecode_label(2, Fraction(30)) == "0:00.1"
    assert tg.timecode_label(3003, Fraction(30000, 1001)) == "1:40.2"
    assert tg.seconds_label(15, Fraction(30)) == "0.5 s" and tg.seconds_label(60, Fraction(30)) == "2 s"


def test_effect_edits_are_named_by_effect_and_clip(qtbot):
    import dataclasses

    from studio.model import EffectRef

    doc, inspector = _inspector(qtbot)
    assert inspector.add_effect("clip-1", "beauty")
    assert doc.undo_stack.undoText() == "Add effect “Beauty” to “take.mp4”"
    doc.select(["clip-1"])
    inspector.effect_editors[-1]["strength"].widget.setValue(0.9)
    assert doc.undo_stack.undoText() == "Change smoothing of “Beauty” on “take.mp4”"
    clip = doc.project.timeline.get("clip-1")
    assert clip.effects[0] == dataclasses.replace(EffectRef("beauty", clip.effects[0].params), enabled=True)
    assert clip.effects[0].params["strength"] == pytest.approx(0.9)


def test_emphasise_wraps_the_selected_word_as_one_undo_step(qtbot):
    doc, inspector = _inspector(qtbot)
    doc.select(["text-1"])
    box = inspector.editors["content"][0]
    cursor = box.textCursor()
    cursor.setPosition(len("Wait for "))
    cursor.setPosition(len("Wait for it"), cursor.MoveMode.KeepAnchor)
    box.setTextCursor(cursor)
    box.emphasise_action.trigger()
    assert doc.project.timeline.get("text-1").content == "Wait for *it*"
    assert box.textCursor().selectedText() == "*it*"
    assert "Emphasise" in [a.text() for a in box.actions()]
    doc.undo_stack.undo()
    assert doc.project.timeline.get("text-1").content == "Wait for it"
    box.emphasise_action.trigger()  # (the selection is kept through undo's redisplay)
    box.emphasise_action.trigger()  # again on the emphasised word: unwrapped
    assert doc.project.timeline.get("text-1").content == "Wait for it"


def test_ctrl_shift_k_in_the_windows_text_box_emphasises(window, qtbot):
    """The shortcut works in the real window (a clash with a window shortcut would silence both)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from PySide6.QtWidgets import QApplication

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)  # shortcuts need it
    window.document.select(["text-1"])
    qtbot.waitUntil(lambda: "content" in window.inspector.editors
                    and window.inspector.editors["content"][0].isVisible(), timeout=5000)
    box = window.inspector.editors["content"][0]
    box.setFocus()
    qtbot.waitUntil(box.hasFocus, timeout=3000)
    cursor = box.textCursor()
    cursor.setPosition(0)
    box.setTextCursor(cursor)  # in "Made": the word at the cursor
    QTest.keyClick(box, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.document.project.timeline.get("text-1").content == "*Made* with Studio"
