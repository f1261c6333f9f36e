import datetime as dt
import io

from docx import Document

from qualityplan.risk import services
from qualityplan.risk.tests.test_detection import data  # noqa: F401  (fixture)

D = dt.date


def test_monthly_bulletin_docx(users, units, complaint, client_for, data, today):  # noqa: F811
    services.risk_review(user=users["county"], risk=complaint, stage="work", probability=4, severity=3,
                         opinion="属实", version=1)  # fmt: skip
    today(D(2017, 10, 9))
    c = client_for(users["office"])
    assert c.get("/risk/bulletin/?month=2017Q3").status_code == 400
    r = c.get("/risk/bulletin/?month=2017-09")
    assert r.status_code == 200 and r["Content-Disposition"].endswith('2017-09.docx"')
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "2017年9月质量安全风险监测月报" in text
    assert "I级（红色） 1 条" in text  # 4 × 3 = 12
    assert "本月新登记风险信息 1 条" in text
    r = c.get("/risk/bulletin/?month=2017-07")  # the planted 豇豆 signal of the detection fixture
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "琼海市豇豆" in text and "不合格 8 批次" in text
    assert c.get("/risk/bulletin/").status_code == 200  # last month: September
