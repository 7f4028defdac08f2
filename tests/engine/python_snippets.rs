//! Every Python snippet of the course is real Python: each `python` of a lesson's
//! `[section.code]` and `[[section.compile_fail]]`, and each ```` ```python ```` block of an
//! exercise README, is parsed by python3 and, unless it starts with `# fragment`, run under
//! asyncio with small stubs for the application and for the libraries not installed here
//! (httpx, FastAPI, redis). The checks themselves are in `tests/engine/python_snippets/harness.py`,
//! which says what "run" means and what the stubs are.
//!
//! Without python3 >= 3.11 the test is skipped with the reason printed, except under CI (the
//! `CI` environment variable set), where a missing python3 is a failure: the course's Python
//! would otherwise go unchecked without anyone noticing.

#![allow(clippy::print_stderr)] // the count of snippets run

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Deserialize;

#[derive(Deserialize)]
struct Lesson {
    id: String,
    #[serde(default)]
    section: Vec<Section>,
}

#[derive(Deserialize)]
struct Section {
    heading: String,
    code: Option<Code>,
    #[serde(default)]
    compile_fail: Vec<Mistake>,
}

#[derive(Deserialize)]
struct Code {
    python: Option<String>,
}

#[derive(Deserialize)]
struct Mistake {
    python: Option<String>,
}

/// One snippet as the harness reads it: where it is, `code` or `mistake`, and the source.
#[derive(serde::Serialize)]
struct Snippet {
    origin: String,
    kind: &'static str,
    code: String,
}

fn root() -> PathBuf {
    crate::common::repo().to_path_buf()
}

fn sorted_paths(dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| keep(p))
        .collect();
    paths.sort();
    paths
}

fn lesson_snippets() -> Vec<Snippet> {
    let mut out = Vec::new();
    let lessons = sorted_paths(&root().join("lessons"), |p| {
        p.extension().is_some_and(|e| e == "toml")
    });
    for path in lessons {
        let text = std::fs::read_to_string(&path).expect("read lesson");
        let lesson: Lesson = toml::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: not a lesson: {e}", path.display()));
        for section in lesson.section {
            let origin = |what: &str| {
                format!(
                    "lesson `{}`, section {:?}, {what}",
                    lesson.id, section.heading
                )
            };
            if let Some(code) = section.code.as_ref().and_then(|c| c.python.clone()) {
                out.push(Snippet {
                    origin: origin("[section.code]"),
                    kind: "code",
                    code,
                });
            }
            for (i, mistake) in section.compile_fail.iter().enumerate() {
                if let Some(code) = mistake.python.clone() {
                    out.push(Snippet {
                        origin: origin(&format!("compile_fail block {}", i + 1)),
                        kind: "mistake",
                        code,
                    });
                }
            }
        }
    }
    out
}

/// The ```` ```python ```` blocks of a Markdown text, each with the line its code starts on.
fn python_blocks(markdown: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (n, line) in markdown.lines().enumerate() {
        match &mut open {
            None if line.trim_end() == "```python" => open = Some((n + 2, String::new())),
            None => {}
            Some(_) if line.trim_end() == "```" => blocks.extend(open.take()),
            Some((_, code)) => {
                code.push_str(line);
                code.push('\n');
            }
        }
    }
    assert!(open.is_none(), "a ```python block is never closed");
    blocks
}

fn readme_snippets() -> Vec<Snippet> {
    let mut out = Vec::new();
    for dir in sorted_paths(&root().join("exercises"), |p| p.is_dir()) {
        let readme = dir.join("README.md");
        let Ok(text) = std::fs::read_to_string(&readme) else {
            continue;
        };
        let shown = readme.strip_prefix(root()).unwrap_or(&readme).display();
        for (line, code) in python_blocks(&text) {
            out.push(Snippet {
                origin: format!("{shown}, the block from line {line}"),
                kind: "code",
                code,
            });
        }
    }
    out
}

/// Runs the harness over `snippets`: each problem as (origin, problem), and its summary line.
fn run_harness(snippets: &[Snippet]) -> (Vec<(String, String)>, serde_json::Value) {
    let mut child = Command::new("python3")
        .arg(root().join("tests/engine/python_snippets/harness.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start python3");
    let input = serde_json::to_vec(snippets).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().expect("wait for python3");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the harness failed:\n{stderr}\n{stdout}"
    );
    let mut problems = Vec::new();
    let mut summary = None;
    for line in stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("not a harness line ({e}): {line}"));
        match v["problem"].as_str() {
            Some(problem) => problems.push((
                v["origin"].as_str().unwrap_or("?").to_string(),
                problem.to_string(),
            )),
            None => summary = Some(v),
        }
    }
    let summary = summary.unwrap_or_else(|| panic!("no summary from the harness:\n{stdout}"));
    (problems, summary)
}

