//! OFD (issue #16): every default document is written as OFD beside its
//! PDF, and an independent reader, the `ofd-core` crate, reads it back: the
//! package conforms, has the PDF's pages, shows the PDF's text where the
//! PDF shows it, embeds its faces with their `cmap`, and puts the red head,
//! the rules and the page numbers within 0.5 mm of the PDF's.

use crate::common::{self, official_date, squash};
use crate::pdf_common::pdf;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use fucha::compose::Templates;
use fucha::doc::Document;
use fucha::pipeline::{self, Context, NoProgress};
use fucha::render::Formats;
use lopdf::content::Content;
use ofd_core::{OfdReader, PageBlock, RenderOptions, parent_dir, resolve_path};

/// Positions agree within this many millimetres.
const TOLERANCE: f64 = 0.5;

/// One default document as PDF and OFD.
struct Built {
    document: Document,
    /// Relative, without extension (`02-复查通报/…`).
    stem: PathBuf,
    pdf: PathBuf,
    ofd: PathBuf,
    ofd_bytes: Vec<u8>,
}

struct Season {
    _dir: tempfile::TempDir,
    docs: Vec<Built>,
    units: Vec<String>,
    context: Context,
    set: Vec<fucha::compose::ComposedDocument>,
}

/// The default season's documents rendered as PDF and OFD once for all
/// tests here, from a copy of `input/` (its register is a temporary one).
fn season() -> &'static Season {
    static SEASON: OnceLock<Season> = OnceLock::new();
    SEASON.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("input");
        common::copy_dir(&common::repo().join("input"), &input);
        let (context, batch) =
            Context::load_and_check(&input.join("fucha.toml"), None, &[]).unwrap();
        let templates = Templates::load(None).unwrap();
        let set = pipeline::documents(&context, &batch, &templates, false, 2).unwrap();
        let made = Formats::default_set().renderers(&["pdf", "ofd"], &context.campaign.fonts);
        assert!(made.unavailable.is_empty(), "{:?}", made.unavailable);
        let files: BTreeMap<PathBuf, Vec<u8>> =
            pipeline::render_all(&set.documents, &made.as_refs(), 2, &NoProgress)
                .unwrap()
                .into_iter()
                .collect();
        let out = dir.path().join("output");
        let docs = set
            .documents
            .iter()
            .map(|d| {
                let file = |ext: &str| PathBuf::from(format!("{}.{ext}", d.path.display()));
                let write = |ext: &str| {
                    let path = out.join(file(ext));
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    std::fs::write(&path, &files[&file(ext)]).unwrap();
                    path
                };
                Built {
                    document: d.document.clone(),
                    stem: d.path.clone(),
                    pdf: write("pdf"),
                    ofd: write("ofd"),
                    ofd_bytes: files[&file("ofd")].clone(),
                }
            })
            .collect();
        let units = context
            .roster
            .units()
            .iter()
            .map(|u| u.name.clone())
            .collect();
        Season {
            _dir: dir,
            docs,
            units,
            context,
            set: set.documents,
        }
    })
}

/// A text object as the reader sees it, in mm from the page's top-left.
#[derive(Debug, Clone)]
struct Text {
    text: String,
    x: f64,
    baseline: f64,
    red: bool,
    font: u64,
    id: u64,
}

/// A stroked path of one segment.
#[derive(Debug, Clone, Copy)]
struct Segment {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    red: bool,
}

#[derive(Debug, Default)]
struct OfdPage {
    id: u64,
    texts: Vec<Text>,
    rules: Vec<Segment>,
}

struct Ofd {
    pages: Vec<OfdPage>,
    /// Font resource ID → (FontName, embedded file).
    fonts: BTreeMap<u64, (String, Option<Vec<u8>>)>,
    custom: BTreeMap<String, String>,
}

fn is_red(color: Option<&ofd_core::model::graphics::CtColor>) -> bool {
    color
        .and_then(|c| c.value.as_ref())
        .is_some_and(|v| v.as_slice() == [255.0, 0.0, 0.0])
}

