"""The batch report: its summary, the ≠ marks, finding titles and --findings-only."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfscore import audit, load, score
from perfscore.cli import main
from perfscore.findings import CHECKS, Finding
from perfscore.render._shape import differs, funds_differ, total_differs
from perfscore.render.html import render_html, table_html
from perfscore.render.markdown import render_markdown
from perfscore.render.text import render_text
from perfscore.testing import tables

WINE = "02_wine-competition-2022.json"

# The summary of the bundled tables under changji-2023, the rules observed in them:
# 13 of the 16 printed totals are reproduced; 02 prints 90 for 100.00, 09 prints 30
# for 50.00 and 16 prints 100 for 90.00.
TOTALS = (
    "总分：印有总分的表 16 张，与计算一致 13 张，不一致 3 张；差额（印−算）合计 -20.00，"
    "最大 -20.00（昌吉州 2023 年葡萄酒发展专项）"
)
GRADES = "等级：优 8 · 良 1 · 中 2 · 差 6"


def run(capsys, *arguments):
    status = main(list(arguments))
    return status, capsys.readouterr().out


def test_text_summary_of_score_comes_last_with_the_real_figures(examples, capsys):
    """score ends with the batch summary: tables, totals reproduced, the gaps, the grades."""
    status, out = run(capsys, "score", str(examples), "--profile", "changji-2023")
    assert status == 0
    summary = out[out.index("== 汇总：17 张表") :]
    lines = summary.splitlines()
    assert lines[0] == "== 汇总：17 张表"
    assert lines[1] == f"   {TOTALS}"
    assert lines[2] == "   总分不一致的表："
    assert lines[3].split() == [
        "印",
        "30",
        "≠",
        "算",
        "50.00",
        "差",
        "-20.00",
        "昌吉州",
        "2023",
        f"年葡萄酒发展专项（{examples}/09_wine-development-2023.json）",
    ]
    assert lines[4].split()[:7] == ["印", "90", "≠", "算", "100.00", "差", "-10.00"]
    assert lines[5].split()[:7] == ["印", "100", "≠", "算", "90.00", "差", "+10.00"]
    assert lines[6] == f"   {GRADES}"
    # No findings were looked for: the summary says nothing of them.
    assert "错误" not in summary
    assert "问题" not in summary
    assert summary.endswith("实际完成值照抄指标值的定量行 57/119（47.9%）\n")


def test_text_summary_of_audit_lists_findings_by_id_with_titles(examples, capsys):
    """audit's summary adds the findings by severity and by id, each id with its title."""
    _, out = run(capsys, "audit", str(examples), "--profile", "changji-2023")
    summary = out[out.index("== 汇总：17 张表") :]
    assert f"   {TOTALS}\n" in summary
    assert f"   {GRADES}\n" in summary
    assert "   错误 4 · 警告 9 · 提示 67\n" in summary
    rows = {line.split()[0]: line.split()[1:] for line in summary.splitlines()[8:21]}
    assert rows["问题"] == ["错误", "警告", "提示", "说明"]
    assert rows["score-mismatch"] == ["4", "得分与规则计算值不符"]
    assert rows["overshoot"] == ["1", "12", "实际完成值大幅偏离指标值"]
    assert rows["qualitative-mismatch"] == ["23", "定性指标与定量数值混用或得分超出档次区间"]
    assert len(rows) == 13


def test_markdown_summary_comes_last_with_the_real_figures(examples, capsys):
    """The Markdown report ends with the same summary, the differing totals as a table."""
    _, out = run(
        capsys, "audit", str(examples), "--profile", "changji-2023", "--format", "markdown"
    )
    summary = out[out.index("## 汇总：17 张表") :]
    assert "## " not in summary[3:]  # the last section
    assert f"\n{TOTALS}\n" in summary
    assert f"\n{GRADES}\n" in summary
    assert (
        "| 30 | ≠ | 50.00 | -20.00 | 昌吉州 2023 年葡萄酒发展专项"
        f"（`{examples}/09_wine-development-2023.json`） |"
    ) in summary
    assert "| score-mismatch | 4 |  |  | 得分与规则计算值不符 |" in summary


