//! The worker: claims due jobs, fetches the report with the broker's one
//! appliance token, renders it, writes it to each sink and records the
//! outcome. And the poller (`BT_POLL_SECONDS`).
//!
//! Retries (docs/writeback.md): 429 (its `Retry-After` honoured), 5xx,
//! timeouts and dropped connections are retried with exponential backoff
//! and jitter for `BT_WRITEBACK_RETRY_HOURS`; other 4xx park the job as
//! failed with the reason. A report the appliance cannot produce is asked
//! for [`REPORT_ATTEMPTS`] times, then parked with the appliance's message.

use super::sinks::{marker, Note, SinkError};
use super::store::{now_ms, Delivery, Job, Kind};
use super::{random_u64, Writeback};
use crate::appliance::ApplianceClient;
use crate::error::ApiError;
use bt_core::xml::ResponseError;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinSet;

/// Jobs worked on at once by one broker.
pub const CONCURRENCY: usize = 16;
// How long a claim holds is `BT_WRITEBACK_LEASE_SECONDS` (5 minutes by
// default); an attempt is cut off at half of it, so a live worker never
// loses its lease and a dead one's expires.
/// First retry delay; doubles per attempt up to [`MAX_DELAY`], ±50% jitter.
pub const BASE_DELAY: Duration = Duration::from_secs(1);
pub const MAX_DELAY: Duration = Duration::from_secs(15 * 60);
/// Report requests before a report the appliance refuses or lacks is parked.
pub const REPORT_ATTEMPTS: i64 = 6;
/// How far back the poller looks for sessions that ended since its cursor
/// (the report is filtered by start time).
pub const POLL_LOOKBACK_SECS: i64 = 24 * 3600;

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    Retry {
        reason: String,
        after: Option<Duration>,
    },
    Park(String),
}

/// The delay before attempt `attempts + 1`.
pub fn backoff(attempts: i64, after: Option<Duration>) -> Duration {
    let exp = attempts.clamp(1, 30) as u32 - 1;
    let base = BASE_DELAY
        .saturating_mul(1u32 << exp.min(20))
        .min(MAX_DELAY);
    let jitter = 0.5 + (random_u64() % 1000) as f64 / 1000.0;
    let delay = base.mul_f64(jitter);
    after.map_or(delay, |a| a.max(delay))
}

/// The report's data for the templates and the webhook, or why not.
async fn fetch(appliance: &ApplianceClient, job: &Job) -> Result<serde_json::Value, Outcome> {
    let refused = |message: String| {
        if job.attempts >= REPORT_ATTEMPTS {
            Outcome::Park(format!(
                "the appliance could not produce the {} report after {} tries: {message}",
                job.kind.as_str(),
                job.attempts
            ))
        } else {
            Outcome::Retry {
                reason: format!("the appliance could not produce the report: {message}"),
                after: None,
            }
        }
    };
    let unavailable = |e: ApiError| Outcome::Retry {
        reason: e.to_string(),
        after: None,
    };
    let value = match job.kind {
        Kind::Session => match appliance
            .session_report(&job.lsid)
            .await
            .map_err(unavailable)?
        {
            Ok(Some(r)) => serde_json::to_value(r),
            Ok(None) => {
                return Err(refused(format!(
                    "no session {} in the SupportSession report",
                    job.lsid
                )))
            }
            Err(e) => return Err(refused(response_text(e))),
        },
        Kind::CustomerSurvey | Kind::RepSurvey => {
            match appliance
                .exit_surveys(job.kind == Kind::CustomerSurvey, &job.lsid)
                .await
                .map_err(unavailable)?
            {
                Ok(s) if s.is_empty() => {
                    return Err(refused(format!("no exit survey for session {}", job.lsid)))
                }
                Ok(s) => {
                    serde_json::to_value(serde_json::json!({ "lsid": job.lsid, "surveys": s }))
                }
                Err(e) => return Err(refused(response_text(e))),
            }
        }
    };
    let mut value = value.map_err(|e| Outcome::Park(format!("cannot encode the report: {e}")))?;
    if let Some(o) = value.as_object_mut() {
        o.insert("ticket".into(), job.external_key.clone().into());
        o.insert("kind".into(), job.kind.as_str().into());
    }
    Ok(value)
}