fn read_ofd(path: &Path) -> Ofd {
    let mut reader = OfdReader::open(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let body = reader.ofd().doc_bodies[0].clone();
    let custom = body
        .doc_info
        .custom_datas
        .iter()
        .flat_map(|c| c.custom_datas.iter())
        .map(|c| (c.name.clone(), c.value.clone()))
        .collect();
    let doc = reader.load_document(&body).unwrap();
    let mut fonts = BTreeMap::new();
    for loc in doc.public_res().to_vec() {
        let res_path = resolve_path(&doc.base, &loc);
        let res = reader.load_resource(&doc, &loc).unwrap();
        let base = resolve_path(parent_dir(&res_path), &res.base_loc);
        for font in res.fonts() {
            let data = font
                .font_file
                .as_ref()
                .map(|f| reader.package_mut().read(&resolve_path(&base, f)).unwrap());
            fonts.insert(font.id.value(), (font.font_name.clone(), data));
        }
    }
    let pages = doc
        .pages()
        .to_vec()
        .iter()
        .map(|p| {
            let page = reader.load_page(&doc, p).unwrap();
            let mut out = OfdPage {
                id: p.id.value(),
                ..OfdPage::default()
            };
            let layers = page.content.iter().flat_map(|c| c.layers.iter());
            for object in layers.flat_map(|l| l.objects.iter()) {
                match object {
                    PageBlock::Text(t) => {
                        let code = &t.text_codes[0];
                        out.texts.push(Text {
                            text: t.text_codes.iter().filter_map(|c| c.text.clone()).collect(),
                            x: t.boundary.x + code.x.unwrap_or(0.0),
                            baseline: t.boundary.y + code.y.unwrap_or(0.0),
                            red: is_red(t.fill_color.as_ref()),
                            font: t.font.value(),
                            id: t.id.map(|i| i.value()).unwrap_or(0),
                        })
                    }
                    PageBlock::Path(p) => {
                        let data = p.abbreviated_data.as_deref().unwrap_or("");
                        let n: Vec<f64> = data
                            .split_whitespace()
                            .filter_map(|s| s.parse().ok())
                            .collect();
                        assert!(p.boundary.height > 0.0 && p.boundary.width > 0.0, "{p:?}");
                        let (bx, by) = (p.boundary.x, p.boundary.y);
                        out.rules.push(Segment {
                            x0: bx + n[0],
                            y0: by + n[1],
                            x1: bx + n[2],
                            y1: by + n[3],
                            red: is_red(p.stroke_color.as_ref()),
                        });
                    }
                    other => panic!("unexpected object {other:?}"),
                }
            }
            out
        })
        .collect();
    Ofd {
        pages,
        fonts,
        custom,
    }
}

/// The page's text objects joined into lines: one per baseline, left to right.
fn lines(page: &OfdPage) -> Vec<(f64, String)> {
    let mut texts: Vec<&Text> = page.texts.iter().collect();
    texts.sort_by(|a, b| a.baseline.total_cmp(&b.baseline).then(a.x.total_cmp(&b.x)));
    let mut out: Vec<(f64, String)> = Vec::new();
    for t in texts {
        match out.last_mut() {
            Some((baseline, line)) if (t.baseline - *baseline).abs() < 0.2 => {
                line.push_str(&t.text)
            }
            _ => out.push((t.baseline, t.text.clone())),
        }
    }
    out
}

/// Where the PDF starts its text (each `Tm`: x and baseline in mm, and
/// whether red) and its stroked segments.
#[derive(Debug, Default)]
struct PdfMarks {
    texts: Vec<(f64, f64, bool)>,
    rules: Vec<Segment>,
}

fn pdf_marks(path: &Path) -> Vec<PdfMarks> {
    let doc = lopdf::Document::load(path).unwrap();
    let mm = |pt: f32| f64::from(pt) * 25.4 / 72.0;
    let height = 297.0;
    doc.get_pages()
        .values()
        .map(|&page| {
            let content = doc.get_page_content(page);
            let ops = Content::decode(&content).unwrap().operations;
            let mut marks = PdfMarks::default();
            let (mut fill_red, mut stroke_red, mut at) = (false, false, (0.0, 0.0));
            for op in ops {
                let n = |i: usize| match op.operands.get(i) {
                    Some(lopdf::Object::Integer(v)) => *v as f32,
                    Some(lopdf::Object::Real(v)) => *v,
                    _ => 0.0,
                };
                let red = n(0) == 1.0 && n(1) == 0.0 && n(2) == 0.0;
                match op.operator.as_str() {
                    "rg" => fill_red = red,
                    "RG" => stroke_red = red,
                    "m" => at = (mm(n(0)), height - mm(n(1))),
                    "l" => marks.rules.push(Segment {
                        x0: at.0,
                        y0: at.1,
                        x1: mm(n(0)),
                        y1: height - mm(n(1)),
                        red: stroke_red,
                    }),
                    "Tm" => marks.texts.push((mm(n(4)), height - mm(n(5)), fill_red)),
                    _ => {}
                }
            }
            marks
        })
        .collect()
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= TOLERANCE
}

#[test]
fn every_default_document_has_an_ofd_that_conforms_with_the_pdfs_pages() {
    let season = season();
    assert_eq!(season.docs.len(), season.set.len());
    assert!(
        season
            .docs
            .iter()
            .any(|d| d.stem.starts_with("02-复查通报"))
    );
    for d in &season.docs {
        let report = ofd_core::check_path(&d.ofd);
        assert!(
            report.conforms(),
            "{}: {:?}",
            d.stem.display(),
            report.problems
        );
        let ofd = read_ofd(&d.ofd);
        assert_eq!(
            ofd.pages.len(),
            pdf::page_count(&d.pdf),
            "{}",
            d.stem.display()
        );
        assert!(ofd.pages.iter().any(|p| !p.texts.is_empty()));
    }
}

#[test]
fn the_ofd_shows_each_line_of_the_pdf_on_its_page_and_height() {
    for d in &season().docs {
        let ofd = read_ofd(&d.ofd);
        for (n, (page, ofd_page)) in pdf::text_pages(&d.pdf).iter().zip(&ofd.pages).enumerate() {
            let ofd_lines = lines(ofd_page);
            for line in &page.lines {
                let want = squash(&line.text);
                let (top, bottom) = (
                    f64::from(line.y_min) / 72.0 * 25.4,
                    f64::from(line.y_max) / 72.0 * 25.4,
                );
                // The PDF reader's box ends at the face's descent, which
                // some faces put above the baseline: a little slack below.
                let found = ofd_lines.iter().any(|(baseline, text)| {
                    *baseline > top - TOLERANCE
                        && *baseline < bottom + 1.5
                        && squash(text).contains(&want)
                });
                assert!(
                    found,
                    "{} page {}: no OFD line holds {want:?} at {top:.1}-{bottom:.1} mm: {ofd_lines:?}",
                    d.stem.display(),
                    n + 1
                );
            }
        }
    }
}

#[test]
fn the_circulars_ofd_names_every_unit_of_the_roster() {
    let season = season();
    let circular = season
        .docs
        .iter()
        .find(|d| d.stem.starts_with("02-复查通报"))
        .unwrap();
    let ofd = read_ofd(&circular.ofd);
    let text: String = ofd
        .pages
        .iter()
        .flat_map(|p| p.texts.iter())
        .map(|t| t.text.as_str())
        .collect();
    let text = squash(&text);
    assert_eq!(season.units.len(), 111);
    let missing: Vec<&String> = season
        .units
        .iter()
        .filter(|u| !text.contains(&squash(u)))
        .collect();
    assert!(
        missing.is_empty(),
        "units not in the circular's OFD: {missing:?}"
    );
}

#[test]
fn every_face_is_embedded_as_a_subset_whose_cmap_maps_every_character_shown() {
    for d in &season().docs {
        let ofd = read_ofd(&d.ofd);
        let mut used = BTreeSet::new();
        for t in ofd.pages.iter().flat_map(|p| &p.texts) {
            used.insert(t.font);
            let (name, data) = &ofd.fonts[&t.font];
            let data = data
                .as_ref()
                .unwrap_or_else(|| panic!("{name} is not embedded"));
            let face = ttf_parser::Face::parse(data, 0).unwrap();
            for ch in t.text.chars().filter(|c| !c.is_whitespace()) {
                let glyph = face.glyph_index(ch).map_or(0, |g| g.0);
                assert_ne!(glyph, 0, "{}: {name} does not map {ch:?}", d.stem.display());
            }
        }
        assert_eq!(
            used,
            ofd.fonts.keys().copied().collect(),
            "every declared face is used"
        );
        for (name, data) in ofd.fonts.values() {
            let data = data.as_ref().unwrap();
            let face = ttf_parser::Face::parse(data, 0).unwrap();
            assert!(
                face.number_of_glyphs() < 2000,
                "{name}: {} glyphs, not a subset",
                face.number_of_glyphs()
            );
            assert!(
                face.tables().os2.is_some() && !face.names().is_empty(),
                "{name} keeps OS/2 and name"
            );
            assert!(!name.is_empty() && !name.contains(':'), "{name}");
        }
    }
}

#[test]
fn the_red_head_rules_and_page_numbers_sit_where_the_pdf_has_them() {
    let mut heads = 0;
    for d in &season().docs {
        let ofd = read_ofd(&d.ofd);
        for (n, (marks, page)) in pdf_marks(&d.pdf).iter().zip(&ofd.pages).enumerate() {
            let at = format!("{} page {}", d.stem.display(), n + 1);
            let red_pdf: Vec<_> = marks.texts.iter().filter(|t| t.2).collect();
            let red_ofd: Vec<_> = page.texts.iter().filter(|t| t.red).collect();
            assert_eq!(red_pdf.len(), red_ofd.len(), "{at}: red text");
            for (p, o) in red_pdf.iter().zip(&red_ofd) {
                assert!(
                    near(p.0, o.x) && near(p.1, o.baseline),
                    "{at}: red head {p:?} vs {o:?}"
                );
                heads += 1;
            }
            assert_eq!(marks.rules.len(), page.rules.len(), "{at}: rules");
            for (p, o) in marks.rules.iter().zip(&page.rules) {
                let same =
                    near(p.x0, o.x0) && near(p.y0, o.y0) && near(p.x1, o.x1) && near(p.y1, o.y1);
                assert!(same && p.red == o.red, "{at}: rule {p:?} vs {o:?}");
            }
            // Below the type area (262 mm): the page number only.
            let folio_pdf: Vec<_> = marks.texts.iter().filter(|t| t.1 > 262.0).collect();
            let folio_ofd: Vec<_> = page.texts.iter().filter(|t| t.baseline > 262.0).collect();
            assert_eq!(folio_pdf.len(), folio_ofd.len(), "{at}: page number pieces");
            for (p, o) in folio_pdf.iter().zip(&folio_ofd) {
                assert!(
                    near(p.0, o.x) && near(p.1, o.baseline),
                    "{at}: page number {p:?} vs {o:?}"
                );
            }
            if n == 0 && !folio_ofd.is_empty() {
                assert!(
                    squash(
                        &folio_ofd
                            .iter()
                            .map(|t| t.text.as_str())
                            .collect::<String>()
                    )
                    .contains('1')
                );
            }
        }
    }
    assert!(heads > 0, "no red head was compared");
}

/// Every `ID` in the package's XML, and its `MaxUnitID`.
fn ids(bytes: &[u8]) -> (Vec<u64>, u64) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let (mut ids, mut max) = (Vec::new(), 0);
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        if !file.name().unwrap().ends_with(".xml") {
            continue;
        }
        let mut text = String::new();
        std::io::Read::read_to_string(&mut file, &mut text).unwrap();
        for piece in text.split(" ID=\"").skip(1) {
            ids.push(piece[..piece.find('"').unwrap()].parse().unwrap());
        }
        if let Some(rest) = text.split("<ofd:MaxUnitID>").nth(1) {
            max = rest[..rest.find('<').unwrap()].parse().unwrap();
            let order = [
                "<ofd:MaxUnitID>",
                "<ofd:PageArea>",
                "<ofd:PublicRes>",
                "<ofd:DefaultCS>",
                "</ofd:CommonData>",
                "<ofd:Pages>",
            ];
            let at: Vec<usize> = order.iter().map(|t| text.find(t).unwrap()).collect();
            assert!(at.is_sorted(), "CommonData in schema order: {text}");
        }
    }
    (ids, max)
}

