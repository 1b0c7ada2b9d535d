//! One module per format family.

pub mod cookie_rs;
pub mod django;
pub mod express;
pub mod itsdangerous;
pub mod jwt;
pub mod keygrip;
pub mod laravel;
pub mod marshal;
pub mod rails;
