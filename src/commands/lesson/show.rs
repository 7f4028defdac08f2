//! `asyncwork lesson show ID`: a lesson for the terminal, with the learner's progress on its
//! exercises.

use super::{find, load};
use crate::commands::{Exit, Global};
use crate::render::marks::status_mark;
use crate::render::{self, emit};

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Example:\n  asyncwork lesson show gather")]
pub struct Args {
    /// The lesson id (see `asyncwork lesson list`)
    #[arg(add = clap_complete::ArgValueCandidates::new(crate::commands::completions::lesson_ids))]
    pub id: String,
}

pub fn run(g: &Global, args: &Args) -> anyhow::Result<Exit> {
    let (_, catalogue) = load(g.lessons())?;
    let lesson = &find(&catalogue, &args.id)?.lesson;
    let lessons = g.lessons().map(|d| d.display().to_string());
    let statuses = g.exercise_statuses();
    let cx = render::lesson::Context {
        total_lessons: catalogue.lessons.len(),
        next_lesson: catalogue.next_after(lesson),
        lessons: lessons.as_deref(),
        in_workbook: statuses.is_some(),
    };
    let mut text = render::lesson::render(lesson, &cx, render::width());
    if let Some(statuses) = statuses {
        let mut lines = String::new();
        for e in &lesson.exercises {
            if let Some(status) = statuses.get(&e.name) {
                lines.push_str(&format!(
                    "  {}: {}\n    asyncwork check {}\n",
                    e.name,
                    status_mark(*status),
                    e.name
                ));
            }
        }
        if !lines.is_empty() {
            text.push_str(&render::lesson::your_progress(&lines));
        }
    }
    emit(&text);
    Ok(Exit::Success)
}
