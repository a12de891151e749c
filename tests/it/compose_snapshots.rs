//! Every kind of document of the hand-made season, as a snapshot of its
//! document model (`compose_fixture::outline`). The wording of the
//! templates lives here, reviewed in the diff (`cargo insta review`, or
//! read the `.snap.new` files beside the snapshots); the other compose
//! tests assert what the data must make true, whatever the wording.

use crate::compose_fixture::*;
use fucha::compose::{DocumentKind, Templates, document_set, sample_list};
use fucha::sample::draw_record;

fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots");
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s
}

/// One snapshot per document, named after its kind and file.
fn assert_documents(set: &fucha::compose::DocumentSet, kinds: &[DocumentKind]) {
    for kind in kinds {
        let docs: Vec<_> = set.documents.iter().filter(|d| d.kind == *kind).collect();
        assert!(!docs.is_empty(), "no {kind:?} in the set");
        for (i, d) in docs.iter().enumerate() {
            let name = format!("{}-{}", kind.key(), i + 1);
            let text = format!("{}\n\n{}", d.path.display(), outline(&d.document));
            snapshot_settings().bind(|| insta::assert_snapshot!(name, text));
        }
    }
}

#[test]
fn a_season_with_errors_drafted() {
    let roster = roster();
    let batch = batch_with_errors(&roster);
    let templates = Templates::load(None).unwrap();
    let set = document_set(&batch, &roster, &campaign(), &templates, true).unwrap();
    assert_documents(
        &set,
        &[
            DocumentKind::Validation,
            DocumentKind::Notice,
            DocumentKind::Circular,
            DocumentKind::Summary,
            DocumentKind::Provincial,
            DocumentKind::Rectification,
            DocumentKind::Feedback,
        ],
    );
}

#[test]
fn a_clean_season_validation_report() {
    let roster = roster();
    let batch = clean_batch(&roster);
    let templates = Templates::load(None).unwrap();
    let set = document_set(&batch, &roster, &campaign(), &templates, false).unwrap();
    let v = set
        .documents
        .iter()
        .find(|d| d.kind == DocumentKind::Validation)
        .unwrap();
    let text = format!("{}\n\n{}", v.path.display(), outline(&v.document));
    snapshot_settings().bind(|| insta::assert_snapshot!("validation-clean", text));
}

#[test]
fn a_spot_check_list() {
    let roster = roster();
    let results = clean_batch(&roster).results;
    let draw = draw_record(&roster, &results, 3, 20201009);
    let templates = Templates::load(None).unwrap();
    let doc = sample_list(&draw, &roster, &results, &campaign(), &templates).unwrap();
    let text = format!("{}\n\n{}", doc.path.display(), outline(&doc.document));
    snapshot_settings().bind(|| insta::assert_snapshot!("sample-1", text));
}
