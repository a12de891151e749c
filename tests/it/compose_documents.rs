//! The season's document set from a hand-built roster and batch: the right
//! units in each document, counts that add up, outcomes, the blocking rule.

use crate::compose_fixture;

use chrono::NaiveDate;
use compose_fixture::*;
use fucha::compose::{ComposedDocument, DocumentSet, Templates, document_set};
use fucha::doc::{Block, official_date};

fn build(draft: bool, clean: bool) -> DocumentSet {
    let roster = roster();
    let batch = if clean {
        clean_batch(&roster)
    } else {
        batch_with_errors(&roster)
    };
    let templates = Templates::load(None).expect("built-in templates load");
    document_set(&batch, &roster, &campaign(), &templates, draft).expect("documents compose")
}

fn of_kind<'a>(set: &'a DocumentSet, kind: &str) -> Vec<&'a ComposedDocument> {
    set.documents
        .iter()
        .filter(|d| d.kind.key() == kind)
        .collect()
}

fn one<'a>(set: &'a DocumentSet, kind: &str) -> &'a ComposedDocument {
    let docs = of_kind(set, kind);
    assert_eq!(docs.len(), 1, "expected one {kind}");
    docs[0]
}

/// Parses a count cell of a counts table.
fn n(cell: &str) -> usize {
    cell.parse()
        .unwrap_or_else(|_| panic!("not a count: {cell}"))
}

#[test]
fn errors_hold_back_the_circular_the_failing_summary_and_the_provincial_report() {
    let set = build(false, false);
    assert!(of_kind(&set, "circular").is_empty());
    assert!(of_kind(&set, "provincial").is_empty());
    let summaries: Vec<String> = of_kind(&set, "summary")
        .iter()
        .map(|d| d.path.display().to_string())
        .collect();
    assert_eq!(summaries.len(), 2);
    assert!(summaries.iter().any(|p| p.contains("市直")));
    assert!(summaries.iter().any(|p| p.contains("岳阳县")));
    assert!(!summaries.iter().any(|p| p.contains("华容县")));

    let withheld: Vec<String> = set
        .withheld
        .iter()
        .map(|w| w.path.display().to_string())
        .collect();
    assert_eq!(withheld.len(), 3, "{withheld:?}");
    assert!(withheld.iter().any(|p| p.starts_with("02-复查通报/")));
    assert!(withheld.iter().any(|p| p.starts_with("04-报省文明办/")));
    assert!(
        withheld
            .iter()
            .any(|p| p.contains("华容县") && p.contains("汇总报告"))
    );
    for w in &set.withheld {
        assert!(w.reason.contains("错误"), "{}", w.reason);
        assert!(w.reason.contains("--draft"), "{}", w.reason);
    }
    // Always produced, and never drafts.
    for kind in ["validation", "notice", "feedback"] {
        assert!(!of_kind(&set, kind).is_empty(), "{kind} missing");
    }
    assert!(set.documents.iter().all(|d| !d.document.draft));
    assert!(
        set.documents
            .iter()
            .all(|d| !d.path.display().to_string().contains("征求意见稿"))
    );
}

#[test]
fn draft_mode_produces_the_held_back_documents_marked_as_drafts() {
    let set = build(true, false);
    assert!(set.withheld.is_empty());
    let drafts: Vec<&ComposedDocument> =
        set.documents.iter().filter(|d| d.document.draft).collect();
    let kinds: Vec<&str> = drafts.iter().map(|d| d.kind.key()).collect();
    assert_eq!(kinds, ["circular", "summary", "provincial"]);
    for d in &drafts {
        let path = d.path.display().to_string();
        assert!(path.ends_with("（征求意见稿）"), "{path}");
    }
    assert!(drafts[1].path.display().to_string().contains("华容县"));
    // Jurisdictions without errors get their final summary.
    for d in of_kind(&set, "summary") {
        let failing = d.path.display().to_string().contains("华容县");
        assert_eq!(d.document.draft, failing, "{}", d.path.display());
    }
}

