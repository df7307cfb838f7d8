"""Product images: add (checked by content, stored once by hash), remove, reorder, list in order.

Files live in `images_dir/<product_id>/<sha256 prefix>.<ext>`; the row keeps that path relative to
`images_dir`, with `/` separators, so a data folder can move between machines. Adding copies the
file before the caller commits (a rollback leaves an unreferenced file that the next add of the
same picture reuses); removing deletes the file only after the unit of work commits, so a rollback
never leaves a row pointing at nothing.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from core.catalog.models import ProductImage
from core.catalog.products import get_product
from core.errors import NotFound, ValidationError

MAX_BYTES = 10 * 1024 * 1024
HASH_CHARS = 16  # 64 bits of SHA-256: enough to tell one product's pictures apart
FIELD = "image"


def sniff_format(head: bytes) -> str | None:
    """'png', 'jpg' or 'webp' from a file's first bytes (its magic number); None for anything else."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def check_image(data: bytes, name: str = "the image") -> str:
    """The image's format ('png', 'jpg', 'webp') when `data` may be stored; refuses oversize or non-images."""
    if len(data) > MAX_BYTES:
        raise ValidationError(f"{name} is {len(data) / 1_048_576:.1f} MB; images may be at most 10 MB",
                              field=FIELD, hint="scale the picture down or save it with more compression")
    ext = sniff_format(data[:16])
    if ext is None:
        raise ValidationError(f"{name} is not a PNG, JPEG or WebP image (whatever its name says)",
                              field=FIELD, hint="export the picture as PNG, JPEG or WebP")
    return ext


def read_image_file(source: str | os.PathLike) -> bytes:
    """A picture file's bytes, refusing a missing file or one over the limit before reading it."""
    source = Path(source)
    if not source.is_file():
        raise NotFound(f"no file {source}", field=FIELD, hint="choose an existing image file")
    size = source.stat().st_size
    if size > MAX_BYTES:
        raise ValidationError(f"{source.name} is {size / 1_048_576:.1f} MB; images may be at most 10 MB",
                              field=FIELD, hint="scale the picture down or save it with more compression")
    return source.read_bytes()


def _read_checked(source: Path) -> tuple[bytes, str]:
    data = read_image_file(source)
    return data, check_image(data, source.name)


def _write_once(target: Path, data: bytes) -> None:
    """Write `data` to `target` unless it is already there; atomic, so a crash leaves no half file."""
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add_image(session: Session, product_id: int, source_path: str | os.PathLike,
              images_dir: str | os.PathLike) -> ProductImage:
    """Copy an image into the product's folder and append it; the same picture twice is kept once."""
    get_product(session, product_id)
    data, ext = _read_checked(Path(source_path))
    return _store(session, product_id, data, ext, images_dir)


def add_image_data(session: Session, product_id: int, data: bytes, images_dir: str | os.PathLike,
                   name: str = "the image") -> ProductImage:
    """`add_image` for a picture's bytes (sent to the server by a workstation); `name` for messages."""
    get_product(session, product_id)
    return _store(session, product_id, data, check_image(data, name), images_dir)


def _store(session: Session, product_id: int, data: bytes, ext: str,
           images_dir: str | os.PathLike) -> ProductImage:
    relative = f"{product_id}/{hashlib.sha256(data).hexdigest()[:HASH_CHARS]}.{ext}"
    existing = session.execute(select(ProductImage).where(ProductImage.product_id == product_id,
                                                          ProductImage.path == relative)).scalar()
    if existing is not None:
        _write_once(Path(images_dir) / relative, data)  # in case the file was lost: put it back
        return existing
    _write_once(Path(images_dir) / relative, data)
    last = session.execute(select(func.max(ProductImage.position))
                           .where(ProductImage.product_id == product_id)).scalar()
    image = ProductImage(product_id=product_id, path=relative, position=0 if last is None else last + 1)
    session.add(image)
    session.flush()
    return image


def remove_image(session: Session, image_id: int, images_dir: str | os.PathLike) -> None:
    """Delete the image row; its file goes once the unit of work commits (unless another row uses it)."""
    image = session.get(ProductImage, image_id)
    if image is None:
        raise NotFound(f"no image with id {image_id}", field="image_id")
    product_id, relative = image.product_id, image.path
    session.delete(image)
    session.flush()
    still_used = session.execute(select(func.count()).select_from(ProductImage)
                                 .where(ProductImage.path == relative)).scalar()
    if not still_used:
        _after_commit(session, lambda: (Path(images_dir) / relative).unlink(missing_ok=True))
    _renumber(session, product_id)


def reorder_images(session: Session, product_id: int, image_ids: list[int]) -> None:
    """Put the product's images in this order; `image_ids` must name each of its images once."""
    images = {i.id: i for i in session.execute(select(ProductImage)
                                               .where(ProductImage.product_id == product_id)).scalars()}
    if sorted(image_ids) != sorted(images):
        raise ValidationError(f"the new order {list(image_ids)} must name each image of product {product_id} "
                              f"once ({sorted(images)})", field="image_ids",
                              hint="reload the product; its images changed meanwhile")
    for position, image_id in enumerate(image_ids):
        images[image_id].position = position
    session.flush()


def images_of(session: Session, product_id: int) -> list[ProductImage]:
    """The product's images in display order."""
    return list(session.execute(select(ProductImage).where(ProductImage.product_id == product_id)
                                .order_by(ProductImage.position, ProductImage.id)).scalars())


def image_file(images_dir: str | os.PathLike, image: ProductImage) -> Path:
    """Where an image's file is on this machine."""
    return Path(images_dir).joinpath(*image.path.split("/"))


def images_folder(bind) -> Path:
    """The images folder of a database (a Session, Engine or Connection on it): beside a SQLite
    file, else the data folder's."""
    from core.paths import images_dir

    url = (bind.get_bind() if isinstance(bind, Session) else bind.engine).url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        folder = Path(url.database).resolve().parent / "images"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return images_dir()


def _renumber(session: Session, product_id: int) -> None:
    for position, image in enumerate(images_of(session, product_id)):
        image.position = position
    session.flush()


def _after_commit(session: Session, action) -> None:
    """Run `action` after this session's next commit; forget it if the session rolls back first."""
    if "butik_after_commit" not in session.info:
        pending = session.info["butik_after_commit"] = []

        def run(_session):
            actions, pending[:] = list(pending), []
            for act in actions:
                act()

        def forget(_session, _previous):
            pending.clear()

        event.listen(session, "after_commit", run)
        event.listen(session, "after_soft_rollback", forget)
    session.info["butik_after_commit"].append(action)
