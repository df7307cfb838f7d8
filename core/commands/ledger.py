"""Back-office commands: ledger (filled in by its area)."""
