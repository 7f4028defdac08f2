//! `docs/coverage.md` maps every part of the seed documents to the course, and stays true.
//!
//! The table names lessons, section headings, demos and exercise tests by their exact text, so
//! a renamed section or test would silently leave a row pointing at nothing; and the seeds can
//! gain a section that no row covers. This test reads both sides and fails, naming the row or
//! the seed section, when they disagree. Lessons are loaded through the crate's own loader
//! (`lesson::Catalogue`), so the table is checked against what learners see, not against a
//! second TOML reading. A cited demo must be one the cited section shows (its `demo` or
//! `demos`), not merely one of the lesson's. Exercise tests are found by scanning
//! `exercises/*/tests/*.rs` for a `fn NAME` under a `#[test]` or `#[tokio::test]` attribute,
//! so a helper fn does not pass for a test (the alternative, `cargo test --list` on every
//! exercise crate, would build fifteen crates for a name check). Whether a test practises the
//! row's idea is a reading, recorded in the table; this test keeps the reading pointed at
//! real things.
//!
//! The seeds live outside the repository, in `../shared/seeds/` (override with
//! `ASYNCWORK_SEEDS=DIR`), and their parts are recorded in `docs/seed-parts.txt` for a checkout
//! without them. The table's format is documented at the top of `docs/coverage.md`.
#![allow(clippy::print_stderr)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use asyncwork::lesson::{Catalogue, source};

const HEADER: &str = "| seed | section | lesson | section heading | demo | exercise test | note |";
const OUT_OF_SCOPE: &str = "out of scope: ";
const SUBTOPICS_HEADER: &str = "| sub-topic | lesson | section heading | note |";

use crate::common::repo;

/// One row of the coverage table, with its line in `docs/coverage.md`.
#[derive(Debug, Clone)]
struct Row {
    line: usize,
    seed: String,
    section: String,
    lesson: String,
    heading: String,
    demo: String,
    test: String,
    note: String,
}

impl Row {
    fn label(&self) -> String {
        format!(
            "docs/coverage.md:{}: seed {} {:?}",
            self.line, self.seed, self.section
        )
    }
}

