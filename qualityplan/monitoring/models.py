"""Monitoring stations, raw records (air hours, water/sea/noise samples, sampling inspections) and import batches.

Raw record tables are written set-based by :mod:`qualityplan.monitoring.ingest` (``bulk_create`` /
``executemany``), so they are plain models (no per-row audit); each row points at its :class:`ImportBatch`,
whose file hash makes re-imports idempotent and whose summary is logged once in the change log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qualityplan.core.models import BaseModel
from qualityplan.core.querysets import RestrictedQuerySet
from qualityplan.monitoring.choices import (
    ImportKind,
    ImportStatus,
    NoisePeriod,
    ProductGroup,
    SampleScope,
    SampleType,
    SamplingResult,
    StationKind,
    WaterBody,
)
from qualityplan.orgs.models import Unit


class ImportBatch(BaseModel):
    """One uploaded or command-line file: hash, progress, outcome and every row-level error."""

    kind = models.CharField(_("类型"), max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(_("文件名"), max_length=255)
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/", blank=True)
    sha256 = models.CharField(_("文件哈希"), max_length=64, db_index=True)
    status = models.CharField(_("状态"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    created_rows = models.PositiveIntegerField(_("新增记录"), default=0)
    skipped_rows = models.PositiveIntegerField(_("已存在记录"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    message = models.TextField(_("说明"), blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="import_batches")
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # corrections: a withdrawn batch's rows are removed; a replaced one points at its corrected file
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_by",
        verbose_name=_("更正的批次"),
    )
    correction_reason = models.TextField(_("撤回/更正原因"), blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    corrected_at = models.DateTimeField(_("撤回/更正时间"), null=True, blank=True)
    changes = models.JSONField(_("变更摘要"), default=dict, blank=True)  # rows added/removed/changed vs. replaced
    version = models.PositiveIntegerField(default=0)  # optimistic locking of withdraw/replace

    scope_unit_field = "unit"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "sha256"],
                condition=Q(status="done"),
                name="importbatch_done_file_unique",
                violation_error_message=_("同一文件已导入。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else 0

    @property
    def finished(self) -> bool:
        return self.status in ImportStatus.final()


class ImportProgress(models.Model):
    """Live progress and heartbeat of a running batch (shared by every web node and worker).

    Written on its own database connection, outside the import transaction, so pollers see it while the
    import runs; ``batch_id`` is a plain integer (no foreign key) for the same reason.  Removed when the batch
    ends; a row whose heartbeat is older than ``IMPORT_HEARTBEAT_TIMEOUT`` belongs to a dead worker (reaper).
    """

    batch_id = models.BigIntegerField(primary_key=True)
    processed = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)
    stage = models.CharField(max_length=20, blank=True)
    heartbeat_at = models.DateTimeField()
    worker = models.CharField(max_length=200, blank=True)  # host:pid of the process running the batch

    class Meta:
        verbose_name = _("导入进度")
        verbose_name_plural = _("导入进度")

    def __str__(self) -> str:
        return f"#{self.batch_id} {self.stage} {self.processed}/{self.total}"


class PassRateScope(BaseModel):
    """The office's choice of which sampling counts towards the pass rate of one product group's indicator.

    Without a row the ``SAMPLING_SCOPE`` setting decides, and without a setting the indicator's own scope, which
    follows its target's wording (plain 抽检合格率: 监督抽检 + 评价性抽检; a rate that names 监督抽检: that only).
    """

    product_group = models.CharField(_("指标归类"), max_length=20, choices=ProductGroup.choices, unique=True)
    scope = models.CharField(_("抽检范围"), max_length=30, choices=SampleScope.choices)
    note = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        ordering = ["product_group"]
        verbose_name = _("合格率抽检范围")
        verbose_name_plural = _("合格率抽检范围")

    def __str__(self) -> str:
        return f"{self.get_product_group_display()}: {self.get_scope_display()}"


class ProductCategory(BaseModel):
    """One entry of the product catalogue: a category (or synonym path) → the plan's product group.

    ``path`` is the category as offices write it, levels separated by ``/`` (``农产品/蔬菜``); ``synonyms`` are
    other spellings of the same category.  A value resolves by its full path, a synonym, or its most specific
    known ancestor path (``农产品/蔬菜/叶菜类`` → ``农产品/蔬菜``) — never by word ending.  Shipped in
    ``monitoring/data/product-catalogue.yaml`` and loaded by ``qualityplan bootstrap``; the office edits it.
    """

    path = models.CharField(_("类别路径"), max_length=200, unique=True)
    group = models.CharField(_("指标归类"), max_length=20, choices=ProductGroup.choices)
    synonyms = models.JSONField(_("同义词"), default=list, blank=True)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("产品类别目录")
        verbose_name_plural = _("产品类别目录")

    def __str__(self) -> str:
        return f"{self.path} → {self.get_group_display()}"


class Station(BaseModel):
    """A monitoring station / section / point / 站位, owned by one city or county (or Yangpu)."""

    code = models.CharField(_("站点代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=StationKind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="stations", verbose_name=_("所属市县"))
    water_body = models.CharField(_("水体类型"), max_length=10, choices=WaterBody.choices, blank=True)
    river = models.CharField(_("河流/水系"), max_length=60, blank=True)
    assessed = models.BooleanField(_("考核断面/点位"), default=True)
    noise_zone = models.CharField(_("声环境功能区"), max_length=4, blank=True)
    latitude = models.FloatField(_("纬度"), null=True, blank=True)
    longitude = models.FloatField(_("经度"), null=True, blank=True)

    scope_unit_field = "unit"
    scope_read_all = True  # station lists are province context for every signed-in user

    class Meta:
        ordering = ["kind", "unit__sort_order", "code"]
        verbose_name = _("监测站点")
        verbose_name_plural = _("监测站点")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class RecordQuerySet(RestrictedQuerySet):
    pass


class Record(models.Model):
    """Abstract raw record: set-based writes, scope by the station's unit, provenance by batch."""

    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = RecordQuerySet.as_manager()
    scope_unit_field = "station__unit"
    scope_read_all = True  # monitoring results are province context; writes go through imports only

    class Meta:
        abstract = True