#[test]
fn a_clean_batch_withholds_nothing_and_drafts_nothing() {
    let set = build(true, true);
    assert!(set.withheld.is_empty());
    assert!(set.documents.iter().all(|d| !d.document.draft));
    assert!(of_kind(&set, "feedback").is_empty(), "no file has errors");
    assert_eq!(of_kind(&set, "summary").len(), 3);
}

#[test]
fn the_circular_lists_every_unit_with_its_outcome_and_names_the_sanctioned() {
    let set = build(false, true);
    let circular = one(&set, "circular");
    let doc = &circular.document;
    assert_eq!(
        circular.path.display().to_string(),
        "02-复查通报/岳阳市文明委关于2020年文明单位复查情况的通报"
    );
    assert_eq!(
        doc.head.as_ref().unwrap().doc_number.as_deref(),
        Some("岳市文明委〔2020〕9号")
    );
    assert_eq!(doc.attachments.len(), 1);
    assert_eq!(doc.attachment_note, vec![doc.attachments[0].title.clone()]);

    // The attachment: every roster unit once, with its outcome.
    let roster = roster();
    let batch = clean_batch(&roster);
    let Block::Table(table) = doc.attachments[0]
        .body
        .iter()
        .find(|b| matches!(b, Block::Table(_)))
        .unwrap()
    else {
        unreachable!()
    };
    assert_eq!(table.rows.len(), roster.units().len());
    for r in &batch.results {
        let row = table
            .rows
            .iter()
            .find(|row| row[1] == r.unit)
            .unwrap_or_else(|| panic!("{} missing from the result table", r.unit));
        assert_eq!(row.last().unwrap(), r.outcome.label(), "{}", r.unit);
    }

    // Every non-passing unit is named in the body with its outcome.
    let body = text(doc);
    for r in batch
        .results
        .iter()
        .filter(|r| r.outcome != fucha::review::Outcome::Pass)
    {
        assert!(
            body.contains(&format!("{}\n", r.unit)),
            "{} not named",
            r.unit
        );
        assert!(body.contains(&format!("“{}”", r.outcome.label())));
    }

    // The counts table adds up, per level and in total, to the roster.
    let counts = tables(doc)[0];
    assert_eq!(counts.columns[1].header, "应复查");
    assert_eq!(counts.columns[0].align, fucha::doc::CellAlign::Left);
    assert!(
        counts.columns[1..]
            .iter()
            .all(|c| c.align == fucha::doc::CellAlign::Center)
    );
    let mut total = 0;
    for row in &counts.rows {
        let cells: usize = row[2..].iter().map(|c| n(c)).sum();
        assert_eq!(cells, n(&row[1]), "row {row:?} does not add up");
        if row[0] != "合计" {
            total += n(&row[1]);
        }
    }
    assert_eq!(total, roster.units().len());
    assert_eq!(n(&counts.rows.last().unwrap()[1]), roster.units().len());
}

#[test]
fn the_circular_groups_kept_honours_by_level_and_year_with_chinese_numbers() {
    let set = build(false, true);
    let doc = &one(&set, "circular").document;
    let heads = headings(doc);
    let level1: Vec<&str> = heads
        .iter()
        .filter(|(l, _)| *l == 1)
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(level1.len(), 4);
    for (i, prefix) in ["一、", "二、", "三、", "四、"].iter().enumerate() {
        assert!(level1[i].starts_with(prefix), "{}", level1[i]);
    }
    let level2: Vec<&str> = heads
        .iter()
        .filter(|(l, _)| *l == 2)
        .map(|(_, t)| t.as_str())
        .collect();
    assert!(level2.contains(&"（一）全国文明单位（2个）"), "{level2:?}");
    assert!(
        level2.contains(&"（二）省级文明标兵单位（2个）"),
        "{level2:?}"
    );
    // Within a level, by year of naming, each year's units together
    // (the wording is in the snapshot).
    let body = text(doc);
    let at = |name: &str| {
        body.find(name)
            .unwrap_or_else(|| panic!("{name} not named"))
    };
    assert!(at("岳阳市中级人民法院") < at("岳阳市人防办"));
    assert!(at("岳阳市人防办") < at("华容县人民检察院"));
}

