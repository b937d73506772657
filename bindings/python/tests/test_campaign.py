"""`pucha.read_campaign`: a campaign folder made by the `pucha` command, read as a DataFrame."""

import json
import pathlib
import subprocess

import pytest

import pucha

ROOT = pathlib.Path(__file__).resolve().parents[3]
HEADER = ("地区,网站名称,ICP备案编号,首页网址,网站主管单位,办公地址,网站类型,网站标识码,负责人姓名,负责人职务,"
          "负责人办公电话,负责人手机,负责人电子邮箱,联系人姓名,联系人办公电话,联系人手机,联系人电子邮箱")


def cli():
    """The `pucha` command of this checkout (built if it is not there yet)."""
    exe = ROOT / "target" / "debug" / "pucha"
    if not exe.exists():
        subprocess.run(["cargo", "build", "-q", "-p", "pucha-cli"], cwd=ROOT, check=True)
    return str(exe)


def row(n, region):
    return (f"{region},站{n},蜀ICP备0506{n:04d}号,http://127.0.0.1:9/s{n}/,办公室,人民路 1 号,其他,51012{n:05d},"
            "张三,主任,028-12345678,13800138000,zs@example.gov.cn,李四,028-87654321,13900139000,ls@example.gov.cn")


@pytest.fixture(scope="module")
def campaign(tmp_path_factory):
    d = tmp_path_factory.mktemp("campaign")
    lines = [HEADER] + [row(n, "甲县" if n <= 2 else "乙县") for n in range(1, 5)]
    (d / "sites.csv").write_text("\n".join(lines) + "\n", encoding="gbk")
    folder = d / "c"
    # A week in the past: every slot is recorded as missed, nothing is fetched (nor probed: no run here).
    subprocess.run([cli(), "campaign", "init", str(folder), "--sites", str(d / "sites.csv"), "--from", "2015-06-24",
                    "--per-day", "20", "--set", "proration=whole-percent"], check=True, capture_output=True)
    return folder


def test_the_sites_and_the_plan_read_before_anything_is_collected(campaign):
    df = pucha.read_campaign(campaign)
    assert list(df.index) == [1, 2, 3, 4]
    assert df.loc[1, "name"] == "站1" and df.loc[4, "region"] == "乙县"
    assert (df["samples_planned"] == 140).all() and (df["samples_taken"] == 0).all()
    assert df["failure_rate"].isna().all()
    assert not df["probed"].any()
    assert "verdict" not in df
    assert df.attrs["monitoring_point"] == "2015-06-30"
    assert df.attrs["set"] == ["proration=whole-percent"]


def test_after_score_the_results_join_the_status(campaign):
    subprocess.run([cli(), "campaign", "score", str(campaign)], capture_output=True)
    df = pucha.read_campaign(campaign)
    assert set(df["verdict"]) == {"undetermined"}, df["verdict"]
    assert df["error"].isna().all()
    by_region = df.groupby("region").size()
    assert by_region["甲县"] == 2
    reports = [json.loads(x) for x in (campaign / "reports.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["site"]["name"] for r in reports] == list(df["name"])


def test_a_folder_without_a_campaign_is_a_clear_error(tmp_path):
    with pytest.raises(pucha.PuchaError, match="holds no campaign") as e:
        pucha.read_campaign(tmp_path)
    assert e.value.code == "campaign"
    (tmp_path / "campaign.sqlite").write_bytes(b"not a database at all" * 100)
    with pytest.raises(pucha.PuchaError, match="not a campaign database"):
        pucha.read_campaign(tmp_path)
