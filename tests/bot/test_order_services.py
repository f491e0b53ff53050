"""Invoices and 价保 on the shopper's own order: noticed in the FAQ question, answered from the
order once verified, carried out only on the shopper's yes."""

import copy
import uuid
from decimal import Decimal

import pytest
from rasa_sdk.events import FollowupAction
from sqlalchemy import func, select

from bot.actions.common import form_turn
from bot.actions.faq import ActionAnswerFaq
from bot.actions.invoice_form import ActionConfirmInvoice, ValidateInvoiceForm
from bot.actions.order_lookup import ActionAnswerPendingRequest, ActionHandleOrderRequest
from bot.actions.order_requests import asked_request
from shop.invoice_reading import tax_no_check_character
from shop.models import (
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    LogisticsCase,
    Order,
    PriceProtectionClaim,
)
from tests.bot.conftest import bot_said, demo_order, make_tracker, responses, user_event

CODE = "91330106MA2B3C4D5" + tax_no_check_character("91330106MA2B3C4D5")


OTHER_NEEDS = {"needs_read_in", "later_needs"}  # read on every turn (conversations.needs)


def _slots(events) -> dict:
    slots = (e for e in events if e.get("event") == "slot" and e["name"] not in OTHER_NEEDS)
    return {e["name"]: e["value"] for e in slots}


def _noted(need: str | None) -> dict:
    return {"event": "slot", "name": "order_need", "value": need}


def _verified(
    situation: str, words: str, need: str | None = None, intent: str = "faq", which: int = 0
):
    """A tracker whose order the lookup has just verified, after the shopper's `words` (and
    the need action_answer_faq noted from them)."""
    order_no, tail = demo_order(situation, which=which)
    earlier = [user_event(words, intent)] + ([_noted(need)] if need else [])
    earlier.append(user_event(order_no, "inform"))
    tracker = make_tracker(
        {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail,
         "order_need": need},
        text=tail, earlier=earlier,
    )  # fmt: skip
    tracker.sender_id = uuid.uuid4().hex
    return tracker, order_no


def _said_back_then(tracker, events, text: str, intent: str, by="action_handle_order_request"):
    """The tracker after `by` said the request back (its `events`: pending_request set) and
    the shopper answered `text`."""
    tracker.slots.update(_slots(events))  # pending_request, what was said back, the period
    tracker.events.append({"event": "action", "name": by})
    tracker.events.append({"event": "slot", "name": "order_need", "value": None})
    tracker.events.append({"event": "action", "name": "action_listen"})
    tracker.events.append(user_event(text, intent))
    tracker.latest_message = {"text": text, "intent": {"name": intent}, "entities": []}
    tracker.slots["order_need"] = None
    return tracker


def _order(db, order_no: str) -> Order:
    db.expire_all()
    return db.scalars(select(Order).where(Order.order_no == order_no)).one()


def _invoices(db, order_no: str) -> list[Invoice]:
    order = _order(db, order_no)
    return list(
        db.scalars(select(Invoice).where(Invoice.order_id == order.id).order_by(Invoice.id))
    )


# --- noticing the need in the FAQ question ------------------------------------------------------


async def test_an_invoice_question_about_the_order_notes_it_and_leaves_the_answer_to_the_order(
    db, dispatcher
):
    tracker = make_tracker(text="发票开了没有啊", intent="faq")
    events = await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert _slots(events) == {"order_need": "invoice"}
    assert responses(dispatcher) == ["utter_check_order_invoice"]  # no policy answer


async def test_an_already_verified_order_is_answered_without_a_word_in_between(db, dispatcher):
    tracker = make_tracker({"verified_order_no": "3185726049317726"}, "我买的降价了", "faq")
    events = await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert _slots(events) == {"order_need": "price_protection"}
    assert dispatcher.messages == []


async def test_a_policy_question_gets_the_faq_answer_and_forgets_an_old_need(db, dispatcher):
    tracker = make_tracker({"order_need": "invoice"}, text="价保多少天", intent="faq")
    events = await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert _slots(events)["order_need"] is None
    assert "30天" in dispatcher.messages[0]["text"]


