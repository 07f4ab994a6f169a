//! `ternzk report`: a benchmark suite written out as a markdown report with SVG
//! plots, every number next to the command that produced it.
//!
//! - [`section`] is the generic section type and [`markdown`] renders it;
//! - [`measure`] runs one `ternzk bench matvec` configuration, [`command`] spells
//!   out its command line, [`fit`] fits power laws, [`machine`] describes the host.

pub mod command;
pub mod fit;
pub mod machine;
pub mod markdown;
pub mod measure;
pub mod section;
