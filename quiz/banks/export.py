"""Writing a bank back to YAML in canonical form, so that export then import changes nothing."""

from __future__ import annotations

from typing import Any

import yaml

from quiz.banks.model import Bank, bank_header_to_dict, question_to_dict

SCHEMA_COMMENT = "# yaml-language-server: $schema=bank.schema.json\n"
_FLOW_LIST_WIDTH = 80


class _BankDumper(yaml.SafeDumper):
    """Short lists of plain values in flow style (``[a, b]``), everything else in block style."""


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    short = all(isinstance(item, str | int | bool) for item in data) and (
        sum(len(str(item)) + 2 for item in data) <= _FLOW_LIST_WIDTH
    )
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=short)


_BankDumper.add_representer(list, _represent_list)


def bank_to_yaml(bank: Bank) -> str:
    """The bank as a YAML document in the documented key order, answers as option texts."""
    document = {
        "bank": bank_header_to_dict(bank),
        "questions": [question_to_dict(question) for question in bank.questions],
    }
    body = yaml.dump(
        document,
        Dumper=_BankDumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
    return SCHEMA_COMMENT + body
