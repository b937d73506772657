#!/usr/bin/env python3
"""Seed inputs for the fuzz targets, written to fuzz/seeds/<target>/ from the project's own examples, packs and
vectors (reports are scored with the debug CLI, `target/debug/pucha`). The committed corpora (fuzz/corpus/) are
these seeds grown by fuzzing and minimised with `cargo fuzz cmin`; `scripts/fuzz seed` reruns this."""
import hashlib, json, pathlib, re, subprocess, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "seeds"


def put(target, text):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    data = text.encode() if isinstance(text, str) else text
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


observations = [p.read_text() for p in sorted((ROOT / "examples" / "observations").glob("*.json"))]
packs = [p.read_text() for p in sorted((ROOT / "rules" / "packs").glob("*.toml"))]
for vec in sorted((ROOT / "tests" / "vectors").rglob("*.json")):
    doc = json.loads(vec.read_text())
    if isinstance(doc.get("pack"), dict) and "toml" in doc["pack"]:
        packs.append(doc["pack"]["toml"])
    for case in doc.get("cases", []):
        if "observation" in case:
            observations.append(json.dumps(case["observation"], ensure_ascii=False))
        if isinstance(case.get("pack"), dict) and "toml" in case["pack"]:
            packs.append(case["pack"]["toml"])

for o in observations:
    put("observation", o)
for p in packs:
    put("pack", p)
    for e in re.findall(r'^(?:when|each) = "(.*)"$', p, re.M):
        put("expr", e.replace('\\"', '"'))

flat = [
    {"monitoring_point": "2015-06-30", "site.name": "x", "links.homepage_broken": 1, "links.other_broken": "4"},
    {"monitoring_point": "2015-06-30", "columns.stale.policy": 2, "interaction.survey.activities": 2},
    {"monitoring_point": "2015-06-30", "site.kind": "portal", "availability.visits": 140, "availability.failures": 6,
     "homepage.updates": 12, "columns.blank": 0, "services.guides": None},
]
for f in flat:
    put("flat", json.dumps(f, ensure_ascii=False))

cli = ROOT / "target" / "debug" / "pucha"
if not cli.exists():
    sys.exit("build the CLI first: cargo build -p pucha-cli")
for p in sorted((ROOT / "examples" / "observations").glob("*.json")):
    r = subprocess.run([str(cli), "score", "--format", "json", str(p)], capture_output=True, text=True)
    if r.stdout.strip():
        put("report", r.stdout)
# Profiles: the example in TOML and as JSON, and workbooks (the report's XLSX is a real workbook to start from).
import tomllib
for p in sorted((ROOT / "examples" / "profiles").glob("*.toml")):
    put("profile", p.read_text())
    put("profile", json.dumps(tomllib.loads(p.read_text()), ensure_ascii=False))
xlsx = ROOT / "target" / "fuzz-seed.xlsx"
r = subprocess.run([str(cli), "score", str(ROOT / "examples" / "observations" / "good-portal.json"), "--format", "xlsx",
                    "--output", str(xlsx)], capture_output=True)
if xlsx.exists():
    put("profile", xlsx.read_bytes())
    xlsx.unlink()

# Pages: a content type line, then the body; list pages in UTF-8 and GBK, a report page with tables and links.
pages = [
    ("text/html; charset=utf-8", "<html><head><title>工作动态</title></head><body><ul class=list>"
     + "".join(f'<li><a href="/col/{i}.html">县政府召开第{i}次常务会议</a><span>2015-0{1 + i % 9}-1{i % 10}</span></li>' for i in range(12))
     + '</ul><a href="/files/a.pdf">附件：通知.pdf</a><img src="/i.png"></body></html>'),
    ("text/html", '<meta charset="gbk"><div class="news"><p><a href="n1.htm">[03-29] 通知公告</a> 2015年3月29日</p></div>'),
    ("text/plain", "User-agent: *\nDisallow: /admin/\nAllow: /admin/public\n"),
]
for ct, body in pages:
    enc = "gbk" if "gbk" in body else "utf-8"
    put("page", ct.encode() + b"\n" + body.encode(enc))
r = subprocess.run([str(cli), "score", str(ROOT / "examples" / "observations" / "raw-evidence.json"), "--format", "html"],
                   capture_output=True)
if r.stdout:
    put("page", b"text/html; charset=utf-8\n" + r.stdout)
# Site lists: the CSV a unit keeps (UTF-8 and GBK, a title row, a bad row), with a columns CSV after a form feed,
# and JSON Lines of the example profile.
header = ("地区,网站名称,ICP备案编号,首页网址,网站主管单位,办公地址,网站类型,网站标识码,负责人姓名,负责人职务,负责人办公电话,"
          "负责人手机,负责人电子邮箱,联系人姓名,联系人办公电话,联系人手机,联系人电子邮箱")
rows = [f"示例县,站{n},蜀ICP备0506093{n}号,http://s{n}.gov.cn/,办公室,人民路 1 号,门户网站,510123000{n},张三,主任,"
        f"028-12345678,1380013800{n},zs@a.gov.cn,李四,028-87654321,13900139000,ls@a.gov.cn" for n in range(1, 4)]
listing = "网站名录\n" + header + "\n" + "\n".join(rows) + "\n示例县,坏行,,ftp://x,,,,12,,,,123,,,,,\n"
columns = "网站标识码,类别,栏目名称,网址,首页\n5101230001,工作动态,要闻；部门动态,http://s1.gov.cn/a/；http://s1.gov.cn/b/,是\n"
put("sitelist", listing)
put("sitelist", listing.encode("gbk"))
put("sitelist", listing.encode() + b"\x0c" + columns.encode())
for p in sorted((ROOT / "examples" / "profiles").glob("*.toml")):
    put("sitelist", json.dumps(tomllib.loads(p.read_text()), ensure_ascii=False) + "\n{\"site\": 1}\n")
print("seeds in", OUT)
