"""The deterministic Swedish demo shop (`butik demo`): company, stores, catalogue, prices, customers, stock."""
