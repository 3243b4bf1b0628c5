//! Clipping and noising one report's counts, as the families ask for it.

use super::laplace::{RandomSource, discrete_laplace, uniform_below};
use crate::counters::add;

/// Adds discrete Laplace noise of one scale to counts, after clipping them.
pub struct Noiser<'a> {
    random: &'a mut dyn RandomSource,
    /// The scale is `t / s`.
    t: u64,
    s: u64,
}

impl<'a> Noiser<'a> {
    /// Noise of scale `t / s` drawn from `random`.
    pub fn new(random: &'a mut dyn RandomSource, t: u64, s: u64) -> Noiser<'a> {
        Noiser { random, t, s }
    }

    /// Clips each count to its cap, then adds noise to it.
    pub fn counters(&mut self, counts: &mut [&mut i64], caps: &[i64]) {
        for (count, &cap) in counts.iter_mut().zip(caps) {
            **count = add((**count).min(cap), discrete_laplace(self.random, self.t, self.s));
        }
    }

    /// Keeps one of the histogram's ratings (chosen uniformly at random),
    /// then adds noise to every count.
    pub fn histogram(&mut self, histogram: &mut [i64]) {
        keep_one_rating(histogram, self.random);
        for count in histogram.iter_mut() {
            *count = add(*count, discrete_laplace(self.random, self.t, self.s));
        }
    }
}

/// Keeps one of the histogram's ratings, chosen uniformly at random.
fn keep_one_rating(histogram: &mut [i64], random: &mut dyn RandomSource) {
    let ratings: i64 = histogram.iter().sum();
    if ratings <= 1 {
        return;
    }
    let mut chosen = uniform_below(random, ratings as u64) as i64;
    for count in histogram.iter_mut() {
        let here = *count;
        *count = i64::from((0..here).contains(&chosen));
        chosen -= here;
    }
}
