//! The audit trail: what was decided, on which rules, from which data.
//!
//! An [`AuditLog`] given to [`Engine::set_audit`](crate::Engine::set_audit)
//! receives one JSON Lines record for every decision the engine gives
//! ([`Engine::decide`](crate::Engine::decide), and each cell of a
//! [`sweep`](crate::Engine::sweep) or a [`matrix`](crate::Engine::matrix)),
//! or, with [`AuditLog::summaries`], one summary record per sweep or matrix.
//! Each record carries a fresh `decision_id`, the `timestamp` it was made,
//! the question (`input`), the answer (`result`: the verdict, the deciding
//! rules and the advice with their `@id`, `@reason`, `@source` and pack, the
//! waivers used with who granted them and until when, the errors), and its
//! provenance: the crate's version (`labels`) and digests of the policy set
//! and of the inventory (`bundles`), so an auditor can tell later exactly
//! which rules and which data a decision was made from. The field names
//! follow OPA's decision logs and OpenTelemetry's `security_rule.*`
//! attributes (see the README for a sample).
//!
//! An engine without a log does no auditing work at all. With one, a
//! decision that cannot be written down is not given: it is Deny, with the
//! error, as any other failure is.

mod record;

use std::fs::OpenOptions;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use crate::decision::Decision;
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Action, Instant, Inventory};
use crate::policy::Policies;
use record::{DecisionRecord, Provenance, SummaryRecord};

/// Where an engine writes its audit records, and how many.
///
/// ```
/// use clearance::{Action, AuditLog, Engine, Inventory, Policies, Query};
///
/// let path = std::env::temp_dir().join("clearance-audit-doc.jsonl");
/// # std::fs::remove_file(&path).ok();
/// let mut engine = Engine::new(
///     Inventory::from_path("examples/article-inventory.json")?,
///     Policies::all_packs()?,
/// )?;
/// engine.set_audit(AuditLog::to_path(&path)?);
/// engine.decide(&Query::new("mod-secret", Action::Deploy, "kes-12").at("2018-01-10".parse()?))?;
///
/// let text = std::fs::read_to_string(&path).unwrap();
/// let record: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
/// assert_eq!(record["result"]["verdict"], "deny");
/// assert_eq!(record["result"]["rules"][0]["security_rule.name"], "uk-ncsc-2017/secret-and-above");
/// assert!(record["bundles"]["policies"]["revision"].as_str().unwrap().starts_with("sha256:"));
/// # std::fs::remove_file(&path).ok();
/// # Ok::<(), clearance::Error>(())
/// ```
pub struct AuditLog {
    out: Mutex<Box<dyn Write + Send>>,
    every_decision: bool,
    /// Where it writes, for errors.
    name: String,
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditLog")
            .field("to", &self.name)
            .field("every_decision", &self.every_decision)
            .finish()
    }
}

impl AuditLog {
    /// A log writing a record for every decision to `writer` (buffer it
    /// yourself if it is slow: the log flushes after each question or bulk
    /// question). `name` says where it writes, in errors.
    pub fn new(name: impl Into<String>, writer: impl Write + Send + 'static) -> AuditLog {
        AuditLog {
            out: Mutex::new(Box::new(writer)),
            every_decision: true,
            name: name.into(),
        }
    }

    /// A log appending to the file at `path`, created if need be.
    ///
    /// # Errors
    /// [`ErrorKind::Io`] naming the path if it cannot be opened.
    pub fn to_path(path: impl AsRef<Path>) -> Result<AuditLog> {
        let path = path.as_ref();
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| Error::new(ErrorKind::Io, format!("audit log {}: {e}", path.display())))?;
        Ok(AuditLog::new(
            path.display().to_string(),
            BufWriter::new(file),
        ))
    }

    /// The same log, writing one summary record per sweep or matrix instead
    /// of one per cell (single decisions still get their own).
    ///
    /// ```
    /// use clearance::AuditLog;
    ///
    /// let log = AuditLog::new("stderr", std::io::stderr()).summaries();
    /// assert!(!log.every_decision());
    /// ```
    pub fn summaries(mut self) -> AuditLog {
        self.every_decision = false;
        self
    }

    /// Whether every decision of a sweep or matrix gets its own record.
    pub fn every_decision(&self) -> bool {
        self.every_decision
    }
}

