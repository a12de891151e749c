//! The campaign configuration (`fucha.toml`): the year, the issuing organs,
//! phase windows, deadlines, pass lines, the numbers and recipients of each
//! document, and the font chains. Everything an office changes from one
//! season to the next lives here, not in code.

pub use crate::compose::DocumentKind;
use crate::review::HonourLevel;
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Errors loading the configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("无法读取配置文件 {path}")]
    Read {
        /// The config path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has wrong fields.
    #[error("配置文件 {path} 有误：{message}")]
    Parse {
        /// The config path.
        path: PathBuf,
        /// What toml said, with line and column.
        message: String,
    },
    /// The values contradict each other.
    #[error("配置文件 {path} 有误：{message}")]
    Invalid {
        /// The config path.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// The whole configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    /// Who runs the campaign and when.
    pub campaign: CampaignInfo,
    /// The review phases, each with its window and the levels it covers.
    #[serde(default)]
    pub phases: Vec<Phase>,
    /// Deadlines.
    pub deadlines: Deadlines,
    /// Score and satisfaction lines under which 复查合格 is suspicious.
    pub pass_lines: PassLines,
    /// Per document kind (`notice`, `circular`, `summary`, `provincial`,
    /// `rectification`, `feedback`, `validation`, `sample`): numbers,
    /// dates, addressees, copy-to lists.
    #[serde(default)]
    pub documents: BTreeMap<String, DocumentSettings>,
    /// Font search folders and per-role fallback chains.
    #[serde(default)]
    pub fonts: FontSettings,
    /// The roster file, relative to the config file's folder.
    #[serde(default = "default_roster")]
    pub roster: PathBuf,
    /// The folder of intake workbooks, relative to the config file's folder.
    #[serde(default = "default_intake")]
    pub intake: PathBuf,
    /// Short names of reporting bodies: the body as the roster's 所属县市区
    /// writes it → the short names county files use for it (经开区).
    #[serde(default)]
    pub bodies: BTreeMap<String, Vec<String>>,
    /// What `build` and `sample` write.
    #[serde(default)]
    pub output: OutputSettings,
    /// The register (登记簿), relative to the config file's folder.
    #[serde(default = "default_register")]
    pub register: PathBuf,
    /// The folder of the filled spot-check (随机抽查) workbooks, relative to
    /// the config file's folder; absent means no findings yet.
    #[serde(default = "default_spot_checks")]
    pub spot_checks: PathBuf,
    /// The folder of the filled rectification follow-up workbooks (整改落实
    /// 情况表), relative to the config file's folder; absent means none yet.
    #[serde(default = "default_rectifications")]
    pub rectifications: PathBuf,
    /// The date rectification deadlines are judged on (overdue or not);
    /// `fucha build --on` overrides it, and without either it is today.
    #[serde(default, deserialize_with = "opt_date")]
    pub reference_date: Option<NaiveDate>,
    /// How many years after it was given each honour is reviewed, and every
    /// as many years after that, by the honour's name (`[review_cycle]`).
    #[serde(default = "default_review_cycle")]
    pub review_cycle: BTreeMap<String, i32>,
    /// `[publicity]`: the 复查结果公示's period and contact; without it the
    /// 公示 is not written.
    #[serde(default)]
    pub publicity: Option<PublicitySettings>,
}

/// `[publicity]`: when the results are shown to the public and where
/// objections go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicitySettings {
    /// The first day of the publicity period.
    #[serde(deserialize_with = "date")]
    pub start: NaiveDate,
    /// The last day.
    #[serde(deserialize_with = "date")]
    pub end: NaiveDate,
    /// Where objections go: phone, address, email, a line each.
    #[serde(default)]
    pub contact: Vec<String>,
}

/// `[output]`: the formats every document is written in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputSettings {
    /// Format names as the registry knows them ([`crate::render::Formats`]);
    /// all of them (DOCX and PDF) by default.
    #[serde(default = "default_formats")]
    pub formats: Vec<String>,
}

impl Default for OutputSettings {
    fn default() -> Self {
        OutputSettings {
            formats: default_formats(),
        }
    }
}

fn default_formats() -> Vec<String> {
    crate::render::Formats::default_set()
        .names()
        .into_iter()
        .map(String::from)
        .collect()
}

