"""Build the .docx task-division tables of tests/plandoc_corpus/ from the published text.

The rows are the published items of the documents named in tests/plandoc_corpus/SOURCES.md, laid out as the
task-division tables these offices circulate (序号 / 工作任务 / 牵头单位 / 责任单位 …).  Layout choices (a group
row merged across the table, a continuation row after a page break) are noted per file in SOURCES.md.

    .venv/bin/python scripts/build_plandoc_corpus_docx.py
"""

from __future__ import annotations

from pathlib import Path

import docx

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "plandoc_corpus"


def _table(document, header, rows):
    table = document.add_table(rows=0, cols=len(header))
    table.style = "Table Grid"
    cells = table.add_row().cells
    for c, h in zip(cells, header, strict=True):
        c.text = h
    for row in rows:
        cells = table.add_row().cells
        if isinstance(row, str):  # a group heading merged across the whole row
            merged = cells[0].merge(cells[-1])
            merged.text = row
            continue
        for c, v in zip(cells, row, strict=True):
            c.text = v
    return table


def liaoning() -> None:
    d = docx.Document()
    d.add_paragraph("辽宁省人民政府关于印发《2023年省〈政府工作报告〉任务分解和责任分工方案》的通知")
    d.add_paragraph("辽宁省人民政府")
    d.add_paragraph("2023年1月19日")
    d.add_paragraph("2023年省《政府工作报告》任务分解和责任分工方案")
    _table(
        d,
        ["序号", "工作任务", "牵头单位", "责任单位"],
        [
            "一、今年全省经济社会发展的主要预期目标",
            ["1", "地区生产总值增长5%以上。", "省发展改革委", "省工业和信息化厅、省农业农村厅、省商务厅等,"],
            ["", "", "", "各市人民政府,省沈抚示范区管委会"],  # continuation row (page break)
            ["2", "一般公共预算收入增长5%左右。", "省财政厅", "省税务局,各市人民政府,省沈抚示范区管委会"],
            ["3", "规模以上工业增加值增长6%左右。", "省工业和信息化厅", "各市人民政府,省沈抚示范区管委会"],
            [
                "4",
                "固定资产投资增长10%以上。",
                "省发展改革委",
                "省工业和信息化厅、省农业农村厅、省商务厅等,各市人民政府,省沈抚示范区管委会",
            ],
        ],
    )
    d.save(CORPUS / "liaoning-2023-gzbg-table.docx")


def lishan() -> None:
    d = docx.Document()
    d.add_paragraph("立山区人民政府关于印发《立山区政府2023年重点工作任务分解和责任分工方案》的通知")
    d.add_paragraph("立山区人民政府")
    d.add_paragraph("2023年3月28日")
    d.add_paragraph("立山区政府2023年重点工作任务分解和责任分工方案")
    _table(
        d,
        ["序号", "重点工作任务", "牵头单位", "责任单位"],
        [
            "一、经济社会发展的主要预期目标",
            ["1", "努力实现地区生产总值增长6.2%左右。", "区发改局", "立山经济开发区,全区经济运行各专班"],
            ["2", "规模上工业增加值增长5%左右。", "区工信局", "立山经济开发区"],
            ["3", "固定资产投资增长15%左右。", "区发改局", "立山经济开发区,各街道、区直各部门"],
            ["4", "社会消费品零售总额增长9%左右。", "区商务局", "各街道,区市场局"],
            ["5", "一般公共预算收入增长8%左右。", "区财政局", "立山经济开发区,各街道,税务局"],
            ["6", "居民收入增长与经济增长基本同步。", "区发改局", "各街道,各相关单位"],
        ],
    )
    d.save(CORPUS / "lishan-2023-task-table.docx")


def xiamen() -> None:
    d = docx.Document()
    d.add_paragraph("厦门市人民政府办公厅关于印发聚焦企业关切进一步落实优化营商环境政策若干措施的通知")
    d.add_paragraph("厦门市人民政府办公厅")
    d.add_paragraph("2019年1月16日")
    d.add_paragraph("厦门市聚焦企业关切进一步落实优化营商环境政策的若干措施")
    d.add_paragraph("第一责任单位为牵头单位,下同。")
    _table(
        d,
        ["序号", "具体措施", "责任单位", "时限要求"],
        [
            "一、坚决破除各种不合理门槛和限制,营造公平竞争市场环境",
            [
                "(一)",
                "推进完善PPP健康运行长效机制和基础性制度建设,加强存量项目监管,规范有序推进翔安新机场片区地下综合管廊"
                "PPP项目建设,确保PPP项目协议落实到位。",
                "市发改委、市财政局",
                "持续推进",
            ],
            [
                "(二)",
                "严格落实全省统一的招投标政策,消除招投标过程中对企业设置的不合理限制和壁垒。赋予社会投资类房屋建筑工程"
                "建设单位发包自主权,小型社会投资项目原则上不再强制要求进行工程监理。",
                "市建设局",
                "持续推进",
            ],
        ],
    )
    d.save(CORPUS / "xiamen-2019-measures-table.docx")


if __name__ == "__main__":
    liaoning()
    lishan()
    xiamen()
