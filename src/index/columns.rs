//! How one dimension is held in memory: a dictionary of its values and a
//! column with each record's value ids. A single-valued column holds one
//! small integer per record in the narrowest type that fits; a multi-valued
//! one a bit set per record that grows with the dictionary, so no value is
//! ever lost however large its vocabulary.

use std::collections::HashMap;

use super::dims::DimDef;

/// Interned strings of one dimension (or of the owning organisations).
#[derive(Debug, Default, Clone)]
pub(super) struct Dict {
    pub(super) names: Vec<String>,
    pub(super) ids: HashMap<String, u32>,
}

impl Dict {
    /// The id of `name`, interned on first sight.
    pub(super) fn intern(&mut self, name: &str) -> u32 {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.ids.insert(name.to_owned(), id);
        id
    }
}

/// A column of small integers in the narrowest type that holds them: most
/// vocabularies fit a byte, so a scan reads a quarter of the memory.
#[derive(Debug, Clone)]
pub(super) enum Narrow {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

impl Default for Narrow {
    fn default() -> Self {
        Narrow::U8(Vec::new())
    }
}

impl Narrow {
    pub(super) fn get(&self, i: usize) -> u32 {
        match self {
            Narrow::U8(v) => u32::from(v[i]),
            Narrow::U16(v) => u32::from(v[i]),
            Narrow::U32(v) => v[i],
        }
    }

    /// Widens the column so that it can hold `value`.
    fn widen_for(&mut self, value: u32) {
        let widened = match self {
            Narrow::U8(v) if value > u32::from(u8::MAX) => {
                if value > u32::from(u16::MAX) {
                    Narrow::U32(v.iter().map(|x| u32::from(*x)).collect())
                } else {
                    Narrow::U16(v.iter().map(|x| u16::from(*x)).collect())
                }
            }
            Narrow::U16(v) if value > u32::from(u16::MAX) => {
                Narrow::U32(v.iter().map(|x| u32::from(*x)).collect())
            }
            _ => return,
        };
        *self = widened;
    }

    // The casts below cannot truncate: `widen_for` ran first.
    pub(super) fn set(&mut self, i: usize, value: u32) {
        self.widen_for(value);
        match self {
            Narrow::U8(v) => v[i] = value as u8,
            Narrow::U16(v) => v[i] = value as u16,
            Narrow::U32(v) => v[i] = value,
        }
    }

    fn insert(&mut self, i: usize, value: u32) {
        self.widen_for(value);
        match self {
            Narrow::U8(v) => v.insert(i, value as u8),
            Narrow::U16(v) => v.insert(i, value as u16),
            Narrow::U32(v) => v.insert(i, value),
        }
    }

    /// Adds `sign` to `into[value]` for the value at each position.
    fn count_into(&self, positions: &[u32], into: &mut [i64], sign: i64) {
        fn go<T: Copy + Into<u32>>(v: &[T], positions: &[u32], into: &mut [i64], sign: i64) {
            for pos in positions {
                let value: u32 = v[*pos as usize].into();
                into[value as usize] += sign;
            }
        }
        match self {
            Narrow::U8(v) => go(v, positions, into, sign),
            Narrow::U16(v) => go(v, positions, into, sign),
            Narrow::U32(v) => go(v, positions, into, sign),
        }
    }
}

/// One word of a bit set.
type Word = u32;
const WORD_BITS: u32 = Word::BITS;

/// A bit set per record, `words` words each, laid out record after record:
/// bit `id % 32` of word `id / 32` is set for each value `id` a record has.
///
/// Every record gets as many words as the largest id needs; the column is
/// widened (once per 32 values) when the dictionary outgrows it. Every
/// vocabulary but a few fits one word, so a record costs four bytes and a
/// filter tests one word.
#[derive(Debug, Clone)]
pub(super) struct Bits {
    words: usize,
    data: Vec<Word>,
}

impl Default for Bits {
    fn default() -> Self {
        Bits {
            words: 1,
            data: Vec::new(),
        }
    }
}

/// The words a filter tests: (word index, bits), only those with a bit set.
#[derive(Debug, Clone, Default)]
pub(super) struct Mask(Vec<(usize, Word)>);

impl Bits {
    /// How many words each record has.
    #[cfg(test)]
    fn words(&self) -> usize {
        self.words
    }

    fn record(&self, pos: usize) -> &[Word] {
        &self.data[pos * self.words..(pos + 1) * self.words]
    }

    /// Makes room for every id below `id + 1`.
    fn widen_for(&mut self, id: u32) {
        let needed = (id / WORD_BITS) as usize + 1;
        if needed <= self.words {
            return;
        }
        let records = self.data.len() / self.words;
        let mut data = vec![0; records * needed];
        for (to, from) in data
            .chunks_exact_mut(needed)
            .zip(self.data.chunks_exact(self.words))
        {
            to[..self.words].copy_from_slice(from);
        }
        self.words = needed;
        self.data = data;
    }

    /// Inserts an empty record at `pos`.
    fn insert_empty(&mut self, pos: usize) {
        let at = pos * self.words;
        self.data.splice(at..at, std::iter::repeat_n(0, self.words));
    }

