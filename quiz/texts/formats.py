"""Message templates of the Excel, CSV, Word, text, GIFT, Aiken and Moodle XML readers."""

from __future__ import annotations

# code: (Chinese template, English template); fields in braces name the problem's arguments.
# Words such as 题型 or 选项A inside the templates are what the bank file itself says (its
# headers and keywords are Chinese), so the English texts quote them as written.
MESSAGES: dict[str, tuple[str, str]] = {
    # Any file
    "unknown_format": (
        "{reason}：已知的格式有 {known}",
        "{reason}; the known formats are {known}",
    ),
    "cannot_carry": (
        "{format} 只能表示{carried}，这些题无法写入：{questions}（共 {count} 道）；"
        "请导出为 .gift、.xml 或 .yaml，或先去掉这些题",
        "{format} can carry only {carried}; these questions cannot be written: {questions} "
        "({count} in all); export as .gift, .xml or .yaml, or remove these questions first",
    ),
    "file_too_large": (
        "{what}有 {size}，超过 {limit} 的上限",
        "{what} is {size}; the limit is {limit}",
    ),
    "not_text": (
        "文件不是文本（{reason}）：请另存为 UTF-8 编码的 {extension} 文件",
        "The file is not text ({reason}): save it as a UTF-8 {extension} file",
    ),
    "unknown_encoding": (
        "无法识别文件的编码：{fix}",
        "The file's encoding is not recognised: {fix}",
    ),
    # Excel and CSV
    "old_excel_file": (
        "这是旧版 Excel 文件（.xls）：请在 Excel 或 WPS 中“另存为” .xlsx 工作簿",
        "This is an old Excel file (.xls): in Excel or WPS, use “Save As” to save it as an "
        ".xlsx workbook",
    ),
    # The reason is a whole sentence: what the file is, and what to do about it.
    "not_a_workbook": ("{reason}", "{reason}"),
    "missing_sheet": (
        "工作簿里没有“{sheet}”工作表",
        "The workbook has no “{sheet}” sheet",
    ),
    "merged_cells": (
        "合并单元格 {cells}{content}：请取消合并，在每个单元格里分别填写",
        "Merged cells {cells}{content}: unmerge them and fill in each cell",
    ),
    "image_in_cell": (
        "这里有一张{kind}：图片不能导入，请把题目和选项写成文字",
        "There is a {kind} here: pictures cannot be imported; write the question and options "
        "as text",
    ),
    "formula_without_value": (
        "公式“{formula}”没有保存的计算结果：请在 Excel 或 WPS 中打开并保存，或把公式换成文字",
        "The formula “{formula}” has no saved result: open and save the file in Excel or WPS, "
        "or replace the formula with text",
    ),
    "cell_error_value": (
        "单元格是错误值“{value}”：请改成文字",
        "The cell holds the error value “{value}”: replace it with text",
    ),
    "hidden_row": (
        "第 {rows} 行是隐藏的：仍然读取，请确认",
        "Hidden row(s) {rows}: read all the same; please check them",
    ),
    "hidden_column": (
        "第 {columns} 列是隐藏的：仍然读取，请确认",
        "Hidden column(s) {columns}: read all the same; please check them",
    ),
    "bad_csv": (
        "CSV 格式有误（有单元格超过 13 万字，或引号不成对）：请在 Excel 或 WPS 中重新另存为 CSV",
        "The CSV is malformed (a cell over 130,000 characters, or unpaired quotes): save it "
        "as CSV again in Excel or WPS",
    ),
    "unknown_header": (
        "不认识的{what}“{text}”，这一{unit}不读取",
        "Unknown {what} “{text}”: this {unit} is not read",
    ),
    "duplicate_header": (
        "列标题“{text}”与第 {column} 列重复",
        "The column header “{text}” repeats column {column}",
    ),
    "missing_column": (
        "标题行缺少“{name}”列，题目无法读取",
        "The header row has no “{name}” column: no question can be read",
    ),
    "no_header_row": (
        "工作表“{sheet}”里找不到标题行：应有一行写着 题号、题型、题干… 等列名",
        "Sheet “{sheet}” has no header row: one row must name the columns, such as 题号, "
        "题型, 题干…",
    ),
    "unknown_type": (
        "不认识的题型“{text}”：应为 {words} 之一",
        "Unknown question type (题型) “{text}”: write one of {words}",
    ),
    "missing_type": (
        "第 {row} 行没有填写题型",
        "Row {row} has no question type (题型)",
    ),
    "duplicate_stem": (
        "题干“{text}”和选项与第 {row} 行的题目相同",
        "The stem “{text}” and its options are the same as the question in row {row}",
    ),
    "option_gap": (
        "选项{missing}是空的，而后面的选项{last}有内容：选项要从 A 起连续填写",
        "Option {missing} is empty while the later option {last} is filled in: fill in the "
        "options from A on, without gaps",
    ),
    "bad_truefalse_answer": (
        "判断题的答案“{text}”看不懂：请写 正确/错误、对/错、√/×",
        "The true/false (判断题) answer “{text}” is not understood: write 正确/错误, 对/错 or √/×",
    ),
    # Excel, CSV, Word and text
    "missing_answer": (
        "第 {number} {unit}没有答案：“{text}”",
        "{unit} {number} has no answer: “{text}”",
    ),
    "answer_letter_no_option": (
        "答案“{text}”里的 {letters} 没有对应的选项（这道题只有选项 A–{last}）",
        "The answer “{text}” names {letters}, which is not an option (this question has options "
        "A–{last} only)",
    ),
    "unknown_difficulty": (
        "不认识的难度“{text}”：应为 {words} 之一，或 1 到 5",
        "Unknown difficulty (难度) “{text}”: write one of {words}, or 1 to 5",
    ),
    "unknown_status": (
        "不认识的状态“{text}”：应为 {words} 之一",
        "Unknown status (状态) “{text}”: write one of {words}",
    ),
    "unknown_shuffle": (
        "不认识的{field}“{text}”：应为 {words} 之一",
        "Unknown {field} “{text}”: write one of {words}",
    ),
    # Word and text
    "number_repeated": (
        "题号 {number} 重复出现：“{text}”",
        "Question number {number} appears again: “{text}”",
    ),
    "number_gap": (
        "题号跳过了：应为 {expected}，这里是 {number}：“{text}”",
        "A question number is skipped: {expected} was expected, this is {number}: “{text}”",
    ),
    "unknown_field": (
        "{what}“{word}”认不出：“{text}”（可写 {known}）",
        "Unknown {what} “{word}”: “{text}” (write one of {known})",
    ),
    "field_repeated": (
        "“{word}”写了两次",
        "“{word}” is written twice",
    ),
    "stray_text": (
        "{why}：“{text}”",
        "{why}: “{text}”",
    ),
    "option_out_of_order": (
        "选项字母 {letter} 不对：这里应是 {expected}：“{text}”",
        "Option letter {letter} is out of order: {expected} was expected here: “{text}”",
    ),
    "option_repeated": (
        "选项字母 {letter} 重复了：“{text}”",
        "Option letter {letter} is written twice: “{text}”",
    ),
    "no_questions": (
        "文件里没有找到题目（{hint}）",
        "No question was found in the file ({hint})",
    ),
    "header_missing": (
        "文件开头缺少“{field}：”一行（{rule}）",
        "The start of the file has no “{field}：” line ({rule})",
    ),
    "fill_blanks": (
        "第 {number} 题的题干有 {blanks} 处空，答案有 {answers} 个；一道填空题只收一个回答，"
        "“；”分开的是同一个空可接受的几种写法：“{text}”",
        "The stem of question {number} has {blanks} blanks and the answer {answers} parts; "
        "a fill question takes one response, and the parts between “；” are accepted spellings "
        "of that one blank: “{text}”",
    ),
    "type_mismatch": (
        "第 {number} 题的答案“{answer}”不合{section}：{rule}",
        "The answer “{answer}” of question {number} does not fit {section}: {rule}",
    ),
    "not_docx": ("{reason}", "{reason}"),
    # GIFT, Aiken and Moodle XML
    "header_after_questions": (
        "题库信息“{key}”写在了题目之后，已忽略（写在文件开头）：“{text}”",
        "Bank information “{key}” comes after the questions and is ignored (write it at the "
        "start of the file): “{text}”",
    ),
    "gift_syntax": (
        "{why}：“{text}”",
        "{why}: “{text}”",
    ),
    "no_answer_block": (
        "这段文字没有答案块 {{…}}，不是一道题：“{text}”（不是题目的说明文字请写成 // 注释）",
        "This paragraph has no answer block {{…}}, so it is not a question: “{text}” (write notes "
        "that are not questions as // comments)",
    ),
    "image_dropped": (
        "{count} 张图片没有导入：“{text}”",
        "{count} picture(s) not imported: “{text}”",
    ),
    "bad_weight": (
        "答案的分值权重“%{weight}%”不是数字",
        "The answer weight “%{weight}%” is not a number",
    ),
    "partial_credit": (
        "答案“{text}”只得部分分（{weight}%），本程序不给部分分，没有收为正确答案",
        "The answer “{text}” earns partial credit ({weight}%); Leitai gives no partial credit, "
        "so it is not taken as a right answer",
    ),
    "no_right_answer": (
        "{why}：“{text}”",
        "{why}: “{text}”",
    ),
    "several_right": (
        "这道单选题有几个满分选项（在 Moodle 里任选其一都对）：“{text}”；{fix}",
        "This single-choice question has several full-mark options (in Moodle any one of them "
        "is right): “{text}”; {fix}",
    ),
    "unsupported_type": (
        "本程序没有{kind}这种题型（有单选、多选、判断、填空、排序）：“{text}”",
        "Leitai has no {kind} question type (it has single, multiple, true/false, fill and "
        "order): “{text}”",
    ),
    "no_answer": (
        "题目没有“ANSWER: 字母”一行：“{text}”{after}",
        "The question has no “ANSWER: letter” line: “{text}”{after}",
    ),
    "too_many_options": (
        "选项 {letter} 超出了 8 个选项（A–H）的上限：“{text}”",
        "Option {letter} is past the limit of 8 options (A–H): “{text}”",
    ),
    "answer_not_single": (
        "答案“{letters}”应是一个选项字母（Aiken 只有单选题）：“{text}”",
        "The answer “{letters}” must be one option letter (Aiken has single choice only): “{text}”",
    ),
    "answer_letter_unknown": (
        "答案 {letters} 没有对应的选项（只有 A–{last}）：“{text}”",
        "The answer {letters} is not an option (there are options A–{last} only): “{text}”",
    ),
    "not_xml": (
        "XML 格式有误：{reason}",
        "The XML is malformed: {reason}",
    ),
    "xml_dtd": (
        "文件含有 DOCTYPE（文档类型定义）；为安全起见不读取 DTD、实体和外部引用，"
        "Moodle 导出的文件没有这些内容",
        "The file holds a DOCTYPE (document type definition); for safety, DTDs, entities and "
        "external references are not read, and Moodle's exports have none",
    ),
    "not_moodle_xml": (
        "这不是 Moodle XML 题库：根元素是 <{tag}>，应是 <quiz>",
        "This is not a Moodle XML bank: the root element is <{tag}>, not <quiz>",
    ),
    "not_a_question": (
        "Moodle 的“说明”不是题目，已跳过：“{text}”",
        "A Moodle “description” is not a question and is skipped: “{text}”",
    ),
}

