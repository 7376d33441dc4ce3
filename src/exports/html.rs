//! The committee document as one self-contained HTML page: inline CSS, inline
//! SVG charts, no scripts and no external requests, printable on A4 (one focus
//! area per page) and accessible (heading hierarchy, table headers with scope,
//! charts as figures with a text equivalent, status as symbol and word).
//! Every text from the database goes through [`escape`].

use std::fmt::Write;

use super::ExportDocument;
use super::view::{self, Area, Changes, Indicator, Pair, Status, View};
use super::yardstick::{Course, Recommendations, Yardstick};

/// The Content-Security-Policy this page needs: its inline `<style>` and inline SVG, nothing else.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const STYLE: &str = include_str!("committee.css");

/// Renders `document` as one self-contained HTML page.
pub fn render(document: &ExportDocument) -> String {
    let view = view::build(document);
    let mut out = String::with_capacity(64 * 1024);
    page(&mut out, &view);
    out
}

/// `text` safe as HTML text and as a double-quoted attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

// Writing to a String cannot fail; `let _ =` says so once per call.
macro_rules! w {
    ($out:expr, $($arg:tt)*) => { let _ = write!($out, $($arg)*); };
}

fn page(out: &mut String, v: &View) {
    w!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} – {}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        v.lang,
        escape(&v.title),
        escape(&v.municipality)
    );
    cover(out, v);
    out.push_str("<main>\n");
    summary(out, v);
    changes(out, v, &v.changes);
    if let Some(recommendations) = &v.task_force.recommendations {
        recommendations_html(out, &v.task_force, recommendations);
    }
    case_reviews(out, &v.task_force);
    for area in &v.focus_areas {
        focus_area(out, v, area);
    }
    if !v.plan_indicators.is_empty() {
        w!(
            out,
            "<section class=\"area\" aria-labelledby=\"plan-indicators\">\n\
             <h2 id=\"plan-indicators\">{}</h2>\n",
            escape(v.words.plan_indicators)
        );
        for indicator in &v.plan_indicators {
            indicator_html(out, v, indicator);
        }
        out.push_str("</section>\n");
    }
    errata(out, v);
    out.push_str("</main>\n");
    w!(
        out,
        "<footer><p>{} · {} · {}</p></footer>\n</body>\n</html>\n",
        escape(&v.municipality),
        escape(&v.as_of),
        escape(&v.generated)
    );
}

fn cover(out: &mut String, v: &View) {
    w!(
        out,
        "<header class=\"cover\">\n<p class=\"kind\">{}</p>\n<h1>{}</h1>\n\
         <p class=\"plan\">{}</p>\n<p class=\"municipality\">{}</p>\n\
         <p class=\"as-of\">{}</p>\n<p class=\"muted\">{}</p>\n",
        escape(v.words.appendix),
        escape(&v.title),
        escape(&v.plan),
        escape(&v.municipality),
        escape(&v.as_of),
        escape(&v.period)
    );
    if let Some(warning) = &v.not_published {
        w!(
            out,
            "<p class=\"not-published\" role=\"note\"><strong>{}</strong></p>\n",
            escape(warning)
        );
    }
    if let Some(published) = &v.published {
        w!(out, "<p class=\"muted\">{}</p>\n", escape(published));
    }
    if !v.adoption.is_empty() {
        out.push_str("<dl class=\"adoption\">\n");
        for pair in &v.adoption {
            let value = if pair.label == v.words.agenda {
                // A link the reader may follow; not a resource the page loads.
                format!(
                    "<a href=\"{0}\" rel=\"noopener noreferrer\">{0}</a>",
                    escape(&pair.value)
                )
            } else {
                escape(&pair.value)
            };
            w!(out, "<dt>{}</dt><dd>{value}</dd>\n", escape(pair.label));
        }
        out.push_str("</dl>\n");
    }
    w!(
        out,
        "<p class=\"muted small\">{}</p>\n</header>\n",
        escape(&v.generated)
    );
}

fn status(s: &Status) -> String {
    format!(
        "<span class=\"status status-{}\"><span aria-hidden=\"true\">{}</span> {}</span>",
        s.key,
        s.symbol,
        escape(s.word)
    )
}

fn paragraphs(out: &mut String, list: &[String]) {
    for p in list {
        w!(out, "<p>{}</p>\n", escape(p));
    }
}

