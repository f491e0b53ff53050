"""A second need named in the same message is offered once the first is answered, never dropped."""

import pytest

from bot.actions.common import read_other_needs
from bot.actions.faq import ActionAnswerFaq
from bot.actions.handoff import ActionHandOver
from bot.actions.order_changes import ActionAnswerDuringChange
from conversations.needs import Need
from tests.bot.conftest import SilentAnswer, demo_order, make_tracker, slots_set, user_event


async def test_a_policy_answer_is_followed_by_an_offer_to_track_the_parcel_too(
    dispatcher, tracker_with
):
    tracker = tracker_with(text="满多少包邮 还有我的快递到哪了", intent="faq")
    events = await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert "99" in dispatcher.messages[0]["text"]
    offer = dispatcher.messages[-1]
    assert "物流" in offer["text"]
    assert offer["buttons"] == [{"title": "查物流", "payload": "/track_order"}]
    assert slots_set(events)["later_needs"] is None


async def test_the_offer_is_made_once_per_message(dispatcher, tracker_with):
    tracker = tracker_with(
        {"needs_read_in": "1", "later_needs": None}, text="满多少包邮 还有快递到哪了", intent="faq"
    )
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert len(dispatcher.messages) == 1


async def test_a_need_named_earlier_is_offered_when_the_flow_that_served_the_first_ends(
    dispatcher, tracker_with
):
    earlier = [user_event("我的发票开了吗 物流也帮我看下", "faq")]
    tracker = tracker_with(
        {"needs_read_in": "1", "later_needs": ["tracking"]},
        text="发票怎么开",
        intent="faq",
        earlier=earlier,
    )
    events = await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert dispatcher.messages[-1]["buttons"] == [{"title": "查物流", "payload": "/track_order"}]
    assert slots_set(events)["needs_read_in"] == "2"
    assert slots_set(events)["later_needs"] is None


async def test_an_offer_waits_while_a_form_is_still_asking(dispatcher, tracker_with):
    tracker = tracker_with(
        text="满多少包邮 还有快递到哪了", intent="faq", active_loop="order_lookup_form"
    )
    events = await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert len(dispatcher.messages) == 1
    assert slots_set(events)["later_needs"] == ["tracking"]


async def test_a_handover_to_a_person_offers_nothing_more(dispatcher, tracker_with):
    tracker = tracker_with(text="转人工 发票也没开", intent="request_human")
    await ActionHandOver().run(dispatcher, tracker, {})
    assert all("您刚才还提到了" not in (m.get("text") or "") for m in dispatcher.messages)


async def test_a_message_a_form_took_is_read_by_the_next_action(dispatcher, tracker_with):
    earlier = [user_event("快递到哪了 发票开了吗", "track_order"), user_event("6384", "inform")]
    tracker = tracker_with({"needs_read_in": "0"}, text="满多少包邮", intent="faq", earlier=earlier)
    events = await ActionAnswerFaq().run(dispatcher, tracker, {})
    offer = dispatcher.messages[-1]
    assert offer["buttons"] == [{"title": "查发票", "payload": "我这单的发票开了吗"}]
    assert slots_set(events)["needs_read_in"] == "3"


async def test_a_policy_question_beside_a_request_is_answered_in_the_same_turn(
    dispatcher, tracker_with
):
    """Trials 20-23: a question the knowledge base is sure of was pushed to a button that
    repeated it ("clumsy echo button"); it is answered after the main answer instead."""
    tracker = tracker_with(text="我要改地址 顺便问下满多少包邮", intent="modify_order")
    events = await SilentAnswer().run(dispatcher, tracker, {})
    answer = dispatcher.messages[-1]
    assert answer["text"].startswith("另外您问的「运费怎么算？满多少包邮？」：\n")
    assert "99" in answer["text"]
    assert not answer["buttons"]
    assert slots_set(events)["later_needs"] is None


async def test_a_policy_question_the_request_itself_answers_is_not_offered(
    dispatcher, tracker_with
):
    tracker = tracker_with(text="我要退货 七天无理由怎么算", intent="request_return_exchange")
    await SilentAnswer().run(dispatcher, tracker, {})
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    "text", ["我空气炸锅今天在派送 我不在家 能放门卫吗", "明天不在家 放驿站可以吗"]
)
async def test_where_the_parcel_is_left_is_the_delivery_wish_itself_not_another_question(
    dispatcher, tracker_with, text
):
    """Trial 21, T694: 能放快递柜吗, passed on to the carrier as her wish, was then offered
    again as the signature policy's question."""
    tracker = tracker_with(text=text, intent="modify_order")
    await SilentAnswer().run(dispatcher, tracker, {})
    assert dispatcher.messages == []


async def test_a_policy_word_inside_the_one_question_is_not_offered_again(dispatcher, tracker_with):
    tracker = tracker_with(text="热水器安装要另外收钱不 普通插座能用吗", intent="ask_product_info")
    await SilentAnswer().run(dispatcher, tracker, {})
    assert dispatcher.messages == []


def test_the_need_an_answer_serves_is_read_with_the_goods_in_focus_as_the_answer_is(db):
    """On an appliance order the fresh-food entry never answers "收到有破损怎么处理", so the damage
    is not taken as served by it, and the return asked beside it is taken up, never dropped."""
    order_no, tail = demo_order("damaged_on_arrival", which=1)  # an appliance
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail},
        text="收到有破损怎么处理 我要退货",
        intent="faq",
    )
    needs, _entries, _events = read_other_needs(db, tracker)
    assert needs == [Need.RETURN]


async def test_a_late_dispatch_named_with_a_change_is_not_offered_once_the_tracking_answered_it(
    dispatcher,
):
    """Trial 16, T527: 还没发货吧 帮我把M换成L kept the late dispatch for later; 今天发的话明天能到
    吗 answered where the order is, and the change's 确认 still offered 物流."""
    order_no, tail = demo_order("awaiting_shipment")
    earlier = [user_event(f"{order_no} {tail} 还没发货吧 帮我把M换成L", "modify_order")]
    slots = {"verified_order_no": order_no, "needs_read_in": "1", "later_needs": ["delay"]}
    tracker = make_tracker(
        slots, "今天发的话明天能到吗", "track_order", "modify_order_form", earlier
    )
    events = await ActionAnswerDuringChange().run(dispatcher, tracker, {})
    assert order_no in dispatcher.messages[0]["text"]
    assert slots_set(events)["later_needs"] is None
