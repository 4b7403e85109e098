//! Link templates with placeholders that a ticketing system or the rep
//! console fills in itself (seeds 000–003). The placeholders are written
//! raw, exactly as each product expects them; everything else is encoded.

use crate::client_script::{Console, ScriptPath};
use crate::encode::Query;
use crate::error::{Field, InputError, Problem};
use crate::values::ApplianceHost;

/// Autotask LiveLink placeholder for the ticket id.
pub const AUTOTASK_TICKET_ID: &str = "<TICKETID>";
/// Autotask LiveLink placeholder for the configuration item's device name UDF.
pub const AUTOTASK_DEVICE_UDF: &str = "<UDF-Device Name(ATG_InstalledProduct)>";
/// HaloPSA custom-button placeholder for an asset's inventory number.
pub const HALO_INVENTORY_NUMBER: &str = "${INVENTORY_NUMBER}";
/// Rep-console custom-link macro for the session's external key.
pub const REP_CONSOLE_EXTERNAL_KEY: &str = "%SESSION.CUSTOM.EXTERNAL_KEY%";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// Autotask LiveLink "BeyondTrust Jump To CI".
    AutotaskJump,
    /// Autotask LiveLink "BeyondTrust Session Key".
    AutotaskSessionKey,
    /// HaloPSA Asset custom button: jump to the asset's pinned client.
    HaloAssetJump,
    /// Rep-console custom link back to the Zendesk ticket.
    CustomLinkZendesk,
    CustomLinkSalesforceClassic,
    CustomLinkSalesforceLightning,
    CustomLinkAutotask,
}

impl Template {
    pub const ALL: &'static [Template] = &[
        Template::AutotaskJump,
        Template::AutotaskSessionKey,
        Template::HaloAssetJump,
        Template::CustomLinkZendesk,
        Template::CustomLinkSalesforceClassic,
        Template::CustomLinkSalesforceLightning,
        Template::CustomLinkAutotask,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Template::AutotaskJump => "autotask-jump",
            Template::AutotaskSessionKey => "autotask-session-key",
            Template::HaloAssetJump => "halo-asset-jump",
            Template::CustomLinkZendesk => "custom-link-zendesk",
            Template::CustomLinkSalesforceClassic => "custom-link-salesforce-classic",
            Template::CustomLinkSalesforceLightning => "custom-link-salesforce-lightning",
            Template::CustomLinkAutotask => "custom-link-autotask",
        }
    }

    /// What `--host` names for this template.
    pub fn host_meaning(self) -> &'static str {
        match self {
            Template::AutotaskJump | Template::AutotaskSessionKey | Template::HaloAssetJump => {
                "the BeyondTrust appliance"
            }
            Template::CustomLinkZendesk => "the Zendesk instance (e.g. example.zendesk.com)",
            Template::CustomLinkSalesforceClassic | Template::CustomLinkSalesforceLightning => {
                "the Salesforce instance"
            }
            Template::CustomLinkAutotask => {
                "the Autotask web host (or give --instance N for www.N.autotask.net)"
            }
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|t| t.name() == name)
    }

    /// Renders the template. `instance` is the Autotask instance number
    /// (`www.N.autotask.net`), used only by `custom-link-autotask`.
    pub fn render(self, host: &ApplianceHost, instance: Option<u32>) -> Result<String, InputError> {
        let script = |path: ScriptPath, action: &str| {
            let (kind, operation) = Console::Desktop.type_and_operation();
            let mut q = Query::new();
            q.push("type", kind)
                .push("operation", operation)
                .push("action", action);
            (format!("{}{}", host.base_url(), path.as_str()), q)
        };
        Ok(match self {
            Template::AutotaskJump => {
                // The Autotask guide's LiveLinks use the legacy `.ns` path.
                let (base, mut q) =
                    script(ScriptPath::ClientScriptNs, "start_pinned_client_session");
                q.push_raw("search_string", AUTOTASK_DEVICE_UDF)
                    .push_raw("session.custom.external_key", AUTOTASK_TICKET_ID);
                format!("{base}{}", q.as_str())
            }
            Template::AutotaskSessionKey => {
                let (base, mut q) = script(ScriptPath::ClientScriptNs, "generate_session_key");
                q.push_raw("session.custom.external_key", AUTOTASK_TICKET_ID);
                format!("{base}{}", q.as_str())
            }
            Template::HaloAssetJump => {
                let (base, mut q) = script(ScriptPath::ClientScript, "start_pinned_client_session");
                q.push_raw("search_string", HALO_INVENTORY_NUMBER);
                format!("{base}{}", q.as_str())
            }
            Template::CustomLinkZendesk => format!(
                "{}/agent/tickets/{REP_CONSOLE_EXTERNAL_KEY}",
                host.base_url()
            ),
            Template::CustomLinkSalesforceClassic => {
                format!("{}/{REP_CONSOLE_EXTERNAL_KEY}", host.base_url())
            }
            Template::CustomLinkSalesforceLightning => {
                format!(
                    "{}/lightning/r/Case/{REP_CONSOLE_EXTERNAL_KEY}/view",
                    host.base_url()
                )
            }
            Template::CustomLinkAutotask => {
                let web = match instance {
                    Some(0) => {
                        return Err(InputError::new(
                            Field::Hostname,
                            Problem::OutOfRange {
                                min: 1,
                                max: u32::MAX as u64,
                            },
                        ))
                    }
                    Some(n) => format!("https://www.{n}.autotask.net"),
                    None => host.base_url(),
                };
                format!("{web}/Autotask/Views/ServiceDesk/ServiceDeskTicket/service_ticket.aspx?ticketID={REP_CONSOLE_EXTERNAL_KEY}")
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host() -> ApplianceHost {
        ApplianceHost::parse("support.example.com").unwrap()
    }

    #[test]
    fn seed_templates_are_reproduced() {
        let cases = [
            (Template::AutotaskJump, "https://support.example.com/api/client_script.ns?type=rep&operation=generate&action=start_pinned_client_session&search_string=<UDF-Device Name(ATG_InstalledProduct)>&session.custom.external_key=<TICKETID>"),
            (Template::AutotaskSessionKey, "https://support.example.com/api/client_script.ns?type=rep&operation=generate&action=generate_session_key&session.custom.external_key=<TICKETID>"),
            (Template::HaloAssetJump, "https://support.example.com/api/client_script?type=rep&operation=generate&action=start_pinned_client_session&search_string=${INVENTORY_NUMBER}"),
            (Template::CustomLinkZendesk, "https://support.example.com/agent/tickets/%SESSION.CUSTOM.EXTERNAL_KEY%"),
            (Template::CustomLinkSalesforceClassic, "https://support.example.com/%SESSION.CUSTOM.EXTERNAL_KEY%"),
            (Template::CustomLinkSalesforceLightning, "https://support.example.com/lightning/r/Case/%SESSION.CUSTOM.EXTERNAL_KEY%/view"),
        ];
        for (t, expected) in cases {
            assert_eq!(t.render(&host(), None).unwrap(), expected, "{}", t.name());
            assert_eq!(Template::parse(t.name()), Some(t));
        }
        assert_eq!(
            Template::CustomLinkAutotask.render(&host(), Some(5)).unwrap(),
            "https://www.5.autotask.net/Autotask/Views/ServiceDesk/ServiceDeskTicket/service_ticket.aspx?ticketID=%SESSION.CUSTOM.EXTERNAL_KEY%"
        );
    }
}
