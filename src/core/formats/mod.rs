//! One module per format family.

pub mod django;
pub mod express;
pub mod itsdangerous;
pub mod jwt;
pub mod keygrip;
