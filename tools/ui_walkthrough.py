"""A creator's whole session through the window, driven with QTest keyboard and mouse events on the
real widgets under Xvfb, failing on any Python traceback, Qt error or cut label.

    python tools/ui_walkthrough.py [--scale 1.5] [--size 1280x720 | --maximised] [--shots DIR] [--keep]

The session: the start screen (New project), Record mode with a file camera (a webcam clip from
../shared/media), R records a take and F finishes it, Next → Edit, a second clip imported into the
media bin and double-clicked onto the timeline, a drag with the mouse that reorders the magnetic main
track, T (a text), Ctrl+C / Ctrl+V, M (a marker), J/K/L, I/O, Ctrl+E and an export of the in/out part,
Ctrl+S (the save prompt answered as tests do), close, reopen and compare; then Ctrl+3 (Live mode)
streaming the camera with an overlay to a local nginx-rtmp (when nginx and its RTMP module are
installed), H for a highlight, End, the recording in Edit mode with its marker, and Make shorts.

After every step `find_cut_labels` walks the visible widgets: labels, buttons, check boxes, combo
boxes, tabs, group box titles, list items and the status bar message whose text is wider (or taller)
than the room it is given, clipped by a parent, or shortened with "…" where the source text has none.
Exit status 0 when all steps passed with no problem; otherwise one line per problem.

The QTest walkthrough before this one, driven by xdotool through X events, is
tools/xdotool_walkthrough.py."""
from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEDIA = ROOT.parent / "shared" / "media"


# -- cut-label detection -----------------------------------------------------------------------------
_SOURCE_ELLIPSES: list[str] | None = None
_RICH = re.compile(r"<(b|i|u|a|p|br|span|div|font|small|big|tt|img|h\d)\b[^>]*>", re.IGNORECASE)


def _source_ellipses() -> list[str]:
    """What precedes each "…" in the string literals of studio/ (f-string parts included): a shown
    "…" is the source's own when the text before it ends like one of these."""
    global _SOURCE_ELLIPSES
    if _SOURCE_ELLIPSES is None:
        found = set()
        for path in (ROOT / "studio").rglob("*.py"):
            try:
                tree = ast.parse(path.read_text(encoding="utf-8"))
            except (SyntaxError, UnicodeDecodeError):
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and "…" in node.value:
                    parts = node.value.split("…")
                    found.update(p[-6:] for p in parts[:-1])
        for path in list((ROOT / "studio").rglob("*.json")) + list((ROOT / "assets").rglob("*.json")):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if "…" in text:
                found.update(p[-6:] for p in text.split("…")[:-1])
        _SOURCE_ELLIPSES = sorted(found)
    return _SOURCE_ELLIPSES


def _invented_ellipsis(text: str) -> bool:
    """True when `text` has a "…" that no source text has there (an elided text)."""
    if "…" not in text:
        return False
    known = _source_ellipses()
    parts = text.split("…")
    for before in parts[:-1]:
        # a literal that starts with "…" ("…" for a browse button, `text + "…"`) vouches only for a
        # text that starts there too: anything could precede it
        if before.strip() and not any(k.strip() and before.endswith(k) for k in known):
            return True
    return False


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _describe(widget) -> str:
    names = []
    w = widget
    while w is not None and len(names) < 4:
        name = w.objectName() or type(w).__name__
        if name.startswith("qt_"):
            name = type(w).__name__
        names.append(name)
        w = w.parentWidget()
    return " < ".join(names)


def _in_scrolled_content(widget) -> bool:
    """Inside a scroll area's viewport: what the viewport hides is a scroll away, not cut."""
    from PySide6.QtWidgets import QAbstractScrollArea

    w = widget.parentWidget()
    while w is not None:
        parent = w.parentWidget()
        if isinstance(parent, QAbstractScrollArea) and parent.viewport() is w:
            return True
        w = parent
    return False


def _clipped(widget, rect) -> bool:
    """True when part of `rect` (widget coordinates) is hidden by the widget's parents."""
    from PySide6.QtGui import QRegion

    if _in_scrolled_content(widget):
        return False
    shown = widget.visibleRegion()
    rest = QRegion(rect.adjusted(1, 1, -1, -1)).subtracted(shown)
    return not rest.isEmpty()


