//! The exercise catalogue: `info.toml` at the root of a workbook.
//!
//! ```toml
//! format_version = 1
//! [[exercise]]
//! name = "03_gather"        # directory name, what users type
//! package = "ex03_gather"   # cargo package
//! lesson = "gather"         # lesson id
//! title = "Load a dashboard with three concurrent calls"
//! hints = [
//!   "gentle",
//!   "names the API",
//!   # a hint about particular tests: shown first when one of them fails
//!   { text = "nearly the answer for the pair", tests = ["report_pair_fails_fast_and_cancels_the_other_call"] },
//! ]
//! ```
//!
//! The catalogue that counts is the one embedded in the binary (see [`super::embed`]): it is the
//! one that matches the pristine tests asyncwork grades with.

use std::sync::OnceLock;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// The only `format_version` this build understands.
pub(crate) const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExerciseCatalogue {
    pub(crate) format_version: u32,
    #[serde(rename = "exercise", default)]
    pub exercises: Vec<ExerciseInfo>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(from = "RawExerciseInfo")]
pub struct ExerciseInfo {
    /// Directory name and what users type, e.g. `03_gather`.
    pub name: String,
    /// Cargo package name, e.g. `ex03_gather`.
    pub package: String,
    /// The lesson this exercise belongs to, e.g. `gather`.
    pub lesson: String,
    pub title: String,
    pub hints: Vec<String>,
    /// For each hint (same index), the grading tests it is about; empty for a general hint.
    pub hint_tests: Vec<Vec<String>>,
    /// For each numbered task of the README's "What to do", in order, the grading tests that
    /// check it (results.json's `task_id`); empty when the README has no such tasks.
    pub tasks: Vec<Vec<String>>,
}

/// `info.toml`'s form of an exercise: a hint is a plain string, or `{ text, tests }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExerciseInfo {
    name: String,
    package: String,
    lesson: String,
    title: String,
    #[serde(default)]
    hints: Vec<RawHint>,
    #[serde(default)]
    tasks: Vec<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawHint {
    Text(String),
    About {
        text: String,
        #[serde(default)]
        tests: Vec<String>,
    },
}

impl From<RawExerciseInfo> for ExerciseInfo {
    fn from(raw: RawExerciseInfo) -> Self {
        let (hints, hint_tests) = raw
            .hints
            .into_iter()
            .map(|h| match h {
                RawHint::Text(text) => (text, Vec::new()),
                RawHint::About { text, tests } => (text, tests),
            })
            .unzip();
        ExerciseInfo {
            name: raw.name,
            package: raw.package,
            lesson: raw.lesson,
            title: raw.title,
            hints,
            hint_tests,
            tasks: raw.tasks,
        }
    }
}

impl ExerciseCatalogue {
    /// Parse and check an `info.toml`.
    pub(crate) fn parse(text: &str) -> Result<ExerciseCatalogue> {
        let cat: ExerciseCatalogue =
            toml::from_str(text).context("info.toml is not a valid catalogue")?;
        if cat.format_version != FORMAT_VERSION {
            bail!(
                "info.toml has format_version {}, this asyncwork understands {}",
                cat.format_version,
                FORMAT_VERSION
            );
        }
        let mut seen = std::collections::HashSet::new();
        for ex in &cat.exercises {
            if !seen.insert(ex.name.as_str()) {
                bail!("info.toml lists exercise `{}` twice", ex.name);
            }
            if ex.name.is_empty() || ex.name.contains(['/', '\\']) || ex.name.starts_with('.') {
                bail!("info.toml: `{}` is not a usable directory name", ex.name);
            }
        }
        Ok(cat)
    }

