//! `pucha serve`: the 报送系统 (pucha-server) on this machine; `pucha serve admin create`: its first administrator.

use crate::{EXIT_BAD_INPUT, EXIT_PASS, out, say_err};
use pucha_server::accounts::{self, NewAccount};
use pucha_server::units::{self, Level, NewUnit};
use std::io::BufRead;
use std::net::SocketAddr;

fn fail(lead: &str, msg: &str) -> u8 {
    say_err(&format!(
        "错误 error [serve]: {}",
        crate::chinese_first(lead, msg)
    ));
    EXIT_BAD_INPUT
}

/// Start the server; with `demo`, seed an empty database first and print the logins.
pub(crate) fn serve(
    db: Option<String>,
    bind: SocketAddr,
    hosts: Vec<String>,
    secure: bool,
    widget: Option<String>,
    demo: bool,
) -> u8 {
    if demo && !bind.ip().is_loopback() {
        return fail(
            "演示数据只在本机地址上提供",
            &format!("`--demo` serves only on a loopback address (127.0.0.1 or ::1), not `{bind}`"),
        );
    }
    let db = db.unwrap_or_else(|| if demo { "pucha-demo.sqlite" } else { "pucha.sqlite" }.to_owned());
    if demo && let Err(code) = seed_demo(&db) {
        return code;
    }
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return fail("无法启动", &format!("cannot start the runtime: {e}")),
    };
    let widget = match widget {
        Some(dir) if !std::path::Path::new(&dir).join("pucha-self-check.js").is_file() => {
            return fail(
                "自查组件目录无效",
                &format!("`{dir}` holds no pucha-self-check.js (build it with scripts/build-wasm)"),
            );
        }
        Some(dir) => Some(dir.into()),
        None => Some(std::path::PathBuf::from("bindings/wasm/pkg"))
            .filter(|d| d.join("pucha-self-check.js").is_file()),
    };
    let opts = pucha_server::Options {
        db: db.clone().into(),
        bind,
        hosts,
        secure,
        widget,
    };
    let served = rt.block_on(pucha_server::serve(opts, |addr| {
        out(&format!(
            "报送系统已启动 / pucha serve listening on http://{addr}/ (database `{db}`; Ctrl-C stops)\n"
        ));
    }));
    match served {
        Ok(()) => {
            out("报送系统已停止 / stopped\n");
            EXIT_PASS
        }
        Err(e) => fail("报送系统出错", &e),
    }
}

fn seed_demo(db: &str) -> Result<(), u8> {
    let store = pucha_server::store::Store::open(db).map_err(|e| fail("无法打开数据库", &e.to_string()))?;
    let scorer = pucha_server::scoring::Scorer::new().map_err(|e| fail("规则包无法加载", &e))?;
    let today = chrono::Utc::now().date_naive();
    match pucha_server::demo::seed(&store, &scorer, today) {
        Ok(Some(logins)) => {
            let mut s = format!(
                "演示数据已建立 / demo data created in `{db}`: 一省两市四县、30 个网站 / a province, two cities, four counties, 30 sites\n\
                 登录名 login          密码 password       角色 role   单位 unit\n"
            );
            for l in &logins {
                s.push_str(&format!(
                    "{:<20} {:<18} {:<4} {:<8} {}\n",
                    l.login,
                    l.password,
                    l.role.zh(),
                    l.role.key(),
                    l.unit
                ));
            }
            s.push_str("密码只显示这一次 / the passwords are shown this once\n");
            out(&s);
            Ok(())
        }
        Ok(None) => {
            out(&format!(
                "`{db}` 已有数据，沿用；密码在建立时已显示 / `{db}` holds data already and is served as it is (its passwords were \
                 printed when it was made; delete the file to start afresh)\n"
            ));
            Ok(())
        }
        Err(e) => Err(fail("演示数据无法建立", &e.to_string())),
    }
}

/// Create the first administrator (and the root unit, when the database has none). The password is one line of
/// standard input, so it never shows in the process list or the shell's history.
pub(crate) fn admin_create(
    db: &str,
    login: &str,
    name: &str,
    root: Option<&str>,
    level: &str,
    region: &str,
) -> u8 {
    let mut password = String::new();
    if std::io::stdin().lock().read_line(&mut password).is_err() {
        return fail("无法读取密码", "cannot read the password from standard input");
    }
    let password = password.trim_end_matches(['\r', '\n']).to_owned();
    let store = match pucha_server::store::Store::open(db) {
        Ok(s) => s,
        Err(e) => return fail("无法打开数据库", &e.to_string()),
    };
    let made = store.write(|tx| {
        if units::root(tx)?.is_none() {
            let Some(root) = root else {
                return Err(pucha_server::error::ServerError::bad(
                    "root",
                    "库中尚无单位，请用 `--root` 给出顶级单位名称 / the database has no units yet: name the root with `--root`",
                ));
            };
            let new = NewUnit {
                name: root.to_owned(),
                level: Level::parse(level).unwrap_or(Level::Province),
                region: region.to_owned(),
            };
            units::create_root(tx, &new)?;
        }
        let new = NewAccount {
            login: login.to_owned(),
            display_name: name.to_owned(),
            password,
            role: pucha_server::access::Role::Admin,
        };
        accounts::bootstrap_admin(tx, &new)
    });
    match made {
        Ok(a) => {
            out(&format!(
                "管理员已建立 / administrator `{}` created at the root of `{db}`\n",
                a.login
            ));
            EXIT_PASS
        }
        Err(e) => fail("管理员无法建立", &e.to_string()),
    }
}
