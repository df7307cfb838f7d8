"""Nets API client."""
