//! SVG rendering of a [`Plot`] with `plotters` (SVG backend only). Text is
//! written as SVG `<text>` elements and laid out with plotters' built-in size
//! estimate, so no font file or fontconfig is needed to draw a plot.

use super::section::{Plot, Style};
use anyhow::{anyhow, Result};
use plotters::prelude::*;

/// Width and height of every plot, in pixels.
pub const SIZE: (u32, u32) = (820, 520);

const COLOURS: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

/// A short tick label: `0.0625`, `250`, `4k`, `1.5M`. Cost: O(1).
pub fn tick_label(v: f64) -> String {
    let a = v.abs();
    let (x, suffix) = if a >= 1e9 {
        (v / 1e9, "G")
    } else if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let digits = if x.abs() >= 1.0 || x == 0.0 { 2 } else { 4 };
    let s = format!("{x:.digits$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    format!("{s}{suffix}")
}

/// The axis range `(lo, hi)` covering `values`, with a margin; on a log axis only
/// positive values count. Cost: O(values).
pub fn axis_range(values: impl Iterator<Item = f64>, log: bool) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite() && (!log || *v > 0.0))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() {
        return (1.0, 10.0);
    }
    if log {
        let (lo, hi) = if hi / lo < 1.5 {
            (lo / 1.5, hi * 1.5)
        } else {
            (lo, hi)
        };
        (lo / 1.3, hi * 1.3)
    } else {
        let span = if hi > lo { hi - lo } else { hi.abs().max(1.0) };
        let start = lo - 0.05 * span;
        // Non-negative data keeps a non-negative axis.
        let start = if lo >= 0.0 { start.max(0.0) } else { start };
        (start, hi + 0.08 * span)
    }
}

/// Tick positions for a log axis over `[lo, hi]`: bold (labelled) and light (grid
/// only). Wide ranges are labelled at powers of ten, one to two decades at 1, 2, 5
/// times them, narrower ranges at 1, 2, 3, 5. Cost: O(decades).
pub fn log_ticks(lo: f64, hi: f64) -> (Vec<f64>, Vec<f64>) {
    let decades = (hi / lo).log10();
    let mantissas: &[f64] = if decades >= 3.0 {
        &[1.0]
    } else if decades >= 1.0 {
        &[1.0, 2.0, 5.0]
    } else {
        &[1.0, 2.0, 3.0, 5.0]
    };
    let (mut bold, mut light) = (Vec::new(), Vec::new());
    let inside = |v: f64| v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9);
    for k in lo.log10().floor() as i32..=hi.log10().ceil() as i32 {
        let p = 10f64.powi(k);
        for m in 1..=9 {
            let v = m as f64 * p;
            if !inside(v) {
                continue;
            }
            if mantissas.contains(&(m as f64)) {
                bold.push(v);
            } else {
                light.push(v);
            }
        }
    }
    (bold, light)
}

/// Raises the top of the y range so that the legend (upper left, about 21 px per
/// series in a plotting area of about 400 px) sits above the data. Cost: O(1).
pub fn legend_headroom((lo, hi): (f64, f64), log: bool, series: usize) -> (f64, f64) {
    if series == 0 {
        return (lo, hi);
    }
    let f = ((series as f64 * 21.0 + 16.0) / 400.0).min(0.6);
    if log {
        (lo, lo * (hi / lo).powf(1.0 / (1.0 - f)))
    } else {
        (lo, lo + (hi - lo) / (1.0 - f))
    }
}