#[test]
fn one_summary_per_jurisdiction_covers_its_units_and_the_counts_add_up() {
    let roster = roster();
    let set = build(false, true);
    let summaries = of_kind(&set, "summary");
    let mut grand_total = 0;
    for j in roster.jurisdictions() {
        let s = summaries
            .iter()
            .find(|d| {
                d.path
                    .display()
                    .to_string()
                    .contains(&format!("/{j}2020年"))
            })
            .unwrap_or_else(|| panic!("no summary for {j}"));
        let doc = &s.document;
        let t = tables(doc);
        let (counts, units) = (t[0], t[1]);
        let expected: Vec<&str> = roster.units_of(j).map(|u| u.name.as_str()).collect();
        let listed: Vec<&str> = units.rows.iter().map(|r| r[1].as_str()).collect();
        assert_eq!(listed, expected, "{j}");
        let total_row = counts.rows.last().unwrap();
        assert_eq!(total_row[0], "合计");
        assert_eq!(n(&total_row[1]), expected.len());
        let cells: usize = total_row[2..].iter().map(|c| n(c)).sum();
        assert_eq!(cells, expected.len(), "{j}");
        grand_total += n(&total_row[1]);

        // The reformed units have their own part, with their statements.
        let body = text(doc);
        for u in roster.units_of(j).filter(|u| u.reform) {
            assert!(
                body.contains(&format!("{}于2019年机构改革中合并组建", u.name)),
                "{j}: reform note of {} missing",
                u.name
            );
        }
    }
    assert_eq!(grand_total, roster.units().len());
}

#[test]
fn the_provincial_report_has_only_national_and_provincial_honours_as_proposals() {
    let set = build(false, true);
    let p = one(&set, "provincial");
    let doc = &p.document;
    let head = doc.head.as_ref().unwrap();
    assert_eq!(head.signers, vec!["张明".to_string()]);
    assert_eq!(doc.addressee.as_deref(), Some("湖南省文明办"));
    let body = text(doc);
    assert!(
        !body.contains("岳阳县第一中学"),
        "city-level honour reported up"
    );
    assert!(
        body.contains("岳阳市水利局"),
        "the revoked unit is proposed"
    );
    let attachment = tables(doc).into_iter().last().unwrap();
    assert_eq!(attachment.rows.len(), 10);
    let revoked = attachment
        .rows
        .iter()
        .find(|r| r[1] == "岳阳市水利局")
        .unwrap();
    assert_eq!(revoked.last().unwrap(), "建议撤销荣誉称号");
}

#[test]
fn rectification_notices_go_to_each_warned_to_yellow_carded_unit_with_the_deadline() {
    let set = build(false, false);
    let notices = of_kind(&set, "rectification");
    let addressees: Vec<&str> = notices
        .iter()
        .map(|d| d.document.addressee.as_deref().unwrap())
        .collect();
    assert_eq!(
        addressees,
        [
            "岳阳市财政局",
            "国家税务总局岳阳县税务局",
            "岳阳县林业局",
            TRICKY
        ]
    );
    let c = campaign();
    let date = c
        .document(fucha::compose::DocumentKind::from_key("rectification").unwrap())
        .date
        .unwrap();
    let deadline = date + chrono::Duration::days(c.deadlines.rectification_days.into());
    assert_eq!(deadline, NaiveDate::from_ymd_opt(2020, 11, 20).unwrap());
    for (i, d) in notices.iter().enumerate() {
        let body = text(&d.document);
        assert!(body.contains(&official_date(deadline)), "deadline missing");
        assert!(body.contains("创建台账缺失"));
        let number = d
            .document
            .head
            .as_ref()
            .unwrap()
            .doc_number
            .clone()
            .unwrap();
        assert_eq!(number, format!("岳市文明办〔2020〕3{}号", i + 1));
        assert_eq!(d.document.signature.as_ref().unwrap().date, date);
    }
    // The revoked unit is announced in the circular, not sent a notice.
    assert!(!addressees.contains(&"岳阳市水利局"));
}

