//! Spreadsheets read within bounds: the archive is unpacked once into nothing, counting, before the workbook is
//! opened (so a ZIP bomb is refused whatever its headers claim), and a sheet is read cell by cell into the cells it
//! fills (so a sheet whose used range spans A1:XFD1048576 costs what it holds, not a dense 17 × 10⁹ grid).

use calamine::{Data, Reader, Xlsx};
use std::io::{Cursor, Read};

/// The most a workbook may unpack to, all parts together: 64 MiB (a form-shaped profile unpacks to a few KB).
pub const MAX_UNPACKED_BYTES: u64 = 64 << 20;

/// A sheet's filled cells, by row: `(row, [(column, text)])`, both 0-based, rows and cells in order, empty cells
/// left out.
pub(crate) type SparseRows = Vec<(u32, Vec<(u32, String)>)>;

/// A cell's text as a form is read: strings trimmed, whole numbers without `.0` (a 网站标识码 or a phone number
/// typed as a number), empty cells empty.
pub(crate) fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::Empty => String::new(),
        other => other.to_string().trim().to_string(),
    }
}

/// Open the workbook in `bytes` once it is known to unpack to at most [`MAX_UNPACKED_BYTES`].
pub(crate) fn open(bytes: &[u8]) -> Result<Xlsx<Cursor<&[u8]>>, String> {
    check_unpacked_size(bytes, MAX_UNPACKED_BYTES)?;
    Xlsx::new(Cursor::new(bytes)).map_err(|e| format!("not a readable XLSX workbook: {e}"))
}

/// Unpack every part of the archive into nothing, stopping as soon as the total passes `limit`.
fn check_unpacked_size(bytes: &[u8], limit: u64) -> Result<(), String> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("not a readable XLSX workbook: {e}"))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let part = zip
            .by_index(i)
            .map_err(|e| format!("not a readable XLSX workbook: {e}"))?;
        let name = part
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| format!("#{i}"));
        let mut bounded = part.take(limit - total + 1);
        let n = std::io::copy(&mut bounded, &mut std::io::sink())
            .map_err(|e| format!("not a readable XLSX workbook: part `{name}`: {e}"))?;
        total += n;
        if total > limit {
            return Err(format!(
                "the workbook unpacks to more than {} MiB (part `{name}`); a form-shaped workbook is far smaller",
                limit >> 20
            ));
        }
    }
    Ok(())
}

/// The filled cells of sheet `name`, read one by one; more than `max_cells` filled cells is an error naming the
/// sheet.
pub(crate) fn rows(
    wb: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    max_cells: usize,
    text: impl Fn(&Data) -> String,
) -> Result<SparseRows, String> {
    let mut reader = wb
        .worksheet_cells_reader(name)
        .map_err(|e| format!("sheet `{name}`: {e}"))?;
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(|e| format!("sheet `{name}`: {e}"))? {
        let value = text(&Data::from(cell.get_value().clone()));
        if value.is_empty() {
            continue;
        }
        if cells.len() == max_cells {
            return Err(format!(
                "sheet `{name}` fills more than {max_cells} cells; a form-shaped sheet fills far fewer"
            ));
        }
        let (row, column) = cell.get_position();
        cells.push((row, column, value));
    }
    cells.sort_by_key(|&(r, c, _)| (r, c));
    let mut out: SparseRows = Vec::new();
    for (r, c, v) in cells {
        match out.last_mut() {
            Some((row, filled)) if *row == r => filled.push((c, v)),
            _ => out.push((r, vec![(c, v)])),
        }
    }
    Ok(out)
}
