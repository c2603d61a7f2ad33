//! The optimal assignment of pupils to tutors with capacities: the most
//! pupils matched, then the largest total score.
//!
//! Two steps:
//!
//! 1. [`maximum_matching`]: how many pupils can be matched at most, `k`, by
//!    Hopcroft and Karp's algorithm ("An n^5/2 algorithm for maximum
//!    matchings in bipartite graphs", *SIAM Journal on Computing* 2(4),
//!    1973), tutors taking up to their capacity.
//! 2. A minimum-cost flow of exactly `k` units, solved by cost scaling
//!    (Goldberg and Tarjan, "Finding minimum-cost circulations by
//!    successive approximation", *Mathematics of Operations Research*
//!    15(3), 1990) with last-in-first-out push–relabel and a global price
//!    update at the start of each phase (Goldberg, "An efficient implementation of a
//!    scaling minimum-cost flow algorithm", *Journal of Algorithms* 22,
//!    1997), from the maximum matching as the first flow. Each phase
//!    first moves prices so that arcs that are still nearly optimal need
//!    not be saturated, and a relabel reuses the best arc and the bound on
//!    the second best of the node's last scan when it can (as Goldberg and
//!    Kennedy's assignment code does, "An efficient cost scaling algorithm
//!    for the assignment problem", *Mathematical Programming* 71, 1995).
//!
//! The network, pushed from the tutors' side ([`Network::bipartite`]):
//! sink → tutor (capacity the tutor's places, cost 0), tutor → pupil for
//! each feasible pair (capacity 1, cost −score), pupil → source (capacity
//! 1, cost 0); the sink supplies `k` units and the source takes them.
//! Every flow of `k` units matches `k` pupils, the most possible, and the
//! cheapest has the largest total score: the lexicographic objective. (No
//! large cost on a source → sink arc is needed, so costs span only the
//! scores and there are fewer phases.) The feasible pairs are read once
//! into compressed rows ([`Pairs`]); the maximum matching and the network
//! are then built at the same time on two threads, and the network's
//! arrays in two halves, when the machine has two cores.
//!
//! Costs are multiplied by `n + 1` (`n` nodes) and ε, starting from the
//! largest scaled cost, is divided by [`ALPHA`] each phase down to 1: a
//! flow that is ε-optimal for ε < 1/n is optimal when costs are integers
//! (Bertsekas 1979; Goldberg and Tarjan 1990, theorem 3.3). Nothing
//! depends on anything but the input (no hashing, no clock; the threads
//! only fill disjoint parts of arrays that are the same on one thread), so
//! the same input in the same order gives the same assignment.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// The factor ε is divided by at each phase. 4 rather than the usual 8:
/// more phases, each with far fewer relabels (the benchmark's 10,000 ×
/// 4,000 pool, three runs each: 3.18–3.32 s against 3.89–4.04 s at 8;
/// 2 and 3 were slower than 4, 16 and 32 slower than 8). Measured again
/// once the flow was pushed from the tutors' side, on five seeds: none of
/// 3, 5, 6 and 8, nor a first phase at `start / ALPHA³`, was clearly
/// faster.
pub const ALPHA: i64 = 4;

const NONE: u32 = u32::MAX;

/// The pupils' tutors in an assignment that matches the most pupils and,
/// among those, has the largest total score.
///
/// `rows` pupils (`0..rows`), tutors `0..capacity.len()` with their
/// places, and `arcs` the feasible pairs `(pupil, tutor, score)` with
/// scores ≥ 0 (at most one arc per pair). Returns, per pupil, its tutor.
///
/// # Panics
/// When an arc names a pupil or tutor out of range, or a score is
/// negative or so large that it overflows `i64` once scaled.
pub fn assign(rows: usize, capacity: &[u32], arcs: &[(usize, usize, i64)]) -> Vec<Option<usize>> {
    assign_from(rows, capacity, &|arc| {
        for &(p, t, score) in arcs {
            arc(p, t, score);
        }
    })
}

/// The arcs of [`assign_from`]: a function that calls its argument once
/// per arc `(pupil, tutor, score)`, the same arcs in the same order at
/// every call.
pub type Arcs<'a> = &'a dyn Fn(&mut dyn FnMut(usize, usize, i64));

/// [`assign`] with the arcs given by a function instead of a slice, so
/// that a caller holding them in another form need not copy them into
/// tuples (at 10,000 × 4,000, 4.35 million arcs: 100 MB). `arcs` is
/// called once (three times when the arcs do not come by pupil), to read
/// the arcs into compressed rows ([`Pairs`], 12 bytes an arc).
///
/// # Panics
/// As [`assign`].
pub fn assign_from(rows: usize, capacity: &[u32], arcs: Arcs<'_>) -> Vec<Option<usize>> {
    let pairs = Pairs::new(rows, capacity.len(), arcs);
    // Costs are stored in 32 bits when they fit once scaled: less memory
    // for the scans to read.
    let n = rows + capacity.len() + 2;
    let largest = pairs
        .largest
        .checked_mul(n as i64 + 1)
        .expect("scaled cost overflows");
    if i32::try_from(largest).is_ok() {
        optimise::<i32>(&pairs, capacity, largest)
    } else {
        optimise::<i64>(&pairs, capacity, largest)
    }
}

