//! The validated lesson model: what a lesson file means once the loader has accepted it.
//!
//! Each table type is a serde struct with `deny_unknown_fields`, so a misspelt key is an error
//! (with a "did you mean" hint) rather than silently ignored. The top level is assembled by the
//! parser key by key (see `parse.rs`) so that several problems in one file are all reported.

use serde::{Deserialize, Serialize};

use crate::demo::spec::DemoSpec;

/// The only lesson format this build reads.
pub const FORMAT_VERSION: u32 = 1;

/// One lesson, from one `lessons/<id>.toml` file.
#[derive(Debug, Clone)]
pub struct Lesson {
    pub format_version: u32,
    /// `[a-z0-9_-]+`, equal to the file name without `.toml`.
    pub id: String,
    pub title: String,
    /// Place in the course, from 1; unique across lessons.
    pub position: u32,
    /// One line, shown in `lesson list`.
    pub summary: String,
    /// `[[section]]` tables, in file order.
    pub sections: Vec<Section>,
    /// `hints = [...]`, from gentle to specific.
    pub hints: Vec<String>,
    /// `[[exercise]]` tables: the exercise crates that practise this lesson.
    pub exercises: Vec<ExerciseRef>,
    /// `[[demo]]` tables: live demos for `asyncwork lesson run`.
    pub demos: Vec<DemoSpec>,
}

/// A `[[section]]`: a heading, prose, and optionally code and a demo to run.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub heading: String,
    /// Prose. Blank lines separate paragraphs; single newlines are re-flowed to the terminal.
    pub body: String,
    /// The same idea in Python and in Rust.
    #[serde(default)]
    pub code: Option<CodePair>,
    /// Name of a `[[demo]]` in this file that shows this section's claim live.
    #[serde(default)]
    pub demo: Option<String>,
    /// More demos for this section, when one is not enough (`demos = ["a", "b"]`).
    #[serde(default)]
    pub demos: Vec<String>,
    /// `[[section.compile_fail]]`: Rust that rustc refuses (or warns about), each with the
    /// message rustc prints. `tests/snippets.rs` compiles each one and compares.
    #[serde(default)]
    pub compile_fail: Vec<CompileFail>,
}

impl Section {
    /// Every demo the section points at: `demo`, then `demos`.
    pub fn demo_names(&self) -> impl Iterator<Item = &str> {
        self.demo.iter().chain(&self.demos).map(String::as_str)
    }
}

/// `[section.code]`: code shown side by side, Python (what learners know) and Rust.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CodePair {
    #[serde(default)]
    pub caption: Option<String>,
    #[serde(default)]
    pub python: Option<String>,
    #[serde(default)]
    pub rust: Option<String>,
}

/// `[[section.compile_fail]]`: a mistake rustc catches, shown with rustc's own words.
///
/// The message is data in the lesson, not typed from memory: the snippets test compiles the
/// `rust` code and fails when rustc's code or message differs from `error`/`message`/`note`.
/// The alternative, capturing the text when the lesson is shown, would need a Rust toolchain
/// on every learner's machine and seconds per `lesson show`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CompileFail {
    #[serde(default)]
    pub caption: Option<String>,
    /// The same mistake in Python, where it usually passes until run time.
    #[serde(default)]
    pub python: Option<String>,
    /// The code rustc refuses or warns about (compiled with the snippet convention).
    pub rust: String,
    /// rustc's error code (`E0728`); absent for an error rustc prints without one.
    #[serde(default)]
    pub error: Option<String>,
    /// The lint that warns (`unused_must_use`), for code that compiles with a warning; not
    /// with `error`.
    #[serde(default)]
    pub warning: Option<String>,
    /// rustc's primary message, exactly as printed after `error[E0728]: ` or `warning: `.
    pub message: String,
    /// One label rustc prints under the code (`expected `User`, found future`), when it is
    /// the point.
    #[serde(default)]
    pub label: Option<String>,
    /// One `= note:` (or `= help:`) line rustc attaches to it, when it is the point.
    #[serde(default)]
    pub note: Option<String>,
}

impl CompileFail {
    /// Is `code` an error code as rustc prints it: `E` and four digits?
    pub fn is_error_code(code: &str) -> bool {
        code.len() == 5 && code.starts_with('E') && code[1..].bytes().all(|b| b.is_ascii_digit())
    }

    /// The headline as rustc prints it: `error[E0728]: ...`, `error: ...` or `warning: ...`.
    pub fn headline(&self) -> String {
        match (&self.error, &self.warning) {
            (Some(code), _) => format!("error[{code}]: {}", self.message),
            (None, Some(_)) => format!("warning: {}", self.message),
            (None, None) => format!("error: {}", self.message),
        }
    }

    /// The code without the rustc lines, to show like any `[section.code]`.
    pub fn code_pair(&self) -> CodePair {
        CodePair {
            caption: self.caption.clone(),
            python: self.python.clone(),
            rust: Some(self.rust.clone()),
        }
    }
}

/// An `[[exercise]]` reference.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExerciseRef {
    /// Directory name of the exercise crate, e.g. `03_gather`.
    pub name: String,
    /// `true` when the exercise is not written yet: the only way to name a missing exercise.
    #[serde(default)]
    pub planned: bool,
}

