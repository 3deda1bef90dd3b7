"""What operators rely on: the health endpoint, the trusted-proxy setting and TLS-only cookies."""

from __future__ import annotations

import os

import pytest
from flask import Flask, request
from sqlalchemy import create_engine

from quiz.app import Services
from quiz.web import create_app


def app_on(database_url: str, **config: object) -> Flask:
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, **config})
    # A route of the test's own that says which client address the app sees.
    app.add_url_rule("/test-address", "test_address", lambda: request.remote_addr or "")
    return app


def test_health_says_ok_with_the_process_and_503_with_a_code_without_a_database(
    database_url: str,
) -> None:
    app = app_on(database_url)
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 200
    assert answer.json == {
        "status": "ok",
        "database": "ok",
        "version": app.config["VERSION"],
        "process": os.getpid(),
    }
    services: Services = app.extensions["leitai"]
    # Port 1 on this machine refuses at once: the database is gone.
    services.sessions.configure(bind=create_engine("postgresql+psycopg://nobody@127.0.0.1:1/x"))
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 503
    assert answer.json is not None
    assert answer.json["code"] == "database_unreachable"
    assert answer.json["message"] == "数据库无法连接"


def test_the_client_address_comes_from_the_proxy_only_when_it_is_trusted(
    database_url: str,
) -> None:
    forwarded = {"X-Forwarded-For": "10.8.0.23", "X-Forwarded-Proto": "https"}
    direct = app_on(database_url).test_client()
    # Without the setting a client cannot choose its address (and so dodge a rate limit).
    assert direct.get("/test-address", headers=forwarded).text == "127.0.0.1"
    behind = app_on(database_url, TRUSTED_PROXIES=1).test_client()
    assert behind.get("/test-address", headers=forwarded).text == "10.8.0.23"
    assert behind.get("/test-address").text == "127.0.0.1"


def test_cookies_travel_over_tls_only_behind_an_https_public_url(database_url: str) -> None:
    assert not app_on(database_url).config.get("SESSION_COOKIE_SECURE")
    secure = app_on(database_url, PUBLIC_URL="https://quiz.example.cn")
    assert secure.config["SESSION_COOKIE_SECURE"] is True


def test_behind_trusted_proxies_the_per_address_cap_is_left_to_the_proxy(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QUIZ_CONNECTIONS_PER_ADDRESS", raising=False)
    monkeypatch.delenv("QUIZ_TRUSTED_PROXIES", raising=False)
    assert app_on(database_url).config["CONNECTIONS_PER_ADDRESS"] == 200
    # Every connection comes from nginx: a cap per address would cap the whole server.
    monkeypatch.setenv("QUIZ_TRUSTED_PROXIES", "1")
    assert app_on(database_url).config["CONNECTIONS_PER_ADDRESS"] == 0
    monkeypatch.setenv("QUIZ_CONNECTIONS_PER_ADDRESS", "300")
    assert app_on(database_url).config["CONNECTIONS_PER_ADDRESS"] == 300
