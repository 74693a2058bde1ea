//! Corporate structure: who owns and controls whom, as of an instant, and the
//! reach the laws name.
//!
//! Laws name a company and then reach into its family in different ways:
//!
//! | reach | what it covers | who uses it |
//! |---|---|---|
//! | the **group** | every company connected by control: those it controls, that control it, and those under common control with it | s.1634, ICTS, s.889, BOD 17-01, the FCC Covered List |
//! | **majority owners** | the companies holding over 50% of it, counting what each holds directly and through the companies it controls | s.1634 ("any entity in which Kaspersky Lab has majority ownership") |
//! | the **majority owners' groups** | the groups of those holders, parties included: majority ownership by any company of a group | s.1634, read as majority ownership by any Kaspersky company |
//! | **blocked** | designated itself, or owned 50% or more in aggregate by blocked persons, directly or through blocked entities | OFAC's 50% rule |
//! | **foreign-adversary controlled** | of a foreign adversary country itself, or held at least 20% in aggregate by such persons (directly or through companies that are themselves foreign-adversary controlled), or controlled by one | PAFACA s.2(g) |
//!
//! The last two are one machinery, an [`Aggregate`] test: a class of owners
//! (blocked persons; persons of a foreign adversary country), a threshold
//! reached by adding up the stakes of owners that pass the test themselves,
//! and whether control by one that passes is enough.
//!
//! Control and ownership links carry dates (Dahua owned Lorex from February
//! 2018 to November 2022), so the structure is worked out per *epoch*: the dates at which any
//! link or designation starts or ends cut time into periods during which the
//! structure cannot change. A question about an instant sees the structure of
//! its epoch.
//!
//! This layer reads the typed model (a validated inventory with the registry
//! merged in: ownership is acyclic and every owner exists) and knows nothing
//! of Cedar, policies or decisions.

use std::collections::{BTreeSet, HashMap};

use crate::model::{Basis, Country, Id, Instant, Inventory, Share, Stake};

/// A company, vendor or party, by its index: vendors first, in inventory
/// order, then parties.
pub(crate) type Node = usize;

/// One stake, from the owned company's side.
#[derive(Debug, Clone)]
pub(crate) struct Link {
    pub owner: Node,
    pub share: Option<Share>,
    pub controls: bool,
    pub unconfirmed: bool,
    from: Option<Instant>,
    until: Option<Instant>,
}

impl Link {
    fn in_force_at(&self, at: Instant) -> bool {
        at.within(self.from, self.until)
    }
}

/// The companies of an inventory, their stakes and designations over all time.
pub(crate) struct Corporate {
    /// Nodes `0..vendors` are vendors; the rest are parties.
    vendors: usize,
    /// For each node, the stakes held in it.
    owners: Vec<Vec<Link>>,
    /// For each node, when it is designated as blocked: `(from, until)`.
    designated: Vec<Option<(Option<Instant>, Option<Instant>)>>,
    /// Each node's own countries: incorporation and headquarters for a
    /// vendor, its country (if known) for a party.
    countries: Vec<Vec<Country>>,
    /// Owners before the companies they own.
    order: Vec<Node>,
    /// The instants at which some link, designation, listing or Conditional
    /// Approval starts or ends, sorted.
    boundaries: Vec<Instant>,
    index: HashMap<Id, Node>,
}

