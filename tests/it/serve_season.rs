//! The workbench's season pages over HTTP (issue #15): each body's state
//! (未报送 / 有错误 / 已退回 / 已通过), the deadline and the reminder to
//! copy, a file's problems at their cells with the row as a grid, and the
//! city sending a version back. The refusals too: a county cannot send
//! back, open another body's file or learn whether an id exists. What the
//! pages must say is worked out from the register and the checker.

use crate::common::with_bad_review_date;
use crate::serve::{
    CITY, CITY_PASSWORD, COUNTY, COUNTY_PASSWORD, Workbench, hidden_csrf, row_of, upload_token,
};
use axum::http::StatusCode;
use fucha::pipeline::{self, Context};

const BAD_DATE: &str = "2020-13-45";

/// 汨罗市's workbook with one review date that is no date.
fn faulty_miluo(wb: &Workbench) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("汨罗市（有误）.xlsx");
    with_bad_review_date(&wb.intake().join("汨罗市.xlsx"), &bad, BAD_DATE);
    std::fs::read(bad).unwrap()
}

/// The diagnostics the checker gives `bytes` under `name`, as (sheet, cell).
fn cells_with_errors(wb: &Workbench, name: &str, bytes: &[u8]) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let ctx = Context::load(&wb.config, None).unwrap();
    let batch = fucha::check::check_paths(&[path], &ctx.roster, &ctx.campaign);
    batch
        .diagnostics
        .iter()
        .filter(|d| d.severity == fucha::diag::Severity::Error)
        .filter_map(|d| Some((d.sheet.clone()?, d.cell?.to_string())))
        .collect()
}

