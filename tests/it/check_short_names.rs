//! Short names of reporting bodies (经开区 for 岳阳经济技术开发区), declared
//! in `fucha.toml` under `[bodies]`, read wherever a file names its body:
//! the 所属县市区 column, the 报送信息 sheet, the file name, the data
//! sheet's title and tab name. An undeclared short name is still wrong.

use crate::check_common;

use check_common::*;
use fucha::campaign::Campaign;
use fucha::check::{CheckedBatch, check_paths};
use fucha::diag::Code;
use fucha::review::HonourLevel;
use fucha::roster::{Roster, Unit};
use std::path::Path;

const KAIFAQU: &str = "岳阳经济技术开发区";

/// The test roster plus two units of 岳阳经济技术开发区.
fn roster_with_kaifaqu() -> Roster {
    let mut units = roster().units().to_vec();
    for (name, level) in [
        ("国家税务总局岳阳经开区税务局", HonourLevel::Provincial),
        ("岳阳经开区人民法院", HonourLevel::National),
    ] {
        units.push(Unit {
            name: name.into(),
            aliases: Vec::new(),
            level,
            award_year: 2014,
            jurisdiction: KAIFAQU.into(),
            reform: false,
            remarks: String::new(),
        });
    }
    Roster::from_units(units)
}

fn campaign_with(bodies: &str) -> Campaign {
    Campaign::parse(&format!("{CAMPAIGN}\n[bodies]\n{bodies}\n")).unwrap()
}

fn declared() -> Campaign {
    campaign_with(&format!("\"{KAIFAQU}\" = [\"经开区\"]"))
}

/// 经开区's file, its 所属县市区 column written as `body`.
fn write_kaifaqu(path: &Path, roster: &Roster, body: V) {
    let mut intake = Intake::of_body(roster, KAIFAQU);
    for r in &mut intake.rows {
        r[col::BODY] = body.clone();
    }
    intake.write(path);
}

fn check(path: &Path, roster: &Roster, campaign: &Campaign) -> CheckedBatch {
    let batch = check_paths(&[path.to_path_buf()], roster, campaign);
    assert_nothing_lost(&batch);
    batch
}

fn assert_read_as_kaifaqu(batch: &CheckedBatch) {
    let in_file: Vec<_> = batch
        .diagnostics
        .iter()
        .filter(|d| d.file.is_some())
        .collect();
    assert!(in_file.is_empty(), "{in_file:#?}");
    let f = &batch.files[0];
    assert_eq!(f.jurisdiction.as_deref(), Some(KAIFAQU));
    assert_eq!((f.rows, f.accepted), (2, 2));
    assert!(batch.results.iter().all(|r| r.jurisdiction == KAIFAQU));
    assert!(!batch.missing_bodies.iter().any(|b| b == KAIFAQU));
}

#[test]
fn a_declared_short_name_in_the_column_is_the_body() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster_with_kaifaqu();
    // The file name says nothing: the column alone tells the body.
    let path = dir.path().join("复查情况表.xlsx");
    write_kaifaqu(&path, &roster, s("经开区"));
    assert_read_as_kaifaqu(&check(&path, &roster, &declared()));
    // A longer form containing the short name, as with 岳阳县文明办.
    write_kaifaqu(&path, &roster, s("经开区文明办"));
    assert_read_as_kaifaqu(&check(&path, &roster, &declared()));
}

#[test]
fn a_declared_short_name_in_the_file_name_is_the_body() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster_with_kaifaqu();
    for name in ["经开区.xlsx", "2020年经开区复查情况.xlsx"] {
        let path = dir.path().join(name);
        write_kaifaqu(&path, &roster, V::Blank);
        assert_read_as_kaifaqu(&check(&path, &roster, &declared()));
        std::fs::remove_file(&path).unwrap();
    }
    // Both at once.
    let path = dir.path().join("经开区.xlsx");
    write_kaifaqu(&path, &roster, s("经开区"));
    assert_read_as_kaifaqu(&check(&path, &roster, &declared()));
}

#[test]
fn a_declared_short_name_in_the_sheets_title_or_tab_is_the_body() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster_with_kaifaqu();
    // Neither the column nor the file name says: the title row does.
    let path = dir.path().join("复查情况表.xlsx");
    let mut intake = Intake::of_body(&roster, KAIFAQU);
    for r in &mut intake.rows {
        r[col::BODY] = V::Blank;
    }
    intake.title = "经开区2020年文明单位复查情况表".into();
    intake.write(&path);
    assert_read_as_kaifaqu(&check(&path, &roster, &declared()));
    // Or the data sheet's tab.
    intake.title = "2020年文明单位复查情况表".into();
    intake.sheet_name = "经开区".into();
    intake.write(&path);
    assert_read_as_kaifaqu(&check(&path, &roster, &declared()));
    // Undeclared, the title tells nothing.
    intake.sheet_name = "复查情况".into();
    intake.title = "开发区2020年文明单位复查情况表".into();
    intake.write(&path);
    let batch = check(&path, &roster, &declared());
    assert_eq!(batch.files[0].jurisdiction, None);
}

