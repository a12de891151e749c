//! Every intake rule on real workbooks written by the test: each code lands
//! at the right cell, and nothing is lost.

use crate::check_common;

use check_common::*;
use fucha::check::{CheckedBatch, check_paths};
use fucha::diag::{Code, Severity};
use fucha::roster::Roster;
use std::path::PathBuf;

fn run_with(roster: &Roster, files: &[(&str, Intake)]) -> (tempfile::TempDir, CheckedBatch) {
    let dir = tempfile::tempdir().unwrap();
    for (name, intake) in files {
        intake.write(&dir.path().join(name));
    }
    let batch = check_paths(&[dir.path().to_path_buf()], roster, &campaign());
    assert_nothing_lost(&batch);
    (dir, batch)
}

/// 岳阳县's file with one row changed by `edit`.
fn yueyang_with(edit: impl FnOnce(&Roster, &mut Intake)) -> (tempfile::TempDir, CheckedBatch) {
    let roster = roster();
    let mut intake = Intake::of_body(&roster, "岳阳县");
    edit(&roster, &mut intake);
    run_with(&roster, &[("岳阳县.xlsx", intake)])
}

fn clean_batch_files(roster: &Roster) -> Vec<(&'static str, Intake)> {
    let mut shizhi = Intake::of_body(roster, "市直");
    shizhi.rows.retain(|r| r[col::NAME] != s("岳阳市档案馆"));
    vec![
        ("岳阳县.xlsx", Intake::of_body(roster, "岳阳县")),
        ("华容县.xlsx", Intake::of_body(roster, "华容县")),
        ("市直.xlsx", shizhi),
    ]
}

#[test]
fn a_clean_batch_has_no_diagnostics_and_results_follow_the_roster() {
    let roster = roster();
    let (_dir, batch) = run_with(&roster, &clean_batch_files(&roster));
    assert!(batch.diagnostics.is_empty(), "{:#?}", batch.diagnostics);
    assert_eq!(batch.files.len(), 3);
    let names: Vec<&str> = batch.results.iter().map(|r| r.unit.as_str()).collect();
    let expected: Vec<&str> = roster
        .units()
        .iter()
        .map(|u| u.name.as_str())
        .take(8)
        .collect();
    assert_eq!(names, expected);
    let yy = batch
        .files
        .iter()
        .find(|f| f.path.ends_with("岳阳县.xlsx"))
        .unwrap();
    assert_eq!((yy.rows, yy.accepted, yy.rejected), (4, 4, 0));
    assert_eq!(yy.jurisdiction.as_deref(), Some("岳阳县"));
    let tax = &batch.results[1];
    assert!(tax.reform);
    assert_eq!(tax.reform_note, "2018年国地税合并，机构更名");
    assert_eq!(tax.review_date.to_string(), "2020-07-15");
    assert_eq!(tax.satisfaction, Some(96.0));
}

#[test]
fn invalid_date_points_at_the_date_cell() {
    let (_d, batch) = yueyang_with(|_, i| i.rows[2][col::DATE] = s("2020年13月1日"));
    let d = only(&batch, Code::InvalidDate);
    assert_eq!(cell_of(d), "F6");
    assert_eq!(d.severity, Severity::Error);
    assert!(d.message.contains("2020年13月1日"));
    assert_eq!(d.unit.as_deref(), Some("岳阳县林业局"));
    assert_eq!(batch.files[0].rejected, 1);
}

