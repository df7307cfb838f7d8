"""Price lists (currency, incl./excl. VAT, quantity breaks, campaigns) and price resolution."""
