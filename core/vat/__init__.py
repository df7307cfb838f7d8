"""VAT classes, rates per country and class with validity dates, product overrides, and the sale-country rule."""
