//! The spot-check draw: reproducible from roster, results and seed, never
//! drawing 市直 units, and recorded in a document anyone can check.

use crate::compose_fixture;

use compose_fixture::*;
use fucha::compose::Templates;
use fucha::compose::{DocumentKind, sample_list};
use fucha::sample::{CITY_LEVEL, draw, draw_record};
use std::collections::BTreeSet;

#[test]
fn the_same_inputs_and_seed_give_the_same_draw_whatever_the_input_order() {
    let roster = roster();
    let results = clean_batch(&roster).results;
    let first = draw(&roster, &results, 3, 20201009);
    assert_eq!(first.len(), 3);
    assert_eq!(first, draw(&roster, &results, 3, 20201009));
    let mut reversed = results.clone();
    reversed.reverse();
    assert_eq!(first, draw(&roster, &reversed, 3, 20201009));
}

#[test]
fn only_county_reviewed_units_are_drawn_each_at_most_once() {
    let roster = roster();
    let results = clean_batch(&roster).results;
    let county: BTreeSet<&str> = results
        .iter()
        .filter(|r| r.jurisdiction != CITY_LEVEL)
        .map(|r| r.unit.as_str())
        .collect();
    for seed in 0..50 {
        let picks = draw(&roster, &results, 4, seed);
        let names: BTreeSet<&str> = picks.iter().map(|p| p.unit.as_str()).collect();
        assert_eq!(names.len(), 4, "a unit drawn twice with seed {seed}");
        assert!(names.is_subset(&county), "seed {seed}: {names:?}");
        let orders: Vec<usize> = picks.iter().map(|p| p.order).collect();
        assert_eq!(orders, [1, 2, 3, 4]);
    }
    // Asking for more than there are draws them all.
    let all = draw(&roster, &results, 100, 1);
    assert_eq!(all.len(), county.len());
}

#[test]
fn different_seeds_give_different_draws() {
    let roster = roster();
    let results = clean_batch(&roster).results;
    let draws: BTreeSet<Vec<String>> = (0..20)
        .map(|seed| {
            draw(&roster, &results, 3, seed)
                .into_iter()
                .map(|p| p.unit)
                .collect()
        })
        .collect();
    assert!(
        draws.len() > 5,
        "only {} distinct draws from 20 seeds",
        draws.len()
    );
}

#[test]
fn the_candidate_numbers_point_into_the_canonically_sorted_list() {
    let roster = roster();
    let results = clean_batch(&roster).results;
    let record = draw_record(&roster, &results, 3, 42);
    let mut sorted: Vec<(&str, &str)> = results
        .iter()
        .filter(|r| r.jurisdiction != CITY_LEVEL)
        .map(|r| (r.jurisdiction.as_str(), r.unit.as_str()))
        .collect();
    sorted.sort();
    assert_eq!(record.candidates, sorted.len());
    for p in &record.picks {
        assert_eq!(sorted[p.candidate_no - 1].1, p.unit);
    }
}

#[test]
fn the_draw_document_records_seed_candidates_method_and_picks() {
    let roster = roster();
    let results = clean_batch(&roster).results;
    let record = draw_record(&roster, &results, 3, 20201009);
    let templates = Templates::load(None).unwrap();
    let doc = sample_list(&record, &roster, &results, &campaign(), &templates).unwrap();
    assert_eq!(doc.kind, DocumentKind::Sample);
    assert!(doc.path.display().to_string().starts_with("07-随机抽查/"));
    let body = text(&doc.document);
    // The seed and the method, so anyone can repeat the draw (the
    // wording around them is in the snapshot).
    assert!(body.contains("20201009"), "{body}");
    assert!(body.contains("ChaCha20"));
    assert!(body.contains("Fisher–Yates"));
    let t = tables(&doc.document);
    let picked: Vec<&str> = t[0].rows.iter().map(|r| r[2].as_str()).collect();
    let expected: Vec<&str> = record.picks.iter().map(|p| p.unit.as_str()).collect();
    assert_eq!(picked, expected);
    // The candidate list is attached, so the draw can be repeated by hand.
    assert_eq!(t[1].rows.len(), record.candidates);
    assert!(body.contains(TRICKY));
}