/// A log attached to an engine, with the provenance its records share,
/// worked out on first use.
pub(crate) struct Audit {
    log: AuditLog,
    provenance: OnceLock<Provenance>,
}

impl Audit {
    pub fn new(log: AuditLog) -> Audit {
        Audit {
            log,
            provenance: OnceLock::new(),
        }
    }

    fn provenance(&self, given: &Inventory, policies: &Policies) -> &Provenance {
        self.provenance
            .get_or_init(|| Provenance::of(given, policies))
    }

    /// Records `decisions` of one question (`path` "decide") or of a bulk
    /// one ("sweep", "matrix"); on failure, turns each into Deny with the
    /// error.
    pub fn record(
        &self,
        path: &'static str,
        bulk: Option<(Action, Instant)>,
        decisions: &mut dyn Recorded,
        given: &Inventory,
        decided_on: &Inventory,
        policies: &Policies,
    ) {
        let provenance = self.provenance(given, policies);
        let timestamp = Instant::now();
        let written = self
            .log
            .out
            .lock()
            .map_err(|_| "a thread writing it panicked".to_owned())
            .and_then(|mut out| {
                let mut write = |value: &dyn erased::Record| -> std::io::Result<()> {
                    value.write_to(&mut *out)?;
                    out.write_all(b"\n")
                };
                let result = match bulk {
                    Some((action, at)) if !self.log.every_decision => write(&SummaryRecord::new(
                        path,
                        action,
                        at,
                        decisions.tally().into_iter(),
                        provenance,
                        timestamp,
                    )),
                    _ => decisions.each(&mut |decision| {
                        write(&DecisionRecord::new(
                            path, decision, decided_on, provenance, timestamp,
                        ))
                    }),
                };
                result.and_then(|()| out.flush()).map_err(|e| e.to_string())
            });
        if let Err(problem) = written {
            let error = format!(
                "audit log {}: the record could not be written ({problem}), so the decision is not given",
                self.log.name
            );
            decisions.fail(&error);
        }
    }
}

/// Decisions as the log reads them: a slice of them, or a matrix's, whose
/// cells share answers.
pub(crate) trait Recorded {
    /// Each decision in order, put together if need be.
    fn each(&self, visit: &mut dyn FnMut(&Decision) -> std::io::Result<()>) -> std::io::Result<()>;
    /// Each distinct decision, with how many questions it answers.
    fn tally(&self) -> Vec<(&Decision, usize)>;
    /// Makes every decision Deny, with `error`.
    fn fail(&mut self, error: &str);
}

impl Recorded for Vec<Decision> {
    fn each(&self, visit: &mut dyn FnMut(&Decision) -> std::io::Result<()>) -> std::io::Result<()> {
        self.iter().try_for_each(visit)
    }

    fn tally(&self) -> Vec<(&Decision, usize)> {
        self.iter().map(|decision| (decision, 1)).collect()
    }

    fn fail(&mut self, error: &str) {
        for decision in self {
            decision.fail(error.to_owned());
        }
    }
}

impl Recorded for Decision {
    fn each(&self, visit: &mut dyn FnMut(&Decision) -> std::io::Result<()>) -> std::io::Result<()> {
        visit(self)
    }

    fn tally(&self) -> Vec<(&Decision, usize)> {
        vec![(self, 1)]
    }

    fn fail(&mut self, error: &str) {
        Decision::fail(self, error.to_owned());
    }
}

/// Records of either kind, written the same way.
mod erased {
    use std::io::Write;

    pub trait Record {
        fn write_to(&self, out: &mut dyn Write) -> std::io::Result<()>;
    }

    impl<T: serde::Serialize> Record for T {
        fn write_to(&self, out: &mut dyn Write) -> std::io::Result<()> {
            serde_json::to_writer(out, self).map_err(std::io::Error::other)
        }
    }
}
