//! The committee document as PDF: the view (exports/view.rs) as JSON data,
//! laid out by a fixed typst template (committee.typ) and compiled by typst
//! used as a library, with our own minimal [`World`]: two in-memory files, the
//! embedded DejaVu Sans fonts, no file system, no packages, no network.

use std::sync::LazyLock;

use chrono::{DateTime, Datelike, Timelike, Utc};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::layout::PagedDocument;
use typst::syntax::{FileId, Source, VirtualPath};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::{ExportDocument, view};
use crate::error::ApiError;

const TEMPLATE: &str = include_str!("committee.typ");
const FONT_FILES: [&[u8]; 2] = [
    include_bytes!("../../assets/fonts/DejaVuSans.ttf"),
    include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf"),
];

/// Parsed once per process: the standard library and the fonts.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

/// Renders `document` as an A4 PDF in this process. typst lays out in
/// parallel on the current rayon pool. The service renders in a child process
/// instead (see [`super::child`]), which gives the layout's memory back.
pub fn render(document: &ExportDocument) -> Result<Vec<u8>, ApiError> {
    compile(prepare(document)?)
}

/// What typst needs to lay out a committee document: the view as JSON and
/// when the document was made. Small enough to hand to a child process.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfJob {
    /// When the document was made (its PDF/A creation date and typst's today).
    pub generated_at: DateTime<Utc>,
    /// The view (exports/view.rs) as JSON, every text drawable.
    pub data: Vec<u8>,
}

/// The job of rendering `document`: its view, every character drawable.
pub fn prepare(document: &ExportDocument) -> Result<PdfJob, ApiError> {
    let view = view::build(document);
    let mut data = serde_json::to_value(&view)
        .map_err(|e| ApiError::Internal(format!("export view as JSON: {e}")))?;
    make_drawable(&mut data);
    let data = serde_json::to_vec(&data)
        .map_err(|e| ApiError::Internal(format!("export view as JSON: {e}")))?;
    Ok(PdfJob {
        generated_at: document.generated_at,
        data,
    })
}

/// Lays out `job` with the committee template and writes it as PDF/A-2a.
pub fn compile(job: PdfJob) -> Result<Vec<u8>, ApiError> {
    let world = DocumentWorld::new(job.data, job.generated_at);
    let compiled = typst::compile::<PagedDocument>(&world).output;
    // typst memoizes across compilations; a long-running process must not keep
    // every document's intermediate results (the typst CLI evicts the same way).
    // Evicted, with the data dropped, before the PDF is written, so the layout's
    // intermediate results and the PDF are not in memory at the same time.
    drop(world);
    typst::comemo::evict(0);
    let created = created_at(job.generated_at);
    let pdf = compiled.and_then(|paged| typst_pdf::pdf(&paged, &archival_options(created)?));
    typst::comemo::evict(0);
    pdf.map(super::pdf_title::display_document_title)
        .map_err(|diagnostics| {
            ApiError::Internal(format!("PDF export: {}", describe(&diagnostics)))
        })
}

/// What a character no embedded font can draw is shown as.
const UNDRAWABLE: char = '\u{FFFD}';

/// Replaces, in every text of the view, each character that no embedded font
/// has a glyph for: the API accepts any text (private-use and unassigned code
/// points too), and PDF/A refuses to write a glyph it cannot embed, so such a
/// character shows as U+FFFD instead of failing the export.
fn make_drawable(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) => {
            if !text.chars().all(drawable) {
                *text = text
                    .chars()
                    .map(|c| if drawable(c) { c } else { UNDRAWABLE })
                    .collect();
            }
            if has_long_word(text) {
                *text = breakable(text);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(make_drawable),
        serde_json::Value::Object(fields) => fields
            .iter_mut()
            // The charts are SVG documents, not text to lay out.
            .filter(|(key, _)| key.as_str() != "chart")
            .for_each(|(_, field)| make_drawable(field)),
        _ => {}
    }
}

/// The longest run without a break opportunity that is left as it is: no
/// real word is this long, and a line of the document holds fewer glyphs.
const LONGEST_WORD: usize = 60;

fn has_long_word(text: &str) -> bool {
    text.split_whitespace()
        .any(|word| word.chars().nth(LONGEST_WORD).is_some())
}

/// `text` with a zero-width space after every [`LONGEST_WORD`] characters of
/// a longer word, so typst can break it across lines: a word wider than the
/// page would otherwise be one text string, and PDF/A holds a string to
/// 32,767 bytes (a 20,000-character word without a space failed the export).
fn breakable(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / LONGEST_WORD * 3);
    let mut run = 0;
    for c in text.chars() {
        if c.is_whitespace() {
            run = 0;
        } else if run == LONGEST_WORD {
            out.push('\u{200B}');
            run = 0;
        }
        if !c.is_whitespace() {
            run += 1;
        }
        out.push(c);
    }
    out
}

/// Whitespace is laid out, not drawn; every other character, control
/// characters included (typst tries to draw U+0001 or U+009C and PDF/A then
/// refuses the file), needs a glyph.
fn drawable(c: char) -> bool {
    c.is_whitespace()
        || FONTS
            .1
            .iter()
            .any(|font| font.info().coverage.contains(u32::from(c)))
}

