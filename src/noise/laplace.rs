//! Exact sampling of the discrete Laplace distribution.
//!
//! Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential
//! Privacy" (2020), algorithms 1 and 2: only integer arithmetic on uniform
//! random integers, so no floating-point rounding can bias the noise or leak
//! through its low bits (the weakness of noise computed as `ln(u) * scale`).

use core::num::NonZeroU64;

/// Uniform random bits; the widget's come from `crypto.getRandomValues`.
pub trait RandomSource {
    /// 64 uniformly random bits.
    fn next_u64(&mut self) -> u64;
}

/// Random draws one sample may use. A sample needs about 15 on average and
/// each further round is taken with probability at most 1/2, so with real
/// randomness the budget is never spent; it keeps a broken source (say, all
/// zeros) from hanging the page.
const DRAW_BUDGET: u32 = 10_000;

/// A random source with a budget of draws: `None` once it is spent.
struct Draws<'a> {
    random: &'a mut dyn RandomSource,
    left: u32,
}

impl Draws<'_> {
    fn next(&mut self) -> Option<u64> {
        self.left = self.left.checked_sub(1)?;
        Some(self.random.next_u64())
    }

    /// A uniform integer in `0..n` (`None` for `n == 0`), by rejection: no modulo bias.
    fn uniform_below(&mut self, n: u64) -> Option<u64> {
        // A `NonZeroU64` divisor keeps the division-by-zero panic out of the Wasm.
        let n = NonZeroU64::new(n)?;
        // Draws at or above the largest multiple of `n` that fits are rejected.
        let limit = u64::MAX - u64::MAX % n;
        loop {
            let draw = self.next()?;
            if draw < limit {
                return Some(draw % n);
            }
        }
    }

    /// True with probability `num / den` (`den >= 1`).
    fn bernoulli(&mut self, num: u64, den: u64) -> Option<bool> {
        Some(self.uniform_below(den)? < num)
    }

    /// True with probability `exp(-num / den)`, for `num <= den` (algorithm 1).
    fn bernoulli_exp(&mut self, num: u64, den: u64) -> Option<bool> {
        let mut k: u64 = 1;
        while self.bernoulli(num, den.saturating_mul(k))? {
            k += 1;
        }
        Some(k % 2 == 1)
    }

    /// Algorithm 2 with scale `t / s`.
    fn discrete_laplace(&mut self, t: u64, s: u64) -> Option<i64> {
        loop {
            let u = self.uniform_below(t)?;
            if !self.bernoulli_exp(u, t)? {
                continue;
            }
            let mut v: u64 = 0;
            while self.bernoulli_exp(1, 1)? {
                v += 1;
            }
            // x is geometric with P(x) ∝ exp(-x / t); y with P(y) ∝ exp(-y s / t).
            let x = u.saturating_add(t.saturating_mul(v));
            let y = (x / s).min(i64::MAX as u64) as i64;
            let negative = self.bernoulli(1, 2)?;
            if !(negative && y == 0) {
                return Some(if negative { -y } else { y });
            }
        }
    }
}

/// A uniform integer in `0..n` (`n` is raised to at least 1); 0 if `random`
/// is so broken that the draw budget runs out.
pub fn uniform_below(random: &mut dyn RandomSource, n: u64) -> u64 {
    let mut draws = Draws { random, left: DRAW_BUDGET };
    draws.uniform_below(n.max(1)).unwrap_or(0)
}

/// A sample of the discrete Laplace distribution with scale `t / s`
/// (`P(x) ∝ exp(-|x| s / t)`; `s` and `t` are raised to at least 1).
/// Returns 0 if `random` is so broken that the draw budget runs out.
pub fn discrete_laplace(random: &mut dyn RandomSource, t: u64, s: u64) -> i64 {
    let mut draws = Draws { random, left: DRAW_BUDGET };
    draws.discrete_laplace(t.max(1), s.max(1)).unwrap_or(0)
}

