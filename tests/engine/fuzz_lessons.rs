//! A fuzz target for the lesson loader that runs in `cargo test`: thousands of mutated lesson
//! files (from the built-in lessons and the bad examples) through the whole loader, asserting
//! that none panics and every answer stays bounded. Hand-rolled and deterministic (a fixed-seed
//! xorshift), so a failure reproduces exactly and no fuzzing toolchain is needed; cargo-fuzz
//! would search deeper, but needs nightly and runs outside `cargo test`.
//!
//! Set `ASYNCWORK_FUZZ_CASES` to run more cases (the default keeps the test to a few seconds).

#![allow(clippy::print_stderr)] // reports the number of cases run

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use asyncwork::lesson::diag::MAX_PROBLEMS_PER_FILE;
use asyncwork::lesson::parse::parse_lesson;
use asyncwork::lesson::{Catalogue, LessonFile};

/// xorshift64*: small, fast, and the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Pieces of lesson syntax and awkward values the mutator inserts.
const TOKENS: &[&str] = &[
    "[[demo]]\n",
    "[[demo.task]]\n",
    "[[demo.expect]]\n",
    "[[section]]\n",
    "[[exercise]]\n",
    "[section.code]\n",
    "=",
    "\"",
    "'''",
    "\"\"\"",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\n",
    "\r",
    "\r\n",
    "\t",
    "#",
    ".",
    "0",
    "-1",
    "4294967295",
    "18446744073709551616",
    "1e400",
    "nan",
    "inf",
    "true",
    "count = 100000\n",
    "count = 0\n",
    "ms = 60000\n",
    "ms = 60001\n",
    "items = 10000\n",
    "op = \"pages\"\n",
    "op = \"block\"\n",
    "op = \"cpu\"\n",
    "op = \"resource\"\n",
    "op = \"nope\"\n",
    "kind = \"bounded\"\n",
    "limit = 0\n",
    "workers = 65\n",
    "runtime = \"multi_thread\"\n",
    "strategies = [\"offload\", \"race\"]\n",
    "strategies = []\n",
    "name = \"\"\n",
    "id = \"a\u{0430}\"\n",
    "position = 0\n",
    "format_version = 2\n",
    "\u{0000}",
    "\u{FEFF}",
    "\u{202E}",
    "é",
    "\u{10FFFF}",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "\\u0041",
    "\\",
    "a.b.c = 1\n",
    "x = { y = { z = [1, [2, [3]]] } }\n",
    // Terminal injection (issue 23): escapes TOML turns into controls, and raw C1, bidi and
    // zero-width characters, which TOML strings accept as they are.
    "\\u001b]52;c;cm0gLXJmIH4=\\u0007",
    "\\u001b]0;title\\u0007",
    "\\u001b[2J",
    "\\e[31m",
    "\\r",
    "\\u009b",
    "\u{9b}",
    "\u{9d}",
    "\u{85}",
    "\u{2067}",
    "\u{200b}",
    "\u{200d}",
    "\u{2028}",
    "title = \"\\u001b]0;x\\u0007\"\n",
    // Duplicate-heavy files: the same strategy, task or demo thousands of times.
    "\"race\",",
    "\"sequential\", ",
    "[[demo.task]]\nname = \"w\"\nop = \"sleep\"\nms = 1\n",
    "[[demo]]\nname = \"d\"\ntitle = \"t\"\nabout = \"a\"\nstrategies = [\"gather\"]\n[[demo.task]]\nname = \"w\"\nop = \"sleep\"\nms = 3\ncount = 100000\n",
    "[[demo.expect]]\nkind = \"faster\"\n",
];

/// One mutation of `src`, chosen at random.
fn mutate(rng: &mut Rng, src: &[u8], donors: &[Vec<u8>]) -> Vec<u8> {
    let mut out = src.to_vec();
    // Sometimes no change at all: the valid seeds load, and reach every check.
    let rounds = rng.below(4);
    for _ in 0..rounds {
        let len = out.len();
        let at = rng.below(len + 1);
        match rng.below(10) {
            // Flip a byte (may break UTF-8 on purpose).
            0 if len > 0 => {
                let i = rng.below(len);
                out[i] ^= 1 << rng.below(8);
            }
            // Delete a range.
            1 if len > 0 => {
                let end = (at + rng.below(64)).min(len);
                out.drain(at..end);
            }
            // Duplicate a range (repeated tables, keys).
            2 if len > 0 => {
                let start = rng.below(len);
                let end = (start + 1 + rng.below(256)).min(len);
                let piece = out[start..end].to_vec();
                out.splice(at..at, piece);
            }
            // Insert a token.
            3..=5 => {
                let t = rng.pick(TOKENS).as_bytes().to_vec();
                out.splice(at..at, t);
            }
            // Splice in lines from another file.
            6 => {
                let donor = rng.pick(donors);
                if !donor.is_empty() {
                    let start = rng.below(donor.len());
                    let end = (start + rng.below(400)).min(donor.len());
                    out.splice(at..at, donor[start..end].iter().copied());
                }
            }
            // Truncate.
            7 => out.truncate(at),
            // A duplicate-heavy file: one token thousands of times.
            8 => {
                let t = rng.pick(&TOKENS[TOKENS.len() - 5..]).as_bytes();
                let n = 100 + rng.below(3_000);
                let piece: Vec<u8> = t.iter().copied().cycle().take(t.len() * n).collect();
                out.splice(at..at, piece);
            }
            // Repeat a token many times (long lines, deep nesting).
            _ => {
                let t = rng.pick(TOKENS).as_bytes();
                let n = 1 + rng.below(2_000);
                let piece: Vec<u8> = t.iter().copied().cycle().take(t.len() * n).collect();
                out.splice(at..at, piece);
            }
        }
    }
    out
}