/// PDF/A-2a: archival (fonts embedded, an output intent, XMP metadata) and
/// tagged with its logical structure, which is what a council's archive keeps
/// and a screen reader reads. typst enforces one substandard at a time, so
/// PDF/UA-1 is not claimed; the tests hold the PDF/UA rules that matter here.
fn archival_options(
    created: Option<typst_pdf::Timestamp>,
) -> typst::diag::SourceResult<typst_pdf::PdfOptions<'static>> {
    let standards =
        typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::A_2a]).map_err(|message| {
            typst::ecow::eco_vec![typst::diag::SourceDiagnostic::error(
                typst::syntax::Span::detached(),
                message
            )]
        })?;
    Ok(typst_pdf::PdfOptions {
        standards,
        timestamp: created,
        ..typst_pdf::PdfOptions::default()
    })
}

/// When the document was made, which PDF/A requires in its metadata.
fn created_at(at: DateTime<Utc>) -> Option<typst_pdf::Timestamp> {
    let part = |n: u32| u8::try_from(n).ok();
    let datetime = Datetime::from_ymd_hms(
        at.year(),
        part(at.month())?,
        part(at.day())?,
        part(at.hour())?,
        part(at.minute())?,
        part(at.second())?,
    )?;
    Some(typst_pdf::Timestamp::new_utc(datetime))
}

fn describe(diagnostics: &[SourceDiagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Everything the template can see.
struct DocumentWorld {
    main: Source,
    data_id: FileId,
    data: Bytes,
    today: Option<Datetime>,
}

impl DocumentWorld {
    fn new(data: Vec<u8>, generated_at: DateTime<Utc>) -> Self {
        let main_id = FileId::new(None, VirtualPath::new("/main.typ"));
        let date = generated_at.date_naive();
        Self {
            main: Source::new(main_id, TEMPLATE.to_owned()),
            data_id: FileId::new(None, VirtualPath::new("/data.json")),
            data: Bytes::new(data),
            today: u8::try_from(date.month())
                .ok()
                .zip(u8::try_from(date.day()).ok())
                .and_then(|(m, d)| Datetime::from_ymd(date.year(), m, d)),
        }
    }

    fn not_found(id: FileId) -> FileError {
        FileError::NotFound(id.vpath().as_rootless_path().into())
    }
}

impl World for DocumentWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(Self::not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else {
            Err(Self::not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    fn today(&self, _offset: Option<i64>) -> Option<Datetime> {
        self.today
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exports::{Lang, sample};

    #[test]
    fn text_that_looks_like_typst_markup_is_printed_as_text() {
        // User text reaches the template as JSON data, so markup in it has no effect
        // and cannot break the compilation.
        let mut document = sample::slagelse(Lang::Da);
        document.snapshot.report.summary =
            "#panic(\"x\") *fed* $x^2$ ] [ #import \"/etc/passwd\" // \\".to_owned();
        document.snapshot.focus_areas[0].title = "#{ } = Overskrift".to_owned();
        let pdf = render(&document).expect("renders");
        assert!(pdf.starts_with(b"%PDF-"));
    }

    #[test]
    fn characters_no_font_can_draw_print_as_a_replacement_instead_of_failing_pdf_a() {
        // Private use, unassigned and rare scripts: the API accepts them in any text.
        let odd = "Plan \u{E000}\u{10FFFD}\u{5a84}\u{1F9EC}\u{1}\u{9C}\u{7F} æøå";
        let mut document = sample::slagelse(Lang::Da);
        document.snapshot.report.summary = odd.to_owned();
        document.snapshot.focus_areas[0].title = odd.to_owned();
        let pdf = render(&document).expect("a PDF/A document, whatever the text");
        assert!(pdf.starts_with(b"%PDF-"));
        let mut view = serde_json::json!({"summary": odd, "chart": null});
        make_drawable(&mut view);
        let summary = view["summary"].as_str().unwrap_or_default();
        assert!(
            summary.starts_with("Plan ") && summary.ends_with(" æøå"),
            "{summary}"
        );
        assert!(summary.contains(UNDRAWABLE));
        assert!(!summary.contains('\u{E000}'));
        assert!(
            !summary.contains('\u{9C}'),
            "a C1 control character is replaced too"
        );
    }

    #[test]
    fn a_long_text_that_starts_like_an_address_is_text_not_a_link_pdf_a_cannot_hold() {
        // A link's address is a PDF string, which PDF/A holds to 32,767 bytes;
        // a decision may be 20,000 characters (Schemathesis found the 500).
        let mut document = sample::slagelse(Lang::Da);
        if let Some(adoption) = document.adoption.as_mut() {
            adoption.decision = Some(format!("http{}", "ø".repeat(19_990)));
        }
        let pdf = render(&document).expect("a PDF/A document");
        assert!(pdf.starts_with(b"%PDF-"));
    }

    #[test]
    fn a_long_word_gets_break_opportunities_and_a_chart_is_left_alone() {
        let word = "x".repeat(150);
        let broken = breakable(&format!("kort {word} ord"));
        assert_eq!(broken.matches('\u{200B}').count(), 2);
        assert_eq!(broken.replace('\u{200B}', ""), format!("kort {word} ord"));
        let mut view = serde_json::json!({"summary": word, "chart": word});
        make_drawable(&mut view);
        assert!(
            view["summary"]
                .as_str()
                .is_some_and(|s| s.contains('\u{200B}'))
        );
        assert_eq!(view["chart"], serde_json::json!(word));
    }

    #[test]
    fn the_world_serves_only_the_template_and_its_data() {
        let document = sample::slagelse(Lang::Da);
        let world = DocumentWorld::new(b"{}".to_vec(), document.generated_at);
        let other = FileId::new(None, VirtualPath::new("/etc/passwd"));
        assert!(world.file(other).is_err());
        assert!(world.source(other).is_err());
        assert!(world.file(world.data_id).is_ok());
        assert_eq!(FONTS.1.len(), 2, "regular and bold DejaVu Sans");
    }
}
