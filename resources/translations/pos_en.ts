<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
  <context>
    <name>pos</name>
    <message>
      <source>Manager approval</source>
      <translation>Manager approval</translation>
    </message>
    <message>
      <source>Internal error — the sale is safe; please report this:</source>
      <translation>Internal error — the sale is safe; please report this:</translation>
    </message>
    <message>
      <source>Printer ready</source>
      <translation>Printer ready</translation>
    </message>
    <message>
      <source>Copy printed (KOPIA)</source>
      <translation>Copy printed (KOPIA)</translation>
    </message>
    <message>
      <source>Printer not answering</source>
      <translation>Printer not answering</translation>
    </message>
    <message>
      <source>The receipt is saved but not printed:</source>
      <translation>The receipt is saved but not printed:</translation>
    </message>
    <message>
      <source>enter a value</source>
      <translation>enter a value</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>Close</translation>
    </message>
    <message>
      <source>Shift closed</source>
      <translation>Shift closed</translation>
    </message>
    <message>
      <source>Enter your PIN</source>
      <translation>Enter your PIN</translation>
    </message>
    <message>
      <source>Log in</source>
      <translation>Log in</translation>
    </message>
    <message>
      <source>Open shift — count the float</source>
      <translation>Open shift — count the float</translation>
    </message>
    <message>
      <source>Close shift — count per payment method</source>
      <translation>Close shift — count per payment method</translation>
    </message>
    <message>
      <source>Open mode: no users with a PIN here — any 4-digit PIN logs in</source>
      <translation>Open mode: no users with a PIN here — any 4-digit PIN logs in</translation>
    </message>
    <message>
      <source>PIN for</source>
      <translation>PIN for</translation>
    </message>
    <message>
      <source>Cash counted:</source>
      <translation>Cash counted:</translation>
    </message>
    <message>
      <source>Open shift</source>
      <translation>Open shift</translation>
    </message>
    <message>
      <source>Close shift</source>
      <translation>Close shift</translation>
    </message>
    <message>
      <source>Method</source>
      <translation>Method</translation>
    </message>
    <message>
      <source>Expected</source>
      <translation>Expected</translation>
    </message>
    <message>
      <source>Counted</source>
      <translation>Counted</translation>
    </message>
    <message>
      <source>Difference</source>
      <translation>Difference</translation>
    </message>
    <message>
      <source>Total difference</source>
      <translation>Total difference</translation>
    </message>
    <message>
      <source>a count is a whole number</source>
      <translation>a count is a whole number</translation>
    </message>
    <message>
      <source>Sync: …</source>
      <translation>Sync: …</translation>
    </message>
    <message>
      <source>Printer: not used yet</source>
      <translation>Printer: not used yet</translation>
    </message>
    <message>
      <source>Local database (not connected to a server)</source>
      <translation>Local database (not connected to a server)</translation>
    </message>
    <message>
      <source>events waiting</source>
      <translation>events waiting</translation>
    </message>
    <message>
      <source>TRAINING — ÖVNING — nothing is sold for real</source>
      <translation>TRAINING — ÖVNING — nothing is sold for real</translation>
    </message>
    <message>
      <source>Receipt</source>
      <translation>Receipt</translation>
    </message>
    <message>
      <source>refused</source>
      <translation>refused</translation>
    </message>
    <message>
      <source>Cashier:</source>
      <translation>Cashier:</translation>
    </message>
    <message>
      <source>open mode (no PINs)</source>
      <translation>open mode (no PINs)</translation>
    </message>
    <message>
      <source>Park or finish the sale before logging out</source>
      <translation>Park or finish the sale before logging out</translation>
    </message>
    <message>
      <source>Sync: status unknown</source>
      <translation>Sync: status unknown</translation>
    </message>
    <message>
      <source>Online</source>
      <translation>Online</translation>
    </message>
    <message>
      <source>Offline — selling goes on</source>
      <translation>Offline — selling goes on</translation>
    </message>
    <message>
      <source>Shift opened</source>
      <translation>Shift opened</translation>
    </message>
    <message>
      <source>Change:</source>
      <translation>Change:</translation>
    </message>
    <message>
      <source>Log in first</source>
      <translation>Log in first</translation>
    </message>
    <message>
      <source>Receipt copy</source>
      <translation>Receipt copy</translation>
    </message>
    <message>
      <source>E-receipt (PDF and text)</source>
      <translation>E-receipt (PDF and text)</translation>
    </message>
    <message>
      <source>Open the drawer without a sale</source>
      <translation>Open the drawer without a sale</translation>
    </message>
    <message>
      <source>Menu</source>
      <translation>Menu</translation>
    </message>
    <message>
      <source>Price lookup</source>
      <translation>Price lookup</translation>
    </message>
    <message>
      <source>Sell gift card</source>
      <translation>Sell gift card</translation>
    </message>
    <message>
      <source>X-report</source>
      <translation>X-report</translation>
    </message>
    <message>
      <source>Z-report (close day)</source>
      <translation>Z-report (close day)</translation>
    </message>
    <message>
      <source>Print waiting receipts</source>
      <translation>Print waiting receipts</translation>
    </message>
    <message>
      <source>Open drawer (manager)</source>
      <translation>Open drawer (manager)</translation>
    </message>
    <message>
      <source>Training mode on/off</source>
      <translation>Training mode on/off</translation>
    </message>
    <message>
      <source>Printer settings</source>
      <translation>Printer settings</translation>
    </message>
    <message>
      <source>Log out</source>
      <translation>Log out</translation>
    </message>
    <message>
      <source>Z-report</source>
      <translation>Z-report</translation>
    </message>
    <message>
      <source>Close the day? The day's totals start again from zero.</source>
      <translation>Close the day? The day's totals start again from zero.</translation>
    </message>
    <message>
      <source>No receipt yet at this register</source>
      <translation>No receipt yet at this register</translation>
    </message>
    <message>
      <source>Scan or type the article</source>
      <translation>Scan or type the article</translation>
    </message>
    <message>
      <source>Gift card value (kr)</source>
      <translation>Gift card value (kr)</translation>
    </message>
    <message>
      <source>Scan or type the new card's code</source>
      <translation>Scan or type the new card's code</translation>
    </message>
    <message>
      <source>Print</source>
      <translation>Print</translation>
    </message>
    <message>
      <source>Scan the receipt or type its number</source>
      <translation>Scan the receipt or type its number</translation>
    </message>
    <message>
      <source>Receipts printed:</source>
      <translation>Receipts printed:</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>Take Z-report</source>
      <translation>Take Z-report</translation>
    </message>
    <message>
      <source>E-receipt saved:</source>
      <translation>E-receipt saved:</translation>
    </message>
    <message>
      <source>price changed</source>
      <translation>price changed</translation>
    </message>
    <message>
      <source>return</source>
      <translation>return</translation>
    </message>
    <message>
      <source>Amount (empty = the rest)</source>
      <translation>Amount (empty = the rest)</translation>
    </message>
    <message>
      <source>Card</source>
      <translation>Card</translation>
    </message>
    <message>
      <source>Key {amount} kr into the card terminal. Approved?</source>
      <translation>Key {amount} kr into the card terminal. Approved?</translation>
    </message>
    <message>
      <source>Swish</source>
      <translation>Swish</translation>
    </message>
    <message>
      <source>Has the customer's Swish of {amount} kr arrived?</source>
      <translation>Has the customer's Swish of {amount} kr arrived?</translation>
    </message>
    <message>
      <source>Gift card</source>
      <translation>Gift card</translation>
    </message>
    <message>
      <source>Credit voucher</source>
      <translation>Credit voucher</translation>
    </message>
    <message>
      <source>Cash</source>
      <translation>Cash</translation>
    </message>
    <message>
      <source>refund on the card terminal</source>
      <translation>refund on the card terminal</translation>
    </message>
    <message>
      <source>refund through Swish</source>
      <translation>refund through Swish</translation>
    </message>
    <message>
      <source>a new credit voucher</source>
      <translation>a new credit voucher</translation>
    </message>
    <message>
      <source>cash from the drawer</source>
      <translation>cash from the drawer</translation>
    </message>
    <message>
      <source>Back to sale</source>
      <translation>Back to sale</translation>
    </message>
    <message>
      <source>Remove payment</source>
      <translation>Remove payment</translation>
    </message>
    <message>
      <source>Complete</source>
      <translation>Complete</translation>
    </message>
    <message>
      <source>Fully paid</source>
      <translation>Fully paid</translation>
    </message>
    <message>
      <source>Remove the payments first (card payments must be reversed at the terminal)</source>
      <translation>Remove the payments first (card payments must be reversed at the terminal)</translation>
    </message>
    <message>
      <source>The payments do not cover the total yet</source>
      <translation>The payments do not cover the total yet</translation>
    </message>
    <message>
      <source>Refund to the original method:</source>
      <translation>Refund to the original method:</translation>
    </message>
    <message>
      <source>To refund</source>
      <translation>To refund</translation>
    </message>
    <message>
      <source>To pay</source>
      <translation>To pay</translation>
    </message>
    <message>
      <source>Cash rounding:</source>
      <translation>Cash rounding:</translation>
    </message>
    <message>
      <source>Declined</source>
      <translation>Declined</translation>
    </message>
    <message>
      <source>Approved</source>
      <translation>Approved</translation>
    </message>
    <message>
      <source>scan or type the code</source>
      <translation>scan or type the code</translation>
    </message>
    <message>
      <source>Checking the gift card…</source>
      <translation>Checking the gift card…</translation>
    </message>
    <message>
      <source>Scan or type the code</source>
      <translation>Scan or type the code</translation>
    </message>
    <message>
      <source>in cash</source>
      <translation>in cash</translation>
    </message>
    <message>
      <source>Left:</source>
      <translation>Left:</translation>
    </message>
    <message>
      <source>Payment declined — nothing was taken</source>
      <translation>Payment declined — nothing was taken</translation>
    </message>
    <message>
      <source>Gift card checked against the server's balance</source>
      <translation>Gift card checked against the server's balance</translation>
    </message>
    <message>
      <source>Server not reachable: offline limit applied</source>
      <translation>Server not reachable: offline limit applied</translation>
    </message>
    <message>
      <source>Customer</source>
      <translation>Customer</translation>
    </message>
    <message>
      <source>Name, customer no., phone or e-mail</source>
      <translation>Name, customer no., phone or e-mail</translation>
    </message>
    <message>
      <source>New customer: name</source>
      <translation>New customer: name</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>Phone</translation>
    </message>
    <message>
      <source>E-mail</source>
      <translation>E-mail</translation>
    </message>
    <message>
      <source>Parked sales</source>
      <translation>Parked sales</translation>
    </message>
    <message>
      <source>Return</source>
      <translation>Return</translation>
    </message>
    <message>
      <source>Barcode or article no.</source>
      <translation>Barcode or article no.</translation>
    </message>
    <message>
      <source>Without receipt: article</source>
      <translation>Without receipt: article</translation>
    </message>
    <message>
      <source>Quantity</source>
      <translation>Quantity</translation>
    </message>
    <message>
      <source>Return without a receipt</source>
      <translation>Return without a receipt</translation>
    </message>
    <message>
      <source>Printer and drawer</source>
      <translation>Printer and drawer</translation>
    </message>
    <message>
      <source>tap a customer in the list first</source>
      <translation>tap a customer in the list first</translation>
    </message>
    <message>
      <source>Recall</source>
      <translation>Recall</translation>
    </message>
    <message>
      <source>tap a parked sale first</source>
      <translation>tap a parked sale first</translation>
    </message>
    <message>
      <source>Find</source>
      <translation>Find</translation>
    </message>
    <message>
      <source>find the receipt first</source>
      <translation>find the receipt first</translation>
    </message>
    <message>
      <source>nothing left to return on the chosen lines</source>
      <translation>nothing left to return on the chosen lines</translation>
    </message>
    <message>
      <source>Connection</source>
      <translation>Connection</translation>
    </message>
    <message>
      <source>Host (network)</source>
      <translation>Host (network)</translation>
    </message>
    <message>
      <source>Port</source>
      <translation>Port</translation>
    </message>
    <message>
      <source>Device (serial/file)</source>
      <translation>Device (serial/file)</translation>
    </message>
    <message>
      <source>USB vendor:product</source>
      <translation>USB vendor:product</translation>
    </message>
    <message>
      <source>Characters per line</source>
      <translation>Characters per line</translation>
    </message>
    <message>
      <source>Drawer pin</source>
      <translation>Drawer pin</translation>
    </message>
    <message>
      <source>Pulse on (ms)</source>
      <translation>Pulse on (ms)</translation>
    </message>
    <message>
      <source>Pulse off (ms)</source>
      <translation>Pulse off (ms)</translation>
    </message>
    <message>
      <source>in stock</source>
      <translation>in stock</translation>
    </message>
    <message>
      <source>No customer</source>
      <translation>No customer</translation>
    </message>
    <message>
      <source>Create</source>
      <translation>Create</translation>
    </message>
    <message>
      <source>Choose</source>
      <translation>Choose</translation>
    </message>
    <message>
      <source>Customer created:</source>
      <translation>Customer created:</translation>
    </message>
    <message>
      <source>Without receipt (manager)</source>
      <translation>Without receipt (manager)</translation>
    </message>
    <message>
      <source>Return selected</source>
      <translation>Return selected</translation>
    </message>
    <message>
      <source>Test print</source>
      <translation>Test print</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>Save</translation>
    </message>
    <message>
      <source>Test page sent</source>
      <translation>Test page sent</translation>
    </message>
    <message>
      <source>Printer settings saved</source>
      <translation>Printer settings saved</translation>
    </message>
    <message>
      <source>Search articles or scan…</source>
      <translation>Search articles or scan…</translation>
    </message>
    <message>
      <source>PAY</source>
      <translation>PAY</translation>
    </message>
    <message>
      <source>Qty / weight</source>
      <translation>Qty / weight</translation>
    </message>
    <message>
      <source>Line discount</source>
      <translation>Line discount</translation>
    </message>
    <message>
      <source>Price (manager)</source>
      <translation>Price (manager)</translation>
    </message>
    <message>
      <source>Remove (manager)</source>
      <translation>Remove (manager)</translation>
    </message>
    <message>
      <source>Receipt discount</source>
      <translation>Receipt discount</translation>
    </message>
    <message>
      <source>Park</source>
      <translation>Park</translation>
    </message>
    <message>
      <source>Clear</source>
      <translation>Clear</translation>
    </message>
    <message>
      <source>customer attached</source>
      <translation>customer attached</translation>
    </message>
    <message>
      <source>Change the price of the line</source>
      <translation>Change the price of the line</translation>
    </message>
    <message>
      <source>Remove the line</source>
      <translation>Remove the line</translation>
    </message>
    <message>
      <source>Customer:</source>
      <translation>Customer:</translation>
    </message>
    <message>
      <source>The cart is empty</source>
      <translation>The cart is empty</translation>
    </message>
    <message>
      <source>New unit price (kr)</source>
      <translation>New unit price (kr)</translation>
    </message>
    <message>
      <source>Sale parked</source>
      <translation>Sale parked</translation>
    </message>
    <message>
      <source>Favourites</source>
      <translation>Favourites</translation>
    </message>
    <message>
      <source>Quantity or weight</source>
      <translation>Quantity or weight</translation>
    </message>
    <message>
      <source>Weight (kg)</source>
      <translation>Weight (kg)</translation>
    </message>
    <message>
      <source>OK</source>
      <translation>OK</translation>
    </message>
    <message>
      <source>Setting up</source>
      <translation>Setting up</translation>
    </message>
    <message>
      <source>Done. Butik starts when you press Finish.</source>
      <translation>Done. Butik starts when you press Finish.</translation>
    </message>
    <message>
      <source>Butik — first start</source>
      <translation>Butik — first start</translation>
    </message>
    <message>
      <source>Enrolling and fetching the shop from the server…</source>
      <translation>Enrolling and fetching the shop from the server…</translation>
    </message>
    <message>
      <source>Creating the shop's database…</source>
      <translation>Creating the shop's database…</translation>
    </message>
    <message>
      <source>Next &gt;</source>
      <translation>Next &gt;</translation>
    </message>
    <message>
      <source>&lt; Back</source>
      <translation>&lt; Back</translation>
    </message>
    <message>
      <source>Finish</source>
      <translation>Finish</translation>
    </message>
    <message>
      <source>Could not finish: {error}. Go back, correct it and try again.</source>
      <translation>Could not finish: {error}. Go back, correct it and try again.</translation>
    </message>
    <message>
      <source>Welcome to Butik</source>
      <translation>Welcome to Butik</translation>
    </message>
    <message>
      <source>Nothing is set up on this computer yet. Choose the language, then how this computer is used.</source>
      <translation>Nothing is set up on this computer yet. Choose the language, then how this computer is used.</translation>
    </message>
    <message>
      <source>How is this computer used?</source>
      <translation>How is this computer used?</translation>
    </message>
    <message>
      <source>Connect to a server</source>
      <translation>Connect to a server</translation>
    </message>
    <message>
      <source>The shop's server runs elsewhere; you have an enrolment code.</source>
      <translation>The shop's server runs elsewhere; you have an enrolment code.</translation>
    </message>
    <message>
      <source>Single-machine shop</source>
      <translation>Single-machine shop</translation>
    </message>
    <message>
      <source>One shop with this computer as its only till; the server runs here.</source>
      <translation>One shop with this computer as its only till; the server runs here.</translation>
    </message>
    <message>
      <source>A manager makes an enrolment code in the back office (Settings → Devices).</source>
      <translation>A manager makes an enrolment code in the back office (Settings → Devices).</translation>
    </message>
    <message>
      <source>Your company</source>
      <translation>Your company</translation>
    </message>
    <message>
      <source>The shop and its till</source>
      <translation>The shop and its till</translation>
    </message>
    <message>
      <source>The register code is printed on every receipt: at most 16 letters, digits or '-'.</source>
      <translation>The register code is printed on every receipt: at most 16 letters, digits or '-'.</translation>
    </message>
    <message>
      <source>The first manager</source>
      <translation>The first manager</translation>
    </message>
    <message>
      <source>The password opens the back office; the PIN logs in at the till.</source>
      <translation>The password opens the back office; the PIN logs in at the till.</translation>
    </message>
    <message>
      <source>Receipt printer and cash drawer</source>
      <translation>Receipt printer and cash drawer</translation>
    </message>
    <message>
      <source>No printer (test mode)</source>
      <translation>No printer (test mode)</translation>
    </message>
    <message>
      <source>USB printer</source>
      <translation>USB printer</translation>
    </message>
    <message>
      <source>Serial printer</source>
      <translation>Serial printer</translation>
    </message>
    <message>
      <source>Network printer (port 9100)</source>
      <translation>Network printer (port 9100)</translation>
    </message>
    <message>
      <source>Printer device file</source>
      <translation>Printer device file</translation>
    </message>
    <message>
      <source>Device</source>
      <translation>Device</translation>
    </message>
    <message>
      <source>Host</source>
      <translation>Host</translation>
    </message>
    <message>
      <source>Open the drawer</source>
      <translation>Open the drawer</translation>
    </message>
    <message>
      <source>Asking the printer…</source>
      <translation>Asking the printer…</translation>
    </message>
    <message>
      <source>Server address</source>
      <translation>Server address</translation>
    </message>
    <message>
      <source>Enrolment code</source>
      <translation>Enrolment code</translation>
    </message>
    <message>
      <source>Name of this computer</source>
      <translation>Name of this computer</translation>
    </message>
    <message>
      <source>Give the server's address</source>
      <translation>Give the server's address</translation>
    </message>
    <message>
      <source>Give the code</source>
      <translation>Give the code</translation>
    </message>
    <message>
      <source>Company name</source>
      <translation>Company name</translation>
    </message>
    <message>
      <source>Organisation number</source>
      <translation>Organisation number</translation>
    </message>
    <message>
      <source>VAT registration number</source>
      <translation>VAT registration number</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>Address</translation>
    </message>
    <message>
      <source>Postal code</source>
      <translation>Postal code</translation>
    </message>
    <message>
      <source>City</source>
      <translation>City</translation>
    </message>
    <message>
      <source>Shop code</source>
      <translation>Shop code</translation>
    </message>
    <message>
      <source>Shop name</source>
      <translation>Shop name</translation>
    </message>
    <message>
      <source>Register code</source>
      <translation>Register code</translation>
    </message>
    <message>
      <source>User name</source>
      <translation>User name</translation>
    </message>
    <message>
      <source>Password</source>
      <translation>Password</translation>
    </message>
    <message>
      <source>PIN (4–8 digits)</source>
      <translation>PIN (4–8 digits)</translation>
    </message>
    <message>
      <source>Till 1</source>
      <translation>Till 1</translation>
    </message>
    <message>
      <source>Back office</source>
      <translation>Back office</translation>
    </message>
    <message>
      <source>The printer answered.</source>
      <translation>The printer answered.</translation>
    </message>
    <message>
      <source>The drawer was sent its pulse.</source>
      <translation>The drawer was sent its pulse.</translation>
    </message>
    <message>
      <source>Item</source>
      <translation>Item</translation>
    </message>
    <message>
      <source>Qty</source>
      <translation>Qty</translation>
    </message>
    <message>
      <source>Price</source>
      <translation>Price</translation>
    </message>
    <message>
      <source>Discount</source>
      <translation>Discount</translation>
    </message>
    <message>
      <source>Amount</source>
      <translation>Amount</translation>
    </message>
    <message>
      <source>Article no.</source>
      <translation>Article no.</translation>
    </message>
    <message>
      <source>Reference</source>
      <translation>Reference</translation>
    </message>
    <message>
      <source>Parked</source>
      <translation>Parked</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>Note</translation>
    </message>
    <message>
      <source>Cashier</source>
      <translation>Cashier</translation>
    </message>
    <message>
      <source>Lines</source>
      <translation>Lines</translation>
    </message>
    <message>
      <source>Total</source>
      <translation>Total</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>Customer no.</source>
      <translation>Customer no.</translation>
    </message>
    <message>
      <source>Bought</source>
      <translation>Bought</translation>
    </message>
    <message>
      <source>Returnable</source>
      <translation>Returnable</translation>
    </message>
    <message>
      <source>Paid</source>
      <translation>Paid</translation>
    </message>
    <message>
      <source>Kontant</source>
      <translation>Cash</translation>
    </message>
    <message>
      <source>Kort</source>
      <translation>Card</translation>
    </message>
    <message>
      <source>Presentkort</source>
      <translation>Gift card</translation>
    </message>
    <message>
      <source>Tillgodokvitto</source>
      <translation>Credit voucher</translation>
    </message>
  </context>
</TS>
