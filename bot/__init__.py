"""The Rasa bot: domain, training data, conversation tests and the custom actions."""
