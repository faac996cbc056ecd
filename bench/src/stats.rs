//! Percentiles, medians and the summaries the report is made of.

use serde::Serialize;

/// A latency distribution, in microseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Number of samples.
    pub n: usize,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Largest sample.
    pub max: f64,
}

impl Summary {
    /// Summarises `samples` (any order). An empty slice gives all zeros.
    pub fn of(samples: &[f64]) -> Summary {
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        Summary {
            n: sorted.len(),
            p50: percentile(&sorted, 50.0),
            p95: percentile(&sorted, 95.0),
            p99: percentile(&sorted, 99.0),
            max: sorted.last().copied().unwrap_or(0.0),
        }
    }

    /// The median of each field over several summaries (one per round): a round disturbed
    /// by another job on the machine moves it less than pooling would.
    pub fn median_of(rounds: &[Summary]) -> Summary {
        let field = |f: fn(&Summary) -> f64| median(&rounds.iter().map(f).collect::<Vec<_>>());
        Summary {
            n: rounds.iter().map(|s| s.n).sum(),
            p50: field(|s| s.p50),
            p95: field(|s| s.p95),
            p99: field(|s| s.p99),
            max: field(|s| s.max),
        }
    }
}

/// The `q`-th percentile (0–100) of sorted samples, by the nearest-rank method: always
/// one of the samples, so p99 of 1,000 samples is the 10th largest. 0 when empty.
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The median of `xs` (mean of the middle two for an even count). 0 when empty.
pub fn median(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<f64> = (1..=1000).map(f64::from).collect();
        let s = Summary::of(&v);
        assert_eq!((s.p50, s.p95, s.p99, s.max), (500.0, 950.0, 990.0, 1000.0));
        assert_eq!(percentile(&[7.0], 99.0), 7.0);
        assert_eq!(Summary::of(&[]).p99, 0.0);
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        let rounds = [
            Summary::of(&[1.0, 2.0]),
            Summary::of(&[10.0, 20.0]),
            Summary::of(&[3.0, 4.0]),
        ];
        let m = Summary::median_of(&rounds);
        assert_eq!((m.n, m.p50, m.max), (6, 3.0, 4.0));
    }
}
