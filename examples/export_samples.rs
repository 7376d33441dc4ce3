//! Writes the sample committee documents to docs/examples/ (a Slagelse-like
//! report on the Task Force template, built in memory):
//!
//!     cargo run --example export_samples
use planspor::exports::{Lang, html, pdf, sample};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples");
    std::fs::create_dir_all(&dir)?;
    let document = sample::slagelse(Lang::Da);
    let stem = "Slagelse_udviklingsplan_status_2025-03-31";
    let pdf = pdf::render(&document).map_err(|e| format!("{e:?}"))?;
    std::fs::write(dir.join(format!("{stem}.pdf")), pdf)?;
    std::fs::write(dir.join(format!("{stem}.html")), html::render(&document))?;
    println!("wrote {}/{stem}.pdf and .html", dir.display());
    Ok(())
}
