//! (to be written)

use super::http::Indeterminate;
use super::probe::Probe;

pub fn probe(_p: &mut Probe) -> Result<(), Indeterminate> {
    Ok(())
}
