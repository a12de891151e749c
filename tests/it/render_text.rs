//! Issue #12: a new format is one new file and one registry line. A plain
//! text renderer, written outside the crate, takes its pages from the fixed
//! layout (as the PDF does) and writes each page's text runs as lines; it
//! renders real documents of the default data through the registry, and
//! its pages agree with the PDF's.

use crate::pdf_common;

use fucha::compose::Templates;
use fucha::doc::Document;
use fucha::layout::FixedLayout;
use fucha::layout::frame::{Item, Page};
use fucha::pipeline::{self, Context, NoProgress};
use fucha::render::{BoxError, Format, Formats, RenderError, Renderer, Setup};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

/// The text format: the name in `[output] formats` and the extension.
struct TextFormat;

impl Format for TextFormat {
    fn name(&self) -> &'static str {
        "txt"
    }

    fn renderer(&self, setup: &Setup<'_>) -> Result<Box<dyn Renderer>, BoxError> {
        Ok(Box::new(TextRenderer(setup.fixed_layout()?)))
    }
}

/// Writes the laid-out pages: a `—— 第N页 ——` line per page, then its
/// text, one line per baseline, runs left to right.
struct TextRenderer(Arc<FixedLayout>);

impl Renderer for TextRenderer {
    fn extension(&self) -> &'static str {
        "txt"
    }

    fn render(&self, doc: &Document) -> Result<Vec<u8>, RenderError> {
        let pages = self.0.pages(doc).map_err(RenderError::new)?;
        let mut out = String::new();
        for (i, page) in pages.iter().enumerate() {
            out.push_str(&format!("—— 第{}页 ——\n", i + 1));
            for line in lines(page) {
                out.push_str(&line);
                out.push('\n');
            }
        }
        Ok(out.into_bytes())
    }
}

/// The page's text runs grouped by baseline (to the hundredth of a point),
/// top to bottom, each line's runs left to right and joined by a space.
fn lines(page: &Page) -> Vec<String> {
    let mut by_baseline: BTreeMap<i64, Vec<(f32, String)>> = BTreeMap::new();
    for item in &page.items {
        if let Item::Text(run) = item {
            let key = (run.baseline * 100.0).round() as i64;
            by_baseline
                .entry(key)
                .or_default()
                .push((run.x, run.text()));
        }
    }
    by_baseline
        .into_values()
        .map(|mut runs| {
            runs.sort_by(|a, b| a.0.total_cmp(&b.0));
            let texts: Vec<String> = runs.into_iter().map(|(_, t)| t).collect();
            texts.join(" ")
        })
        .collect()
}

#[test]
fn a_text_renderer_added_with_one_registry_line_renders_the_default_documents() {
    let formats = Formats::default_set().with(TextFormat);
    let mut names = Formats::default_set().names();
    names.push("txt");
    assert_eq!(formats.names(), names);
    assert_eq!(
        formats
            .by_extension(std::path::Path::new("a.TXT"))
            .map(|f| f.name()),
        Some("txt")
    );

    let config = crate::common::repo().join("input").join("fucha.toml");
    let (ctx, batch) = Context::load_and_check(&config, None, &[]).unwrap();
    let templates = Templates::load(None).unwrap();
    let set = pipeline::documents(&ctx, &batch, &templates, false, 2).unwrap();
    assert!(!set.documents.is_empty());

    let made = formats.renderers(&["pdf", "txt"], &ctx.campaign.fonts);
    assert!(made.unavailable.is_empty(), "{:?}", made.unavailable);
    let files: BTreeMap<PathBuf, Vec<u8>> =
        pipeline::render_all(&set.documents, &made.as_refs(), 2, &NoProgress)
            .unwrap()
            .into_iter()
            .collect();

    for (i, doc) in set.documents.iter().enumerate() {
        let path = |ext: &str| {
            let mut p = doc.path.clone().into_os_string();
            p.push(".");
            p.push(ext);
            PathBuf::from(p)
        };
        let text = String::from_utf8(files[&path("txt")].clone()).unwrap();
        let pdf = pdf_common::save(&format!("render_text-{i}.pdf"), &files[&path("pdf")]);

        let pages = text.lines().filter(|l| l.starts_with("—— 第")).count();
        assert_eq!(
            pages,
            pdf_common::pdf::page_count(&pdf),
            "{}: the text and the PDF have the same pages",
            doc.path.display()
        );
        // The title, however it is broken into lines, is the document's.
        let title: String = doc.document.title.split_whitespace().collect();
        assert!(!title.is_empty(), "{}", doc.path.display());
        let squashed: String = text.split_whitespace().collect();
        assert!(
            squashed.contains(&title),
            "{}: title {title} not in the text",
            doc.path.display()
        );
    }
}