def test_html_summary_comes_first_and_links_to_every_table(examples, capsys):
    """The HTML page opens with the summary and its charts, then a linked list of the tables."""
    _, out = run(capsys, "audit", str(examples), "--profile", "changji-2023", "--format", "html")
    summary = out.index('<section class="summary"')
    listed = out.index('<details class="tables" open>')
    first = out.index('<section class="table"')
    assert summary < listed < first
    head = out[summary:listed]
    assert f"<p>{TOTALS}</p>" in head
    assert f"<p>{GRADES}</p>" in head
    assert head.count("<svg") == 4
    assert "<td><code>score-mismatch</code></td>" in head
    assert "<td>得分与规则计算值不符</td>" in head
    # Every link leads to a table on the page, and every table is linked from the list.
    anchors = re.findall(r'<section class="table" id="([^"]+)"', out)
    listed_links = re.findall(r'href="#([^"]+)"', out[listed:first])
    assert len(anchors) == 17
    assert listed_links == anchors
    assert set(re.findall(r'href="#([^"]+)"', head)) <= set(anchors)
    assert "<summary>表：17 张</summary>" in out


def test_json_summary_for_score_and_audit(examples, capsys):
    """Both commands' JSON carries a summary; only the audit's has findings."""
    _, out = run(capsys, "score", str(examples), "--profile", "changji-2023", "--format", "json")
    scored = json.loads(out)["summary"]
    assert list(scored) == ["tables", "refused", "inflation", "totals", "grades"]
    assert scored["grades"] == {"优": 8, "良": 1, "中": 2, "差": 6}
    totals = scored["totals"]
    assert (totals["printed"], totals["reproduced"], totals["differing"]) == (16, 13, 3)
    assert totals["gap_sum"] == "-20.00"
    assert totals["largest_gap"] == {
        "file": f"{examples}/09_wine-development-2023.json",
        "index": 0,
        "name": "昌吉州 2023 年葡萄酒发展专项",
        "printed": "30",
        "computed": "50.00",
        "gap": "-20.00",
    }
    assert [gap["gap"] for gap in totals["gaps"]] == ["-20.00", "-10.00", "10.00"]
    _, out = run(capsys, "audit", str(examples), "--profile", "changji-2023", "--format", "json")
    audited = json.loads(out)["summary"]
    assert list(audited) == [
        "tables",
        "refused",
        "by_severity",
        "by_id",
        "ranked",
        "inflation",
        "totals",
        "grades",
    ]
    assert audited["totals"] == totals
    assert audited["by_id"]["score-mismatch"] == {"error": 4}


# ---------------------------------------------------------------------------------
# Every printed-vs-computed difference, marked the same way


def test_a_total_mismatch_is_marked_in_every_human_format(examples):
    """02 prints 总分 90 where the rules give 100.00: ≠ between them, highlighted in HTML."""
    card = score(load(examples / WINE)[0], profile="changji-2023")
    line = "总分(算) 100.00（优） ≠ 总分(印) 90 · 规则 changji-2023"
    assert line in render_text(card)
    assert f"**{line}**" in render_markdown(card)
    assert f'<p class="diff"><b>{line}</b></p>' in table_html(card)


def test_a_funds_score_mismatch_is_marked_in_every_human_format(examples):
    """Under mof-2020, 02's 执行率 98.36% scores 9.84 against a printed 10.00."""
    card = score(load(examples / WINE)[0], profile="mof-2020")
    line = "执行率 98.36%，得分(算) 9.84 ≠ 印刷得分 10.00"
    assert line in render_text(card)
    assert f"\n{line}\n" in render_markdown(card)
    page = table_html(card)
    assert f'<p class="diff">{line}</p>' in page
    # The printed 得分 of the total row, highlighted in the funds block.
    assert (
        '<tr><td>年度资金总额</td><td class="num">428.71</td><td class="num">428.71</td>'
        '<td class="num">421.67</td><td class="num">10</td><td class="num">98.36%</td>'
        '<td class="num diff">10.00</td></tr>'
    ) in page
    assert "p.diff{font-weight:bold;color:#b00020;background:#ffe3e3}" in render_html(card)


