"""Client side of the sync protocol: the outbox of facts going up, the replica pulled down."""
