//! The workbench in a real browser, end to end (issue #15): headless
//! Chromium driven through chromedriver (WebDriver) against `fucha serve`
//! on a copy of the default season. A county clerk logs in, uploads a
//! faulty workbook, sees the diagnostic at its cell, uploads the
//! correction; the city clerk sees the county 已通过, uploads the last two
//! bodies' workbooks, builds the season's documents and downloads the
//! circular, which names the county's units.
//!
//! Behind the `browser` feature, so `cargo test --release` needs no
//! browser: `cargo test --release --features browser --test browser`
//! (Debian: `apt-get install chromium chromium-driver`; `CHROMEDRIVER`
//! and `CHROMIUM` override /usr/bin/chromedriver and /usr/bin/chromium).
//!
//! Screenshots at 1366×768 go to `target/tmp/browser/`, and also to the
//! folder `FUCHA_SCREENSHOTS` names (relative to the repository), e.g.
//! `FUCHA_SCREENSHOTS=docs/images` to refresh the README's.

mod harness;
mod workbook;

use fantoccini::{Client, ClientBuilder, Locator};
use fucha::pipeline::{self, Context};
use fucha::register::Role;
use harness::{Processes, repo};
use hyper_util::client::legacy::connect::HttpConnector;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const CITY: &str = "张三";
const CITY_PASSWORD: &str = "Yueyang-2020";
/// The county whose clerk uploads: its default workbook checks clean.
const COUNTY_BODY: &str = "平江县";
const COUNTY: &str = "平江县文明办";
const COUNTY_PASSWORD: &str = "Pingjiang!2020";
/// The score the faulty workbook gives (out of the 0 to 100 range).
const BAD_SCORE: u32 = 120;
/// Bodies left unsent, so the dashboard shows a season still under way.
const NOT_YET: [&str; 2] = ["南湖新区", "岳阳经济技术开发区"];

const WIDTH: u32 = 1366;
const HEIGHT: u32 = 768;
/// How long a page may take to show what a step waits for.
const PATIENCE: Duration = Duration::from_secs(30);
/// How long building every document may take.
const BUILD_PATIENCE: Duration = Duration::from_secs(240);

/// The season on disk: a copy of `input/` whose intake folder holds
/// every body's default file but the county's and [`NOT_YET`]'s, all
/// entered in the register; with a city and a county account. The files
/// held back are set aside in `county/`, for the test to send.
struct Season {
    dir: tempfile::TempDir,
    config: PathBuf,
    ctx: Context,
    /// The county's default workbook, set aside.
    original: PathBuf,
    /// [`NOT_YET`]'s default workbooks, set aside.
    late: Vec<PathBuf>,
}

impl Season {
    fn new() -> Season {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("input");
        harness::copy_season(&input);
        // The shipped fonts where a build looks first, beside the season
        // (wherever the target folder with the binary is).
        std::os::unix::fs::symlink(repo().join("fonts"), dir.path().join("fonts")).unwrap();
        let aside = dir.path().join("county");
        std::fs::create_dir(&aside).unwrap();
        let original = aside.join(format!("{COUNTY_BODY}.xlsx"));
        let intake = input.join("报送");
        let mut sent = Vec::new();
        for entry in std::fs::read_dir(&intake).unwrap() {
            let path = entry.unwrap().path();
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            if stem == COUNTY_BODY || NOT_YET.contains(&stem.as_str()) {
                std::fs::rename(&path, aside.join(path.file_name().unwrap())).unwrap();
            } else if stem.starts_with(COUNTY_BODY) || NOT_YET.iter().any(|b| stem.starts_with(b)) {
                std::fs::remove_file(&path).unwrap();
            } else {
                sent.push(path);
            }
        }
        assert!(original.is_file(), "{COUNTY_BODY}'s default workbook");
        let late: Vec<PathBuf> = NOT_YET
            .iter()
            .map(|b| aside.join(format!("{b}.xlsx")))
            .collect();
        assert!(late.iter().all(|p| p.is_file()), "{late:?}");
        sent.sort();
        let config = input.join("fucha.toml");
        let ctx = Context::load(&config, None).unwrap();
        // `fucha serve` would enter them too; entered here, the season the
        // browser sees does not depend on it.
        pipeline::receive(&ctx, &sent, None).unwrap();
        pipeline::add_account(&ctx, CITY, &Role::City, CITY_PASSWORD).unwrap();
        pipeline::add_account(
            &ctx,
            COUNTY,
            &Role::County(COUNTY_BODY.into()),
            COUNTY_PASSWORD,
        )
        .unwrap();
        Season {
            dir,
            config,
            ctx,
            original,
            late,
        }
    }

