"""Streamed imports: a file read and written in chunks behaves as one read whole (all-or-nothing, row numbers,
duplicates across chunks, daily values), uploads are never read whole, temporary files stay in the var directory,
the CLI prints plain progress lines when its output is not a terminal."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from qualityplan.monitoring.choices import ImportStatus
from qualityplan.monitoring.ingest import runner
from qualityplan.monitoring.ingest.runner import import_batch_create, import_file, import_run
from qualityplan.monitoring.models import AirDaily, AirHourly, ImportBatch, SamplingRecord, Station

from .test_importers import air_csv

pytestmark = pytest.mark.django_db


def _daily():
    rows = AirDaily.objects.values_list("station__code", "unit__code", "date", "pm10", "aqi", "valid", "standard")
    return sorted(rows, key=str)


def test_chunked_air_import_equals_the_whole_file_read_at_once(units, settings):
    data = air_csv(days=3)  # 2 stations × 3 days × 24 h = 144 rows
    settings.IMPORT_CHUNK_ROWS = 1_000_000
    whole = import_file(kind="air", name="a.csv", data=data)
    assert whole.status == ImportStatus.DONE and whole.created_rows == 144
    expected = _daily()
    assert len(expected) == 2 * 3 + 2 * 3  # station-days + city-days (two cities)
    AirDaily.objects.all().delete()
    AirHourly.objects.all().delete()
    ImportBatch.objects.all().delete()
    settings.IMPORT_CHUNK_ROWS = 7  # 21 chunks; daily values in windows of one day (48 rows a day > 7)
    batch = import_file(kind="air", name="a.csv", data=data)
    assert batch.status == ImportStatus.DONE, batch.errors
    assert (batch.total_rows, batch.created_rows, batch.skipped_rows) == (144, 144, 0)
    assert AirHourly.objects.count() == 144
    assert _daily() == expected


def test_a_bad_row_in_a_later_chunk_writes_nothing_and_names_its_row(units, settings):
    settings.IMPORT_CHUNK_ROWS = 10
    lines = air_csv(days=2).decode().splitlines(keepends=True)  # header + 96 rows (spreadsheet rows 2…97)
    lines[90] = lines[90].replace(",40.0,", ",-5,")  # spreadsheet row 91, chunk 9: the earlier chunks were written
    batch = import_file(kind="air", name="bad.csv", data="".join(lines).encode())
    assert batch.status == ImportStatus.FAILED
    assert [(e["row"], e["field"]) for e in batch.errors] == [(91, "PM10")]
    assert "must be ≥ 0" in batch.errors[0]["message"]
    assert not AirHourly.objects.exists() and not AirDaily.objects.exists() and not Station.objects.exists()


def test_a_row_of_the_wrong_width_in_a_later_chunk_is_the_only_error_reported(units, settings):
    settings.IMPORT_CHUNK_ROWS = 10
    lines = air_csv(days=1).decode().splitlines(keepends=True)
    lines[3] = lines[3].replace(",40.0,", ",-5,")  # row 4: a field error in the first chunk
    lines[40] = lines[40].rstrip("\n") + ",extra\n"  # row 41: 11 cells
    batch = import_file(kind="air", name="w.csv", data="".join(lines).encode())
    assert batch.status == ImportStatus.FAILED
    assert [(e["row"], e["field"], e["message"]) for e in batch.errors] == [(41, "row", "11 cells, the header has 10")]
    assert not AirHourly.objects.exists()


def test_duplicates_are_found_across_chunks(units, settings):
    settings.IMPORT_CHUNK_ROWS = 5
    data = air_csv(days=1, stations=(("海口市", "HK01"),))  # rows 2…25 = hours 0…23
    data += "海口市,HK01,2017-01-01,3,8,15,40,20,0.6,60\n".encode()  # row 26 repeats row 5 (hour 3), 5 chunks later
    batch = import_file(kind="air", name="d.csv", data=data)
    assert batch.status == ImportStatus.FAILED
    assert [(e["row"], e["field"], e["message"]) for e in batch.errors] == [
        (26, "hour", "duplicate of row 5 in this file")
    ]
    assert not AirHourly.objects.exists()


def test_blank_rows_keep_the_spreadsheet_row_numbers_across_chunks(units, settings):
    settings.IMPORT_CHUNK_ROWS = 3
    lines = air_csv(days=1, stations=(("海口市", "HK01"),)).decode().splitlines(keepends=True)
    lines.insert(2, "\n")  # row 3 blank
    lines.insert(6, ",,,,,,,,,\n")  # row 7 blank
    lines[12] = lines[12].replace(",8,", ",x,", 1)  # row 13: SO2 "x"
    batch = import_file(kind="air", name="b.csv", data="".join(lines).encode())
    assert [(e["row"], e["field"]) for e in batch.errors] == [(13, "SO2")]


def test_chunked_xlsx_air_import(units, settings):
    from openpyxl import Workbook

    settings.IMPORT_CHUNK_ROWS = 10
    wb = Workbook()
    ws = wb.active
    for line in air_csv(days=1).decode().splitlines():
        ws.append([int(c) if c.isdigit() else c for c in line.split(",")])
    buf = io.BytesIO()
    wb.save(buf)
    batch = import_file(kind="air", name="a.xlsx", data=buf.getvalue())
    assert batch.status == ImportStatus.DONE, batch.errors
    assert batch.created_rows == 48 and AirDaily.objects.filter(station__isnull=True).count() == 2


class WholeReadRefused(io.BytesIO):
    """A file object that refuses ``read()`` without a size (reading the whole file into memory)."""

    name = "air.csv"

    def read(self, size=-1):
        assert size is not None and size > 0, "the whole file was read into memory"
        return super().read(size)


def test_a_stored_upload_is_hashed_stored_and_imported_in_blocks(units):
    batch = import_batch_create(kind="air", name="air.csv", data=WholeReadRefused(air_csv(days=1)), store_file=True)
    batch = import_run(batch=batch)
    assert batch.status == ImportStatus.DONE, (batch.message, batch.errors)
    assert batch.created_rows == 48


def test_import_page_passes_the_upload_on_without_reading_it(
    client, users, monkeypatch, django_capture_on_commit_callbacks
):
    seen = {}
    real = runner.import_batch_create

    def spy(**kwargs):
        seen["data"] = kwargs["data"]
        return real(**kwargs)

    monkeypatch.setattr("qualityplan.monitoring.services.import_batch_create", spy)
    client.force_login(users["office"])
    upload = io.BytesIO(air_csv(days=1))
    upload.name = "air.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("monitoring:imports"), {"kind": "air", "file": upload})
    assert response.status_code == 302
    assert not isinstance(seen["data"], bytes)  # the UploadedFile itself
    assert ImportBatch.objects.get().status == ImportStatus.DONE


def test_temporary_files_are_in_the_var_directory_and_removed(units, settings, tmp_path, monkeypatch):
    """A storage without local paths (S3): the run copies the file into IMPORT_TMP_DIR and removes it after."""
    settings.VAR_DIR = tmp_path / "var"
    settings.IMPORT_TMP_DIR = ""  # default: VAR_DIR/tmp
    batch = import_batch_create(kind="air", name="air.csv", data=air_csv(days=1), store_file=True)
    seen = []
    real_loader = runner.KINDS["air"].loader

    def loader(reader, batch, progress):
        seen.append(Path(reader.source))
        assert Path(reader.source).is_file()
        return real_loader(reader, batch, progress)

    monkeypatch.setitem(runner.KINDS, "air", runner.KindSpec(loader, runner.KINDS["air"].columns, streaming=True))

    monkeypatch.setattr(runner, "_local_path", lambda field_file: None)
    batch = import_run(batch=batch)
    assert batch.status == ImportStatus.DONE, batch.message
    assert seen[0].parent == tmp_path / "var" / "tmp"
    assert not seen[0].exists() and list((tmp_path / "var" / "tmp").iterdir()) == []


def test_upload_and_import_temp_dirs_are_under_the_var_dir_not_the_source_tree():
    from django.conf import settings

    source = Path(settings.BASE_DIR) / "qualityplan"
    var = Path(settings.VAR_DIR).resolve()
    for path in (settings.IMPORT_TMP_DIR, settings.FILE_UPLOAD_TEMP_DIR):
        resolved = Path(path).resolve()
        assert resolved.is_relative_to(var) and not resolved.is_relative_to(source.resolve())


def test_cli_import_prints_plain_progress_lines_when_not_a_terminal(units, tmp_path):
    path = tmp_path / "air.csv"
    path.write_bytes(air_csv(days=1))
    out, err = io.StringIO(), io.StringIO()  # StringIO is not a terminal
    call_command("import", "air", str(path), stdout=out, stderr=err)
    lines = err.getvalue().splitlines()
    assert lines and all("\r" not in line for line in lines)
    assert [line.split(":")[0] for line in lines] == ["validate", "write", "daily"]
    assert lines[-1] == "daily: 48/48 rows"
    assert "48 rows, 48 new" in out.getvalue()


def test_daily_values_from_the_spilled_rows_equal_those_read_back_from_the_database(units, settings, tmp_path):
    """A fresh file: daily values from the rows spilled per day (directory removed afterwards); a file overlapping
    another batch's days: from the database. Both give the values of the whole file read at once."""
    settings.IMPORT_TMP_DIR = str(tmp_path)
    settings.IMPORT_CHUNK_ROWS = 1_000_000
    import_file(kind="air", name="whole.csv", data=air_csv(days=3))
    expected = _daily()
    AirDaily.objects.all().delete()
    AirHourly.objects.all().delete()
    ImportBatch.objects.all().delete()
    settings.IMPORT_CHUNK_ROWS = 10
    fresh = import_file(kind="air", name="a.csv", data=air_csv(days=3))
    assert fresh.status == ImportStatus.DONE and _daily() == expected
    assert list(tmp_path.iterdir()) == []  # the per-day spill files are gone
    # day 3 again plus the same hours in another file: overlaps the first batch → read back from the database
    again = air_csv(days=3).replace(b"\n", b"\r\n")  # another hash, the same rows
    batch = import_file(kind="air", name="b.csv", data=again)
    assert batch.status == ImportStatus.DONE and batch.created_rows == 0 and batch.skipped_rows == 144
    assert _daily() == expected
    assert list(tmp_path.iterdir()) == []


