//! A demo's tasks, expanded: every copy of every `[[demo.task]]` gets a numeric id (0..len), so the
//! recorder can keep one compact slot per copy even at 100,000 tasks and names are made only when
//! a report is written.
//!
//! Nested resources (`inside = "outer"`) are not tasks a strategy runs: they run inside the body
//! of their outer resource. So the plan numbers the top-level copies first (`0..roots()`, what
//! the strategies and the ideal model see) and the nested copies after them.

use std::ops::Range;

use crate::demo::model::MAX_TASKS;
use crate::demo::op::Op;

/// One `[[demo.task]]`, validated: its name, what it does, how many copies run.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub name: String,
    pub op: Op,
    pub count: u32,
    /// A `resource` nested inside another (`inside = "outer"`): copy N runs in the body of the
    /// outer's copy N, like a second `async with` inside the first.
    pub inside: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Plan {
    ops: Vec<Op>,
    names: Vec<String>,
    counts: Vec<u32>,
    /// `offsets[i]`: the id of the first copy of task `i`.
    offsets: Vec<u32>,
    /// `parents[i]`: the task (index) task `i` is nested in.
    parents: Vec<Option<usize>>,
    len: u32,
    /// Copies of top-level tasks: ids `0..roots`.
    roots: u32,
}

impl Plan {
    /// Expands validated tasks, top-level ones first. Counts are clamped to [`MAX_TASKS`] in all
    /// (validation refuses more), so a plan can never index past its slots.
    pub fn new(tasks: &[Task]) -> Plan {
        let mut plan = Plan {
            ops: Vec::new(),
            names: Vec::new(),
            counts: Vec::new(),
            offsets: Vec::new(),
            parents: Vec::new(),
            len: 0,
            roots: 0,
        };
        let (top, nested): (Vec<&Task>, Vec<&Task>) =
            tasks.iter().partition(|t| t.inside.is_none());
        for task in top.iter().chain(&nested) {
            let room = MAX_TASKS as u32 - plan.len;
            let count = task.count.min(room);
            plan.ops.push(task.op.clone());
            plan.names.push(task.name.clone());
            plan.counts.push(count);
            plan.offsets.push(plan.len);
            plan.len += count;
            if task.inside.is_none() {
                plan.roots = plan.len;
            }
        }
        plan.parents = top
            .iter()
            .chain(&nested)
            .map(|t| {
                let outer = t.inside.as_deref()?;
                plan.names.iter().position(|n| n == outer)
            })
            .collect();
        plan
    }

    /// The same plan with every op replaced by `f(op)` (what a calibration measured, say).
    pub fn with_ops(&self, f: impl Fn(&Op) -> Op) -> Plan {
        Plan {
            ops: self.ops.iter().map(f).collect(),
            ..self.clone()
        }
    }

    /// Number of task copies.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// Number of top-level task copies (ids `0..roots()`): the tasks a strategy runs.
    pub fn roots(&self) -> usize {
        self.roots as usize
    }

    /// The copies nested directly in copy `id`, in the order they run: copy N of each task
    /// declared `inside` this one's task.
    pub fn nested_in(&self, id: u32) -> Vec<u32> {
        let t = self.task_of(id);
        let copy = id - self.offsets[t];
        (0..self.ops.len())
            .filter(|&c| self.parents[c] == Some(t) && copy < self.counts[c])
            .map(|c| self.offsets[c] + copy)
            .collect()
    }

    /// Copy `id` and every copy nested in it, at any depth.
    pub fn stack(&self, id: u32) -> Vec<u32> {
        let mut out = vec![id];
        let mut i = 0;
        while i < out.len() {
            out.extend(self.nested_in(out[i]));
            i += 1;
        }
        out
    }

    /// The copy `id` is nested in, if any.
    pub fn outer_of(&self, id: u32) -> Option<u32> {
        let t = self.task_of(id);
        let p = self.parents[t]?;
        Some(self.offsets[p] + (id - self.offsets[t]))
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

    /// The ops of the top-level `[[demo.task]]` tables with their copy counts: what the ideal
    /// model schedules (a nested resource is part of its outer's duration).
    pub fn root_groups(&self) -> impl Iterator<Item = (usize, &Op, u32)> {
        (0..self.ops.len())
            .filter(|&t| self.parents[t].is_none())
            .map(|t| (t, &self.ops[t], self.counts[t]))
    }

    /// The op of task (index) `t`.
    pub fn task_op(&self, t: usize) -> &Op {
        &self.ops[t]
    }

    /// The tasks (indexes) nested directly in task `t`, in declaration order.
    pub fn nested_tasks(&self, t: usize) -> impl Iterator<Item = (usize, &Op)> {
        (0..self.ops.len())
            .filter(move |&c| self.parents[c] == Some(t))
            .map(|c| (c, &self.ops[c]))
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
