//! Reading what can be read of a damaged table or index: scans that step over the pages
//! SQLite cannot read and carry on where readable pages resume.

use rusqlite::{Connection, Row, Statement};

/// Scans give up on a table after this many damaged stretches.
const MAX_GAPS: usize = 1000;
/// Probes allowed to find where readable pages resume after one damaged stretch.
const MAX_PROBES: usize = 256;

/// Reads every readable row of a rowid table. `select` is `SELECT rowid, … FROM table`
/// (no WHERE). Returns the rows and whether the whole table was read without error.
pub(super) fn scan_table<T>(
    conn: &Connection,
    select: &str,
    map: impl Fn(&Row<'_>) -> Option<T>,
) -> (Vec<T>, bool) {
    let mut out = Vec::new();
    let Ok(mut stmt) = conn.prepare(&format!("{select} WHERE rowid >= ?1 ORDER BY rowid")) else {
        return (out, false);
    };
    let table = select.rsplit(' ').next().unwrap_or_default();
    let Ok(mut probe) = conn.prepare(&format!(
        "SELECT rowid FROM {table} WHERE rowid >= ?1 ORDER BY rowid LIMIT 1"
    )) else {
        return (out, false);
    };
    let mut clean = true;
    let mut from = i64::MIN;
    for _ in 0..MAX_GAPS {
        match read_run(&mut stmt, from, &mut out, &map) {
            Run::End => return (out, clean),
            Run::Bad { next } => {
                clean = false;
                from = match next {
                    Some(next) => next,
                    None => return (out, clean),
                };
            }
            Run::Failed { at } => {
                clean = false;
                match resume_point(&mut probe, at) {
                    Some(p) => from = p,
                    None => return (out, clean),
                }
            }
        }
    }
    (out, false)
}

enum Run {
    /// Read to the end of the table.
    End,
    /// A row could be read but not understood; resume at `next`.
    Bad { next: Option<i64> },
    /// Reading failed at the first row at or after `at`.
    Failed { at: i64 },
}

fn read_run<T>(
    stmt: &mut Statement<'_>,
    from: i64,
    out: &mut Vec<T>,
    map: &impl Fn(&Row<'_>) -> Option<T>,
) -> Run {
    let Ok(mut rows) = stmt.query([from]) else {
        return Run::Failed { at: from };
    };
    let mut at = from;
    loop {
        match rows.next() {
            Ok(None) => return Run::End,
            Err(_) => return Run::Failed { at },
            Ok(Some(row)) => {
                let Ok(rowid) = row.get::<_, i64>(0) else {
                    return Run::Failed { at };
                };
                let next = rowid.checked_add(1);
                match map(row) {
                    Some(v) => out.push(v),
                    None => return Run::Bad { next },
                }
                match next {
                    Some(n) => at = n,
                    None => return Run::End,
                }
            }
        }
    }
}

/// The smallest rowid after `failed` from which a seek succeeds: doubling steps until one
/// works, then bisecting back. `None` when no readable rowid follows.
fn resume_point(probe: &mut Statement<'_>, failed: i64) -> Option<i64> {
    let mut ok = |p: i64| -> bool {
        probe
            .query([p])
            .and_then(|mut rows| rows.next().map(|_| ()))
            .is_ok()
    };
    let mut lo = failed;
    let mut step: i64 = 1;
    let mut probes = 0;
    let mut hi = loop {
        probes += 1;
        if probes > MAX_PROBES {
            return None;
        }
        let p = lo.checked_add(step)?;
        if ok(p) {
            break p;
        }
        lo = p;
        step = step.saturating_mul(2);
    };
    while hi - lo > 1 && probes < MAX_PROBES {
        probes += 1;
        let mid = lo + (hi - lo) / 2;
        if ok(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

/// Reads a covering index from both ends, each until the first error. `select` is the
/// query without ORDER BY; `order` its index columns.
pub(super) fn scan_index<T>(
    conn: &Connection,
    select: &str,
    order: &str,
    map: impl Fn(&Row<'_>) -> Option<T>,
) -> Vec<T> {
    let mut out = Vec::new();
    let desc = order
        .split(", ")
        .map(|c| format!("{c} DESC"))
        .collect::<Vec<_>>()
        .join(", ");
    for order in [order.to_owned(), desc] {
        let Ok(mut stmt) = conn.prepare(&format!("{select} ORDER BY {order}")) else {
            continue;
        };
        let Ok(mut rows) = stmt.query([]) else {
            continue;
        };
        while let Ok(Some(row)) = rows.next() {
            if let Some(v) = map(row) {
                out.push(v);
            }
        }
    }
    out
}
