//! `/api/start_session` links (docs/appliance-api.md §4): the customer's side.
//! Public, no auth; with `c2cjs=1` the session starts as click-to-chat in the
//! browser instead of downloading the customer client.

use crate::encode::Query;
use crate::values::{
    ApplianceHost, CustomerCompany, CustomerCompanyCode, CustomerDetails, CustomerName,
    ExternalKey, IssueCode, Locale, SessionKeyText,
};

/// Which queue the customer lands in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Issue submission by code name: `issue_menu=1&codeName=CODE`.
    IssueCode(IssueCode),
    /// Issue submission by id: `issue_menu=1&id=N`.
    IssueId(u64),
    /// A representative's queue: `id=N`.
    RepId(u64),
    /// A session key a rep handed out: `short_key=KEY`.
    SessionKey(SessionKeyText),
}

/// Customer fields shown to the representative.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Customer {
    pub name: Option<CustomerName>,
    pub company: Option<CustomerCompany>,
    pub company_code: Option<CustomerCompanyCode>,
    pub details: Option<CustomerDetails>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartSession {
    pub host: ApplianceHost,
    pub route: Route,
    /// `c2cjs=1`; on by default (the help-center flow).
    pub click_to_chat: bool,
    pub customer: Customer,
    pub external_key: Option<ExternalKey>,
    pub locale: Option<Locale>,
}

impl StartSession {
    pub fn new(host: ApplianceHost, route: Route) -> Self {
        Self {
            host,
            route,
            click_to_chat: true,
            customer: Customer::default(),
            external_key: None,
            locale: None,
        }
    }

    /// All query parameters, decoded, in link order.
    pub fn params(&self) -> Vec<(String, String)> {
        let mut p: Vec<(&str, String)> = Vec::new();
        match &self.route {
            Route::IssueCode(code) => {
                p.push(("issue_menu", "1".into()));
                p.push(("codeName", code.to_string()));
            }
            Route::IssueId(id) => {
                p.push(("issue_menu", "1".into()));
                p.push(("id", id.to_string()));
            }
            Route::RepId(id) => p.push(("id", id.to_string())),
            Route::SessionKey(key) => p.push(("short_key", key.to_string())),
        }
        if self.click_to_chat {
            p.push(("c2cjs", "1".into()));
        }
        let c = &self.customer;
        let fields: [(&str, Option<&str>); 4] = [
            ("customer.name", c.name.as_ref().map(|v| v.as_str())),
            ("customer.company", c.company.as_ref().map(|v| v.as_str())),
            (
                "customer.company_code",
                c.company_code.as_ref().map(|v| v.as_str()),
            ),
            ("customer.details", c.details.as_ref().map(|v| v.as_str())),
        ];
        p.extend(
            fields
                .into_iter()
                .filter_map(|(k, v)| Some((k, v?.to_owned()))),
        );
        if let Some(locale) = &self.locale {
            p.push(("locale", locale.as_str().to_owned()));
        }
        if let Some(key) = &self.external_key {
            p.push(("session.custom.external_key", key.to_string()));
        }
        p.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
    }

    /// The link, RFC 3986-encoded.
    pub fn to_url(&self) -> String {
        let mut q = Query::new();
        for (k, v) in self.params() {
            q.push(&k, &v);
        }
        format!("{}/api/start_session{}", self.host.base_url(), q.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn official_example() {
        let mut s = StartSession::new(
            ApplianceHost::parse("support.example.com").unwrap(),
            Route::IssueId(1),
        );
        s.click_to_chat = false;
        s.customer = Customer {
            name: Some(CustomerName::parse("John Doe").unwrap()),
            company: Some(CustomerCompany::parse("Company Name").unwrap()),
            company_code: Some(CustomerCompanyCode::parse("1234").unwrap()),
            details: Some(CustomerDetails::parse("I need support").unwrap()),
        };
        s.external_key = Some(ExternalKey::parse("1234").unwrap());
        let official = "https://support.example.com/api/start_session?issue_menu=1&customer.name=John%20Doe&customer.company=Company%20Name&customer.company_code=1234&customer.details=I%20need%20support&id=1&session.custom.external_key=1234";
        let q = |u: &str| {
            url::Url::parse(u)
                .unwrap()
                .query_pairs()
                .into_owned()
                .collect::<BTreeMap<_, _>>()
        };
        assert_eq!(q(&s.to_url()), q(official));
        assert!(s.to_url().contains("customer.name=John%20Doe"));
    }

    #[test]
    fn click_to_chat_by_issue_code() {
        let mut s = StartSession::new(
            ApplianceHost::parse("support.example.com").unwrap(),
            Route::IssueCode(IssueCode::parse("general_tech").unwrap()),
        );
        s.locale = Some(Locale::parse("de-DE").unwrap());
        assert_eq!(s.to_url(), "https://support.example.com/api/start_session?issue_menu=1&codeName=general_tech&c2cjs=1&locale=de-de");
    }
}
