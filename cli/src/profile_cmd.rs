//! `pucha profile check|import`: site profiles (附件3 + 附件4) in TOML, JSON or XLSX.

use crate::{EXIT_BAD_INPUT, EXIT_PASS, out};
use pucha_probes::profile::SiteProfile;

fn load(path: &str) -> Result<SiteProfile, String> {
    let bytes = pucha_core::files::read_bytes(path, pucha_probes::profile::MAX_PROFILE_BYTES, "profile")
        .map_err(|e| e.bilingual())?;
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".xlsx") || bytes.starts_with(b"PK\x03\x04") {
        return pucha_probes::profile_from_xlsx(&bytes).map_err(|e| format!("`{path}`: {e}"));
    }
    let text =
        String::from_utf8(bytes).map_err(|_| format!("`{path}` 不是 UTF-8 文本 / is not UTF-8 text"))?;
    if lower.ends_with(".json") || text.trim_start().starts_with('{') {
        SiteProfile::from_json_str(&text)
    } else {
        SiteProfile::from_toml_str(&text)
    }
    .map_err(|e| format!("`{path}`: {e}"))
}

fn fail(msg: &str) -> u8 {
    crate::say_err(&format!(
        "错误 error [profile]: {}",
        crate::chinese_first("网站信息表有误", msg)
    ));
    EXIT_BAD_INPUT
}

/// Check a profile against the forms' filling rules; lists every problem. Exit 0 when clean, 2 otherwise.
pub(crate) fn check(path: &str) -> u8 {
    let p = match load(path) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let problems = p.check();
    if problems.is_empty() {
        out(&format!(
            "网站基本信息表与栏目（系统）基本信息表填写无误：{}，{} 个栏目\nprofile ok: {}, {} columns\n",
            p.site.name,
            p.columns.len(),
            p.site.name,
            p.columns.len()
        ));
        return EXIT_PASS;
    }
    let mut s = format!(
        "{} 处问题 / {} problems in `{path}`:\n",
        problems.len(),
        problems.len()
    );
    for q in &problems {
        s.push_str(&format!("- {}（{}）：{} / {}\n", q.field_zh, q.field, q.zh, q.en));
    }
    out(&s);
    EXIT_BAD_INPUT
}

/// Import a profile (XLSX laid out like the forms, or JSON) and write it as TOML.
pub(crate) fn import(path: &str, output: Option<&str>) -> u8 {
    let p = match load(path) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let toml = p.to_toml();
    match output {
        Some(o) if o != "-" => match std::fs::write(o, toml) {
            Ok(()) => EXIT_PASS,
            Err(e) => fail(&crate::io_failed("写入", "write", &o, &e)),
        },
        _ => {
            out(&toml);
            EXIT_PASS
        }
    }
}
