//! The template helpers: numbering, official dates, numbers, lists joined
//! with 、, grouping by honour level and year, filtering.
//!
//! Helpers that print data escape it for the markup themselves (through the
//! registry's escape function or [`markup::escape`]) and write their own
//! separators raw, so a list of names stays a list even when a name holds
//! a 、 or a `|`. Errors are plain Chinese; handlebars adds the position.

use super::markup::{self, chinese_number};
use crate::review::HonourLevel;
use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderError,
    RenderErrorReason, ScopedJson,
};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Registers every helper on the registry.
pub(crate) fn register(hb: &mut Handlebars<'static>) {
    let computed: [(&str, Compute); 13] = [
        ("cn_num", |h| numbered(h, NumberStyle::Plain)),
        ("cn_item", |h| numbered(h, NumberStyle::Item)),
        ("cn_paren", |h| numbered(h, NumberStyle::Paren)),
        ("paren_num", |h| numbered(h, NumberStyle::ArabicParen)),
        ("inc", inc),
        ("date", official_date),
        ("add_days", add_days),
        ("num", num),
        ("sentence", sentence),
        ("group_by_level", |h| Ok(group_by_level(array(h, 0)?))),
        ("group_by_year", group_by_year),
        ("where", |h| filtered(h, true)),
        ("where_not", |h| filtered(h, false)),
    ];
    for (name, compute) in computed {
        hb.register_helper(name, Box::new(Computed(compute)));
    }
    hb.register_helper("names", Box::new(Written(names)));
    hb.register_helper("join", Box::new(Written(join)));
}

/// What a value helper does with its parameters.
type Compute = fn(&Helper<'_>) -> Result<Value, RenderError>;

/// A helper that computes a value: printed through the registry's escape
/// function, or passed on as a subexpression (`(group_by_level units)`).
struct Computed(Compute);

impl HelperDef for Computed {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        (self.0)(h).map(ScopedJson::Derived)
    }
}

/// A helper that writes markup itself: items escaped, its own separators
/// raw, so that they are not escaped again.
struct Written(fn(&Helper<'_>) -> Result<String, RenderError>);

impl HelperDef for Written {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        out.write(&(self.0)(h)?)?;
        Ok(())
    }
}

fn fail(message: String) -> RenderError {
    RenderErrorReason::Other(message).into()
}

/// The `idx`-th parameter, or an error naming the helper.
fn param<'a>(h: &'a Helper<'_>, idx: usize) -> Result<&'a Value, RenderError> {
    let p = h.param(idx).ok_or_else(|| {
        let name = h.name();
        fail(format!(
            "帮助函数“{name}”缺少第{}个参数（若要取与帮助函数同名的字段，请写成 {{{{this.{name}}}}}）",
            idx + 1
        ))
    })?;
    if p.is_value_missing() {
        let field = p.relative_path().cloned().unwrap_or_default();
        return Err(fail(format!(
            "数据中没有字段“{field}”；请检查拼写，可用的字段见 templates/README.md"
        )));
    }
    Ok(p.value())
}

fn integer(h: &Helper<'_>, idx: usize) -> Result<i64, RenderError> {
    let v = param(h, idx)?;
    v.as_i64()
        .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        .ok_or_else(|| fail(format!("帮助函数“{}”需要整数，得到的是 {v}", h.name())))
}

fn array<'a>(h: &'a Helper<'_>, idx: usize) -> Result<&'a Vec<Value>, RenderError> {
    let v = param(h, idx)?;
    v.as_array()
        .ok_or_else(|| fail(format!("帮助函数“{}”需要一个列表，得到的是 {v}", h.name())))
}

/// A value as display text: strings as they are, numbers as written.
fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        other => other.to_string(),
    }
}

/// Item text for list helpers: the item itself or its `key` field.
fn item_text(item: &Value, key: Option<&str>) -> String {
    match (item, key) {
        (Value::Object(map), Some(k)) => map.get(k).map(text_of).unwrap_or_default(),
        (Value::Object(map), None) => map.get("name").map(text_of).unwrap_or_default(),
        (v, _) => text_of(v),
    }
}

enum NumberStyle {
    Plain,
    Item,
    Paren,
    ArabicParen,
}

