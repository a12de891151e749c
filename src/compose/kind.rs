//! The kinds of document fucha writes, each defined once: its key (the
//! template `templates/KEY.hbs` and the `[documents.KEY]` table of
//! `fucha.toml`), its Chinese name, its output folder, how its files are
//! named and when the blocking rule holds it back. The data each kind's
//! template sees is its own type in [`super::kinds`].

use crate::campaign::Campaign;
use std::path::PathBuf;

/// The documents fucha writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocumentKind {
    /// 关于开展复查工作的通知.
    Notice,
    /// 复查情况的通报.
    Circular,
    /// 县市区复查情况汇总报告.
    Summary,
    /// 报省文明办的报告.
    Provincial,
    /// 整改通知书.
    Rectification,
    /// 退回修改意见.
    Feedback,
    /// 数据校验报告.
    Validation,
    /// 随机抽查名单.
    Sample,
    /// 复查结果公示.
    Publicity,
    /// 整改催办通知: a unit whose rectification follow-up is overdue.
    Reminder,
    /// 整改情况通报: the rectification outcome of every unit under follow-up.
    RectificationCircular,
    /// 整改情况报告 to the province: the national and provincial units'.
    RectificationReport,
}

/// When the blocking rule holds a document back while errors remain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withholding {
    /// Always produced: it reports the errors, or does not depend on them.
    Never,
    /// Held while any error remains in the batch (or drafted with `--draft`).
    WhileAnyError,
    /// Held while its own reporting body has errors or sent nothing.
    WhileBodyFails,
}

