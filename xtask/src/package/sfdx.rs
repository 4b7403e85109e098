//! The SFDX metadata the Salesforce package ships, held to the rules a deploy
//! relies on, before anything is written: every file parses; a custom
//! field's name is its file's; lengths are inside Salesforce's limits; the
//! `BeyondTrust_Session__c` object has the fields the broker's Salesforce
//! sink writes, with the types it writes them as (`LSID__c` a unique external
//! id, so an upsert can never make a second record; `Case__c` a lookup to
//! Case); and layouts, list views, tabs and permission sets name only fields,
//! objects and tabs that exist. A deploy would fail, or quietly show nothing,
//! on each of these; the package refuses them instead.

use std::collections::{BTreeMap, BTreeSet};

/// Where SFDX source format keeps the metadata this check reads.
const DEFAULT: &str = "force-app/main/default/";

/// The session object and its fields: the broker writes exactly these.
pub const SESSION_OBJECT: &str = "BeyondTrust_Session__c";
const SESSION_FIELDS: &[(&str, &str)] = &[
    ("LSID__c", "Text"),
    ("Case__c", "Lookup"),
    ("Start_Time__c", "DateTime"),
    ("End_Time__c", "DateTime"),
    ("Duration_Seconds__c", "Number"),
    ("Primary_Rep__c", "Text"),
    ("Primary_Customer__c", "Text"),
    ("Chat_URL__c", "Url"),
    ("Recording_URL__c", "Url"),
    ("Session_Report__c", "LongTextArea"),
    ("Chat_Transcript__c", "LongTextArea"),
    ("Customer_Survey__c", "LongTextArea"),
    ("Rep_Survey__c", "LongTextArea"),
];
/// The Case's "BeyondTrust Sessions" related list: newest first, these columns.
const RELATED_LIST: &str = "BeyondTrust_Session__c.Case__c";
const RELATED_COLUMNS: &[&str] = &[
    "Start_Time__c",
    "Primary_Rep__c",
    "Primary_Customer__c",
    "Duration_Seconds__c",
    "Chat_URL__c",
    "Recording_URL__c",
];

/// Standard fields a layout of any custom object may place.
const CUSTOM_OBJECT_STANDARD_FIELDS: &[&str] = &[
    "Name",
    "OwnerId",
    "CreatedById",
    "LastModifiedById",
    "RecordTypeId",
];
/// Standard Case fields the shipped Case layout may place.
const CASE_STANDARD_FIELDS: &[&str] = &[
    "CaseNumber",
    "OwnerId",
    "ContactId",
    "AccountId",
    "Status",
    "Priority",
    "Origin",
    "Subject",
    "Description",
    "Type",
    "Reason",
    "ParentId",
    "SuppliedEmail",
    "SuppliedName",
    "SuppliedPhone",
    "CreatedById",
    "LastModifiedById",
    "ClosedDate",
    "IsEscalated",
];
/// Salesforce's limits on custom field sizes.
const TEXT_MAX: u32 = 255;
const LONG_TEXT_MIN: u32 = 256;
const LONG_TEXT_MAX: u32 = 131_072;
const NUMBER_PRECISION_MAX: u32 = 18;

/// A custom field as the checks need it.
#[derive(Debug, Default)]
struct Field {
    kind: String,
    required: bool,
    reference_to: Option<String>,
    unique_external_id: bool,
}

