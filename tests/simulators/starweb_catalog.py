"""Starweb simulator, catalogue part: products/variants by SKU, stock per location, prices per pricelist."""

from __future__ import annotations

import re

from tests.simulators.base import Refuse, Reply, Request

INT = {"type": "integer"}
PRODUCT_INCLUDES = {"primaryVariant", "primaryVariant.prices", "primaryVariant.attributeValues",
                    "attributes", "mediaFiles", "languages", "vatRates", "categories", "unit",
                    "metaData", "bundledProducts", "bundledProducts.prices", "tags"}
STOCK_PUT = {"type": "object", "additionalProperties": False,
             "required": ["stockStatusId", "stockQuantity"], "properties": {
                 "stockStatusId": INT, "stockQuantity": {"type": "number", "minimum": -100000000,
                                                         "maximum": 100000000}}}
PRICE_PUT = {"type": "object", "additionalProperties": False, "required": ["pricelistId"],
             "properties": {"pricelistId": INT, "priceExVat": {"type": "number", "minimum": 0},
                            "specialPriceExVat": {"type": ["number", "null"], "minimum": 0}}}


class StarwebCatalog:
    """Mixin for StarwebSimulator: needs products, pricelists, stock_locations, stock_statuses."""

    def add_product(self, *skus: str) -> tuple[int, list[int]]:
        """A product with one variant per SKU; returns (productId, [variantId, …])."""
        with self.lock:
            product_id = self._next("product")
            variants = {}
            for i, sku in enumerate(skus):
                vid = self._next("variant")
                variants[vid] = {"variantId": vid, "sku": sku, "isActive": True, "sortIndex": i,
                                 "stockStatusId": 1, "stockQuantity": 0, "weightInKg": 0.5,
                                 "ean": "", "stocks": {}, "prices": {}}
            self.products[product_id] = {"productId": product_id, "type": "basic",
                                         "visibility": "visible", "variants": variants}
            return product_id, list(variants)

    def add_variant_product(self, name: str, variants: list[tuple[str, list[str]]]) -> tuple[int, list[int]]:
        """A product named `name` (sv) whose variants carry attribute values by name: [(sku, ["Röd", "M"])]."""
        with self.lock:
            product_id, vids = self.add_product(*(sku for sku, _values in variants))
            product = self.products[product_id]
            product["languages"] = [{"langCode": "sv", "name": name}]
            for vid, (_sku, values) in zip(vids, variants):
                product["variants"][vid]["attributeValues"] = [
                    {"attributeValueId": self._next("variant"), "skuSuffix": v[:3].upper(),
                     "sortIndex": i, "languages": [{"langCode": "sv", "name": v}]}
                    for i, v in enumerate(values)]
            return product_id, vids

    def _variant_by_sku(self, sku: str) -> dict:
        for product in self.products.values():
            for variant in product["variants"].values():
                if variant["sku"] == sku:
                    return variant
        raise KeyError(sku)

    def stock(self, sku: str, location: int = 1) -> float | None:
        with self.lock:
            entry = self._variant_by_sku(sku)["stocks"].get(location)
            return None if entry is None else entry["stockQuantity"]

    def price(self, sku: str, pricelist: int = 1) -> dict | None:
        with self.lock:
            return self._variant_by_sku(sku)["prices"].get(pricelist)

    def _variant(self, req) -> dict:
        product = self.products.get(int(req.params["product"]))
        variant = product and product["variants"].get(int(req.params["variant"]))
        if not variant:
            raise Refuse(self.error(404, "not_found", "The product variant was not found"))
        return variant

    def _render_variant(self, variant: dict, prices: bool, values: bool = False) -> dict:
        out = {k: v for k, v in variant.items() if k not in ("stocks", "prices", "attributeValues")}
        if prices:
            out["prices"] = list(variant["prices"].values())
        if values:
            out["attributeValues"] = [dict(v) for v in variant.get("attributeValues", [])]
        return out

    def list_products(self, req: Request) -> Reply:
        include = self._includes(req, PRODUCT_INCLUDES)
        rows = sorted(self.products.values(), key=lambda p: p["productId"])
        sku = req.query.get("filterSku")
        if sku is not None:
            if not re.fullmatch(r"[A-Za-z0-9._-]+", sku):
                raise self._bad("filterSku must match /[A-Za-z0-9._-]+$/")
            rows = [p for p in rows if any(v["sku"] == sku for v in p["variants"].values())]
        page = self._page(rows, req)
        out = []
        for product in page["data"]:
            item = {k: v for k, v in product.items() if k not in ("variants", "languages")}
            if "languages" in include:
                item["languages"] = {"data": [dict(lang) for lang in product.get(
                    "languages", [{"langCode": "sv", "name": f"Product {product['productId']}"}])]}
            item["hasSeveralVariants"] = len(product["variants"]) > 1
            if "primaryVariant" in include or "primaryVariant.prices" in include:
                first = next(iter(product["variants"].values()))
                item["variants"] = {"data": [self._render_variant(
                    first, "primaryVariant.prices" in include)]}
            out.append(item)
        page["data"] = out
        return Reply(200, page)

    def list_variants(self, req: Request) -> Reply:
        product = self.products.get(int(req.params["product"]))
        if product is None:
            raise Refuse(self.error(404, "not_found", "The product was not found"))
        include = self._includes(req, {"prices", "attributeValues"})
        return Reply(200, {"data": [self._render_variant(v, "prices" in include,
                                                         "attributeValues" in include)
                                    for v in product["variants"].values()]})

    def put_stock(self, req: Request) -> Reply:
        variant = self._variant(req)
        location = int(req.params["location"])
        if location not in self.stock_locations:
            raise Refuse(self.error(404, "not_found", "The stock location was not found"))
        body = self._body(req, STOCK_PUT)
        if body["stockStatusId"] not in self.stock_statuses:
            raise self._bad("Unknown stockStatusId", "invalid_stock_status")
        entry = {"stockLocationId": location, "stockStatusId": body["stockStatusId"],
                 "stockQuantity": body["stockQuantity"]}
        variant["stocks"][location] = entry
        return Reply(200, {"data": dict(entry)})

    def put_price(self, req: Request) -> Reply:
        variant = self._variant(req)
        pricelist = int(req.params["pricelist"])
        if pricelist not in self.pricelists:
            raise Refuse(self.error(404, "not_found", "The pricelist was not found"))
        body = self._body(req, PRICE_PUT)
        if body["pricelistId"] != pricelist:
            raise self._bad("pricelistId in the body does not match the URL")
        entry = {"pricelistId": pricelist, "priceExVat": body.get("priceExVat", 0),
                 "specialPriceExVat": body.get("specialPriceExVat")}
        variant["prices"][pricelist] = entry
        return Reply(200, {"data": dict(entry)})

    def list_pricelists(self, req: Request) -> Reply:
        return Reply(200, {"data": list(self.pricelists.values()),
                           "meta": {"pagination": {"current_page": 1, "per_page": 100,
                                                   "total": len(self.pricelists), "count": len(
                                                       self.pricelists), "total_pages": 1}}})

    def list_locations(self, req: Request) -> Reply:
        return Reply(200, {"data": list(self.stock_locations.values())})
