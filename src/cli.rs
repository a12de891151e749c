//! Command-line arguments, resolved into the library's options at the edge.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// fucha（复查）：文明单位复查工作的报送校验与公文生成。
#[derive(Debug, Parser)]
#[command(name = "fucha", version, about, long_about = None)]
pub struct Cli {
    /// What to do; without a subcommand, `build` runs on the default data.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// 校验报送表、抽查表和整改落实情况表，按 fucha.toml 的 [output] formats 生成本季全部公文
    Build(BuildArgs),
    /// 只校验报送表，逐个单元格报告问题
    Check(CheckArgs),
    /// 按名单为各县市区生成待填报的报送表
    Intake(IntakeArgs),
    /// 用任一模板和 JSON 数据排版一份公文
    Render(RenderArgs),
    /// 随机抽查：可复现地抽取县市区复查的单位
    Sample(SampleArgs),
    /// 把收到的报送表记入复查登记簿（含更正版、第二次报送）
    Receive(ReceiveArgs),
    /// 撤回误收的报送表：仍留在登记簿中，标为已撤回，不再计入
    Withdraw(WithdrawArgs),
    /// 各报送单位收到的各版报送表、当前有效的版本和前后版本的差别
    Status(StatusArgs),
    /// 某个单位历年的名称、荣誉和复查结果
    History(HistoryArgs),
    /// 按登记簿和复查周期列出某年应复查的单位，写成复查单位名单
    Roster(RosterArgs),
    /// 备份复查登记簿（可在他人使用时进行）
    Backup(BackupArgs),
    /// 从备份恢复复查登记簿（先检查备份是否完好，并保留当前登记簿的副本）
    Restore(RestoreArgs),
    /// 启动复查工作台：在浏览器中查看本季报送情况（默认只允许本机访问）
    Serve(ServeArgs),
    /// 管理复查工作台的账号
    #[command(subcommand)]
    Account(AccountCommand),
    /// Internal: decodes one workbook in a child process (see `ingest::isolate`).
    #[command(name = "__decode", hide = true)]
    Decode(DecodeArgs),
}

/// `fucha __decode`: run by fucha itself, never by a clerk.
#[derive(Debug, clap::Args)]
pub struct DecodeArgs {
    /// The most rows kept from one sheet.
    #[arg(long)]
    pub max_rows: usize,
    /// The workbook.
    pub path: PathBuf,
}

/// Options every subcommand shares.
#[derive(Debug, clap::Args, Clone)]
pub struct Common {
    /// 配置文件 fucha.toml
    #[arg(long, default_value = "input/fucha.toml")]
    pub config: PathBuf,
    /// 复查单位名单（默认取配置中的 roster）
    #[arg(long)]
    pub roster: Option<PathBuf>,
}

/// `fucha build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// 报送表文件或文件夹（默认取配置中的 intake 文件夹）
    pub paths: Vec<PathBuf>,
    /// 配置文件 fucha.toml
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// 复查单位名单（默认取配置中的 roster）
    #[arg(long)]
    pub roster: Option<PathBuf>,
    /// 输出文件夹
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// 模板文件夹（默认 templates/，不存在时用内置模板）
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// 有错误时仍生成通报等公文，标为征求意见稿
    #[arg(long)]
    pub draft: bool,
    /// 同时排版的公文数（默认为 CPU 核数）
    #[arg(long)]
    pub jobs: Option<usize>,
    /// 按登记簿中某日（含当天）有效的各版报送表生成，重现当日印发的公文，如 2020-10-20
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<chrono::NaiveDate>,
    /// 判断整改是否逾期的核对日期（默认取配置中的 reference_date，再默认为今天），如 2020-12-20
    #[arg(long, value_name = "DATE")]
    pub on: Option<chrono::NaiveDate>,
}

/// Output format of `fucha check`.
#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum Format {
    /// 类似编译器的逐行文本
    #[default]
    Text,
    /// 一个 JSON 对象
    Json,
}

/// `fucha check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// 报送表文件或文件夹（默认取配置中的 intake 文件夹）
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub common: Common,
    /// 输出格式
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// 判断整改是否逾期的核对日期（默认取配置中的 reference_date，再默认为今天），如 2020-12-20
    #[arg(long, value_name = "DATE")]
    pub on: Option<chrono::NaiveDate>,
}

/// `fucha intake`.
#[derive(Debug, clap::Args)]
pub struct IntakeArgs {
    #[command(flatten)]
    pub common: Common,
    /// 输出文件夹
    #[arg(long, default_value = "output/报送表")]
    pub out: PathBuf,
    /// 改为生成随机抽查表：登记簿中最近一次 fucha sample 抽中的单位，附县市区复查结论，供市文明办抽查填写
    #[arg(long)]
    pub spot_check: bool,
    /// 改为生成整改落实情况表：每个有限期整改（或通报批评并提出整改要求）单位的县市区一份，供填报整改措施和验收结果
    #[arg(long, conflicts_with = "spot_check")]
    pub rectification: bool,
}

