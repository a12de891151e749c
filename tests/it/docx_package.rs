//! The DOCX renderer's tables, 版记, footers and package: repeated table
//! headers, rules, page-number fields, determinism, escaping, font table.

use crate::docx_support;

use docx_support::*;
use fucha::campaign::FontSettings;
use fucha::doc::Document;
use fucha::render::Renderer;
use fucha::render::docx::DocxRenderer;

#[test]
fn the_result_table_repeats_its_header_and_rows_do_not_split() {
    let (_, parts) = render(&long_circular());
    let doc = &parts["word/document.xml"];
    let start = doc.find("<w:tbl>").expect("a table");
    let table = &doc[start..start + doc[start..].find("</w:tbl>").unwrap()];
    let rows: Vec<&str> = table.split("<w:tr>").skip(1).collect();
    assert_eq!(rows.len(), 201, "header + 200 rows");
    assert!(rows[0].contains("<w:tblHeader"), "header row repeats");
    assert!(rows[1..].iter().all(|r| !r.contains("<w:tblHeader")));
    assert!(rows.iter().all(|r| r.contains("<w:cantSplit")));
    assert_eq!(doc.matches("<w:tblHeader").count(), 1);
    // Full type-area width, fixed layout, borders, 小四 text.
    assert!(table.contains(r#"<w:tblW w:w="8844" w:type="dxa""#));
    let grid: i32 = table
        .match_indices("<w:gridCol w:w=\"")
        .map(|(i, m)| {
            let rest = &table[i + m.len()..];
            rest[..rest.find('"').unwrap()].parse::<i32>().unwrap()
        })
        .sum();
    assert_eq!(grid, 8844);
    assert!(
        table
            .match_indices("<w:gridCol ")
            .all(|(i, _)| !table[i..i + table[i..].find('>').unwrap()].contains("w:type")),
        "w:gridCol has only w:w in the schema"
    );
    assert!(table.contains("<w:insideH ") && table.contains("<w:insideV "));
    assert!(rows[5].contains(r#"<w:sz w:val="24""#));
    assert!(text_of(rows[0]).contains("单位名称"));
    assert!(text_of(rows[200]).starts_with("200"));
}

#[test]
fn colophon_has_thick_and_thin_rules_at_the_page_bottom() {
    let (_, parts) = render(&long_circular());
    let doc = &parts["word/document.xml"];
    // The 版记 is the last table, floated to the bottom of the type area.
    let start = doc.rfind("<w:tbl>").unwrap();
    let table = &doc[start..start + doc[start..].find("</w:tbl>").unwrap()];
    assert!(
        table.contains(r#"w:vertAnchor="margin""#) && table.contains(r#"w:tblpYSpec="bottom""#)
    );
    assert!(
        table.contains(r#"<w:tblW w:w="8844""#),
        "rules span the type area"
    );
    let rule = |side: &str| -> (String, String) {
        let at = table.find(&format!("<w:{side} ")).unwrap();
        let el = &table[at..at + table[at..].find("/>").unwrap()];
        let attr = |name: &str| {
            let i = el.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            el[i..i + el[i..].find('"').unwrap()].to_string()
        };
        (attr("w:val"), attr("w:sz"))
    };
    assert_eq!(
        rule("top"),
        ("single".into(), "8".into()),
        "thick first rule"
    );
    assert_eq!(
        rule("insideH"),
        ("single".into(), "6".into()),
        "thin rule between"
    );
    assert_eq!(
        rule("bottom"),
        ("single".into(), "8".into()),
        "thick last rule"
    );
    assert_eq!(rule("left").0, "nil");
    assert_eq!(rule("right").0, "nil");
    assert!(!table.contains("FF0000"), "版记 rules are black");
    assert!(!table.contains("<w:tblHeader"));

    let copy = paragraph_with(table, "抄送：湖南省文明办，市委办，市政府办。");
    let printer = paragraph_with(table, "岳阳市精神文明建设指导委员会办公室2020年10月9日印发");
    for p in [copy, printer] {
        assert!(p.contains(r#"<w:sz w:val="28""#), "4号");
        assert!(
            p.contains(r#"w:right="280""#),
            "one character from the right"
        );
    }
    assert!(
        printer.contains(r#"w:left="280""#),
        "one character from the left"
    );
    assert!(
        printer.contains(r#"<w:tab w:val="right" w:pos="8564""#),
        "date flush right"
    );
    // Wrapped 抄送 lines align after the colon.
    assert!(copy.contains(r#"w:left="1120""#) && copy.contains(r#"w:hanging="840""#));
    // Nothing but the closing hairline paragraph follows the 版记.
    let after = &doc[start..];
    let after_table = &after[after.find("</w:tbl>").unwrap()..];
    assert!(
        paragraphs(after_table)
            .iter()
            .all(|p| text_of(p).is_empty())
    );
}

#[test]
fn odd_and_even_footers_carry_the_page_field_between_em_dashes() {
    let (_, parts) = render(&long_circular());
    // Only parts the document uses, each with its content type.
    let types = &parts["[Content_Types].xml"];
    for unused in ["comments", "numbering", "footnotes"] {
        assert!(
            !parts.contains_key(&format!("word/{unused}.xml")),
            "{unused}"
        );
        assert!(!types.contains(&format!("/word/{unused}.xml")), "{unused}");
    }
    assert!(!parts["word/_rels/document.xml.rels"].contains("comments"));
    let settings = &parts["word/settings.xml"];
    assert!(settings.contains("<w:evenAndOddHeaders"));
    // Schema order: zoom, defaultTabStop, evenAndOddHeaders, …, compat.
    let at = |el: &str| settings.find(el).unwrap_or_else(|| panic!("{el}"));
    assert!(at("<w:zoom") < at("<w:defaultTabStop"));
    assert!(at("<w:defaultTabStop") < at("<w:evenAndOddHeaders"));
    assert!(at("<w:evenAndOddHeaders") < at("<w:compat>"));
    let doc = &parts["word/document.xml"];
    let rel = |kind: &str| -> String {
        let at = doc
            .find(&format!("<w:footerReference w:type=\"{kind}\""))
            .unwrap_or_else(|| panic!("{kind} footer"));
        let el = &doc[at..at + doc[at..].find("/>").unwrap()];
        let i = el.find("r:id=\"").unwrap() + 6;
        el[i..i + el[i..].find('"').unwrap()].to_string()
    };
    let rels = &parts["word/_rels/document.xml.rels"];
    let target = |id: &str| -> String {
        let at = rels.find(&format!("Id=\"{id}\"")).unwrap();
        let el = &rels[rels[..at].rfind('<').unwrap()..];
        let el = &el[..el.find('>').unwrap()];
        let i = el.find("Target=\"").unwrap() + 8;
        format!("word/{}", &el[i..i + el[i..].find('"').unwrap()])
    };
    let odd = &parts[&target(&rel("default"))];
    let even = &parts[&target(&rel("even"))];
    for (footer, jc, indent) in [
        (odd, "right", "w:right=\"280\""),
        (even, "left", "w:left=\"280\""),
    ] {
        assert!(
            footer.contains(&format!("<w:jc w:val=\"{jc}\"")),
            "{jc}: {footer}"
        );
        assert!(footer.contains(indent));
        assert!(footer.contains("PAGE"));
        assert!(footer.contains("<w:fldChar w:fldCharType=\"begin\""));
        let text = text_of(footer);
        assert!(text.starts_with('—') && text.ends_with('—'), "{text}");
        assert!(footer.contains(r#"<w:sz w:val="28""#) && footer.contains("宋体"));
    }
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    let doc = long_circular();
    let (a, parts) = render(&doc);
    let (b, _) = render(&doc);
    assert_eq!(a, b);
    // Another renderer on another thread, after other work, agrees too.
    let other = std::thread::spawn(move || {
        let r = DocxRenderer::new(&FontSettings::default());
        let _ = r.render(&Document::default());
        r.render(&doc).unwrap()
    })
    .join()
    .unwrap();
    assert_eq!(a, other);
    let core = &parts["docProps/core.xml"];
    assert!(core.contains("2020-10-09T00:00:00Z") && !core.contains("1970"));
    assert!(core.contains("<dc:title>关于2020年度文明单位复查结果的通报</dc:title>"));
}

#[test]
fn unit_names_appear_as_themselves() {
    let (_, parts) = render(&long_circular());
    let doc = &parts["word/document.xml"];
    let all_text: String = paragraphs(doc).iter().map(|p| text_of(p)).collect();
    for unit in UNITS.iter().chain([&ODD_UNIT]) {
        assert!(all_text.contains(unit), "{unit}");
    }
    assert!(doc.contains("岳阳&lt;试点&gt;&amp;&quot;联合&quot;单位"));
}

#[test]
fn fonts_are_declared_and_configured_names_are_escaped() {
    let (_, parts) = render(&long_circular());
    let table = &parts["word/fontTable.xml"];
    for name in [
        "方正小标宋简体",
        "仿宋_GB2312",
        "黑体",
        "楷体_GB2312",
        "宋体",
        "Times New Roman",
    ] {
        assert!(
            table.contains(&format!("<w:font w:name=\"{name}\">")),
            "{name}"
        );
    }
    let fang = &table[table.find("w:name=\"仿宋_GB2312\"").unwrap()..];
    let fang = &fang[..fang.find("</w:font>").unwrap()];
    assert!(
        fang.contains(r#"<w:charset w:val="86""#) && fang.contains(r#"<w:altName w:val="仿宋""#)
    );

    let fonts = FontSettings {
        body: vec!["My \"Fang\" & Co".into()],
        ..FontSettings::default()
    };
    let bytes = DocxRenderer::new(&fonts).render(&long_circular()).unwrap();
    let parts = unzip(&bytes);
    let doc = &parts["word/document.xml"];
    assert!(doc.contains(r#"w:eastAsia="My &quot;Fang&quot; &amp; Co""#));
    assert!(!doc.contains(r#"My "Fang""#));
    assert!(parts["word/fontTable.xml"].contains(r#"w:name="My &quot;Fang&quot; &amp; Co""#));
}

#[test]
fn the_renderer_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>(_: &T) {}
    shareable(&DocxRenderer::new(&FontSettings::default()));
}

#[test]
fn missing_elements_are_simply_omitted() {
    let mut doc = long_circular();
    doc.head = None;
    doc.colophon = None;
    doc.note = None;
    doc.attachments.truncate(1);
    doc.attachment_note.truncate(1);
    let (_, parts) = render(&doc);
    let xml = &parts["word/document.xml"];
    let ps = paragraphs(xml);
    // No red head: the title opens the document.
    assert!(!xml.contains("FF0000"));
    assert!(text_of(ps[0]).starts_with("岳阳市精神文明建设指导委员会关于"));
    // One attachment: labelled 附件 without a number, the note without one.
    paragraph_with(xml, "附件");
    paragraph_with(xml, "附件：2020年度文明单位复查结果一览表");
    assert!(!xml.contains("tblpPr"), "no 版记");
    // An empty document still makes a valid package.
    let (_, empty) = render(&Document::default());
    assert!(empty["word/document.xml"].contains("<w:pgSz"));
}

#[test]
fn every_xml_part_is_well_formed() {
    use quick_xml::events::Event;
    let mut doc = long_circular();
    doc.head.as_mut().unwrap().signers = vec!["张三".into(), "李四".into(), "王五".into()];
    doc.draft = true;
    let (_, parts) = render(&doc);
    for (name, xml) in &parts {
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut depth = 0i32;
        loop {
            match reader.read_event() {
                Ok(Event::Start(e)) => {
                    depth += 1;
                    for a in e.attributes() {
                        a.unwrap_or_else(|err| panic!("{name}: {err}"));
                    }
                }
                Ok(Event::Empty(e)) => {
                    for a in e.attributes() {
                        a.unwrap_or_else(|err| panic!("{name}: {err}"));
                    }
                }
                Ok(Event::End(_)) => depth -= 1,
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(err) => panic!("{name} at {}: {err}", reader.buffer_position()),
            }
        }
        assert_eq!(depth, 0, "{name}: unbalanced elements");
    }
}
