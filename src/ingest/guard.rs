//! The gate before any parser sees a file: bounded reading, format told from
//! the content (clerks rename files; a PNG may arrive as `.xlsx`), and zip
//! containers measured by actually inflating them with a ceiling, so that a
//! zip bomb (even one that lies about its sizes) is refused before calamine
//! opens it.

use super::{Format, IngestError};
use std::io::{Cursor, Read};
use std::path::Path;

/// The largest file read at all.
pub(super) const MAX_FILE_BYTES: u64 = 100 * 1024 * 1024;
/// The most one part of a zip package may inflate to.
pub(super) const MAX_ENTRY_BYTES: u64 = 200 * 1024 * 1024;
/// The most a part that readers hold whole in memory (shared strings,
/// styles, an ODS `content.xml`) may inflate to; only xlsx/xlsb worksheets
/// are streamed and may reach `MAX_ENTRY_BYTES` (200 MB).
pub const MAX_WHOLE_PART_BYTES: u64 = 64 * 1024 * 1024;
/// The most all parts of a zip package together may inflate to.
pub(super) const MAX_TOTAL_BYTES: u64 = 400 * 1024 * 1024;
/// The most parts a zip package may hold.
const MAX_ENTRIES: usize = 10_000;

/// Reads the whole file, refusing empty and oversized ones.
pub(super) fn read_bounded(path: &Path) -> Result<Vec<u8>, IngestError> {
    let io = |source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    check_size(path, &bytes)?;
    Ok(bytes)
}

/// An empty file, or one over [`MAX_FILE_BYTES`], is refused before decoding.
pub(super) fn check_size(path: &Path, bytes: &[u8]) -> Result<(), IngestError> {
    if bytes.is_empty() {
        return Err(IngestError::Empty {
            path: path.to_path_buf(),
        });
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(IngestError::TooLarge {
            path: path.to_path_buf(),
            limit: MAX_FILE_BYTES,
        });
    }
    Ok(())
}

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Tells the format from the first bytes and, for zip packages, from the
/// parts inside; the extension only decides for plain text.
pub(super) fn detect_format(path: &Path, bytes: &[u8]) -> Result<Format, IngestError> {
    let not_sheet = |what: &str| IngestError::NotASpreadsheet {
        path: path.to_path_buf(),
        what: what.to_string(),
    };
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return zip_format(path, bytes);
    }
    if bytes.starts_with(&CFB_MAGIC) {
        // Office writes a password-protected xlsx as a compound file holding
        // an `EncryptedPackage` stream; its directory names are UTF-16.
        if contains_utf16(bytes, "EncryptedPackage") {
            return Err(IngestError::Encrypted {
                path: path.to_path_buf(),
            });
        }
        return Ok(Format::Xls);
    }
    let known: [(&[u8], &str); 7] = [
        (b"\x89PNG", "PNG 图片"),
        (b"\xFF\xD8\xFF", "JPEG 图片"),
        (b"GIF8", "GIF 图片"),
        (b"%PDF", "PDF 文档"),
        (b"Rar!", "RAR 压缩包"),
        (b"7z\xBC\xAF", "7z 压缩包"),
        (b"{\\rtf", "RTF 文档"),
    ];
    if let Some((_, what)) = known.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Err(not_sheet(what));
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let looks_textual = !bytes.iter().take(8192).any(|&b| b == 0);
    match (ext.as_str(), looks_textual) {
        ("csv" | "txt", true) => Ok(Format::Csv),
        (_, true) => Err(not_sheet(
            "文本或网页，请用 Excel 打开后另存为 .xlsx 工作簿",
        )),
        _ => Err(not_sheet("无法识别的二进制数据")),
    }
}

fn contains_utf16(bytes: &[u8], needle: &str) -> bool {
    let pattern: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes
        .windows(pattern.len())
        .any(|w| w == pattern.as_slice())
}

/// The most a zip part can inflate to: deflate expands at most 1032-fold
/// (RFC 1951: a 258-byte match per bit pair, plus block overhead); stored
/// parts not at all. Other methods are not bounded here.
fn inflated_bound<R: Read>(entry: &zip::read::ZipFile<'_, R>) -> u64 {
    let stored = entry.compressed_size();
    match entry.compression() {
        zip::CompressionMethod::Stored => stored,
        zip::CompressionMethod::Deflated => stored.saturating_mul(1032).saturating_add(1024),
        _ => u64::MAX,
    }
}

