//! The Python objects that many decisions of one answer share when they are
//! turned into plain data: one `str` per id, rule, waiver, chain and error
//! text, one `datetime` per instant, one tuple per distinct list of them; and
//! the tables that number them, for the columnar and Arrow forms.
//!
//! Sharing immutable objects (strings, tuples, datetimes) is what keeps a
//! column of a matrix at a pointer a cell; containers a caller may change
//! (the dicts and lists of `to_dicts`) are made afresh for each decision.
//! Keys are the addresses of the Rust values, which outlive the conversion
//! (`'a`), with the values themselves as the fallback, so that equal values
//! at different addresses still share one entry.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use clearance::{Action, Approval, Chain, Holding, Id, Instant, Rule, Verdict};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

use crate::convert::instant_to_py;

/// FxHash: keys here are addresses and short strings, hashed in bulk.
#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// The address and length of a str, as a key.
fn key(text: &str) -> (usize, usize) {
    (text.as_ptr() as usize, text.len())
}

/// Distinct strings, numbered in the order first met.
#[derive(Default)]
pub(crate) struct Dictionary<'a> {
    by_address: FastMap<(usize, usize), u32>,
    by_value: FastMap<&'a str, u32>,
    pub(crate) values: Vec<&'a str>,
}

impl<'a> Dictionary<'a> {
    pub(crate) fn index(&mut self, text: &'a str) -> u32 {
        if let Some(&index) = self.by_address.get(&key(text)) {
            return index;
        }
        let next = self.values.len() as u32;
        let index = *self.by_value.entry(text).or_insert(next);
        if index == next {
            self.values.push(text);
        }
        self.by_address.insert(key(text), index);
        index
    }
}

/// The distinct rules named by an answer's decisions, numbered.
#[derive(Default)]
pub(crate) struct RuleTable<'a> {
    by_address: FastMap<usize, u32>,
    by_id: FastMap<&'a str, u32>,
    pub(crate) rules: Vec<&'a Rule>,
}

impl<'a> RuleTable<'a> {
    pub(crate) fn index(&mut self, rule: &'a Rule) -> u32 {
        let address = rule as *const Rule as usize;
        if let Some(&index) = self.by_address.get(&address) {
            return index;
        }
        // Rule ids are unique within a policy set, and one answer comes from one.
        let next = self.rules.len() as u32;
        let index = *self.by_id.entry(rule.id()).or_insert(next);
        if index == next {
            self.rules.push(rule);
        }
        self.by_address.insert(address, index);
        index
    }
}

/// The distinct chains of an answer's decisions, numbered.
#[derive(Default)]
pub(crate) struct ChainTable<'a> {
    by_address: FastMap<usize, u32>,
    by_value: HashMap<&'a Chain, u32, BuildHasherDefault<FastHasher>>,
    pub(crate) chains: Vec<&'a Chain>,
}

impl<'a> ChainTable<'a> {
    pub(crate) fn index(&mut self, chain: &'a Chain) -> u32 {
        let address = chain as *const Chain as usize;
        if let Some(&index) = self.by_address.get(&address) {
            return index;
        }
        let next = self.chains.len() as u32;
        let index = *self.by_value.entry(chain).or_insert(next);
        if index == next {
            self.chains.push(chain);
        }
        self.by_address.insert(address, index);
        index
    }
}

/// Which table a tuple's numbers are of (an index into `Tables::tuples`).
#[derive(Clone, Copy)]
enum Of {
    Rules = 0,
    Waivers = 1,
    Chains = 2,
    Errors = 3,
}

