//! Units across years: who a unit is through renames and mergers, the
//! honour each season's roster gave it, and each season's result. From
//! these, the roster of a later year (`fucha roster --year`).

use super::{Register, RegisterError};
use crate::review::{HonourLevel, Outcome, ReviewResult};
use crate::roster::{Roster, Unit};
use rusqlite::{OptionalExtension, Transaction, params};
use std::collections::BTreeMap;

/// One unit's history as the register knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitHistory {
    /// Its name in the latest season.
    pub name: String,
    /// Every name it has gone by, sorted.
    pub names: Vec<String>,
    /// Units it was formed from in a reform: (name, year, the note).
    pub formerly: Vec<(String, i32, String)>,
    /// Units formed from it: (name, year).
    pub succeeded_by: Vec<(String, i32)>,
    /// Per season: the roster's honour and the result in force.
    pub seasons: Vec<Season>,
}

/// One season of a unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Season {
    /// The campaign year.
    pub year: i32,
    /// Its name that year.
    pub name: String,
    /// The honour: level and year named.
    pub level: String,
    /// The year the honour was given.
    pub award_year: i32,
    /// The reporting body.
    pub jurisdiction: String,
    /// The result in force, if one was reported: outcome, date, score,
    /// and the file it came from.
    pub result: Option<SeasonResult>,
}

/// A season's result of a unit.
#[derive(Debug, Clone, PartialEq)]
pub struct SeasonResult {
    /// 复查结论.
    pub outcome: String,
    /// 复查日期.
    pub review_date: String,
    /// 测评得分.
    pub score: f64,
    /// 存在问题.
    pub problems: String,
    /// The file it was read from.
    pub file: String,
}

/// How often each honour is reviewed: every `n` years after it was given.
pub type ReviewCycle = BTreeMap<HonourLevel, i32>;

