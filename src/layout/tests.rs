//! Pagination tests without fonts or PDF: the fake shaper sets CJK at one
//! em and Latin at half an em.

use chrono::NaiveDate;

use crate::doc::*;

use super::frame::{Item, Page, PageKind, TextRun};
use super::geometry::*;
use super::paginate::{balanced_lines, paginate};
use super::text::fake::FakeShaper;
use super::text::{Shaper, Style};
use crate::campaign::FontRole;

fn runs(page: &Page) -> Vec<&TextRun> {
    page.items
        .iter()
        .filter_map(|i| match i {
            Item::Text(t) => Some(t),
            Item::Rule(_) => None,
        })
        .collect()
}

/// Text runs inside the type area (not the page number).
fn body_runs(page: &Page) -> Vec<&TextRun> {
    runs(page)
        .into_iter()
        .filter(|r| r.baseline < BOTTOM)
        .collect()
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 10, 9).unwrap()
}

fn paragraphs(n: usize, chars: usize) -> Vec<Block> {
    (0..n)
        .map(|_| Block::Paragraph(Paragraph::body("文".repeat(chars))))
        .collect()
}

fn colophon() -> Colophon {
    Colophon {
        copy_to: vec!["省文明办".into()],
        printer: "岳阳市文明办".into(),
        print_date: date(),
    }
}

#[test]
fn a_full_page_holds_22_lines_on_the_pitch() {
    let doc = Document {
        body: paragraphs(20, 100),
        ..Default::default()
    };
    let pages = paginate(&doc, &FakeShaper).unwrap();
    let lines = body_runs(&pages[1]);
    assert_eq!(lines.len(), 22);
    for pair in lines.windows(2) {
        assert!((pair[1].baseline - pair[0].baseline - PITCH).abs() < 0.01);
    }
    assert!(lines[0].baseline - SIZE_3 * EM_ASCENT >= TOP);
    assert!(lines[21].baseline + SIZE_3 * EM_DESCENT <= BOTTOM);
    for l in lines {
        assert!((l.x - LEFT).abs() < 0.01 || (l.x - LEFT - 2.0 * CHAR).abs() < 0.01);
    }
}

#[test]
fn page_numbers_sit_right_on_odd_and_left_on_even_pages() {
    let doc = Document {
        body: paragraphs(30, 100),
        ..Default::default()
    };
    let pages = paginate(&doc, &FakeShaper).unwrap();
    assert!(pages.len() >= 3);
    for (i, page) in pages.iter().enumerate() {
        let number = runs(page)
            .into_iter()
            .find(|r| r.baseline > BOTTOM)
            .unwrap();
        assert_eq!(number.text(), format!("— {} —", i + 1));
        let end = number.x + number.glyphs.last().unwrap().dx + SIZE_4 * GRID_RATIO;
        if (i + 1) % 2 == 1 {
            assert!(
                (end - (RIGHT - SIZE_4)).abs() < 0.01,
                "odd page flush right"
            );
        } else {
            assert!(
                (number.x - (LEFT + SIZE_4)).abs() < 0.01,
                "even page flush left"
            );
        }
    }
}

#[test]
fn the_colophon_goes_to_the_next_even_page() {
    let doc = Document {
        body: paragraphs(2, 60),
        colophon: Some(colophon()),
        ..Default::default()
    };
    let pages = paginate(&doc, &FakeShaper).unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[1].kind, PageKind::Colophon);
    assert!(pages[1].numbered, "no blank page before it: numbered");
    let last_rule = pages[1]
        .items
        .iter()
        .rev()
        .find_map(|i| match i {
            Item::Rule(r) => Some(r),
            Item::Text(_) => None,
        })
        .unwrap();
    assert!((last_rule.y0 - BOTTOM).abs() < 0.01 && (last_rule.width - THICK_RULE).abs() < 0.01);
}

#[test]
fn a_full_even_page_gets_a_blank_page_and_an_unnumbered_colophon_page() {
    // Page 1 with a page break, then exactly 22 lines on page 2.
    let mut body = paragraphs(1, 10);
    body.push(Block::PageBreak);
    body.extend(paragraphs(11, 54));
    let doc = Document {
        body,
        colophon: Some(colophon()),
        ..Default::default()
    };
    let pages = paginate(&doc, &FakeShaper).unwrap();
    assert_eq!(body_runs(&pages[1]).len(), 22);
    assert_eq!(pages.len(), 4);
    assert_eq!(pages[2].kind, PageKind::Blank);
    assert_eq!(pages[3].kind, PageKind::Colophon);
    assert!(!pages[2].numbered && !pages[3].numbered);
    assert!(pages[2].items.is_empty());
}

#[test]
fn an_even_page_with_room_takes_the_colophon() {
    let mut body = paragraphs(1, 10);
    body.push(Block::PageBreak);
    body.extend(paragraphs(2, 54));
    let doc = Document {
        body,
        colophon: Some(colophon()),
        ..Default::default()
    };
    let pages = paginate(&doc, &FakeShaper).unwrap();
    assert_eq!(pages.len(), 2);
    assert!(
        runs(&pages[1])
            .iter()
            .any(|r| r.text().starts_with("抄送："))
    );
}

