//! Makes PDF viewers and screen readers announce a committee document by its
//! title instead of its file name (`/DisplayDocTitle`, a PDF/UA rule).
//!
//! typst writes that flag only for PDF/UA-1, and enforces one PDF substandard
//! at a time; the documents are PDF/A-2a. So it is added afterwards as an
//! incremental update, which PDF/A-2 allows: the catalog object is written
//! again with the flag, followed by an xref section for it and a trailer that
//! points back to the original one. Nothing of the original bytes changes.

/// `pdf` with `/DisplayDocTitle true` in its catalog's viewer preferences, or
/// `pdf` unchanged when its layout is not the one typst writes (an
/// uncompressed catalog and a classic xref table); the tests hold the flag.
pub fn display_document_title(mut pdf: Vec<u8>) -> Vec<u8> {
    let Some(update) = update_for(&pdf) else {
        return pdf;
    };
    pdf.extend_from_slice(&update);
    pdf
}

fn update_for(pdf: &[u8]) -> Option<Vec<u8>> {
    let trailer_at = rfind(pdf, b"\ntrailer\n")?;
    let trailer = std::str::from_utf8(&pdf[trailer_at..]).ok()?;
    let root = number_after(trailer, "/Root ")?;
    let size = number_after(trailer, "/Size ")?;
    let info = number_after(trailer, "/Info ")?;
    let previous_xref = number_after(trailer, "startxref\n")?;
    let id = trailer
        .split_once("/ID ")
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(id, _)| format!("{id}]"))?;
    let catalog = catalog_dictionary(pdf, root)?;
    let catalog = with_display_doc_title(&catalog)?;

    let object_at = pdf.len() + 1;
    let object = format!("\n{root} 0 obj\n{catalog}\nendobj\n");
    let xref_at = object_at - 1 + object.len();
    let update = format!(
        "{object}xref\n0 1\n0000000000 65535 f\r\n{root} 1\n{object_at:010} 00000 n\r\n\
         trailer\n<<\n  /Size {size}\n  /Root {root} 0 R\n  /Info {info} 0 R\n  /ID {id}\n  \
         /Prev {previous_xref}\n>>\nstartxref\n{xref_at}\n%%EOF"
    );
    Some(update.into_bytes())
}

/// The text of object `root`'s dictionary, `<<` to `>>`.
fn catalog_dictionary(pdf: &[u8], root: u64) -> Option<String> {
    let start = find(pdf, format!("\n{root} 0 obj\n").as_bytes())?;
    let body = &pdf[start..];
    let end = find(body, b"\nendobj")?;
    let object = std::str::from_utf8(&body[..end]).ok()?;
    let dictionary = &object[object.find("<<")?..];
    dictionary
        .contains("/Type /Catalog")
        .then(|| dictionary.to_owned())
}

fn with_display_doc_title(catalog: &str) -> Option<String> {
    if catalog.contains("/DisplayDocTitle") {
        return None;
    }
    if let Some((before, after)) = catalog.split_once("/ViewerPreferences <<") {
        return Some(format!(
            "{before}/ViewerPreferences <<\n    /DisplayDocTitle true{after}"
        ));
    }
    let (before, _) = catalog.rsplit_once(">>")?;
    Some(format!(
        "{before}  /ViewerPreferences << /DisplayDocTitle true >>\n>>"
    ))
}

fn number_after(text: &str, key: &str) -> Option<u64> {
    let (_, rest) = text.rsplit_once(key)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGINAL: &str = "%PDF-1.7\n\n1 0 obj\n<<\n  /Type /Catalog\n  /Lang (da)\n  \
        /ViewerPreferences <<\n    /Direction /L2R\n  >>\n>>\nendobj\n\nxref\n0 2\n\
        0000000000 65535 f\r\n0000000010 00000 n\r\ntrailer\n<<\n  /Size 3\n  /Root 1 0 R\n  \
        /Info 2 0 R\n  /ID [(a) (b)]\n>>\nstartxref\n99\n%%EOF";

    #[test]
    fn the_catalog_is_written_again_with_the_flag_and_points_back_to_the_original() {
        let patched = String::from_utf8(display_document_title(ORIGINAL.into())).unwrap();
        assert!(
            patched.starts_with(ORIGINAL),
            "the original bytes stay as they were"
        );
        let update = &patched[ORIGINAL.len()..];
        assert!(
            update
                .contains("/ViewerPreferences <<\n    /DisplayDocTitle true\n    /Direction /L2R")
        );
        assert!(update.contains("/Prev 99"));
        assert!(update.contains("/ID [(a) (b)]"));
        let object_at = patched.rfind("\n1 0 obj\n").unwrap() + 1;
        assert!(update.contains(&format!("1 1\n{object_at:010} 00000 n\r\n")));
        let xref_at = patched.rfind("xref\n0 1\n").unwrap();
        assert!(patched.ends_with(&format!("startxref\n{xref_at}\n%%EOF")));
    }

    #[test]
    fn a_layout_it_does_not_know_is_left_as_it_is() {
        let unknown = b"%PDF-1.7\n1 0 obj\n<< /Type /XRef >>\nstream\nendstream".to_vec();
        assert_eq!(display_document_title(unknown.clone()), unknown);
    }
}