impl Register {
    /// Records a season: the roster's units (with their aliases) and the
    /// results in force. Recording the same season again replaces it.
    /// A reform note that names another unit of the register links the
    /// two: this unit was formed from that one.
    pub fn record_season(
        &mut self,
        year: i32,
        roster: &Roster,
        results: &[ReviewResult],
    ) -> Result<(), RegisterError> {
        self.write(|tx| {
            let mut ids = BTreeMap::new();
            for u in roster.units() {
                let id = unit_id(tx, u)?;
                tx.execute(
                    "INSERT OR REPLACE INTO honours
                       (unit_id, year, name, level, award_year, jurisdiction, reform, remarks)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![
                        id,
                        year,
                        u.name,
                        u.level.label(),
                        u.award_year,
                        u.jurisdiction,
                        u.reform,
                        u.remarks
                    ],
                )?;
                ids.insert(u.name.as_str(), id);
            }
            // A reform note names units of its own body: the names each body's
            // units have gone by, this season and before (a province has 2,400
            // notes; matching each against every name took seconds).
            let by_body = names_by_body(tx)?;
            for r in results {
                let Some(&id) = ids.get(r.unit.as_str()) else {
                    continue;
                };
                tx.execute(
                    "INSERT OR REPLACE INTO results (unit_id, year, outcome, review_date, score,
                       satisfaction, problems, reform_note, file)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    params![
                        id,
                        year,
                        r.outcome.label(),
                        r.review_date.to_string(),
                        r.score,
                        r.satisfaction,
                        r.problems,
                        r.reform_note,
                        r.origin.file
                    ],
                )?;
                if !r.reform_note.trim().is_empty() {
                    let candidates = by_body
                        .get(r.jurisdiction.as_str())
                        .map_or(&[][..], Vec::as_slice);
                    link_predecessors(tx, id, year, &r.reform_note, candidates)?;
                }
            }
            Ok(())
        })
    }

    /// The history of the unit with this name (any name it has gone by).
    pub fn history(&self, name: &str) -> Result<Option<UnitHistory>, RegisterError> {
        let db = |e| self.db(e);
        let key = crate::roster::normalize_name(name);
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT unit_id FROM unit_names WHERE name = ?1",
                params![key],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)?;
        let Some(id) = id else { return Ok(None) };
        let strings = |sql: &str| -> Result<Vec<String>, RegisterError> {
            let mut stmt = self.conn.prepare(sql).map_err(db)?;
            stmt.query_map(params![id], |r| r.get(0))
                .and_then(|rows| rows.collect())
                .map_err(db)
        };
        let name: String = self
            .conn
            .query_row("SELECT name FROM units WHERE id = ?1", params![id], |r| {
                r.get(0)
            })
            .map_err(db)?;
        let mut names = strings(
            "SELECT DISTINCT name FROM honours WHERE unit_id = ?1
             UNION SELECT name FROM units WHERE id = ?1",
        )?;
        names.sort();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT u.name, l.year, l.note FROM unit_links l JOIN units u ON u.id = l.formerly_id
                 WHERE l.unit_id = ?1 ORDER BY l.year, u.name",
            )
            .map_err(db)?;
        let formerly = stmt
            .query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(db)?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT u.name, l.year FROM unit_links l JOIN units u ON u.id = l.unit_id
                 WHERE l.formerly_id = ?1 ORDER BY l.year, u.name",
            )
            .map_err(db)?;
        let succeeded_by = stmt
            .query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(db)?;
        let seasons = self.seasons(id)?;
        Ok(Some(UnitHistory {
            name,
            names,
            formerly,
            succeeded_by,
            seasons,
        }))
    }

    /// A unit's seasons: the roster's honour and the result in force, by year.
    fn seasons(&self, id: i64) -> Result<Vec<Season>, RegisterError> {
        let db = |e| self.db(e);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT h.year, h.name, h.level, h.award_year, h.jurisdiction,
                        r.outcome, r.review_date, r.score, r.problems, r.file
                 FROM honours h LEFT JOIN results r ON r.unit_id = h.unit_id AND r.year = h.year
                 WHERE h.unit_id = ?1 ORDER BY h.year",
            )
            .map_err(db)?;
        stmt.query_map(params![id], |r| {
            let outcome: Option<String> = r.get(5)?;
            Ok(Season {
                year: r.get(0)?,
                name: r.get(1)?,
                level: r.get(2)?,
                award_year: r.get(3)?,
                jurisdiction: r.get(4)?,
                result: match outcome {
                    Some(outcome) => Some(SeasonResult {
                        outcome,
                        review_date: r.get(6)?,
                        score: r.get(7)?,
                        problems: r.get(8)?,
                        file: r.get(9)?,
                    }),
                    None => None,
                },
            })
        })
        .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        .map_err(db)
    }

    /// Whether the register holds a season's roster for `year`.
    pub fn has_season(&self, year: i32) -> Result<bool, RegisterError> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM honours WHERE year = ?1)",
                params![year],
                |r| r.get(0),
            )
            .map_err(|e| self.db(e))
    }

    /// The units due for review in `year`: each unit as its latest season
    /// recorded before `year` lists it, if its honour still stands (not
    /// withdrawn, not merged into another unit) and `year` falls on its
    /// cycle (a whole number of cycles after the year it was named).
    pub fn units_due(&self, year: i32, cycle: &ReviewCycle) -> Result<Vec<Unit>, RegisterError> {
        let db = |e| self.db(e);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT h.unit_id, h.name, h.level, h.award_year, h.jurisdiction, h.reform, h.remarks
                 FROM honours h
                 WHERE h.year = (SELECT max(year) FROM honours WHERE unit_id = h.unit_id AND year < ?1)
                   AND NOT EXISTS (SELECT 1 FROM results r WHERE r.unit_id = h.unit_id
                                   AND r.year < ?1 AND r.outcome = ?2)
                   AND NOT EXISTS (SELECT 1 FROM unit_links l WHERE l.formerly_id = h.unit_id
                                   AND l.year < ?1)
                 ORDER BY h.year, h.rowid",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(params![year, Outcome::Revoke.label()], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i32>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, bool>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(db)?;
        let mut alias_stmt = self
            .conn
            .prepare("SELECT name FROM unit_names WHERE unit_id = ?1 ORDER BY name")
            .map_err(db)?;
        let mut out = Vec::new();
        for (id, name, level, award_year, jurisdiction, reform, remarks) in rows {
            let Some(level) = HonourLevel::parse(&level) else {
                continue;
            };
            let every = cycle.get(&level).copied().unwrap_or(0);
            let since = year - award_year;
            if every <= 0 || since <= 0 || since % every != 0 {
                continue;
            }
            let key = crate::roster::normalize_name(&name);
            let aliases = alias_stmt
                .query_map(params![id], |r| r.get::<_, String>(0))
                .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
                .map_err(db)?
                .into_iter()
                .filter(|a| *a != key)
                .collect();
            out.push(Unit {
                name,
                aliases,
                level,
                award_year,
                jurisdiction,
                reform,
                remarks,
            });
        }
        Ok(out)
    }
}

