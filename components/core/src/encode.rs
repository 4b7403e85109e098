//! RFC 3986 query encoding: everything but the unreserved characters is
//! percent-encoded, so a space is `%20` (never `+`) and no value can add,
//! end or change a parameter.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// RFC 3986 §2.3 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~".
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one query name or value.
pub fn component(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

/// A query string under construction: `?a=1&b=2`.
#[derive(Debug, Default, Clone)]
pub struct Query(String);

impl Query {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `name=value`, both encoded.
    pub fn push(&mut self, name: &str, value: &str) -> &mut Self {
        self.push_raw(name, &component(value))
    }

    /// Appends `name=value` with `value` as given: only for host placeholders
    /// such as `<TICKETID>` that the ticketing system substitutes itself.
    pub fn push_raw(&mut self, name: &str, raw_value: &str) -> &mut Self {
        self.0.push(if self.0.is_empty() { '?' } else { '&' });
        self.0.push_str(&component(name));
        self.0.push('=');
        self.0.push_str(raw_value);
        self
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_are_percent_20_and_delimiters_are_encoded() {
        assert_eq!(component("John Doe"), "John%20Doe");
        assert_eq!(
            component("a&b=c#d%e+f/g?h"),
            "a%26b%3Dc%23d%25e%2Bf%2Fg%3Fh"
        );
        assert_eq!(component("Zoë"), "Zo%C3%AB");
        assert_eq!(component("a-b.c_d~e"), "a-b.c_d~e");
        let mut q = Query::new();
        q.push("session.custom.external_key", "1 2");
        assert_eq!(q.as_str(), "?session.custom.external_key=1%202");
    }
}
