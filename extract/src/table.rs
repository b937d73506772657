//! Tables from the files organising units keep their lists in: CSV (UTF-8, with or without a byte-order mark, or
//! GBK/GB18030 as Chinese Excel saves it) and XLSX (every sheet, read within bounds, cell by cell). A table is a
//! header row and the rows under it, each cell trimmed; blank rows are skipped and rows keep their number in the
//! file, so problems can name them.

use crate::sheet;
use calamine::Reader;

/// The most cells one sheet or CSV file of a list may hold: 4,000,000 (the 2015 census's 84,094 sites × 20 fields
/// is 1.7 M).
pub const MAX_TABLE_CELLS: usize = 4_000_000;

/// A header row and the rows under it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// Where it came from: the sheet's name, or empty for a CSV file.
    pub name: String,
    /// The header's 1-based row number.
    pub header_row: usize,
    /// The header cells, trimmed.
    pub header: Vec<String>,
    /// Each row with something in it: its 1-based row number in the file or sheet, and its cells, one per header
    /// cell (missing cells empty).
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    /// The rows of a grid whose first non-blank row is the header.
    fn from_grid(name: &str, grid: impl IntoIterator<Item = (usize, Vec<String>)>) -> Table {
        let mut t = Table {
            name: name.to_string(),
            ..Table::default()
        };
        for (row, cells) in grid {
            if cells.iter().all(String::is_empty) {
                continue;
            }
            if t.header.is_empty() {
                t.header_row = row;
                t.header = cells;
                while t.header.last().is_some_and(String::is_empty) {
                    t.header.pop();
                }
                continue;
            }
            let mut cells = cells;
            cells.resize(t.header.len().max(cells.len()), String::new());
            t.rows.push((row, cells));
        }
        t
    }
}

/// The text of a CSV file: UTF-8 (a byte-order mark dropped) when it is valid UTF-8, else GB18030 (a superset of
/// GBK and GB2312); bytes valid in neither are an error naming the first one.
pub fn csv_text(bytes: &[u8]) -> Result<String, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        let at = text.find('\u{FFFD}').map_or(0, |i| text[..i].chars().count() + 1);
        return Err(format!(
            "the file is neither UTF-8 nor GBK/GB18030 (character {at} does not decode); save it as CSV UTF-8"
        ));
    }
    Ok(text.into_owned())
}

/// A CSV file as a table (its first non-blank row the header).
///
/// # Errors
/// A message when the bytes do not decode or a row is not CSV (naming the row).
pub fn table_from_csv(bytes: &[u8]) -> Result<Table, String> {
    let text = csv_text(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut grid = Vec::new();
    // The row number in the file: line breaks before the record's first byte, counted as the reading goes (the
    // reader's own line count leaves out the blank lines it skips).
    let (mut line, mut counted_to) = (1usize, 0usize);
    let mut cells = 0usize;
    for record in reader.records() {
        let record = record.map_err(|e| format!("row {line}: {e}"))?;
        cells += record.len();
        if cells > MAX_TABLE_CELLS {
            return Err(format!(
                "the file holds more than {MAX_TABLE_CELLS} cells (row {line}); a site list holds far fewer"
            ));
        }
        // The position is where the reader began: before the blank lines it skipped.
        let bytes = text.as_bytes();
        let mut at = record
            .position()
            .map_or(counted_to, |p| p.byte() as usize)
            .min(bytes.len());
        while bytes.get(at).is_some_and(|b| matches!(b, b'\n' | b'\r')) {
            at += 1;
        }
        line += bytes[counted_to.min(at)..at]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        counted_to = counted_to.max(at);
        grid.push((line, record.iter().map(|c| c.trim().to_string()).collect()));
    }
    Ok(Table::from_grid("", grid))
}

/// Every sheet of an XLSX workbook as a table, in the workbook's order (sheets with nothing in them left out).
///
/// # Errors
/// A message when the workbook cannot be read, unpacks to too much, or a sheet fills more than
/// [`MAX_TABLE_CELLS`] cells (naming it).
pub fn tables_from_xlsx(bytes: &[u8]) -> Result<Vec<Table>, String> {
    let mut wb = sheet::open(bytes)?;
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let rows = sheet::rows(&mut wb, &name, MAX_TABLE_CELLS, sheet::cell_text)?;
        // The rows are laid out in full (a cell at column XFD makes its row 16,384 wide): the whole layout is
        // bounded too, so a few far-flung cells cannot make the reading hold billions of empty ones.
        let spanned: usize = rows
            .iter()
            .map(|(_, cells)| cells.last().map_or(0, |(c, _)| *c as usize + 1))
            .sum();
        if spanned > MAX_TABLE_CELLS {
            return Err(format!(
                "sheet `{name}` spans more than {MAX_TABLE_CELLS} cells (cells far to the right); a site list is far \
                 narrower"
            ));
        }
        let grid = rows.into_iter().map(|(r, cells)| {
            let width = cells.last().map_or(0, |(c, _)| *c as usize + 1);
            let mut line = vec![String::new(); width];
            for (c, v) in cells {
                line[c as usize] = v;
            }
            (r as usize + 1, line)
        });
        let t = Table::from_grid(&name, grid);
        if !t.header.is_empty() {
            out.push(t);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_utf8_with_a_mark_and_in_gbk_read_the_same() {
        let text =
            "网站名称,首页网址\n\n示例县人民政府,http://www.example.gov.cn/\n\"带,逗号\",http://b.gov.cn/\n";
        let utf8 = table_from_csv(format!("\u{FEFF}{text}").as_bytes()).unwrap_or_default();
        let gbk = table_from_csv(&encoding_rs::GBK.encode(text).0).unwrap_or_default();
        assert_eq!(utf8, gbk);
        assert_eq!(utf8.header, ["网站名称", "首页网址"]);
        assert_eq!(
            utf8.rows[0],
            (
                3,
                vec!["示例县人民政府".to_string(), "http://www.example.gov.cn/".into()]
            )
        );
        assert_eq!(utf8.rows[1].1[0], "带,逗号");
        let multi = table_from_csv("a,b\n\n\"q\nr\",z\n\n\nm,n\n".as_bytes()).unwrap_or_default();
        assert_eq!(
            multi.rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            [3, 7],
            "a cell over two lines"
        );
    }

    #[test]
    fn bytes_in_no_chinese_encoding_are_refused() {
        let err = table_from_csv(b"a,b\n\x81\x20,c\n").unwrap_err();
        assert!(err.contains("neither UTF-8 nor GBK"), "{err}");
    }

    #[test]
    fn a_csv_of_too_many_cells_is_refused_before_it_is_held() {
        let wide = ",".repeat(MAX_TABLE_CELLS + 10);
        let err = table_from_csv(wide.as_bytes()).unwrap_err();
        assert!(err.contains("more than 4000000 cells"), "{err}");
    }

    #[test]
    fn a_sheet_whose_cells_sit_far_to_the_right_is_refused_not_laid_out() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for r in 0..300u32 {
            let _ = ws.write_string(r, 16_383, "x");
        }
        let err = tables_from_xlsx(&wb.save_to_buffer().unwrap_or_default()).unwrap_err();
        assert!(err.contains("spans more than"), "{err}");
    }

    #[test]
    fn short_rows_are_filled_and_blank_rows_skipped() {
        let t = table_from_csv("a,b,c\n1\n,,\n1,2,3,4\n".as_bytes()).unwrap_or_default();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].1, ["1", "", ""]);
        assert_eq!(t.rows[1].1.len(), 4);
    }
}