async def test_a_company_invoice_without_its_details_starts_the_invoice_form(db, dispatcher):
    tracker = make_tracker(
        {"invoice_title": "旧的公司有限公司"}, text="帮我开公司抬头的发票", intent="faq"
    )
    events = await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert _slots(events) == {"order_need": "invoice_details", "invoice_title": None}
    assert responses(dispatcher) == ["utter_open_company_invoice"]


async def test_an_order_question_in_the_middle_of_a_change_gets_the_faq_answer(db, dispatcher):
    tracker = make_tracker(text="我的发票开了吗", intent="faq", active_loop="modify_order_form")
    events = await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert "order_need" not in _slots(events)
    assert dispatcher.messages[0]["text"]  # the policy answer; the change resumes


# --- answering from the verified order ------------------------------------------------------------


async def test_the_verified_orders_invoice_is_said_with_its_number(db, dispatcher):
    tracker, order_no = _verified("returnable", "发票开了没有啊", "invoice")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    [invoice] = _invoices(db, order_no)
    text = dispatcher.messages[0]["text"]
    assert invoice.invoice_no in text
    assert "dengjianhua@example.com" in text
    assert _slots(events)["order_need"] is None  # served
    assert _slots(events)["pending_request"] is None


async def test_an_invoice_question_taken_for_a_parcel_problem_never_opens_a_case(db, dispatcher):
    tracker, _ = _verified("wrong_item", "发票开了没有啊", intent="report_wrong_or_missing_item")
    assert asked_request(tracker) == ("invoice", "发票开了没有啊")
    cases = db.scalar(select(func.count()).select_from(LogisticsCase))
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert db.scalar(select(func.count()).select_from(LogisticsCase)) == cases
    assert "没有申请发票，现在可以帮您申请" in dispatcher.messages[0]["text"]
    titles = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert titles == ["帮我开个人抬头的发票", "帮我开公司抬头的发票"]


async def test_a_request_after_the_noted_need_is_the_one_answered(db, dispatcher):
    tracker, _ = _verified("returnable", "发票开了没有啊", "invoice")
    tracker.events.append(user_event("我的快递到哪了", "track_order"))
    assert asked_request(tracker)[0] == "track_order"


async def test_a_personal_invoice_is_said_back_and_asked_for_only_on_the_yes(db, dispatcher):
    tracker, order_no = _verified("not_returnable", "帮我开个人抬头的发票", "invoice")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert _slots(events)["pending_request"] == "invoice"
    asked = dispatcher.messages[0]
    assert "抬头：个人" in asked["text"]
    assert [b["payload"] for b in asked["buttons"]] == ["/affirm", "/deny"]
    assert _invoices(db, order_no) == []

    answered = _said_back_then(tracker, events, "确认", "affirm")
    await ActionAnswerPendingRequest().run(dispatcher, answered, {})
    [invoice] = _invoices(db, order_no)
    assert (invoice.title, invoice.status) == ("个人", InvoiceStatus.REQUESTED)
    assert "已经为订单" in dispatcher.messages[-1]["text"]


async def test_an_email_given_before_the_title_goes_with_the_invoice(db, dispatcher):
    tracker, order_no = _verified("not_returnable", "帮我开个人抬头的发票", "invoice")
    tracker.events.insert(0, user_event("发我邮箱 zm_chengdu@example.com", "inform"))
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert "zm_chengdu@example.com" in dispatcher.messages[0]["text"]
    answered = _said_back_then(tracker, events, "确认", "affirm")
    await ActionAnswerPendingRequest().run(dispatcher, answered, {})
    [invoice] = _invoices(db, order_no)
    assert invoice.email == "zm_chengdu@example.com"


async def test_a_no_to_the_invoice_said_back_asks_for_nothing(db, dispatcher):
    tracker, order_no = _verified("not_returnable", "帮我开个人抬头的发票", "invoice")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    answered = _said_back_then(tracker, events, "先不用了", "deny")
    await ActionAnswerPendingRequest().run(dispatcher, answered, {})
    assert responses(dispatcher)[-1] == "utter_request_kept"
    assert _invoices(db, order_no) == []


