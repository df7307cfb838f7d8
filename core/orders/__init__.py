"""Sales orders from every channel: pricing, lifecycle, partial deliveries, quotes, integration tasks."""