/// `fucha render`.
#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// 模板名（如 circular）或 .hbs 文件路径
    pub template: String,
    /// 模板数据（JSON 文件）
    #[arg(long)]
    pub data: PathBuf,
    /// 输出文件，.docx、.pdf 或 .ofd
    #[arg(long)]
    pub out: PathBuf,
    /// 配置文件（字体设置）
    #[arg(long, default_value = "input/fucha.toml")]
    pub config: PathBuf,
    /// 模板文件夹
    #[arg(long)]
    pub templates: Option<PathBuf>,
}

/// `fucha sample`.
#[derive(Debug, clap::Args)]
pub struct SampleArgs {
    /// 抽取的单位数
    #[arg(long)]
    pub count: usize,
    /// 随机种子；相同名单、结果和种子必得相同结果
    #[arg(long)]
    pub seed: u64,
    /// 报送表文件或文件夹（默认取配置中的 intake 文件夹）
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub common: Common,
    /// 输出文件夹
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// 模板文件夹
    #[arg(long)]
    pub templates: Option<PathBuf>,
}

/// `fucha receive`.
#[derive(Debug, clap::Args)]
pub struct ReceiveArgs {
    /// 收到的报送表文件或文件夹
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub common: Common,
    /// 收到的时间（默认为现在），如 2020-10-12 或 2020-10-12T09:30:00
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub at: Option<chrono::NaiveDateTime>,
}

/// `fucha withdraw`.
#[derive(Debug, clap::Args)]
pub struct WithdrawArgs {
    /// 要撤回的文件：文件名、路径或内容摘要的前几位（见 fucha status）
    pub file: String,
    /// 撤回的原因
    #[arg(long, default_value = "误收")]
    pub reason: String,
    #[command(flatten)]
    pub common: Common,
}

/// `fucha status`.
#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub common: Common,
    /// 查看某日（含当天）的状态，如 2020-10-20
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<chrono::NaiveDate>,
}

/// `fucha history`.
#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// 单位名称（现名、曾用名或别名均可）
    pub unit: String,
    #[command(flatten)]
    pub common: Common,
}

/// `fucha roster`.
#[derive(Debug, clap::Args)]
pub struct RosterArgs {
    /// 年度
    #[arg(long)]
    pub year: i32,
    #[command(flatten)]
    pub common: Common,
    /// 输出文件
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `fucha backup`.
#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// 备份文件
    pub dest: PathBuf,
    #[command(flatten)]
    pub common: Common,
}

/// `fucha restore`.
#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// 备份文件
    pub backup: PathBuf,
    #[command(flatten)]
    pub common: Common,
}

/// A date, or a date and time: `2020-10-12`, `2020-10-12T09:30:00`.
fn parse_time(text: &str) -> Result<chrono::NaiveDateTime, String> {
    let text = text.trim();
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S"))
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
        .or_else(|_| {
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(|d| d.and_hms_opt(0, 0, 0).expect("midnight"))
        })
        .map_err(|_| format!("“{text}”不是日期或时间，应写成 2020-10-12 或 2020-10-12T09:30:00"))
}

/// `fucha serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub common: Common,
    /// 监听的地址和端口；默认只允许本机访问，办公网内访问可写 0.0.0.0:8080
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: std::net::SocketAddr,
    /// 在工作台上生成公文时的输出文件夹（与 fucha build --out 相同，默认 output）
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// 模板文件夹（默认 templates/，不存在时用内置模板）
    #[arg(long)]
    pub templates: Option<PathBuf>,
}

/// `fucha account`.
#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// 新建账号；密码从标准输入读取（第一行），如 echo 'Yueyang-2020' | fucha account add 张三 --role city
    Add(AccountAddArgs),
    /// 列出全部账号
    List(AccountListArgs),
}

/// Who an account is for.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AccountRole {
    /// 市文明办：查看全部报送单位
    City,
    /// 县市区：只看所属报送单位（须用 --body 指明）
    County,
}

/// `fucha account add`.
#[derive(Debug, clap::Args)]
pub struct AccountAddArgs {
    /// 登录名
    pub name: String,
    /// 账号类别
    #[arg(long, value_enum)]
    pub role: AccountRole,
    /// 县市区账号所属的报送单位，如 汨罗市
    #[arg(long, required_if_eq("role", "county"))]
    pub body: Option<String>,
    /// 从标准输入读取密码，不提示（供脚本使用）
    #[arg(long)]
    pub password_stdin: bool,
    #[command(flatten)]
    pub common: Common,
}

/// `fucha account list`.
#[derive(Debug, clap::Args)]
pub struct AccountListArgs {
    #[command(flatten)]
    pub common: Common,
}
