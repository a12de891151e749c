//! Which roster unit a row names, whether it belongs to the sending body,
//! and whether it was already reported.

use super::{RowContext, RowDiags, Seen, SeenAt};
use crate::campaign::Campaign;
use crate::check::text::clip;
use crate::diag::Code;
use crate::intake::contract::Field;
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

/// The unit's honour level is not reviewed this campaign; its result is
/// read all the same.
pub(super) fn unit_not_due(d: &mut RowDiags<'_, '_>, campaign: &Campaign, u: &Unit) {
    if !campaign.is_due(u.level) {
        d.warn(
            Code::UnitNotDue,
            Field::Name,
            format!(
                "本次复查不含{}，“{}”的结果仍已读取",
                u.level.label(),
                u.name
            ),
        );
        d.suggest("请核对是否应报送该单位");
    }
}

/// The unit has not been reported before in this file, nor by another
/// body; records where it is reported. A file of the same body that named
/// it too is an earlier or later version of this one, not a duplicate:
/// which value counts is decided for the batch (`check::versions`).
pub(super) fn check_duplicate(
    d: &mut RowDiags<'_, '_>,
    ctx: &RowContext<'_>,
    u: &Unit,
    seen: &mut Seen,
) {
    let reports = seen.entry(u.name.clone()).or_default();
    let same_file = reports.iter().find(|at| at.file == ctx.file);
    let other_body = reports
        .iter()
        .find(|at| at.body.is_none() || ctx.body.is_none() || at.body.as_deref() != ctx.body);
    match same_file.or(other_body) {
        Some(at) => {
            let where_ = if at.file == ctx.file {
                format!("第{}行", at.row + 1)
            } else {
                format!("{}（{}第{}行）", at.file, at.sheet, at.row + 1)
            };
            d.error(
                Code::DuplicateUnit,
                Field::Name,
                format!("“{}”重复填报，已在{where_}出现", u.name),
            );
            d.suggest("每个单位只填一行，请删除重复的行");
        }
        None => reports.push(SeenAt {
            file: ctx.file.to_string(),
            sheet: ctx.sheet.to_string(),
            row: d.row,
            body: ctx.body.map(str::to_string),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use crate::review::HonourLevel;

    #[test]
    fn match_unit_suggests_the_senders_own_units_first() {
        let mut found = None;
        let diags = run(&header(), &Default::default(), |ctx, d| {
            found = match_unit(d, ctx, "岳阳县人民法庭", false).map(|u| u.name.clone());
        });
        assert_eq!(found, None);
        assert_eq!(codes(&diags), [Code::UnknownUnit]);
        assert_eq!(diags[0].message, "单位“岳阳县人民法庭”不在复查单位名单中");
        assert!(
            diags[0]
                .suggestion
                .as_deref()
                .unwrap()
                .starts_with("是否为：岳阳县人民法院"),
            "{:?}",
            diags[0].suggestion
        );
        run(&header(), &Default::default(), |ctx, d| {
            found = match_unit(d, ctx, "岳阳县人民法院", false).map(|u| u.name.clone());
        });
        assert_eq!(found.as_deref(), Some("岳阳县人民法院"));
    }

    #[test]
    fn check_jurisdiction_finds_a_unit_of_another_body() {
        let other = unit("岳阳市中医医院", HonourLevel::National, "市直", true);
        let diags = run(&header(), &Default::default(), |ctx, d| {
            check_jurisdiction(d, ctx, &other, "")
        });
        assert_eq!(codes(&diags), [Code::WrongJurisdiction]);
        assert_eq!(
            diags[0].message,
            "“岳阳市中医医院”属于市直，不应由岳阳县报送"
        );
        assert_eq!(diags[0].cell, at(Field::Name));
        let diags = run(&header(), &Default::default(), |ctx, d| {
            check_jurisdiction(d, ctx, &other, "岳阳县")
        });
        assert_eq!(diags[0].cell, at(Field::Jurisdiction));
    }

    #[test]
    fn unit_not_due_warns_and_keeps_the_row() {
        let c = campaign();
        let city = unit("岳阳县财政局", HonourLevel::City, "岳阳县", false);
        let diags = rule(|d| unit_not_due(d, &c, &city));
        assert_eq!(codes(&diags), [Code::UnitNotDue]);
        assert_eq!(
            diags[0].message,
            "本次复查不含市级文明单位，“岳阳县财政局”的结果仍已读取"
        );
        let due = unit("岳阳县人民法院", HonourLevel::Provincial, "岳阳县", false);
        assert!(rule(|d| unit_not_due(d, &c, &due)).is_empty());
    }

    #[test]
    fn check_duplicate_points_at_the_first_row() {
        let u = unit("岳阳县人民法院", HonourLevel::Provincial, "岳阳县", false);
        let mut seen = Seen::new();
        let run_with = |seen: &mut Seen| {
            run(&header(), &Default::default(), |ctx, d| {
                check_duplicate(d, ctx, &u, seen)
            })
        };
        assert!(run_with(&mut seen).is_empty());
        let diags = run_with(&mut seen);
        assert_eq!(codes(&diags), [Code::DuplicateUnit]);
        assert_eq!(
            diags[0].message,
            format!("“岳阳县人民法院”重复填报，已在第{}行出现", ROW + 1)
        );
        seen.insert(
            u.name.clone(),
            vec![SeenAt {
                file: "华容县.xlsx".into(),
                sheet: "第二阶段".into(),
                row: 9,
                body: Some("华容县".into()),
            }],
        );
        let diags = run_with(&mut seen);
        assert_eq!(
            diags[0].message,
            "“岳阳县人民法院”重复填报，已在华容县.xlsx（第二阶段第10行）出现"
        );
    }
}
