"""Back-office commands: prices (filled in by its area)."""
