"""Question banks as the host's pages use them: the list with counts, and importing one."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from quiz.banks.model import Bank
from quiz.storage import bank_repo
from quiz.storage.bank_repo import BankSummary, ImportResult


def bank_list(sessions: sessionmaker[Session]) -> list[BankSummary]:
    """Every stored bank with counts of its active questions, ordered by bank id."""
    with sessions() as session:
        return bank_repo.bank_summaries(session)


def import_bank(sessions: sessionmaker[Session], bank: Bank) -> ImportResult:
    """Store a validated bank in one transaction (idempotent; see ``bank_repo.import_bank``)."""
    with sessions.begin() as session:
        return bank_repo.import_bank(session, bank)
