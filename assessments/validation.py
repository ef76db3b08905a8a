"""Rules a question must satisfy, and answer normalisation — shared by the admin form, the XLSX
import and grading, so that all three agree."""

import unicodedata

LETTERS = "ABCDEF"
TRUE_WORDS = {"对", "正确", "√", "T", "TRUE", "是", "Y"}
FALSE_WORDS = {"错", "错误", "×", "X", "F", "FALSE", "否", "N"}


def normalize_text(value: str) -> str:
    """Trim, fold full-width to half-width (NFKC), collapse inner spaces, ignore case."""
    value = unicodedata.normalize("NFKC", str(value or ""))
    return " ".join(value.split()).casefold()


def answer_letters(answer: str) -> list[str]:
    cleaned = normalize_text(answer).upper().replace(",", "").replace("、", "").replace(" ", "")
    return list(dict.fromkeys(cleaned))


def truth_value(answer: str) -> bool | None:
    word = normalize_text(answer).upper()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def accepted_fill_answers(answer: str) -> list[str]:
    parts = str(answer or "").replace("｜", "|").split("|")
    return [normalize_text(p) for p in parts if normalize_text(p)]


def question_problems(*, kind: str, stem: str, options: list[str], answer: str) -> list[str]:
    """Chinese descriptions of everything wrong with a question; empty when it is valid."""
    problems = []
    if not str(stem or "").strip():
        problems.append("题干为空")
    if not str(answer or "").strip():
        problems.append("答案为空")
        return problems
    if kind in ("single", "multiple"):
        present = [LETTERS[i] for i, text in enumerate(options) if str(text or "").strip()]
        if len(present) < 2:
            problems.append("选择题至少需要两个选项")
        letters = answer_letters(answer)
        unknown = [letter for letter in letters if letter not in present]
        if unknown:
            problems.append(f"答案 {''.join(unknown)} 没有对应的选项")
        elif kind == "single" and len(letters) != 1:
            problems.append("单选题只能有一个答案")
        elif kind == "multiple" and len(letters) < 2:
            problems.append("多选题至少需要两个正确选项")
    elif kind == "truefalse":
        if truth_value(answer) is None:
            problems.append("判断题答案只能是“对”或“错”")
    elif kind == "fill":
        if not accepted_fill_answers(answer):
            problems.append("填空题至少需要一个可接受的答案")
    else:
        problems.append("未知题型")
    return problems
