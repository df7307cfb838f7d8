"""Back-office commands: stock (filled in by its area)."""