/// Problems in the project's metadata, each naming its file; empty when the
/// metadata holds to the rules in the module docs. `files` maps a path in the
/// SFDX project to its content.
pub fn metadata_problems(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut docs: BTreeMap<&str, String> = BTreeMap::new();
    for (path, data) in files {
        if !path.starts_with(DEFAULT) || !path.ends_with("-meta.xml") {
            continue;
        }
        let text = match std::str::from_utf8(data) {
            Ok(text) => text.to_owned(),
            Err(_) => {
                problems.push(format!("{path}: not UTF-8"));
                continue;
            }
        };
        match roxmltree::Document::parse(&text) {
            Ok(_) => {
                docs.insert(path.as_str(), text);
            }
            Err(e) => problems.push(format!("{path}: not well-formed XML ({e})")),
        }
    }

    let objects = objects(&docs, &mut problems);
    check_session_object(&objects, &mut problems);
    let tabs: BTreeSet<String> = docs
        .keys()
        .filter_map(|p| p.strip_prefix(&format!("{DEFAULT}tabs/")))
        .filter_map(|p| p.strip_suffix(".tab-meta.xml"))
        .map(str::to_owned)
        .collect();

    for (path, text) in &docs {
        let doc = roxmltree::Document::parse(text).expect("parsed above");
        let root = doc.root_element();
        let rel = &path[DEFAULT.len()..];
        if let Some(name) = rel
            .strip_prefix("layouts/")
            .and_then(|n| n.strip_suffix(".layout-meta.xml"))
        {
            check_layout(path, name, root, &objects, &mut problems);
        } else if rel.starts_with("permissionsets/") {
            check_permission_set(path, root, &objects, &tabs, &mut problems);
        } else if rel.starts_with("tabs/")
            && child_text(root, "customObject").as_deref() == Some("true")
        {
            let object = rel
                .trim_start_matches("tabs/")
                .trim_end_matches(".tab-meta.xml");
            if !objects.contains_key(object) {
                problems.push(format!(
                    "{path}: a tab for object {object}, which the project does not define"
                ));
            }
        } else if let Some(rest) = rel.strip_prefix("objects/") {
            if let Some((object, view)) = rest.split_once("/listViews/") {
                for column in children_text(root, "columns") {
                    if column != "NAME" && !has_field(&objects, object, &column) {
                        problems.push(format!(
                            "{path}: list view {view} shows {column}, which {object} does not have"
                        ));
                    }
                }
            }
        }
    }
    problems
}

/// Each shipped object's custom fields, from `objects/OBJ/fields/*.field-meta.xml`.
fn objects(
    docs: &BTreeMap<&str, String>,
    problems: &mut Vec<String>,
) -> BTreeMap<String, BTreeMap<String, Field>> {
    let mut objects: BTreeMap<String, BTreeMap<String, Field>> = BTreeMap::new();
    for (path, text) in docs {
        let Some(rest) = path.strip_prefix(&format!("{DEFAULT}objects/")) else {
            continue;
        };
        let doc = roxmltree::Document::parse(text).expect("parsed above");
        let root = doc.root_element();
        if let Some((object, file)) = rest.split_once("/fields/") {
            let name = file.trim_end_matches(".field-meta.xml");
            match child_text(root, "fullName") {
                Some(full) if full == name => {}
                other => problems.push(format!(
                    "{path}: fullName is {other:?}, the file name says {name}"
                )),
            }
            let field = Field {
                kind: child_text(root, "type").unwrap_or_default(),
                required: child_text(root, "required").as_deref() == Some("true"),
                reference_to: child_text(root, "referenceTo"),
                unique_external_id: child_text(root, "externalId").as_deref() == Some("true")
                    && child_text(root, "unique").as_deref() == Some("true"),
            };
            check_size(path, root, &field.kind, problems);
            objects
                .entry(object.to_owned())
                .or_default()
                .insert(name.to_owned(), field);
        } else if rest.ends_with(".object-meta.xml") {
            let object = rest.split('/').next().unwrap_or_default();
            objects.entry(object.to_owned()).or_default();
        }
    }
    objects
}

