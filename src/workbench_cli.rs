//! The workbench's commands (issue #15): `fucha serve` and `fucha account`.

use crate::cli::{AccountAddArgs, AccountCommand, AccountRole, ServeArgs};
use anyhow::{Context as _, Result};
use fucha::pipeline::{self, Context};
use fucha::register::Role;
use std::io::{BufRead, IsTerminal, Write};

pub fn serve(args: ServeArgs) -> Result<u8> {
    // The files already in the intake folder are the season's too: entered
    // now, as `fucha check` enters them, so the dashboard shows them.
    let (mut ctx, _) =
        Context::load_and_check(&args.common.config, args.common.roster.as_deref(), &[])?;
    // The server's context stands for no one run: each page reads the
    // register as it is then.
    let entered = ctx.recorded.take().map_or(0, |r| r.new.len());
    let intake = ctx.campaign.intake.clone();
    let register = ctx.campaign.register.clone();
    // A build from the browser is `fucha build` with the same options.
    let build = fucha::serve::BuildSettings {
        config: Some(args.common.config.clone()),
        roster: args.common.roster.clone(),
        output: args.out.clone(),
        templates: crate::template_dir(args.templates.clone()),
        jobs: crate::jobs(None),
    };
    fucha::serve::serve(ctx, build, args.listen, |addr, setup| {
        println!("复查工作台已启动：http://{addr}/");
        println!("登记簿：{}", register.display());
        println!("按 Ctrl+C 停止。");
        if let Some(setup) = setup {
            println!(
                "还没有账号。请在浏览器中打开 http://{addr}{setup} 新建市文明办的第一个账号（此链接只显示在这里，用过即失效）。"
            );
        }
        if entered > 0 {
            println!(
                "已登记 {} 等文件夹中新收到的 {entered} 个文件。",
                intake.display()
            );
        }
        // Scripts wait for the address line.
        let _ = std::io::stdout().flush();
    })?;
    Ok(0)
}

pub fn account(command: AccountCommand) -> Result<u8> {
    match command {
        AccountCommand::Add(args) => add(args),
        AccountCommand::List(args) => {
            let ctx = Context::load(&args.common.config, args.common.roster.as_deref())?;
            let accounts = pipeline::accounts(&ctx)?;
            if accounts.is_empty() {
                println!("还没有账号；用 fucha account add 新建。");
            }
            for a in &accounts {
                let role = match &a.role {
                    Role::City => "市文明办".to_string(),
                    Role::County(body) => format!("县市区：{body}"),
                };
                println!(
                    "{}  {}  建于 {}",
                    a.name,
                    role,
                    a.created_at.format("%Y-%m-%d %H:%M")
                );
            }
            Ok(0)
        }
    }
}

fn add(args: AccountAddArgs) -> Result<u8> {
    let ctx = Context::load(&args.common.config, args.common.roster.as_deref())?;
    let role = match (args.role, args.body) {
        (AccountRole::City, None) => Role::City,
        (AccountRole::City, Some(_)) => {
            anyhow::bail!("市文明办的账号不属于某个报送单位，不用 --body")
        }
        (AccountRole::County, Some(body)) => Role::County(body),
        (AccountRole::County, None) => anyhow::bail!("县市区账号须用 --body 指明报送单位"),
    };
    let stdin = std::io::stdin();
    if !args.password_stdin && stdin.is_terminal() {
        // No hidden prompt without another crate: say the input shows.
        eprint!("请输入新账号的密码（输入的字符会显示在屏幕上，回车结束）：");
    }
    let mut password = String::new();
    stdin
        .lock()
        .read_line(&mut password)
        .context("无法从标准输入读取密码")?;
    let password = password.trim_end_matches(['\r', '\n']);
    let account = pipeline::add_account(&ctx, &args.name, &role, password)?;
    println!(
        "已新建账号 {}（{}），登记在 {}",
        account.name,
        match &account.role {
            Role::City => "市文明办".to_string(),
            Role::County(body) => format!("县市区：{body}"),
        },
        ctx.campaign.register.display()
    );
    Ok(0)
}
