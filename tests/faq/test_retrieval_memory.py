"""A question not clear on its own is read with the shopper's earlier messages."""

from faq.knowledge_base import read_yaml
from faq.retrieval import MEMORY_MESSAGES, FaqIndex

INDEX = FaqIndex(read_yaml())


def test_a_bare_follow_up_is_read_within_the_earlier_question():
    alone = INDEX.search("那要多久", k=3)
    assert not alone.answered
    within = INDEX.search("那要多久", k=3, earlier=["退款多久能到账"])
    assert within.hits[0].entry.id == "refund_time"


def test_the_same_follow_up_leans_on_another_earlier_question_another_way():
    within = INDEX.search("那要多久", k=3, earlier=["下单后一般几天能送到"])
    assert within.hits[0].entry.id == "delivery_time"


def test_after_two_topics_a_bare_follow_up_offers_both():
    earlier = ["退款多久能到账", "下单后一般几天能送到"]
    hits = INDEX.search("那要多久", k=2, earlier=earlier).hits
    assert {hit.entry.id for hit in hits} == {"refund_time", "delivery_time"}


def test_a_question_clear_on_its_own_keeps_its_own_answer_after_many_on_another_topic():
    earlier = ["发票怎么开", "能开专票吗", "发票多久能开好"]
    result = INDEX.search("满多少包邮", k=3, earlier=earlier)
    assert result.answered
    assert result.hits[0].entry.id == "shipping_fee"


def test_earlier_messages_that_match_no_entry_change_nothing():
    assert INDEX.search("那要多久", k=3, earlier=["嗯嗯", "好的"]) == INDEX.search("那要多久", k=3)


def test_only_the_latest_messages_are_remembered():
    old = ["退款多久能到账"] + ["嗯嗯"] * MEMORY_MESSAGES
    assert INDEX.search("那要多久", k=3, earlier=old) == INDEX.search("那要多久", k=3)


def test_memory_is_capped_so_many_messages_weigh_like_one_sure_answer():
    memory = INDEX.memory(["发票怎么开"] * 10)
    assert memory.max() == 1.0


def test_a_follow_up_after_a_message_only_loosely_about_an_entry_is_asked_back():
    loose = INDEX.search("那要多久", k=3, earlier=["帮我查下快递 7507529170342366 手机尾号3508"])
    assert loose.hits  # the memory leans to an entry (privacy, parcel delivery), but
    assert not loose.answered  # the shopper's words and the follow-up together are not clear
    clear = INDEX.search("那要多久", k=3, earlier=["快递单上会显示我手机号吗"])
    assert clear.answered
    assert clear.hits[0].entry.id == "privacy"


def test_an_earlier_message_that_matches_no_entry_is_never_what_a_follow_up_is_read_with():
    first = INDEX.entries[0].id
    earlier = [INDEX.entries[0].question, "你好呀"]
    position = [e.id for e in INDEX.entries].index(first)
    assert INDEX._said_about(position, earlier) == INDEX.entries[0].question
