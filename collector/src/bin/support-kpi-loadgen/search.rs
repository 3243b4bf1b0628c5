//! The search of `--find-max`: the rate steps up until a step is not
//! sustained twice in a row, so that one spike (a checkpoint, a hiccup of
//! the shared cores) does not end it.

/// What the search does after a step.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    /// The step was sustained: it is the best so far; go one step up.
    Up,
    /// The step was not sustained for the first time: run it again.
    Again,
    /// The step was not sustained twice in a row: the search ends.
    Stop,
}

/// Where the search stands: whether the current step already failed once.
#[derive(Debug, Default)]
pub struct Search {
    failed_once: bool,
}

impl Search {
    /// Whether the next run repeats a step that was not sustained.
    pub fn repeating(&self) -> bool {
        self.failed_once
    }

    /// The decision after a step that was (or was not) `sustained`.
    pub fn after(&mut self, sustained: bool) -> Next {
        let next = match (sustained, self.failed_once) {
            (true, _) => Next::Up,
            (false, false) => Next::Again,
            (false, true) => Next::Stop,
        };
        self.failed_once = next == Next::Again;
        next
    }
}

#[cfg(test)]
mod tests {
    use super::{Next, Search};

    fn decisions(steps: &[bool]) -> Vec<Next> {
        let mut search = Search::default();
        steps.iter().map(|&sustained| search.after(sustained)).collect()
    }

    #[test]
    fn a_step_that_fails_once_runs_again_and_the_search_ends_when_it_fails_twice() {
        assert_eq!(decisions(&[true, true]), [Next::Up, Next::Up]);
        assert_eq!(decisions(&[true, false, true]), [Next::Up, Next::Again, Next::Up]);
        assert_eq!(decisions(&[false, false]), [Next::Again, Next::Stop]);
        // A sustained repeat clears the failure: the next step gets its own second chance.
        assert_eq!(decisions(&[false, true, false, false]), [Next::Again, Next::Up, Next::Again, Next::Stop]);
    }

    #[test]
    fn repeating_tells_the_second_run_of_a_step() {
        let mut search = Search::default();
        assert!(!search.repeating());
        search.after(false);
        assert!(search.repeating());
        search.after(true);
        assert!(!search.repeating());
    }
}