#[test]
fn python_blocks_are_found_with_their_lines() {
    let md = "intro\n```python\na = 1\n\nb = 2\n```\n```sh\nls\n```\n```python\nc\n```\n";
    assert_eq!(
        python_blocks(md),
        vec![(3, "a = 1\n\nb = 2\n".to_string()), (11, "c\n".to_string())]
    );
}

#[test]
fn every_python_snippet_parses_and_runs_under_asyncio() {
    if !crate::common::require_python() {
        return;
    }
    let mut snippets = lesson_snippets();
    let lessons = snippets.len();
    snippets.extend(readme_snippets());
    assert!(lessons > 0, "no Python snippets found in lessons/");
    assert!(
        snippets.len() > lessons,
        "no ```python blocks found in exercises/*/README.md"
    );

    let (problems, summary) = run_harness(&snippets);
    let mut report = String::new();
    for (origin, problem) in &problems {
        writeln!(report, "  {origin}: {problem}").unwrap();
    }
    assert!(
        report.is_empty(),
        "Python snippets that are not what they claim to be:\n{report}"
    );
    assert_eq!(
        summary["checked"].as_u64(),
        Some(snippets.len() as u64),
        "the harness checked a different number of snippets: {summary}"
    );
    let (ran, fragments) = (summary["ran"].as_u64(), summary["fragments"].as_u64());
    assert_eq!(
        ran.zip(fragments).map(|(r, f)| r + f),
        Some(snippets.len() as u64),
        "every snippet is either run or marked `# fragment`: {summary}"
    );
    eprintln!(
        "{} Python snippets: {} run under asyncio, {} fragments parsed only",
        snippets.len(),
        ran.unwrap_or(0),
        fragments.unwrap_or(0)
    );
}

/// The harness finds the mistakes the course once had: a name asyncio does not export
/// unqualified, coroutines passed to `asyncio.wait`, a top-level `return`, a mistake whose
/// comment names the wrong exception; and it passes a fragment, a mistake that raises what it
/// says, and code that runs.
#[test]
fn the_harness_finds_broken_snippets_and_passes_good_ones() {
    if !crate::common::require_python() {
        return;
    }
    let snippet = |origin: &str, kind, code: &str| Snippet {
        origin: origin.into(),
        kind,
        code: code.into(),
    };
    let snippets = [
        snippet(
            "unqualified",
            "code",
            "t = asyncio.create_task(fetch_user(1))\n\
             await asyncio.wait({t}, return_when=FIRST_COMPLETED)\n",
        ),
        snippet(
            "coroutines",
            "code",
            "await asyncio.wait({fetch_user(1)}, return_when=asyncio.FIRST_COMPLETED)\n",
        ),
        snippet(
            "return",
            "code",
            "async for i in all_items():\n    return i\n",
        ),
        snippet(
            "wrong error",
            "mistake",
            "user = fetch_user(1)  # KeyError\nprint(user.name)\n",
        ),
        snippet(
            "fragment",
            "code",
            "# fragment: a handler's body\nreturn user\n",
        ),
        snippet(
            "right error",
            "mistake",
            "user = fetch_user(1)\nprint(user.name)  # AttributeError\n",
        ),
        snippet(
            "good",
            "code",
            "users = await asyncio.gather(*(fetch_user(i) for i in ids))\n\
             assert [u.id for u in users] == ids\n",
        ),
    ];
    let (problems, summary) = run_harness(&snippets);
    let flagged: Vec<&str> = problems.iter().map(|(o, _)| o.as_str()).collect();
    assert_eq!(
        flagged,
        ["unqualified", "coroutines", "return", "wrong error"],
        "{problems:#?}"
    );
    assert!(problems[0].1.contains("FIRST_COMPLETED"), "{problems:#?}");
    assert!(problems[1].1.contains("TypeError"), "{problems:#?}");
    assert!(problems[3].1.contains("says KeyError"), "{problems:#?}");
    assert_eq!(summary["fragments"].as_u64(), Some(1), "{summary}");
    assert_eq!(summary["ran"].as_u64(), Some(5), "{summary}");
}