#[test]
fn ids_are_unique_and_max_unit_id_is_the_highest() {
    for d in &season().docs {
        let (ids, max) = ids(&d.ofd_bytes);
        let unique: BTreeSet<u64> = ids.iter().copied().collect();
        assert_eq!(
            unique.len(),
            ids.len(),
            "{}: duplicate IDs",
            d.stem.display()
        );
        assert_eq!(unique.last().copied(), Some(max), "{}", d.stem.display());
    }
}

#[test]
fn the_same_documents_give_the_same_bytes_whatever_the_jobs() {
    let season = season();
    let made = Formats::default_set().renderers(&["ofd"], &season.context.campaign.fonts);
    let again = pipeline::render_all(&season.set, &made.as_refs(), 1, &NoProgress).unwrap();
    assert_eq!(again.len(), season.docs.len());
    for ((_, bytes), d) in again.iter().zip(&season.docs) {
        assert!(
            bytes == &d.ofd_bytes,
            "{} differs between runs",
            d.stem.display()
        );
    }
}

/// The 公文 tags: element name → the object IDs it points at.
fn tags(bytes: &[u8]) -> BTreeMap<String, Vec<u64>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let Ok(mut file) = archive.by_name("Doc_0/Tags/Gongwen.xml") else {
        return BTreeMap::new();
    };
    let mut text = String::new();
    std::io::Read::read_to_string(&mut file, &mut text).unwrap();
    let mut out = BTreeMap::new();
    for piece in text.split("<gw:").skip(2).filter(|p| !p.starts_with('/')) {
        let name = piece[..piece.find('>').unwrap()].to_string();
        let refs = piece
            .split("\">")
            .skip(1)
            .map(|r| r[..r.find('<').unwrap()].parse().unwrap());
        out.insert(name, refs.collect());
    }
    out
}

