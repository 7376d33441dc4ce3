//! The committee PDF as a PDF library reads it (lopdf): the PDF/A-2a claim
//! and what archives and screen readers rely on, checked in the file's own
//! objects: XMP identification, output intent, tagged structure, language,
//! title, `DisplayDocTitle`, heading order, header cells, links.

use lopdf::{Dictionary, Document, Object};

use planspor::exports::{Lang, pdf, sample};

struct Pdf(Document);

impl Pdf {
    fn of_sample() -> Self {
        let bytes = pdf::render(&sample::slagelse(Lang::Da)).expect("PDF renders");
        Self(Document::load_mem(&bytes).expect("lopdf reads the PDF"))
    }

    fn resolve<'a>(&'a self, object: &'a Object) -> &'a Object {
        self.0
            .dereference(object)
            .map(|(_, object)| object)
            .unwrap_or(object)
    }

    fn dict<'a>(&'a self, object: &'a Object) -> Option<&'a Dictionary> {
        self.resolve(object).as_dict().ok()
    }

    fn catalog(&self) -> &Dictionary {
        self.0.catalog().expect("a catalog")
    }

    fn entry<'a>(&'a self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
        dict.get(key).ok().map(|object| self.resolve(object))
    }

    fn text(&self, object: &Object) -> String {
        let bytes = self.resolve(object).as_str().unwrap_or_default();
        match bytes {
            [0xFE, 0xFF, rest @ ..] => {
                let units: Vec<u16> = rest
                    .chunks(2)
                    .map(|pair| u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]))
                    .collect();
                String::from_utf16_lossy(&units)
            }
            _ => String::from_utf8_lossy(bytes).into_owned(),
        }
    }

    /// The structure elements' types (`/S`) in reading order.
    fn structure(&self) -> Vec<String> {
        let root = self
            .entry(self.catalog(), b"StructTreeRoot")
            .and_then(|root| root.as_dict().ok())
            .expect("a structure tree: the PDF is tagged");
        let mut types = Vec::new();
        if let Ok(kids) = root.get(b"K") {
            self.walk(kids, &mut types);
        }
        types
    }

    fn walk(&self, node: &Object, types: &mut Vec<String>) {
        match self.resolve(node) {
            Object::Array(items) => items.iter().for_each(|item| self.walk(item, types)),
            Object::Dictionary(element) => {
                if let Ok(name) = element.get(b"S").and_then(Object::as_name) {
                    types.push(String::from_utf8_lossy(name).into_owned());
                }
                if let Ok(kids) = element.get(b"K") {
                    self.walk(kids, types);
                }
            }
            _ => {}
        }
    }

    /// How many text-showing operations lie inside marked content tagged
    /// `/Artifact` (what assistive technology skips), and how many outside.
    fn text_in_and_out_of_artifacts(&self) -> (usize, usize) {
        let (mut inside, mut outside) = (0, 0);
        for page in self.0.get_pages().values() {
            let content = self.0.get_page_content(*page);
            let Ok(content) = lopdf::content::Content::decode(&content) else {
                continue;
            };
            let mut open: Vec<bool> = Vec::new();
            for op in content.operations {
                match op.operator.as_str() {
                    "BDC" | "BMC" => open.push(
                        op.operands
                            .first()
                            .and_then(|tag| tag.as_name().ok())
                            .is_some_and(|tag| tag == b"Artifact"),
                    ),
                    "EMC" => {
                        open.pop();
                    }
                    "Tj" | "TJ" | "'" | "\"" if open.iter().any(|artifact| *artifact) => {
                        inside += 1
                    }
                    "Tj" | "TJ" | "'" | "\"" => outside += 1,
                    _ => {}
                }
            }
        }
        (inside, outside)
    }

    fn link_count(&self) -> usize {
        self.0
            .get_pages()
            .values()
            .filter_map(|page| self.0.get_dictionary(*page).ok())
            .filter_map(|page| self.entry(page, b"Annots"))
            .filter_map(|annots| annots.as_array().ok())
            .flatten()
            .filter_map(|annot| self.dict(annot))
            .filter(|annot| annot.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Link"))
            .count()
    }
}

