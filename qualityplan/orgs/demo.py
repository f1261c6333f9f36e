"""Demo users, one per role (demo only: the password is printed by ``make run``)."""

from __future__ import annotations

from qualityplan.orgs.models import Unit, User
from qualityplan.orgs.roles import Role

DEMO_PASSWORD = "Hainan-demo-2017"
DEMO_USERS = [
    # username, role, unit code, full name
    ("office", Role.OFFICE, "OFFICE", "王办公"),
    ("qts", Role.DEPT_REPORTER, "QTS", "李质监"),
    ("env", Role.DEPT_REPORTER, "ENV", "陈环保"),
    ("haikou", Role.CITY_REPORTER, "460100", "赵海口"),
    ("qionghai", Role.CITY_REPORTER, "469002", "周琼海"),
    ("inspector", Role.INSPECTOR, "QTS", "吴检查"),
    ("viewer", Role.VIEWER, "OFFICE", "郑只读"),
    ("hotline", Role.HOTLINE, "", "孙热线"),  # 12345 hotline agent (no unit of the plan)
]


def load_demo(*, year: int = 2017) -> dict:
    units = {u.code: u for u in Unit.objects.filter(code__in=[row[2] for row in DEMO_USERS])}
    created = 0
    for username, role, code, full_name in DEMO_USERS:
        user, was_created = User.objects.get_or_create(
            username=username, defaults={"role": role, "unit": units.get(code), "full_name": full_name}
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            created += 1
    return {"users": created}


def demo_logins() -> list[tuple[str, str, str, str]]:
    return [(u, DEMO_PASSWORD, Role(r).label, code) for u, r, code, _ in DEMO_USERS]
