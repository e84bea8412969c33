//! Health information: a diagnosis, condition, medication, treatment or hospital stay always;
//! a health service or profession unless someone works there or the class visits it; an
//! allergy unless the writer asks about allergies in general ("noen allergier før bursdagen?").
//! An ordinary illness ("syk i dag", "the cold is going around") is practical, not health.

use super::context::Context;
use super::lexicon::*;
use super::{Category, Finding, Reason};

pub fn find(context: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    // A routine visit is often announced in one sentence and the nurse named in the next.
    let routine = context.text_has(VISIT);
    for hit in &context.hits {
        let sentence = context.sentence_of(hit.first);
        let has = |tag| context.sentence_has(&sentence, tag);
        let frame = has(VISIT) || has(JOB) || has(TOPIC);
        let reason = if hit.tags & HEALTH != 0 && !has(TOPIC) {
            Some(Reason::Health)
        } else if hit.tags & ALLERGY != 0 {
            let general = has(ANY) || context.is_question(&sentence) || frame;
            (!general).then_some(Reason::Health)
        } else if (hit.tags & HEALTH_SERVICE != 0 && !frame && !routine)
            || (hit.tags & HOSPITAL != 0 && !frame)
        {
            Some(Reason::HealthService)
        } else {
            None
        };
        if let Some(reason) = reason {
            out.push(context.finding(Category::Health, reason, hit.first..hit.end));
        }
    }
    out
}
