//! Parsing one lesson file into a [`Lesson`], reporting every problem it can find.
//!
//! Why not one `toml::from_str::<Lesson>`? serde stops at the first error, and an author fixing a
//! file one error per run is miserable. Instead we parse the document once with toml's recovering
//! parser (all syntax errors), then deserialize each top-level key and each `[[section]]`,
//! `[[exercise]]` and `[[demo]]` table on its own, keeping toml's spans, so a wrong type in one
//! section and an unknown key in a demo are both reported, each with its line and column.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::diag::{Diagnostic, MAX_PROBLEMS_PER_FILE, closest, suggestion_for};
use super::model::{
    CodePair, CompileFail, ExerciseRef, FORMAT_VERSION, Lesson, Section, first_disallowed,
    id_problem, is_valid_id,
};
use crate::demo::runner::{Checked, Demo};
use crate::demo::spec::{DemoSpec, SpecProblem};

/// Lesson files are small prose documents; anything larger is a mistake (or not a lesson).
pub const MAX_LESSON_BYTES: usize = 1 << 20;

/// The longest a whole lesson's demos may run, estimated (every strategy of every demo, at
/// `--speed 1`). Each strategy is capped on its own too; this stops a lesson of many long demos,
/// each within its cap, from running for hours.
pub const MAX_LESSON_MS: f64 = 15.0 * 60_000.0;

/// Most task runs one demo may make, over all its strategies (strategies x copies): the
/// largest built-in demo makes 200,000, which peaks near 100 MB.
pub const MAX_DEMO_TASK_RUNS: u64 = 300_000;

/// Most task runs one lesson may make over all its demos: about 6 s of the engine's own work,
/// four times the largest built-in lesson (`scale`, 262,042). It also bounds what validation
/// spends on forecasts, which expand every task copy.
pub const MAX_LESSON_TASK_RUNS: u64 = 1_000_000;

/// Most stream items (`pages`) one demo may produce over all its strategies: each is a timer
/// event, recorded.
pub const MAX_DEMO_ITEMS: u64 = 1_000_000;

/// What the engine spends on one task run beyond the task's own waits (spawning it, recording
/// its spans, judging it, the live view's events), in milliseconds: measured about 0.6 s per
/// 100,000 tasks (release build, 2 cores). The lesson cap counts it: 6,727 demos of 100,000
/// 3 ms tasks are 20 s of waits and over an hour of engine work.
pub const ENGINE_MS_PER_TASK_RUN: f64 = 0.006;

/// What the engine spends on one `pages` item (a timer event, recorded): about 20 µs, so a
/// million items are 20 s whatever their `ms`.
pub const ENGINE_MS_PER_ITEM: f64 = 0.02;

/// How much of a lesson to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Everything, the ideal model's forecasts included (each strategy's time and cap, the
    /// lesson's time, claims' margins): for `validate` and the commands that show or run demos.
    Full,
    /// Everything but the forecasts: enough to list titles (`lesson list`, the menu), fast
    /// whatever else sits in the folder. A lesson that only the forecasts would refuse is
    /// listed; `show`, `run` and `validate` refuse it.
    Listing,
}

/// A demo's size, read from its tables without expanding a task: strategies, task copies, and
/// `pages` items over all copies.
#[derive(Debug, Clone, Copy)]
struct Load {
    strategies: u64,
    copies: u64,
    items: u64,
}

impl Load {
    /// Only for a demo whose [`DemoSpec::problems`] is empty.
    fn of(spec: &DemoSpec) -> Load {
        let tasks = spec.tasks();
        Load {
            strategies: spec.strategies.len() as u64,
            copies: tasks.iter().map(|t| u64::from(t.count)).sum(),
            items: tasks
                .iter()
                .map(|t| u64::from(t.op.items().unwrap_or(0)) * u64::from(t.count))
                .sum(),
        }
    }

    /// The engine's own work over every strategy, in milliseconds ([`ENGINE_MS_PER_TASK_RUN`]).
    fn engine_ms(&self) -> f64 {
        self.strategies as f64
            * (self.copies as f64 * ENGINE_MS_PER_TASK_RUN + self.items as f64 * ENGINE_MS_PER_ITEM)
    }
}

/// Over [`MAX_LESSON_MS`] by a second or more: the engine's few microseconds on a lesson of
/// exactly 15 minutes of waits do not make it "15.0 min, at most 15.0 min".
fn over_lesson_cap(ms: f64) -> bool {
    ms - MAX_LESSON_MS >= 1000.0
}

/// "12.5 min" (or seconds below a minute), for the lesson cap's message.
fn minutes(ms: f64) -> String {
    if ms < 60_000.0 {
        crate::text::fmt_ms(ms)
    } else {
        format!("{:.1} min", ms / 60_000.0)
    }
}

