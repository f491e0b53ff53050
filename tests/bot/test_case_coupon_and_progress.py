"""Inside a late parcel's case, the coupon it gives and what has come of it so far are
answered from the case (trial 17: 那个券有期限没有 got the review-inducement FAQ, 物流那边咋说 the
invoice FAQ)."""

import pytest

from bot.actions.fallback import ActionClarify
from shop.models import CaseKind
from shop.policy import load_policy
from tests.bot.conftest import DOMAIN, in_open_case, responses

CLARIFYING = {"utter_default", "utter_clarify_intent", "utter_clarify_options"}


def _in_late_parcel_case(db, text: str, intent: str = "nlu_fallback"):
    return in_open_case(db, "stalled", CaseKind.DELAYED, text, intent)


def _text(dispatcher) -> str:
    return "\n".join(str(m.get("text") or "") for m in dispatcher.messages)


@pytest.mark.parametrize("text", ["行吧 那个券有期限没有", "券能用多久", "那优惠券什么时候发给我"])
async def test_a_shopper_asking_about_the_cases_coupon_hears_its_amount_and_how_long_it_lasts(
    db, dispatcher, text
):
    tracker, _ = _in_late_parcel_case(db, text)
    await ActionClarify().run(dispatcher, tracker, DOMAIN)
    rule = load_policy().cases[CaseKind.DELAYED]
    said = _text(dispatcher)
    assert f"{rule.coupon_yuan}元优惠券" in said
    assert f"{rule.coupon_valid_days}天内有效" in said
    assert "好评" not in said
    assert not CLARIFYING.intersection(responses(dispatcher))


@pytest.mark.parametrize("text", ["物流那边咋说", "查到了吗", "快递那边有回复了没"])
async def test_a_shopper_asking_what_the_carrier_said_hears_the_latest_scan_and_the_answer_time(
    db, dispatcher, text
):
    tracker, order = _in_late_parcel_case(db, text)
    await ActionClarify().run(dispatcher, tracker, DOMAIN)
    said = _text(dispatcher)
    assert "目前还没有回复结果" in said
    assert order.latest_shipment.events[-1].description in said
    assert "前给您答复" in said
    assert "发票" not in said