/// Opens the zip directory, tells xlsx/xlsb/ods apart, and inflates every
/// part whose stored size does not already bound it against the ceilings.
fn zip_format(path: &Path, bytes: &[u8]) -> Result<Format, IngestError> {
    let guess = match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("ods") => Format::Ods,
        Some("xlsb") => Format::Xlsb,
        _ => Format::Xlsx,
    };
    let corrupt = |format: Format, message: String| IngestError::Corrupt {
        path: path.to_path_buf(),
        format,
        message,
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| corrupt(guess, format!("压缩包目录无法读取（{e}）")))?;
    if archive.len() > MAX_ENTRIES {
        return Err(corrupt(
            guess,
            format!("压缩包含 {} 个部件，超出常理", archive.len()),
        ));
    }
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    let format = format_of_parts(path, &names)?;
    check_inflated_sizes(path, format, &mut archive)?;
    if format == Format::Ods {
        super::ods_guard::check_ods_grid(path, &mut archive)?;
    }
    Ok(format)
}

/// The workbook format its zip parts show, or what else the zip is.
fn format_of_parts(path: &Path, names: &[String]) -> Result<Format, IngestError> {
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("xl/workbook.bin") {
        Ok(Format::Xlsb)
    } else if has("xl/workbook.xml") {
        Ok(Format::Xlsx)
    } else if has("content.xml") {
        Ok(Format::Ods)
    } else if has("word/document.xml") {
        Err(IngestError::NotASpreadsheet {
            path: path.to_path_buf(),
            what: "Word 文档".into(),
        })
    } else {
        Err(IngestError::NotASpreadsheet {
            path: path.to_path_buf(),
            what: "普通 ZIP 压缩包".into(),
        })
    }
}

/// Every part within its ceiling and all of them within the total, each
/// inflated only when its stored size does not already bound it.
fn check_inflated_sizes(
    path: &Path,
    format: Format,
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
) -> Result<(), IngestError> {
    let corrupt = |message: String| IngestError::Corrupt {
        path: path.to_path_buf(),
        format,
        message,
    };
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| corrupt(format!("第 {} 个部件无法读取（{e}）", i + 1)))?;
        let name = entry
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| format!("#{}", i + 1));
        let bomb = |limit| IngestError::ZipBomb {
            path: path.to_path_buf(),
            entry: name.clone(),
            limit,
        };
        let streamed = format != Format::Ods && name.starts_with("xl/worksheets/");
        let limit = if streamed {
            MAX_ENTRY_BYTES
        } else {
            MAX_WHOLE_PART_BYTES
        };
        if entry.size() > limit {
            return Err(bomb(limit));
        }
        // The declared size may lie, the stored bytes cannot: when even the
        // densest deflate of them stays under the ceilings, the part is safe
        // without inflating it (a normal intake workbook: inflating every
        // part once more than calamine does was a tenth of reading it).
        let bound = inflated_bound(&entry);
        let inflated = if bound <= limit && total + bound <= MAX_TOTAL_BYTES {
            bound
        } else {
            let inflated = std::io::copy(&mut (&mut entry).take(limit + 1), &mut std::io::sink())
                .map_err(|e| corrupt(format!("部件“{name}”解压失败（{e}）")))?;
            if inflated > limit {
                return Err(bomb(limit));
            }
            inflated
        };
        total += inflated;
        if total > MAX_TOTAL_BYTES {
            return Err(bomb(MAX_TOTAL_BYTES));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_and_empty_files_are_refused_by_content() {
        let p = Path::new("照片.xlsx");
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert!(matches!(
            detect_format(p, png),
            Err(IngestError::NotASpreadsheet { .. })
        ));
        assert!(matches!(
            detect_format(Path::new("a.csv"), "单位名称,得分\n".as_bytes()),
            Ok(Format::Csv)
        ));
    }

    #[test]
    fn a_compound_file_with_an_encrypted_package_is_reported_as_encrypted() {
        let mut bytes = CFB_MAGIC.to_vec();
        bytes.extend(std::iter::repeat_n(0u8, 100));
        bytes.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert!(matches!(
            detect_format(Path::new("加密.xlsx"), &bytes),
            Err(IngestError::Encrypted { .. })
        ));
    }
}
