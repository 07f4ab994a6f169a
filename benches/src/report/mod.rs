//! `ternzk report`: a benchmark suite written out as a markdown report with SVG
//! plots, every number next to the command that produced it.
//!
//! - [`section`] is the generic section type and [`markdown`] renders it;
//! - [`fit`] fits power laws.

pub mod fit;
pub mod markdown;
pub mod section;
