"""Under warranty, the remedy offered is the product's own rule: the 绿联 charger's 保修 says
质量问题只换不修, so it is offered a free exchange (换新), never a free repair; the band in the
same order, whose rule says nothing else, keeps the repair."""

import uuid

import pytest

from bot.actions.order_lookup import ActionAnswerPendingRequest, ActionHandleOrderRequest
from shop import aftersales
from shop.models import Product
from tests.bot.conftest import demo_order, make_tracker, order_in, user_event

TWO_ITEMS = "P3005-BK"  # the demo order in warranty: the 绿联 charger (只换不修) and a band


def _asking(text: str):
    order_no, tail = demo_order("in_warranty", TWO_ITEMS)
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail},
        text=text, intent="request_repair",
        earlier=[user_event(text, "request_repair")],
    )  # fmt: skip
    tracker.sender_id = uuid.uuid4().hex
    return tracker


@pytest.mark.parametrize(
    "text",
    ["绿联充电头坏了 插上没反应", "那个充电器不充电了 保修吗", "65W充电头坏了能换吗", "快充头坏了"],
)
async def test_a_charger_whose_warranty_is_exchange_only_is_offered_an_exchange_not_a_repair(
    dispatcher, text
):
    await ActionHandleOrderRequest().run(dispatcher, _asking(text), {})
    offer = dispatcher.messages[0]["text"]
    assert "保修18个月" in offer
    assert "只换不修" in offer
    assert "换新" in offer
    assert "维修" not in offer


async def test_the_exchange_only_charger_confirmed_goes_to_an_agent_as_an_exchange(dispatcher):
    tracker = _asking("绿联充电头坏了")
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    tracker.slots["pending_request"] = "request_repair"
    tracker.events.append({"event": "action", "name": "action_handle_order_request"})
    tracker.events.append(user_event("确认", "affirm"))
    tracker.latest_message.update(text="确认", intent={"name": "affirm", "confidence": 1.0})
    await ActionAnswerPendingRequest().run(dispatcher, tracker, {})
    passed_on = dispatcher.messages[-1]["text"]
    assert "安排换新" in passed_on
    assert "维修" not in passed_on


async def test_the_band_in_the_same_order_keeps_the_free_repair_its_rule_gives(dispatcher):
    await ActionHandleOrderRequest().run(dispatcher, _asking("小米手环充不进电了"), {})
    offer = dispatcher.messages[0]["text"]
    assert "免费维修" in offer
    assert "只换不修" not in offer


def test_the_remedy_is_read_from_each_products_own_warranty_rule(db):
    order = order_in(db, "in_warranty", which=1)
    remedies = {
        item.variant.product.code: aftersales.warranty_remedy(item.variant.product)
        for item in order.items
    }
    assert remedies == {
        "P3004": aftersales.WarrantyRemedy.EXCHANGE,
        "P3005": aftersales.WarrantyRemedy.REPAIR,
    }
    assert aftersales.warranty_remedy(Product(attributes={})) == aftersales.WarrantyRemedy.REPAIR
