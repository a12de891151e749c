use super::*;
use crate::check::ReadRow;
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
        // Leaked: a test's few rows, so the helper can lend them out.
        row_data: units
            .iter()
            .enumerate()
            .map(|(i, (unit, score))| ReadRow {
                sheet: "复查情况".into(),
                row: 3 + i as u32,
                unit: Some(unit.to_string()),
                accepted: true,
                cells: vec![
                    ("单位名称".into(), unit.to_string()),
                    ("测评得分".into(), score.to_string()),
                ],
            })
            .collect::<Vec<_>>()
            .leak(),
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
fn connections_creating_one_new_register_at_once_all_open_it_and_all_writes_land() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DEFAULT_FILE_NAME);
    let start = std::sync::Barrier::new(4);
    std::thread::scope(|scope| {
        for i in 0..4u32 {
            let (path, start) = (&path, &start);
            scope.spawn(move || {
                start.wait();
                let mut r = Register::open(path).unwrap();
                let bytes = format!("file {i}").into_bytes();
                let name = format!("报送/{i}.csv");
                let file = incoming(&name, &bytes, &format!("县{i}"), &[("甲", "90")]);
                r.receive(&[file], at(10, 9 + i)).unwrap();
            });
        }
    });
    let r = Register::open(&path).unwrap();
    assert_eq!(r.schema_version().unwrap(), schema::CURRENT);
    assert_eq!(r.submissions(2020).unwrap().len(), 4);
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

/// Receives into a register of an older schema: today's `receive` reads
/// back the columns schema 7 added, so they are there for the receipt and
/// dropped after it, leaving the older schema's tables with a file in them.
fn receive_as_old(
    old: &mut Register,
    files: &[Incoming<'_>],
    at: chrono::NaiveDateTime,
) -> Vec<Received> {
    const RETURNED: [&str; 3] = ["returned_at", "returned_by", "returned_note"];
    for column in RETURNED {
        old.conn
            .execute_batch(&format!("ALTER TABLE submissions ADD COLUMN {column} TEXT"))
            .unwrap();
    }
    let received = old.receive(files, at).unwrap();
    for column in RETURNED {
        old.conn
            .execute_batch(&format!("ALTER TABLE submissions DROP COLUMN {column}"))
            .unwrap();
    }
    received
}

#[test]
fn a_register_of_the_first_schema_is_migrated_on_open_with_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DEFAULT_FILE_NAME);
    {
        // A register as the first schema wrote it, with a file in it.
        let conn = rusqlite::Connection::open(&path).unwrap();
        let mut old = Register {
            conn,
            path: path.clone(),
        };
        old.configure().unwrap();
        schema::migrate_to(&mut old, 1).unwrap();
        assert_eq!(old.schema_version().unwrap(), 1);
        let bytes = b"v1 file".to_vec();
        receive_as_old(
            &mut old,
            &[incoming("平江县.xlsx", &bytes, "平江县", &[("甲", "90")])],
            at(10, 9),
        );
    }
    let r = Register::open(&path).unwrap();
    assert_eq!(r.schema_version().unwrap(), schema::CURRENT);
    let s = &r.submissions(2020).unwrap()[0];
    assert_eq!(r.file_bytes(&s.hash).unwrap(), b"v1 file");
    assert_eq!(r.rows(s.id).unwrap().len(), 1);
    // The second schema's tables are there and usable.
    assert!(r.history("甲").unwrap().is_none());
}

#[test]
fn documents_recorded_by_the_second_schema_keep_their_sources_after_the_third() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DEFAULT_FILE_NAME);
    let id = {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let mut old = Register {
            conn,
            path: path.clone(),
        };
        old.configure().unwrap();
        schema::migrate_to(&mut old, 2).unwrap();
        let bytes = b"v2 file".to_vec();
        let received = receive_as_old(
            &mut old,
            &[incoming("平江县.xlsx", &bytes, "平江县", &[])],
            at(10, 9),
        );
        let id = received[0].submission().id;
        // Two builds as the second schema recorded them: sources per document.
        for built in ["2020-10-11T09:00:00.000000", "2020-10-12T09:00:00.000000"] {
            for path in ["02-复查通报/通报.pdf", "02-复查通报/通报.docx"] {
                old.conn
                    .execute(
                        "INSERT INTO documents (year, kind, path, built_at) VALUES (2020, 'circular', ?1, ?2)",
                        rusqlite::params![path, built],
                    )
                    .unwrap();
                let d = old.conn.last_insert_rowid();
                old.conn
                    .execute(
                        "INSERT INTO document_sources VALUES (?1, ?2)",
                        rusqlite::params![d, id],
                    )
                    .unwrap();
            }
        }
        id
    };
    let r = Register::open(&path).unwrap();
    assert_eq!(r.schema_version().unwrap(), schema::CURRENT);
    assert_eq!(r.sources_of(2020, "02-复查通报/通报.pdf").unwrap(), [id]);
    let builds: i64 = r
        .conn
        .query_row("SELECT count(*) FROM builds", [], |row| row.get(0))
        .unwrap();
    assert_eq!(builds, 2);
}

