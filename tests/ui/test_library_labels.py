"""Library grid titles are shown whole: each wraps into its cell in at most two lines."""
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics


def _assert_titles_whole(view) -> None:
    """Every title of a grid `view` fits its cell's text area, and the laid-out item gives it that
    room (uniform item sizes once cut every title to the first one's single line)."""
    metrics = QFontMetrics(view.font())
    grid = view.gridSize()
    box = QRect(0, 0, grid.width() - 6, grid.height() - view.iconSize().height() - 6)
    for i in range(view.count()):
        title = view.item(i).text()
        need = metrics.boundingRect(box, int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignHCenter), title)
        assert need.width() <= box.width() and need.height() <= box.height(), title
        icon = view.item(i).icon().actualSize(view.iconSize()).height()
        shown = view.visualItemRect(view.item(i))
        assert shown.height() >= icon + need.height(), (title, shown.height())


def test_every_grid_title_fits_its_cell(window, qtbot):
    lib = window.library
    for panel in (lib.effects, lib.looks, lib.text, lib.stickers):
        lib.setCurrentWidget(panel)
        qtbot.wait(50)  # laid out as shown
        _assert_titles_whole(panel.list)


def test_safe_zone_choice_is_not_cut(window, qtbot):
    combo = window.preview.safe_combo
    longest = max((combo.itemText(i) for i in range(combo.count())), key=len)
    assert "safe zone" not in longest
    combo.setCurrentIndex(next(i for i in range(combo.count()) if combo.itemText(i) == longest))
    qtbot.waitUntil(lambda: combo.isVisible())
    assert combo.width() >= QFontMetrics(combo.font()).horizontalAdvance(longest) + 16


def test_record_mode_grids_show_whole_titles(window, qtbot):
    panel = window.record_panel
    window.set_mode("record")
    qtbot.wait(100)
    for view in (panel.effects_list, panel.looks_list):
        _assert_titles_whole(view)
    window.set_mode("edit")