fn note(out: &mut String, text: &str) {
    w!(
        out,
        "<p class=\"note\" role=\"note\">{}</p>\n",
        escape(text)
    );
}

fn summary(out: &mut String, v: &View) {
    let words = v.words;
    w!(
        out,
        "<section aria-labelledby=\"summary\">\n<h2 id=\"summary\">{}</h2>\n<dl class=\"facts\">\n\
         <dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n</dl>\n",
        escape(words.summary),
        escape(words.overall_status),
        status(&v.status),
        escape(v.plan_status.label),
        escape(&v.plan_status.value)
    );
    paragraphs(out, &v.summary);
    if let Some(text) = &v.final_report {
        note(out, text);
    }
    if let Some(text) = &v.suppression_note {
        note(out, text);
    }
    overview(out, v);
    if let Some(assessment) = &v.task_force.assessment {
        let words = v.task_force.words;
        w!(
            out,
            "<h3>{}</h3>\n<div class=\"voice\">\n<p><strong>{}</strong></p>\n",
            escape(words.assessment),
            escape(words.assessment_voice)
        );
        paragraphs(out, &assessment.paragraphs);
        w!(
            out,
            "<p class=\"byline\">{}</p>\n</div>\n",
            escape(&assessment.byline)
        );
    }
    out.push_str("</section>\n");
}

/// A table's header row.
fn header_row(out: &mut String, columns: &[&str]) {
    out.push_str("<thead><tr>");
    for column in columns {
        w!(out, "<th scope=\"col\">{}</th>", escape(column));
    }
    out.push_str("</tr></thead>\n");
}

