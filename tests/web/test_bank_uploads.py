"""Bank uploads on a real server: a big one leaves live contests running, and every limit is
refused with a code and Chinese text."""

from __future__ import annotations

import contextlib
import io
import threading
import time
from pathlib import Path
from typing import Any

import docx
import requests

from quiz.yamlsource import MAX_BYTES
from tests.helpers import bank_text, question
from tests.web.browsers import Watch
from tests.web.live import PASSWORD, LiveServer, Recorder

# Without Playwright the browser fixture skips (or fails in CI), before these are used.
with contextlib.suppress(ImportError):
    from playwright.sync_api import Browser, expect

BAD = Path(__file__).parents[1] / "banks" / "bad"


def bank_bytes(size: int, bank_id: str) -> bytes:
    """A bank of ``size`` short true/false questions, one flow mapping a line."""
    lines = [f"bank: {{id: {bank_id}, title: 大题库, language: zh-CN, version: 1, authors: [t]}}"]
    lines.append("questions:")
    lines.extend(
        f"- {{id: q{n}, type: truefalse, text: 第{n}题是对的吗, answer: true, explanation: 是, "
        "source: 生成, difficulty: 1, tags: [t], status: draft}"
        for n in range(size)
    )
    return "\n".join(lines).encode()


def upload(host: requests.Session, url: str, kind: str, name: str, data: bytes, **form: str) -> Any:
    return host.post(
        f"{url}/api/banks/{kind}", files={"file": (name, data)}, data=form, timeout=600
    )


def test_a_big_upload_leaves_the_host_acks_flowing(server: LiveServer) -> None:
    host = server.host()
    code = server.create_contest(host)["code"]
    console = Recorder(server, {"role": "host", "contest": code}, host).connect()
    data = bank_bytes(10_000, "big-upload")
    answers: list[Any] = []
    uploader = threading.Thread(
        target=lambda: answers.append(upload(host, server.url, "validate", "big.yaml", data))
    )
    started = time.perf_counter()
    uploader.start()
    acks: list[float] = []
    while uploader.is_alive():
        sent = time.perf_counter()
        note = {"type": "AdjustScore", "team": "lhasa", "delta": 1, "note": "上传时"}
        assert console.call("command", note)["ok"]
        acks.append(time.perf_counter() - sent)
        time.sleep(0.05)
    uploader.join()
    elapsed = time.perf_counter() - started
    console.close()
    assert answers[0].json()["questions"] == 10_000
    assert len(answers[0].json()["preview"]) == 200
    # On the loop, reading this file held every contest for the whole upload; in a worker no
    # ack waits more than a second (a quarter of the upload on a machine slow enough to need it).
    assert len(acks) > 20
    assert max(acks) < max(1.0, min(2.0, elapsed / 4)), (elapsed, sorted(acks)[-5:])
    imported = upload(host, server.url, "import", "big.yaml", data).json()
    assert len(imported["result"]["added"]) == 10_000


def test_problems_past_the_cap_are_counted_in_chinese(server: LiveServer) -> None:
    host = server.host()
    questions = [question(id=f"q{n}", colour="红") for n in range(210)]
    answer = upload(host, server.url, "validate", "noisy.yaml", bank_text(*questions).encode())
    checked = answer.json()
    assert (checked["ok"], len(checked["problems"]), checked["unlisted"]) == (False, 200, 10)
    assert checked["unlisted_message"] == "另有 10 个问题未列出"
    refused = upload(host, server.url, "import", "noisy.yaml", bank_text(*questions).encode())
    assert refused.status_code == 400
    assert refused.json()["unlisted"] == 10


def test_a_text_past_its_limit_is_refused_with_its_place_and_code(server: LiveServer) -> None:
    host = server.host()
    data = bank_text(question(explanation="解" * 2001)).encode()
    [problem] = upload(host, server.url, "validate", "long.yaml", data).json()["problems"]
    chinese = "解析有 2,001 个字符，超过 2,000 的上限：请缩短"
    english = "explanation has 2,001 characters; the limit is 2,000"
    assert problem == {
        "line": 18,
        "column": 16,
        "place": "long.yaml:18:16",
        "severity": "error",
        "code": "text_too_long",
        "message": chinese,
        "text": {"zh": chinese, "en": english},
    }


