"""Back-office commands: catalog (filled in by its area)."""