# --- the other record kinds, streamed through runner.chunked -------------------------------------------------


def _sampling_rows():
    from .test_importers import SAMPLING

    return SAMPLING.splitlines(keepends=True)  # header + S1…S4 (spreadsheet rows 2…5)


def test_chunked_sampling_import_writes_every_chunk_and_counts_flags_once(units, settings):
    settings.IMPORT_CHUNK_ROWS = 1  # four chunks of one row
    batch = import_file(kind="sampling", name="s.csv", data="".join(_sampling_rows()).encode())
    assert batch.status == ImportStatus.DONE, batch.errors
    assert (batch.total_rows, batch.created_rows, batch.skipped_rows) == (4, 4, 0)
    assert SamplingRecord.objects.filter(batch=batch).count() == 4
    # one USCC value fails GB 32100 (S1's check character); the message counts the whole file, not the last chunk
    assert batch.message == "1 USCC value(s) failed GB 32100 validation (kept, flagged)"


def test_a_duplicate_in_a_later_chunk_names_the_first_row_and_writes_nothing(units, settings):
    settings.IMPORT_CHUNK_ROWS = 2
    lines = _sampling_rows()
    lines.append(lines[1].replace(",2017-03-02,", ",2017-06-02,"))  # S1 again as spreadsheet row 6 (third chunk)
    batch = import_file(kind="sampling", name="dup.csv", data="".join(lines).encode())
    assert batch.status == ImportStatus.FAILED
    assert [(e["row"], e["field"], e["message"]) for e in batch.errors] == [
        (6, "sample_no", "duplicate of row 2 in this file")
    ]
    assert not SamplingRecord.objects.exists()