#[test]
fn a_faulty_upload_shows_its_problem_at_the_cell_and_the_row_as_a_grid() {
    let wb = Workbench::with_sent(&["报送/市直.xlsx"]);
    let county = wb.session(COUNTY, COUNTY_PASSWORD);
    let bytes = faulty_miluo(&wb);
    let expected = cells_with_errors(&wb, "汨罗市（有误）.xlsx", &bytes);
    assert!(!expected.is_empty(), "the bad date is an error");
    let token = upload_token(&wb, &county);
    let reply = wb.upload(Some(&county), &token, &[("汨罗市（有误）.xlsx", bytes)]);
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);

    let stored = wb.submissions();
    let faulty = stored
        .iter()
        .find(|s| s.name == "汨罗市（有误）.xlsx")
        .unwrap();
    assert!(faulty.errors > 0);
    let page = wb.get("/", Some(&county));
    let row = row_of(&page.text, "汨罗市").unwrap();
    assert!(row.contains("有错误"), "{row}");
    assert!(
        row.contains(&format!(r#"href="/file/{}""#, faulty.id)),
        "{row}"
    );

    let file = wb.get(&format!("/file/{}", faulty.id), Some(&county));
    assert_eq!(file.status, StatusCode::OK, "{}", file.text);
    for (sheet, cell) in &expected {
        assert!(
            file.text.contains(&format!(
                r#"<td data-label="工作表">{sheet}</td>
      <td data-label="单元格">{cell}</td>"#
            )),
            "{sheet}!{cell} in {}",
            file.text
        );
    }
    // The row as the spreadsheet shows it, the bad cell marked, the header
    // above it.
    assert!(
        file.text
            .contains(&format!(r#"<td class="bad">{BAD_DATE}</td>"#)),
        "{}",
        file.text
    );
    assert!(file.text.contains("复查日期"));
    let (_, cell) = &expected[0];
    let row_number: String = cell.chars().filter(char::is_ascii_digit).collect();
    assert!(
        file.text.contains(&format!("<th>{row_number}</th>")),
        "{}",
        file.text
    );
    assert!(
        wb.audit()
            .iter()
            .any(|(who, action, detail)| who.as_deref() == Some(COUNTY)
                && action == "view"
                && detail.contains("汨罗市（有误）.xlsx"))
    );
}

#[test]
fn a_county_opens_no_file_of_another_body_nor_learns_which_ids_exist() {
    let wb = Workbench::with_sent(&["报送/市直.xlsx", "报送/汨罗市.xlsx"]);
    let county = wb.session(COUNTY, COUNTY_PASSWORD);
    let city = wb.session(CITY, CITY_PASSWORD);
    let stored = wb.submissions();
    let own = stored
        .iter()
        .find(|s| s.body.as_deref() == Some("汨罗市"))
        .unwrap();
    let other = stored
        .iter()
        .find(|s| s.body.as_deref() == Some("市直"))
        .unwrap();
    assert_eq!(
        wb.get(&format!("/file/{}", own.id), Some(&county)).status,
        StatusCode::OK
    );
    let unknown = stored.iter().map(|s| s.id).max().unwrap() + 100;
    for path in [
        format!("/file/{}", other.id),
        format!("/file/{unknown}"),
        "/file/abc".into(),
    ] {
        let reply = wb.get(&path, Some(&county));
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
        assert!(reply.text.contains("本账号只能查看本单位的报送情况"));
        assert!(!reply.text.contains("市直.xlsx"));
    }
    // The city sees every file, and is told when there is none.
    assert_eq!(
        wb.get(&format!("/file/{}", other.id), Some(&city)).status,
        StatusCode::OK
    );
    assert_eq!(
        wb.get(&format!("/file/{unknown}"), Some(&city)).status,
        StatusCode::NOT_FOUND
    );
    // Nobody signed in: to the login page.
    let anonymous = wb.get(&format!("/file/{}", own.id), None);
    assert_eq!(anonymous.location.as_deref(), Some("/login"));
    let refused = wb.audit();
    assert!(
        refused
            .iter()
            .any(|(who, action, detail)| who.as_deref() == Some(COUNTY)
                && action == "refused"
                && detail.contains(&other.id.to_string()))
    );
}

#[test]
fn the_city_sends_a_version_back_and_a_new_version_ends_it() {
    let wb = Workbench::with_sent(&["报送/市直.xlsx", "报送/汨罗市.xlsx"]);
    let county = wb.session(COUNTY, COUNTY_PASSWORD);
    let city = wb.session(CITY, CITY_PASSWORD);
    let note = "第3行复查日期有误，请核实后重新报送。";

    // A county may not send back, even its own; a forged form is refused.
    let county_token = hidden_csrf(&wb.get("/", Some(&county)).text);
    let by_county = wb.post(
        "/body/汨罗市/return",
        Some(&county),
        &[("csrf", &county_token), ("note", note)],
    );
    assert_eq!(by_county.status, StatusCode::FORBIDDEN);
    let forged = wb.post(
        "/body/汨罗市/return",
        Some(&city),
        &[("csrf", "x"), ("note", note)],
    );
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(wb.submissions().iter().all(|s| s.returned.is_none()));

    let page = wb.get("/body/汨罗市", Some(&city));
    assert!(page.text.contains(r#"action="/body/"#) && page.text.contains("标记为已退回"));
    let token = hidden_csrf(&page.text);
    let sent_back = wb.post(
        "/body/汨罗市/return",
        Some(&city),
        &[("csrf", &token), ("note", note)],
    );
    assert_eq!(
        sent_back.status,
        StatusCode::SEE_OTHER,
        "{}",
        sent_back.text
    );
    let returned = wb
        .submissions()
        .into_iter()
        .find(|s| s.body.as_deref() == Some("汨罗市"))
        .unwrap()
        .returned
        .expect("marked sent back");
    assert_eq!((returned.by.as_str(), returned.note.as_str()), (CITY, note));

    // Both sides see it, the county with the note.
    for session in [&city, &county] {
        let row = row_of(&wb.get("/", Some(session)).text, "汨罗市").unwrap();
        assert!(row.contains("已退回"), "{row}");
    }
    assert!(wb.get("/body/汨罗市", Some(&county)).text.contains(note));
    assert!(
        wb.audit()
            .iter()
            .any(|(who, action, _)| who.as_deref() == Some(CITY) && action == "send_back")
    );

    // A body with nothing in force cannot be sent back.
    let nothing = wb.post(
        "/body/平江县/return",
        Some(&city),
        &[("csrf", &token), ("note", "")],
    );
    assert_eq!(nothing.status, StatusCode::CONFLICT);

    // The corrected table is judged on its own.
    let upload = upload_token(&wb, &county);
    let fixed = wb.workbook("汨罗市（更正）.xlsx");
    let reply = wb.upload(Some(&county), &upload, &[("汨罗市（更正）.xlsx", fixed)]);
    assert_eq!(reply.status, StatusCode::OK);
    let corrected = wb
        .submissions()
        .into_iter()
        .find(|s| s.name == "汨罗市（更正）.xlsx")
        .unwrap();
    let state = if corrected.errors == 0 {
        "已通过"
    } else {
        "有错误"
    };
    let row = row_of(&wb.get("/", Some(&city)).text, "汨罗市").unwrap();
    assert!(row.contains(state) && !row.contains("已退回"), "{row}");
}

#[test]
fn the_city_gets_a_reminder_naming_who_has_not_sent_and_the_deadline() {
    let wb = Workbench::with_sent(&["报送/市直.xlsx", "报送/汨罗市.xlsx"]);
    let ctx = Context::load(&wb.config, None).unwrap();
    let status = pipeline::status(&ctx, None).unwrap();
    assert!(!status.not_received.is_empty());
    let deadline = ctx.campaign.deadlines.submission;
    let today = pipeline::reference_date(&ctx, None);
    let date = |d: chrono::NaiveDate| d.format("%Y年%-m月%-d日").to_string();

    let city = wb.session(CITY, CITY_PASSWORD);
    let page = wb.get("/", Some(&city)).text;
    let reminder = page
        .split(r#"<textarea id="reminder""#)
        .nth(1)
        .expect("a reminder to copy");
    let reminder = &reminder[..reminder.find("</textarea>").unwrap()];
    assert!(
        reminder.contains(&status.not_received.join("、")),
        "{reminder}"
    );
    assert!(reminder.contains(&date(deadline)), "{reminder}");
    assert!(reminder.contains(&ctx.campaign.campaign.office_short));
    assert!(page.contains(r#"<script src="/static/copy.js"></script>"#));
    let total = ctx.roster.jurisdictions().len();
    let sent = total - status.not_received.len();
    assert!(page.contains(&format!("{sent}/{total} 已报送")), "{page}");
    // Every body not sent is overdue once the day is past the deadline.
    for body in &status.not_received {
        let row = row_of(&page, body).unwrap();
        assert_eq!(row.contains("逾期"), today > deadline, "{row}");
    }

    // A county sees its own row, and no reminder about others.
    let county = wb.session(COUNTY, COUNTY_PASSWORD);
    let own = wb.get("/", Some(&county)).text;
    assert!(!own.contains("催报提醒"));
    assert!(
        status
            .not_received
            .iter()
            .all(|b| row_of(&own, b).is_none())
    );
}

#[test]
fn the_spot_check_and_rectification_page_shows_the_season_as_check_finds_it() {
    let wb = Workbench::with_sent(&["报送/市直.xlsx"]);
    let season = pipeline::aftercare(&wb.config, None).unwrap();
    let city = wb.session(CITY, CITY_PASSWORD);
    let page = wb.get("/followup", Some(&city));
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let page = page.text;
    // The draw and the inspectors' findings of the default data.
    let spot = season
        .spot
        .as_ref()
        .expect("the demo season has a spot check");
    assert!(page.contains(&format!("抽取种子 {}", spot.seed)), "{page}");
    for u in &spot.units {
        assert!(page.contains(&format!(r#"<td data-label="单位">{}</td>"#, u.unit)));
    }
    let differing = spot.discrepancies().count();
    assert!(differing > 0);
    assert!(page.contains(&format!(
        "<strong>{differing}</strong> 个单位的抽查结论与县市区不一致"
    )));
    // Every unit under follow-up, with where it stands.
    let units = &season.rectification.units;
    assert!(!units.is_empty());
    for u in units {
        let row = page
            .split(&format!(r#"<td data-label="单位">{}</td>"#, u.unit))
            .nth(1)
            .unwrap_or_else(|| panic!("{} on the page", u.unit));
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(row.contains(u.outcome.label()), "{row}");
    }
    // The inspectors' workbook, for the city.
    let workbook = wb.get("/followup/spot-check.xlsx", Some(&city));
    assert_eq!(workbook.status, StatusCode::OK);
    assert!(
        workbook
            .header("content-disposition")
            .starts_with("attachment")
    );

    // A county sees its own units only, and only its own follow-up workbook.
    let county = wb.session(COUNTY, COUNTY_PASSWORD);
    let own = wb.get("/followup", Some(&county)).text;
    for u in units {
        let shown = own.contains(&format!(r#"<td data-label="单位">{}</td>"#, u.unit));
        assert_eq!(shown, u.jurisdiction == "汨罗市", "{}", u.unit);
    }
    assert_eq!(
        wb.get("/followup/spot-check.xlsx", Some(&county)).status,
        StatusCode::FORBIDDEN
    );
    let other = units.iter().find(|u| u.jurisdiction != "汨罗市").unwrap();
    let path = format!("/followup/workbook/{}", other.jurisdiction);
    assert_eq!(wb.get(&path, Some(&county)).status, StatusCode::FORBIDDEN);
    let theirs = wb.get(&path, Some(&city));
    assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.text);
    assert!(theirs.header("content-disposition").contains("xlsx"));
}

#[test]
fn the_city_creates_a_county_account_in_the_browser_and_only_the_city_may() {
    let wb = Workbench::with_sent(&["报送/市直.xlsx", "报送/平江县.xlsx"]);
    let city = wb.session(CITY, CITY_PASSWORD);
    let page = wb.get("/accounts", Some(&city));
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains(CITY) && page.text.contains(COUNTY));
    let token = hidden_csrf(&page.text);
    let add = |session: &str, csrf: &str, name: &str, body: &str, password: &str| {
        wb.post(
            "/accounts",
            Some(session),
            &[
                ("csrf", csrf),
                ("name", name),
                ("role", "county"),
                ("body", body),
                ("password", password),
            ],
        )
    };
    let password = "Pingjiang!2020";

    // Refused, nothing made: a weak password, a body not in the roster, a
    // name taken, a forged form, a county account.
    for (name, body, pass) in [
        ("平江县文明办", "平江县", "short"),
        ("长沙市文明办", "长沙市", password),
        (COUNTY, "平江县", password),
    ] {
        let reply = add(&city, &token, name, body, pass);
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{name}: {}",
            reply.text
        );
        assert!(reply.text.contains(r#"class="card missing error""#));
    }
    assert_eq!(
        add(&city, "forged", "平江县文明办", "平江县", password).status,
        StatusCode::FORBIDDEN
    );
    let county = wb.session(COUNTY, COUNTY_PASSWORD);
    let county_token = hidden_csrf(&wb.get("/", Some(&county)).text);
    assert_eq!(
        wb.get("/accounts", Some(&county)).status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        add(&county, &county_token, "平江县文明办", "平江县", password).status,
        StatusCode::FORBIDDEN
    );
    let refused = wb.login("平江县文明办", password);
    assert_eq!(
        refused.status,
        StatusCode::UNAUTHORIZED,
        "no such account yet"
    );

    // Made: the new account logs in and sees its own body only.
    let made = add(&city, &token, "平江县文明办", "平江县", password);
    assert_eq!(made.status, StatusCode::OK, "{}", made.text);
    assert!(
        made.text
            .contains("已新建账号“平江县文明办”（县市区：平江县）")
    );
    let pingjiang = wb.session("平江县文明办", password);
    let own = wb.get("/", Some(&pingjiang)).text;
    assert!(row_of(&own, "平江县").is_some());
    assert!(row_of(&own, "市直").is_none());
    let log = wb.audit();
    assert!(
        log.iter()
            .any(|(who, action, detail)| who.as_deref() == Some(CITY)
                && action == "account_add"
                && detail.contains("平江县文明办"))
    );
    assert_eq!(
        log.iter()
            .filter(|(_, a, _)| a == "account_refused")
            .count(),
        3
    );
    // The password is kept only as its hash.
    let main = wb.register_path();
    let wal = main.with_extension("sqlite-wal");
    for file in [main, wal] {
        let bytes = std::fs::read(&file).unwrap_or_default();
        assert!(
            !bytes
                .windows(password.len())
                .any(|w| w == password.as_bytes())
        );
    }
}

#[test]
fn a_new_office_makes_its_first_city_account_with_the_link_only_its_terminal_shows() {
    let (wb, setup) = Workbench::first_run();
    let token = setup.strip_prefix("/setup?token=").unwrap().to_string();
    // Without the token, or with another, there is nothing to set up.
    for path in [
        "/setup".to_string(),
        format!("/setup?token={}", "0".repeat(64)),
    ] {
        assert_eq!(wb.get(&path, None).status, StatusCode::NOT_FOUND, "{path}");
    }
    let forged = wb.post(
        "/setup",
        None,
        &[
            ("token", "x"),
            ("name", "冒充者"),
            ("password", CITY_PASSWORD),
        ],
    );
    assert_eq!(forged.status, StatusCode::NOT_FOUND);
    let page = wb.get(&setup, None);
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("首次设置"));
    // A weak password is refused, and the link still works.
    let weak = wb.post(
        "/setup",
        None,
        &[("token", &token), ("name", CITY), ("password", "short")],
    );
    assert_eq!(weak.status, StatusCode::BAD_REQUEST);
    let made = wb.post(
        "/setup",
        None,
        &[
            ("token", &token),
            ("name", CITY),
            ("password", CITY_PASSWORD),
        ],
    );
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text);
    assert_eq!(made.location.as_deref(), Some("/login"));
    // The account works and is the city's; the link is spent.
    let city = wb.session(CITY, CITY_PASSWORD);
    assert_eq!(wb.get("/accounts", Some(&city)).status, StatusCode::OK);
    assert_eq!(wb.get(&setup, None).status, StatusCode::NOT_FOUND);
    let again = wb.post(
        "/setup",
        None,
        &[
            ("token", &token),
            ("name", "第二个"),
            ("password", CITY_PASSWORD),
        ],
    );
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let log = wb.audit();
    assert!(
        log.iter()
            .any(|(who, action, detail)| who.as_deref() == Some(CITY)
                && action == "account_add"
                && detail.contains("首次设置"))
    );
    assert!(log.iter().any(|(_, action, _)| action == "setup_refused"));
}