fn default_roster() -> PathBuf {
    PathBuf::from("复查单位名单.xlsx")
}

fn default_intake() -> PathBuf {
    PathBuf::from("报送")
}

fn default_spot_checks() -> PathBuf {
    PathBuf::from("抽查")
}

fn default_rectifications() -> PathBuf {
    PathBuf::from("整改")
}

fn default_register() -> PathBuf {
    PathBuf::from(crate::register::DEFAULT_FILE_NAME)
}

/// The 2020 plan reviews the national units of earlier terms (named 2008,
/// 2011, 2014, 2017: every 3 years) and the provincial terms of 2014, 2016
/// and 2018 (every 2); city honours are reviewed every 2 years.
fn default_review_cycle() -> BTreeMap<String, i32> {
    use HonourLevel::*;
    [
        (National, 3),
        (ProvincialModel, 2),
        (Provincial, 2),
        (CityModel, 2),
        (City, 2),
    ]
    .into_iter()
    .map(|(level, years)| (level.label().to_string(), years))
    .collect()
}

/// Who runs the campaign.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignInfo {
    /// The review year, e.g. 2020; also the year for dates written without one.
    pub year: i32,
    /// The city, e.g. 岳阳市.
    pub city: String,
    /// 文明委 full name, e.g. 岳阳市精神文明建设指导委员会.
    pub committee: String,
    /// 文明委 short name, e.g. 岳阳市文明委.
    pub committee_short: String,
    /// 文明办 full name.
    pub office: String,
    /// 文明办 short name, e.g. 岳阳市文明办.
    pub office_short: String,
    /// The provincial office, e.g. 湖南省文明办.
    pub province_office: String,
    /// The date written into file metadata, so output never depends on the clock.
    #[serde(deserialize_with = "date")]
    pub metadata_date: NaiveDate,
}

/// One review phase.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// e.g. 第一阶段.
    pub name: String,
    /// First day.
    #[serde(deserialize_with = "date")]
    pub start: NaiveDate,
    /// Last day (inclusive).
    #[serde(deserialize_with = "date")]
    pub end: NaiveDate,
    /// The honour levels reviewed in this phase, by their Chinese names.
    pub levels: Vec<String>,
    /// What happens in the phase, for the work plan.
    #[serde(default)]
    pub tasks: String,
}

/// Deadlines.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadlines {
    /// City-level units send their own report by then.
    #[serde(deserialize_with = "date")]
    pub unit_report: NaiveDate,
    /// Reporting bodies send their workbooks by then (`late-submission`).
    #[serde(deserialize_with = "date")]
    pub submission: NaiveDate,
    /// Days a unit has to rectify, counted from the rectification notice's date.
    pub rectification_days: u32,
}

/// Lines under which a 复查合格 is inconsistent.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PassLines {
    /// Minimum evaluation score.
    pub score: f64,
    /// Minimum satisfaction in percent.
    pub satisfaction: f64,
}

/// Settings of one document kind.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentSettings {
    /// 发文字号, e.g. 岳市文明委〔2020〕5号. For per-unit documents, `{n}`
    /// is replaced by a running number.
    #[serde(default)]
    pub number: Option<String>,
    /// 成文日期.
    #[serde(default, deserialize_with = "opt_date")]
    pub date: Option<NaiveDate>,
    /// 主送机关.
    #[serde(default)]
    pub addressee: Option<String>,
    /// 抄送.
    #[serde(default)]
    pub copy_to: Vec<String>,
    /// 签发人 (upward documents).
    #[serde(default)]
    pub signers: Vec<String>,
    /// 附注, e.g. the contact person and phone.
    #[serde(default)]
    pub note: Option<String>,
}

