//! `bare`: serves the benchmark's bare server (see `lib.rs`) until Ctrl-C or SIGTERM.
//!
//! Environment: `DATABASE_URL` (required; a database migrated and seeded as the product's),
//! `DB_MAX_CONNECTIONS` (pool size, 20 as the product's), `BARE_ADDR` (`127.0.0.1:3201`).

use anyhow::Context;

// The product's allocator, so the ceiling is the same stack's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = std::env::var("DATABASE_URL").context("DATABASE_URL is required")?;
    let max_connections = match std::env::var("DB_MAX_CONNECTIONS") {
        Ok(v) => v.parse().context("DB_MAX_CONNECTIONS is not a number")?,
        Err(_) => 20,
    };
    let addr = std::env::var("BARE_ADDR").unwrap_or_else(|_| "127.0.0.1:3201".into());
    let pool = bare::connect(&url, max_connections)
        .await
        .context("connecting to the database")?;
    let app = bare::router(pool).await?;
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    eprintln!("bare server listening on http://{addr}");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("SIGTERM handler");
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {},
                _ = term.recv() => {},
            }
        })
        .await
        .context("serving")
}
