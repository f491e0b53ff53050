"""Pre-sale questions answered from the catalogue: facts, stock, price and size advice."""

from abc import ABC, abstractmethod

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.common import HUMAN_BUTTON, conversation_product
from core.database import session_scope
from shop.models import Product
from shop.presale import (
    advise_size,
    attribute_answer,
    matching_variants,
    named_variant_terms,
    parse_height_cm,
    parse_weight_kg,
)

LOW_STOCK = 5
PRODUCT_NOT_FOUND = (
    "抱歉，您说的这款商品本店暂时没有找到，可能没有在卖。您可以告诉我想要什么类型的，"
    "或者转人工客服帮您看看店里有没有相近的款。"
)


def _names_a_product(tracker: Tracker) -> bool:
    """Whether the shopper's message names a product (one the catalogue may not have)."""
    return any(e.get("entity") == "product" for e in tracker.latest_message.get("entities", []))


class _ProductAction(Action, ABC):
    """Finds the product, or asks which one; subclasses answer about it."""

    @abstractmethod
    def answer(self, product: Product, tracker: Tracker, dispatcher: CollectingDispatcher) -> None:
        """Tell the shopper about `product`."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        with session_scope() as session:
            product = conversation_product(session, tracker)
            if product is None and _names_a_product(tracker):
                dispatcher.utter_message(text=PRODUCT_NOT_FOUND, buttons=[HUMAN_BUTTON])
                return []
            if product is None:
                dispatcher.utter_message(response="utter_ask_which_product")
                return []
            self.answer(product, tracker, dispatcher)
            return [SlotSet("current_product", product.code)]


class ActionAnswerProductInfo(_ProductAction):
    def name(self) -> str:
        return "action_answer_product_info"

    def answer(self, product: Product, tracker: Tracker, dispatcher: CollectingDispatcher) -> None:
        found = attribute_answer(product, tracker.latest_message.get("text") or "")
        if found is None:
            dispatcher.utter_message(
                text=f"关于「{product.name}」的这个问题，商品详情里暂时没有写明，我不想给您说错。"
                "可以帮您转人工客服确认一下，您看可以吗？",
                buttons=[HUMAN_BUTTON],
            )
            return
        attribute, value = found
        dispatcher.utter_message(text=f"这款「{product.name}」的{attribute}：{value}。")


class ActionAnswerStock(_ProductAction):
    def name(self) -> str:
        return "action_answer_stock"

    def answer(self, product: Product, tracker: Tracker, dispatcher: CollectingDispatcher) -> None:
        # the product's own colours and sizes named in this message first, then the entities
        color, size = named_variant_terms(product, tracker.latest_message.get("text") or "")
        variants = matching_variants(
            product, color or tracker.get_slot("color"), size or tracker.get_slot("size")
        )
        if not variants:
            options = "、".join(v.label for v in product.variants[:8])
            dispatcher.utter_message(
                text=f"「{product.name}」没有这个规格哦，目前有：{options}。您想看哪一款？"
            )
            return
        lines = [f"「{product.name}」"]
        for variant in variants[:8]:
            if variant.stock > LOW_STOCK:
                state = "有货"
            elif variant.stock > 0:
                state = f"仅剩{variant.stock}件，喜欢的话尽快下单哦"
            elif variant.restock_date:
                day = variant.restock_date
                state = f"暂时售罄，预计{day.month}月{day.day}日补货"
            else:
                state = "暂时售罄，补货时间还没确定"
            lines.append(f"· {variant.label}：{state}")
        dispatcher.utter_message(text="\n".join(lines))


class ActionAnswerPrice(_ProductAction):
    def name(self) -> str:
        return "action_answer_price"

    def answer(self, product: Product, tracker: Tracker, dispatcher: CollectingDispatcher) -> None:
        text = f"「{product.name}」现在的价格是 ¥{product.price}"
        if product.original_price and product.original_price > product.price:
            text += f"（原价 ¥{product.original_price}）"
        text += "。"
        text += (
            f"当前活动：{product.promotion}。"
            if product.promotion
            else "这款目前没有额外的优惠活动，价格已经是店铺的实在价啦。"
        )
        dispatcher.utter_message(text=text)


class ActionAdviseSize(_ProductAction):
    def name(self) -> str:
        return "action_advise_size"

    def answer(self, product: Product, tracker: Tracker, dispatcher: CollectingDispatcher) -> None:
        text = tracker.latest_message.get("text") or ""
        height = parse_height_cm(tracker.get_slot("height")) or parse_height_cm(text)
        weight = parse_weight_kg(tracker.get_slot("weight")) or parse_weight_kg(text)
        if product.size_chart is None or product.size_chart.kind != "apparel":
            dispatcher.utter_message(
                text=f"「{product.name}」没有身高体重对照的尺码表，尺码信息可以看商品详情页，"
                "或者我帮您转人工客服确认。",
                buttons=[HUMAN_BUTTON],
            )
            return
        advice = advise_size(product, height, weight)
        if advice is None:
            dispatcher.utter_message(response="utter_ask_height_weight")
            return
        dispatcher.utter_message(text=f"{advice.reason}，建议您选 {advice.size} 码。")