/// Draws the plot as an SVG document. Cost: O(points).
pub fn render_svg(p: &Plot) -> Result<String> {
    let keep = |log: bool, v: f64| v.is_finite() && (!log || v > 0.0);
    let xs = p.series.iter().flat_map(|s| s.points.iter().map(|q| q.0));
    let ys = p.series.iter().flat_map(|s| s.points.iter().map(|q| q.1));
    let (x0, x1) = axis_range(xs, p.log_x);
    let (y0, y1) = axis_range(ys, p.log_y);
    let (y0, y1) = legend_headroom((y0, y1), p.log_y, p.series.len());
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        macro_rules! draw {
            ($x:expr, $y:expr) => {{
                let mut chart = ChartBuilder::on(&root)
                    .caption(&p.title, ("sans-serif", 20))
                    .margin(12)
                    .x_label_area_size(48)
                    .y_label_area_size(64)
                    .build_cartesian_2d($x, $y)
                    .map_err(err)?;
                chart
                    .configure_mesh()
                    .x_desc(&p.x_label)
                    .y_desc(&p.y_label)
                    .label_style(("sans-serif", 15))
                    .axis_desc_style(("sans-serif", 16))
                    .x_label_formatter(&|v| tick_label(*v))
                    .y_label_formatter(&|v| tick_label(*v))
                    .light_line_style(RGBColor(235, 235, 235))
                    .draw()
                    .map_err(err)?;
                for (i, s) in p.series.iter().enumerate() {
                    let colour = COLOURS[i % COLOURS.len()];
                    let pts: Vec<(f64, f64)> = s
                        .points
                        .iter()
                        .copied()
                        .filter(|q| keep(p.log_x, q.0) && keep(p.log_y, q.1))
                        .collect();
                    let line = colour.stroke_width(2);
                    let anno = match s.style {
                        Style::LineMarkers => {
                            chart
                                .draw_series(LineSeries::new(pts.clone(), line))
                                .map_err(err)?;
                            chart
                                .draw_series(
                                    pts.iter().map(|&q| Circle::new(q, 4, colour.filled())),
                                )
                                .map_err(err)?
                        }
                        Style::Markers => chart
                            .draw_series(pts.iter().map(|&q| Circle::new(q, 5, colour.filled())))
                            .map_err(err)?,
                        Style::Dashed => chart
                            .draw_series(DashedLineSeries::new(pts.clone(), 8, 5, line))
                            .map_err(err)?,
                    };
                    anno.label(s.name.as_str()).legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(3))
                    });
                }
                if !p.series.is_empty() {
                    chart
                        .configure_series_labels()
                        .position(SeriesLabelPosition::UpperLeft)
                        .label_font(("sans-serif", 15))
                        .background_style(WHITE.mix(0.85))
                        .border_style(BLACK)
                        .draw()
                        .map_err(err)?;
                }
            }};
        }
        // Log axes get our own ticks: plotters' own crowd narrow ranges.
        let log_axis = |lo: f64, hi: f64| {
            let (bold, light) = log_ticks(lo, hi);
            (lo..hi)
                .log_scale()
                .with_key_points(bold)
                .with_light_points(light)
        };
        match (p.log_x, p.log_y) {
            (true, true) => draw!(log_axis(x0, x1), log_axis(y0, y1)),
            (true, false) => draw!(log_axis(x0, x1), y0..y1),
            (false, true) => draw!(x0..x1, log_axis(y0, y1)),
            (false, false) => draw!(x0..x1, y0..y1),
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

fn err<E: std::fmt::Display>(e: E) -> anyhow::Error {
    anyhow!("drawing a plot: {e}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::section::Series;

    fn plot(log: bool) -> Plot {
        Plot {
            file: "t.svg".into(),
            title: "Prove time & more".into(),
            x_label: "nnz".into(),
            y_label: "ms".into(),
            log_x: log,
            log_y: log,
            series: vec![
                Series::line(
                    "ternary-sparse",
                    vec![(256.0, 0.1), (65536.0, 2.0), (1e6, 30.0)],
                ),
                Series {
                    name: "fit".into(),
                    points: vec![(256.0, 0.08), (1e6, 31.0)],
                    style: Style::Dashed,
                },
                Series {
                    name: "points".into(),
                    points: vec![(1000.0, 0.0), (2000.0, 1.0)],
                    style: Style::Markers,
                },
            ],
        }
    }

    #[test]
    fn renders_svg_with_text_and_every_series() {
        for log in [true, false] {
            let svg = render_svg(&plot(log)).unwrap();
            assert!(svg.starts_with("<svg"), "{}", &svg[..80]);
            assert!(svg.trim_end().ends_with("</svg>"));
            assert!(svg.contains("Prove time &amp; more"));
            for name in ["ternary-sparse", "fit", "points", "nnz"] {
                assert!(
                    svg.contains(&format!("\n{name}\n</text>")),
                    "missing {name}"
                );
            }
        }
        // No points at all still draws (an empty frame).
        let empty = Plot {
            series: vec![],
            ..plot(true)
        };
        assert!(render_svg(&empty).unwrap().contains("<svg"));
    }

    #[test]
    fn log_ticks_suit_the_range() {
        let (bold, light) = log_ticks(0.8, 2e6);
        assert_eq!(bold, vec![1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6]);
        assert!(light.contains(&2.0) && light.contains(&2e6) && !light.contains(&3e6));
        let (bold, _) = log_ticks(0.012, 1.3);
        assert_eq!(bold, vec![0.02, 0.05, 0.1, 0.2, 0.5, 1.0]);
        let (bold, light) = log_ticks(1500.0, 9000.0);
        assert_eq!(bold, vec![2000.0, 3000.0, 5000.0]);
        assert_eq!(light, vec![4000.0, 6000.0, 7000.0, 8000.0, 9000.0]);
    }

    #[test]
    fn tick_labels_and_ranges() {
        assert_eq!(tick_label(0.0625), "0.0625");
        assert_eq!(tick_label(250.0), "250");
        assert_eq!(tick_label(4000.0), "4k");
        assert_eq!(tick_label(1_500_000.0), "1.5M");
        assert_eq!(tick_label(0.0), "0");
        let (lo, hi) = axis_range([0.0, 2.0, 8.0].into_iter(), true);
        assert!(lo > 0.0 && lo < 2.0 && hi > 8.0);
        assert_eq!(axis_range(std::iter::empty(), true), (1.0, 10.0));
        let (lo, hi) = axis_range([3.0, 5.0].into_iter(), false);
        assert!((0.0..=3.0).contains(&lo) && hi > 5.0);
        assert_eq!(legend_headroom((1.0, 100.0), true, 0), (1.0, 100.0));
        let (_, top) = legend_headroom((1.0, 100.0), true, 4);
        assert!(top > 100.0 * 2.0);
        let (_, top) = legend_headroom((0.0, 10.0), false, 4);
        assert!(top > 12.0);
    }
}