fn check_size(path: &str, field: roxmltree::Node, kind: &str, problems: &mut Vec<String>) {
    let number = |name: &str| child_text(field, name).and_then(|v| v.parse::<u32>().ok());
    match kind {
        "Text" => match number("length") {
            Some(n) if (1..=TEXT_MAX).contains(&n) => {}
            n => problems.push(format!("{path}: a Text field needs a length of 1 to {TEXT_MAX} (has {n:?})")),
        },
        "LongTextArea" | "Html" => match number("length") {
            Some(n) if (LONG_TEXT_MIN..=LONG_TEXT_MAX).contains(&n) => {}
            n => problems.push(format!(
                "{path}: a {kind} field needs a length of {LONG_TEXT_MIN} to {LONG_TEXT_MAX} (has {n:?})"
            )),
        },
        "Number" => match (number("precision"), number("scale")) {
            (Some(p), Some(s)) if p <= NUMBER_PRECISION_MAX && s <= p => {}
            (p, s) => problems.push(format!(
                "{path}: a Number field needs precision ≤ {NUMBER_PRECISION_MAX} and scale ≤ precision (has {p:?}, {s:?})"
            )),
        },
        "" => problems.push(format!("{path}: no <type>")),
        _ => {}
    }
}

fn check_session_object(
    objects: &BTreeMap<String, BTreeMap<String, Field>>,
    problems: &mut Vec<String>,
) {
    let Some(fields) = objects.get(SESSION_OBJECT) else {
        problems.push(format!(
            "{DEFAULT}objects/{SESSION_OBJECT}: missing (the write-back's records)"
        ));
        return;
    };
    for (name, kind) in SESSION_FIELDS {
        match fields.get(*name) {
            None => problems.push(format!("{SESSION_OBJECT}.{name}: missing (the broker writes it)")),
            Some(field) if field.kind != *kind => problems.push(format!(
                "{SESSION_OBJECT}.{name}: type {} (the broker writes a {kind})",
                field.kind
            )),
            Some(field) if field.required => problems.push(format!(
                "{SESSION_OBJECT}.{name}: required (a survey written before its session would be refused)"
            )),
            Some(_) => {}
        }
    }
    if fields.get("LSID__c").is_some_and(|f| !f.unique_external_id) {
        problems.push(format!(
            "{SESSION_OBJECT}.LSID__c: must be a unique external id (the upsert key: else a repeat makes a second record)"
        ));
    }
    if let Some(case) = fields.get("Case__c") {
        if case.reference_to.as_deref() != Some("Case") {
            problems.push(format!(
                "{SESSION_OBJECT}.Case__c: must look up Case (has {:?})",
                case.reference_to
            ));
        }
    }
}

fn check_layout(
    path: &str,
    name: &str,
    layout: roxmltree::Node,
    objects: &BTreeMap<String, BTreeMap<String, Field>>,
    problems: &mut Vec<String>,
) {
    let object = name.split_once('-').map(|(o, _)| o).unwrap_or(name);
    let standard: &[&str] = if object == "Case" {
        CASE_STANDARD_FIELDS
    } else {
        CUSTOM_OBJECT_STANDARD_FIELDS
    };
    for item in layout
        .descendants()
        .filter(|n| n.has_tag_name("layoutItems"))
    {
        if let Some(field) = child_text(item, "field") {
            if !standard.contains(&field.as_str()) && !has_field(objects, object, &field) {
                problems.push(format!(
                    "{path}: places {field}, which {object} does not have"
                ));
            }
        }
    }
    for list in layout.children().filter(|n| n.has_tag_name("relatedLists")) {
        let Some(related) = child_text(list, "relatedList") else {
            continue;
        };
        let Some((child, lookup)) = related.split_once('.') else {
            continue;
        };
        if !child.ends_with("__c") {
            continue; // a standard related list: Salesforce's own
        }
        match objects.get(child).and_then(|f| f.get(lookup)) {
            Some(f) if f.reference_to.as_deref() == Some(object) => {}
            _ => problems.push(format!(
                "{path}: related list {related} is not a lookup from {child} to {object}"
            )),
        }
        let columns = children_text(list, "fields");
        for column in &columns {
            if column != "NAME" && !has_field(objects, child, column) {
                problems.push(format!(
                    "{path}: related list {related} shows {column}, which {child} does not have"
                ));
            }
        }
        if let Some(sort) = child_text(list, "sortField") {
            if !has_field(objects, child, &sort) {
                problems.push(format!(
                    "{path}: related list {related} sorts by {sort}, which {child} does not have"
                ));
            }
        }
        if related == RELATED_LIST {
            for wanted in RELATED_COLUMNS {
                if !columns.iter().any(|c| c == wanted) {
                    problems.push(format!(
                        "{path}: the BeyondTrust Sessions list must show {wanted}"
                    ));
                }
            }
            if child_text(list, "sortField").as_deref() != Some("Start_Time__c")
                || child_text(list, "sortOrder").as_deref() != Some("Desc")
            {
                problems.push(format!("{path}: the BeyondTrust Sessions list must be newest first (Start_Time__c, Desc)"));
            }
        }
    }
}