fn response_text(e: ResponseError) -> String {
    match e {
        ResponseError::Api { message, .. } => message,
        ResponseError::Malformed(why) => format!("unreadable answer ({why})"),
    }
}

fn title(kind: Kind, lsid: &str) -> String {
    match kind {
        Kind::Session => format!("BeyondTrust session {lsid}"),
        Kind::CustomerSurvey => format!("BeyondTrust customer exit survey {lsid}"),
        Kind::RepSurvey => format!("BeyondTrust representative exit survey {lsid}"),
    }
}

/// One attempt at a claimed job.
pub async fn attempt(wb: &Writeback, appliance: &ApplianceClient, job: &Job) -> Outcome {
    let store_trouble = |e: String| Outcome::Retry {
        reason: e,
        after: None,
    };
    let previous = match wb.store.deliveries(job.id).await {
        Ok(d) => d,
        Err(e) => return store_trouble(e),
    };
    let state_of = |sink: &str| previous.iter().find(|(s, _)| s == sink).map(|(_, d)| *d);
    // A job goes to every sink that can hold its external key (a Case id
    // to Salesforce, a ticket number to Zendesk, …); one that none can
    // hold is parked with each sink's reason.
    let mut taking = Vec::new();
    let mut refusals = Vec::new();
    for sink in wb.sinks.iter().filter(|s| s.handles(job.kind)) {
        match sink.takes(&job.external_key) {
            Ok(()) => taking.push(sink),
            Err(why) => refusals.push(format!("{}: {why}", sink.name())),
        }
    }
    if taking.is_empty() && !refusals.is_empty() {
        return Outcome::Park(refusals.join("; "));
    }
    let todo: Vec<_> = taking
        .into_iter()
        .filter(|s| !matches!(state_of(s.name()), Some(Delivery::Done | Delivery::Failed)))
        .collect();
    let mut parked: Vec<String> = previous
        .iter()
        .filter(|(_, d)| *d == Delivery::Failed)
        .map(|(s, _)| format!("{s}: failed earlier"))
        .collect();
    if todo.is_empty() {
        return if parked.is_empty() {
            Outcome::Done
        } else {
            Outcome::Park(parked.join("; "))
        };
    }
    let data = match fetch(appliance, job).await {
        Ok(d) => d,
        Err(o) => return o,
    };
    let marker = marker(&job.lsid, job.kind);
    let html = match wb.templates.render(job.kind, &data, &marker) {
        Ok(h) => h,
        Err(e) => return Outcome::Park(e),
    };
    let note = Note {
        lsid: job.lsid.clone(),
        kind: job.kind,
        ticket: job.external_key.clone(),
        title: title(job.kind, &job.lsid),
        text: super::render::html_to_text(&html),
        html,
        marker,
        data,
    };
    let mut retry: Vec<String> = Vec::new();
    let mut after: Option<Duration> = None;
    for sink in todo {
        let uncertain = state_of(sink.name()) == Some(Delivery::Attempting);
        // Committed before the request: a crash from here on leaves the
        // mark, and the next attempt looks in the ticket first.
        if let Err(e) = wb
            .store
            .set_delivery(job.id, sink.name(), Delivery::Attempting, None)
            .await
        {
            return store_trouble(e);
        }
        match super::sinks::deliver(sink.as_ref(), &note, uncertain).await {
            Ok(()) => {
                if let Err(e) = wb
                    .store
                    .set_delivery(job.id, sink.name(), Delivery::Done, None)
                    .await
                {
                    return store_trouble(e);
                }
            }
            Err(SinkError::Skip(reason)) => {
                tracing::info!(lsid = %job.lsid, kind = job.kind.as_str(), ticket = %job.external_key, sink = sink.name(), reason = %reason, "write-back delivery skipped");
                let reason = format!("skipped: {reason}");
                if let Err(e) = wb
                    .store
                    .set_delivery(job.id, sink.name(), Delivery::Done, Some(&reason))
                    .await
                {
                    return store_trouble(e);
                }
            }
            Err(SinkError::Permanent(reason)) => {
                let reason = format!("{}: {reason}", sink.name());
                if let Err(e) = wb
                    .store
                    .set_delivery(job.id, sink.name(), Delivery::Failed, Some(&reason))
                    .await
                {
                    return store_trouble(e);
                }
                parked.retain(|p| !p.starts_with(sink.name()));
                parked.push(reason);
            }
            Err(SinkError::Retry { reason, after: a }) => {
                retry.push(format!("{}: {reason}", sink.name()));
                after = after.max(a);
            }
        }
    }
    if !retry.is_empty() {
        return Outcome::Retry {
            reason: retry.join("; "),
            after,
        };
    }
    if !parked.is_empty() {
        return Outcome::Park(parked.join("; "));
    }
    Outcome::Done
}

