use super::*;
use chrono::{NaiveDate, NaiveDateTime};

fn at(day: u32, hour: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2020, 10, day)
        .unwrap()
        .and_hms_opt(hour, 0, 0)
        .unwrap()
}

fn incoming<'a>(path: &str, bytes: &'a [u8], body: &str, units: &[(&str, &str)]) -> Incoming<'a> {
    Incoming {
        year: 2020,
        path: path.to_string(),
        bytes,
        body: Some(body.to_string()),
        rows: units.len(),
        accepted: units.len(),
        rejected: 0,
        errors: 0,
        warnings: 0,
        row_data: units
            .iter()
            .enumerate()
            .map(|(i, (unit, score))| StoredRow {
                sheet: "复查情况".into(),
                row: 3 + i as u32,
                unit: Some(unit.to_string()),
                accepted: true,
                cells: vec![
                    ("单位名称".into(), unit.to_string()),
                    ("测评得分".into(), score.to_string()),
                ],
            })
            .collect(),
    }
}

fn fresh() -> (tempfile::TempDir, Register) {
    let dir = tempfile::tempdir().unwrap();
    let register = Register::open(&dir.path().join(DEFAULT_FILE_NAME)).unwrap();
    (dir, register)
}

#[test]
fn a_new_register_has_the_current_schema_and_says_who_wrote_it() {
    let (_dir, r) = fresh();
    assert_eq!(r.schema_version().unwrap(), schema::CURRENT);
    assert!(r.written_by().unwrap().starts_with("fucha "));
}

#[test]
fn receiving_the_same_file_again_changes_nothing() {
    let (_dir, mut r) = fresh();
    let bytes = b"first version".to_vec();
    let file = incoming("报送/汨罗市.csv", &bytes, "汨罗市", &[("甲", "90")]);
    let first = r.receive(std::slice::from_ref(&file), at(10, 9)).unwrap();
    assert!(matches!(first[0], Received::New(_)));
    let again = r.receive(&[file], at(11, 9)).unwrap();
    assert_eq!(again[0], Received::Known(first[0].submission().clone()));
    assert_eq!(r.submissions(2020).unwrap().len(), 1);
    // The bytes and every row come back as received.
    let s = first[0].submission();
    assert_eq!(r.file_bytes(&s.hash).unwrap(), bytes);
    assert_eq!(
        r.rows(s.id).unwrap()[0].cells[1],
        ("测评得分".into(), "90".into())
    );
    assert_eq!(s.name, "汨罗市.csv");
}

#[test]
fn versions_order_by_time_then_by_the_name_mark() {
    let (_dir, mut r) = fresh();
    let (a, b, c) = (b"a".to_vec(), b"b".to_vec(), b"c".to_vec());
    // Dropped into the folder together: the mark decides.
    r.receive(
        &[
            incoming("汨罗市复查情况（更正）.xlsx", &b, "汨罗市", &[]),
            incoming("汨罗市复查情况.csv", &a, "汨罗市", &[]),
        ],
        at(10, 9),
    )
    .unwrap();
    // A later day beats any mark.
    r.receive(&[incoming("汨罗市.xlsx", &c, "汨罗市", &[])], at(12, 9))
        .unwrap();
    let names: Vec<String> = r
        .submissions(2020)
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(
        names,
        [
            "汨罗市复查情况.csv",
            "汨罗市复查情况（更正）.xlsx",
            "汨罗市.xlsx"
        ]
    );
}

#[test]
fn a_withdrawn_file_stays_but_no_longer_counts_from_then_on() {
    let (_dir, mut r) = fresh();
    let bytes = b"x".to_vec();
    let got = r
        .receive(&[incoming("平江县.xlsx", &bytes, "平江县", &[])], at(10, 9))
        .unwrap();
    let id = got[0].submission().id;
    let found = r.find(2020, "平江县.xlsx").unwrap();
    assert_eq!(found.id, id);
    r.withdraw(id, "误收", at(11, 9)).unwrap();
    assert_eq!(
        r.submissions(2020).unwrap().len(),
        1,
        "still in the register"
    );
    assert!(r.in_force(2020, None).unwrap().is_empty());
    assert_eq!(
        r.in_force(2020, Some(at(10, 18))).unwrap().len(),
        1,
        "it counted that day"
    );
    assert!(
        r.in_force(2020, Some(at(9, 18))).unwrap().is_empty(),
        "not received yet"
    );
}

