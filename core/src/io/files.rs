//! Reading input files within a size limit (feature `fs`), packs among them. A file's size on disk is not trusted: `/dev/zero`, a
//! pipe or a file still growing is read only up to one byte past the limit, then refused by name.

use crate::lang::pack::{MAX_PACK_BYTES, RulePack};
use crate::model::error::{Error, ErrorKind};
use std::io::Read;

/// The bytes of the file at `path`, or of stdin for `-`, when there are at most `limit` of them.
///
/// # Errors
/// `io` when it cannot be read, `too_large` past the limit; both name the file (`stdin` for `-`) and say what it
/// was read as (`what`: "pack", "profile", …).
pub fn read_bytes(path: &str, limit: usize, what: &str) -> Result<Vec<u8>, Error> {
    let name = if path == "-" { "stdin" } else { path };
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    let mut buf = Vec::new();
    let read = if path == "-" {
        std::io::stdin().lock().take(cap).read_to_end(&mut buf)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(cap).read_to_end(&mut buf))
    };
    read.map_err(|e| Error::new(ErrorKind::Io, format!("cannot read {what}: {e}")).with_file(name))?;
    if buf.len() > limit {
        return Err(Error::new(
            ErrorKind::TooLarge,
            format!("{what} is larger than the limit of {limit} bytes"),
        )
        .with_file(name));
    }
    Ok(buf)
}

/// The text of the file at `path` (stdin for `-`), at most `limit` bytes of UTF-8, a leading byte-order mark
/// (Windows Notepad writes one) dropped.
///
/// # Errors
/// As [`read_bytes`]; `json_syntax` naming the first byte that is not UTF-8 (`not_utf8_kind` to say otherwise).
pub fn read_text(path: &str, limit: usize, what: &str) -> Result<String, Error> {
    read_text_as(path, limit, what, ErrorKind::JsonSyntax)
}

/// As [`read_text`], with the kind of error for text that is not UTF-8 (`toml_syntax` for a pack).
///
/// # Errors
/// As [`read_text`].
pub fn read_text_as(path: &str, limit: usize, what: &str, not_utf8_kind: ErrorKind) -> Result<String, Error> {
    let mut bytes = read_bytes(path, limit, what)?;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let name = if path == "-" { "stdin" } else { path };
    String::from_utf8(bytes).map_err(|e| {
        Error::new(
            not_utf8_kind,
            format!("{what} is not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        )
        .with_file(name)
    })
}

impl RulePack {
    /// Load from a TOML file.
    ///
    /// # Errors
    /// `io` when the file cannot be read, else as [`RulePack::from_toml_str`].
    pub fn from_path(path: impl AsRef<std::path::Path>) -> Result<RulePack, Error> {
        let name = path.as_ref().display().to_string();
        let src = read_text_as(&name, MAX_PACK_BYTES, "pack", ErrorKind::TomlSyntax)?;
        RulePack::from_toml_str(&src, &name)
    }

    /// A built-in name, else a file path.
    ///
    /// # Errors
    /// As [`RulePack::builtin`] or [`RulePack::from_path`].
    #[cfg(all(feature = "builtin-packs", feature = "fs"))]
    pub fn load(name_or_path: &str) -> Result<RulePack, Error> {
        if pucha_rules::get(name_or_path).is_some()
            || !std::path::Path::new(name_or_path).exists() && !name_or_path.contains(['/', '.'])
        {
            return RulePack::builtin(name_or_path);
        }
        RulePack::from_path(name_or_path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_past_the_limit_is_refused_by_name() {
        let dir = std::env::temp_dir().join(format!("pucha-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("x.json");
        std::fs::write(&f, "\u{feff}{}").unwrap();
        let path = f.to_str().unwrap();
        assert_eq!(read_text(path, 5, "observation").unwrap(), "{}");
        let e = read_text(path, 4, "observation").unwrap_err();
        assert_eq!(e.code(), "too_large");
        assert_eq!(e.file(), Some(path));
        std::fs::write(&f, b"{\xff}").unwrap();
        let e = read_text(path, 10, "pack").unwrap_err();
        assert!(e.to_string().contains("pack is not UTF-8 (byte 1)"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// `/dev/zero` reports a size of 0 and never ends: it is read to one byte past the limit, not until memory
    /// runs out.
    #[cfg(unix)]
    #[test]
    fn an_endless_file_is_read_only_to_the_limit() {
        let e = read_bytes("/dev/zero", 1 << 20, "pack").unwrap_err();
        assert_eq!(e.code(), "too_large");
        assert!(
            e.to_string()
                .contains("pack is larger than the limit of 1048576 bytes"),
            "{e}"
        );
    }
}
