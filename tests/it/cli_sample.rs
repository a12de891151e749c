//! `fucha sample`: the city's spot-check draw, reproducible by anyone. The
//! same seed gives the same units and the same files; the seed is printed in
//! the document; only county-reviewed units (not 市直) can be drawn.

use crate::common;

use common::{docx_tables, docx_text, files_under, fucha, pdf_text, repo, run, snapshot, squash};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const CITY_BODY: &str = "市直";

/// Draws on a copy of the default data: `sample` records its draw in the
/// register, and a draw recorded in `input/`'s own register would become
/// the draw in force for every other test that reads the default data.
fn sample(seed: u64, out: &Path) -> String {
    let season = tempfile::tempdir().unwrap();
    sample_in(&season_copy(season.path()), seed, out)
}

/// A copy of the default data (no register) in `dir`; its `input` folder.
fn season_copy(dir: &Path) -> PathBuf {
    let input = dir.join("input");
    common::copy_dir(&repo().join("input"), &input);
    input
}

/// Draws 5 units with `seed` in the season at `input`, writing to `out`.
fn sample_in(input: &Path, seed: u64, out: &Path) -> String {
    let r = run(fucha()
        .args([
            "sample",
            "--count",
            "5",
            "--seed",
            &seed.to_string(),
            "--out",
        ])
        .arg(out)
        .arg("--config")
        .arg(input.join("fucha.toml")));
    assert_eq!(r.code, Some(0), "{}\n{}", r.stdout, r.stderr);
    r.stdout
}

fn written(out: &Path, ext: &str) -> PathBuf {
    let found: Vec<_> = files_under(out)
        .into_iter()
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some(ext))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    out.join(&found[0])
}

/// The rows of the table whose header has `label`, as (单位名称, 所属县市区).
fn units_in_table(docx: &Path, label: &str) -> Vec<(String, String)> {
    let table = docx_tables(docx)
        .into_iter()
        .find(|t| t[0].iter().any(|c| c == label))
        .unwrap_or_else(|| panic!("no table with {label}"));
    let at = |l: &str| table[0].iter().position(|c| c == l).unwrap();
    let (name, body) = (at("单位名称"), at("所属县市区"));
    table[1..]
        .iter()
        .map(|r| (r[name].clone(), r[body].clone()))
        .collect()
}

#[test]
fn the_same_seed_gives_the_same_draw_and_identical_files() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    // Two offices with the same data, each drawing in its own season folder.
    let (season_a, season_b) = (
        season_copy(&dir.path().join("season-a")),
        season_copy(&dir.path().join("season-b")),
    );
    let first = sample_in(&season_a, 42, &a);
    let second = sample_in(&season_b, 42, &b);
    // The same words, once each run's own output folder and register are
    // named alike; each run says it recorded the draw in its own register.
    let listing = |s: &str, out: &Path, season: &Path| -> String {
        let register = season.join(fucha::register::DEFAULT_FILE_NAME);
        let register = register.display().to_string();
        assert!(
            s.contains(&format!("本次抽取已记入复查登记簿 {register}；")),
            "{s}"
        );
        s.replace(&register, "<登记簿>")
            .replace(&out.display().to_string(), "<out>")
    };
    assert_eq!(
        listing(&first, &a, &season_a),
        listing(&second, &b, &season_b)
    );
    let (sa, sb) = (snapshot(&a), snapshot(&b));
    let formats = common::default_formats();
    assert_eq!(
        sa.len(),
        formats.len(),
        "one file per format of {formats:?}: {:?}",
        sa.keys()
    );
    assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
    for (path, bytes) in &sa {
        assert!(sb[path] == *bytes, "{path:?} differs between two runs");
    }

    // Another seed draws other units: the seed is what decides.
    let c = dir.path().join("c");
    sample(43, &c);
    let picks = |out: &Path| units_in_table(&written(out, "docx"), "候选编号");
    assert_ne!(picks(&a), picks(&c));
}

#[test]
fn the_document_records_the_seed_and_draws_only_county_reviewed_units() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let seed = 42;
    let stdout = sample(seed, &out);
    let docx = written(&out, "docx");
    let pdf = written(&out, "pdf");
    let docx_all = squash(&docx_text(&docx));
    let pdf_all = squash(&pdf_text(&pdf));
    for text in [&docx_all, &pdf_all] {
        let recorded = text.match_indices("种子").any(|(at, _)| {
            text[at..]
                .chars()
                .skip(2)
                .take(4)
                .collect::<String>()
                .contains(&seed.to_string())
        });
        assert!(recorded, "seed {seed} not recorded next to 种子");
    }

    // The draw agrees with the library's, from the same data.
    let ctx = fucha::pipeline::Context::load(&repo().join("input/fucha.toml"), None).unwrap();
    let batch = ctx.check(&[]);
    let draw = fucha::sample::draw_record(&ctx.roster, &batch.results, 5, seed);
    let picks = units_in_table(&docx, "候选编号");
    assert_eq!(picks.len(), 5);
    let expected: Vec<(String, String)> = draw
        .picks
        .iter()
        .map(|p| (p.unit.clone(), p.jurisdiction.clone()))
        .collect();
    assert_eq!(picks, expected);
    for (name, body) in &picks {
        assert_ne!(body, CITY_BODY, "{name} is a 市直 unit");
        let unit = ctx.roster.lookup(name).expect("a roster unit");
        assert_eq!(&unit.jurisdiction, body);
        assert!(stdout.contains(name.as_str()), "stdout lacks {name}");
        assert!(
            pdf_all.contains(&squash(name)) || {
                let cols = squash(&common::pdf_text_by_columns(&pdf));
                cols.contains(&squash(name))
            },
            "PDF lacks {name}"
        );
    }

    // The candidate list in the attachment: every county-reviewed unit with
    // a result, and no 市直 unit.
    let candidates: BTreeSet<(String, String)> =
        units_in_table(&docx, "编号").into_iter().collect();
    let expected: BTreeSet<(String, String)> = batch
        .results
        .iter()
        .filter(|r| r.jurisdiction != CITY_BODY)
        .map(|r| (r.unit.clone(), r.jurisdiction.clone()))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(candidates, expected);
    assert_eq!(draw.candidates, expected.len());
    assert!(docx_all.contains(&format!("候选单位{}个", expected.len())));
}