async def test_a_price_drop_is_said_back_and_refunded_on_the_yes(db, dispatcher):
    tracker, _ = _verified("price_dropped", "我买的降价了 能补差价吗", "price_protection")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert _slots(events)["pending_request"] == "price_protection"
    asked = dispatcher.messages[0]
    assert "¥60.00" in asked["text"]
    assert "确认申请价保吗" in asked["text"]
    assert db.scalar(select(func.count()).select_from(PriceProtectionClaim)) == 0

    answered = _said_back_then(tracker, events, "好的", "affirm")
    await ActionAnswerPendingRequest().run(dispatcher, answered, {})
    [claim] = db.scalars(select(PriceProtectionClaim)).all()
    assert claim.amount == Decimal("60.00")
    assert "已经为订单" in dispatcher.messages[-1]["text"]


async def test_a_yes_with_words_the_nlu_read_as_data_is_still_the_yes(db, dispatcher):
    # trial 19, T620: 对 两瓶都要 申请吧 (read as inform) got "what can I help with" and the
    # 价保 said back was dropped
    tracker, _ = _verified("price_dropped", "我买的降价了 能补差价吗", "price_protection")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    answered = _said_back_then(tracker, events, "对 两瓶都要 申请吧", "inform")
    done = await ActionHandleOrderRequest().run(dispatcher, answered, {})
    [claim] = db.scalars(select(PriceProtectionClaim)).all()
    assert claim.amount == Decimal("60.00")
    # no rule knows that turn: the bot listens next, never the fallback's 没太理解 after it
    assert FollowupAction("action_listen") in done


async def test_words_read_as_data_that_say_no_yes_keep_the_request_waiting(db, dispatcher):
    tracker, _ = _verified("price_dropped", "我买的降价了 能补差价吗", "price_protection")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    answered = _said_back_then(tracker, events, "两瓶的那个", "inform")
    dispatcher.messages.clear()
    later = await ActionHandleOrderRequest().run(dispatcher, answered, {})
    assert _slots(later)["pending_request"] == "price_protection"
    assert "还没有提交" in dispatcher.messages[-1]["text"]
    assert db.scalar(select(func.count()).select_from(PriceProtectionClaim)) == 0


async def test_a_flash_sale_is_explained_and_nothing_is_offered(db, dispatcher):
    tracker, _ = _verified("flash_sale_now", "我前天买的热水器现在便宜了", "price_protection")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert _slots(events)["pending_request"] is None
    assert "限时秒杀价" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[0]["buttons"] == []


# --- the invoice form ---------------------------------------------------------------------------


def _form_tracker(text: str, intent: str, requested: str, **slots):
    order_no, tail = demo_order("not_returnable")
    tracker = make_tracker(
        {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail,
         "requested_slot": requested, **slots},
        text=text, intent=intent, active_loop="invoice_form",
        earlier=[user_event("帮我开公司抬头的发票", "faq"), _noted("invoice_details")],
    )  # fmt: skip
    tracker.sender_id = uuid.uuid4().hex
    return tracker, order_no


async def _extract(slot: str, dispatcher, tracker):
    with form_turn():
        return await getattr(ValidateInvoiceForm(), f"extract_{slot}")(dispatcher, tracker, {})


async def test_the_title_and_tax_number_are_read_from_one_message(db, dispatcher):
    tracker, _ = _form_tracker(f"杭州悦达科技有限公司 税号{CODE}", "inform", "invoice_title")
    assert await _extract("invoice_title", dispatcher, tracker) == {
        "invoice_title": "杭州悦达科技有限公司"
    }
    assert await _extract("invoice_tax_no", dispatcher, tracker) == {"invoice_tax_no": CODE}


