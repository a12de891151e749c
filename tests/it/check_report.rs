//! The outputs of `fucha check`: compiler-style text, the JSON object, and
//! the 退回修改意见 workbook for a faulty file.

use crate::check_common;

use check_common::*;
use fucha::check::feedback::feedback_workbook;
use fucha::check::report::{to_json, to_text};
use fucha::check::{CheckedBatch, check_paths};
use fucha::ingest::{self, CellValue};
use std::io::Read;
use std::path::PathBuf;

/// 岳阳县.xlsx with a bad date at F6 and an empty outcome at M5.
fn faulty_batch() -> (tempfile::TempDir, PathBuf, CheckedBatch) {
    let roster = roster();
    let mut intake = Intake::of_body(&roster, "岳阳县");
    intake.rows[2][col::DATE] = s("2020年13月1日");
    intake.rows[1][col::OUTCOME] = s("");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("岳阳县.xlsx");
    intake.write(&path);
    let batch = check_paths(std::slice::from_ref(&path), &roster, &campaign());
    (dir, path, batch)
}

#[test]
fn text_reads_like_a_compiler_grouped_by_file_with_a_summary() {
    let (_d, path, batch) = faulty_batch();
    let text = to_text(&batch);
    let p = path.display().to_string();
    assert!(
        text.starts_with(&format!("== {p}（岳阳县）：4行，接受2行，退回2行\n")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{p}:复查情况!F6: error[invalid-date]: 无法识别的日期“2020年13月1日”（"
        )),
        "{text}"
    );
    assert!(text.contains(&format!(
        "{p}:复查情况!M5: error[missing-value]: 复查结论为空"
    )));
    // F6 comes after M5: sorted by row, then column.
    assert!(text.find("!M5").unwrap() < text.find("!F6").unwrap());
    assert!(text.contains("== 全批\n"));
    assert!(text.contains("未收到华容县的报送表格"));
    let last = text.lines().last().unwrap();
    assert_eq!(
        last,
        format!(
            "共检查1个文件，读取4行，接受2行，退回2行；错误{}个，警告0个。请按上述提示修改后重新报送。",
            batch.errors()
        )
    );
}

#[test]
fn json_has_exactly_the_documented_shape() {
    let (_d, path, batch) = faulty_batch();
    let json = to_json(&batch);
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&json), ["diagnostics", "files", "summary"]);
    let file = &json["files"][0];
    assert_eq!(
        keys(file),
        ["accepted", "jurisdiction", "path", "rejected", "rows"]
    );
    assert_eq!(file["path"], path.display().to_string());
    assert_eq!(file["jurisdiction"], "岳阳县");
    assert_eq!(
        (
            file["rows"].as_u64(),
            file["accepted"].as_u64(),
            file["rejected"].as_u64()
        ),
        (Some(4), Some(2), Some(2))
    );
    let diags = json["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), batch.diagnostics.len());
    for d in diags {
        assert_eq!(
            keys(d),
            [
                "cell",
                "code",
                "file",
                "message",
                "row",
                "severity",
                "sheet",
                "suggestion",
                "unit"
            ]
        );
    }
    let date = diags.iter().find(|d| d["code"] == "invalid-date").unwrap();
    assert_eq!(date["severity"], "error");
    assert_eq!(date["sheet"], "复查情况");
    assert_eq!(date["cell"], "F6");
    assert_eq!(date["row"], 6);
    assert_eq!(date["unit"], "岳阳县林业局");
    let absent = diags.iter().find(|d| d["file"].is_null()).unwrap();
    assert!(absent["cell"].is_null() && absent["row"].is_null() && absent["sheet"].is_null());
    assert_eq!(
        json["summary"]["errors"].as_u64(),
        Some(batch.errors() as u64)
    );
    assert_eq!(json["summary"]["warnings"].as_u64(), Some(0));
}