def _label_problem(label) -> str:
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QFontMetrics, QTextDocument

    text = label.text()
    if not text or label.pixmap() is not None and not label.pixmap().isNull():
        return ""
    fmt = label.textFormat()
    if fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText and _RICH.search(text)):
        doc = QTextDocument()
        doc.setHtml(text)
        text = doc.toPlainText()
    elif label.buddy() is not None:
        text = _plain(text)
    fm = QFontMetrics(label.font())
    cr = label.contentsRect()
    margin = label.margin()
    avail_w = cr.width() - 2 * margin - max(0, label.indent())
    avail_h = cr.height() - 2 * margin
    lines = text.split("\n")
    if label.wordWrap():
        widest = _widest_wrapped_line(text, label.font(), avail_w)  # a word too long to break overflows
        if widest > avail_w + 1:
            return f"a word needs {widest} px, has {avail_w}"
        need = label.heightForWidth(label.width())
        if need > label.height() + 1:
            return f"wrapped it needs {need} px high, has {label.height()}"
        box = fm.boundingRect(QRect(0, 0, max(1, avail_w), 10000), int(Qt.TextFlag.TextWordWrap), text)
        need_w, need_h = box.width(), box.height()
    else:
        need_w = max(fm.horizontalAdvance(line) for line in lines)
        need_h = fm.height() * len(lines) + fm.leading() * (len(lines) - 1)
        if need_w > avail_w + 1:
            return f"needs {need_w} px, has {avail_w}"
        if need_h > avail_h + 2:
            return f"needs {need_h} px high, has {avail_h}"
    box = QRect(0, 0, min(need_w, avail_w), min(need_h, avail_h))
    aligned = _aligned(box, cr.adjusted(margin, margin, -margin, -margin), label.alignment())
    if _clipped(label, aligned):
        shown = label.visibleRegion().boundingRect()
        return f"clipped by its parent: shows {shown.width()}x{shown.height()} of {need_w}x{need_h} px"
    return ""


def _widest_wrapped_line(text: str, font, width: int) -> int:
    """The widest line of `text` word-wrapped at `width` as Qt breaks it (after "/" and "-" too)."""
    from PySide6.QtGui import QTextLayout, QTextOption

    layout = QTextLayout(text.replace("\n", "\u2028"), font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    widest = 0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(1, width))
        widest = max(widest, int(line.naturalTextWidth() + 0.999))
    layout.endLayout()
    return widest


def _aligned(box, area, alignment):
    from PySide6.QtCore import QRect, Qt

    a = Qt.AlignmentFlag
    x = area.left()
    if alignment & a.AlignHCenter:
        x = area.left() + (area.width() - box.width()) // 2
    elif alignment & (a.AlignRight | a.AlignTrailing) and not alignment & a.AlignLeft:
        x = area.right() - box.width() + 1
    y = area.top() + (area.height() - box.height()) // 2
    if alignment & a.AlignTop:
        y = area.top()
    elif alignment & a.AlignBottom:
        y = area.bottom() - box.height() + 1
    return QRect(x, y, box.width(), box.height())


def _button_problem(button) -> str:
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import (QCheckBox, QPushButton, QRadioButton, QStyle, QStyleOptionButton, QToolButton)

    text = _plain(button.text()).split("\n")
    if not button.text():
        return ""
    fm = QFontMetrics(button.font())
    need = max(fm.horizontalAdvance(line) for line in text)
    style = button.style()
    if isinstance(button, QPushButton):
        opt = QStyleOptionButton()
        button.initStyleOption(opt)
        area = style.subElementRect(QStyle.SubElement.SE_PushButtonContents, opt, button)
        if not button.icon().isNull():
            need += button.iconSize().width() + 4
        if button.menu() is not None:
            need += style.pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, opt, button)
    elif isinstance(button, (QCheckBox, QRadioButton)):
        opt = QStyleOptionButton()
        button.initStyleOption(opt)
        element = (QStyle.SubElement.SE_CheckBoxContents if isinstance(button, QCheckBox)
                   else QStyle.SubElement.SE_RadioButtonContents)
        area = style.subElementRect(element, opt, button)
        if not button.icon().isNull():
            need += button.iconSize().width() + 4
    elif isinstance(button, QToolButton):
        if button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly and not button.icon().isNull():
            return ""
        # drawn centred over the whole button (a tool button's padding may overlap it), inside its border
        if not button.icon().isNull() and button.toolButtonStyle() != Qt.ToolButtonStyle.ToolButtonTextOnly:
            need += button.iconSize().width() + 4
        if need > button.width() - 4:
            return f"needs {need} px, has {button.width() - 4}"
        return ""
    else:
        return ""  # a custom-painted button draws its own text
    if need > area.width() + 1:
        return f"needs {need} px, has {area.width()}"
    if _clipped(button, QRect(area.center().x() - min(need, area.width()) // 2, area.top(),
                              min(need, area.width()), area.height())):
        return "clipped by its parent"
    return ""


def _combo_problem(combo) -> str:
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

    text = combo.currentText()
    if not text:
        return ""
    opt = QStyleOptionComboBox()
    combo.initStyleOption(opt)
    field = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                         QStyle.SubControl.SC_ComboBoxEditField, combo)
    need = QFontMetrics(combo.font()).horizontalAdvance(text)
    if not combo.itemIcon(combo.currentIndex()).isNull():
        need += combo.iconSize().width() + 4
    if need > field.width() + 1:
        return f"needs {need} px, has {field.width()}"
    return ""


