//! Reading the roster while the workbooks are decoded gives the same batch
//! as reading it first, and a bad roster still stops the run.

use fucha::check::report;
use fucha::pipeline::{Context, PipelineError};
use std::path::Path;

fn config() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("input/fucha.toml")
}

#[test]
fn overlapped_roster_reading_gives_the_same_report() {
    let ctx = Context::load(&config(), None).unwrap();
    let first = ctx.check(&[]);
    let (loaded, overlapped) = Context::load_and_check(&config(), None, &[]).unwrap();
    assert_eq!(loaded.roster.units().len(), 111);
    assert_eq!(
        overlapped.results.len(),
        111,
        "every unit of the default data reported"
    );
    assert_eq!(report::to_json(&overlapped), report::to_json(&first));
    assert_eq!(report::to_text(&overlapped), report::to_text(&first));
}

#[test]
fn a_missing_roster_is_reported_not_checked_around() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("没有这个名单.xlsx");
    let err = Context::load_and_check(&config(), Some(&missing), &[])
        .err()
        .expect("a missing roster fails");
    assert!(matches!(err, PipelineError::Roster(_)), "{err}");
    // What the clerk reads: the error and its causes on one line.
    let line = fucha::diag::error_chain(&err);
    assert!(line.contains("没有这个名单.xlsx"), "{line}");
}
