//! A case review's bar chart as SVG: per criterion the share of relevant cases
//! that met it, the first round as an outlined bar and the latest as a filled
//! one (told apart by fill and legend, not by colour alone), each labelled with
//! its share. A share withheld to protect a small count gets no bar, only "<5".

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const WIDTH: u32 = 640;
const FONT: &str = "DejaVu Sans";
const FIRST: RGBColor = RGBColor(0x5f, 0x63, 0x68);
const LATEST: RGBColor = RGBColor(0x1f, 0x4e, 0x79);
const LEGEND_HEIGHT: i32 = 30;
const AXIS_HEIGHT: i32 = 18;
/// A criterion's title stands left of its bars, in at most two lines.
const TITLE_LEFT: i32 = 8;
const TITLE_LINE: i32 = 17;
const TITLE_LINES: usize = 2;
/// Characters of a title line: what fits left of the bars at 15 px.
const TITLE_CHARS: usize = 36;
const BAR_HEIGHT: i32 = 12;
const BAR_GAP: i32 = 3;
const ROW_GAP: i32 = 8;
/// Where 0 % and 100 % are; the labels right of a full bar still fit.
const BAR_LEFT: i32 = 330;
const BAR_RIGHT: i32 = 585;

/// One round's bar: the share to draw (none when it may not be shown) and
/// the label beside it ("53 %", "<5", "–").
#[derive(Debug, Clone)]
pub struct BarValue {
    /// The share met, 0–1.
    pub share: Option<f64>,
    /// What the bar says.
    pub label: String,
}

/// One criterion: its title and its bar in the first and the latest round.
#[derive(Debug, Clone)]
pub struct Bar {
    /// The criterion's title.
    pub title: String,
    /// In the first round, `None` when it was not reviewed there.
    pub first: Option<BarValue>,
    /// In the latest round, `None` when it was not reviewed there or there is one round.
    pub latest: Option<BarValue>,
}

/// The chart of `bars` as an SVG document, with one legend entry per round
/// (`legend`: "First round (15.10.2023)" and, with two rounds, the latest),
/// or `None` when there is no share to draw.
pub fn render(bars: &[Bar], legend: &[String]) -> Option<String> {
    let any_share = bars
        .iter()
        .flat_map(|b| [&b.first, &b.latest])
        .any(|r| r.as_ref().and_then(|r| r.share).is_some());
    if !any_share || legend.is_empty() {
        return None;
    }
    let rounds = legend.len().min(2);
    let mut svg = String::new();
    let chart = Chart { rounds };
    match chart.draw(&mut svg, bars, legend) {
        Ok(()) => Some(svg),
        Err(error) => {
            // Drawing into a String cannot fail on I/O: a plotters error is a
            // bug, and the table still carries every figure.
            log::error!("case-review chart failed: {error}");
            None
        }
    }
}

fn row_height(rounds: usize) -> i32 {
    let rounds = i32::try_from(rounds).unwrap_or(2);
    let title = TITLE_LINE * i32::try_from(TITLE_LINES).unwrap_or(2);
    title.max(rounds * (BAR_HEIGHT + BAR_GAP)) + ROW_GAP
}

type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// What every part of one chart is drawn with.
struct Chart {
    /// One or two bars per criterion.
    rounds: usize,
}

impl Chart {
    fn draw(&self, svg: &mut String, bars: &[Bar], legend: &[String]) -> DrawResult {
        let rows = i32::try_from(bars.len()).unwrap_or(i32::MAX / 64);
        let height = LEGEND_HEIGHT + AXIS_HEIGHT + rows * row_height(self.rounds) + 4;
        let root =
            SVGBackend::with_string(svg, (WIDTH, u32::try_from(height)?)).into_drawing_area();
        root.fill(&WHITE)?;
        draw_legend(&root, legend, self.rounds)?;
        let top = LEGEND_HEIGHT + AXIS_HEIGHT;
        draw_axis(&root, top, height - 4)?;
        for (n, bar) in (0i32..).zip(bars) {
            self.draw_row(&root, bar, top + n * row_height(self.rounds))?;
        }
        root.present()?;
        Ok(())
    }