/// The sampler's statistical tests, and a seeded source for other tests.
#[cfg(test)]
pub mod tests {
    use super::*;
    use std::vec::Vec;

    /// SplitMix64: a fast, well-mixed seeded source for tests (not for production).
    pub struct SplitMix(pub u64);

    impl RandomSource for SplitMix {
        fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
    }

    /// The variance of the discrete Laplace distribution with scale `b`: 2α/(1−α)², α = e^(−1/b).
    pub fn theoretical_variance(b: f64) -> f64 {
        let alpha = (-1.0 / b).exp();
        2.0 * alpha / ((1.0 - alpha) * (1.0 - alpha))
    }

    fn samples(seed: u64, t: u64, s: u64, n: usize) -> Vec<i64> {
        let mut random = SplitMix(seed);
        (0..n).map(|_| discrete_laplace(&mut random, t, s)).collect()
    }

    /// Mean and variance of the samples.
    fn moments(xs: &[i64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let mean = xs.iter().map(|&x| x as f64).sum::<f64>() / n;
        let variance = xs.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, variance)
    }

    #[test]
    fn mean_and_variance_match_theory_across_scales() {
        // 200,000 samples per scale; bounds are 5 standard errors, so a correct
        // sampler fails with probability below 1e-6 (and the seeds are fixed).
        const N: usize = 200_000;
        for (seed, t, s) in [(1, 1, 1), (2, 3, 2), (3, 82_000, 1_000), (4, 82_000, 250), (5, 82_000, 10_000)] {
            let b = t as f64 / s as f64;
            let xs = samples(seed, t, s, N);
            let (mean, variance) = moments(&xs);
            let expected = theoretical_variance(b);
            let mean_bound = 5.0 * (expected / N as f64).sqrt();
            assert!(mean.abs() < mean_bound, "scale {b}: mean {mean} beyond ±{mean_bound}");
            // The variance of the sample variance is (μ4 − σ⁴)/n; μ4 ≈ 6σ⁴ for a Laplace.
            let variance_bound = 5.0 * expected * (5.0 / N as f64).sqrt();
            assert!(
                (variance - expected).abs() < variance_bound,
                "scale {b}: variance {variance}, expected {expected} ± {variance_bound}"
            );
        }
    }

    #[test]
    fn probabilities_of_small_values_match_the_mass_function() {
        // P(x) = (1−α)/(1+α) · α^|x| with α = e^(−s/t); here scale 2.
        const N: usize = 400_000;
        let xs = samples(7, 2, 1, N);
        let alpha = (-0.5f64).exp();
        for value in -3i64..=3 {
            let p = (1.0 - alpha) / (1.0 + alpha) * alpha.powi(value.unsigned_abs() as i32);
            let observed = xs.iter().filter(|&&x| x == value).count() as f64 / N as f64;
            let bound = 5.0 * (p * (1.0 - p) / N as f64).sqrt();
            assert!((observed - p).abs() < bound, "P({value}) = {observed}, expected {p} ± {bound}");
        }
    }

    #[test]
    fn is_symmetric() {
        let xs = samples(11, 5, 1, 100_000);
        let positive = xs.iter().filter(|&&x| x > 0).count() as f64;
        let negative = xs.iter().filter(|&&x| x < 0).count() as f64;
        let bound = 5.0 * (positive + negative).sqrt();
        assert!((positive - negative).abs() < bound, "{positive} positive against {negative} negative");
    }

    struct Constant(u64);

    impl RandomSource for Constant {
        fn next_u64(&mut self) -> u64 {
            self.0
        }
    }

    #[test]
    fn a_broken_source_cannot_hang_or_panic() {
        for value in [0, 1, u64::MAX, u64::MAX / 2] {
            discrete_laplace(&mut Constant(value), 82_000, 1_000);
            discrete_laplace(&mut Constant(value), 1, 1);
        }
    }
}