/// The arcs of a problem in compressed rows: pupil `p`'s tutors and
/// scores are `tutor[first[p]..first[p + 1]]` and
/// `score[first[p]..first[p + 1]]`, in the order the arcs were given.
struct Pairs {
    first: Vec<usize>,
    tutor: Vec<u32>,
    score: Vec<i64>,
    /// The largest score (0 when there are no arcs).
    largest: i64,
}

impl Pairs {
    /// The arcs `arcs` lists, of pupils `0..rows` and tutors `0..tutors`:
    /// read once when they come by pupil (as [`super::solve`] gives them),
    /// three times otherwise.
    ///
    /// # Panics
    /// As [`assign`].
    fn new(rows: usize, tutors: usize, arcs: Arcs<'_>) -> Pairs {
        let mut first = vec![0_usize; rows + 1];
        let mut tutor = Vec::new();
        let mut score = Vec::new();
        let mut largest = 0;
        // The rows up to `row` are complete while the arcs come by pupil.
        let mut row = 0;
        let mut by_pupil = true;
        arcs(&mut |p, t, s| {
            assert!(p < rows && t < tutors, "arc ({p}, {t}) out of range");
            assert!(s >= 0, "negative score");
            assert!(u32::try_from(t).is_ok(), "too many tutors");
            largest = largest.max(s);
            if by_pupil && p >= row {
                first[row + 1..=p].fill(tutor.len());
                row = p;
                tutor.push(t as u32);
                score.push(s);
            } else {
                by_pupil = false;
            }
        });
        if by_pupil {
            first[row + 1..].fill(tutor.len());
            return Pairs {
                first,
                tutor,
                score,
                largest,
            };
        }
        // A second reading, rows counted.
        first.fill(0);
        arcs(&mut |p, _, _| first[p + 1] += 1);
        for p in 0..rows {
            first[p + 1] += first[p];
        }
        let mut next = first.clone();
        tutor = vec![0_u32; first[rows]];
        score = vec![0_i64; first[rows]];
        arcs(&mut |p, t, s| {
            tutor[next[p]] = t as u32;
            score[next[p]] = s;
            next[p] += 1;
        });
        Pairs {
            first,
            tutor,
            score,
            largest,
        }
    }

    fn rows(&self) -> usize {
        self.first.len() - 1
    }

    fn of(&self, p: usize) -> std::ops::Range<usize> {
        self.first[p]..self.first[p + 1]
    }
}

/// The rest of [`assign`], with costs stored as `C`; `largest` is the
/// largest scaled cost. The maximum matching and the network are built on
/// two threads when the machine has two cores: neither needs the other.
fn optimise<C: Cost>(pairs: &Pairs, capacity: &[u32], largest: i64) -> Vec<Option<usize>> {
    let parallel = std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    let build = || Network::<C>::bipartite(pairs, capacity, parallel);
    let (matching, network) = if parallel {
        std::thread::scope(|scope| {
            let network = scope.spawn(build);
            let matching = matching_from(pairs, capacity);
            (
                matching,
                network.join().expect("building the network does not panic"),
            )
        })
    } else {
        (matching_from(pairs, capacity), build())
    };
    let k = matching.iter().flatten().count();
    if k == 0 {
        return matching;
    }
    let rows = pairs.rows();
    let mut network = network;
    let (source, sink) = (0, network.nodes() - 1);
    let pupil_node = |p: usize| 1 + p;
    let tutor_node = |t: usize| 1 + rows + t;
    // The maximum matching as the starting flow: feasible, and ε-optimal
    // with zero prices for ε the largest cost.
    network.excess[sink] = k as i64;
    network.excess[source] = -(k as i64);
    for (p, &tutor) in matching.iter().enumerate() {
        if let Some(t) = tutor {
            network.send(sink, tutor_node(t), 1);
            network.send(tutor_node(t), pupil_node(p), 1);
            network.send(pupil_node(p), source, 1);
        }
    }
    network.solve(largest);

    (0..rows)
        .map(|p| {
            let v = pupil_node(p);
            // The tutor → pupil arc used has its reverse in the active
            // part of the pupil's row.
            (network.first[v]..network.end(v))
                .map(|a| network.head[a] as usize)
                .find(|&w| w >= tutor_node(0) && w < sink)
                .map(|w| w - tutor_node(0))
        })
        .collect()
}

/// A matching of the most pupils: per pupil, its tutor, each tutor taking
/// at most its capacity. Same arguments as [`assign`] (scores are
/// ignored). Hopcroft and Karp's phases: a breadth-first search from the
/// free pupils layers the alternating paths up to the nearest tutor with a
/// free place, then a depth-first search augments along vertex-disjoint
/// shortest paths, until none is left; O(m √n) for `m` arcs and `n`
/// people.
///
/// # Panics
/// When an arc names a pupil or tutor out of range.
pub fn maximum_matching(
    rows: usize,
    capacity: &[u32],
    arcs: &[(usize, usize, i64)],
) -> Vec<Option<usize>> {
    let arcs = |arc: &mut dyn FnMut(usize, usize, i64)| {
        for &(p, t, _) in arcs {
            arc(p, t, 0);
        }
    };
    matching_from(&Pairs::new(rows, capacity.len(), &arcs), capacity)
}