/// Font folders and chains. Empty chains mean the built-in defaults.
///
/// Each chain entry is looked up in `dirs` first, then in the faces that
/// ship with fucha (`fonts/`), then in the system's font folders, so the
/// shipped faces win over any system face of the same family and two
/// machines without the office's fonts typeset alike.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontSettings {
    /// Extra folders to search, relative to the config file's folder.
    #[serde(default)]
    pub dirs: Vec<PathBuf>,
    /// Whether the system's font folders are searched (`system = false`
    /// turns them off; so does the environment variable
    /// `FUCHA_NO_SYSTEM_FONTS=1`).
    #[serde(default = "yes")]
    pub system: bool,
    /// The config file's folder, where the search for the shipped `fonts/`
    /// starts (set by [`Campaign::load`]).
    #[serde(skip)]
    pub base: Option<PathBuf>,
    /// 标题 and 发文机关标志 (小标宋).
    #[serde(default)]
    pub title: Vec<String>,
    /// 正文 (仿宋).
    #[serde(default)]
    pub body: Vec<String>,
    /// 一级标题 (黑体).
    #[serde(default)]
    pub heading1: Vec<String>,
    /// 二级标题 (楷体).
    #[serde(default)]
    pub heading2: Vec<String>,
    /// 页码 (宋体).
    #[serde(default)]
    pub page_number: Vec<String>,
    /// Digits and Latin letters (Times New Roman).
    #[serde(default)]
    pub latin: Vec<String>,
}

/// A typeface role in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum FontRole {
    /// 小标宋: title, red head.
    Title,
    /// 仿宋: body, levels 3-4, 版记.
    Body,
    /// 黑体: level 1, 附件 label.
    Heading1,
    /// 楷体: level 2, 签发人 names.
    Heading2,
    /// 宋体: page numbers.
    PageNumber,
    /// Times New Roman: digits and Latin.
    Latin,
}

impl FontRole {
    /// Every role.
    pub const ALL: [FontRole; 6] = [
        FontRole::Title,
        FontRole::Body,
        FontRole::Heading1,
        FontRole::Heading2,
        FontRole::PageNumber,
        FontRole::Latin,
    ];

    /// The Chinese name of the role, for messages.
    pub fn label(self) -> &'static str {
        match self {
            FontRole::Title => "标题（小标宋）",
            FontRole::Body => "正文（仿宋）",
            FontRole::Heading1 => "一级标题（黑体）",
            FontRole::Heading2 => "二级标题（楷体）",
            FontRole::PageNumber => "页码（宋体）",
            FontRole::Latin => "数字和西文（Times New Roman）",
        }
    }

    /// The built-in chain: Windows/WPS names first, then the faces that
    /// ship with fucha (`fonts/`, Fandol and Liberation Serif), then other
    /// free faces a system may have; Liberation Serif last, for symbols the
    /// Chinese faces lack (− U+2212, Latin letters with accents). A `:bold`
    /// suffix asks for the bold face of that family. cwTeX FangSong is deliberately absent: it lacks
    /// common simplified hanzi.
    fn default_chain(self) -> &'static [&'static str] {
        match self {
            FontRole::Title => &[
                "方正小标宋简体",
                "方正小标宋_GBK",
                "FZXiaoBiaoSong-B05S",
                "华文中宋",
                "FandolSong:bold",
                "Noto Serif CJK SC:bold",
                "Noto Serif CJK SC",
                "AR PL UMing CN",
                "Liberation Serif",
            ],
            FontRole::Body => &[
                "仿宋_GB2312",
                "仿宋",
                "FangSong",
                "方正仿宋_GBK",
                "FandolFang",
                "Noto Serif CJK SC",
                "AR PL UMing CN",
                "Liberation Serif",
            ],
            FontRole::Heading1 => &[
                "黑体",
                "SimHei",
                "方正黑体_GBK",
                "FandolHei",
                "Noto Sans CJK SC",
                "WenQuanYi Zen Hei",
                "Liberation Serif",
            ],
            FontRole::Heading2 => &[
                "楷体_GB2312",
                "楷体",
                "KaiTi",
                "方正楷体_GBK",
                "FandolKai",
                "AR PL KaitiM GB",
                "LXGW WenKai",
                "AR PL UKai CN",
                "Noto Serif CJK SC",
                "Liberation Serif",
            ],
            FontRole::PageNumber => &[
                "宋体",
                "SimSun",
                "FandolSong",
                "Noto Serif CJK SC",
                "AR PL UMing CN",
                "Liberation Serif",
            ],
            FontRole::Latin => &[
                "Times New Roman",
                "Liberation Serif",
                "TeX Gyre Termes",
                "DejaVu Serif",
            ],
        }
    }
}

