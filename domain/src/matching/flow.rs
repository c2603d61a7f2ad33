//! The optimal assignment of pupils to tutors with capacities, as a
//! minimum-cost circulation solved by cost scaling (Goldberg and Tarjan,
//! "Finding minimum-cost circulations by successive approximation",
//! *Mathematics of Operations Research* 15(3), 1990; Goldberg, "An
//! efficient implementation of a scaling minimum-cost flow algorithm",
//! *Journal of Algorithms* 22, 1997).
//!
//! The network: source → pupil (capacity 1, cost 0), pupil → tutor for
//! each feasible pair (capacity 1, cost −score), tutor → sink (capacity the
//! tutor's places, cost 0), and sink → source (capacity the number of
//! pupils, cost −B) with `B` larger than any total score. A circulation of
//! `f` units then costs `−B·f − (total score)`, so the cheapest one matches
//! the most pupils and, among those, has the largest total score: the
//! lexicographic objective, in one solve.
//!
//! Costs are multiplied by `n + 1` (`n` nodes) and ε is divided by
//! [`ALPHA`] each phase down to 1: a circulation that is ε-optimal for
//! ε < 1/n is optimal when costs are integers (Bertsekas 1979; Goldberg and
//! Tarjan 1990, theorem 3.3). Each phase is a FIFO push–relabel. Nothing
//! depends on anything but the input (no hashing, no threads, no clock), so
//! the same input in the same order gives the same assignment.

use std::collections::VecDeque;

/// The factor ε is divided by at each phase.
pub const ALPHA: i64 = 8;

/// The pupils' tutors in an assignment that matches the most pupils and,
/// among those, has the largest total score.
///
/// `rows` pupils (`0..rows`), tutors `0..capacity.len()` with their
/// places, and `arcs` the feasible pairs `(pupil, tutor, score)` with
/// scores ≥ 0 (at most one arc per pair). Returns, per pupil, its tutor.
///
/// # Panics
/// When an arc names a pupil or tutor out of range, or a score is
/// negative or so large that the total overflows `i64` once scaled.
pub fn assign(rows: usize, capacity: &[u32], arcs: &[(usize, usize, i64)]) -> Vec<Option<usize>> {
    let mut tutor_of = vec![None; rows];
    if arcs.is_empty() {
        return tutor_of;
    }
    let tutors = capacity.len();
    let source = 0;
    let pupil_node = |p: usize| 1 + p;
    let tutor_node = |t: usize| 1 + rows + t;
    let sink = 1 + rows + tutors;
    let n = sink + 1;

    let mut best = vec![0_i64; rows];
    for &(p, t, score) in arcs {
        assert!(p < rows && t < tutors, "arc ({p}, {t}) out of range");
        assert!(score >= 0, "negative score");
        best[p] = best[p].max(score);
    }
    let big = best.iter().try_fold(1_i64, |sum, &s| sum.checked_add(s));
    let big = big.expect("total score overflows");

    let mut builder = Builder::new(n);
    for p in 0..rows {
        builder.arc(source, pupil_node(p), 1, 0);
    }
    for &(p, t, score) in arcs {
        builder.arc(pupil_node(p), tutor_node(t), 1, -score);
    }
    for (t, &places) in capacity.iter().enumerate() {
        builder.arc(tutor_node(t), sink, i64::from(places), 0);
    }
    builder.arc(sink, source, rows as i64, -big);
    let mut network = builder.build();
    network.solve();

    for (p, tutor) in tutor_of.iter_mut().enumerate() {
        let v = pupil_node(p);
        *tutor = (network.first[v]..network.first[v + 1])
            .find(|&a| network.capacity[a] > 0 && network.residual[a] == 0)
            .map(|a| network.head[a] as usize - tutor_node(0));
    }
    tutor_of
}

/// Arcs given in any order, then laid out by tail.
struct Builder {
    n: usize,
    arcs: Vec<(usize, usize, i64, i64)>,
}

impl Builder {
    fn new(n: usize) -> Builder {
        Builder {
            n,
            arcs: Vec::new(),
        }
    }

    fn arc(&mut self, from: usize, to: usize, capacity: i64, cost: i64) {
        self.arcs.push((from, to, capacity, cost));
    }

    fn build(self) -> Network {
        let n = self.n;
        let mut degree = vec![0_usize; n + 1];
        for &(from, to, _, _) in &self.arcs {
            degree[from] += 1;
            degree[to] += 1;
        }
        let mut first = vec![0_usize; n + 1];
        for v in 0..n {
            first[v + 1] = first[v] + degree[v];
        }
        let m = first[n];
        let mut next = first.clone();
        let mut head = vec![0_u32; m];
        let mut rev = vec![0_u32; m];
        let mut residual = vec![0_i64; m];
        let mut cost = vec![0_i64; m];
        let mut capacity = vec![0_i64; m];
        let scale = (n + 1) as i64;
        for &(from, to, arc_capacity, c) in &self.arcs {
            let a = next[from];
            next[from] += 1;
            let b = next[to];
            next[to] += 1;
            head[a] = to as u32;
            head[b] = from as u32;
            rev[a] = b as u32;
            rev[b] = a as u32;
            residual[a] = arc_capacity;
            capacity[a] = arc_capacity;
            cost[a] = c.checked_mul(scale).expect("scaled cost overflows");
            cost[b] = -cost[a];
        }
        let mut network = Network {
            active: vec![0; n],
            first,
            head,
            rev,
            residual,
            cost,
            capacity,
            price: vec![0; n],
            excess: vec![0; n],
        };
        // Arcs with residual capacity first in each row.
        for v in 0..n {
            for a in network.first[v]..network.first[v + 1] {
                if network.residual[a] > 0 {
                    network.activate(v, a);
                }
            }
        }
        network
    }
}

