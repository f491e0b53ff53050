"""An FAQ answer quotes the shop's own facts by name, so it says what the bot says."""

import re

import pytest
from pydantic import ValidationError

from faq import knowledge_base as kb
from faq.schema import FaqEntryData
from shop import aftersales
from shop.refund_policy import RefundPolicy, load_refund_policy
from words.render import say


def _entry(answer: str, **changes) -> FaqEntryData:
    return FaqEntryData(
        id="refund_demo", category="退款", question="退款多久？", answer=answer, **changes
    )


def test_the_refund_time_answer_quotes_the_refund_policy():
    [entry] = [e for e in kb.read_yaml() if e.id == "refund_time"]
    assert "{refund_times}" in entry.answer
    shown = entry.answer_for(None)
    assert say(aftersales.refund_times()) in shown
    assert "支付宝、微信支付、花呗一般1-3个工作日到账，银行卡一般3-7个工作日到账" in shown
    assert "即时" not in shown


def test_a_change_of_policy_changes_the_faq_answer_with_it(monkeypatch):
    faster = RefundPolicy(
        issue_within_working_days=2,
        arrival_working_days={"支付宝": (0, 1), "银行卡": (2, 5), "default": (2, 5)},
        return_to=load_refund_policy().return_to,
        send_within_days=7,
    )
    monkeypatch.setattr(aftersales, "load_refund_policy", lambda: faster)
    shown = _entry("退款原路退回。{refund_times}。").answer_for(None)
    assert shown == (
        "退款原路退回。仓库签收退货后2个工作日内发起退款；退款发起后，"
        "支付宝最快当天到账，最晚1个工作日，银行卡一般2-5个工作日到账。"
    )
    assert aftersales.refund_arrival("支付宝").working_days == (0, 1)  # the bot says the same


def test_an_answer_quoting_an_unknown_fact_is_refused_with_the_names_it_may_use():
    with pytest.raises(ValidationError, match=r"unknown placeholder \{refund_days\}.*refund_times"):
        _entry("退款{refund_days}到账")
    with pytest.raises(ValidationError, match=r"unknown placeholder \{warranty\}"):
        _entry("见下", category_answers={"shoes": "保修{warranty}"})


def test_every_shipped_answer_reads_without_placeholders():
    for entry in kb.read_yaml():
        for code in (None, *entry.category_answers):
            shown = entry.answer_for(code)
            assert not re.search(r"[{}]", shown), (entry.id, code)


def test_an_answer_asks_for_the_order_number_only_when_the_order_is_not_known():
    asking = [e for e in kb.read_yaml() if "{order_check}" in e.answer]
    assert {e.id for e in asking} >= {"refund_time", "invoice", "price_protection"}
    for entry in asking:
        assert "把订单号发给我" in entry.answer_for(None)
        known = entry.answer_for(None, order_known=True)
        assert "订单号" not in known
        assert "这个订单" in known
