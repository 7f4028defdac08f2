//! `asyncwork` with no command, in a terminal: a menu of lessons with progress marks.
//!
//! The menu only chooses; it never does the work itself. Each choice becomes the command line a
//! learner could have typed (`lesson show gather`, `check 03_gather`), which `main.rs` parses and
//! dispatches like any other. So the menu cannot drift from the commands, and it teaches them: the
//! command is printed before it runs.

use std::collections::HashMap;

use console::style;
use dialoguer::{Select, theme::ColorfulTheme};

use super::Global;
use crate::lesson::{Catalogue, Lesson, Source};
use crate::progress::Status;
use crate::render::plural;

/// What the learner picked: the arguments of an asyncwork command, or quit.
pub enum Choice {
    Run(Vec<String>),
    Quit,
}

fn mark(status: Option<Status>) -> String {
    match status {
        Some(Status::Done) => style("✓").green().to_string(),
        Some(Status::Attempted) => style("◐").yellow().to_string(),
        Some(Status::NotStarted) => style("·").dim().to_string(),
        None => " ".to_string(),
    }
}

/// Ask until the learner picks a command or quits (Esc or `q` on the top menu quits).
pub fn choose(g: &Global) -> anyhow::Result<Choice> {
    let source = Source::discover(g.lessons())?;
    let catalogue = Catalogue::check(source.files()?, &super::known_exercises());
    let statuses = g.exercise_statuses();
    let status_of = |l: &Lesson| {
        let ex = l.main_exercise().filter(|e| !e.planned)?;
        statuses.as_ref()?.get(&ex.name).copied()
    };
    let theme = ColorfulTheme::default();
    loop {
        let mut items: Vec<String> = catalogue
            .lessons
            .iter()
            .map(|p| {
                let l = &p.lesson;
                format!("{} {:>2}  {}", mark(status_of(l)), l.position, l.title)
            })
            .collect();
        let extra = top_actions(&statuses);
        items.extend(extra.iter().map(|(label, _)| label.clone()));
        items.push("Quit".into());
        let prompt = match &statuses {
            Some(s) => {
                let done = s.values().filter(|v| **v == Status::Done).count();
                format!(
                    "asyncwork: pick a lesson ({done} of {} exercises done)",
                    s.len()
                )
            }
            None => {
                "asyncwork: pick a lesson (no workbook here: `asyncwork init` writes one)".into()
            }
        };
        let Some(picked) = Select::with_theme(&theme)
            .with_prompt(prompt)
            .items(&items)
            .default(0)
            .interact_opt()?
        else {
            return Ok(Choice::Quit);
        };
        let lessons = catalogue.lessons.len();
        if picked < lessons {
            let lesson = &catalogue.lessons[picked].lesson;
            if let Some(args) = lesson_menu(&theme, lesson, statuses.is_some())? {
                return Ok(Choice::Run(args));
            }
        } else if let Some((_, args)) = extra.get(picked - lessons) {
            return Ok(Choice::Run(args.clone()));
        } else {
            return Ok(Choice::Quit);
        }
    }
}

/// Actions that are not about one lesson.
fn top_actions(statuses: &Option<HashMap<String, Status>>) -> Vec<(String, Vec<String>)> {
    match statuses {
        Some(_) => vec![
            ("Check the next exercise".into(), args(&["check"])),
            ("Show my progress".into(), args(&["progress"])),
        ],
        None => Vec::new(),
    }
}

/// One lesson's actions; `None` means back to the lesson list.
fn lesson_menu(
    theme: &ColorfulTheme,
    lesson: &Lesson,
    have_workbook: bool,
) -> anyhow::Result<Option<Vec<String>>> {
    let mut actions: Vec<(String, Vec<String>)> = vec![(
        "Read the lesson".into(),
        args(&["lesson", "show", &lesson.id]),
    )];
    if !lesson.demos.is_empty() {
        actions.push((
            format!("Run its {} live", plural(lesson.demos.len(), "demo")),
            args(&["lesson", "run", &lesson.id]),
        ));
    }
    if let Some(ex) = lesson
        .main_exercise()
        .filter(|e| !e.planned && have_workbook)
    {
        actions.push((
            format!("Check exercise {}", ex.name),
            args(&["check", &ex.name]),
        ));
        actions.push((
            format!("Next hint for {}", ex.name),
            args(&["hint", &ex.name]),
        ));
    }
    let mut items: Vec<&str> = actions.iter().map(|(label, _)| label.as_str()).collect();
    items.push("Back");
    let picked = Select::with_theme(theme)
        .with_prompt(&lesson.title)
        .items(&items)
        .default(0)
        .interact_opt()?;
    Ok(picked.and_then(|i| actions.get(i)).map(|(_, a)| a.clone()))
}

fn args(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}
