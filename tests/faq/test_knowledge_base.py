"""Loading, editing and exporting the knowledge base keeps every entry once and every change."""

import re

import pytest
from sqlalchemy import func, select

from core.events import AppendOnlyError
from core.settings import PROJECT_ROOT
from faq import knowledge_base as kb
from faq.models import FaqEntry, FaqRevision
from faq.schema import FaqEntryData

TAXONOMY = PROJECT_ROOT.parent / "shared" / "spec" / "taxonomy.md"


def _entry(**changes) -> FaqEntryData:
    base = {
        "id": "prepaid_card",
        "category": "支付",
        "question": "可以用礼品卡付款吗？",
        "variants": ["礼品卡能用吗"],
        "answer": "目前暂不支持礼品卡支付，支持支付宝、微信和银行卡。",
    }
    return FaqEntryData(**{**base, **changes})


def test_shipped_knowledge_base_holds_every_required_topic():
    ids = {e.id for e in kb.read_yaml()}
    if TAXONOMY.exists():
        section = TAXONOMY.read_text(encoding="utf-8").split("## 2.")[1].split("## 3.")[0]
        required = set(re.findall(r"^\| ([a-z_]+) \|", section, flags=re.MULTILINE)) - {"id"}
        assert len(required) == 16
        assert required <= ids
    assert len(ids) >= 40


def test_a_malformed_file_is_reported_with_the_entry_at_fault(tmp_path):
    path = tmp_path / "entries.yaml"
    path.write_text(
        "entries:\n  - id: ok_entry\n    category: 支付\n    question: 问题一\n    answer: 答案一\n"
        "  - id: Bad-Id\n    category: 支付\n    question: 问题二\n    answer: 答案二\n",
        encoding="utf-8",
    )
    with pytest.raises(kb.FaqFileError, match=r"entry #2 \(Bad-Id\)"):
        kb.read_yaml(path)


def test_a_duplicate_id_in_the_file_is_refused(tmp_path):
    path = tmp_path / "entries.yaml"
    one = "  - id: twice\n    category: 支付\n    question: 问题一\n    answer: 答案一\n"
    path.write_text("entries:\n" + one + one, encoding="utf-8")
    with pytest.raises(kb.FaqFileError, match="duplicate id 'twice'"):
        kb.read_yaml(path)


def test_importing_the_same_file_twice_stores_nothing_twice(db):
    entries = kb.read_yaml()
    counts = kb.import_entries(db, entries, actor="test")
    assert counts == {"created": 0, "updated": 0, "unchanged": len(entries)}
    assert db.scalar(select(func.count()).select_from(FaqEntry)) == len(entries)


def test_each_edit_leaves_a_revision_with_who_and_what(db):
    kb.create_entry(db, _entry(), actor="运营小王")
    kb.update_entry(
        db, _entry(answer="现在支持礼品卡支付，结算时选择“礼品卡”即可。"), actor="运营小李"
    )
    kb.delete_entry(db, "prepaid_card", actor="运营小王")
    revisions = db.scalars(
        select(FaqRevision).where(FaqRevision.entry_id == "prepaid_card").order_by(FaqRevision.id)
    ).all()
    assert [(r.action, r.actor) for r in revisions] == [
        ("created", "运营小王"),
        ("updated", "运营小李"),
        ("deleted", "运营小王"),
    ]
    assert "礼品卡支付" in revisions[1].snapshot["answer"]
    assert db.get(FaqEntry, "prepaid_card") is None


def test_an_unchanged_update_is_not_a_revision(db):
    before = kb.version(db)
    entry = kb.all_entries(db)[0]
    kb.update_entry(db, entry, actor="运营小王")
    assert kb.version(db) == before


def test_creating_an_existing_id_is_refused(db):
    existing = kb.all_entries(db)[0]
    with pytest.raises(kb.EntryExistsError):
        kb.create_entry(db, existing, actor="运营小王")


def test_revisions_cannot_be_rewritten(db):
    revision = db.scalars(select(FaqRevision).limit(1)).one()
    revision.actor = "someone else"
    with pytest.raises(AppendOnlyError):
        db.flush()


def test_export_then_read_gives_back_the_same_entries(db, tmp_path):
    path = tmp_path / "exported.yaml"
    path.write_text(kb.dump_yaml(kb.all_entries(db)), encoding="utf-8")
    assert kb.read_yaml(path) == kb.all_entries(db)
