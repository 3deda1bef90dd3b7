"""Message templates of the YAML reader, the bank and template validators and the loader."""

from __future__ import annotations

# code: (Chinese template, English template); fields in braces name the problem's arguments.
MESSAGES: dict[str, tuple[str, str]] = {
    # Reading the file (quiz/yamlsource.py, quiz/banks/loader.py)
    "not_utf8": (
        "文件不是 UTF-8 文本（此处是字节 {byte}）：请用 UTF-8 编码另存",
        "file is not UTF-8 text (byte {byte} here); save it as UTF-8",
    ),
    "file_not_found": ("找不到这个文件：请检查路径", "cannot read the file: no such file"),
    "file_not_permitted": (
        "没有读取这个文件的权限",
        "cannot read the file: permission denied",
    ),
    "file_is_folder": ("这是文件夹，不是文件", "cannot read the file: it is a folder"),
    "file_unreadable": (
        "无法读取这个文件（系统报告：{reason}）",
        "cannot read the file: {reason}",
    ),
    # YAML syntax and safety (quiz/yamlsource.py)
    "yaml_syntax": (
        "YAML 语法错误：无法解析这里的写法，请检查冒号、引号、括号和缩进",
        "malformed YAML: {detail}",
    ),
    "yaml_colon_in_value": (
        "YAML 语法错误：值里有“冒号+空格”，或上一行少了冒号：请给整个值加上引号"
        '（如 text: "比分 2: 1"）',
        "malformed YAML: a colon and a space inside a value, or a missing colon on the line "
        "before (put the value in quotes)",
    ),
    "yaml_tab": (
        "YAML 语法错误：这里有制表符（Tab）：请用空格缩进",
        "malformed YAML: a tab character (indent with spaces)",
    ),
    "yaml_bad_character": (
        "YAML 语法错误：值不能以“{character}”开头：请给整个值加上引号",
        "malformed YAML: a value cannot start with '{character}' (put the value in quotes)",
    ),
    "yaml_indentation": (
        "YAML 语法错误：缩进没有对齐，或值后面多了内容：同一层的键要对齐，"
        "值里有引号或冒号时请给整个值加上引号",
        "malformed YAML: the indentation does not line up, or there is text after a value "
        "(align the keys of one level; quote a value that holds quotes or colons)",
    ),
    "yaml_unclosed_quote": (
        "YAML 语法错误：第 {start_line} 行第 {start_column} 列开始的引号没有闭合：请补上配对的引号",
        "malformed YAML: the quoted text that starts at line {start_line} column "
        "{start_column} is never closed (add the closing quote)",
    ),
    "yaml_unclosed_bracket": (
        "YAML 语法错误：第 {start_line} 行第 {start_column} 列开始的方括号 [ 没有闭合，"
        "或列表项之间少了逗号：请补上 ] 或逗号",
        "malformed YAML: the list in brackets that starts at line {start_line} column "
        "{start_column} is not closed, or lacks a comma (add ']' or ',')",
    ),
    "yaml_unclosed_brace": (
        "YAML 语法错误：第 {start_line} 行第 {start_column} 列开始的花括号 {{ 没有闭合，"
        "或各项之间少了逗号：请补上 }} 或逗号",
        "malformed YAML: the mapping in braces that starts at line {start_line} column "
        "{start_column} is not closed, or lacks a comma (add '}}' or ',')",
    ),
    "yaml_bad_escape": (
        "YAML 语法错误：双引号里的反斜杠 \\ 后面不是合法的转义：请写成 \\\\，或改用单引号",
        "malformed YAML: an unknown escape after a backslash in double quotes "
        "(write \\\\ or use single quotes)",
    ),
    "yaml_missing_colon": (
        "YAML 语法错误：这一行找不到键后面的冒号：请写成“键: 值”（冒号后加空格）",
        "malformed YAML: could not find the ':' after a key (write 'key: value')",
    ),
    "yaml_control_character": (
        "YAML 中不允许出现字符 {character}（控制字符即使加了引号也不能出现在题库里）：请删掉它",
        "character {character} is not allowed in YAML (control characters cannot appear in a "
        "bank, even in quotes)",
    ),
    "yaml_tag": (
        "不允许使用标签 {tag}：题库只写普通数据，请删掉它",
        "the tag {tag} is not allowed: banks hold plain data",
    ),
    "yaml_bad_value": (
        "无法读取值“{value}”：请改正写法，或给它加上引号当作文本",
        "cannot read the value '{value}': {detail}",
    ),
    "yaml_anchor": (
        "不允许使用锚点 &{anchor}：请把内容直接写出来",
        "anchor &{anchor} is not allowed: write it out",
    ),
    "yaml_alias": (
        "不允许使用别名 *{anchor}：请把内容直接写出来",
        "alias *{anchor} is not allowed: write it out",
    ),
    "yaml_too_deep": (
        "嵌套超过 {limit} 层：题库用不到这么深的结构",
        "nesting deeper than {limit} levels",
    ),
    "yaml_complex_key": (
        "映射的键必须是普通文本，不能是列表或映射",
        "a mapping key must be plain text",
    ),
    "yaml_documents": (
        "文件里有不止一个 YAML 文档（---）：一个文件只放一个题库",
        "more than one YAML document (---): a bank is one",
    ),
    "duplicate_key": (
        "键“{key}”在同一个映射里出现了两次（第一次在第 {first_line} 行第 {first_column} 列），"
        "只用第一个：请删掉或改名其中一个",
        "key '{key}' appears twice in this mapping (first at line {first_line} column "
        "{first_column}); the first one is used",
    ),
    "too_many_keys": (
        "一个映射里的键超过 {limit} 个，不再往下读（题库的映射只有几十个键）",
        "more than {limit} keys in one mapping; reading stopped (a bank's mappings have a "
        "few dozen keys)",
    ),
    # Values of any field (quiz/banks/fields.py)
    "text_empty": ("{what}是空的：请填写内容", "{what} is empty"),
    "text_empty_entry": (
        "{what}的第 {entry} 项是空的：请填写内容或删掉这一项",
        "entry {entry} of {what} is empty",
    ),
    "text_too_long": (
        "{field}有 {length} 个字符，超过 {limit} 的上限：请缩短",
        "{field} has {length} characters; the limit is {limit}",
    ),
    "value_not_text": ("{what}应该是文本，而不是{found}", "{what} should be text, not {found}"),
    "value_not_text_quote": (
        "{what}应该是文本，而不是{found}：请给它加上引号",
        "{what} should be text, not {found}; put it in quotes",
    ),
    "value_not_text_entry": (
        "{what}的第 {entry} 项应该是文本，而不是{found}",
        "entry {entry} of {what} should be text, not {found}",
    ),
    "value_not_text_entry_quote": (
        "{what}的第 {entry} 项应该是文本，而不是{found}：请给它加上引号",
        "entry {entry} of {what} should be text, not {found}; put it in quotes",
    ),
    "not_whole_number": (
        "{what}应该是整数，而不是{found}",
        "{what} should be a whole number, not {found}",
    ),
    "number_out_of_range": (
        "{what}应该在 {low} 到 {high} 之间，而不是 {value}",
        "{what} should be from {low} to {high}, not {value}",
    ),
    "number_too_small": (
        "{what}应该不小于 {low}，而不是 {value}",
        "{what} should be {low} or more, not {value}",
    ),
    "not_list": (
        "{what}应该是列表（每项一行，以“- ”开头），而不是{found}",
        "{what} should be a list, not {found}",
    ),
    "list_empty": ("{what}不能是空列表：至少写一项", "{what} needs at least 1 entry"),
    "list_too_short": ("{what}至少要有 {minimum} 项", "{what} needs at least {minimum} entries"),
    "not_mapping": (
        "{what}应该是映射（若干行“键: 值”），而不是{found}",
        "{what} should be a mapping (key: value lines), not {found}",
    ),
    "missing_key": ("{what}缺少“{key}”：请补上这一项", "{what} is missing '{key}'"),
    "unknown_key": (
        "{what}里有未知的键“{key}”：请删掉它，或改成文档列出的键",
        "unknown key '{key}' in {what}",
    ),
    "unknown_key_suggest": (
        "{what}里有未知的键“{key}”：是不是想写“{suggestion}”？",
        "unknown key '{key}' in {what} (did you mean '{suggestion}'?)",
    ),
    # A bank file (quiz/banks/validator.py)
    "bank_file_empty": (
        "文件是空的：题库需要“bank:”和“questions:”两部分",
        "the file is empty: a bank needs 'bank:' and 'questions:'",
    ),
    "reviewed_without_reviewer": (
        "有 {count} 道题已审核，但题库没有写审核人（reviewed_by）",
        "{count} questions are reviewed but the bank names no reviewer (reviewed_by)",
    ),
    "bad_bank_id": (
        "题库 id 应为 2–64 个小写字母、数字或连字符（-），以字母开头，而不是{found}",
        "the bank id should be 2-64 lower-case letters, digits and hyphens, starting with a "
        "letter, not {found}",
    ),
    "bad_language_tag": (
        "语言（language）应为 zh-CN、en、bo 这样的语言标签，而不是{found}",
        "the language should be a tag such as zh-CN, en or bo, not {found}",
    ),
    "bad_reviewed_at": (
        "审核日期（reviewed_at）应写成 YYYY-MM-DD（如 2024-05-01），而不是{found}",
        "reviewed_at should be a date written YYYY-MM-DD, not {found}",
    ),
    "unknown_translation_language": (
        "未知的译文语言“{language}”：请用 {languages}",
        "unknown translation language '{language}' (use {languages})",
    ),
    "questions_empty": (
        "“questions:”是空列表：至少要有一道题",
        "'questions' should be a list of at least one question, not an empty list",
    ),
    "questions_not_list": (
        "“questions:”应该是题目列表，而不是{found}",
        "'questions' should be a list of at least one question, not {found}",
    ),
    "too_many_questions": (
        "题库有 {count} 道题，超过每个题库 {limit} 道的上限：请拆成几个题库",
        "the bank has {count} questions; the limit is {limit} per bank",
    ),
    "duplicate_question_id": (
        "题目 id“{id}”已被第 {first} 题使用：同一题库里的 id 不能重复",
        "question id '{id}' is already used by question {first}; ids must be unique in a bank",
    ),
    "question_id_taken": (
        "题号 {qid} 已在本题库中使用",
        "question id {qid} is already used in this bank",
    ),
    "bad_question_id": (
        "题目 id 应为 1–64 个字母、数字或“.”“_”“-”，而不是{found}",
        "the question id should be 1-64 letters, digits, '.', '_' or '-', not {found}",
    ),
    "bad_question_type": (
        "题型（type）应为 {types} 之一，而不是{found}",
        "the type should be one of {types}, not {found}",
    ),
    "bad_status": (
        "状态（status）应为 draft（草稿）或 reviewed（已审核），而不是{found}",
        "the status should be draft or reviewed, not {found}",
    ),
    "reviewed_without_source": (
        "已审核的题目必须注明出处，不能是“{placeholder}”",
        "a reviewed question names its source, not '{placeholder}'",
    ),
    "shuffle_without_options": (
        "{type}没有选项，不能设置 shuffle：请删掉这一行",
        "{type} has no options to shuffle",
    ),
    "shuffle_not_bool": (
        "shuffle 应为 true 或 false，而不是{found}",
        "shuffle should be true or false, not {found}",
    ),
    "options_not_allowed": ("{type}没有选项：请删掉 options", "{type} has no options"),
    "options_missing": (
        "{what}（{type}）缺少选项（options）",
        "{what} ({type}) is missing 'options'",
    ),
    "option_count": (
        "{type}需要 {minimum} 到 {maximum} 个选项，这里有 {count} 个",
        "{type} needs {minimum} to {maximum} options, not {count}",
    ),
    "option_text_repeated": (
        "选项 {letter}“{option}”与选项 {first_letter} 重复：请删掉或改写其中一个",
        "option {letter} ('{option}') repeats option {first_letter}",
    ),
    "answer_not_option": (
        "答案“{answer}”不在选项中：请写选项原文或字母 {first}–{last}",
        "the answer '{answer}' is not among the options (give an option's exact text or a "
        "letter {first}-{last})",
    ),
    "translated_option_count": (
        "译文有 {translated} 个选项，原题有 {count} 个：数量必须一致",
        "{translated} translated options for {count} options",
    ),
    # Answers, as each question type reads them (quiz/engine/qtypes/)
    "single_answer_list": (
        "单选题只有一个答案，这里却是 {count} 项的列表：有多个正确答案请用 type: multiple",
        "a single question has exactly one answer, not a list of {count} (for several right "
        "answers use type: multiple)",
    ),
    "multiple_answer_not_list": (
        "多选题的答案应是至少两项的列表，而不是{found}",
        "a multiple answer should be a list of at least two answers, not {found}",
    ),
    "order_answer_not_list": (
        "排序题的答案应是按正确顺序列出全部选项的列表，而不是{found}",
        "an order answer should be a list of every option, not {found}",
    ),
    "answer_repeated": (
        "答案把“{answer}”列了两次：每个选项只写一次",
        "the answer names '{answer}' twice",
    ),
    "multiple_needs_two": (
        "多选题至少要有两个正确答案：只有一个时请用 type: single",
        "a multiple question needs at least two right answers (for one, use type: single)",
    ),
    "truefalse_answer_not_bool": (
        "判断题的答案应为 true 或 false（不加引号），而不是{found}",
        "a truefalse answer should be true or false, not {found}",
    ),
    "fill_answer_blank": (
        "有一个可接受的答案只有空格或标点：请写出实际内容",
        "an accepted answer is only spaces or punctuation",
    ),
    "fill_first_not_option": (
        "第一个可接受的答案“{answer}”应是选项之一",
        "the first accepted answer '{answer}' should be one of the options",
    ),
    "fill_option_matches_answer": (
        "错误选项“{option}”与一个可接受的答案相同，会被判为正确：请改写它",
        "wrong option '{option}' matches an accepted answer and would be judged right",
    ),
    "order_leaves_out": (
        "排序答案漏掉了 {missing}：每个选项都要列出一次",
        "the order leaves out {missing}; it must list every option once",
    ),
    # Importing (quiz/storage/bank_import.py): a remark, the bank is imported all the same
    "version_not_raised": (
        "题库内容变了，但版本号仍是 {version}（已存的是 {stored}）："
        "请调高 version，好让大家分清各个版本",
        "the bank changed but its version is still {version} (stored: {stored}); raise it so "
        "others can tell the versions apart",
    ),
    # Across files (quiz/banks/loader.py)
    "near_duplicate": (
        "题目“{question}”与“{first}”（{first_where}）几乎相同，相似度 {likeness}%",
        "question '{question}' is nearly the same as '{first}' ({first_where}), {likeness}% alike",
    ),
    # A contest template (quiz/contests/templates.py); {key} is the value's path, rounds/0/mode
    "template_rule": (
        "模板中“{key}”的值不符合规则：请对照比赛模板的说明改正",
        "{key}: {detail}",
    ),
    "template_not_mapping": (
        "模板中“{key}”应该是映射（若干行“键: 值”）",
        "{key}: expected a mapping",
    ),
    "template_no_rounds": (
        "模板中“{key}”应是至少一轮的列表",
        "{key}: expected a non-empty list of rounds",
    ),
    "template_pk_contestants": (
        "模板中“{key}”：PK 轮需要 2 或 4 个参赛方，请调整 teams",
        "{key}: a PK round needs 2 or 4 contestants",
    ),
    "template_bad_mode": (
        "模板中“{key}”：{kind} 轮的 mode 只能是 {choices} 之一",
        "{key}: a {kind} round's mode is one of {choices}",
    ),
    "template_not_choice": (
        "模板中“{key}”只能是 {choices} 之一",
        "{key}: expected one of {choices}",
    ),
    "template_unknown_kind": (
        "模板中“{key}”是未知的轮次类型“{value}”：请用文档列出的 kind",
        "{key}: unknown round kind '{value}'",
    ),
    "template_tier_difficulty": (
        "模板中“{key}”要为每一档（tiers）各写一个难度",
        "{key}: needs one difficulty per tier",
    ),
    "template_tiers_repeat": ("模板中“{key}”的各档不能重复", "{key}: tiers must differ"),
    "template_number_range": (
        "模板中“{key}”应是 {low} 到 {high} 之间的数",
        "{key}: expected a number from {low} to {high}",
    ),
    "template_difficulty": (
        "模板中“{key}”应是一个难度，或 [低, 高]（低 ≤ 高）",
        "{key}: expected a level or [low, high], low <= high",
    ),
    "template_unknown_type": (
        "模板中“{key}”是未知的题型“{value}”：请用 single、multiple、truefalse、fill 或 order",
        "{key}: unknown question type '{value}'",
    ),
    "template_teams": (
        "模板中“{key}”应是至少两支队伍的列表",
        "{key}: expected a list of at least two teams",
    ),
    "template_team_repeat": (
        "模板中“{key}”：队伍 id“{value}”用了两次，每支队伍的 id 要不同",
        "{key}: team id '{value}' is used twice",
    ),
    "template_players_repeat": (
        "模板中“{key}”的选手 id 有重复",
        "{key}: player ids repeat",
    ),
    "template_unknown_key": (
        "模板中“{key}”是未知的键“{value}”：请删掉或改成文档列出的键",
        "{key}: unknown key '{value}'",
    ),
    "template_not_text": (
        "模板中“{key}”应是非空的文本",
        "{key}: expected a non-empty string",
    ),
    "template_not_bool": ("模板中“{key}”应为 true 或 false", "{key}: expected true or false"),
    "template_not_whole_number": (
        "模板中“{key}”应是整数",
        "{key}: expected a whole number",
    ),
    "template_not_number_list": (
        "模板中“{key}”应是非空的整数列表",
        "{key}: expected a non-empty list of whole numbers",
    ),
    "template_not_text_list": (
        "模板中“{key}”应是文本的列表",
        "{key}: expected a list of strings",
    ),
    "no_such_path": (
        "{path}：没有这个文件或文件夹",
        "{path}: no such file or folder",
    ),
    "file_unwritable": (
        "无法写入 {path}（系统报告：{reason}）",
        "cannot write {path}: {reason}",
    ),
    "no_bank_files": (
        "{paths} 中没有题库文件（{patterns}）",
        "no bank files ({patterns}) in {paths}",
    ),
}

