//! A real Warden server on an ephemeral port with a fresh database, and
//! signed-in HTTP clients for each role.
#![allow(dead_code)]

use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use std::net::SocketAddr;
use std::path::PathBuf;
use warden::config::Config;
use warden_backend::access::{add_user_from_cli, PasswordHasher};
use warden_backend::Db;
use warden_domain::Role;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestServer {
    pub base: String,
    pub db: Db,
    pub dir: PathBuf,
    pub user_ids: Vec<(Role, i64)>,
    /// The in-process job worker, running as long as the server.
    pub _worker: Option<warden::commands::worker::RunningWorker>,
}

fn unique_dir() -> PathBuf {
    let n: u64 = rand::random();
    let dir = std::env::temp_dir().join(format!("warden-http-{}-{n:016x}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Database URL for this run: a private PostgreSQL database when
/// `WARDEN_TEST_PG_URL` is set and `pg` is true, else SQLite in `dir`.
pub async fn database_url(dir: &std::path::Path, pg: bool) -> Option<String> {
    if !pg {
        return Some(format!("sqlite://{}?mode=rwc", dir.join("warden.db").display()));
    }
    let base = std::env::var("WARDEN_TEST_PG_URL").ok()?;
    let name = format!("warden_http_{:016x}", rand::random::<u64>());
    let admin = sqlx::PgPool::connect(&base).await.expect("connect to WARDEN_TEST_PG_URL");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.expect("create test database");
    let (prefix, _) = base.rsplit_once('/').expect("database URL has a path");
    Some(format!("{prefix}/{name}"))
}

/// Starts a server with one user per role (username = role name).
pub async fn start() -> TestServer {
    start_on(false).await.expect("sqlite server")
}

/// The same on PostgreSQL; `None` when `WARDEN_TEST_PG_URL` is not set.
pub async fn start_pg() -> Option<TestServer> {
    start_on(true).await
}

async fn start_on(pg: bool) -> Option<TestServer> {
    let dir = unique_dir();
    let url = database_url(&dir, pg).await?;
    let config = Config {
        listen: "127.0.0.1:3000".into(),
        data_dir: dir.clone(),
        database_url: url,
        public_url: "http://127.0.0.1:3000".into(),
        // No job worker: jobs stay queued unless a test runs one itself.
        workers: 0,
        ..Config::default()
    };
    let built = warden::commands::serve::build_app(&config).await.expect("build app");
    let (app, db) = (built.router, built.db);
    let hasher = PasswordHasher::new(2);
    let mut user_ids = Vec::new();
    for role in Role::ALL {
        let id = add_user_from_cli(&db, &hasher, role.as_str(), role.as_str(), PASSWORD).await.expect("add user");
        user_ids.push((role, id));
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.expect("serve");
    });
    Some(TestServer { base: format!("http://{addr}"), db, dir, user_ids, _worker: built.worker })
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn id_of(&self, role: Role) -> i64 {
        self.user_ids.iter().find(|(r, _)| *r == role).map(|(_, id)| *id).expect("user of role")
    }

    /// A client that keeps cookies and does not follow redirects.
    pub fn client(&self) -> Client {
        Client::builder().cookie_store(true).redirect(Policy::none()).build().expect("client")
    }

    /// A client signed in as `username`.
    pub async fn signed_in(&self, username: &str) -> Client {
        let client = self.client();
        let res = self.login(&client, username, PASSWORD).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "login of {username}");
        assert_eq!(location(&res), "/", "login of {username} should go to the dashboard");
        client
    }

    pub async fn login(&self, client: &Client, username: &str, password: &str) -> Response {
        client
            .post(self.url("/login"))
            .form(&[("username", username), ("password", password), ("next", "")])
            .send()
            .await
            .expect("POST /login")
    }

    /// Calls a server function; returns the JSON it answered.
    pub async fn server_fn(&self, client: &Client, endpoint: &str, body: &ServerFnBody) -> serde_json::Value {
        let req = client.post(self.url(&format!("/api/{endpoint}")));
        let req = match body {
            ServerFnBody::Form(pairs) => req.form(pairs),
            ServerFnBody::Json(v) => req.header("content-type", "application/json").body(v.to_string()),
        };
        let res = req.send().await.expect("server fn");
        let status = res.status();
        let text = res.text().await.expect("body");
        assert_eq!(status, StatusCode::OK, "/api/{endpoint} answered {status}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("/api/{endpoint}: not JSON ({e}): {text}"))
    }
}

#[derive(Debug, Clone)]
pub enum ServerFnBody {
    Form(Vec<(&'static str, String)>),
    Json(serde_json::Value),
}

pub fn location(res: &Response) -> String {
    res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
}
