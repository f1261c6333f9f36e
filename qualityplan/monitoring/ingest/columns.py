"""The column dictionary: for each record kind, its fields and every header spelling offices use for them.

One place maps the column names of real files — English and Chinese, the SAMR sampling-announcement columns, the
national air/water/sea/noise export wordings — to each record field.  It drives the header check (an unknown or
duplicated column is an error naming it, with the closest known spelling), the downloadable templates
(:mod:`.templates`) and the help on the import page.  Headers are compared after NFKC normalisation (full-width
``ＰＭ２．５`` is ``PM2.5``), ignoring case and surrounding spaces.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field

from qualityplan.monitoring import rules
from qualityplan.monitoring.choices import ImportKind


@dataclass(frozen=True)
class Column:
    name: str  # canonical field name (the loaders' name)
    label: str  # the Chinese header used in templates
    aliases: tuple[str, ...] = ()
    required: bool = False
    example: str = ""
    help: str = ""


@dataclass(frozen=True)
class KindColumns:
    columns: tuple[Column, ...]
    ignored: tuple[str, ...] = ()  # informational columns of real files, accepted and not stored
    one_of: tuple[str, ...] = ()  # at least one of these columns is required
    fallback: dict[str, str] = field(default_factory=dict)  # missing field → taken from this field

    def by_name(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}


def norm_header(h: str) -> str:
    return unicodedata.normalize("NFKC", h).strip().lower()


CITY = Column("city", "市县", ("市县", "城市", "所在市县", "region", "地区", "市县名称", "行政区划代码", "城市名称"),
              True, "海口市", "city/county name or GB/T 2260 code")  # fmt: skip
STATION_NAME = Column("station_name", "站点名称", ("站点名称", "名称", "点位名称", "监测点位名称", "断面名称",
                      "站位名称", "测点名称", "section_name", "point_name"), example="海口市监测站")  # fmt: skip
DATE = Column("date", "监测日期", ("日期", "监测日期", "采样日期", "监测时间"), True, "2017-01-01", "YYYY-MM-DD")


def _station(*extra: str, example: str) -> Column:
    base = ("站点", "站点代码", "站点编码", "点位编码", "监测点位编码", "code", "station_code")
    return Column("station", "站点代码", base + extra, True, example, "station / section / point code")


AIR_NAMES = {"SO2": "二氧化硫", "NO2": "二氧化氮", "PM10": "可吸入颗粒物", "PM2_5": "细颗粒物", "CO": "一氧化碳",
             "O3": "臭氧"}  # fmt: skip
AIR = KindColumns(
    (
        CITY,
        _station("监测点位", "测点编码", example="HK01"),
        STATION_NAME,
        DATE,
        Column("hour", "小时", ("小时", "时段序号", "hour_of_day"), True, "0", "0–23, hour h = mean of [h:00, h+1:00)"),
        *(
            Column(
                k,
                k.replace("_", "."),
                (k.replace("_", "."), AIR_NAMES[k], f"{k.replace('_', '.')}(μg/m3)"),
                example={"CO": "0.6"}.get(k, "20"),
                help="mg/m³" if k == "CO" else "μg/m³",
            )  # fmt: skip
            for k in ("SO2", "NO2", "PM10", "PM2_5", "CO", "O3")
        ),
    ),
    ignored=("序号", "备注", "AQI", "空气质量指数", "首要污染物", "质量级别"),
    one_of=("SO2", "NO2", "PM10", "PM2_5", "CO", "O3"),
    fallback={"station": "station_name"},
)

WATER_NAMES = {"pH": ("pH值", "PH"), "DO": ("溶解氧",), "CODMn": ("高锰酸盐指数",), "COD": ("化学需氧量", "CODcr"),
               "BOD5": ("五日生化需氧量",), "NH3N": ("氨氮", "NH3-N"), "TP": ("总磷",), "TN": ("总氮",),
               "Cu": ("铜",), "Zn": ("锌",), "F": ("氟化物",), "Se": ("硒",), "As": ("砷",), "Hg": ("汞",),
               "Cd": ("镉",), "Cr6": ("六价铬",), "Pb": ("铅",), "CN": ("氰化物",), "VPhenol": ("挥发酚",),
               "Petroleum": ("石油类",), "LAS": ("阴离子表面活性剂",), "S2": ("硫化物",), "FC": ("粪大肠菌群",),
               "DIN": ("无机氮",), "PO4": ("活性磷酸盐",), "NH3_nonionic": ("非离子氨",)}  # fmt: skip
WATER_EXAMPLE = {"pH": "7.4", "DO": "6.5", "CODMn": "3.1", "NH3N": "0.32", "TP": "0.08"}
SEA_EXAMPLE = {"pH": "8.1", "DO": "6.8", "COD": "1.2", "DIN": "0.15", "PO4": "0.012"}


def _items(items, examples) -> tuple[Column, ...]:
    return tuple(
        Column(k, WATER_NAMES[k][0], WATER_NAMES[k], example=examples.get(k, ""), help="mg/L (pH dimensionless)")
        for k in items
    )


WATER = KindColumns(
    (
        CITY,
        _station("断面", "断面编码", "断面代码", "section", "section_code", example="S-HK-01"),
        STATION_NAME,
        DATE,
        Column("kind", "类型", ("类型", "断面类型", "点位类型"), example="地表水", help="地表水 / 饮用水水源地"),
        Column("water_body", "水体类型", ("水体类型", "水体"), example="河流", help="河流 / 湖库"),
        Column("river", "河流", ("河流", "所属河流", "河流名称", "水系"), example="南渡江"),
        *_items(rules.WATER_ITEMS, WATER_EXAMPLE),
    ),
    ignored=("序号", "备注", "水质类别", "水质状况", "超标项目"),
    one_of=rules.WATER_ITEMS,
    fallback={"station": "station_name"},
)
SEA = KindColumns(
    (
        CITY,
        _station("站位", "站位编码", "站位代码", "site", example="HN-SEA-01"),
        STATION_NAME,
        DATE,
        *_items(rules.SEA_ITEMS, SEA_EXAMPLE),
    ),
    ignored=("序号", "备注", "水质类别", "经度", "纬度"),
    one_of=rules.SEA_ITEMS,
    fallback={"station": "station_name"},
)
NOISE = KindColumns(
    (
        CITY,
        _station("点位", "测点", "测点编码", "point", "point_code", example="N-HK-01"),
        STATION_NAME,
        DATE,
        Column("zone", "功能区", ("功能区", "功能区类别", "声环境功能区"), True, "1", "0, 1, 2, 3, 4a, 4b"),
        Column("period", "时段", ("时段", "昼夜", "监测时段"), True, "昼间", "昼间 / 夜间"),
        Column(
            "leq_dBA", "等效声级", ("leq", "等效声级", "leq(db(a))", "leq_dba", "leq dB(A)"), True, "52.3", "dB(A)"
        ),  # fmt: skip
    ),
    ignored=("序号", "备注", "达标情况", "限值"),
    fallback={"station": "station_name"},
)
SAMPLING = KindColumns(
    (
        Column(
            "sample_no",
            "抽样编号",
            ("抽样编号", "抽样单编号", "样品编号", "抽样单号", "record_id", "sample_id", "sample_number"),
            True,
            "DC17460000001",
        ),  # fmt: skip
        Column(
            "enterprise",
            "标称生产企业名称",
            ("标称生产企业名称", "标称生产企业", "生产企业", "生产企业名称", "manufacturer"),
            True,
            "海南某食品有限公司",
        ),  # fmt: skip
        Column(
            "uscc",
            "统一社会信用代码",
            ("统一社会信用代码", "信用代码"),
            example="91460000MA5T0000X0",
            help="GB 32100 (checked, kept when invalid)",
        ),  # fmt: skip
        Column("city", "被抽样单位所在市县", ("被抽样单位所在市县", "市县", "所在市县", "抽样地点"), True, "海口市"),
        Column(
            "product_category",
            "分类",
            ("分类", "产品类别", "食品分类", "产品分类", "category"),
            True,
            "农产品/蔬菜",
            "a product-catalogue entry (hierarchical with /)",
        ),  # fmt: skip
        Column("product_group", "指标归类", ("指标归类", "group"), help="optional: agri/industrial/food/drug/export"),
        Column("product_name", "样品名称", ("样品名称", "食品名称", "产品名称"), example="菜心"),
        Column("sampling_date", "抽样日期", ("抽样日期", "抽检日期"), True, "2017-05-12", "YYYY-MM-DD"),
        Column("result", "检验结果", ("检验结果", "结果", "判定结论", "结论"), True, "合格", "合格 / 不合格"),
        Column(
            "failing_items",
            "不合格项目",
            ("不合格项目", "不合格项目║检验结果║标准值", "不合格项目|检验结果|标准值"),
            help="required when 不合格",
        ),  # fmt: skip
        Column(
            "sample_type",
            "抽检类型",
            ("抽检类型", "任务类型", "抽样类型"),
            True,
            "监督抽检",
            "监督抽检 / 评价性抽检 / 风险监测",
        ),  # fmt: skip
        Column("announcement", "公告号", ("公告号", "通告号", "公告编号"), example="2017年第1期"),
    ),
    ignored=(
        "序号",
        "备注",
        "标称生产企业地址",
        "被抽样单位名称",
        "被抽样单位地址",
        "被抽样单位所在省份",
        "规格型号",
        "商标",
        "生产日期",
        "生产日期/批号",
        "公告日期",
        "任务来源",
        "项目名称",
        "检验机构",
    ),  # fmt: skip
)
STATION = KindColumns(
    (
        CITY,
        _station("断面", "点位", "站位", example="HK01"),
        STATION_NAME,
        Column("kind", "类型", ("类型", "站点类型"), True, "空气自动站", "air/surface/drinking/sea/noise or label"),
        Column("water_body", "水体类型", ("水体类型",), help="河流 / 湖库"),
        Column("river", "河流", ("河流",)),
        Column("zone", "功能区", ("功能区", "功能区类别"), help="noise: 0–4b"),
        Column("latitude", "纬度", ("纬度", "lat"), example="20.03"),
        Column("longitude", "经度", ("经度", "lon", "lng"), example="110.33"),
    ),
    ignored=("序号", "备注"),
)

DICTIONARY: dict[str, KindColumns] = {
    ImportKind.AIR: AIR,
    ImportKind.WATER: WATER,
    ImportKind.SEA: SEA,
    ImportKind.NOISE: NOISE,
    ImportKind.SAMPLING: SAMPLING,
    ImportKind.STATION: STATION,
}

IGNORED = "__ignored__"


def header_map(spec: KindColumns) -> dict[str, str]:
    """Normalised header spelling → canonical field (or :data:`IGNORED`)."""
    out: dict[str, str] = {norm_header(h): IGNORED for h in spec.ignored}
    for c in spec.columns:
        for h in (c.name, c.label, *c.aliases):
            out[norm_header(h)] = c.name
    return out


def closest(value: str, candidates, n: int = 3) -> list[str]:
    return difflib.get_close_matches(value, list(candidates), n=n, cutoff=0.4)
