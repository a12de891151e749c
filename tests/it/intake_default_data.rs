//! The committed default data in `input/`: the 2020 roster of 111 units and
//! one filled intake workbook per reporting body, read back with calamine
//! the way `fucha check` reads them.

use crate::intake_support;

#[allow(dead_code, reason = "the generator's main() is not called here")]
#[path = "../../examples/demo_input.rs"]
mod demo_input;

use fucha::review::{HonourLevel, Method, Outcome};
use intake_support::{campaign, col, date, input_dir, roster_from_file, sheet_grid, text};
use std::collections::{BTreeMap, BTreeSet};

const BODIES: [&str; 13] = [
    "市直",
    "岳阳楼区",
    "云溪区",
    "君山区",
    "岳阳县",
    "华容县",
    "湘阴县",
    "平江县",
    "汨罗市",
    "临湘市",
    "屈原管理区",
    "岳阳经济技术开发区",
    "南湖新区",
];

#[test]
fn roster_holds_the_111_units_of_the_2020_work_plan() {
    let roster = roster_from_file();
    assert_eq!(roster.units().len(), 111);
    let mut by_group: BTreeMap<(HonourLevel, Option<i32>), usize> = BTreeMap::new();
    for u in roster.units() {
        let year = (u.level == HonourLevel::Provincial).then_some(u.award_year);
        *by_group.entry((u.level, year)).or_default() += 1;
    }
    let expected = BTreeMap::from([
        ((HonourLevel::National, None), 14),
        ((HonourLevel::ProvincialModel, None), 15),
        ((HonourLevel::Provincial, Some(2014)), 19),
        ((HonourLevel::Provincial, Some(2016)), 28),
        ((HonourLevel::Provincial, Some(2018)), 35),
    ]);
    assert_eq!(by_group, expected);

    let bodies: BTreeSet<&str> = roster.jurisdictions().into_iter().collect();
    assert_eq!(bodies, BODIES.into_iter().collect());

    let names: BTreeSet<&str> = roster.units().iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names.len(), 111, "unit names are unique");
}

#[test]
fn roster_keeps_the_plans_spellings_and_the_aliases_counties_write() {
    let roster = roster_from_file();
    for (alias, official) in [
        ("岳阳市中医医院", "市中医院"),
        ("岳阳市中心血站", "市中心血站"),
        ("岳阳市公共交通总公司", "市公交总公司"),
        ("云溪区人民检察院", "云溪区检察院"),
        ("岳阳市第二人民医院", "岳阳市二人民医院"),
    ] {
        assert_eq!(
            roster.lookup(alias).map(|u| u.name.as_str()),
            Some(official)
        );
    }
    let unit = |name: &str| roster.lookup(name).unwrap_or_else(|| panic!("{name}"));
    assert_eq!(unit("中石化巴陵石化公司").jurisdiction, "市直");
    assert_eq!(
        unit("国家税务总局岳阳经开区税务局").jurisdiction,
        "岳阳经济技术开发区"
    );
    assert_eq!(unit("岳阳市中级人民法院").award_year, 2008);

    // The reform flags of domain.md, each with a remark saying what changed.
    let reformed: Vec<&str> = roster
        .units()
        .iter()
        .filter(|u| u.reform)
        .map(|u| u.name.as_str())
        .collect();
    assert_eq!(reformed.len(), 23, "{reformed:?}");
    for name in [
        "国家税务总局岳阳县税务局",
        "岳阳市人防办",
        "屈原管理区地方税务局",
        "中共岳阳市纪律检查委员会（监察委员会）",
        "岳阳市生态环境局湘阴分局",
    ] {
        assert!(reformed.contains(&name), "{name} is flagged");
    }
    assert!(!unit("国家税务总局汨罗市税务局").reform);
    assert!(
        roster
            .units()
            .iter()
            .filter(|u| u.reform)
            .all(|u| !u.remarks.is_empty())
    );
}

#[test]
fn each_body_sends_one_workbook_listing_exactly_its_due_units() {
    let roster = roster_from_file();
    let campaign = campaign();
    let dir = input_dir().join("报送");
    let files: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    // One workbook per body, and 汨罗市's correction (a second version).
    let mut expected: BTreeSet<String> = BODIES.iter().map(|b| format!("{b}.xlsx")).collect();
    expected.insert("汨罗市（更正）.xlsx".to_string());
    assert_eq!(files, expected);

    let mut listed = 0;
    for body in BODIES {
        let bytes = std::fs::read(dir.join(format!("{body}.xlsx"))).unwrap();
        let grid = sheet_grid(&bytes, "复查情况");
        let header = &grid[1];
        let rows = &grid[2..];
        let due: Vec<_> = roster
            .units_of(body)
            .filter(|u| campaign.is_due(u.level))
            .collect();
        let names: Vec<String> = rows
            .iter()
            .map(|r| text(&r[col(header, "单位名称")]))
            .collect();
        let due_names: Vec<String> = due.iter().map(|u| u.name.clone()).collect();
        assert_eq!(names, due_names, "{body}");
        for (row, unit) in rows.iter().zip(&due) {
            assert_eq!(text(&row[col(header, "荣誉类别")]), unit.level.label());
            assert_eq!(
                text(&row[col(header, "命名年度")]),
                unit.award_year.to_string()
            );
            assert_eq!(text(&row[col(header, "所属县市区")]), body);
            let flag = if unit.reform { "是" } else { "否" };
            assert_eq!(text(&row[col(header, "是否涉及机构改革")]), flag);
        }
        listed += rows.len();
    }
    assert_eq!(listed, 111, "every unit is listed once");
}