#[test]
fn the_gongwen_elements_are_custom_data_and_tags_on_their_text() {
    let season = season();
    let mut tagged = BTreeSet::new();
    for d in &season.docs {
        let ofd = read_ofd(&d.ofd);
        let doc = &d.document;
        let head = doc.head.as_ref();
        let number = head.and_then(|h| h.doc_number.clone());
        assert_eq!(
            ofd.custom.get("发文字号"),
            number.as_ref(),
            "{}",
            d.stem.display()
        );
        let colophon = doc.colophon.as_ref();
        assert_eq!(ofd.custom.get("印发机关"), colophon.map(|c| &c.printer));
        let date = doc
            .signature
            .as_ref()
            .map(|s| s.date.format("%Y-%m-%d").to_string());
        assert_eq!(ofd.custom.get("成文日期"), date.as_ref());
        let shown: BTreeMap<u64, &str> = ofd
            .pages
            .iter()
            .flat_map(|p| &p.texts)
            .map(|t| (t.id, t.text.as_str()))
            .collect();
        for (name, objects) in tags(&d.ofd_bytes) {
            let text: String = objects.iter().map(|id| shown[id]).collect();
            let value = match name.as_str() {
                "成文日期" => official_date(doc.signature.as_ref().unwrap().date),
                "印发日期" => official_date(colophon.unwrap().print_date),
                // Each name as the head shows it, whatever stands between.
                "签发人" => head.unwrap().signers.concat(),
                _ => ofd.custom[&name].clone(),
            };
            assert!(
                squash(&text).contains(&squash(&value)),
                "{}: {name} tags {text:?}, not {value:?}",
                d.stem.display()
            );
            tagged.insert(name);
        }
        assert!(ofd.pages.iter().all(|p| p.id > 0));
    }
    for name in [
        "发文字号",
        "成文日期",
        "主送",
        "抄送",
        "印发机关",
        "印发日期",
    ] {
        assert!(
            tagged.contains(name),
            "{name} is tagged in no document: {tagged:?}"
        );
    }
}

