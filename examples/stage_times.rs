//! Times `fucha build`'s stages one by one on one thread, and each document
//! kind's share, so a profile can be read against where the time goes.
//!
//! `cargo run --release --example stage_times -- CONFIG [--draft]`

use fucha::compose::{self, Templates};
use fucha::pipeline::{self, Context};
use fucha::render::Renderer;
use fucha::render::docx::DocxRenderer;
use fucha::render::pdf::PdfRenderer;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

#[derive(Default)]
struct Kind {
    count: usize,
    pages: usize,
    docx: Duration,
    layout: Duration,
    write: Duration,
    docx_bytes: usize,
    pdf_bytes: usize,
    slowest_pdf: (Duration, String),
}

// Long on purpose: one straight timeline, a block per stage, so the
// printed times read in the order the stages run.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = Path::new(&args[0]);
    let draft = args.iter().any(|a| a == "--draft");
    // `--only KIND` renders one kind of document; `--skip docx|pdf` leaves a format out
    // (for a profile of one stage).
    let after = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let only = after("--only");
    let skip = after("--skip").unwrap_or_default();
    let t = Instant::now();
    let ctx = Context::load(config, None).expect("context");
    let load = t.elapsed();
    let t = Instant::now();
    let templates = Templates::load(None).expect("templates");
    let batch = ctx.check(&[]);
    let check = t.elapsed();
    let t = Instant::now();
    let feedback = pipeline::feedback_workbooks(&batch).expect("feedback");
    let feedback_time = t.elapsed();
    let t = Instant::now();
    let set = compose::document_set(&batch, &ctx.roster, &ctx.campaign, &templates, draft)
        .expect("compose");
    let compose_time = t.elapsed();
    // Resident memory now and at its peak so far (Linux), to tell what
    // composition keeps from what it only passes through.
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    for line in status.lines() {
        if line.starts_with("VmRSS") || line.starts_with("VmHWM") {
            println!("after compose: {line}");
        }
    }
    let t = Instant::now();
    let docx = DocxRenderer::new(&ctx.campaign.fonts);
    let pdf = PdfRenderer::new(&ctx.campaign.fonts).expect("fonts");
    let renderers_new = t.elapsed();
    let mut kinds: BTreeMap<String, Kind> = BTreeMap::new();
    for doc in &set.documents {
        if only.as_ref().is_some_and(|o| o != doc.kind.key()) {
            continue;
        }
        let k = kinds.entry(doc.kind.key().to_string()).or_default();
        k.count += 1;
        if skip != "docx" {
            let t = Instant::now();
            let bytes = docx.render(&doc.document).expect("docx");
            k.docx += t.elapsed();
            k.docx_bytes += bytes.len();
        }
        if skip == "pdf" {
            continue;
        }
        let t = Instant::now();
        let pages = pdf.layout(&doc.document).expect("layout");
        let layout = t.elapsed();
        k.layout += layout;
        k.pages += pages.len();
        let t = Instant::now();
        let bytes = pdf.write(&pages, &doc.document).expect("pdf");
        let w = t.elapsed();
        k.write += w;
        k.pdf_bytes += bytes.len();
        if layout + w > k.slowest_pdf.0 {
            k.slowest_pdf = (
                layout + w,
                format!("{} ({} p)", doc.path.display(), pages.len()),
            );
        }
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("load (config+roster) {:.0} ms", ms(load));
    println!("templates+check      {:.0} ms", ms(check));
    println!(
        "feedback workbooks   {:.0} ms ({} files)",
        ms(feedback_time),
        feedback.len()
    );
    println!(
        "compose              {:.0} ms ({} documents)",
        ms(compose_time),
        set.documents.len()
    );
    println!("renderers new        {:.0} ms", ms(renderers_new));
    println!(
        "| kind | docs | pages | DOCX ms | PDF layout ms | PDF write ms | DOCX MB | PDF MB | slowest PDF |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut total = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    for (name, k) in &kinds {
        total.0 += k.docx;
        total.1 += k.layout;
        total.2 += k.write;
        println!(
            "| {name} | {} | {} | {:.0} | {:.0} | {:.0} | {:.1} | {:.1} | {:.0} ms {} |",
            k.count,
            k.pages,
            ms(k.docx),
            ms(k.layout),
            ms(k.write),
            k.docx_bytes as f64 / 1e6,
            k.pdf_bytes as f64 / 1e6,
            ms(k.slowest_pdf.0),
            k.slowest_pdf.1
        );
    }
    println!(
        "| total | | | {:.0} | {:.0} | {:.0} | | | |",
        ms(total.0),
        ms(total.1),
        ms(total.2)
    );
}