def _tab_problems(bar) -> list[tuple[str, str]]:
    out = []
    for i in range(bar.count()):
        if not bar.isTabVisible(i):
            continue
        rect, hint = bar.tabRect(i), bar.tabSizeHint(i)
        horizontal = bar.shape() in (bar.Shape.RoundedNorth, bar.Shape.RoundedSouth,
                                     bar.Shape.TriangularNorth, bar.Shape.TriangularSouth)
        have, need = (rect.width(), hint.width()) if horizontal else (rect.height(), hint.height())
        if need > have + 1:
            out.append((bar.tabText(i), f"tab needs {need} px, has {have}"))
    return out


def _list_problems(view) -> list[tuple[str, str]]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QStyleOptionViewItem

    model = view.model()
    if model is None:
        return []
    out = []
    viewport = view.viewport().rect()
    delegate = view.itemDelegate()
    column = view.modelColumn() if hasattr(view, "modelColumn") else 0
    for row in range(min(model.rowCount(view.rootIndex()), 400)):
        if view.isRowHidden(row):
            continue
        index = model.index(row, column, view.rootIndex())
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not text:
            continue
        rect = view.visualRect(index)
        if not rect.isValid() or not rect.intersects(viewport):
            continue
        opt = QStyleOptionViewItem()
        view.initViewItemOption(opt)
        opt.rect = rect
        need = delegate.sizeHint(opt, index)
        if need.width() > rect.width() + 1 or need.height() > rect.height() + 1:
            out.append((str(text), f"item needs {need.width()}x{need.height()} px, has {rect.width()}x{rect.height()}"))
        elif _invented_ellipsis(str(text)):
            out.append((str(text), "shortened with …"))
    return out