#[test]
fn ofd_core_renders_the_red_head_in_red_and_the_body_in_black() {
    let season = season();
    let circular = season
        .docs
        .iter()
        .find(|d| d.stem.starts_with("02-复查通报"))
        .unwrap();
    let mut reader = OfdReader::open(&circular.ofd).unwrap();
    let body = reader.ofd().doc_bodies[0].clone();
    let doc = reader.load_document(&body).unwrap();
    let pixmap = reader
        .render_page(&doc, 0, &RenderOptions::with_dpi(100.0))
        .unwrap();
    let (width, px_per_mm) = (pixmap.width() as usize, 100.0 / 25.4);
    let row = |mm: f64| (mm * px_per_mm) as usize * width;
    let pixels = pixmap.pixels();
    // The red head lies between 72 and 90 mm from the top; the body below 170 mm.
    let red = pixels[row(72.0)..row(90.0)]
        .iter()
        .filter(|p| p.red() > 200 && p.green() < 80)
        .count();
    let dark = pixels[row(170.0)..row(260.0)]
        .iter()
        .filter(|p| p.red() < 128 && p.green() < 128)
        .count();
    let blank = pixels[row(5.0)..row(60.0)]
        .iter()
        .filter(|p| p.red() < 250)
        .count();
    assert!(red > 2000, "{red} red pixels in the head");
    assert!(dark > 8000, "{dark} dark pixels in the body");
    assert_eq!(blank, 0, "nothing is drawn above the head");
}