fn yes() -> bool {
    true
}

impl Default for FontSettings {
    fn default() -> Self {
        FontSettings {
            dirs: Vec::new(),
            system: true,
            base: None,
            title: Vec::new(),
            body: Vec::new(),
            heading1: Vec::new(),
            heading2: Vec::new(),
            page_number: Vec::new(),
            latin: Vec::new(),
        }
    }
}

/// Set (to anything) to keep the system's font folders out of every run.
pub const NO_SYSTEM_FONTS_ENV: &str = "FUCHA_NO_SYSTEM_FONTS";

impl FontSettings {
    /// Whether the system's font folders are searched: the config says so
    /// and [`NO_SYSTEM_FONTS_ENV`] is not set.
    pub fn searches_system(&self) -> bool {
        self.system && std::env::var_os(NO_SYSTEM_FONTS_ENV).is_none_or(|v| v.is_empty())
    }

    /// The chain for a role: the configured one, or the built-in default.
    pub fn chain(&self, role: FontRole) -> Vec<String> {
        let configured = match role {
            FontRole::Title => &self.title,
            FontRole::Body => &self.body,
            FontRole::Heading1 => &self.heading1,
            FontRole::Heading2 => &self.heading2,
            FontRole::PageNumber => &self.page_number,
            FontRole::Latin => &self.latin,
        };
        if configured.is_empty() {
            role.default_chain().iter().map(|s| s.to_string()).collect()
        } else {
            configured.clone()
        }
    }

    /// The name written into DOCX files for the role: the first of the chain,
    /// which is the name Word and WPS know.
    pub fn docx_name(&self, role: FontRole) -> String {
        let chain = self.chain(role);
        let first = chain.first().map(String::as_str).unwrap_or("仿宋_GB2312");
        first.split(':').next().unwrap_or(first).to_string()
    }
}

