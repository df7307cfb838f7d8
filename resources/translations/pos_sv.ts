<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="sv">
  <context>
    <name>pos</name>
    <message>
      <source>Manager approval</source>
      <translation>Godkännande av chef</translation>
    </message>
    <message>
      <source>Internal error — the sale is safe; please report this:</source>
      <translation>Internt fel — försäljningen är sparad; rapportera detta:</translation>
    </message>
    <message>
      <source>Printer ready</source>
      <translation>Skrivaren klar</translation>
    </message>
    <message>
      <source>Copy printed (KOPIA)</source>
      <translation>Kopia utskriven (KOPIA)</translation>
    </message>
    <message>
      <source>Printer not answering</source>
      <translation>Skrivaren svarar inte</translation>
    </message>
    <message>
      <source>The receipt is saved but not printed:</source>
      <translation>Kvittot är sparat men inte utskrivet:</translation>
    </message>
    <message>
      <source>enter a value</source>
      <translation>ange ett värde</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>Stäng</translation>
    </message>
    <message>
      <source>Shift closed</source>
      <translation>Skiftet stängt</translation>
    </message>
    <message>
      <source>Enter your PIN</source>
      <translation>Ange din PIN-kod</translation>
    </message>
    <message>
      <source>Log in</source>
      <translation>Logga in</translation>
    </message>
    <message>
      <source>Open shift — count the float</source>
      <translation>Öppna skift — räkna växelkassan</translation>
    </message>
    <message>
      <source>Close shift — count per payment method</source>
      <translation>Stäng skift — räkna per betalsätt</translation>
    </message>
    <message>
      <source>Open mode: no users with a PIN here — any 4-digit PIN logs in</source>
      <translation>Öppet läge: inga användare med PIN här — valfri PIN med 4 siffror loggar in</translation>
    </message>
    <message>
      <source>PIN for</source>
      <translation>PIN för</translation>
    </message>
    <message>
      <source>Cash counted:</source>
      <translation>Räknat kontant:</translation>
    </message>
    <message>
      <source>Open shift</source>
      <translation>Öppna skift</translation>
    </message>
    <message>
      <source>Close shift</source>
      <translation>Stäng skift</translation>
    </message>
    <message>
      <source>Method</source>
      <translation>Betalsätt</translation>
    </message>
    <message>
      <source>Expected</source>
      <translation>Förväntat</translation>
    </message>
    <message>
      <source>Counted</source>
      <translation>Räknat</translation>
    </message>
    <message>
      <source>Difference</source>
      <translation>Differens</translation>
    </message>
    <message>
      <source>Total difference</source>
      <translation>Total differens</translation>
    </message>
    <message>
      <source>a count is a whole number</source>
      <translation>antal är ett heltal</translation>
    </message>
    <message>
      <source>Sync: …</source>
      <translation>Synk: …</translation>
    </message>
    <message>
      <source>Printer: not used yet</source>
      <translation>Skrivare: ej använd än</translation>
    </message>
    <message>
      <source>Local database (not connected to a server)</source>
      <translation>Lokal databas (ingen server ansluten)</translation>
    </message>
    <message>
      <source>events waiting</source>
      <translation>händelser väntar</translation>
    </message>
    <message>
      <source>TRAINING — ÖVNING — nothing is sold for real</source>
      <translation>ÖVNING — inget säljs på riktigt</translation>
    </message>
    <message>
      <source>Receipt</source>
      <translation>Kvitto</translation>
    </message>
    <message>
      <source>refused</source>
      <translation>avvisade</translation>
    </message>
    <message>
      <source>Cashier:</source>
      <translation>Kassör:</translation>
    </message>
    <message>
      <source>open mode (no PINs)</source>
      <translation>öppet läge (inga PIN-koder)</translation>
    </message>
    <message>
      <source>Park or finish the sale before logging out</source>
      <translation>Parkera eller slutför köpet innan du loggar ut</translation>
    </message>
    <message>
      <source>Sync: status unknown</source>
      <translation>Synk: status okänd</translation>
    </message>
    <message>
      <source>Online</source>
      <translation>Online</translation>
    </message>
    <message>
      <source>Offline — selling goes on</source>
      <translation>Offline — försäljningen fortsätter</translation>
    </message>
    <message>
      <source>Shift opened</source>
      <translation>Skiftet öppnat</translation>
    </message>
    <message>
      <source>Change:</source>
      <translation>Växel:</translation>
    </message>
    <message>
      <source>Log in first</source>
      <translation>Logga in först</translation>
    </message>
    <message>
      <source>Receipt copy</source>
      <translation>Kvittokopia</translation>
    </message>
    <message>
      <source>E-receipt (PDF and text)</source>
      <translation>E-kvitto (PDF och text)</translation>
    </message>
    <message>
      <source>Open the drawer without a sale</source>
      <translation>Öppna lådan utan försäljning</translation>
    </message>
    <message>
      <source>Menu</source>
      <translation>Meny</translation>
    </message>
    <message>
      <source>Price lookup</source>
      <translation>Prisfråga</translation>
    </message>
    <message>
      <source>Sell gift card</source>
      <translation>Sälj presentkort</translation>
    </message>
    <message>
      <source>X-report</source>
      <translation>X-rapport</translation>
    </message>
    <message>
      <source>Z-report (close day)</source>
      <translation>Z-rapport (dagsavslut)</translation>
    </message>
    <message>
      <source>Print waiting receipts</source>
      <translation>Skriv ut väntande kvitton</translation>
    </message>
    <message>
      <source>Open drawer (manager)</source>
      <translation>Öppna lådan (chef)</translation>
    </message>
    <message>
      <source>Training mode on/off</source>
      <translation>Övningsläge av/på</translation>
    </message>
    <message>
      <source>Printer settings</source>
      <translation>Skrivarinställningar</translation>
    </message>
    <message>
      <source>Log out</source>
      <translation>Logga ut</translation>
    </message>
    <message>
      <source>Z-report</source>
      <translation>Z-rapport</translation>
    </message>
    <message>
      <source>Close the day? The day's totals start again from zero.</source>
      <translation>Stänga dagen? Dagens summor börjar om från noll.</translation>
    </message>
    <message>
      <source>No receipt yet at this register</source>
      <translation>Inget kvitto än i denna kassa</translation>
    </message>
    <message>
      <source>Scan or type the article</source>
      <translation>Skanna eller skriv artikeln</translation>
    </message>
    <message>
      <source>Gift card value (kr)</source>
      <translation>Presentkortets värde (kr)</translation>
    </message>
    <message>
      <source>Scan or type the new card's code</source>
      <translation>Skanna eller skriv det nya kortets kod</translation>
    </message>
    <message>
      <source>Print</source>
      <translation>Skriv ut</translation>
    </message>
    <message>
      <source>Scan the receipt or type its number</source>
      <translation>Skanna kvittot eller skriv dess nummer</translation>
    </message>
    <message>
      <source>Receipts printed:</source>
      <translation>Kvitton utskrivna:</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>Avbryt</translation>
    </message>
    <message>
      <source>Take Z-report</source>
      <translation>Ta Z-rapport</translation>
    </message>
    <message>
      <source>E-receipt saved:</source>
      <translation>E-kvitto sparat:</translation>
    </message>
    <message>
      <source>price changed</source>
      <translation>pris ändrat</translation>
    </message>
    <message>
      <source>return</source>
      <translation>retur</translation>
    </message>
    <message>
      <source>Amount (empty = the rest)</source>
      <translation>Belopp (tomt = resten)</translation>
    </message>
    <message>
      <source>Card</source>
      <translation>Kort</translation>
    </message>
    <message>
      <source>Key {amount} kr into the card terminal. Approved?</source>
      <translation>Slå in {amount} kr i kortterminalen. Godkänt?</translation>
    </message>
    <message>
      <source>Swish</source>
      <translation>Swish</translation>
    </message>
    <message>
      <source>Has the customer's Swish of {amount} kr arrived?</source>
      <translation>Har kundens Swish på {amount} kr kommit?</translation>
    </message>
    <message>
      <source>Gift card</source>
      <translation>Presentkort</translation>
    </message>
    <message>
      <source>Credit voucher</source>
      <translation>Tillgodokvitto</translation>
    </message>
    <message>
      <source>Cash</source>
      <translation>Kontant</translation>
    </message>
    <message>
      <source>refund on the card terminal</source>
      <translation>återbetala i kortterminalen</translation>
    </message>
    <message>
      <source>refund through Swish</source>
      <translation>återbetala via Swish</translation>
    </message>
    <message>
      <source>a new credit voucher</source>
      <translation>ett nytt tillgodokvitto</translation>
    </message>
    <message>
      <source>cash from the drawer</source>
      <translation>kontant ur kassalådan</translation>
    </message>
    <message>
      <source>Back to sale</source>
      <translation>Tillbaka till köpet</translation>
    </message>
    <message>
      <source>Remove payment</source>
      <translation>Ta bort betalning</translation>
    </message>
    <message>
      <source>Complete</source>
      <translation>Slutför</translation>
    </message>
    <message>
      <source>Fully paid</source>
      <translation>Fullt betalt</translation>
    </message>
    <message>
      <source>Remove the payments first (card payments must be reversed at the terminal)</source>
      <translation>Ta bort betalningarna först (kortbetalningar återförs i terminalen)</translation>
    </message>
    <message>
      <source>The payments do not cover the total yet</source>
      <translation>Betalningarna täcker inte summan än</translation>
    </message>
    <message>
      <source>Refund to the original method:</source>
      <translation>Återbetalning till ursprungligt betalsätt:</translation>
    </message>
    <message>
      <source>To refund</source>
      <translation>Att återbetala</translation>
    </message>
    <message>
      <source>To pay</source>
      <translation>Att betala</translation>
    </message>
    <message>
      <source>Cash rounding:</source>
      <translation>Öresavrundning:</translation>
    </message>
    <message>
      <source>Declined</source>
      <translation>Nekat</translation>
    </message>
    <message>
      <source>Approved</source>
      <translation>Godkänt</translation>
    </message>
    <message>
      <source>scan or type the code</source>
      <translation>skanna eller skriv koden</translation>
    </message>
    <message>
      <source>Checking the gift card…</source>
      <translation>Kontrollerar presentkortet…</translation>
    </message>
    <message>
      <source>Scan or type the code</source>
      <translation>Skanna eller skriv koden</translation>
    </message>
    <message>
      <source>in cash</source>
      <translation>kontant</translation>
    </message>
    <message>
      <source>Left:</source>
      <translation>Kvar:</translation>
    </message>
    <message>
      <source>Payment declined — nothing was taken</source>
      <translation>Betalningen nekades — inget drogs</translation>
    </message>
    <message>
      <source>Gift card checked against the server's balance</source>
      <translation>Presentkortet kontrollerat mot serverns saldo</translation>
    </message>
    <message>
      <source>Server not reachable: offline limit applied</source>
      <translation>Servern nås inte: offlinegränsen gäller</translation>
    </message>
    <message>
      <source>Customer</source>
      <translation>Kund</translation>
    </message>
    <message>
      <source>Name, customer no., phone or e-mail</source>
      <translation>Namn, kundnr, telefon eller e-post</translation>
    </message>
    <message>
      <source>New customer: name</source>
      <translation>Ny kund: namn</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>Telefon</translation>
    </message>
    <message>
      <source>E-mail</source>
      <translation>E-post</translation>
    </message>
    <message>
      <source>Parked sales</source>
      <translation>Parkerade köp</translation>
    </message>
    <message>
      <source>Return</source>
      <translation>Retur</translation>
    </message>
    <message>
      <source>Barcode or article no.</source>
      <translation>Streckkod eller artikelnr</translation>
    </message>
    <message>
      <source>Without receipt: article</source>
      <translation>Utan kvitto: artikel</translation>
    </message>
    <message>
      <source>Quantity</source>
      <translation>Antal</translation>
    </message>
    <message>
      <source>Return without a receipt</source>
      <translation>Retur utan kvitto</translation>
    </message>
    <message>
      <source>Printer and drawer</source>
      <translation>Skrivare och kassalåda</translation>
    </message>
    <message>
      <source>tap a customer in the list first</source>
      <translation>tryck först på en kund i listan</translation>
    </message>
    <message>
      <source>Recall</source>
      <translation>Hämta</translation>
    </message>
    <message>
      <source>tap a parked sale first</source>
      <translation>tryck först på ett parkerat köp</translation>
    </message>
    <message>
      <source>Find</source>
      <translation>Sök</translation>
    </message>
    <message>
      <source>find the receipt first</source>
      <translation>sök fram kvittot först</translation>
    </message>
    <message>
      <source>nothing left to return on the chosen lines</source>
      <translation>inget kvar att returnera på valda rader</translation>
    </message>
    <message>
      <source>Connection</source>
      <translation>Anslutning</translation>
    </message>
    <message>
      <source>Host (network)</source>
      <translation>Värd (nätverk)</translation>
    </message>
    <message>
      <source>Port</source>
      <translation>Port</translation>
    </message>
    <message>
      <source>Device (serial/file)</source>
      <translation>Enhet (seriell/fil)</translation>
    </message>
    <message>
      <source>USB vendor:product</source>
      <translation>USB tillverkare:produkt</translation>
    </message>
    <message>
      <source>Characters per line</source>
      <translation>Tecken per rad</translation>
    </message>
    <message>
      <source>Drawer pin</source>
      <translation>Lådans stift</translation>
    </message>
    <message>
      <source>Pulse on (ms)</source>
      <translation>Puls på (ms)</translation>
    </message>
    <message>
      <source>Pulse off (ms)</source>
      <translation>Puls av (ms)</translation>
    </message>
    <message>
      <source>in stock</source>
      <translation>i lager</translation>
    </message>
    <message>
      <source>No customer</source>
      <translation>Ingen kund</translation>
    </message>
    <message>
      <source>Create</source>
      <translation>Skapa</translation>
    </message>
    <message>
      <source>Choose</source>
      <translation>Välj</translation>
    </message>
    <message>
      <source>Customer created:</source>
      <translation>Kund skapad:</translation>
    </message>
    <message>
      <source>Without receipt (manager)</source>
      <translation>Utan kvitto (chef)</translation>
    </message>
    <message>
      <source>Return selected</source>
      <translation>Returnera markerade</translation>
    </message>
    <message>
      <source>Test print</source>
      <translation>Testutskrift</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>Spara</translation>
    </message>
    <message>
      <source>Test page sent</source>
      <translation>Testsida skickad</translation>
    </message>
    <message>
      <source>Printer settings saved</source>
      <translation>Skrivarinställningar sparade</translation>
    </message>
    <message>
      <source>Search articles or scan…</source>
      <translation>Sök artikel eller skanna…</translation>
    </message>
    <message>
      <source>PAY</source>
      <translation>BETALA</translation>
    </message>
    <message>
      <source>Qty / weight</source>
      <translation>Antal / vikt</translation>
    </message>
    <message>
      <source>Line discount</source>
      <translation>Radrabatt</translation>
    </message>
    <message>
      <source>Price (manager)</source>
      <translation>Pris (chef)</translation>
    </message>
    <message>
      <source>Remove (manager)</source>
      <translation>Ta bort (chef)</translation>
    </message>
    <message>
      <source>Receipt discount</source>
      <translation>Kvittorabatt</translation>
    </message>
    <message>
      <source>Park</source>
      <translation>Parkera</translation>
    </message>
    <message>
      <source>Clear</source>
      <translation>Rensa</translation>
    </message>
    <message>
      <source>customer attached</source>
      <translation>kund kopplad</translation>
    </message>
    <message>
      <source>Change the price of the line</source>
      <translation>Ändra radens pris</translation>
    </message>
    <message>
      <source>Remove the line</source>
      <translation>Ta bort raden</translation>
    </message>
    <message>
      <source>Customer:</source>
      <translation>Kund:</translation>
    </message>
    <message>
      <source>The cart is empty</source>
      <translation>Köpet är tomt</translation>
    </message>
    <message>
      <source>New unit price (kr)</source>
      <translation>Nytt styckpris (kr)</translation>
    </message>
    <message>
      <source>Sale parked</source>
      <translation>Köpet parkerat</translation>
    </message>
    <message>
      <source>Favourites</source>
      <translation>Favoriter</translation>
    </message>
    <message>
      <source>Quantity or weight</source>
      <translation>Antal eller vikt</translation>
    </message>
    <message>
      <source>Weight (kg)</source>
      <translation>Vikt (kg)</translation>
    </message>
    <message>
      <source>OK</source>
      <translation>OK</translation>
    </message>
    <message>
      <source>Setting up</source>
      <translation>Installerar</translation>
    </message>
    <message>
      <source>Done. Butik starts when you press Finish.</source>
      <translation>Klart. Butik startar när du trycker på Slutför.</translation>
    </message>
    <message>
      <source>Butik — first start</source>
      <translation>Butik — första start</translation>
    </message>
    <message>
      <source>Enrolling and fetching the shop from the server…</source>
      <translation>Registrerar och hämtar butiken från servern…</translation>
    </message>
    <message>
      <source>Creating the shop's database…</source>
      <translation>Skapar butikens databas…</translation>
    </message>
    <message>
      <source>Next &gt;</source>
      <translation>Nästa &gt;</translation>
    </message>
    <message>
      <source>&lt; Back</source>
      <translation>&lt; Tillbaka</translation>
    </message>
    <message>
      <source>Finish</source>
      <translation>Slutför</translation>
    </message>
    <message>
      <source>Could not finish: {error}. Go back, correct it and try again.</source>
      <translation>Det gick inte att slutföra: {error}. Gå tillbaka, rätta och försök igen.</translation>
    </message>
    <message>
      <source>Welcome to Butik</source>
      <translation>Välkommen till Butik</translation>
    </message>
    <message>
      <source>Nothing is set up on this computer yet. Choose the language, then how this computer is used.</source>
      <translation>Inget är installerat på den här datorn än. Välj språk och sedan hur datorn ska användas.</translation>
    </message>
    <message>
      <source>How is this computer used?</source>
      <translation>Hur används den här datorn?</translation>
    </message>
    <message>
      <source>Connect to a server</source>
      <translation>Anslut till en server</translation>
    </message>
    <message>
      <source>The shop's server runs elsewhere; you have an enrolment code.</source>
      <translation>Butikens server körs på en annan dator; du har en registreringskod.</translation>
    </message>
    <message>
      <source>Single-machine shop</source>
      <translation>Butik på en dator</translation>
    </message>
    <message>
      <source>One shop with this computer as its only till; the server runs here.</source>
      <translation>En butik med den här datorn som enda kassa; servern körs här.</translation>
    </message>
    <message>
      <source>A manager makes an enrolment code in the back office (Settings → Devices).</source>
      <translation>En butikschef skapar en registreringskod i administrationen (Inställningar → Enheter).</translation>
    </message>
    <message>
      <source>Your company</source>
      <translation>Ditt företag</translation>
    </message>
    <message>
      <source>The shop and its till</source>
      <translation>Butiken och dess kassa</translation>
    </message>
    <message>
      <source>The register code is printed on every receipt: at most 16 letters, digits or '-'.</source>
      <translation>Kassans id skrivs på varje kvitto: högst 16 bokstäver, siffror eller '-'.</translation>
    </message>
    <message>
      <source>The first manager</source>
      <translation>Den första butikschefen</translation>
    </message>
    <message>
      <source>The password opens the back office; the PIN logs in at the till.</source>
      <translation>Lösenordet öppnar administrationen; PIN-koden loggar in i kassan.</translation>
    </message>
    <message>
      <source>Receipt printer and cash drawer</source>
      <translation>Kvittoskrivare och kassalåda</translation>
    </message>
    <message>
      <source>No printer (test mode)</source>
      <translation>Ingen skrivare (testläge)</translation>
    </message>
    <message>
      <source>USB printer</source>
      <translation>USB-skrivare</translation>
    </message>
    <message>
      <source>Serial printer</source>
      <translation>Seriell skrivare</translation>
    </message>
    <message>
      <source>Network printer (port 9100)</source>
      <translation>Nätverksskrivare (port 9100)</translation>
    </message>
    <message>
      <source>Printer device file</source>
      <translation>Skrivarens enhetsfil</translation>
    </message>
    <message>
      <source>Device</source>
      <translation>Enhet</translation>
    </message>
    <message>
      <source>Host</source>
      <translation>Värd</translation>
    </message>
    <message>
      <source>Open the drawer</source>
      <translation>Öppna kassalådan</translation>
    </message>
    <message>
      <source>Asking the printer…</source>
      <translation>Frågar skrivaren…</translation>
    </message>
    <message>
      <source>Server address</source>
      <translation>Serverns adress</translation>
    </message>
    <message>
      <source>Enrolment code</source>
      <translation>Registreringskod</translation>
    </message>
    <message>
      <source>Name of this computer</source>
      <translation>Den här datorns namn</translation>
    </message>
    <message>
      <source>Give the server's address</source>
      <translation>Ange serverns adress</translation>
    </message>
    <message>
      <source>Give the code</source>
      <translation>Ange koden</translation>
    </message>
    <message>
      <source>Company name</source>
      <translation>Företagsnamn</translation>
    </message>
    <message>
      <source>Organisation number</source>
      <translation>Organisationsnummer</translation>
    </message>
    <message>
      <source>VAT registration number</source>
      <translation>Momsregistreringsnummer</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>Adress</translation>
    </message>
    <message>
      <source>Postal code</source>
      <translation>Postnummer</translation>
    </message>
    <message>
      <source>City</source>
      <translation>Ort</translation>
    </message>
    <message>
      <source>Shop code</source>
      <translation>Butikskod</translation>
    </message>
    <message>
      <source>Shop name</source>
      <translation>Butikens namn</translation>
    </message>
    <message>
      <source>Register code</source>
      <translation>Kassans id</translation>
    </message>
    <message>
      <source>User name</source>
      <translation>Användarnamn</translation>
    </message>
    <message>
      <source>Password</source>
      <translation>Lösenord</translation>
    </message>
    <message>
      <source>PIN (4–8 digits)</source>
      <translation>PIN-kod (4–8 siffror)</translation>
    </message>
    <message>
      <source>Till 1</source>
      <translation>Kassa 1</translation>
    </message>
    <message>
      <source>Back office</source>
      <translation>Administration</translation>
    </message>
    <message>
      <source>The printer answered.</source>
      <translation>Skrivaren svarade.</translation>
    </message>
    <message>
      <source>The drawer was sent its pulse.</source>
      <translation>Kassalådan fick sin öppningspuls.</translation>
    </message>
    <message>
      <source>Item</source>
      <translation>Artikel</translation>
    </message>
    <message>
      <source>Qty</source>
      <translation>Antal</translation>
    </message>
    <message>
      <source>Price</source>
      <translation>Pris</translation>
    </message>
    <message>
      <source>Discount</source>
      <translation>Rabatt</translation>
    </message>
    <message>
      <source>Amount</source>
      <translation>Belopp</translation>
    </message>
    <message>
      <source>Article no.</source>
      <translation>Artikelnr</translation>
    </message>
    <message>
      <source>Reference</source>
      <translation>Referens</translation>
    </message>
    <message>
      <source>Parked</source>
      <translation>Parkerad</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>Notering</translation>
    </message>
    <message>
      <source>Cashier</source>
      <translation>Kassör</translation>
    </message>
    <message>
      <source>Lines</source>
      <translation>Rader</translation>
    </message>
    <message>
      <source>Total</source>
      <translation>Summa</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>Namn</translation>
    </message>
    <message>
      <source>Customer no.</source>
      <translation>Kundnr</translation>
    </message>
    <message>
      <source>Bought</source>
      <translation>Köpt</translation>
    </message>
    <message>
      <source>Returnable</source>
      <translation>Kan returneras</translation>
    </message>
    <message>
      <source>Paid</source>
      <translation>Betalt</translation>
    </message>
    <message>
      <source>Kontant</source>
      <translation>Kontant</translation>
    </message>
    <message>
      <source>Kort</source>
      <translation>Kort</translation>
    </message>
    <message>
      <source>Presentkort</source>
      <translation>Presentkort</translation>
    </message>
    <message>
      <source>Tillgodokvitto</source>
      <translation>Tillgodokvitto</translation>
    </message>
  </context>
</TS>