#[test]
fn the_committee_pdf_claims_pdf_a_2a_and_carries_what_the_claim_needs() {
    let pdf = Pdf::of_sample();
    let catalog = pdf.catalog();
    let metadata = pdf
        .entry(catalog, b"Metadata")
        .and_then(|m| m.as_stream().ok())
        .expect("XMP metadata");
    let xmp = String::from_utf8_lossy(
        &metadata
            .decompressed_content()
            .unwrap_or_else(|_| metadata.content.clone()),
    )
    .into_owned();
    let claims = |key: &str, value: &str| {
        xmp.contains(&format!("<pdfaid:{key}>{value}</pdfaid:{key}>"))
            || xmp.contains(&format!("pdfaid:{key}=\"{value}\""))
    };
    assert!(claims("part", "2") && claims("conformance", "A"), "{xmp}");

    let intents = pdf
        .entry(catalog, b"OutputIntents")
        .and_then(|i| i.as_array().ok())
        .expect("output intents");
    let intent = pdf.dict(&intents[0]).expect("an output intent");
    assert_eq!(
        intent.get(b"S").and_then(Object::as_name).ok(),
        Some(&b"GTS_PDFA1"[..])
    );
    assert!(intent.get(b"DestOutputProfile").is_ok(), "an ICC profile");

    let marked = pdf
        .entry(catalog, b"MarkInfo")
        .and_then(|m| m.as_dict().ok())
        .and_then(|m| m.get(b"Marked").ok())
        .and_then(|m| m.as_bool().ok());
    assert_eq!(marked, Some(true), "tagged");
    assert_eq!(
        pdf.entry(catalog, b"Lang").map(|l| pdf.text(l)).as_deref(),
        Some("da")
    );
}

#[test]
fn a_screen_reader_announces_the_title_naming_municipality_plan_and_report() {
    let pdf = Pdf::of_sample();
    let preferences = pdf
        .entry(pdf.catalog(), b"ViewerPreferences")
        .and_then(|p| p.as_dict().ok())
        .expect("viewer preferences");
    assert_eq!(
        preferences
            .get(b"DisplayDocTitle")
            .and_then(Object::as_bool)
            .ok(),
        Some(true)
    );
    let info = pdf
        .0
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|info| pdf.dict(info))
        .expect("document information");
    let title = pdf.text(info.get(b"Title").expect("a title"));
    for part in [
        "Slagelse",
        "Udviklingsplan",
        "Statusrapport 1. kvartal 2025",
    ] {
        assert!(title.contains(part), "{part} in {title:?}");
    }
}

#[test]
fn headings_start_with_the_cover_title_and_never_skip_a_level() {
    let structure = Pdf::of_sample().structure();
    let levels: Vec<u32> = structure
        .iter()
        .filter_map(|s| s.strip_prefix('H').and_then(|n| n.parse().ok()))
        .collect();
    assert_eq!(levels.first(), Some(&1), "{structure:?}");
    for pair in levels.windows(2) {
        assert!(
            pair[1] <= pair[0] + 1,
            "H{} follows H{}: {levels:?}",
            pair[1],
            pair[0]
        );
    }
}

#[test]
fn every_table_has_header_cells_and_the_document_has_links() {
    let pdf = Pdf::of_sample();
    let structure = pdf.structure();
    let tables = structure.iter().filter(|s| *s == "Table").count();
    assert!(tables > 5, "{structure:?}");
    // Every table begins with its header row before the next table starts.
    let mut open_without_header = false;
    for element in &structure {
        match element.as_str() {
            "Table" => {
                assert!(!open_without_header, "a table without a TH: {structure:?}");
                open_without_header = true;
            }
            "TH" => open_without_header = false,
            _ => {}
        }
    }
    assert!(!open_without_header, "the last table has no TH");
    assert!(
        pdf.link_count() >= 2,
        "the agenda address and the overview are links"
    );
}

#[test]
fn status_symbols_are_artifacts_so_a_screen_reader_reads_the_word() {
    let document = sample::slagelse(Lang::Da);
    let view = serde_json::to_string(&planspor::exports::view::build(&document)).expect("JSON");
    // Every status the view holds is drawn at least once with its symbol.
    let statuses = view.matches("\"symbol\":").count();
    let pdf = Pdf::of_sample();
    let pages = pdf.0.get_pages().len();
    let (inside, _) = pdf.text_in_and_out_of_artifacts();
    // A page's footer is three runs of artifact text (place and date, "Side",
    // the numbers); every status symbol adds one more.
    assert!(
        inside >= 3 * pages + statuses,
        "{inside} text runs are artifacts, for {pages} footers and {statuses} status symbols"
    );
}
