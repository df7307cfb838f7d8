"""Product images on a real SQLite store and a real images folder: checked by content, stored once."""

import pytest
from sqlalchemy import select

from core.catalog.images import (
    MAX_BYTES,
    add_image,
    image_file,
    images_of,
    remove_image,
    reorder_images,
    sniff_format,
)
from core.catalog.models import ProductImage
from core.catalog.products import ProductIn, create_product
from core.errors import NotFound, ValidationError
from core.paths import images_dir
from core.vat.seed import seed_vat

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(40))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(30)
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(30)


@pytest.fixture
def product(store):
    with store.write() as s:
        seed_vat(s)
        pid = create_product(s, ProductIn(sku="TR-1", name_sv="Tröja"))
        s.commit()
    return pid


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "images"


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def add(store, pid, path, folder):
    with store.write() as s:
        image = add_image(s, pid, path, folder)
        s.commit()
        return image.id, image.path, image.position


def test_images_dir_is_inside_the_data_folder(data_dir):
    assert images_dir() == data_dir / "images" and images_dir().is_dir()
    assert images_dir(data_dir / "other") == data_dir / "other" / "images"


def test_the_format_comes_from_the_bytes():
    assert [sniff_format(b) for b in (PNG, JPEG, WEBP, b"GIF89a", b"hello")] == ["png", "jpg", "webp", None, None]


def test_add_copies_into_the_product_folder_by_hash_and_appends(store, product, folder, tmp_path):
    first = add(store, product, write(tmp_path, "front.png", PNG), folder)
    second = add(store, product, write(tmp_path, "IMG_001.JPG", JPEG), folder)
    third = add(store, product, write(tmp_path, "side", WEBP), folder)  # no suffix at all: content decides
    assert [f[2] for f in (first, second, third)] == [0, 1, 2]
    assert first[1].startswith(f"{product}/") and first[1].endswith(".png")
    assert second[1].endswith(".jpg") and third[1].endswith(".webp")
    assert (folder / first[1]).read_bytes() == PNG
    with store.read() as s:
        assert [i.id for i in images_of(s, product)] == [first[0], second[0], third[0]]
        assert image_file(folder, images_of(s, product)[1]).read_bytes() == JPEG


def test_the_same_picture_twice_is_stored_once(store, product, folder, tmp_path):
    first = add(store, product, write(tmp_path, "a.png", PNG), folder)
    again = add(store, product, write(tmp_path, "copy of a.png", PNG), folder)
    assert again == first
    assert [p.name for p in (folder / str(product)).iterdir()] == [first[1].split("/")[1]]
    with store.read() as s:
        assert len(images_of(s, product)) == 1


def test_a_text_file_named_png_is_refused_naming_the_field(store, product, folder, tmp_path):
    fake = write(tmp_path, "photo.png", b"just some notes, not a picture\n")
    with store.write() as s, pytest.raises(ValidationError) as refused:
        add_image(s, product, fake, folder)
    assert refused.value.field == "image" and "not a PNG, JPEG or WebP" in str(refused.value)
    assert not folder.exists() or not any(folder.rglob("*.*"))


def test_a_file_over_ten_megabytes_is_refused(store, product, folder, tmp_path):
    big = write(tmp_path, "huge.png", PNG + bytes(MAX_BYTES + 1 - len(PNG)))
    with store.write() as s, pytest.raises(ValidationError) as refused:
        add_image(s, product, big, folder)
    assert refused.value.field == "image" and "10 MB" in str(refused.value)
    exactly = write(tmp_path, "limit.png", PNG + bytes(MAX_BYTES - len(PNG)))
    assert add(store, product, exactly, folder)[2] == 0  # the limit itself is allowed


def test_missing_file_and_unknown_product_are_refused(store, product, folder, tmp_path):
    with store.write() as s:
        with pytest.raises(NotFound) as missing:
            add_image(s, product, tmp_path / "nope.png", folder)
        assert missing.value.field == "image"
        with pytest.raises(NotFound) as unknown:
            add_image(s, 999, write(tmp_path, "a.png", PNG), folder)
        assert unknown.value.field == "product_id"


def test_remove_deletes_the_file_after_commit_and_closes_the_gap(store, product, folder, tmp_path):
    a = add(store, product, write(tmp_path, "a.png", PNG), folder)
    b = add(store, product, write(tmp_path, "b.jpg", JPEG), folder)
    c = add(store, product, write(tmp_path, "c.webp", WEBP), folder)
    with store.write() as s:
        remove_image(s, b[0], folder)
        assert (folder / b[1]).exists()  # not before the commit …
        # … and a rollback keeps it
    assert (folder / b[1]).exists()
    with store.write() as s:
        remove_image(s, b[0], folder)
        s.commit()
    assert not (folder / b[1]).exists() and (folder / a[1]).exists()
    with store.read() as s:
        assert [(i.id, i.position) for i in images_of(s, product)] == [(a[0], 0), (c[0], 1)]
    with store.write() as s, pytest.raises(NotFound) as gone:
        remove_image(s, b[0], folder)
    assert gone.value.field == "image_id"


def test_reorder_sets_positions_and_refuses_a_list_that_does_not_match(store, product, folder, tmp_path):
    ids = [add(store, product, write(tmp_path, n, d), folder)[0]
           for n, d in (("a.png", PNG), ("b.jpg", JPEG), ("c.webp", WEBP))]
    with store.write() as s:
        reorder_images(s, product, [ids[2], ids[0], ids[1]])
        s.commit()
    with store.read() as s:
        assert [i.id for i in images_of(s, product)] == [ids[2], ids[0], ids[1]]
    for wrong in ([ids[0], ids[1]], [ids[0], ids[0], ids[1]], [*ids, 999]):
        with store.write() as s, pytest.raises(ValidationError) as refused:
            reorder_images(s, product, wrong)
        assert refused.value.field == "image_ids"
    with store.read() as s:
        assert s.execute(select(ProductImage.id).order_by(ProductImage.position)).scalars().all() == \
            [ids[2], ids[0], ids[1]]