#[test]
fn finding_a_file_by_a_name_two_files_share_is_refused_with_both_named() {
    let (_dir, mut r) = fresh();
    let (a, b) = (b"a".to_vec(), b"b".to_vec());
    r.receive(&[incoming("一/汨罗市.xlsx", &a, "汨罗市", &[])], at(10, 9))
        .unwrap();
    r.receive(&[incoming("二/汨罗市.xlsx", &b, "汨罗市", &[])], at(11, 9))
        .unwrap();
    let err = r.find(2020, "汨罗市.xlsx").unwrap_err();
    assert!(matches!(err, RegisterError::Ambiguous { .. }), "{err}");
    let hash = &r.submissions(2020).unwrap()[1].hash;
    assert_eq!(r.find(2020, &hash[..8]).unwrap().path, "二/汨罗市.xlsx");
}

#[test]
fn documents_remember_the_versions_they_were_built_from() {
    let (_dir, mut r) = fresh();
    let bytes = b"x".to_vec();
    let got = r
        .receive(&[incoming("平江县.xlsx", &bytes, "平江县", &[])], at(10, 9))
        .unwrap();
    let id = got[0].submission().id;
    let docs = [("circular".to_string(), "02-复查通报/通报.pdf".to_string())];
    r.record_documents(2020, at(12, 9), None, &docs, &[id])
        .unwrap();
    assert_eq!(r.sources_of(2020, "02-复查通报/通报.pdf").unwrap(), [id]);
}

#[test]
fn a_backup_taken_while_another_connection_writes_restores_whole() {
    let (dir, mut r) = fresh();
    let path = r.path().to_path_buf();
    let first = b"first".to_vec();
    r.receive(
        &[incoming("甲.xlsx", &first, "甲", &[("甲单位", "90")])],
        at(10, 9),
    )
    .unwrap();
    // Another process keeps writing while the backup runs.
    let writer = std::thread::spawn(move || {
        let mut other = Register::open(&path).unwrap();
        for i in 0..200 {
            let bytes = format!("file {i}").into_bytes();
            other
                .receive(
                    &[incoming(&format!("乙{i}.xlsx"), &bytes, "乙", &[])],
                    at(11, 9),
                )
                .unwrap();
        }
    });
    let backup = dir.path().join("备份.sqlite");
    r.backup_to(&backup).unwrap();
    writer.join().unwrap();
    let restored_path = dir.path().join("恢复.sqlite");
    let restored = Register::restore(&backup, &restored_path).unwrap();
    let got = restored.submissions(2020).unwrap();
    assert!(got.iter().any(|s| s.name == "甲.xlsx"));
    // Whatever the writer had committed when the backup took its snapshot
    // is whole: every file's bytes are there.
    for s in &got {
        assert!(!restored.file_bytes(&s.hash).unwrap().is_empty());
    }
}

#[test]
fn a_file_that_is_not_a_register_is_refused_before_anything_is_replaced() {
    let (dir, r) = fresh();
    let junk = dir.path().join("junk.sqlite");
    std::fs::write(&junk, b"not a database at all").unwrap();
    let err = Register::restore(&junk, r.path()).err().unwrap();
    assert!(matches!(err, RegisterError::NotARegister { .. }), "{err}");
}

#[test]
fn a_register_from_a_newer_fucha_is_refused() {
    let (_dir, r) = fresh();
    let path = r.path().to_path_buf();
    r.conn
        .pragma_update(None, "user_version", schema::CURRENT + 1)
        .unwrap();
    drop(r);
    let err = Register::open(&path).err().unwrap();
    assert!(matches!(err, RegisterError::TooNew { .. }), "{err}");
    assert!(err.to_string().contains("请升级 fucha"), "{err}");
}
