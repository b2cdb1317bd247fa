//! TEMPORARY stub until strategic merge lands.
pub struct Schema;
static S: Schema = Schema;
impl Schema {
    pub fn builtin() -> &'static Schema {
        &S
    }
}
