"""Configuration, database access and the append-only event log shared by every package."""
