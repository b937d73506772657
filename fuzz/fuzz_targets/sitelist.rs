//! The site-list readers of campaigns (网站名录): XLSX bytes (a sheet of sites and one of columns), JSON Lines of
//! profiles (text starting `{`), or CSV in UTF-8 or GBK (a second CSV of columns after a form feed). Anything reads
//! into sites and problems, every problem with a Chinese and an English reason, or fails with a message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pucha_extract::directory::{self, Directory};
use pucha_extract::table::table_from_csv;

fuzz_target!(|data: &[u8]| {
    let d: Directory = if data.starts_with(b"PK") {
        match directory::from_xlsx(data) {
            Ok(d) => d,
            Err(e) => {
                assert!(!e.is_empty());
                return;
            }
        }
    } else if data.first() == Some(&b'{') {
        match std::str::from_utf8(data) {
            Ok(t) => directory::from_json_lines(t),
            Err(_) => return,
        }
    } else {
        let (sites, columns) = match data.iter().position(|b| *b == 0x0c) {
            Some(i) => (&data[..i], Some(&data[i + 1..])),
            None => (data, None),
        };
        let sites = match table_from_csv(sites) {
            Ok(t) => t,
            Err(e) => {
                assert!(!e.is_empty());
                return;
            }
        };
        let columns = columns.and_then(|c| table_from_csv(c).ok());
        directory::from_tables(&sites, columns.as_ref())
    };
    for p in &d.problems {
        assert!(!p.problem.zh.is_empty() && !p.problem.en.is_empty(), "{p:?}");
    }
    assert!(d.valid().len() <= d.sites.len());
});
