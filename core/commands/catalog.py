"""Back-office commands: products, variant matrices, SET components, images and the products CSV import.

Thin adapters over core.catalog (and core.dataio for the import): JSON arguments checked and
named, the use case called, a small JSON result. Images travel as base64 inside the arguments and
are stored where the command runs (beside the server's database); `images.fetch` hands one back.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
from typing import Any

from sqlalchemy.orm import Session

from core.catalog.bundles import set_components
from core.catalog.editor import (
    MatrixSpec,
    ProductForm,
    create_matrix,
    load_product,
    save_product,
    set_variant_ean,
)
from core.catalog.images import (
    MAX_BYTES,
    add_image_data,
    image_file,
    images_folder,
    remove_image,
    reorder_images,
)
from core.catalog.models import ProductImage
from core.catalog.products import ProductIn
from core.commands import as_int, command
from core.dataio.products_import import import_products_text
from core.errors import NotFound, ValidationError

AREA = "products"
#: at most this many images, and this many bytes of them, in one images.add
MAX_IMAGES = 20
MAX_BATCH_BYTES = 30 * 1024 * 1024
#: the largest CSV text catalog.import_csv takes (characters), and how many bad rows it lists
MAX_CSV_CHARS = 64 * 1024 * 1024
MAX_REPORTED_ERRORS = 1000
_UNSET: Any = object()

TEXT_FIELDS = ("sku", "name_sv", "name_en", "description", "unit", "kind", "vat_class", "product_type")
ID_FIELDS = ("supplier_id", "category_id", "parent_id")
NUMBER_FIELDS = ("cost_price", "weight_g")
FLAG_FIELDS = ("drop_ship", "active")


# ------------------------------------------------------------------ argument checks

def text_arg(value: Any, field: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be text, not {value!r}", field=field)
    return value


def flag_arg(value: Any, field: str, *, optional: bool = False) -> bool | None:
    if value is None and optional:
        return None
    if not isinstance(value, bool):
        raise ValidationError(f"{field} must be true or false, not {value!r}", field=field)
    return value


def id_arg(value: Any, field: str, *, optional: bool = False) -> int | None:
    """A database id: a whole number above zero (or None when optional)."""
    if value is None and optional:
        return None
    number = as_int(value, field)
    if number <= 0:
        raise ValidationError(f"{field} must be an id above zero, not {value!r}", field=field)
    return number


def list_arg(value: Any, field: str) -> list:
    if not isinstance(value, list):
        raise ValidationError(f"{field} must be a list, not {value!r}", field=field)
    return value


def _product_fields(values: dict[str, Any]) -> dict[str, Any]:
    """The product fields sent, checked for type; `barcodes` a list of text, `vat_overrides` an object."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value is _UNSET:
            continue
        if key in TEXT_FIELDS:
            out[key] = text_arg(value, key, optional=key in ("name_en", "description"))
        elif key in ID_FIELDS:
            out[key] = id_arg(value, key, optional=True)
        elif key in NUMBER_FIELDS:
            out[key] = as_int(value, key, optional=True)
        elif key in FLAG_FIELDS:
            out[key] = flag_arg(value, key)
        elif key == "stocked":
            out[key] = flag_arg(value, key, optional=True)
        elif key in ("barcodes", "vat_overrides") and value is None:
            continue  # not given: none (create) or unchanged (update)
        elif key == "barcodes":
            out[key] = [text_arg(c, f"barcodes[{i}]") for i, c in enumerate(list_arg(value, key))]
        elif key == "vat_overrides":
            if not isinstance(value, dict):
                raise ValidationError("vat_overrides must be an object of country → VAT class",
                                      field="vat_overrides", hint='e.g. {"NO": "standard"}')
            out[key] = {text_arg(c, "vat_overrides"): text_arg(v, f"vat_overrides.{c}")
                        for c, v in value.items()}
    return out


# ------------------------------------------------------------------ products

@command("products.create", area=AREA)
def create_product(session: Session, who: str, sku: str, name_sv: str, name_en: str = "",
                   description: str = "", unit: str = "pcs", kind: str = "goods", stocked=None,
                   drop_ship: bool = False, supplier_id=None, cost_price=None, weight_g=None,
                   category_id=None, vat_class: str = "standard", product_type: str = "single",
                   parent_id=None, active: bool = True, barcodes: list | None = None,
                   vat_overrides: dict | None = None) -> dict:
    """A new product with its barcodes and VAT class per country (cost price in öre)."""
    values = _product_fields({k: v for k, v in locals().items() if k not in ("session", "who")})
    overrides = values.pop("vat_overrides", None) or {}
    values["barcodes"] = values.get("barcodes") or []
    values = {k: ("" if v is None and k in ("name_en", "description") else v) for k, v in values.items()}
    pid = save_product(session, ProductForm(ProductIn(**values), None, overrides))
    return {"id": pid}


