"""HTTP routes, one small module per area; each calls use cases inside server.db units of work."""
