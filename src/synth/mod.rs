//! Synthetic campaigns at province scale, for benchmarks and load tests.
//!
//! A city's batch (the default data in `input/`, 111 units) says nothing
//! about how `fucha` behaves for a province or a national office. This
//! module makes campaigns of any size, deterministically from a seed: a
//! roster of N units across M county-level reporting bodies with realistic
//! names, a share of units touched by the reforms, and the filled intake
//! workbooks the bodies send back, a configurable share of whose rows carry
//! one mistake each, so that `check` has real work to do. The workbooks are
//! written by [`crate::intake`], exactly as the office's own forms are.

mod names;

use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use fastrand::Rng;

use crate::campaign::Campaign;
use crate::diag::Code;
use crate::intake::{
    FilledRow, IntakeError, ReformNote, Submission, intake_workbook_with_submission,
    roster_workbook,
};
use crate::review::{HonourLevel, Method, Outcome};
use crate::roster::{Roster, Unit};

/// The configuration written beside a synthetic campaign: the default
/// campaign's, so the documents and the checks are the ones users run.
const DEFAULT_CONFIG: &str = include_str!("../../input/fucha.toml");

/// The benchmark sizes that are generated (S is the default data in `input/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// 20,000 units in 200 workbooks.
    L,
    /// 200,000 units in 2,000 workbooks.
    Xl,
}

impl Size {
    /// Parses `L` or `XL` (any case).
    pub fn parse(text: &str) -> Option<Size> {
        match text.to_ascii_uppercase().as_str() {
            "L" => Some(Size::L),
            "XL" => Some(Size::Xl),
            _ => None,
        }
    }

    /// The units and bodies of the size, with the default shares.
    pub fn spec(self, seed: u64) -> Spec {
        match self {
            Size::L => Spec::new(20_000, 200, seed),
            Size::Xl => Spec::new(200_000, 2_000, seed),
        }
    }
}

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// Units in the roster, all due this campaign.
    pub units: usize,
    /// Reporting bodies, one workbook each.
    pub bodies: usize,
    /// Share of units touched by the reforms (0 to 1).
    pub reform_share: f64,
    /// Share of filled rows carrying one mistake (0 to 1).
    pub faulty_share: f64,
    /// The seed; the same spec gives byte-identical files.
    pub seed: u64,
}

impl Spec {
    /// `units` across `bodies`, 12% reformed, 2% faulty rows.
    pub fn new(units: usize, bodies: usize, seed: u64) -> Spec {
        Spec {
            units,
            bodies,
            reform_share: 0.12,
            faulty_share: 0.02,
            seed,
        }
    }
}

/// A mistake planted in a row, with the diagnostic `check` should report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fault {
    /// 复查日期 left blank.
    MissingDate,
    /// 复查日期 outside the level's phase.
    DateOutOfWindow,
    /// 测评得分 above 100.
    ScoreOutOfRange,
    /// 群众满意度 above 100%.
    SatisfactionOutOfRange,
    /// 复查结论 left blank.
    MissingOutcome,
    /// 复查合格 with a score under the pass line.
    PassBelowLine,
    /// A sanction with no problem written down.
    OutcomeWithoutProblems,
    /// A reformed unit without its reform statement.
    MissingReformNote,
    /// A national or provincial unit not inspected on site.
    NoOnSite,
}

impl Fault {
    /// Every fault, in the order they are drawn from.
    pub const ALL: [Fault; 9] = [
        Fault::MissingDate,
        Fault::DateOutOfWindow,
        Fault::ScoreOutOfRange,
        Fault::SatisfactionOutOfRange,
        Fault::MissingOutcome,
        Fault::PassBelowLine,
        Fault::OutcomeWithoutProblems,
        Fault::MissingReformNote,
        Fault::NoOnSite,
    ];

    /// The diagnostic code `check` is expected to give the row.
    pub fn code(self) -> Code {
        match self {
            Fault::MissingDate | Fault::MissingOutcome => Code::MissingValue,
            Fault::DateOutOfWindow => Code::DateOutOfWindow,
            Fault::ScoreOutOfRange | Fault::SatisfactionOutOfRange => Code::ScoreOutOfRange,
            Fault::PassBelowLine => Code::InconsistentOutcome,
            Fault::OutcomeWithoutProblems => Code::OutcomeNeedsProblems,
            Fault::MissingReformNote => Code::MissingReformNote,
            Fault::NoOnSite => Code::OnsiteRequired,
        }
    }
}

