//! The councils, held in memory. They change a few times a year but are read on almost every
//! request (the public form's list, the enquiry's owner, the staff filters), so each process
//! keeps a copy and reloads it when it is older than `MAX_AGE`, or at once after this process
//! changes a council. Another process sees a change within `MAX_AGE`: a new council appears on
//! its form a little later, which is harmless.

use super::db::{self, CouncilRow};
use super::CouncilOption;
use crate::error::AppResult;
use crate::state::AppState;
use sqlx::PgPool;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// This process's directory.
pub fn of(state: &AppState) -> Arc<Directory> {
    state.shared.get::<Directory>()
}

pub const MAX_AGE: Duration = Duration::from_secs(30);

#[derive(Default)]
pub struct Directory {
    cached: RwLock<Option<(Instant, Arc<[CouncilRow]>)>>,
}

impl Directory {
    /// Every council and the hub: the member councils by name, then the hub.
    pub async fn all(&self, pool: &PgPool) -> AppResult<Arc<[CouncilRow]>> {
        if let Some((loaded, councils)) = self.cached.read().expect("directory lock").as_ref() {
            if loaded.elapsed() < MAX_AGE {
                return Ok(councils.clone());
            }
        }
        let councils: Arc<[CouncilRow]> = db::list_all(pool).await?.into();
        *self.cached.write().expect("directory lock") = Some((Instant::now(), councils.clone()));
        Ok(councils)
    }

    /// Forgets the copy, so the next read loads the councils afresh.
    pub fn invalidate(&self) {
        *self.cached.write().expect("directory lock") = None;
    }

    pub async fn by_code(&self, pool: &PgPool, code: &str) -> AppResult<Option<CouncilRow>> {
        Ok(self
            .all(pool)
            .await?
            .iter()
            .find(|c| c.code == code)
            .cloned())
    }

    /// An active member council an enquirer may choose.
    pub async fn active_member(&self, pool: &PgPool, code: &str) -> AppResult<Option<CouncilRow>> {
        Ok(self
            .all(pool)
            .await?
            .iter()
            .find(|c| c.code == code && is_active_member(c))
            .cloned())
    }

    /// The regional hub, which owns enquiries from outside the member councils.
    pub async fn hub(&self, pool: &PgPool) -> AppResult<CouncilRow> {
        match self.all(pool).await?.iter().find(|c| c.kind == "hub") {
            Some(hub) => Ok(hub.clone()),
            None => Err(crate::error::AppError::internal(
                "council directory",
                "the regional hub is missing from the council table",
            )),
        }
    }

    /// The active member councils, by name, for the public form.
    pub async fn members(&self, pool: &PgPool) -> AppResult<Vec<CouncilOption>> {
        Ok(self
            .all(pool)
            .await?
            .iter()
            .filter(|c| is_active_member(c))
            .map(|c| CouncilOption {
                code: c.code.clone(),
                name: c.name.clone(),
            })
            .collect())
    }
}

fn is_active_member(c: &CouncilRow) -> bool {
    c.kind == "member" && c.active
}
