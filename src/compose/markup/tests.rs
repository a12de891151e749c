//! Parser unit tests: escaping, numbering, positions, tables, dates.
use super::*;

#[test]
fn chinese_numbers_read_as_officials_write_them() {
    let cases = [
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
        (100, "一百"),
        (105, "一百零五"),
        (111, "一百一十一"),
        (120, "一百二十"),
    ];
    for (n, s) in cases {
        assert_eq!(chinese_number(n), s, "{n}");
    }
    assert_eq!(heading_number(2, 12), "（十二）");
}

#[test]
fn escaped_data_survives_the_markup() {
    let name = "#A|B@C、D\\E";
    let text = format!(
        "@标题 {}\n\n| 名称 |\n| {} |\n\n{}\n",
        escape(name),
        escape(name),
        escape(name)
    );
    let doc = parse(&text).unwrap();
    assert_eq!(doc.title, name);
    let Block::Table(t) = &doc.body[0] else {
        panic!("expected a table")
    };
    assert_eq!(t.rows, vec![vec![name.to_string()]]);
    let Block::Paragraph(p) = &doc.body[1] else {
        panic!("expected a paragraph")
    };
    assert_eq!(p.text, name);
}

#[test]
fn headings_are_numbered_by_level_and_reset_below() {
    let doc =
        parse("@标题 T\n# 甲\n## 乙\n## 丙\n### 丁\n#### 戊\n# 己\n## 庚\n## （九）自带编号\n")
            .unwrap();
    let texts: Vec<_> = doc
        .body
        .iter()
        .filter_map(|b| match b {
            Block::Heading { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        texts,
        [
            "一、甲",
            "（一）乙",
            "（二）丙",
            "1.丁",
            "（1）戊",
            "二、己",
            "（一）庚",
            "（九）自带编号"
        ]
    );
}

#[test]
fn unknown_directives_are_reported_where_they_are() {
    let err = parse("@标题 T\n\n  @标体 X\n").unwrap_err();
    assert_eq!((err.line, err.column), (3, 3));
    assert!(err.message.contains("@标体"));
}

#[test]
fn ragged_table_rows_are_errors() {
    let err = parse("@标题 T\n| a | b |\n| 1 | 2 | 3 |\n").unwrap_err();
    assert_eq!(err.line, 3);
}

#[test]
fn dates_in_three_spellings() {
    let d = NaiveDate::from_ymd_opt(2020, 10, 9).unwrap();
    for s in ["2020-10-09", "2020/10/9", "2020年10月9日"] {
        assert_eq!(parse_date(s), Some(d));
    }
    assert_eq!(parse_date("2020年13月1日"), None);
    assert_eq!(parse_date("十月九日"), None);
}

#[test]
fn full_width_bars_make_tables_too() {
    let doc = parse("@标题 T\n｜ 名称 ｜ 结论 ｜\n| 甲 ｜ 合格 |\n").unwrap();
    let Block::Table(t) = &doc.body[0] else {
        panic!("expected a table")
    };
    assert_eq!(t.columns.len(), 2);
    assert_eq!(t.rows, vec![vec!["甲".to_string(), "合格".to_string()]]);
    let escaped = escape("甲｜乙");
    let doc = parse(&format!("@标题 T\n| 名称 |\n| {escaped} |\n")).unwrap();
    let Block::Table(t) = &doc.body[0] else {
        panic!("expected a table")
    };
    assert_eq!(t.rows, vec![vec!["甲｜乙".to_string()]]);
}
