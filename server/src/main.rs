use anyhow::Context;
use app::{config::Settings, state::AppState};
use leptos::config::get_configuration;
use sqlx::postgres::PgPoolOptions;

// Rendering a page allocates many small strings; under load glibc's malloc and free took about
// a quarter of the server's CPU. mimalloc serves the same pattern in a fraction of the time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: server [serve | migrate | seed-demo | create-admin EMAIL NAME |
              reset-two-factor EMAIL | load-postcodes [FILE] | routes]

  serve         apply migrations and serve the site (the default)
  migrate       apply database migrations and exit
  seed-demo     load the demo councils, enquiries and staff and exit
  create-admin  create the first administrator (in the regional hub); reads the password
                from the ADMIN_PASSWORD environment variable or, if unset, from standard input
  reset-two-factor  take away a staff member's two-factor sign-in (a lost phone and its
                recovery codes): they enrol again after their password at their next sign-in
  load-postcodes replace the postcode directory with FILE (default data/postcodes.csv.gz)
  routes        print the path of every page as a JSON array (needs no database or
                configuration; the browser tests' accessibility sweep reads it)

Configuration comes from environment variables: see README.md and .env.example.";

/// Each worker thread's stack. A page's view is one deeply nested type, and rendering it recurses
/// through it: an unoptimised build (the one the browser tests run) needs more than tokio's
/// default 2 MiB for the larger staff pages. Memory is reserved, not used, until touched.
const WORKER_STACK_BYTES: usize = 8 * 1024 * 1024;

fn main() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(WORKER_STACK_BYTES)
        .build()?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".into());
    // Before logging and configuration: its output is read by a program, and it must work
    // without a database.
    if command == "routes" {
        println!("{}", serde_json::to_string(&server::routes::page_paths())?);
        return Ok(());
    }
    server::telemetry::init();
    let settings = Settings::from_env().map_err(anyhow::Error::msg)?;
    let pool = PgPoolOptions::new()
        .max_connections(settings.db_max_connections)
        .acquire_timeout(std::time::Duration::from_secs(5))
        // By default sqlx pings every connection before handing it out, which doubles the round
        // trips of a busy server. Check only connections idle long enough to have gone stale
        // (a database restart or a dropped link); a failed check replaces the connection.
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for > std::time::Duration::from_secs(10) {
                    sqlx::Connection::ping(conn).await?;
                }
                Ok(true)
            })
        })
        .connect_with(
            settings
                .database_url
                .parse::<sqlx::postgres::PgConnectOptions>()
                .context("DATABASE_URL is not a PostgreSQL address")?
                // A safety net under `app::db::begin`: should a connection ever be left inside
                // an open transaction (a library's own transaction abandoned mid-`BEGIN`), the
                // server ends it rather than let later statements pile up uncommitted in it.
                .options([
                    ("idle_in_transaction_session_timeout", "10s"),
                    // Every statement is prepared once per connection and cached; plan it once
                    // too. Under the default, a paged query (`limit $n offset $m`) is planned
                    // afresh on every call, because a plan that must suit any offset looks dear
                    // beside one made for offset 0. Measured with `./scripts/bench`: the list
                    // page 3,016 requests/s without this and 3,974 with it (the JSON list 6,080
                    // and 9,048). Our statements are small indexed lookups whose best plan does
                    // not depend on the values given; one that does needs its own handling.
                    ("plan_cache_mode", "force_generic_plan"),
                ]),
        )
        .await
        .context("connecting to the database (is DATABASE_URL right and the server up?)")?;

    match command.as_str() {
        "serve" => {
            migrate(&pool).await?;
            server::seed::councils(&pool)
                .await
                .map_err(anyhow::Error::msg)?;
            // The local run names the committed directory here so a new database gets it on
            // its first start (cargo leptos builds and starts this binary, so there is no
            // earlier moment to run `load-postcodes`). Production loads it as an operation.
            if let Some(file) = std::env::var_os("POSTCODES_FILE").filter(|f| !f.is_empty()) {
                load_postcodes(&pool, file.as_ref(), true).await?;
            }
            if std::env::var("DEMO_DATA").is_ok_and(|v| v == "1" || v == "true") {
                server::seed::demo_enquiries(&pool)
                    .await
                    .map_err(anyhow::Error::msg)?;
                server::seed::demo_staff(&pool)
                    .await
                    .map_err(anyhow::Error::msg)?;
                server::seed_register::demo_register(&pool)
                    .await
                    .map_err(anyhow::Error::msg)?;
                server::seed_returns::demo_returns(&pool)
                    .await
                    .map_err(anyhow::Error::msg)?;
                println!(
                    "{}",
                    server::seed::demo_sign_in_help("http://127.0.0.1:3000")
                );
            }
            serve(pool, settings).await
        }
        "migrate" => migrate(&pool).await,
        "load-postcodes" => {
            migrate(&pool).await?;
            let file = std::env::args()
                .nth(2)
                .unwrap_or_else(|| "data/postcodes.csv.gz".into());
            load_postcodes(&pool, file.as_ref(), false).await
        }
        "create-admin" => {
            migrate(&pool).await?;
            server::seed::councils(&pool)
                .await
                .map_err(anyhow::Error::msg)?;
            create_admin(&pool).await
        }
        "reset-two-factor" => {
            let Some(email) = std::env::args().nth(2) else {
                eprintln!("{USAGE}");
                std::process::exit(2);
            };
            migrate(&pool).await?;
            let removed =
                app::auth::two_factor::remove_enrolment(&pool, &email, "reset-two-factor command")
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            if removed {
                println!("{email} will enrol two-factor sign-in again at their next sign-in.");
                Ok(())
            } else {
                anyhow::bail!("no staff account has the address {email}")
            }
        }
        "seed-demo" => {
            migrate(&pool).await?;
            server::seed::councils(&pool)
                .await
                .map_err(anyhow::Error::msg)?;
            server::seed::demo_enquiries(&pool)
                .await
                .map_err(anyhow::Error::msg)?;
            server::seed::demo_staff(&pool)
                .await
                .map_err(anyhow::Error::msg)?;
            server::seed_register::demo_register(&pool)
                .await
                .map_err(anyhow::Error::msg)?;
            println!("Demo data loaded.");
            Ok(())
        }
        _ => {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    }
}

