//! The intake loop closed: `fucha intake` writes the blank workbooks, a
//! clerk fills them in (here: programmatically, cell by cell, saved by
//! another spreadsheet writer the way Excel/WPS would save them), and
//! `fucha check` accepts them unchanged in structure; a blank workbook gets
//! its missing values reported at the right cells.

use crate::common;

use calamine::{Data, ExcelDateTime, ExcelDateTimeType};
use chrono::NaiveDate;
use common::{SheetGrid, cell_text, files_under, fucha, read_workbook, repo, run, write_workbook};
use fucha::diag::column_letters;
use fucha::intake::{FilledRow, ReformNote, Submission};
use fucha::pipeline::Context;
use fucha::review::{Outcome, ReviewResult};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The default data: its context and the results it checks into, which the
/// clerks "type" into the blank workbooks.
fn default_data() -> &'static (Context, Vec<ReviewResult>) {
    static D: OnceLock<(Context, Vec<ReviewResult>)> = OnceLock::new();
    D.get_or_init(|| {
        let ctx = Context::load(&repo().join("input/fucha.toml"), None).unwrap();
        let batch = ctx.check(&[]);
        assert_eq!(batch.errors(), 0);
        assert_eq!(batch.results.len(), 111);
        let results = batch.results.clone();
        (ctx, results)
    })
}

/// `fucha intake` into a temp folder, once per test binary.
fn blanks() -> &'static (tempfile::TempDir, PathBuf) {
    static B: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    B.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("blank");
        let r = run(fucha().arg("intake").arg("--out").arg(&out));
        assert_eq!(r.code, Some(0), "{}\n{}", r.stdout, r.stderr);
        (dir, out)
    })
}

fn excel_date(d: NaiveDate) -> Data {
    let serial = (d - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days() as f64;
    Data::DateTime(ExcelDateTime::new(
        serial,
        ExcelDateTimeType::DateTime,
        false,
    ))
}

fn text_or_empty(s: &str) -> Data {
    if s.is_empty() {
        Data::Empty
    } else {
        Data::String(s.to_string())
    }
}

/// The sheet holding the header `label`, with the header's row index.
fn sheet_with<'a>(sheets: &'a mut [SheetGrid], label: &str) -> (&'a mut SheetGrid, usize) {
    let sheet = sheets
        .iter_mut()
        .find(|s| {
            s.rows
                .iter()
                .any(|r| r.iter().any(|c| cell_text(c) == label))
        })
        .unwrap_or_else(|| panic!("no sheet with a {label} column"));
    let row = sheet
        .rows
        .iter()
        .position(|r| r.iter().any(|c| cell_text(c) == label))
        .unwrap();
    (sheet, row)
}

fn column(sheet: &SheetGrid, header: usize, label: &str) -> usize {
    sheet.rows[header]
        .iter()
        .position(|c| cell_text(c) == label)
        .unwrap_or_else(|| panic!("no column {label} in {}", sheet.name))
}

