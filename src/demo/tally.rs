//! What a run of a lesson's demos found, gathered demo by demo and kept small after each demo's
//! report is gone: the claims the run refuted, the ones it could not judge, the demos that
//! judged none of their timing claims, and how busy the machine was where claims failed. The
//! command turns it into words and an exit code; `--strict` fails on what it holds.

use crate::demo::report::{DemoReport, ExpectationResult};

/// A strategy that waited for a CPU this share of its wall time or more ran on a busy machine: a
/// claim it missed says more about the machine than about the claim.
const BUSY_SHARE: f64 = 0.1;

/// What the demos run so far found.
#[derive(Debug, Default)]
pub struct Tally {
    /// The claims the run refuted (an asyncio run's with " (asyncio)" after the claim).
    pub refuted: Vec<ExpectationResult>,
    /// The claims it could not judge at the speed it played.
    pub not_judged: Vec<ExpectationResult>,
    /// The demos that judged none of their timing claims.
    pub blind_demos: Vec<String>,
    /// The largest share of its wall time that a refuted claim's strategy waited for a CPU.
    busiest: f64,
}

/// Why the refuted claims missed, as far as the run can tell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Miss {
    /// The machine was busy: a refuted claim's strategy waited this share of its time for a CPU.
    BusyMachine(f64),
    /// Every one missed by so little that running again may show it.
    ByALittle,
    /// At least one missed by far: the claim itself may be wrong.
    ByFar,
}

impl Tally {
    /// Adds what one demo found.
    pub fn add(&mut self, d: &DemoReport) {
        self.refuted
            .extend(d.expectations.iter().filter(|e| e.refuted()).cloned());
        self.not_judged
            .extend(d.expectations.iter().filter(|e| !e.judged()).cloned());
        if d.judged_no_timing_claim() {
            self.blind_demos.push(d.name.clone());
        }
        for e in d.expectations.iter().filter(|e| e.refuted()) {
            if let Some(s) = d.strategies.iter().find(|s| s.name == e.strategy) {
                self.busiest = self.busiest.max(s.cpu_wait_ms / s.wall_ms.max(1.0));
            }
        }
        if let Some(py) = &d.python {
            self.refuted
                .extend(py.expectations.iter().filter(|e| e.refuted()).map(|e| {
                    ExpectationResult {
                        claim: format!("{} (asyncio)", e.claim),
                        ..e.clone()
                    }
                }));
        }
    }

    /// Why the refuted claims missed; `None` when none did.
    pub fn miss(&self) -> Option<Miss> {
        if self.refuted.is_empty() {
            None
        } else if self.busiest >= BUSY_SHARE {
            Some(Miss::BusyMachine(self.busiest))
        } else if self.refuted.iter().all(ExpectationResult::narrowly_refuted) {
            Some(Miss::ByALittle)
        } else {
            Some(Miss::ByFar)
        }
    }

    /// What `--strict` fails on: a refuted claim, or a demo that judged none of its timing
    /// claims.
    pub fn fails_strict(&self) -> bool {
        !self.refuted.is_empty() || !self.blind_demos.is_empty()
    }
}
