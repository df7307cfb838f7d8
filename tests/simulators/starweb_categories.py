"""Starweb simulator, categories part: GET/POST /product-categories and GET /product-categories/{id}, per the OpenAPI 2.11."""

from __future__ import annotations

from tests.simulators.base import Refuse, Reply, Request

LANGS = ("sv", "en")
CATEGORY_LANGUAGE = {"type": "object", "additionalProperties": False,
                     "required": ["langCode", "name"], "properties": {
                         "langCode": {"type": "string", "minLength": 2, "maxLength": 2},
                         "name": {"type": "string", "maxLength": 90, "minLength": 1},
                         "pageTitle": {"type": "string", "maxLength": 90},
                         "description": {"type": "string", "maxLength": 65535},
                         "bottomDescription": {"type": "string", "maxLength": 65535},
                         "pageMetaDescription": {"type": "string", "maxLength": 278},
                         "permalink": {"type": "string", "maxLength": 128}}}
CATEGORY_POST = {"type": "object", "additionalProperties": False, "required": ["languages"],
                 "properties": {
                     "parentId": {"type": ["integer", "null"]},
                     "visibility": {"type": "string", "enum": ["visible", "hidden", "pricelists"]},
                     "sortIndex": {"type": "integer"}, "openPage": {"type": "boolean"},
                     "imageFileId": {"type": ["integer", "null"]},
                     "externalType": {"type": "string", "maxLength": 20},
                     "externalId": {"type": "string", "maxLength": 40},
                     "languages": {"type": "array", "minItems": 1, "items": CATEGORY_LANGUAGE}}}


class StarwebCategories:
    """Mixin for StarwebSimulator: `categories` {categoryId: model}; helper `add_category`."""

    def add_category(self, name: str, parent: int | None = None, **extra) -> int:
        with self.lock:
            cid = self._next("category")
            self.categories[cid] = {"categoryId": cid, "parentId": parent, "visibility": "visible",
                                    "sortIndex": 0, "openPage": True, "imageFileId": None,
                                    "externalType": "", "externalId": "", **extra,
                                    "languages": [{"langCode": "sv", "name": name,
                                                   "permalink": name.lower()}]}
            return cid

    def _render_category(self, cat: dict, include: set[str]) -> dict:
        out = {k: v for k, v in cat.items() if k != "languages"}
        out["hasChildren"] = any(c["parentId"] == cat["categoryId"] for c in self.categories.values())
        if "languages" in include:
            out["languages"] = {"data": [dict(lang) for lang in cat["languages"]]}
        return out

    def list_categories(self, req: Request) -> Reply:
        include = self._includes(req, {"languages"})
        rows = sorted(self.categories.values(), key=lambda c: c["categoryId"])
        if "parent" in req.query:
            parent = self._int_param(req, "parent", None, minimum=0)
            rows = [c for c in rows if (c["parentId"] or 0) == parent]
        if "externalId" in req.query:
            rows = [c for c in rows if c["externalId"] == req.query["externalId"]]
        if req.query.get("filterVisible") not in (None, "true", "false"):
            raise self._bad("filterVisible must be true or false")
        if req.query.get("filterVisible") == "true":
            rows = [c for c in rows if c["visibility"] == "visible"]
        page = self._page(rows, req)
        page["data"] = [self._render_category(c, include) for c in page["data"]]
        return Reply(200, page)

    def get_category(self, req: Request) -> Reply:
        cat = self.categories.get(int(req.params["category"]))
        if cat is None:
            raise Refuse(self.error(404, "not_found", "The product category was not found"))
        return Reply(200, {"data": self._render_category(cat, self._includes(req, {"languages"}))})

    def create_category(self, req: Request) -> Reply:
        body = self._body(req, CATEGORY_POST)
        langs = [lang["langCode"] for lang in body["languages"]]
        if any(code not in LANGS for code in langs) or len(set(langs)) != len(langs):
            raise self._bad("languages: each langCode once, one the shop supports (sv, en)",
                            "validation_failed")
        parent = body.get("parentId")
        if parent is not None and parent not in self.categories:
            raise self._bad(f"The parent category {parent} does not exist", "validation_failed")
        cid = self._next("category")
        self.categories[cid] = {"categoryId": cid, "parentId": parent,
                                "visibility": body.get("visibility", "visible"),
                                "sortIndex": body.get("sortIndex", 0),
                                "openPage": body.get("openPage", True),
                                "imageFileId": body.get("imageFileId"),
                                "externalType": body.get("externalType", ""),
                                "externalId": body.get("externalId", ""),
                                "languages": [dict(lang) for lang in body["languages"]]}
        return Reply(201, {"data": self._render_category(self.categories[cid], {"languages"})})
