"""Starweb API client."""
