"""Hardware behind ports of our own: receipt printer and cash drawer (python-escpos)."""
