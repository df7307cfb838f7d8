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
    "(the first {n} bad rows are listed)": "(de första {n} felaktiga raderna visas)",
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
    # orders tab, order dialogs, quotes, receivables, e-mail (issue 5)
    "Channel order no.": "Kanalens ordernr", "Channel": "Kanal", "Customer": "Kund",
    "Total": "Summa", "Delivered": "Levererat", "Payment": "Betalning", "Backorder": "Restnoterat",
    "Discount": "Rabatt", "VAT": "Moms", "Contents": "Innehåll", "Tracking": "Spårning", "Invoice": "Faktura",
    "Due": "Förfaller", "OCR": "OCR", "Left to pay": "Kvar att betala", "Paid": "Betald",
    "What": "Vad", "new": "ny", "partly delivered": "dellevererad", "delivered": "levererad",
    "invoiced": "fakturerad", "backorder": "restorder", "invoice": "faktura", "credit note": "kreditfaktura",
    "captured": "dragen", "partly captured": "delvis dragen", "not captured": "ej dragen", "card": "kort",
    "cash": "kontant", "prepaid": "förskott", "status": "status", "edit": "ändring", "payment": "betalning",
    "accepted": "accepterad", "rejected": "avböjd", "converted": "omvandlad", "supplier": "leverantör",
    "not_due": "ej förfallen", "1-30": "1–30", "31-60": "31–60", "61-90": "61–90", "over_90": "över 90",
    "All statuses": "Alla statusar", "All channels": "Alla kanaler", "All customers": "Alla kunder",
    "Search our number, the channel's order number or the customer":
        "Sök vårt ordernr, kanalens ordernr eller kund",
    "from YYYY-MM-DD": "från ÅÅÅÅ-MM-DD", "to YYYY-MM-DD": "till ÅÅÅÅ-MM-DD", "Has backorder": "Har restorder",
    "Payment not captured": "Betalning ej dragen", "{n} orders": "{n} order", "Customer: {name}": "Kund: {name}",
    "Order {n}": "Order {n}", "ref. {r}": "ref. {r}", "Payment: {p}": "Betalning: {p}", "{days} days": "{days} dagar",
    "Total {gross} {cur} ({basis}), VAT {vat}": "Summa {gross} {cur} ({basis}), moms {vat}",
    "Invoice address": "Fakturaadress", "Delivery address": "Leveransadress", "Deliveries": "Leveranser", "Invoices": "Fakturor", "History": "Historik", "New order…": "Ny order…",
    "Confirm": "Bekräfta", "Cancel order": "Makulera order", "Deliver…": "Leverera…",
    "Invoice order": "Fakturera ordern", "Confirmation PDF…": "Orderbekräftelse PDF…",
    "E-mail confirmation": "Mejla orderbekräftelse", "Invoice delivery": "Fakturera leveransen",
    "Delivery note PDF…": "Följesedel PDF…", "E-mail delivery note": "Mejla följesedel", "Credit…": "Kreditera…",
    "Register payment…": "Registrera betalning…", "Invoice PDF…": "Faktura PDF…", "E-mail invoice": "Mejla faktura",
    "Quotes…": "Offerter…", "Receivables…": "Kundreskontra…", "Import payments…": "Importera betalningar…",
    "E-mail settings…": "E-postinställningar…", "Order {n} saved": "Order {n} sparad",
    "Invoice {n} made": "Faktura {n} skapad", "Save PDF": "Spara PDF", "Saved {path}": "Sparad {path}",
    "E-mail sent to {to}": "E-post skickad till {to}", "New order": "Ny order", "New quote": "Ny offert",
    "Edit order {n}": "Ändra order {n}", "Customer name": "Kundnamn", "E-mail": "E-post",
    "Your reference": "Er referens", "Payment terms (days)": "Betalningsvillkor (dagar)",
    "Valid until": "Giltig till", "Shipping fee": "Fraktavgift", "empty: no shipping fee": "tomt: ingen frakt",
    "only without a customer record": "endast utan kundregister", "Add line": "Lägg till rad",
    "Remove line": "Ta bort rad", "Discount %": "Rabatt %", "Empty price: the price list's price":
        "Tomt pris: prislistans pris", "(the customer's or channel's)": "(kundens eller kanalens)",
    "Search customer: name, e-mail, number, phone": "Sök kund: namn, e-post, nummer, telefon",
    "No customer chosen": "Ingen kund vald", "Deliver order {n}": "Leverera order {n}", "Left": "Kvar",
    "Deliver now": "Leverera nu", "(drop-ship)": "(direktleverans)", "From location": "Från lagerställe",
    "Tracking number": "Spårningsnummer", "optional; the carrier booking sets it later":
        "valfritt; fraktbokningen sätter det senare",
    "The supplier confirmed the drop-ship lines": "Leverantören har bekräftat direktleveransraderna",
    "Deliver": "Leverera", "Credit invoice {n}": "Kreditera faktura {n}", "Invoiced": "Fakturerat",
    "Credited": "Krediterat", "Credit now": "Kreditera nu", "Credit everything that is left":
        "Kreditera allt som återstår", "Make credit note": "Skapa kreditfaktura",
    "Payment for invoice {n}": "Betalning av faktura {n}", "Paid on": "Betaldag", "Reference": "Referens",
    "Import payments (BgMax or CSV)": "Importera betalningar (BgMax eller CSV)",
    "CSV header: date;amount;reference;payer": "CSV-rubrik: date;amount;reference;payer",
    "{m} payments matched, {u} unmatched, {s} already imported":
        "{m} betalningar matchade, {u} omatchade, {s} redan importerade",
    "Accounts receivable": "Kundreskontra", "On": "Per", "Reminder PDF…": "Påminnelse PDF…",
    "Days overdue": "Dagar sen", "Bucket": "Intervall", "Reminders": "Påminnelser", "Quotes": "Offerter",
    "New quote…": "Ny offert…", "Save PDF…": "Spara PDF…", "Send by e-mail": "Skicka med e-post",
    "Convert to order": "Gör om till order", "Order": "Order", "E-mail settings": "E-postinställningar",
    "SMTP server": "SMTP-server", "Port": "Port", "Security": "Säkerhet", "User name": "Användarnamn",
    "Password": "Lösenord", "Sender address": "Avsändaradress", "Sender name": "Avsändarnamn",
    "Blind copy to": "Hemlig kopia till", "Bankgiro on invoices": "Bankgiro på fakturor",
    "kept in the OS keyring; empty: unchanged": "sparas i systemets nyckelring; tomt: oförändrat",
    # customers tab and dialogs (issue 5)
    "Customer no.": "Kundnr", "Phone": "Telefon", "Org./personal no.": "Org./personnr", "private": "privat",
    "company": "företag", "Register": "Kassa", "Receipts": "Kvitton",
    "Search name, e-mail, customer no., phone or org./personal no.":
        "Sök namn, e-post, kundnr, telefon eller org./personnr",
    "New customer…": "Ny kund…", "Merge duplicates…": "Slå ihop dubbletter…", "Show in Orders": "Visa i Order",
    "Export CSV for webshop…": "Exportera CSV för webbshop…", "{n} customers shown": "{n} kunder visas",
    "Customer saved": "Kunden sparad", "Customers merged": "Kunderna sammanslagna",
    "Receipts not shown: {why}": "Kvitton visas inte: {why}",
    "Export customers (CSV)": "Exportera kunder (CSV)", "{n} customers written to {path}":
        "{n} kunder skrivna till {path}", "New customer": "Ny kund", "Edit customer": "Ändra kund",
    "Contact person": "Kontaktperson", "Personal number": "Personnummer", "Organisation number": "Organisationsnummer",
    "VAT country": "Momsland", "VAT number": "Momsregistreringsnummer", "Credit limit": "Kreditgräns",
    "Notes": "Anteckningar", "Recipient": "Mottagare", "Street": "Gatuadress", "Postal code": "Postnummer",
    "City": "Ort", "Merge duplicates into {name}": "Slå ihop dubbletter med {name}", "Merge": "Slå ihop",
    "or the other customer's number": "eller den andra kundens nummer",
    "Customers that share e-mail, organisation or personal number, phone or name:":
        "Kunder med samma e-post, organisations- eller personnummer, telefon eller namn:",
    "email": "e-post", "org_number": "organisationsnummer", "personal_number": "personnummer",
    "phone": "telefon", "name": "namn",
    # logging in to the server from a workstation (backoffice/login.py)
    "Log in to the server": "Logga in på servern", "Server": "Server", "Log in": "Logga in",
    "Read only": "Endast läsning", "The server cannot be reached: {e}": "Servern går inte att nå: {e}",
    "no one logged in": "ingen inloggad",
    "Server unreachable — showing this machine's copy": "Servern går inte att nå — visar den här datorns kopia",
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