@command("products.update", area=AREA)
def update_product(session: Session, who: str, product_id: int, sku=_UNSET, name_sv=_UNSET, name_en=_UNSET,
                   description=_UNSET, unit=_UNSET, kind=_UNSET, stocked=_UNSET, drop_ship=_UNSET,
                   supplier_id=_UNSET, cost_price=_UNSET, weight_g=_UNSET, category_id=_UNSET,
                   vat_class=_UNSET, product_type=_UNSET, parent_id=_UNSET, active=_UNSET,
                   barcodes=_UNSET, vat_overrides=_UNSET) -> dict:
    """Change the fields sent (others stay); `barcodes` and `vat_overrides` replace the whole set.

    `stocked` not sent is derived again from kind, type and drop-ship.
    """
    pid = id_arg(product_id, "product_id")
    sent = _product_fields({k: v for k, v in locals().items()
                            if k not in ("session", "who", "product_id", "pid")})
    form = load_product(session, pid)
    overrides = sent.pop("vat_overrides", form.overrides)
    sent.setdefault("stocked", None)
    form = ProductForm(dataclasses.replace(form.product, **sent), pid, overrides)
    save_product(session, form)
    return {"id": pid, "fields": sorted(sent)}


# ------------------------------------------------------------------ variants and bundles

def _attributes(value: Any) -> list[tuple[str, list]]:
    hint = 'e.g. [{"name": "Färg", "values": ["Röd", {"value": "Blå", "code": "BL"}]}]'
    out = []
    for i, axis in enumerate(list_arg(value, "attributes")):
        where = f"attributes[{i}]"
        if not isinstance(axis, dict) or set(axis) != {"name", "values"}:
            raise ValidationError(f"{where} must be an object with name and values", field=where, hint=hint)
        values = []
        for j, v in enumerate(list_arg(axis["values"], f"{where}.values")):
            if isinstance(v, dict) and set(v) == {"value", "code"}:
                values.append((text_arg(v["value"], f"{where}.values[{j}].value"),
                               text_arg(v["code"], f"{where}.values[{j}].code")))
            else:
                values.append(text_arg(v, f"{where}.values[{j}]"))
        out.append((text_arg(axis["name"], f"{where}.name"), values))
    return out


@command("variants.create_matrix", area=AREA)
def create_variant_matrix(session: Session, who: str, parent_sku: str, name_sv: str, attributes: list,
                          name_en: str = "", category_id=None, vat_class: str = "standard",
                          supplier_id=None, cost_price=None, price=None, price_list_id=None) -> dict:
    """A variant parent and one variant per combination of values, each priced when `price` is given."""
    spec = MatrixSpec(
        parent_sku=text_arg(parent_sku, "parent_sku"), name_sv=text_arg(name_sv, "name_sv"),
        name_en=text_arg(name_en, "name_en", optional=True) or "", attributes=_attributes(attributes),
        category_id=id_arg(category_id, "category_id", optional=True),
        vat_class=text_arg(vat_class, "vat_class", optional=True) or "standard",
        supplier_id=id_arg(supplier_id, "supplier_id", optional=True),
        cost_price=as_int(cost_price, "cost_price", optional=True), price=as_int(price, "price", optional=True),
        price_list_id=id_arg(price_list_id, "price_list_id", optional=True))
    matrix = create_matrix(session, spec, changed_by=who)
    return {"parent_id": matrix.parent_id,
            "variants": [{"codes": list(codes), "product_id": pid} for codes, pid in matrix.variants.items()]}


@command("variants.set_ean", area=AREA)
def set_ean(session: Session, who: str, product_id: int, ean: str) -> dict:
    """Make `ean` the variant's only barcode; an empty text removes its barcodes."""
    pid = id_arg(product_id, "product_id")
    code = set_variant_ean(session, pid, text_arg(ean, "ean").strip())
    return {"product_id": pid, "ean": code}


@command("bundles.set_components", area=AREA)
def set_bundle_components(session: Session, who: str, bundle_id: int, components: list) -> dict:
    """Replace a SET article's components: [{"product_id": …, "qty": thousandths per set}]."""
    bid = id_arg(bundle_id, "bundle_id")
    parts = []
    for i, c in enumerate(list_arg(components, "components")):
        if not isinstance(c, dict) or set(c) != {"product_id", "qty"}:
            raise ValidationError(f"components[{i}] must be an object with product_id and qty",
                                  field=f"components[{i}]", hint='e.g. {"product_id": 12, "qty": 2000}')
        parts.append((id_arg(c["product_id"], f"components[{i}].product_id"),
                      as_int(c["qty"], f"components[{i}].qty")))
    set_components(session, bid, parts)
    return {"bundle_id": bid, "components": len(parts)}


