"""The company that runs Butik: its stores, each store's registers, and the sales channels."""
