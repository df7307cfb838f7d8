"""Unifaun / nShift Delivery REST API (rs-extapi v1) simulator: shipments, label PDFs, cancel, TrackBack feed.

Follows reference/integrations.md §5 and Unifaun's RAML/JSON schemas: Bearer `id-secret` or Basic
auth; licence per function (knob `licences`, missing → 403); POST /shipments → 201 array of
ShipmentInfo (parcels[].parcelNo = tracking), 400 `{"code", "message"}` for a missing body,
422 array of `{message, messageCode, field, location, type}` for validation errors; label PDFs
(real PDFs, reportlab) live `pdf_ttl` seconds (1 hour); DELETE → 204, 404 with a null body;
GET /shipments?fetchId → `{fetchId, minDelay, done, shipments}` in batches of ≤100, and a call
sooner than `min_delay_ms` after a finished batch gets no shipments and the remaining delay.
No idempotency key exists: a repeated POST books a second shipment (as the real API would).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import time

from tests.simulators.base import Refuse, Reply, Request, Simulator, validate

MEDIA = {"laser-a5", "laser-2a5", "laser-ste", "laser-a4", "thermo-se", "thermo-190",
         "thermo-brev3"}
SERVICES = {"P15", "P19", "PUA", "PUE", "DHLPAK", "ASPO", "BREV"}
PARTY = {"type": "object", "required": ["name", "city", "country"],
         "properties": {k: {"type": "string"} for k in (
             "quickId", "name", "address1", "address2", "zipcode", "city", "country", "phone",
             "email", "mobile", "contact", "orgNo", "vatNo", "doorCode")}}
PRINT = {"type": "object", "required": ["pdfConfig", "shipment"], "properties": {
    "pdfConfig": {"type": "object", "required": ["target1Media"], "properties": {
        **{f"target{i}Media": {"type": ["string", "null"]} for i in range(1, 5)},
        **{f"target{i}{a}Offset": {"type": "number"} for i in range(1, 5) for a in "XY"}}},
    "shipment": {"type": "object", "required": ["sender", "receiver", "service", "parcels"],
                 "properties": {
                     "sender": PARTY, "receiver": PARTY,
                     "service": {"type": "object", "required": ["id"],
                                 "properties": {"id": {"type": "string"},
                                                "addons": {"type": "array"}}},
                     "parcels": {"type": "array", "minItems": 1, "items": {
                         "type": "object", "required": ["copies"], "properties": {
                             "copies": {"type": "integer", "minimum": 1},
                             "weight": {"type": "number", "minimum": 0, "maximum": 1000},
                             "volume": {"type": "number", "minimum": 0},
                             "valuePerParcel": {"type": "boolean"},
                             "contents": {"type": "string"}, "reference": {"type": "string"},
                             "packageCode": {"type": "string"}}}},
                     "orderNo": {"type": "string"}, "senderReference": {"type": "string"},
                     "receiverReference": {"type": "string"}, "test": {"type": "boolean"},
                     "options": {"type": "array"}}}}}


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def _label_pdf(shipment: dict) -> bytes:
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 760, f"{shipment['serviceId']} {shipment['rcvName']}")
    for i, parcel in enumerate(shipment["parcels"]):
        c.drawString(72, 730 - 20 * i, f"Parcel {parcel['parcelNo']}")
    if shipment.get("_test"):
        c.drawString(72, 700 - 20 * len(shipment["parcels"]), "TEST")
    c.save()
    return buf.getvalue()


class UnifaunSimulator(Simulator):
    vendor = "Unifaun"
    routes = [
        ("POST", r"/rs-extapi/v1/shipments", "create"),
        ("GET", r"/rs-extapi/v1/shipments", "fetch"),
        ("DELETE", r"/rs-extapi/v1/shipments/(?P<shipment>[^/]+)", "delete"),
        ("GET", r"/rs-extapi/v1/shipments/(?P<shipment>[^/]+)/pdfs", "list_pdfs"),
        ("GET", r"/rs-extapi/v1/shipments/(?P<shipment>[^/]+)/pdfs/(?P<pdf>[^/]+)", "get_pdf"),
    ]
    LICENCE = {"create": "print", "list_pdfs": "print", "get_pdf": "print", "delete": "discard",
               "fetch": "trackback"}

    def __init__(self, key_id: str = "A" * 16, secret: str = "B" * 24):
        super().__init__()
        self.key = (key_id, secret)
        self.licences = {"print", "discard", "trackback"}
        self.pdf_ttl = 3600.0
        self.min_delay_ms = 0
        self.shipments: dict[str, dict] = {}
        self.pdfs: dict[str, tuple[str, bytes, float]] = {}   # pdfId → (shipmentId, bytes, born)
        self.events: list[str] = []                            # shipment ids, in change order
        self._last_done_fetch: float | None = None
        self._next_id = 5666300
        self._next_parcel = 69563053700

    def error(self, status: int, code: str, message: str) -> Reply:
        if status == 404:
            return Reply(404, None)
        return Reply(status, {"code": code, "message": message})

    def authorize(self, req: Request) -> Reply | None:
        header = req.header("authorization") or ""
        ok = header == f"Bearer {self.key[0]}-{self.key[1]}"
        if header.startswith("Basic "):
            try:
                ok = base64.b64decode(header[6:]).decode() == f"{self.key[0]}:{self.key[1]}"
            except (ValueError, UnicodeDecodeError):
                ok = False
        if not ok:
            return Reply(401, None)
        handler = next(h for m, p, h in self._compiled if m == req.method and p.match(req.path))
        if self.LICENCE[handler] not in self.licences:
            return Reply(403, {"code": "FORBIDDEN", "message": "No licence for this function"})
        return None

    # -- test helpers -------------------------------------------------------------------------
    def set_status(self, shipment_id: str, status: str) -> None:
        with self.lock:
            self.shipments[shipment_id]["status"] = status
            self.shipments[shipment_id]["changed"] = _stamp()
            self.events.append(shipment_id)

    def _public(self, shipment: dict, inline: bool = False) -> dict:
        out = {k: v for k, v in shipment.items() if not k.startswith("_")}
        if inline and out.get("pdfs"):
            out["pdfs"] = [{**p, "pdf": base64.b64encode(self.pdfs[p["id"]][1]).decode()}
                           for p in out["pdfs"]]
        return out

    def _shipment(self, req: Request) -> dict:
        shipment = self.shipments.get(req.params["shipment"])
        if shipment is None:
            raise Refuse(Reply(404, None))
        return shipment

    # -- handlers -----------------------------------------------------------------------------
    def create(self, req: Request) -> Reply:
        if not req.body:
            return self.error(400, "MISSING", "Missing shipment print request body")
        try:
            body = req.json()
        except ValueError:
            return self.error(400, "ILLEGAL", "The request body is not valid JSON")
        statuses = [{"message": msg, "messageCode": "Invalid", "field": path, "location": "",
                     "type": "error"} for path, msg in validate(body, PRINT)]
        if not statuses:
            shipment, config = body["shipment"], body["pdfConfig"]
            if config["target1Media"] not in MEDIA:
                statuses.append({"message": "Unknown media", "messageCode": "Media",
                                 "field": "PdfConfig_Target1Media", "location": "", "type": "error"})
            if shipment["service"]["id"] not in SERVICES:
                statuses.append({"message": "Unknown service", "messageCode": "Service",
                                 "field": "Shipment_Service", "location": "", "type": "error"})
            if shipment["receiver"]["country"] == "SE" and not (
                    shipment["receiver"].get("zipcode", "").replace(" ", "").isdigit()):
                statuses.append({"message": "Not valid postal code", "messageCode": "ZipCode",
                                 "field": "Address_Zipcode", "location": "", "type": "error"})
        if statuses:
            return Reply(422, statuses)
        self._next_id += 1
        sid = str(self._next_id)
        parcels = []
        for row in shipment["parcels"]:
            for _ in range(row["copies"]):
                self._next_parcel += 1
                parcels.append({"parcelNo": f"{self._next_parcel}SE",
                                "reference": row.get("reference")})
        snd, rcv = shipment["sender"], shipment["receiver"]
        href = f"{self.url}/rs-extapi/v1/shipments/{sid}"
        record = {"href": href, "id": sid, "status": "PRINTED", "shipmentNo": None,
                  "orderNo": shipment.get("orderNo"), "reference": shipment.get("senderReference"),
                  "serviceId": shipment["service"]["id"], "parcelCount": len(parcels),
                  "sndName": snd["name"], "sndZipcode": snd.get("zipcode"), "sndCity": snd["city"],
                  "sndCountry": snd["country"], "rcvName": rcv["name"],
                  "rcvZipcode": rcv.get("zipcode"), "rcvCity": rcv["city"],
                  "rcvCountry": rcv["country"], "created": _stamp(), "changed": _stamp(),
                  "shipDate": _stamp(), "normalShipment": True, "returnShipment": False,
                  "consolidated": False, "parcels": parcels, "pdfs": [], "previousPdfs": None,
                  "_test": bool(shipment.get("test"))}
        pdf_id = str(10234400 + self._next_id)
        self.pdfs[pdf_id] = (sid, _label_pdf(record), time.monotonic())
        record["pdfs"] = [{"id": pdf_id, "pdf": None, "description": "Label",
                           "href": f"{href}/pdfs/{pdf_id}"}]
        self.shipments[sid] = record
        self.events.append(sid)
        return Reply(201, [self._public(record, req.query.get("inlinePdf") == "true")])

    def delete(self, req: Request) -> Reply:
        shipment = self._shipment(req)
        if shipment["status"].lower() in ("delivered", "cancelled"):
            return self.error(400, "ILLEGAL", f"Shipment is {shipment['status'].lower()}")
        self.set_status(shipment["id"], "CANCELLED")
        return Reply(204)

    def list_pdfs(self, req: Request) -> Reply:
        shipment = self._shipment(req)
        return Reply(200, [p for p in shipment["pdfs"] if p["id"] in self._live_pdfs()])

    def _live_pdfs(self) -> set[str]:
        now = time.monotonic()
        return {k for k, (_, _, born) in self.pdfs.items() if now - born <= self.pdf_ttl}

    def get_pdf(self, req: Request) -> Reply:
        entry = self.pdfs.get(req.params["pdf"])
        if (entry is None or entry[0] != req.params["shipment"]
                or req.params["pdf"] not in self._live_pdfs()):
            return Reply(404, None)
        return Reply(200, entry[1], content_type="application/pdf")

    def fetch(self, req: Request) -> Reply:
        fetch_id = req.query.get("fetchId")
        if not fetch_id:
            return self.error(400, "MISSING", "Missing fetch id argument")
        try:
            cursor = len(self.events) if fetch_id == "-1" else int(fetch_id)
        except ValueError:
            return self.error(400, "ILLEGAL", "Illegal fetch id argument")
        if fetch_id != "-1" and not 0 <= cursor <= len(self.events):
            return self.error(400, "ILLEGAL", "Unknown fetch id")
        now = time.monotonic()
        if self._last_done_fetch is not None and fetch_id != "-1":
            waited = (now - self._last_done_fetch) * 1000
            if waited < self.min_delay_ms:
                return Reply(200, {"fetchId": str(cursor), "done": True, "shipments": [],
                                   "minDelay": int(self.min_delay_ms - waited)})
        batch = self.events[cursor:cursor + 100]
        new_cursor = cursor + len(batch)
        done = new_cursor >= len(self.events)
        if done:
            self._last_done_fetch = now
        latest = {sid: self._public(self.shipments[sid]) for sid in batch}
        return Reply(200, {"fetchId": str(new_cursor), "minDelay": self.min_delay_ms,
                           "done": done, "shipments": list(latest.values())})