# ------------------------------------------------------------------ images

def _decoded(images: Any) -> list[tuple[str, bytes]]:
    """The images' (name, bytes), refusing too many, too large or not base64 before decoding much."""
    items = list_arg(images, "images")
    if not items:
        raise ValidationError("send at least one image", field="images")
    if len(items) > MAX_IMAGES:
        raise ValidationError(f"{len(items)} images at once; at most {MAX_IMAGES}", field="images",
                              hint="add them in smaller groups")
    out, total = [], 0
    for i, item in enumerate(items):
        where = f"images[{i}]"
        if not isinstance(item, dict) or set(item) != {"name", "data"}:
            raise ValidationError(f"{where} must be an object with name and data (base64)", field=where)
        name = text_arg(item["name"], f"{where}.name") or "the image"
        data = text_arg(item["data"], f"{where}.data")
        if len(data) > (MAX_BYTES // 3 + 1) * 4:
            raise ValidationError(f"{name} is over 10 MB; images may be at most 10 MB", field="image",
                                  hint="scale the picture down or save it with more compression")
        try:
            raw = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError(f"{name}: data is not base64", field=f"{where}.data") from None
        total += len(raw)
        if total > MAX_BATCH_BYTES:
            raise ValidationError(f"the images add up to more than {MAX_BATCH_BYTES // 1_048_576} MB",
                                  field="images", hint="add them in smaller groups")
        out.append((name, raw))
    return out


@command("images.add", area=AREA)
def add_images(session: Session, who: str, product_id: int, images: list) -> dict:
    """Append images [{"name": file name, "data": base64}] to a product: all of them, or none."""
    pid = id_arg(product_id, "product_id")
    pictures = _decoded(images)
    folder = images_folder(session)
    ids = [add_image_data(session, pid, raw, folder, name).id for name, raw in pictures]
    return {"product_id": pid, "ids": ids}


@command("images.remove", area=AREA)
def remove_product_image(session: Session, who: str, image_id: int) -> dict:
    """Remove an image (its file goes once no row uses it)."""
    iid = id_arg(image_id, "image_id")
    image = session.get(ProductImage, iid)
    if image is None:
        raise NotFound(f"no image with id {iid}", field="image_id")
    pid = image.product_id
    remove_image(session, iid, images_folder(session))
    return {"product_id": pid, "removed": iid}


@command("images.reorder", area=AREA)
def reorder_product_images(session: Session, who: str, product_id: int, image_ids: list) -> dict:
    """Put a product's images in this order (each of its image ids once)."""
    pid = id_arg(product_id, "product_id")
    ids = [id_arg(v, f"image_ids[{i}]") for i, v in enumerate(list_arg(image_ids, "image_ids"))]
    reorder_images(session, pid, ids)
    return {"product_id": pid, "image_ids": ids}


@command("images.fetch", writes=False, area=AREA)
def fetch_image(session: Session, who: str, image_id: int) -> dict:
    """One image's file as base64, from where images are stored (for a workstation that lacks it)."""
    iid = id_arg(image_id, "image_id")
    image = session.get(ProductImage, iid)
    if image is None:
        raise NotFound(f"no image with id {iid}", field="image_id")
    path = image_file(images_folder(session), image)
    if not path.is_file():
        raise NotFound(f"the file of image {iid} ({image.path}) is missing", field="image_id",
                       hint="add the picture to the product again")
    return {"id": iid, "product_id": image.product_id, "path": image.path,
            "data": base64.b64encode(path.read_bytes()).decode("ascii")}


# ------------------------------------------------------------------ CSV import

@command("catalog.import_csv", area=AREA)
def import_csv(session: Session, who: str, csv_text: str, skip_bad: bool = False) -> dict:
    """Import a products CSV (its text): the summary and the bad rows [line, field, reason].

    With bad rows and not `skip_bad` nothing is imported (`committed` false).
    """
    text_arg(csv_text, "csv_text")
    flag_arg(skip_bad, "skip_bad")
    if len(csv_text) > MAX_CSV_CHARS:
        raise ValidationError(f"the file is larger than {MAX_CSV_CHARS // 1_048_576} MB", field="csv_text",
                              hint="split it, or run `butik import products` on the server")
    report = import_products_text(session, csv_text, skip_bad=skip_bad)
    return {"rows": report.rows, "created": report.created, "updated": report.updated,
            "unchanged": report.unchanged, "prices_changed": report.prices_changed,
            "committed": report.committed, "summary": report.summary(),
            "errors": [list(e) for e in report.errors[:MAX_REPORTED_ERRORS]],
            "errors_total": len(report.errors)}
