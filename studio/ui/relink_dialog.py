"""Missing media: list what is missing, point at a new file for one, or search a folder for all of
them at once; the changes are one undo step."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

from studio.model import edits, kind_of

from .item_factory import missing_media
from .project_files import relink_plan


def relink(document, mapping: dict[str, str]) -> bool:
    """Point every item that uses an old path at its new path (one undo command)."""
    if not mapping:
        return False

    def run(tl):
        for item in tl.all_items():
            if kind_of(item).has_media_source and item.source in mapping:
                tl = edits.set_property(tl, item.id, "source", mapping[item.source])
        return tl

    return document.edit(f"Relink {len(mapping)} file(s)", run)


class RelinkDialog(QDialog):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Missing media")
        self.setMinimumSize(680, 300)
        self.document = document
        self.missing = missing_media(document.project)
        self.mapping: dict[str, str] = {}
        self.info = QLabel(f"{len(self.missing)} file(s) used by this project cannot be found. "
                           "Search a folder to find them all by name, or pick each file.")
        self.info.setWordWrap(True)
        self.table = QTableWidget(len(self.missing), 2)
        self.table.setHorizontalHeaderLabels(["Missing", "New location"])
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, path in enumerate(self.missing):
            self.table.setItem(row, 0, QTableWidgetItem(path))
            self.table.setItem(row, 1, QTableWidgetItem("—"))
        self.table.resizeColumnToContents(0)
        search = QPushButton("Search folder…")
        search.clicked.connect(self._search_dialog)
        pick = QPushButton("Locate selected…")
        pick.clicked.connect(self._pick)
        self.apply_button = QPushButton("Relink")
        self.apply_button.setObjectName("primary")
        self.apply_button.clicked.connect(self.apply)
        later = QPushButton("Later")
        later.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for w in (search, pick):
            buttons.addWidget(w)
        buttons.addStretch(1)
        buttons.addWidget(later)
        buttons.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def search_folder(self, folder: Path) -> int:
        found = relink_plan([m for m in self.missing if m not in self.mapping], Path(folder))
        self.mapping.update(found)
        self._show()
        return len(found)

    def _search_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Search for missing media in")
        if folder:
            n = self.search_folder(Path(folder))
            self.info.setText(f"Found {n} of {len(self.missing)} missing file(s) under {folder}.")

    def _pick(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        path, _ = QFileDialog.getOpenFileName(self, f"Locate {Path(self.missing[row]).name}")
        if path:
            self.mapping[self.missing[row]] = path
            self._show()

    def _show(self) -> None:
        for row, path in enumerate(self.missing):
            self.table.setItem(row, 1, QTableWidgetItem(self.mapping.get(path, "—")))

    def apply(self) -> None:
        relink(self.document, self.mapping)
        self.accept()