/// `{{cn_num 11}}` → 十一, `{{cn_item 2}}` → 二、, `{{cn_paren 1}}` → （一）,
/// `{{paren_num 3}}` → （3）.
fn numbered(h: &Helper<'_>, style: NumberStyle) -> Result<Value, RenderError> {
    let n = integer(h, 0)?;
    let n = u32::try_from(n)
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| fail(format!("编号必须是正整数，得到的是 {n}")))?;
    let s = match style {
        NumberStyle::Plain => chinese_number(n),
        NumberStyle::Item => format!("{}、", chinese_number(n)),
        NumberStyle::Paren => format!("（{}）", chinese_number(n)),
        NumberStyle::ArabicParen => format!("（{n}）"),
    };
    Ok(Value::String(s))
}

/// `{{inc @index}}`: a 0-based index as a 1-based number.
fn inc(h: &Helper<'_>) -> Result<Value, RenderError> {
    Ok(json!(integer(h, 0)? + 1))
}

fn date_param(h: &Helper<'_>, idx: usize) -> Result<chrono::NaiveDate, RenderError> {
    let v = param(h, idx)?;
    let text = text_of(v);
    markup::parse_date(&text).ok_or_else(|| {
        if text.is_empty() {
            fail(format!("帮助函数“{}”得到的日期为空", h.name()))
        } else {
            fail(format!("无法识别的日期“{text}”"))
        }
    })
}

/// `{{date "2020-10-09"}}` → 2020年10月9日.
fn official_date(h: &Helper<'_>) -> Result<Value, RenderError> {
    Ok(Value::String(crate::doc::official_date(date_param(h, 0)?)))
}

/// `{{add_days "2020-10-09" 30}}` → 2020-11-08 (use `date` to print it).
fn add_days(h: &Helper<'_>) -> Result<Value, RenderError> {
    let d = date_param(h, 0)?;
    let n = integer(h, 1)?;
    let out = d
        .checked_add_signed(chrono::Duration::days(n))
        .ok_or_else(|| fail(format!("日期加 {n} 天超出范围")))?;
    Ok(Value::String(out.to_string()))
}

/// `{{num 92.50}}` → 92.5: at most one decimal, no trailing zeros.
fn num(h: &Helper<'_>) -> Result<Value, RenderError> {
    let v = param(h, 0)?;
    Ok(Value::String(match v.as_f64() {
        Some(f) => format_number(f),
        None => text_of(v),
    }))
}

