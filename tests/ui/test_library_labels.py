"""Library grid titles are shown whole: each wraps into its cell in at most two lines."""
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics


def test_every_grid_title_fits_its_cell(window, qtbot):
    lib = window.library
    for panel in (lib.effects, lib.looks, lib.text, lib.stickers):
        lib.setCurrentWidget(panel)
        qtbot.wait(50)  # laid out as shown
        view = panel.list
        metrics = QFontMetrics(view.font())
        grid = view.gridSize()
        text_box = QRect(0, 0, grid.width() - 6, grid.height() - view.iconSize().height() - 6)
        for i in range(view.count()):
            title = view.item(i).text()
            need = metrics.boundingRect(text_box, int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignHCenter), title)
            assert need.width() <= text_box.width() and need.height() <= text_box.height(), title
            # ... and the view gives the item that room (uniform item sizes once cut every title to a line)
            shown = view.visualItemRect(view.item(i))
            icon = view.item(i).icon().actualSize(view.iconSize()).height()
            assert shown.height() >= icon + need.height(), (title, shown.height())


def test_safe_zone_choice_is_not_cut(window, qtbot):
    from PySide6.QtGui import QFontMetrics

    combo = window.preview.safe_combo
    longest = max((combo.itemText(i) for i in range(combo.count())), key=len)
    assert "safe zone" not in longest
    combo.setCurrentIndex(next(i for i in range(combo.count()) if combo.itemText(i) == longest))
    qtbot.waitUntil(lambda: combo.isVisible())
    assert combo.width() >= QFontMetrics(combo.font()).horizontalAdvance(longest) + 16


def test_record_mode_grids_show_whole_titles(window, qtbot):
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QFontMetrics

    panel = window.record_panel
    window.set_mode("record")
    qtbot.wait(100)
    for view in (panel.effects_list, panel.looks_list):
        metrics = QFontMetrics(view.font())
        grid = view.gridSize()
        box = QRect(0, 0, grid.width() - 6, grid.height() - view.iconSize().height() - 6)
        for i in range(view.count()):
            title = view.item(i).text()
            need = metrics.boundingRect(box, int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignHCenter), title)
            assert need.width() <= box.width() and need.height() <= box.height(), title
            icon = view.item(i).icon().actualSize(view.iconSize()).height()
            assert view.visualItemRect(view.item(i)).height() >= icon + need.height(), title
    window.set_mode("edit")
