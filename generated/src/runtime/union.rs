//! Decoding unions that have no tag: the variant that explains most of the payload wins.

use serde_json::Value;

/// Collects candidate decodings of one payload and keeps the best.
///
/// A candidate's score is how many of the payload's keys are fields the variant knows. Ties go to
/// the earlier variant (spec order). So a Google Pay context, which has every field of the generic
/// wallet context plus two more, decodes as Google Pay even though the wallet variant accepts it too.
pub(crate) struct BestFit<'v, T> {
    value: &'v Value,
    best: Option<(usize, T)>,
}

impl<'v, T> BestFit<'v, T> {
    pub(crate) fn new(value: &'v Value) -> Self {
        BestFit { value, best: None }
    }

    /// Offers a variant: `fields` are its known property names (empty for non-objects), `decode`
    /// tries to read the payload as it.
    pub(crate) fn offer<E>(
        &mut self,
        fields: &[&str],
        decode: impl FnOnce(&'v Value) -> Result<T, E>,
    ) {
        let score = match self.value {
            Value::Object(map) => map.keys().filter(|k| fields.contains(&k.as_str())).count(),
            _ => 0,
        };
        if self.best.as_ref().is_some_and(|(best, _)| *best >= score) {
            return;
        }
        if let Ok(decoded) = decode(self.value) {
            self.best = Some((score, decoded));
        }
    }

    /// The best candidate, if any variant accepted the payload.
    pub(crate) fn finish(self) -> Option<T> {
        self.best.map(|(_, t)| t)
    }
}