impl Campaign {
    /// Reads and validates `fucha.toml`. Relative paths inside it are
    /// resolved against the file's folder.
    pub fn load(path: &Path) -> Result<Campaign, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut campaign = Campaign::parse(&text).map_err(|message| ConfigError::Parse {
            path: path.to_path_buf(),
            message,
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        campaign.roster = base.join(&campaign.roster);
        campaign.intake = base.join(&campaign.intake);
        campaign.register = base.join(&campaign.register);
        campaign.rectifications = base.join(&campaign.rectifications);
        campaign.spot_checks = base.join(&campaign.spot_checks);
        campaign.fonts.dirs = campaign.fonts.dirs.iter().map(|d| base.join(d)).collect();
        campaign.fonts.base = Some(base.to_path_buf());
        campaign
            .validate()
            .map_err(|message| ConfigError::Invalid {
                path: path.to_path_buf(),
                message,
            })?;
        Ok(campaign)
    }

    /// Parses the TOML text without touching the file system.
    pub fn parse(text: &str) -> Result<Campaign, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    fn validate(&self) -> Result<(), String> {
        self.validate_bodies()?;
        self.validate_document_keys()?;
        self.validate_review_cycle()?;
        self.validate_output()?;
        if let Some(p) = &self.publicity
            && p.end < p.start
        {
            return Err("[publicity] 的公示结束日期（end）早于开始日期（start）".to_string());
        }
        for phase in &self.phases {
            if phase.end < phase.start {
                return Err(format!("阶段“{}”的结束日期早于开始日期", phase.name));
            }
            for level in &phase.levels {
                if HonourLevel::parse(level).is_none() {
                    return Err(format!(
                        "阶段“{}”的荣誉类别“{}”无法识别，应为全国文明单位、省级文明标兵单位、省级文明单位、市级文明标兵单位或市级文明单位",
                        phase.name, level
                    ));
                }
            }
        }
        Ok(())
    }

    /// A `[documents.*]` table for a document fucha does not write would be
    /// ignored silently, so a misspelt key is an error naming the nearest.
    fn validate_document_keys(&self) -> Result<(), String> {
        for key in self.documents.keys() {
            if DocumentKind::from_key(key).is_some() {
                continue;
            }
            let hint = match DocumentKind::nearest(key) {
                Some(k) => format!("，是否应为 [documents.{}]（{}）", k.key(), k.label()),
                None => String::new(),
            };
            let known: Vec<String> = DocumentKind::ALL
                .iter()
                .map(|k| format!("{}（{}）", k.key(), k.label()))
                .collect();
            return Err(format!(
                "[documents.{key}] 不是 fucha 生成的公文{hint}？可用的有：{}",
                known.join("、")
            ));
        }
        Ok(())
    }

    /// A format fucha cannot write would leave its files out silently, so
    /// an unknown name is an error naming the nearest format.
    fn validate_output(&self) -> Result<(), String> {
        let known = crate::render::Formats::default_set().names();
        if self.output.formats.is_empty() {
            return Err(format!(
                "[output] formats 为空，请至少写一种格式，可用的有：{}",
                known.join("、")
            ));
        }
        for name in &self.output.formats {
            if known.contains(&name.as_str()) {
                continue;
            }
            let lower = name.trim().to_ascii_lowercase();
            let hint = known
                .iter()
                .map(|k| (crate::roster::char_distance(&lower, k), *k))
                .filter(|(d, k)| *d <= k.len() / 3 + 1)
                .min()
                .map(|(_, k)| format!("，是否应为“{k}”"))
                .unwrap_or_default();
            return Err(format!(
                "[output] formats 中的“{name}”不是 fucha 能生成的格式{hint}？可用的有：{}",
                known.join("、")
            ));
        }
        Ok(())
    }

    /// A short name must name one body: an empty one would match every
    /// file name, one declared twice would make the body a guess.
    fn validate_bodies(&self) -> Result<(), String> {
        let mut owner: BTreeMap<String, &str> = BTreeMap::new();
        for (body, shorts) in &self.bodies {
            for short in shorts {
                let key = crate::roster::normalize_name(short);
                if key.is_empty() {
                    return Err(format!("[bodies] 中“{body}”的简称有一个是空的，请删除"));
                }
                if let Some(other) = owner.insert(key, body).filter(|o| o != body) {
                    return Err(format!(
                        "[bodies] 中简称“{short}”同时写在“{other}”和“{body}”下，请只保留一处"
                    ));
                }
            }
        }
        Ok(())
    }

    /// Each declared short name with the body it stands for.
    pub fn short_names(&self) -> impl Iterator<Item = (&str, &str)> {
        self.bodies.iter().flat_map(|(body, shorts)| {
            shorts
                .iter()
                .map(move |short| (short.as_str(), body.as_str()))
        })
    }

    /// The phase in which units of this level are reviewed, if any.
    fn phase_for(&self, level: HonourLevel) -> Option<&Phase> {
        self.phases.iter().find(|p| {
            p.levels
                .iter()
                .any(|l| HonourLevel::parse(l) == Some(level))
        })
    }

    /// The review window for a level: the dates of its phase.
    pub fn phase_window(&self, level: HonourLevel) -> Option<(NaiveDate, NaiveDate)> {
        self.phase_for(level).map(|p| (p.start, p.end))
    }

    /// Whether units of this level must be reviewed (and reported) this campaign.
    pub fn is_due(&self, level: HonourLevel) -> bool {
        self.phase_for(level).is_some()
    }

    /// Each honour's review cycle in years, by level.
    pub fn review_cycle(&self) -> BTreeMap<HonourLevel, i32> {
        self.review_cycle
            .iter()
            .filter_map(|(name, years)| HonourLevel::parse(name).map(|l| (l, *years)))
            .collect()
    }

    /// `[review_cycle]` names honours fucha knows, each with a number of
    /// years of at least one.
    fn validate_review_cycle(&self) -> Result<(), String> {
        for (name, years) in &self.review_cycle {
            if HonourLevel::parse(name).is_none() {
                let known: Vec<&str> = HonourLevel::ALL.iter().map(|l| l.label()).collect();
                return Err(format!(
                    "[review_cycle] 中的“{name}”不是荣誉类别，可用的有：{}",
                    known.join("、")
                ));
            }
            if *years < 1 {
                return Err(format!(
                    "[review_cycle] 中“{name}”的复查周期为 {years} 年，应为 1 或更大的整数"
                ));
            }
        }
        Ok(())
    }

    /// The settings of one document kind (empty when not configured).
    pub fn document(&self, kind: DocumentKind) -> DocumentSettings {
        self.documents.get(kind.key()).cloned().unwrap_or_default()
    }
}

/// Accepts a TOML date literal (`2020-07-01`) or a string.
fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let value = toml::Value::deserialize(d)?;
    value_to_date(&value).map_err(serde::de::Error::custom)
}