async def test_a_mistyped_tax_number_is_questioned_and_asked_again(db, dispatcher):
    tracker, _ = _form_tracker(f"{CODE[:-1]}0", "inform", "invoice_tax_no")
    assert await _extract("invoice_tax_no", dispatcher, tracker) == {"invoice_tax_no": None}
    assert "18位" in dispatcher.messages[0]["text"]


async def test_a_policy_question_while_the_form_asks_is_left_to_its_rule(db, dispatcher):
    tracker, _ = _form_tracker("税号在哪里查", "faq", "invoice_tax_no")
    assert await _extract("invoice_tax_no", dispatcher, tracker) == {}
    assert await _extract("invoice_title", dispatcher, tracker) == {}


async def test_the_company_invoice_is_said_back_after_the_form_and_asked_for_on_the_yes(
    db, dispatcher
):
    tracker, order_no = _form_tracker(
        CODE, "inform", "invoice_tax_no", invoice_title="杭州悦达科技有限公司", invoice_tax_no=CODE
    )
    events = await ActionConfirmInvoice().run(dispatcher, tracker, {})
    assert _slots(events)["pending_request"] == "invoice"
    assert "杭州悦达科技有限公司" in dispatcher.messages[0]["text"]
    assert CODE in dispatcher.messages[0]["text"]

    answered = _said_back_then(tracker, events, "确认", "affirm", by="action_confirm_invoice")
    await ActionAnswerPendingRequest().run(dispatcher, answered, {})
    [invoice] = _invoices(db, order_no)
    assert (invoice.title, invoice.tax_no) == ("杭州悦达科技有限公司", CODE)


async def test_an_invoice_reissued_too_often_ends_the_form_with_the_reason(db, dispatcher):
    order_no, tail = demo_order("in_warranty")
    tracker = make_tracker(
        {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail},
        text=tail, active_loop="invoice_form",
        earlier=[user_event("抬头开错了 帮我换开", "faq"), _noted("invoice_details")],
    )  # fmt: skip
    with form_turn():
        slots = await ValidateInvoiceForm().required_slots(
            ["order_id", "phone_tail", "invoice_title", "invoice_tax_no"], dispatcher, tracker, {}
        )
    assert slots == []
    events = await ActionConfirmInvoice().run(dispatcher, tracker, {})
    assert "换开过1次" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/request_human"
    assert _slots(events).get("pending_request") is None


async def test_the_kind_the_shopper_settles_on_last_is_the_one_said_back(db, dispatcher):
    tracker, _ = _form_tracker(
        f"那普票也行 杭州悦达科技有限公司 {CODE}", "inform", "invoice_tax_no",
        invoice_title="杭州悦达科技有限公司", invoice_tax_no=CODE,
    )  # fmt: skip
    tracker.events.insert(-1, user_event("能开专票吗", "faq"))  # asked about, then let go
    await ActionConfirmInvoice().run(dispatcher, tracker, {})
    said = dispatcher.messages[0]["text"]
    assert "普通发票" in said
    assert "专用发票" not in said


@pytest.mark.parametrize(
    "words",
    ["税号你们登记的是91510100MA6C8QW3XW对吧", "抬头是成都云帆信息技术有限公司没错吧"],
)
async def test_a_detail_checked_against_the_invoice_on_record_is_confirmed_not_changed(
    db, dispatcher, words
):
    tracker, order_no = _verified("in_transit", words, "invoice")  # a 专票 asked for, pending
    assert order_no == "6559797114710497"
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert "91510100MA6C8QW3XW" in text
    assert "请把公司全称和税号一起发给我" not in text
    assert _slots(events)["pending_request"] is None


@pytest.mark.parametrize("words", ["送货的时候要本人签收吗", "家里人代收可以吗"])
async def test_a_delivery_rule_asked_on_a_parcel_on_its_way_gets_the_rule_not_the_scans(
    db, dispatcher, words
):
    tracker, _ = _verified("in_transit", words, intent="track_order")
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert "代收" in text
    assert "最新物流" not in text


async def test_where_the_parcel_is_still_gets_the_scans(db, dispatcher):
    tracker, _ = _verified("in_transit", "快递到哪了", intent="track_order")
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert "最新物流" in dispatcher.messages[0]["text"]


