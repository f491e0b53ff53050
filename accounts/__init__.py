"""Staff accounts: users with roles, their password logins, browser sessions and API tokens."""
