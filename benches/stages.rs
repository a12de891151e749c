//! Criterion benchmarks of the pipeline's stages, one group each: read a
//! workbook, check a batch, lay out and write a PDF, write a DOCX.
//!
//! Run with `cargo bench --bench stages` (add a filter such as `pdf` to run
//! one group). The inputs are the default data in `input/` and small
//! synthetic campaigns written to a temporary folder, so nothing is needed
//! beyond the repository and the fonts the renderer uses.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use fucha::campaign::{Campaign, FontSettings};
use fucha::check::{check_paths, collect_files};
use fucha::doc::*;
use fucha::ingest::read_workbook;
use fucha::render::Renderer;
use fucha::render::docx::DocxRenderer;
use fucha::render::pdf::PdfRenderer;
use fucha::roster::Roster;
use fucha::synth::{Spec, write_campaign};

fn date(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, m, d).expect("valid date")
}

fn paragraph(i: usize) -> Block {
    Block::Paragraph(Paragraph::body(format!(
        "根据《岳阳市文明单位测评体系（2020年版）》和岳市文明委〔2020〕3号文件要求，\
         我区于2020年9月{d}日至9月{e}日组织开展了第{i}批省级文明单位复查工作，\
         采取实地察看、听取汇报、材料审核和问卷调查相结合的方式进行。\
         本批共复查单位{n}个，平均测评得分{s:.1}分，群众满意度{p}%。\
         各单位要坚持“以评促建、以评促管”，对照问题清单逐项整改。",
        d = i % 20 + 1,
        e = i % 20 + 5,
        n = 10 + i,
        s = 90.5 + i as f64 / 10.0,
        p = 93 + i % 5,
    )))
}

fn result_table(rows: usize) -> Block {
    let column = |header: &str, align| Column {
        header: header.into(),
        align,
    };
    Block::Table(Table {
        columns: vec![
            column("序号", CellAlign::Center),
            column("单位名称", CellAlign::Left),
            column("荣誉类别", CellAlign::Left),
            column("测评得分", CellAlign::Center),
            column("复查结论", CellAlign::Center),
        ],
        rows: (0..rows)
            .map(|i| {
                vec![
                    (i + 1).to_string(),
                    format!("平江县第{}批复查单位（示例）", i + 1),
                    "省级文明单位".into(),
                    format!("{:.1}", 85.0 + (i % 27) as f64 / 2.0),
                    "复查合格".into(),
                ]
            })
            .collect(),
    })
}

/// A short summary report: head, body with headings, signature,
/// an attachment table and the colophon; 4 pages, as the 版记 ends the
/// document on an even page.
fn short_report() -> Document {
    let mut body = vec![Block::Heading {
        level: 1,
        text: "一、复查基本情况".into(),
    }];
    body.extend((0..2).map(paragraph));
    body.push(Block::Heading {
        level: 1,
        text: "二、存在问题和整改要求".into(),
    });
    body.extend((2..4).map(paragraph));
    Document {
        meta: Meta {
            title: "平江县2020年文明单位复查情况汇总报告".into(),
            author: "平江县文明办".into(),
            date: date(10, 28),
        },
        head: Some(Head {
            copy_no: None,
            secrecy: None,
            urgency: None,
            organ_mark: "平江县精神文明建设指导委员会办公室".into(),
            doc_number: Some("平文明办〔2020〕12号".into()),
            signers: vec![],
        }),
        title: "关于平江县2020年文明单位复查情况的报告".into(),
        addressee: Some("岳阳市文明委".into()),
        body,
        attachment_note: vec!["平江县2020年文明单位复查结果一览表".into()],
        signature: Some(Signature {
            organs: vec!["平江县精神文明建设指导委员会办公室".into()],
            date: date(10, 28),
            sealed: true,
        }),
        note: None,
        attachments: vec![Attachment {
            title: "平江县2020年文明单位复查结果一览表".into(),
            body: vec![result_table(8)],
        }],
        colophon: Some(Colophon {
            copy_to: vec!["市文明委各成员单位".into()],
            printer: "平江县文明办".into(),
            print_date: date(10, 28),
        }),
        draft: false,
    }
}

