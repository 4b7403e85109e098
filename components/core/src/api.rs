//! The appliance's server-side API paths (docs/appliance-api.md §2, §3, §5),
//! joined to the appliance's base URL by the broker. Named here so that the
//! only code that knows the appliance's URLs is this crate.

/// OAuth 2.0 client-credentials token endpoint.
pub const OAUTH_TOKEN_PATH: &str = "/oauth2/token";
/// Command API (session keys, logged-in reps, teams).
pub const COMMAND_PATH: &str = "/api/command";
/// Reporting API (session reports, listings, exit surveys).
pub const REPORTING_PATH: &str = "/api/reporting";
