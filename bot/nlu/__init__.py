"""Custom Rasa NLU components (loaded by Rasa, in its own environment, from config.yml)."""
