"""The shop: catalogue, customers, orders, shipments and after-sales (no HTTP, no Rasa)."""