async fn migrate(pool: &sqlx::PgPool) -> anyhow::Result<()> {
    sqlx::migrate!("../migrations")
        .run(pool)
        .await
        .context("applying migrations")?;
    server::routes::migrate_sessions(pool)
        .await
        .context("creating the session table")
}

/// Loads the postcode directory (see `app::places`), saying how long it took.
async fn load_postcodes(
    pool: &sqlx::PgPool,
    file: &std::path::Path,
    only_if_empty: bool,
) -> anyhow::Result<()> {
    use app::places::db::{load_file, Loaded};
    let started = std::time::Instant::now();
    match load_file(pool, file, only_if_empty)
        .await
        .with_context(|| format!("loading postcodes from {}", file.display()))?
    {
        Loaded::Rows(n) => tracing::info!(
            rows = n,
            seconds = started.elapsed().as_secs_f32(),
            "loaded the postcode directory from {}",
            file.display()
        ),
        Loaded::AlreadyLoaded => {}
    }
    Ok(())
}

async fn create_admin(pool: &sqlx::PgPool) -> anyhow::Result<()> {
    let mut args = std::env::args().skip(2);
    let (Some(email), Some(name)) = (args.next(), args.next()) else {
        eprintln!("{USAGE}");
        std::process::exit(2);
    };
    let password = match std::env::var("ADMIN_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            eprintln!("Password for {email} (at least 12 characters), then Enter:");
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    let created = app::auth::service::create_user(
        pool,
        Some(server::seed::HUB_CODE),
        &email,
        &name,
        &[app::auth::Role::Administrator],
        &password,
        "create-admin command",
    )
    .await
    .map_err(|e| match e {
        app::error::AppError::Validation(f) => anyhow::anyhow!("{}", f.joined()),
        other => anyhow::anyhow!("{other}"),
    })?;
    match created {
        Some(_) => println!("Created administrator {email}. Sign in at /staff/sign-in."),
        None => {
            eprintln!("An account with the email {email} already exists.");
            std::process::exit(1);
        }
    }
    Ok(())
}

async fn serve(pool: sqlx::PgPool, settings: Settings) -> anyhow::Result<()> {
    let conf = get_configuration(None).context("reading Leptos configuration")?;
    let mut leptos_options = conf.leptos_options;
    // cargo-leptos writes hash.txt beside the binary when it builds hashed (cache-busting) file
    // names; Leptos reads it from there. Use the hashes whenever that file exists.
    let hash_file = std::env::current_exe().ok().and_then(|exe| {
        exe.parent()
            .map(|dir| dir.join(leptos_options.hash_file.as_ref()))
    });
    if hash_file.is_some_and(|f| f.exists()) {
        leptos_options.hash_files = true;
    }
    let addr = leptos_options.site_addr;
    // Expired sessions are removed in the background.
    let store = tower_sessions_sqlx_store::PostgresStore::new(pool.clone());
    tokio::spawn(async move {
        use tower_sessions::session_store::ExpiredDeletion;
        if let Err(e) = store
            .continuously_delete_expired(std::time::Duration::from_secs(600))
            .await
        {
            tracing::error!(error = %e, "session clean-up stopped");
        }
    });

    // The email worker delivers the outbox in the background; it stops claiming messages when
    // the server is told to shut down, and hands back any it has not yet tried.
    let mailer = app::email::Mailer::from_settings(&settings.mail).map_err(anyhow::Error::msg)?;
    let worker_config = app::email::worker::WorkerConfig::from_settings(&settings.mail)
        .map_err(anyhow::Error::msg)?;
    tracing::info!(?mailer, "email delivery");
    let (stop_worker, worker_stop) = tokio::sync::watch::channel(false);
    let worker = app::email::worker::spawn_worker(
        pool.clone(),
        std::sync::Arc::new(mailer),
        worker_config,
        worker_stop.clone(),
    );

    // The job runners run scheduled and background jobs (`server::jobs`); several processes
    // share them through the database. On shutdown each finishes the job it is running.
    let runners = app::jobs::Runner::new(
        pool.clone(),
        std::sync::Arc::new(server::jobs::registry(&settings.mail.public_base_url)),
        std::sync::Arc::new(app::jobs::SystemClock),
        app::jobs::RunnerConfig::from_settings(&settings.jobs),
    )
    .spawn(worker_stop.clone())
    .await
    .context("starting the job runners")?;

    let state = server::files::with_purposes(AppState::new(leptos_options, pool, settings));
    let app = server::router(state);
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    tracing::info!("Fostering Hub listening on http://{addr}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        let _ = stop_worker.send(true);
    })
    .await
    .context("serving")?;
    // A message being sent is finished (SMTP commands time out well within this).
    if tokio::time::timeout(std::time::Duration::from_secs(30), worker)
        .await
        .is_err()
    {
        tracing::warn!("email worker did not stop in time; its claimed messages will be retried");
    }
    // One deadline for all of them: the runners finish their jobs side by side.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    for runner in runners {
        if tokio::time::timeout_at(deadline, runner).await.is_err() {
            tracing::warn!(
                "a job did not finish in time; another runner takes it over after its lease"
            );
        }
    }
    tracing::info!("shut down cleanly");
    Ok(())
}

/// Stops taking new connections on Ctrl-C or SIGTERM and lets requests in flight finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