    /// The catalogue embedded in this binary (empty when it was built without `exercises/`).
    pub fn embedded() -> &'static ExerciseCatalogue {
        static CAT: OnceLock<ExerciseCatalogue> = OnceLock::new();
        CAT.get_or_init(|| match super::embed::exercises().get_file("info.toml") {
            Some(file) => ExerciseCatalogue::parse(file.contents_utf8().unwrap_or_default())
                .expect("the embedded info.toml is checked by the test suite"),
            None => ExerciseCatalogue {
                format_version: FORMAT_VERSION,
                exercises: Vec::new(),
            },
        })
    }

    pub fn get(&self, name: &str) -> Option<&ExerciseInfo> {
        self.exercises.iter().find(|e| e.name == name)
    }

    /// Look an exercise up by what the user typed: the full name (`03_gather`), its number
    /// (`3`, `03`) or its lesson id (`gather`). Unknown names get a "did you mean".
    pub(crate) fn find(&self, typed: &str) -> Result<&ExerciseInfo> {
        let typed = typed.trim().trim_end_matches('/');
        if let Some(ex) = self.get(typed) {
            return Ok(ex);
        }
        if let Ok(n) = typed.parse::<u32>() {
            if let Some(ex) = self
                .exercises
                .iter()
                .find(|e| e.name.split('_').next().and_then(|p| p.parse::<u32>().ok()) == Some(n))
            {
                return Ok(ex);
            }
        }
        let by_suffix: Vec<_> = self
            .exercises
            .iter()
            .filter(|e| e.lesson == typed || e.name.split_once('_').map(|(_, s)| s) == Some(typed))
            .collect();
        if by_suffix.len() == 1 {
            return Ok(by_suffix[0]);
        }
        let best = self
            .exercises
            .iter()
            .map(|e| (strsim::jaro_winkler(typed, &e.name), e))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        match best {
            Some((score, e)) if score > 0.7 => {
                bail!("no exercise named `{typed}`; did you mean `{}`?", e.name)
            }
            _ => bail!("no exercise named `{typed}`; `asyncwork progress` lists them all"),
        }
    }

    /// The exercise names, in curriculum order.
    pub(crate) fn names(&self) -> Vec<String> {
        self.exercises.iter().map(|e| e.name.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
format_version = 1
[[exercise]]
name = "03_gather"
package = "ex03_gather"
lesson = "gather"
title = "Load a dashboard"
hints = ["a", "b"]

[[exercise]]
name = "04_taskgroup"
package = "ex04_taskgroup"
lesson = "taskgroup"
title = "t"
"#;

    #[test]
    fn parses_and_finds() {
        let cat = ExerciseCatalogue::parse(SAMPLE).unwrap();
        assert_eq!(cat.exercises.len(), 2);
        assert_eq!(cat.find("03_gather").unwrap().package, "ex03_gather");
        assert_eq!(cat.find("3").unwrap().name, "03_gather");
        assert_eq!(cat.find("gather").unwrap().name, "03_gather");
        assert_eq!(cat.find("03_gather/").unwrap().name, "03_gather");
        let err = cat.find("03_gaher").unwrap_err().to_string();
        assert!(err.contains("did you mean `03_gather`"), "{err}");
        assert!(cat.get("04_taskgroup").unwrap().hints.is_empty());
    }

    #[test]
    fn hints_may_name_their_tests() {
        let text = r#"
format_version = 1
[[exercise]]
name = "03_gather"
package = "ex03_gather"
lesson = "gather"
title = "t"
hints = ["plain", { text = "about the pair", tests = ["pair_a", "pair_b"] }]
"#;
        let ex = ExerciseCatalogue::parse(text).unwrap().exercises.remove(0);
        assert_eq!(ex.hints, ["plain", "about the pair"]);
        assert_eq!(
            ex.hint_tests,
            [vec![], vec!["pair_a".to_string(), "pair_b".to_string()]]
        );
    }

    #[test]
    fn rejects_bad_catalogues() {
        assert!(ExerciseCatalogue::parse("format_version = 2").is_err());
        let dup = format!(
            "{SAMPLE}\n[[exercise]]\nname = \"03_gather\"\npackage = \"x\"\nlesson = \"l\"\ntitle = \"t\"\n"
        );
        assert!(
            ExerciseCatalogue::parse(&dup)
                .unwrap_err()
                .to_string()
                .contains("twice")
        );
    }

    #[test]
    fn embedded_catalogue_parses_and_matches_embedded_dirs() {
        let cat = ExerciseCatalogue::embedded();
        for ex in &cat.exercises {
            let dir = super::super::embed::exercises().get_dir(&ex.name);
            assert!(
                dir.is_some(),
                "info.toml lists {} but exercises/{} is missing",
                ex.name,
                ex.name
            );
        }
    }
}