#[test]
fn a_declared_short_name_as_the_sender_is_the_body() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster_with_kaifaqu();
    let mut intake = Intake::of_body(&roster, KAIFAQU);
    for r in &mut intake.rows {
        r[col::BODY] = V::Blank;
    }
    intake.submission = Some([
        s("经开区文明办"),
        s("胡蓉"),
        s("0730-8302278"),
        V::D(2020, 10, 9),
    ]);
    let path = dir.path().join("报送表.xlsx");
    intake.write(&path);
    let batch = check(&path, &roster, &declared());
    assert_read_as_kaifaqu(&batch);
    assert_eq!(batch.submissions[KAIFAQU].contact, "胡蓉");
}

#[test]
fn an_undeclared_short_name_is_still_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster_with_kaifaqu();
    let path = dir.path().join(format!("{KAIFAQU}.xlsx"));
    write_kaifaqu(&path, &roster, s("经开区"));
    let batch = check(&path, &roster, &campaign());
    let wrong = with_code(&batch, Code::WrongJurisdiction);
    assert_eq!(wrong.len(), 2, "{:#?}", batch.diagnostics);
    assert_eq!(cell_of(wrong[0]), "E4");
    assert!(wrong[0].message.contains("经开区"), "{}", wrong[0].message);
    assert_eq!(batch.files[0].accepted, 0);

    // Declared for another body, 经开区 does not mean 岳阳经济技术开发区.
    let other = campaign_with("\"岳阳县\" = [\"经开区\"]");
    let batch = check(&path, &roster, &other);
    assert_eq!(with_code(&batch, Code::WrongJurisdiction).len(), 2);

    // Named only by an undeclared short name, the file has no body.
    let unnamed = dir.path().join("经开区.xlsx");
    std::fs::rename(&path, &unnamed).unwrap();
    write_kaifaqu(&unnamed, &roster, V::Blank);
    let batch = check(&unnamed, &roster, &campaign());
    only(&batch, Code::UnknownJurisdiction);
    assert_eq!(batch.files[0].jurisdiction, None);
}

/// A declaration for a body the roster does not have does nothing (the
/// same fucha.toml serves another roster), but a file using that short name
/// is told why it was not understood.
#[test]
fn short_names_for_a_body_the_roster_lacks_do_nothing_but_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster_with_kaifaqu();
    let typo = campaign_with("\"岳阳经开区管委会\" = [\"经开区\"]");

    let path = dir.path().join("岳阳县.xlsx");
    Intake::of_body(&roster, "岳阳县").write(&path);
    let batch = check(&path, &roster, &typo);
    assert!(
        batch
            .diagnostics
            .iter()
            .all(|d| d.code == Code::MissingUnit)
    );
    assert_eq!(batch.files[0].accepted, 4);

    let path = dir.path().join(format!("{KAIFAQU}.xlsx"));
    write_kaifaqu(&path, &roster, s("经开区"));
    let batch = check(&path, &roster, &typo);
    let wrong = with_code(&batch, Code::WrongJurisdiction);
    assert_eq!(wrong.len(), 2);
    let hint = wrong[0].suggestion.as_deref().unwrap();
    assert!(hint.contains("[bodies]"), "{hint}");
    assert!(hint.contains("岳阳经开区管委会"), "{hint}");
}

/// The default data declares 经开区: a file so named and so filled, checked
/// with the shipped fucha.toml and roster, is 岳阳经济技术开发区's.
#[test]
fn the_default_configuration_declares_jingkaiqu() {
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("input");
    let campaign = Campaign::load(&input.join("fucha.toml")).unwrap();
    let roster = Roster::load(&input.join("复查单位名单.xlsx")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("经开区.xlsx");
    let mut row = good_row(&roster, "国家税务总局岳阳经开区税务局");
    row[col::BODY] = s("经开区");
    Intake::new(vec![row]).write(&path);
    let batch = check_paths(&[path], &roster, &campaign);
    assert_nothing_lost(&batch);
    assert!(with_code(&batch, Code::WrongJurisdiction).is_empty());
    let f = &batch.files[0];
    assert_eq!(f.jurisdiction.as_deref(), Some(KAIFAQU));
    assert_eq!(f.accepted, 1, "{:#?}", batch.diagnostics);
}
