"""Answer policy and how-to questions from the FAQ knowledge base (the same search as the API)."""

from rasa_sdk.events import EventType

from bot.actions.case_questions import answer_case_question
from bot.actions.common import Turn, TurnAction, earlier_texts, faq_answer
from bot.actions.order_services import note_need
from conversations.acknowledgement import AckAskOrder, asks_where_order_number
from faq.service import faq_search
from shop.case_questions import CaseQuestion, case_question
from words.render import Button

CLARIFY_OPTIONS = 2
# An answer less sure than this gives way to a question about the case open in the
# conversation (要多久 after a late parcel is not about refunds).
CASE_FIRST_BELOW = 0.8
# Questions only the open case answers, however sure the knowledge base is (照片怎么发: its
# photos; 会不会是分开发的: its parcels; 错的要寄回去吗: its return trip).
CASE_ONLY_QUESTIONS = frozenset(
    {CaseQuestion.PHOTO_UPLOAD, CaseQuestion.SPLIT_SHIPMENT, CaseQuestion.RETURN_TRIP}
)


class ActionAnswerFaq(TurnAction):
    """Answers when the knowledge base is sure; otherwise offers the likeliest questions."""

    def name(self) -> str:
        return "action_answer_faq"

    def act(self, turn: Turn) -> list[EventType]:
        earlier = earlier_texts(turn.tracker)  # 要多久 after a question about refunds: refunds
        result = faq_search.search(turn.session, turn.text, k=CLARIFY_OPTIONS, earlier=earlier)
        need = note_need(turn, result.hits[0].entry.id if result.hits else None)
        if need.taken:  # 发票开了没 / 我买的降价了: answered from the order, once verified
            return need.events
        if asks_where_order_number(turn.text):  # 订单号在哪里看: the steps, not the manual
            turn.say(AckAskOrder(where=True), buttons=[Button.HUMAN])
            return need.events
        sure = result.answered and result.hits[0].score >= CASE_FIRST_BELOW
        about_the_case = case_question(turn.text) in CASE_ONLY_QUESTIONS
        if (not sure or about_the_case) and answer_case_question(turn):  # 照片怎么发给你, 要多久
            return need.events
        if result.answered:
            turn.out.utter_message(text=faq_answer(turn, result.hits[0]))
            return need.events
        if result.hits:
            buttons = [
                {"title": h.entry.question, "payload": h.entry.question} for h in result.hits
            ]
            turn.out.utter_message(response="utter_faq_clarify", buttons=buttons)
        else:
            turn.utter("utter_faq_unknown", buttons=[Button.HUMAN])
        return need.events
