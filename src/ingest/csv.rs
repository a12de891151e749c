//! CSV files as one sheet of text cells. Clerks save CSV from Excel in GBK,
//! so bytes that are not UTF-8 are read as GB18030 (a superset of GBK), and
//! only when that fails is the encoding guessed.

use super::{CellValue, IngestError, RowCollector, Sheet, Visibility};
use std::path::Path;

/// Decodes and splits a CSV file into one sheet named after the file.
pub(super) fn read_csv(path: &Path, bytes: &[u8], max_rows: usize) -> Result<Sheet, IngestError> {
    let text = decode(bytes).ok_or_else(|| IngestError::Csv {
        path: path.to_path_buf(),
        message: "无法识别文字编码，请另存为 UTF-8 或 GBK 编码的 CSV".into(),
    })?;
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = RowCollector::new(max_rows);
    let mut record = csv::StringRecord::new();
    let mut index: u32 = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(IngestError::Csv {
                    path: path.to_path_buf(),
                    message: format!("第 {} 行：{e}", index + 1),
                });
            }
        }
        let mut keep_going = true;
        for (col, field) in record.iter().enumerate() {
            if field.trim().is_empty() {
                continue;
            }
            keep_going = rows.push(index, col as u32, CellValue::Text(field.to_string()));
            if !keep_going {
                break;
            }
        }
        if !keep_going {
            break;
        }
        index = index.saturating_add(1);
    }
    let (rows, truncated) = rows.finish();
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("CSV")
        .to_string();
    Ok(Sheet {
        name,
        visibility: Visibility::Visible,
        rows,
        truncated,
    })
}

/// UTF-8 (with or without BOM), else GB18030, else chardetng's guess.
fn decode(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some(s.to_string());
    }
    if let Some(s) = encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes)
    {
        return Some(s.into_owned());
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| s.into_owned())
}

/// Excel writes commas; some systems export tab- or semicolon-separated text.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |c| first.matches(c).count();
    let (commas, tabs, semis) = (count(','), count('\t'), count(';'));
    if tabs > commas && tabs >= semis {
        b'\t'
    } else if semis > commas {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_bytes_decode_to_chinese() {
        let (bytes, _, _) = encoding_rs::GBK.encode("单位名称,测评得分\n岳阳县人民法院,95\n");
        let text = decode(&bytes).unwrap();
        assert!(text.starts_with("单位名称,测评得分"));
        assert!(text.contains("岳阳县人民法院"));
    }

    #[test]
    fn the_first_line_decides_the_delimiter() {
        assert_eq!(sniff_delimiter("a\tb\tc\n"), b'\t');
        assert_eq!(sniff_delimiter("a,b;c,d\n"), b',');
    }
}