/// Runs one job and records its outcome; one JSON log line per outcome.
async fn run_job(wb: Arc<Writeback>, appliance: Arc<ApplianceClient>, job: Job) {
    let cut_off = wb.config.lease / 2;
    let outcome = match tokio::time::timeout(cut_off, attempt(&wb, &appliance, &job)).await {
        Ok(o) => o,
        Err(_) => Outcome::Retry {
            reason: format!("the attempt took longer than {} s", cut_off.as_secs()),
            after: None,
        },
    };
    let now = now_ms();
    let deadline = job.retry_from + wb.config.retry_for.as_millis() as i64;
    let (state, reason, next) = match &outcome {
        Outcome::Done => ("done", None, now),
        Outcome::Park(r) => ("failed", Some(r.clone()), now),
        Outcome::Retry { reason, after } => {
            let next = now + backoff(job.attempts, *after).as_millis() as i64;
            if next > deadline {
                let hours = wb.config.retry_for.as_secs() / 3600;
                (
                    "failed",
                    Some(format!("gave up after {hours} h of retries: {reason}")),
                    now,
                )
            } else {
                ("pending", Some(reason.clone()), next)
            }
        }
    };
    let label = match state {
        "pending" => "retry",
        s => s,
    };
    wb.metrics.writeback_job(label);
    // Logged before it is recorded: a stop in between leaves the job to
    // run (and log) again, never an outcome without its line.
    let retry_in_s = ((next - now).max(0) as f64 / 1000.0 * 10.0).round() / 10.0;
    match state {
        "done" => {
            tracing::info!(lsid = %job.lsid, kind = job.kind.as_str(), ticket = %job.external_key, attempts = job.attempts, outcome = "done", "write-back job")
        }
        "failed" => {
            tracing::warn!(lsid = %job.lsid, kind = job.kind.as_str(), ticket = %job.external_key, attempts = job.attempts, outcome = "failed", reason = reason.as_deref().unwrap_or(""), "write-back job")
        }
        _ => {
            tracing::info!(lsid = %job.lsid, kind = job.kind.as_str(), ticket = %job.external_key, attempts = job.attempts, outcome = "retry", retry_in_s, reason = reason.as_deref().unwrap_or(""), "write-back job")
        }
    }
    match wb
        .store
        .finish(&job, &wb.instance, state, reason.as_deref(), next)
        .await
    {
        Ok(true) => {}
        Ok(false) => {
            tracing::warn!(lsid = %job.lsid, kind = job.kind.as_str(), "write-back: the job's lease was lost before its outcome was recorded; another worker has it")
        }
        Err(e) => {
            tracing::error!(lsid = %job.lsid, error = %e, "write-back: cannot record the outcome; the job runs again when its lease expires")
        }
    }
}

