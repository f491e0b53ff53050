"""The review worklist in the browser: an agent fixes a reply draft the checker refused and
approves it; an offer above the threshold waits for a supervisor, who approves it; the queues
and the bot's corrections. Reviews are stored with unique ids in units of work that commit
(the live server reads the same database); screenshots go to docs/screenshots/."""

from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import select

from accounts.models import Role
from conversations.corrections import teach
from conversations.models import Sender
from conversations.service import post
from core.database import unit_of_work
from recurring.service import consume_all
from reviews.handling import handled
from reviews.importer import ReviewRow
from reviews.models import OfferState, ReplyState
from reviews.service import store_reviews
from shop.models import Order
from tests.e2e.conftest import login

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
BLAMING = "亲，这是您自己使用不当造成的，不是我们的问题，请不要乱评。"
APOLOGY = "非常抱歉给您带来不好的体验！我们已安排专人联系您处理，请留意消息，感谢您的反馈。"


def stored_review(text: str, rating: int = 1, **kw) -> int:
    with unit_of_work() as session:
        row = ReviewRow(
            line=1,
            platform="jd",
            review_id=f"e2e-{uuid4().hex[:12]}",
            text=text,
            rating=rating,
            **kw,
        )
        (stored,) = store_reviews(session, [row])
        session.flush()
        return stored.review.id


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(200)  # fonts and the last paint
    page.screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.fixture
def agent_page(staff_context, live_server):
    page = staff_context().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, live_server, Role.AGENT, next_path="/desk/reviews")
    yield page
    assert errors == []


def test_an_agent_fixes_a_reply_draft_that_failed_the_checker_and_approves_it(
    agent_page, live_server
):
    number = stored_review("质量太差了，穿一次就起球，客服还爱答不理", product_name="纯棉T恤")
    page = agent_page
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server}/desk/reviews")
    page.wait_for_selector(f"tr[data-number='{number}']")
    shot(page, "review-worklist")

    page.click(f"tr[data-number='{number}'] a")
    page.wait_for_selector("#review-text mark")  # the evidence, highlighted
    page.fill("#reply-text", BLAMING)
    page.click("#reply-save")
    verdict = page.locator("#reply-verdict")
    verdict.locator(".bad-text").wait_for()
    assert "检查未通过" in verdict.inner_text()
    assert verdict.locator(".preview mark").count() >= 2  # 您自己, 不是我们的问题, 乱评
    assert page.locator("#reply-approve").is_disabled()
    shot(page, "review-detail")

    page.fill("#reply-text", APOLOGY)
    page.click("#reply-save")
    verdict.locator(".ok-text").wait_for()
    assert page.locator("#reply-approve").is_enabled()
    page.click("#reply-approve")
    page.wait_for_selector("#reply-approve", state="hidden")
    page.evaluate("window.scrollTo(0, 0)")
    assert "客服小美" in page.inner_text("#reply-decided")

    with unit_of_work() as session:
        reply = handled(session, number).reply
        assert (reply.state, reply.text, reply.decided_by) == (
            ReplyState.APPROVED,
            APOLOGY,
            "客服小美",
        )


def test_a_supervisor_approves_an_offer_an_agent_may_not(agent_page, staff_context, live_server):
    with unit_of_work() as session:
        order = session.scalars(
            select(Order).where(Order.total_amount >= Decimal(150)).order_by(Order.id.desc())
        ).first()
        order_no = order.order_no
    number = stored_review("水果烂了好几个，不新鲜", rating=2, order_id=order_no)
    with unit_of_work() as session:
        assert handled(session, number).offer.needs_approval  # above the threshold

    agent_page.goto(f"{live_server}/desk/reviews/{number}")
    agent_page.wait_for_selector("#offer-waits")
    assert "主管" in agent_page.inner_text("#offer-waits")
    assert agent_page.locator("#offer-approve").is_disabled()

    boss = staff_context().new_page()
    login(boss, live_server, Role.SUPERVISOR, next_path="/desk/reviews")
    boss.on("dialog", lambda dialog: dialog.accept())
    boss.goto(f"{live_server}/desk/reviews/{number}")
    boss.wait_for_selector("#needs-supervisor")
    assert boss.locator("#offer-waits").count() == 0
    boss.click("#offer-approve")
    boss.wait_for_selector("#offer-accepted")  # approved: now the customer's answer
    assert "店长老陈" in boss.inner_text("#offer-body")

    with unit_of_work() as session:
        offer = handled(session, number).offer
        assert (offer.state, offer.decided_by) == (OfferState.APPROVED, "店长老陈")


def test_an_agent_sees_a_recurring_issue_with_its_trend_and_acknowledges_it(
    agent_page, live_server
):
    product = f"E2E-{uuid4().hex[:6]}"
    for text in (
        "衣服质量太差，洗一次就起球",
        "质量很差，线头到处都是",
        "做工粗糙质量差，不值这个价",
    ):
        stored_review(text, rating=1, product_id=product, product_name="纯棉T恤")
    consume_all()
    page = agent_page
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server}/desk/queues?queue=product")
    card = page.locator(".queue-item", has_text=product).first
    card.wait_for()
    assert card.locator("svg.sparkline polyline").count() == 1
    assert card.locator("a[href^='/desk/reviews/']").count() == 3
    shot(page, "queues")
    card.locator("[data-action=acknowledge]").click()
    card.locator("[data-action=acknowledge]").wait_for(state="detached")
    card.locator("input[aria-label='指派给']").fill("品控小张")
    card.locator("form.inline-form button").click()
    card.get_by_text("负责人：品控小张").wait_for()


@pytest.fixture
def corrections_api():
    from api.main import app
    from api.routes import bot_corrections

    if not any(getattr(r, "path", "").startswith("/api/bot-corrections") for r in app.routes):
        app.include_router(bot_corrections.router)  # until api/main.py registers it


def test_an_admin_sees_what_agents_taught_the_bot(staff_context, live_server, corrections_api):
    payload = "<img src=x onerror=alert(1)>到哪了"
    with unit_of_work() as session:
        message = post(session, f"e2e-{uuid4().hex[:8]}", Sender.SHOPPER, payload)
        teach(session, message.id, "客服小美", intent="track_order")
        other = post(session, f"e2e-{uuid4().hex[:8]}", Sender.SHOPPER, "不满99块要几块运费呀")
        teach(session, other.id, "客服小美", faq_topic="shipping_fee")
    page = staff_context().new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    login(page, live_server, Role.ADMIN, next_path="/admin/corrections")
    page.goto(f"{live_server}/admin/corrections")
    page.wait_for_selector("#rows td.text")
    assert page.locator("#rows td.text", has_text=payload).count() == 1
    assert page.locator("#rows img").count() == 0
    shot(page, "corrections")
    assert dialogs == []