/// One body's workbook as typed in: its rows, its 报送信息, the planted faults.
#[derive(Debug, Clone)]
pub struct BodyIntake {
    /// The reporting body (所属县市区).
    pub body: String,
    /// One filled row per due unit, in roster order.
    pub rows: Vec<FilledRow>,
    /// Who sent it and when (before the deadline).
    pub submission: Submission,
    /// The faulty rows: unit name and mistake.
    pub faults: Vec<(String, Fault)>,
}

/// A generated campaign, before it is written.
#[derive(Debug, Clone)]
pub struct Synthetic {
    /// The roster.
    pub roster: Roster,
    /// The bodies' workbooks, in body order.
    pub intakes: Vec<BodyIntake>,
}

impl Synthetic {
    /// Rows carrying a planted mistake.
    pub fn faulty_rows(&self) -> usize {
        self.intakes.iter().map(|b| b.faults.len()).sum()
    }

    /// Units touched by the reforms.
    fn reformed_units(&self) -> usize {
        self.roster.units().iter().filter(|u| u.reform).count()
    }
}

/// What [`write_campaign`] wrote.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Units in the roster.
    pub units: usize,
    /// Workbooks written, one per body.
    pub bodies: usize,
    /// Units touched by the reforms.
    pub reformed: usize,
    /// Rows carrying a planted mistake.
    pub faulty_rows: usize,
    /// `fucha.toml`.
    pub config: PathBuf,
}