# issue 6: purchasing pages (suppliers, invoices and payables, reorder, drop ship), count lists, stock value
SV.update({
    "Purchase orders": "Inköpsordrar", "Suppliers": "Leverantörer", "Accounts payable": "Leverantörsskulder",
    "Reorder": "Beställningsförslag", "Drop shipping": "Direktleverans", "PDF / e-mail…": "PDF / e-post…",
    "Supplier invoice…": "Leverantörsfaktura…", "E-mail settings…": "E-postinställningar…",
    "Code": "Kod", "Currency": "Valuta", "Payment terms (days)": "Betalningsvillkor (dagar)",
    "Lead time (days)": "Leveranstid (dagar)", "E-mail": "E-post", "Phone": "Telefon",
    "Organisation number": "Organisationsnummer", "Address": "Adress", "Postal code": "Postnummer",
    "City": "Ort", "Our customer no.": "Vårt kundnummer", "Articles": "Artiklar",
    "New supplier": "Ny leverantör", "New supplier…": "Ny leverantör…", "Edit supplier": "Ändra leverantör",
    "Our SKU": "Vårt artikelnr", "Supplier's article no.": "Leverantörens artikelnr",
    "Purchase price": "Inköpspris", "Purchase price excl. VAT": "Inköpspris exkl. moms",
    "Pack size": "Förpackningsstorlek", "Preferred": "Förstahandsval",
    "Their article numbers and prices": "Deras artikelnummer och priser",
    "Supplier invoice for PO {n}": "Leverantörsfaktura för inköpsorder {n}", "Invoice no.": "Fakturanr",
    "Invoice date": "Fakturadatum", "VAT": "Moms", "Invoiced qty": "Fakturerat antal",
    "Invoiced price": "Fakturerat pris", "Due date": "Förfallodag", "Amount": "Belopp",
    "Days overdue": "Dagar försenad", "Differences": "Avvikelser", "PO no.": "Inköpsordernr",
    "Registered, due {d}. Differences to check before paying:":
        "Registrerad, förfaller {d}. Avvikelser att kontrollera före betalning:",
    "quantity": "antal", "price": "pris", "Mark paid": "Markera betald", "Paid on": "Betald den",
    "Open: {t}": "Obetalt: {t}",
    "Accounts payable: open supplier invoices, earliest due first":
        "Leverantörsskulder: obetalda leverantörsfakturor, tidigast förfallna först",
    "Reorder point": "Beställningspunkt", "Order up to": "Beställ upp till", "Order qty": "Beställ antal",
    "(no supplier)": "(ingen leverantör)", "All suppliers": "Alla leverantörer",
    "Create purchase orders": "Skapa inköpsordrar", "Select all": "Markera alla",
    "Draft purchase orders created: {n}": "Utkast till inköpsordrar skapade: {n}",
    "Suggestion per supplier": "Förslag per leverantör",
    "Reorder points (on hand − reserved + on order at or below the point is suggested, up to the "
    "order-up-to level)": "Beställningspunkter (i lager − reserverat + beställt på eller under punkten "
    "föreslås, upp till beställ-upp-till-nivån)",
    "Customer order": "Kundorder", "Customer": "Kund", "Ship to": "Leveransadress",
    "Tracking number (optional)": "Spårningsnummer (valfritt)", "Confirm shipment": "Bekräfta leverans",
    "Import shipment file…": "Importera leveransfil…",
    "The supplier ships straight to the customer; confirming delivers the customer's order lines without "
    "any stock movement.": "Leverantören skickar direkt till kunden; en bekräftelse levererar kundens "
    "orderrader utan lagerrörelse.",
    "PO {n} shipped; customer order {o} delivered.": "Inköpsorder {n} skickad; kundorder {o} levererad.",
    "PO {n} shipped.": "Inköpsorder {n} skickad.", "Shipment file from the supplier": "Leveransfil från leverantören",
    "CSV files (*.csv *.txt)": "CSV-filer (*.csv *.txt)", "{n} shipments confirmed.": "{n} leveranser bekräftade.",
    "Send purchase order {n}": "Skicka inköpsorder {n}", "Save PDF as": "Spara PDF som",
    "E-mail it to the supplier": "E-posta till leverantören",
    "the supplier's e-mail address": "leverantörens e-postadress",
    "E-mail is not set up: save the PDF and send it yourself.":
        "E-post är inte inställd: spara PDF:en och skicka den själv.",
    "Save purchase order": "Spara inköpsorder", "PDF files (*.pdf)": "PDF-filer (*.pdf)",
    "Count list PDF…": "Inventeringslista PDF…", "With expected quantities": "Med bokfört antal",
    "Save count list": "Spara inventeringslista", "Average cost": "Snittkostnad", "Value": "Värde",
    "Refresh": "Uppdatera", "Total stock value: {v} kr": "Totalt lagervärde: {v} kr",
})

