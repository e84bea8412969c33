//! A text as the rules see it: its words, what each word can be, where its sentences are, and
//! which words name a person.

use super::lexicon::{self, Tags};
use super::tagging::{self, Hit};
use super::text::{self, Token};
use super::{Category, Finding, Reason};
use std::ops::Range;

pub struct Context<'a> {
    pub chars: &'a [char],
    pub tokens: Vec<Token>,
    pub tags: Vec<Tags>,
    pub hits: Vec<Hit>,
    /// Per token: part of a person's name.
    pub names: Vec<bool>,
    /// Per sentence: its tokens.
    pub sentences: Vec<Range<usize>>,
    /// Per token: which of `sentences` it is in.
    sentence_index: Vec<usize>,
    /// Per sentence: every tag of its words, so that asking a sentence costs nothing.
    sentence_tags: Vec<Tags>,
    /// Every tag of the whole text.
    text_tags: Tags,
    /// Per tag bit: how many hits have it.
    tag_counts: [u32; 64],
    /// Character ranges of harmless phrases ("ring hit").
    benign: Vec<Range<usize>>,
    /// Per token: the end of the topic phrase ("mot mobbing") it is in, if any.
    topic_end: Vec<Option<usize>>,
    /// Per sentence: whether it names someone.
    named: Vec<bool>,
}

impl<'a> Context<'a> {
    pub fn new(chars: &'a [char], other_children: &[String]) -> Context<'a> {
        let tokens = text::tokens(chars);
        let tagging::Tagged { tags, hits } = tagging::tag(chars, &tokens);
        let mut sentences: Vec<Range<usize>> = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            match sentences.last_mut() {
                Some(last) if tokens[last.start].sentence == token.sentence => last.end = i + 1,
                _ => sentences.push(i..i + 1),
            }
        }
        let mut sentence_index = vec![0; tokens.len()];
        for (n, range) in sentences.iter().enumerate() {
            for i in range.clone() {
                sentence_index[i] = n;
            }
        }
        let sentence_tags =
            sentences.iter().map(|r| r.clone().fold(0, |all, i| all | tags[i])).collect();
        let text_tags = tags.iter().fold(0, |all, t| all | t);
        let mut tag_counts = [0u32; 64];
        for hit in &hits {
            for (bit, count) in tag_counts.iter_mut().enumerate() {
                *count += u32::from(hit.tags & (1 << bit) != 0);
            }
        }
        let benign = hits
            .iter()
            .filter(|h| h.tags & lexicon::BENIGN != 0)
            .map(|h| tokens[h.first].start..tokens[h.end - 1].end)
            .collect();
        let mut context = Context {
            chars,
            tokens,
            tags,
            hits,
            names: Vec::new(),
            sentences,
            sentence_index,
            sentence_tags,
            text_tags,
            tag_counts,
            benign,
            topic_end: Vec::new(),
            named: Vec::new(),
        };
        context.topic_end = vec![None; context.tokens.len()];
        for h in context.hits.iter().filter(|h| h.tags & lexicon::TOPIC != 0) {
            for i in h.first..h.end {
                let end = context.topic_end[i].get_or_insert(h.end);
                *end = (*end).max(h.end);
            }
        }
        context.names = super::persons::names(&context, other_children);
        context.named =
            context.sentences.iter().map(|r| r.clone().any(|i| context.names[i])).collect();
        context
    }

    pub fn has(&self, i: usize, tag: Tags) -> bool {
        self.tags.get(i).is_some_and(|t| t & tag != 0)
    }

    /// The sentence token `i` is in, as a token range.
    pub fn sentence_of(&self, i: usize) -> Range<usize> {
        self.sentence_index.get(i).map(|&n| self.sentences[n].clone()).unwrap_or(i..i + 1)
    }

    /// Whether any word in `range` (a sentence, or part of one) has `tag`.
    pub fn sentence_has(&self, range: &Range<usize>, tag: Tags) -> bool {
        let whole = self.sentence_index.get(range.start).map(|&n| (n, &self.sentences[n]));
        match whole {
            Some((n, sentence)) if sentence == range => self.sentence_tags[n] & tag != 0,
            _ => range.clone().any(|i| self.has(i, tag)),
        }
    }

    /// Whether the sentence around `i` is a question: it ends with a question mark.
    pub fn is_question(&self, range: &Range<usize>) -> bool {
        let end = range.clone().last().map(|i| self.tokens[i].end).unwrap_or(0);
        self.chars[end..].iter().find(|c| !c.is_whitespace() && !matches!(c, '"' | ')' | '\''))
            == Some(&'?')
    }

    /// A person: named, described ("en gutt", "vikaren") or another family's ("moren til").
    pub fn is_person(&self, i: usize) -> bool {
        self.names.get(i).copied().unwrap_or(false)
            || self.has(i, lexicon::DESCRIBED | lexicon::KIN)
    }

    /// A token negated by a word just before it ("ikke snill", "not kind").
    pub fn negated(&self, i: usize) -> bool {
        let sentence = self.tokens[i].sentence;
        (i.saturating_sub(3)..i)
            .any(|j| self.tokens[j].sentence == sentence && self.has(j, lexicon::NEGATION))
    }

    /// Whether tokens `first..end` lie inside one topic phrase ("mot mobbing").
    pub fn in_topic(&self, first: usize, end: usize) -> bool {
        self.topic_end.get(first).copied().flatten().is_some_and(|e| end <= e)
    }

    /// Whether the sentence of token `i` names someone.
    pub fn names_someone(&self, i: usize) -> bool {
        self.sentence_index.get(i).is_some_and(|&n| self.named[n])
    }

    /// Whether any word of the whole text has `tag`.
    pub fn text_has(&self, tag: Tags) -> bool {
        self.text_tags & tag != 0
    }

    /// How many hits have the single-bit tag `tag`.
    pub fn hits_tagged(&self, tag: Tags) -> u32 {
        self.tag_counts[tag.trailing_zeros() as usize % 64]
    }

    /// The hits that start in `range` (hits are in the order of their first word).
    pub fn hits_in(&self, range: &Range<usize>) -> &[Hit] {
        let from = self.hits.partition_point(|h| h.first < range.start);
        let to = self.hits.partition_point(|h| h.first < range.end);
        &self.hits[from..to.max(from)]
    }

    /// Whether characters `start..end` lie inside a harmless phrase.
    pub fn benign(&self, start: usize, end: usize) -> bool {
        self.benign.iter().any(|r| r.start <= start && end <= r.end)
    }

    pub fn finding(&self, category: Category, reason: Reason, tokens: Range<usize>) -> Finding {
        let start = self.tokens[tokens.start].start;
        let end = self.tokens[tokens.end.max(tokens.start + 1) - 1].end;
        Finding { category, reason, start, end }
    }
}