#[test]
fn every_documented_date_form_is_accepted() {
    let forms = [
        V::D(2020, 7, 15),
        s("2020-07-15"),
        s("2020/7/15"),
        s("2020.7.15"),
        s("2020年7月15日"),
        s("7月15日"),
        s("２０２０年７月１５日"),
        V::N(44027.0),
        s("44027"),
    ];
    let roster = roster();
    let rows: Vec<Vec<V>> = forms
        .iter()
        .map(|f| {
            let mut r = good_row(&roster, "岳阳县人民法院");
            r[col::DATE] = f.clone();
            r
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("岳阳县.xlsx");
    Intake::new(rows).write(&path);
    let batch = check_paths(&[path], &roster, &campaign());
    assert!(
        with_code(&batch, Code::InvalidDate).is_empty(),
        "{:#?}",
        batch.diagnostics
    );
    // Every row after the first is a duplicate of the first; all dates parsed.
    assert_eq!(
        with_code(&batch, Code::DuplicateUnit).len(),
        forms.len() - 1
    );
    assert_eq!(batch.results[0].review_date.to_string(), "2020-07-15");
}

#[test]
fn date_out_of_window_is_a_warning_and_the_row_is_accepted() {
    let (_d, batch) = yueyang_with(|_, i| i.rows[0][col::DATE] = V::D(2020, 8, 15));
    let d = only(&batch, Code::DateOutOfWindow);
    assert_eq!(
        (cell_of(d), d.severity),
        ("F4".to_string(), Severity::Warning)
    );
    assert_eq!(batch.files[0].accepted, 4);
}

#[test]
fn missing_value_points_at_the_empty_cell() {
    let (_d, batch) = yueyang_with(|_, i| i.rows[1][col::OUTCOME] = s(""));
    let d = only(&batch, Code::MissingValue);
    assert_eq!(cell_of(d), "M5");
    assert!(d.message.contains("复查结论"));
}

#[test]
fn satisfaction_is_required_only_with_a_survey() {
    let (_d, batch) = yueyang_with(|_, i| {
        i.rows[0][col::SATISFACTION] = V::Blank;
        i.rows[1][col::SATISFACTION] = V::Blank;
        i.rows[1][col::METHODS] = s("实地察看，听取汇报");
    });
    let d = only(&batch, Code::MissingValue);
    assert_eq!(cell_of(d), "I4");
    assert_eq!(batch.files[0].accepted, 3);
    assert_eq!(batch.results[0].unit, "国家税务总局岳阳县税务局");
    assert_eq!(batch.results[0].satisfaction, None);
}

#[test]
fn invalid_values_name_what_is_allowed() {
    let (_d, batch) = yueyang_with(|_, i| {
        i.rows[0][col::OUTCOME] = s("基本合格");
        i.rows[1][col::METHODS] = s("实地查看、听取汇报");
        i.rows[2][col::REFORM] = s("不清楚");
        i.rows[3][col::LEVEL] = s("省级文明单位");
    });
    let found = with_code(&batch, Code::InvalidValue);
    let cells: Vec<String> = found.iter().map(|d| cell_of(d)).collect();
    assert_eq!(cells, ["M4", "G5", "N6", "C7"]);
    assert!(found[0].suggestion.as_deref().unwrap().contains("复查合格"));
    assert!(found[1].message.contains("实地查看"));
    assert!(
        found[3].message.contains("全国文明单位"),
        "{}",
        found[3].message
    );
    assert_eq!(batch.files[0].rejected, 4);
}

#[test]
fn score_out_of_range_for_score_and_satisfaction() {
    let (_d, batch) = yueyang_with(|_, i| {
        i.rows[0][col::SCORE] = V::N(105.0);
        i.rows[2][col::SATISFACTION] = s("120%");
    });
    let cells: Vec<String> = with_code(&batch, Code::ScoreOutOfRange)
        .iter()
        .map(|d| cell_of(d))
        .collect();
    assert_eq!(cells, ["H4", "I6"]);
}

#[test]
fn national_honours_without_onsite_inspection_are_flagged() {
    let (_d, batch) = yueyang_with(|_, i| i.rows[0][col::METHODS] = s("听取汇报 材料审核"));
    let d = only(&batch, Code::OnsiteRequired);
    assert_eq!(
        (cell_of(d), d.severity),
        ("G4".to_string(), Severity::Warning)
    );
}

#[test]
fn sanctions_need_problems_and_rectification() {
    let (_d, batch) = yueyang_with(|_, i| {
        i.rows[2][col::OUTCOME] = s("限期整改");
        i.rows[3][col::OUTCOME] = s("通报批评");
        i.rows[3][col::PROBLEMS] = s("档案资料不全");
    });
    let cells: Vec<String> = with_code(&batch, Code::OutcomeNeedsProblems)
        .iter()
        .map(|d| cell_of(d))
        .collect();
    assert_eq!(cells, ["K6", "L7"]);
}

#[test]
fn a_pass_below_the_pass_lines_or_with_a_negative_entry_is_inconsistent() {
    let (_d, batch) = yueyang_with(|_, i| {
        i.rows[0][col::SCORE] = V::N(72.0);
        i.rows[1][col::SATISFACTION] = s("80%");
        i.rows[2][col::NEGATIVE] = s("发生重大安全责任事故");
    });
    let found = with_code(&batch, Code::InconsistentOutcome);
    let cells: Vec<String> = found.iter().map(|d| cell_of(d)).collect();
    assert_eq!(cells, ["H4", "I5", "J6"]);
    assert!(found.iter().all(|d| d.severity == Severity::Warning));
    assert_eq!(batch.files[0].accepted, 4);
}

#[test]
fn a_reformed_unit_needs_a_statement_in_the_column_or_the_reform_sheet() {
    let (_d, batch) = yueyang_with(|_, i| i.rows[1][col::REFORM_NOTE] = s(""));
    let d = only(&batch, Code::MissingReformNote);
    assert_eq!(cell_of(d), "O5");
    assert!(
        d.message.contains("名单"),
        "roster flag named: {}",
        d.message
    );

    // Marked 否 in the file but flagged in the roster: still needed.
    let (_d, batch) = yueyang_with(|_, i| {
        i.rows[1][col::REFORM] = s("否");
        i.rows[1][col::REFORM_NOTE] = s("");
    });
    assert_eq!(cell_of(only(&batch, Code::MissingReformNote)), "O5");

    // Given in the reform sheet instead.
    let (_d, batch) = yueyang_with(|_, i| {
        i.rows[1][col::REFORM_NOTE] = s("");
        i.reform_sheet = Some(vec![(
            "国家税务总局岳阳县税务局".into(),
            "2018年7月国税地税合并".into(),
        )]);
    });
    assert!(with_code(&batch, Code::MissingReformNote).is_empty());
    assert_eq!(batch.results[1].reform_note, "2018年7月国税地税合并");
}

#[test]
fn unknown_units_suggest_the_closest_roster_names() {
    let (_d, batch) = yueyang_with(|_, i| i.rows[2][col::NAME] = s("岳阳县林业厅"));
    let d = only(&batch, Code::UnknownUnit);
    assert_eq!(cell_of(d), "B6");
    assert!(d.suggestion.as_deref().unwrap().contains("岳阳县林业局"));
    // The real unit is then missing.
    let missing = with_code(&batch, Code::MissingUnit);
    assert!(missing.iter().any(|m| {
        m.unit.as_deref() == Some("岳阳县林业局")
            && m.file
                .as_deref()
                .is_some_and(|f| f.ends_with("岳阳县.xlsx"))
    }));
}

#[test]
fn names_match_through_spaces_parentheses_and_aliases() {
    let roster = roster();
    let mut yy = Intake::of_body(&roster, "岳阳县");
    yy.rows[3][col::NAME] = s(" 岳阳县烟草专卖局(分公司) ");
    let mut sz = Intake::of_body(&roster, "市直");
    sz.rows.retain(|r| r[col::NAME] != s("岳阳市档案馆"));
    sz.rows[0][col::NAME] = s("岳阳市中医医院");
    let (_d, batch) = run_with(
        &roster,
        &[
            ("岳阳县.xlsx", yy),
            ("华容县.xlsx", Intake::of_body(&roster, "华容县")),
            ("市直.xlsx", sz),
        ],
    );
    assert_eq!(batch.errors(), 0, "{:#?}", batch.diagnostics);
    assert!(batch.results.iter().any(|r| r.unit == "市中医院"));
}

#[test]
fn duplicate_units_in_one_file_and_across_files() {
    let (_d, batch) = yueyang_with(|r, i| i.rows.push(good_row(r, "岳阳县林业局")));
    let d = only(&batch, Code::DuplicateUnit);
    assert_eq!(cell_of(d), "B8");
    assert!(d.message.contains("第6行"), "{}", d.message);

    let roster = roster();
    let mut hr = Intake::of_body(&roster, "华容县");
    hr.rows.push(good_row(&roster, "岳阳县林业局"));
    let (_d, batch) = run_with(
        &roster,
        &[
            ("华容县.xlsx", hr),
            ("岳阳县.xlsx", Intake::of_body(&roster, "岳阳县")),
        ],
    );
    let dup = only(&batch, Code::DuplicateUnit);
    assert!(dup.file.as_deref().unwrap().ends_with("岳阳县.xlsx"));
    assert!(dup.message.contains("华容县.xlsx"), "{}", dup.message);
    // The later file's row is rejected, whatever the order files are
    // checked in, and no result comes from it.
    let later = batch
        .files
        .iter()
        .find(|f| f.path.ends_with("岳阳县.xlsx"))
        .unwrap();
    assert_eq!(later.rejected, 1, "{later:?}");
    assert_eq!(later.rows, later.accepted + later.rejected);
    assert!(
        !batch
            .results
            .iter()
            .any(|r| r.unit == "岳阳县林业局" && r.origin.file.ends_with("岳阳县.xlsx"))
    );
}

#[test]
fn a_unit_of_another_body_is_wrong_jurisdiction() {
    let (_d, batch) = yueyang_with(|r, i| {
        let mut row = good_row(r, "华容县人民法院");
        row[col::BODY] = s("");
        i.rows.push(row);
    });
    let d = only(&batch, Code::WrongJurisdiction);
    assert_eq!(cell_of(d), "B8");
    assert!(d.message.contains("华容县"));

    let (_d, batch) = yueyang_with(|_, i| i.rows[0][col::BODY] = s("华容县"));
    let d = with_code(&batch, Code::WrongJurisdiction);
    assert_eq!(cell_of(d[0]), "E4");
}

#[test]
fn missing_units_are_reported_per_body_and_silent_bodies_too() {
    let (_d, batch) = yueyang_with(|_, i| {
        i.rows.remove(2);
    });
    let missing = with_code(&batch, Code::MissingUnit);
    let names: Vec<&str> = missing.iter().filter_map(|d| d.unit.as_deref()).collect();
    // 岳阳县林业局 from the file; 华容县 and 市直 sent nothing; 岳阳市档案馆 is not due.
    assert_eq!(
        names,
        [
            "岳阳县林业局",
            "华容县人民检察院",
            "华容县人民法院",
            "市中医院",
            "岳阳市财政局"
        ]
    );
    assert!(missing[0].file.as_deref().unwrap().ends_with("岳阳县.xlsx"));
    assert!(missing[1].message.contains("未收到华容县"));
    assert_eq!(batch.missing_bodies, ["华容县", "市直"]);
    assert!(
        batch
            .jurisdictions_with_errors(&roster())
            .contains("华容县")
    );
}

#[test]
fn unknown_jurisdiction_when_nothing_tells_the_body() {
    let roster = roster();
    let mut intake = Intake::of_body(&roster, "岳阳县");
    for r in &mut intake.rows {
        r[col::BODY] = V::Blank;
    }
    let (_d, batch) = run_with(&roster, &[("复查情况表.xlsx", intake)]);
    let d = only(&batch, Code::UnknownJurisdiction);
    assert!(d.file.as_deref().unwrap().ends_with("复查情况表.xlsx"));
    assert_eq!(batch.files[0].jurisdiction, None);
}

#[test]
fn the_body_comes_from_the_column_or_the_submission_sheet() {
    let roster = roster();
    let (_d, batch) = run_with(
        &roster,
        &[("表一.xlsx", Intake::of_body(&roster, "岳阳县"))],
    );
    assert_eq!(batch.files[0].jurisdiction.as_deref(), Some("岳阳县"));

    let mut intake = Intake::of_body(&roster, "华容县");
    for r in &mut intake.rows {
        r[col::BODY] = V::Blank;
    }
    intake.submission = Some([
        s("华容县文明办"),
        s("李明"),
        s("0730-1234567"),
        V::D(2020, 10, 8),
    ]);
    let (_d, batch) = run_with(&roster, &[("表二.xlsx", intake)]);
    assert_eq!(batch.files[0].jurisdiction.as_deref(), Some("华容县"));
    let sub = &batch.submissions["华容县"];
    assert_eq!(
        (sub.contact.as_str(), sub.phone.as_str()),
        ("李明", "0730-1234567")
    );
    assert_eq!(sub.date.unwrap().to_string(), "2020-10-08");
    assert!(with_code(&batch, Code::LateSubmission).is_empty());
}

#[test]
fn an_empty_submission_field_does_not_swallow_the_next_label() {
    let (_d, batch) = yueyang_with(|_, i| {
        i.submission = Some([s("岳阳县文明办"), s("王芳"), s(""), V::D(2020, 10, 9)]);
    });
    let sub = &batch.submissions["岳阳县"];
    assert_eq!(sub.phone, "");
    assert_eq!(sub.date.unwrap().to_string(), "2020-10-09");
}

#[test]
fn late_submission_points_at_the_date() {
    let (_d, batch) = yueyang_with(|_, i| {
        i.submission = Some([
            s("岳阳县文明办"),
            s("王芳"),
            s("13800000000"),
            s("2020年10月20日"),
        ]);
    });
    let d = only(&batch, Code::LateSubmission);
    assert_eq!(
        (d.sheet.as_deref(), cell_of(d).as_str()),
        (Some("报送信息"), "B4")
    );
    assert_eq!(d.severity, Severity::Warning);
}

#[test]
fn missing_column_is_named_at_the_header_and_each_row_is_rejected() {
    let (_d, batch) = yueyang_with(|_, i| {
        i.header[col::DATE] = "日子".into();
    });
    let d = only(&batch, Code::MissingColumn);
    assert!(d.message.contains("复查日期"));
    assert_eq!(d.row, Some(HEADER_ROW));
    assert_eq!(batch.files[0].rejected, 4);
    let per_row = with_code(&batch, Code::MissingValue);
    assert_eq!(per_row.len(), 4);
    assert!(
        per_row[0].message.contains("表中没有“复查日期”列"),
        "{}",
        per_row[0].message
    );
    assert_eq!(
        (per_row[0].row, per_row[0].cell),
        (Some(FIRST_DATA_ROW), None)
    );
}

#[test]
fn headers_are_found_by_synonyms_in_any_order_and_width() {
    let (_d, batch) = yueyang_with(|_, i| {
        i.header[col::NAME] = "单位全称".into();
        i.header[col::SCORE] = "复查\n得分".into();
        i.header[col::SATISFACTION] = "群众满意度（%）".into();
        i.header[col::OUTCOME] = "结论".into();
        i.header[col::REFORM] = "涉及机构改革".into();
        // Swap two columns: order must not matter.
        i.header.swap(col::PROBLEMS, col::RECTIFICATION);
        for r in &mut i.rows {
            r.swap(col::PROBLEMS, col::RECTIFICATION);
        }
    });
    assert!(
        batch
            .diagnostics
            .iter()
            .all(|d| d.code == Code::MissingUnit),
        "{:#?}",
        batch.diagnostics
    );
    assert_eq!(batch.files[0].accepted, 4);
}

#[test]
fn missing_header_and_missing_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let no_header = dir.path().join("岳阳县.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "岳阳县人民法院").unwrap();
    ws.write_string(1, 0, "岳阳县林业局").unwrap();
    wb.save(&no_header).unwrap();
    let empty = dir.path().join("华容县.xlsx");
    rust_xlsxwriter::Workbook::new().save(&empty).unwrap();
    let batch = check_paths(&[no_header, empty], &roster(), &campaign());
    assert_nothing_lost(&batch);
    assert!(
        only(&batch, Code::MissingHeader)
            .file
            .as_deref()
            .unwrap()
            .ends_with("岳阳县.xlsx")
    );
    assert!(
        only(&batch, Code::MissingSheet)
            .file
            .as_deref()
            .unwrap()
            .ends_with("华容县.xlsx")
    );
}

#[test]
fn formula_errors_are_reported_at_their_cell() {
    let (_d, batch) = yueyang_with(|_, i| {
        i.rows[0][col::SCORE] = V::Err("#REF!");
        i.rows[1][col::SATISFACTION] = V::Err("#DIV/0!");
    });
    let found = with_code(&batch, Code::FormulaError);
    let cells: Vec<String> = found.iter().map(|d| cell_of(d)).collect();
    assert_eq!(cells, ["H4", "I5"]);
    assert!(found[0].message.contains("#REF!"));
    assert_eq!(batch.files[0].rejected, 2);
}

#[test]
fn hidden_sheets_are_warned_about() {
    let (_d, batch) = yueyang_with(|_, i| i.hidden_extra = true);
    let d = only(&batch, Code::HiddenSheet);
    assert_eq!(d.sheet.as_deref(), Some("草稿"));
    assert_eq!(d.severity, Severity::Warning);
}

#[test]
fn a_hidden_data_sheet_is_read_and_warned_about() {
    let (_d, batch) = yueyang_with(|_, i| i.hide_data_sheet = true);
    let d = only(&batch, Code::HiddenSheet);
    assert_eq!(d.sheet.as_deref(), Some("复查情况"));
    assert!(d.message.contains("已照常"));
    assert_eq!(batch.files[0].accepted, 4);
}

#[test]
fn duplicate_columns_and_units_not_due_are_warnings() {
    let (_d, batch) = yueyang_with(|r, i| {
        i.header[15] = "得分".into();
        let mut row = good_row(r, "岳阳市档案馆");
        row[col::BODY] = s("");
        i.rows.push(row);
    });
    assert_eq!(cell_of(only(&batch, Code::DuplicateColumn)), "P3");
    let d = only(&batch, Code::UnitNotDue);
    assert_eq!(cell_of(d), "B8");
    // The archive belongs to 市直: also wrong here.
    assert_eq!(cell_of(only(&batch, Code::WrongJurisdiction)), "B8");
}

#[test]
fn template_rows_holding_only_a_number_are_not_data() {
    let (_d, batch) = yueyang_with(|_, i| {
        for n in 5..=20 {
            let mut row = vec![V::Blank; 16];
            row[0] = V::N(n as f64);
            i.rows.push(row);
        }
    });
    assert_eq!(batch.files[0].rows, 4);
    assert!(
        batch.diagnostics.iter().all(|d| d.file.is_none()),
        "{:#?}",
        batch.diagnostics
    );
}

#[test]
fn rows_after_blank_rows_are_still_read() {
    let (_d, batch) = yueyang_with(|_, i| {
        let last = i.rows.pop().unwrap();
        i.rows.push(vec![V::Blank; 16]);
        i.rows.push(vec![V::Blank; 16]);
        i.rows.push(last);
    });
    assert_eq!(batch.files[0].rows, 4);
    assert_eq!(batch.files[0].accepted, 4);
}

#[test]
fn folders_are_walked_in_order_skipping_lock_files_and_feedback() {
    let roster = roster();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("b")).unwrap();
    Intake::of_body(&roster, "岳阳县").write(&dir.path().join("b/岳阳县.xlsx"));
    Intake::of_body(&roster, "华容县").write(&dir.path().join("a华容县.xlsx"));
    std::fs::write(dir.path().join("~$岳阳县.xlsx"), b"lock").unwrap();
    std::fs::write(dir.path().join("说明.txt"), "not a sheet").unwrap();
    Intake::of_body(&roster, "岳阳县").write(&dir.path().join("岳阳县退回修改意见.xlsx"));
    let batch = check_paths(&[dir.path().to_path_buf()], &roster, &campaign());
    let files: Vec<PathBuf> = batch.files.iter().map(|f| PathBuf::from(&f.path)).collect();
    assert_eq!(
        files,
        [
            dir.path().join("a华容县.xlsx"),
            dir.path().join("b/岳阳县.xlsx")
        ]
    );
}
