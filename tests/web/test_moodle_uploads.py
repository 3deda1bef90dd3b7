"""Moodle files uploaded on a real server: the page offers them, a GIFT bank imports, and an
XML file with a DOCTYPE (XXE) is refused with its code, place and Chinese text, nothing read."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from quiz.banks.formats import REGISTRY
from tests.web.live import LiveServer

BAD = Path(__file__).parents[1] / "banks" / "moodle_bad"

GIFT = """\
// bank: uploaded-gift
// title: 上传的 GIFT 题库
// authors: 张三

::fire-1::火警电话是？{=119 ~110 ~120####火警 119。}

::fire-2::灭火器应定期检查。{TRUE}
"""


def upload(server: LiveServer, kind: str, name: str, data: bytes, lang: str = "zh") -> Any:
    files = {"file": (name, data)}
    url = f"{server.url}/api/banks/{kind}"
    return server.host().post(url, files=files, data={"lang": lang}, timeout=60).json()


def test_the_upload_field_offers_every_format_the_server_reads(server: LiveServer) -> None:
    page = server.host().get(server.url + "/admin/banks", timeout=30).text
    found = re.search(r'id="bank-file" accept="([^"]*)"', page)
    assert found is not None
    assert set(REGISTRY.extensions) <= set(found[1].split(","))


def test_a_gift_bank_uploads_and_imports(server: LiveServer) -> None:
    imported = upload(server, "import", "消防.gift", GIFT.encode("utf-8"))
    assert imported["ok"] is True
    assert (imported["result"]["bank"], sorted(imported["result"]["added"])) == (
        "uploaded-gift",
        ["fire-1", "fire-2"],
    )


def test_an_xxe_file_is_refused_with_its_code_and_place_and_reads_nothing(
    server: LiveServer,
) -> None:
    checked = upload(server, "validate", "xxe.xml", (BAD / "xxe.xml").read_bytes())
    assert checked["ok"] is False
    [problem] = checked["problems"]
    assert (problem["code"], problem["line"], problem["column"]) == ("xml_dtd", 2, 1)
    assert problem["message"].startswith("文件含有 DOCTYPE")
    assert "root:" not in str(checked)


def test_a_readers_problem_is_sent_in_the_pages_language_and_in_both(server: LiveServer) -> None:
    data = (BAD / "no-answer-block.gift").read_bytes()
    zh = (
        "这段文字没有答案块 {…}，不是一道题：“::q1::这是一段说明，不是题目。”"
        "（不是题目的说明文字请写成 // 注释）"
    )
    en = (
        "This paragraph has no answer block {…}, so it is not a question: "
        "“::q1::这是一段说明，不是题目。” (write notes that are not questions as // comments)"
    )
    for lang, message in (("zh", zh), ("en", en)):
        [problem] = upload(server, "validate", "说明.gift", data, lang)["problems"]
        assert (problem["code"], problem["line"], problem["column"]) == ("no_answer_block", 4, 7)
        assert problem["message"] == message
        assert problem["text"] == {"zh": zh, "en": en}
