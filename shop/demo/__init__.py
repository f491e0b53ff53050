"""The demo shop: a realistic catalogue, customers and orders in every situation the bot handles."""
