//! An indicator's line chart as SVG, drawn with plotters' SVG backend: the
//! measured series (solid, with dots), the baseline (dotted) and the target
//! (dashed), told apart by line style and a legend, not by colour alone. The
//! caller leaves out series with suppressed small counts: those are never charted.

use chrono::{Datelike, NaiveDate};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ExportDocument, labels};
use crate::progress::IndicatorProgress;

/// Size of a chart in SVG user units (it scales: the PDF and HTML set its width).
pub const SIZE: (u32, u32) = (520, 205);
const FONT: &str = "DejaVu Sans";
const SERIES: RGBColor = RGBColor(0x1f, 0x4e, 0x79);
const TARGET: RGBColor = RGBColor(0x1e, 0x7b, 0x34);
const BASELINE: RGBColor = RGBColor(0x5f, 0x63, 0x68);

/// The chart of `indicator` as an SVG document. Only call it for a series
/// without suppressed values.
pub fn render(document: &ExportDocument, indicator: &IndicatorProgress) -> String {
    let mut svg = String::new();
    let Some(ranges) = ranges(indicator) else {
        // The table and the alt text still carry every value.
        log::info!(
            "indicator {}: values too large to chart",
            indicator.indicator_id
        );
        return svg;
    };
    if let Err(error) = draw(&mut svg, document, indicator, ranges) {
        // Drawing into a String cannot fail on I/O; a plotters error here is a bug,
        // and the document is still worth having without this one chart.
        log::error!(
            "chart of indicator {} failed: {error}",
            indicator.indicator_id
        );
        return String::new();
    }
    svg
}

fn day_number(date: NaiveDate) -> f64 {
    f64::from(date.num_days_from_ce())
}

fn from_day_number(day: f64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(day.round() as i32)
}

/// The x range (days) and y range the chart must show, or none where the
/// values cannot be drawn.
fn ranges(indicator: &IndicatorProgress) -> Option<Ranges> {
    let days = indicator.series.iter().map(|p| day_number(p.period_end));
    let (x0, x1) = days.fold((f64::MAX, f64::MIN), |(a, b), d| (a.min(d), b.max(d)));
    // Room on both sides so the first and last dots and date labels are not cut off.
    let x_pad = ((x1 - x0) * 0.06).max(30.0);
    let (x0, x1) = (x0 - x_pad, x1 + x_pad);
    let values = indicator
        .series
        .iter()
        .map(|p| p.value)
        .chain(indicator.baseline)
        .chain(indicator.target);
    Some(((x0, x1), value_range(values)?))
}

type Ranges = ((f64, f64), (f64, f64));

/// The largest value a chart draws: beyond it an axis label is unreadable and
/// the range's width gets lost to rounding.
const MAX_CHARTED: f64 = 1e12;

/// The y range for `values`, padded, or none where it could not be split into
/// ticks (plotters loops forever on a range whose width rounds to nothing).
fn value_range(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let (lo, hi) = values.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
    if lo > hi || !(lo.is_finite() && hi.is_finite()) || hi > MAX_CHARTED {
        return None;
    }
    let pad = if hi > lo { (hi - lo) * 0.12 } else { 1.0 };
    // Values are never negative (Unit::check_value), so neither is the axis.
    Some(((lo - pad).max(0.0), hi + pad))
}

type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// At most four of the series' own dates, last included, as the x axis ticks:
/// a reader sees the periods that were measured, not arbitrary days between
/// them, and four period names fit the width at a printable size.
fn ticks(indicator: &IndicatorProgress) -> Vec<f64> {
    let days: Vec<f64> = indicator
        .series
        .iter()
        .map(|p| day_number(p.period_end))
        .collect();
    let step = days.len().div_ceil(4).max(1);
    let mut ticks: Vec<f64> = days.iter().rev().step_by(step).copied().collect();
    ticks.reverse();
    ticks
}

/// One legend entry: its text, colour and line pattern (dash length, gap; 0 = solid).
struct Entry {
    text: String,
    colour: RGBColor,
    dash: (i32, i32),
}

