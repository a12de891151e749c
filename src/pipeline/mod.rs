//! The stages run end to end: config and roster → check → compose → render
//! → output folder. The CLI calls these functions and prints their reports;
//! nothing here prints.
//!
//! Reference data (config, roster, templates, fonts) is loaded once per run,
//! and independent documents are rendered in parallel with output that does
//! not depend on the number of jobs.

use crate::campaign::{Campaign, ConfigError};
use crate::check::feedback::FeedbackError;
use crate::check::{self, CheckedBatch};
use crate::compose::{self, ComposedDocument, DocumentKind, TemplateError, Templates};
use crate::output::{OutputDir, OutputError};
use crate::register::{Register, RegisterError};
use crate::render::{Formats, RenderError, Renderer, RendererUnavailable};
use crate::roster::{Roster, RosterError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Errors that stop a run (as opposed to data problems, which are
/// diagnostics). Each keeps its cause's type; the CLI prints the chain.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The configuration could not be loaded.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The roster could not be loaded.
    #[error(transparent)]
    Roster(#[from] RosterError),
    /// A template is broken.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// A document could not be rendered.
    #[error("{path}")]
    Render {
        /// The document's output path.
        path: String,
        /// The cause.
        source: RenderError,
    },
    /// An output could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// A feedback workbook could not be produced.
    #[error(transparent)]
    Feedback(#[from] FeedbackError),
    /// The register could not be read or written.
    #[error(transparent)]
    Register(#[from] RegisterError),
    /// A workbook (the roster of a later year) could not be made.
    #[error(transparent)]
    Intake(#[from] crate::intake::IntakeError),
    /// The inspectors' workbook was asked for before any draw.
    #[error("登记簿中没有{year}年的随机抽查记录；请先用 fucha sample 抽取，再生成随机抽查表")]
    NoSpotDraw {
        /// The campaign year.
        year: i32,
    },
    /// A body was to be sent back that has no version in force.
    #[error("{body}没有有效的报送文件，无法退回")]
    NothingToSendBack {
        /// The body.
        body: String,
    },
    /// An uploaded file could not be staged for checking.
    #[error("无法暂存上传的文件以供检查")]
    Stage(#[source] std::io::Error),
    /// An uploaded file could not be kept in the intake folder.
    #[error("无法把上传的文件保存到 {path}")]
    Keep {
        /// Where it was to be kept.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

mod accounts;
mod diagnose;
mod followup;
mod received;
mod season;
mod spot;
mod upload;

pub use accounts::{accounts, add_account};
pub use diagnose::{Excerpt, FileReport, diagnose};
pub use followup::{
    Aftercare, aftercare, followup_workbook_of, followup_workbooks, followups, reference_date,
};
pub use received::Recorded;
pub use season::{
    BodyState, BodyVersions, ReceiveReport, SeasonStatus, backup, history, receive, restore,
    roster_for_year, seed_season, send_back, status, withdraw,
};
pub use spot::{draw_in_force, spot_check_workbook};
pub use upload::{Upload, UploadOutcome, upload};

/// Reference data loaded once per run.
pub struct Context {
    /// The season's configuration.
    pub campaign: Campaign,
    /// The units under review.
    pub roster: Roster,
    /// Set when the batch came through the register (the intake folder was
    /// read, or `--as-of`): what it entered and checked.
    pub recorded: Option<Recorded>,
}

impl Context {
    /// Loads the config, then the roster it names (or `roster` when given).
    pub fn load(config: &Path, roster: Option<&Path>) -> Result<Context, PipelineError> {
        let campaign = Campaign::load(config)?;
        let roster_path = roster
            .map(Path::to_path_buf)
            .unwrap_or_else(|| campaign.roster.clone());
        let roster = Roster::load(&roster_path)?;
        Ok(Context {
            campaign,
            roster,
            recorded: None,
        })
    }

    /// Checks the given files and folders (default: the config's intake folder).
    pub fn check(&self, paths: &[PathBuf]) -> CheckedBatch {
        let paths = paths_or_intake(paths, &self.campaign);
        check::check_paths(&paths, &self.roster, &self.campaign)
    }

    /// [`Context::load`] and [`Context::check`] at once: the roster is read
    /// while the workbooks are decoded (for a province each takes about as
    /// long as the other). Reading the intake folder (no `paths`) receives
    /// its files into the register: the versions of a body are ordered by
    /// when the register first saw them, and new files are entered.
    pub fn load_and_check(
        config: &Path,
        roster: Option<&Path>,
        paths: &[PathBuf],
    ) -> Result<(Context, CheckedBatch), PipelineError> {
        let campaign = Campaign::load(config)?;
        let roster_path = roster
            .map(Path::to_path_buf)
            .unwrap_or_else(|| campaign.roster.clone());
        let receiving = paths.is_empty();
        let paths = paths_or_intake(paths, &campaign);
        let year = campaign.campaign.year;
        let mut register = if receiving {
            Some(Register::open(&campaign.register)?)
        } else {
            None
        };
        let mut hashes = match &register {
            Some(_) => received::hashes(&check::list_files(&paths, Some(&roster_path)).0),
            None => received::Hashes::new(),
        };
        let receipts = match &register {
            Some(r) => received::receipts(r, year, &hashes)?,
            None => check::Receipts::new(),
        };
        let load = || Roster::load(&roster_path).map_err(PipelineError::from);
        let (roster, mut batch) =
            check::check_paths_loading(&paths, &roster_path, load, &campaign, &receipts)?;
        // The inspectors' workbooks come with the intake folder.
        if let Some(r) = &register {
            hashes.extend(spot::apply_from_folder(&campaign, &roster, r, &mut batch)?);
        }
        let recorded = match &mut register {
            Some(r) => {
                let (sources, new) = received::record(r, year, &batch, &hashes, received::now())?;
                Some(Recorded {
                    register: campaign.register.clone(),
                    year,
                    sources,
                    as_of: None,
                    new,
                })
            }
            None => None,
        };
        let ctx = Context {
            campaign,
            roster,
            recorded,
        };
        Ok((ctx, batch))
    }

    /// Loads the config and roster and checks the versions the register had
    /// in force at the end of `date`, from the bytes it kept: what a build
    /// on that date read.
    pub fn load_as_of(
        config: &Path,
        roster: Option<&Path>,
        date: chrono::NaiveDate,
    ) -> Result<(Context, CheckedBatch), PipelineError> {
        let mut ctx = Context::load(config, roster)?;
        let register = Register::open(&ctx.campaign.register)?;
        let year = ctx.campaign.campaign.year;
        let at = date.and_hms_opt(23, 59, 59).expect("a valid time");
        let in_force = received::in_force(&register, year, at)?;
        let sources = in_force.ids.clone();
        let batch = check_in_force(&register, &ctx.campaign, &ctx.roster, at, in_force)?;
        ctx.recorded = Some(Recorded {
            register: ctx.campaign.register.clone(),
            year,
            sources,
            as_of: Some(at),
            new: Vec::new(),
        });
        Ok((ctx, batch))
    }
}

/// Checks the versions in force at `at` from the bytes the register kept,
/// the inspectors' findings of that time applied.
fn check_in_force(
    register: &Register,
    campaign: &Campaign,
    roster: &Roster,
    at: chrono::NaiveDateTime,
    mut in_force: received::InForce,
) -> Result<CheckedBatch, PipelineError> {
    let year = campaign.campaign.year;
    let spot_files = spot::take_stored(register, year, at, &mut in_force)?;
    let mut batch = check::check_stored(
        &in_force.files,
        roster,
        campaign,
        &in_force.receipts,
        check::Scope::Season,
    );
    spot::apply_stored(register, campaign, roster, at, &spot_files, &mut batch)?;
    Ok(batch)
}

/// What `build` is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Input files or folders; empty means the config's intake folder.
    pub inputs: Vec<PathBuf>,
    /// The output folder.
    pub output: PathBuf,
    /// The template folder; `None` uses the built-in templates.
    pub templates: Option<PathBuf>,
    /// Produce blocked documents anyway, marked as drafts.
    pub draft: bool,
    /// Documents rendered at once.
    pub jobs: usize,
    /// The date rectification deadlines are judged on (`--on`); see
    /// [`reference_date`].
    pub reference_date: Option<chrono::NaiveDate>,
}

/// What `build` did.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// The checked batch (files, rows, diagnostics).
    pub batch: CheckedBatch,
    /// Files written, relative to the output folder, in order.
    pub written: Vec<PathBuf>,
    /// Documents not produced because of blocking errors, with the reason.
    pub withheld: Vec<(PathBuf, String)>,
    /// The formats not written this run (PDF for lack of fonts), with why.
    pub unavailable: Vec<RendererUnavailable>,
    /// Files of an earlier run removed because this run supersedes them (a
    /// document now withheld, or its draft/final twin), relative.
    pub removed: Vec<PathBuf>,
    /// The rectification follow-ups as checked for this build.
    pub followup: crate::rectify::FollowupBatch,
    /// Wall time.
    pub elapsed: Duration,
}

/// Progress callbacks, so the CLI can draw a bar without the library printing.
pub trait Progress: Sync {
    /// `total` units of work are about to start.
    fn start(&self, total: u64);
    /// One unit of work is done.
    fn tick(&self);
    /// All done.
    fn finish(&self);
}

/// A progress sink that shows nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: u64) {}
    fn tick(&self) {}
    fn finish(&self) {}
}

/// The files and folders to check: those given, or the config's intake folder.
fn paths_or_intake(paths: &[PathBuf], campaign: &Campaign) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![campaign.intake.clone()]
    } else {
        paths.to_vec()
    }
}

/// Runs the whole season's job: check, feedback workbooks, documents in the
/// configured formats. A format that cannot be written (PDF for lack of
/// fonts) does not stop the others; the report says why it is missing.
pub fn build(
    ctx: &Context,
    opts: &BuildOptions,
    progress: &dyn Progress,
) -> Result<BuildReport, PipelineError> {
    let started = Instant::now();
    let batch = ctx.check(&opts.inputs);
    build_checked(ctx, batch, opts, progress, started)
}

/// [`build`] from a batch already checked (see [`Context::load_and_check`]);
/// `started` is when the run began, for the report.
pub fn build_checked(
    ctx: &Context,
    batch: CheckedBatch,
    opts: &BuildOptions,
    progress: &dyn Progress,
    started: Instant,
) -> Result<BuildReport, PipelineError> {
    // Templates first: a broken template stops the run before anything is written.
    let templates = Templates::load(opts.templates.as_deref())?;
    let out = OutputDir::new(&opts.output);
    let mut report = BuildReport::default();

    for (relative, bytes) in feedback_workbooks_with_jobs(&batch, opts.jobs)? {
        out.write(&relative, &bytes)?;
        report.written.push(relative);
    }

    // The follow-ups first, judged against the notices this build issues
    // (and records), so that any document may state each unit's outcome.
    report.followup = followup::followups(ctx, &batch, opts.reference_date, true)?;
    let mut set = documents(ctx, &batch, &templates, opts.draft, opts.jobs)?;
    let (followup_documents, followup_withheld) =
        compose::followup_documents(&report.followup, &ctx.campaign, &templates, opts.draft)?;
    set.documents.extend(followup_documents);
    set.withheld.extend(followup_withheld);
    match compose::publicity_notice(
        &batch,
        &ctx.roster,
        &ctx.campaign,
        &templates,
        &report.followup.units,
    )? {
        compose::Publicity::Written(written) => {
            let (document, page) = *written;
            set.documents.push(document);
            set.pages.push(page);
        }
        compose::Publicity::Withheld(w) => set.withheld.push(w),
    }
    report.withheld = set
        .withheld
        .iter()
        .map(|w| (w.path.clone(), w.reason.clone()))
        .collect();

    let previous = read_manifest(&out);

    // A format that cannot be written (PDF without fonts) does not stop the
    // others. Last run's files of that format are not rewritten, so the
    // manifest step below removes them: they would no longer match the rest.
    let made = Formats::default_set().renderers(&ctx.campaign.output.formats, &ctx.campaign.fonts);
    // Each file is written as soon as it is rendered: holding a province's
    // output until the end cost hundreds of megabytes.
    let written = render_tasks(
        &set.documents,
        &made.as_refs(),
        opts.jobs,
        progress,
        |relative, bytes| {
            out.write(&relative, &bytes)?;
            Ok(relative)
        },
    )?;
    report.written.extend(written);
    // Web pages (the 公示's) are written as they are: no renderer involved.
    for page in &set.pages {
        out.write(&page.path, page.html.as_bytes())?;
        report.written.push(page.path.clone());
    }
    report.unavailable = made.unavailable;
    // Whatever the last run wrote and this one did not is out of date: a
    // withheld circular's last version, the draft twin of a final document,
    // PDFs when fonts are missing now, a county's old feedback letter. Left in
    // place, a clerk could take last week's circular for this week's.
    let current: std::collections::BTreeSet<&PathBuf> = report.written.iter().collect();
    let gone: Vec<PathBuf> = previous
        .into_iter()
        .filter(|p| !current.contains(p))
        .collect();
    for relative in gone {
        let path = out.resolve(&relative)?;
        if path.is_file() {
            std::fs::remove_file(&path).map_err(|source| OutputError::Io { path, source })?;
            report.removed.push(relative);
        }
    }
    write_manifest(&out, &report.written)?;
    if let Some(recorded) = &ctx.recorded {
        record_documents(recorded, &set.documents, &report.written)?;
        // The season's results as built now become each unit's history; a
        // build of an earlier date changes no history.
        if recorded.as_of.is_none() {
            Register::open(&recorded.register)?.record_season(
                recorded.year,
                &ctx.roster,
                &batch.results,
            )?;
        }
    }
    report.batch = batch;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Records in the register the files this build wrote and the versions
/// they were built from.
fn record_documents(
    recorded: &Recorded,
    documents: &[ComposedDocument],
    written: &[PathBuf],
) -> Result<(), PipelineError> {
    let kinds: std::collections::BTreeMap<&Path, &str> = documents
        .iter()
        .map(|d| (d.path.as_path(), d.kind.key()))
        .collect();
    let files: Vec<(String, String)> = written
        .iter()
        .map(|p| {
            let stem = p.with_extension("");
            // Not a composed document: a feedback workbook.
            let kind = kinds
                .get(stem.as_path())
                .copied()
                .unwrap_or("feedback-workbook");
            (kind.to_string(), p.to_string_lossy().into_owned())
        })
        .collect();
    let mut register = Register::open(&recorded.register)?;
    register.record_documents(
        recorded.year,
        received::now(),
        recorded.as_of,
        &files,
        &recorded.sources,
    )?;
    Ok(())
}

/// The documents of a checked batch, composed with `templates`, `jobs` at
/// a time, and those withheld because errors remain (unless `draft`).
pub fn documents(
    ctx: &Context,
    batch: &CheckedBatch,
    templates: &Templates,
    draft: bool,
    jobs: usize,
) -> Result<compose::DocumentSet, PipelineError> {
    Ok(compose::document_set_with_jobs(
        batch,
        &ctx.roster,
        &ctx.campaign,
        templates,
        draft,
        jobs,
    )?)
}

/// The list of files a build wrote, kept in the output folder so that the
/// next build can remove what it no longer writes. Only files listed there
/// are ever removed: anything a clerk put in the folder stays.
const MANIFEST: &str = ".fucha-生成文件清单.txt";

fn read_manifest(out: &OutputDir) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(out.root().join(MANIFEST)) else {
        return Vec::new();
    };
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(PathBuf::from)
        // A hand-edited list must not reach outside the folder.
        .filter(|p| out.resolve(p).is_ok())
        .collect()
}

fn write_manifest(out: &OutputDir, written: &[PathBuf]) -> Result<(), PipelineError> {
    let mut lines: Vec<String> = written
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    lines.sort();
    let mut text = lines.join("\n");
    text.push('\n');
    out.write(Path::new(MANIFEST), text.as_bytes())?;
    Ok(())
}

/// The 退回修改意见 workbook of every input file with errors, named after it.
pub fn feedback_workbooks(batch: &CheckedBatch) -> Result<Vec<(PathBuf, Vec<u8>)>, PipelineError> {
    let jobs = std::thread::available_parallelism().map_or(1, usize::from);
    feedback_workbooks_with_jobs(batch, jobs)
}

/// [`feedback_workbooks`], `jobs` files at a time (each rereads its input
/// file, so a province's 142 faulty files took half a second on one core).
fn feedback_workbooks_with_jobs(
    batch: &CheckedBatch,
    jobs: usize,
) -> Result<Vec<(PathBuf, Vec<u8>)>, PipelineError> {
    let files: Vec<_> = batch.returned_files().collect();
    let made = crate::parallel::map_in_order(files, jobs, |file| {
        let related: Vec<_> = batch.diagnostics_of(file).collect();
        let path = Path::new(&file.path);
        let bytes = match check::feedback::feedback_workbook(path, &related) {
            Ok(b) => b,
            // An unreadable file has no rows to annotate; its letter says why.
            Err(_) if file.rows == 0 => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        // Beside the 退回修改意见 letter of the same file, under the same stem,
        // so the clerk sends the pair back together.
        let name = check::feedback::feedback_file_name(path);
        Ok(Some((
            Path::new(DocumentKind::Feedback.folder()).join(name),
            bytes,
        )))
    });
    made.into_iter().filter_map(Result::transpose).collect()
}

/// Renders every document with every renderer, `jobs` at a time. The result
/// is in document order whatever the number of jobs.
pub fn render_all(
    documents: &[ComposedDocument],
    renderers: &[&dyn Renderer],
    jobs: usize,
    progress: &dyn Progress,
) -> Result<Vec<(PathBuf, Vec<u8>)>, PipelineError> {
    render_tasks(documents, renderers, jobs, progress, |path, bytes| {
        Ok((path, bytes))
    })
}

/// Renders every document with every renderer, `jobs` at a time, and hands
/// each file to `handle` on the thread that rendered it, as soon as it is
/// rendered. Threads take the next task when they finish one, so one long
/// document (the circular) does not leave a core idle. The results are in
/// document order, and the error reported is the first in that order,
/// whatever the number of jobs.
fn render_tasks<T: Send>(
    documents: &[ComposedDocument],
    renderers: &[&dyn Renderer],
    jobs: usize,
    progress: &dyn Progress,
    handle: impl Fn(PathBuf, Vec<u8>) -> Result<T, PipelineError> + Sync,
) -> Result<Vec<T>, PipelineError> {
    let tasks: Vec<(&ComposedDocument, &dyn Renderer)> = documents
        .iter()
        .flat_map(|d| renderers.iter().map(move |r| (d, *r)))
        .collect();
    progress.start(tasks.len() as u64);
    let results = crate::parallel::map_in_order(tasks, jobs, |(doc, renderer)| {
        let result = render_one(doc, renderer).and_then(|(path, bytes)| handle(path, bytes));
        progress.tick();
        result
    });
    progress.finish();
    results.into_iter().collect()
}

fn render_one(
    doc: &ComposedDocument,
    renderer: &dyn Renderer,
) -> Result<(PathBuf, Vec<u8>), PipelineError> {
    let mut path = doc.path.clone().into_os_string();
    path.push(".");
    path.push(renderer.extension());
    let path = PathBuf::from(path);
    let bytes = renderer
        .render(&doc.document)
        .map_err(|source| PipelineError::Render {
            path: path.display().to_string(),
            source,
        })?;
    Ok((path, bytes))
}

/// What `sample` did.
#[derive(Debug)]
pub struct SampleReport {
    /// The draw, with the seed and candidate count.
    pub draw: crate::sample::SampleDraw,
    /// Files written, relative to the output folder.
    pub written: Vec<PathBuf>,
    /// The formats not written (PDF for lack of fonts), with why.
    pub unavailable: Vec<RendererUnavailable>,
}

/// Draws the spot-check sample from the checked results and writes the
/// 随机抽查名单 in the configured formats.
pub fn sample(
    ctx: &Context,
    inputs: &[PathBuf],
    count: usize,
    seed: u64,
    templates: Option<&Path>,
    output: &Path,
) -> Result<SampleReport, PipelineError> {
    let templates = Templates::load(templates)?;
    let batch = ctx.check(inputs);
    let draw = crate::sample::draw_record(&ctx.roster, &batch.results, count, seed);
    spot::record_draw(&ctx.campaign, &draw)?;
    let document = crate::compose::sample_list(
        &draw,
        &ctx.roster,
        &batch.results,
        &ctx.campaign,
        &templates,
    )?;
    let made = Formats::default_set().renderers(&ctx.campaign.output.formats, &ctx.campaign.fonts);
    let renderers = made.as_refs();
    let out = OutputDir::new(output);
    let mut written = Vec::new();
    for (relative, bytes) in
        render_all(std::slice::from_ref(&document), &renderers, 1, &NoProgress)?
    {
        out.write(&relative, &bytes)?;
        written.push(relative);
    }
    Ok(SampleReport {
        draw,
        written,
        unavailable: made.unavailable,
    })
}
