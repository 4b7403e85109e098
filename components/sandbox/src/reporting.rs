//! The Reporting API (`/api/reporting`): `SupportSession` and
//! `SupportSessionListing` over a window or by lsid; the exit-survey
//! reports `SupportCustExitSurvey` / `SupportRepExitSurvey` by lsid
//! (`session_report`).

use crate::markup::{escape, hms, iso, xml_error, xml_response};
use crate::oauth::api_params;
use crate::state::{unix_now, SandboxState, Session};
use crate::REPORTING_NS;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, Method};
use axum::response::Response;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

/// Which sessions a report asks for, from its parameters.
type SessionFilter = Box<dyn Fn(&Session) -> bool>;

fn report_filter(p: &HashMap<String, String>, now: i64) -> Result<SessionFilter, String> {
    let num = |name: &str| -> Result<Option<i64>, String> {
        p.get(name)
            .map(|v| {
                v.parse::<i64>().map_err(|_| {
                    format!("Error validating parameter '{name}': The value must be a number")
                })
            })
            .transpose()
    };
    if let Some(lsid) = p.get("lsid") {
        let lsid = lsid.clone();
        return Ok(Box::new(move |s| s.lsid == lsid));
    }
    if let Some(lsids) = p.get("lsids") {
        let set: Vec<String> = lsids.split(',').map(|x| x.trim().to_owned()).collect();
        return Ok(Box::new(move |s| set.contains(&s.lsid)));
    }
    let duration = num("duration")?.unwrap_or(0);
    let (from, to) = if let Some(date) = p.get("start_date") {
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        let d = time::Date::parse(date, &fmt).map_err(|_| {
            "Error validating parameter 'start_date': Expected YYYY-MM-DD".to_owned()
        })?;
        let from = d.midnight().assume_utc().unix_timestamp();
        (
            from,
            if duration == 0 {
                now + 1
            } else {
                from + duration * 86_400
            },
        )
    } else if let Some(start) = num("start_time")? {
        (
            start,
            if duration == 0 {
                now + 1
            } else {
                start + duration
            },
        )
    } else if let Some(end) = num("end_time")? {
        (if duration == 0 { 0 } else { end - duration }, end)
    } else {
        return Err("Error validating parameter 'start_date': One of start_date, start_time, end_time, lsid or lsids is required".into());
    };
    Ok(Box::new(move |s| s.start >= from && s.start < to))
}