/// A document that fills one page with body text.
fn one_page_document() -> Document {
    Document {
        title: "关于做好文明单位复查整改工作的通知".into(),
        body: (0..5).map(paragraph).collect(),
        ..short_report()
    }
}

fn input_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("input")
}

fn pdf(c: &mut Criterion) {
    let fonts = FontSettings::default();
    let renderer = PdfRenderer::new(&fonts).expect("fonts installed");
    let three = short_report();
    let one = one_page_document();
    let pages = renderer.layout(&three).expect("lays out").len();
    let bytes = renderer.render(&three).expect("renders").len();
    eprintln!("short_report: {pages} pages, {bytes} bytes as PDF");
    let mut group = c.benchmark_group("pdf");
    group.bench_function("layout_1_page", |b| {
        b.iter(|| renderer.layout(black_box(&one)))
    });
    group.bench_function("layout_report_4_pages", |b| {
        b.iter(|| renderer.layout(black_box(&three)))
    });
    // A fresh renderer each time (its character maps warmed by a layout,
    // as after a run's first document), so no subset is reused: what one
    // new document costs.
    group.bench_function("render_report_4_pages", |b| {
        b.iter_batched(
            || {
                let fresh = PdfRenderer::new(&fonts).expect("fonts installed");
                fresh.render(&one).expect("renders");
                fresh
            },
            |fresh| fresh.render(black_box(&three)),
            BatchSize::PerIteration,
        )
    });
    // The same document again: every subset is reused, as for the headings
    // and page numbers of a run's many similar documents.
    group.bench_function("render_report_4_pages_again", |b| {
        b.iter(|| renderer.render(black_box(&three)))
    });
    group.sample_size(10);
    group.bench_function("renderer_new", |b| {
        b.iter(|| PdfRenderer::new(black_box(&fonts)))
    });
    group.finish();
}

fn docx(c: &mut Criterion) {
    let renderer = DocxRenderer::new(&FontSettings::default());
    let three = short_report();
    c.bench_function("docx/render_report_4_pages", |b| {
        b.iter(|| renderer.render(black_box(&three)))
    });
}

/// A synthetic campaign of `units` in `bodies` workbooks, in a temp folder.
fn synthetic(units: usize, bodies: usize) -> (tempfile::TempDir, Campaign, Roster, Vec<PathBuf>) {
    let dir = tempfile::tempdir().expect("temp folder");
    let summary = write_campaign(&Spec::new(units, bodies, 1), dir.path()).expect("generated");
    let campaign = Campaign::load(&summary.config).expect("config");
    let roster = Roster::load(&campaign.roster).expect("roster");
    let (files, _) = collect_files(std::slice::from_ref(&campaign.intake), &roster);
    (dir, campaign, roster, files)
}

fn ingest(c: &mut Criterion) {
    let (_dir, _, _, files) = synthetic(1_000, 10);
    let mut group = c.benchmark_group("ingest");
    group.bench_function("read_workbook_100_rows", |b| {
        b.iter(|| read_workbook(black_box(&files[0])))
    });
    let default_body = input_dir().join("报送").join("市直.xlsx");
    group.bench_function("read_workbook_default_city", |b| {
        b.iter(|| read_workbook(black_box(&default_body)))
    });
    group.finish();
}

fn check(c: &mut Criterion) {
    let campaign = Campaign::load(&input_dir().join("fucha.toml")).expect("config");
    let roster = Roster::load(&campaign.roster).expect("roster");
    let default_files = vec![campaign.intake.clone()];
    let (_dir, synth_campaign, synth_roster, _) = synthetic(2_000, 20);
    let synth_files = vec![synth_campaign.intake.clone()];
    let mut group = c.benchmark_group("check");
    group.bench_function("batch_default_111_units", |b| {
        b.iter(|| check_paths(black_box(&default_files), &roster, &campaign))
    });
    group.sample_size(20);
    group.bench_function("batch_synthetic_2000_units", |b| {
        b.iter(|| check_paths(black_box(&synth_files), &synth_roster, &synth_campaign))
    });
    group.finish();
}

criterion_group! {
    name = stages;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = pdf, docx, ingest, check
}
criterion_main!(stages);
