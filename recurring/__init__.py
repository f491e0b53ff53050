"""Recurring issues: complaints from reviews and from the chat, read from the events table, that
keep coming back for one product, one carrier and region, or one kind of service, become items
of the product, logistics and service queues (docs/queues.md)."""