# issue 7: the Ledger tab (vouchers, reports, manual vouchers, VAT and OSS, SIE4, period lock)
SV.update({
    "Ledger": "Bokföring", "Vouchers": "Verifikationer", "Voucher": "Verifikation", "Reverses": "Rättar",
    "Series": "Serie", "All series": "Alla serier", "Account": "Konto", "Debit": "Debet",
    "Credit": "Kredit", "Text": "Text", "Period": "Period", "Reports": "Rapporter", "Report": "Rapport",
    "General ledger": "Huvudbok", "Trial balance": "Råbalans", "Income statement": "Resultaträkning",
    "Balance sheet": "Balansräkning", "Voucher list": "Verifikationslista", "VAT return": "Momsdeklaration",
    "OSS report": "OSS-rapport", "Export PDF…": "Exportera PDF…", "Export report": "Exportera rapport",
    "Manual voucher": "Manuell verifikation", "What the voucher is for": "Vad verifikationen avser",
    "Post voucher": "Bokför verifikation", "Remove row": "Ta bort rad", "Balanced": "Balanserar",
    "Difference {d} kr": "Differens {d} kr", "An amount is not a number": "Ett belopp är inte ett tal",
    "Voucher {r} posted": "Verifikation {r} bokförd", "Reverse voucher…": "Rätta verifikation…",
    "Reversing voucher {r} posted": "Rättelseverifikation {r} bokförd",
    "VAT return for the period, by box": "Momsdeklaration för perioden, per ruta",
    "OSS: EU distance sales per country and rate": "OSS: distansförsäljning inom EU per land och momssats",
    "VAT return PDF…": "Momsdeklaration PDF…", "VAT return CSV…": "Momsdeklaration CSV…",
    "OSS CSV…": "OSS CSV…", "Post VAT settlement": "Bokför momsredovisning",
    "VAT settlement {r} posted": "Momsredovisning {r} bokförd",
    "SIE and period lock": "SIE och periodlåsning", "Financial year": "Räkenskapsår",
    "Export SIE4…": "Exportera SIE4…", "Import SIE…": "Importera SIE…", "Export SIE4": "Exportera SIE4",
    "Import SIE": "Importera SIE", "SIE files (*.se *.si *.sie)": "SIE-filer (*.se *.si *.sie)",
    "{n} vouchers written to {path}": "{n} verifikationer skrivna till {path}",
    "SIE imported: {r.accounts_added} accounts added, {r.balances} opening balances":
        "SIE importerad: {r.accounts_added} konton tillagda, {r.balances} ingående balanser",
    "Period lock": "Periodlåsning", "Lock the books through this day": "Lås bokföringen till och med denna dag",
    "Locked through {d}": "Låst till och med {d}", "No period is locked": "Ingen period är låst",
    "Books locked through {r}": "Bokföringen låst till och med {r}",
    "Automatic posting": "Automatisk bokföring", "Post pending documents now": "Bokför väntande underlag nu",
    "{r} document(s) posted": "{r} underlag bokförda",
})

