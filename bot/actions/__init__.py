"""Custom actions served by the rasa-sdk action server; each is a thin adapter over domain code."""