/// The top-level keys, what each must be, and whether it is required.
const TOP_KEYS: &[(&str, &str, bool)] = &[
    ("format_version", "an integer: 1", true),
    (
        "id",
        "a string of a-z, 0-9, _ or -, equal to the file name",
        true,
    ),
    ("title", "a string: the lesson's title", true),
    (
        "position",
        "an integer from 1: the lesson's place in the course",
        true,
    ),
    ("summary", "a string of one line", true),
    ("section", "[[section]] tables with heading and body", true),
    ("hints", "an array of strings", false),
    (
        "exercise",
        "[[exercise]] tables with name (and planned = true if not written yet)",
        false,
    ),
    ("demo", "[[demo]] tables", false),
];

/// A lesson that parsed and passed every single-file check, with what cross-file checks need.
#[derive(Debug, Clone)]
pub struct ParsedLesson {
    pub file: String,
    pub lesson: Lesson,
    /// Findings that do not stop the lesson from loading (a claim with a thin margin).
    pub warnings: Vec<Diagnostic>,
    /// Where each demo's claims are: demo name -> the line of each `[[demo.expect]]`, in order.
    pub claim_lines: HashMap<String, Vec<usize>>,
    /// Each demo the loader modelled (at [`Depth::Full`], within the caps), as it checked it:
    /// a command runs or explains it from here rather than checking it again.
    checked: HashMap<String, Checked>,
    src: String,
    id_span: Range<usize>,
    position_span: Range<usize>,
}

impl ParsedLesson {
    /// Demo `spec` of this lesson checked: as the loader found it, or checked now when the
    /// loader did not model it.
    pub fn checked(&self, spec: &DemoSpec) -> Checked {
        match self.checked.get(&spec.name) {
            Some(checked) => checked.clone(),
            None => Demo::check(spec),
        }
    }

    /// Demo `spec` of this lesson, ready to run, or every problem that stops it.
    pub fn demo(&self, spec: &DemoSpec) -> Result<Demo, Vec<SpecProblem>> {
        match self.checked.get(&spec.name) {
            Some(checked) => checked.runnable(),
            None => Demo::new(spec),
        }
    }

    pub fn id_diagnostic(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(&self.file, &self.src, self.id_span.clone(), message)
    }

    pub fn position_diagnostic(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(&self.file, &self.src, self.position_span.clone(), message)
    }
}

/// Parse and check one file's bytes. `file` is the name to show in messages; `stem` is the file
/// name without `.toml` (the id must equal it); `exercises` are the exercise crates that exist.
pub fn parse_lesson(
    file: &str,
    stem: &str,
    bytes: &[u8],
    exercises: &BTreeSet<String>,
) -> Result<ParsedLesson, Vec<Diagnostic>> {
    parse_lesson_to(file, stem, bytes, exercises, Depth::Full)
}

/// [`parse_lesson`], checked to `depth`.
pub fn parse_lesson_to(
    file: &str,
    stem: &str,
    bytes: &[u8],
    exercises: &BTreeSet<String>,
    depth: Depth,
) -> Result<ParsedLesson, Vec<Diagnostic>> {
    parse_lesson_keeping(file, stem, bytes, exercises, depth).map_err(|(problems, _)| problems)
}

/// [`parse_lesson_to`], and for a file with problems, the lesson as far as it parsed when its
/// TOML is sound (its demos still say what they forecast: `lesson validate --explain`).
pub fn parse_lesson_keeping(
    file: &str,
    stem: &str,
    bytes: &[u8],
    exercises: &BTreeSet<String>,
    depth: Depth,
) -> Result<ParsedLesson, (Vec<Diagnostic>, Option<Box<ParsedLesson>>)> {
    let src = as_text(file, bytes).map_err(|d| (vec![d], None))?;
    if src.trim().is_empty() {
        let required: Vec<&str> = TOP_KEYS.iter().filter(|k| k.2).map(|k| k.0).collect();
        return Err((
            vec![
                Diagnostic::whole_file(file, "the file is empty").with_help(format!(
                    "a lesson needs at least: {}; `asyncwork lesson new ID` writes a skeleton",
                    required.join(", ")
                )),
            ],
            None,
        ));
    }
    let mut cx = Cx {
        file,
        src,
        problems: Vec::new(),
        warnings: Vec::new(),
        claim_lines: HashMap::new(),
        checked: HashMap::new(),
        depth,
    };
    let (root, syntax_errors) = DeTable::parse_recoverable(src);
    if !syntax_errors.is_empty() {
        // Words and help for the ones shown; the rest only need a place to be counted from.
        for (i, e) in syntax_errors.iter().enumerate() {
            if i < MAX_PROBLEMS_PER_FILE {
                cx.toml_error(e, 0..0, None);
            } else {
                cx.error(e.span().unwrap_or(0..0), String::new());
            }
        }
        return Err((cx.finish(), None));
    }
    cx.check_characters(root.get_ref());
    let lesson = cx.assemble(root.get_ref(), stem, exercises);
    match lesson {
        Some(parsed) if cx.problems.is_empty() => Ok(parsed),
        partial => Err((cx.finish(), partial.map(Box::new))),
    }
}

