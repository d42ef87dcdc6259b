use std::process::ExitCode;

use clap::{Parser, Subcommand};
use factdesk::config::Settings;
use factdesk::{cli, telemetry};

/// mimalloc rather than glibc's malloc: a list answer allocates and frees thousands of
/// small strings, and glibc spent about a seventh of the server's CPU on them (see
/// bench/README.md, the queue benchmark).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Factdesk: the newsroom fact-check desk.
///
/// Configuration comes from the environment: DATABASE_URL, FACTDESK_LISTEN,
/// FACTDESK_PUBLIC_URL, FACTDESK_JWT_SECRET, SMTP_URL, FACTDESK_DATA_DIR,
/// FACTDESK_LOG_FORMAT. Without DATABASE_URL, Factdesk runs a private PostgreSQL in the
/// data folder (./.factdesk by default).
#[derive(Parser)]
#[command(version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (migrates first; on the embedded default, seeds a demo newsroom).
    Serve,
    /// Apply pending database migrations (under an advisory lock).
    Migrate {
        /// Revert every migration first (destroys all data; for development).
        #[arg(long)]
        revert_all: bool,
    },
    /// Seed an empty database with a demo newsroom and print its logins.
    SeedDemo,
    /// Write the whole database to FILE (pg_dump's custom format, readable only by you).
    Backup { file: std::path::PathBuf },
    /// Load a backup into the database; refuses one that holds tables unless --force.
    Restore {
        file: std::path::PathBuf,
        /// Replace what the database holds.
        #[arg(long)]
        force: bool,
    },
    /// Send queued emails and schedule reminders, overdue notices and digests, without the web server.
    Worker,
    /// Score sentences for check-worthiness: one per line on standard input, `line<TAB>score` out.
    Suggest {
        /// Read one sentence per line (the CLEF CheckThat! result format).
        #[arg(long, required = true)]
        lines: bool,
    },
    /// Train the claim suggester on the CLEF-2019 CheckThat! debates and write its weights.
    TrainSuggester {
        /// The folder of training debates (`*.tsv`).
        #[arg(long)]
        data: std::path::PathBuf,
        /// Where to write the weights (the project keeps them in models/suggester.json).
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Print the OpenAPI document (the web app's typed client is generated from it).
    Openapi,
    /// Create an active user with a password (to bootstrap the first admin).
    CreateUser {
        #[arg(long)]
        email: String,
        /// admin, editor or reviewer.
        #[arg(long)]
        role: String,
        #[arg(long)]
        display_name: String,
        /// Read the password from standard input instead of prompting for it.
        #[arg(long)]
        password_stdin: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The suggester's commands need no server configuration.
    match &cli.command {
        Command::Suggest { .. } => return exit(factdesk::suggest::suggest_lines_command()),
        Command::Openapi => {
            println!("{}", factdesk::http::docs::openapi_document());
            return ExitCode::SUCCESS;
        }
        Command::TrainSuggester { data, out } => {
            return exit(
                factdesk::suggest::train_command(data, out).map(|report| println!("{report}")),
            );
        }
        _ => {}
    }
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(errors) => {
            eprint!("{errors}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(settings.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: starting the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve => cli::serve(settings).await,
            Command::Migrate { revert_all } => cli::migrate(settings, revert_all).await,
            Command::SeedDemo => cli::seed_demo(settings).await,
            Command::Backup { file } => cli::backup(settings, &file).await,
            Command::Restore { file, force } => cli::restore(settings, &file, force).await,
            Command::Worker => cli::worker(settings).await,
            Command::Suggest { .. } | Command::TrainSuggester { .. } | Command::Openapi => {
                unreachable!("handled above")
            }
            Command::CreateUser {
                email,
                role,
                display_name,
                password_stdin,
            } => cli::create_user(settings, &email, &role, &display_name, password_stdin).await,
        }
    });
    exit(result)
}

fn exit(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