fn check_permission_set(
    path: &str,
    set: roxmltree::Node,
    objects: &BTreeMap<String, BTreeMap<String, Field>>,
    tabs: &BTreeSet<String>,
    problems: &mut Vec<String>,
) {
    for permission in set
        .children()
        .filter(|n| n.has_tag_name("fieldPermissions"))
    {
        let Some(qualified) = child_text(permission, "field") else {
            continue;
        };
        let Some((object, field)) = qualified.split_once('.') else {
            continue;
        };
        if !object.ends_with("__c") && !object.ends_with("__mdt") {
            continue;
        }
        match objects.get(object).and_then(|f| f.get(field)) {
            None => problems.push(format!(
                "{path}: grants {qualified}, which the project does not define"
            )),
            // Salesforce refuses field permissions on required fields.
            Some(f) if f.required => {
                problems.push(format!("{path}: grants {qualified}, a required field"))
            }
            Some(_) => {}
        }
    }
    for permission in set
        .children()
        .filter(|n| n.has_tag_name("objectPermissions"))
    {
        if let Some(object) = child_text(permission, "object") {
            if object.ends_with("__c") && !objects.contains_key(&object) {
                problems.push(format!(
                    "{path}: grants object {object}, which the project does not define"
                ));
            }
        }
    }
    for setting in set.children().filter(|n| n.has_tag_name("tabSettings")) {
        if let Some(tab) = child_text(setting, "tab") {
            if tab.ends_with("__c") && !tabs.contains(&tab) {
                problems.push(format!(
                    "{path}: shows tab {tab}, which the project does not define"
                ));
            }
        }
    }
}

fn has_field(
    objects: &BTreeMap<String, BTreeMap<String, Field>>,
    object: &str,
    field: &str,
) -> bool {
    objects.get(object).is_some_and(|f| f.contains_key(field))
}

fn child_text(node: roxmltree::Node, name: &str) -> Option<String> {
    node.children()
        .find(|n| n.has_tag_name(name))
        .and_then(|n| n.text())
        .map(|t| t.trim().to_owned())
}