mod units {
    use super::*;
    use crate::diag::RowRef;
    use crate::review::{HonourLevel, Method, Outcome, ReviewResult};
    use crate::roster::{Roster, Unit};

    fn unit(name: &str, aliases: &[&str], level: HonourLevel, year: i32) -> Unit {
        Unit {
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            level,
            award_year: year,
            jurisdiction: "岳阳楼区".into(),
            reform: false,
            remarks: String::new(),
        }
    }

    fn result(unit: &Unit, outcome: Outcome, note: &str) -> ReviewResult {
        ReviewResult {
            unit: unit.name.clone(),
            jurisdiction: unit.jurisdiction.clone(),
            level: unit.level,
            award_year: unit.award_year,
            review_date: NaiveDate::from_ymd_opt(2020, 9, 10).unwrap(),
            methods: vec![Method::ALL[0]],
            score: 90.0,
            satisfaction: Some(95.0),
            negative_list: String::new(),
            problems: String::new(),
            rectification: String::new(),
            outcome,
            reform: !note.is_empty(),
            reform_note: note.into(),
            remarks: String::new(),
            origin: RowRef {
                file: "岳阳楼区.xlsx".into(),
                sheet: "复查情况".into(),
                row: 3,
            },
        }
    }

    fn cycle() -> ReviewCycle {
        ReviewCycle::from([(HonourLevel::National, 3), (HonourLevel::Provincial, 2)])
    }

    #[test]
    fn a_season_recorded_gives_each_unit_its_history_and_next_years_roster() {
        let (_dir, mut r) = fresh();
        let old_office = unit("岳阳楼区国家税务局", &[], HonourLevel::Provincial, 2014);
        let merged = unit(
            "国家税务总局岳阳楼区税务局",
            &["岳阳楼区税务局"],
            HonourLevel::Provincial,
            2018,
        );
        let court = unit("岳阳楼区人民法院", &[], HonourLevel::National, 2017);
        let revoked = unit("岳阳楼区水利局", &[], HonourLevel::Provincial, 2016);
        let roster = Roster::from_units(vec![
            old_office.clone(),
            merged.clone(),
            court.clone(),
            revoked.clone(),
        ]);
        let results = [
            result(
                &merged,
                Outcome::Pass,
                "2018年国地税合并：岳阳楼区国家税务局与地方税务局合并组建",
            ),
            result(&court, Outcome::Pass, ""),
            result(&revoked, Outcome::Revoke, ""),
        ];
        r.record_season(2020, &roster, &results).unwrap();
        // Recording the season again changes nothing.
        r.record_season(2020, &roster, &results).unwrap();

        let h = r
            .history("岳阳楼区税务局")
            .unwrap()
            .expect("found by its alias");
        assert_eq!(h.name, "国家税务总局岳阳楼区税务局");
        assert_eq!(h.formerly.len(), 1);
        assert_eq!(h.formerly[0].0, "岳阳楼区国家税务局");
        assert_eq!(h.seasons.len(), 1);
        assert_eq!(h.seasons[0].result.as_ref().unwrap().outcome, "复查合格");
        let old = r.history("岳阳楼区国家税务局").unwrap().unwrap();
        assert_eq!(
            old.succeeded_by,
            [("国家税务总局岳阳楼区税务局".to_string(), 2020)]
        );

        // 2022: provincial units named 2018 are due (4 years on a 2-year
        // cycle); the merged-away office and the revoked unit are not; the
        // national court (2017) is not on its 3-year cycle until 2023.
        let due: Vec<String> = r
            .units_due(2022, &cycle())
            .unwrap()
            .into_iter()
            .map(|u| u.name)
            .collect();
        assert_eq!(due, ["国家税务总局岳阳楼区税务局"]);
        let due: Vec<String> = r
            .units_due(2023, &cycle())
            .unwrap()
            .into_iter()
            .map(|u| u.name)
            .collect();
        assert_eq!(due, ["岳阳楼区人民法院"]);
        let due = r.units_due(2022, &cycle()).unwrap();
        assert_eq!(due[0].aliases, ["岳阳楼区税务局"]);
    }
}
