"""Back-office commands: customers (filled in by its area)."""