/// Bytes to text, or a diagnostic saying why these bytes are not a lesson file.
fn as_text<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, Diagnostic> {
    if bytes.len() > MAX_LESSON_BYTES {
        return Err(too_large(file, bytes.len() as u64));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let at = valid.len();
            return Err(Diagnostic::at(
                file,
                valid,
                at..at,
                format!(
                    "invalid UTF-8 (byte 0x{:02x}): this is not a text file",
                    bytes[at]
                ),
            )
            .with_help("lesson files are UTF-8 text; re-save the file as UTF-8"));
        }
    };
    if let Some(at) = text.find('\0') {
        return Err(
            Diagnostic::at(file, text, at..at + 1, "binary data (a NUL byte)")
                .with_help("lesson files are UTF-8 text"),
        );
    }
    // TOML ends lines with LF or CRLF; a bare CR (classic Mac OS) is an error at every line, so
    // say it once for the whole file rather than once per line.
    let bytes = text.as_bytes();
    let mut bare =
        (0..bytes.len()).filter(|&i| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
    if let Some(at) = bare.next() {
        let others = bare.count();
        let message = match others {
            0 => "a line ends in a bare carriage return (CR without LF)".to_string(),
            n => {
                format!("lines end in bare carriage returns (CR without LF): this one and {n} more")
            }
        };
        return Err(Diagnostic::at(file, text, at..at + 1, message).with_help(
            "TOML lines end in LF or CRLF: re-save the file with Unix (LF) or Windows (CRLF) \
             line endings",
        ));
    }
    Ok(text)
}

/// The diagnostic for a file over [`MAX_LESSON_BYTES`].
pub fn too_large(file: &str, size: u64) -> Diagnostic {
    Diagnostic::whole_file(
        file,
        format!(
            "the file is {:.1} MB; a lesson file may be at most {} KiB",
            size as f64 / 1e6,
            MAX_LESSON_BYTES / 1024
        ),
    )
    .with_help("is this really a lesson? Split long lessons into several files")
}

/// Parsing context: the file and the problems found so far.
struct Cx<'a> {
    file: &'a str,
    src: &'a str,
    problems: Vec<Problem>,
    warnings: Vec<Diagnostic>,
    claim_lines: HashMap<String, Vec<usize>>,
    checked: HashMap<String, Checked>,
    depth: Depth,
}

/// A problem not yet located: finding a line and column costs a pass over the file, so only the
/// problems that are shown ([`MAX_PROBLEMS_PER_FILE`]) pay it.
struct Problem {
    /// `None`: the file as a whole.
    span: Option<Range<usize>>,
    message: String,
    help: Option<String>,
}

type Value<'i> = Spanned<DeValue<'i>>;

impl<'a> Cx<'a> {
    /// The problems in file order, the first [`MAX_PROBLEMS_PER_FILE`] located, and a last one
    /// that counts the rest.
    fn finish(mut self) -> Vec<Diagnostic> {
        // Unworded problems (syntax errors past the cap, only counted) go last, never shown.
        self.problems.sort_by_key(|p| {
            let at = p.span.as_ref().map_or((0, 0), |s| (s.start + 1, s.end));
            (p.message.is_empty(), at)
        });
        self.problems
            .dedup_by(|a, b| a.span == b.span && a.message == b.message && a.help == b.help);
        let more = self.problems.len().saturating_sub(MAX_PROBLEMS_PER_FILE);
        let mut out: Vec<Diagnostic> = self
            .problems
            .iter()
            .take(MAX_PROBLEMS_PER_FILE)
            .map(|p| {
                let d = match &p.span {
                    Some(span) => Diagnostic::at(self.file, self.src, span.clone(), &p.message),
                    None => Diagnostic::whole_file(self.file, &p.message),
                };
                match &p.help {
                    Some(help) => d.with_help(help.clone()),
                    None => d,
                }
            })
            .collect();
        if more > 0 {
            let next = &self.problems[MAX_PROBLEMS_PER_FILE];
            let at = next.span.clone().unwrap_or(0..0);
            let note = Diagnostic::at(
                self.file,
                self.src,
                at,
                format!(
                    "and {} more from here on, not shown",
                    crate::text::plural(more, "problem")
                ),
            )
            .with_help("fix the ones above and validate again");
            out.push(Diagnostic {
                count: more,
                ..note
            });
        }
        out
    }