/// What one document of a kind is about, for its file name.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    /// The season as a whole (one document per season).
    Season,
    /// A reporting body (a county's summary).
    Body(&'a str),
    /// A unit, with the document's running number (a rectification notice).
    Unit {
        /// The running number among this kind's documents, from 1.
        n: usize,
        /// The unit's roster name.
        name: &'a str,
    },
    /// An input file, by its path as read (a feedback letter).
    File(&'a str),
    /// A spot-check draw, by its seed.
    Draw(u64),
}

/// Appended to a draft's file name.
pub const DRAFT_SUFFIX: &str = "（征求意见稿）";

impl DocumentKind {
    /// Every kind.
    pub const ALL: [DocumentKind; 12] = [
        DocumentKind::Notice,
        DocumentKind::Circular,
        DocumentKind::Summary,
        DocumentKind::Provincial,
        DocumentKind::Rectification,
        DocumentKind::Feedback,
        DocumentKind::Validation,
        DocumentKind::Sample,
        DocumentKind::Publicity,
        DocumentKind::Reminder,
        DocumentKind::RectificationCircular,
        DocumentKind::RectificationReport,
    ];

    /// The key of its template and of its `[documents.*]` table.
    pub fn key(self) -> &'static str {
        match self {
            DocumentKind::Notice => "notice",
            DocumentKind::Circular => "circular",
            DocumentKind::Summary => "summary",
            DocumentKind::Provincial => "provincial",
            DocumentKind::Rectification => "rectification",
            DocumentKind::Feedback => "feedback",
            DocumentKind::Validation => "validation",
            DocumentKind::Sample => "sample",
            DocumentKind::Publicity => "publicity",
            DocumentKind::Reminder => "reminder",
            DocumentKind::RectificationCircular => "rectification_circular",
            DocumentKind::RectificationReport => "rectification_report",
        }
    }

    /// The document's name, for messages.
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::Notice => "复查工作通知",
            DocumentKind::Circular => "复查通报",
            DocumentKind::Summary => "县市区汇总报告",
            DocumentKind::Provincial => "报省文明办的报告",
            DocumentKind::Rectification => "整改通知书",
            DocumentKind::Feedback => "退回修改意见",
            DocumentKind::Validation => "数据校验报告",
            DocumentKind::Sample => "随机抽查名单",
            DocumentKind::Publicity => "复查结果公示",
            DocumentKind::Reminder => "整改催办通知",
            DocumentKind::RectificationCircular => "整改情况通报",
            DocumentKind::RectificationReport => "报省文明办的整改情况报告",
        }
    }

    /// The folder of the output its documents go in, numbered in the
    /// order of the season so that a file browser lists them that way.
    pub fn folder(self) -> &'static str {
        match self {
            DocumentKind::Validation => "00-校验报告",
            DocumentKind::Notice => "01-复查工作通知",
            DocumentKind::Circular => "02-复查通报",
            DocumentKind::Summary => "03-县市区汇总报告",
            DocumentKind::Provincial => "04-报省文明办",
            DocumentKind::Rectification => "05-整改通知书",
            DocumentKind::Feedback => "06-退回修改意见",
            DocumentKind::Sample => "07-随机抽查",
            DocumentKind::Publicity => "11-复查结果公示",
            DocumentKind::Reminder => "08-整改催办",
            DocumentKind::RectificationCircular => "09-整改情况通报",
            DocumentKind::RectificationReport => "10-整改情况报省",
        }
    }

    /// When the blocking rule holds it back (see `compose::document_set`).
    pub fn withholding(self) -> Withholding {
        match self {
            DocumentKind::Circular | DocumentKind::Provincial => Withholding::WhileAnyError,
            DocumentKind::Summary => Withholding::WhileBodyFails,
            DocumentKind::Notice
            | DocumentKind::Rectification
            | DocumentKind::Feedback
            | DocumentKind::Validation
            | DocumentKind::Sample
            // Publishes only the bodies whose results stand (`publicity`).
            | DocumentKind::Publicity
            // The follow-up documents do not depend on the county files'
            // errors; the 整改情况通报 waits for pending units instead
            // (`compose::followup_documents`).
            | DocumentKind::Reminder
            | DocumentKind::RectificationCircular
            | DocumentKind::RectificationReport => Withholding::Never,
        }
    }

    /// The document's file name, without folder, draft suffix or extension.
    /// Season-wide documents carry the city's or committee's name and the
    /// year, as a clerk would file them.
    pub fn file_name(self, campaign: &Campaign, subject: Subject<'_>) -> String {
        let c = &campaign.campaign;
        let year = c.year;
        match (self, subject) {
            (DocumentKind::Validation, _) => format!("{}{year}年文明单位复查数据校验报告", c.city),
            (DocumentKind::Notice, _) => format!(
                "{}关于开展{year}年文明单位复查工作的通知",
                c.committee_short
            ),
            (DocumentKind::Circular, _) => {
                format!("{}关于{year}年文明单位复查情况的通报", c.committee_short)
            }
            (DocumentKind::Summary, Subject::Body(body)) => {
                format!("{body}{year}年文明单位复查情况汇总报告")
            }
            (DocumentKind::Provincial, _) => format!(
                "{}关于{year}年全国和省级文明单位复查情况的报告",
                c.office_short
            ),
            (DocumentKind::Rectification, Subject::Unit { n, name }) => {
                format!("{n:02}-{name}整改通知书")
            }
            // The marked workbook goes beside it under the same name
            // (`check::feedback::feedback_file_name`).
            (DocumentKind::Feedback, Subject::File(path)) => {
                let stem = super::data::file_stem(path);
                format!("{stem}{}", crate::check::FEEDBACK_SUFFIX)
            }
            (DocumentKind::Sample, Subject::Draw(seed)) => {
                format!("{}{year}年文明单位随机抽查名单（种子{seed}）", c.city)
            }
            (DocumentKind::Publicity, _) => {
                format!("{}关于{year}年文明单位复查结果的公示", c.office_short)
            }
            (DocumentKind::Reminder, Subject::Unit { n, name }) => {
                format!("{n:02}-{name}整改催办通知")
            }
            (DocumentKind::RectificationCircular, _) => format!(
                "{}关于{year}年文明单位复查整改情况的通报",
                c.committee_short
            ),
            (DocumentKind::RectificationReport, _) => format!(
                "{}关于{year}年全国和省级文明单位复查整改情况的报告",
                c.office_short
            ),
            (kind, subject) => {
                // A kind named after the wrong subject is a bug in compose;
                // the kind's name still makes a usable file name.
                debug_assert!(false, "{kind:?} has no file name for {subject:?}");
                kind.label().to_string()
            }
        }
    }

    /// Where a document goes, relative to the output folder and without
    /// extension: `folder/name`, with the draft suffix when a draft.
    pub fn path(self, campaign: &Campaign, subject: Subject<'_>, draft: bool) -> PathBuf {
        let suffix = if draft { DRAFT_SUFFIX } else { "" };
        let name = self.file_name(campaign, subject);
        PathBuf::from(self.folder()).join(format!("{}{suffix}", super::file_safe(&name)))
    }

    /// The kind a key names.
    pub fn from_key(key: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// The kind whose key is nearest a misspelt one, if any is near.
    pub(crate) fn nearest(key: &str) -> Option<DocumentKind> {
        let key = key.trim().to_ascii_lowercase();
        DocumentKind::ALL
            .into_iter()
            .map(|k| (crate::roster::char_distance(&key, k.key()), k))
            .filter(|(d, k)| *d <= k.key().len() / 3 + 1)
            .min()
            .map(|(_, k)| k)
    }
}
