//! The DOCX and the PDF of one document must show the same thing: the
//! same table columns, the same title lines. Checked on the outputs: the
//! DOCX's XML and the PDF's text positions (`pdftotext -bbox-layout`).

use crate::docx_support;
use crate::pdf_common;

use fucha::doc::{Block, CellAlign, Column, Document, Table};
use fucha::render::Renderer;
use pdf_common::{MM, renderer, save, text_pages};

const TITLE: &str = "岳阳市文明委关于2020年文明单位复查情况的通报";

const NAMES: [&str; 6] = [
    "国家税务总局岳阳经济技术开发区税务局",
    "中共岳阳市纪律检查委员会（监察委员会）",
    "岳阳市气象局",
    "湖南省血吸虫病防治所",
    "岳阳楼洞庭湖风景名胜区岳阳楼·君山岛景区",
    "平江县审计局",
];
const LEVELS: [&str; 3] = ["省级文明标兵单位", "全国文明单位", "省级文明单位"];
const COUNTIES: [&str; 4] = ["岳阳经济技术开发区", "市直", "屈原管理区", "平江县"];
const OUTCOMES: [&str; 3] = ["复查合格", "撤销荣誉称号", "限期整改"];

/// The circular's attachment table: 序号/单位名称/荣誉类别/命名年度/所属县市区/复查结论.
fn circular() -> Document {
    let columns = [
        ("序号", CellAlign::Center),
        ("单位名称", CellAlign::Left),
        ("荣誉类别", CellAlign::Left),
        ("命名年度", CellAlign::Center),
        ("所属县市区", CellAlign::Left),
        ("复查结论", CellAlign::Center),
    ]
    .into_iter()
    .map(|(h, a)| Column {
        header: h.to_string(),
        align: a,
    })
    .collect();
    let rows = (0..60)
        .map(|i| {
            vec![
                (i + 1).to_string(),
                NAMES[i % NAMES.len()].to_string(),
                LEVELS[i % LEVELS.len()].to_string(),
                (2008 + 3 * (i % 4)).to_string(),
                COUNTIES[i % COUNTIES.len()].to_string(),
                OUTCOMES[i % OUTCOMES.len()].to_string(),
            ]
        })
        .collect();
    Document {
        title: TITLE.to_string(),
        body: vec![Block::Table(Table { columns, rows })],
        ..Document::default()
    }
}

/// `w:gridCol` widths of the first table, in twips.
fn grid_columns(xml: &str) -> Vec<f32> {
    let table = &xml[xml.find("<w:tblGrid>").expect("a table grid")..];
    let table = &table[..table.find("</w:tblGrid>").unwrap()];
    table
        .split("<w:gridCol ")
        .skip(1)
        .map(|g| {
            let start = g.find("w:w=\"").unwrap() + 5;
            g[start..start + g[start..].find('"').unwrap()]
                .parse()
                .unwrap()
        })
        .collect()
}

#[test]
fn both_formats_draw_the_same_table_columns_with_room_for_the_names() {
    let doc = circular();
    let (_, parts) = docx_support::render(&doc);
    let docx = grid_columns(&parts["word/document.xml"]);
    assert_eq!(docx.len(), 6);
    let type_width: f32 = docx.iter().sum();
    assert!((type_width - 8844.0).abs() < 2.0, "{docx:?}");
    // The name column is the widest; 复查合格 and the years fit on a line.
    let widest = (0..6).max_by(|&a, &b| docx[a].total_cmp(&docx[b])).unwrap();
    assert_eq!(widest, 1, "单位名称 should be the widest column: {docx:?}");
    let cell_pad = 2.0 * 85.0;
    assert!(docx[5] >= 4.0 * 240.0 + cell_pad, "复查结论 {docx:?}");
    assert!(docx[3] >= 2.0 * 240.0 + cell_pad, "命名年度 {docx:?}");
    assert!(docx[2] >= 8.0 * 240.0 + cell_pad, "荣誉类别 {docx:?}");

    // In the PDF, every 复查合格 and every 省级文明标兵单位 sits on one line,
    // and the cells of each column start where the DOCX's columns start.
    let pdf = save(
        "docx_matches_pdf_table.pdf",
        &renderer().render(&doc).unwrap(),
    );
    let pages = text_pages(&pdf);
    let lines: Vec<_> = pages.iter().flat_map(|p| p.lines.iter()).collect();
    let whole = |word: &str| lines.iter().filter(|l| l.text == word).count();
    assert_eq!(whole("复查合格"), 20);
    assert_eq!(whole("省级文明标兵单位"), 20);
    // A longer label may wrap, but evenly (撤销荣誉/称号), never a lone 号.
    assert_eq!(whole("撤销荣誉称号") + whole("撤销荣誉"), 20);
    let mut edge = 28.0 * MM;
    for (c, twips) in docx.iter().enumerate() {
        let next = edge + twips / 20.0;
        // Left-aligned columns: their text starts one padding in.
        if c == 1 {
            let starts: Vec<f32> = lines
                .iter()
                .filter(|l| {
                    l.text.chars().count() > 3
                        && NAMES.iter().any(|n| n.starts_with(l.text.as_str()))
                })
                .map(|l| l.x_min)
                .collect();
            assert!(!starts.is_empty());
            for x in starts {
                assert!(
                    (x - (edge + 4.25)).abs() < 1.0,
                    "名称 at {x}, column at {edge}"
                );
            }
        }
        edge = next;
    }
}

#[test]
fn a_long_title_breaks_at_the_same_place_in_both_formats() {
    let doc = circular();
    let (_, parts) = docx_support::render(&doc);
    let xml = &parts["word/document.xml"];
    // The DOCX title is two runs split by a line break.
    let first = xml
        .find("岳阳市文明委关于2020年<")
        .expect("first title line");
    let second = xml
        .find(">文明单位复查情况的通报<")
        .expect("second title line");
    assert!(first < second && xml[first..second].contains("<w:br"));
    // The PDF sets the same two lines.
    let pdf = save(
        "docx_matches_pdf_title.pdf",
        &renderer().render(&doc).unwrap(),
    );
    let page = &text_pages(&pdf)[0];
    let texts: Vec<&str> = page.lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        &texts[..2],
        &["岳阳市文明委关于2020年", "文明单位复查情况的通报"]
    );
}