    /// Every key and string in the file, at any depth, free of the characters that must never
    /// reach a terminal ([`crate::text::is_unsafe_char`]): a lesson is shown as it is written, and
    /// lessons load from `./lessons` of whatever folder the learner stands in, so a downloaded
    /// course must not be able to set the window title, write the clipboard (OSC 52) or make
    /// shown code read differently from what it does (bidi controls, "Trojan Source"). One
    /// problem per string, at the character when it is written raw, else at the string (an
    /// escape such as `\u001b`). One pass over the tree, so linear in the file.
    fn check_characters(&mut self, root: &DeTable<'_>) {
        let mut stack: Vec<(&str, &Value<'_>)> = Vec::new();
        self.check_keys(root);
        stack.extend(root.iter().map(|(k, v)| (k.get_ref().as_ref(), v)));
        while let Some((key, value)) = stack.pop() {
            match value.get_ref() {
                DeValue::String(text) => self.check_string(key, text, value.span()),
                DeValue::Array(items) => stack.extend(items.iter().map(|v| (key, v))),
                DeValue::Table(t) => {
                    self.check_keys(t);
                    stack.extend(t.iter().map(|(k, v)| (k.get_ref().as_ref(), v)));
                }
                _ => {}
            }
        }
    }

    fn check_keys(&mut self, table: &DeTable<'_>) {
        for (k, _) in table.iter() {
            self.check_string("a key", k.get_ref(), k.span());
        }
    }

    /// One string of the file (`key`'s value, or a key itself) checked for unsafe characters.
    fn check_string(&mut self, key: &str, text: &str, span: Range<usize>) {
        let Some(c) = text.chars().find(|&c| crate::text::is_unsafe_char(c)) else {
            return;
        };
        let raw = self
            .src
            .get(span.clone())
            .and_then(|written| written.find(c))
            .map(|at| span.start + at..span.start + at + c.len_utf8());
        let what = if key == "a key" {
            "a key".to_string()
        } else {
            format!("`{key}`")
        };
        self.error(
            raw.unwrap_or(span),
            format!(
                "{what} holds {}: lesson text may not contain control, bidi or zero-width \
                 characters",
                crate::text::unsafe_char_name(c)
            ),
        )
        .help = Some(
            "a terminal obeys them (a new window title, a write to the clipboard, a cleared \
             screen) and bidi controls make code read differently from what it does (Trojan \
             Source, CVE-2021-42574): remove it"
                .into(),
        );
    }

    /// The span of the first character `id` may not have, inside the value at `span`, so the
    /// caret points at it; the whole value when it cannot be found (written as an escape).
    fn char_span(&self, span: &Range<usize>, id: &str) -> Range<usize> {
        let found = first_disallowed(id).and_then(|c| {
            let text = self.src.get(span.clone())?;
            let at = span.start + text.find(c)?;
            Some(at..at + c.len_utf8())
        });
        found.unwrap_or_else(|| span.clone())
    }

    fn error(&mut self, span: Range<usize>, message: impl Into<String>) -> &mut Problem {
        self.problems.push(Problem {
            span: Some(span),
            message: message.into(),
            help: None,
        });
        self.problems.last_mut().expect("just pushed")
    }

    /// A toml/serde error: use its span when it has one, else `fallback`.
    fn toml_error(&mut self, e: &toml::de::Error, fallback: Range<usize>, expected: Option<&str>) {
        let message = crate::text::plain_words(e.message().trim());
        let span = e.span().unwrap_or(fallback);
        let help = misplaced_top_key(&message)
            .or_else(|| suggestion_for(&message))
            .or_else(|| expected.map(|x| format!("expected {x}")));
        let d = self.error(span, message);
        d.help = help;
    }

    /// Deserialize one value on its own, recording its error if any.
    fn de<T: DeserializeOwned>(&mut self, v: &Value<'_>, expected: Option<&str>) -> Option<T> {
        match T::deserialize(ValueDeserializer::from(v.clone())) {
            Ok(t) => Some(t),
            Err(e) => {
                self.toml_error(&e, v.span(), expected);
                None
            }
        }
    }

    /// Deserialize an array of tables element by element, so each element's problems show.
    fn de_each<'t, 'v, T: DeserializeOwned>(
        &mut self,
        key: &str,
        v: &'t Value<'v>,
    ) -> Vec<(T, &'t Value<'v>)> {
        let DeValue::Array(items) = v.get_ref() else {
            self.error(v.span(), format!("`{key}` must be an array of tables"))
                .help = Some(format!("write each one under a `[[{key}]]` header"));
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| self.de::<T>(item, None).map(|t| (t, item)))
            .collect()
    }

    fn assemble(
        &mut self,
        root: &DeTable<'_>,
        stem: &str,
        exercises: &BTreeSet<String>,
    ) -> Option<ParsedLesson> {
        let mut format_version = None;
        let mut id: Option<(String, Range<usize>)> = None;
        let mut title = None;
        let mut position: Option<(u32, Range<usize>)> = None;
        let mut summary = None;
        let mut sections = Vec::new();
        let mut hints = Vec::new();
        let mut exercise_refs = Vec::new();
        let mut demos = Vec::new();
        // Names of every [[demo]] table, also those with problems of their own: a section that
        // points at a broken demo gets that demo's errors, not a spurious "no demo named".
        let mut written_demos: HashSet<String> = HashSet::new();

        for (key, value) in root.iter() {
            let name: &str = key.get_ref();
            let expected = TOP_KEYS.iter().find(|k| k.0 == name).map(|k| k.1);
            match name {
                "format_version" => {
                    format_version = self.de::<u32>(value, expected).map(|v| (v, value.span()))
                }
                "id" => {
                    id = self
                        .de::<String>(value, expected)
                        .map(|v| (v, value.span()))
                }
                "title" => {
                    title = self
                        .de::<String>(value, expected)
                        .map(|v| (v, value.span()))
                }
                "position" => position = self.de::<u32>(value, expected).map(|v| (v, value.span())),
                "summary" => {
                    summary = self
                        .de::<String>(value, expected)
                        .map(|v| (v, value.span()))
                }
                "hints" => {
                    hints = self
                        .de::<Vec<String>>(value, expected)
                        .map(|v| (v, value.span()))
                        .into_iter()
                        .collect()
                }
                "section" => {
                    sections = self.de_each::<Section>(name, value);
                    if matches!(value.get_ref(), DeValue::Array(a) if a.is_empty()) {
                        self.error(value.span(), "a lesson needs at least one [[section]]");
                    }
                }
                "exercise" => exercise_refs = self.de_each::<ExerciseRef>(name, value),
                "demo" => {
                    if let DeValue::Array(items) = value.get_ref() {
                        written_demos.extend(items.iter().filter_map(
                            |item| match item.get_ref() {
                                DeValue::Table(t) => t.iter().find_map(|(k, v)| {
                                    (k.get_ref() == "name")
                                        .then(|| v.get_ref().as_str().map(str::to_string))
                                        .flatten()
                                }),
                                _ => None,
                            },
                        ));
                    }
                    demos = self.de_each::<DemoSpec>(name, value);
                }
                other => {
                    let known = TOP_KEYS.iter().map(|k| k.0);
                    let help = match closest(other, known) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => format!(
                            "a lesson's top-level keys are: {}",
                            TOP_KEYS.iter().map(|k| k.0).collect::<Vec<_>>().join(", ")
                        ),
                    };
                    self.error(key.span(), format!("unknown key `{other}`"))
                        .help = Some(help);
                }
            }
        }

        for (key, what, required) in TOP_KEYS {
            if *required && !root.iter().any(|(k, _)| k.get_ref() == key) {
                self.problems.push(Problem {
                    span: None,
                    message: format!("missing required key `{key}`"),
                    help: Some(format!("add `{key}`: {what}")),
                });
            }
        }

        self.check_values(&format_version, &id, stem, &title, &position, &summary);
        let mut demo_names = self.check_demos(&demos);
        demo_names.extend(written_demos);
        self.check_sections(&sections, &demo_names);
        self.check_exercises(&exercise_refs, exercises);
        if let Some((hints, span)) = hints.first() {
            if hints.iter().any(|h| h.trim().is_empty()) {
                self.error(span.clone(), "a hint is empty").help =
                    Some("remove it or write the hint".into());
            }
        }

        let (
            (format_version, _),
            (id, id_span),
            (title, _),
            (position, position_span),
            (summary, _),
        ) = (format_version?, id?, title?, position?, summary?);
        Some(ParsedLesson {
            warnings: std::mem::take(&mut self.warnings),
            claim_lines: std::mem::take(&mut self.claim_lines),
            checked: std::mem::take(&mut self.checked),
            file: self.file.to_string(),
            src: self.src.to_string(),
            id_span,
            position_span,
            lesson: Lesson {
                format_version,
                id,
                title,
                position,
                summary,
                sections: sections.into_iter().map(|(s, _)| s).collect(),
                hints: hints.into_iter().flat_map(|(h, _)| h).collect(),
                exercises: exercise_refs.into_iter().map(|(e, _)| e).collect(),
                demos: demos.into_iter().map(|(d, _)| d).collect(),
            },
        })
    }

