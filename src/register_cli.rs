//! The register's commands for `fucha`: each calls the library and prints
//! what it found, in Chinese, for a clerk.

use crate::cli::{
    BackupArgs, HistoryArgs, ReceiveArgs, RestoreArgs, RosterArgs, StatusArgs, WithdrawArgs,
};
use anyhow::Result;
use fucha::check::report;
use fucha::output::OutputDir;
use fucha::pipeline::{self, Context};
use fucha::register::Submission;
use std::path::Path;

const TIME: &str = "%Y-%m-%d %H:%M";

fn line(s: &Submission) -> String {
    format!(
        "{}  {}  {}行（接收{}，退回{}），错误{}个，提示{}个  [{}]",
        s.received_at.format(TIME),
        s.name,
        s.rows,
        s.accepted,
        s.rejected,
        s.errors,
        s.warnings,
        &s.hash[..8]
    )
}

pub fn receive(args: ReceiveArgs) -> Result<u8> {
    let ctx = Context::load(&args.common.config, args.common.roster.as_deref())?;
    let report = pipeline::receive(&ctx, &args.paths, args.at)?;
    for s in &report.new {
        println!("  登记 {}", line(s));
    }
    println!(
        "新登记 {} 个文件，{} 个已在登记簿中（内容相同，未改动）。",
        report.new.len(),
        report.known
    );
    if report.batch.errors() > 0 {
        eprint!("{}", report::to_text(&report.batch));
        return Ok(crate::DATA_ERRORS);
    }
    Ok(0)
}

pub fn withdraw(args: WithdrawArgs) -> Result<u8> {
    let ctx = Context::load(&args.common.config, args.common.roster.as_deref())?;
    let s = pipeline::withdraw(&ctx, &args.file, &args.reason)?;
    let (when, why) = s.withdrawn.clone().unwrap_or_default();
    println!(
        "已撤回 {}（{}收到）：{}，撤回时间 {}。文件仍保存在登记簿中。",
        s.name,
        s.received_at.format(TIME),
        why,
        when.format(TIME)
    );
    Ok(0)
}

pub fn status(args: StatusArgs) -> Result<u8> {
    let ctx = Context::load(&args.common.config, args.common.roster.as_deref())?;
    let at = args
        .as_of
        .map(|d| d.and_hms_opt(23, 59, 59).expect("a valid time"));
    let st = pipeline::status(&ctx, at)?;
    match args.as_of {
        Some(d) => println!("{}年复查报送情况（截至 {d}）：", st.year),
        None => println!("{}年复查报送情况：", st.year),
    }
    for b in &st.bodies {
        println!("== {}", b.body.as_deref().unwrap_or("报送单位不明"));
        let latest = b.versions.iter().rposition(|(_, counts)| *counts);
        for (i, (s, counts)) in b.versions.iter().enumerate() {
            let mark = if let Some((when, why)) = &s.withdrawn
                && at.is_none_or(|at| *when <= at)
            {
                format!("已撤回（{}，{}）", when.format(TIME), why)
            } else if !counts {
                "尚未收到".to_string()
            } else if Some(i) == latest {
                "最新版".to_string()
            } else {
                "前一版".to_string()
            };
            println!("  {}  {mark}", line(s));
        }
        for (from, to, d) in &b.changes {
            println!(
                "  {from} → {to}：新增{}个单位，缺少{}个单位（沿用前一版），改动{}处",
                d.added.len(),
                d.missing.len(),
                d.changed.len()
            );
            for u in &d.added {
                println!("    + {u}");
            }
            for u in &d.missing {
                println!("    - {u}（新版中没有，沿用前一版的结果）");
            }
            for (unit, column, old, new) in &d.changed {
                println!("    * {unit} {column}：{old} → {new}");
            }
        }
    }
    if !st.not_received.is_empty() {
        println!("未报送：{}", st.not_received.join("、"));
    }
    Ok(0)
}

/// Enters this year's season first if the register has none, and says so.
fn seed(ctx: &Context) -> Result<()> {
    if let Some(n) = pipeline::seed_season(ctx)? {
        println!(
            "登记簿中还没有{}年的复查结果：已登记报送文件夹 {} 中的文件，记入 {n} 个单位的结果。",
            ctx.campaign.campaign.year,
            ctx.campaign.intake.display()
        );
    }
    Ok(())
}

pub fn history(args: HistoryArgs) -> Result<u8> {
    let ctx = Context::load(&args.common.config, args.common.roster.as_deref())?;
    seed(&ctx)?;
    let Some(h) = pipeline::history(&ctx, &args.unit)? else {
        anyhow::bail!(
            "登记簿中没有“{}”；请核对单位名称（可用全称、简称或曾用名）",
            args.unit
        );
    };
    println!("{}", h.name);
    if h.names.len() > 1 {
        println!(
            "  曾用名、别名：{}",
            h.names
                .iter()
                .filter(|n| **n != h.name)
                .cloned()
                .collect::<Vec<_>>()
                .join("、")
        );
    }
    for (name, year, note) in &h.formerly {
        println!("  {year}年由“{name}”改革而来：{note}");
    }
    for (name, year) in &h.succeeded_by {
        println!("  {year}年起并入或改为“{name}”");
    }
    for s in &h.seasons {
        let result = match &s.result {
            Some(r) => format!(
                "{}（{}，测评得分{}）{}",
                r.outcome,
                r.review_date,
                r.score,
                if r.problems.is_empty() {
                    String::new()
                } else {
                    format!("，问题：{}", r.problems)
                }
            ),
            None => "未报结果".to_string(),
        };
        println!(
            "  {}年  {}，{}年命名，{}：{}",
            s.year, s.level, s.award_year, s.jurisdiction, result
        );
    }
    Ok(0)
}

pub fn roster(args: RosterArgs) -> Result<u8> {
    let ctx = Context::load(&args.common.config, args.common.roster.as_deref())?;
    seed(&ctx)?;
    let (roster, bytes) = pipeline::roster_for_year(&ctx, args.year)?;
    let out = args
        .out
        .unwrap_or_else(|| Path::new("output").join(format!("{}年复查单位名单.xlsx", args.year)));
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .ok_or_else(|| anyhow::anyhow!("输出文件名为空"))?;
    let path = OutputDir::new(dir).write(Path::new(name), &bytes)?;
    let mut by_level: std::collections::BTreeMap<&str, usize> = Default::default();
    for u in roster.units() {
        *by_level.entry(u.level.label()).or_default() += 1;
    }
    let counts: Vec<String> = by_level.iter().map(|(l, n)| format!("{l}{n}个")).collect();
    let counts = if counts.is_empty() {
        String::new()
    } else {
        format!("（{}）", counts.join("，"))
    };
    println!(
        "{}年应复查 {} 个单位{counts}，写入 {}",
        args.year,
        roster.units().len(),
        path.display()
    );
    Ok(0)
}

pub fn backup(args: BackupArgs) -> Result<u8> {
    let ctx = Context::load(&args.common.config, args.common.roster.as_deref())?;
    pipeline::backup(&ctx, &args.dest)?;
    println!("已备份复查登记簿到 {}", args.dest.display());
    Ok(0)
}

pub fn restore(args: RestoreArgs) -> Result<u8> {
    let ctx = Context::load(&args.common.config, args.common.roster.as_deref())?;
    pipeline::restore(&ctx, &args.backup)?;
    println!(
        "已从 {} 恢复复查登记簿 {}（恢复前的登记簿另存为 *.before-restore.sqlite）",
        args.backup.display(),
        ctx.campaign.register.display()
    );
    Ok(0)
}
