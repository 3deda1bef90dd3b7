"""Self-test accounts without a server: unique names, one answer for a wrong name or password,
and password hashing through the offload the server chose."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from quiz.app import Services
from quiz.app.accounts import AccountError, Accounts

PASSWORD = "secret-123"


def test_a_guest_who_registers_keeps_its_account(services: Services) -> None:
    guest = services.accounts.new_guest()
    assert guest["guest"] is True
    user = services.accounts.register(
        {"name": "卓玛", "detachment": "拉萨支队", "password": PASSWORD}, guest["id"]
    )
    assert (user["id"], user["guest"]) == (guest["id"], False)
    assert services.accounts.login({"name": "卓玛", "password": PASSWORD}) == user


def test_names_are_unique_under_width_and_case_folding(services: Services) -> None:
    services.accounts.register(
        {"name": "Tashi", "detachment": "阿里支队", "password": PASSWORD}, None
    )
    with pytest.raises(AccountError) as taken:
        services.accounts.register(
            {"name": "ＴＡＳＨＩ", "detachment": "阿里支队", "password": PASSWORD}, None
        )
    assert taken.value.code == "name_taken"


def test_a_wrong_name_and_a_wrong_password_get_the_same_refusal(services: Services) -> None:
    services.accounts.register(
        {"name": "次仁", "detachment": "那曲支队", "password": PASSWORD}, None
    )
    refusals = []
    for fields in (
        {"name": "次仁", "password": "wrong-one"},
        {"name": "无人", "password": PASSWORD},
    ):
        with pytest.raises(AccountError) as refused:
            services.accounts.login(fields)
        refusals.append((refused.value.code, refused.value.message))
    assert refusals == [("bad_login", "wrong name or password")] * 2


def test_hashing_goes_through_the_offload(services: Services) -> None:
    calls: list[str] = []

    def recording(function: Callable[..., Any], /, *args: object) -> Any:
        calls.append(function.__name__)
        return function(*args)

    accounts = Accounts(services.sessions, recording)
    accounts.register({"name": "白玛", "detachment": "林芝支队", "password": PASSWORD}, None)
    accounts.login({"name": "白玛", "password": PASSWORD})
    assert calls == ["generate_password_hash", "check_password_hash"]