/// One decimal at most, trailing `.0` dropped.
pub(crate) fn format_number(f: f64) -> String {
    let s = format!("{:.1}", f);
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// `{{sentence text}}`: the text ending with exactly one 。 (empty stays empty).
fn sentence(h: &Helper<'_>) -> Result<Value, RenderError> {
    let text = text_of(param(h, 0)?);
    let body = text
        .trim()
        .trim_end_matches(['。', '；', ';', '，', ',', '.', ' ']);
    Ok(Value::String(if body.is_empty() {
        String::new()
    } else {
        format!("{body}。")
    }))
}

/// The first parameter's items as text (field `key=` of object items,
/// default `name`), escaped for the markup: what `names` and `join` list.
fn escaped_items(h: &Helper<'_>) -> Result<Vec<String>, RenderError> {
    let key = h.hash_get("key").and_then(|v| v.value().as_str());
    Ok(array(h, 0)?
        .iter()
        .map(|i| markup::escape(&item_text(i, key)))
        .collect())
}

/// `{{names list}}` → A、B、C; `{{names list limit=3}}` → A、B、C等5个单位;
/// `key="unit"` picks a field of object items (default `name`).
fn names(h: &Helper<'_>) -> Result<String, RenderError> {
    let names = escaped_items(h)?;
    let limit = h
        .hash_get("limit")
        .and_then(|v| v.value().as_u64())
        .map(|n| n as usize);
    let shown = limit.unwrap_or(names.len()).min(names.len());
    let mut text = names[..shown].join("、");
    if shown < names.len() {
        text.push_str(&format!("等{}个单位", names.len()));
    }
    Ok(text)
}

/// `{{join list sep="，"}}`: items escaped, separator (default 、) raw.
fn join(h: &Helper<'_>) -> Result<String, RenderError> {
    let sep = h
        .hash_get("sep")
        .and_then(|v| v.value().as_str())
        .unwrap_or("、");
    Ok(escaped_items(h)?.join(sep))
}

/// The integer `award_year` of an item (0 when absent).
fn year_of(item: &Value) -> i64 {
    item.get("award_year").and_then(Value::as_i64).unwrap_or(0)
}

/// Items grouped by year, years ascending, items in their given order.
fn by_year(items: &[&Value]) -> Vec<Value> {
    let mut years: BTreeMap<i64, Vec<Value>> = BTreeMap::new();
    for item in items {
        years
            .entry(year_of(item))
            .or_default()
            .push((*item).clone());
    }
    years
        .into_iter()
        .map(|(year, units)| json!({"year": year, "count": units.len(), "units": units}))
        .collect()
}

/// `{{#each (group_by_level units)}}`: items grouped by their `level`
/// label, highest honour first, each group with `level`, `count`, `units`
/// (older honours first) and `years` (each with `year`, `count`, `units`).
/// Also done once in Rust for the lists the built-in templates group
/// (`units_by_level`, `passed_by_level`).
pub(crate) fn group_by_level(items: &[Value]) -> Value {
    let mut groups: BTreeMap<(usize, String), Vec<&Value>> = BTreeMap::new();
    for item in items {
        let label = item.get("level").map(text_of).unwrap_or_default();
        let rank = HonourLevel::parse(&label)
            .and_then(|l| HonourLevel::ALL.iter().position(|x| *x == l))
            .unwrap_or(HonourLevel::ALL.len());
        groups.entry((rank, label)).or_default().push(item);
    }
    // Within a level, older honours first; stable, so the given order
    // (the roster's) decides within a year.
    for units in groups.values_mut() {
        units.sort_by_key(|u| year_of(u));
    }
    let out: Vec<Value> = groups
        .into_iter()
        .map(|((_, level), units)| {
            json!({
                "level": level,
                "count": units.len(),
                "years": by_year(&units),
                "units": units,
            })
        })
        .collect();
    Value::Array(out)
}

/// `{{#each (group_by_year units)}}`: items grouped by `award_year`.
fn group_by_year(h: &Helper<'_>) -> Result<Value, RenderError> {
    let items: Vec<&Value> = array(h, 0)?.iter().collect();
    Ok(Value::Array(by_year(&items)))
}

/// `(where units "outcome" "复查合格")` keeps the items whose field equals
/// the value; `where_not` (`keep` false) keeps the others.
fn filtered(h: &Helper<'_>, keep: bool) -> Result<Value, RenderError> {
    let items = array(h, 0)?;
    let key = text_of(param(h, 1)?);
    let wanted = param(h, 2)?;
    Ok(Value::Array(
        items
            .iter()
            .filter(|i| (i.get(&key) == Some(wanted)) == keep)
            .cloned()
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hb() -> Handlebars<'static> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(markup::escape);
        register(&mut hb);
        hb
    }

    fn render(template: &str, data: Value) -> String {
        hb().render_template(template, &data).unwrap()
    }

    #[test]
    fn numbering_helpers() {
        assert_eq!(
            render(
                "{{cn_item 11}}{{cn_paren 2}}{{paren_num 3}}{{cn_num (inc 19)}}",
                json!({})
            ),
            "十一\\、（二）（3）二十"
        );
    }

    #[test]
    fn dates_and_numbers() {
        assert_eq!(
            render(
                "{{date d}} {{date (add_days d 30)}} {{num 92.50}} {{num 90}}",
                json!({"d": "2020-10-09"})
            ),
            "2020年10月9日 2020年11月8日 92.5 90"
        );
    }

    #[test]
    fn names_escape_items_but_not_separators() {
        let data = json!({"u": [{"name": "甲、乙|丙"}, {"name": "丁"}, {"name": "戊"}]});
        assert_eq!(render("{{names u}}", data.clone()), "甲\\、乙\\|丙、丁、戊");
        assert_eq!(
            render("{{names u limit=2}}", data),
            "甲\\、乙\\|丙、丁等3个单位"
        );
    }

    #[test]
    fn grouping_orders_levels_by_rank_and_years_ascending() {
        let data = json!({"u": [
            {"name": "a", "level": "省级文明单位", "award_year": 2016},
            {"name": "b", "level": "全国文明单位", "award_year": 2011},
            {"name": "c", "level": "省级文明单位", "award_year": 2014},
            {"name": "d", "level": "全国文明单位", "award_year": 2008},
        ]});
        let t = "{{#each (group_by_level u)}}{{level}}{{count}}:{{#each years}}{{year}}({{names units}}){{/each}};{{/each}}";
        assert_eq!(
            render(t, data),
            "全国文明单位2:2008(d)2011(b);省级文明单位2:2014(c)2016(a);"
        );
    }
}
