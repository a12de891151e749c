//! The template registry: every `.hbs` template and helper registered once,
//! in strict mode, from the office's folder when given (edits take effect
//! without a rebuild) and from the copies built into the program otherwise.
//!
//! Every error names the template file, line and column: handlebars syntax
//! and render errors carry their own positions; markup errors are found in
//! the generated text and traced back to the template line that wrote them.

use super::helpers;
use super::markup::{self, MarkupError};
use crate::doc::Document;
use handlebars::{Handlebars, RenderErrorReason, TemplateErrorReason};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The templates built into the program, by name (the file stem).
const EMBEDDED: &[(&str, &str)] = &[
    ("_head", include_str!("../../templates/_head.hbs")),
    ("_tail", include_str!("../../templates/_tail.hbs")),
    ("validation", include_str!("../../templates/validation.hbs")),
    ("notice", include_str!("../../templates/notice.hbs")),
    ("circular", include_str!("../../templates/circular.hbs")),
    ("summary", include_str!("../../templates/summary.hbs")),
    ("provincial", include_str!("../../templates/provincial.hbs")),
    (
        "rectification",
        include_str!("../../templates/rectification.hbs"),
    ),
    ("feedback", include_str!("../../templates/feedback.hbs")),
    ("sample", include_str!("../../templates/sample.hbs")),
    ("reminder", include_str!("../../templates/reminder.hbs")),
    (
        "rectification_circular",
        include_str!("../../templates/rectification_circular.hbs"),
    ),
    (
        "rectification_report",
        include_str!("../../templates/rectification_report.hbs"),
    ),
    ("publicity", include_str!("../../templates/publicity.hbs")),
];

/// A template problem, with the template's file and position when known.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// The template folder or file could not be read.
    #[error("无法读取模板 {path}")]
    Read {
        /// The folder or file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// No template of that name.
    #[error("找不到模板“{name}”；可用的模板：{available}")]
    NotFound {
        /// The name asked for.
        name: String,
        /// The registered names, joined with 、.
        available: String,
    },
    /// A problem at a place in a template.
    #[error("模板 {file} 第{line}行第{column}列：{message}")]
    At {
        /// The template file (its path, or `名称.hbs（内置）`).
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong, in Chinese.
        message: String,
    },
}

impl TemplateError {
    /// The file, line and column, for errors that have them.
    pub fn position(&self) -> Option<(&str, usize, usize)> {
        match self {
            TemplateError::At {
                file, line, column, ..
            } => Some((file.as_str(), *line, *column)),
            _ => None,
        }
    }
}

/// Where a template came from: its displayed file name and source text.
#[derive(Debug, Clone)]
struct Source {
    file: String,
    text: String,
    /// Every identifier the text holds (field names among them).
    words: BTreeSet<String>,
}

impl Source {
    fn new(file: String, text: String) -> Source {
        let words = identifiers(&text);
        Source { file, text, words }
    }
}

