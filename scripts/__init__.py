"""Entry points behind the Makefile: training the bot and running the whole system."""