def test_bad_rows_in_several_chunks_are_all_reported(units, settings):
    settings.IMPORT_CHUNK_ROWS = 2
    lines = _sampling_rows()
    lines[1] = lines[1].replace(",2017-03-02,", ",2017-02-30,")  # row 2 (chunk 1): no such day
    lines[4] = lines[4].replace(",合格,,评价性抽检,", ",待定,,评价性抽检,")  # row 5 (chunk 2): unknown result
    batch = import_file(kind="sampling", name="bad.csv", data="".join(lines).encode())
    assert batch.status == ImportStatus.FAILED
    assert [(e["row"], e["field"]) for e in batch.errors] == [(2, "sampling_date"), (5, "result")]
    assert not SamplingRecord.objects.exists()


def test_a_missing_column_is_reported_once_not_once_per_chunk(units, settings):
    settings.IMPORT_CHUNK_ROWS = 1
    data = "enterprise,city\nX,海口市\nY,三亚市\nZ,儋州市\n".encode()
    batch = import_file(kind="sampling", name="cols.csv", data=data)
    assert batch.status == ImportStatus.FAILED
    missing = [e["field"] for e in batch.errors]
    assert sorted(missing) == sorted(["sample_no", "product_category", "sampling_date", "result", "sample_type"])


def test_chunked_water_import_equals_the_whole_file(units, settings):
    header = "city,station,date,kind,water_body,pH,DO,CODMn,NH3N,TP\n"
    rows = [f"海口市,W{i},2017-02-0{d},surface,river,7.5,7.0,3.0,0.3,0.1\n" for i in (1, 2) for d in (1, 2, 3)]
    data = (header + "".join(rows)).encode()
    settings.IMPORT_CHUNK_ROWS = 4
    batch = import_file(kind="water", name="w.csv", data=data)
    assert batch.status == ImportStatus.DONE, batch.errors
    assert (batch.total_rows, batch.created_rows, batch.skipped_rows) == (6, 6, 0)
    # the same file again under another name: every row exists, all six are skipped across the two chunks
    again = import_file(kind="water", name="w2.csv", data=data + b"\n")
    assert again.status == ImportStatus.DONE, again.errors
    assert (again.created_rows, again.skipped_rows) == (0, 6)