class AirHourly(Record):
    """One station-hour; hour ``h`` is the mean over [h:00, h+1:00) of ``date`` (local time)."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="air_hours")
    date = models.DateField(_("日期"))
    hour = models.PositiveSmallIntegerField(_("小时"))
    so2 = models.FloatField("SO2", null=True, blank=True)
    no2 = models.FloatField("NO2", null=True, blank=True)
    pm10 = models.FloatField("PM10", null=True, blank=True)
    pm25 = models.FloatField("PM2.5", null=True, blank=True)
    co = models.FloatField("CO", null=True, blank=True)
    o3 = models.FloatField("O3", null=True, blank=True)

    class Meta:
        verbose_name = _("空气小时数据")
        verbose_name_plural = _("空气小时数据")
        constraints = [models.UniqueConstraint(fields=["station", "date", "hour"], name="airhourly_natural_key")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.date} {self.hour:02d}h"


class AirDaily(Record):
    """Station-day (``station`` set) or city-day (``station`` empty) value computed by ``qualityplan.standards``."""

    station = models.ForeignKey(Station, null=True, blank=True, on_delete=models.CASCADE, related_name="air_days")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="air_days")
    date = models.DateField(_("日期"), db_index=True)
    so2 = models.FloatField("SO2", null=True, blank=True)
    no2 = models.FloatField("NO2", null=True, blank=True)
    pm10 = models.FloatField("PM10", null=True, blank=True)
    pm25 = models.FloatField("PM2.5", null=True, blank=True)
    co = models.FloatField("CO", null=True, blank=True)
    o3_8h = models.FloatField("O3_8h", null=True, blank=True)
    aqi = models.FloatField("AQI", null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("级别"), null=True, blank=True)
    primary_pollutants = models.CharField(_("首要污染物"), max_length=60, blank=True)
    valid = models.BooleanField(_("有效天"), default=False)
    standard = models.CharField(_("规则版本"), max_length=20)
    source = models.CharField(_("来源"), max_length=20, default="hourly")  # hourly | daily (imported/generated)

    scope_unit_field = "unit"

    class Meta:
        verbose_name = _("空气日数据")
        verbose_name_plural = _("空气日数据")
        constraints = [
            models.UniqueConstraint(
                fields=["station", "date"], condition=Q(station__isnull=False), name="airdaily_station_day"
            ),
            models.UniqueConstraint(
                fields=["unit", "date"], condition=Q(station__isnull=True), name="airdaily_city_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station_id or self.unit_id} {self.date} AQI {self.aqi}"


class WaterSample(Record):
    """A surface-water section or drinking-water source sample, classified by GB 3838 on import."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="water_samples")
    date = models.DateField(_("采样日期"))
    items = models.JSONField(_("监测项目"), default=dict)
    water_class = models.PositiveSmallIntegerField(_("水质类别"), null=True, blank=True)  # 1..6 (6 = 劣V)
    exceed_iii = models.CharField(_("超III类项目"), max_length=300, blank=True)
    method = models.CharField(_("评价方法"), max_length=20, default="national2011")
    standard = models.CharField(_("标准版本"), max_length=20, default="GB3838-2002")

    class Meta:
        verbose_name = _("水质样品")
        verbose_name_plural = _("水质样品")
        constraints = [models.UniqueConstraint(fields=["station", "date"], name="watersample_natural_key")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.date} class {self.water_class}"


