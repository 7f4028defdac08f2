//! `asyncwork lesson new ID`: a lesson skeleton that validates as written.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use crate::commands::{Exit, Global, known_exercises};
use crate::lesson::{self, Catalogue, LessonFile, Source};
use crate::render::emit;

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Example:\n  asyncwork lesson new select_loops")]
pub struct Args {
    /// The new lesson's id: a-z, 0-9, _ and -
    pub id: String,
}

pub fn run(g: &Global, args: &Args) -> anyhow::Result<Exit> {
    let id = args.id.as_str();
    if !lesson::model::is_valid_id(id) {
        bail!("invalid lesson id {id:?}: use 1 to 64 characters of a-z, 0-9, _ and -");
    }
    // `--lessons DIR` that does not exist yet: a new course starts with its first lesson.
    if let Some(dir) = g.lessons().filter(|d| !d.exists()) {
        return write_new(id, dir, 1);
    }
    let source = Source::discover(g.lessons())?;
    let dir = source
        .dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("lessons"));
    let path = dir.join(format!("{id}.toml"));
    if path.exists() {
        bail!(
            "{} already exists; asyncwork never overwrites a lesson",
            path.display()
        );
    }
    let existing: Vec<LessonFile> = if dir.is_dir() {
        source.files()?
    } else {
        Vec::new()
    };
    let catalogue = Catalogue::check(existing, &known_exercises());
    if catalogue.get(id).is_some() {
        bail!(
            "a lesson with id `{id}` already exists in {}",
            dir.display()
        );
    }
    let position = catalogue
        .lessons
        .iter()
        .map(|p| p.lesson.position)
        .max()
        .unwrap_or(0)
        + 1;
    write_new(id, &dir, position)
}

/// Writes the skeleton of lesson `id` at `position` into `dir`, never over an existing file.
fn write_new(id: &str, dir: &Path, position: u32) -> anyhow::Result<Exit> {
    let path = dir.join(format!("{id}.toml"));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let text = lesson::skeleton::skeleton(id, position, &path.display().to_string());
    // `create_new` refuses to overwrite even if the file appeared since the check above.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
        .with_context(|| format!("cannot write {}", path.display()))?;
    emit(&format!(
        "wrote {}\nnext: edit it, then run `asyncwork lesson validate {}`\n",
        path.display(),
        path.display()
    ));
    Ok(Exit::Success)
}