async def test_a_request_for_a_company_invoice_names_no_title_and_a_later_one_is_read(
    db, dispatcher
):
    tracker, _ = _form_tracker("这单要开公司发票 普票就行", "faq", "invoice_title")
    assert await _extract("invoice_title", dispatcher, tracker) in ({}, {"invoice_title": None})
    tracker, _ = _form_tracker(
        f"抬头 西安青禾网络科技有限公司 税号 {CODE}",
        "inform",
        "invoice_tax_no",
        invoice_title="这单要开公司",
    )
    assert await _extract("invoice_title", dispatcher, tracker) == {
        "invoice_title": "西安青禾网络科技有限公司"
    }


async def test_the_yes_requests_exactly_the_invoice_said_back_even_when_it_names_nothing(
    db, dispatcher
):
    # trial 18 T576: a 专票 said back after the form, then "对 没错" requested a 普票
    details = f"刚才不是发过了吗 杭州悦达科技有限公司 税号{CODE} 专票"
    tracker, order_no = _form_tracker(
        details, "faq", "invoice_title", invoice_title="杭州悦达科技有限公司", invoice_tax_no=CODE
    )
    events = await ActionConfirmInvoice().run(dispatcher, tracker, {})
    assert "增值税专用发票" in dispatcher.messages[0]["text"]
    answered = _said_back_then(tracker, events, "对 没错", "affirm", by="action_confirm_invoice")
    await ActionAnswerPendingRequest().run(dispatcher, answered, {})
    [invoice] = _invoices(db, order_no)
    assert (invoice.kind, invoice.title) == (InvoiceKind.SPECIAL, "杭州悦达科技有限公司")


def test_an_invoice_said_back_on_one_order_is_never_what_a_yes_on_another_requests():
    from bot.actions.common import invoice_said_back

    said = {"order_no": "A1", "kind": "normal", "title_type": "personal", "title": "个人"}
    tracker = make_tracker({"invoice_said_back": said})
    assert invoice_said_back(tracker, "A1") is not None
    assert invoice_said_back(tracker, "B2") is None


@pytest.mark.parametrize(
    ("words", "changed"),
    [
        # trial 23, T772: the company title and tax number were asked for again
        ("就把接收邮箱改成 zhaomin.fin@example.com", ("email", "zhaomin.fin@example.com")),
        # trial 25, T861 t2: the invoice's status line was said again word for word
        ("正确的是91510100MAU3GXUNHJ 帮我改一下", ("tax_no", "91510100MAU3GXUNHJ")),
    ],
)
async def test_one_detail_changed_says_the_invoice_on_record_back_with_it(
    db, dispatcher, words, changed
):
    tracker, order_no = _verified("in_transit", words, "invoice")
    assert order_no == "6559797114710497"  # its 专票 is asked for, for 成都云帆信息技术有限公司
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    said = dispatcher.messages[0]["text"]
    assert changed[1] in said
    assert "成都云帆信息技术有限公司" in said
    assert "税号一起发给我" not in said
    answered = _said_back_then(tracker, events, "确认", "affirm")
    await ActionAnswerPendingRequest().run(dispatcher, answered, {})
    invoice = _invoices(db, order_no)[-1]
    assert (getattr(invoice, changed[0]), invoice.title) == (changed[1], "成都云帆信息技术有限公司")


async def test_a_question_about_the_invoice_while_it_waits_for_its_yes_is_answered_and_it_waits(
    db, dispatcher
):
    # trial 27, T952 t3 and T943 t4: 专票还要不要开户行 restarted the invoice, then said
    # 发票先不开了; 能开专票不 asked for the title already given
    tracker, order_no = _verified("not_returnable", "帮我开个人抬头的发票", "invoice")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    for words in ("专票还要不要开户行什么的 我们财务问的", "能开专票不 会计说专票好"):
        dispatcher.messages.clear()
        asked = _said_back_then(copy.deepcopy(tracker), events, words, "faq")
        answered = await ActionAnswerFaq().run(dispatcher, asked, {})
        said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
        assert "开户行及账号" in said
        assert "还没有提交" in said
        assert "先不开了" not in said
        assert not any(e.get("event") == "active_loop" for e in answered)
    assert _invoices(db, order_no) == []


