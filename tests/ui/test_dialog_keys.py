"""Every dialog can be used from the keyboard alone: Tab reaches each control a mouse could use,
Escape closes the dialog, and there is a default button for Enter where the dialog has an action."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSlider, QAbstractSpinBox, QApplication,
                               QComboBox, QLineEdit, QPlainTextEdit, QPushButton, QTextEdit, QWidget)

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QAbstractSlider,
               QPlainTextEdit, QTextEdit)


def _controls(dialog) -> set:
    """The controls a mouse user can use: visible, enabled, interactive, not part of another
    control (a spin box's line edit, a combo box's list)."""
    found = set()
    for w in dialog.findChildren(QWidget):
        if not isinstance(w, INTERACTIVE) or not w.isVisibleTo(dialog) or not w.isEnabled():
            continue
        parent = w.parentWidget()
        inner = False
        while parent is not None and parent is not dialog:
            if isinstance(parent, (QComboBox, QAbstractSpinBox, QAbstractItemView)):
                inner = True
            parent = parent.parentWidget()
        if not inner:  # (a control that takes no focus at all is mouse-only: it is missing too)
            found.add(w)
    return found


def _tab_chain(dialog, qtbot) -> set:
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    reached = []
    for _ in range(200):
        w = QApplication.focusWidget()
        if w is not None and w in reached[:1] and len(reached) > 1:
            break
        reached.append(w)
        dialog.focusNextPrevChild(True)  # what Tab does
    owners = set()
    for w in reached:  # a focused inner line edit counts for its spin box / combo box
        while w is not None and w is not dialog:
            owners.add(w)
            w = w.parentWidget()
    return owners


def _check(dialog, qtbot, default_expected=True):
    qtbot.waitExposed(dialog)
    missing = {f"{type(w).__name__} {getattr(w, 'text', lambda: '')() or w.objectName() or w.toolTip()!r}"
               for w in _controls(dialog) - _tab_chain(dialog, qtbot)}
    assert not missing, f"{type(dialog).__name__}: Tab never reaches {sorted(missing)}"
    if default_expected:
        assert any(b.isDefault() for b in dialog.findChildren(QPushButton)), \
            f"{type(dialog).__name__}: no default button for Enter"
    qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)


@pytest.mark.parametrize("opener", ["open_export", "open_templates", "open_batch", "open_relink", "open_cut_to_beat",
                                    "open_make_shorts"])
def test_dialog_is_keyboard_complete(window, qtbot, opener):
    dialog = getattr(window, opener)()
    _check(dialog, qtbot)


def test_settings_dialog_is_keyboard_complete(window, qtbot):
    from studio.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.settings, window)
    dialog.show()
    _check(dialog, qtbot)


def test_sound_picker_is_keyboard_complete(window, qtbot):
    from studio.ui.sound_picker import SoundPickerDialog

    dialog = SoundPickerDialog(None, window)
    dialog.show()
    _check(dialog, qtbot)


def test_start_screen_is_keyboard_complete(window, qtbot):
    from studio.ui.start_screen import StartScreen

    dialog = StartScreen(window.settings, window)
    dialog.show()
    _check(dialog, qtbot, default_expected=False)
