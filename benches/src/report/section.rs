//! The report's building block: a [`Section`] is a title, markdown text, tables,
//! plots and the commands that reproduce its numbers. Every part of the suite
//! (and the MLP proof work, later) produces sections; [`super::markdown`] renders
//! them and [`super::plot`] draws their plots.

use serde::Serialize;
use std::collections::BTreeMap;

/// One section of the report.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Section {
    /// Heading (rendered as `## title`).
    pub title: String,
    /// Markdown paragraphs shown under the heading, before the tables.
    pub text: String,
    /// Tables, in order.
    pub tables: Vec<Table>,
    /// Plots, each written as an SVG file beside the README and linked from it.
    pub plots: Vec<Plot>,
    /// Commands that reproduce the section's numbers, each with what it produces.
    pub commands: Vec<Repro>,
    /// Headline numbers for scripts (`--json`), keyed by a stable snake_case name.
    pub metrics: BTreeMap<String, f64>,
}

/// A table: a header row and rows of already formatted cells.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Table {
    /// Optional line shown in bold above the table.
    pub caption: Option<String>,
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows; each should have `headers.len()` cells (short rows are padded).
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with the given headers and no rows yet. Cost: O(columns).
    pub fn new(headers: &[&str]) -> Self {
        Table {
            caption: None,
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row. Cost: O(cells).
    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }
}

/// A command that reproduces some of a section's numbers.
#[derive(Clone, Debug, Serialize)]
pub struct Repro {
    /// Which numbers it produces (e.g. "density 1/16, all but dense-gkr").
    pub what: String,
    /// The shell command.
    pub command: String,
}

/// A 2-D plot of one or more series of points.
#[derive(Clone, Debug, Serialize)]
pub struct Plot {
    /// File name of the SVG, relative to the report directory (e.g. `density.svg`).
    pub file: String,
    /// Caption drawn above the plot and used as the image's alt text.
    pub title: String,
    /// Label of the x axis.
    pub x_label: String,
    /// Label of the y axis.
    pub y_label: String,
    /// Logarithmic x axis.
    pub log_x: bool,
    /// Logarithmic y axis.
    pub log_y: bool,
    /// The series, drawn in order with a fixed colour cycle.
    pub series: Vec<Series>,
}

/// How a series is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Style {
    /// Points joined by a line, with markers.
    LineMarkers,
    /// Markers only.
    Markers,
    /// A dashed line without markers (fits, reference lines).
    Dashed,
}

/// One named series of `(x, y)` points.
#[derive(Clone, Debug, Serialize)]
pub struct Series {
    /// Legend entry.
    pub name: String,
    /// The points, in x order for lines.
    pub points: Vec<(f64, f64)>,
    /// How to draw them.
    pub style: Style,
}

impl Series {
    /// A series drawn as a line with markers. Cost: O(1).
    pub fn line(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Series {
            name: name.into(),
            points,
            style: Style::LineMarkers,
        }
    }
}