fn opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let value = toml::Value::deserialize(d)?;
    value_to_date(&value)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

fn value_to_date(value: &toml::Value) -> Result<NaiveDate, String> {
    let text = match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(dt) => dt.to_string(),
        other => return Err(format!("应为日期（如 2020-07-01），实际为 {other}")),
    };
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("无法识别的日期“{text}”，应写成 2020-07-01 的形式"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_misspelt_document_kind_is_an_error_naming_the_nearest() {
        let text = format!("{MINIMAL}\n[documents.circulr]\nnumber = \"岳市文明委〔2020〕9号\"\n");
        let err = Campaign::parse(&text)
            .and_then(|c| c.validate().map(|_| c))
            .unwrap_err();
        assert!(err.contains("[documents.circulr]"), "{err}");
        assert!(
            err.contains("是否应为 [documents.circular]（复查通报）"),
            "{err}"
        );
        let far = format!("{MINIMAL}\n[documents.report]\n");
        let err = Campaign::parse(&far)
            .and_then(|c| c.validate().map(|_| c))
            .unwrap_err();
        assert!(!err.contains("是否应为"), "{err}");
        assert!(err.contains("provincial（报省文明办的报告）"), "{err}");
    }

    #[test]
    fn every_document_kind_is_known_by_its_key() {
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::from_key(kind.key()), Some(kind));
        }
    }

    use super::*;

    const MINIMAL: &str = r#"
roster = "复查单位名单.xlsx"
[campaign]
year = 2020
city = "岳阳市"
committee = "岳阳市精神文明建设指导委员会"
committee_short = "岳阳市文明委"
office = "岳阳市精神文明建设指导委员会办公室"
office_short = "岳阳市文明办"
province_office = "湖南省文明办"
metadata_date = 2020-10-09
[[phases]]
name = "第一阶段"
start = 2020-07-01
end = "2020-07-31"
levels = ["全国文明单位", "省级文明标兵单位"]
[deadlines]
unit_report = 2020-08-20
submission = 2020-10-10
rectification_days = 30
[pass_lines]
score = 80
satisfaction = 85
"#;

    #[test]
    fn phase_windows_come_from_the_config() {
        let c = Campaign::parse(MINIMAL).unwrap();
        let (start, end) = c.phase_window(HonourLevel::National).unwrap();
        assert_eq!(start.to_string(), "2020-07-01");
        assert_eq!(end.to_string(), "2020-07-31");
        assert!(c.is_due(HonourLevel::ProvincialModel));
        assert!(!c.is_due(HonourLevel::City));
    }

    #[test]
    fn short_names_are_declared_per_body_and_must_not_clash() {
        let c = Campaign::parse(&format!(
            "{MINIMAL}[bodies]\n\"岳阳经济技术开发区\" = [\"经开区\", \"岳阳经开区\"]\n"
        ))
        .unwrap();
        let pairs: Vec<_> = c.short_names().collect();
        assert_eq!(
            pairs,
            [
                ("经开区", "岳阳经济技术开发区"),
                ("岳阳经开区", "岳阳经济技术开发区")
            ]
        );
        assert!(c.validate().is_ok());
        let clash = Campaign::parse(&format!(
            "{MINIMAL}[bodies]\n\"南湖新区\" = [\"新区\"]\n\"岳阳经济技术开发区\" = [\"新区\"]\n"
        ))
        .unwrap();
        let err = clash.validate().unwrap_err();
        assert!(err.contains("新区"), "{err}");
    }

    #[test]
    fn default_font_chains_never_name_cwtex() {
        for role in FontRole::ALL {
            assert!(
                role.default_chain()
                    .iter()
                    .all(|f| !f.to_lowercase().contains("cwtex"))
            );
        }
        assert_eq!(
            FontSettings::default().docx_name(FontRole::Body),
            "仿宋_GB2312"
        );
    }
}
