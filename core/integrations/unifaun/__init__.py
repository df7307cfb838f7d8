"""Unifaun API client."""
