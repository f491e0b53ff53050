"""Pre-sale answers reach the catalogue: several products asked at once are each answered, a
price asked for several (or a quantity) is totalled with the promotions, the basket keeps the
products added before, a spec asked as a size is answered, and a sold-out item says so."""

from bot.actions.case_questions import ActionAnswerOutOfScope
from bot.actions.faq import ActionAnswerFaq
from bot.actions.presale import ActionAdviseSize, ActionAnswerPrice, ActionAnswerProductInfo
from tests.bot.conftest import user_event


def _texts(dispatcher) -> list[str]:
    return [m.get("text") or "" for m in dispatcher.messages]


def _focus(*codes: str) -> list[dict]:
    """The product-focus slots a conversation about `codes` (in that order) set."""
    return [{"event": "slot", "name": "current_product", "value": code} for code in codes]


async def test_two_products_in_one_question_are_each_answered(db, dispatcher, tracker_with):
    text = "安克充电宝跟绿联充电器 哪个能给轻薄本充电"
    tracker = tracker_with(text=text, intent="ask_product_info")
    events = await ActionAnswerProductInfo().run(dispatcher, tracker, {})
    texts = _texts(dispatcher)
    assert len(texts) == 2
    assert "安克" in texts[0]
    assert "绿联" in texts[1]
    assert "MacBook Air" in texts[1]
    focus = [e["value"] for e in events if e.get("name") == "current_product"]
    assert focus[-1] == "P3004"


async def test_two_products_named_alone_get_the_last_question_each(db, dispatcher, tracker_with):
    tracker = tracker_with(
        {"current_product": "P5001", "product_question": ["ask_product_info", "电饭煲几瓦"]},
        text="那炸锅和热水壶呢",
        intent="ask_product_info",
    )
    await ActionAnswerProductInfo().run(dispatcher, tracker, {})
    assert _texts(dispatcher) == [
        "这款「九阳 可视空气炸锅 5.5L 家用大容量 无需翻面 KL55-VF535」的功率：1500W。",
        "这款「小熊 电热水壶 1.7L 304不锈钢 双层防烫 家用烧水壶」的功率：1800W。",
    ]


async def test_a_book_added_keeps_the_earlier_one_in_the_basket(db, dispatcher, tracker_with):
    earlier = [{"event": "session_started"}, user_event("三体多少钱", "ask_price_promotion")]
    tracker = tracker_with(
        {"current_product": "P7001"},
        text="我再加本活着 用上满减一共多少",
        intent="ask_price_promotion",
        earlier=[*earlier, *_focus("P7001")],
    )
    await ActionAnswerPrice().run(dispatcher, tracker, {})
    text = _texts(dispatcher)[0]
    assert "¥115.80" in text
    assert "¥65.80" in text


async def test_a_price_follow_up_on_a_basket_prices_the_basket_again(db, dispatcher, tracker_with):
    tracker = tracker_with(
        {
            "current_product": "P7002",
            "product_question": ["ask_price_promotion", "我再加本活着 一共多少"],
        },
        text="满减能用上吗",
        intent="ask_price_promotion",
        earlier=[{"event": "session_started"}, *_focus("P7001", "P7002")],
    )
    await ActionAnswerPrice().run(dispatcher, tracker, {})
    assert "¥65.80" in " ".join(_texts(dispatcher))


async def test_both_bought_gets_the_total_and_each_warranty(db, dispatcher, tracker_with):
    tracker = tracker_with(
        {"current_product": "P3004"},
        text="两个都要的话多少钱 质保多长时间",
        intent="ask_price_promotion",
        earlier=[{"event": "session_started"}, *_focus("P3003", "P3004")],
    )
    await ActionAnswerPrice().run(dispatcher, tracker, {})
    texts = _texts(dispatcher)
    assert "¥268.00" in texts[0]
    assert sum("保修：18个月" in t for t in texts[1:]) == 2


async def test_a_quantity_asked_with_a_policy_question_is_priced_first(
    db, dispatcher, tracker_with
):
    tracker = tracker_with(
        text="给我妈寄过去 要三箱一共多少钱",
        intent="faq",
        earlier=[{"event": "session_started"}, user_event("赣南脐橙能发到成都吗", "faq")],
    )
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    first = _texts(dispatcher)[0]
    assert "赣南脐橙" in first
    assert "买3箱" in first
    assert "¥169.70" in first


async def test_a_spec_asked_as_a_size_is_answered_from_the_catalogue(db, dispatcher, tracker_with):
    tracker = tracker_with(text="科沃斯扫地机 我家门槛3公分能上去不", intent="ask_size_advice")
    await ActionAdviseSize().run(dispatcher, tracker, {})
    assert "越障高度：2cm" in _texts(dispatcher)[0]


async def test_an_item_the_page_will_not_sell_is_said_sold_out_with_its_restock(
    db, dispatcher, tracker_with
):
    tracker = tracker_with(text="猜猜我有多爱你 为啥下不了单", intent="out_of_scope")
    await ActionAnswerOutOfScope().run(dispatcher, tracker, {})
    text = _texts(dispatcher)[0]
    assert "暂时售罄" in text
    assert "补货" in text