fn seeds() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["lessons", "tests/bad_lessons"] {
        let mut stack = vec![root.join(dir)];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap().flatten() {
                let p = entry.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|e| e == "toml") {
                    files.push(p);
                }
            }
        }
    }
    files.sort();
    files.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// The `id = "..."` of a lesson file, or `fuzz`.
fn id_of(src: &[u8]) -> String {
    String::from_utf8_lossy(src)
        .lines()
        .find_map(|l| l.strip_prefix("id = \""))
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("fuzz")
        .to_string()
}

/// A character no output may carry to a terminal (issue 23): C0 but newline and tab, DEL, C1,
/// bidi controls, zero-width characters and the line separators.
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}' | '\u{61c}' | '\u{2028}' | '\u{2029}')
}

/// A lesson that loads holds no unsafe character anywhere a renderer shows it.
fn check_clean(lesson: &asyncwork::lesson::Lesson) {
    let mut texts: Vec<&str> = vec![&lesson.id, &lesson.title, &lesson.summary];
    texts.extend(lesson.hints.iter().map(String::as_str));
    for s in &lesson.sections {
        texts.extend([s.heading.as_str(), s.body.as_str()]);
        if let Some(code) = &s.code {
            texts.extend(code.python.iter().chain(&code.rust).map(String::as_str));
        }
    }
    for d in &lesson.demos {
        texts.extend([d.name.as_str(), d.title.as_str(), d.about.as_str()]);
    }
    for t in texts {
        assert!(!t.chars().any(is_unsafe), "a loaded lesson shows {t:?}");
    }
}

/// Every answer is bounded: at most the cap of problems per file (and its note), each short,
/// and none quotes an unsafe character.
fn check_bounded(problems: &[asyncwork::lesson::Diagnostic], input: &[u8]) {
    assert!(
        problems.len() <= MAX_PROBLEMS_PER_FILE + 1,
        "{} problems for one file",
        problems.len()
    );
    for d in problems {
        let text = asyncwork::render::diagnostic::diagnostic(d);
        assert!(
            text.len() < 4_000,
            "a {}-byte diagnostic for a {}-byte file",
            text.len(),
            input.len()
        );
        assert!(!text.chars().any(is_unsafe), "a diagnostic prints {text:?}");
    }
}

#[test]
fn the_lesson_loader_never_panics_on_mutated_files() {
    let cases: usize = std::env::var("ASYNCWORK_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3_000);
    let seeds = seeds();
    assert!(seeds.len() >= 10, "{} seed files", seeds.len());
    let exercises: BTreeSet<String> = asyncwork::workbook::ExerciseCatalogue::embedded()
        .exercises
        .iter()
        .map(|e| e.name.clone())
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let started = std::time::Instant::now();
    let mut rejected = 0;
    for case in 0..cases {
        let seed = rng.pick(&seeds).clone();
        let input = mutate(&mut rng, &seed, &seeds);
        // The seed's id as the file name, so a mutation that keeps the file valid loads.
        let stem = id_of(&seed);
        let result = std::panic::catch_unwind(|| {
            let one = std::time::Instant::now();
            let parsed = parse_lesson("fuzz.toml", &stem, &input, &exercises);
            assert!(
                one.elapsed() < std::time::Duration::from_secs(2),
                "case {case}: {:?} for {} bytes",
                one.elapsed(),
                input.len()
            );
            match &parsed {
                Ok(p) => {
                    check_clean(&p.lesson);
                    false
                }
                Err(problems) => {
                    check_bounded(problems, &input);
                    true
                }
            }
        });
        match result {
            Ok(bad) => rejected += usize::from(bad),
            Err(panic) => {
                let keep = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("target")
                    .join(format!("fuzz-case-{case}.toml"));
                let _ = std::fs::write(&keep, &input);
                std::panic::resume_unwind(panic);
            }
        }
        // Now and then, a whole folder at once (cross-file checks: duplicate ids, positions).
        if case % 200 == 0 {
            let files: Vec<LessonFile> = (0..8)
                .map(|i| LessonFile {
                    label: format!("f{i}.toml"),
                    stem: format!("f{i}"),
                    bytes: Ok({
                        let seed = rng.pick(&seeds).clone();
                        mutate(&mut rng, &seed, &seeds)
                    }),
                })
                .collect();
            let _ = Catalogue::check(files, &exercises);
        }
    }
    eprintln!(
        "lesson loader fuzz: {cases} cases ({rejected} rejected with diagnostics, {} loaded), \
         0 panics, in {:.1} s",
        cases - rejected,
        started.elapsed().as_secs_f64()
    );
}