fn zip_part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn the_feedback_workbook_marks_each_faulty_cell_and_lists_every_problem() {
    let (dir, path, batch) = faulty_batch();
    let before = std::fs::read(&path).unwrap();
    assert_eq!(batch.files[0].path, path.display().to_string());
    let own: Vec<_> = batch.diagnostics_of(&batch.files[0]).collect();
    let bytes = feedback_workbook(&path, &own).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), before, "input untouched");
    assert_eq!(
        feedback_workbook(&path, &own).unwrap(),
        bytes,
        "deterministic bytes"
    );

    let out = dir.path().join("岳阳县退回修改意见.xlsx");
    std::fs::write(&out, &bytes).unwrap();
    let wb = ingest::read_workbook(&out).unwrap();
    let names: Vec<&str> = wb.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["问题清单", "复查情况"]);

    let list = &wb.sheets[0];
    assert_eq!(list.rows.len(), own.len() + 1);
    let listed: Vec<String> = list.rows[1..].iter().map(|r| r.get(3).display()).collect();
    assert!(
        listed.contains(&"F6".to_string()) && listed.contains(&"M5".to_string()),
        "{listed:?}"
    );

    let data = &wb.sheets[1];
    let header = data.rows.iter().find(|r| r.index == HEADER_ROW).unwrap();
    assert_eq!(header.get(16), &CellValue::Text("退回修改意见".into()));
    let row6 = data.rows.iter().find(|r| r.index == 5).unwrap();
    assert_eq!(
        row6.get(col::DATE as u32),
        &CellValue::Text("2020年13月1日".into())
    );
    assert!(row6.get(16).display().contains("无法识别的日期"));
    let row4 = data.rows.iter().find(|r| r.index == 3).unwrap();
    assert_eq!(
        row4.get(col::NAME as u32),
        &CellValue::Text("岳阳县人民法院".into())
    );
    assert!(row4.get(16).is_blank(), "a clean row gets no message");

    // Notes on the faulty cells, and the red fill in the styles.
    let comments = zip_part(&bytes, "xl/comments1.xml");
    assert!(
        comments.contains(r#"ref="F6""#) && comments.contains(r#"ref="M5""#),
        "{comments}"
    );
    assert!(comments.contains("复查结论为空"));
    assert!(zip_part(&bytes, "xl/styles.xml").contains("FFC7CE"));
}

#[test]
fn an_unreadable_file_gets_a_feedback_workbook_with_the_list_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("岳阳县.xlsx");
    std::fs::write(&path, b"").unwrap();
    let batch = check_paths(std::slice::from_ref(&path), &roster(), &campaign());
    let own: Vec<_> = batch.diagnostics_of(&batch.files[0]).collect();
    let bytes = feedback_workbook(&path, &own).unwrap();
    let out = dir.path().join("out.xlsx");
    std::fs::write(&out, bytes).unwrap();
    let wb = ingest::read_workbook(&out).unwrap();
    assert_eq!(wb.sheets.len(), 1);
    assert!(wb.sheets[0].rows[1].get(5).display().contains("空文件"));
}

#[test]
fn a_csv_with_a_long_name_gets_a_feedback_workbook_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!(
        "{}岳阳县[终稿].csv",
        "二〇二〇年度文明单位复查情况汇总表".repeat(2)
    ));
    std::fs::write(
        &path,
        "单位名称,荣誉类别,复查结论\n岳阳县人民法院,全国文明单位,优秀\n",
    )
    .unwrap();
    let batch = check_paths(std::slice::from_ref(&path), &roster(), &campaign());
    let own: Vec<_> = batch.diagnostics_of(&batch.files[0]).collect();
    assert!(!own.is_empty());
    let bytes = feedback_workbook(&path, &own).unwrap();
    let out = dir
        .path()
        .join(fucha::check::feedback::feedback_file_name(&path));
    assert!(out.to_str().unwrap().ends_with("[终稿]退回修改意见.xlsx"));
    std::fs::write(&out, bytes).unwrap();
    let wb = ingest::read_workbook(&out).unwrap();
    assert_eq!(wb.sheets.len(), 2);
    assert_eq!(wb.sheets[1].name.chars().count(), 31);
    let outcome = wb.sheets[1].rows[1].get(2);
    assert_eq!(outcome, &CellValue::Text("优秀".into()));
}

#[test]
fn cells_beyond_excels_last_column_do_not_break_the_feedback() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("岳阳县.csv");
    let wide = vec!["x"; 20_000].join(",");
    std::fs::write(
        &path,
        format!("单位名称,荣誉类别,复查结论\n岳阳县人民法院,{wide}\n"),
    )
    .unwrap();
    let batch = check_paths(std::slice::from_ref(&path), &roster(), &campaign());
    let own: Vec<_> = batch.diagnostics_of(&batch.files[0]).collect();
    let bytes = feedback_workbook(&path, &own).unwrap();
    let out = dir.path().join("out.xlsx");
    std::fs::write(&out, bytes).unwrap();
    let wb = ingest::read_workbook(&out).unwrap();
    assert_eq!(wb.sheets[1].rows[1].get(1), &CellValue::Text("x".into()));
}