def find_cut_labels(widgets=None) -> list[str]:
    """One line per text that does not show whole in the visible widgets under `widgets` (default:
    every visible top-level window)."""
    from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QGroupBox, QLabel, QListView,
                                   QStatusBar, QTabBar, QWidget)
    from PySide6.QtGui import QFontMetrics

    roots = list(widgets) if widgets is not None else [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    found: list[str] = []

    def report(widget, text, why):
        found.append(f"{' '.join(str(text).split())[:70]!r} ({_describe(widget)}): {why}")

    for root in roots:
        for w in [root, *root.findChildren(QWidget)]:
            if not w.isVisible() or w.width() <= 0 or w.height() <= 0:
                continue
            try:
                if isinstance(w, QLabel):
                    why = _label_problem(w)
                    text = w.text()
                elif isinstance(w, QAbstractButton):
                    why, text = _button_problem(w), w.text()
                elif isinstance(w, QComboBox):
                    why, text = _combo_problem(w), w.currentText()
                elif isinstance(w, QTabBar):
                    for text, why in _tab_problems(w):
                        report(w, text, why)
                    continue
                elif isinstance(w, QListView):
                    for text, why in _list_problems(w):
                        report(w, text, why)
                    continue
                elif isinstance(w, QGroupBox):
                    text = w.title()
                    need = QFontMetrics(w.font()).horizontalAdvance(_plain(text)) + 16
                    why = f"title needs {need} px, has {w.width()}" if text and need > w.width() else ""
                elif isinstance(w, QStatusBar):
                    text = w.currentMessage()
                    need = QFontMetrics(w.font()).horizontalAdvance(text) + 12
                    why = f"message needs {need} px, has {w.width()}" if text and need > w.width() else ""
                else:
                    continue
            except RuntimeError:  # deleted while walking
                continue
            if not why and isinstance(text, str) and _invented_ellipsis(_plain(text)):
                why = "shortened with … (the source text has none there)"
            if why:
                report(w, text, why)
    return found


# -- the session -------------------------------------------------------------------------------------
class StepFailed(Exception):
    pass


def _free_display() -> str:
    for n in range(77, 160):
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            return f":{n}"
    raise SystemExit("no free X display number from :77")


def start_xvfb() -> subprocess.Popen | None:
    """Xvfb :77 (or the next free display) at 1920x1080 when no DISPLAY is set; offscreen without Xvfb."""
    if os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return None
    if not shutil.which("Xvfb"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return None
    display = _free_display()
    proc = subprocess.Popen(["Xvfb", display, "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if Path(f"/tmp/.X11-unix/X{display[1:]}").exists():
            break
        if proc.poll() is not None:
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
            return None
        time.sleep(0.05)
    time.sleep(0.3)
    os.environ["DISPLAY"] = display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    return proc


class CannedPrompts:
    """The window's questions answered without dialogs (as tests/ui/conftest.py does); records them."""

    def __init__(self):
        self.asked: list[str] = []
        self.errors: list[str] = []
        self.next_save = ""
        self.next_open = ""

    def unsaved(self, name):
        self.asked.append("unsaved")
        return "discard"

    def recover(self, recovery):
        self.asked.append("recover")
        return "discard"

    def relink(self, count):
        self.asked.append("relink")
        return False

    def replace(self, name):
        self.asked.append("replace")
        return True

    def error(self, title, text):
        self.errors.append(f"{title}: {text}")

    def open_path(self):
        return self.next_open

    def save_path(self, suggested):
        self.asked.append("save_path")
        return self.next_save


class Session:
    def __init__(self, app, args, work: Path):
        self.app, self.args, self.work = app, args, work
        self.problems: list[str] = []
        self.cut: dict[str, str] = {}
        self.steps: list[str] = []
        self.shots = Path(args.shots) if args.shots else None
        self.window = None

    # -- helpers
    def pump(self, seconds: float = 0.05) -> None:
        end = time.monotonic() + seconds
        while True:
            self.app.processEvents()
            if time.monotonic() >= end:
                return
            time.sleep(0.01)

    def wait(self, what: str, ok, timeout: float = 30.0) -> None:
        end = time.monotonic() + timeout
        while not ok():
            if time.monotonic() > end:
                raise StepFailed(f"{what}: not within {timeout:.0f} s")
            self.pump(0.05)

    def check(self, step: str, widgets=None) -> None:
        """Cut labels in what is on screen now (each reported once, with the first step it showed in)."""
        self.pump(0.1)
        for line in find_cut_labels(widgets):
            self.cut.setdefault(line, step)
        if self.shots is not None:
            from PySide6.QtWidgets import QApplication

            self.shots.mkdir(parents=True, exist_ok=True)
            for n, w in enumerate(w for w in QApplication.topLevelWidgets() if w.isVisible()):
                w.grab().save(str(self.shots / f"{len(self.steps):02d}_{step}_{n}.png"))

    def key(self, widget, key, mods=None, times: int = 1) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        top = widget.window()
        if QApplication.activeWindow() is not top:  # keys go where a creator's focus is: that window
            top.raise_()
            top.activateWindow()
            self.wait(f"{type(top).__name__} to become the active window", lambda: QApplication.activeWindow() is top, 5)
        for _ in range(times):
            QTest.keyClick(widget, key, mods or Qt.KeyboardModifier.NoModifier)
            self.pump(0.03)

    def click(self, widget, pos=None, double: bool = False) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        pos = pos if pos is not None else widget.rect().center()
        if double:  # a real double click: a click, then the second press (Qt's double-click event)
            QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
            QTest.mouseDClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
        else:
            QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
        self.pump(0.05)

    def step(self, name: str, fn) -> bool:
        t = time.monotonic()
        try:
            fn()
        except StepFailed as exc:
            self.problems.append(f"step {name}: {exc}")
            print(f"  FAILED {name}: {exc}", flush=True)
            return False
        except Exception:
            self.problems.append(f"step {name}: {traceback.format_exc().strip().splitlines()[-1]}")
            traceback.print_exc()
            return False
        self.steps.append(name)
        self.check(name)
        print(f"  ok {name} ({time.monotonic() - t:.1f} s)", flush=True)
        return True

    # -- the window
    def make_window(self, path=None):
        from studio.model import Project
        from studio.ui.app import create_window
        from studio.ui.main_window import MainWindow

        window = create_window(path, self.settings, self.prompts) if path else \
            MainWindow(Project(name="Studio"), None, self.settings, self.prompts)
        self.show(window)
        return window

    def show(self, window) -> None:
        if self.args.maximised:
            window.showMaximized()
            self.pump(0.3)
            area = window.screen().availableGeometry()
            if window.frameGeometry().width() < area.width() - 40:  # no window manager under Xvfb
                window.setGeometry(area)
        else:
            w, h = self.args.size
            window.resize(w, h)
            window.show()
        self.pump(0.5)

    def run(self) -> None:
        from PySide6.QtCore import QSettings

        from studio.ui.settings import Settings

        self.settings = Settings(QSettings(str(self.work / "settings.ini"), QSettings.Format.IniFormat))
        self.settings.recovery_dir = self.work / "recovery"
        self.settings.output_dir = self.work / "out"
        self.settings.projects_dir = self.work / "projects"
        (self.work / "out").mkdir()
        self.prompts = CannedPrompts()
        self.camera = MEDIA / "webcam_book.mkv"
        self.second = MEDIA / "webcam_again.mkv"
        if not self.camera.exists() or not self.second.exists():
            from tests.ui.conftest import make_clip_file  # the shared webcam clips are not here

            self.camera = make_clip_file(self.work / "camera.mp4", 4.0, size=(640, 480))
            self.second = make_clip_file(self.work / "second.mp4", 2.0, size=(720, 1280))
        self.window = self.make_window()
        steps = [("start_screen", self.start_screen), ("record", self.record), ("next_to_edit", self.next_to_edit),
                 ("import", self.import_second), ("tabs", self.tabs), ("drag_reorder", self.drag_reorder), ("text", self.add_text),
                 ("copy_paste", self.copy_paste), ("marker", self.marker), ("jkl", self.jkl), ("in_out", self.in_out),
                 ("export", self.export), ("save", self.save), ("reopen", self.reopen),
                 ("go_live", self.go_live), ("end_live", self.end_live), ("make_shorts", self.make_shorts)]
        self.check("opened")
        for name, fn in steps:
            if not self.step(name, fn):
                break
        if getattr(self, "rtmp", None) is not None:
            self.rtmp.stop()
        for w in list(filter(None, [self.window, getattr(self, "reopened", None)])):
            w._closing_ok = True
            w.close()
            w.deleteLater()
        self.pump(0.2)

    # -- the steps
    def start_screen(self) -> None:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        from studio.ui.start_screen import StartScreen, show_start

        seen = {}

        def on_screen():
            screen = next((w for w in QApplication.topLevelWidgets() if isinstance(w, StartScreen) and w.isVisible()),
                          None)
            if screen is None:
                QTimer.singleShot(100, on_screen)
                return
            seen["screen"] = screen
            self.check("start_screen", [screen])
            self.click(screen.new_button)

        QTimer.singleShot(300, on_screen)
        choice = show_start(self.window)  # as run_app shows it at start (a modal dialog)
        if "screen" not in seen or choice != ("new", None):
            raise StepFailed(f"the start screen's New project was not chosen ({choice})")
        doc = self.window.document
        if doc.path is not None or doc.project.duration != 0:
            raise StepFailed("New project did not give an empty project")

    def record(self) -> None:
        from PySide6.QtCore import Qt

        w = self.window
        panel = w.record_panel
        self.click(w.mode_buttons["record"])
        if w.mode != "record":
            raise StepFailed("the Record button did not switch to Record mode")
        if not panel.use_file_camera(self.camera):
            raise StepFailed(f"the file camera did not start: {panel.camera_error}")
        self.wait("the camera's first picture", lambda: panel.camera.image is not None, 20)
        off = next(b for b in panel.countdown_group.buttons() if b.property("value") == 0)
        self.click(off)  # no countdown
        if panel.countdown_s != 0:
            raise StepFailed("the countdown did not turn off")
        self.check("record_ready")
        self.key(panel.camera, Qt.Key.Key_R)  # R: record
        self.wait("recording", lambda: panel.take is not None and panel.take.state.value == "recording", 10)
        self.wait("1.5 s recorded", lambda: panel.take.recorder.take_seconds() >= 1.5, 30)
        self.check("recording")
        self.key(panel.camera, Qt.Key.Key_F)  # F: finish the take
        self.wait("the take saved", lambda: len(panel.takes) == 1, 60)

    def next_to_edit(self) -> None:
        w = self.window
        panel = w.record_panel
        self.click(panel.next_button)
        if w.mode != "edit":
            raise StepFailed("Next did not switch to Edit mode")
        clips = w.document.project.timeline.tracks[0].items if w.document.project.timeline.tracks else ()
        if len(clips) != 1:
            raise StepFailed(f"Next put {len(clips)} clips on the main track, not the take")

    def import_second(self) -> None:
        w = self.window
        bin_ = w.library.media
        self.click(w.library.tabBar(), w.library.tabBar().tabRect(w.library.indexOf(bin_)).center())
        bin_.add_path(self.second)  # File ▸ Import media… ends in this (its file dialog is skipped)
        row = bin_.paths.index(Path(self.second))
        view = bin_.list
        item = view.item(row)
        view.scrollToItem(item)
        self.pump(0.1)
        self.click(view.viewport(), view.visualItemRect(item).center(), double=True)  # onto the timeline
        clips = w.document.project.timeline.tracks[0].items
        if len(clips) != 2:
            raise StepFailed(f"double-clicking the imported clip left {len(clips)} clips on the main track")

    def tabs(self) -> None:
        """Every library and side tab clicked once (their texts checked as each shows), back to Media."""
        w = self.window
        for tabs in (w.library, w.side_tabs):
            bar = tabs.tabBar()
            for i in range(tabs.count()):
                tabs.setCurrentIndex(i) if not bar.tabRect(i).intersects(bar.rect()) else \
                    self.click(bar, bar.tabRect(i).center())  # one behind the scroll arrows: its arrow
                if tabs.currentIndex() != i:
                    raise StepFailed(f"clicking the {tabs.tabText(i)!r} tab did not show it")
                self.pump(0.2)
                self.check(f"tab_{tabs.tabText(i).lower()}")
            self.click(bar, bar.tabRect(0).center())

    def drag_reorder(self) -> None:
        from PySide6.QtCore import QPoint, Qt
        from PySide6.QtTest import QTest

        w = self.window
        doc = w.document
        canvas = w.timeline.canvas
        w.timeline.fit()
        self.pump(0.1)
        first, second = sorted(doc.project.timeline.tracks[0].items, key=lambda c: c.start)
        top, h = canvas.layout_.rows(canvas.kinds)[0]
        y = int(top + h / 2)
        start = QPoint(int(canvas.x_of((first.start + first.end) / 2)), y)
        end = QPoint(int(canvas.x_of(second.end - 2)), y)
        QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
        for i in range(1, 9):
            QTest.mouseMove(canvas, start + (end - start) * i / 8)
            self.pump(0.03)
        QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
        self.pump(0.1)
        order = [c.id for c in sorted(doc.project.timeline.tracks[0].items, key=lambda c: c.start)]
        if order != [second.id, first.id]:
            raise StepFailed(f"the drag did not reorder the main track: {order}")

    def _texts(self):
        from studio.model import TextItem

        return [i for i in self.window.document.project.timeline.all_items() if isinstance(i, TextItem)]

    def add_text(self) -> None:
        from PySide6.QtCore import Qt

        canvas = self.window.timeline.canvas
        canvas.setFocus()
        before = len(self._texts())
        self.key(canvas, Qt.Key.Key_Home)
        self.key(canvas, Qt.Key.Key_T)
        if len(self._texts()) != before + 1:
            raise StepFailed("T added no text")

    def copy_paste(self) -> None:
        from PySide6.QtCore import Qt

        canvas = self.window.timeline.canvas
        ctrl = Qt.KeyboardModifier.ControlModifier
        before = len(self._texts())
        self.key(canvas, Qt.Key.Key_C, ctrl)
        self.key(canvas, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier, times=2)  # two seconds on
        self.key(canvas, Qt.Key.Key_V, ctrl)
        if len(self._texts()) != before + 1:
            raise StepFailed("Ctrl+C, Ctrl+V did not paste the text")

    def marker(self) -> None:
        from PySide6.QtCore import Qt

        doc = self.window.document
        before = len(doc.project.markers)
        self.key(self.window.timeline.canvas, Qt.Key.Key_M)
        if len(doc.project.markers) != before + 1:
            raise StepFailed("M added no marker")

    def jkl(self) -> None:
        from PySide6.QtCore import Qt

        doc = self.window.document
        canvas = self.window.timeline.canvas
        self.key(canvas, Qt.Key.Key_Home)
        self.key(canvas, Qt.Key.Key_L)
        self.pump(1.0)
        self.key(canvas, Qt.Key.Key_K)
        after_l = doc.playhead
        if after_l <= 0:
            raise StepFailed("L did not play")
        self.key(canvas, Qt.Key.Key_J)
        self.pump(0.5)
        self.key(canvas, Qt.Key.Key_K)
        if doc.playhead >= after_l:
            raise StepFailed("J did not play backwards")
        self.pump(0.2)
        if self.window.preview.playing:
            raise StepFailed("K did not stop playback")

    def in_out(self) -> None:
        from PySide6.QtCore import Qt

        doc = self.window.document
        canvas = self.window.timeline.canvas
        self.key(canvas, Qt.Key.Key_Home)
        self.key(canvas, Qt.Key.Key_Right, times=5)
        self.key(canvas, Qt.Key.Key_I)
        self.key(canvas, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
        self.key(canvas, Qt.Key.Key_O)
        if doc.in_out is None or doc.in_out[0] != 5 or doc.in_out[1] <= 5:
            raise StepFailed(f"I/O marked {doc.in_out}")

    def export(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        from studio.ui.export_dialog import ExportDialog

        self.key(self.window.timeline.canvas, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        dialog = next((d for d in QApplication.topLevelWidgets() if isinstance(d, ExportDialog) and d.isVisible()),
                      None)
        if dialog is None:
            raise StepFailed("Ctrl+E opened no Export dialog")
        self.pump(0.5)
        self.check("export_dialog", [dialog])
        if not dialog.range_box.isChecked():
            raise StepFailed("the Export dialog does not offer the in/out part")
        target = self.work / "out" / "walkthrough.mp4"
        dialog.output.setFocus()
        self.key(dialog.output, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        from PySide6.QtTest import QTest

        QTest.keyClicks(dialog.output, str(target))
        dialog.quality.setFocus()
        self.key(dialog.quality, Qt.Key.Key_Home)  # Draft: the fastest
        self.click(dialog.export_button)
        self.wait("the export", lambda: not dialog.running, 300)
        self.check("exported", [dialog])
        if dialog.result is None:
            raise StepFailed(f"export failed: {dialog.error or dialog.eta.text()}")
        import av

        with av.open(str(target)) as c:
            frames = sum(1 for _ in c.decode(video=0))
        if frames < 20:
            raise StepFailed(f"the export has {frames} frames")
        self.click(next(b for b in dialog.findChildren(type(dialog.export_button)) if b.text() == "Close"))
        self.wait("the Export dialog to close", lambda: not dialog.isVisible(), 5)

    def save(self) -> None:
        from PySide6.QtCore import Qt

        w = self.window
        self.saved = self.work / "projects" / "walkthrough.studio"
        self.prompts.next_save = str(self.saved)
        self.key(w.timeline.canvas, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        if "save_path" not in self.prompts.asked or not self.saved.exists():
            raise StepFailed("Ctrl+S did not save the new project where the prompt said")
        if w.document.dirty or "✓ Saved" not in w.title_label.text():
            raise StepFailed(f"after saving the title says {w.title_label.text()!r}")

    def reopen(self) -> None:
        w = self.window
        before = w.document.project
        asked = len(self.prompts.asked)
        w.close()
        self.pump(0.3)
        if w.isVisible():
            raise StepFailed("the window did not close")
        if len(self.prompts.asked) != asked:
            raise StepFailed(f"closing a saved project asked {self.prompts.asked[asked:]}")
        w.deleteLater()
        self.window = None
        self.reopened = self.make_window(self.saved)
        after = self.reopened.document.project
        if after != before:
            raise StepFailed("the reopened project differs from the one saved")
        self.pump(1.0)
        # File ▸ Start screen…: the saved project is a recent one, with its cover; Continue keeps it open
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        from studio.ui.start_screen import StartScreen

        def on_screen():
            screen = next((d for d in QApplication.topLevelWidgets() if isinstance(d, StartScreen) and d.isVisible()),
                          None)
            if screen is None:
                QTimer.singleShot(100, on_screen)
                return
            end = time.monotonic() + 20
            while screen.recent.count() and screen.recent.item(0).icon().isNull() and time.monotonic() < end:
                self.pump(0.1)
            self.check("start_screen_recent", [screen])
            continue_button = next(b for b in screen.findChildren(type(screen.new_button)) if b.text() == "Continue")
            self.click(continue_button)

        QTimer.singleShot(200, on_screen)
        choice = self.reopened.open_start_screen()
        if choice != ("continue", None) or self.reopened.document.path != self.saved.resolve():
            raise StepFailed(f"Continue on the start screen did not keep the project open ({choice})")

    # -- LIVE: go live from the reopened project, a highlight, end, make shorts
    def go_live(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        sys.path.insert(0, str(ROOT / "tests"))
        from rtmp_server import NGINX, RTMP_MODULE, RtmpServer

        if not NGINX.exists() or not RTMP_MODULE.exists():
            self.rtmp = None
            print("  (no nginx with its RTMP module here: the LIVE steps stream nowhere and are skipped)")
            return
        self.rtmp = RtmpServer(self.work / "rtmp")
        self.rtmp.start()
        w = self.reopened
        w.settings.camera = "file"
        w.settings.file_camera = str(self.camera)
        self.key(w.timeline.canvas, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
        if w.mode != "live":
            raise StepFailed("Ctrl+3 did not switch to Live mode")
        panel = w.live_panel
        self.wait("the stand-by picture", lambda: panel.programme.image is not None, 20)
        panel.editor.add_overlay("text")  # "Welcome to my LIVE!"
        for field, text in ((panel.output.url, self.rtmp.url), (panel.output.key, "walkthrough-key-0123456789")):
            field.setFocus()
            field.selectAll()
            QTest.keyClicks(field, text)
            field.editingFinished.emit()
        self.check("live_ready")
        self.click(panel.go_button)
        self.wait("live", lambda: panel.state == "live", 30)
        self.wait("the health panel", lambda: panel.health_labels["state"].text() == "Live", 10)
        self.pump(1.5)
        self.key(panel.programme, Qt.Key.Key_H)
        if panel.session is None or len(panel.session.highlights) != 1:
            raise StepFailed("H marked no highlight")
        self.pump(1.0)
        self.check("live_on_air")

    def end_live(self) -> None:
        if self.rtmp is None:
            return
        w = self.reopened
        panel = w.live_panel
        self.click(panel.go_button)  # End LIVE
        self.wait("the recording in Edit mode", lambda: w.mode == "edit", 60)
        project = w.document.project
        if len(project.markers) != 1 or w.document.path.parent.name != "Live":
            raise StepFailed(f"the stream's recording opened with {len(project.markers)} markers "
                             f"from {w.document.path}")
        import av

        with av.open(str(self.rtmp.recording("walkthrough-key-0123456789"))) as c:
            if sum(1 for _ in c.demux(c.streams.video[0])) < 60:
                raise StepFailed("the server recorded under 2 s of the stream")

    def make_shorts(self) -> None:
        if self.rtmp is None:
            return
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        from studio.ui.make_shorts_dialog import MakeShortsDialog

        w = self.reopened
        self.key(w.timeline.canvas, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        dialog = next((d for d in QApplication.topLevelWidgets() if isinstance(d, MakeShortsDialog) and d.isVisible()),
                      None)
        if dialog is None:
            raise StepFailed("Ctrl+Shift+H opened no Make shorts dialog")
        self.pump(0.3)
        self.check("make_shorts", [dialog])
        dialog.preset.setFocus()
        self.click(dialog.start_button)
        self.wait("the shorts", lambda: not dialog.running, 300)
        self.check("shorts_made", [dialog])
        if len(dialog.results) != 1 or dialog.results[0].path is None:
            raise StepFailed(f"Make shorts made {[(r.path, r.error) for r in dialog.results]}")
        import av

        with av.open(str(dialog.results[0].path)) as c:
            v = c.streams.video[0].codec_context
            if (v.width, v.height) != (1080, 1920):
                raise StepFailed(f"the short is {v.width}x{v.height}")
        dialog.reject()


def install_recorders(problems: list[str]) -> None:
    """Tracebacks (sys.excepthook, threads, unraisable) and Qt warnings / errors into `problems`."""
    import threading

    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def hook(kind, value, tb):
        problems.append(f"traceback: {kind.__name__}: {value}")
        traceback.print_exception(kind, value, tb)

    def thread_hook(args):
        problems.append(f"traceback in thread {args.thread.name if args.thread else '?'}: "
                        f"{args.exc_type.__name__}: {args.exc_value}")
        traceback.print_exception(args.exc_type, args.exc_value, args.exc_traceback)

    def unraisable(u):
        problems.append(f"unraisable: {u.exc_type.__name__}: {u.exc_value} ({u.object!r})")

    sys.excepthook = hook
    threading.excepthook = thread_hook
    sys.unraisablehook = unraisable
    harmless = ("propagateSizeHints", "pa_context_connect", "QStandardPaths:", "XDG_RUNTIME_DIR", "Could not connect to any X display")

    def qt_message(mode, context, message):
        category = context.category or ""
        if mode in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg) or mode == QtMsgType.QtWarningMsg and \
                not category.startswith("qt.multimedia"):  # optional codec / audio back-end libraries
            if not any(h in message for h in harmless):
                problems.append(f"Qt {mode.name.replace('Qt', '').replace('Msg', '').lower()}: {message}")
        print(f"[qt] {message}", file=sys.stderr)

    qInstallMessageHandler(qt_message)


def _size(text: str) -> tuple[int, int]:
    w, h = text.lower().split("x")
    return int(w), int(h)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="QT_SCALE_FACTOR (e.g. 1.5)")
    parser.add_argument("--size", type=_size, default=(1280, 720), help="window size in logical pixels (1280x720)")
    parser.add_argument("--maximised", "--maximized", action="store_true", help="a maximised window instead")
    parser.add_argument("--shots", help="save each window after each step into this folder")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (settings, takes, outputs)")
    args = parser.parse_args(argv)
    os.environ["QT_SCALE_FACTOR"] = f"{args.scale:g}"
    work = Path(tempfile.mkdtemp(prefix="studio-walkthrough-"))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(work / name.lower())
    xvfb = start_xvfb()
    sys.path.insert(0, str(ROOT))
    problems: list[str] = []
    session = None
    try:
        from PySide6.QtWidgets import QApplication

        from studio.ui.theme import apply_dark_theme

        app = QApplication([sys.argv[0]])
        install_recorders(problems)
        apply_dark_theme(app)
        where = f"scale {args.scale:g}, {'maximised' if args.maximised else '%dx%d' % args.size}"
        print(f"Studio walkthrough ({where}, {os.environ.get('QT_QPA_PLATFORM', 'xcb')})", flush=True)
        session = Session(app, args, work)
        t0 = time.monotonic()
        session.run()
        problems[:0] = session.problems
        for line, step in session.cut.items():
            problems.append(f"cut label at {step}: {line}")
        print(f"  {len(session.steps)} steps in {time.monotonic() - t0:.0f} s")
        import gc

        gc.collect()
        app.shutdown()
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(5)
        if args.keep:
            print(f"  temp folder {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    for line in problems:
        print(f"PROBLEM {line}")
    print("walkthrough: " + (f"{len(problems)} problem(s)" if problems else "clean"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