class SeaSample(Record):
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="sea_samples")
    date = models.DateField(_("采样日期"))
    items = models.JSONField(_("监测项目"), default=dict)
    sea_class = models.PositiveSmallIntegerField(_("海水水质类别"), null=True, blank=True)  # 1..5 (5 = 劣四类)
    standard = models.CharField(_("标准版本"), max_length=20, default="GB3097-1997")

    class Meta:
        verbose_name = _("近岸海域样品")
        verbose_name_plural = _("近岸海域样品")
        constraints = [models.UniqueConstraint(fields=["station", "date"], name="seasample_natural_key")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.date} class {self.sea_class}"


class NoiseMeasurement(Record):
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="noise_measurements")
    date = models.DateField(_("监测日期"))
    period = models.CharField(_("时段"), max_length=10, choices=NoisePeriod.choices)
    zone = models.CharField(_("功能区"), max_length=4)
    leq = models.FloatField(_("等效声级 Leq dB(A)"))
    limit = models.FloatField(_("限值"), null=True, blank=True)
    compliant = models.BooleanField(_("达标"), default=False)
    standard = models.CharField(_("标准版本"), max_length=20, default="GB3096-2008")

    class Meta:
        verbose_name = _("功能区噪声")
        verbose_name_plural = _("功能区噪声")
        constraints = [
            models.UniqueConstraint(fields=["station", "date", "period"], name="noisemeasurement_natural_key")
        ]

    def __str__(self) -> str:
        return f"{self.station_id} {self.date} {self.period} {self.leq}"


class SamplingRecord(models.Model):
    """One sampling-inspection result with the columns of a SAMR sampling announcement."""

    sample_no = models.CharField(_("抽样单编号"), max_length=60, unique=True)
    enterprise = models.CharField(_("标称生产企业"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    uscc_valid = models.BooleanField(_("信用代码校验通过"), null=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="sampling_records", verbose_name=_("市县"))
    product_category = models.CharField(_("产品类别"), max_length=100)
    product_group = models.CharField(_("指标归类"), max_length=20, choices=ProductGroup.choices)
    product_name = models.CharField(_("样品名称"), max_length=200, blank=True)
    sampling_date = models.DateField(_("抽样日期"), db_index=True)
    result = models.CharField(_("结果"), max_length=10, choices=SamplingResult.choices)
    failing_items = models.CharField(_("不合格项目"), max_length=300, blank=True)
    sample_type = models.CharField(_("抽检类型"), max_length=20, choices=SampleType.choices)
    announcement = models.CharField(_("公告号"), max_length=100, blank=True)
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = RecordQuerySet.as_manager()
    scope_unit_field = "unit"
    scope_read_all = True

    class Meta:
        ordering = ["-sampling_date", "sample_no"]
        verbose_name = _("抽检记录")
        verbose_name_plural = _("抽检记录")
        indexes = [models.Index(fields=["product_group", "sampling_date"], name="sampling_group_date")]

    def __str__(self) -> str:
        return f"{self.sample_no} {self.enterprise}"
