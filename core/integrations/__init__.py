"""Clients for the services the sync node talks to: webshops, payment providers, carriers."""