    #[allow(clippy::type_complexity)]
    fn check_values(
        &mut self,
        format_version: &Option<(u32, Range<usize>)>,
        id: &Option<(String, Range<usize>)>,
        stem: &str,
        title: &Option<(String, Range<usize>)>,
        position: &Option<(u32, Range<usize>)>,
        summary: &Option<(String, Range<usize>)>,
    ) {
        if let Some((v, span)) = format_version {
            if *v != FORMAT_VERSION {
                self.error(span.clone(), format!("unsupported format_version {v}"))
                    .help = Some(format!(
                    "this asyncwork reads format_version = {FORMAT_VERSION}"
                ));
            }
        }
        if let Some((id, span)) = id {
            if !is_valid_id(id) {
                let why = id_problem(id).unwrap_or_default();
                let at = self.char_span(span, id);
                self.error(at, format!("invalid id: {why}")).help =
                    Some("an id is 1 to 64 characters of a-z, 0-9, _ and -".into());
            } else if id != stem {
                self.error(
                    span.clone(),
                    format!("id `{id}` differs from the file name `{stem}.toml`"),
                )
                .help = Some(if is_valid_id(stem) {
                    format!("rename the file to `{id}.toml` or set id = \"{stem}\"")
                } else {
                    // The file name is no id (`My Lesson.toml`): only renaming the file fixes it.
                    format!("rename the file to `{id}.toml`")
                });
            }
        }
        if let Some((title, span)) = title {
            if title.trim().is_empty() {
                self.error(span.clone(), "the title is empty");
            }
        }
        if let Some((0, span)) = position {
            self.error(span.clone(), "position starts at 1");
        }
        if let Some((summary, span)) = summary {
            if summary.trim().is_empty() || summary.contains('\n') || summary.chars().count() > 120
            {
                self.error(
                    span.clone(),
                    "the summary must be one non-empty line of at most 120 characters",
                )
                .help = Some("put longer text in a [[section]]".into());
            }
        }
    }