pub(crate) async fn reporting(
    State(s): State<Arc<SandboxState>>,
    method: Method,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let p = match api_params(&s, &method, &headers, query.as_deref(), &body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    if let Some(r) = crate::faults::refusal(&s, crate::faults::Api::Reporting) {
        return r;
    }
    let report = p.get("generate_report").cloned().unwrap_or_default();
    if report == "SupportCustExitSurvey" || report == "SupportRepExitSurvey" {
        let Some(lsid) = p.get("lsid") else {
            return xml_error(
                REPORTING_NS,
                "Error validating parameter 'lsid': The lsid is required",
            );
        };
        let details = s.writeback.details.lock().expect("details");
        return xml_response(crate::session_report::survey_xml(
            REPORTING_NS,
            lsid,
            details.get(lsid),
            report == "SupportCustExitSurvey",
        ));
    }
    if report != "SupportSession" && report != "SupportSessionListing" {
        return xml_error(
            REPORTING_NS,
            &format!("Error validating parameter 'generate_report': Unknown report '{report}'"),
        );
    }
    let filter = match report_filter(&p, unix_now()) {
        Ok(f) => f,
        Err(m) => return xml_error(REPORTING_NS, &m),
    };
    let sessions: Vec<Session> = s
        .sessions
        .lock()
        .expect("sessions")
        .iter()
        .filter(|x| filter(x))
        .cloned()
        .collect();
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if report == "SupportSessionListing" {
        let _ = writeln!(x, "<session_summary_list xmlns=\"{REPORTING_NS}\">");
        for se in &sessions {
            let _ = writeln!(
                x,
                "  <session_summary lsid=\"{}\" start_time=\"{}\" has_recording=\"{}\"/>",
                escape(&se.lsid),
                se.start,
                u8::from(se.has_recording)
            );
        }
        x.push_str("</session_summary_list>\n");
        return xml_response(x);
    }
    let _ = writeln!(x, "<session_list xmlns=\"{REPORTING_NS}\">");
    for se in &sessions {
        let lsid = escape(&se.lsid);
        let _ = write!(
            x,
            "<session lsid=\"{lsid}\"><session_type>support</session_type>"
        );
        let _ = write!(
            x,
            "<start_time timestamp=\"{}\">{}</start_time>",
            se.start,
            iso(se.start)
        );
        match se.end {
            Some(end) => {
                let _ = write!(
                    x,
                    "<end_time timestamp=\"{end}\">{}</end_time><duration>{}</duration>",
                    iso(end),
                    hms(end - se.start)
                );
            }
            None => x.push_str("<end_time timestamp=\"\"></end_time><duration></duration>"),
        }
        x.push_str("<public_site id=\"1\">Default</public_site>");
        if let Some(k) = &se.external_key {
            let _ = write!(x, "<external_key>{}</external_key>", escape(k));
        }
        let _ = write!(
            x,
            "<primary_customer gsnumber=\"22\">{}</primary_customer>",
            escape(&se.customer)
        );
        if let Some((id, name)) = &se.rep {
            let _ = write!(
                x,
                "<primary_rep gsnumber=\"21\" id=\"{id}\">{}</primary_rep>",
                escape(name)
            );
        }
        let _ = write!(
            x,
            "<session_chat_view_url>{}</session_chat_view_url><session_chat_download_url>{}</session_chat_download_url>",
            escape(&format!("{}/session_download.ns?lsid={lsid}&view=1", s.base_url)),
            escape(&format!("{}/session_download.ns?lsid={lsid}", s.base_url))
        );
        if let Some(d) = s.writeback.details.lock().expect("details").get(&se.lsid) {
            let files = d.events.iter().filter(|e| e.filename.is_some()).count();
            let _ = write!(x, "<file_transfer_count>{files}</file_transfer_count>");
            x.push_str(&crate::session_report::detail_xml(d));
            x.push_str("</session>\n");
            continue;
        }
        x.push_str("<file_transfer_count>0</file_transfer_count>");
        let _ = write!(x, "<customer_list><customer gsnumber=\"22\"><username>{}</username></customer></customer_list>", escape(&se.customer));
        x.push_str("<rep_list>");
        if let Some((id, name)) = &se.rep {
            let _ = write!(x, "<representative gsnumber=\"21\" id=\"{id}\"><display_name>{}</display_name></representative>", escape(name));
        }
        x.push_str("</rep_list>");
        let _ = writeln!(x, "<session_details><event timestamp=\"{}\" event_type=\"Session Start\"><performed_by type=\"system\">System</performed_by></event></session_details></session>", se.start);
    }
    x.push_str("</session_list>\n");
    xml_response(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_windows() {
        let now = 1_000_000;
        let s = |start| Session {
            lsid: "x".into(),
            start,
            end: None,
            external_key: None,
            customer: "c".into(),
            rep: None,
            has_recording: false,
        };
        let p = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<HashMap<_, _>>()
        };
        let f = report_filter(&p(&[("start_time", "999000"), ("duration", "0")]), now).unwrap();
        assert!(f(&s(999_500)) && !f(&s(998_000)));
        let f = report_filter(&p(&[("start_time", "999000"), ("duration", "100")]), now).unwrap();
        assert!(f(&s(999_050)) && !f(&s(999_200)));
        let f = report_filter(&p(&[("start_date", "1970-01-12"), ("duration", "1")]), now).unwrap();
        assert!(f(&s(950_400)) && !f(&s(1_036_800)));
        assert!(report_filter(&p(&[]), now).is_err());
        assert!(report_filter(&p(&[("start_time", "soon")]), now).is_err());
    }
}
