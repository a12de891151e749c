//! Which roster unit a row names, whether it belongs to the sending body,
//! and whether it was already reported.

use super::{RowContext, RowDiags, Seen};
use crate::check::header::Field;
use crate::check::text::clip;
use crate::diag::Code;
use crate::roster::Unit;

/// Longer than any unit name; not worth a fuzzy search.
const MAX_NAME_CHARS: usize = 100;

/// The roster unit a 单位名称 names, or an error with the closest names.
pub(super) fn match_unit<'r>(
    d: &mut RowDiags<'_, '_>,
    ctx: &RowContext<'r>,
    name: &str,
    formula_error: bool,
) -> Option<&'r Unit> {
    if formula_error {
        return None;
    }
    if name.is_empty() {
        d.error(Code::MissingValue, Field::Name, "单位名称为空".into());
        d.suggest("请填写名单中的单位全称");
        return None;
    }
    if let Some(u) = ctx.roster.lookup(name) {
        return Some(u);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        d.error(
            Code::InvalidValue,
            Field::Name,
            format!(
                "单位名称过长（{}字），不是名单中的单位",
                name.chars().count()
            ),
        );
        return None;
    }
    d.error(
        Code::UnknownUnit,
        Field::Name,
        format!("单位“{}”不在复查单位名单中", clip(name, 40)),
    );
    // The sender's own units first: a county misspells its own units.
    let mut close = ctx.roster.closest(name, 5);
    if let Some(body) = ctx.body {
        close.sort_by_key(|n| ctx.roster.lookup(n).is_none_or(|u| u.jurisdiction != body));
    }
    close.truncate(3);
    if close.is_empty() {
        d.suggest("请核对单位名称，应与复查单位名单一致");
    } else {
        d.suggest(format!("是否为：{}", close.join("、")));
    }
    None
}

/// The unit belongs to the body written in the row and to the sender.
pub(super) fn check_jurisdiction(
    d: &mut RowDiags<'_, '_>,
    ctx: &RowContext<'_>,
    u: &Unit,
    written: &str,
) {
    let written_body = (!written.is_empty())
        .then(|| crate::check::match_body(ctx.roster, ctx.campaign, written))
        .flatten();
    if !written.is_empty() && written_body.as_deref() != Some(u.jurisdiction.as_str()) {
        d.error(
            Code::WrongJurisdiction,
            Field::Jurisdiction,
            format!(
                "所属县市区填为“{}”，但名单中“{}”属于{}",
                clip(written, 20),
                u.name,
                u.jurisdiction
            ),
        );
        match crate::check::body::stray_short_name(ctx.roster, ctx.campaign, written) {
            Some(body) => d.suggest(format!(
                "配置文件 [bodies] 把“{}”登记为“{body}”的简称，但名单中没有“{body}”：请把 [bodies] 中的名称改为名单“所属县市区”列中的写法，或把本格改为“{}”",
                clip(written, 20),
                u.jurisdiction
            )),
            None => d.suggest(format!(
                "请改为“{}”，或由{}报送",
                u.jurisdiction, u.jurisdiction
            )),
        }
    } else if let Some(body) = ctx.body.filter(|b| *b != u.jurisdiction) {
        d.error(
            Code::WrongJurisdiction,
            Field::Name,
            format!("“{}”属于{}，不应由{}报送", u.name, u.jurisdiction, body),
        );
        d.suggest(format!("请删除此行，由{}报送", u.jurisdiction));
    }
}

/// The unit has not been reported before in this batch; records it.
pub(super) fn check_duplicate(
    d: &mut RowDiags<'_, '_>,
    ctx: &RowContext<'_>,
    u: &Unit,
    seen: &mut Seen,
) {
    match seen.get(&u.name) {
        Some((file, sheet, row)) => {
            let where_ = if file == ctx.file {
                format!("第{}行", row + 1)
            } else {
                format!("{file}（{sheet}第{}行）", row + 1)
            };
            d.error(
                Code::DuplicateUnit,
                Field::Name,
                format!("“{}”重复填报，已在{where_}出现", u.name),
            );
            d.suggest("每个单位只填一行，请删除重复的行");
        }
        None => {
            seen.insert(
                u.name.clone(),
                (ctx.file.to_string(), ctx.sheet.to_string(), d.row),
            );
        }
    }
}
