//! A page as a site serves it: any bytes, with any content type, decode to text; the list items, links and visible
//! text read from it are printable and bounded by the page, and robots.txt rules parse from it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pucha_extract::{Robots, decode_page, extract_items, page_links, visible_text};

fuzz_target!(|data: &[u8]| {
    // The first line, up to 64 bytes, is the Content-Type header; the rest is the body.
    let (head, body) = match data.iter().take(64).position(|b| *b == b'\n') {
        Some(i) => (std::str::from_utf8(&data[..i]).ok(), &data[i + 1..]),
        None => (None, data),
    };
    let page = decode_page(body, head);
    let crawl = chrono::NaiveDate::from_ymd_opt(2015, 6, 30).expect("a date");
    let list = extract_items(&page.text, Some("http://www.example.gov.cn/col/"), crawl);
    for item in &list.items {
        assert!(!item.title.chars().any(char::is_control), "{:?}", item.title);
    }
    let links = page_links(&page.text, Some("http://www.example.gov.cn/"));
    assert!(links.len() <= page.text.len() + 1);
    let _ = visible_text(&page.text);
    let robots = Robots::parse(&page.text, "pucha");
    let _ = robots.allows("/col/index.html");
});