# Words used inside messages: key: (Chinese, English).
TERMS: dict[str, tuple[str, str]] = {
    # cannot_carry
    "fmt_only_single": ("单选题", "single-choice questions"),
    # unknown_format; terms may name the message's arguments
    "fmt_format_not_named": ("没有名为“{value}”的题库格式", "No bank format is called “{value}”"),
    "fmt_format_no_extension": (
        "文件名“{value}”没有扩展名，无法据此选择题库格式",
        "The file name “{value}” has no extension to choose a bank format by",
    ),
    "fmt_format_extension": (
        "没有哪种题库格式读取扩展名为“{value}”的文件",
        "No bank format reads “{value}” files",
    ),
    # file_too_large
    "fmt_the_file": ("文件", "The file"),
    "fmt_unpacked_file": ("文件解压后", "Unpacked, the file"),
    "fmt_unpacked_workbook": ("工作簿解压后", "Unpacked, the workbook"),
    # not_text
    "fmt_is_workbook": (
        "这是 Excel 工作簿而不是 CSV，也可把扩展名改为 .xlsx",
        "it is an Excel workbook, not CSV; you may also rename it to .xlsx",
    ),
    "fmt_has_nul": ("含有空字节", "it holds NUL bytes"),
    "fmt_binary": ("里面有二进制内容", "it holds binary data"),
    "fmt_binary_or_encoding": (
        "里面有二进制内容，或编码认不出",
        "binary data, or an unknown encoding",
    ),
    # unknown_encoding
    "fmt_fix_csv": (
        "请另存为“CSV UTF-8（逗号分隔）”",
        "save it as “CSV UTF-8 (Comma delimited)”",
    ),
    "fmt_fix_txt": (
        "请存为 UTF-8 或 GBK 编码的 .txt",
        "save it as a .txt file in UTF-8 or GBK",
    ),
    # no_answer
    "fmt_at_end": ("（文件结束了）", " (the file ends)"),
    "fmt_next_line": (
        "；下一行“{next}”不是选项",
        "; the next line “{next}” is not an option",
    ),
    # not_a_workbook, not_docx
    "fmt_not_zip_xlsx": (
        "文件不是 Excel 工作簿（.xlsx）：请在 Excel 或 WPS 中另存为 .xlsx",
        "The file is not an Excel workbook (.xlsx): save it as .xlsx in Excel or WPS",
    ),
    "fmt_damaged_xlsx": (
        "文件无法作为 Excel 工作簿读取（可能已损坏）：请在 Excel 或 WPS 中重新保存",
        "The file cannot be read as an Excel workbook (it may be damaged): save it again in "
        "Excel or WPS",
    ),
    "fmt_not_zip_docx": (
        "这不是 .docx 文件（旧版 .doc 或 WPS 文件请在 Word/WPS 中另存为 .docx）",
        "This is not a .docx file (save an old .doc or a WPS file as .docx in Word or WPS)",
    ),
    "fmt_damaged_docx": (
        "这个 .docx 文件已损坏或不是 Word 文档，请在 Word/WPS 中打开后重新保存",
        "This .docx file is damaged or not a Word document: open it in Word or WPS and save "
        "it again",
    ),
    # merged_cells
    "fmt_merged_content": ("（内容“{text}”）", " (content “{text}”)"),
    "fmt_merged_empty": ("（空白）", " (empty)"),
    # image_in_cell
    "fmt_picture": ("图片", "picture"),
    "fmt_picture_in_cell": ("嵌入单元格的图片", "picture placed in the cell"),
    # unknown_header
    "fmt_info_item": ("题库信息项", "bank information item"),
    "fmt_column_header": ("列标题", "column header"),
    "fmt_row": ("行", "row"),
    "fmt_column": ("列", "column"),
    # missing_answer
    "fmt_unit_row": ("行", "Row"),
    "fmt_unit_question": ("题", "Question"),
    # unknown_shuffle
    "fmt_shuffle_column": ("打乱选项", "shuffle option (打乱选项)"),
    "fmt_option_order": ("选项顺序", "option order (选项顺序)"),
    # unknown_field
    "fmt_front_field": ("文件开头的字段", "field at the start of the file"),
    "fmt_front_question_field": (
        "文件开头的题目字段",
        "question field at the start of the file",
    ),
    "fmt_question_field": ("字段", "field"),
    # stray_text
    "fmt_stray_front": (
        "这段文字不属于任何题目，已忽略",
        "This text belongs to no question and is ignored",
    ),
    "fmt_option_after_fields": (
        "选项写在了答案或其他字段之后",
        "An option comes after the answer or another field",
    ),
    "fmt_not_question_or_field": (
        "这段文字不属于任何题目或字段",
        "This text belongs to no question or field",
    ),
    "fmt_not_option_or_field": (
        "选项之后的这段文字不是选项也不是字段",
        "This text after the options is neither an option nor a field",
    ),
    "fmt_no_question_before": ("这一行前面没有题目", "No question comes before this line"),
    # option_out_of_order
    "fmt_no_more_options": ("（最多 8 个选项）", "(at most 8 options)"),
    # no_questions
    "fmt_hint_dialect": (
        "题目以“1.”“1、”“（1）”开头",
        "questions start with “1.”, “1、” or “（1）”",
    ),
    "fmt_hint_gift": ("每道题要有答案块 {{…}}", "each question needs an answer block {{…}}"),
    "fmt_hint_aiken": (
        "每道题是一行题干、几行选项和一行“ANSWER: 字母”",
        "each question is a line of stem, option lines and an “ANSWER: letter” line",
    ),
    "fmt_hint_moodle": ("应有 <question> 元素", "there must be <question> elements"),
    # header_missing
    "fmt_rule_authors": ("至少一位作者", "at least one author"),
    "fmt_rule_bank_id": (
        "文件名“{stem}”也不能作编号：编号用小写字母、数字和连字符，以字母开头",
        "the file name “{stem}” cannot serve as the id either: an id is lower-case letters, "
        "digits and hyphens, starting with a letter",
    ),
    # type_mismatch
    "fmt_its_type": ("题型", "its type"),
    "fmt_rule_truefalse": (
        "判断题的答案应是 正确/错误（对/错、√/×）",
        "a true/false answer is 正确/错误 (对/错, √/×)",
    ),
    "fmt_rule_letters": (
        "有选项的题，答案应写选项字母（如 B 或 ABD）",
        "with options, the answer is option letters (such as B or ABD)",
    ),
    "fmt_rule_order_letters": (
        "有选项的题，答案应写选项字母顺序（如 BCAD）",
        "with options, the answer is the letters in order (such as BCAD)",
    ),
    "fmt_rule_order_only": (
        "按顺序写的答案只用于排序题",
        "an answer in sequence is for order questions only",
    ),
    "fmt_rule_single": ("单选题只有一个答案", "a single-choice question has one answer"),
    "fmt_rule_multiple": (
        "多选题至少有两个答案",
        "a multiple-choice question has at least two answers",
    ),
    # gift_syntax
    "fmt_gift_title_open": ("题名少了结尾的“::”", "The question name has no closing “::”"),
    "fmt_gift_block_open": ("答案块缺少结尾的“}}”", "The answer block has no closing “}}”"),
    "fmt_gift_two_blocks": (
        "一段里有两个答案块 {{…}}（题与题之间要空一行）",
        "Two answer blocks {{…}} in one paragraph (leave an empty line between questions)",
    ),
    "fmt_gift_no_mark": (
        "答案块里的这段文字前面少了“=”（正确）或“~”（错误）",
        "This text in the answer block needs “=” (right) or “~” (wrong) before it",
    ),
    # no_right_answer
    "fmt_no_right": ("这道题没有正确答案", "This question has no right answer"),
    "fmt_no_full_marks": ("这道题没有满分答案", "This question has no full-mark answer"),
    "fmt_choice_no_right": (
        "这道选择题没有正确选项（用“=”或正的权重“~%50%”标出）",
        "This choice question has no right option (mark it with “=” or a positive weight “~%50%”)",
    ),
    "fmt_truefalse_no_full": (
        "这道判断题没有满分的 true/false 答案",
        "This true/false question has no full-mark true/false answer",
    ),
    # several_right
    "fmt_fix_gift": (
        "单选题只写一个“=”，多选题把正确选项写成 ~%50% 这样的权重",
        "write one “=” for single choice, and weights such as ~%50% for the right options of "
        "multiple choice",
    ),
    "fmt_fix_moodle": ("单选题只能有一个正确选项", "single choice has exactly one right option"),
    # unsupported_type
    "fmt_gift_essay": ("问答题（空的 {{}}）", "essay (an empty {{}})"),
    "fmt_gift_numerical": ("数值题（{{#…}}）", "numerical ({{#…}})"),
    "fmt_gift_matching": (
        "配对题（=甲 -> 乙；配到 1、2、3… 的才是排序题）",
        "matching (=a -> b; only matching to 1, 2, 3… is an order question)",
    ),
    "fmt_numerical": ("数值题", "numerical"),
    "fmt_matching": ("配对题", "matching"),
    "fmt_essay": ("问答题", "essay"),
    "fmt_multianswer": ("完形填空（Cloze）", "embedded answers (Cloze)"),
    "fmt_calculated": ("计算题", "calculated"),
    "fmt_calculatedsimple": ("简单计算题", "simple calculated"),
    "fmt_calculatedmulti": ("计算选择题", "calculated multichoice"),
    "fmt_ddwtos": ("拖放填空题", "drag and drop into text"),
    "fmt_gapselect": ("选择填空题", "select missing words"),
    "fmt_ddimageortext": ("拖放到图片题", "drag and drop onto image"),
    "fmt_ddmarker": ("拖放标记题", "drag and drop markers"),
    "fmt_randomsamatch": ("随机配对题", "random short-answer matching"),
    # not_xml
    "fmt_xml_encoding": (
        "声明的编码认不出，或文件不是这种编码（请存为 UTF-8）",
        "the encoding its declaration names is unknown, or the file is not in it (save it "
        "as UTF-8)",
    ),
    "fmt_expat_mismatched_tag": (
        "开始标签和结束标签不配对",
        "a start tag and its end tag do not match",
    ),
    "fmt_expat_invalid_token": ("有不合法的字符或标记", "an invalid character or mark"),
    "fmt_expat_no_element": (
        "文件不完整（缺少结束标签）",
        "the file is incomplete (an end tag is missing)",
    ),
    "fmt_expat_undefined_entity": ("有未定义的实体（&…;）", "an undefined entity (&…;)"),
    "fmt_expat_junk_after": ("根元素之后还有内容", "content after the root element"),
    "fmt_expat_unclosed_token": ("有没写完的标记", "an unfinished mark"),
    "fmt_expat_syntax_error": ("不是 XML", "it is not XML"),
    "fmt_xml_malformed": ("文件不是格式正确的 XML", "the file is not well-formed XML"),
}
