//! The write-back's durable queue (schema in docs/writeback.md).
//!
//! - SQLite (default, `sqlite:PATH`): WAL journal, `synchronous=FULL`, so a
//!   committed event survives `kill -9` and power loss. One broker per file:
//!   at start, jobs a previous (crashed) process had claimed are pending again.
//! - PostgreSQL (`postgres://...`): several brokers share one queue. Jobs are
//!   claimed with `FOR UPDATE SKIP LOCKED` and a lease; a crashed worker's
//!   lease expires and another broker takes the job.
//!
//! Both run the same SQL (`$N` placeholders work in both); only the schema's
//! key type and the claim's row locking differ. Migrations are embedded and
//! applied at start.

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::Row;
use std::borrow::Cow;
use std::time::Duration;

/// What a job writes: the session report or one of the two surveys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Session,
    CustomerSurvey,
    RepSurvey,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Session => "session",
            Kind::CustomerSurvey => "customer_survey",
            Kind::RepSurvey => "rep_survey",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "session" => Some(Kind::Session),
            "customer_survey" => Some(Kind::CustomerSurvey),
            "rep_survey" => Some(Kind::RepSurvey),
            _ => None,
        }
    }
}

/// A parsed `BT_STATE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateUrl {
    Sqlite(String),
    Postgres(String),
}

impl StateUrl {
    pub fn parse(value: &str) -> Result<Self, String> {
        let v = value.trim();
        if let Some(path) = v
            .strip_prefix("sqlite://")
            .or_else(|| v.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err("give a file, e.g. sqlite:/var/lib/bt-broker/state.db".into());
            }
            return Ok(StateUrl::Sqlite(path.to_owned()));
        }
        if v.starts_with("postgres://") || v.starts_with("postgresql://") {
            return Ok(StateUrl::Postgres(v.to_owned()));
        }
        Err(format!(
            "'{}' is neither sqlite:PATH nor postgres://USER:PASS@HOST:PORT/DB",
            v.split('@').next_back().unwrap_or(v)
        ))
    }
}

/// A claimed job.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: i64,
    pub lsid: String,
    pub kind: Kind,
    pub external_key: String,
    /// Including this one.
    pub attempts: i64,
    /// Unix ms: retries stop `BT_WRITEBACK_RETRY_HOURS` after this.
    pub retry_from: i64,
}

/// A job parked as failed, for `writeback status`.
#[derive(Debug, Clone)]
pub struct FailedJob {
    pub lsid: String,
    pub kind: String,
    pub external_key: String,
    pub attempts: i64,
    pub updated_at: i64,
    pub reason: String,
}

/// `lsid, kind, external_key, attempts, updated_at, reason`.
type FailedRow = (String, String, String, i64, i64, String);

/// Counts by state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub pending: i64,
    pub running: i64,
    pub done: i64,
    pub failed: i64,
}

/// Per-sink progress of one job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// An attempt began and its outcome was not recorded: the host may hold
    /// the note, so look for its marker before writing again.
    Attempting,
    Done,
    Failed,
}

#[derive(Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The same code on either pool.
macro_rules! on_pool {
    ($pool:expr, |$p:ident| $body:expr) => {
        match $pool {
            Pool::Sqlite($p) => $body,
            Pool::Postgres($p) => $body,
        }
    };
}

#[derive(Clone)]
pub struct Store {
    pool: Pool,
    /// New jobs go to the committer task, which commits every job waiting
    /// at that moment in one transaction: one disk flush for a burst of
    /// events instead of one each (group commit).
    committer: Committer,
}

/// A job to commit: lsid, kind, external key, event name.
type NewJob = (String, Kind, String, String);

/// Where a committed job's answer goes: new, already queued, or why not.
type Answer = tokio::sync::oneshot::Sender<Result<bool, String>>;

/// Where [`Store::enqueue`] hands its job, with where to answer.
type Committer = tokio::sync::mpsc::UnboundedSender<(NewJob, Answer)>;

