//! `no_error`: the strategy's caller got no error (failures, if any, were kept as values).

use serde::Deserialize;

use super::{Foresight, Judging, Kind, Miss, Names, Prediction, Problem};
use crate::demo::report::Outcome;

/// `kind = "no_error"`: no parameters.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoError {}

impl Kind for NoError {
    const PARAMS: &'static [(&'static str, &'static str)] = &[];
    const DECIDED_BY_ORDER: bool = true;

    fn problems(&self, _: &Names) -> Vec<Problem> {
        Vec::new()
    }

    fn judge(&self, j: &Judging) -> Result<String, Miss> {
        let (run, name) = (j.run, &j.run.name);
        match &run.error {
            Some(err) => Err(Miss::from(format!("{name} returned the error \"{err}\""))),
            None => Ok(format!(
                "{name} returned normally ({} ok, {} failed)",
                run.count(Outcome::Ok),
                run.count(Outcome::Failed)
            )),
        }
    }

    fn forecast(&self, _: &dyn Foresight, _: &str, _: f64) -> Prediction {
        Prediction::by_what_runs()
    }

    fn timing_scale(&self, _: f64) -> Option<f64> {
        None
    }
}
