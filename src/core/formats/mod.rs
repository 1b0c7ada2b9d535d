//! One module per format family.

pub mod itsdangerous;
