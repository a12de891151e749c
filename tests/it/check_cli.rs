//! `fucha check` as a clerk runs it: compiler-style text, one JSON object,
//! and the exit status (0 clean, 1 errors in the data, 2 could not check).

use std::path::Path;
use std::process::{Command, Output};

fn fucha(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fucha"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap()
}

/// A copy of `input/` where 君山区 sent a CSV with four faulty rows and
/// without one of its units.
fn faulty_input() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("input");
    let copy = dir.path().join("input");
    std::fs::create_dir_all(copy.join("报送")).unwrap();
    for name in ["fucha.toml", "复查单位名单.xlsx"] {
        std::fs::copy(root.join(name), copy.join(name)).unwrap();
    }
    for entry in std::fs::read_dir(root.join("报送")).unwrap() {
        let p = entry.unwrap().path();
        if p.file_stem().unwrap() != "君山区" {
            std::fs::copy(&p, copy.join("报送").join(p.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(
        copy.join("报送/君山区.csv"),
        "序号,单位名称,荣誉类别,命名年度,复查日期,复查方式,测评得分,群众满意度(%),负面清单情形,存在问题,整改意见,复查结论,是否涉及机构改革,机构改革情况说明\n\
         1,岳阳市君山区人民法院,全国文明单位,2014,2020年13月1日,实地察看、听取汇报,92,,,,,复查合格,否,\n\
         2,君山区人民检察院,省级文明单位,2016,2020-09-10,实地察看、问卷调查,88,120,,,,复查合格,否,\n\
         3,君山区人力资源和社会保障局,省级文明单位,2018,2020/9/12,实地察看,75,,,,,限期整改,否,\n\
         4,君山区人民检查院,省级文明单位,2016,2020-09-11,实地察看,90,,,,,复查合格,否,\n",
    )
    .unwrap();
    dir
}

#[test]
fn the_default_data_checks_clean_with_exit_zero() {
    let out = fucha(&["check"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    // 13 bodies' files and 汨罗市's correction (111 units, 汨罗市's 6 read
    // again), and the inspectors' spot-check workbook (10 units drawn).
    assert!(text.contains("共检查15个文件，读取127行"), "{text}");
    assert!(text.contains("错误0个，警告1个"), "{text}");
    // The follow-ups: 3 workbooks, 4 rows, the two warnings below.
    assert!(
        text.contains(
            "读取 3 个整改落实情况表，共 4 行：接收 4 行，退回 0 行；错误 0 个，警告 2 个"
        ),
        "{text}"
    );
    // No error anywhere, and exactly the warnings the demo data is made to
    // raise (examples/demo_input.rs): the city's spot check differs from
    // 临湘市's result for one unit; 平江县审计局's rectification was not
    // accepted; 云溪区民政局 sent no follow-up by its deadline (2020-12-09,
    // the config's reference_date being 2020-12-20).
    let problems: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("error[") || l.contains("warning["))
        .collect();
    let expected = [
        "input/抽查/岳阳市2020年文明单位随机抽查情况表.xlsx:随机抽查情况!O3: warning[spot-outcome-differs]: “湖南移动临湘市分公司”的随机抽查结论为“约谈警告”，临湘市文明办的复查结论为“复查合格”",
        "input/整改/平江县整改落实情况表.xlsx:整改落实情况!L3: warning[rectification-not-accepted]: “平江县审计局”验收结论为未整改到位",
        "warning[rectification-overdue]: “云溪区民政局”整改期限2020-12-09已过",
    ];
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    for (line, start) in problems.iter().zip(expected) {
        assert!(line.starts_with(start), "{line}\nexpected: {start}…");
    }
}

#[test]
fn errors_print_like_a_compiler_and_exit_one() {
    let dir = faulty_input();
    let config = dir.path().join("input/fucha.toml");
    let out = fucha(&["check", "--config", config.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for expected in [
        "君山区.csv:君山区!E2: error[invalid-date]: 无法识别的日期“2020年13月1日”",
        "君山区.csv:君山区!H3: error[score-out-of-range]",
        "君山区.csv:君山区!J4: error[outcome-needs-problems]",
        "君山区.csv:君山区!B5: error[unknown-unit]",
        "error[missing-unit]",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    // did-you-mean names the unit the clerk misspelt
    let b5 = text.lines().find(|l| l.contains("!B5:")).unwrap();
    assert!(b5.contains("君山区人民检察院"), "{b5}");
}

#[test]
fn json_output_has_the_documented_shape_and_counts_that_add_up() {
    let dir = faulty_input();
    let config = dir.path().join("input/fucha.toml");
    let out = fucha(&[
        "check",
        "--format",
        "json",
        "--config",
        config.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let files = v["files"].as_array().unwrap();
    // 13 bodies, and 汨罗市's correction.
    assert_eq!(files.len(), 14);
    let mut rows = 0;
    for f in files {
        let (r, a, j) = (
            f["rows"].as_u64().unwrap(),
            f["accepted"].as_u64().unwrap(),
            f["rejected"].as_u64().unwrap(),
        );
        assert_eq!(r, a + j, "{f}");
        assert!(f["path"].is_string() && f["jurisdiction"].is_string());
        rows += r;
    }
    // 君山区 sent four rows for its four units, one of them misspelt;
    // 汨罗市's six come twice (its correction).
    assert_eq!(rows, 117);
    let jun = files
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("君山区.csv"))
        .unwrap();
    assert_eq!(jun["rejected"], 4);
    let diags = v["diagnostics"].as_array().unwrap();
    let date = diags.iter().find(|d| d["code"] == "invalid-date").unwrap();
    assert_eq!(date["severity"], "error");
    assert_eq!(date["cell"], "E2");
    assert_eq!(date["unit"], "岳阳市君山区人民法院");
    for key in ["file", "sheet", "row", "message", "suggestion"] {
        assert!(date.get(key).is_some(), "diagnostic lacks {key}");
    }
    let missing = diags.iter().find(|d| d["code"] == "missing-unit").unwrap();
    assert!(
        missing["cell"].is_null(),
        "a missing unit has no cell: {missing}"
    );
    assert_eq!(v["summary"]["errors"], 5);
    let errors = diags.iter().filter(|d| d["severity"] == "error").count();
    assert_eq!(errors, 5);
}

#[test]
fn an_unreadable_config_exits_two() {
    let out = fucha(&["check", "--config", "/nonexistent/fucha.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/fucha.toml"), "{err}");
}

#[test]
fn checking_never_modifies_the_inputs() {
    let dir = faulty_input();
    let input = dir.path().join("input/报送/君山区.csv");
    let before = std::fs::read(&input).unwrap();
    let config = dir.path().join("input/fucha.toml");
    fucha(&["check", "--config", config.to_str().unwrap()]);
    assert_eq!(std::fs::read(&input).unwrap(), before);
}
