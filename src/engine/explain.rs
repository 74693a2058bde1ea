//! Explaining a decision: the chains by which a release reaches the
//! companies behind it, worked out from the facts when a decision needs them.

use std::sync::{Arc, OnceLock};

use crate::cedar::facts::Facts;
use crate::decision::{Chain, Link};
use crate::model::{Inventory, Vendor};

/// At most this many chains explain one release; a diamond of shared
/// components could otherwise multiply them.
const MAX_CHAINS: usize = 16;

/// The chains of each release, worked out on first use, since only
/// decisions that forbid or advise show them.
pub(crate) struct Explanations {
    chains: Vec<OnceLock<Arc<[Chain]>>>,
}

impl Explanations {
    pub fn new(releases: usize) -> Explanations {
        Explanations {
            chains: (0..releases).map(|_| OnceLock::new()).collect(),
        }
    }

    /// How a release reaches its vendors: through its own vendor's
    /// controllers, then one chain per path of embedding.
    pub fn chains(&self, facts: &Facts, inventory: &Inventory, release: usize) -> Arc<[Chain]> {
        Arc::clone(self.chains[release].get_or_init(|| explain(facts, inventory, release)))
    }
}

fn explain(facts: &Facts, inventory: &Inventory, release: usize) -> Arc<[Chain]> {
    let vendor_links = |r: usize| {
        facts.vendor_chains[facts.releases[r].vendor]
            .iter()
            .enumerate()
            .map(|(depth, &v)| {
                let Vendor {
                    id,
                    name,
                    incorporated,
                    headquarters,
                    ..
                } = &inventory.vendors[v];
                let (id, name, incorporated, headquarters) =
                    (id.clone(), name.clone(), *incorporated, *headquarters);
                if depth == 0 {
                    Link::MadeBy {
                        id,
                        name,
                        incorporated,
                        headquarters,
                    }
                } else {
                    Link::ControlledBy {
                        id,
                        name,
                        incorporated,
                        headquarters,
                    }
                }
            })
            .collect::<Vec<_>>()
    };
    let mut chains = Vec::new();
    // Depth-first over embedding paths; components are a DAG (checked at load).
    let mut stack: Vec<Vec<usize>> = vec![vec![release]];
    while let Some(path) = stack.pop() {
        if chains.len() == MAX_CHAINS {
            break;
        }
        let mut links: Vec<Link> = Vec::with_capacity(path.len() + 3);
        for (depth, &r) in path.iter().enumerate() {
            let (id, name) = (
                inventory.releases[r].id.clone(),
                facts.releases[r].name.clone(),
            );
            links.push(if depth == 0 {
                Link::Release { id, name }
            } else {
                Link::Embeds { id, name }
            });
        }
        let last = *path.last().unwrap_or(&release);
        links.extend(vendor_links(last));
        chains.push(Chain::new(links));
        for &component in facts.releases[last].components.iter().rev() {
            let mut longer = path.clone();
            longer.push(component);
            stack.push(longer);
        }
    }
    chains.into()
}