#[test]
fn table_headers_repeat_and_rows_stay_whole() {
    let table = Table {
        columns: vec![
            Column {
                header: "序号".into(),
                align: CellAlign::Center,
            },
            Column {
                header: "单位名称".into(),
                align: CellAlign::Left,
            },
        ],
        rows: (0..150)
            .map(|i| {
                let name = if i % 10 == 0 {
                    "很长的单位名称".repeat(6)
                } else {
                    "单位".into()
                };
                vec![(i + 1).to_string(), name]
            })
            .collect(),
    };
    let doc = Document {
        body: vec![Block::Table(table)],
        ..Default::default()
    };
    let pages = paginate(&doc, &FakeShaper).unwrap();
    assert!(pages.len() >= 4);
    let mut numbers = Vec::new();
    for page in &pages {
        let lines = body_runs(page);
        let top = lines.iter().map(|r| r.baseline).fold(f32::MAX, f32::min);
        let header: Vec<_> = lines
            .iter()
            .filter(|r| (r.baseline - top).abs() < 0.01)
            .map(|r| r.text())
            .collect();
        assert!(header.contains(&"序号".to_string()), "{header:?}");
        for r in lines {
            if r.text().chars().all(|c| c.is_ascii_digit()) {
                numbers.push(r.text().parse::<usize>().unwrap());
            }
            assert!(r.baseline < BOTTOM);
        }
    }
    assert_eq!(
        numbers,
        (1..=150).collect::<Vec<_>>(),
        "every row once, in order"
    );
}

#[test]
fn a_row_taller_than_a_page_is_split_between_lines() {
    let table = Table {
        columns: vec![Column {
            header: "说明".into(),
            align: CellAlign::Left,
        }],
        rows: vec![vec!["很长".repeat(1200)]],
    };
    let doc = Document {
        body: vec![Block::Table(table)],
        ..Default::default()
    };
    let pages = paginate(&doc, &FakeShaper).unwrap();
    assert!(pages.len() >= 2);
    let chars: usize = pages
        .iter()
        .flat_map(body_runs)
        .map(|r| r.text().matches('很').count())
        .sum();
    assert_eq!(chars, 1200);
}

#[test]
fn long_titles_break_into_balanced_lines() {
    let glyphs = FakeShaper
        .shape(&"题".repeat(30), Style::new(FontRole::Title, SIZE_2))
        .unwrap();
    let lines = balanced_lines(&glyphs);
    let lens: Vec<usize> = lines.iter().map(|l| l.range.len()).collect();
    assert_eq!(lens, [15, 15]);
}

#[test]
fn the_head_places_number_red_line_and_title_by_the_standard() {
    let doc = Document {
        head: Some(Head {
            organ_mark: "岳阳市精神文明建设指导委员会文件".into(),
            doc_number: Some("岳市文明委〔2020〕1号".into()),
            ..Default::default()
        }),
        title: "关于复查情况的通报".into(),
        draft: true,
        body: paragraphs(1, 40),
        ..Default::default()
    };
    let pages = paginate(&doc, &FakeShaper).unwrap();
    let runs = runs(&pages[0]);
    let head = runs.iter().find(|r| r.text().ends_with("文件")).unwrap();
    assert!(
        (head.baseline - head.size * EM_ASCENT - (TOP + 35.0 * MM)).abs() < 0.01,
        "red head top 35 mm into the type area"
    );
    let red_line = pages[0]
        .items
        .iter()
        .find_map(|i| match i {
            Item::Rule(r) if r.color == super::text::Color::Red => Some(*r),
            _ => None,
        })
        .unwrap();
    let number = runs.iter().find(|r| r.text().contains("〔2020〕")).unwrap();
    assert!((red_line.y0 - (number.baseline + EM_DESCENT * SIZE_3) - 4.0 * MM).abs() < 0.01);
    assert!((red_line.x0 - LEFT).abs() < 0.01 && (red_line.x1 - RIGHT).abs() < 0.01);
    let title = runs
        .iter()
        .find(|r| r.text() == "关于复查情况的通报")
        .unwrap();
    assert_eq!(title.size, SIZE_2);
    assert!(title.baseline > red_line.y0 + 2.0 * PITCH);
    assert!(
        runs.iter()
            .any(|r| r.text() == "征求意见稿" && r.baseline < TOP),
        "draft mark above the type area"
    );
}

#[test]
fn unsealed_signature_keeps_the_date_two_characters_in_from_the_name() {
    let doc = Document {
        body: paragraphs(1, 40),
        signature: Some(Signature {
            organs: vec!["岳阳市文明办".into()],
            date: date(),
            sealed: false,
        }),
        ..Default::default()
    };
    let pages = paginate(&doc, &FakeShaper).unwrap();
    let runs = runs(&pages[0]);
    let name = runs.iter().find(|r| r.text() == "岳阳市文明办").unwrap();
    let date = runs.iter().find(|r| r.text() == "2020年10月9日").unwrap();
    // The date (6.5 em) is longer than the name (6 em) minus 2: the date
    // takes the right indent of 2 and the name moves left.
    let date_end = date.x + date.glyphs.last().unwrap().dx + SIZE_3 * GRID_RATIO;
    assert!((date_end - (RIGHT - 2.0 * CHAR)).abs() < 0.01);
    assert!((date.x - name.x - 2.0 * CHAR).abs() < 0.01);
    assert!((date.baseline - name.baseline - PITCH).abs() < 0.01);
}
