"""Swedish for the back office through Qt's own translation machinery.

Every visible string goes through `tr()`/`QCoreApplication.translate` with English source text;
`install("sv")` puts a QTranslator on the application that answers from the table below, so the
same calls give Swedish or English. (A Qt Linguist .ts/.qm pair can replace the table later
without touching a view.)
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

SV: dict[str, str] = {
    # window, tabs, status bar
    "Butik — back office": "Butik — administration", "Products": "Artiklar", "Prices": "Priser",
    "Stock": "Lager", "Orders": "Order", "Customers": "Kunder", "Purchasing": "Inköp",
    "Local database (not connected to a server)": "Lokal databas (inte ansluten till en server)",
    "Online": "Online", "Offline — showing the last synced data": "Offline — visar senast synkade data",
    "{n} events waiting": "{n} händelser väntar", "{n} refused by the server": "{n} nekade av servern",
    "last sync {t} UTC": "senaste synk {t} UTC", "Working…": "Arbetar…",
    # errors
    "Cannot do that": "Det går inte", "Not available": "Inte tillgängligt", "Unexpected error": "Oväntat fel",
    "This is a bug in Butik; please report it.": "Detta är ett fel i Butik; rapportera det gärna.",
    # columns and common words
    "SKU": "Artikelnr", "Name": "Namn", "Type": "Typ", "Category": "Kategori", "VAT class": "Momsklass",
    "Price": "Pris", "Available": "Disponibelt", "Active": "Aktiv", "Inactive": "Inaktiv", "yes": "ja",
    "no": "nej", "Location": "Lagerställe", "On hand": "I lager", "Reserved": "Reserverat",
    "On order": "Beställt", "When (UTC)": "När (UTC)", "Qty": "Antal", "Reason": "Orsak",
    "Source document": "Källdokument", "Note": "Anteckning", "EAN": "EAN", "From qty": "Från antal",
    "Valid from": "Gäller från", "Valid to": "Gäller till", "Campaign": "Kampanj", "campaign": "kampanj",
    "Single": "Enkel", "Variant parent": "Variantmall", "Variant": "Variant", "SET article": "SET-artikel",
    "single": "enkel", "variant_parent": "variantmall", "variant": "variant", "bundle": "SET-artikel",
    "goods": "vara", "service": "tjänst", "Add": "Lägg till", "Remove": "Ta bort", "Set": "Sätt",
    "Edit…": "Ändra…", "(none)": "(ingen)", "Supplier": "Leverantör", "Unit": "Enhet", "Kind": "Slag",
    "Description": "Beskrivning", "Country": "Land", "Line": "Rad", "Field": "Fält", "Problem": "Problem",
    "File": "Fil", "Choose…": "Välj…", "Choose a file first.": "Välj en fil först.",
    "Search name, SKU or barcode": "Sök namn, artikelnr eller streckkod",
    "All categories": "Alla kategorier", "All types": "Alla typer", "All locations": "Alla lagerställen",
    "Active and inactive": "Aktiva och inaktiva", " (scroll for more)": " (rulla för fler)",
    "incl. VAT": "inkl. moms", "excl. VAT": "exkl. moms",
    # products tab and dialogs
    "{n} products shown": "{n} artiklar visas", "New product…": "Ny artikel…",
    "New variant matrix…": "Ny variantmatris…", "Variants…": "Varianter…",
    "SET components…": "SET-komponenter…", "Import CSV…": "Importera CSV…", "Export CSV…": "Exportera CSV…",
    "New product": "Ny artikel", "Edit product": "Ändra artikel", "Active (for sale)": "Aktiv (till salu)",
    "Drop-ship: the supplier ships to the customer": "Direktleverans: leverantören skickar till kunden",
    "Name (Swedish)": "Namn (svenska)", "Name (English)": "Namn (engelska)",
    "Cost price (excl. VAT)": "Inköpspris (exkl. moms)", "Weight (g)": "Vikt (g)", "Barcodes": "Streckkoder",
    "EAN-13, EAN-8 or UPC-A": "EAN-13, EAN-8 eller UPC-A",
    "VAT class per country (when it differs)": "Momsklass per land (när den avviker)",
    "New variant matrix": "Ny variantmatris", "Parent SKU": "Mallens artikelnr",
    "Attributes and values (comma separated; Value=CODE sets the SKU code)":
        "Egenskaper och värden (kommaseparerade; Värde=KOD anger artikelnummerkoden)",
    "e.g. Colour": "t.ex. Färg", "e.g. Size": "t.ex. Storlek", "Red, Blue, Black": "Röd, Blå, Svart",
    "S, M, L, XL": "S, M, L, XL", "Price for every variant": "Pris för varje variant",
    "in price list": "i prislista", "Create matrix": "Skapa matris",
    "Give at least one attribute with values.": "Ange minst en egenskap med värden.",
    "Will create {n} variants: {skus}": "Skapar {n} varianter: {skus}",
    "Variants of {name}": "Varianter av {name}",
    "Edit EAN and price in place; stock is available over all locations.":
        "Ändra EAN och pris direkt i tabellen; lagret är disponibelt över alla lagerställen.",
    "Components of {name}": "Komponenter i {name}", "Qty per set": "Antal per set",
    "component SKU": "komponentens artikelnr", "Sets available — ": "Set disponibla — ",
    "all locations": "alla lagerställen", "not limited": "obegränsat",
    "Import products (CSV)": "Importera artiklar (CSV)", "Export products (CSV)": "Exportera artiklar (CSV)",
    "Import": "Importera", "Export": "Exportera", "Prices from": "Priser från",
    "Import the good rows even when some rows are bad": "Importera de felfria raderna även om några rader är fel",
    "{n} products written to {path}": "{n} artiklar skrivna till {path}",
    # prices tab and dialogs
    "Price list": "Prislista", "Set price…": "Sätt pris…", "Bulk change…": "Massändring…",
    "Price history (selected product, else the whole list)": "Prishistorik (vald artikel, annars hela listan)",
    "Old": "Gammalt", "New": "Nytt", "By": "Av", "prices include VAT": "priserna är inkl. moms",
    "prices exclude VAT": "priserna är exkl. moms", "Price in {code}": "Pris i {code}",
    "Price ({currency}, {vat})": "Pris ({currency}, {vat})", "From quantity": "Från antal",
    "Campaign price (wins over regular prices while valid)": "Kampanjpris (gäller före ordinarie pris)",
    "Bulk price change in {code}": "Massändring av priser i {code}", "Applies to: ": "Gäller: ",
    "search “{text}”": "sökningen ”{text}”", " (at most {n} matches)": " (högst {n} träffar)", "the chosen category": "vald kategori",
    "every product in the list": "alla artiklar i listan", "Percent": "Procent", "Amount": "Belopp",
    "e.g. 10 or -5,5 (percent); 20,00 or -10 (amount)": "t.ex. 10 eller -5,5 (procent); 20,00 eller -10 (belopp)",
    "Change": "Ändring", "Round to whole kronor": "Avrunda till hela kronor", "Preview": "Förhandsgranska",
    "Old price": "Gammalt pris", "New price": "Nytt pris", " (first {n} shown)": " (de första {n} visas)",
    "{n} prices, {c} change": "{n} priser, {c} ändras", "{c} prices changed": "{c} priser ändrade",
    # stock tab
    "Only below zero": "Endast under noll", "{n} stock rows shown": "{n} lagerrader visas",
    "Movements": "Lagerrörelser", "Movements of {sku} at {loc}": "Lagerrörelser för {sku} på {loc}",
    "Levels and movements": "Saldon och rörelser", "Exceptions": "Avvikelser",
    "Exceptions ({n})": "Avvikelser ({n})", "On hand after": "Saldo efter",
    "Mark resolved": "Markera som åtgärdad", "What was done (counted, adjusted, …)": "Vad som gjordes (inventerat, justerat, …)",
    "Sales that drove stock below zero; count or adjust, then mark resolved.":
        "Försäljning som gav negativt saldo; inventera eller justera, markera sedan som åtgärdad.",
    "initial": "ingående", "sale": "försäljning", "return": "retur", "purchase_receipt": "inleverans",
    "purchase_return": "returnering till leverantör", "delivery": "utleverans", "delivery_return": "returleverans",
    "adjustment": "justering", "count": "inventering", "transfer_out": "flytt ut", "transfer_in": "flytt in",
    "drop_ship": "direktleverans", "scrap": "kassation",
    # purchasing tab and dialogs
    "Show": "Visa", "Open": "Öppna", "To receive": "Att leverera in", "Done": "Klara", "All": "Alla",
    "All suppliers": "Alla leverantörer", "PO no.": "Inköpsnr", "Status": "Status", "Ordered": "Beställt",
    "Expected": "Väntas", "Deliver to": "Leverans till", "Total excl. VAT": "Summa exkl. moms",
    "drop-ship": "direktleverans", "draft": "utkast", "sent": "skickad", "confirmed": "bekräftad",
    "partly received": "dellevererad", "received": "levererad", "closed": "avslutad", "cancelled": "makulerad",
    "New PO…": "Ny inköpsorder…", "Send": "Skicka", "Confirmed by supplier": "Bekräftad av leverantör",
    "Receive…": "Leverera in…", "Close, cancel the rest": "Avsluta, stryk resten",
    "Close with back order": "Avsluta med restorder", "Cancel PO": "Makulera order",
    "Received": "Levererat", "Still owed": "Restnoterat", "Unit price": "À-pris",
    "New purchase order": "Ny inköpsorder", "Lines": "Rader",
    "One line per product: SKU quantity [price excl. VAT]": "En rad per artikel: artikelnr antal [pris exkl. moms]",
    "Receive goods on PO {n}": "Leverera in på inköpsorder {n}", "Receive now": "Leverera in nu",
    "Receive": "Leverera in", "Scan a barcode: one more of that line": "Skanna en streckkod: en till på den raden",
    "Accept more than ordered": "Godta mer än beställt", "{sku}: {n} scanned": "{sku}: {n} skannade",
    # transfers and counts
    "Transfers": "Omflyttningar", "Counts": "Inventeringar", "No.": "Nr", "From → to": "Från → till",
    "Sent": "Skickat", "In transit": "På väg", "Quantity": "Antal", "From": "Från", "to": "till",
    "One line per product: SKU quantity": "En rad per artikel: artikelnr antal",
    "Create transfer": "Skapa omflyttning", "Close (the rest is lost)": "Avsluta (resten har försvunnit)",
    "Cancel": "Avbryt", "in_transit": "på väg", "partly_received": "delvis mottagen", "open": "öppen",
    "posted": "bokförd", "full": "hel", "partial": "del", "Scope": "Omfattning", "Date": "Datum",
    "Counted": "Räknat", "Variance": "Differens", "New count": "Ny inventering",
    "Whole location": "Hela lagerstället", "Scan a barcode or type a SKU": "Skanna streckkod eller skriv artikelnr",
    "quantity (empty: one more)": "antal (tomt: en till)", "Post count": "Bokför inventering",
    "{c} counted, {u} not counted; {n} variances worth {v} kr":
        "{c} räknade, {u} ej räknade; {n} differenser värda {v} kr",
    "Stock value": "Lagervärde",
}


class TableTranslator(QTranslator):
    """Answers Qt's translate() from a dict; no answer makes Qt show the English source."""

    def __init__(self, table: dict[str, str], parent=None):
        super().__init__(parent)
        self.table = table

    def translate(self, context, source_text, disambiguation=None, n=-1):
        return self.table.get(source_text)  # None is a null QString: Qt falls back to the source

    def isEmpty(self) -> bool:
        return False


_installed: list[QTranslator] = []


def install(language: str) -> None:
    """Use `language` ('sv' or 'en') for every string shown from now on."""
    app = QCoreApplication.instance()
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if language == "sv":
        translator = TableTranslator(SV, app)
        app.installTranslator(translator)
        _installed.append(translator)