impl Corporate {
    /// Reads the structure of a validated inventory with the registry merged.
    pub fn new(inventory: &Inventory) -> Corporate {
        let vendors = inventory.vendors.len();
        let mut index = HashMap::with_capacity(vendors + inventory.parties.len());
        for (node, id) in inventory
            .vendors
            .iter()
            .map(|v| &v.id)
            .chain(inventory.parties.iter().map(|p| &p.id))
            .enumerate()
        {
            index.insert(id.clone(), node);
        }
        let link = |stake: &Stake| Link {
            owner: index[&stake.owner],
            share: stake.share,
            controls: stake.controls,
            unconfirmed: stake.basis == Some(Basis::Unconfirmed),
            from: stake.from,
            until: stake.until,
        };
        let mut owners: Vec<Vec<Link>> = Vec::with_capacity(index.len());
        let mut designated = Vec::with_capacity(index.len());
        let mut countries = Vec::with_capacity(index.len());
        for vendor in &inventory.vendors {
            owners.push(vendor.stakes().map(|s| link(&s)).collect());
            designated.push(vendor.blocked.as_ref().map(|b| (b.from, b.until)));
            countries.push(vec![vendor.incorporated, vendor.headquarters]);
        }
        for party in &inventory.parties {
            owners.push(party.stakes().map(|s| link(&s)).collect());
            designated.push(party.blocked.as_ref().map(|b| (b.from, b.until)));
            countries.push(party.country.into_iter().collect());
        }
        let mut boundaries: BTreeSet<Instant> = BTreeSet::new();
        for links in &owners {
            boundaries.extend(links.iter().flat_map(|l| [l.from, l.until]).flatten());
        }
        boundaries.extend(
            designated
                .iter()
                .flatten()
                .flat_map(|(f, u)| [*f, *u])
                .flatten(),
        );
        // Listings and Conditional Approvals change what releases show
        // policies, so they bound epochs as links do.
        for vendor in &inventory.vendors {
            boundaries.extend(
                vendor
                    .listed
                    .iter()
                    .flat_map(|l| [l.from, l.until])
                    .flatten(),
            );
            boundaries.extend(approval_instants(&vendor.conditional_approvals));
        }
        for equipment in inventory
            .products
            .iter()
            .filter_map(|p| p.equipment.as_ref())
        {
            boundaries.extend(approval_instants(&equipment.conditional_approvals));
        }
        let order = owners_first(&owners);
        Corporate {
            vendors,
            owners,
            designated,
            countries,
            order,
            boundaries: boundaries.into_iter().collect(),
            index,
        }
    }

    /// How many epochs the structure has: one more than its boundaries.
    pub fn epochs(&self) -> usize {
        self.boundaries.len() + 1
    }

    /// The epoch an instant falls in.
    pub fn epoch_of(&self, at: Instant) -> usize {
        self.boundaries.partition_point(|b| *b <= at)
    }

    /// The first instant of an epoch (`Instant::MIN` for the first).
    pub fn epoch_start(&self, epoch: usize) -> Instant {
        match epoch.checked_sub(1) {
            Some(b) => self.boundaries[b],
            None => Instant::MIN,
        }
    }

    /// Every instant at which the structure changes.
    pub fn boundaries(&self) -> &[Instant] {
        &self.boundaries
    }

    /// The node of a vendor or party id.
    pub fn node(&self, id: &str) -> Option<Node> {
        self.index.get(id).copied()
    }

    /// Whether a node is a vendor (rather than a party).
    pub fn is_vendor(&self, node: Node) -> bool {
        node < self.vendors
    }

    /// The structure in force during one epoch.
    pub fn at(&self, epoch: usize) -> Structure {
        Structure::new(self, self.epoch_start(epoch))
    }
}

fn approval_instants(
    approvals: &[crate::model::ConditionalApproval],
) -> impl Iterator<Item = Instant> + '_ {
    approvals
        .iter()
        .flat_map(|a| [Some(a.from), a.until])
        .flatten()
}

/// Owners before the companies they own (ownership is acyclic).
fn owners_first(owners: &[Vec<Link>]) -> Vec<Node> {
    let mut order = Vec::with_capacity(owners.len());
    let mut placed = vec![false; owners.len()];
    for root in 0..owners.len() {
        // Iterative depth-first, owners first.
        let mut stack: Vec<(Node, usize)> = vec![(root, 0)];
        while let Some((node, next)) = stack.last_mut() {
            let node = *node;
            if placed[node] {
                stack.pop();
                continue;
            }
            match owners[node].get(*next) {
                Some(link) => {
                    *next += 1;
                    if !placed[link.owner] && !stack.iter().any(|(n, _)| *n == link.owner) {
                        stack.push((link.owner, 0));
                    }
                }
                None => {
                    placed[node] = true;
                    order.push(node);
                    stack.pop();
                }
            }
        }
    }
    order
}

