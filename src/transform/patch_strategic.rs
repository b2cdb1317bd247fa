//! TEMPORARY stub until strategic merge lands.
use crate::schema::Schema;
use crate::yaml::node::Node;
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmpOutcome {
    Patched,
    Deleted,
}
#[derive(Debug)]
pub struct SmpError {
    pub message: String,
}
pub fn apply(target: &mut Node, patch: &Node, _schema: &Schema) -> Result<SmpOutcome, SmpError> {
    fn merge(t: &mut Node, p: &Node) {
        match (t, p) {
            (Node::Map(tm), Node::Map(pm)) => {
                for (k, v) in pm {
                    if v.is_null() {
                        tm.shift_remove(k);
                        continue;
                    }
                    match tm.get_mut(k) {
                        Some(tv) => merge(tv, v),
                        None => {
                            tm.insert(k.clone(), v.clone());
                        }
                    }
                }
            }
            (t, p) => *t = p.clone(),
        }
    }
    merge(target, patch);
    Ok(SmpOutcome::Patched)
}
