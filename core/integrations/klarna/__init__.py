"""Klarna API client."""
