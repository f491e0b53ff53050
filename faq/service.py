"""The FAQ search every caller uses (API, CLI, bot): an index that follows the database.

The index is rebuilt when the knowledge base's version (its latest revision) moves, so an
admin's edit is live at once in every process (API and action server) without a restart.
"""

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from faq import knowledge_base
from faq.retrieval import FaqIndex, SearchResult
from faq.schema import FaqEntryData

MAX_K = 20


@dataclass
class _Built:
    version: int
    index: FaqIndex


class FaqSearch:
    """Thread-safe holder of the current index."""

    def __init__(self) -> None:
        self._built: _Built | None = None
        self._lock = threading.Lock()

    def index(self, session: Session) -> FaqIndex:
        current = knowledge_base.version(session)
        built = self._built
        if built is None or built.version != current:
            with self._lock:
                if self._built is None or self._built.version != current:
                    entries = knowledge_base.all_entries(session)
                    self._built = _Built(current, FaqIndex(entries))
                built = self._built
        return built.index

    def forget(self) -> None:
        """Drop the built index; the next search rebuilds it (after a rollback, a revision id
        can be reused for other content)."""
        with self._lock:
            self._built = None

    def search(
        self,
        session: Session,
        query: str,
        k: int = 3,
        earlier: Sequence[str] = (),
        categories: frozenset[str] | None = None,
    ) -> SearchResult:
        """The `k` best entries; `earlier`: the shopper's earlier messages in the conversation,
        oldest first; `categories`: those of the goods in focus (FaqIndex.search)."""
        if not 1 <= k <= MAX_K:
            raise ValueError(f"k must be between 1 and {MAX_K}")
        return self.index(session).search(query, k, earlier, categories)

    def entry_titled(self, session: Session, text: str) -> FaqEntryData | None:
        """The entry whose own question `text` is, word for word (FaqIndex.entry_titled)."""
        return self.index(session).entry_titled(text)


faq_search = FaqSearch()


def result_json(result: SearchResult, category_code: str | None = None) -> dict[str, Any]:
    """The public JSON shape of a search: results with id, question, answer and score."""
    return {
        "results": [
            {
                "id": hit.entry.id,
                "question": hit.entry.question,
                "answer": hit.entry.answer_for(category_code),
                "score": hit.score,
            }
            for hit in result.hits
        ],
        "answered": result.answered,
    }
