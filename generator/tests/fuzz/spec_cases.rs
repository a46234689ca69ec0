//! The spec mutation target: mutations applied to a seed spec, then the passes.

use proptest::prelude::*;

use crate::apply::apply;
use crate::inputs::{Inputs, generate};
use crate::mutations::*;
use crate::tree::*;

#[derive(Debug, Clone)]
pub(crate) struct SpecCase {
    pub(crate) seed: usize,
    pub(crate) mutations: Vec<Mutation>,
    /// `checkout_session_operation`: none, an operation of the spec (by index), or a weird name.
    pub(crate) checkout: Option<Result<usize, &'static str>>,
    /// Pointers listed as known-invalid examples (`spec/invalid-examples.toml`): an example of
    /// the spec (by index) or any node.
    pub(crate) invalid_examples: Vec<Result<usize, usize>>,
}

pub(crate) fn spec_case(seeds: usize) -> impl Strategy<Value = SpecCase> {
    let checkout = prop::option::weighted(
        0.2,
        prop_oneof![index().prop_map(Ok), weird().prop_map(Err)],
    );
    let invalid_examples = prop::collection::vec(
        prop_oneof![3 => index().prop_map(Ok), 1 => index().prop_map(Err)],
        0..3,
    );
    (
        0..seeds,
        prop::collection::vec(mutation(), 1..8),
        checkout,
        invalid_examples,
    )
        .prop_map(|(seed, mutations, checkout, invalid_examples)| SpecCase {
            seed,
            mutations,
            checkout,
            invalid_examples,
        })
}

pub(crate) fn run_spec_case(case: &SpecCase, inputs: &Inputs, log: &mut Vec<String>) -> bool {
    let seed = &inputs.seeds[case.seed % inputs.seeds.len()];
    log.push(format!("spec {}", seed.name));
    let mut doc = seed.doc.clone();
    for m in &case.mutations {
        log.push(apply(&mut doc, m));
    }
    let checkout = match &case.checkout {
        None => None,
        Some(Err(name)) => Some((*name).to_owned()),
        Some(Ok(i)) => {
            let ids: Vec<String> = nodes_of(&doc, Kind::Operation)
                .iter()
                .filter_map(|p| {
                    get(&doc, p)?
                        .get("operationId")?
                        .as_str()
                        .map(str::to_owned)
                })
                .collect();
            (!ids.is_empty()).then(|| ids[i % ids.len()].clone())
        }
    };
    if let Some(c) = &checkout {
        log.push(format!("checkout_session_operation = {c:?}"));
    }
    let examples: Vec<NodePath> = all_nodes(&doc)
        .into_iter()
        .filter(|p| is_key(p, 1, "examples"))
        .collect();
    let invalid_examples: Vec<String> = case
        .invalid_examples
        .iter()
        .filter_map(|choice| match choice {
            Ok(i) if !examples.is_empty() => Some(pointer(&examples[i % examples.len()])),
            Ok(_) => None,
            Err(i) => pick(&doc, Kind::Any, *i).map(|p| pointer(&p)),
        })
        .collect();
    if !invalid_examples.is_empty() {
        log.push(format!("invalid examples: {invalid_examples:?}"));
    }
    generate(
        &doc,
        checkout.as_deref(),
        &invalid_examples,
        &inputs.statics,
    )
}
