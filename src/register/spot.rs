//! Spot-check draws (随机抽查): each draw `fucha sample` made, with its seed,
//! method and the units drawn, so that the inspectors' findings are held
//! against the draw in force and anyone can repeat it from the seed.

use super::{Register, RegisterError};
use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, params};

/// The time format of the register (as in `submissions`): sorts as text.
const TIME: &str = "%Y-%m-%dT%H:%M:%S%.6f";

/// One unit of a draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawnUnit {
    /// 1-based position in the draw.
    pub position: usize,
    /// The roster name.
    pub unit: String,
    /// The reporting body that reviewed it.
    pub jurisdiction: String,
}

/// A draw as the register keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedDraw {
    /// The campaign year.
    pub year: i32,
    /// The seed given.
    pub seed: u64,
    /// How the draw is made, in words.
    pub method: String,
    /// How many candidates there were.
    pub candidates: usize,
    /// When it was drawn (the office's local time).
    pub drawn_at: NaiveDateTime,
    /// The units drawn, in draw order.
    pub units: Vec<DrawnUnit>,
}

impl Register {
    /// Records a draw, in one transaction.
    pub fn record_draw(&mut self, draw: &RecordedDraw) -> Result<(), RegisterError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO spot_draws (year, seed, method, candidates, drawn_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    draw.year,
                    draw.seed.to_string(),
                    draw.method,
                    draw.candidates as i64,
                    draw.drawn_at.format(TIME).to_string(),
                ],
            )?;
            let id = tx.last_insert_rowid();
            for u in &draw.units {
                tx.execute(
                    "INSERT INTO spot_draw_units (draw_id, position, unit, jurisdiction)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![id, u.position as i64, u.unit, u.jurisdiction],
                )?;
            }
            Ok(())
        })
    }

    /// The draw in force for `year` at `at` (None: now): the latest made
    /// by then. A later draw replaces an earlier one (a clerk who drew
    /// again drew for a reason); None when there was none.
    pub fn draw_in_force(
        &self,
        year: i32,
        at: Option<NaiveDateTime>,
    ) -> Result<Option<RecordedDraw>, RegisterError> {
        // A time after any recorded one stands for "now".
        let until = at.map_or_else(|| "9999".to_string(), |t| t.format(TIME).to_string());
        let head = self
            .conn
            .query_row(
                "SELECT id, seed, method, candidates, drawn_at FROM spot_draws
                 WHERE year = ?1 AND drawn_at <= ?2 ORDER BY drawn_at DESC, id DESC LIMIT 1",
                params![year, until],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, String>(4)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.db(e))?;
        let Some((id, seed, method, candidates, drawn_at)) = head else {
            return Ok(None);
        };
        let mut stmt = self
            .conn
            .prepare(
                "SELECT position, unit, jurisdiction FROM spot_draw_units
                 WHERE draw_id = ?1 ORDER BY position",
            )
            .map_err(|e| self.db(e))?;
        let units = stmt
            .query_map(params![id], |r| {
                Ok(DrawnUnit {
                    position: r.get::<_, i64>(0)? as usize,
                    unit: r.get(1)?,
                    jurisdiction: r.get(2)?,
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.db(e))?;
        let corrupt = |what: &str| RegisterError::NotARegister {
            path: self.path.clone(),
            reason: format!("随机抽查记录的{what}无法识别"),
        };
        Ok(Some(RecordedDraw {
            year,
            seed: seed.parse().map_err(|_| corrupt("种子"))?,
            method,
            candidates: usize::try_from(candidates).map_err(|_| corrupt("候选单位数"))?,
            drawn_at: NaiveDateTime::parse_from_str(&drawn_at, TIME)
                .map_err(|_| corrupt("抽取时间"))?,
            units,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2020, 10, day)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .unwrap()
    }

    fn draw(seed: u64, day: u32, units: &[&str]) -> RecordedDraw {
        RecordedDraw {
            year: 2020,
            seed,
            method: "方法".into(),
            candidates: 40,
            drawn_at: at(day),
            units: units
                .iter()
                .enumerate()
                .map(|(i, u)| DrawnUnit {
                    position: i + 1,
                    unit: u.to_string(),
                    jurisdiction: "岳阳县".into(),
                })
                .collect(),
        }
    }

    #[test]
    fn the_latest_draw_by_a_date_is_in_force_and_a_large_seed_survives() {
        let dir = tempfile::tempdir().unwrap();
        let mut register = Register::open(&dir.path().join("r.sqlite")).unwrap();
        assert_eq!(register.draw_in_force(2020, None).unwrap(), None);
        let first = draw(u64::MAX, 10, &["甲", "乙"]);
        let second = draw(7, 20, &["丙"]);
        register.record_draw(&first).unwrap();
        register.record_draw(&second).unwrap();
        assert_eq!(register.draw_in_force(2020, None).unwrap(), Some(second));
        assert_eq!(
            register.draw_in_force(2020, Some(at(15))).unwrap(),
            Some(first)
        );
        assert_eq!(register.draw_in_force(2020, Some(at(5))).unwrap(), None);
        assert_eq!(register.draw_in_force(2021, None).unwrap(), None);
    }
}
