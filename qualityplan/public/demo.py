"""Demo: the office publishes a sensible set (the year's plan and progress, two registries, the latest two sampling
announcements, the blacklist) and enters three publicity activities serving measure 三.(六). Creates only what is
missing."""

from __future__ import annotations

import datetime as dt

from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.middleware import acting_as
from qualityplan.orgs.models import Unit, User
from qualityplan.plans.models import Measure
from qualityplan.public import kinds, services
from qualityplan.public.calendar import PUBLICITY_MEASURE
from qualityplan.public.models import Activity, Publication


def load_demo(*, year: int) -> dict:
    user = User.objects.filter(username="office").first()
    if user is None:
        return {"skipped": "no office user"}
    published = activities = 0
    with acting_as(user):
        wanted = [("plan", str(year)), ("evaluation", str(year)), ("registry", "brand_product"), ("registry", "luban"),
                  ("blacklist", "current")]  # fmt: skip
        wanted += [("sampling", key) for key, _label in kinds.get("sampling").items(user)[:2]]
        for kind, key in wanted:
            if Publication.objects.filter(kind=kind, key=key).exists():
                continue
            try:
                services.publication_publish(user=user, kind=kind, key=key)
            except ApplicationError:
                continue  # nothing to publish for that item in this database
            published += 1
        if not Activity.objects.exists():
            measure = (
                Measure.objects.filter(plan__year=year, number=PUBLICITY_MEASURE).order_by("-plan__version").first()
            )
            units = {u.code: u for u in Unit.objects.filter(code__in=["QTS", "460100", "469002", "SAIC"])}
            rows = [
                ("“3·15”质量维权咨询日", "consumer_day", dt.date(year, 3, 15), None, "QTS", "海口市万绿园"),
                ("“质量月”企业质量提升现场会", "quality_month", dt.date(year, 9, 12), dt.date(year, 9, 13), "460100", "海口市会展中心"),
                ("世界标准日标准化知识进社区", "standards_day", dt.date(year, 10, 14), None, "469002", "琼海市嘉积镇文化广场"),
                ("“质量月”质量知识竞赛", "quality_month", dt.date(year, 12, 5), None, "QTS", "海口市省质监局报告厅"),
            ]  # fmt: skip
            for title, theme, start, end, code, place in rows:
                if code not in units:
                    continue
                services.activity_save(
                    user=user,
                    data={
                        "title": title,
                        "theme": theme,
                        "starts_on": start,
                        "ends_on": end,
                        "organiser": units[code],
                        "place": place,
                        "measure": measure,
                        "description": "面向公众的质量宣传活动。",
                    },  # fmt: skip
                )
                activities += 1
    return {"published": published, "activities": activities}
