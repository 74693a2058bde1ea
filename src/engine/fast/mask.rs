//! Bit masks: sets of small numbers, such as the policies of a slice or the
//! waivers in force, that the fast path intersects once per request.

/// A set of policies, by their index in [`super::slice::Slicer`]'s list (or of anything
/// else numbered from 0, such as the waivers in force).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Mask(Box<[u64]>);

impl Mask {
    pub fn new(len: usize, includes: impl Fn(usize) -> bool) -> Mask {
        let mut words = vec![0u64; len.div_ceil(64)];
        for i in (0..len).filter(|&i| includes(i)) {
            words[i / 64] |= 1 << (i % 64);
        }
        Mask(words.into())
    }

    /// The policies in this mask and not in `other`.
    pub fn and_not(&self, other: &Mask) -> Mask {
        Mask(
            self.0
                .iter()
                .zip(other.0.iter())
                .map(|(a, b)| a & !b)
                .collect(),
        )
    }

    /// Whether the mask has no member.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    pub fn and(&self, other: &Mask) -> Mask {
        Mask(
            self.0
                .iter()
                .zip(other.0.iter())
                .map(|(a, b)| a & b)
                .collect(),
        )
    }

    pub fn or(&self, other: &Mask) -> Mask {
        Mask(
            self.0
                .iter()
                .zip(other.0.iter())
                .map(|(a, b)| a | b)
                .collect(),
        )
    }

    pub fn contains(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }

    /// The mask as one number, if it has at most 128 members' room: bulk
    /// questions intersect millions of masks, and numbers need no memory.
    pub fn as_u128(&self) -> Option<u128> {
        match *self.0 {
            [] => Some(0),
            [low] => Some(u128::from(low)),
            [low, high] => Some(u128::from(low) | u128::from(high) << 64),
            _ => None,
        }
    }

    /// Whether this mask and `other` have any member in common.
    pub fn meets(&self, other: &Mask) -> bool {
        self.0.iter().zip(other.0.iter()).any(|(a, b)| a & b != 0)
    }
}