    /// Replaces the values of the record at `pos` with `ids`.
    pub(super) fn set(&mut self, pos: usize, ids: &[u32]) {
        if let Some(max) = ids.iter().max() {
            self.widen_for(*max);
        }
        let words = self.words;
        let record = &mut self.data[pos * words..(pos + 1) * words];
        record.fill(0);
        for id in ids {
            record[(id / WORD_BITS) as usize] |= 1 << (id % WORD_BITS);
        }
    }

    /// The value ids of the record at `pos`, ascending.
    pub(super) fn ones(&self, pos: usize) -> impl Iterator<Item = u32> + '_ {
        self.record(pos).iter().enumerate().flat_map(|(k, word)| {
            let base = k as u32 * WORD_BITS;
            let mut bits = *word;
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let bit = bits.trailing_zeros();
                    bits &= bits - 1;
                    base + bit
                })
            })
        })
    }

    /// The mask that matches a record holding any of `ids`.
    pub(super) fn mask(&self, ids: impl IntoIterator<Item = u32>) -> Mask {
        let mut words: Vec<(usize, Word)> = Vec::new();
        for id in ids {
            let k = (id / WORD_BITS) as usize;
            if k >= self.words {
                // No record holds a value the column has no room for.
                continue;
            }
            let bit = 1 << (id % WORD_BITS);
            match words.iter_mut().find(|(w, _)| *w == k) {
                Some((_, bits)) => *bits |= bit,
                None => words.push((k, bit)),
            }
        }
        Mask(words)
    }

    /// Whether the record at `pos` holds any value of `mask`.
    pub(super) fn any(&self, pos: usize, mask: &Mask) -> bool {
        let start = pos * self.words;
        mask.0
            .iter()
            .any(|(k, bits)| self.data[start + k] & bits != 0)
    }
}

/// The value ids of every record, for one dimension.
#[derive(Debug, Clone)]
pub(super) enum Col {
    /// Value id + 1 per record; 0 means no value.
    Single(Narrow),
    /// The set of value ids per record.
    Multi(Bits),
}

impl Col {
    /// An empty column for a dimension of this shape.
    fn new(multi: bool) -> Col {
        if multi {
            Col::Multi(Bits::default())
        } else {
            Col::Single(Narrow::default())
        }
    }

    /// Inserts a record without values at `pos`.
    pub(super) fn insert_empty(&mut self, pos: usize) {
        match self {
            Col::Single(v) => v.insert(pos, 0),
            Col::Multi(v) => v.insert_empty(pos),
        }
    }

    /// Calls `f` with the slot (value id + 1) of each value at `pos`.
    pub(super) fn for_each_slot(&self, pos: usize, mut f: impl FnMut(usize)) {
        match self {
            Col::Single(v) => f(v.get(pos) as usize),
            Col::Multi(v) => v.ones(pos).for_each(|id| f(id as usize + 1)),
        }
    }

    /// Adds `sign` to `into[slot]` for every value at `positions`.
    pub(super) fn count_into(&self, positions: &[u32], into: &mut [i64], sign: i64) {
        match self {
            Col::Single(v) => v.count_into(positions, into, sign),
            Col::Multi(v) => {
                for pos in positions {
                    for id in v.ones(*pos as usize) {
                        into[id as usize + 1] += sign;
                    }
                }
            }
        }
    }
}

/// One dimension of a table: its definition, dictionary and column.
#[derive(Debug, Clone)]
pub(super) struct Column {
    pub(super) def: &'static DimDef,
    pub(super) dict: Dict,
    pub(super) col: Col,
}

impl Column {
    /// An empty column of `def`.
    pub(super) fn new(def: &'static DimDef) -> Column {
        Column {
            def,
            dict: Dict::default(),
            col: Col::new(def.multi),
        }
    }

    /// Sets the values of the record at `pos`, interning new ones.
    pub(super) fn set(&mut self, pos: usize, values: &[String]) {
        match &mut self.col {
            Col::Single(v) => {
                v.set(
                    pos,
                    values.first().map_or(0, |name| self.dict.intern(name) + 1),
                );
            }
            Col::Multi(v) => {
                let ids: Vec<u32> = values.iter().map(|name| self.dict.intern(name)).collect();
                v.set(pos, &ids);
            }
        }
    }

    /// The values of the record at `pos`.
    pub(super) fn values_at(&self, pos: usize) -> Vec<&str> {
        let mut out = Vec::new();
        self.col.for_each_slot(pos, |slot| {
            if slot > 0 {
                out.push(self.dict.names[slot - 1].as_str());
            }
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_grow_and_keep_what_they_held() {
        let mut bits = Bits::default();
        for pos in 0..3 {
            bits.insert_empty(pos);
        }
        bits.set(0, &[1, 5]);
        bits.set(2, &[31]);
        assert_eq!(bits.words(), 1);
        bits.set(1, &[3, 40, 70]);
        assert_eq!(bits.words(), 3);
        assert_eq!(bits.ones(0).collect::<Vec<_>>(), [1, 5]);
        assert_eq!(bits.ones(1).collect::<Vec<_>>(), [3, 40, 70]);
        assert_eq!(bits.ones(2).collect::<Vec<_>>(), [31]);
        bits.insert_empty(1);
        assert_eq!(bits.ones(1).count(), 0);
        assert_eq!(bits.ones(2).collect::<Vec<_>>(), [3, 40, 70]);
        let mask = bits.mask([70, 2]);
        assert!(bits.any(2, &mask));
        assert!(!bits.any(0, &mask));
        assert!(!bits.any(0, &bits.mask([])));
    }
}