/// The rows of the table whose header is [`HEADER`]; a malformed row is a problem.
fn parse_table(text: &str) -> Result<Vec<Row>, Vec<String>> {
    let mut lines = text.lines().enumerate();
    if !lines.any(|(_, l)| l.trim() == HEADER) {
        return Err(vec![format!(
            "docs/coverage.md has no table with the header {HEADER}"
        )]);
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in lines {
        let line = line.trim();
        if !line.starts_with('|') {
            break;
        }
        if line.starts_with("|---") {
            continue;
        }
        let cells: Vec<&str> = line
            .trim_start_matches('|')
            .trim_end_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if cells.len() != 7 {
            problems.push(format!(
                "docs/coverage.md:{}: {} cells, expected 7",
                i + 1,
                cells.len()
            ));
            continue;
        }
        rows.push(Row {
            line: i + 1,
            seed: cells[0].into(),
            section: cells[1].into(),
            lesson: cells[2].into(),
            heading: cells[3].into(),
            demo: cells[4].into(),
            test: cells[5].into(),
            note: cells[6].into(),
        });
    }
    if rows.is_empty() {
        problems.push("docs/coverage.md: the coverage table has no rows".into());
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// A lesson's section headings, each with the demos that section shows.
type Sections = BTreeMap<String, BTreeSet<String>>;

/// What the rows may point at: each lesson's sections and demos, and each exercise's tests.
struct Course {
    /// lesson id -> (its sections, every demo name)
    lessons: BTreeMap<String, (Sections, BTreeSet<String>)>,
    /// exercise crate -> the name of every test fn in its tests
    tests: BTreeMap<String, BTreeSet<String>>,
}

fn exercise_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(repo().join("exercises"))
        .expect("read exercises/")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.join("tests").is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// The names of the test fns in `source`: a `fn` whose attributes include `#[test]` or
/// `#[tokio::test(..)]` (other attributes and doc comments may sit between).
fn test_fn_names(source: &str) -> impl Iterator<Item = String> + '_ {
    let mut under_test_attr = false;
    source.lines().filter_map(move |line| {
        let line = line.trim();
        if line.starts_with("#[") {
            under_test_attr |= line.starts_with("#[test]") || line.starts_with("#[tokio::test");
            return None;
        }
        if line.is_empty() || line.starts_with("//") {
            return None;
        }
        let was_test = std::mem::take(&mut under_test_attr);
        if !was_test {
            return None;
        }
        fn_names(line).next()
    })
}

/// Every name after `fn ` in `source`.
fn fn_names(source: &str) -> impl Iterator<Item = String> + '_ {
    source.match_indices("fn ").filter_map(|(at, _)| {
        let before = source[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            return None;
        }
        let name: String = source[at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        (!name.is_empty()).then_some(name)
    })
}

fn load_course() -> Course {
    let exercises: BTreeSet<String> = exercise_dirs()
        .iter()
        .map(|d| d.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let files = source::dir_files(&repo().join("lessons")).expect("list lessons/");
    let catalogue = Catalogue::check(files, &exercises);
    assert!(
        catalogue.problems.is_empty(),
        "the lessons do not load: {:#?}",
        catalogue.problems
    );
    let lessons = catalogue
        .lessons
        .iter()
        .map(|p| {
            let l = &p.lesson;
            let headings = l
                .sections
                .iter()
                .map(|s| {
                    let shown = s.demo_names().map(str::to_string).collect();
                    (s.heading.clone(), shown)
                })
                .collect();
            let demos = l.demos.iter().map(|d| d.name.clone()).collect();
            (l.id.clone(), (headings, demos))
        })
        .collect();
    let mut tests = BTreeMap::new();
    for dir in exercise_dirs() {
        let mut names = BTreeSet::new();
        for entry in std::fs::read_dir(dir.join("tests")).expect("read tests/") {
            let path = entry.expect("dir entry").path();
            if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("read test file");
                names.extend(test_fn_names(&text));
            }
        }
        tests.insert(
            dir.file_name().unwrap().to_string_lossy().into_owned(),
            names,
        );
    }
    Course { lessons, tests }
}

/// Problems with what one row points at, each naming the row.
fn check_row(row: &Row, course: &Course) -> Vec<String> {
    let mut out = Vec::new();
    let mut problem = |what: String| out.push(format!("{}: {what}", row.label()));
    if row.note.is_empty() || row.note == "-" {
        problem("the note is empty".into());
    }
    if row.lesson == "-" {
        match row.note.strip_prefix(OUT_OF_SCOPE) {
            Some(why) if !why.trim().is_empty() => {}
            _ => problem(format!(
                "no lesson and no reason: a row without a lesson starts its note with {OUT_OF_SCOPE:?} and says why"
            )),
        }
        for (column, value) in [
            ("section heading", &row.heading),
            ("demo", &row.demo),
            ("exercise test", &row.test),
        ] {
            if value != "-" {
                problem(format!("{column} `{value}` given without a lesson"));
            }
        }
        return out;
    }
    let Some((headings, demos)) = course.lessons.get(&row.lesson) else {
        problem(format!("no lesson `{}` in lessons/", row.lesson));
        return out;
    };
    let shown = headings.get(&row.heading);
    if shown.is_none() {
        problem(format!(
            "lesson `{}` has no section {:?}; its sections: {:?}",
            row.lesson,
            row.heading,
            headings.keys().collect::<Vec<_>>()
        ));
    }
    if row.demo != "-" && !demos.contains(&row.demo) {
        problem(format!(
            "lesson `{}` has no demo `{}`; its demos: {:?}",
            row.lesson, row.demo, demos
        ));
    } else if let Some(shown) = shown
        && row.demo != "-"
        && !shown.contains(&row.demo)
    {
        problem(format!(
            "section {:?} of lesson `{}` does not show demo `{}`; it shows {:?}",
            row.heading, row.lesson, row.demo, shown
        ));
    }
    if row.test != "-" {
        match row.test.split_once("::") {
            None => problem(format!(
                "exercise test `{}` is not `<crate>::<fn>`",
                row.test
            )),
            Some((krate, name)) => match course.tests.get(krate) {
                None => problem(format!("no exercise crate `{krate}` with tests")),
                Some(names) if !names.contains(name) => problem(format!(
                    "no test `fn {name}` (under `#[test]` or `#[tokio::test]`) in exercises/{krate}/tests/*.rs"
                )),
                Some(_) => {}
            },
        }
    }
    out
}

/// A heading's text as the table names it: no `#` marks, no leading emoji.
fn heading_text(line: &str) -> Option<String> {
    let marks = line.len() - line.trim_start_matches('#').len();
    let rest = &line[marks..];
    if marks == 0 || !rest.starts_with(' ') {
        return None;
    }
    let text = rest.trim_start_matches(|c: char| !c.is_ascii() || c.is_whitespace());
    Some(text.trim_end().to_string())
}

/// The parts of one seed document, in order: headings and the first cells of table rows
/// (`row: ...`), outside code blocks. A table's first row is its header, not a row.
fn seed_parts(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut in_code = false;
    let mut previous_was_table = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            previous_was_table = false;
            continue;
        }
        if in_code {
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with('|') {
            let first_row = !previous_was_table;
            previous_was_table = true;
            let cells: Vec<&str> = trimmed
                .trim_start_matches('|')
                .trim_end_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            let separator = cells
                .iter()
                .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')));
            if !first_row && !separator {
                parts.push(format!("row: {}", cells[0]));
            }
            continue;
        }
        previous_was_table = false;
        if let Some(h) = heading_text(line) {
            parts.push(h);
        }
    }
    parts
}

fn seeds_dir() -> PathBuf {
    std::env::var_os("ASYNCWORK_SEEDS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/seeds"))
}

