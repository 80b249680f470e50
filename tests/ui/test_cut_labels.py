"""No text in the main window is cut: tools/ui_walkthrough.py's detector (labels, buttons, combo boxes,
tabs, list items, invented "…") over the window at its default size, in Edit and Record mode, with
the app's style sheet; and the detector does see a cut text."""
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget

from tools.ui_walkthrough import find_cut_labels


def test_main_window_shows_every_text_whole(window, qtbot):
    from studio.ui.theme import STYLE

    window.setStyleSheet(STYLE)  # the app's padding and bold titles, as users see them
    try:
        QApplication.processEvents()
        found = find_cut_labels([window])
        for tabs in (window.library, window.side_tabs):
            for i in range(tabs.count()):
                tabs.setCurrentIndex(i)
                QApplication.processEvents()
                found += find_cut_labels([window])
        tabs.setCurrentIndex(0)
        window.set_mode("record")
        QApplication.processEvents()
        found += find_cut_labels([window])
        window.set_mode("edit")
    finally:
        window.setStyleSheet("")
    assert not sorted(set(found)), "\n".join(sorted(set(found)))


def test_the_detector_sees_cut_texts(qtbot):
    box = QWidget()
    qtbot.addWidget(box)
    column = QVBoxLayout(box)
    label = QLabel("A label much wider than its room")
    label.setFixedWidth(60)
    button = QPushButton("Export everything")
    button.setFixedWidth(50)
    elided = QLabel("Background bl…")
    whole = QLabel("Import media…")  # the source's own "…"
    for w in (label, button, elided, whole):
        column.addWidget(w)
    box.show()
    qtbot.waitExposed(box)
    found = "\n".join(find_cut_labels([box]))
    assert "A label much wider" in found and "Export everything" in found and "Background bl…" in found
    assert "Import media" not in found
