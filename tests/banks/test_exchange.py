"""What the Moodle formats share: names to ids, categories to tags, HTML to text, the default
bank id, and the documented reason codes matching the bad-file corpus."""

from __future__ import annotations

import re
from pathlib import Path

from quiz.banks.formats.exchange import category_tag, default_bank_id, html_to_text, question_id
from quiz.texts.formats import MESSAGES

BAD = Path(__file__).with_name("moodle_bad")
DOCS = Path(__file__).parents[2] / "docs" / "bank-format.md"


def test_a_moodle_name_becomes_a_valid_unique_id() -> None:
    used: set[str] = set()
    assert question_id("电气火灾 Q1", used, "b-001") == "Q1"
    assert question_id("Q1", used, "b-002") == "Q1-2"
    assert question_id("灭火器", used, "b-003") == "b-003"
    assert question_id("a/b c.d_e", used, "b-004") == "a-b-c.d_e"
    assert len(question_id("x" * 80, used, "b-005")) == 64


def test_a_category_names_its_last_level_a_person_chose() -> None:
    assert category_tag("$course$/top/Default for 消防/电气火灾") == "电气火灾"
    assert category_tag("$course$/top/Default for 消防") is None
    assert category_tag("$course$/top/消防知识的默认") is None
    assert category_tag("top") is None


def test_html_becomes_plain_text_without_scripts_and_with_images_counted() -> None:
    text, images = html_to_text(
        '<p>第一段&nbsp;<b>加粗</b>&lt;1&gt;</p>\n<p>第二段<img src="a.png"></p>'
        "<script>alert('x')</script><style>p{}</style>"
    )
    assert (text, images) == ("第一段 加粗<1>\n第二段", 1)


def test_a_file_name_that_is_no_id_hashes_to_the_same_id_every_time() -> None:
    assert default_bank_id("dir/fire-basics.gift") == "fire-basics"
    assert default_bank_id("消防.gift") == default_bank_id("其他目录/消防.gift")
    assert re.fullmatch(r"bank-[0-9a-f]{8}", default_bank_id("消防.gift"))


def test_the_corpus_covers_every_code_the_docs_list() -> None:
    # Only the readers' own codes: the validator's (not_whole_number…) are documented with it.
    produced = {
        code
        for path in BAD.glob("*.expected")
        for code in re.findall(r"\[(\w+)\]$", path.read_text(encoding="utf-8"), re.M)
    } & MESSAGES.keys()
    section = DOCS.read_text(encoding="utf-8").split(
        "### Places and what the Moodle formats report"
    )[1]
    documented = set(re.findall(r"^\| `(\w+)` \|", section.split("\n## ")[0], re.M))
    assert documented == produced
    assert len([path for path in BAD.glob("*.expected") if ".en." not in path.name]) >= 25
