//! Rectification notices (整改通知书) as issued: each unit's notice number,
//! date and deadline, so that its follow-up (整改落实情况) is judged against
//! the deadline the unit was given, whatever the clock or the config says
//! later. A build issues the notices and records them here; the follow-up
//! workbooks themselves are received like any other file
//! ([`Register::receive`]) under a body of their own.

use super::{Register, RegisterError};
use chrono::NaiveDate;
use rusqlite::params;

/// One rectification notice as issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RectificationNotice {
    /// Its running number among the season's notices (the `{n}` of its 文号).
    pub seq: usize,
    /// The unit's roster name.
    pub unit: String,
    /// The unit's reporting body.
    pub jurisdiction: String,
    /// The review outcome that called for it (限期整改, 通报批评, …).
    pub outcome: String,
    /// Its 发文字号 (empty when the config gives none).
    pub number: String,
    /// Its 成文日期.
    pub issued: NaiveDate,
    /// The day by which the unit must have rectified.
    pub deadline: NaiveDate,
    /// 存在问题, as the notice lists them.
    pub problems: String,
    /// 整改意见, as the notice states them.
    pub requirements: String,
}

const DATE: &str = "%Y-%m-%d";

impl Register {
    /// Records the notices a build issued for `year`, replacing those of an
    /// earlier build of the same year (a unit whose corrected result no
    /// longer calls for a notice loses its notice), in one transaction.
    pub fn record_rectification_notices(
        &mut self,
        year: i32,
        notices: &[RectificationNotice],
    ) -> Result<(), RegisterError> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM rectification_notices WHERE year = ?1",
                params![year],
            )?;
            for n in notices {
                tx.execute(
                    "INSERT INTO rectification_notices (year, seq, unit, jurisdiction, outcome,
                         number, issued, deadline, problems, requirements)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    params![
                        year,
                        n.seq as i64,
                        n.unit,
                        n.jurisdiction,
                        n.outcome,
                        n.number,
                        n.issued.format(DATE).to_string(),
                        n.deadline.format(DATE).to_string(),
                        n.problems,
                        n.requirements,
                    ],
                )?;
            }
            Ok(())
        })
    }

    /// The notices recorded for `year`, in the order they were numbered.
    pub fn rectification_notices(
        &self,
        year: i32,
    ) -> Result<Vec<RectificationNotice>, RegisterError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT seq, unit, jurisdiction, outcome, number, issued, deadline, problems,
                        requirements
                 FROM rectification_notices WHERE year = ?1 ORDER BY seq, unit",
            )
            .map_err(|e| self.db(e))?;
        let date = |row: &rusqlite::Row<'_>, i: usize| -> rusqlite::Result<NaiveDate> {
            let text: String = row.get(i)?;
            NaiveDate::parse_from_str(&text, DATE).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    i,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })
        };
        stmt.query_map(params![year], |row| {
            Ok(RectificationNotice {
                seq: row.get::<_, i64>(0)? as usize,
                unit: row.get(1)?,
                jurisdiction: row.get(2)?,
                outcome: row.get(3)?,
                number: row.get(4)?,
                issued: date(row, 5)?,
                deadline: date(row, 6)?,
                problems: row.get(7)?,
                requirements: row.get(8)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| self.db(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(seq: usize, unit: &str, deadline: &str) -> RectificationNotice {
        RectificationNotice {
            seq,
            unit: unit.to_string(),
            jurisdiction: "汨罗市".to_string(),
            outcome: "限期整改".to_string(),
            number: format!("岳市文明办函〔2020〕{seq}号"),
            issued: NaiveDate::from_ymd_opt(2020, 11, 9).unwrap(),
            deadline: deadline.parse().unwrap(),
            problems: "台账不全".to_string(),
            requirements: "补齐台账".to_string(),
        }
    }

    #[test]
    fn a_later_build_replaces_the_years_notices_and_keeps_their_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut register = Register::open(&dir.path().join("r.sqlite")).unwrap();
        let first = [
            notice(2, "乙单位", "2020-12-09"),
            notice(1, "甲单位", "2020-12-09"),
        ];
        register.record_rectification_notices(2020, &first).unwrap();
        let read = register.rectification_notices(2020).unwrap();
        assert_eq!(read, vec![first[1].clone(), first[0].clone()]);
        // The corrected season: 甲 passed, 丙 is new.
        let second = [
            notice(1, "乙单位", "2020-12-10"),
            notice(2, "丙单位", "2020-12-10"),
        ];
        register
            .record_rectification_notices(2020, &second)
            .unwrap();
        assert_eq!(
            register.rectification_notices(2020).unwrap(),
            second.to_vec()
        );
        assert!(register.rectification_notices(2021).unwrap().is_empty());
    }
}