fn children_text(node: roxmltree::Node, name: &str) -> Vec<String> {
    node.children()
        .filter(|n| n.has_tag_name(name))
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::package::testkit::repo;
    use crate::package::walk;

    /// The SFDX project as the package ships it.
    fn shipped() -> BTreeMap<String, Vec<u8>> {
        walk(&repo().join("salesforce-lwc-wrapper"))
            .unwrap()
            .into_iter()
            .filter(|(rel, _)| rel.starts_with(DEFAULT))
            .map(|(rel, path)| (rel, std::fs::read(path).unwrap()))
            .collect()
    }

    fn edit(files: &mut BTreeMap<String, Vec<u8>>, rel: &str, from: &str, to: &str) {
        let path = format!("{DEFAULT}{rel}");
        let text = String::from_utf8(files[&path].clone()).unwrap();
        assert!(text.contains(from), "{rel} no longer contains {from:?}");
        files.insert(path, text.replacen(from, to, 1).into_bytes());
    }

    fn problems_after(rel: &str, from: &str, to: &str) -> String {
        let mut files = shipped();
        edit(&mut files, rel, from, to);
        metadata_problems(&files).join("\n")
    }

    #[test]
    fn the_shipped_metadata_holds_to_every_rule() {
        let files = shipped();
        assert_eq!(metadata_problems(&files), Vec::<String>::new());
    }

    #[test]
    fn the_session_object_has_every_field_the_sink_writes() {
        let files = shipped();
        for (name, _) in SESSION_FIELDS {
            let path = format!("{DEFAULT}objects/{SESSION_OBJECT}/fields/{name}.field-meta.xml");
            assert!(files.contains_key(&path), "{path} missing");
        }
        let mut without = files.clone();
        without.retain(|p, _| !p.ends_with("/Recording_URL__c.field-meta.xml"));
        let found = metadata_problems(&without).join("\n");
        assert!(found.contains("Recording_URL__c: missing"), "{found}");
        // Layouts and list views naming it are caught too.
        assert!(
            found.contains("related list BeyondTrust_Session__c.Case__c shows Recording_URL__c"),
            "{found}"
        );
    }

    #[test]
    fn an_upsert_key_that_is_not_unique_is_caught() {
        let found = problems_after(
            "objects/BeyondTrust_Session__c/fields/LSID__c.field-meta.xml",
            "<unique>true</unique>",
            "<unique>false</unique>",
        );
        assert!(
            found.contains("LSID__c: must be a unique external id"),
            "{found}"
        );
    }

    #[test]
    fn a_case_field_that_does_not_look_up_case_is_caught() {
        let found = problems_after(
            "objects/BeyondTrust_Session__c/fields/Case__c.field-meta.xml",
            "<referenceTo>Case</referenceTo>",
            "<referenceTo>Account</referenceTo>",
        );
        assert!(found.contains("Case__c: must look up Case"), "{found}");
        assert!(
            found.contains("is not a lookup from BeyondTrust_Session__c to Case"),
            "{found}"
        );
    }

    #[test]
    fn sizes_outside_salesforce_limits_are_caught() {
        let found = problems_after(
            "objects/BeyondTrust_Session__c/fields/Primary_Rep__c.field-meta.xml",
            "<length>255</length>",
            "<length>300</length>",
        );
        assert!(
            found
                .contains("Primary_Rep__c.field-meta.xml: a Text field needs a length of 1 to 255"),
            "{found}"
        );
        let found = problems_after(
            "objects/BeyondTrust_Session__c/fields/Chat_Transcript__c.field-meta.xml",
            "<length>131072</length>",
            "<length>200000</length>",
        );
        assert!(
            found.contains("a LongTextArea field needs a length of 256 to 131072"),
            "{found}"
        );
    }

    #[test]
    fn a_layout_or_permission_naming_a_missing_field_is_caught() {
        let found = problems_after(
            "layouts/BeyondTrust_Session__c-BeyondTrust Session Layout.layout-meta.xml",
            "<field>Chat_URL__c</field>",
            "<field>Chat_Url__c</field>",
        );
        assert!(
            found.contains("places Chat_Url__c, which BeyondTrust_Session__c does not have"),
            "{found}"
        );
        let found = problems_after(
            "permissionsets/BeyondTrust_Session_Writer.permissionset-meta.xml",
            "BeyondTrust_Session__c.Rep_Survey__c",
            "BeyondTrust_Session__c.Rep_Surveys__c",
        );
        assert!(
            found.contains(
                "grants BeyondTrust_Session__c.Rep_Surveys__c, which the project does not define"
            ),
            "{found}"
        );
    }

    #[test]
    fn the_related_list_must_be_newest_first() {
        let found = problems_after(
            "layouts/Case-BeyondTrust Case Layout.layout-meta.xml",
            "<sortOrder>Desc</sortOrder>",
            "<sortOrder>Asc</sortOrder>",
        );
        assert!(found.contains("must be newest first"), "{found}");
    }

    #[test]
    fn a_file_that_does_not_parse_is_named() {
        let found = problems_after(
            "tabs/BeyondTrust_Session__c.tab-meta.xml",
            "</CustomTab>",
            "</CustomTa>",
        );
        assert!(
            found.contains("tabs/BeyondTrust_Session__c.tab-meta.xml: not well-formed XML"),
            "{found}"
        );
    }
}