/// Fills a blank workbook's cells with the accepted results of its units,
/// leaving every pre-filled cell, sheet and header as it is.
fn fill(sheets: &mut [SheetGrid], results: &BTreeMap<&str, &ReviewResult>, submitted: NaiveDate) {
    let (main, header) = sheet_with(sheets, "复查结论");
    let col = |label: &str| column(main, header, label);
    let cols = [
        col("单位名称"),
        col("复查日期"),
        col("复查方式"),
        col("测评得分"),
        col("群众满意度(%)"),
        col("负面清单情形"),
        col("存在问题"),
        col("整改意见"),
        col("复查结论"),
        col("机构改革情况说明"),
        col("备注"),
    ];
    let mut filled = 0;
    for row in main.rows.iter_mut().skip(header + 1) {
        let Some(r) = results.get(cell_text(&row[cols[0]]).as_str()) else {
            continue;
        };
        let methods: Vec<&str> = r.methods.iter().map(|m| m.label()).collect();
        row[cols[1]] = excel_date(r.review_date);
        row[cols[2]] = Data::String(methods.join("、"));
        row[cols[3]] = Data::Float(r.score);
        row[cols[4]] = r.satisfaction.map(Data::Float).unwrap_or(Data::Empty);
        row[cols[5]] = text_or_empty(&r.negative_list);
        row[cols[6]] = text_or_empty(&r.problems);
        row[cols[7]] = text_or_empty(&r.rectification);
        row[cols[8]] = Data::String(r.outcome.label().to_string());
        row[cols[9]] = text_or_empty(&r.reform_note);
        row[cols[10]] = text_or_empty(&r.remarks);
        filled += 1;
    }
    assert!(filled > 0, "no unit row filled in {}", main.name);

    let (info, header) = sheet_with(sheets, "联系人");
    let (contact, phone, date) = (
        column(info, header, "联系人"),
        column(info, header, "联系电话"),
        column(info, header, "报送日期"),
    );
    let row = &mut info.rows[header + 1];
    row[contact] = Data::String("王丽".into());
    row[phone] = Data::String("0730-8000000".into());
    row[date] = excel_date(submitted);
}

/// Each unit's (outcome, score, review date) from a checked batch.
fn by_unit(results: &[ReviewResult]) -> BTreeMap<String, (Outcome, f64, NaiveDate)> {
    results
        .iter()
        .map(|r| (r.unit.clone(), (r.outcome, r.score, r.review_date)))
        .collect()
}

#[test]
fn intake_writes_one_blank_workbook_per_body_as_the_library_makes_it() {
    let (ctx, _) = default_data();
    let (_, blank) = blanks();
    let files = files_under(blank);
    let bodies = ctx.roster.jurisdictions();
    assert_eq!(files.len(), bodies.len(), "{files:?}");
    for body in bodies {
        let path = blank.join(format!("{body}.xlsx"));
        let expected =
            fucha::intake::intake_workbook(&ctx.roster, body, &ctx.campaign, &[]).unwrap();
        assert!(
            std::fs::read(&path).unwrap() == expected,
            "{path:?} differs from the library's blank workbook"
        );
    }
}

#[test]
fn blank_workbooks_filled_in_and_saved_by_another_program_pass_check() {
    let (ctx, results) = default_data();
    let (dir, blank) = blanks();
    let filled_dir = dir.path().join("filled-by-clerk");
    std::fs::create_dir_all(&filled_dir).unwrap();
    let index: BTreeMap<&str, &ReviewResult> =
        results.iter().map(|r| (r.unit.as_str(), r)).collect();
    for rel in files_under(blank) {
        let mut sheets = read_workbook(&blank.join(&rel));
        let names_before: Vec<String> = sheets.iter().map(|s| s.name.clone()).collect();
        fill(&mut sheets, &index, ctx.campaign.deadlines.submission);
        assert_eq!(
            names_before,
            sheets.iter().map(|s| s.name.clone()).collect::<Vec<_>>()
        );
        write_workbook(&sheets, &filled_dir.join(&rel));
    }

    let r = run(fucha().args(["check", "--format", "json"]).arg(&filled_dir));
    let json: serde_json::Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", r.stdout, r.stderr));
    assert_eq!(json["summary"]["errors"], 0, "{:#}", json["diagnostics"]);
    assert_eq!(r.code, Some(0));
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), ctx.roster.jurisdictions().len());
    let accepted: u64 = files.iter().map(|f| f["accepted"].as_u64().unwrap()).sum();
    assert_eq!(accepted, 111);

    // What the check read back is what the clerks typed.
    let batch = ctx.check(&[filled_dir]);
    assert_eq!(by_unit(&batch.results), by_unit(results));
}

