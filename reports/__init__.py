"""The managers' reports, built from the `events` table only (so any past range can be computed
again): each is a function `(session, ReportFilter) -> Table` grouping in the database.
`docs/reports.md` defines each number."""

import time
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.orm import Session

from reports.model import ReportFilter, Table
from reports.money import alerts, compensation
from reports.queues import recurring
from reports.service import bot, response
from reports.volume import causes, complaints, logistics, products

# A report groups up to a few million rows: sorting and hashing them in memory, not on disk, and
# no JIT compilation (it costs more than it saves on queries that run once per request).
POSTGRESQL_SETTINGS = ("SET LOCAL work_mem = '64MB'", "SET LOCAL jit = off")
Report = Callable[[Session, ReportFilter], Table]
REPORTS: dict[str, Report] = {  # in display order
    "complaints": complaints,
    "causes": causes,
    "products": products,
    "logistics": logistics,
    "recurring": recurring,
    "response": response,
    "bot": bot,
    "compensation": compensation,
    "alerts": alerts,
}


class NoSuchReportError(LookupError):
    """No report has this name."""


def run(session: Session, name: str, f: ReportFilter) -> Table:
    """The report `name` over the filter, with the milliseconds it took."""
    report = REPORTS.get(name)
    if report is None:
        raise NoSuchReportError(name)
    started = time.perf_counter()
    if session.get_bind().dialect.name == "postgresql":
        for setting in POSTGRESQL_SETTINGS:  # for this transaction only
            session.execute(text(setting))
    table = report(session, f)
    table.generated_in_ms = round((time.perf_counter() - started) * 1000)
    return table
