"""Footnote marks that one side shows as marks and the other glues into its words.

PDF extraction glues a footnote number to the word before it. The readers
(``read.py``) leave out the marks they can tell by their place alone (``rates5``,
``（研究中心）3``, ``5.75厘1``), but ``組織6標準`` could as well be a count
before a noun. When the other side has a mark of the same value
(``Standards6``), the number is that mark, read as the other side reads it.
"""

from __future__ import annotations

import collections.abc as cabc
import re
import typing as t

if t.TYPE_CHECKING:
    from .read import Quantity

EN_FOOTNOTE = re.compile(r"(?<=[a-z)”\"’%])\d(?=[\s,.;:]|$)")  # "the Board (FSB)1 in April", "100%2 system"
# "since 19943.": the year 1994 and footnote 3 at the end of a clause (edited English writes 19,943 with a comma).
EN_YEAR_FOOTNOTE = re.compile(
    r"\b(?:in|since|of|from|to|until|before|after|and|end-|mid-)\s?(?P<year>19[5-9]\d|20\d\d)[1-9](?=[,.;:)]|\s\(|$)", re.I)

# A footnote mark left by PDF extraction: 水平。1 工商, 表現掛鈎2， (a number there would have a unit).
NOT_BEFORE_A_MARK = "第約近逾至由為到及和與達共計或於在有圖表期號每前後月日年註條款段項是首較超過乎示"  # 第3, 約3, 至3, 圖3: a number
ZH_COUNTERS = "個年月日號時分秒億萬千百十元間份名項次倍宗場篇期位家條架輛人歲周週天季批點基度成折隻種類層座幅張頁段章款"
ZH_FOOTNOTE = re.compile(
    r"(?<=[。）)」])\d{1,2}(?=\s)"
    rf"|(?<=[\u4e00-\u9fff》」)）%])(?<![{NOT_BEFORE_A_MARK}])\d"
    rf"(?=\s*[，。、；：）)（(]|\s+(?![至到及和與{ZH_COUNTERS}])[\u4e00-\u9fff]|\s*[及和](?!\s*\d))"
    # After a closing bracket or title mark, before words that are no unit: 研究中心）3發表, 《月報》1資料.
    rf"|(?<=[》」』）)])\d(?=\s*[\u4e00-\u9fff])(?!\s*[{ZH_COUNTERS}])"
    r"|(?<=%)\d(?![\d.])"  # 100%1的: nothing else follows a percent sign
)


def listed_again(text: str, start: int, end: int) -> bool:
    """Whether the number before 及 or 和 is one of a list that repeats its word: 範圍1及範圍2 (Scope 1 and Scope 2)."""
    joined = re.match(r"\s*[及和]\s*", text[end:])
    return bool(joined) and text[end + joined.end():end + joined.end() + 1] in text[max(0, start - 2):start]


_CJK = re.compile(r"[\u4e00-\u9fff]")


def footnote_marks(text: str, language: str) -> list[int]:
    """The values of the footnote marks the reader of ``language`` (``en`` or ``zh``) leaves out of ``text``.

    >>> footnote_marks("the GRI Standards6 and the Bulletin1.", "en"), footnote_marks("研究中心）3發表", "zh")
    ([6, 1], [3])
    """
    if language == "en":
        marks = [int(m.group()) for m in EN_FOOTNOTE.finditer(text)]
        return marks + [int(m.group()[-1]) for m in EN_YEAR_FOOTNOTE.finditer(text)]
    return [int(m.group()) for m in ZH_FOOTNOTE.finditer(text) if not listed_again(text, m.start(), m.end())]


def without_marks(quantities: cabc.Sequence[Quantity], text: str, language: str, marks: cabc.Sequence[int]) -> list[Quantity]:
    """``quantities`` (left over in ``text``) less those glued in as a mark the other side has, each mark once."""
    left = list(marks)
    kept: list[Quantity] = []
    for quantity in quantities:
        if quantity.kind == "number" and quantity.value in left and _glued(text, quantity, language):
            left.remove(int(quantity.value))
        else:
            kept.append(quantity)
    return kept


def _glued(text: str, quantity: Quantity, language: str) -> bool:
    """A one- or two-digit number glued to the words around it with no unit after it."""
    if not re.fullmatch(r"[1-9][0-9]?", quantity.text) or quantity.start == 0:
        return False
    before, after = text[quantity.start - 1], text[quantity.end:quantity.end + 1]
    if language == "en":
        return before.isalpha()
    return bool(_CJK.match(before)) and before not in NOT_BEFORE_A_MARK and bool(_CJK.match(after)) \
        and after not in ZH_COUNTERS
