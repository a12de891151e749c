//! The checked batch as the CLI prints it: compiler-style text lines grouped
//! by file with a Chinese summary line, or one JSON object in the documented
//! shape (`cell` in A1 form, `row` as Excel numbers it, null where n/a).

use super::CheckedBatch;
use crate::diag::Diagnostic;
use serde_json::{Value, json};

/// Text report: one block per file (a heading line with its counts, then its
/// diagnostics), then the batch-wide diagnostics, then the summary line.
pub fn to_text(batch: &CheckedBatch) -> String {
    let mut out = String::new();
    for f in &batch.files {
        let body = f.jurisdiction.as_deref().unwrap_or("报送单位不明");
        out.push_str(&format!(
            "== {}（{}）：{}行，接受{}行，退回{}行\n",
            f.path, body, f.rows, f.accepted, f.rejected
        ));
        for d in batch.diagnostics_of(f) {
            out.push_str(&format!("{d}\n"));
        }
    }
    let rest: Vec<&Diagnostic> = batch.diagnostics_of_no_file().collect();
    if !rest.is_empty() {
        out.push_str("== 全批\n");
        for d in rest {
            out.push_str(&format!("{d}\n"));
        }
    }
    out.push_str(&summary_line(batch));
    out.push('\n');
    out
}

/// `共检查3个文件，读取40行，接受38行，退回2行；错误2个，警告1个。`
fn summary_line(batch: &CheckedBatch) -> String {
    let rows: usize = batch.files.iter().map(|f| f.rows).sum();
    let accepted: usize = batch.files.iter().map(|f| f.accepted).sum();
    let rejected: usize = batch.files.iter().map(|f| f.rejected).sum();
    let verdict = if batch.errors() == 0 {
        "未发现错误"
    } else {
        "请按上述提示修改后重新报送"
    };
    format!(
        "共检查{}个文件，读取{rows}行，接受{accepted}行，退回{rejected}行；错误{}个，警告{}个。{verdict}。",
        batch.files.len(),
        batch.errors(),
        batch.warnings()
    )
}

/// JSON report: `{"files":[...], "diagnostics":[...], "summary":{...}}`.
pub fn to_json(batch: &CheckedBatch) -> Value {
    let files: Vec<Value> = batch
        .files
        .iter()
        .map(|f| {
            json!({
                "path": f.path,
                "jurisdiction": f.jurisdiction,
                "rows": f.rows,
                "accepted": f.accepted,
                "rejected": f.rejected,
            })
        })
        .collect();
    let diagnostics: Vec<Value> = batch.diagnostics.iter().map(diagnostic_json).collect();
    json!({
        "files": files,
        "diagnostics": diagnostics,
        "summary": { "errors": batch.errors(), "warnings": batch.warnings() },
    })
}

pub(crate) fn diagnostic_json(d: &Diagnostic) -> Value {
    json!({
        "severity": d.severity.as_str(),
        "code": d.code.as_str(),
        "file": d.file,
        "sheet": d.sheet,
        "cell": d.cell.map(|c| c.to_string()),
        "row": d.row.map(|r| r + 1),
        "unit": d.unit,
        "message": d.message,
        "suggestion": d.suggestion,
    })
}
