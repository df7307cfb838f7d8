"""First-run set-up of a machine (no Qt): a single-machine shop, or a device connected to a server."""