/// Shared Python objects for the decisions of one answer (`'a`).
pub(crate) struct Tables<'a, 'py> {
    py: Python<'py>,
    strs: FastMap<(usize, usize), Bound<'py, PyString>>,
    ats: FastMap<i64, Bound<'py, PyAny>>,
    actions: FastMap<Action, Bound<'py, PyString>>,
    pub(crate) rules: RuleTable<'a>,
    rule_strs: Vec<Option<[Bound<'py, PyAny>; 5]>>,
    pub(crate) chains: ChainTable<'a>,
    chain_strs: Vec<Option<Bound<'py, PyString>>>,
    holding_strs: FastMap<usize, Bound<'py, PyString>>,
    approval_strs: FastMap<usize, Bound<'py, PyString>>,
    pub(crate) waivers: Dictionary<'a>,
    pub(crate) errors: Dictionary<'a>,
    tuples: [FastMap<Box<[u32]>, Bound<'py, PyTuple>>; 4],
    scratch: Vec<u32>,
}

impl<'a, 'py> Tables<'a, 'py> {
    pub(crate) fn new(py: Python<'py>) -> Self {
        Tables {
            py,
            strs: FastMap::default(),
            ats: FastMap::default(),
            actions: FastMap::default(),
            rules: RuleTable::default(),
            rule_strs: Vec::new(),
            chains: ChainTable::default(),
            chain_strs: Vec::new(),
            holding_strs: FastMap::default(),
            approval_strs: FastMap::default(),
            waivers: Dictionary::default(),
            errors: Dictionary::default(),
            tuples: Default::default(),
            scratch: Vec::new(),
        }
    }

    pub(crate) fn py(&self) -> Python<'py> {
        self.py
    }

    /// One `str` for each text (by address).
    pub(crate) fn str(&mut self, text: &'a str) -> Bound<'py, PyString> {
        let py = self.py;
        self.strs
            .entry(key(text))
            .or_insert_with(|| PyString::new(py, text))
            .clone()
    }

    pub(crate) fn id(&mut self, id: &'a Id) -> Bound<'py, PyString> {
        self.str(id.as_str())
    }

    pub(crate) fn action(&mut self, action: Action) -> Bound<'py, PyString> {
        let py = self.py;
        self.actions
            .entry(action)
            .or_insert_with(|| PyString::intern(py, action.as_str()))
            .clone()
    }

    pub(crate) fn verdict(&self, verdict: Verdict) -> Bound<'py, PyString> {
        match verdict {
            Verdict::Allow => intern!(self.py, "allow").clone(),
            Verdict::Deny => intern!(self.py, "deny").clone(),
        }
    }

    /// One aware `datetime` for each instant.
    pub(crate) fn at(&mut self, at: Instant) -> PyResult<Bound<'py, PyAny>> {
        let ms = at.unix_millis();
        if let Some(datetime) = self.ats.get(&ms) {
            return Ok(datetime.clone());
        }
        let datetime = instant_to_py(self.py, at)?;
        self.ats.insert(ms, datetime.clone());
        Ok(datetime)
    }

    /// The `str`s of a rule's id, reason, source, quote and quote source
    /// (each of the last three, or `None`).
    fn rule_strs(&mut self, rule: &'a Rule) -> [Bound<'py, PyAny>; 5] {
        let index = self.rules.index(rule) as usize;
        if self.rule_strs.len() <= index {
            self.rule_strs.resize(index + 1, None);
        }
        if let Some(strs) = &self.rule_strs[index] {
            return strs.clone();
        }
        let py = self.py;
        let or_none = |text: Option<&str>| match text {
            Some(text) => PyString::new(py, text).into_any(),
            None => py.None().into_bound(py),
        };
        let strs = [
            PyString::new(py, rule.id()).into_any(),
            PyString::new(py, rule.reason()).into_any(),
            or_none(rule.source()),
            or_none(rule.quote()),
            or_none(rule.quote_source()),
        ];
        self.rule_strs[index] = Some(strs.clone());
        strs
    }

