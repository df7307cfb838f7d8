"""Sales at the till: cart, payments, receipts, journal, control unit, shifts, X/Z reports."""
