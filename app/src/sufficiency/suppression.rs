//! Small-count suppression for figures shown beyond a council.
//!
//! The rule: the region sees only aggregates, with counts below 5 suppressed wherever a figure
//! could identify a child, and secondary suppression so that no suppressed count can be worked
//! out from totals and the other cells.
//!
//! A [`CountTable`] (councils × age bands, say) is published with its row totals, column totals
//! and grand total; a [`CountList`] (councils with a regional total) is the one-dimensional case.
//! Both go through the same steps:
//!
//! 1. **Primary suppression.** Every figure from 1 to 4 (cells *and* totals) is suppressed.
//!    Zero is shown: a zero is about no child, so it identifies none, and hiding zeros would
//!    suppress most of a sparse table for nothing.
//! 2. **Secondary suppression, the line rule.** Until nothing changes, every line (a row with
//!    its row total, a column with its column total, the totals row and the totals column with
//!    the grand total) must hold no suppressed figure or at least two: a lone suppressed figure
//!    is its line's total less the others. Where a line has exactly one, the smallest other
//!    non-zero figure in it is suppressed too (an inner cell before a total of the same size,
//!    then the first); if only zeros remain, a zero.
//! 3. **Secondary suppression, the whole table.** The line rule is necessary but not
//!    sufficient: suppressed figures can meet the rule in every line and one can still be
//!    worked out by combining lines (two blocks of suppressed cells joined through a single
//!    cell, for instance). So every suppressed figure is then checked: could it take another
//!    value, with every shown figure as published, every line still adding up, and every count
//!    non-negative? If not, the smallest shown figure sharing a line with it is suppressed (as in
//!    step 2), the line rule is applied again, and so on until every suppressed figure could
//!    take another value. Each round suppresses one more figure, so this ends.
//!
//! The check in step 3 is exact and uses the table's shape. A table with its margins is a
//! network: one node per line, one edge per figure (a cell runs from its row's node to its
//! column's; a row total from the totals column's node to its row's; a column total from its
//! column's node to the totals row's; the grand total from the totals row's node to the totals
//! column's), and the true counts are a circulation (at every node what comes in is what goes
//! out, which is just "the line adds up"). Any other publishable filling differs from the true
//! one by a circulation on the suppressed edges that takes no zero below zero, and such a
//! circulation can be split into simple cycles of the same kind (conformal decomposition). So a
//! suppressed figure can be larger than it is iff some cycle of suppressed edges runs forward
//! through it and backward only through edges above zero, and smaller iff (it is above zero and)
//! the same holds the other way round. That is a reachability question, answered exactly. It is
//! stronger than asking whether the figure is determined by the linear equations alone: it also
//! catches a figure worked out from "these suppressed cells add up to zero, so each is zero".
//!
//! What this does not do (see also the tests):
//! - It protects one table at a time. Two tables published from the same data share figures
//!   (councils × age bands and councils × placement categories share the council totals): if one
//!   table suppresses a council total for secondary reasons and the other shows it, the first
//!   table's protection is weakened. Tables that share figures need their suppression made
//!   consistent by the caller (e.g. suppress in both whatever either suppresses, and re-run).
//!   The same goes for the same table published at two dates and differenced.
//! - A suppressed figure can take at least two values, but may be narrowed to a small range
//!   (say 1 to 3). The rule asked for is "cannot be worked out", not a protection interval.

use std::collections::VecDeque;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The smallest non-zero count shown: 1 to 4 are suppressed.
pub const SMALLEST_SHOWN_COUNT: u64 = 5;

/// What a suppressed figure shows as.
///
/// `[c]` ("confidential") is the marker the GOV.UK statistics guidance sets for figures
/// withheld to protect confidentiality, and the one the DfE uses in its children looked after
/// statistics, so councils' analysts read it without a key. It is distinct from `0`, from
/// `[x]` (not available) and `[z]` (not applicable), and being text it cannot be summed by
/// mistake in a spreadsheet.
pub const SUPPRESSED_MARKER: &str = "[c]";

/// One published figure: the count, or suppressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Figure {
    Shown(u64),
    Suppressed,
}

impl Figure {
    /// The count as text, or [`SUPPRESSED_MARKER`] (`[c]`, the GOV.UK statistics convention for
    /// a confidential figure).
    pub fn display(&self) -> String {
        match self {
            Figure::Shown(count) => count.to_string(),
            Figure::Suppressed => SUPPRESSED_MARKER.to_string(),
        }
    }

    /// The count, if shown.
    pub fn shown(&self) -> Option<u64> {
        match self {
            Figure::Shown(count) => Some(*count),
            Figure::Suppressed => None,
        }
    }

    pub fn is_suppressed(&self) -> bool {
        matches!(self, Figure::Suppressed)
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// Why counts could not be made into a table or list.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CountTableError {
    #[error("{labels} row labels for {rows} rows of counts")]
    RowLabels { labels: usize, rows: usize },
    #[error("row {row} has {found} counts for {expected} column labels")]
    RowLength {
        row: usize,
        expected: usize,
        found: usize,
    },
    #[error("{labels} labels for {counts} counts")]
    ListLabels { labels: usize, counts: usize },
    #[error("the counts are too large to total")]
    Overflow,
}

/// A two-way table of counts (rows × columns) with its totals computed from the cells.
///
/// Deliberately not `Serialize`: unsuppressed counts stay on the server; only a
/// [`SuppressedTable`] is fit to send on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountTable {
    row_labels: Vec<String>,
    column_labels: Vec<String>,
    cells: Vec<Vec<u64>>,
    row_totals: Vec<u64>,
    column_totals: Vec<u64>,
    grand_total: u64,
}

