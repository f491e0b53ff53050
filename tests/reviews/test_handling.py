"""What is done about a negative review: drafts written with it, and each agent's step, as
typed events; nothing is approved that the checker or the approval rule refuses."""

from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm.exc import StaleDataError

from core.events import Event, EventName
from reviews import handling
from reviews.handling import HandlingError, Refusal
from reviews.importer import ReviewRow
from reviews.models import OfferState, ReplyState, ReviewOffer, ReviewReply
from reviews.offers import OfferRemedy
from reviews.replies import quotable_issue
from reviews.service import store_reviews
from shop.models import Order


def store(db, review_id: str, text: str, rating: int | None = 1, **kw):
    row = ReviewRow(line=1, platform="jd", review_id=review_id, text=text, rating=rating, **kw)
    (stored,) = store_reviews(db, [row])
    return stored.review


def events(db, review, *names: EventName) -> list[Event]:
    query = select(Event).where(Event.subject_id == str(review.id), Event.name.in_(names))
    return list(db.scalars(query.order_by(Event.id)))


def test_a_negative_review_is_stored_with_an_offer_and_a_checked_reply(db):
    review = store(db, "h1", "快递太慢了，等了一个星期才到", product_name="保温杯")
    case = handling.handled(db, review.id)
    assert case.offer.remedy is OfferRemedy.COUPON
    assert case.offer.state is OfferState.DRAFTED
    assert "保温杯" in case.offer.message
    assert not case.offer.message_violations
    assert case.reply.state is ReplyState.DRAFTED
    assert case.reply.violations == []
    quote = quotable_issue(case.analysis.evidence["logistics"])
    assert quote
    assert f"“{quote}”" in case.reply.text  # the reply names this review's own problem
    names = [e.name for e in events(db, review, *EventName)]
    assert EventName.REVIEW_OFFER_DRAFTED in names
    assert EventName.REVIEW_REPLY_DRAFTED in names


def test_a_positive_review_gets_no_drafts(db):
    review = store(db, "h2", "很好用，物流也快", rating=5)
    assert db.scalars(select(ReviewOffer).where(ReviewOffer.review_id == review.id)).first() is None
    assert db.scalars(select(ReviewReply).where(ReviewReply.review_id == review.id)).first() is None
    with pytest.raises(HandlingError) as refused:
        handling.handled(db, review.id)
    assert refused.value.refusal is Refusal.NOT_NEGATIVE


def test_an_edited_reply_is_checked_again_and_cannot_be_approved_with_violations(db):
    review = store(db, "h3", "质量太差了，用了两天就坏了")
    checked = handling.edit_reply(db, review.id, "亲，好评返现5元哦，我们是全网最好的店。", "alice")
    assert {v.kind.value for v in checked.violations} >= {"inducement", "absolute_claim"}
    with pytest.raises(HandlingError) as refused:
        handling.decide_reply(db, review.id, approve=True, agent="alice")
    assert refused.value.refusal is Refusal.REPLY_VIOLATIONS
    handling.edit_reply(db, review.id, "亲，非常抱歉商品出了问题，客服会尽快联系您处理。", "alice")
    reply = handling.decide_reply(db, review.id, approve=True, agent="alice")
    assert (reply.state, reply.decided_by, reply.edited_by) == (
        ReplyState.APPROVED,
        "alice",
        "alice",
    )
    names = [e.name for e in events(db, review, *EventName)]
    assert names.count(EventName.REVIEW_REPLY_EDITED) == 2
    assert EventName.REVIEW_REPLY_APPROVED in names


def test_an_approved_reply_cannot_be_edited_or_decided_again(db):
    review = store(db, "h4", "客服态度太差了")
    handling.decide_reply(db, review.id, approve=True, agent="bob")
    for step in (
        lambda: handling.edit_reply(db, review.id, "新的回复。", "bob"),
        lambda: handling.decide_reply(db, review.id, approve=False, agent="bob"),
    ):
        with pytest.raises(HandlingError) as refused:
            step()
        assert refused.value.refusal is Refusal.REPLY_DECIDED


def test_an_offer_above_the_threshold_needs_a_supervisor(db, seeded_at):
    order = db.scalars(select(Order).order_by(Order.total_amount.desc())).first()
    order.total_amount = Decimal(400)  # half of it, ¥200, is above the ¥50 threshold
    review = store(db, "h5", "烂了好几个，水果都不新鲜", rating=2, order_id=order.order_no)
    offer = handling.handled(db, review.id).offer
    assert (offer.remedy, offer.refund) == (OfferRemedy.PARTIAL_REFUND, Decimal(200))
    assert offer.needs_approval
    with pytest.raises(HandlingError) as refused:
        handling.decide_offer(db, review.id, approve=True, agent="alice", supervisor=False)
    assert refused.value.refusal is Refusal.NEEDS_SUPERVISOR
    approved = handling.decide_offer(db, review.id, approve=True, agent="sam", supervisor=True)
    assert approved.state is OfferState.APPROVED


def test_a_declined_offer_drafts_the_next_step_until_the_ladder_ends(db):
    review = store(db, "h6", "物流太慢了", rating=2)
    for step in (1, 2):
        offer = handling.handled(db, review.id).offer
        assert offer.step == step
        handling.decide_offer(db, review.id, approve=True, agent="alice", supervisor=False)
        following = handling.answer_offer(db, review.id, accepted=False, agent="alice")
    assert following is None  # every step declined: a supervisor takes it from there
    declined = events(db, review, EventName.REVIEW_OFFER_DECLINED)
    assert [e.agent for e in declined] == ["alice", "alice"]