/// The identifiers of a template's text: runs of letters, digits and `_`.
fn identifiers(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// All templates and helpers, registered once.
pub struct Templates {
    registry: Handlebars<'static>,
    sources: BTreeMap<String, Source>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("templates", &self.sources.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Templates {
    /// Registers the `*.hbs` files of `dir` (when given) and the built-in
    /// copy of every template the folder does not have.
    pub fn load(dir: Option<&Path>) -> Result<Templates, TemplateError> {
        let mut sources: BTreeMap<String, Source> = BTreeMap::new();
        if let Some(dir) = dir {
            for (name, path) in hbs_files(dir)? {
                let text = read(&path)?;
                sources.insert(name, Source::new(path.display().to_string(), text));
            }
        }
        for (name, text) in EMBEDDED {
            sources
                .entry(name.to_string())
                .or_insert_with(|| Source::new(format!("{name}.hbs（内置）"), text.to_string()));
        }
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        registry.register_escape_fn(markup::escape);
        helpers::register(&mut registry);
        let mut templates = Templates {
            registry,
            sources: BTreeMap::new(),
        };
        for (name, source) in sources {
            templates.register(name, source)?;
        }
        Ok(templates)
    }

    /// Adds one template file (e.g. an ad-hoc notice) and returns the name
    /// it is registered under (its file stem).
    pub fn load_file(&mut self, path: &Path) -> Result<String, TemplateError> {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "template".to_string());
        let text = read(path)?;
        self.register(name.clone(), Source::new(path.display().to_string(), text))?;
        Ok(name)
    }

    /// The template a command line names: a path to a `.hbs` file (loaded
    /// and added) or the name of a registered template.
    pub fn resolve(&mut self, template: &str) -> Result<String, TemplateError> {
        let path = Path::new(template);
        if template.ends_with(".hbs") || (path.components().count() > 1 && path.is_file()) {
            self.load_file(path)
        } else {
            Ok(template.to_string())
        }
    }

    /// The registered template names.
    pub fn names(&self) -> Vec<&str> {
        self.sources.keys().map(String::as_str).collect()
    }

    /// Whether template `name`, or any partial, could use data field
    /// `field`: the field's name appears in its text. Composition leaves out
    /// the costly lists no template names (strict mode would report a field
    /// that is used but missing, and a name cannot be used without being
    /// written).
    pub fn names_field(&self, name: &str, field: &str) -> bool {
        self.sources
            .iter()
            .filter(|(n, _)| n.as_str() == name || n.starts_with('_'))
            .any(|(_, s)| s.words.contains(field))
    }

    /// The file a template was read from (or `名称.hbs（内置）`).
    pub fn file_of(&self, name: &str) -> Option<&str> {
        self.sources.get(name).map(|s| s.file.as_str())
    }

    fn register(&mut self, name: String, source: Source) -> Result<(), TemplateError> {
        reject_triple_braces(&source)?;
        self.registry
            .register_template_string(&name, &source.text)
            .map_err(|e| {
                let (line, column) = e.pos().unwrap_or((1, 1));
                TemplateError::At {
                    file: source.file.clone(),
                    line,
                    column,
                    message: syntax_message(e.reason()),
                }
            })?;
        self.sources.insert(name, source);
        Ok(())
    }

    /// Renders a template to markup text, taking the data: Handlebars would
    /// otherwise copy it whole, which for a province's unit list is a third
    /// of the rendering.
    fn render_owned(&self, name: &str, data: serde_json::Value) -> Result<String, TemplateError> {
        if !self.sources.contains_key(name) {
            return Err(TemplateError::NotFound {
                name: name.to_string(),
                available: self.names().join("、"),
            });
        }
        let context = handlebars::Context::from(data);
        self.registry
            .render_with_context(name, &context)
            .map_err(|e| {
                let template = e.template_name.clone().unwrap_or_else(|| name.to_string());
                TemplateError::At {
                    file: self.file_name(&template),
                    line: e.line_no.unwrap_or(1),
                    column: e.column_no.unwrap_or(1),
                    message: render_message(e.reason()),
                }
            })
    }

    fn file_name(&self, name: &str) -> String {
        self.file_of(name)
            .map(str::to_string)
            .unwrap_or_else(|| format!("{name}.hbs"))
    }

    /// Traces a markup error back to the template line that wrote it, in the
    /// template or one of its partials: first a line holding the generated
    /// line verbatim, then a line whose literal text (outside `{{…}}`)
    /// matches it, then a line holding the directive; otherwise the position
    /// in the generated text.
    pub(crate) fn locate(&self, name: &str, err: MarkupError) -> TemplateError {
        let mut candidates: Vec<&Source> = self.sources.get(name).into_iter().collect();
        candidates.extend(
            self.sources
                .iter()
                .filter(|(n, _)| n.as_str() != name && n.starts_with('_'))
                .map(|(_, s)| s),
        );
        let generated = err.anchors.first().map(String::as_str).unwrap_or("");
        let found = (!generated.is_empty())
            .then(|| {
                candidates
                    .iter()
                    .find_map(|s| find_in(&s.text, generated).map(|p| (*s, p)))
                    .or_else(|| {
                        candidates
                            .iter()
                            .find_map(|s| find_by_literals(&s.text, generated).map(|p| (*s, p)))
                    })
            })
            .flatten()
            .or_else(|| {
                err.anchors.iter().skip(1).find_map(|anchor| {
                    candidates
                        .iter()
                        .find_map(|s| find_in(&s.text, anchor).map(|p| (*s, p)))
                })
            });
        match found {
            Some((source, (line, column))) => TemplateError::At {
                file: source.file.clone(),
                line,
                column,
                message: err.message,
            },
            None => TemplateError::At {
                file: self.file_name(name),
                line: err.line,
                column: err.column,
                message: format!(
                    "{}（位置按模板生成的文本计算，模板中未找到对应的行）",
                    err.message
                ),
            },
        }
    }
}

/// The template line whose literal pieces (the text outside `{{…}}`) all
/// appear, in order, in `generated`, and which starts the same way; the one
/// with the most literal text wins. Lines with no literal text never match.
fn find_by_literals(template: &str, generated: &str) -> Option<(usize, usize)> {
    let mut best: Option<(usize, (usize, usize))> = None;
    for (i, line) in template.lines().enumerate() {
        let trimmed = line.trim_start();
        let pieces = literal_pieces(trimmed);
        let score: usize = pieces.iter().map(|p| p.trim().chars().count()).sum();
        if score == 0 {
            continue;
        }
        if !trimmed.starts_with("{{") {
            let first = pieces[0].trim();
            if !generated.starts_with(first) {
                continue;
            }
        }
        let mut rest = generated;
        let all_found = pieces.iter().all(|p| match rest.find(p.trim()) {
            Some(at) => {
                rest = &rest[at + p.trim().len()..];
                true
            }
            None => false,
        });
        if all_found && best.is_none_or(|(s, _)| score > s) {
            let column = line.chars().count() - trimmed.chars().count() + 1;
            best = Some((score, (i + 1, column)));
        }
    }
    best.map(|(_, pos)| pos)
}

/// The pieces of a template line outside `{{…}}`, empty ones dropped.
fn literal_pieces(line: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = line;
    while let Some(open) = rest.find("{{") {
        pieces.push(&rest[..open]);
        match rest[open..].find("}}") {
            Some(close) => rest = &rest[open + close + 2..],
            None => {
                rest = "";
                break;
            }
        }
    }
    pieces.push(rest);
    pieces
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .collect()
}

/// Runs a template on `data` and parses the result into a document.
pub fn render_template(
    templates: &Templates,
    name: &str,
    data: &serde_json::Value,
) -> Result<Document, TemplateError> {
    render_owned_template(templates, name, data.clone())
}

/// As [`render_template`], taking the data (no copy of it).
pub(crate) fn render_owned_template(
    templates: &Templates,
    name: &str,
    mut data: serde_json::Value,
) -> Result<Document, TemplateError> {
    super::data::add_common(&mut data);
    let text = templates.render_owned(name, data)?;
    markup::parse(&text).map_err(|e| templates.locate(name, e))
}

/// The 1-based line and column of the first occurrence of `needle`.
fn find_in(text: &str, needle: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        line.find(needle)
            .map(|byte| (i + 1, line[..byte].chars().count() + 1))
    })
}

