//! Caller identity (`sub`) → BeyondTrust representative username
//! (`BT_REP_MAPPING`).

use bt_core::values::Username;
use std::collections::HashMap;

/// How a caller's `sub` becomes the `rep_username:NAME` queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepMapping {
    /// `alice@example.com` → `alice` (a `sub` without `@` is used as is).
    EmailLocalPart,
    /// `sub` is the username.
    AsIs,
    /// A TOML table identity → username, read from `file:PATH`. Keys are
    /// matched exactly first, then case-insensitively (emails are).
    Table {
        path: String,
        entries: HashMap<String, String>,
    },
}

impl RepMapping {
    /// `email-local-part`, `as-is` or `file:PATH`.
    pub fn parse(spec: &str) -> Result<Self, String> {
        match spec.trim() {
            "" | "email-local-part" => Ok(Self::EmailLocalPart),
            "as-is" => Ok(Self::AsIs),
            other => match other.strip_prefix("file:") {
                Some(path) => {
                    let text = std::fs::read_to_string(path)
                        .map_err(|e| format!("cannot read mapping file {path}: {e}"))?;
                    Self::from_toml(path, &text)
                }
                None => Err(format!(
                    "'{other}' is not one of: email-local-part, as-is, file:PATH"
                )),
            },
        }
    }

    /// A table `"identity" = "username"` at the top level or under `[reps]`.
    pub fn from_toml(path: &str, text: &str) -> Result<Self, String> {
        let table: toml::Table = text
            .parse()
            .map_err(|e| format!("mapping file {path} is not valid TOML: {e}"))?;
        let table = match table.get("reps") {
            Some(toml::Value::Table(t)) => t.clone(),
            _ => table,
        };
        let mut entries = HashMap::new();
        for (identity, username) in table {
            let username = username.as_str().ok_or_else(|| {
                format!("mapping file {path}: the value for '{identity}' must be a username string")
            })?;
            let username = Username::parse(username)
                .map_err(|e| format!("mapping file {path}: '{identity}': {e}"))?;
            entries.insert(identity, username.as_str().to_owned());
        }
        Ok(Self::Table {
            path: path.to_owned(),
            entries,
        })
    }

    /// The representative username for `sub`, or `None` when unmapped.
    pub fn username_for(&self, sub: &str) -> Option<String> {
        let sub = sub.trim();
        let name = match self {
            Self::AsIs => sub.to_owned(),
            Self::EmailLocalPart => match sub.rsplit_once('@') {
                Some((local, _)) => local.to_owned(),
                None => sub.to_owned(),
            },
            Self::Table { entries, .. } => match entries.get(sub) {
                Some(u) => u.clone(),
                None => entries
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(sub))
                    .map(|(_, u)| u.clone())?,
            },
        };
        Username::parse(&name).ok().map(|u| u.as_str().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_local_part_and_as_is() {
        assert_eq!(
            RepMapping::EmailLocalPart
                .username_for("alice@example.com")
                .as_deref(),
            Some("alice")
        );
        assert_eq!(
            RepMapping::EmailLocalPart.username_for("bob").as_deref(),
            Some("bob")
        );
        assert_eq!(
            RepMapping::EmailLocalPart.username_for("@example.com"),
            None
        );
        assert_eq!(
            RepMapping::AsIs
                .username_for("alice@example.com")
                .as_deref(),
            Some("alice@example.com")
        );
        assert_eq!(RepMapping::parse("as-is").unwrap(), RepMapping::AsIs);
        assert!(RepMapping::parse("ldap")
            .unwrap_err()
            .contains("email-local-part"));
    }

    #[test]
    fn table_matches_exactly_then_case_insensitively() {
        let m = RepMapping::from_toml(
            "m.toml",
            "[reps]\n\"Alice@Example.com\" = \"asmith\"\n\"bob@example.com\" = \"bjones\"\n",
        )
        .unwrap();
        assert_eq!(
            m.username_for("Alice@Example.com").as_deref(),
            Some("asmith")
        );
        assert_eq!(
            m.username_for("alice@example.com").as_deref(),
            Some("asmith")
        );
        assert_eq!(m.username_for("carol@example.com"), None);
        let flat = RepMapping::from_toml("m.toml", "\"x@y\" = \"xy\"").unwrap();
        assert_eq!(flat.username_for("x@y").as_deref(), Some("xy"));
        assert!(RepMapping::from_toml("m.toml", "a = 1")
            .unwrap_err()
            .contains("'a'"));
    }

    #[test]
    fn file_mapping_is_read_from_disk() {
        let path = std::env::temp_dir().join(format!("bt-map-{}.toml", std::process::id()));
        std::fs::write(&path, "\"carol@example.com\" = \"carol\"\n").unwrap();
        let m = RepMapping::parse(&format!("file:{}", path.display())).unwrap();
        assert_eq!(
            m.username_for("carol@example.com").as_deref(),
            Some("carol")
        );
        std::fs::remove_file(path).ok();
        assert!(RepMapping::parse("file:/nonexistent/map.toml")
            .unwrap_err()
            .contains("cannot read"));
    }
}
