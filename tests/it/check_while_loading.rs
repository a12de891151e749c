//! Reading the roster while the workbooks are decoded gives the same batch
//! as reading it first, and a bad roster still stops the run.

use crate::common;

use fucha::check::report;
use fucha::pipeline::{Context, PipelineError};
use std::path::Path;

fn config() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("input/fucha.toml")
}

#[test]
fn overlapped_roster_reading_gives_the_same_report() {
    // On a copy of input/: reading the intake folder enters its files (and
    // the spot check's draw) into the register beside the config.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    common::copy_dir(&common::repo().join("input"), &input);
    let config = input.join("fucha.toml");

    // The county files, named: the roster read first, then while decoding.
    let ctx = Context::load(&config, None).unwrap();
    let intake = vec![ctx.campaign.intake.clone()];
    let first = ctx.check(&intake);
    let (loaded, overlapped) = Context::load_and_check(&config, None, &intake).unwrap();
    assert_eq!(loaded.roster.units().len(), 111);
    assert_eq!(
        overlapped.results.len(),
        111,
        "every unit of the default data reported"
    );
    assert_eq!(report::to_json(&overlapped), report::to_json(&first));
    assert_eq!(report::to_text(&overlapped), report::to_text(&first));

    // The season as `check` and `build` read it (no paths: through the
    // register): the same county report, with the inspectors' workbooks of
    // the spot-check folder after the county files and their findings in
    // force in place of the county's results.
    let (season_ctx, season) = Context::load_and_check(&config, None, &[]).unwrap();
    assert!(season_ctx.recorded.is_some(), "read through the register");
    let spot_files = fucha::check::spot::spot_files(&ctx.campaign.spot_checks);
    assert!(!spot_files.is_empty(), "the default data has a spot check");
    let is_spot = |path: &str| spot_files.iter().any(|p| p.to_string_lossy() == path);
    let county = season.files.len() - spot_files.len();
    assert_eq!(season.files[..county], first.files[..]);
    assert!(season.files[county..].iter().all(|f| is_spot(&f.path)));
    let (spot_diagnostics, county_diagnostics): (Vec<_>, Vec<_>) = season
        .diagnostics
        .iter()
        .partition(|d| d.file.as_deref().is_some_and(is_spot));
    assert_eq!(
        county_diagnostics,
        first.diagnostics.iter().collect::<Vec<_>>()
    );
    let spot = season.spot_check.as_ref().expect("the spot check applied");
    assert_eq!(season.results.len(), first.results.len());
    for (read, county) in season.results.iter().zip(&first.results) {
        assert_eq!(read.unit, county.unit);
        let finding = spot
            .units
            .iter()
            .find(|u| u.unit == county.unit)
            .and_then(|u| u.city.as_ref());
        assert_eq!(read, finding.unwrap_or(county), "{}", county.unit);
    }
    // The demo's spot check (examples/demo_input.rs): 10 units drawn with
    // seed 20201020, all inspected; the one finding that differs from the
    // county's is the one warning.
    assert_eq!(spot.seed, 20201020);
    assert_eq!(spot.units.len(), 10);
    assert!(spot.units.iter().all(|u| u.city.is_some()), "{spot:?}");
    let differs: Vec<_> = spot.discrepancies().map(|u| u.unit.as_str()).collect();
    assert_eq!(differs, ["湖南移动临湘市分公司"]);
    assert_eq!(spot_diagnostics.len(), 1, "{spot_diagnostics:?}");
    let warning = spot_diagnostics[0];
    assert_eq!(warning.code.as_str(), "spot-outcome-differs");
    assert_eq!(warning.severity, fucha::diag::Severity::Warning);
    assert_eq!(warning.unit.as_deref(), Some("湖南移动临湘市分公司"));
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