/// `{{{x}}}` would insert data unescaped and let it break the markup.
fn reject_triple_braces(source: &Source) -> Result<(), TemplateError> {
    match find_in(&source.text, "{{{") {
        Some((line, column)) => Err(TemplateError::At {
            file: source.file.clone(),
            line,
            column,
            message: "不要使用三重花括号 {{{…}}}：数据会不经转义插入，可能破坏格式；请改用 {{…}}"
                .to_string(),
        }),
        None => Ok(()),
    }
}

/// The `*.hbs` files of a folder, by file stem, in name order.
fn hbs_files(dir: &Path) -> Result<Vec<(String, PathBuf)>, TemplateError> {
    let entries = std::fs::read_dir(dir).map_err(|source| TemplateError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| TemplateError::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "hbs")
            && path.is_file()
            && let Some(stem) = path.file_stem()
        {
            files.push((stem.to_string_lossy().into_owned(), path));
        }
    }
    files.sort();
    Ok(files)
}

fn read(path: &Path) -> Result<String, TemplateError> {
    let bytes = std::fs::read(path).map_err(|source| TemplateError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    decode(&bytes).ok_or_else(|| TemplateError::Read {
        path: path.to_path_buf(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "文件编码无法识别，请另存为 UTF-8 编码",
        ),
    })
}

/// The text of a template file as an office editor saves it: UTF-8 with or
/// without a byte-order mark (Windows Notepad adds one), or GB18030/GBK
/// (older Chinese editors' default).
fn decode(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Some(text.to_string());
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    (!had_errors).then(|| text.into_owned())
}

/// A handlebars syntax error in plain Chinese.
fn syntax_message(reason: &TemplateErrorReason) -> String {
    match reason {
        TemplateErrorReason::MismatchingClosedHelper(open, close) => {
            format!("块 {{{{#{open}}}}} 没有正确结束，却遇到了 {{{{/{close}}}}}")
        }
        TemplateErrorReason::MismatchingClosedDecorator(open, close) => {
            format!("块 {{{{*{open}}}}} 没有正确结束，却遇到了 {{{{/{close}}}}}")
        }
        TemplateErrorReason::InvalidSyntax(_) => {
            "模板语法错误：请检查花括号 {{ }} 是否成对、块 {{#…}} 是否有对应的 {{/…}}".to_string()
        }
        TemplateErrorReason::InvalidParam(p) => format!("参数“{p}”写法有误"),
        TemplateErrorReason::NestedSubexpression => "不支持多层嵌套的括号表达式".to_string(),
        other => format!("模板有误：{other}"),
    }
}

/// A handlebars render error in plain Chinese.
fn render_message(reason: &RenderErrorReason) -> String {
    match reason {
        RenderErrorReason::HelperNotFound(name) => {
            format!("未知的帮助函数“{name}”；可用的帮助函数见 templates/README.md")
        }
        RenderErrorReason::MissingVariable(Some(path)) => {
            format!("数据中没有字段“{path}”；请检查拼写，可用的字段见 templates/README.md")
        }
        RenderErrorReason::MissingVariable(None) => {
            "引用了数据中不存在的字段；请检查拼写".to_string()
        }
        RenderErrorReason::TemplateNotFound(name) | RenderErrorReason::PartialNotFound(name) => {
            format!("找不到模板“{name}”")
        }
        RenderErrorReason::ParamNotFoundForIndex(helper, idx) => {
            format!("帮助函数“{helper}”缺少第{}个参数", idx + 1)
        }
        RenderErrorReason::InvalidParamType(expected) => {
            format!("参数类型不对，应为 {expected}")
        }
        RenderErrorReason::TemplateError(e) => syntax_message(e.reason()),
        RenderErrorReason::Other(message) => message.clone(),
        other => format!("生成失败：{other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::EMBEDDED;
    use crate::campaign::DocumentKind;

    /// The built-in templates and the document kinds name each other: a
    /// kind without a template, or a template no kind writes, is a mistake.
    #[test]
    fn every_document_kind_has_a_built_in_template_and_no_other() {
        let documents: Vec<&str> = EMBEDDED
            .iter()
            .map(|(name, _)| *name)
            .filter(|name| !name.starts_with('_'))
            .collect();
        let kinds: Vec<&str> = DocumentKind::ALL.iter().map(|k| k.key()).collect();
        assert_eq!(documents.len(), kinds.len(), "{documents:?} / {kinds:?}");
        for kind in kinds {
            assert!(documents.contains(&kind), "no template for {kind}");
        }
    }
}