/// The legend as a row above the plot, where it can never hide a value.
fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    entries: &[Entry],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let mut x = 8;
    let y = 14;
    for entry in entries {
        let style = entry.colour.stroke_width(2);
        let (dash, gap) = entry.dash;
        if dash == 0 {
            area.draw(&PathElement::new(vec![(x, y), (x + 28, y)], style))?;
            area.draw(&Circle::new((x + 14, y), 3, entry.colour.filled()))?;
        } else {
            let mut from = x;
            while from < x + 28 {
                area.draw(&PathElement::new(
                    vec![(from, y), ((from + dash).min(x + 28), y)],
                    style,
                ))?;
                from += dash + gap;
            }
        }
        area.draw(&Text::new(entry.text.clone(), (x + 34, y - 7), (FONT, 15)))?;
        x += 34 + 9 * entry.text.chars().count() as i32 + 14;
    }
    Ok(())
}

fn draw(
    svg: &mut String,
    document: &ExportDocument,
    indicator: &IndicatorProgress,
    ((x0, x1), (y0, y1)): Ranges,
) -> DrawResult {
    let lang = document.lang;
    let words = labels::words(lang);
    let root = SVGBackend::with_string(svg, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let (legend_area, plot_area) = root.split_vertically(30);
    let ticks = ticks(indicator);
    let mut chart = ChartBuilder::on(&plot_area)
        .margin(12)
        .margin_top(4)
        .x_label_area_size(44)
        .y_label_area_size(60)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    let y_label = |value: &f64| labels::number(lang, *value);
    chart
        .configure_mesh()
        // The x ticks are drawn below, at the measured periods.
        .x_labels(0)
        .y_labels(5)
        .disable_x_mesh()
        .light_line_style(RGBColor(0xee, 0xee, 0xee))
        .y_label_formatter(&y_label)
        .x_desc(words.period)
        .y_desc(labels::display_unit(lang, indicator))
        .label_style((FONT, 15))
        .axis_desc_style((FONT, 15))
        .draw()?;
    let line = |y: f64| vec![(x0, y), (x1, y)];
    let mut entries = vec![Entry {
        text: words.series.to_owned(),
        colour: SERIES,
        dash: (0, 0),
    }];
    if let Some(target) = indicator.target {
        chart.draw_series(DashedLineSeries::new(
            line(target),
            10,
            6,
            TARGET.stroke_width(2),
        ))?;
        entries.push(Entry {
            text: format!(
                "{}: {}",
                words.target,
                labels::quantity(lang, target, indicator.unit)
            ),
            colour: TARGET,
            dash: (10, 6),
        });
    }
    if let Some(baseline) = indicator.baseline {
        chart.draw_series(DashedLineSeries::new(
            line(baseline),
            2,
            4,
            BASELINE.stroke_width(2),
        ))?;
        entries.push(Entry {
            text: format!(
                "{}: {}",
                words.baseline,
                labels::quantity(lang, baseline, indicator.unit)
            ),
            colour: BASELINE,
            dash: (2, 4),
        });
    }
    let points = indicator
        .series
        .iter()
        .map(|p| (day_number(p.period_end), p.value));
    chart.draw_series(LineSeries::new(points, SERIES.stroke_width(2)).point_size(3))?;
    let tick_style = TextStyle::from((FONT, 15)).pos(Pos::new(HPos::Center, VPos::Top));
    let ends: Vec<NaiveDate> = indicator.series.iter().map(|p| p.period_end).collect();
    let cadence = labels::Cadence::of(&ends);
    for day in ticks {
        let (x, y) = chart.backend_coord(&(day, y0));
        let label = from_day_number(day)
            .map(|d| labels::period(lang, cadence, d))
            .unwrap_or_default();
        root.draw(&PathElement::new(vec![(x, y), (x, y + 5)], BLACK))?;
        root.draw(&Text::new(label, (x, y + 8), tick_style.clone()))?;
    }
    legend(&legend_area, &entries)?;
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::value_range;

    #[test]
    fn values_a_chart_cannot_split_into_ticks_get_no_chart() {
        let (low, high) = value_range([50.0, 60.0].into_iter()).expect("a range");
        assert!(low < 50.0 && high > 60.0 && high - low < 15.0);
        assert_eq!(value_range([7.0].into_iter()), Some((6.0, 8.0)));
        for values in [
            vec![1e300],
            vec![f64::MAX, 0.0],
            vec![1e20, 1e20 + 1e5],
            vec![],
        ] {
            assert_eq!(value_range(values.into_iter()), None);
        }
    }
}
