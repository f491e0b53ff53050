"""Imports every package's models so that Base.metadata knows all tables (for Alembic and tests)."""

import accounts.models  # noqa: F401
import conversations.corrections_models
import conversations.models  # noqa: F401
import core.events
import core.outbox  # noqa: F401
import faq.models  # noqa: F401
import recurring.models  # noqa: F401
import reviews.models  # noqa: F401
import shop.models  # noqa: F401
