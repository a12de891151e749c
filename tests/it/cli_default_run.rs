//! `cargo run --release` with no arguments: `fucha` alone runs `build` on
//! `input/` into `output/` of the current folder, and writes nothing else.

use crate::common;

use std::path::Path;

#[test]
fn fucha_without_arguments_builds_into_output_and_nowhere_else() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&root.join("input"), &dir.path().join("input"));
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_fucha"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let mut top: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["input", "output"], "wrote outside output/");
    let written = common::files_under(&dir.path().join("output"));
    let circulars = written
        .iter()
        .filter(|p| p.to_string_lossy().contains("复查通报"))
        .count();
    let formats = common::default_formats();
    assert_eq!(
        circulars,
        formats.len(),
        "the circular in {formats:?}: {written:?}"
    );
    assert!(written.len() >= 46, "{written:?}");
}
