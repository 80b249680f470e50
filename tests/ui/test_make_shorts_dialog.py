"""Edit ▸ Make shorts…: a project with two markers becomes two 9:16 shorts, exported off the UI thread
with progress, each listed with its pre-flight verdict and an Open button; decoded back, each is
1080x1920 and as long as the plan the dialog showed."""
from __future__ import annotations

from fractions import Fraction

import av

from studio.model import Clip, Marker, Project, Timeline, Track, save_project


def test_make_shorts_exports_one_short_per_marker(make_window, qtbot, tmp_path, clip_file):
    source = clip_file(tmp_path / "talk.mp4", seconds=8.0)
    clip = Clip("clip-1", str(source), 0, 240, source_frames=240)
    project = Project(name="Talk", fps=Fraction(30), timeline=Timeline((Track("video", (clip,), name="Video"),)),
                      markers=(Marker(60, "the intro"), Marker(200, "the answer")))
    window = make_window(save_project(project, tmp_path / "talk.studio"))
    window.acts["make_shorts"].trigger()
    dialog = window._dialogs[-1]
    assert dialog.table.rowCount() == 2 and "2 markers" in dialog.heading.text()
    dialog.before.setValue(1.0)
    dialog.after.setValue(2.0)  # 3 s asked; grown to the 5 s minimum, inside the recording
    assert [(p.start, p.end) for p in dialog.plans] == [(0, 150), (90, 240)]
    assert dialog.table.item(1, 2).text() == "0:03.0 – 0:08.0" and dialog.table.item(1, 3).text() == "5.0 s"
    opened = []
    dialog.open_url = lambda url: opened.append(url.toLocalFile()) or True
    dialog.out_dir.setText(str(tmp_path / "shorts"))
    progress = []
    dialog.progress.valueChanged.connect(progress.append)

    assert dialog.start()
    assert not dialog.start_button.isEnabled() and dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60000)
    assert [r.error for r in dialog.results] == [None, None]
    assert progress and progress[-1] == 1000
    assert "2 of 2 short(s) made" in dialog.line.text()
    for row, (result, plan) in enumerate(zip(dialog.results, dialog.plans)):
        assert result.path.parent == tmp_path / "shorts" and result.path.name == f"{plan.name}.mp4"
        assert dialog.table.item(row, 4).text().startswith(("✓", "⚠"))  # the pre-flight's verdict
        with av.open(str(result.path)) as c:
            v = c.streams.video[0]
            assert (v.codec_context.width, v.codec_context.height) == (1080, 1920)
            frames = sum(1 for _ in c.decode(video=0))
        assert frames == plan.end - plan.start
        dialog.table.cellWidget(row, 5).click()
    assert opened == [str(r.path) for r in dialog.results]
    dialog.folder_button.click()
    assert opened[-1] == str(tmp_path / "shorts")
    dialog.reject()


def test_make_shorts_without_markers_says_how_to_get_them(window):
    dialog = window.open_make_shorts()
    if window.document.project.markers:
        return  # (the demo has none today; the wording below is for a project without)
    assert dialog.table.rowCount() == 0 and not dialog.start_button.isEnabled()
    assert "no markers" in dialog.heading.text()
    dialog.reject()
