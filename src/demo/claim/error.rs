//! `error`: the strategy's caller got an error (containing `contains`, when given), as opposed
//! to failures kept as values (`gather(return_exceptions=True)`).

use serde::Deserialize;

use super::{Foresight, Judging, Kind, Miss, Names, Prediction, Problem};
use crate::demo::report::Outcome;

/// `kind = "error"`, optionally `contains = "deadline"`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Error {
    /// Text the surfaced error must contain.
    #[serde(default)]
    pub contains: Option<String>,
}

impl Kind for Error {
    const PARAMS: &'static [(&'static str, &'static str)] =
        &[("contains", "text the error must contain")];
    const DECIDED_BY_ORDER: bool = true;

    fn problems(&self, _: &Names) -> Vec<Problem> {
        Vec::new()
    }

    fn judge(&self, j: &Judging) -> Result<String, Miss> {
        let (run, name) = (j.run, &j.run.name);
        match (&run.error, &self.contains) {
            (None, _) => {
                let failed = run.names(Outcome::Failed);
                Err(Miss::from(if failed.is_empty() {
                    format!("{name} returned no error")
                } else {
                    format!(
                        "{name} returned no error ({} failed, kept as values)",
                        failed.join(", ")
                    )
                }))
            }
            (Some(err), Some(want)) if !err.contains(want.as_str()) => Err(Miss::from(format!(
                "{name} returned \"{err}\", which does not contain \"{want}\""
            ))),
            (Some(err), _) => Ok(format!("{name} returned the error \"{err}\"")),
        }
    }

    fn forecast(&self, _: &dyn Foresight, _: &str, _: f64) -> Prediction {
        Prediction::by_what_runs()
    }

    fn timing_scale(&self, _: f64) -> Option<f64> {
        None
    }
}