/// An aggregate-ownership test, as the laws set them: a company passes when
/// it belongs to a class of owners itself, when companies and persons that
/// pass hold `threshold` or more of it in aggregate (directly, or through
/// companies that pass: a stake held through one counts in full, as OFAC
/// counts stakes held through blocked entities), or, where control counts,
/// when one that passes controls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Aggregate {
    /// OFAC's 50 Percent Rule: designated (blocked) persons; 50% or more;
    /// control alone does not count ("speaks only to ownership").
    Blocked,
    /// PAFACA s.2(g)(1): a person domiciled, headquartered or organised in a
    /// foreign adversary country (China, Russia, North Korea, Iran: 10 U.S.C.
    /// 4872(d)(2)); "at least a 20 percent stake"; "subject to the direction
    /// or control" of one counts too.
    ForeignAdversary,
}

/// The foreign adversary countries of 10 U.S.C. 4872(d)(2), which PAFACA
/// names: the People's Republic of China, the Russian Federation, the
/// Democratic People's Republic of Korea and Iran.
pub(crate) const FOREIGN_ADVERSARY_COUNTRIES: [&str; 4] = ["CN", "IR", "KP", "RU"];

impl Aggregate {
    /// The share the owners that pass must reach, in aggregate ("or more").
    pub fn threshold(self) -> Share {
        match self {
            Aggregate::Blocked => Share::HALF,
            Aggregate::ForeignAdversary => Share::FIFTH,
        }
    }

    /// Whether control by a company that passes makes the controlled one pass.
    pub fn by_control(self) -> bool {
        match self {
            Aggregate::Blocked => false,
            Aggregate::ForeignAdversary => true,
        }
    }

    /// Whether a company belongs to the class itself, at an instant.
    pub(crate) fn member(self, corporate: &Corporate, node: Node, at: Instant) -> bool {
        match self {
            Aggregate::Blocked => {
                corporate.designated[node].is_some_and(|(from, until)| at.within(from, until))
            }
            Aggregate::ForeignAdversary => corporate.countries[node]
                .iter()
                .any(|c| FOREIGN_ADVERSARY_COUNTRIES.contains(&c.code())),
        }
    }

    /// Which companies pass, given the stakes in force.
    fn passes(self, corporate: &Corporate, owners: &[Vec<Link>], at: Instant) -> Vec<bool> {
        let mut passes = vec![false; owners.len()];
        for &node in &corporate.order {
            // Owners come first, so whether each passes is known already.
            let held: u32 = owners[node]
                .iter()
                .filter(|l| passes[l.owner])
                .filter_map(|l| l.share)
                .map(Share::basis_points)
                .sum();
            let controlled =
                self.by_control() && owners[node].iter().any(|l| l.controls && passes[l.owner]);
            passes[node] = self.member(corporate, node, at)
                || held >= self.threshold().basis_points()
                || controlled;
        }
        passes
    }
}

/// The structure in force at one instant, and the reach it gives.
pub(crate) struct Structure {
    /// The first instant it is in force.
    at: Instant,
    /// For each node, the stakes held in it and in force.
    pub owners: Vec<Vec<Link>>,
    /// For each node, the stakes it holds: the company held, and the stake's
    /// place in that company's `owners`.
    pub owned: Vec<Vec<(Node, usize)>>,
    /// For each node, every node controlling it, at any depth (not itself),
    /// nearest first.
    pub controllers: Vec<Vec<Node>>,
    /// For each node, its group's number; for each group, its vendors.
    group_of: Vec<usize>,
    groups: Vec<Vec<Node>>,
    /// For each vendor, the vendors holding a majority of it.
    pub majority_owners: Vec<Vec<Node>>,
    /// For each vendor, the vendors of the groups of every company (vendor
    /// or party) holding a majority of it: a majority held by a group's
    /// holding company reaches the whole group, whichever way control runs
    /// inside it.
    pub majority_owner_groups: Vec<Vec<Node>>,
    /// For each node, whether it is blocked ([`Aggregate::Blocked`]).
    pub blocked: Vec<bool>,
    /// For each node, whether it is foreign-adversary controlled
    /// ([`Aggregate::ForeignAdversary`]).
    pub foreign_adversary: Vec<bool>,
    /// For each node, its own countries and those of every node controlling it.
    pub control_countries: Vec<BTreeSet<Country>>,
}

impl Structure {
    /// The first instant it is in force.
    pub fn at(&self) -> Instant {
        self.at
    }

