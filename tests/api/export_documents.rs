//! The committee documents as a reader gets them: the PDF read back with
//! poppler's pdftotext/pdfinfo, the HTML page opened in headless Chromium
//! (screenshot taken, network watched). Built from the in-memory sample report,
//! and once through HTTP from a report published through the API.

use std::path::{Path, PathBuf};
use std::process::Command;

use planspor::exports::{ExportDocument, Lang, html, pdf, sample};

use crate::exports::{published_report, report_export};
use crate::helpers::spawn_app;

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("planspor-{name}-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

fn run(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} could not start ({e}); run scripts/install-deps.sh"));
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The PDF of `document` as text, and its page count.
fn pdf_text(document: &ExportDocument, name: &str) -> (String, usize) {
    read_pdf(&pdf::render(document).expect("PDF renders"), name)
}

/// A PDF file's text (pdftotext), and its page count (pdfinfo).
pub fn read_pdf(bytes: &[u8], name: &str) -> (String, usize) {
    let dir = scratch(name);
    let file = dir.join("document.pdf");
    std::fs::write(&file, bytes).expect("write PDF");
    let path = file.to_str().expect("utf-8 path");
    let text = run("pdftotext", &["-enc", "UTF-8", path, "-"]);
    let info = run("pdfinfo", &[path]);
    let pages = info
        .lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo names the page count");
    std::fs::remove_dir_all(dir).ok();
    (text, pages)
}

#[test]
fn the_pdf_reads_back_in_danish_with_every_focus_area() {
    let document = sample::slagelse(Lang::Da);
    let (text, pages) = pdf_text(&document, "pdf-da");
    for heading in [
        "Sammenfatning",
        "Samlet status",
        "Fokusområder",
        "Formål",
        "Indsatser",
        "Indikatorer",
        "Rettelser",
        "Ændringer siden sidste statusrapport",
        "Slagelse Kommune",
        "Børne- og Ungeudvalget",
        "12. marts 2024",
        "Status pr. 31. marts 2025",
    ] {
        assert!(text.contains(heading), "missing {heading:?}");
    }
    for area in &document.snapshot.focus_areas {
        assert!(
            text.contains(&area.title),
            "missing focus area {:?}",
            area.title
        );
    }
    assert!(text.contains("Søren Ærø Åkesson"), "æøå/ÆØÅ come out right");
    assert!(text.contains("<5"), "small counts are shown as <5");
    assert!(
        text.contains("Diskretion: antal under 5"),
        "the suppression note is there"
    );
    assert!(
        text.contains("⚠ overskredet"),
        "overdue initiatives are marked"
    );
    // Focus areas follow each other without forced page breaks: 19 pages
    // before, 13 now; the target is 10.
    println!("the Slagelse sample: {pages} pages");
    assert!(pages <= 13, "{pages} pages");
    assert!(
        text.contains(&format!("Side {pages} af {pages}")),
        "the footer numbers the pages out of {pages}"
    );
    assert!(!text.contains("ikke en offentliggjort statusrapport"));
}

#[test]
fn a_plan_export_says_it_is_not_a_published_report() {
    let mut document = sample::slagelse(Lang::Da);
    document.published = false;
    document.changes = None;
    let (text, _) = pdf_text(&document, "pdf-plan");
    assert!(text.contains("Aktuel status – ikke en offentliggjort statusrapport"));
    assert!(text.contains("En aktuel status sammenlignes ikke med en tidligere rapport."));
}

#[test]
fn the_pdf_speaks_english_when_asked() {
    let document = sample::slagelse(Lang::En);
    let (text, pages) = pdf_text(&document, "pdf-en");
    for heading in [
        "Summary",
        "Overall status",
        "Objective",
        "Changes since the previous status report",
        "Status as of 31 March 2025",
    ] {
        assert!(text.contains(heading), "missing {heading:?}");
    }
    assert!(text.contains(&format!("Page {pages} of {pages}")));
}

/// Opens `page` in headless Chromium: the screenshot's size and every URL the page requested.
fn open_in_chromium(dir: &Path, page: &Path) -> (u64, Vec<String>) {
    let screenshot = dir.join("screenshot.png");
    let net_log = dir.join("net-log.json");
    let profile = dir.join("profile");
    let args = [
        "--headless".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--no-first-run".to_owned(),
        "--disable-sync".to_owned(),
        // No name resolves: neither the page nor the browser's own services reach out.
        // A request still shows in the net log, which is what the test reads.
        "--host-resolver-rules=MAP * ~NOTFOUND".to_owned(),
        format!("--user-data-dir={}", profile.display()),
        format!("--log-net-log={}", net_log.display()),
        format!("--screenshot={}", screenshot.display()),
        "--window-size=1240,1754".to_owned(),
        format!("file://{}", page.display()),
    ];
    let output = Command::new("/usr/bin/chromium")
        .args(&args)
        .output()
        .expect("chromium starts (scripts/install-deps.sh installs it)");
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let size = std::fs::metadata(&screenshot).map(|m| m.len()).unwrap_or(0);
    let log = std::fs::read_to_string(&net_log).expect("chromium wrote its net log");
    (size, page_requests(&log))
}

/// The URLs the page itself requested, from a Chromium net log: every request
/// started in the context of a file:// page (the browser's own background
/// requests run in other contexts and are not the page's doing).
fn page_requests(log: &str) -> Vec<String> {
    // Chromium may leave the event list unterminated when it exits; close it so it parses.
    let json: serde_json::Value = serde_json::from_str(log)
        .or_else(|_| serde_json::from_str(&format!("{}]}}", log.trim_end().trim_end_matches(','))))
        .expect("net log is JSON");
    let start_job = json["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].as_i64();
    assert!(start_job.is_some(), "the net log names its event types");
    json["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["type"].as_i64() == start_job)
        .filter(|e| {
            e["params"]["network_isolation_key"]
                .as_str()
                .is_some_and(|key| key.starts_with("file://"))
        })
        .filter_map(|e| e["params"]["url"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn the_html_page_renders_in_chromium_without_a_single_network_request() {
    let dir = scratch("html");
    // The control: a page with one external image, so the check is known to see requests.
    let control = dir.join("control.html");
    std::fs::write(
        &control,
        "<!DOCTYPE html><p>x</p><img src=\"http://planspor.invalid/x.png\" alt=\"\">",
    )
    .expect("write control page");
    let (_, control_requests) = open_in_chromium(&dir.join("c"), &control);
    assert_eq!(control_requests, ["http://planspor.invalid/x.png"]);

    let page = dir.join("document.html");
    std::fs::write(&page, html::render(&sample::slagelse(Lang::Da))).expect("write page");
    let (screenshot, requests) = open_in_chromium(&dir.join("d"), &page);
    assert!(
        screenshot > 50_000,
        "the screenshot shows the page ({screenshot} bytes)"
    );
    assert!(requests.is_empty(), "the page made requests: {requests:?}");
    std::fs::remove_dir_all(dir).ok();
}

#[actix_web::test]
async fn a_published_report_downloads_as_pdf_and_html_through_http() {
    let app = spawn_app().await;
    let published = published_report(&app).await;
    let file = app
        .admin()
        .download(&report_export(&published, "pdf"), &[])
        .await
        .expect(200);
    assert_eq!(file.header("content-type"), Some("application/pdf"));
    let (text, pages) = read_pdf(&file.bytes, "http-pdf");
    for expected in [
        "Ærø Kommune",
        "Status 3. kvartal 2021",
        "Status pr. 1. oktober 2021",
        "Børnefaglig undersøgelse",
        "Ugentligt visitationsmøde",
        "Afdelingsleder Søren Ørum",
        "71,5 %",
        "<5",
        "Ændringer siden sidste statusrapport",
        "Dette er planens første offentliggjorte statusrapport",
    ] {
        assert!(text.contains(expected), "missing {expected:?}");
    }
    assert!(text.contains(&format!("Side {pages} af {pages}")));

    let page = app
        .admin()
        .download(&report_export(&published, "html?lang=en"), &[])
        .await
        .expect(200);
    // Its inline stylesheet is allowed; nothing else may load.
    let csp = page.header("content-security-policy").unwrap_or_default();
    assert!(
        csp.starts_with("default-src 'none'; style-src 'unsafe-inline'"),
        "{csp}"
    );
    let page = String::from_utf8(page.bytes).expect("UTF-8");
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(page.contains("Changes since the previous status report"));
    let dir = scratch("http-html");
    let file = dir.join("report.html");
    std::fs::write(&file, page).expect("write page");
    let (screenshot, requests) = open_in_chromium(&dir, &file);
    assert!(screenshot > 20_000, "{screenshot} bytes");
    assert!(requests.is_empty(), "the page made requests: {requests:?}");
    std::fs::remove_dir_all(dir).ok();
}
