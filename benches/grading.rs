//! Grading speed, end to end through the `asyncwork` binary.
//!
//!     cargo bench --bench grading
//!
//! Measures, on a fresh workbook written by `asyncwork init`:
//! * cold `check --all`: nothing built yet for this workbook (set `GRADING_BENCH_COLD_DEPS=1`
//!   to also start from an empty target dir, i.e. compile tokio too);
//! * warm re-check after editing one exercise (goal < 3 s);
//! * re-check of unchanged sources, answered from the record (goal < 100 ms);
//! * each exercise's test suite, wall time (goal < 200 ms), as shipped and solved.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark reports on the terminal

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use asyncwork::workbook::grade::{self, GradeOptions, Quiet};
use asyncwork::workbook::{ExerciseCatalogue, Workbook, embed};

fn asyncwork(root: &Path, target: &Path, args: &[&str]) -> (Duration, i32, String) {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_asyncwork"))
        .args(["--color", "never", "--workbook"])
        .arg(root)
        .args(args)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("run asyncwork");
    (
        started.elapsed(),
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let cat = ExerciseCatalogue::embedded();
    let first = &cat.exercises.first().expect("exercises are embedded").name;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("workbook");
    asyncwork::workbook::init::init(&root).unwrap();
    let target = if std::env::var_os("GRADING_BENCH_COLD_DEPS").is_some() {
        tmp.path().join("target")
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-grading")
    };
    println!("workbook {}  target {}", root.display(), target.display());
    println!("{} exercise(s) in the catalogue\n", cat.exercises.len());

    let (cold, code, _) = asyncwork(&root, &target, &["check", "--all"]);
    println!(
        "cold check --all ({} exercises, exit {code}): {}",
        cat.exercises.len(),
        ms(cold)
    );

    let lib = root.join(first).join("src/lib.rs");
    let original = std::fs::read_to_string(&lib).unwrap();
    let mut warm = Vec::new();
    for i in 0..5 {
        std::fs::write(&lib, format!("{original}\n// edit {i}\n")).unwrap();
        warm.push(asyncwork(&root, &target, &["check", first]).0);
    }
    println!(
        "warm re-check after editing {first}: median {} (runs: {:?})",
        ms(median(warm.clone())),
        warm.iter().map(|d| ms(*d)).collect::<Vec<_>>()
    );

    let mut unchanged = Vec::new();
    for _ in 0..20 {
        let (d, _, out) = asyncwork(&root, &target, &["check", first]);
        assert!(out.contains("answered from the record"), "{out}");
        unchanged.push(d);
    }
    println!(
        "re-check of unchanged sources: median {}, max {}",
        ms(median(unchanged.clone())),
        ms(*unchanged.iter().max().unwrap())
    );

    // Test suite wall time per exercise, shipped and solved (in-process, same grader).
    let mut wb = Workbook::new(&root);
    wb.target_override = Some(target.clone());
    let all: Vec<_> = cat.exercises.iter().collect();
    let opts = GradeOptions {
        use_record: false,
        jobs: 1,
        ..Default::default()
    };
    std::fs::write(&lib, &original).unwrap();
    let shipped = grade::grade(&wb, &all, &opts, None, &Quiet).unwrap();
    for ex in &all {
        for (rel, contents) in embed::solution_files(&ex.name) {
            std::fs::write(root.join(&ex.name).join(rel), contents).unwrap();
        }
    }
    let solved = grade::grade(&wb, &all, &opts, None, &Quiet).unwrap();
    println!(
        "\n{:<28} {:>10} {:>10}",
        "test suite wall time", "shipped", "solved"
    );
    for (s, v) in shipped.iter().zip(&solved) {
        let f = |r: &asyncwork::workbook::report::ExerciseReport| {
            r.tests_ms
                .map(|m| format!("{m} ms"))
                .unwrap_or_else(|| r.verdict.as_str().into())
        };
        println!("{:<28} {:>10} {:>10}", s.exercise, f(s), f(v));
    }
}