/// How often the SQLite WAL is copied back into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// Jobs committed together at most.
const GROUP: usize = 256;

const INSERT: &str = "INSERT INTO wb_jobs (lsid, kind, external_key, event, state, attempts, received_at, retry_from, not_before, updated_at) \
                      VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5, $5, $5) ON CONFLICT (lsid, kind) DO NOTHING";

/// Commits the waiting jobs in one transaction; each learns whether it was new.
async fn commit_group(pool: &Pool, group: &[NewJob]) -> Result<Vec<bool>, sqlx::Error> {
    let now = now_ms();
    on_pool!(pool, |p| async {
        let mut tx = p.begin().await?;
        let mut new = Vec::with_capacity(group.len());
        for (lsid, kind, key, event) in group {
            let n = sqlx::query(INSERT)
                .bind(lsid)
                .bind(kind.as_str())
                .bind(key)
                .bind(event)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            new.push(n > 0);
        }
        tx.commit().await?;
        Ok(new)
    }
    .await)
}

fn spawn_committer(pool: Pool) -> Committer {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(first) = rx.recv().await {
            let mut waiting = vec![first];
            while waiting.len() < GROUP {
                match rx.try_recv() {
                    Ok(next) => waiting.push(next),
                    Err(_) => break,
                }
            }
            let (jobs, answers): (Vec<NewJob>, Vec<Answer>) = waiting.into_iter().unzip();
            match commit_group(&pool, &jobs).await {
                Ok(new) => {
                    for (answer, n) in answers.into_iter().zip(new) {
                        let _ = answer.send(Ok(n));
                    }
                }
                Err(e) => {
                    let why = db_err("cannot commit the event", e);
                    for answer in answers {
                        let _ = answer.send(Err(why.clone()));
                    }
                }
            }
        }
    });
    tx
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn migrator(sql: Cow<'static, str>) -> Migrator {
    Migrator {
        migrations: Cow::Owned(vec![Migration::new(
            1,
            Cow::Borrowed("writeback queue"),
            MigrationType::Simple,
            sql,
            false,
        )]),
        ignore_missing: false,
        locking: true,
        no_tx: false,
    }
}

/// The schema, written for SQLite; PostgreSQL differs only in its key type.
const SCHEMA: &str = include_str!("../../migrations/0001_writeback.sql");

fn postgres_schema() -> String {
    SCHEMA.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY")
}

fn db_err(what: &str, e: impl std::fmt::Display) -> String {
    format!("state store: {what}: {e}")
}

