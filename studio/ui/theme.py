"""The dark theme: a Fusion palette plus a small style sheet for the app's own object names."""
from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

ACCENT = "#ff3b5c"

STYLE = """
QMainWindow, QDialog { background: #15151a; }
QWidget { color: #e6e6ee; }
QLabel#panelTitle { font-weight: bold; color: #ffffff; padding: 2px 0; }
QLabel#hint { color: #8c8c9a; }
QLabel#timecode { font-family: monospace; color: #cfd0ff; padding: 0 6px; }
QLabel#noCamera { font-size: 14px; color: #d0d0da; }
QTabWidget::pane { border: 1px solid #2a2a33; top: -1px; }
QTabBar::tab { background: #1d1d24; padding: 6px 10px; border: 1px solid #2a2a33; border-bottom: none; }
QTabBar::tab:selected { background: #2a2a35; color: #ffffff; }
QPushButton { background: #2a2a35; border: 1px solid #3a3a48; border-radius: 6px; padding: 5px 12px; }
QPushButton:hover { background: #343442; }
QPushButton:disabled { color: #666674; }
QPushButton#primary { background: %(accent)s; border-color: %(accent)s; color: white; font-weight: bold; }
QPushButton#primary:disabled { background: #5a2a35; border-color: #5a2a35; color: #b08a92; }
QPushButton#segment { border-radius: 4px; padding: 4px 8px; }
QPushButton#segment:checked { background: #ffffff; color: #111; }
QPushButton#modeButton { border-radius: 14px; padding: 5px 18px; font-weight: bold; }
QPushButton#modeButton:checked { background: #ffffff; color: #111; }
QToolButton { background: transparent; border: 1px solid transparent; border-radius: 4px; padding: 3px 6px; }
QToolButton:hover { background: #2c2c38; border-color: #3a3a48; }
QToolButton:checked { background: #333344; }
QToolButton#playButton { font-size: 15px; min-width: 28px; }
QToolButton#chip { background: #2e3b55; border-radius: 10px; padding: 2px 8px; }
QListWidget, QTableWidget, QPlainTextEdit, QLineEdit, QSpinBox, QDoubleSpinBox, QComboBox, QUndoView {
  background: #1b1b22; border: 1px solid #2c2c36; border-radius: 4px; selection-background-color: #3b5bdb; }
QGroupBox { border: 1px solid #2c2c36; border-radius: 6px; margin-top: 12px; padding-top: 6px; }
QGroupBox::title { subcontrol-origin: margin; left: 8px; padding: 0 4px; color: #b8b8c8; }
QProgressBar { border: 1px solid #2c2c36; border-radius: 4px; text-align: center; background: #1b1b22; }
QProgressBar::chunk { background: %(accent)s; border-radius: 3px; }
QSplitter::handle { background: #101014; }
QStatusBar { background: #101014; color: #b0b0bc; }
QMenuBar { background: #15151a; }
QMenu { background: #1f1f27; border: 1px solid #333; }
QMenu::item:selected { background: #3b5bdb; }
""" % {"accent": ACCENT}


def apply_dark_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    pal = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#15151a", QPalette.ColorRole.WindowText: "#e6e6ee",
        QPalette.ColorRole.Base: "#1b1b22", QPalette.ColorRole.AlternateBase: "#202029",
        QPalette.ColorRole.Text: "#e6e6ee", QPalette.ColorRole.Button: "#2a2a35",
        QPalette.ColorRole.ButtonText: "#e6e6ee", QPalette.ColorRole.Highlight: "#3b5bdb",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#2a2a35",
        QPalette.ColorRole.ToolTipText: "#e6e6ee", QPalette.ColorRole.PlaceholderText: "#777784",
        QPalette.ColorRole.Link: "#6ea8ff",
    }
    for role, colour in colours.items():
        pal.setColor(role, QColor(colour))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#666674"))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#666674"))
    app.setPalette(pal)
    app.setStyleSheet(STYLE)