/// Seed prefix (`000`) -> its parts, for every `*.txt` in the seeds directory; `None` when the
/// directory is not there (a checkout without `../shared`, as CI may be).
fn load_seeds() -> Option<BTreeMap<String, Vec<String>>> {
    let dir = seeds_dir();
    let entries = std::fs::read_dir(&dir).ok()?;
    let mut seeds = BTreeMap::new();
    for entry in entries {
        let path = entry.expect("dir entry").path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let prefix = name.split('_').next().unwrap_or_default().to_string();
        let text = std::fs::read_to_string(&path).expect("read seed");
        assert!(
            seeds.insert(prefix.clone(), seed_parts(&text)).is_none(),
            "two seed documents start with {prefix}"
        );
    }
    assert!(!seeds.is_empty(), "no seed documents in {}", dir.display());
    Some(seeds)
}

/// `docs/seed-parts.txt`: the parts of every seed (`<seed>\t<part>` a line), recorded from the
/// seeds so the table can be checked where the seeds are not (they live outside the repo).
const PARTS_FILE: &str = "docs/seed-parts.txt";

fn parts_text(seeds: &BTreeMap<String, Vec<String>>) -> String {
    let mut out = String::from(
        "# Every heading and table row of ../shared/seeds/*.txt, as tests/engine/coverage.rs reads them.\n\
         # Written by `ASYNCWORK_WRITE_SEED_PARTS=1 cargo test --test engine coverage`; do not edit.\n",
    );
    for (seed, parts) in seeds {
        for part in parts {
            out.push_str(&format!("{seed}\t{part}\n"));
        }
    }
    out
}

fn recorded_parts() -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(repo().join(PARTS_FILE)).expect("read docs/seed-parts.txt");
    let mut seeds: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (seed, part) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("{PARTS_FILE}: not `seed<TAB>part`: {line:?}"));
        seeds.entry(seed.into()).or_default().push(part.into());
    }
    seeds
}