impl Lesson {
    /// The exercise learners should do first for this lesson, if any.
    pub fn main_exercise(&self) -> Option<&ExerciseRef> {
        self.exercises.first()
    }
}

/// Is `id` a valid lesson id (`[a-z0-9_-]+`)?
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// The first character of `id` that an id may not have.
pub fn first_disallowed(id: &str) -> Option<char> {
    id.chars()
        .find(|&c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'))
}

/// Why `id` is not a valid id, naming the first character that is not allowed and its column:
/// "`а` (U+0430 CYRILLIC SMALL LETTER A, which looks like `a`) at column 3". A look-alike letter
/// from another script is otherwise invisible in the message that quotes the id.
pub fn id_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("it is empty".into());
    }
    if let Some(c) = first_disallowed(id) {
        let column = id.chars().position(|x| x == c).unwrap_or(0);
        return Some(format!(
            "{} at column {} of the id",
            describe_char(c),
            column + 1
        ));
    }
    (id.len() > 64).then(|| format!("it is {} characters long; at most 64", id.chars().count()))
}

/// Characters that pass for allowed ones, with their Unicode names and what they look like.
const LOOK_ALIKES: &[(char, &str, char)] = &[
    ('\u{0430}', "CYRILLIC SMALL LETTER A", 'a'),
    ('\u{0435}', "CYRILLIC SMALL LETTER IE", 'e'),
    ('\u{043E}', "CYRILLIC SMALL LETTER O", 'o'),
    ('\u{0440}', "CYRILLIC SMALL LETTER ER", 'p'),
    ('\u{0441}', "CYRILLIC SMALL LETTER ES", 'c'),
    ('\u{0443}', "CYRILLIC SMALL LETTER U", 'y'),
    ('\u{0445}', "CYRILLIC SMALL LETTER HA", 'x'),
    (
        '\u{0456}',
        "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I",
        'i',
    ),
    ('\u{0458}', "CYRILLIC SMALL LETTER JE", 'j'),
    ('\u{0455}', "CYRILLIC SMALL LETTER DZE", 's'),
    ('\u{03BF}', "GREEK SMALL LETTER OMICRON", 'o'),
    ('\u{03B1}', "GREEK SMALL LETTER ALPHA", 'a'),
    ('\u{03BD}', "GREEK SMALL LETTER NU", 'v'),
    ('\u{0131}', "LATIN SMALL LETTER DOTLESS I", 'i'),
    ('\u{2010}', "HYPHEN", '-'),
    ('\u{2011}', "NON-BREAKING HYPHEN", '-'),
    ('\u{2012}', "FIGURE DASH", '-'),
    ('\u{2013}', "EN DASH", '-'),
    ('\u{2014}', "EM DASH", '-'),
    ('\u{2212}', "MINUS SIGN", '-'),
    ('\u{FF3F}', "FULLWIDTH LOW LINE", '_'),
    ('\u{0301}', "COMBINING ACUTE ACCENT", '\u{301}'),
];

/// "`а` (U+0430 CYRILLIC SMALL LETTER A, which looks like `a`)", or for characters without a
/// known look-alike, what kind of character it is.
fn describe_char(c: char) -> String {
    let code = format!("U+{:04X}", c as u32);
    if let Some((_, name, like)) = LOOK_ALIKES.iter().find(|(l, _, _)| *l == c) {
        if like.is_ascii() {
            return format!("`{c}` ({code} {name}, which looks like `{like}`)");
        }
        return format!("{code} {name}");
    }
    let kind = match c {
        c if c.is_ascii_uppercase() => {
            return format!(
                "`{c}` ({code}, an uppercase letter: use `{}`)",
                c.to_ascii_lowercase()
            );
        }
        ' ' => "a space",
        c if c.is_whitespace() => "a space character",
        c if c.is_control() => "a control character",
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => "an invisible character",
        c if c.is_alphabetic() => "a letter outside a-z",
        c if c.is_numeric() => "a digit outside 0-9",
        _ => "a character outside a-z, 0-9, _ and -",
    };
    if c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
    {
        format!("{code} ({kind})")
    } else {
        format!("`{c}` ({code}, {kind})")
    }
}

#[cfg(test)]
mod id_tests {
    use super::*;

    /// Issue 13, item 14: a look-alike in an id is named, with its column.
    #[test]
    fn a_look_alike_is_named_with_its_column() {
        assert_eq!(id_problem("gather"), None);
        assert_eq!(
            id_problem("g\u{0430}ther").as_deref(),
            Some(
                "`\u{0430}` (U+0430 CYRILLIC SMALL LETTER A, which looks like `a`) at column 2 of \
                 the id"
            )
        );
        assert!(
            id_problem("my\u{2013}lesson")
                .unwrap()
                .contains("U+2013 EN DASH, which looks like `-`) at column 3 of the id")
        );
        assert!(id_problem("Gather").unwrap().contains("use `g`"));
        assert!(id_problem("a\u{200B}b").unwrap().contains("invisible"));
        assert!(id_problem(&"a".repeat(65)).unwrap().contains("at most 64"));
        assert!(id_problem("").is_some());
    }
}
