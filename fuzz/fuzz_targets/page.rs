//! A page as a site serves it: any bytes, with any content type, decode to text; the list items, links and visible
//! text read from it are printable and bounded by the page, everything the extraction boundary reads from it (guide
//! elements, named forms, wrong terms, link kinds) comes back as a success, and robots.txt rules parse from it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pucha_extract::{
    Robots, decode_page, default_terms, examine, extract_items, page_links, screen_text, throttled_or_walled,
    visible_text,
};

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
    let text = visible_text(&page.text);
    for f in screen_text(&text, &default_terms()) {
        assert!(!f.excerpt.chars().any(char::is_control), "{:?}", f.excerpt);
    }
    let _ = throttled_or_walled(403, body, head);
    let request = serde_json::json!({
        "url": "http://www.example.gov.cn/col/index.html",
        "home": "http://www.example.gov.cn/",
        "content_type": head,
        "crawl": "2015-06-30",
    });
    let answer = examine(body, &request.to_string());
    assert_eq!(answer["type"], "success", "{answer}");
    let robots = Robots::parse(&page.text, "pucha");
    let _ = robots.allows("/col/index.html");
});