# Words used inside messages: key: (Chinese, English).
TERMS: dict[str, tuple[str, str]] = {
    # What a value was found to be (fields.describe); {raw} is the value as written.
    "value_text": ("文本“{raw}”", "the text '{raw}'"),
    "value_bool": (
        "布尔值 {raw}（YAML 会把 yes/no/on/off 读成 true/false）",
        "{raw} (yes/no/on/off are read as true/false)",
    ),
    "value_none": ("空值", "nothing"),
    "value_mapping": ("映射", "a mapping"),
    "value_list": ("列表", "a list"),
    "value_date": ("日期 {raw}", "the date {raw}"),
    "value_number": ("数字 {raw}", "the number {raw}"),
    # Fields of a bank, named as a person reads them.
    "field_title": ("标题", "the title"),
    "field_description": ("说明", "the description"),
    "field_authors": ("作者", "authors"),
    "field_reviewed_by": ("审核人", "reviewed_by"),
    "field_version": ("版本号", "the version"),
    "field_tags": ("标签", "tags"),
    "field_text": ("题干", "text"),
    "field_options": ("选项", "options"),
    "field_answer": ("答案", "the answer"),
    "field_explanation": ("解析", "explanation"),
    "field_source": ("出处", "source"),
    "field_difficulty": ("难度", "difficulty"),
    "field_points": ("分值", "points"),
    "field_time_limit": ("限时", "time_limit"),
    "field_translations": ("译文", "translations"),
    "field_other": ("字段“{key}”", "the field '{key}'"),
    # Parts of a bank.
    "bank_file": ("题库文件", "the file"),
    "bank_file_root": ("题库文件", "a bank file"),
    "bank_header": ("“bank:”部分", "'bank'"),
    "translation_of": ("“{language}”译文", "the '{language}' translation"),
    "translated_options": ("译文选项", "translated options"),
    "translated_answer": ("译文答案", "the translated answer"),
    "question_numbered": ("第 {number} 题", "question {number}"),
    "question_named": ("题目“{question}”", "question '{question}'"),
    # Question types, as a message names them.
    "type_single": ("单选题", "a single question"),
    "type_multiple": ("多选题", "a multiple question"),
    "type_truefalse": ("判断题", "a truefalse question"),
    "type_fill": ("填空题", "a fill question"),
    "type_order": ("排序题", "an order question"),
}
