//! The reform flag counts when the roster sets it, as the contract says
//! (“表中或名单中标明涉及机构改革”), even when the file's 是否涉及机构改革
//! cell is left empty: the statement is owed either way.

use crate::check_common;

use check_common::*;
use fucha::check::{CheckedBatch, check_paths};
use fucha::diag::Code;

const TAX: &str = "国家税务总局岳阳县税务局";

/// 岳阳县's file with the tax bureau's row (row 5; the roster marks it
/// reformed) changed by `edit`.
fn with_tax_row(edit: impl FnOnce(&mut Vec<V>, &mut Intake)) -> CheckedBatch {
    let roster = roster();
    assert!(roster.lookup(TAX).unwrap().reform);
    let mut intake = Intake::of_body(&roster, "岳阳县");
    let mut row = intake.rows[1].clone();
    assert_eq!(row[col::NAME], s(TAX));
    edit(&mut row, &mut intake);
    intake.rows[1] = row;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("岳阳县.xlsx");
    intake.write(&path);
    let batch = check_paths(&[path], &roster, &campaign());
    assert_nothing_lost(&batch);
    batch
}

#[test]
fn an_empty_reform_cell_of_a_unit_the_roster_marks_reformed_still_needs_the_statement() {
    let batch = with_tax_row(|row, _| {
        row[col::REFORM] = V::Blank;
        row[col::REFORM_NOTE] = V::Blank;
    });
    let note = only(&batch, Code::MissingReformNote);
    assert_eq!(cell_of(note), "O5");
    assert_eq!(note.unit.as_deref(), Some(TAX));
    assert!(note.message.contains("名单"), "{}", note.message);
    // The empty cell is itself reported, saying what to write.
    let empty = only(&batch, Code::MissingValue);
    assert_eq!(cell_of(empty), "N5");
    assert!(empty.message.contains("名单"), "{}", empty.message);
    assert_eq!(empty.suggestion.as_deref(), Some("请填写“是”"));
    assert_eq!(batch.files[0].rejected, 1);
}

#[test]
fn an_unreadable_reform_cell_does_not_hide_the_roster_flag() {
    let batch = with_tax_row(|row, _| {
        row[col::REFORM] = s("待定");
        row[col::REFORM_NOTE] = V::Blank;
    });
    assert_eq!(cell_of(only(&batch, Code::InvalidValue)), "N5");
    assert_eq!(cell_of(only(&batch, Code::MissingReformNote)), "O5");
}

#[test]
fn with_the_statement_given_only_the_empty_cell_is_reported() {
    // In the column.
    let batch = with_tax_row(|row, _| row[col::REFORM] = V::Blank);
    assert!(with_code(&batch, Code::MissingReformNote).is_empty());
    assert_eq!(cell_of(only(&batch, Code::MissingValue)), "N5");

    // In the 机构改革情况说明 sheet.
    let batch = with_tax_row(|row, intake| {
        row[col::REFORM] = V::Blank;
        row[col::REFORM_NOTE] = V::Blank;
        intake.reform_sheet = Some(vec![(TAX.into(), "2018年7月国税地税合并".into())]);
    });
    assert!(with_code(&batch, Code::MissingReformNote).is_empty());
    assert_eq!(cell_of(only(&batch, Code::MissingValue)), "N5");
}

#[test]
fn a_unit_the_roster_does_not_mark_needs_no_statement_for_an_empty_cell() {
    let roster = roster();
    let mut intake = Intake::of_body(&roster, "岳阳县");
    assert!(!roster.lookup("岳阳县林业局").unwrap().reform);
    intake.rows[2][col::REFORM] = V::Blank;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("岳阳县.xlsx");
    intake.write(&path);
    let batch = check_paths(&[path], &roster, &campaign());
    assert!(with_code(&batch, Code::MissingReformNote).is_empty());
    let d = only(&batch, Code::MissingValue);
    assert_eq!(cell_of(d), "N6");
    assert_eq!(d.suggestion.as_deref(), Some("请填写“是”或“否”"));
}
