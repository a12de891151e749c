//! The synthetic campaign generator: what it writes is a campaign `check`
//! reads back with every unit, every body and every planted mistake.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use fucha::campaign::Campaign;
use fucha::check::check_paths;
use fucha::diag::Severity;
use fucha::roster::Roster;
use fucha::synth::{Spec, default_campaign, generate, write_campaign};

fn small_spec(seed: u64) -> Spec {
    let mut spec = Spec::new(420, 7, seed);
    spec.faulty_share = 0.05;
    spec.reform_share = 0.2;
    spec
}

fn files_under(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    out
}

#[test]
// Long on purpose: one synthetic campaign checked once, then every kind of
// planted mistake counted against what the generator says it planted.
fn check_reads_back_every_unit_body_and_planted_mistake() {
    let dir = tempfile::tempdir().unwrap();
    let spec = small_spec(7);
    let summary = write_campaign(&spec, dir.path()).unwrap();
    assert_eq!(summary.units, 420);
    assert_eq!(summary.bodies, 7);

    let campaign = Campaign::load(&summary.config).unwrap();
    let roster = Roster::load(&campaign.roster).unwrap();
    assert_eq!(roster.units().len(), 420);
    let bodies: BTreeSet<&str> = roster
        .units()
        .iter()
        .map(|u| u.jurisdiction.as_str())
        .collect();
    assert_eq!(bodies.len(), 7);
    let names: BTreeSet<&str> = roster.units().iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names.len(), 420, "unit names are unique");
    for u in roster.units() {
        assert!(
            u.name.contains(&u.jurisdiction),
            "{} names its body",
            u.name
        );
    }
    let reformed = roster.units().iter().filter(|u| u.reform).count();
    assert_eq!(reformed, summary.reformed);
    assert!(
        (40..130).contains(&reformed),
        "about 20% reformed: {reformed}"
    );

    let workbooks: Vec<PathBuf> = std::fs::read_dir(&campaign.intake)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(workbooks.len(), 7);
    let batch = check_paths(&workbooks, &roster, &campaign);
    assert!(
        batch.missing_bodies.is_empty(),
        "{:?}",
        batch.missing_bodies
    );
    let rows: usize = batch.files.iter().map(|f| f.rows).sum();
    assert_eq!(rows, 420, "every unit has its row");

    // The planted mistakes are exactly what check finds, unit by unit.
    let synthetic = generate(&spec, &default_campaign().unwrap()).unwrap();
    assert_eq!(synthetic.faulty_rows(), summary.faulty_rows);
    assert!(
        summary.faulty_rows >= 8,
        "about 5% faulty: {}",
        summary.faulty_rows
    );
    let planted: BTreeMap<&str, _> = synthetic
        .intakes
        .iter()
        .flat_map(|b| b.faults.iter().map(|(u, f)| (u.as_str(), f.code())))
        .collect();
    let mut found: BTreeMap<&str, Vec<_>> = BTreeMap::new();
    for d in &batch.diagnostics {
        let unit = d
            .unit
            .as_deref()
            .unwrap_or_else(|| panic!("unplanted: {d:?}"));
        found.entry(unit).or_default().push(d.code);
    }
    assert_eq!(
        found.keys().collect::<Vec<_>>(),
        planted.keys().collect::<Vec<_>>(),
        "diagnostics only for the faulty rows"
    );
    for (unit, code) in &planted {
        assert!(
            found[unit].contains(code),
            "{unit}: expected {code}, got {:?}",
            found[unit]
        );
    }
    let errors = batch
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    assert!(errors > 0);
    assert_eq!(
        batch.results.len() + batch.files.iter().map(|f| f.rejected).sum::<usize>(),
        420
    );
}

#[test]
fn the_same_seed_writes_the_same_bytes_and_another_seed_does_not() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    write_campaign(&small_spec(3), a.path()).unwrap();
    write_campaign(&small_spec(3), b.path()).unwrap();
    write_campaign(&small_spec(4), c.path()).unwrap();
    let (fa, fb, fc) = (
        files_under(a.path()),
        files_under(b.path()),
        files_under(c.path()),
    );
    assert_eq!(fa.len(), 9, "config, roster and 7 workbooks");
    assert!(fa == fb, "same seed, same bytes");
    assert_ne!(
        fa.get(Path::new("复查单位名单.xlsx")),
        fc.get(Path::new("复查单位名单.xlsx"))
    );
}

#[test]
fn sizes_beyond_the_name_tables_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    assert!(write_campaign(&Spec::new(10_000, 2, 1), dir.path()).is_err());
    assert!(write_campaign(&Spec::new(10, 0, 1), dir.path()).is_err());
    let mut spec = Spec::new(10, 2, 1);
    spec.faulty_share = 1.5;
    assert!(write_campaign(&spec, dir.path()).is_err());
}