/// [`maximum_matching`] of the arcs `pairs`.
fn matching_from(pairs: &Pairs, capacity: &[u32]) -> Vec<Option<usize>> {
    let rows = pairs.rows();
    let tutors = capacity.len();
    // Each pupil's tutors, in arc order.
    let first = &pairs.first;
    let adjacent = &pairs.tutor;

    let mut mate = vec![NONE; rows];
    let mut holders: Vec<Vec<u32>> = vec![Vec::new(); tutors];
    // A first greedy matching.
    for p in 0..rows {
        if let Some(&t) = adjacent[first[p]..first[p + 1]]
            .iter()
            .find(|&&t| holders[t as usize].len() < capacity[t as usize] as usize)
        {
            mate[p] = t;
            holders[t as usize].push(p as u32);
        }
    }

    let unreached = u32::MAX;
    let mut layer = vec![unreached; rows];
    let mut queue = VecDeque::new();
    let mut arc_at = vec![0_usize; rows];
    let mut holder_at = vec![0_usize; rows];
    let mut stack: Vec<usize> = Vec::new();
    // Tutors whose pupils the breadth-first search has layered: all of
    // them were reached then, so meeting the tutor again adds nothing.
    let mut expanded = vec![false; tutors];
    // Pupils the breadth-first search saw next to a tutor with a free
    // place. Places only fill up during a phase, so a pupil of the last
    // layer without one can take no place in the depth-first search.
    let mut near_free = vec![false; rows];
    // Per tutor, bit `l`: every pupil it holds in layer `l` (< 64) is known
    // to lead to no free place in this phase; pupils of layer `l − 1` can
    // pass it by. (A place's holder only changes to a pupil just moved
    // along a path, out of every layer.)
    let mut exhausted = vec![0_u64; tutors];
    loop {
        // Layers of pupils from the free ones.
        queue.clear();
        expanded.fill(false);
        near_free.fill(false);
        exhausted.fill(0);
        for p in 0..rows {
            if mate[p] == NONE && first[p] < first[p + 1] {
                layer[p] = 0;
                queue.push_back(p);
            } else {
                layer[p] = unreached;
            }
        }
        let mut nearest = unreached;
        while let Some(p) = queue.pop_front() {
            if layer[p] > nearest {
                break;
            }
            for &t in &adjacent[first[p]..first[p + 1]] {
                if t == mate[p] {
                    continue;
                }
                let held = &holders[t as usize];
                if held.len() < capacity[t as usize] as usize {
                    nearest = nearest.min(layer[p]);
                    near_free[p] = true;
                    continue;
                }
                if expanded[t as usize] {
                    continue;
                }
                expanded[t as usize] = true;
                for &q in held {
                    let q = q as usize;
                    if layer[q] == unreached {
                        layer[q] = layer[p] + 1;
                        queue.push_back(q);
                    }
                }
            }
        }
        if nearest == unreached {
            break;
        }

        // Vertex-disjoint augmenting paths along the layers.
        for p in 0..rows {
            arc_at[p] = first[p];
            holder_at[p] = 0;
        }
        for root in 0..rows {
            if layer[root] != 0 || mate[root] != NONE {
                continue;
            }
            stack.clear();
            stack.push(root);
            while let Some(&p) = stack.last() {
                let mut deeper = None;
                let mut free = None;
                // In the last layer, only a free place will do.
                let last = layer[p] == nearest;
                let below = 1_u64.checked_shl(layer[p] + 1).unwrap_or(0);
                if last && !near_free[p] {
                    arc_at[p] = first[p + 1];
                }
                while arc_at[p] < first[p + 1] {
                    let t = adjacent[arc_at[p]];
                    let held = &holders[t as usize];
                    if t == mate[p] {
                        arc_at[p] += 1;
                        holder_at[p] = 0;
                    } else if held.len() < capacity[t as usize] as usize {
                        free = Some(t);
                        break;
                    } else if !last
                        && holder_at[p] < held.len()
                        && exhausted[t as usize] & below == 0
                    {
                        let q = held[holder_at[p]] as usize;
                        holder_at[p] += 1;
                        if layer[q] == layer[p] + 1 && layer[q] <= nearest {
                            deeper = Some(q);
                            break;
                        }
                    } else {
                        if !last {
                            exhausted[t as usize] |= below;
                        }
                        arc_at[p] += 1;
                        holder_at[p] = 0;
                    }
                }
                if let Some(t) = free {
                    // The last pupil takes the free place; each one before
                    // takes the place of the next one.
                    holders[t as usize].push(p as u32);
                    let mut taker_tutor = t;
                    for i in (0..stack.len()).rev() {
                        let q = stack[i];
                        let old = mate[q];
                        mate[q] = taker_tutor;
                        layer[q] = unreached;
                        if i > 0 {
                            let before = stack[i - 1];
                            debug_assert_eq!(adjacent[arc_at[before]], old);
                            let slot = holder_at[before] - 1;
                            debug_assert_eq!(holders[old as usize][slot], q as u32);
                            holders[old as usize][slot] = before as u32;
                            taker_tutor = old;
                        }
                    }
                    break;
                }
                match deeper {
                    Some(q) => stack.push(q),
                    None => {
                        layer[p] = unreached;
                        stack.pop();
                    }
                }
            }
        }
    }
    mate.into_iter()
        .map(|t| (t != NONE).then_some(t as usize))
        .collect()
}