/// What the checks of issue 3 would block on, restated over the read-back
/// cells: the default data must produce none of it.
#[test]
// Long on purpose: each intake rule in turn over the same default results.
fn default_results_satisfy_the_intake_rules() {
    let campaign = campaign();
    let roster = roster_from_file();
    let mut outcomes: BTreeMap<Outcome, usize> = BTreeMap::new();
    for body in BODIES {
        let path = input_dir().join("报送").join(format!("{body}.xlsx"));
        let bytes = std::fs::read(&path).unwrap();
        let grid = sheet_grid(&bytes, "复查情况");
        let h = &grid[1];
        let reform_sheet = sheet_grid(&bytes, "机构改革情况说明");
        let sheet_notes: BTreeMap<String, String> = reform_sheet[1..]
            .iter()
            .map(|r| (text(&r[0]), text(&r[1])))
            .collect();
        for row in &grid[2..] {
            let cell = |label: &str| text(&row[col(h, label)]);
            let name = cell("单位名称");
            let unit = roster.lookup(&name).expect("roster unit");
            let (start, end) = campaign.phase_window(unit.level).unwrap();
            let day = date(&row[col(h, "复查日期")]).unwrap_or_else(|| panic!("{name}: date"));
            assert!(
                start <= day && day <= end,
                "{name}: {day} outside its phase"
            );

            let methods: Vec<Method> = cell("复查方式")
                .split('、')
                .map(|m| Method::parse(m).unwrap_or_else(|| panic!("{name}: method {m}")))
                .collect();
            assert!(
                methods.contains(&Method::OnSite),
                "{name}: reviewed on site"
            );
            let score: f64 = cell("测评得分").parse().unwrap();
            assert!((0.0..=100.0).contains(&score));
            let satisfaction: Option<f64> = cell("群众满意度(%)").parse().ok();
            assert_eq!(
                methods.contains(&Method::Survey),
                satisfaction.is_some(),
                "{name}"
            );

            let outcome = Outcome::parse(&cell("复查结论")).unwrap();
            *outcomes.entry(outcome).or_default() += 1;
            if outcome == Outcome::Pass {
                assert!(cell("负面清单情形").is_empty(), "{name}");
                assert!(score >= campaign.pass_lines.score, "{name}: {score}");
                assert!((85.0..=98.0).contains(&score), "{name}: {score}");
                if let Some(s) = satisfaction {
                    assert!(s >= campaign.pass_lines.satisfaction, "{name}: {s}");
                }
            } else {
                assert!(cell("存在问题").chars().count() > 10, "{name}: problems");
                assert!(
                    cell("整改意见").chars().count() > 10,
                    "{name}: rectification"
                );
            }
            if outcome == Outcome::Revoke {
                assert!(!cell("负面清单情形").is_empty(), "{name}: negative list");
            }
            if unit.reform {
                let in_column = cell("机构改革情况说明");
                let in_sheet = sheet_notes.get(&name).cloned().unwrap_or_default();
                assert!(
                    in_column.chars().count() > 20 || in_sheet.chars().count() > 20,
                    "{name}: reform statement"
                );
            }
        }

        let info = sheet_grid(&bytes, "报送信息");
        assert_eq!(
            info[0][..4].iter().map(text).collect::<Vec<_>>(),
            ["报送单位", "联系人", "联系电话", "报送日期"]
        );
        assert_eq!(text(&info[1][0]), body);
        assert!(!text(&info[1][1]).is_empty() && text(&info[1][2]).starts_with("0730-"));
        let sent = date(&info[1][3]).expect("submission date");
        assert!(sent <= campaign.deadlines.submission, "{body}: sent {sent}");
    }
    assert_eq!(outcomes.values().sum::<usize>(), 111);
    assert_eq!(outcomes.get(&Outcome::Revoke), Some(&1));
    assert!(outcomes.get(&Outcome::Rectify).copied().unwrap_or(0) >= 2);
    assert!(outcomes.get(&Outcome::Criticism).copied().unwrap_or(0) >= 1);
    assert!(
        outcomes[&Outcome::Pass] >= 100,
        "most units pass: {outcomes:?}"
    );
}

#[test]
fn committed_input_is_exactly_what_the_generator_writes() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(
        input_dir().join("fucha.toml"),
        tmp.path().join("fucha.toml"),
    )
    .unwrap();
    let written = demo_input::write_demo_input(tmp.path()).unwrap();
    assert_eq!(
        written.len(),
        1 + 13 + 1 + 1 + 3,
        "the roster, 13 workbooks, one county's correction, the inspectors' \
         spot-check workbook and three bodies' follow-ups"
    );
    for path in &written {
        let rel = path.strip_prefix(tmp.path()).unwrap();
        let committed = std::fs::read(input_dir().join(rel)).unwrap();
        let fresh = std::fs::read(path).unwrap();
        assert!(
            committed == fresh,
            "{} differs from the generator's output: run `cargo run --release --example demo_input -- input/`",
            rel.display()
        );
    }
    // A second run writes the same bytes again.
    let again = tempfile::tempdir().unwrap();
    std::fs::copy(
        input_dir().join("fucha.toml"),
        again.path().join("fucha.toml"),
    )
    .unwrap();
    demo_input::write_demo_input(again.path()).unwrap();
    for path in &written {
        let rel = path.strip_prefix(tmp.path()).unwrap();
        assert_eq!(
            std::fs::read(path).unwrap(),
            std::fs::read(again.path().join(rel)).unwrap()
        );
    }
}

#[test]
fn generator_table_matches_the_roster_file() {
    let from_file = roster_from_file();
    let from_table = demo_input::demo_roster();
    assert_eq!(from_file.units(), from_table.units());
}
