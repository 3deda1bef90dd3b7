"""The organisers' bank browser (docs/bank-admin.md): the search page, one question's page, and
their JSON. Every route is host-only; each view calls one service function."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, jsonify, render_template, request

from quiz.app.errors import Refused
from quiz.app.question_browser import browser_facets, question_detail, search_questions
from quiz.storage.question_reads import AnswerStats, QuestionDetail
from quiz.storage.search_repo import Facets, SearchPage
from quiz.web.http import Answer, api_error, host_only, services

bank_browser = Blueprint("bank_browser", __name__)
MAX_OFFSET = 1_000_000


@bank_browser.errorhandler(Refused)
def refused(failure: Refused) -> Answer:
    return api_error(failure.code, failure.message)


def _number(name: str, default: int | None, low: int, high: int) -> int | None:
    """A whole-number query parameter within [low, high]; ``bad_query`` otherwise."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise Refused("bad_query", f"{name} must be a whole number from {low} to {high}")
    return int(raw)


def _text(name: str) -> str | None:
    return request.args.get(name, "").strip() or None


def page_json(page: SearchPage) -> dict[str, Any]:
    """A page of search results as the API sends it."""
    return {
        "total": page.total,
        "offset": page.offset,
        "limit": page.limit,
        "terms": list(page.terms),
        "questions": [
            {
                "bank": hit.bank,
                "qid": hit.qid,
                "version": hit.version,
                "type": hit.type,
                "difficulty": hit.difficulty,
                "status": hit.status,
                "tags": list(hit.tags),
                "snippet": {
                    "text": hit.snippet.text,
                    "marks": [list(mark) for mark in hit.snippet.marks],
                    "clipped_start": hit.snippet.clipped_start,
                    "clipped_end": hit.snippet.clipped_end,
                },
            }
            for hit in page.hits
        ],
    }


def facets_json(facets: Facets) -> dict[str, Any]:
    """The filters' values as the API sends them."""
    return {
        "banks": [{"id": slug, "title": title} for slug, title in facets.banks],
        "tags": list(facets.tags),
        "types": list(facets.types),
        "difficulties": list(facets.difficulties),
        "statuses": list(facets.statuses),
    }


def _stats_json(stats: AnswerStats) -> dict[str, Any]:
    rate = stats.correct_rate
    return {
        "attempts": stats.attempts,
        "correct": stats.correct,
        "correct_rate": None if rate is None else round(rate, 4),
        "unanswered": stats.unanswered,
        "picks": stats.picks,
        "median_ms": stats.median_ms,
        "contests": stats.contests,
        "pk_matches": stats.pk_matches,
    }


def detail_json(detail: QuestionDetail) -> dict[str, Any]:
    """One question with its versions (oldest first) and statistics, as the API sends it."""
    return {
        "bank": detail.bank,
        "bank_title": detail.bank_title,
        "qid": detail.qid,
        "retired": detail.retired,
        "current_version": detail.current_version,
        "versions": [
            {
                "id": version.id,
                "version": version.version,
                "bank_version": version.bank_version,
                "type": version.type,
                "difficulty": version.difficulty,
                "status": version.status,
                "created_at": version.created_at.isoformat(timespec="seconds") + "Z",
                "content": version.content,
                "stats": _stats_json(version.stats),
            }
            for version in detail.versions
        ],
        "total": _stats_json(detail.total),
    }


@bank_browser.get("/api/questions")
@host_only
def questions() -> Response:
    page = search_questions(
        services().sessions,
        request.args.get("q", ""),
        bank=_text("bank"),
        tag=_text("tag"),
        type=_text("type"),
        difficulty=_number("difficulty", None, 0, 1000),
        status=_text("status"),
        offset=_number("offset", 0, 0, MAX_OFFSET) or 0,
        limit=_number("limit", 50, 1, 200) or 50,
    )
    return jsonify(page_json(page))


@bank_browser.get("/api/questions/facets")
@host_only
def facets() -> Response:
    return jsonify(facets_json(browser_facets(services().sessions)))


@bank_browser.get("/api/banks/<bank>/questions/<qid>")
@host_only
def question(bank: str, qid: str) -> Response:
    return jsonify(detail_json(question_detail(services().sessions, bank, qid)))


@bank_browser.get("/admin/questions")
@host_only
def browser_page() -> str:
    facets = facets_json(browser_facets(services().sessions))
    return render_template("question_browser.html", facets=facets)


@bank_browser.get("/admin/banks/<bank>/questions/<qid>")
@host_only
def question_page(bank: str, qid: str) -> str:
    try:
        detail = question_detail(services().sessions, bank, qid)
    except Refused:
        abort(404, description=f"题库 {bank} 中没有题目 {qid}")
    return render_template("question_detail.html", detail=detail_json(detail))
