"""The FAQ knowledge base: YAML and database entries, audited edits, and retrieval."""