# product images (the product editor's Images section)
SV.update({
    "Images": "Bilder", "Add…": "Lägg till…", "Move up": "Flytta upp", "Move down": "Flytta ned",
    "Save the product first, then add its images.": "Spara artikeln först, lägg sedan till dess bilder.",
    "Choose images": "Välj bilder", "Images (*.png *.jpg *.jpeg *.webp)": "Bilder (*.png *.jpg *.jpeg *.webp)",
})

# issue 8: the Settings tab (integration connections, secrets in the OS keyring, problems, retries)
SV.update({
    "Settings": "Inställningar", "Connections": "Kopplingar", "Connection": "Koppling",
    "New connection…": "Ny koppling…", "New connection": "Ny koppling", "Edit connection": "Ändra koppling",
    "Test connection": "Testa kopplingen", "Push categories": "Skicka kategorier", "Base URL": "Bas-URL",
    "Buffer": "Buffert", "Buffer per item": "Buffert per artikel", "Polling (s)": "Hämtning (s)",
    "Polling interval (s)": "Hämtningsintervall (s)", "Secret": "Hemlighet", "••••• saved": "••••• sparad",
    "missing": "saknas", "Starweb shop": "Starweb-butik", "Klarna": "Klarna", "Nets Easy": "Nets Easy",
    "Unifaun": "Unifaun", "Client id": "Klient-id", "Client secret": "Klienthemlighet",
    "API username": "API-användarnamn", "API password": "API-lösenord",
    "Merchant id (optional)": "Handlar-id (valfritt)", "Secret API key": "Hemlig API-nyckel",
    "API key id": "API-nyckel-id", "API key secret": "API-nyckelhemlighet", "Sales channel": "Försäljningskanal",
    "Stock location": "Lagerställe", "Status mapping": "Statusmappning", "Shop price list id": "Butikens prislista-id",
    "Shop stock location id": "Butikens lagerställe-id", "Service id": "Tjänste-id", "Label printer": "Etikettskrivare",
    "Folder (PDF files)": "Mapp (PDF-filer)", "CUPS printer": "CUPS-skrivare",
    "Printer folder or name": "Skrivarmapp eller namn", "folder path, or CUPS printer name": "mappsökväg eller CUPS-skrivarens namn",
    "Secrets are kept in the OS keyring, never in the database.":
        "Hemligheter sparas i operativsystemets nyckelring, aldrig i databasen.",
    "Choose a connection first.": "Välj en koppling först.", "Asking {code}…": "Frågar {code}…",
    "Failed: {text}": "Misslyckades: {text}", "Saved {code}.": "{code} sparad.",
    "Connected: the shop issued an access token.": "Ansluten: butiken gav en åtkomsttoken.",
    "Connected: the credentials were accepted.": "Ansluten: inloggningsuppgifterna godtogs.",
    "Categories are pushed to a webshop connection only.": "Kategorier skickas bara till en webbutik.",
    "Categories: {c} created, {m} matched, {a} already there.":
        "Kategorier: {c} skapade, {m} matchade, {a} fanns redan.",
    "{n} problem(s): see Problems.": "{n} problem: se Problem.", "Problems": "Problem",
    "Problems ({n})": "Problem ({n})", "Job": "Jobb", "Concerns": "Gäller", "Resolve": "Åtgärdad",
    "Failed payments": "Misslyckade betalningar", "Failed payments ({n})": "Misslyckade betalningar ({n})",
    "Task": "Uppgift", "Attempts": "Försök", "Last error": "Senaste fel", "Retry": "Försök igen",
    "Payment tasks that gave up; Retry tries them again in the next round.":
        "Betalningsuppgifter som gav upp; Försök igen provar dem i nästa omgång.",
})

# back-office commands: the orders tab (close what is still back-ordered)
SV.update({"Drop the back order": "Stryk restordern"})

# orders tab: edit a quote, an order's details, e-mail a reminder
SV.update({
    "Edit quote…": "Ändra offert…", "Edit quote {n}": "Ändra offert {n}",
    "This quote has been sent. Saving makes it a draft again: send the new version to the customer.":
        "Offerten är skickad. När du sparar blir den ett utkast igen: skicka den nya versionen till kunden.",
    "Edit details…": "Ändra uppgifter…", "Details of order {n}": "Uppgifter för order {n}",
    "Address line 2": "Adressrad 2",
    "The delivery country cannot change: it decided the VAT of the order.":
        "Leveranslandet kan inte ändras: det avgjorde orderns moms.",
    "E-mail reminder": "Mejla påminnelse", "Reminder e-mailed to {to}": "Påminnelse mejlad till {to}",
    "E-mails the reminder of the chosen day (made now if there is none)":
        "Mejlar påminnelsen för valt datum (skapas nu om det inte finns någon)",
})