/// A residual network in compressed rows: the arcs out of `v` are
/// `first[v]..first[v + 1]`, those with residual capacity first (the
/// `active[v]` of them), so that scans skip saturated arcs: a tutor has an
/// arc back to every pupil who could have them, but only its own pupils'
/// have residual capacity. `rev[a]` is `a`'s reverse.
struct Network {
    first: Vec<usize>,
    active: Vec<usize>,
    head: Vec<u32>,
    rev: Vec<u32>,
    residual: Vec<i64>,
    cost: Vec<i64>,
    /// The given capacity (0 for a reverse arc).
    capacity: Vec<i64>,
    price: Vec<i64>,
    excess: Vec<i64>,
}

impl Network {
    fn nodes(&self) -> usize {
        self.price.len()
    }

    fn end(&self, v: usize) -> usize {
        self.first[v] + self.active[v]
    }

    /// Swaps arcs `a` and `b` of one row, keeping reverses right.
    fn swap(&mut self, a: usize, b: usize) {
        if a == b {
            return;
        }
        let (ra, rb) = (self.rev[a] as usize, self.rev[b] as usize);
        self.head.swap(a, b);
        self.rev.swap(a, b);
        self.residual.swap(a, b);
        self.cost.swap(a, b);
        self.capacity.swap(a, b);
        self.rev[ra] = b as u32;
        self.rev[rb] = a as u32;
    }

    /// Moves arc `a` of `v`, just given residual capacity, into the active
    /// part (at its end); returns where it now is.
    fn activate(&mut self, v: usize, a: usize) -> usize {
        let to = self.end(v);
        self.swap(a, to);
        self.active[v] += 1;
        to
    }

    /// Moves arc `a` of `v`, just saturated, out of the active part: the
    /// last active arc takes its place.
    fn deactivate(&mut self, v: usize, a: usize) {
        self.active[v] -= 1;
        let last = self.end(v);
        self.swap(a, last);
    }

    fn reduced(&self, v: usize, a: usize) -> i64 {
        self.cost[a] + self.price[v] - self.price[self.head[a] as usize]
    }

    /// Cost scaling down to ε = 1 (on costs scaled by `n + 1`).
    fn solve(&mut self) {
        let largest = self.cost.iter().map(|c| c.abs()).max().unwrap_or(0);
        let mut epsilon = largest.max(1);
        loop {
            epsilon = (epsilon / ALPHA).max(1);
            self.refine(epsilon);
            if epsilon == 1 {
                break;
            }
        }
    }

    /// Turns the ε·α-optimal circulation into an ε-optimal one: saturate
    /// every arc of negative reduced cost, then push the excesses so made
    /// along admissible arcs (reduced cost < 0), relabelling nodes with
    /// none, first in, first out.
    fn refine(&mut self, epsilon: i64) {
        let n = self.nodes();
        for v in 0..n {
            let mut a = self.first[v];
            while a < self.end(v) {
                if self.reduced(v, a) < 0 {
                    let amount = self.residual[a];
                    self.push(v, a, amount);
                    // `a` now holds the row's last active arc: look again.
                } else {
                    a += 1;
                }
            }
        }
        let mut queue: VecDeque<usize> = (0..n).filter(|&v| self.excess[v] > 0).collect();
        let mut queued: Vec<bool> = self.excess.iter().map(|&e| e > 0).collect();
        let mut current: Vec<usize> = self.first[..n].to_vec();
        while let Some(v) = queue.pop_front() {
            queued[v] = false;
            while self.excess[v] > 0 {
                if current[v] >= self.end(v) {
                    self.relabel(v, epsilon);
                    current[v] = self.first[v];
                    continue;
                }
                let a = current[v];
                if self.reduced(v, a) < 0 {
                    let amount = self.excess[v].min(self.residual[a]);
                    let w = self.head[a] as usize;
                    // A saturated arc leaves the active part and the next
                    // unscanned one takes its place: `current` stays.
                    self.push(v, a, amount);
                    if self.excess[w] > 0 && !queued[w] {
                        queued[w] = true;
                        queue.push_back(w);
                    }
                } else {
                    current[v] += 1;
                }
            }
        }
    }

    /// Pushes `amount` (at most the residual capacity) along arc `a` of
    /// `v`, moving arcs between the active and saturated parts.
    fn push(&mut self, v: usize, a: usize, amount: i64) {
        let w = self.head[a] as usize;
        let b = self.rev[a] as usize;
        let reverse_was_saturated = self.residual[b] == 0;
        self.residual[a] -= amount;
        self.residual[b] += amount;
        self.excess[v] -= amount;
        self.excess[w] += amount;
        if reverse_was_saturated {
            self.activate(w, b);
        }
        if self.residual[a] == 0 {
            self.deactivate(v, a);
        }
    }

    /// Lowers `v`'s price as far as ε-optimality allows, so that its
    /// cheapest residual arc becomes admissible (reduced cost −ε).
    fn relabel(&mut self, v: usize, epsilon: i64) {
        let highest = (self.first[v]..self.end(v))
            .map(|a| self.price[self.head[a] as usize] - self.cost[a])
            .max()
            .expect("a node with excess has a residual arc");
        self.price[v] = highest - epsilon;
    }
}
