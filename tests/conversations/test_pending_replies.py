"""Typed replies to a request said back for a yes (conversations.pending_replies)."""

from conversations.pending_replies import read_reply
from conversations.reading import TypedAnswer


def test_the_return_chosen_of_a_return_or_exchange_said_back_is_its_yes():
    """Trial 24, T830: 卡其31没有？那退了吧 不换了 ended the chat as a goodbye."""
    pending = "request_return_exchange"
    for words in ("卡其31没有？那退了吧 不换了", "不换了 退掉吧"):
        read = read_reply(words, pending)
        assert read.answer == TypedAnswer.YES, words
        assert read.restated, words
    assert read_reply("不换了", pending).answer != TypedAnswer.YES
    assert read_reply("那退了吧 不换了", "cancel_order").answer != TypedAnswer.YES
