//! A demo's tasks, expanded: every copy of every `[[demo.task]]` gets a numeric id (0..len), so the
//! recorder can keep one compact slot per copy even at 100,000 tasks and names are made only when
//! a report is written.

use std::ops::Range;

use crate::demo::model::{MAX_TASKS, Op, Task};

#[derive(Debug, Clone)]
pub struct Plan {
    ops: Vec<Op>,
    names: Vec<String>,
    counts: Vec<u32>,
    /// `offsets[i]`: the id of the first copy of task `i`.
    offsets: Vec<u32>,
    len: u32,
}

impl Plan {
    /// Expands validated tasks. Counts are clamped to [`MAX_TASKS`] in all (validation refuses
    /// more), so a plan can never index past its slots.
    pub fn new(tasks: &[Task]) -> Plan {
        let mut plan = Plan {
            ops: Vec::new(),
            names: Vec::new(),
            counts: Vec::new(),
            offsets: Vec::new(),
            len: 0,
        };
        for task in tasks {
            let room = MAX_TASKS as u32 - plan.len;
            let count = task.count.min(room);
            plan.ops.push(task.op.clone());
            plan.names.push(task.name.clone());
            plan.counts.push(count);
            plan.offsets.push(plan.len);
            plan.len += count;
        }
        plan
    }

    /// Number of task copies.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Which `[[demo.task]]` a copy belongs to.
    pub fn task_of(&self, id: u32) -> usize {
        self.offsets.partition_point(|&o| o <= id).saturating_sub(1)
    }

    pub fn op(&self, id: u32) -> &Op {
        &self.ops[self.task_of(id)]
    }

    /// The ops of the `[[demo.task]]` tables with their copy counts.
    pub fn groups(&self) -> impl Iterator<Item = (&str, &Op, u32)> {
        self.names
            .iter()
            .zip(&self.ops)
            .zip(&self.counts)
            .map(|((n, o), c)| (n.as_str(), o, *c))
    }

    pub fn task_name(&self, id: u32) -> &str {
        &self.names[self.task_of(id)]
    }

    /// `fetch` for a single task, `fetch#2` for the second copy of one with `count` > 1.
    pub fn name(&self, id: u32) -> String {
        let t = self.task_of(id);
        if self.counts[t] == 1 {
            self.names[t].clone()
        } else {
            format!("{}#{}", self.names[t], id - self.offsets[t] + 1)
        }
    }

    /// The ids `fetch` (every copy) or `fetch#2` (one copy) refers to.
    pub fn ids_of(&self, name: &str) -> Option<Range<u32>> {
        if let Some(t) = self.names.iter().position(|n| n == name) {
            return Some(self.offsets[t]..self.offsets[t] + self.counts[t]);
        }
        let (base, n) = name.rsplit_once('#')?;
        let n: u32 = n.parse().ok()?;
        let t = self.names.iter().position(|x| x == base)?;
        (n >= 1 && n <= self.counts[t]).then(|| {
            let id = self.offsets[t] + n - 1;
            id..id + 1
        })
    }
}
