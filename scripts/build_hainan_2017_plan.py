"""Build qualityplan/plans/data/hainan-2017.json from the seed text and its checked reading.

Provenance script, run once by hand: the checked reading (../shared/seed/*.expected.json) supplies every
target, measure and deadline exactly as the seed comparison test expects; this script adds what the
reading leaves out and the platform needs: the numbered hierarchy (sections), each measure's full text,
and each target's group (产品/工程/服务/环境), scope and code.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "seed"
OUT = ROOT / "qualityplan" / "plans" / "data"

CN = "一二三四五六七八九十"
SECTION_GROUP = {"二.(一)": "product", "二.(二)": "engineering", "二.(三)": "service", "二.(四)": "environment"}
# Counted sub-targets inside measures: group by what is counted.
MEASURE_TARGET_GROUP = {
    "“四品一械”生产企业监督抽检覆盖频次": "product",
    "水产品质量安全督查频次": "product",
    "无公害水产品产地认定与产品认证申报发证企业数": "product",
    "渔业省级地方标准制定": "other",
    "新认定高新技术企业数": "other",
    "完成长效疾控标准制定和发布的省级疾控中心数": "service",
    "每个省级疾控中心每年制定的临床路径或单病种管理办法数": "service",
    "公路工程竣工工程质量验收合格率": "engineering",
    "海南省名牌产品认定数": "product",
    "海南省著名商标认定数": "product",
    "2A以上景区数": "service",
    "“鲁班”奖工程数": "engineering",
    "“绿岛杯”优质工程数": "engineering",
    "地方标准制定项目数": "other",
    "宣贯重要地方标准数": "other",
    "渔业标准制定和推广": "other",
    "通过HACCP或ISO22000认证的企业数": "product",
    "全省主要河流水质年均值": "environment",
}


def sections_and_texts(text: str):
    sections, texts = [], {}
    top = sub = None
    for raw in text.splitlines():
        line = raw.strip().replace("\u3000", "")
        if not line:
            continue
        if m := re.match(rf"^([{CN}]+)、(.+)$", line):
            top, sub = m.group(1), None
            sections.append({"number": top, "title": m.group(2).rstrip("。")})
        elif top and (m := re.match(rf"^（([{CN}]+)）(.+)$", line)):
            sub = f"{top}.({m.group(1)})"
            title = re.split(r"[。]", m.group(2), maxsplit=1)[0]
            sections.append({"number": sub, "title": title})
            texts[sub] = m.group(2)
        elif sub and (m := re.match(r"^(\d+)[.．](.+)$", line)):
            texts[f"{sub}.{m.group(1)}"] = m.group(2)
        elif sub and sub in texts and sub.startswith("三.(六)"):
            texts[sub] = line
    return sections, texts


def main() -> None:
    reading = json.loads((SEED / "hainan-2017-action-plan.expected.json").read_text(encoding="utf-8"))
    text = (SEED / "hainan-2017-action-plan.txt").read_text(encoding="utf-8")
    sections, texts = sections_and_texts(text)
    plan = {"format": "qualityplan.plan/1", "year": 2017, "version": 1}
    plan.update({k: reading[k] for k in ("title", "issuer", "date", "text_file", "text_complete", "scope_note")})
    plan["sections"] = sections
    for i, target in enumerate(reading["targets"], start=1):
        target["code"] = f"T{i:02d}"
        where = target["where"]
        target["group"] = SECTION_GROUP.get(where) or MEASURE_TARGET_GROUP[target["indicator"]]
        target["scope"] = "each_unit" if target["indicator"].startswith("各市县") else "province"
    for measure in reading["measures"]:
        measure["text"] = texts.get(measure["number"], "")
    plan["targets"] = reading["targets"]
    plan["measures"] = reading["measures"]
    plan["deadlines"] = reading["deadlines"]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "hainan-2017.json").write_text(json.dumps(plan, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    shutil.copy(SEED / "hainan-2017-action-plan.txt", OUT / "hainan-2017-action-plan.txt")
    missing = [m["number"] for m in reading["measures"] if not m["text"]]
    print(
        f"sections={len(sections)} targets={len(reading['targets'])} measures={len(reading['measures'])} missing_text={missing}"
    )


if __name__ == "__main__":
    main()
