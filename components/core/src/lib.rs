//! `bt-core`: the BeyondTrust Remote Support appliance's language, in pure Rust.
//!
//! Everything that writes a link to the appliance or reads its answers lives
//! here, so no widget, page, template or broker handler builds a URL by hand:
//!
//! - [`api`]: the server-side API paths (OAuth, Command, Reporting).
//! - [`values`]: validated inputs with the appliance's limits.
//! - [`client_script`]: `/api/client_script` links that drive the rep console.
//! - [`start_session`]: `/api/start_session` links for customers (click-to-chat).
//! - [`templates`]: host placeholder links (Autotask LiveLinks, Halo buttons,
//!   rep-console custom links).
//! - [`settings`]: the admin settings every host shares (Zendesk's names).
//! - [`xml`]: Command/Reporting API responses (feature `xml`).
//! - [`report`]: the session and exit-survey reports the write-back renders
//!   into tickets (feature `xml`).
//! - [`wire`]: the broker's JSON contract.

pub mod api;
pub mod client_script;
pub mod encode;
pub mod error;
#[cfg(feature = "xml")]
pub mod report;
pub mod settings;
pub mod start_session;
pub mod templates;
pub mod values;
pub mod wire;
#[cfg(feature = "xml")]
pub mod xml;

pub use error::{Field, InputError, Problem, Unit};
