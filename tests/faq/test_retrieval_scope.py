"""An entry about some goods only (大家电 delivery, fresh fruit) never answers about others."""

import pytest
from pydantic import ValidationError

from faq.knowledge_base import read_yaml
from faq.retrieval import FaqIndex
from faq.schema import FaqEntryData
from shop.demo.seed import CATALOGUE_FILE, load_yaml

INDEX = FaqIndex(read_yaml())
UPSTAIRS = "老房子没电梯 我家在七楼 东西能帮我拿上楼吗"


def ids(result) -> list[str]:
    return [hit.entry.id for hit in result.hits]


def test_carrying_upstairs_with_no_goods_in_focus_may_get_the_large_appliance_entry():
    assert "large_item_delivery" in ids(INDEX.search(UPSTAIRS, k=3))


def test_the_large_appliance_entry_never_answers_about_an_order_of_shoes():
    result = INDEX.search(UPSTAIRS, k=3, categories=frozenset({"shoes"}))
    assert "large_item_delivery" not in ids(result)


def test_the_large_appliance_entry_still_answers_about_an_order_of_appliances():
    result = INDEX.search(UPSTAIRS, k=3, categories=frozenset({"appliances"}))
    assert ids(result)[0] == "large_item_delivery"


def test_an_order_with_goods_of_several_categories_keeps_the_entries_of_each():
    result = INDEX.search(UPSTAIRS, k=3, categories=frozenset({"shoes", "appliances"}))
    assert ids(result)[0] == "large_item_delivery"


def test_a_follow_up_is_not_led_by_the_memory_into_an_entry_about_other_goods():
    earlier = ["大家电送货上门吗"]
    result = INDEX.search("那要收楼层费吗", k=3, earlier=earlier, categories=frozenset({"books"}))
    assert "large_item_delivery" not in ids(result)


def test_fresh_fruit_entries_do_not_answer_about_a_phone():
    result = INDEX.search("路上会不会坏掉啊", k=3, categories=frozenset({"electronics"}))
    assert not {"cold_chain", "fresh_food_damage"} & set(ids(result))


def test_an_entry_without_a_scope_fits_every_product():
    entry = INDEX.entries[0]
    assert not entry.scope
    assert entry.fits(frozenset({"fresh"}))
    assert entry.fits(None)


def test_a_scoped_entry_fits_its_own_goods_and_a_conversation_about_no_goods():
    entry = FaqEntryData(
        id="demo",
        category="物流配送",
        question="大家电送上楼吗",
        answer="免费送货入户",
        scope=["appliances"],
    )
    assert entry.fits(None)
    assert entry.fits(frozenset({"appliances", "shoes"}))
    assert not entry.fits(frozenset({"shoes"}))


def test_the_shipped_entries_scope_only_to_the_demo_catalogue_s_category_codes():
    codes = {c["code"] for c in load_yaml(CATALOGUE_FILE)["categories"]}
    scoped = [e for e in INDEX.entries if e.scope]
    assert {"large_item_delivery", "cold_chain", "fresh_food_damage"} <= {e.id for e in scoped}
    assert all(set(e.scope) <= codes for e in scoped)


@pytest.mark.parametrize("code", ["生鲜", "Fresh", "fresh food", ""])
def test_a_category_answer_is_keyed_by_a_category_code_as_a_scope_is(code):
    with pytest.raises(ValidationError):
        FaqEntryData(
            id="demo",
            category="物流配送",
            question="发什么快递",
            answer="中通",
            category_answers={code: "顺丰冷链"},
        )


def test_the_shipped_category_answers_are_keyed_by_the_demo_catalogue_s_category_codes():
    codes = {c["code"] for c in load_yaml(CATALOGUE_FILE)["categories"]}
    assert all(set(e.category_answers) <= codes for e in INDEX.entries)
