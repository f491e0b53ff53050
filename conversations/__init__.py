"""Shopper conversations: the transcript, who handles each one (bot or human), and escalations."""
