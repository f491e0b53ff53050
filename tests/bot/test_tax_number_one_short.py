"""A tax number typed a character short or long in the invoice talk: said plainly to be one
short (or long), and words about its characters (少一位, 多打了一位) are about the number, never
a missing item; the corrected number keeps the company title given before and is said back for
a yes (shop/invoice_reading.py `read_tax_no`, bot/actions/order_requests.py `asked`)."""

import pytest

from bot.actions.order_lookup import ActionHandleOrderRequest
from bot.actions.order_requests import asked_request
from shop.invoice_reading import read_invoice_wish, read_tax_no, tax_no_check_character
from shop.models import InvoiceStatus
from tests.bot.test_typed_invoice_details import (
    Chat,
    _asked_about_invoice,
    _invoices,
    _slots,
    _typed,
    _yes,
)

FIRST17 = "91510104MA6DGW8L7"
CODE = FIRST17 + tax_no_check_character(FIRST17)
ONE_SHORT = CODE[:-2] + CODE[-1]  # the 17th character left out
COMPANY = "成都锦程恒信商贸有限公司"


# --- reading the number -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "length"),
    [
        (f"税号：{ONE_SHORT} 3614014193141705 尾号1193", 17),  # the order number after it
        (f"抬头 {COMPANY} 税号 {CODE}X", 19),
        (f"税号{CODE[:15]}", 15),
        (f"税号 {CODE}AB", 20),
    ],
)
def test_a_tax_number_a_few_characters_short_or_long_is_read_with_its_length(text, length):
    assert read_tax_no(text) == (None, length)


def test_a_tax_number_followed_by_an_order_number_is_not_run_together_with_it():
    assert read_tax_no(f"税号 {CODE} 3614014193141705 尾号1193") == (CODE, None)
    assert read_tax_no(f"9151 0104 MA6D GW8L 7{CODE[-1]}") == (CODE, None)  # typed in groups
    assert read_tax_no("3614014193141705 尾号1193") == (None, None)  # an order number alone


# --- in the invoice talk ------------------------------------------------------------------------


async def _company_one_short(chat: Chat, dispatcher) -> None:
    await _asked_about_invoice(chat, "之前开的个人发票 能换成公司抬头吗 报销用", dispatcher)
    dispatcher.messages.clear()
    await _typed(chat, f"抬头：{COMPANY} 税号：{ONE_SHORT}", dispatcher)
    chat.events.append({"event": "action", "name": "action_listen"})


async def test_a_tax_number_one_short_is_said_to_be_one_short(db, dispatcher):
    chat = Chat("returnable")
    await _company_one_short(chat, dispatcher)
    said = dispatcher.messages[-1]["text"]
    assert "17位" in said
    assert "少了一位" in said
    assert "还差公司的税号" not in said
    assert len(_invoices(db, chat.order_no)) == 1  # nothing asked for


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        (f"少一位？我看看 {CODE}", "report_wrong_or_missing_item"),
        (f"哦 少打了一位 {CODE}", "report_wrong_or_missing_item"),
        (f"不好意思 漏了一位 应该是{CODE}", "request_return_exchange"),
        (f"{CODE} 这回对了吧", "report_wrong_or_missing_item"),
        (f"看错了一位 是{CODE}", "report_damaged_item"),
    ],
)
async def test_the_number_corrected_in_the_invoice_talk_is_said_back_with_the_company_given_before(
    db, dispatcher, text, intent
):
    chat = Chat("returnable")
    await _company_one_short(chat, dispatcher)
    chat.says(text, intent)
    assert asked_request(chat.tracker())[0] == "invoice"  # the number, not a missing item

    dispatcher.messages.clear()
    events = await chat.run(ActionHandleOrderRequest(), dispatcher)
    said = dispatcher.messages[-1]["text"]
    assert COMPANY in said
    assert CODE in said
    assert "少发" not in said
    assert _slots(events)["pending_request"] == "invoice"
    assert [i.status for i in _invoices(db, chat.order_no)] == [InvoiceStatus.ISSUED]

    await _yes(chat, dispatcher)
    old, new = _invoices(db, chat.order_no)
    assert (old.status, new.title, new.tax_no) == (InvoiceStatus.VOIDED, COMPANY, CODE)


async def test_the_whole_number_typed_again_as_data_keeps_the_company_given_before(db, dispatcher):
    chat = Chat("returnable")
    await _company_one_short(chat, dispatcher)
    dispatcher.messages.clear()
    events = await _typed(chat, f"税号：{CODE}", dispatcher)
    said = dispatcher.messages[-1]["text"]
    assert COMPANY in said
    assert CODE in said
    assert _slots(events)["pending_request"] == "invoice"


async def test_asking_whether_it_is_one_short_without_the_number_is_answered_about_the_number(
    db, dispatcher
):
    chat = Chat("returnable")
    await _company_one_short(chat, dispatcher)
    chat.says("少一位？", "report_wrong_or_missing_item")
    dispatcher.messages.clear()
    events = await chat.run(ActionHandleOrderRequest(), dispatcher)
    said = dispatcher.messages[-1]["text"]
    assert "少了一位" in said
    assert "少发" not in said
    assert _slots(events)["pending_request"] is None


async def test_a_missing_item_after_the_invoice_talk_is_still_the_goods(db, dispatcher):
    chat = Chat("returnable")
    await _company_one_short(chat, dispatcher)
    chat.says("对了 包裹里还少了一件", "report_wrong_or_missing_item")
    assert asked_request(chat.tracker())[0] == "report_wrong_or_missing_item"


def test_words_about_the_number_alone_do_not_change_the_invoice_wish():
    assert read_invoice_wish("少一位？").tax_no is None
