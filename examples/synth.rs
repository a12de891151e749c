//! Writes a synthetic campaign for benchmarks: `fucha.toml`, the roster and
//! one filled intake workbook per reporting body.
//!
//! ```text
//! cargo run --release --example synth -- --size L --seed 1 --out /tmp/fucha-L
//! cargo run --release --example synth -- --units 500 --bodies 10 --faulty 0.05 --out DIR
//! ```
//!
//! Size S is the default data: point `fucha` at `input/` instead.

use std::path::PathBuf;
use std::process::ExitCode;

use fucha::synth::{Size, Spec, write_campaign};

const USAGE: &str = "用法：synth (--size L|XL | --units N --bodies M) [--seed S] [--reform 0.12] [--faulty 0.02] --out 目录";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| -> Option<&str> {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .map(String::as_str)
    };
    let number = |flag: &str| -> Result<Option<f64>, String> {
        value(flag)
            .map(|v| {
                v.parse::<f64>()
                    .map_err(|_| format!("{flag} 的值“{v}”不是数字"))
            })
            .transpose()
    };
    let seed = number("--seed")?.unwrap_or(1.0) as u64;
    let mut spec = match value("--size") {
        Some(s) if s.eq_ignore_ascii_case("S") => {
            return Err("S 即默认数据，直接使用 input/ 目录".into());
        }
        Some(s) => Size::parse(s)
            .ok_or_else(|| format!("未知规模“{s}”，应为 L 或 XL"))?
            .spec(seed),
        None => {
            let units = number("--units")?.ok_or("缺少 --size 或 --units")? as usize;
            let bodies = number("--bodies")?.ok_or("缺少 --bodies")? as usize;
            Spec::new(units, bodies, seed)
        }
    };
    if let Some(share) = number("--reform")? {
        spec.reform_share = share;
    }
    if let Some(share) = number("--faulty")? {
        spec.faulty_share = share;
    }
    let out = PathBuf::from(value("--out").ok_or("缺少 --out")?);
    let summary = write_campaign(&spec, &out).map_err(|e| e.to_string())?;
    println!(
        "已生成 {}：{} 个单位，{} 份报送表，{} 个涉及机构改革，{} 行有错误（种子 {}）",
        out.display(),
        summary.units,
        summary.bodies,
        summary.reformed,
        summary.faulty_rows,
        spec.seed
    );
    Ok(())
}