fn recommendations_html(out: &mut String, task_force: &Yardstick, recs: &Recommendations) {
    let words = task_force.words;
    w!(
        out,
        "<section class=\"area\" aria-labelledby=\"recommendations\">\n<h2 id=\"recommendations\">{}</h2>\n",
        escape(words.recommendations)
    );
    if let Some(analysis) = &recs.analysis {
        w!(
            out,
            "<dl class=\"facts\">\n<dt>{}</dt><dd>{}</dd>\n</dl>\n",
            escape(analysis.label),
            escape(&analysis.value)
        );
    }
    if let Some(text) = &recs.unaddressed {
        note(out, text);
    }
    w!(
        out,
        "<table>\n<caption class=\"sr\">{}</caption>\n",
        escape(words.recommendations)
    );
    header_row(out, &words.recommendation_columns);
    out.push_str("<tbody>\n");
    for r in &recs.rows {
        let answered: Vec<String> = r.answered_by.iter().map(|a| escape(a)).collect();
        w!(
            out,
            "<tr><td>{}</td><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&r.number),
            escape(&r.title),
            escape(r.theme),
            answered.join("<br>"),
            status(&r.status)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn case_reviews(out: &mut String, task_force: &Yardstick) {
    if task_force.case_reviews.is_empty() {
        return;
    }
    let words = task_force.words;
    w!(
        out,
        "<section class=\"area\" aria-labelledby=\"case-reviews\">\n<h2 id=\"case-reviews\">{}</h2>\n<p class=\"muted\">{}</p>\n",
        escape(words.case_reviews),
        escape(words.case_reviews_intro)
    );
    for course in &task_force.case_reviews {
        course_html(out, task_force, course);
    }
    out.push_str("</section>\n");
}

fn course_html(out: &mut String, task_force: &Yardstick, course: &Course) {
    w!(
        out,
        "<h3>{}</h3>\n<dl class=\"facts\">\n",
        escape(course.heading)
    );
    for pair in &course.rounds {
        w!(
            out,
            "<dt>{}</dt><dd>{}</dd>\n",
            escape(pair.label),
            escape(&pair.value)
        );
    }
    out.push_str("</dl>\n");
    if let Some(text) = &course.note {
        note(out, text);
    }
    if let Some(svg) = &course.chart {
        // Ours (plotters, fed our labels and numbers); the table below is its text equivalent.
        w!(
            out,
            "<figure>\n<div class=\"chart review\" role=\"img\" aria-label=\"{}\">{}</div>\n</figure>\n",
            escape(&course.chart_text),
            inline_svg(svg)
        );
    }
    w!(
        out,
        "<table>\n<caption class=\"sr\">{}</caption>\n",
        escape(course.heading)
    );
    header_row(out, &task_force.words.review_columns);
    out.push_str("<tbody>\n");
    for [criterion, first, latest, change] in &course.rows {
        w!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(criterion),
            escape(first),
            escape(latest),
            escape(change)
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

/// Every focus area and indicator on a line, linked to where it is described,
/// then what each status means.
fn overview(out: &mut String, v: &View) {
    let ov = &v.overview;
    w!(
        out,
        "<h3>{}</h3>\n<table class=\"overview\">\n<caption>{}</caption>\n<thead><tr>",
        escape(ov.heading),
        escape(ov.caption)
    );
    // The trend line is drawn in the PDF only; here the columns say it in values.
    for column in ov.columns.iter().take(5) {
        w!(out, "<th scope=\"col\">{}</th>", escape(column));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let line = |out: &mut String, i: &Indicator| {
        w!(
            out,
            "<tr><th scope=\"row\" class=\"sub\"><a href=\"#{}\">{}</a></th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            i.anchor,
            escape(&i.name),
            status(&i.status),
            escape(&i.previous),
            escape(&i.latest),
            escape(&i.target)
        );
    };
    for area in &v.focus_areas {
        w!(
            out,
            "<tr><th scope=\"row\"><a href=\"#{}\">{}</a></th><td colspan=\"4\">{}</td></tr>\n",
            area.anchor,
            escape(&area.heading),
            status(&area.status)
        );
        for indicator in &area.indicators {
            line(out, indicator);
        }
    }
    for indicator in &v.plan_indicators {
        line(out, indicator);
    }
    w!(
        out,
        "</tbody>\n</table>\n<h4>{}</h4>\n<dl class=\"legend\">\n",
        escape(ov.legend_heading)
    );
    for entry in &ov.legend {
        w!(
            out,
            "<dt>{}</dt><dd>{}</dd>\n",
            status(&entry.status),
            escape(&entry.meaning)
        );
    }
    w!(out, "</dl>\n<p>{}</p>\n", escape(ov.roll_up));
}

fn focus_area(out: &mut String, v: &View, area: &Area) {
    let words = v.words;
    let anchor = &area.anchor;
    w!(
        out,
        "<section class=\"area\" aria-labelledby=\"{anchor}\">\n<h2 id=\"{anchor}\">{}</h2>\n<dl class=\"facts\">\n<dt>{}</dt><dd>{}</dd>\n",
        escape(&area.heading),
        escape(words.status),
        status(&area.status)
    );
    if let Some(suggested) = &area.suggested_status {
        w!(
            out,
            "<dt>{}</dt><dd>{}</dd>\n",
            escape(words.suggested_status),
            status(suggested)
        );
    }
    if let Some(reference) = &area.legal_reference {
        w!(
            out,
            "<dt>{}</dt><dd>{}</dd>\n",
            escape(words.legal_reference),
            escape(reference)
        );
    }
    out.push_str("</dl>\n");
    if !area.status_reason.is_empty() {
        w!(out, "<h3>{}</h3>\n", escape(words.status_reason));
        paragraphs(out, &area.status_reason);
    }
    w!(out, "<h3>{}</h3>\n", escape(words.objective));
    paragraphs(out, &area.objective);
    for section in &area.sections {
        w!(out, "<h3>{}</h3>\n", escape(section.heading));
        paragraphs(out, &section.paragraphs);
    }
    if let Some(assessment) = &area.assessment {
        w!(
            out,
            "<h3>{}</h3>\n<div class=\"voice\">\n",
            escape(v.task_force.words.assessment)
        );
        paragraphs(out, assessment);
        out.push_str("</div>\n");
    }
    initiatives(out, v, area);
    w!(out, "<h3>{}</h3>\n", escape(words.indicators));
    if area.indicators.is_empty() {
        w!(out, "<p>{}</p>\n", escape(words.no_indicators));
    }
    for indicator in &area.indicators {
        indicator_html(out, v, indicator);
    }
    out.push_str("</section>\n");
}

fn initiatives(out: &mut String, v: &View, area: &Area) {
    let words = v.words;
    w!(out, "<h3>{}</h3>\n", escape(words.initiatives));
    if area.initiatives.is_empty() {
        w!(out, "<p>{}</p>\n", escape(words.no_initiatives));
        return;
    }
    w!(
        out,
        "<table>\n<caption class=\"sr\">{} – {}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        escape(words.initiatives),
        escape(&area.heading),
        escape(words.initiative),
        escape(words.status),
        escape(words.owner),
        escape(words.due)
    );
    for i in &area.initiatives {
        let overdue = i
            .overdue
            .as_deref()
            .map(|mark| format!(" <strong class=\"overdue\">{}</strong>", escape(mark)))
            .unwrap_or_default();
        w!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}{overdue}</td></tr>\n",
            escape(&i.title),
            escape(i.status),
            escape(&i.owner),
            escape(&i.due)
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

fn value_table(out: &mut String, v: &View, rows: &[[String; 2]], caption: Option<&str>) {
    out.push_str("<table class=\"values\">\n");
    if let Some(caption) = caption {
        w!(out, "<caption class=\"sr\">{}</caption>\n", escape(caption));
    }
    w!(
        out,
        "<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        escape(v.words.period),
        escape(v.words.value)
    );
    for [period, value] in rows {
        w!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n",
            escape(period),
            escape(value)
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

fn key_figures(out: &mut String, v: &View, name: &str, figures: &[Pair]) {
    if figures.is_empty() {
        return;
    }
    w!(
        out,
        "<table class=\"values\">\n<caption class=\"sr\">{} – {}</caption>\n<tbody>\n",
        escape(v.words.key_figure),
        escape(name)
    );
    for pair in figures {
        w!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n",
            escape(pair.label),
            escape(&pair.value)
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

fn indicator_html(out: &mut String, v: &View, i: &Indicator) {
    let id = &i.anchor;
    w!(
        out,
        "<article class=\"indicator\" aria-labelledby=\"{id}\">\n<h4 id=\"{id}\">{}</h4>\n<p>{} <span class=\"muted\">{}</span></p>\n",
        escape(&i.name),
        status(&i.status),
        escape(&i.reason)
    );
    match &i.chart {
        Some(svg) => {
            // The SVG is ours (plotters, fed only our labels and numbers); the wrapper
            // gives it a name, and the full table below is its text equivalent.
            w!(
                out,
                "<figure>\n<div class=\"chart\" role=\"img\" aria-label=\"{}\">{}</div>\n<figcaption>{}</figcaption>\n</figure>\n",
                escape(&i.chart_text),
                inline_svg(svg),
                escape(&i.caption)
            );
        }
        None => {
            w!(out, "<p class=\"muted small\">{}</p>\n", escape(&i.caption));
            if let Some(text) = &i.chart_note {
                note(out, text);
            }
        }
    }
    if i.table.is_empty() {
        w!(out, "<p>{}</p>\n", escape(v.words.no_values));
    } else {
        out.push_str("<div class=\"figures\">\n");
        key_figures(out, v, &i.name, &i.key_figures);
        out.push_str("<div>\n");
        value_table(out, v, &i.table, Some(&i.name));
        if let Some(text) = &i.table_note {
            w!(out, "<p class=\"muted small\">{}</p>\n", escape(text));
        }
        out.push_str("</div>\n</div>\n");
    }
    if i.chart.is_some() && i.all_values.len() > i.table.len() {
        w!(
            out,
            "<details>\n<summary>{} ({})</summary>\n",
            escape(v.words.all_values),
            i.all_values.len()
        );
        value_table(
            out,
            v,
            &i.all_values,
            Some(&format!("{} – {}", v.words.all_values, i.name)),
        );
        out.push_str("</details>\n");
    }
    out.push_str("</article>\n");
}

/// The chart for inline use: no XML prolog, no namespace URL (HTML knows `<svg>`),
/// scaled to the width of its box.
fn inline_svg(svg: &str) -> String {
    let start = svg.find("<svg").unwrap_or(0);
    svg[start..]
        .replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
        .replacen("<svg ", "<svg aria-hidden=\"true\" focusable=\"false\" ", 1)
}

fn errata(out: &mut String, v: &View) {
    if v.errata.is_empty() {
        return;
    }
    w!(
        out,
        "<section class=\"area\" aria-labelledby=\"errata\">\n<h2 id=\"errata\">{}</h2>\n",
        escape(v.words.errata)
    );
    for erratum in &v.errata {
        w!(out, "<h3>{}</h3>\n", escape(&erratum.byline));
        paragraphs(out, &erratum.paragraphs);
    }
    out.push_str("</section>\n");
}

fn changes(out: &mut String, v: &View, changes: &Changes) {
    let words = v.words;
    w!(
        out,
        "<section class=\"area\" aria-labelledby=\"changes\">\n<h2 id=\"changes\">{}</h2>\n",
        escape(words.changes)
    );
    if let Some(text) = &changes.compared_with {
        w!(out, "<p class=\"muted\">{}</p>\n", escape(text));
    }
    if let Some(text) = &changes.note {
        note(out, text);
    }
    for group in [
        &changes.focus_areas,
        &changes.indicators,
        &changes.recommendations,
    ] {
        if group.rows.is_empty() {
            continue;
        }
        w!(
            out,
            "<h3>{0}</h3>\n<table>\n<caption class=\"sr\">{0}</caption>\n<thead><tr><th scope=\"col\">{1}</th><th scope=\"col\">{2}</th><th scope=\"col\">{3}</th></tr></thead>\n<tbody>\n",
            escape(group.heading),
            escape(group.column),
            escape(words.before),
            escape(words.now)
        );
        for row in &group.rows {
            let mut cells = row.iter();
            let name = cells.next().map(String::as_str).unwrap_or_default();
            w!(out, "<tr><th scope=\"row\">{}</th>", escape(name));
            for cell in cells {
                w!(out, "<td>{}</td>", escape(cell));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
    for group in [&changes.completed, &changes.newly_overdue] {
        if group.rows.is_empty() {
            continue;
        }
        w!(out, "<h3>{}</h3>\n<ul>\n", escape(group.heading));
        for row in &group.rows {
            w!(
                out,
                "<li>{}</li>\n",
                escape(row.first().map(String::as_str).unwrap_or_default())
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exports::{Lang, sample};

    /// The sample report with hostile text in every kind of user field.
    fn hostile() -> ExportDocument {
        let mut document = sample::slagelse(Lang::Da);
        let evil = "<script>alert(1)</script> & \"quoted\" 'single'";
        document.snapshot.report.summary = evil.to_owned();
        document.snapshot.organization.name = format!("Slagelse {evil}");
        let area = &mut document.snapshot.focus_areas[0];
        area.title = format!("Tidlig indsats {evil}");
        area.narrative = evil.to_owned();
        area.initiatives[0].title = evil.to_owned();
        area.indicators[0].name = evil.to_owned();
        document.errata[0].body = evil.to_owned();
        document
    }

    #[test]
    fn every_user_string_is_escaped() {
        let page = render(&hostile());
        assert!(
            !page.contains("<script"),
            "no script element, escaped or injected"
        );
        assert!(page.contains(
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#39;single&#39;"
        ));
    }

    #[test]
    fn the_page_has_its_headings_and_every_focus_area() {
        let document = sample::slagelse(Lang::Da);
        let page = render(&document);
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"da\">"));
        assert_eq!(page.matches("<h1>").count(), 1, "one h1: the title");
        for heading in [
            "<h2 id=\"summary\">Sammenfatning</h2>",
            "<h2 id=\"changes\">Ændringer siden sidste statusrapport</h2>",
            "<h2 id=\"errata\">Rettelser</h2>",
            "<th scope=\"col\">Indsats</th>",
        ] {
            assert!(page.contains(heading), "missing {heading}");
        }
        for area in &document.snapshot.focus_areas {
            assert!(page.contains(&format!("{}. {}</h2>", area.position, escape(&area.title))));
        }
        assert!(
            page.contains("Diskretion: antal under 5"),
            "the suppression note"
        );
        assert!(page.contains("<td>&lt;5</td>"), "a small count shown as <5");
        assert!(
            page.contains("Ingen graf: serien indeholder små tal"),
            "and not charted"
        );
        let charts = page.matches("<figure>").count();
        assert_eq!(
            charts,
            page.matches("role=\"img\" aria-label=\"Graf: ").count()
        );
        assert!(charts >= 7, "{charts} charts, each with a text equivalent");
        assert!(
            page.contains("<span aria-hidden=\"true\">✖</span> rød</span>"),
            "status as symbol and word"
        );
    }

    #[test]
    fn the_page_loads_nothing_from_anywhere() {
        let page = render(&sample::slagelse(Lang::En));
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(!page.contains("<script"));
        for resource in [
            "src=", "url(", "@import", "<link", "<iframe", "<object", "<embed",
        ] {
            assert!(!page.contains(resource), "found {resource}");
        }
        // The only URL is the agenda link the reader may follow, shown twice (href and text).
        let urls = page.matches("http://").count() + page.matches("https://").count();
        assert_eq!(urls, 2, "{urls} URLs");
        assert!(page.contains("<a href=\"https://www.slagelse.dk/"));
    }
}
