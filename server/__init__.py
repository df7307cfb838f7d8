"""Butik central server: FastAPI app, auth, change feed, event intake."""