impl CountTable {
    /// `cells[row][column]`; one label per row and per column.
    pub fn new(
        row_labels: Vec<String>,
        column_labels: Vec<String>,
        cells: Vec<Vec<u64>>,
    ) -> Result<Self, CountTableError> {
        if row_labels.len() != cells.len() {
            return Err(CountTableError::RowLabels {
                labels: row_labels.len(),
                rows: cells.len(),
            });
        }
        if let Some((row, found)) = cells
            .iter()
            .map(Vec::len)
            .enumerate()
            .find(|(_, len)| *len != column_labels.len())
        {
            return Err(CountTableError::RowLength {
                row,
                expected: column_labels.len(),
                found,
            });
        }
        let row_totals = cells
            .iter()
            .map(|row| checked_sum(row.iter().copied()))
            .collect::<Option<Vec<_>>>()
            .ok_or(CountTableError::Overflow)?;
        let column_totals = (0..column_labels.len())
            .map(|c| checked_sum(cells.iter().map(|row| row[c])))
            .collect::<Option<Vec<_>>>()
            .ok_or(CountTableError::Overflow)?;
        let grand_total =
            checked_sum(row_totals.iter().copied()).ok_or(CountTableError::Overflow)?;
        Ok(CountTable {
            row_labels,
            column_labels,
            cells,
            row_totals,
            column_totals,
            grand_total,
        })
    }

    pub fn row_labels(&self) -> &[String] {
        &self.row_labels
    }

    pub fn column_labels(&self) -> &[String] {
        &self.column_labels
    }

    pub fn cells(&self) -> &[Vec<u64>] {
        &self.cells
    }

    pub fn row_totals(&self) -> &[u64] {
        &self.row_totals
    }

    pub fn column_totals(&self) -> &[u64] {
        &self.column_totals
    }

    pub fn grand_total(&self) -> u64 {
        self.grand_total
    }

    /// The table as it may be shown beyond the council: primary and secondary suppression
    /// applied (see the module documentation). Depends only on the counts, not the labels.
    pub fn suppress(&self) -> SuppressedTable {
        let rows = self.cells.len();
        let columns = self.column_labels.len();
        let suppressed = self.network().suppress();
        let figure = |row: usize, column: usize, count: u64| {
            if suppressed[row * (columns + 1) + column] {
                Figure::Suppressed
            } else {
                Figure::Shown(count)
            }
        };
        SuppressedTable {
            row_labels: self.row_labels.clone(),
            column_labels: self.column_labels.clone(),
            cells: (0..rows)
                .map(|r| {
                    (0..columns)
                        .map(|c| figure(r, c, self.cells[r][c]))
                        .collect()
                })
                .collect(),
            row_totals: (0..rows)
                .map(|r| figure(r, columns, self.row_totals[r]))
                .collect(),
            column_totals: (0..columns)
                .map(|c| figure(rows, c, self.column_totals[c]))
                .collect(),
            grand_total: figure(rows, columns, self.grand_total),
        }
    }

    /// Figures in row-major order of the table with its totals row and column
    /// (`(rows + 1) × (columns + 1)`); nodes `0..rows` are the rows, `rows` the totals row,
    /// `rows + 1 + c` the columns and `rows + 1 + columns` the totals column.
    fn network(&self) -> Network {
        let rows = self.cells.len();
        let columns = self.column_labels.len();
        let totals_row = rows;
        let column = |c: usize| rows + 1 + c;
        let totals_column = column(columns);
        let mut figures = Vec::with_capacity((rows + 1) * (columns + 1));
        for r in 0..=rows {
            for c in 0..=columns {
                figures.push(match (r < rows, c < columns) {
                    (true, true) => (self.cells[r][c], false, r, column(c)),
                    (true, false) => (self.row_totals[r], true, totals_column, r),
                    (false, true) => (self.column_totals[c], true, column(c), totals_row),
                    (false, false) => (self.grand_total, true, totals_row, totals_column),
                });
            }
        }
        Network::new(rows + columns + 2, figures)
    }
}

/// A [`CountTable`] as it may be shown: every figure shown or suppressed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuppressedTable {
    pub row_labels: Vec<String>,
    pub column_labels: Vec<String>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<Figure>>,
    pub row_totals: Vec<Figure>,
    pub column_totals: Vec<Figure>,
    pub grand_total: Figure,
}

/// A one-dimensional list of counts (councils, say) with its total.
///
/// Not `Serialize`, as for [`CountTable`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountList {
    labels: Vec<String>,
    counts: Vec<u64>,
    total: u64,
}

impl CountList {
    pub fn new(labels: Vec<String>, counts: Vec<u64>) -> Result<Self, CountTableError> {
        if labels.len() != counts.len() {
            return Err(CountTableError::ListLabels {
                labels: labels.len(),
                counts: counts.len(),
            });
        }
        let total = checked_sum(counts.iter().copied()).ok_or(CountTableError::Overflow)?;
        Ok(CountList {
            labels,
            counts,
            total,
        })
    }

    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    /// The list as it may be shown, by the same steps as a table: the list and its total are
    /// one line. Its network has two nodes, the counts running from the first to the second and
    /// the total back.
    pub fn suppress(&self) -> SuppressedList {
        let mut figures: Vec<_> = self.counts.iter().map(|&n| (n, false, 0, 1)).collect();
        figures.push((self.total, true, 1, 0));
        let suppressed = Network::new(2, figures).suppress();
        let figure = |i: usize, count: u64| {
            if suppressed[i] {
                Figure::Suppressed
            } else {
                Figure::Shown(count)
            }
        };
        SuppressedList {
            labels: self.labels.clone(),
            counts: self
                .counts
                .iter()
                .enumerate()
                .map(|(i, &n)| figure(i, n))
                .collect(),
            total: figure(self.counts.len(), self.total),
        }
    }
}

/// A [`CountList`] as it may be shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuppressedList {
    pub labels: Vec<String>,
    pub counts: Vec<Figure>,
    pub total: Figure,
}

fn checked_sum(mut counts: impl Iterator<Item = u64>) -> Option<u64> {
    counts.try_fold(0u64, |sum, n| sum.checked_add(n))
}

/// The figures of a table or list as edges of a network whose nodes are its lines (see the
/// module documentation).
struct Network {
    values: Vec<u64>,
    is_total: Vec<bool>,
    /// `(from, to)` nodes of each figure.
    ends: Vec<(usize, usize)>,
    /// The figures in each line (node), in figure order.
    lines: Vec<Vec<usize>>,
}

impl Network {
    /// `figures`: `(count, is a total, from node, to node)`, in the order "first" refers to.
    fn new(nodes: usize, figures: Vec<(u64, bool, usize, usize)>) -> Self {
        let mut lines = vec![Vec::new(); nodes];
        for (i, &(_, _, from, to)) in figures.iter().enumerate() {
            lines[from].push(i);
            lines[to].push(i);
        }
        Network {
            values: figures.iter().map(|f| f.0).collect(),
            is_total: figures.iter().map(|f| f.1).collect(),
            ends: figures.iter().map(|f| (f.2, f.3)).collect(),
            lines,
        }
    }

