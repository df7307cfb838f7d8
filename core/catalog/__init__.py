"""The catalogue: categories, products, barcodes, variants (attribute matrix), SET articles, and product search."""