def test_a_change_asked_right_after_the_invoice_talk_is_the_invoices():
    # trial 27, T946 t6: read as tracking, the order's delivery was answered
    tracker = _after_the_invoice_talk("上次是换过一次 这次还能换吗", "track_order")
    assert asked_request(tracker)[0] == "invoice"


def test_the_goods_named_after_the_invoice_talk_are_still_the_goods():
    tracker = _after_the_invoice_talk("这双鞋还能换吗", "track_order")
    assert asked_request(tracker)[0] == "track_order"


def _after_the_invoice_talk(text: str, intent: str):
    """The invoice asked for and submitted (its need done with), then `text` read as `intent`."""
    tracker, _ = _verified("returnable", "发票抬头开错了 能改成公司的吗", "invoice")
    tracker.events.append({"event": "action", "name": "action_confirm_invoice"})
    tracker.events.append(_noted(None))
    tracker.slots["order_need"] = None
    tracker.events.append({"event": "bot", "text": "已经为订单提交了换开申请"})
    tracker.events.append(user_event(text, intent))
    return tracker


async def _answered_while_said_back(
    dispatcher, told: tuple[str, str, str, int], pending: str, reply: tuple[str, str]
) -> list[dict]:
    """The events of the bot's answer to `reply` (text, intent) once the request the shopper
    `told` (situation, words, intent, which demo order) was said back as `pending`."""
    situation, words, intent, which = told
    tracker, _ = _verified(situation, words, intent=intent, which=which)
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert _slots(events)["pending_request"] == pending
    dispatcher.messages.clear()
    tracker = _said_back_then(tracker, events, *reply)
    return await ActionHandleOrderRequest().run(dispatcher, tracker, {})


async def test_why_a_supervisor_must_confirm_asked_while_a_case_waits_is_the_orders_value(
    db, dispatcher
):
    """Trial 28, T978 t4: 为什么还要主管确认 我明天就要用 (read as tracking) while the SSD's
    damage case waited for its yes got the parcel's signing status."""
    events = await _answered_while_said_back(
        dispatcher,
        ("damaged_on_arrival", "移动硬盘到了外壳裂了", "report_damaged_item", -1),  # the SSD, ¥599
        "case_damaged",
        ("为什么还要主管确认 我明天就要用", "track_order"),
    )
    said = bot_said(dispatcher)
    assert "300 元" in said
    assert "签收" not in said
    assert "pending_request" not in _slots(events)  # the case still waits for its yes


async def test_a_plea_to_a_paid_repair_said_back_is_heard_with_a_person_offered(db, dispatcher):
    """Trial 28, T984 t5: 就过了一个多月 我是钻石会员 通融一下 to the paid repair of a mouse out of
    warranty got the prompt to confirm alone."""
    events = await _answered_while_said_back(
        dispatcher,
        ("out_of_warranty", "鼠标滚轮坏了 去年买的", "request_repair", 0),
        "request_repair",
        ("就过了一个多月 我是钻石会员 通融一下", "inform"),
    )
    said = dispatcher.messages[-1]
    assert "您的心情我理解" in said["text"]
    assert "/request_human" in [b["payload"] for b in said["buttons"]]
    assert "pending_request" not in _slots(events)  # the repair still waits for its yes


async def test_a_yes_said_with_a_reproach_is_the_yes_not_a_plea(db, dispatcher):
    """The review of session 29: 取消 别家都降价了 to a cancel said back got the plea's answer."""
    await _answered_while_said_back(
        dispatcher,
        ("awaiting_shipment", "帮我取消这单", "cancel_order", 0),
        "cancel_order",
        ("取消 别家都降价了", "cancel_order"),
    )
    assert "您的心情我理解" not in bot_said(dispatcher)
