//! The `fucha` command: parses arguments, calls the library, prints what
//! happened, and chooses the exit code (0 ok, 1 errors in the data,
//! 2 the run itself failed).

mod cli;
mod register_cli;
mod workbench_cli;

use anyhow::{Context as _, Result};
use clap::Parser;
use cli::{BuildArgs, CheckArgs, Cli, Command, Format, IntakeArgs, RenderArgs, SampleArgs};
use fucha::check::report;
use fucha::output::OutputDir;
use fucha::pipeline::{self, BuildOptions, Context, Progress};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit code when the data has errors.
pub(crate) const DATA_ERRORS: u8 = 1;
/// Exit code when the run could not complete.
const FAILURE: u8 = 2;

fn main() -> ExitCode {
    isolate_decoders();
    // Without a subcommand, run `build` with its command-line defaults (a
    // derived Default would leave the output folder empty, i.e. the cwd).
    let command = match Cli::parse().command {
        Some(command) => command,
        None => Cli::parse_from(["fucha", "build"])
            .command
            .expect("`build` parses as a subcommand"),
    };
    let result = match command {
        Command::Build(args) => build(args),
        Command::Check(args) => check(args),
        Command::Intake(args) => intake(args),
        Command::Render(args) => render(args),
        Command::Sample(args) => sample(args),
        Command::Receive(args) => register_cli::receive(args),
        Command::Withdraw(args) => register_cli::withdraw(args),
        Command::Status(args) => register_cli::status(args),
        Command::History(args) => register_cli::history(args),
        Command::Roster(args) => register_cli::roster(args),
        Command::Backup(args) => register_cli::backup(args),
        Command::Restore(args) => register_cli::restore(args),
        Command::Serve(args) => workbench_cli::serve(args),
        Command::Account(command) => workbench_cli::account(command),
        Command::Decode(args) => {
            return ExitCode::from(fucha::ingest::isolate::decode_child_main(
                &args.path,
                args.max_rows,
            ));
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("错误：{}", fucha::diag::error_chain(e.as_ref()));
            ExitCode::from(FAILURE)
        }
    }
}

/// Legacy binary workbooks and ods are decoded in child processes of this binary,
/// so that a damaged one costs its county a letter, not the city its run.
/// A panic while reading a file becomes that file's error, so it is not
/// printed as a crash either.
fn isolate_decoders() {
    // FUCHA_DECODE_IN_PROCESS=1 turns the child processes off, to measure
    // what they cost and to reproduce what they guard against.
    let in_process = std::env::var_os("FUCHA_DECODE_IN_PROCESS").is_some_and(|v| !v.is_empty());
    if !in_process && let Ok(exe) = std::env::current_exe() {
        fucha::ingest::isolate::decode_in_child_processes(exe);
    }
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !fucha::ingest::isolate::is_decoding() {
            default_hook(info);
        }
    }));
}

/// The formats not written this run, each with why, as one error line.
fn report_unavailable(unavailable: &[fucha::render::RendererUnavailable]) {
    for u in unavailable {
        eprintln!("错误：{u}。{}", fucha::diag::error_chain(&*u.cause));
    }
}

/// The template folder: the one given, else `templates/` when it exists.
fn template_dir(given: Option<PathBuf>) -> Option<PathBuf> {
    given.or_else(|| Some(PathBuf::from("templates")).filter(|p| p.is_dir()))
}

fn jobs(given: Option<usize>) -> usize {
    given.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    })
}

/// An indicatif bar on stderr; hidden when stderr is not a terminal.
struct Bar(ProgressBar);

