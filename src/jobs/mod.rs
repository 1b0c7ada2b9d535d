//! Long-running work with I/O that the command line and the window share: it reads files and
//! uses every core, so it lives outside the pure [`crate::core`], and it reports progress and
//! can be cancelled, so the window runs it off the UI thread.

pub mod audit;
pub mod rotate;
