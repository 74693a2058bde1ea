//! Explaining a decision: the chains by which a release reaches the
//! companies its deciding rules name, worked out when a decision needs them.
//!
//! A chain follows the release's embedded components to a vendor that makes
//! one of them, then that vendor's owners and controllers (with their shares)
//! to the nearest company a deciding rule names: up to a parent, and if need
//! be down again to a sister company. Where no rule names a company (a rule
//! about countries, say), each chain climbs the vendor's controllers to the
//! top of its group, which shows where it is run from.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use crate::cedar::facts::Facts;
use crate::corporate::{Aggregate, Corporate, Node, Structure};
use crate::decision::{Chain, Company, Counted, Holding, HoldingTest, Link};
use crate::model::Inventory;
use crate::model::Share;

/// At most this many chains explain one decision.
const MAX_CHAINS: usize = 16;
/// At most this many embedding paths are followed: a diamond of shared
/// components could otherwise multiply them.
const MAX_PATHS: usize = 256;

/// Chains by release and the companies they lead to.
type Chains = HashMap<(usize, Vec<Node>), Arc<[Chain]>>;

/// Chains by release and the companies they lead to, worked out on first use.
#[derive(Default)]
pub(crate) struct Explanations {
    chains: Mutex<Chains>,
}

/// What explaining reads: the inventory, its structure, and the facts.
pub(crate) struct Ground<'a> {
    pub inventory: &'a Inventory,
    pub corporate: &'a Corporate,
    pub structure: &'a Structure,
    pub facts: &'a Facts,
}

impl Explanations {
    pub fn new() -> Explanations {
        Explanations::default()
    }