/// The seed parts to check the table against: read from the seeds when they are here (and then
/// the recorded list must match them, so a new seed section cannot go unnoticed), else the
/// recorded list.
fn seed_parts_to_check() -> BTreeMap<String, Vec<String>> {
    let seeds = load_seeds();
    if let Some(seeds) = &seeds
        && std::env::var_os("ASYNCWORK_WRITE_SEED_PARTS").is_some()
    {
        std::fs::write(repo().join(PARTS_FILE), parts_text(seeds)).expect("write seed parts");
    }
    let recorded = recorded_parts();
    let Some(seeds) = seeds else {
        eprintln!(
            "note: no seed documents in {}; checking against {PARTS_FILE}, recorded from them",
            seeds_dir().display()
        );
        return recorded;
    };
    assert!(
        recorded == seeds,
        "the seeds in {} changed since {PARTS_FILE} was written: run \
         `ASYNCWORK_WRITE_SEED_PARTS=1 cargo test --test engine coverage`, then map the new parts in \
         docs/coverage.md",
        seeds_dir().display()
    );
    seeds
}

/// Problems between the table and the seeds: a row naming a seed part that does not exist,
/// a part named twice, and a part with no row.
fn check_seeds(rows: &[Row], seeds: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut named: BTreeSet<(&str, &str)> = BTreeSet::new();
    for row in rows {
        match seeds.get(&row.seed) {
            None => problems.push(format!(
                "{}: no seed document {}_*.txt",
                row.label(),
                row.seed
            )),
            Some(parts) if !parts.contains(&row.section) => problems.push(format!(
                "{}: seed {} has no heading or table row {:?}",
                row.label(),
                row.seed,
                row.section
            )),
            Some(_) => {}
        }
        if !named.insert((&row.seed, &row.section)) {
            problems.push(format!("{}: a second row for the same part", row.label()));
        }
    }
    for (seed, parts) in seeds {
        for part in parts {
            if !named.contains(&(seed.as_str(), part.as_str())) {
                problems.push(format!(
                    "seed {seed}: {part:?} has no row in docs/coverage.md"
                ));
            }
        }
    }
    problems
}

fn table() -> Vec<Row> {
    let text = std::fs::read_to_string(repo().join("docs/coverage.md")).expect("read coverage");
    parse_table(&text).unwrap_or_else(|p| panic!("{}", p.join("\n")))
}

#[test]
fn every_lesson_section_demo_and_test_the_table_names_exists() {
    let rows = table();
    let course = load_course();
    let problems: Vec<String> = rows.iter().flat_map(|r| check_row(r, &course)).collect();
    assert!(
        problems.is_empty(),
        "docs/coverage.md points at things that do not exist:\n{}",
        problems.join("\n")
    );
}

/// The sub-topics table: `(line, sub-topic, lesson, heading, note)` per row.
fn subtopics(text: &str) -> Vec<(usize, String, String, String, String)> {
    let mut lines = text.lines().enumerate();
    assert!(
        lines.any(|(_, l)| l.trim() == SUBTOPICS_HEADER),
        "docs/coverage.md has no table with the header {SUBTOPICS_HEADER}"
    );
    lines
        .map(|(i, l)| (i, l.trim()))
        .take_while(|(_, l)| l.starts_with('|'))
        .filter(|(_, l)| !l.starts_with("|---"))
        .map(|(i, l)| {
            let c: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            assert_eq!(c.len(), 4, "docs/coverage.md:{}: expected 4 cells", i + 1);
            (i + 1, c[0].into(), c[1].into(), c[2].into(), c[3].into())
        })
        .collect()
}

