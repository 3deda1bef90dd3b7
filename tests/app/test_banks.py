"""Bank uploads: checked and imported in a worker process, one at a time, with a short report."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from quiz.app import Services
from quiz.app.banks import PREVIEW, bank_list, check_upload, import_upload
from quiz.app.blocking import in_place
from quiz.app.errors import Refused
from tests.helpers import bank_text, question


def test_an_upload_is_checked_in_a_worker_with_a_preview_of_its_first_questions(
    services: Services,
) -> None:
    questions = [question(id=f"q{n}", text=f"第{n}题：中共一大于哪一年召开？") for n in range(250)]
    report = check_upload(services.sessions, bank_text(*questions, id="big").encode(), "big.yaml")
    assert report.ok
    assert report.questions == 250
    assert [entry["id"] for entry in report.preview] == [f"q{n}" for n in range(PREVIEW)]
    assert report.result is None
    assert report.would is not None
    assert report.would.added == [f"q{n}" for n in range(250)]
    assert "big" not in [summary.id for summary in bank_list(services.sessions)]


def test_problems_come_back_capped_with_a_count_of_the_rest(services: Services) -> None:
    questions = [question(id=f"q{n}", colour="红") for n in range(230)]
    report = check_upload(services.sessions, bank_text(*questions).encode(), "noisy.yaml", in_place)
    assert not report.ok
    assert (len(report.problems), report.unlisted) == (200, 30)
    assert report.preview == ()


def test_an_upload_is_imported_by_the_worker_into_the_same_database(services: Services) -> None:
    data = bank_text(question(id="up-1"), question(id="up-2", text="另一道题？"), id="uploaded")
    report = import_upload(services.sessions, data.encode(), "uploaded.yaml")
    assert report.result is not None
    assert report.result.added == ["up-1", "up-2"]
    assert "uploaded" in [summary.id for summary in bank_list(services.sessions)]


def test_a_bank_with_errors_is_not_imported(services: Services) -> None:
    data = bank_text(question(answer="1999年"), id="broken").encode()
    report = import_upload(services.sessions, data, "broken.yaml")
    assert (report.ok, report.result) == (False, None)
    assert "broken" not in [summary.id for summary in bank_list(services.sessions)]


def test_a_second_upload_meanwhile_is_refused_busy(services: Services) -> None:
    started, release = threading.Event(), threading.Event()

    def held(function: Callable[..., Any], /, *args: Any) -> Any:
        """Runs the work once released, holding the upload slot until then."""
        started.set()
        release.wait(10)
        return function(*args)

    first = threading.Thread(
        target=check_upload, args=(services.sessions, bank_text().encode(), "a.yaml", held)
    )
    first.start()
    assert started.wait(10)
    with pytest.raises(Refused) as refused:
        check_upload(services.sessions, bank_text().encode(), "b.yaml", in_place)
    assert refused.value.code == "busy"
    assert refused.value.message == "另一个题库正在检查或导入，请稍后再试"
    release.set()
    first.join(10)
    assert check_upload(services.sessions, bank_text().encode(), "c.yaml", in_place).ok


def test_a_check_says_what_importing_would_change_and_writes_nothing(services: Services) -> None:
    first = bank_text(question(id="d-1"), question(id="d-2", text="第二题？"), id="dry")
    import_upload(services.sessions, first.encode(), "dry.yaml", in_place)
    again = bank_text(
        question(id="d-1", text="改过的第一题？"), question(id="d-3", text="新的第三题？"), id="dry"
    )
    report = check_upload(services.sessions, again.encode(), "dry.yaml", in_place)
    assert report.would is not None
    would = report.would
    assert (would.added, would.changed, would.retired) == (["d-3"], ["d-1"], ["d-2"])
    # Nothing was written: importing it now does exactly what the check said it would.
    done = import_upload(services.sessions, again.encode(), "dry.yaml", in_place).result
    assert done is not None
    assert (done.added, done.changed, done.retired) == (["d-3"], ["d-1"], ["d-2"])