def test_an_item_mismatch_is_marked_in_every_human_format(examples):
    """02's first row prints 0.00 where the rules give 10.00."""
    card = score(load(examples / WINE)[0], profile="changji-2023")
    assert "| 0.00     | 10.00 ≠  |" in render_text(card)
    assert "| 0.00 | **10.00 ≠** |" in render_markdown(card)
    assert '<td class="num diff" title="实际 1044 件 &gt; 指标值 700 件' in table_html(card)
    assert '得满分 10.00">10.00 ≠</td>' in table_html(card)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(max_rows=6), st.sampled_from(["mof-2020", "changji-2023"]))
def test_every_difference_gets_one_mark_in_every_human_format(table, profile):
    """Text, Markdown and HTML draw one ≠ for each figure the shared rule says differs."""
    card = score(table, profile=profile)
    expected = (
        sum(differs(card, index) for index in range(len(card.items)))
        + funds_differ(card)
        + total_differs(card)
    )
    printed = json.dumps(table.to_dict(), ensure_ascii=False)
    if "≠" in printed:  # a drawn cell holding the mark itself
        return
    assert render_text(card).count("≠") == expected
    assert render_markdown(card).count("≠") == expected
    page = table_html(card)
    assert page.count("≠") == expected
    # Each marked figure highlighted, and nothing else.
    assert page.count('class="num diff"') + page.count('class="diff"') == expected + funds_differ(
        card
    )


# ---------------------------------------------------------------------------------
# Finding titles


def test_each_finding_is_listed_with_its_title(examples):
    """The findings under a table name each id's Chinese title beside it."""
    report = audit(load(examples / "12_industrial-internet-study.json")[0], profile="changji-2023")
    title = CHECKS["direction-suspect"].title
    assert f"[警告] direction-suspect（{title}） · indicators[3]" in render_text(
        report.scorecard, findings=report.findings
    )
    assert f"- 警告 `direction-suspect`（{title}） · indicators[3]" in render_markdown(
        report.scorecard, findings=report.findings
    )
    assert f"<code>direction-suspect</code>（{title}） · indicators[3]" in table_html(
        report.scorecard, findings=report.findings
    )


# ---------------------------------------------------------------------------------
# --findings-only

FINDINGS_ONLY = ("--profile", "changji-2023", "--findings-only", "--min-severity", "error")


def test_findings_only_text_shows_the_tables_and_rows_concerned(examples, capsys):
    """Only the 4 tables with an error, each with its identity, its rows in error, its totals."""
    status, out = run(capsys, "audit", str(examples), *FINDINGS_ONLY)
    assert status == 1
    tables_shown = re.findall(r"^(?:项目|部门整体)支出绩效自评表 · (.+)$", out, re.MULTILINE)
    assert tables_shown == [
        "昌吉回族自治州工业和信息化局",
        "2022（新疆昌吉）“一带一路”国际葡萄酒大赛",
        "昌吉州 2023 年葡萄酒发展专项",
        "民爆行业及重点工业企业安全生产检查指导项目",
    ]
    wine = out[out.index("· 昌吉州 2023 年葡萄酒发展专项") : out.index("· 民爆行业")]
    assert f"文件：{examples}/09_wine-development-2023.json" in wine
    assert "年度：2023  主管部门：昌吉回族自治州工业和信息化局" in wine
    # One row: the one in error (row 6), labels given in full; no funds, goal or workings.
    rows = [line for line in wine.splitlines() if line.startswith("| ") and "一级指标" not in line]
    assert rows[0].startswith("| 效益指标 | 社会效益指标 | 规范天山北麓精品葡萄酒庄 | 规范 ")
    assert all(row.startswith("|          |") for row in rows[1:])
    assert "项目资金" not in wine
    assert "年度总体目标" not in wine
    assert "计算过程" not in wine
    assert "总分(算) 50.00（差） ≠ 总分(印) 30 · 规则 changji-2023" in wine
    assert "警告" not in wine  # below --min-severity
    assert "== 汇总：17 张表" in out  # the summary counts the whole batch
    assert out.endswith("   只列出有发现的表：4 张\n")


def test_findings_only_shows_the_funds_block_when_a_finding_concerns_it(examples):
    """Under mof-2020, 02's funds score is in error: the funds block stays, with its mark."""
    report = audit(load(examples / WINE)[0], profile="mof-2020")
    text = render_text(report.scorecard, findings=report.at_least("error"), findings_only=True)
    assert "项目资金（万元）" in text
    assert "执行率 98.36%，得分(算) 9.84 ≠ 印刷得分 10.00  [错 funds-score-mismatch]" in text


