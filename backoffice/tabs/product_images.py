"""The product editor's Images section: thumbnails in order, Add… (file dialog), Remove, Move up/down.

Each action is its own command (`images.add` with the pictures as base64, `images.remove`,
`images.reorder`): an image is saved when added, not with the editor's Save button, and stored where
the command runs — on a workstation, at the server, whose copy is fetched (`images.fetch`) to show
a thumbnail. Files are read and thumbnails decoded on the lane, so a 10 MB JPEG never stalls the
GUI thread — QImage may be built off the GUI thread, QPixmap/QIcon only on it.
"""

from __future__ import annotations

import base64
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backoffice.errors import show_error
from core.catalog.images import image_file, images_of, read_image_file
from core.catalog.images import images_folder as store_images_folder

THUMB = 96


def images_folder(ctx) -> Path:
    """The images folder beside the database the back office has open (its data folder).

    `ctx.images_dir` wins when set; a SQLite file's folder is the data folder (replica.sqlite and the
    demo's server.sqlite both live there); otherwise (PostgreSQL) the default data folder.
    """
    chosen = getattr(ctx, "images_dir", None)
    if chosen:
        return Path(chosen)
    return store_images_folder(ctx.store.engine)


def _encoded(paths: list[str]) -> list[dict]:
    """Runs on the lane: each file as {name, data (base64)}; a missing or oversize file is refused here."""
    return [{"name": Path(p).name, "data": base64.b64encode(read_image_file(p)).decode("ascii")}
            for p in paths]


def _save_fetched(folder: Path, result: dict) -> None:
    """Runs on the lane: keep the server's copy of an image in this machine's images folder."""
    target = folder.joinpath(*result["path"].split("/")).resolve()
    if folder.resolve() not in target.parents:
        raise ValueError(f"image path {result['path']!r} leaves the images folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(base64.b64decode(result["data"]))


def _thumbnails(session, product_id: int, folder: Path) -> list[tuple[int, str, QImage, bool]]:
    """Runs on the lane: each image's id, file name, a scaled QImage (null when unreadable) and
    whether its file is on this machine."""
    shown = []
    for image in images_of(session, product_id):
        path = image_file(folder, image)
        picture = QImage(str(path))
        if not picture.isNull():
            picture = picture.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                     Qt.TransformationMode.SmoothTransformation)
        shown.append((image.id, image.path.rsplit("/", 1)[-1], picture, path.is_file()))
    return shown


class ImagesBox(QGroupBox):
    """The images of one product; `set_product(id)` once the product exists (None: not yet saved)."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle(self.tr("Images"))
        self.ctx, self.product_id = ctx, None
        self.folder = images_folder(ctx)
        self.fetched: set[int] = set()  # images asked of the server once (a workstation lacks the files)
        self.list = QListWidget()
        self.list.setObjectName("productImages")
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setMovement(QListView.Movement.Static)  # order changes through the buttons
        self.list.setFixedHeight(THUMB + 40)
        self.hint = QLabel(self.tr("Save the product first, then add its images."))
        self.add_button, self.remove_button = QPushButton(self.tr("Add…")), QPushButton(self.tr("Remove"))
        self.up_button, self.down_button = QPushButton(self.tr("Move up")), QPushButton(self.tr("Move down"))
        self.add_button.clicked.connect(self.choose)
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(+1))
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.hint)
        row = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            row.addWidget(button)
        row.addStretch()
        layout.addLayout(row)
        self._enable(False)

    def _enable(self, on: bool) -> None:
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            button.setEnabled(on)
        self.hint.setVisible(self.product_id is None)

    # --- showing -------------------------------------------------------------------------------

    def set_product(self, product_id: int | None) -> None:
        self.product_id = product_id
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        if self.product_id is None:
            self.list.clear()
            self._enable(False)
            return
        pid, folder = self.product_id, self.folder
        self._enable(False)
        self.ctx.read(lambda s: _thumbnails(s, pid, folder), lambda shown: self._show(shown, select_id),
                      on_error=self._failed)

    def _show(self, shown, select_id: int | None = None) -> None:
        self.list.clear()
        missing = []
        for image_id, name, picture, here in shown:
            item = QListWidgetItem(name)
            if not picture.isNull():
                item.setIcon(QIcon(QPixmap.fromImage(picture)))
            item.setData(Qt.ItemDataRole.UserRole, image_id)
            self.list.addItem(item)
            if image_id == select_id:
                self.list.setCurrentItem(item)
            if not here and image_id not in self.fetched:
                missing.append(image_id)
        self._enable(True)
        if missing and getattr(self.ctx, "remote", False):
            self._fetch(missing)

    def _fetch(self, image_ids: list[int]) -> None:
        """Bring the server's copies of these images here, then show them (each asked once)."""
        self.fetched.update(image_ids)
        folder = self.folder

        def keep(result):
            self.ctx.submit(lambda: _save_fetched(folder, result), lambda _r: self.reload(),
                            on_error=lambda _exc: None)  # no thumbnail is not worth a message
        for image_id in image_ids:
            self.ctx.command("images.fetch", {"image_id": image_id}, keep, on_error=lambda _exc: None)

    def image_ids(self) -> list[int]:
        return [self.list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.list.count())]

    # --- editing -------------------------------------------------------------------------------

    def choose(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Choose images"), "",
                                                self.tr("Images (*.png *.jpg *.jpeg *.webp)"))
        if paths:
            self.add_files(paths)

    def add_files(self, paths: list[str]) -> None:
        """Add these files in one command: all of them, or none when one is refused."""
        if not paths:
            return
        pid = self.product_id
        self._enable(False)
        self.ctx.submit(lambda: _encoded(paths),
                        lambda images: self._command("images.add", {"product_id": pid, "images": images},
                                                     lambda r: r["ids"][-1]),
                        self._failed)

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        self._command("images.remove", {"image_id": self.image_ids()[row]}, lambda _r: None)

    def move_selected(self, step: int) -> None:
        row, ids = self.list.currentRow(), self.image_ids()
        if row < 0 or not 0 <= row + step < len(ids):
            return
        ids[row], ids[row + step] = ids[row + step], ids[row]
        moved = ids[row + step]
        self._command("images.reorder", {"product_id": self.product_id, "image_ids": ids}, lambda _r: moved)

    def _command(self, name: str, args: dict, selected) -> None:
        """Run the command; then reload, selecting the image `selected(result)` names."""
        self._enable(False)
        self.ctx.command(name, args, lambda result: self.reload(selected(result)), on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._enable(self.product_id is not None)
        show_error(self.window(), exc)