/// The circular's and a rectification notice's first pages as ofd-core
/// renders them, to look at beside poppler's rendering of the PDF: written
/// to `target/ofd-images/` with the PDFs, and to `docs/images/ofd-*.png`
/// when `FUCHA_SCREENSHOTS` names that folder.
#[test]
fn the_first_pages_render_to_images_to_look_at() {
    let season = season();
    let out = common::repo().join("target/ofd-images");
    std::fs::create_dir_all(&out).unwrap();
    let docs = std::env::var_os("FUCHA_SCREENSHOTS").map(PathBuf::from);
    for (prefix, name) in [("02-复查通报", "circular"), ("05-整改通知书", "notice")] {
        let d = season
            .docs
            .iter()
            .find(|d| d.stem.starts_with(prefix))
            .unwrap();
        let mut reader = OfdReader::open(&d.ofd).unwrap();
        let body = reader.ofd().doc_bodies[0].clone();
        let doc = reader.load_document(&body).unwrap();
        let png = out.join(format!("ofd-{name}-page1.png"));
        reader
            .render_page_to_file(&doc, 0, &RenderOptions::with_dpi(60.0), &png)
            .unwrap();
        let bytes = std::fs::read(&png).unwrap();
        assert!(
            bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000,
            "{png:?}"
        );
        std::fs::copy(&d.pdf, out.join(format!("{name}.pdf"))).unwrap();
        if let Some(docs) = &docs {
            std::fs::copy(&png, docs.join(format!("ofd-{name}-page1.png"))).unwrap();
        }
    }
}

#[test]
fn render_writes_an_ofd_for_an_ofd_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("letter.hbs");
    let data = dir.path().join("data.json");
    std::fs::write(&template, "@标题 关于{{unit}}的函\n@主送 {{unit}}\n\n请于{{date deadline}}前报送材料。\n\n@署名 岳阳市文明办\n@成文日期 {{date deadline}}\n").unwrap();
    std::fs::write(&data, r#"{"unit": "A<B>&公司", "deadline": "2020-10-09"}"#).unwrap();
    let out = dir.path().join("函.ofd");
    let r = common::run(
        common::fucha()
            .arg("render")
            .arg(&template)
            .arg("--data")
            .arg(&data)
            .arg("--out")
            .arg(&out),
    );
    assert_eq!(r.code, Some(0), "{}\n{}", r.stdout, r.stderr);
    assert!(ofd_core::check_path(&out).conforms());
    let ofd = read_ofd(&out);
    let text: String = ofd
        .pages
        .iter()
        .flat_map(|p| &p.texts)
        .map(|t| t.text.as_str())
        .collect();
    for needle in [
        "关于A<B>&公司的函",
        "A<B>&公司：",
        "请于2020年10月9日前报送材料。",
        "岳阳市文明办",
    ] {
        assert!(squash(&text).contains(needle), "{needle} not in {text}");
    }
    assert_eq!(
        ofd.custom.get("主送").map(String::as_str),
        Some("A<B>&公司")
    );
}