def test_findings_only_with_table_findings_only_has_no_rows(examples):
    """A table whose findings are all about the table as a whole shows no row grid."""
    card = score(load(examples / WINE)[0], profile="changji-2023")
    finding = Finding("copied-actuals", "info", "table", card.table.name, "照抄")
    for render in (render_text, render_markdown, table_html):
        shown = render(card, findings=[finding], findings_only=True)
        assert "参赛样品数量" not in shown
        assert "copied-actuals" in shown
        assert "总分(算) 100.00（优） ≠ 总分(印) 90" in shown


def test_findings_only_markdown_and_html(examples, capsys):
    """Markdown and HTML show the same 4 tables, each with only its rows in error."""
    _, out = run(capsys, "audit", str(examples), *FINDINGS_ONLY, "--format", "markdown")
    assert out.count("\n## 项目支出绩效自评表") + out.count("\n## 部门整体支出绩效自评表") == 4
    assert out.count("| 错 score-mismatch |") == 4
    assert "只列出有发现的表：4 张" in out
    _, out = run(capsys, "audit", str(examples), *FINDINGS_ONLY, "--format", "html")
    assert out.count('<section class="table"') == 4
    assert "<summary>有发现的表：4 张</summary>" in out
    assert out.count('<tr class="error">') == 4
    assert "<summary>计算过程</summary>" not in out


def test_findings_only_json_keeps_the_report_shape(examples, capsys):
    """JSON: the 4 tables with every key, items cut to those with findings, funds null."""
    _, out = run(capsys, "audit", str(examples), *FINDINGS_ONLY, "--format", "json")
    document = json.loads(out)
    assert list(document) == ["format", "profile", "findings_only", "tables", "summary"]
    assert document["findings_only"] is True
    entries = document["tables"]
    assert [entry["file"].rsplit("/", 1)[1][:2] for entry in entries] == ["01", "02", "09", "16"]
    assert [[item["index"] for item in entry["items"]] for entry in entries] == [[0], [0], [6], [5]]
    assert all(entry["funds"] is None for entry in entries)
    assert list(entries[1]) == [
        "file",
        "index",
        "name",
        "funds",
        "items",
        "total",
        "printed_total",
        "grade",
        "complete",
        "findings",
    ]
    assert (entries[1]["total"], entries[1]["printed_total"]) == ("100.00", "90")
    assert document["summary"]["tables"] == 17


def test_findings_only_csv_has_only_the_rows_concerned(examples, capsys):
    """CSV: one row per item with a finding, nothing else."""
    _, out = run(capsys, "audit", str(examples), *FINDINGS_ONLY, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert [(row["where"], row["findings"]) for row in rows] == [
        ("indicators[0]", "score-mismatch"),
        ("indicators[0]", "score-mismatch"),
        ("indicators[6]", "score-mismatch"),
        ("indicators[5]", "score-mismatch"),
    ]


def test_score_does_not_take_findings_only(examples, capsys):
    """score finds nothing to keep: --findings-only is audit's option."""
    with pytest.raises(SystemExit) as exit_:
        main(["score", str(examples), "--findings-only"])
    assert exit_.value.code == 2
    assert "--findings-only" in capsys.readouterr().err


def test_html_charts_are_well_formed_svg(examples, capsys):
    """The page's four charts parse as XML, each with its title and Chinese axis labels."""
    _, out = run(capsys, "audit", str(examples), "--profile", "changji-2023", "--format", "html")
    found = re.findall(r"<svg.*?</svg>", out, re.DOTALL)
    charts = [ET.fromstring(svg) for svg in found]  # noqa: S314 - our own output
    svg = "{http://www.w3.org/2000/svg}"
    assert [chart.find(f"{svg}title").text for chart in charts] == [
        "总分：印刷与计算",
        "总分差额的分布",
        "发现（按问题）",
        "等级分布",
    ]
    texts = [{text.text for text in chart.iter(f"{svg}text")} for chart in charts]
    assert {"总分（计算）", "总分（印刷）"} <= texts[0]
    assert "表数" in texts[1]
    assert "score-mismatch 得分与规则计算值不符" in texts[2]
    assert {"优", "良", "中", "差", "8", "1", "2", "6"} <= texts[3]
