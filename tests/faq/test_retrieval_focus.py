"""A follow-up the search is not sure of on its own is read within the entry the chat is on."""

from faq.knowledge_base import read_yaml
from faq.retrieval import FaqIndex

INDEX = FaqIndex(read_yaml())


def test_a_bare_follow_up_is_read_within_the_topic_in_focus():
    alone = INDEX.search("那要多久", k=3)
    assert not alone.answered
    within = INDEX.search("那要多久", k=3, focus="refund_time")
    assert within.hits[0].entry.id == "refund_time"


def test_the_same_follow_up_leans_on_another_focus_another_way():
    assert INDEX.search("那要多久", k=3, focus="delivery_time").hits[0].entry.id == "delivery_time"


def test_a_question_clear_on_its_own_keeps_its_own_answer_whatever_the_focus():
    result = INDEX.search("满多少包邮", k=3, focus="invoice")
    assert result.answered
    assert result.hits[0].entry.id == "shipping_fee"


def test_an_unknown_focus_changes_nothing():
    assert INDEX.search("那要多久", k=3, focus="no_such_entry") == INDEX.search("那要多久", k=3)