impl Store {
    /// Connects (creating an SQLite file if missing) and applies the migrations.
    pub async fn open(state: &str) -> Result<Self, String> {
        let url = StateUrl::parse(state).map_err(|m| format!("BT_STATE: {m}"))?;
        let pool = match url {
            StateUrl::Sqlite(path) => {
                let options = SqliteConnectOptions::new()
                    .filename(&path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
                    // Checkpoints run in the background (below), not inside
                    // the commit that happens to fill the WAL: that commit is
                    // an event waiting for its 200.
                    .pragma("wal_autocheckpoint", "0");
                let pool = SqlitePoolOptions::new()
                    .max_connections(4)
                    .connect_with(options)
                    .await
                    .map_err(|e| db_err(&format!("cannot open {path}"), e))?;
                migrator(Cow::Borrowed(SCHEMA))
                    .run(&pool)
                    .await
                    .map_err(|e| db_err("cannot apply the schema", e))?;
                let checkpoints = pool.clone();
                tokio::spawn(async move {
                    loop {
                        tokio::time::sleep(CHECKPOINT_EVERY).await;
                        // PASSIVE: copies what it can without holding up writers.
                        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                            .execute(&checkpoints)
                            .await
                        {
                            tracing::warn!(error = %e, "state store: WAL checkpoint failed; trying again");
                        }
                    }
                });
                Pool::Sqlite(pool)
            }
            StateUrl::Postgres(url) => {
                let pool = PgPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(&url)
                    .await
                    .map_err(|e| db_err("cannot connect to PostgreSQL", e))?;
                migrator(Cow::Owned(postgres_schema()))
                    .run(&pool)
                    .await
                    .map_err(|e| db_err("cannot apply the schema", e))?;
                Pool::Postgres(pool)
            }
        };
        Ok(Self {
            committer: spawn_committer(pool.clone()),
            pool,
        })
    }

    pub fn is_shared(&self) -> bool {
        matches!(self.pool, Pool::Postgres(_))
    }

    /// SQLite has one broker per file: whatever was claimed when it last
    /// stopped is pending again.
    pub async fn release_stale_claims(&self) -> Result<u64, String> {
        match &self.pool {
            Pool::Sqlite(p) => sqlx::query(
                "UPDATE wb_jobs SET state = 'pending', lease_owner = NULL, lease_until = NULL WHERE state = 'running'",
            )
            .execute(p)
            .await
            .map(|r| r.rows_affected())
            .map_err(|e| db_err("release claims", e)),
            Pool::Postgres(_) => Ok(0),
        }
    }

    /// Commits a job; `Ok(false)` when the same (lsid, kind) is already queued.
    pub async fn enqueue(
        &self,
        lsid: &str,
        kind: Kind,
        external_key: &str,
        event: &str,
    ) -> Result<bool, String> {
        let (answer, committed) = tokio::sync::oneshot::channel();
        let job = (
            lsid.to_owned(),
            kind,
            external_key.to_owned(),
            event.to_owned(),
        );
        self.committer
            .send((job, answer))
            .map_err(|_| "state store: the committer has stopped".to_owned())?;
        committed
            .await
            .map_err(|_| "state store: the committer has stopped".to_owned())?
    }

    /// Claims up to `limit` due jobs (pending and due, or running with an
    /// expired lease) for `owner` until `lease` from now.
    pub async fn claim(
        &self,
        owner: &str,
        limit: i64,
        lease: Duration,
    ) -> Result<Vec<Job>, String> {
        let now = now_ms();
        let until = now + lease.as_millis() as i64;
        const DUE: &str =
            "(state = 'pending' AND not_before <= $3) OR (state = 'running' AND lease_until < $3)";
        // PostgreSQL: several brokers claim at once; each skips the rows
        // another has locked. SQLite: one writer at a time anyway.
        let pick = match &self.pool {
            Pool::Sqlite(_) => format!("id IN (SELECT id FROM wb_jobs WHERE {DUE} ORDER BY not_before LIMIT $4)"),
            Pool::Postgres(_) => format!(
                "id = ANY(ARRAY(SELECT id FROM wb_jobs WHERE {DUE} ORDER BY not_before LIMIT $4 FOR UPDATE SKIP LOCKED))"
            ),
        };
        let sql = format!(
            "UPDATE wb_jobs SET state = 'running', lease_owner = $1, lease_until = $2, attempts = attempts + 1, updated_at = $3 \
             WHERE {pick} RETURNING id, lsid, kind, external_key, attempts, retry_from"
        );
        let rows = on_pool!(&self.pool, |p| sqlx::query(&sql)
            .bind(owner)
            .bind(until)
            .bind(now)
            .bind(limit)
            .fetch_all(p)
            .await
            .map(|rows| rows.iter().map(job_from_row).collect::<Vec<_>>()));
        Ok(rows
            .map_err(|e| db_err("cannot claim jobs", e))?
            .into_iter()
            .flatten()
            .collect())
    }

    /// Ends an attempt: `done`, `failed` (parked with `reason`) or `pending`
    /// again at `not_before`. Only while `owner` still holds the lease.
    pub async fn finish(
        &self,
        job: &Job,
        owner: &str,
        state: &str,
        reason: Option<&str>,
        not_before: i64,
    ) -> Result<bool, String> {
        let sql = "UPDATE wb_jobs SET state = $1, last_error = $2, not_before = $3, lease_owner = NULL, lease_until = NULL, updated_at = $4 \
                   WHERE id = $5 AND lease_owner = $6";
        let n = on_pool!(&self.pool, |p| sqlx::query(sql)
            .bind(state)
            .bind(reason)
            .bind(not_before)
            .bind(now_ms())
            .bind(job.id)
            .bind(owner)
            .execute(p)
            .await
            .map(|r| r.rows_affected()));
        n.map(|n| n > 0)
            .map_err(|e| db_err("cannot record the outcome", e))
    }

    /// Each sink's progress on a job.
    pub async fn deliveries(&self, job_id: i64) -> Result<Vec<(String, Delivery)>, String> {
        let sql = "SELECT sink, state FROM wb_deliveries WHERE job_id = $1";
        let rows: Result<Vec<(String, String)>, sqlx::Error> =
            on_pool!(&self.pool, |p| sqlx::query_as(sql)
                .bind(job_id)
                .fetch_all(p)
                .await);
        Ok(rows
            .map_err(|e| db_err("cannot read deliveries", e))?
            .into_iter()
            .map(|(sink, state)| {
                let d = match state.as_str() {
                    "done" => Delivery::Done,
                    "failed" => Delivery::Failed,
                    _ => Delivery::Attempting,
                };
                (sink, d)
            })
            .collect())
    }

    /// Records a sink's progress; `Attempting` is committed BEFORE the
    /// request is sent, so a crash after it leaves the mark behind.
    pub async fn set_delivery(
        &self,
        job_id: i64,
        sink: &str,
        state: Delivery,
        reason: Option<&str>,
    ) -> Result<(), String> {
        let state = match state {
            Delivery::Attempting => "attempting",
            Delivery::Done => "done",
            Delivery::Failed => "failed",
        };
        let sql = "INSERT INTO wb_deliveries (job_id, sink, state, attempts, last_error, updated_at) VALUES ($1, $2, $3, 1, $4, $5) \
                   ON CONFLICT (job_id, sink) DO UPDATE SET state = excluded.state, last_error = excluded.last_error, updated_at = excluded.updated_at, \
                   attempts = wb_deliveries.attempts + CASE WHEN excluded.state = 'attempting' THEN 1 ELSE 0 END";
        let r = on_pool!(&self.pool, |p| sqlx::query(sql)
            .bind(job_id)
            .bind(sink)
            .bind(state)
            .bind(reason)
            .bind(now_ms())
            .execute(p)
            .await
            .map(|_| ()));
        r.map_err(|e| db_err("cannot record a delivery", e))
    }

    pub async fn counts(&self) -> Result<Counts, String> {
        let sql = "SELECT state, COUNT(*) FROM wb_jobs GROUP BY state";
        let rows: Result<Vec<(String, i64)>, sqlx::Error> =
            on_pool!(&self.pool, |p| sqlx::query_as(sql).fetch_all(p).await);
        let mut c = Counts::default();
        for (state, n) in rows.map_err(|e| db_err("cannot count jobs", e))? {
            match state.as_str() {
                "pending" => c.pending = n,
                "running" => c.running = n,
                "done" => c.done = n,
                "failed" => c.failed = n,
                _ => {}
            }
        }
        Ok(c)
    }

    pub async fn failed(&self) -> Result<Vec<FailedJob>, String> {
        let sql = "SELECT lsid, kind, external_key, attempts, updated_at, COALESCE(last_error, '') FROM wb_jobs WHERE state = 'failed' ORDER BY updated_at";
        let rows: Result<Vec<FailedRow>, sqlx::Error> =
            on_pool!(&self.pool, |p| sqlx::query_as(sql).fetch_all(p).await);
        Ok(rows
            .map_err(|e| db_err("cannot list failed jobs", e))?
            .into_iter()
            .map(
                |(lsid, kind, external_key, attempts, updated_at, reason)| FailedJob {
                    lsid,
                    kind,
                    external_key,
                    attempts,
                    updated_at,
                    reason,
                },
            )
            .collect())
    }

    /// Queues again: the failed jobs (`lsid` None) or every job of one
    /// session; the retry window starts anew. Sinks that already hold the
    /// note keep their `done` and are not written again. Returns the jobs queued.
    pub async fn retry(&self, lsid: Option<&str>) -> Result<u64, String> {
        let now = now_ms();
        let (filter, arg) = match lsid {
            Some(l) => ("lsid = $2 AND state <> 'running'", l),
            None => ("state = 'failed' AND $2 = $2", ""),
        };
        let reset_deliveries = format!(
            "DELETE FROM wb_deliveries WHERE state = 'failed' AND job_id IN (SELECT id FROM wb_jobs WHERE {})",
            filter.replace("$2", "$1")
        );
        let reset_jobs = format!(
            "UPDATE wb_jobs SET state = 'pending', attempts = 0, retry_from = $1, not_before = $1, last_error = NULL, updated_at = $1 WHERE {filter}"
        );
        let r = on_pool!(&self.pool, |p| async {
            let mut tx = p.begin().await?;
            sqlx::query(&reset_deliveries)
                .bind(arg)
                .execute(&mut *tx)
                .await?;
            let n = sqlx::query(&reset_jobs)
                .bind(now)
                .bind(arg)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok::<u64, sqlx::Error>(n)
        }
        .await);
        r.map_err(|e| db_err("cannot queue again", e))
    }

    /// Jobs not yet finished (pending or running).
    pub async fn depth(&self) -> Result<i64, String> {
        let sql = "SELECT COUNT(*) FROM wb_jobs WHERE state IN ('pending', 'running')";
        let n: Result<(i64,), sqlx::Error> =
            on_pool!(&self.pool, |p| sqlx::query_as(sql).fetch_one(p).await);
        n.map(|n| n.0)
            .map_err(|e| db_err("cannot count the queue", e))
    }

    /// When the last outbound event that queued a job arrived (UNIX ms):
    /// `bt-broker doctor`'s sign that the appliance reaches the broker.
    /// Sessions found by polling do not count.
    pub async fn last_event_at(&self) -> Result<Option<i64>, String> {
        let sql = "SELECT MAX(received_at) FROM wb_jobs WHERE event <> 'poll'";
        let n: Result<(Option<i64>,), sqlx::Error> =
            on_pool!(&self.pool, |p| sqlx::query_as(sql).fetch_one(p).await);
        n.map(|n| n.0)
            .map_err(|e| db_err("cannot read the last event's time", e))
    }

    /// A stored number (the polling cursor).
    pub async fn get_mark(&self, name: &str) -> Result<Option<i64>, String> {
        let sql = "SELECT value FROM wb_marks WHERE name = $1";
        let n: Result<Option<(i64,)>, sqlx::Error> = on_pool!(&self.pool, |p| sqlx::query_as(sql)
            .bind(name)
            .fetch_optional(p)
            .await);
        n.map(|n| n.map(|n| n.0))
            .map_err(|e| db_err("cannot read a mark", e))
    }

    pub async fn set_mark(&self, name: &str, value: i64) -> Result<(), String> {
        let sql = "INSERT INTO wb_marks (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value";
        let r = on_pool!(&self.pool, |p| sqlx::query(sql)
            .bind(name)
            .bind(value)
            .execute(p)
            .await
            .map(|_| ()));
        r.map_err(|e| db_err("cannot store a mark", e))
    }
}

fn job_from_row<R: Row>(row: &R) -> Option<Job>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    i64: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    String: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    Some(Job {
        id: row.try_get("id").ok()?,
        lsid: row.try_get("lsid").ok()?,
        kind: Kind::parse(&row.try_get::<String, _>("kind").ok()?)?,
        external_key: row.try_get("external_key").ok()?,
        attempts: row.try_get("attempts").ok()?,
        retry_from: row.try_get("retry_from").ok()?,
    })
}