def test_problems_come_in_the_language_asked_and_in_both(server: LiveServer) -> None:
    host = server.host()
    data = (BAD / "answer-not-among-options.yaml").read_bytes()
    chinese = "答案“1922年”不在选项中：请写选项原文或字母 A–D"
    english = (
        "the answer '1922年' is not among the options (give an option's exact text or a letter A-D)"
    )
    for kind in ("validate", "import"):
        by_form = upload(host, server.url, kind, "bad.yaml", data, lang="en").json()
        by_query = host.post(
            f"{server.url}/api/banks/{kind}?lang=en",
            files={"file": ("bad.yaml", data)},
            timeout=600,
        ).json()
        by_default = upload(host, server.url, kind, "bad.yaml", data).json()
        for answer, message in ((by_form, english), (by_query, english), (by_default, chinese)):
            [problem] = answer["problems"]
            assert problem["code"] == "answer_not_option"
            assert problem["message"] == message
            assert problem["text"] == {"zh": chinese, "en": english}
    questions = [question(id=f"q{n}", colour="红") for n in range(210)]
    noisy = upload(
        host, server.url, "validate", "n.yaml", bank_text(*questions).encode(), lang="en"
    )
    assert noisy.json()["unlisted_message"] == "10 more problem(s) not listed"


def test_a_file_past_the_size_limit_gets_a_coded_chinese_refusal(server: LiveServer) -> None:
    host = server.host()
    answer = upload(host, server.url, "validate", "huge.yaml", b"#" * (MAX_BYTES + 100 * 1024))
    assert answer.status_code == 413
    assert answer.json()["error"] == {
        "code": "file_too_large",
        "message": f"上传的题库文件超过 {MAX_BYTES // 2**20} MB 的上限",
    }
    # Just over the limit but inside the request allowance: the file's own problem says so.
    near = upload(host, server.url, "validate", "near.yaml", b"#" * (MAX_BYTES + 1))
    [problem] = near.json()["problems"]
    assert (problem["code"], problem["line"], problem["column"]) == ("file_too_large", 1, 1)


def test_a_word_bank_is_checked_then_imported_by_its_file_name(server: LiveServer) -> None:
    host = server.host()
    lines = ["题库编号：word-upload", "作者：甲", "一、判断题", "1. 灭火器要定期检查。", "答案：E"]
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    checked = upload(host, server.url, "validate", "题库.docx", out.getvalue()).json()
    [problem] = checked["problems"]
    assert (problem["place"], problem["code"]) == ("题库.docx:段落 5:列 4", "type_mismatch")
    document.paragraphs[-1].text = "【答案】√"
    out = io.BytesIO()
    document.save(out)
    imported = upload(host, server.url, "import", "题库.docx", out.getvalue()).json()
    assert imported["result"]["added"] == ["word-upload-1-001"]


def test_the_upload_page_shows_problems_in_the_pages_language_and_follows_a_switch(
    browser: Browser, server: LiveServer
) -> None:
    """In Chromium: a bad bank's problem reads in Chinese, then in English after the switch,
    without asking the server again; a page opened in English asks for English."""
    context = browser.new_context(locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    watch = Watch(page)
    page.goto(f"{server.url}/login")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=name]").fill("甲")
    page.locator("form.login-card button[type=submit]").click()
    page.wait_for_url(f"{server.url}/host")
    page.goto(f"{server.url}/admin/banks")
    bad = (BAD / "answer-not-among-options.yaml").read_bytes()
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url))
    page.locator("#bank-file").set_input_files(
        {"name": "bad.yaml", "mimeType": "text/yaml", "buffer": bad}
    )
    problem = page.locator("#bank-result li.problem")
    # The first check starts the upload worker process, which takes a few seconds.
    expect(problem.locator(".problem-msg")).to_have_text(
        "答案“1922年”不在选项中：请写选项原文或字母 A–D", timeout=30_000
    )
    expect(problem.locator(".sev")).to_have_text("错误")
    expect(problem.locator(".problem-code")).to_have_text("answer_not_option")
    asked = len(sent)
    page.locator(".lang-switch").first.click()
    expect(problem.locator(".problem-msg")).to_have_text(
        "the answer '1922年' is not among the options (give an option's exact text or a letter A-D)"
    )
    expect(problem.locator(".sev")).to_have_text("error")
    assert len(sent) == asked
    with page.expect_response(f"{server.url}/api/banks/validate") as response:
        page.locator("#validate-btn").click()
    # The page sends its language: the server's own sentence comes back in English.
    assert response.value.json()["problems"][0]["message"].startswith("the answer '1922年'")
    expect(problem.locator(".problem-msg")).to_contain_text("is not among the options")
    assert watch.errors == []
    assert watch.foreign == []
    context.close()
