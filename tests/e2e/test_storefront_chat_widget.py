"""The storefront chat widget in a phone-sized headless Chromium."""

import httpx
import pytest

from core.settings import PROJECT_ROOT

PHONE = {"width": 390, "height": 844}
AGENT_TOKEN = "e2e-agent-token"


@pytest.fixture
def page(browser, live_server, monkeypatch):
    from core.settings import get_settings

    monkeypatch.setitem(get_settings().admin_tokens, "客服小美", AGENT_TOKEN)
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server + "/")
    yield page
    context.close()


def _conversation_id(page) -> str:
    return page.evaluate("localStorage.getItem('kefu-conversation-id')")


def test_a_shopper_chats_with_the_bot_and_clicks_a_button_for_a_human(page, live_server):
    page.click("#chat-open")
    page.wait_for_selector(".msg.bot")  # the welcome line
    page.fill("#chat-input", "你好 在吗")
    page.press("#chat-input", "Enter")
    page.wait_for_selector("text=收到：你好 在吗")
    assert page.locator(".msg.shopper .bubble").first.inner_text() == "你好 在吗"

    page.locator(".buttons button", has_text="转人工客服").last.click()
    page.wait_for_selector("text=好的，马上为您转接人工客服。")
    assert page.locator(".msg.shopper .bubble").last.inner_text() == "转人工客服"
    (PROJECT_ROOT / "results").mkdir(exist_ok=True)
    page.screenshot(path=str(PROJECT_ROOT / "results" / "storefront-chat-phone.png"))


def test_agent_replies_are_pushed_even_after_a_network_drop(page, live_server):
    page.click("#chat-open")
    page.fill("#chat-input", "转人工")
    page.press("#chat-input", "Enter")
    page.wait_for_selector("text=好的，马上为您转接人工客服。")
    conversation_id = _conversation_id(page)
    agent_url = f"{live_server}/api/agent/conversations/{conversation_id}/messages"
    headers = {"Authorization": f"Bearer {AGENT_TOKEN}"}

    httpx.post(agent_url, json={"text": "您好，我是客服小美"}, headers=headers).raise_for_status()
    page.wait_for_selector("text=您好，我是客服小美", timeout=5000)

    page.context.set_offline(True)
    page.wait_for_selector("#chat-offline:not([hidden])", timeout=10000)
    httpx.post(agent_url, json={"text": "已经帮您催件了"}, headers=headers).raise_for_status()
    page.context.set_offline(False)
    page.wait_for_selector("text=已经帮您催件了", timeout=15000)
    ids = page.eval_on_selector_all(".msg[data-id]", "els => els.map(e => e.dataset.id)")
    real = [i for i in ids if i != "0"]
    assert len(real) == len(set(real)), "a message was shown twice"


def test_the_header_says_who_answers_and_waiting_messages_are_acknowledged(page, live_server):
    page.click("#chat-open")
    status = page.locator("#chat-status")
    assert status.inner_text() == "机器人助手"
    page.fill("#chat-input", "转人工")
    page.press("#chat-input", "Enter")
    page.wait_for_selector("text=好的，马上为您转接人工客服。")
    page.wait_for_function("document.getElementById('chat-status').dataset.handledBy === 'human'")
    assert status.inner_text() == "人工客服 · 排队中"
    assert "人工客服" in page.locator(".msg.system .bubble").last.inner_text()  # the wait

    page.fill("#chat-input", "在吗 还要等多久")
    page.press("#chat-input", "Enter")
    page.wait_for_selector(".msg.system .bubble:has-text('收到')")  # acknowledged, not dropped

    conversation_id = _conversation_id(page)
    url = f"{live_server}/api/agent/conversations/{conversation_id}"
    headers = {"Authorization": f"Bearer {AGENT_TOKEN}"}
    httpx.post(f"{url}/messages", json={"text": "您好，我来帮您看"}, headers=headers)
    page.wait_for_function(
        "document.getElementById('chat-status').textContent === '人工客服 · 客服小美'", timeout=5000
    )
    httpx.post(f"{url}/hand-back", headers=headers).raise_for_status()
    page.wait_for_function(
        "document.getElementById('chat-status').textContent === '机器人助手'", timeout=5000
    )