#[test]
fn the_feedback_letter_lists_its_files_problems_cell_by_cell() {
    let set = build(false, false);
    let letters = of_kind(&set, "feedback");
    assert_eq!(letters.len(), 1);
    let l = letters[0];
    assert_eq!(
        l.path.display().to_string(),
        "06-退回修改意见/华容县退回修改意见"
    );
    assert_eq!(l.document.addressee.as_deref(), Some("华容县文明办"));
    let t = tables(&l.document);
    assert_eq!(t.len(), 1, "only errors, no warnings in this file");
    let places: Vec<&str> = t[0].rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(places, ["复查情况!F5", "复查情况!H5"]);
    let body = text(&l.document);
    assert!(body.contains("无法识别的日期“2020年13月1日”"));
    assert!(
        !body.contains("报送日期晚于截止日期"),
        "another file's warning"
    );
}

#[test]
fn the_validation_report_counts_files_rows_and_lists_problems_with_cells() {
    let set = build(false, false);
    let v = one(&set, "validation");
    assert!(v.document.head.is_none());
    let t = tables(&v.document);
    let files = t[0];
    assert_eq!(files.rows.len(), 3);
    let hr = files.rows.iter().find(|r| r[1] == "华容县.xlsx").unwrap();
    assert_eq!(&hr[3..], ["3", "2", "1", "2", "0"]);
    let body = text(&v.document);
    assert!(body.contains("报送信息!B3"));
    assert!(body.contains("复查情况!F5"));
    assert!(body.contains("复查通报、报省文明办的报告、华容县复查情况汇总报告"));
}

#[test]
fn the_notice_carries_the_work_plan_and_the_roster_by_level_and_year() {
    let set = build(false, false);
    let doc = &one(&set, "notice").document;
    assert_eq!(doc.attachments.len(), 2);
    assert!(doc.attachments[0].title.contains("工作方案"));
    assert!(doc.attachments[1].title.contains("名单"));
    let plan = {
        let mut d = doc.clone();
        d.attachments.truncate(1);
        d.body.clear();
        text(&d)
    };
    for day in [
        "2020年7月1日",
        "2020年7月31日",
        "2020年9月1日",
        "2020年9月30日",
    ] {
        assert!(plan.contains(day), "phase date {day} missing");
    }
    let roster_tables = tables(doc);
    let listed: usize = roster_tables.iter().map(|t| t.rows.len()).sum();
    assert_eq!(listed, roster().units().len());
    // Within a level, older honours first.
    let national = roster_tables[0];
    let years: Vec<&str> = national.rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(years, ["2008", "2017", "2017"]);
    assert_eq!(
        doc.colophon.as_ref().unwrap().copy_to,
        vec!["湖南省文明办".to_string(), "市委宣传部".to_string()]
    );
}

#[test]
fn names_with_markup_and_xml_characters_print_as_themselves() {
    let set = build(true, false);
    for d in &set.documents {
        let body = text(&d.document);
        assert!(
            !body.contains('\\'),
            "escape leaked into {}",
            d.path.display()
        );
        assert!(!body.contains("&amp;") && !body.contains("&lt;") && !body.contains("&quot;"));
    }
    let circular = one(&set, "circular");
    let table = tables(&circular.document).into_iter().last().unwrap();
    assert!(table.rows.iter().any(|r| r[1] == TRICKY && r.len() == 6));
    let notice = of_kind(&set, "rectification")
        .into_iter()
        .find(|d| d.document.addressee.as_deref() == Some(TRICKY))
        .expect("notice to the tricky unit");
    assert!(notice.document.title.contains(TRICKY));
    // The file name is made safe; the text is not touched.
    let path = notice.path.display().to_string();
    assert!(!path.contains(['"', '<', '>', '|']), "{path}");
}

#[test]
fn the_same_batch_composes_identical_documents_with_the_campaign_date() {
    let a = build(true, false);
    let b = build(true, false);
    assert_eq!(a.documents.len(), b.documents.len());
    for (x, y) in a.documents.iter().zip(&b.documents) {
        assert_eq!(x.path, y.path);
        assert_eq!(x.document, y.document);
        assert_eq!(
            x.document.meta.date,
            NaiveDate::from_ymd_opt(2020, 10, 9).unwrap()
        );
        assert!(!x.document.meta.title.is_empty());
    }
}