impl Progress for Bar {
    fn start(&self, total: u64) {
        self.0.set_length(total);
        self.0.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        self.0.set_message("排版");
    }
    fn tick(&self) {
        self.0.inc(1);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

fn build(args: BuildArgs) -> Result<u8> {
    let config = args
        .config
        .unwrap_or_else(|| PathBuf::from("input/fucha.toml"));
    let started = std::time::Instant::now();
    let (ctx, batch) = match args.as_of {
        Some(date) => {
            anyhow::ensure!(
                args.paths.is_empty(),
                "--as-of 按登记簿中的报送表生成，不能同时指定报送表文件"
            );
            Context::load_as_of(&config, args.roster.as_deref(), date)?
        }
        None => Context::load_and_check(&config, args.roster.as_deref(), &args.paths)?,
    };
    let opts = BuildOptions {
        inputs: args.paths,
        output: args.out.clone(),
        templates: template_dir(args.templates),
        draft: args.draft,
        jobs: jobs(args.jobs),
        reference_date: args.on,
    };
    let bar = Bar(ProgressBar::new(0));
    let report = pipeline::build_checked(&ctx, batch, &opts, &bar, started)?;
    let batch = &report.batch;

    let rows: usize = batch.files.iter().map(|f| f.rows).sum();
    let accepted: usize = batch.files.iter().map(|f| f.accepted).sum();
    let rejected: usize = batch.files.iter().map(|f| f.rejected).sum();
    println!(
        "读取 {} 个报送文件，共 {} 行：接收 {} 行，退回 {} 行；错误 {} 个，警告 {} 个。",
        batch.files.len(),
        rows,
        accepted,
        rejected,
        batch.errors(),
        batch.warnings()
    );
    if batch.errors() > 0 {
        eprint!("{}", report::to_text(batch));
    }
    let followup = &report.followup;
    if !followup.units.is_empty() || !followup.files.is_empty() {
        print!("{}", fucha::rectify::report_text(followup));
    }
    for path in &report.written {
        println!("  写入 {}", args.out.join(path).display());
    }
    for path in &report.removed {
        println!("  删除过期文件 {}", args.out.join(path).display());
    }
    for (path, reason) in &report.withheld {
        println!("  暂缓 {}：{}", path.display(), reason);
    }
    println!(
        "共写入 {} 个文件，用时 {:.2} 秒。",
        report.written.len(),
        report.elapsed.as_secs_f64()
    );
    if !report.unavailable.is_empty() {
        report_unavailable(&report.unavailable);
        return Ok(FAILURE);
    }
    let errors = batch.errors() + report.followup.errors();
    Ok(if errors > 0 { DATA_ERRORS } else { 0 })
}

fn check(args: CheckArgs) -> Result<u8> {
    let (ctx, batch) = Context::load_and_check(
        &args.common.config,
        args.common.roster.as_deref(),
        &args.paths,
    )?;
    // The follow-ups come with the intake folder, not with files named.
    let followup = match ctx.recorded {
        Some(_) => Some(pipeline::followups(&ctx, &batch, args.on, false)?),
        None => None,
    };
    match args.format {
        Format::Text => {
            print!("{}", report::to_text(&batch));
            if let Some(f) = followup
                .as_ref()
                .filter(|f| !f.units.is_empty() || !f.files.is_empty())
            {
                print!("{}", fucha::rectify::report_text(f));
            }
        }
        Format::Json => {
            let mut json = report::to_json(&batch);
            if let (Some(f), Some(map)) = (&followup, json.as_object_mut()) {
                map.insert("rectification".into(), fucha::rectify::report_json(f));
            }
            println!("{}", serde_json::to_string_pretty(&json)?)
        }
    }
    let followup_errors = followup.as_ref().map_or(0, |f| f.errors());
    Ok(if batch.errors() + followup_errors > 0 {
        DATA_ERRORS
    } else {
        0
    })
}

fn intake(args: IntakeArgs) -> Result<u8> {
    let ctx = Context::load(&args.common.config, args.common.roster.as_deref())?;
    let out = OutputDir::new(&args.out);
    if args.spot_check {
        let (name, bytes) = pipeline::spot_check_workbook(&ctx)?;
        let path = out.write(Path::new(&name), &bytes)?;
        println!("  写入 {}", path.display());
        println!(
            "填好后放入 {} 文件夹，再运行 fucha check。",
            ctx.campaign.spot_checks.display()
        );
        return Ok(0);
    }
    if args.rectification {
        let made = pipeline::followup_workbooks(&ctx)?;
        for (name, bytes) in &made {
            let path = out.write(Path::new(&format!("{name}.xlsx")), bytes)?;
            println!("  写入 {}", path.display());
        }
        println!(
            "共生成 {} 个整改落实情况表。填好后放入 {} 文件夹，再运行 fucha check 或 fucha build。",
            made.len(),
            ctx.campaign.rectifications.display()
        );
        return Ok(0);
    }
    let mut written = 0;
    for jurisdiction in ctx.roster.jurisdictions() {
        let due = ctx
            .roster
            .units_of(jurisdiction)
            .any(|u| ctx.campaign.is_due(u.level));
        if !due {
            continue;
        }
        let bytes = fucha::intake::intake_workbook(&ctx.roster, jurisdiction, &ctx.campaign, &[])
            .with_context(|| format!("无法生成{jurisdiction}的报送表"))?;
        let path = out.write(Path::new(&format!("{jurisdiction}.xlsx")), &bytes)?;
        println!("  写入 {}", path.display());
        written += 1;
    }
    println!("共生成 {written} 个报送表。");
    Ok(0)
}

fn render(args: RenderArgs) -> Result<u8> {
    let campaign = fucha::campaign::Campaign::load(&args.config)?;
    let mut templates = fucha::compose::Templates::load(template_dir(args.templates).as_deref())?;
    let name = templates.resolve(&args.template)?;
    let data: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&args.data).with_context(|| format!("无法读取 {}", args.data.display()))?,
    )
    .with_context(|| format!("{} 不是有效的 JSON", args.data.display()))?;
    let document = fucha::compose::render_template(&templates, &name, &data)?;
    let formats = fucha::render::Formats::default_set();
    let Some(format) = formats.by_extension(&args.out) else {
        let endings: Vec<String> = formats.names().iter().map(|n| format!(".{n}")).collect();
        anyhow::bail!(
            "输出文件须以 {} 结尾：{}",
            endings.join(" 或 "),
            args.out.display()
        );
    };
    // The format's own error (no fonts for the PDF), as before the registry.
    let renderer = format
        .renderer(&fucha::render::Setup::new(&campaign.fonts))
        .map_err(anyhow::Error::from_boxed)?;
    let bytes = renderer.render(&document)?;
    let dir = args
        .out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = args.out.file_name().context("输出文件名为空")?;
    let path = OutputDir::new(dir).write(Path::new(name), &bytes)?;
    println!("写入 {}", path.display());
    Ok(0)
}

fn sample(args: SampleArgs) -> Result<u8> {
    anyhow::ensure!(args.count > 0, "抽取数量（--count）至少为 1");
    let ctx = Context::load(&args.common.config, args.common.roster.as_deref())?;
    let templates = template_dir(args.templates);
    let report = pipeline::sample(
        &ctx,
        &args.paths,
        args.count,
        args.seed,
        templates.as_deref(),
        &args.out,
    )?;
    println!(
        "从 {} 个候选单位中抽取 {} 个（种子 {}）：",
        report.draw.candidates,
        report.draw.picks.len(),
        report.draw.seed
    );
    for pick in &report.draw.picks {
        println!(
            "  {:>3}. {}（{}，候选序号 {}）",
            pick.order, pick.unit, pick.jurisdiction, pick.candidate_no
        );
    }
    for path in &report.written {
        println!("  写入 {}", args.out.join(path).display());
    }
    println!(
        "本次抽取已记入复查登记簿 {}；用 fucha intake --spot-check 生成随机抽查表。",
        ctx.campaign.register.display()
    );
    if !report.unavailable.is_empty() {
        report_unavailable(&report.unavailable);
        return Ok(FAILURE);
    }
    Ok(0)
}