    fn draw_row<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, plotters::coord::Shift>,
        bar: &Bar,
        y: i32,
    ) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        for (line, text) in (0i32..).zip(title_lines(&bar.title)) {
            root.draw(&Text::new(
                text,
                (TITLE_LEFT, y + line * TITLE_LINE),
                (FONT, 15),
            ))?;
        }
        let results = [&bar.first, &bar.latest];
        for (round, result) in (0i32..).zip(results.into_iter().take(self.rounds)) {
            let top = y + 2 + round * (BAR_HEIGHT + BAR_GAP);
            let share = result.as_ref().and_then(|r| r.share);
            let mut label_x = BAR_LEFT + 4;
            if let Some(share) = share {
                let (fill, stroke) = bar_style(round);
                let right = x_of(share).max(BAR_LEFT + 2);
                let corners = [(BAR_LEFT, top), (right, top + BAR_HEIGHT)];
                root.draw(&Rectangle::new(corners, fill))?;
                root.draw(&Rectangle::new(corners, stroke))?;
                label_x = right + 6;
            }
            let label = result.as_ref().map_or("–", |r| r.label.as_str());
            root.draw(&Text::new(label, (label_x, top - 1), (FONT, 13)))?;
        }
        Ok(())
    }
}

fn x_of(share: f64) -> i32 {
    let span = f64::from(BAR_RIGHT - BAR_LEFT);
    BAR_LEFT + (share.clamp(0.0, 1.0) * span).round() as i32
}

/// A light line at every quarter, labelled above the bars.
fn draw_axis<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    top: i32,
    bottom: i32,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let label = TextStyle::from((FONT, 13))
        .color(&FIRST)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    for quarter in 0..=4 {
        let x = x_of(f64::from(quarter) / 4.0);
        let colour = RGBColor(0xe2, 0xe2, 0xe2);
        root.draw(&PathElement::new(vec![(x, top), (x, bottom)], colour))?;
        root.draw(&Text::new(
            format!("{} %", quarter * 25),
            (x.max(14), top - 3),
            label.clone(),
        ))?;
    }
    Ok(())
}

fn bar_style(round: i32) -> (ShapeStyle, ShapeStyle) {
    if round == 0 {
        (WHITE.filled(), FIRST.stroke_width(2))
    } else {
        (LATEST.filled(), LATEST.stroke_width(1))
    }
}

fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    legend: &[String],
    rounds: usize,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let mut x = TITLE_LEFT;
    for (round, text) in (0i32..).zip(legend.iter().take(rounds)) {
        let (fill, stroke) = bar_style(round);
        let corners = [(x, 8), (x + 26, 8 + BAR_HEIGHT)];
        root.draw(&Rectangle::new(corners, fill))?;
        root.draw(&Rectangle::new(corners, stroke))?;
        root.draw(&Text::new(text.clone(), (x + 32, 7), (FONT, 15)))?;
        x += 32 + 8 * i32::try_from(text.chars().count()).unwrap_or(40) + 28;
    }
    Ok(())
}

/// `title` in at most two lines of whole words; what does not fit ends in
/// "…" (the table beside the chart has it whole).
fn title_lines(title: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in title.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= TITLE_CHARS => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    if lines.len() > TITLE_LINES {
        lines.truncate(TITLE_LINES);
        if let Some(last) = lines.last_mut() {
            let kept: String = last.chars().take(TITLE_CHARS - 1).collect();
            *last = format!("{}…", kept.trim_end());
        }
    }
    lines
        .into_iter()
        .map(|line| {
            if line.chars().count() > TITLE_CHARS {
                let kept: String = line.chars().take(TITLE_CHARS - 1).collect();
                format!("{kept}…")
            } else {
                line
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_wraps_at_words_into_two_lines_and_a_longer_one_ends_in_an_ellipsis() {
        let short = title_lines("Der er foretaget partshøring før afgørelsen");
        assert_eq!(short, ["Der er foretaget partshøring før", "afgørelsen"]);
        let long = title_lines(&"Barnets plan indeholder konkrete mål ".repeat(4));
        assert_eq!(long.len(), TITLE_LINES);
        assert!(long.iter().all(|line| line.chars().count() <= TITLE_CHARS));
        assert!(long[1].ends_with('…'), "{long:?}");
        let word = title_lines(&"x".repeat(80));
        assert_eq!(word.len(), 1);
        assert_eq!(word[0].chars().count(), TITLE_CHARS);
    }
}
