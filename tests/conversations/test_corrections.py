"""Teaching the bot: a misunderstood shopper message marked with the intent or FAQ topic it
should have had, one correction per message, exported as Rasa 3 NLU training data."""

import runpy
import sys
from pathlib import Path

import pytest
import yaml

from conversations.corrections import (
    CorrectionError,
    Refusal,
    bot_intents,
    corrections,
    nlu_yaml,
    teach,
)
from conversations.corrections_models import TEXT_MAX, Correction
from conversations.models import Sender
from conversations.service import post

TAXONOMY_INTENTS = {
    "greet", "goodbye", "thank", "affirm", "deny", "inform", "request_human", "complain",
    "out_of_scope", "faq", "ask_product_info", "ask_stock", "ask_price_promotion",
    "ask_size_advice", "track_order", "report_delivery_delay", "report_damaged_item",
    "report_lost_parcel", "report_wrong_or_missing_item", "modify_order", "cancel_order",
    "request_return_exchange", "ask_refund_status", "request_repair",
}  # fmt: skip


def shopper_says(db, text: str, conversation: str = "teach-1") -> int:
    return post(db, conversation, Sender.SHOPPER, text).id


def test_the_bots_intents_are_the_taxonomys_names():
    assert set(bot_intents()) == TAXONOMY_INTENTS


def test_an_agent_marks_a_misunderstood_message_with_the_intent_it_should_have_had(db):
    message = shopper_says(db, "我买的东西咋还没动静")
    taught = teach(db, message, "客服小美", intent="report_delivery_delay")
    row = taught.correction
    assert (row.intent, row.faq_topic, row.author) == ("report_delivery_delay", None, "客服小美")
    assert (row.text, row.conversation_id, row.replaced) == ("我买的东西咋还没动静", "teach-1", 0)
    assert taught.replaced is None


def test_a_faq_topic_makes_the_intent_faq(db):
    message = shopper_says(db, "不满九十九要几块邮费")
    row = teach(db, message, "客服小美", faq_topic="shipping_fee").correction
    assert (row.intent, row.faq_topic) == ("faq", "shipping_fee")


def test_a_later_correction_of_the_same_message_replaces_the_first(db):
    message = shopper_says(db, "这个能开专票不")
    teach(db, message, "客服小美", intent="ask_product_info")
    again = teach(db, message, "店长老陈", faq_topic="invoice")
    assert again.replaced == ("ask_product_info", None)
    stored = db.query(Correction).filter_by(message_id=message).all()
    assert len(stored) == 1
    assert (stored[0].intent, stored[0].faq_topic, stored[0].author) == (
        "faq",
        "invoice",
        "店长老陈",
    )
    assert stored[0].replaced == 1


@pytest.mark.parametrize(
    ("intent", "topic", "refusal"),
    [
        (None, None, Refusal.NO_LABEL),
        ("track_my_parcel", None, Refusal.UNKNOWN_INTENT),
        (None, "no_such_topic", Refusal.UNKNOWN_TOPIC),
        ("track_order", "shipping_fee", Refusal.TOPIC_NOT_FAQ),
    ],
)
def test_a_label_the_bot_does_not_know_is_refused(db, intent, topic, refusal):
    message = shopper_says(db, "在吗")
    with pytest.raises(CorrectionError) as refused:
        teach(db, message, "客服小美", intent=intent, faq_topic=topic)
    assert refused.value.refusal is refusal
    assert db.query(Correction).filter_by(message_id=message).count() == 0


def test_only_a_shoppers_message_can_be_corrected(db):
    bot_line = post(db, "teach-2", Sender.BOT, "您好，请问有什么可以帮您？").id
    with pytest.raises(CorrectionError) as refused:
        teach(db, bot_line, "客服小美", intent="greet")
    assert refused.value.refusal is Refusal.NOT_SHOPPER
    with pytest.raises(CorrectionError) as missing:
        teach(db, 987654321, "客服小美", intent="greet")
    assert missing.value.refusal is Refusal.NO_MESSAGE


def test_the_copied_text_is_one_line_of_at_most_500_characters(db):
    message = shopper_says(db, "快递\n到哪了" + "啊" * 700)
    row = teach(db, message, "客服小美", intent="track_order").correction
    assert len(row.text) == TEXT_MAX
    assert row.text.startswith("快递 到哪了啊")


def test_the_export_is_rasa_nlu_data_with_faq_topics_under_the_faq_intent(db):
    teach(db, shopper_says(db, "东西到哪了呀"), "客服小美", intent="track_order")
    teach(db, shopper_says(db, "东西到哪了呀", "teach-3"), "客服小美", intent="track_order")
    teach(db, shopper_says(db, "不满99要运费吗"), "客服小美", faq_topic="shipping_fee")
    teach(db, shopper_says(db, "能开公司抬头吗"), "客服小美", faq_topic="invoice")
    text = nlu_yaml(corrections(db))
    data = yaml.safe_load(text)
    assert data["version"] == "3.1"
    blocks = [(b["intent"], b["examples"]) for b in data["nlu"]]
    assert blocks == [
        ("faq", "- 能开公司抬头吗\n"),
        ("faq", "- 不满99要运费吗\n"),
        ("track_order", "- 东西到哪了呀\n"),  # the same words twice: one example
    ]
    assert "# FAQ topic: invoice\n- intent: faq" in text
    assert "# FAQ topic: shipping_fee\n- intent: faq" in text


def test_an_export_without_corrections_is_still_valid_nlu_data():
    assert yaml.safe_load(nlu_yaml([])) == {"version": "3.1", "nlu": []}


def test_the_command_writes_the_export_to_the_file_it_is_given(db, tmp_path, monkeypatch, capsys):
    teach(db, shopper_says(db, "我要找你们老板"), "客服小美", intent="request_human")
    out = tmp_path / "corrections.yml"
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # nothing cached under bot/data
    monkeypatch.setattr(sys, "argv", ["bot.data", "corrections", "--out", str(out)])
    with pytest.raises(SystemExit) as done:
        runpy.run_module("bot.data", run_name="__main__")
    assert done.value.code == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert {"intent": "request_human", "examples": "- 我要找你们老板\n"} in data["nlu"]
    assert "wrote" in capsys.readouterr().out


def test_the_command_refuses_to_write_into_the_bots_own_training_data(db, monkeypatch):
    data_dir = Path(__file__).resolve().parents[2] / "bot" / "data"
    target = data_dir / "corrections.yml"
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    monkeypatch.setattr(sys, "argv", ["bot.data", "corrections", "--out", str(target)])
    with pytest.raises(SystemExit) as done:
        runpy.run_module("bot.data", run_name="__main__")
    assert done.value.code == 2
    assert not target.exists()