    fn check_sections(&mut self, sections: &[(Section, &Value<'_>)], demos: &HashSet<String>) {
        for (section, table) in sections {
            if section.heading.trim().is_empty() {
                self.error(key_span(table, "heading"), "the section heading is empty");
            }
            if section.body.trim().is_empty() {
                self.error(key_span(table, "body"), "the section body is empty");
            }
            if let Some(CodePair {
                python: None,
                rust: None,
                ..
            }) = &section.code
            {
                self.error(key_span(table, "code"), "[section.code] shows no code")
                    .help = Some("give `python`, `rust`, or both".into());
            }
            if let Some(code) = &section.code {
                for text in [&code.python, &code.rust].into_iter().flatten() {
                    self.warn_wide_code(text);
                }
            }
            for rejected in &section.compile_fail {
                self.check_compile_fail(rejected, table);
            }
            let keys = std::iter::repeat_n("demo", usize::from(section.demo.is_some()))
                .chain(std::iter::repeat("demos"));
            for (demo, key) in section.demo_names().zip(keys) {
                if !demos.contains(demo) {
                    let help = match closest(demo, demos.iter().map(String::as_str)) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None if demos.is_empty() => "this lesson has no [[demo]] tables".into(),
                        None => format!("demos in this lesson: {}", sorted(demos).join(", ")),
                    };
                    self.error(
                        key_span(table, key),
                        format!("no demo named `{demo}` in this lesson"),
                    )
                    .help = Some(help);
                }
            }
        }
    }

    /// A `[[section.compile_fail]]` names a rustc code or lint and quotes one line of rustc.
    fn check_compile_fail(&mut self, rejected: &CompileFail, table: &Value<'_>) {
        let span = || key_span(table, "compile_fail");
        if let Some(code) = &rejected.error
            && !CompileFail::is_error_code(code)
        {
            self.error(span(), format!("`error = {code:?}` is not a rustc error code"))
                .help = Some("write it as rustc prints it in brackets, e.g. `E0728`; leave it out for an error without a code".into());
        }
        if let Some(lint) = &rejected.warning {
            if rejected.error.is_some() {
                self.error(
                    span(),
                    "a compile_fail block has `error` or `warning`, not both",
                );
            }
            let name = lint
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if lint.is_empty() || !name {
                self.error(span(), format!("`warning = {lint:?}` is not a lint name"))
                    .help = Some("name the lint as rustc does, e.g. `unused_must_use`".into());
            }
        }
        for (key, text) in [
            ("message", Some(&rejected.message)),
            ("label", rejected.label.as_ref()),
            ("note", rejected.note.as_ref()),
        ] {
            let Some(text) = text else { continue };
            if text.trim().is_empty() || text.contains('\n') {
                self.error(
                    span(),
                    format!("compile_fail `{key}` must be one non-empty line, as rustc prints it"),
                );
            }
        }
        if rejected.rust.trim().is_empty() {
            self.error(span(), "a compile_fail block shows no `rust` code");
        }
        for text in [&rejected.python, &Some(rejected.rust.clone())]
            .into_iter()
            .flatten()
        {
            self.warn_wide_code(text);
        }
    }

    /// A code line wider than a box at 100 columns can show is wrapped on screen (a learner
    /// copies code): a warning at the line.
    fn warn_wide_code(&mut self, text: &str) {
        /// The widest code line a box shows at 100 columns (two borders, two spaces).
        const WIDEST: usize = 96;
        for line in text.lines() {
            let n = line.chars().count();
            if n <= WIDEST {
                continue;
            }
            let Some(at) = self.src.find(line) else {
                continue;
            };
            let d = Diagnostic::at(
                self.file,
                self.src,
                at..at + line.len(),
                format!("a code line of {n} characters: a box at 100 columns shows {WIDEST}, so it is wrapped on screen"),
            )
            .with_help("break the line: learners read and copy it");
            self.warnings.push(d.into_warning());
        }
    }

    /// Check demos; returns the set of demo names for section references. Each demo is checked
    /// on its own ([`crate::demo::runner::Demo::new`], which also caps each strategy), and the
    /// estimated times of all of them, the engine's own work included ([`engine_ms`]), add up
    /// to at most [`MAX_LESSON_MS`].
    ///
    /// The ideal model's forecasts expand every task copy, so they run only at [`Depth::Full`],
    /// only for a demo within its size caps, and not past the demo that breaks the lesson's cap:
    /// a 1 MiB file of 9,000 demos of 100,000 tasks costs a few thousand of them, not 900
    /// million.
    fn check_demos(&mut self, demos: &[(DemoSpec, &Value<'_>)]) -> HashSet<String> {
        let mut names = HashSet::new();
        let mut total_ms = 0.0;
        let mut newlines: Option<Vec<usize>> = None;
        let mut runs: u64 = 0;
        for (demo, table) in demos {
            if !is_valid_id(&demo.name) {
                let span = key_span(table, "name");
                let at = self.char_span(&span, &demo.name);
                let why = id_problem(&demo.name).unwrap_or_default();
                self.error(at, format!("invalid demo name: {why}")).help =
                    Some("a demo name is 1 to 64 characters of a-z, 0-9, _ and -".into());
            }
            if !names.insert(demo.name.clone()) {
                self.error(
                    key_span(table, "name"),
                    format!("two demos are named `{}`", demo.name),
                );
            }
            let span_of = |key: &Option<String>| match key {
                Some(key) => key_path_span(table, key),
                None => table.span(),
            };
            let mut warnings = Vec::new();
            // The checks that read the tables only (linear in the demo's text) first.
            let problems = demo.problems();
            if !problems.is_empty() {
                for problem in problems {
                    self.error(span_of(&problem.key), problem.message);
                }
            } else {
                let load = Load::of(demo);
                let fits = self.check_demo_size(&load, demo, table);
                let before = total_ms;
                total_ms += load.engine_ms();
                let runs_before = runs;
                runs += load.strategies * load.copies;
                if runs_before <= MAX_LESSON_TASK_RUNS && runs > MAX_LESSON_TASK_RUNS {
                    self.error(
                        key_span(table, "name"),
                        format!(
                            "with demo `{}` the lesson's demos make {runs} task runs (tasks x \
                             strategies) in all; a lesson may make at most \
                             {MAX_LESSON_TASK_RUNS}",
                            demo.name
                        ),
                    )
                    .help = Some("lower the counts, or move demos to another lesson".into());
                }
                let forecast = fits
                    && self.depth == Depth::Full
                    && !over_lesson_cap(before)
                    && runs <= MAX_LESSON_TASK_RUNS;
                if forecast {
                    // Checked once here, kept for the command that runs or explains it.
                    let checked = Demo::check_with(demo, Vec::new());
                    match checked.runnable() {
                        Ok(d) => {
                            warnings = checked.thin_margins();
                            total_ms += d
                                .strategies
                                .iter()
                                .map(|s| d.ideal_ms(&s.strategy))
                                .sum::<f64>();
                        }
                        Err(problems) => {
                            for problem in problems {
                                self.error(span_of(&problem.key), problem.message);
                            }
                        }
                    }
                    self.checked.insert(demo.name.clone(), checked);
                }
                if !over_lesson_cap(before) && over_lesson_cap(total_ms) {
                    self.error(
                        key_span(table, "name"),
                        format!(
                            "with demo `{}` the lesson's demos would run for about {} in all; a \
                             lesson may run at most {}",
                            demo.name,
                            minutes(total_ms),
                            minutes(MAX_LESSON_MS)
                        ),
                    )
                    .help = Some(format!(
                        "the estimate counts every wait and the engine's own work (about {} per \
                         100,000 task runs, {} per 100,000 streamed items); shorten the \
                         durations, lower the counts, or move demos to another lesson",
                        crate::text::fmt_ms(ENGINE_MS_PER_TASK_RUN * 100_000.0),
                        crate::text::fmt_ms(ENGINE_MS_PER_ITEM * 100_000.0),
                    ));
                }
            }
            for warning in warnings {
                let d = Diagnostic::at(self.file, self.src, span_of(&warning.key), warning.message);
                self.warnings.push(d.into_warning());
            }
            // A line from a table of line starts, built once: counting newlines from the start
            // of the file for each claim made a file of many claims quadratic.
            let newlines = newlines.get_or_insert_with(|| {
                self.src
                    .match_indices('\n')
                    .map(|(i, _)| i)
                    .collect::<Vec<_>>()
            });
            let lines = (0..demo.expectations.len())
                .map(|i| {
                    let at = key_path_span(table, &format!("expect.{i}")).start;
                    newlines.partition_point(|&n| n < at) + 1
                })
                .collect();
            self.claim_lines.insert(demo.name.clone(), lines);
        }
        names
    }

    /// A demo's report holds every task of every strategy until the demo ends (its claims are
    /// judged then): keep that within memory's reach. `false` when the demo is too big.
    fn check_demo_size(&mut self, load: &Load, spec: &DemoSpec, table: &Value<'_>) -> bool {
        let Load {
            strategies,
            copies,
            items,
        } = *load;
        let mut fits = true;
        if strategies * copies > MAX_DEMO_TASK_RUNS {
            fits = false;
            self.error(
                key_span(table, "strategies"),
                format!(
                    "demo `{}` runs {copies} tasks under {strategies} strategies, {} task runs; a \
                     demo may have at most {MAX_DEMO_TASK_RUNS}",
                    spec.name,
                    strategies * copies
                ),
            )
            .help = Some("split it into demos with fewer strategies, or lower the counts".into());
        }
        if strategies * items > MAX_DEMO_ITEMS {
            fits = false;
            self.error(
                key_span(table, "strategies"),
                format!(
                    "demo `{}` streams {} items in all (count x items, under {strategies} \
                     strategies); a demo may stream at most {MAX_DEMO_ITEMS}",
                    spec.name,
                    strategies * items
                ),
            )
            .help = Some("lower `items` or `count` of its `pages` tasks".into());
        }
        fits
    }

    fn check_exercises(&mut self, refs: &[(ExerciseRef, &Value<'_>)], known: &BTreeSet<String>) {
        let mut seen = HashSet::new();
        for (exercise, table) in refs {
            let span = key_span(table, "name");
            if !seen.insert(exercise.name.clone()) {
                self.error(
                    span.clone(),
                    format!("exercise `{}` is listed twice", exercise.name),
                );
            }
            if exercise.planned && known.contains(&exercise.name) {
                self.error(
                    key_span(table, "planned"),
                    format!(
                        "exercise `{}` exists: it is not planned any more",
                        exercise.name
                    ),
                )
                .help = Some("remove `planned = true`".into());
            }
            if !exercise.planned && !known.contains(&exercise.name) {
                let help = match closest(&exercise.name, known.iter().map(String::as_str)) {
                    Some(near) => format!(
                        "did you mean `{near}`? If it is not written yet, add `planned = true`"
                    ),
                    None => format!(
                        "the exercises are: {}; if this one is not written yet, add `planned = true`",
                        known.iter().cloned().collect::<Vec<_>>().join(", ")
                    ),
                };
                self.error(span, format!("there is no exercise `{}`", exercise.name))
                    .help = Some(help);
            }
        }
    }
}

/// A top-level key written below a `[[section]]` header lands inside that section: TOML's most
/// common surprise. Say so instead of just "unknown field".
fn misplaced_top_key(message: &str) -> Option<String> {
    let key = message.strip_prefix("unknown field `")?.split('`').next()?;
    TOP_KEYS.iter().any(|k| k.0 == key).then(|| {
        format!(
            "`{key}` is a top-level key, but here it follows a [table] header and so belongs to \
             that table: move it above the first header"
        )
    })
}

fn sorted(set: &HashSet<String>) -> Vec<&str> {
    let mut v: Vec<&str> = set.iter().map(String::as_str).collect();
    v.sort_unstable();
    v
}

/// The span of `key`'s value inside a table value, or the table's span when absent.
fn key_span(table: &Value<'_>, key: &str) -> Range<usize> {
    match table.get_ref() {
        DeValue::Table(t) => t
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map_or_else(|| table.span(), |(_, v)| v.span()),
        _ => table.span(),
    }
}

/// Like [`key_span`], for a dotted path into nested tables and arrays (`task.2.ms`). Walks by
/// reference: cloning the table at each step (as this once did) made every problem cost the
/// whole demo, and a demo of 8,000 problems took 50 s to validate.
fn key_path_span(table: &Value<'_>, path: &str) -> Range<usize> {
    let mut here = table;
    for part in path.split('.') {
        let next = match here.get_ref() {
            DeValue::Table(t) => t.iter().find(|(k, _)| k.get_ref() == part).map(|(_, v)| v),
            DeValue::Array(a) => part.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        };
        match next {
            Some(v) => here = v,
            None => break,
        }
    }
    here.span()
}