    /// Which figures to suppress.
    fn suppress(&self) -> Vec<bool> {
        let mut suppressed = self.primary();
        loop {
            self.apply_line_rule(&mut suppressed);
            let Some(exposed) = self.first_determined(&suppressed) else {
                break;
            };
            let (from, to) = self.ends[exposed];
            let neighbours = self.lines[from]
                .iter()
                .chain(&self.lines[to])
                .copied()
                .filter(|&f| !suppressed[f]);
            let anywhere = (0..self.values.len()).filter(|&f| !suppressed[f]);
            match self.choose(neighbours).or_else(|| self.choose(anywhere)) {
                Some(f) => suppressed[f] = true,
                // Everything is suppressed; nothing more can be done (and in a table or list
                // with a count in it, nothing is then determined).
                None => break,
            }
        }
        suppressed
    }

    /// 1 to 4 suppressed; zero and 5 up shown.
    fn primary(&self) -> Vec<bool> {
        self.values
            .iter()
            .map(|&n| (1..SMALLEST_SHOWN_COUNT).contains(&n))
            .collect()
    }

    /// Until stable: a line with exactly one suppressed figure has another suppressed.
    fn apply_line_rule(&self, suppressed: &mut [bool]) {
        loop {
            let mut changed = false;
            for line in &self.lines {
                if line.iter().filter(|&&f| suppressed[f]).count() == 1 {
                    if let Some(f) = self.choose(line.iter().copied().filter(|&f| !suppressed[f])) {
                        suppressed[f] = true;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// The smallest non-zero candidate (an inner cell before a total of the same size, then
    /// the first); a zero only if all are zero.
    fn choose(&self, candidates: impl Iterator<Item = usize>) -> Option<usize> {
        candidates.min_by_key(|&f| (self.values[f] == 0, self.values[f], self.is_total[f], f))
    }

    /// The first suppressed figure that can take no other value.
    fn first_determined(&self, suppressed: &[bool]) -> Option<usize> {
        // Residual network: a suppressed figure can always go up (forward along its edge) and,
        // if above zero, down (backward).
        let mut arcs = vec![Vec::new(); self.lines.len()];
        for (f, &(from, to)) in self.ends.iter().enumerate() {
            if suppressed[f] {
                arcs[from].push((to, f));
                if self.values[f] > 0 {
                    arcs[to].push((from, f));
                }
            }
        }
        (0..self.values.len())
            .filter(|&f| suppressed[f])
            .find(|&f| {
                let (from, to) = self.ends[f];
                let can_go_up = reaches(&arcs, to, from, f);
                let can_go_down = self.values[f] > 0 && reaches(&arcs, from, to, f);
                !can_go_up && !can_go_down
            })
    }
}

/// Whether `target` can be reached from `start` without using figure `skip`'s arcs.
fn reaches(arcs: &[Vec<(usize, usize)>], start: usize, target: usize, skip: usize) -> bool {
    let mut seen = vec![false; arcs.len()];
    let mut queue = VecDeque::from([start]);
    seen[start] = true;
    while let Some(node) = queue.pop_front() {
        if node == target {
            return true;
        }
        for &(next, f) in &arcs[node] {
            if f != skip && !seen[next] {
                seen[next] = true;
                queue.push_back(next);
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    //! The guarantee is checked by code that shares nothing with the suppression above: the
    //! published figures are rebuilt from what a table means (rows add to row totals, and so
    //! on), and three independent checkers ask whether a suppressed figure can be worked out:
    //! exact linear algebra (is it determined by the equations?), exact linear programming
    //! (with counts non-negative, is its range a single value?) and, on small tables, plain
    //! enumeration of whole-number fillings.

    use super::*;
    use std::cmp::Ordering;
    use std::ops::{Div, Mul, Neg, Sub};

    fn labels(prefix: &str, n: usize) -> Vec<String> {
        (0..n).map(|i| format!("{prefix}{i}")).collect()
    }

    fn table(cells: &[&[u64]]) -> CountTable {
        let columns = cells.first().map_or(0, |row| row.len());
        CountTable::new(
            labels("council ", cells.len()),
            labels("band ", columns),
            cells.iter().map(|row| row.to_vec()).collect(),
        )
        .unwrap()
    }

    const C: Figure = Figure::Suppressed;
    fn s(n: u64) -> Figure {
        Figure::Shown(n)
    }

    // ---- The published figures, rebuilt from what a table means ----

    /// Every figure's true value, which are suppressed, and the additive constraints
    /// (`parts` add up to `total`), written from the table's meaning.
    struct Published {
        truth: Vec<u64>,
        suppressed: Vec<bool>,
        constraints: Vec<(Vec<usize>, usize)>,
        /// Figures that are not the total of anything (the cells): fixing these fixes all.
        base: Vec<bool>,
    }

    impl Published {
        fn table(cells: &[Vec<u64>], result: &SuppressedTable) -> Self {
            let rows = cells.len();
            let columns = result.column_labels.len();
            let at = |r: usize, c: usize| r * (columns + 1) + c;
            let mut truth = vec![0; (rows + 1) * (columns + 1)];
            let mut published = vec![Figure::Suppressed; truth.len()];
            let mut base = vec![false; truth.len()];
            for r in 0..rows {
                for c in 0..columns {
                    truth[at(r, c)] = cells[r][c];
                    truth[at(r, columns)] += cells[r][c];
                    truth[at(rows, c)] += cells[r][c];
                    truth[at(rows, columns)] += cells[r][c];
                    published[at(r, c)] = result.cells[r][c];
                    base[at(r, c)] = true;
                }
                published[at(r, columns)] = result.row_totals[r];
            }
            for c in 0..columns {
                published[at(rows, c)] = result.column_totals[c];
            }
            published[at(rows, columns)] = result.grand_total;
            let mut constraints = Vec::new();
            for r in 0..=rows {
                constraints.push(((0..columns).map(|c| at(r, c)).collect(), at(r, columns)));
            }
            for c in 0..=columns {
                constraints.push(((0..rows).map(|r| at(r, c)).collect(), at(rows, c)));
            }
            Self::checked(truth, &published, constraints, base)
        }

        fn list(counts: &[u64], result: &SuppressedList) -> Self {
            let mut truth = counts.to_vec();
            truth.push(counts.iter().sum());
            let mut published = result.counts.clone();
            published.push(result.total);
            let mut base = vec![true; counts.len()];
            base.push(false);
            let constraints = vec![((0..counts.len()).collect(), counts.len())];
            Self::checked(truth, &published, constraints, base)
        }

        /// Shown figures must be the true ones; figures 1 to 4 must not be shown.
        fn checked(
            truth: Vec<u64>,
            published: &[Figure],
            constraints: Vec<(Vec<usize>, usize)>,
            base: Vec<bool>,
        ) -> Self {
            assert_eq!(truth.len(), published.len());
            for (t, p) in truth.iter().zip(published) {
                match p {
                    Figure::Shown(n) => {
                        assert_eq!(n, t, "a shown figure is not the true count");
                        assert!(!(1..=4).contains(n), "{n} is shown");
                    }
                    Figure::Suppressed => {}
                }
            }
            Published {
                truth,
                suppressed: published.iter().map(Figure::is_suppressed).collect(),
                constraints,
                base,
            }
        }

        fn unknowns(&self) -> Vec<usize> {
            (0..self.truth.len())
                .filter(|&f| self.suppressed[f])
                .collect()
        }

        /// The constraints over the unknowns: `matrix · unknowns = rhs`.
        fn system(&self) -> (Vec<Vec<Q>>, Vec<Q>) {
            let unknowns = self.unknowns();
            let mut matrix = Vec::new();
            let mut rhs = Vec::new();
            for (parts, total) in &self.constraints {
                let mut row = vec![Q::int(0); unknowns.len()];
                let mut constant = 0i128;
                let terms = parts.iter().map(|&p| (p, 1i128)).chain([(*total, -1i128)]);
                for (f, sign) in terms {
                    match unknowns.iter().position(|&u| u == f) {
                        Some(u) => row[u] = row[u] + Q::int(sign),
                        None => constant += sign * self.truth[f] as i128,
                    }
                }
                matrix.push(row);
                rhs.push(Q::int(-constant));
            }
            (matrix, rhs)
        }

        /// Lines (a constraint's parts with its total) holding exactly one suppressed figure.
        fn lines_with_one_suppressed(&self) -> usize {
            self.constraints
                .iter()
                .filter(|(parts, total)| {
                    parts
                        .iter()
                        .chain([total])
                        .filter(|&&f| self.suppressed[f])
                        .count()
                        == 1
                })
                .count()
        }
    }

    // ---- Exact rationals ----

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    struct Q {
        n: i128,
        d: i128,
    }

    fn gcd(a: i128, b: i128) -> i128 {
        if b == 0 {
            a.abs()
        } else {
            gcd(b, a % b)
        }
    }

    impl Q {
        fn int(n: i128) -> Q {
            Q { n, d: 1 }
        }
        fn new(n: i128, d: i128) -> Q {
            assert!(d != 0);
            let g = gcd(n, d).max(1) * d.signum();
            Q { n: n / g, d: d / g }
        }
        fn is_zero(self) -> bool {
            self.n == 0
        }
    }
    fn checked(x: Option<i128>) -> i128 {
        x.expect("rational arithmetic overflowed")
    }
    impl std::ops::Add for Q {
        type Output = Q;
        fn add(self, o: Q) -> Q {
            let n = checked(
                checked(self.n.checked_mul(o.d)).checked_add(checked(o.n.checked_mul(self.d))),
            );
            Q::new(n, checked(self.d.checked_mul(o.d)))
        }
    }
    impl Neg for Q {
        type Output = Q;
        fn neg(self) -> Q {
            Q::new(-self.n, self.d)
        }
    }
    impl Sub for Q {
        type Output = Q;
        fn sub(self, o: Q) -> Q {
            self + -o
        }
    }
    impl Mul for Q {
        type Output = Q;
        fn mul(self, o: Q) -> Q {
            Q::new(
                checked(self.n.checked_mul(o.n)),
                checked(self.d.checked_mul(o.d)),
            )
        }
    }
    impl Div for Q {
        type Output = Q;
        fn div(self, o: Q) -> Q {
            Q::new(
                checked(self.n.checked_mul(o.d)),
                checked(self.d.checked_mul(o.n)),
            )
        }
    }
    impl PartialOrd for Q {
        fn partial_cmp(&self, o: &Q) -> Option<Ordering> {
            Some(self.cmp(o))
        }
    }
    impl Ord for Q {
        fn cmp(&self, o: &Q) -> Ordering {
            (self.n * o.d).cmp(&(o.n * self.d))
        }
    }

    // ---- Checker 1: linear algebra ----

    /// Suppressed figures determined by the equations alone: a figure is determined iff its
    /// unit vector is in the row space of the constraint matrix restricted to the unknowns,
    /// i.e. iff in the reduced row echelon form its column is a pivot whose row is otherwise
    /// zero.
    fn determined_by_linear_algebra(p: &Published) -> Vec<usize> {
        let unknowns = p.unknowns();
        let (mut m, _) = p.system();
        let mut pivots = Vec::new();
        let mut next = 0;
        for col in 0..unknowns.len() {
            let Some(found) = (next..m.len()).find(|&i| !m[i][col].is_zero()) else {
                continue;
            };
            m.swap(next, found);
            let pivot = m[next][col];
            for x in m[next].iter_mut() {
                *x = *x / pivot;
            }
            let pivot_row = m[next].clone();
            for (i, row) in m.iter_mut().enumerate() {
                let factor = row[col];
                if i != next && !factor.is_zero() {
                    for (x, y) in row.iter_mut().zip(&pivot_row) {
                        *x = *x - factor * *y;
                    }
                }
            }
            pivots.push((next, col));
            next += 1;
        }
        pivots
            .into_iter()
            .filter(|&(row, col)| (0..unknowns.len()).all(|j| j == col || m[row][j].is_zero()))
            .map(|(_, col)| unknowns[col])
            .collect()
    }

    // ---- Checker 2: linear programming (two-phase simplex, Bland's rule, exact) ----

    struct Tableau {
        /// Each row: coefficients of the `n` unknowns, then artificials, then the right side.
        rows: Vec<Vec<Q>>,
        basis: Vec<usize>,
        n: usize,
    }

    impl Tableau {
        fn rhs(&self, i: usize) -> Q {
            *self.rows[i].last().unwrap()
        }

        fn pivot(&mut self, i: usize, j: usize) {
            let p = self.rows[i][j];
            for x in self.rows[i].iter_mut() {
                *x = *x / p;
            }
            let pivot_row = self.rows[i].clone();
            for (r, row) in self.rows.iter_mut().enumerate() {
                let factor = row[j];
                if r != i && !factor.is_zero() {
                    for (x, y) in row.iter_mut().zip(&pivot_row) {
                        *x = *x - factor * *y;
                    }
                }
            }
            self.basis[i] = j;
        }

        /// Maximises `cost · x` letting only columns below `allowed` enter. `None` if
        /// unbounded, else the optimum.
        fn maximise(&mut self, cost: &[Q], allowed: usize) -> Option<Q> {
            loop {
                let entering = (0..allowed).find(|&j| {
                    let reduced = self
                        .basis
                        .iter()
                        .enumerate()
                        .fold(cost[j], |acc, (i, &b)| acc - cost[b] * self.rows[i][j]);
                    reduced > Q::int(0)
                });
                let Some(j) = entering else {
                    return Some(
                        self.basis
                            .iter()
                            .enumerate()
                            .fold(Q::int(0), |acc, (i, &b)| acc + cost[b] * self.rhs(i)),
                    );
                };
                let mut leaving: Option<(Q, usize, usize)> = None;
                for i in 0..self.rows.len() {
                    let a = self.rows[i][j];
                    if a > Q::int(0) {
                        let ratio = self.rhs(i) / a;
                        let better = match leaving {
                            None => true,
                            Some((best, b, _)) => {
                                ratio < best || (ratio == best && self.basis[i] < b)
                            }
                        };
                        if better {
                            leaving = Some((ratio, self.basis[i], i));
                        }
                    }
                }
                let (_, _, i) = leaving?;
                self.pivot(i, j);
            }
        }

        /// A feasible basis for `matrix · x = rhs, x ≥ 0` (phase one), redundant rows dropped.
        fn feasible(matrix: Vec<Vec<Q>>, rhs: Vec<Q>) -> Tableau {
            let m = matrix.len();
            let n = matrix.first().map_or(0, Vec::len);
            let rows = matrix
                .into_iter()
                .zip(rhs)
                .enumerate()
                .map(|(i, (row, b))| {
                    let sign = if b < Q::int(0) { Q::int(-1) } else { Q::int(1) };
                    let mut full: Vec<Q> = row.into_iter().map(|x| x * sign).collect();
                    full.extend((0..m).map(|k| Q::int(i128::from(k == i))));
                    full.push(b * sign);
                    full
                })
                .collect();
            let mut t = Tableau {
                rows,
                basis: (n..n + m).collect(),
                n,
            };
            let cost: Vec<Q> = (0..n + m)
                .map(|j| Q::int(if j < n { 0 } else { -1 }))
                .collect();
            let best = t.maximise(&cost, n + m).unwrap();
            assert!(
                best.is_zero(),
                "the true counts should be a feasible filling"
            );
            let mut i = 0;
            while i < t.rows.len() {
                if t.basis[i] >= n {
                    match (0..n).find(|&j| !t.rows[i][j].is_zero()) {
                        Some(j) => t.pivot(i, j),
                        None => {
                            t.rows.remove(i);
                            t.basis.remove(i);
                            continue;
                        }
                    }
                }
                i += 1;
            }
            t
        }
    }

    /// Suppressed figures whose range, over all real non-negative fillings consistent with the
    /// shown figures, holds no whole number but the true one.
    fn pinned_by_linear_programming(p: &Published) -> Vec<usize> {
        let unknowns = p.unknowns();
        let (matrix, rhs) = p.system();
        let feasible = Tableau::feasible(matrix, rhs);
        let width = feasible.rows.first().map_or(0, |r| r.len() - 1);
        let mut pinned = Vec::new();
        for (u, &f) in unknowns.iter().enumerate() {
            let truth = Q::int(p.truth[f] as i128);
            let objective = |sign: i128| -> Vec<Q> {
                (0..width)
                    .map(|j| Q::int(if j == u { sign } else { 0 }))
                    .collect()
            };
            let n = feasible.n;
            let max = Tableau {
                rows: feasible.rows.clone(),
                basis: feasible.basis.clone(),
                n,
            }
            .maximise(&objective(1), n);
            if max.is_none_or(|max| max >= truth + Q::int(1)) {
                continue;
            }
            let min = Tableau {
                rows: feasible.rows.clone(),
                basis: feasible.basis.clone(),
                n,
            }
            .maximise(&objective(-1), n)
            .map(|m| -m)
            .expect("a count cannot go below zero");
            if min > truth - Q::int(1) {
                pinned.push(f);
            }
        }
        pinned
    }

    // ---- Checker 3: enumeration of whole-number fillings (small tables) ----

    /// Fills in whatever totals the known figures fix; `None` if inconsistent.
    fn propagate(p: &Published, known: &[Option<u64>]) -> Option<Vec<Option<u64>>> {
        let mut known = known.to_vec();
        loop {
            let mut changed = false;
            for (parts, total) in &p.constraints {
                let sum: u64 = parts.iter().filter_map(|&f| known[f]).sum();
                let complete = parts.iter().all(|&f| known[f].is_some());
                match known[*total] {
                    Some(t) if sum > t || (complete && sum != t) => return None,
                    None if complete => {
                        known[*total] = Some(sum);
                        changed = true;
                    }
                    _ => {}
                }
            }
            if !changed {
                return Some(known);
            }
        }
    }

    /// Suppressed figures for which no whole-number, non-negative filling consistent with the
    /// shown figures gives another value. Cells are tried from 0 to one more than the largest
    /// true figure; panics if the search grows beyond `budget` steps.
    fn pinned_by_enumeration(p: &Published, budget: u64) -> Vec<usize> {
        let bound = p.truth.iter().copied().max().unwrap_or(0) + 1;
        let mut steps = 0u64;
        let shown: Vec<Option<u64>> = (0..p.truth.len())
            .map(|f| (!p.suppressed[f]).then_some(p.truth[f]))
            .collect();
        let mut pinned = Vec::new();
        for target in p.unknowns() {
            let mut order: Vec<usize> = p
                .unknowns()
                .into_iter()
                .filter(|&f| p.base[f] && f != target)
                .collect();
            if p.base[target] {
                order.insert(0, target);
            }
            let mut known = shown.clone();
            let found = search(p, &order, &mut known, bound, target, &mut steps, budget);
            if !found {
                pinned.push(target);
            }
        }
        pinned
    }

    fn search(
        p: &Published,
        order: &[usize],
        known: &mut Vec<Option<u64>>,
        bound: u64,
        target: usize,
        steps: &mut u64,
        budget: u64,
    ) -> bool {
        *steps += 1;
        assert!(
            *steps <= budget,
            "enumeration inconclusive: too many fillings"
        );
        let Some(derived) = propagate(p, known) else {
            return false;
        };
        if let Some(value) = derived[target] {
            if value == p.truth[target] {
                return false;
            }
            if order.is_empty() {
                return true;
            }
        }
        let Some((&next, rest)) = order.split_first() else {
            unreachable!("with every cell known, every total is known");
        };
        for v in 0..=bound {
            known[next] = Some(v);
            if search(p, rest, known, bound, target, steps, budget) {
                known[next] = None;
                return true;
            }
        }
        known[next] = None;
        false
    }

    // ---- Random tables ----

    /// SplitMix64.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
        /// Counts with `zeros`% zeros and `small`% from 1 to 4, the rest 5 to `large`.
        fn cells(
            &mut self,
            rows: usize,
            columns: usize,
            zeros: u64,
            small: u64,
            large: u64,
        ) -> Vec<Vec<u64>> {
            (0..rows)
                .map(|_| {
                    (0..columns)
                        .map(|_| {
                            let roll = self.below(100);
                            if roll < zeros {
                                0
                            } else if roll < zeros + small {
                                1 + self.below(4)
                            } else {
                                5 + self.below(large - 4)
                            }
                        })
                        .collect()
                })
                .collect()
        }
    }

    fn suppress_cells(cells: &[Vec<u64>]) -> SuppressedTable {
        let columns = cells.first().map_or(0, Vec::len);
        CountTable::new(
            labels("r", cells.len()),
            labels("c", columns),
            cells.to_vec(),
        )
        .unwrap()
        .suppress()
    }

    // ---- The rules ----

    #[test]
    fn counts_from_one_to_four_are_suppressed() {
        // Every count 1 to 4 in every random table, wherever it stands.
        let mut rng = Rng(1);
        for _ in 0..300 {
            let rows = 1 + rng.below(6) as usize;
            let columns = 1 + rng.below(6) as usize;
            let cells = rng.cells(rows, columns, 20, 30, 40);
            let result = suppress_cells(&cells);
            for (r, row) in cells.iter().enumerate() {
                for (c, &n) in row.iter().enumerate() {
                    if (1..=4).contains(&n) {
                        assert_eq!(result.cells[r][c], C, "{cells:?}");
                    }
                }
            }
        }
        let result = table(&[&[1, 9, 7], &[2, 3, 4], &[8, 9, 10]]).suppress();
        assert!(result.cells[0][0].is_suppressed());
        assert!(result.cells[1].iter().all(Figure::is_suppressed));
        assert_eq!(result.cells[2], vec![s(8), s(9), s(10)]);
    }

    #[test]
    fn zero_is_shown() {
        let result = table(&[&[0, 10, 6], &[7, 0, 9], &[0, 0, 0]]).suppress();
        assert_eq!(result.cells[0], vec![s(0), s(10), s(6)]);
        assert_eq!(result.cells[1], vec![s(7), s(0), s(9)]);
        assert_eq!(result.cells[2], vec![s(0), s(0), s(0)]);
        assert_eq!(result.row_totals, vec![s(16), s(16), s(0)]);
        assert_eq!(result.column_totals, vec![s(7), s(10), s(15)]);
        assert_eq!(result.grand_total, s(32));
        assert_eq!(s(0).display(), "0");
        assert_eq!(C.display(), "[c]");
        assert_eq!(s(12).to_string(), "12");
    }

    #[test]
    fn a_lone_suppressed_cell_in_a_row_takes_a_second_with_it() {
        // Row 0 has one small count: the smallest other count in the row (6, not 7 or the
        // total) goes with it; column 1 then has one, so its smallest other (8) goes too, and
        // row 1 has two. Rows 2 and 3 are untouched.
        let result = table(&[
            &[3, 7, 6, 20],
            &[9, 12, 8, 10],
            &[11, 13, 14, 15],
            &[16, 17, 18, 19],
        ])
        .suppress();
        assert_eq!(result.cells[0], vec![C, s(7), C, s(20)]);
        assert_eq!(result.cells[1], vec![C, s(12), C, s(10)]);
        assert_eq!(result.cells[2], vec![s(11), s(13), s(14), s(15)]);
        assert_eq!(result.cells[3], vec![s(16), s(17), s(18), s(19)]);
        assert!(result.row_totals.iter().all(|f| !f.is_suppressed()));
        assert!(result.column_totals.iter().all(|f| !f.is_suppressed()));
        assert_eq!(result.grand_total, s(3 + 7 + 6 + 20 + 39 + 53 + 70));

        // Only zeros beside it: a zero goes (the row total, 3, is suppressed already).
        let result = table(&[&[3, 0], &[10, 12]]).suppress();
        assert_eq!(result.cells[0][0], C);
        assert_eq!(result.row_totals[0], C);
        let p = Published::table(&[vec![3, 0], vec![10, 12]], &result);
        assert_eq!(p.lines_with_one_suppressed(), 0);
        assert!(pinned_by_enumeration(&p, 1_000_000).is_empty());
    }

    #[test]
    fn a_count_reached_through_a_single_cell_is_protected_too() {
        // Two blocks of small counts joined only through the 3 at (0, 2): every line holds two
        // or three suppressed figures, yet column 0, column 1 and row 1 give (0,0) + (0,1) = 3,
        // and row 0 then gives the 3. The line rule alone leaves it; the whole-table step
        // does not.
        let cells = vec![
            vec![1, 2, 3, 20],
            vec![2, 1, 20, 20],
            vec![20, 20, 1, 2],
            vec![20, 20, 2, 1],
        ];
        let t = CountTable::new(labels("r", 4), labels("c", 4), cells.clone()).unwrap();
        let network = t.network();
        let mut line_rule_only = network.primary();
        network.apply_line_rule(&mut line_rule_only);
        let as_published = |suppressed: &[bool]| {
            let figures: Vec<Figure> = suppressed
                .iter()
                .zip(&network.values)
                .map(|(&x, &n)| if x { C } else { s(n) })
                .collect();
            SuppressedTable {
                row_labels: labels("r", 4),
                column_labels: labels("c", 4),
                cells: (0..4).map(|r| figures[r * 5..r * 5 + 4].to_vec()).collect(),
                row_totals: (0..4).map(|r| figures[r * 5 + 4]).collect(),
                column_totals: figures[20..24].to_vec(),
                grand_total: figures[24],
            }
        };
        let weak = Published::table(&cells, &as_published(&line_rule_only));
        assert_eq!(weak.lines_with_one_suppressed(), 0);
        assert_eq!(determined_by_linear_algebra(&weak), vec![2]);

        let result = t.suppress();
        let p = Published::table(&cells, &result);
        assert!(determined_by_linear_algebra(&p).is_empty(), "{result:?}");
        assert!(pinned_by_linear_programming(&p).is_empty(), "{result:?}");
    }

    #[test]
    fn a_count_worked_out_from_a_line_adding_to_zero_is_protected() {
        // Found by search: with the suppressed zeros here, a check of the equations alone
        // passes a pattern in which a count is known once counts cannot be negative (a line
        // whose suppressed figures add to zero makes each of them zero). The whole-table step
        // allows for that.
        let cells = vec![vec![9, 2, 0, 5], vec![3, 1, 0, 0], vec![3, 0, 0, 0]];
        let result = suppress_cells(&cells);
        let p = Published::table(&cells, &result);
        assert!(
            pinned_by_enumeration(&p, 1_000_000).is_empty(),
            "{result:?}"
        );
        assert!(pinned_by_linear_programming(&p).is_empty(), "{result:?}");
    }

    #[test]
    fn no_suppressed_count_can_be_worked_out_from_totals_and_other_cells() {
        let mut rng = Rng(20_261_129);
        let mut suppressed_seen = 0usize;
        // Small tables: all three checkers, enumeration included.
        for _ in 0..400 {
            let rows = 1 + rng.below(4) as usize;
            let columns = 1 + rng.below(4) as usize;
            let zeros = rng.below(70);
            let small = rng.below(100 - zeros);
            let cells = rng.cells(rows, columns, zeros, small, 9);
            let result = suppress_cells(&cells);
            let p = Published::table(&cells, &result);
            suppressed_seen += p.unknowns().len();
            assert_eq!(p.lines_with_one_suppressed(), 0, "{cells:?}");
            assert!(determined_by_linear_algebra(&p).is_empty(), "{cells:?}");
            assert!(pinned_by_linear_programming(&p).is_empty(), "{cells:?}");
            assert!(pinned_by_enumeration(&p, 5_000_000).is_empty(), "{cells:?}");
        }
        // Larger tables, up to the region's 18 councils × 5 bands, with many small counts.
        let mut sizes: Vec<(usize, usize, u64, u64)> = Vec::new();
        for _ in 0..150 {
            sizes.push((
                1 + rng.below(10) as usize,
                1 + rng.below(8) as usize,
                rng.below(40),
                rng.below(70),
            ));
        }
        for (zeros, small) in [(10, 60), (30, 40), (5, 30), (40, 50), (0, 80), (20, 20)] {
            for _ in 0..5 {
                sizes.push((18, 5, zeros, small));
            }
        }
        for (rows, columns, zeros, small) in sizes {
            let cells = rng.cells(rows, columns, zeros, small, 40);
            let result = suppress_cells(&cells);
            let p = Published::table(&cells, &result);
            suppressed_seen += p.unknowns().len();
            assert_eq!(p.lines_with_one_suppressed(), 0, "{cells:?}");
            assert!(determined_by_linear_algebra(&p).is_empty(), "{cells:?}");
            assert!(pinned_by_linear_programming(&p).is_empty(), "{cells:?}");
        }
        // Lists.
        for _ in 0..200 {
            let n = 1 + rng.below(8) as usize;
            let (zeros, small) = (rng.below(40), rng.below(70));
            let counts = rng.cells(1, n, zeros, small, 12).remove(0);
            let result = CountList::new(labels("c", n), counts.clone())
                .unwrap()
                .suppress();
            let p = Published::list(&counts, &result);
            assert_eq!(p.lines_with_one_suppressed(), 0, "{counts:?}");
            assert!(determined_by_linear_algebra(&p).is_empty(), "{counts:?}");
            assert!(
                pinned_by_enumeration(&p, 5_000_000).is_empty(),
                "{counts:?}"
            );
        }
        assert!(
            suppressed_seen > 1000,
            "the tables should exercise suppression"
        );
    }

    #[test]
    fn the_checkers_catch_a_count_that_can_be_worked_out() {
        // The checkers themselves are tested: a lone suppressed cell, and a suppressed pair
        // whose line adds to zero beside a shown total.
        let cells = vec![vec![3, 9], vec![8, 9]];
        let mut result = suppress_cells(&cells);
        result.cells = vec![vec![C, s(9)], vec![s(8), s(9)]];
        result.row_totals = vec![s(12), s(17)];
        result.column_totals = vec![s(11), s(18)];
        result.grand_total = s(29);
        let p = Published::table(&cells, &result);
        assert_eq!(determined_by_linear_algebra(&p), vec![0]);
        assert_eq!(pinned_by_linear_programming(&p), vec![0]);
        assert_eq!(pinned_by_enumeration(&p, 1_000_000), vec![0]);

        // Cells (0,0)=6, (0,1)=0, (1,0)=0, (1,1)=0 suppressed, all totals shown: the linear
        // algebra cannot pin them, but counts are not negative, so all four are known.
        let cells = vec![vec![6, 0], vec![0, 0]];
        let result = SuppressedTable {
            row_labels: labels("r", 2),
            column_labels: labels("c", 2),
            cells: vec![vec![C, C], vec![C, C]],
            row_totals: vec![s(6), s(0)],
            column_totals: vec![s(6), s(0)],
            grand_total: s(6),
        };
        let p = Published::table(&cells, &result);
        assert!(determined_by_linear_algebra(&p).is_empty());
        assert_eq!(pinned_by_linear_programming(&p), vec![0, 1, 3, 4]);
        assert_eq!(pinned_by_enumeration(&p, 1_000_000), vec![0, 1, 3, 4]);
    }

    #[test]
    fn totals_below_five_are_suppressed() {
        // A total of 1 to 4 is made of counts of 1 to 4 and zeros; the total is suppressed
        // as well as the count, row and column alike. A zero total is shown.
        let result = table(&[&[0, 0, 0], &[10, 20, 30]]).suppress();
        assert_eq!(result.row_totals[0], s(0));
        let cells = vec![vec![10, 0, 6], vec![0, 3, 0], vec![8, 0, 7]];
        let result = suppress_cells(&cells);
        assert_eq!(result.cells[1][1], C);
        assert_eq!(result.row_totals[1], C);
        assert_eq!(result.column_totals[1], C);
        let p = Published::table(&cells, &result);
        assert!(
            pinned_by_enumeration(&p, 1_000_000).is_empty(),
            "{result:?}"
        );
        // Lists: a total of 1 to 4 is suppressed, with the counts making it up.
        let result = CountList::new(labels("c", 3), vec![0, 2, 1])
            .unwrap()
            .suppress();
        assert_eq!(result.total, C);
        assert_eq!(result.counts, vec![s(0), C, C]);
        // A grand total below five, every cell zero but one.
        let result = table(&[&[0, 0], &[0, 4]]).suppress();
        assert_eq!(result.grand_total, C);
        assert_eq!(result.row_totals[1], C);
        assert_eq!(result.column_totals[1], C);
        let p = Published::table(&[vec![0, 0], vec![0, 4]], &result);
        assert!(
            pinned_by_enumeration(&p, 1_000_000).is_empty(),
            "{result:?}"
        );
    }

    #[test]
    fn one_dimensional_list_with_total() {
        let list = CountList::new(labels("council ", 5), vec![12, 3, 40, 7, 0]).unwrap();
        assert_eq!(list.total(), 62);
        let result = list.suppress();
        // The 3 is suppressed, and with it the smallest other non-zero count (7), not the
        // zero and not the total.
        assert_eq!(result.counts, vec![s(12), C, s(40), C, s(0)]);
        assert_eq!(result.total, s(62));
        let p = Published::list(&[12, 3, 40, 7, 0], &result);
        assert!(pinned_by_enumeration(&p, 1_000_000).is_empty());

        // Only zeros beside the small count, and the total is small too.
        let result = CountList::new(labels("c", 3), vec![0, 4, 0])
            .unwrap()
            .suppress();
        assert_eq!(result.counts[1], C);
        assert_eq!(result.total, C);

        // Nothing small: all shown.
        let result = CountList::new(labels("c", 2), vec![5, 6])
            .unwrap()
            .suppress();
        assert_eq!(result.counts, vec![s(5), s(6)]);
        assert_eq!(result.total, s(11));

        assert_eq!(
            CountList::new(labels("c", 2), vec![5]),
            Err(CountTableError::ListLabels {
                labels: 2,
                counts: 1
            })
        );
        let json = serde_json::to_string(&result).unwrap();
        assert_eq!(
            serde_json::from_str::<SuppressedList>(&json).unwrap(),
            result
        );
    }

    #[test]
    fn nothing_suppressed_when_all_counts_are_five_or_more() {
        let mut rng = Rng(7);
        for _ in 0..100 {
            let rows = 1 + rng.below(18) as usize;
            let columns = 1 + rng.below(6) as usize;
            let cells = rng.cells(rows, columns, 0, 0, 30);
            let result = suppress_cells(&cells);
            let t =
                CountTable::new(labels("r", rows), labels("c", columns), cells.clone()).unwrap();
            let shown = |counts: &[u64]| counts.iter().map(|&n| s(n)).collect::<Vec<_>>();
            let all_shown: Vec<Vec<Figure>> = cells.iter().map(|row| shown(row)).collect();
            assert_eq!(result.cells, all_shown);
            assert_eq!(result.row_totals, shown(t.row_totals()));
            assert_eq!(result.column_totals, shown(t.column_totals()));
            assert_eq!(result.grand_total, s(t.grand_total()));
        }
        // With zeros among them too.
        let result = table(&[&[5, 0], &[0, 5]]).suppress();
        assert_eq!(result.cells, vec![vec![s(5), s(0)], vec![s(0), s(5)]]);
    }

    #[test]
    fn tables_are_checked_for_shape_and_serialise() {
        assert_eq!(
            CountTable::new(labels("r", 2), labels("c", 2), vec![vec![1, 2]]),
            Err(CountTableError::RowLabels { labels: 2, rows: 1 })
        );
        assert_eq!(
            CountTable::new(labels("r", 1), labels("c", 2), vec![vec![1]]),
            Err(CountTableError::RowLength {
                row: 0,
                expected: 2,
                found: 1
            })
        );
        assert_eq!(
            CountTable::new(
                labels("r", 2),
                labels("c", 1),
                vec![vec![u64::MAX], vec![1]]
            ),
            Err(CountTableError::Overflow)
        );
        let t = table(&[&[1, 9], &[6, 7]]);
        assert_eq!(t.row_totals(), &[10, 13]);
        assert_eq!(t.column_totals(), &[7, 16]);
        assert_eq!(t.grand_total(), 23);
        let result = t.suppress();
        let json = serde_json::to_string(&result).unwrap();
        assert!(json.contains("\"Suppressed\""));
        assert_eq!(
            serde_json::from_str::<SuppressedTable>(&json).unwrap(),
            result
        );
        // An empty table has nothing to suppress.
        let empty = CountTable::new(vec![], labels("c", 3), vec![])
            .unwrap()
            .suppress();
        assert_eq!(empty.column_totals, vec![s(0); 3]);
        assert_eq!(empty.grand_total, s(0));
    }
}