/// The worker loop; runs until the task is aborted (a stop mid-job is safe:
/// the job's claim is released at the next start or expires).
pub async fn run(wb: Arc<Writeback>, appliance: Arc<ApplianceClient>) {
    let mut inflight = JoinSet::new();
    let mut last_depth = std::time::Instant::now() - Duration::from_secs(60);
    loop {
        while inflight.try_join_next().is_some() {}
        if last_depth.elapsed() > Duration::from_secs(5) {
            if let Ok(n) = wb.store.depth().await {
                wb.metrics.set_writeback_queue(n);
            }
            last_depth = std::time::Instant::now();
        }
        let room = CONCURRENCY.saturating_sub(inflight.len());
        let mut claimed = 0;
        if room > 0 {
            match wb
                .store
                .claim(&wb.instance, room as i64, wb.config.lease)
                .await
            {
                Ok(jobs) => {
                    claimed = jobs.len();
                    for job in jobs {
                        inflight.spawn(run_job(wb.clone(), appliance.clone(), job));
                    }
                }
                Err(e) => tracing::error!(error = %e, "write-back: cannot claim jobs"),
            }
        }
        if room > 0 && claimed == room {
            tokio::task::yield_now().await;
            continue;
        }
        tokio::select! {
            _ = wb.wake.notified() => {}
            _ = tokio::time::sleep(Duration::from_millis(500)) => {}
            Some(_) = inflight.join_next(), if !inflight.is_empty() => {}
        }
    }
}

/// The poller: every `every`, queues the sessions that ended since its
/// cursor (stored, so a restart goes on where it stopped). Exit surveys are
/// not polled: a survey submitted after its session's poll is missed.
pub async fn poll(wb: Arc<Writeback>, appliance: Arc<ApplianceClient>, every: Duration) {
    loop {
        match poll_once(&wb, &appliance, every).await {
            Ok(0) => {}
            Ok(n) => {
                tracing::info!(sessions = n, "write-back poll: queued sessions that ended");
                wb.wake.notify_one();
            }
            Err(e) => {
                tracing::warn!(error = %e, "write-back poll failed; trying again at the next interval")
            }
        }
        tokio::time::sleep(every).await;
    }
}

/// One poll; the number of sessions newly queued.
pub async fn poll_once(
    wb: &Writeback,
    appliance: &ApplianceClient,
    every: Duration,
) -> Result<usize, String> {
    const CURSOR: &str = "poll_cursor";
    let now = now_ms() / 1000;
    let cursor = wb
        .store
        .get_mark(CURSOR)
        .await?
        .unwrap_or(now - every.as_secs() as i64);
    let sessions = appliance
        .support_sessions(cursor - POLL_LOOKBACK_SECS)
        .await
        .map_err(|e| e.to_string())?;
    let mut queued = 0;
    let mut newest = cursor;
    for s in sessions {
        let (Some(end), Some(key)) = (s.end, s.external_key.as_deref()) else {
            continue;
        };
        if end < cursor || key.is_empty() || !super::ingest::valid_lsid(&s.lsid) {
            continue;
        }
        newest = newest.max(end);
        if wb
            .store
            .enqueue(&s.lsid, Kind::Session, key, "poll")
            .await?
        {
            wb.metrics.writeback_event("polled");
            queued += 1;
        }
    }
    wb.store.set_mark(CURSOR, newest).await?;
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_honours_retry_after() {
        for _ in 0..50 {
            let d1 = backoff(1, None);
            assert!(
                d1 >= Duration::from_millis(500) && d1 <= Duration::from_millis(1500),
                "{d1:?}"
            );
            let d4 = backoff(4, None);
            assert!(
                d4 >= Duration::from_secs(4) && d4 <= Duration::from_secs(12),
                "{d4:?}"
            );
            assert!(backoff(100, None) <= MAX_DELAY.mul_f64(1.5));
            assert!(backoff(1, Some(Duration::from_secs(30))) >= Duration::from_secs(30));
        }
    }
}