/// A residual network in compressed rows: the arcs out of `v` are
/// `first[v]..first[v + 1]`, those with residual capacity first (the
/// `active[v]` of them), so that scans skip saturated arcs: a tutor has an
/// arc back to every pupil who could have them, but only its own pupils'
/// have residual capacity. `rev[a]` is `a`'s reverse.
struct Network<C> {
    first: Vec<usize>,
    active: Vec<usize>,
    head: Vec<u32>,
    rev: Vec<u32>,
    residual: Vec<u32>,
    /// `residual[a] + residual[rev[a]]`, constant: the reverse's residual
    /// capacity read from `a`'s row, without a jump to the reverse.
    total: Vec<u32>,
    /// Scaled costs, as `i32` when they fit (see [`Cost`]).
    cost: Vec<C>,
    price: Vec<i64>,
    /// What the last full relabel of each node found: its best arc (where
    /// it was, and its head) and an upper bound on the value
    /// (`price[head] − cost`) of every other residual arc (`i64::MAX`:
    /// none known). Prices only fall during a phase, so the bound holds
    /// until another arc of the node gets residual capacity again or a new
    /// phase begins (the best arc is followed when it moves between the
    /// parts of the row); see [`Network::relabel`].
    best: Vec<u32>,
    best_head: Vec<u32>,
    bound: Vec<i64>,
    /// Supply not yet sent on: positive at nodes to push from, negative at
    /// nodes still to receive.
    excess: Vec<i64>,
}

/// The arcs `offset..offset + head.len()` of a network being built: the
/// part of each array one thread fills.
struct Part<'a, C> {
    offset: usize,
    head: &'a mut [u32],
    rev: &'a mut [u32],
    residual: &'a mut [u32],
    total: &'a mut [u32],
    cost: &'a mut [C],
}

impl<'a, C> Part<'a, C> {
    /// The arcs before `at` and those from `at` on.
    fn halves(
        at: usize,
        head: &'a mut [u32],
        rev: &'a mut [u32],
        residual: &'a mut [u32],
        total: &'a mut [u32],
        cost: &'a mut [C],
    ) -> (Part<'a, C>, Part<'a, C>) {
        let (head, head_rest) = head.split_at_mut(at);
        let (rev, rev_rest) = rev.split_at_mut(at);
        let (residual, residual_rest) = residual.split_at_mut(at);
        let (total, total_rest) = total.split_at_mut(at);
        let (cost, cost_rest) = cost.split_at_mut(at);
        (
            Part {
                offset: 0,
                head,
                rev,
                residual,
                total,
                cost,
            },
            Part {
                offset: at,
                head: head_rest,
                rev: rev_rest,
                residual: residual_rest,
                total: total_rest,
                cost: cost_rest,
            },
        )
    }

    /// Arc `a`: to `head`, reverse `rev`, with its residual capacity, its
    /// and its reverse's total, and its cost.
    fn set(&mut self, a: usize, head: usize, rev: usize, residual: u32, total: u32, cost: C) {
        let a = a - self.offset;
        self.head[a] = head as u32;
        self.rev[a] = rev as u32;
        self.residual[a] = residual;
        self.total[a] = total;
        self.cost[a] = cost;
    }
}

/// How arc costs are stored: `i32` or `i64`.
trait Cost: Copy + Into<i64> + TryFrom<i64> + Send + Sync {}

impl Cost for i32 {}
impl Cost for i64 {}