    /// How a release reaches `anchors` (sorted), or the tops of its vendors'
    /// groups if it reaches none of them.
    pub fn chains(&self, ground: &Ground<'_>, release: usize, anchors: Vec<Node>) -> Arc<[Chain]> {
        let key = (release, anchors);
        if let Some(chains) = self.lock().get(&key) {
            return Arc::clone(chains);
        }
        let chains = explain(ground, release, &key.1);
        Arc::clone(self.lock().entry(key).or_insert(chains))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Chains> {
        self.chains.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn explain(ground: &Ground<'_>, release: usize, anchors: &[Node]) -> Arc<[Chain]> {
    let Ground {
        inventory, facts, ..
    } = *ground;
    let mut reaching = Vec::new();
    let mut climbing = Vec::new();
    for path in embedding_paths(facts, release) {
        let mut links: Vec<Link> = Vec::with_capacity(path.len() + 4);
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
        let vendor = facts.releases[*path.last().unwrap_or(&release)].vendor;
        let v = &inventory.vendors[vendor];
        links.push(Link::MadeBy {
            id: v.id.clone(),
            name: v.name.clone(),
            incorporated: v.incorporated,
            headquarters: v.headquarters,
        });
        match route(ground, vendor, anchors) {
            Some(steps) if reaching.len() < MAX_CHAINS => {
                let mut links = links;
                links.extend(steps);
                reaching.push(Chain::new(links));
            }
            Some(_) => {}
            None if reaching.is_empty() && climbing.len() < MAX_CHAINS => {
                links.extend(climb(ground, vendor));
                climbing.push(Chain::new(links));
            }
            None => {}
        }
    }
    if reaching.is_empty() {
        climbing.into()
    } else {
        reaching.into()
    }
}

/// Every path of embedding from a release, itself first (depth first, in
/// the order its components are listed).
fn embedding_paths(facts: &Facts, release: usize) -> Vec<Vec<usize>> {
    let mut paths = Vec::new();
    // Components are a DAG (checked at load), so this ends.
    let mut stack: Vec<Vec<usize>> = vec![vec![release]];
    while let Some(path) = stack.pop() {
        if paths.len() == MAX_PATHS {
            break;
        }
        let last = *path.last().unwrap_or(&release);
        for &component in facts.releases[last].components.iter().rev() {
            let mut longer = path.clone();
            longer.push(component);
            stack.push(longer);
        }
        paths.push(path);
    }
    paths
}

/// The shortest way from a vendor to one of `anchors`: up through its owners
/// and controllers, and down through control only (to a sister company, not
/// through every company someone holds a share of). `None` if there is none.
fn route(ground: &Ground<'_>, from: Node, anchors: &[Node]) -> Option<Vec<Link>> {
    if anchors.is_empty() {
        return None;
    }
    let structure = ground.structure;
    let mut came_from: HashMap<Node, (Node, Link)> = HashMap::new();
    let mut queue = VecDeque::from([from]);
    let mut seen = vec![false; structure.owners.len()];
    seen[from] = true;
    let mut found = anchors.binary_search(&from).is_ok().then_some(from);
    while let (None, Some(node)) = (found, queue.pop_front()) {
        let up = structure.owners[node].iter().map(|link| {
            let company = company(ground, link.owner);
            let step = if link.controls {
                Link::ControlledBy {
                    company,
                    share: link.share,
                    unconfirmed: link.unconfirmed,
                }
            } else {
                Link::OwnedBy {
                    company,
                    share: link.share,
                    unconfirmed: link.unconfirmed,
                }
            };
            (link.owner, step)
        });
        let down = structure.owned[node].iter().filter_map(|&(owned, index)| {
            let link = &structure.owners[owned][index];
            link.controls.then(|| {
                (
                    owned,
                    Link::Controls {
                        company: company(ground, owned),
                        share: link.share,
                        unconfirmed: link.unconfirmed,
                    },
                )
            })
        });
        // By id, so that the chain does not depend on the inventory's order.
        let mut steps: Vec<(Node, Link)> = up.chain(down).collect();
        steps.sort_by(|a, b| id_of(ground, a.0).cmp(id_of(ground, b.0)));
        for (next, step) in steps {
            if seen[next] {
                continue;
            }
            seen[next] = true;
            came_from.insert(next, (node, step));
            if anchors.binary_search(&next).is_ok() {
                found = Some(next);
                break;
            }
            queue.push_back(next);
        }
    }
    let mut steps = Vec::new();
    let mut at = found?;
    while let Some((previous, step)) = came_from.remove(&at) {
        steps.push(step);
        at = previous;
    }
    steps.reverse();
    Some(steps)
}

/// A vendor's controllers, climbing by the first controlling stake of each.
fn climb(ground: &Ground<'_>, from: Node) -> Vec<Link> {
    let structure = ground.structure;
    let mut steps = Vec::new();
    let mut node = from;
    // Ownership is acyclic, so this ends; the bound is a second guard.
    while steps.len() < structure.owners.len() {
        // The controlling owner first in id order, whatever the order listed.
        let Some(link) = structure.owners[node]
            .iter()
            .filter(|l| l.controls)
            .min_by(|a, b| id_of(ground, a.owner).cmp(id_of(ground, b.owner)))
        else {
            break;
        };
        steps.push(Link::ControlledBy {
            company: company(ground, link.owner),
            share: link.share,
            unconfirmed: link.unconfirmed,
        });
        node = link.owner;
    }
    steps
}

/// How the release's vendor came out of each aggregate-ownership test a
/// deciding rule reads, and, for OFAC's test (which reaches embedded code),
/// every other vendor of its code that is blocked.
pub(crate) fn holdings(ground: &Ground<'_>, release: usize, tests: &[Aggregate]) -> Vec<Holding> {
    let facts = &ground.facts.releases[release];
    let mut holdings = Vec::new();
    for &test in tests {
        let passing = ground.structure.passing(test);
        let others = facts
            .code_vendors
            .iter()
            .copied()
            .filter(|&v| test == Aggregate::Blocked && v != facts.vendor && passing[v]);
        for node in std::iter::once(facts.vendor).chain(others) {
            holdings.push(holding(ground, test, node));
        }
    }
    holdings
}

fn holding(ground: &Ground<'_>, test: Aggregate, node: Node) -> Holding {
    let structure = ground.structure;
    let mut stakes: Vec<Counted> = structure
        .counted_stakes(test, node)
        .map(|link| Counted {
            owner: company(ground, link.owner),
            share: link.share,
            controls: link.controls,
        })
        .collect();
    stakes.sort_by(|a, b| {
        b.share
            .cmp(&a.share)
            .then_with(|| a.owner.id.cmp(&b.owner.id))
    });
    let points: u32 = stakes
        .iter()
        .filter_map(|s| s.share)
        .map(Share::basis_points)
        .sum();
    let total = Share::from_basis_points(points).unwrap_or(Share::WHOLE);
    let passes = structure.passing(test)[node];
    let controlled = test.by_control() && stakes.iter().any(|s| s.controls);
    Holding {
        company: company(ground, node),
        test: match test {
            Aggregate::Blocked => HoldingTest::Blocked,
            Aggregate::ForeignAdversary => HoldingTest::ForeignAdversary,
        },
        threshold: test.threshold(),
        itself: structure.passes_itself(ground.corporate, test, node),
        stakes,
        total,
        controlled,
        passes,
    }
}

fn id_of<'a>(ground: &Ground<'a>, node: Node) -> &'a str {
    let inventory = ground.inventory;
    if ground.corporate.is_vendor(node) {
        inventory.vendors[node].id.as_str()
    } else {
        inventory.parties[node - inventory.vendors.len()]
            .id
            .as_str()
    }
}

fn company(ground: &Ground<'_>, node: Node) -> Company {
    let inventory = ground.inventory;
    if ground.corporate.is_vendor(node) {
        let v = &inventory.vendors[node];
        Company {
            id: v.id.clone(),
            name: v.name.clone(),
            incorporated: Some(v.incorporated),
            headquarters: Some(v.headquarters),
        }
    } else {
        let p = &inventory.parties[node - inventory.vendors.len()];
        Company {
            id: p.id.clone(),
            name: p.name.clone(),
            incorporated: p.country,
            headquarters: None,
        }
    }
}
