"""The media bin: a corrupt import says so and can be removed (Delete key or the context menu),
without touching the file on disk or the timeline; media the timeline uses stays."""
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from studio.model import Clip


def _row(media, path):
    return media.paths.index(Path(path))


def test_corrupt_import_is_removed_with_delete_and_nothing_else_changes(window, tmp_path, qtbot):
    media = window.library.media
    window.library.setCurrentWidget(media)
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x17" * 500)  # an MP4 header and nothing playable
    media.import_path(broken)
    item = media.list.item(_row(media, broken))
    assert "unreadable" in item.text()

    clip = next(i for i in window.document.project.timeline.all_items() if isinstance(i, Clip))
    window.document.select([clip.id])  # the window's Delete would delete this clip
    project = window.document.project
    media.list.setCurrentItem(item)
    window.activateWindow()
    media.list.setFocus()
    qtbot.waitUntil(media.list.hasFocus, timeout=3000)
    QTest.keyClick(media.list, Qt.Key.Key_Delete)

    assert Path(broken) not in media.paths and media.list.count() == len(media.paths)
    assert all(media.list.item(i).data(Qt.ItemDataRole.UserRole) != str(broken) for i in range(media.list.count()))
    assert broken.exists()  # off the bin, never off the disk
    assert window.document.project is project  # the timeline's selection was not deleted
    assert "media bin" in window.statusBar().currentMessage()


def test_media_used_on_the_timeline_stays_in_the_bin(window):
    media = window.library.media
    clip = next(i for i in window.document.project.timeline.all_items() if isinstance(i, Clip))
    count = media.list.count()
    assert media.remove_paths([clip.source]) == []
    assert media.list.count() == count and Path(clip.source) in media.paths
    assert "used on the timeline" in window.statusBar().currentMessage()
