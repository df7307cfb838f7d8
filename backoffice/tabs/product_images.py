"""The product editor's Images section: thumbnails in order, Add… (file dialog), Remove, Move up/down.

Each action is its own unit of work on the database lane (an image is saved when added, not with
the editor's Save button); thumbnails are decoded on the lane too, so a 10 MB JPEG never stalls the
GUI thread — QImage may be built off the GUI thread, QPixmap/QIcon only on it.
"""

from __future__ import annotations

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
from core.catalog.images import add_image, image_file, images_of, remove_image, reorder_images
from core.paths import images_dir

THUMB = 96


def images_folder(ctx) -> Path:
    """The images folder beside the database the back office has open (its data folder).

    `ctx.images_dir` wins when set; a SQLite file's folder is the data folder (replica.sqlite and the
    demo's server.sqlite both live there); otherwise (PostgreSQL) the default data folder.
    """
    chosen = getattr(ctx, "images_dir", None)
    if chosen:
        return Path(chosen)
    database = ctx.store.engine.url.database if ctx.store.is_sqlite else None
    if database and database != ":memory:":
        folder = Path(database).resolve().parent / "images"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return images_dir()


def _thumbnails(session, product_id: int, folder: Path) -> list[tuple[int, str, QImage]]:
    """Runs on the lane: each image's id, file name and a scaled QImage (null when unreadable)."""
    shown = []
    for image in images_of(session, product_id):
        picture = QImage(str(image_file(folder, image)))
        if not picture.isNull():
            picture = picture.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                     Qt.TransformationMode.SmoothTransformation)
        shown.append((image.id, image.path.rsplit("/", 1)[-1], picture))
    return shown


class ImagesBox(QGroupBox):
    """The images of one product; `set_product(id)` once the product exists (None: not yet saved)."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle(self.tr("Images"))
        self.ctx, self.product_id = ctx, None
        self.folder = images_folder(ctx)
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
        for image_id, name, picture in shown:
            item = QListWidgetItem(name)
            if not picture.isNull():
                item.setIcon(QIcon(QPixmap.fromImage(picture)))
            item.setData(Qt.ItemDataRole.UserRole, image_id)
            self.list.addItem(item)
            if image_id == select_id:
                self.list.setCurrentItem(item)
        self._enable(True)

    def image_ids(self) -> list[int]:
        return [self.list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.list.count())]

    # --- editing -------------------------------------------------------------------------------

    def choose(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Choose images"), "",
                                                self.tr("Images (*.png *.jpg *.jpeg *.webp)"))
        if paths:
            self.add_files(paths)

    def add_files(self, paths: list[str]) -> None:
        """Add these files in one unit of work: all of them, or none when one is refused."""
        if not paths:
            return
        pid, folder = self.product_id, self.folder
        self._write(lambda s: [add_image(s, pid, p, folder).id for p in paths][-1])

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        image_id, folder = self.image_ids()[row], self.folder
        self._write(lambda s: remove_image(s, image_id, folder))

    def move_selected(self, step: int) -> None:
        row, ids = self.list.currentRow(), self.image_ids()
        if row < 0 or not 0 <= row + step < len(ids):
            return
        ids[row], ids[row + step] = ids[row + step], ids[row]
        pid, moved = self.product_id, ids[row + step]
        self._write(lambda s: (reorder_images(s, pid, ids), moved)[1])

    def _write(self, job) -> None:
        """Run `job(session)` as a unit of work; then reload, selecting the image id it returns."""
        self._enable(False)
        self.ctx.write(job, self.reload, area="products", on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._enable(self.product_id is not None)
        show_error(self.window(), exc)