    /// A fresh list of fresh `{"id", "reason", "source", "quote", "quote_source"}` dicts.
    pub(crate) fn rule_dicts(
        &mut self,
        rules: impl Iterator<Item = &'a Rule>,
    ) -> PyResult<Bound<'py, PyList>> {
        let py = self.py;
        let list = PyList::empty(py);
        for rule in rules {
            let [id, reason, source, quote, quote_source] = self.rule_strs(rule);
            let dict = PyDict::new(py);
            dict.set_item(intern!(py, "id"), id)?;
            dict.set_item(intern!(py, "reason"), reason)?;
            dict.set_item(intern!(py, "source"), source)?;
            dict.set_item(intern!(py, "quote"), quote)?;
            dict.set_item(intern!(py, "quote_source"), quote_source)?;
            list.append(dict)?;
        }
        Ok(list)
    }

    /// A fresh list of shared `str`s.
    pub(crate) fn id_list(&mut self, ids: &'a [Id]) -> PyResult<Bound<'py, PyList>> {
        let strs: Vec<_> = ids.iter().map(|id| self.id(id)).collect();
        PyList::new(self.py, strs)
    }

    pub(crate) fn error_list(&mut self, errors: &'a [String]) -> PyResult<Bound<'py, PyList>> {
        let strs: Vec<_> = errors.iter().map(|e| self.str(e)).collect();
        PyList::new(self.py, strs)
    }

    fn chain_str(&mut self, chain: &'a Chain) -> Bound<'py, PyString> {
        let index = self.chains.index(chain) as usize;
        if self.chain_strs.len() <= index {
            self.chain_strs.resize(index + 1, None);
        }
        let py = self.py;
        let chain = self.chains.chains[index];
        self.chain_strs[index]
            .get_or_insert_with(|| PyString::new(py, &chain.to_string()))
            .clone()
    }

    pub(crate) fn chain_list(&mut self, chains: &'a [Chain]) -> PyResult<Bound<'py, PyList>> {
        let strs: Vec<_> = chains.iter().map(|c| self.chain_str(c)).collect();
        PyList::new(self.py, strs)
    }

    /// A fresh list of the holdings' sentences, one `str` for each holding
    /// (by address: a bulk answer's equal decisions share their holdings).
    pub(crate) fn holding_list(&mut self, holdings: &'a [Holding]) -> PyResult<Bound<'py, PyList>> {
        sentence_list(self.py, &mut self.holding_strs, holdings)
    }

    /// A fresh list of the approvals' sentences, one `str` for each approval
    /// (by address, as for holdings).
    pub(crate) fn approval_list(
        &mut self,
        approvals: &'a [Approval],
    ) -> PyResult<Bound<'py, PyList>> {
        sentence_list(self.py, &mut self.approval_strs, approvals)
    }

    /// The shared tuple of the texts numbered `self.scratch` in table `of`.
    fn tuple(
        &mut self,
        of: Of,
        text: impl Fn(&mut Self, u32) -> Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let scratch = std::mem::take(&mut self.scratch);
        let found = self.tuples[of as usize].get(&scratch[..]).cloned();
        let tuple = match found {
            Some(tuple) => tuple,
            None => {
                let items: Vec<_> = scratch.iter().map(|&i| text(self, i)).collect();
                let tuple = PyTuple::new(self.py, items)?;
                self.tuples[of as usize].insert(Box::from(&scratch[..]), tuple.clone());
                tuple
            }
        };
        self.scratch = scratch;
        Ok(tuple)
    }

    /// The shared tuple of these rules' ids.
    pub(crate) fn rule_tuple(
        &mut self,
        rules: impl ExactSizeIterator<Item = &'a Rule>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        if rules.len() == 0 {
            return Ok(PyTuple::empty(self.py));
        }
        self.scratch.clear();
        for rule in rules {
            let index = self.rules.index(rule);
            self.scratch.push(index);
        }
        self.tuple(Of::Rules, |tables, index| {
            let rule = tables.rules.rules[index as usize];
            let [id, ..] = tables.rule_strs(rule);
            id
        })
    }

    /// The shared tuple of these waivers' ids.
    pub(crate) fn id_tuple(&mut self, ids: &'a [Id]) -> PyResult<Bound<'py, PyTuple>> {
        if ids.is_empty() {
            return Ok(PyTuple::empty(self.py));
        }
        self.scratch.clear();
        for id in ids {
            let index = self.waivers.index(id.as_str());
            self.scratch.push(index);
        }
        self.tuple(Of::Waivers, |tables, index| {
            let text = tables.waivers.values[index as usize];
            tables.str(text).into_any()
        })
    }

    /// The shared tuple of these chains' sentences.
    pub(crate) fn chain_tuple(&mut self, chains: &'a [Chain]) -> PyResult<Bound<'py, PyTuple>> {
        if chains.is_empty() {
            return Ok(PyTuple::empty(self.py));
        }
        self.scratch.clear();
        for chain in chains {
            self.chain_str(chain);
            let index = self.chains.index(chain);
            self.scratch.push(index);
        }
        self.tuple(Of::Chains, |tables, index| {
            tables.chain_strs[index as usize]
                .clone()
                .expect("made above")
                .into_any()
        })
    }

    /// The shared tuple of these errors.
    pub(crate) fn error_tuple(&mut self, errors: &'a [String]) -> PyResult<Bound<'py, PyTuple>> {
        if errors.is_empty() {
            return Ok(PyTuple::empty(self.py));
        }
        self.scratch.clear();
        for error in errors {
            let index = self.errors.index(error);
            self.scratch.push(index);
        }
        self.tuple(Of::Errors, |tables, index| {
            let text = tables.errors.values[index as usize];
            tables.str(text).into_any()
        })
    }
}

/// A fresh list of `items`' sentences (their `Display`), each made once per
/// address and kept in `made`.
fn sentence_list<'py, T: std::fmt::Display>(
    py: Python<'py>,
    made: &mut FastMap<usize, Bound<'py, PyString>>,
    items: &[T],
) -> PyResult<Bound<'py, PyList>> {
    let strs: Vec<_> = items
        .iter()
        .map(|item| {
            made.entry(item as *const T as usize)
                .or_insert_with(|| PyString::new(py, &item.to_string()))
                .clone()
        })
        .collect();
    PyList::new(py, strs)
}