#[test]
fn workbooks_filled_through_the_library_pass_check_with_the_same_results() {
    let (ctx, results) = default_data();
    let dir = tempfile::tempdir().unwrap();
    for body in ctx.roster.jurisdictions() {
        let rows: Vec<FilledRow> = results
            .iter()
            .filter(|r| r.jurisdiction == body)
            .map(|r| FilledRow {
                unit: r.unit.clone(),
                review_date: Some(r.review_date),
                methods: r.methods.clone(),
                score: Some(r.score),
                satisfaction: r.satisfaction,
                negative_list: r.negative_list.clone(),
                problems: r.problems.clone(),
                rectification: r.rectification.clone(),
                outcome: Some(r.outcome),
                reform_note: (!r.reform_note.is_empty())
                    .then(|| ReformNote::InSheet(r.reform_note.clone())),
                remarks: r.remarks.clone(),
            })
            .collect();
        let submission = Submission {
            contact: "李明".into(),
            phone: "0730-8000001".into(),
            date: ctx.campaign.deadlines.submission,
        };
        let bytes = fucha::intake::intake_workbook_with_submission(
            &ctx.roster,
            body,
            &ctx.campaign,
            &rows,
            Some(&submission),
        )
        .unwrap();
        std::fs::write(dir.path().join(format!("{body}.xlsx")), bytes).unwrap();
    }
    let r = run(fucha().arg("check").arg(dir.path()));
    assert_eq!(r.code, Some(0), "{}\n{}", r.stdout, r.stderr);
    assert!(!r.stdout.contains("error["), "{}", r.stdout);
    let batch = ctx.check(&[dir.path().to_path_buf()]);
    assert_eq!(by_unit(&batch.results), by_unit(results));
}

#[test]
fn a_blank_workbook_reports_each_missing_value_at_its_cell() {
    let (ctx, _) = default_data();
    let (_, blank) = blanks();
    let body = "华容县";
    let path = blank.join(format!("{body}.xlsx"));
    let r = run(fucha().args(["check", "--format", "json"]).arg(&path));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let diags = json["diagnostics"].as_array().unwrap();
    let missing: Vec<(String, String)> = diags
        .iter()
        .filter(|d| d["code"] == "missing-value")
        .map(|d| {
            (
                d["sheet"].as_str().unwrap().to_string(),
                d["cell"].as_str().unwrap().to_string(),
            )
        })
        .collect();

    // Expected: each required column on each unit row, found from the
    // workbook's own header, not from fixed letters.
    let mut sheets = read_workbook(&path);
    let (main, header) = sheet_with(&mut sheets, "复查结论");
    let name_col = column(main, header, "单位名称");
    let required: Vec<usize> = ["复查日期", "复查方式", "测评得分", "复查结论"]
        .iter()
        .map(|l| column(main, header, l))
        .collect();
    let mut expected = Vec::new();
    let mut units = 0;
    for (i, row) in main.rows.iter().enumerate().skip(header + 1) {
        if cell_text(&row[name_col]).is_empty() {
            continue;
        }
        units += 1;
        for &c in &required {
            expected.push((
                main.name.clone(),
                format!("{}{}", column_letters(c as u32), i + 1),
            ));
        }
    }
    assert_eq!(units, ctx.roster.units_of(body).count());
    let mut got = missing.clone();
    got.sort();
    expected.sort();
    assert_eq!(
        got, expected,
        "missing-value errors at exactly the empty required cells"
    );

    // The reformed unit is told to send its statement, at its row.
    let reform_col = column(main, header, "机构改革情况说明");
    for u in ctx.roster.units_of(body).filter(|u| u.reform) {
        let row = main
            .rows
            .iter()
            .position(|r| cell_text(&r[name_col]) == u.name)
            .unwrap();
        let cell = format!("{}{}", column_letters(reform_col as u32), row + 1);
        assert!(
            diags
                .iter()
                .any(|d| d["code"] == "missing-reform-note" && d["cell"] == cell.as_str()),
            "no missing-reform-note at {cell} for {}",
            u.name
        );
    }
}