def test_accepted_compensation_counts_against_the_customers_month(db, seeded_at):
    order = db.scalars(select(Order).order_by(Order.id)).first()
    first = store(db, "h7", "快递太慢了", order_id=order.order_no)
    handling.decide_offer(db, first.id, approve=True, agent="a", supervisor=False)
    handling.answer_offer(db, first.id, accepted=True, agent="a")
    second = store(db, "h8", "客服态度很差", order_id=order.order_no)
    offer = handling.handled(db, second.id).offer
    assert offer.needs_approval  # compensated within the last 30 days
    assert any(w["kind"] == "recent_compensation" for w in offer.why)


def test_an_offer_message_with_inducement_cannot_be_approved(db):
    review = store(db, "h9", "包装破了，里面的东西也压坏了")
    checked = handling.edit_offer_message(db, review.id, "给您补发，麻烦改成好评哦", "alice")
    assert [v.kind.value for v in checked.violations] == ["inducement"]
    with pytest.raises(HandlingError) as refused:
        handling.decide_offer(db, review.id, approve=True, agent="alice", supervisor=True)
    assert refused.value.refusal is Refusal.MESSAGE_VIOLATIONS


def test_the_first_contact_records_how_long_the_customer_waited(db):
    review = store(db, "h10", "质量很差")
    handling.record_contact(db, review.id, "alice", "phone", "已电话致歉")
    handling.record_contact(db, review.id, "alice", "chat", None)
    contacted = events(db, review, EventName.REVIEW_CUSTOMER_CONTACTED)
    assert contacted[0].value is not None
    assert contacted[0].value >= 0
    assert contacted[1].value is None
    with pytest.raises(ValueError, match="pigeon"):
        handling.record_contact(db, review.id, "alice", "pigeon", None)


def test_a_revision_is_recorded_with_the_old_and_new_rating(db):
    review = store(db, "h11", "发错货了", rating=1)
    handling.record_revision(db, review.id, "alice", rating=4)
    (revised,) = events(db, review, EventName.REVIEW_REVISED)
    assert revised.payload == {"rating": 4, "was": 1}


def test_a_review_stored_before_drafting_existed_is_drafted_when_first_opened(db):
    review = store(db, "h12", "快递员态度很差，还把包裹扔在门口")
    for table in (ReviewReply, ReviewOffer):
        for row in db.scalars(select(table).where(table.review_id == review.id)):
            db.delete(row)
    db.flush()
    case = handling.handled(db, review.id)
    assert case.offer is not None
    assert case.reply is not None
    assert case.reply.state is ReplyState.DRAFTED


def test_approving_redrafts_an_offer_that_the_caps_now_cut_and_refuses(db, seeded_at):
    order = db.scalars(select(Order).order_by(Order.id)).first()
    order.total_amount = Decimal(400)  # half of it, ¥200, is also the per-order cap
    first, second = (
        store(db, f"h{n}", "水果烂了好几个，不新鲜", rating=2, order_id=order.order_no)
        for n in (13, 14)
    )
    for review in (first, second):  # each draft saw the whole budget
        assert handling.handled(db, review.id).offer.refund == Decimal(200)
    handling.decide_offer(db, first.id, approve=True, agent="sam", supervisor=True)
    with pytest.raises(HandlingError) as refused:
        handling.decide_offer(db, second.id, approve=True, agent="sam", supervisor=True)
    assert refused.value.refusal is Refusal.BUDGET_CHANGED
    assert refused.value.keep  # the new draft is kept for the approver to see
    redrafted = handling.handled(db, second.id).offer
    assert (redrafted.state, redrafted.refund, redrafted.coupon) == (
        OfferState.DRAFTED,
        Decimal(0),
        Decimal(0),
    )
    assert any(w["kind"] == "capped" for w in redrafted.why)


def test_editing_an_approved_offers_message_sends_it_back_for_approval(db):
    review = store(db, "h15", "快递太慢了")
    handling.decide_offer(db, review.id, approve=True, agent="alice", supervisor=False)
    handling.edit_offer_message(db, review.id, "您好，给您发一张优惠券，实在抱歉。", "alice")
    offer = handling.handled(db, review.id).offer
    assert (offer.state, offer.decided_by) == (OfferState.DRAFTED, None)
    with pytest.raises(HandlingError) as refused:
        handling.answer_offer(db, review.id, accepted=True, agent="alice")
    assert refused.value.refusal is Refusal.OFFER_STATE


def test_a_decision_made_on_a_stale_read_is_refused(db):
    review = store(db, "h16", "客服态度很差")
    offer = handling.handled(db, review.id).offer
    db.execute(  # another agent's decision lands between this one's read and write
        update(ReviewOffer)
        .where(ReviewOffer.id == offer.id)
        .values(version=offer.version + 1)
        .execution_options(synchronize_session=False)
    )
    handling.decide_offer(db, review.id, approve=True, agent="alice", supervisor=False)
    with pytest.raises(StaleDataError):
        db.flush()


def test_stored_replies_to_one_problem_vary_as_they_come_in(db):
    rows = [
        ReviewRow(
            line=i, platform="jd", review_id=f"same-{i}", text="快递太慢了，等了好久", rating=2
        )
        for i in range(20)
    ]
    stored = store_reviews(db, rows)
    replies = [handling.handled(db, s.review.id).reply.text for s in stored]
    assert len(set(replies)) == 20
    sentences = Counter(s for r in replies for s in r.split("。") if s)
    assert sentences.most_common(1)[0][1] <= 3, sentences.most_common(3)