    /// A folder of the season's temporary directory, created.
    fn folder(&self, name: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(&path).unwrap();
        path
    }
}

/// The browser session and where the workbench is.
struct Browser {
    client: Client,
    base: String,
}

impl Browser {
    async fn start(driver: &str, base: String, profile: &Path) -> Browser {
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let mut args: Vec<String> = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--lang=zh-CN",
            "--hide-scrollbars",
        ]
        .map(String::from)
        .to_vec();
        args.push(format!("--user-data-dir={}", profile.display()));
        args.push(format!("--window-size={WIDTH},{HEIGHT}"));
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({ "binary": chromium, "args": args }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(driver)
            .await
            .expect("a WebDriver session");
        // The window's size includes what headless Chromium counts as its
        // frame: grow it by the difference so the page itself is 1366×768.
        client.set_window_size(WIDTH, HEIGHT).await.unwrap();
        let (w, h) = png_size(&client.screenshot().await.unwrap());
        client
            .set_window_size(2 * WIDTH - w, 2 * HEIGHT - h)
            .await
            .unwrap();
        Browser { client, base }
    }

    async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    }

    /// The element, once the page shows it.
    async fn wait_for(&self, locator: Locator<'_>) -> fantoccini::elements::Element {
        let shown = format!("{locator:?}");
        match self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(locator)
            .await
        {
            Ok(element) => element,
            Err(e) => panic!("{shown} not shown: {e}\n{}", self.page_text().await),
        }
    }

    async fn page_text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(e) => format!("(no page: {e})"),
        }
    }

    async fn path(&self) -> String {
        self.client.current_url().await.unwrap().path().to_string()
    }

    async fn log_in(&self, name: &str, password: &str) {
        self.goto("/login").await;
        let form = self.wait_for(Locator::Css("form[action='/login']")).await;
        let field = form.find(Locator::Css("input[name='name']")).await.unwrap();
        field.send_keys(name).await.unwrap();
        let field = form
            .find(Locator::Css("input[name='password']"))
            .await
            .unwrap();
        field.send_keys(password).await.unwrap();
        form.find(Locator::Css("button[type='submit']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        self.wait_for(Locator::Css("table.bodies")).await;
        assert_eq!(self.path().await, "/", "{}", self.page_text().await);
        let header = self.page_text().await;
        assert!(header.contains(name), "{header}");
    }

    async fn log_out(&self) {
        self.client
            .find(Locator::Css("form[action='/logout'] button"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        self.wait_for(Locator::Css("form[action='/login']")).await;
    }

    /// Chooses `files` in the upload form and sends them; returns on the
    /// result page.
    async fn upload(&self, files: &[&Path]) {
        self.goto("/upload").await;
        let input = self
            .wait_for(Locator::Css(
                "form[action='/upload'] input[type='file'][name='files']",
            ))
            .await;
        // Several files at once: one path a line, as chromedriver takes them.
        let paths: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        input.send_keys(&paths.join("\n")).await.unwrap();
        self.client
            .find(Locator::Css("form[action='/upload'] button[type='submit']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        self.wait_for(Locator::XPath("//h1[normalize-space()='上传结果']"))
            .await;
    }

    /// The result page's section for the file `sent`: its heading starts
    /// with the name sent (the register may add when it was received).
    async fn result_of(&self, sent: &Path) -> fantoccini::elements::Element {
        let stem = sent.file_stem().unwrap().to_string_lossy();
        let xpath = format!("//section[h2[starts-with(normalize-space(), '{stem}')]]");
        self.wait_for(Locator::XPath(&xpath)).await
    }

    /// The state in the 状态 cell of the dashboard row of `body` (未报送,
    /// 有错误, 已退回 or 已通过), without the marks after it (逾期).
    async fn status_of(&self, body: &str) -> String {
        let xpath = format!(
            "//table[contains(@class,'bodies')]//tr[td[@data-label='报送单位'][normalize-space()='{body}']]/td[@data-label='状态']"
        );
        let cell = self.wait_for(Locator::XPath(&xpath)).await;
        let text = cell.text().await.unwrap();
        text.split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string()
    }

    /// On a version's page, the marked cell of the faulty row `row` as
    /// the spreadsheet grid shows it: its column's letters and its text.
    async fn marked_cell(&self, row: u32) -> (String, String) {
        let grid = self
            .wait_for(Locator::XPath(&format!(
                "//table[contains(@class,'grid')][.//tbody/tr[last()]/th[normalize-space()='{row}']]"
            )))
            .await;
        let mut letters = Vec::new();
        for th in grid.find_all(Locator::Css("thead th")).await.unwrap() {
            letters.push(th.text().await.unwrap().trim().to_string());
        }
        let cells = grid
            .find_all(Locator::XPath(".//tbody/tr[last()]/td"))
            .await
            .unwrap();
        let mut marked = Vec::new();
        for (i, td) in cells.iter().enumerate() {
            let class = td.attr("class").await.unwrap().unwrap_or_default();
            if class.split_whitespace().any(|c| c == "bad") {
                // The first header cell is the corner above the row numbers.
                marked.push((letters[i + 1].clone(), td.text().await.unwrap()));
            }
        }
        assert_eq!(marked.len(), 1, "one marked cell in row {row}: {marked:?}");
        marked.remove(0)
    }

    /// Saves what the window shows as `name`, and checks it is 1366×768.
    async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        assert_eq!(png_size(&png), (WIDTH, HEIGHT), "{name}'s size");
        let mut folders = vec![PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser")];
        if let Some(dir) = std::env::var_os("FUCHA_SCREENSHOTS") {
            folders.push(repo().join(dir));
        }
        for folder in folders {
            std::fs::create_dir_all(&folder).unwrap();
            let path = folder.join(name);
            std::fs::write(&path, &png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            eprintln!("screenshot: {}", path.display());
        }
    }
}

/// Step 6: the city clerk builds the season's documents from the
/// browser; the page shows the build's progress, then lists the files.
async fn build_documents(browser: &Browser) {
    browser.goto("/documents").await;
    browser
        .wait_for(Locator::XPath(
            "//form[@action='/documents/build']//button[normalize-space()='生成公文']",
        ))
        .await
        .click()
        .await
        .unwrap();
    let started = Instant::now();
    let mut saw_progress = false;
    let mut last_visit = Instant::now();
    loop {
        let running = browser
            .client
            .find(Locator::Css("progress#build-progress"))
            .await
            .is_ok();
        saw_progress |= running;
        let listed = browser
            .client
            .find(Locator::Css("a[href='/documents/all.zip']"))
            .await
            .is_ok();
        if listed && !running {
            break;
        }
        if let Ok(failed) = browser.client.find(Locator::Css("section p.error")).await {
            panic!("the build failed: {}", failed.text().await.unwrap());
        }
        assert!(
            started.elapsed() < BUILD_PATIENCE,
            "the build did not end in {BUILD_PATIENCE:?}:\n{}",
            browser.page_text().await
        );
        // The page reloads itself when the build ends; look again now and
        // then in case it did not.
        if last_visit.elapsed() > Duration::from_secs(10) {
            browser.goto("/documents").await;
            last_visit = Instant::now();
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    eprintln!("documents built in {:.1?}", started.elapsed());
    assert!(saw_progress, "the page showed the build's progress");
    let done = browser.page_text().await;
    assert!(done.contains("生成完成"), "{done}");
    browser.screenshot("workbench-documents.png").await;
}

/// Step 7: the circular (复查通报), downloaded as the browser would with
/// the clerk's session, names the county's units that passed. The PDF's
/// preview opens inline, and the zip of everything downloads.
async fn check_circular(browser: &Browser, addr: SocketAddr, passed: &[String]) {
    let mut links = Vec::new();
    for a in browser
        .client
        .find_all(Locator::Css("a[href^='/documents/file/']"))
        .await
        .unwrap()
    {
        links.push(a.attr("href").await.unwrap().unwrap_or_default());
    }
    let circular = |ext: &str| {
        links
            .iter()
            .find(|href| {
                let decoded = harness::percent_decode(href);
                let folder = decoded.split('/').nth(3).unwrap_or_default();
                folder.ends_with("复查通报") && decoded.ends_with(ext)
            })
            .cloned()
    };
    let Some(docx_link) = circular(".docx") else {
        // Held back: the page says why, in its list of withheld documents.
        let withheld = match browser.client.find(Locator::Css("details")).await {
            Ok(details) => details.html(true).await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        panic!("no circular among the documents; withheld: {withheld}\n{links:#?}");
    };
    let pdf_link = circular(".pdf").expect("the circular as PDF");
    let cookies: Vec<String> = browser
        .client
        .get_all_cookies()
        .await
        .unwrap()
        .iter()
        .map(|c| format!("{}={}", c.name(), c.value()))
        .collect();
    let cookie = cookies.join("; ");
    let host = addr.to_string();

    let docx = harness::get(&host, &docx_link, Some(&cookie)).unwrap();
    assert_eq!(docx.status, 200);
    assert!(
        docx.header("content-disposition")
            .is_some_and(|d| d.starts_with("attachment")),
        "{:?}",
        docx.headers
    );
    let text = workbook::docx_text(&docx.body);
    assert!(text.contains("通报"), "{text}");
    for unit in passed {
        assert!(
            text.contains(unit.as_str()),
            "the circular names {unit}:\n{text}"
        );
    }

    let pdf = harness::get(&host, &format!("{pdf_link}?view=1"), Some(&cookie)).unwrap();
    assert_eq!(pdf.status, 200);
    assert!(pdf.body.starts_with(b"%PDF-"));
    assert!(
        pdf.header("content-disposition")
            .is_some_and(|d| d.starts_with("inline")),
        "{:?}",
        pdf.headers
    );

    let zip = harness::get(&host, "/documents/all.zip", Some(&cookie)).unwrap();
    assert_eq!(zip.status, 200);
    assert!(zip.body.starts_with(b"PK"), "a zip");
    // Without the session the same file is not served.
    let anonymous = harness::get(&host, &docx_link, None).unwrap();
    assert_ne!(anonymous.status, 200);
}

/// The row of a table of problems that shows the error `e`.
fn problem_row(e: &workbook::Expected) -> String {
    format!(
        ".//tr[td[@data-label='级别'][normalize-space()='错误']]\
         [td[@data-label='工作表'][normalize-space()='{}']]\
         [td[@data-label='单元格'][normalize-space()='{}']]\
         [td[@data-label='代码'][normalize-space()='{}']]",
        e.sheet, e.cell, e.code
    )
}

/// A cell's column letters and row number: `H3` is ("H", 3).
fn split_cell(cell: &str) -> (String, u32) {
    let digits = cell
        .find(|c: char| c.is_ascii_digit())
        .expect("a row number");
    (cell[..digits].to_string(), cell[digits..].parse().unwrap())
}

/// A PNG's width and height, from its IHDR chunk.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[1..4], b"PNG", "a PNG");
    let at = |i: usize| u32::from_be_bytes(png[i..i + 4].try_into().unwrap());
    (at(16), at(20))
}

#[test]
fn a_county_corrects_its_workbook_and_the_city_builds_the_circular_naming_its_units() {
    let mut season = Season::new();
    if std::env::var_os("FUCHA_BROWSER_KEEP").is_some() {
        // For looking into a failure: the season, register and output stay.
        season.dir.disable_cleanup(true);
        eprintln!("season kept in {}", season.dir.path().display());
    }
    let mut processes = Processes::default();
    let addr = processes.start_server(&season.config, season.dir.path());
    let fonts = harness::fontconfig(&season.folder("fontconfig"));
    let driver = processes.start_driver(&fonts);

    // The county's files: its default workbook with one score out of
    // range, and the default workbook itself as the correction. What the
    // page must show is what the checker says of the same bytes.
    let original = &season.original;
    let faulty = workbook::with_score(
        original,
        &season.folder("faulty").join(format!("{COUNTY_BODY}.xlsx")),
        BAD_SCORE,
    );
    let correction = season
        .folder("correction")
        .join(format!("{COUNTY_BODY}（更正）.xlsx"));
    std::fs::copy(original, &correction).unwrap();
    let (errors, _) = workbook::checked(&season.ctx, &faulty);
    assert!(!errors.is_empty(), "the faulty workbook has an error");
    let (none, passed) = workbook::checked(&season.ctx, &correction);
    assert_eq!(none, [], "the correction checks clean");
    assert!(!passed.is_empty(), "{COUNTY_BODY} has units 复查合格");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let browser = Browser::start(
            &driver,
            format!("http://{addr}"),
            &season.folder("profile"),
        )
        .await;

        // 1. The county clerk logs in and sees only the county.
        browser.log_in(COUNTY, COUNTY_PASSWORD).await;
        assert_eq!(browser.status_of(COUNTY_BODY).await, "未报送");
        let rows = browser
            .client
            .find_all(Locator::Css("table.bodies tbody tr"))
            .await
            .unwrap();
        assert_eq!(rows.len(), 1, "a county account sees its own body only");

        // 2. and 3. The faulty workbook: each error at its sheet and cell.
        browser.upload(&[&faulty]).await;
        let section = browser.result_of(&faulty).await;
        let text = section.text().await.unwrap();
        assert!(text.contains(&format!("报送单位：{COUNTY_BODY}")), "{text}");
        for e in &errors {
            section
                .find(Locator::XPath(&problem_row(e)))
                .await
                .unwrap_or_else(|_| panic!("{e:?} is not on the result page:\n{text}"));
        }
        browser.goto("/").await;
        assert_eq!(browser.status_of(COUNTY_BODY).await, "有错误");
        // The version's own page, from the dashboard's link: the same
        // problems, and the faulty row as the spreadsheet shows it with
        // the bad cell marked.
        browser
            .wait_for(Locator::XPath(&format!(
                "//tr[td[@data-label='报送单位'][normalize-space()='{COUNTY_BODY}']]/td[@data-label='有效版本']/a"
            )))
            .await
            .click()
            .await
            .unwrap();
        let problems = browser.wait_for(Locator::Css("table.problems")).await;
        for e in &errors {
            problems
                .find(Locator::XPath(&problem_row(e)))
                .await
                .unwrap_or_else(|_| panic!("{e:?} is not in the list of problems"));
            let (column, row) = split_cell(&e.cell);
            assert_eq!(browser.marked_cell(row).await, (column, BAD_SCORE.to_string()));
        }
        browser.screenshot("workbench-diagnostics.png").await;

        // 4. The correction: no problem found, and the county passes.
        browser.upload(&[&correction]).await;
        let section = browser.result_of(&correction).await;
        let text = section.text().await.unwrap();
        assert!(text.contains("未发现问题"), "{text}");
        assert!(text.contains("已登记为新版本"), "{text}");
        browser.goto("/").await;
        assert_eq!(browser.status_of(COUNTY_BODY).await, "已通过");
        browser.log_out().await;

        // 5. The city clerk sees every body, the county 已通过 with two
        // versions, and the bodies not yet sent.
        browser.log_in(CITY, CITY_PASSWORD).await;
        assert_eq!(browser.status_of(COUNTY_BODY).await, "已通过");
        for body in NOT_YET {
            assert_eq!(browser.status_of(body).await, "未报送", "{body}");
        }
        let versions = browser
            .wait_for(Locator::XPath(&format!(
                "//tr[td[@data-label='报送单位'][normalize-space()='{COUNTY_BODY}']]/td[@data-label='版本数']"
            )))
            .await;
        assert_eq!(versions.text().await.unwrap().trim(), "2");
        browser.screenshot("workbench-dashboard.png").await;

        // The last bodies' workbooks came by mail: the city uploads them,
        // both at once, so the season is complete before the build.
        let late: Vec<&Path> = season.late.iter().map(PathBuf::as_path).collect();
        browser.upload(&late).await;
        for (file, body) in late.iter().zip(NOT_YET) {
            let text = browser.result_of(file).await.text().await.unwrap();
            assert!(text.contains(&format!("报送单位：{body}")), "{text}");
            assert!(text.contains("未发现问题"), "{text}");
        }
        browser.goto("/").await;
        for body in NOT_YET {
            assert_eq!(browser.status_of(body).await, "已通过", "{body}");
        }

        // 6. and 7.
        build_documents(&browser).await;
        check_circular(&browser, addr, &passed).await;

        browser.client.close().await.unwrap();
    });
    drop(processes);
}