    fn new(corporate: &Corporate, at: Instant) -> Structure {
        let n = corporate.owners.len();
        let owners: Vec<Vec<Link>> = corporate
            .owners
            .iter()
            .map(|links| {
                links
                    .iter()
                    .filter(|l| l.in_force_at(at))
                    .cloned()
                    .collect()
            })
            .collect();

        let mut owned: Vec<Vec<(Node, usize)>> = vec![Vec::new(); n];
        for (company, links) in owners.iter().enumerate() {
            for (place, link) in links.iter().enumerate() {
                owned[link.owner].push((company, place));
            }
        }

        let mut controllers: Vec<Vec<Node>> = vec![Vec::new(); n];
        for &node in &corporate.order {
            // Owners come first, so their controllers are known already.
            let mut above: Vec<Node> = Vec::new();
            for link in owners[node].iter().filter(|l| l.controls) {
                if !above.contains(&link.owner) {
                    above.push(link.owner);
                }
            }
            let direct = above.len();
            for i in 0..direct {
                for &higher in &controllers[above[i]] {
                    if !above.contains(&higher) {
                        above.push(higher);
                    }
                }
            }
            controllers[node] = above;
        }

        let mut parent: Vec<usize> = (0..n).collect();
        fn root(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for (node, links) in owners.iter().enumerate() {
            for link in links.iter().filter(|l| l.controls) {
                let (a, b) = (root(&mut parent, node), root(&mut parent, link.owner));
                if a != b {
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
        let mut number: HashMap<usize, usize> = HashMap::new();
        let mut group_of = Vec::with_capacity(n);
        let mut groups: Vec<Vec<Node>> = Vec::new();
        for node in 0..n {
            let r = root(&mut parent, node);
            let next = number.len();
            let g = *number.entry(r).or_insert(next);
            if g == groups.len() {
                groups.push(Vec::new());
            }
            if corporate.is_vendor(node) {
                groups[g].push(node);
            }
            group_of.push(g);
        }

        // Every holder of over half of each vendor, vendors and parties alike.
        let majority_holders: Vec<Vec<Node>> = (0..corporate.vendors)
            .map(|owned| {
                let mut held: HashMap<Node, u32> = HashMap::new();
                for link in &owners[owned] {
                    let Some(share) = link.share else { continue };
                    let holder =
                        std::iter::once(link.owner).chain(controllers[link.owner].iter().copied());
                    for through in holder.collect::<BTreeSet<_>>() {
                        *held.entry(through).or_default() += share.basis_points();
                    }
                }
                let mut majority: Vec<Node> = held
                    .into_iter()
                    .filter(|&(_, points)| points > Share::HALF.basis_points())
                    .map(|(node, _)| node)
                    .collect();
                majority.sort_unstable();
                majority
            })
            .collect();
        let majority_owners = majority_holders
            .iter()
            .map(|holders| {
                holders
                    .iter()
                    .copied()
                    .filter(|&node| corporate.is_vendor(node))
                    .collect()
            })
            .collect();

        let blocked = Aggregate::Blocked.passes(corporate, &owners, at);
        let foreign_adversary = Aggregate::ForeignAdversary.passes(corporate, &owners, at);

        let control_countries = (0..n)
            .map(|node| {
                std::iter::once(node)
                    .chain(controllers[node].iter().copied())
                    .flat_map(|c| corporate.countries[c].iter().copied())
                    .collect()
            })
            .collect();

        let majority_owner_groups = majority_holders
            .iter()
            .map(|holders| {
                let vendors: BTreeSet<Node> = holders
                    .iter()
                    .flat_map(|&holder| groups[group_of[holder]].iter().copied())
                    .collect();
                vendors.into_iter().collect()
            })
            .collect();

        Structure {
            at,
            owners,
            owned,
            controllers,
            group_of,
            groups,
            majority_owners,
            majority_owner_groups,
            blocked,
            foreign_adversary,
            control_countries,
        }
    }

    /// Which companies pass an aggregate test.
    pub fn passing(&self, test: Aggregate) -> &[bool] {
        match test {
            Aggregate::Blocked => &self.blocked,
            Aggregate::ForeignAdversary => &self.foreign_adversary,
        }
    }

    /// Whether a company passes a test by what it is itself (designated, of
    /// a foreign adversary country), whatever its owners.
    pub fn passes_itself(&self, corporate: &Corporate, test: Aggregate, node: Node) -> bool {
        test.member(corporate, node, self.at)
    }

    /// The stakes in a company that count towards an aggregate test: those
    /// held by owners that pass it.
    pub fn counted_stakes(&self, test: Aggregate, node: Node) -> impl Iterator<Item = &Link> + '_ {
        let passing = self.passing(test);
        self.owners[node].iter().filter(move |l| passing[l.owner])
    }

    /// The vendors of a node's group (itself included, if a vendor).
    pub fn group(&self, node: Node) -> &[Node] {
        &self.groups[self.group_of[node]]
    }

    /// Whether two nodes are in one group.
    #[cfg(test)]
    pub fn same_group(&self, a: Node, b: Node) -> bool {
        self.group_of[a] == self.group_of[b]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Inventory;

    fn corporate(json: &str) -> (Inventory, Corporate) {
        let inventory = Inventory::from_json(json).unwrap();
        let corporate = Corporate::new(&inventory);
        (inventory, corporate)
    }

    fn ids(inventory: &Inventory, nodes: &[Node]) -> Vec<String> {
        let mut ids: Vec<String> = nodes
            .iter()
            .map(|&n| inventory.vendors[n].id.to_string())
            .collect();
        ids.sort();
        ids
    }

    const FAMILY: &str = r#"{
        "registry": false,
        "parties": [{"id": "holding", "name": "Holding", "kind": "holding-company", "country": "RU"},
                    {"id": "x", "name": "X", "kind": "person", "blocked": {"by": "OFAC", "from": "2024-06-21"}}],
        "vendors": [
            {"id": "a", "name": "A", "incorporated": "GB", "headquarters": "GB", "controlled_by": "holding"},
            {"id": "b", "name": "B", "incorporated": "US", "headquarters": "US",
             "owners": [{"owner": "holding", "share": 100, "controls": true}]},
            {"id": "c", "name": "C", "incorporated": "FR", "headquarters": "FR",
             "owners": [{"owner": "a", "share": 30}, {"owner": "b", "share": 30}]},
            {"id": "d", "name": "D", "incorporated": "DE", "headquarters": "DE",
             "owners": [{"owner": "x", "share": 30}, {"owner": "e", "share": 20}]},
            {"id": "e", "name": "E", "incorporated": "DE", "headquarters": "DE",
             "owners": [{"owner": "x", "share": 50}]},
            {"id": "f", "name": "F", "incorporated": "CA", "headquarters": "CA",
             "owners": [{"owner": "b", "controls": true, "from": "2018-01-01", "until": "2024-01-01"}]}
        ]
    }"#;

    #[test]
    fn the_group_is_everything_connected_by_control_through_parties_too() {
        let (inventory, corporate) = corporate(FAMILY);
        let now = corporate.at(corporate.epoch_of("2020-01-01".parse().unwrap()));
        assert_eq!(ids(&inventory, now.group(0)), ["a", "b", "f"]);
        assert!(now.same_group(0, 1), "sisters under one holding");
        // C is owned 60% by the group but controlled by none of it.
        assert!(!now.same_group(0, 2));
        assert_eq!(
            now.control_countries[1]
                .iter()
                .map(|c| c.code())
                .collect::<Vec<_>>(),
            ["RU", "US"]
        );
    }

    #[test]
    fn majority_counts_what_is_held_through_controlled_companies() {
        let (inventory, corporate) = corporate(FAMILY);
        let s = corporate.at(0);
        // A and B hold 30% each: neither alone has a majority; the holding
        // (a party) does, and is not a vendor; no vendor has it.
        assert!(ids(&inventory, &s.majority_owners[2]).is_empty());
        // But the holding's group does: majority ownership by a company of
        // the group (here its party at the top) reaches every vendor of it
        // (F joins the group only in 2018).
        assert_eq!(ids(&inventory, &s.majority_owner_groups[2]), ["a", "b"]);
        // E is held 50%, not over half: no majority owner, no group.
        assert!(s.majority_owner_groups[corporate.node("e").unwrap()].is_empty());
    }

    #[test]
    fn the_fifty_percent_rule_adds_up_blocked_owners_directly_and_through_blocked_companies() {
        let (inventory, corporate) = corporate(FAMILY);
        let before = corporate.at(corporate.epoch_of("2024-01-01".parse().unwrap()));
        let after = corporate.at(corporate.epoch_of("2024-06-21".parse().unwrap()));
        let node = |id: &str| corporate.node(id).unwrap();
        assert!(!before.blocked[node("e")]);
        assert!(after.blocked[node("x")]);
        // E: 50% by a blocked person: "50% or more".
        assert!(after.blocked[node("e")]);
        // D: 30% by X and 20% by E, which is blocked: 50% in aggregate.
        assert!(after.blocked[node("d")]);
        assert!(!after.blocked[node("c")]);
        let _ = inventory;
    }

    const ADVERSARY: &str = r#"{
        "registry": false,
        "parties": [{"id": "cn-parent", "name": "CN Parent", "kind": "holding-company", "country": "CN"},
                    {"id": "ru-fund", "name": "RU Fund", "kind": "fund", "country": "RU"},
                    {"id": "us-fund", "name": "US Fund", "kind": "fund", "country": "US"}],
        "vendors": [
            {"id": "just-below", "name": "Just Below", "incorporated": "US", "headquarters": "US",
             "owners": [{"owner": "cn-parent", "share": 19.9}, {"owner": "us-fund", "share": 80.1}]},
            {"id": "exactly", "name": "Exactly", "incorporated": "US", "headquarters": "US",
             "owners": [{"owner": "cn-parent", "share": 20.00}]},
            {"id": "added-up", "name": "Added Up", "incorporated": "SG", "headquarters": "SG",
             "owners": [{"owner": "cn-parent", "share": 10}, {"owner": "ru-fund", "share": 5},
                        {"owner": "exactly", "share": 5}]},
            {"id": "through-a-minority", "name": "Through", "incorporated": "GB", "headquarters": "GB",
             "owners": [{"owner": "just-below", "share": 100}]},
            {"id": "controlled", "name": "Controlled", "incorporated": "US", "headquarters": "US",
             "owners": [{"owner": "cn-parent", "share": 1, "controls": true}]},
            {"id": "hq-in-cn", "name": "HQ in CN", "incorporated": "KY", "headquarters": "CN"}
        ]
    }"#;

    #[test]
    fn at_least_twenty_percent_by_foreign_adversary_persons_in_aggregate_or_control() {
        let (_, corporate) = corporate(ADVERSARY);
        let s = corporate.at(0);
        let passes = |id: &str| s.foreign_adversary[corporate.node(id).unwrap()];
        assert!(!passes("just-below"), "19.9% is below 20%");
        assert!(
            passes("exactly"),
            "exactly 20.00% is 'at least a 20 percent stake'"
        );
        // 10% (CN) + 5% (RU) + 5% through a company that passes itself.
        assert!(passes("added-up"));
        assert!(
            !passes("through-a-minority"),
            "held by a company that does not pass"
        );
        assert!(
            passes("controlled"),
            "subject to the direction or control of one"
        );
        assert!(
            passes("hq-in-cn"),
            "headquartered in a foreign adversary country"
        );
        assert!(!passes("us-fund"));
        // The stakes counted are those of owners that pass.
        let added = corporate.node("added-up").unwrap();
        let counted: Vec<u32> = s
            .counted_stakes(Aggregate::ForeignAdversary, added)
            .filter_map(|l| l.share.map(Share::basis_points))
            .collect();
        assert_eq!(counted.iter().sum::<u32>(), 2_000);
        assert!(!s.passes_itself(&corporate, Aggregate::ForeignAdversary, added));
        // OFAC's test is the same machinery with another class: nobody here is blocked.
        assert!(s.blocked.iter().all(|b| !b));
    }

    #[test]
    fn a_dated_link_holds_only_in_its_epochs() {
        let (inventory, corporate) = corporate(FAMILY);
        let at = |d: &str| corporate.at(corporate.epoch_of(d.parse().unwrap()));
        let f = corporate.node("f").unwrap();
        assert_eq!(ids(&inventory, at("2017-12-31").group(f)), ["f"]);
        assert_eq!(ids(&inventory, at("2018-01-01").group(f)), ["a", "b", "f"]);
        assert_eq!(ids(&inventory, at("2023-12-31").group(f)), ["a", "b", "f"]);
        assert_eq!(ids(&inventory, at("2024-01-01").group(f)), ["f"]);
        assert_eq!(corporate.epochs(), 4, "{:?}", corporate.boundaries());
    }
}