/// The unit's id, found by any of its names (normalised), or a new unit;
/// every name it is listed with is remembered.
fn unit_id(tx: &Transaction<'_>, u: &Unit) -> rusqlite::Result<i64> {
    let keys: Vec<String> = std::iter::once(&u.name)
        .chain(&u.aliases)
        .map(|n| crate::roster::normalize_name(n))
        .collect();
    let mut found = None;
    for k in &keys {
        found = tx
            .query_row(
                "SELECT unit_id FROM unit_names WHERE name = ?1",
                params![k],
                |r| r.get::<_, i64>(0),
            )
            .optional()?;
        if found.is_some() {
            break;
        }
    }
    let id = match found {
        Some(id) => {
            tx.execute(
                "UPDATE units SET name = ?2 WHERE id = ?1",
                params![id, u.name],
            )?;
            id
        }
        None => {
            tx.execute("INSERT INTO units (name) VALUES (?1)", params![u.name])?;
            tx.last_insert_rowid()
        }
    };
    for k in keys {
        tx.execute(
            "INSERT OR IGNORE INTO unit_names (name, unit_id) VALUES (?1, ?2)",
            params![k, id],
        )?;
    }
    Ok(id)
}

/// Every name of every unit, by the bodies the unit has belonged to.
fn names_by_body(tx: &Transaction<'_>) -> rusqlite::Result<BTreeMap<String, Vec<(String, i64)>>> {
    let mut stmt = tx.prepare(
        "SELECT DISTINCT h.jurisdiction, n.name, n.unit_id
         FROM unit_names n JOIN honours h ON h.unit_id = n.unit_id",
    )?;
    let mut out: BTreeMap<String, Vec<(String, i64)>> = BTreeMap::new();
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)))? {
        let (body, name, id) = row?;
        out.entry(body).or_default().push((name, id));
    }
    Ok(out)
}

/// Links the unit to every other unit of its body whose name its reform
/// note contains (names of at least four characters, so that a short alias
/// does not match by chance).
fn link_predecessors(
    tx: &Transaction<'_>,
    id: i64,
    year: i32,
    note: &str,
    candidates: &[(String, i64)],
) -> rusqlite::Result<()> {
    let text = crate::roster::normalize_name(note);
    let mut named: Vec<i64> = candidates
        .iter()
        .filter(|(name, other)| {
            *other != id && name.chars().count() >= 4 && text.contains(name.as_str())
        })
        .map(|(_, other)| *other)
        .collect();
    named.sort_unstable();
    named.dedup();
    for other in named {
        tx.execute(
            "INSERT OR REPLACE INTO unit_links (unit_id, formerly_id, year, note)
             VALUES (?1, ?2, ?3, ?4)",
            params![id, other, year, note],
        )?;
    }
    Ok(())
}