/// Errors generating or writing a campaign.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// No body, or more than the name tables can name.
    #[error("报送单位数应在 1 到 {max} 之间，实际为 {asked}")]
    Bodies {
        /// Bodies asked for.
        asked: usize,
        /// The most that get distinct names.
        max: usize,
    },
    /// More units per body than the name tables can name.
    #[error("每个报送单位最多 {max} 个复查单位，{units} 个单位分到 {bodies} 个报送单位太多")]
    UnitsPerBody {
        /// Units asked for.
        units: usize,
        /// Bodies asked for.
        bodies: usize,
        /// The most per body.
        max: usize,
    },
    /// A share outside 0..=1.
    #[error("比例应在 0 到 1 之间，实际为 {0}")]
    Share(f64),
    /// The built-in configuration did not parse (a bug).
    #[error("内置配置有误：{0}")]
    Config(String),
    /// A workbook could not be built.
    #[error(transparent)]
    Intake(#[from] IntakeError),
    /// A file could not be written.
    #[error("无法写入 {path}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// The campaign of [`DEFAULT_CONFIG`].
pub fn default_campaign() -> Result<Campaign, SynthError> {
    Campaign::parse(DEFAULT_CONFIG).map_err(SynthError::Config)
}

/// Generates a campaign in memory.
pub fn generate(spec: &Spec, campaign: &Campaign) -> Result<Synthetic, SynthError> {
    validate(spec)?;
    let mut units = Vec::with_capacity(spec.units);
    let mut body_names = Vec::with_capacity(spec.bodies);
    for b in 0..spec.bodies {
        let body = names::body_name(b);
        let mut rng = body_rng(spec.seed, b);
        let count = spec.units / spec.bodies + usize::from(b < spec.units % spec.bodies);
        units.extend(body_units(&body, count, spec.reform_share, &mut rng));
        body_names.push(body);
    }
    // Rosters list units by honour and year, as work plans do.
    units.sort_by_key(|u: &Unit| (u.level, u.award_year));
    let roster = Roster::from_units(units);
    let intakes = body_names
        .into_iter()
        .enumerate()
        .map(|(b, body)| {
            let mut rng = body_rng(spec.seed ^ 0x5eed_f111, b);
            body_intake(&roster, campaign, body, spec.faulty_share, &mut rng)
        })
        .collect();
    Ok(Synthetic { roster, intakes })
}

/// Generates a campaign and writes it into `dir`: `fucha.toml`, the roster
/// `复查单位名单.xlsx` and `报送/<body>.xlsx`. Workbooks are written on
/// every core; the bytes do not depend on the order.
pub fn write_campaign(spec: &Spec, dir: &Path) -> Result<Summary, SynthError> {
    let campaign = default_campaign()?;
    let synthetic = generate(spec, &campaign)?;
    let intake_dir = dir.join(&campaign.intake);
    create_dir(&intake_dir)?;
    let config = dir.join("fucha.toml");
    write_file(&config, DEFAULT_CONFIG.as_bytes())?;
    write_file(
        &dir.join(&campaign.roster),
        &roster_workbook(&synthetic.roster, &campaign)?,
    )?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let (synthetic, campaign, intake_dir) = (&synthetic, &campaign, &intake_dir);
                scope.spawn(move || -> Result<(), SynthError> {
                    for intake in synthetic.intakes.iter().skip(t).step_by(threads) {
                        let bytes = intake_workbook_with_submission(
                            &synthetic.roster,
                            &intake.body,
                            campaign,
                            &intake.rows,
                            Some(&intake.submission),
                        )?;
                        write_file(&intake_dir.join(format!("{}.xlsx", intake.body)), &bytes)?;
                    }
                    Ok(())
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    })?;
    Ok(Summary {
        units: synthetic.roster.units().len(),
        bodies: synthetic.intakes.len(),
        reformed: synthetic.reformed_units(),
        faulty_rows: synthetic.faulty_rows(),
        config,
    })
}

fn validate(spec: &Spec) -> Result<(), SynthError> {
    if spec.bodies == 0 || spec.bodies > names::BODY_NAMES {
        return Err(SynthError::Bodies {
            asked: spec.bodies,
            max: names::BODY_NAMES,
        });
    }
    if spec.units.div_ceil(spec.bodies) > names::UNITS_PER_BODY {
        return Err(SynthError::UnitsPerBody {
            units: spec.units,
            bodies: spec.bodies,
            max: names::UNITS_PER_BODY,
        });
    }
    for share in [spec.reform_share, spec.faulty_share] {
        if !(0.0..=1.0).contains(&share) {
            return Err(SynthError::Share(share));
        }
    }
    Ok(())
}

/// One generator per body, so a body's data does not depend on the others'.
fn body_rng(seed: u64, body: usize) -> Rng {
    Rng::with_seed(seed ^ (body as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// A body's roster units: distinct organ names, honours in realistic shares.
fn body_units(body: &str, count: usize, reform_share: f64, rng: &mut Rng) -> Vec<Unit> {
    let mut picks: Vec<usize> = (0..names::UNITS_PER_BODY).collect();
    rng.shuffle(&mut picks);
    picks.truncate(count);
    picks.sort_unstable();
    picks
        .into_iter()
        .map(|k| {
            let (level, award_year) = honour(rng);
            let reform = rng.f64() < reform_share;
            Unit {
                name: names::unit_name(body, k),
                aliases: Vec::new(),
                level,
                award_year,
                jurisdiction: body.to_string(),
                reform,
                remarks: if reform {
                    names::REFORMS[rng.usize(..names::REFORMS.len())].to_string()
                } else {
                    String::new()
                },
            }
        })
        .collect()
}

/// 5% national, 10% provincial model, the rest provincial, with the years
/// those honours were given.
fn honour(rng: &mut Rng) -> (HonourLevel, i32) {
    let roll = rng.u32(..100);
    if roll < 5 {
        (
            HonourLevel::National,
            [2008, 2011, 2014, 2017][rng.usize(..4)],
        )
    } else if roll < 15 {
        (HonourLevel::ProvincialModel, [2016, 2018][rng.usize(..2)])
    } else {
        (HonourLevel::Provincial, [2014, 2016, 2018][rng.usize(..3)])
    }
}

fn body_intake(
    roster: &Roster,
    campaign: &Campaign,
    body: String,
    faulty_share: f64,
    rng: &mut Rng,
) -> BodyIntake {
    let mut rows = Vec::new();
    let mut faults = Vec::new();
    for (i, unit) in roster
        .units_of(&body)
        .filter(|u| campaign.is_due(u.level))
        .enumerate()
    {
        let mut row = sound_row(unit, campaign, i, rng);
        if rng.f64() < faulty_share {
            let fault = pick_fault(unit, rng);
            plant(fault, &mut row, unit, campaign);
            faults.push((unit.name.clone(), fault));
        }
        rows.push(row);
    }
    let submission = submission(campaign, rng);
    BodyIntake {
        body,
        rows,
        submission,
        faults,
    }
}

/// A row with nothing wrong: reviewed on site within the phase, most units
/// pass, a few are sanctioned with the problems and the fix written down.
fn sound_row(unit: &Unit, campaign: &Campaign, i: usize, rng: &mut Rng) -> FilledRow {
    let mut row = FilledRow {
        unit: unit.name.clone(),
        review_date: review_date(campaign, unit.level, rng),
        methods: Method::ALL.to_vec(),
        score: Some(85.0 + f64::from(rng.u32(..27)) / 2.0),
        satisfaction: Some(88.0 + f64::from(rng.u32(..23)) / 2.0),
        outcome: Some(Outcome::Pass),
        ..FilledRow::default()
    };
    let roll = rng.u32(..1000);
    if roll < 40 {
        let k = rng.usize(..names::PROBLEMS.len());
        row.outcome =
            Some([Outcome::WarningTalk, Outcome::Rectify, Outcome::Criticism][rng.usize(..3)]);
        row.score = Some(74.0 + f64::from(rng.u32(..20)) / 2.0);
        row.problems = names::PROBLEMS[k].to_string();
        row.rectification = names::RECTIFICATIONS[k].to_string();
    } else if roll < 43 {
        row.outcome = Some(Outcome::Revoke);
        row.score = Some(60.0 + f64::from(rng.u32(..20)) / 2.0);
        row.satisfaction = Some(70.0 + f64::from(rng.u32(..20)) / 2.0);
        row.negative_list = "文明创建工作机制瘫痪，全年未开展创建活动".to_string();
        row.problems = "创建工作领导机构名存实亡，无计划、无活动、无档案；群众投诉较多。".into();
        row.rectification = "撤销荣誉称号（报请省文明办审定），三年内不得申报文明单位。".into();
    }
    if unit.reform {
        let text = format!(
            "{}。改革后单位及时调整文明创建工作领导小组，明确专人负责，创建档案已完成移交衔接，本次按改革后的机构和职能接受复查。",
            unit.remarks
        );
        // Both places the intake format allows, as clerks use both.
        row.reform_note = Some(if i.is_multiple_of(2) {
            ReformNote::InColumn(text)
        } else {
            ReformNote::InSheet(text)
        });
    }
    row
}

/// A weekday inside the level's phase (`None` for a level with no phase,
/// which never happens for due units).
fn review_date(campaign: &Campaign, level: HonourLevel, rng: &mut Rng) -> Option<NaiveDate> {
    let (start, end) = campaign.phase_window(level)?;
    let days = (end - start).num_days().max(0) as u64;
    let mut day = start + Duration::days(rng.u64(..=days) as i64);
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && day > start {
        day = day.pred_opt()?;
    }
    Some(day)
}

fn pick_fault(unit: &Unit, rng: &mut Rng) -> Fault {
    loop {
        let fault = Fault::ALL[rng.usize(..Fault::ALL.len())];
        if fault != Fault::MissingReformNote || unit.reform {
            return fault;
        }
    }
}

/// Changes a sound row so that it carries exactly `fault`.
fn plant(fault: Fault, row: &mut FilledRow, unit: &Unit, campaign: &Campaign) {
    match fault {
        Fault::MissingDate => row.review_date = None,
        Fault::DateOutOfWindow => {
            row.review_date = campaign
                .phase_window(unit.level)
                .map(|(_, end)| end + Duration::days(20));
        }
        Fault::ScoreOutOfRange => row.score = Some(135.0),
        Fault::SatisfactionOutOfRange => row.satisfaction = Some(120.0),
        Fault::MissingOutcome => row.outcome = None,
        Fault::PassBelowLine => {
            row.outcome = Some(Outcome::Pass);
            row.score = Some(campaign.pass_lines.score - 6.5);
            row.satisfaction = Some(campaign.pass_lines.satisfaction + 5.0);
            row.negative_list.clear();
            row.problems.clear();
            row.rectification.clear();
        }
        Fault::OutcomeWithoutProblems => {
            row.outcome = Some(Outcome::Rectify);
            row.score = Some(campaign.pass_lines.score - 3.0);
            row.negative_list.clear();
            row.problems.clear();
            row.rectification.clear();
        }
        Fault::MissingReformNote => row.reform_note = None,
        Fault::NoOnSite => row.methods.retain(|m| *m != Method::OnSite),
    }
}

/// 报送信息: a contact, a county phone number, a day before the deadline.
fn submission(campaign: &Campaign, rng: &mut Rng) -> Submission {
    let contact = format!(
        "{}{}",
        names::SURNAMES[rng.usize(..names::SURNAMES.len())],
        names::GIVEN_NAMES[rng.usize(..names::GIVEN_NAMES.len())]
    );
    Submission {
        contact,
        phone: format!(
            "07{:02}-{:07}",
            rng.u32(30..40),
            rng.u32(2_000_000..9_000_000)
        ),
        date: campaign.deadlines.submission - Duration::days(rng.i64(0..6)),
    }
}

fn create_dir(dir: &Path) -> Result<(), SynthError> {
    std::fs::create_dir_all(dir).map_err(|source| SynthError::Write {
        path: dir.to_path_buf(),
        source,
    })
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), SynthError> {
    std::fs::write(path, bytes).map_err(|source| SynthError::Write {
        path: path.to_path_buf(),
        source,
    })
}