impl<C: Cost> Network<C> {
    /// The network of `pairs`, costs multiplied by `n + 1` (`n` nodes),
    /// with no flow and no excess. Its nodes: the source `0`, pupils `1 +
    /// p`, tutors `1 + rows + t`, the sink last. Its arcs go from the sink
    /// to the tutors (capacity the tutor's places, cost 0), from tutors to
    /// pupils (capacity 1, cost −score) and from pupils to the source
    /// (capacity 1, cost 0): the direction in which the scarce side, the
    /// tutors' places, does the pushing (at 10,000 × 4,000, 30–40 % less
    /// time than from the pupils, where thousands of pupils who end
    /// unmatched bid for places in every phase).
    ///
    /// Scaled costs must fit in `C`.
    fn bipartite(pairs: &Pairs, capacity: &[u32], parallel: bool) -> Network<C> {
        let rows = pairs.rows();
        let tutors = capacity.len();
        let n = rows + tutors + 2;
        let (source, sink) = (0, n - 1);
        let pupil_node = |p: usize| 1 + p;
        let tutor_node = |t: usize| 1 + rows + t;
        // Rows: the source's `rows` arcs, each pupil's arc to the source
        // then its tutors', each tutor's pupils then its arc to the sink,
        // the sink's `tutors`.
        let mut first = vec![0_usize; n + 1];
        first[source + 1] = rows;
        for p in 0..rows {
            first[pupil_node(p) + 1] = 1 + pairs.of(p).len();
        }
        for &t in &pairs.tutor {
            first[tutor_node(t as usize) + 1] += 1;
        }
        for t in 0..tutors {
            first[tutor_node(t) + 1] += 1;
        }
        first[sink + 1] = tutors;
        for v in 0..n {
            first[v + 1] += first[v];
        }
        let m = first[n];
        assert!(u32::try_from(m).is_ok(), "too many arcs");
        // Residual capacity first in each row: the pupils' arcs to the
        // source, the tutors' to their pupils, the sink's to tutors with
        // places.
        let mut active = vec![0_usize; n];
        for p in 0..rows {
            active[pupil_node(p)] = 1;
        }
        for t in 0..tutors {
            active[tutor_node(t)] = first[tutor_node(t) + 1] - 1 - first[tutor_node(t)];
        }
        active[sink] = capacity.iter().filter(|&&places| places > 0).count();

        let zero = C::try_from(0).ok().expect("0 fits");
        let mut head = vec![0_u32; m];
        let mut rev = vec![0_u32; m];
        let mut residual = vec![0_u32; m];
        let mut total = vec![0_u32; m];
        let mut cost: Vec<C> = vec![zero; m];
        let scale = (n + 1) as i64;
        let scaled = |j: usize, sign: i64| -> C {
            let scaled = pairs.score[j]
                .checked_mul(scale * sign)
                .expect("scaled cost overflows");
            C::try_from(scaled).ok().expect("scaled cost fits")
        };
        // The tutor → pupil arcs' places in the tutors' rows, in pupil
        // order: what each half counts on its own.
        let tutor_rows = || -> Vec<usize> { (0..tutors).map(|t| first[tutor_node(t)]).collect() };
        // The source's and the pupils' rows, then the tutors' and the
        // sink's: two halves of the arrays, filled on two threads when
        // `parallel`.
        let (mut left, mut right) = Part::halves(
            first[tutor_node(0)],
            &mut head,
            &mut rev,
            &mut residual,
            &mut total,
            &mut cost,
        );
        let fill_left = |part: &mut Part<'_, C>| {
            // Pupil → source, residual 1; the source's reverses.
            for p in 0..rows {
                let (a, b) = (first[pupil_node(p)], first[source] + p);
                part.set(a, source, b, 1, 1, zero);
                part.set(b, pupil_node(p), a, 0, 1, zero);
            }
            // The reverses of the tutor → pupil arcs, after the pupil's
            // arc to the source.
            let mut next = tutor_rows();
            for p in 0..rows {
                for (i, j) in pairs.of(p).enumerate() {
                    let t = pairs.tutor[j] as usize;
                    let b = first[pupil_node(p)] + 1 + i;
                    part.set(b, tutor_node(t), next[t], 0, 1, scaled(j, 1));
                    next[t] += 1;
                }
            }
        };
        let fill_right = |part: &mut Part<'_, C>| {
            // Tutor → pupil, residual 1, in the tutor's row in pupil order.
            let mut next = tutor_rows();
            for p in 0..rows {
                for (i, j) in pairs.of(p).enumerate() {
                    let t = pairs.tutor[j] as usize;
                    let b = first[pupil_node(p)] + 1 + i;
                    part.set(next[t], pupil_node(p), b, 1, 1, scaled(j, -1));
                    next[t] += 1;
                }
            }
            // Sink → tutor, residual the places (those with none after the
            // others); the reverses last in the tutors' rows.
            let (mut front, mut back) = (first[sink], first[sink + 1]);
            for (t, &places) in capacity.iter().enumerate() {
                let a = if places > 0 {
                    front += 1;
                    front - 1
                } else {
                    back -= 1;
                    back
                };
                let b = first[tutor_node(t) + 1] - 1;
                part.set(a, tutor_node(t), b, places, places, zero);
                part.set(b, sink, a, 0, places, zero);
            }
        };
        if parallel {
            std::thread::scope(|scope| {
                scope.spawn(|| fill_left(&mut left));
                fill_right(&mut right);
            });
        } else {
            fill_left(&mut left);
            fill_right(&mut right);
        }
        Network {
            first,
            active,
            head,
            rev,
            residual,
            total,
            cost,
            price: vec![0; n],
            best: vec![0; n],
            best_head: vec![NONE; n],
            bound: vec![i64::MAX; n],
            excess: vec![0; n],
        }
    }

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
        self.total.swap(a, b);
        self.cost.swap(a, b);
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
        if self.head[a] == self.best_head[v] {
            self.best[v] = a as u32;
        } else if self.head[last] == self.best_head[v] {
            self.best[v] = last as u32;
        }
    }

    fn cost(&self, a: usize) -> i64 {
        self.cost[a].into()
    }

    fn reduced(&self, v: usize, a: usize) -> i64 {
        self.cost(a) + self.price[v] - self.price[self.head[a] as usize]
    }

    /// Pushes `amount` along the arc from `from` to `to` (found among
    /// `from`'s active arcs), as the starting flow.
    fn send(&mut self, from: usize, to: usize, amount: u32) {
        let a = if self.active[from] <= self.first[to + 1] - self.first[to] {
            (self.first[from]..self.end(from)).find(|&a| self.head[a] as usize == to)
        } else {
            (self.first[to]..self.first[to + 1])
                .find(|&b| self.head[b] as usize == from)
                .map(|b| self.rev[b] as usize)
                .filter(|&a| self.residual[a] > 0)
        };
        let a = a.expect("an arc with residual capacity");
        self.push(from, a, amount);
    }

    /// Cost scaling from a feasible flow that is `start`-optimal down to
    /// ε = 1 (on costs scaled by `n + 1`).
    ///
    /// Once ε is below `n + 1` (below 1 on the costs before scaling), each
    /// phase is preceded by [`Network::fit_prices`]: when prices exist for
    /// which the flow is already 1-optimal, that is optimal, they are taken
    /// and the remaining phases skipped. At 10,000 × 4,000 the flow is
    /// optimal after the phase at ε ≈ 0.12 (before scaling), five phases
    /// before ε reaches 1; before ε is below 1 the search nearly always
    /// fails, at the cost of up to two scans of the arcs.
    ///
    /// The first phase is at `start / ALPHA²`, not `start / ALPHA`: each
    /// phase makes any flow ε-optimal (the saturation at its start does),
    /// so this only changes the work. At 10,000 × 4,000 the phase at
    /// `start / ALPHA` moved almost no flow (about 1,600 pushes), yet the
    /// solve without it took 1.55–2.04 s instead of 2.21–2.49 s (three
    /// runs each, machine under load); starting at `start / ALPHA³` was
    /// slower (2.23–2.78 s).
    fn solve(&mut self, start: i64) {
        let scale = self.nodes() as i64 + 1;
        let mut epsilon = (start / ALPHA).max(1);
        loop {
            // The flow is ε-optimal here (ε · ALPHA-optimal at the start).
            if epsilon < scale && self.fit_prices(1) {
                break;
            }
            epsilon = (epsilon / ALPHA).max(1);
            self.refine(epsilon);
            if epsilon == 1 {
                break;
            }
        }
    }

    /// Turns the ε·α-optimal flow into an ε-optimal one: move prices
    /// ([`Network::refine_prices`]), saturate every arc of reduced cost
    /// below −ε (an ε-optimal pseudoflow is all push–relabel needs), then
    /// push the excesses so made along
    /// admissible arcs (reduced cost < 0), relabelling nodes with none,
    /// last in, first out (at 10,000 × 4,000, three seeds: 4–37 % less
    /// time than first in, first out); prices are updated globally
    /// ([`Network::update_prices`]) once, after the saturation: more
    /// often (every `n` relabels) cost more than it saved here, each update
    /// scanning most of the arcs.
    fn refine(&mut self, epsilon: i64) {
        let n = self.nodes();
        self.refine_prices(epsilon);
        self.bound.fill(i64::MAX);
        for v in 0..n {
            let mut a = self.first[v];
            loop {
                a = self.first_below(v, a, -epsilon);
                if a == self.end(v) {
                    break;
                }
                let amount = self.residual[a];
                self.push(v, a, amount);
                // `a` now holds the row's last active arc: look again.
            }
        }
        let mut queue: VecDeque<usize> = (0..n).filter(|&v| self.excess[v] > 0).collect();
        let mut queued: Vec<bool> = self.excess.iter().map(|&e| e > 0).collect();
        if queue.is_empty() {
            return;
        }
        self.update_prices(epsilon);
        let mut current: Vec<usize> = self.first[..n].to_vec();
        while let Some(v) = queue.pop_back() {
            queued[v] = false;
            if self.none_admissible(v) {
                current[v] = self.end(v);
            }
            while self.excess[v] > 0 {
                let a = self.first_below(v, current[v].min(self.end(v)), 0);
                if a == self.end(v) {
                    current[v] = self.relabel(v, epsilon);
                    continue;
                }
                current[v] = a;
                let amount =
                    self.residual[a].min(u32::try_from(self.excess[v]).unwrap_or(u32::MAX));
                let w = self.head[a] as usize;
                // A saturated arc leaves the active part and the next
                // unscanned one takes its place: `current` stays.
                self.push(v, a, amount);
                if self.excess[w] > 0 && !queued[w] {
                    queued[w] = true;
                    queue.push_back(w);
                }
            }
        }
    }

    /// Goldberg's price refinement (1997, section 4.4), aimed at ε: looks
    /// for prices under which the current flow is ε-optimal, and takes
    /// them when found (returns true); otherwise leaves the prices as they
    /// were (returns false).
    ///
    /// The flow is ε-optimal for prices `price + d` when `d(w) ≤ d(v) +
    /// reduced(v, w) + ε` on every residual arc, so `d` is computed as
    /// shortest distances from a virtual root joined to every node by an
    /// arc of length 0, by FIFO label correcting (Bellman–Ford–Moore).
    /// Such prices exist iff there is no cycle of negative length; one
    /// shows up as a cycle among the nodes' last improving predecessors,
    /// looked for each time about `n` labels have improved (the amortised
    /// search of Cherkassky and Goldberg, "Negative-cycle detection
    /// algorithms", *Mathematical Programming* 85, 1999). The search also
    /// gives up after scanning four times the arcs, so a slow one costs
    /// little: giving up is always safe, the phase then runs as usual.
    fn fit_prices(&mut self, epsilon: i64) -> bool {
        let n = self.nodes();
        let budget = 4 * self.head.len();
        let mut distance = vec![0_i64; n];
        let mut parent = vec![NONE; n];
        let mut queue: VecDeque<u32> = (0..n as u32).collect();
        let mut queued = vec![true; n];
        let mut work = 0;
        let mut improved = 0;
        let mut mark = vec![NONE; n];
        let mut checks = 0_u32;
        while let Some(v) = queue.pop_front() {
            let v = v as usize;
            queued[v] = false;
            let from = distance[v] + epsilon;
            for a in self.first[v]..self.end(v) {
                let w = self.head[a] as usize;
                let through = from + self.reduced(v, a);
                if through < distance[w] {
                    distance[w] = through;
                    parent[w] = v as u32;
                    improved += 1;
                    if !queued[w] {
                        queued[w] = true;
                        queue.push_back(w as u32);
                    }
                }
            }
            work += self.active[v] + 1;
            if work > budget {
                return false;
            }
            if improved >= n / 8 {
                improved = 0;
                if parents_cycle(&parent, &mut mark, checks) {
                    return false;
                }
                checks += 1;
            }
        }
        for (price, d) in self.price.iter_mut().zip(distance) {
            *price += d;
        }
        true
    }

    /// Before the arcs that break ε-optimality are saturated, moves each
    /// node's price, in turn, into the interval where every residual arc
    /// into or out of it has a reduced cost of at least −ε, when there is
    /// one (the nearest point to its current price): a pupil whose tutor
    /// is still nearly its best keeps it, where saturating would send its
    /// unit back and forth again. A node with no such interval gets the end
    /// (all its arcs out, or all its arcs in, satisfied) that leaves fewer
    /// arcs to saturate. Any prices are correct here, the saturation that
    /// follows restoring ε-optimality; these only make it move less flow
    /// (at 10,000 × 4,000, about 500–3,300 arcs a phase instead of
    /// 9,000–1,100,000).
    fn refine_prices(&mut self, epsilon: i64) {
        for v in 0..self.nodes() {
            let row = self.first[v]..self.first[v + 1];
            let price = &self.price;
            let (mut low, mut high) = (i64::MIN, i64::MAX);
            let arcs = self.head[row.clone()].iter().zip(&self.cost[row.clone()]);
            let capacities = self.residual[row.clone()].iter().zip(&self.total[row]);
            for ((&head, &cost), (&residual, &total)) in arcs.zip(capacities) {
                let w = price[head as usize] - cost.into();
                if residual > 0 {
                    low = low.max(w - epsilon);
                }
                if residual < total {
                    high = high.min(w + epsilon);
                }
            }
            if low <= high {
                self.price[v] = self.price[v].clamp(low, high);
                continue;
            }
            // No such interval: the end that leaves fewer arcs to saturate.
            let (mut into, mut out) = (0_usize, 0_usize);
            for a in self.first[v]..self.first[v + 1] {
                let w = self.price[self.head[a] as usize] - self.cost(a);
                if self.residual[a] > 0 && w - epsilon > high {
                    out += 1;
                }
                if self.residual[a] < self.total[a] && w + epsilon < low {
                    into += 1;
                }
            }
            self.price[v] = if into <= out { low } else { high };
        }
    }

    /// Global price update (Goldberg 1997, section 4.2): lowers each
    /// node's price by ε times its distance to the nearest node with a
    /// deficit, where a residual arc of reduced cost `c` is
    /// `⌊c / ε⌋ + 1` long (Dijkstra's algorithm, stopped once every node
    /// with excess is reached; the others count as that far). Keeps
    /// ε-optimality and leaves an admissible path from each excess to a
    /// deficit.
    fn update_prices(&mut self, epsilon: i64) {
        let n = self.nodes();
        let unreached = i64::MAX;
        let mut distance = vec![unreached; n];
        let mut heap = BinaryHeap::new();
        let mut waiting = 0;
        for (v, &excess) in self.excess.iter().enumerate() {
            if excess < 0 {
                distance[v] = 0;
                heap.push(Reverse((0_i64, v as u32)));
            } else if excess > 0 {
                waiting += 1;
            }
        }
        let mut limit = 0;
        while let Some(Reverse((d, w))) = heap.pop() {
            let w = w as usize;
            if d > distance[w] {
                continue;
            }
            limit = d;
            if self.excess[w] > 0 {
                waiting -= 1;
                if waiting == 0 {
                    break;
                }
            }
            // The arcs into `w` with residual capacity, read from `w`'s
            // own row (reverse `b` of `a`: `cost[a] = −cost[b]`).
            let row = self.first[w]..self.first[w + 1];
            let price = &self.price;
            let arcs = self.head[row.clone()].iter().zip(&self.cost[row.clone()]);
            let capacities = self.residual[row.clone()].iter().zip(&self.total[row]);
            for ((&v, &cost), (&residual, &total)) in arcs.zip(capacities) {
                if residual == total {
                    continue;
                }
                let v = v as usize;
                let reduced = price[v] - cost.into() - price[w];
                // Only a shorter distance matters, and `d + max(0,
                // ⌊reduced / ε⌋ + 1) < known` iff `reduced < (known − d −
                // 1) · ε` for a node already reached: most arcs are passed
                // over without a division.
                let known = distance[v];
                if known != unreached && reduced >= (known - d - 1).saturating_mul(epsilon) {
                    continue;
                }
                let through = d + (reduced.div_euclid(epsilon) + 1).max(0);
                if through < known {
                    distance[v] = through;
                    heap.push(Reverse((through, v as u32)));
                }
            }
        }
        for (price, d) in self.price.iter_mut().zip(distance) {
            *price -= epsilon * d.min(limit);
        }
    }

    /// Pushes `amount` (at most the residual capacity) along arc `a` of
    /// `v`, moving arcs between the active and saturated parts.
    fn push(&mut self, v: usize, a: usize, amount: u32) {
        let w = self.head[a] as usize;
        let b = self.rev[a] as usize;
        let reverse_was_saturated = self.residual[b] == 0;
        self.residual[a] -= amount;
        self.residual[b] += amount;
        self.excess[v] -= i64::from(amount);
        self.excess[w] += i64::from(amount);
        if reverse_was_saturated {
            let at = self.activate(w, b);
            if self.head[at] == self.best_head[w] {
                self.best[w] = at as u32;
            } else {
                self.bound[w] = i64::MAX;
            }
        }
        if self.residual[a] == 0 {
            self.deactivate(v, a);
        }
    }

    /// The first active arc of `v` from `from` on whose reduced cost is
    /// below `limit`, or the end of the active part.
    fn first_below(&self, v: usize, from: usize, limit: i64) -> usize {
        let end = self.end(v);
        let floor = self.price[v] - limit;
        let price = &self.price;
        self.head[from..end]
            .iter()
            .zip(&self.cost[from..end])
            .position(|(&head, &cost)| cost.into() + floor < price[head as usize])
            .map_or(end, |i| from + i)
    }

    /// Whether the last relabel's bound proves that `v` has no admissible
    /// arc: every residual arc but the best has a value (`price[head] −
    /// cost`) of at most the bound, the bound is at most `price[v]` (so
    /// their reduced costs are ≥ 0), and the best arc is not admissible
    /// either. Then the scan from the current arc would only reach the end
    /// of the row and relabel: this relabels at once, with the same result.
    fn none_admissible(&self, v: usize) -> bool {
        let kept = self.best[v] as usize;
        self.bound[v] <= self.price[v]
            && kept >= self.first[v]
            && kept < self.end(v)
            && self.head[kept] == self.best_head[v]
            && self.reduced(v, kept) >= 0
    }

    /// Lowers `v`'s price as far as ε-optimality allows, so that its
    /// cheapest residual arc becomes admissible (reduced cost −ε); returns
    /// the first such arc: none before it is admissible, so the scan for
    /// an admissible arc can start there.
    ///
    /// Without a scan when the best arc of the last scan is still at least
    /// ε better than the bound on all the others: then it is the only
    /// admissible arc (the values of the others only fell since). This is
    /// the "second best" of Goldberg and Kennedy's assignment code ("An
    /// efficient cost scaling algorithm for the assignment problem",
    /// *Mathematical Programming* 71, 1995), kept across relabels.
    fn relabel(&mut self, v: usize, epsilon: i64) -> usize {
        let (first, end) = (self.first[v], self.end(v));
        let kept = self.best[v] as usize;
        if self.bound[v] != i64::MAX
            && (first..end).contains(&kept)
            && self.head[kept] == self.best_head[v]
        {
            let value = self.price[self.head[kept] as usize] - self.cost(kept);
            if value >= self.bound[v].saturating_add(epsilon) {
                self.price[v] = value - epsilon;
                return kept;
            }
        }
        let mut best = first;
        let mut highest = i64::MIN;
        let mut second = i64::MIN;
        for (a, (&head, &cost)) in self.head[first..end]
            .iter()
            .zip(&self.cost[first..end])
            .enumerate()
        {
            let value = self.price[head as usize] - cost.into();
            if value > highest {
                second = highest;
                highest = value;
                best = first + a;
            } else if value > second {
                second = value;
            }
        }
        assert!(end > first, "a node with excess has a residual arc");
        self.price[v] = highest - epsilon;
        self.best[v] = best as u32;
        self.best_head[v] = self.head[best];
        self.bound[v] = second;
        best
    }
}

/// Whether following `parent` from some node comes back to it. `mark`
/// (one entry per node) records the walk each node was reached in: walks
/// of this check are numbered from `check · n`, so `mark` needs no
/// clearing between checks as long as `check · n` stays below `u32::MAX`
/// (beyond, the check answers no cycle, which is safe for the caller).
fn parents_cycle(parent: &[u32], mark: &mut [u32], check: u32) -> bool {
    let n = parent.len() as u64;
    let Some(base) = u64::from(check)
        .checked_mul(n)
        .filter(|&b| b + n < u64::from(NONE))
    else {
        return false;
    };
    for start in 0..parent.len() {
        let walk = (base + start as u64) as u32;
        let mut v = start;
        while mark[v] == NONE || (mark[v] as u64) < base {
            mark[v] = walk;
            if parent[v] == NONE {
                break;
            }
            v = parent[v] as usize;
        }
        if mark[v] == walk && parent[v] != NONE {
            return true;
        }
    }
    false
}