/// Every sub-topic the seed rows contain is taught in a named section, or out of scope with
/// the reason.
#[test]
fn every_subtopic_is_taught_or_out_of_scope_with_a_reason() {
    let text = std::fs::read_to_string(repo().join("docs/coverage.md")).expect("read coverage");
    let rows = subtopics(&text);
    assert!(rows.len() >= 12, "the sub-topics table lost rows: {rows:?}");
    let course = load_course();
    let mut problems = Vec::new();
    for (line, topic, lesson, heading, note) in &rows {
        let at = format!("docs/coverage.md:{line}: sub-topic {topic:?}");
        if lesson == "-" {
            if note
                .strip_prefix(OUT_OF_SCOPE)
                .is_none_or(|w| w.trim().is_empty())
            {
                problems.push(format!("{at}: no lesson, and no `{OUT_OF_SCOPE}` reason"));
            }
            continue;
        }
        match course.lessons.get(lesson) {
            None => problems.push(format!("{at}: no lesson `{lesson}`")),
            Some((headings, _)) if !headings.contains_key(heading) => problems.push(format!(
                "{at}: lesson `{lesson}` has no section {heading:?}"
            )),
            Some(_) if note.is_empty() => problems.push(format!("{at}: the note is empty")),
            Some(_) => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_seed_heading_and_table_row_has_a_row() {
    let rows = table();
    let seeds = seed_parts_to_check();
    let problems = check_seeds(&rows, &seeds);
    assert!(
        problems.is_empty(),
        "docs/coverage.md and the seed documents disagree:\n{}",
        problems.join("\n")
    );
}

/// The checks catch what they promise to: a dangling demo, test or heading, an unmapped row
/// without a reason, and a seed section without a row.
#[test]
fn the_checks_name_each_broken_row() {
    let course = load_course();
    let good = Row {
        line: 1,
        seed: "900".into(),
        section: "Gather".into(),
        lesson: "gather".into(),
        heading: "Waiting together".into(),
        demo: "sequential_vs_gather".into(),
        test: "03_gather::dashboard_runs_the_three_calls_concurrently".into(),
        note: "join! and join_all".into(),
    };
    assert!(check_row(&good, &course).is_empty());
    let source = "#[test]\nfn a() {}\nfn helper() {}\n#[tokio::test(start_paused = true)]\n\
                  /// doc\n#[ignore]\nasync fn b() {}\n";
    assert_eq!(test_fn_names(source).collect::<Vec<_>>(), ["a", "b"]);

    let broken = |edit: fn(&mut Row)| {
        let mut row = good.clone();
        edit(&mut row);
        check_row(&row, &course).join("\n")
    };
    assert!(broken(|r| r.lesson = "gathr".into()).contains("no lesson `gathr`"));
    assert!(broken(|r| r.heading = "Waiting".into()).contains("has no section \"Waiting\""));
    assert!(broken(|r| r.demo = "nope".into()).contains("has no demo `nope`"));
    assert!(broken(|r| r.test = "03_gather::nope".into()).contains(
        "no test `fn nope` (under `#[test]` or `#[tokio::test]`) in exercises/03_gather"
    ));
    // A helper fn of the grading tests is not a test.
    let helper = broken(|r| r.test = "10_databases::rows".into());
    assert!(helper.contains("no test `fn rows`"), "{helper}");
    // A demo of the lesson that the section does not show.
    let elsewhere = broken(|r| r.demo = "when_one_fails".into());
    assert!(
        elsewhere.contains(
            "section \"Waiting together\" of lesson `gather` does not show demo `when_one_fails`"
        ),
        "{elsewhere}"
    );
    assert!(broken(|r| r.test = "nope".into()).contains("is not `<crate>::<fn>`"));
    let unmapped = broken(|r| {
        r.lesson = "-".into();
        r.heading = "-".into();
        r.demo = "-".into();
        r.test = "-".into();
    });
    assert!(unmapped.contains("no lesson and no reason"), "{unmapped}");

    let seed_text = "# Title\n\n## Gather\n\n```python\n# a comment, not a heading\n```\n\n\
                     | Mistake | Fix |\n|---|---|\n| Forgetting `await` | await |\n";
    let seeds = BTreeMap::from([("900".to_string(), seed_parts(seed_text))]);
    assert_eq!(seeds["900"], ["Title", "Gather", "row: Forgetting `await`"]);
    let problems = check_seeds(std::slice::from_ref(&good), &seeds).join("\n");
    assert!(problems.contains("\"Title\" has no row"), "{problems}");
    assert!(
        problems.contains("\"row: Forgetting `await`\" has no row"),
        "{problems}"
    );
    assert!(!problems.contains("\"Gather\" has no row"), "{problems}");
}
