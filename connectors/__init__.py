"""Every edge to the outside world: the storefront chat channel, platform imports, notifications."""
