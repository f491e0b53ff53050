"""An admin adds a FAQ entry, finds it by asking as a shopper would, edits it (a bad edit is
explained, not saved), scopes it to some goods with an answer of their own, reads its revisions,
and deletes it."""

import uuid
from pathlib import Path

from accounts.models import Role
from tests.e2e.conftest import login

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_an_admin_adds_tries_edits_and_deletes_a_faq_entry(live_server, staff_context):
    entry_id = f"e2e_{uuid.uuid4().hex[:8]}"
    page = staff_context().new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, Role.ADMIN, next_path="/admin/faq")
    page.wait_for_selector("#faq-rows tr[data-id]")

    page.click("#faq-new")
    page.fill("#faq-form [name=id]", entry_id)
    page.fill("#faq-form [name=category]", "售后")
    page.fill("#faq-form [name=question]", "以旧换新的旧机怎么寄回")
    page.fill("#faq-form [name=variants]", "旧手机怎么寄\n以旧换新怎么寄回旧机")
    page.fill("#faq-form [name=answer]", "下单后7天内用顺丰到付寄回旧机，包装里附上订单号即可。")
    page.click("#faq-form button[type=submit]")
    page.wait_for_selector(f"#faq-rows tr[data-id='{entry_id}']")

    page.fill("#faq-try-q", "以旧换新的旧机怎么寄回")
    page.click("#faq-try button[type=submit]")
    page.wait_for_selector("#faq-try-results li.clickable:has-text('以旧换新的旧机怎么寄回')")

    page.fill("#faq-form [name=answer]", "寄回{no_such_fact}")  # quotes a fact the shop lacks
    page.click("#faq-form button[type=submit]")
    page.wait_for_selector("#faq-error:not([hidden])")
    said = page.inner_text("#faq-error")
    assert said.startswith("答案里的 {no_such_fact} 不是店铺信息")
    assert "unknown placeholder" not in said  # the Chinese half only
    page.fill("#faq-form [name=answer]", "下单后7天内用顺丰到付寄回旧机即可，运费由我们承担。")
    page.click("#faq-form button[type=submit]")
    page.wait_for_selector("#faq-revisions li:has-text('修改')")
    assert "运营小王" in page.inner_text("#faq-revisions")

    page.check("#faq-scope input[value=electronics]")
    page.click("#faq-category-answers summary")
    phones = "手机以旧换新：下单后7天内顺丰到付寄回旧机。"
    page.fill("textarea[data-category=electronics]", phones)
    page.click("#faq-form button[type=submit]")
    page.wait_for_selector("#faq-revisions li:nth-child(3)")
    saved = page.evaluate(f"() => fetch('/api/faq/{entry_id}').then((r) => r.json())")
    assert saved["scope"] == ["electronics"]
    assert saved["category_answers"] == {"electronics": phones}
    page.click("#faq-cancel")
    page.click(f"#faq-rows tr[data-id='{entry_id}']")  # opened again, the form shows both
    assert page.is_checked("#faq-scope input[value=electronics]")
    assert not page.is_checked("#faq-scope input[value=fresh]")
    assert page.input_value("textarea[data-category=electronics]") == phones
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / "admin-faq.png"))

    page.click("#faq-delete")
    page.wait_for_selector(f"#faq-rows tr[data-id='{entry_id}']", state="detached")
