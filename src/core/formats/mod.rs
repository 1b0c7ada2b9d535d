//! One module per format family.

pub mod django;
pub mod itsdangerous;
