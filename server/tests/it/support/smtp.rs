//! A real (minimal) RFC 5321 SMTP server on 127.0.0.1 for tests: lettre talks real SMTP to it
//! over TCP. It keeps every message it accepts, can be stopped (the port then refuses
//! connections and open sessions are cut) and restarted on the same port.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::{JoinHandle, JoinSet};

/// One accepted message: the envelope and the raw data (dot-unstuffed, CRLF line ends).
#[derive(Clone, Debug)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    pub data: Vec<u8>,
}

impl Received {
    pub fn parsed(&self) -> app::email::mailbox::ParsedMail {
        app::email::mailbox::ParsedMail::parse(&self.data)
    }

    pub fn header(&self, name: &str) -> String {
        self.parsed().header(name).unwrap_or_default()
    }

    pub fn message_id(&self) -> String {
        self.header("Message-ID")
    }
}

#[derive(Default)]
struct Store {
    messages: Mutex<Vec<Received>>,
    arrived: Notify,
}

pub struct SmtpServer {
    pub port: u16,
    store: Arc<Store>,
    task: Option<JoinHandle<()>>,
}

impl SmtpServer {
    /// Starts on a free loopback port.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind SMTP");
        let port = listener.local_addr().unwrap().port();
        let store = Arc::new(Store::default());
        let task = Some(tokio::spawn(accept_loop(listener, store.clone())));
        SmtpServer { port, store, task }
    }

    /// Stops listening and cuts every open session; connections are refused until `restart`.
    pub async fn stop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await; // the listener and the sessions are dropped with it
        }
    }

    /// Listens again on the same port, keeping the messages received so far.
    pub async fn restart(&mut self) {
        assert!(self.task.is_none(), "already running");
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("re-bind the same SMTP port");
        self.task = Some(tokio::spawn(accept_loop(listener, self.store.clone())));
    }

    pub fn received(&self) -> Vec<Received> {
        self.store.messages.lock().unwrap().clone()
    }

    /// Waits (at most `timeout`) until at least `n` messages have arrived; returns them all.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.store.arrived.notified();
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!(
                    "expected {n} messages within {timeout:?}, got {}",
                    self.received().len()
                );
            }
        }
    }

    /// A lettre transport to this server, without TLS.
    pub fn mailer(&self) -> app::email::Mailer {
        app::email::Mailer::smtp("127.0.0.1", self.port, None, app::config::SmtpTls::None)
            .expect("SMTP mailer")
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

async fn accept_loop(listener: TcpListener, store: Arc<Store>) {
    // Sessions live in this set, so aborting this task ends them too.
    let mut sessions = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    sessions.spawn(session(stream, store.clone()));
                }
            }
            Some(_) = sessions.join_next() => {}
        }
    }
}

/// The address inside `FROM:<...>` / `TO:<...>`, ignoring parameters.
fn path_arg(arg: &str) -> String {
    let arg = arg.trim();
    match (arg.find('<'), arg.find('>')) {
        (Some(a), Some(b)) if a < b => arg[a + 1..b].to_string(),
        _ => arg.split_whitespace().next().unwrap_or("").to_string(),
    }
}

async fn session(stream: TcpStream, store: Arc<Store>) {
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    macro_rules! reply {
        ($s:expr) => {
            if write.write_all($s.as_bytes()).await.is_err() {
                return;
            }
        };
    }
    reply!("220 localhost test ESMTP ready\r\n");
    let mut from: Option<String> = None;
    let mut rcpt: Vec<String> = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        match read.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end();
        let verb = text
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let rest = text.get(verb.len()..).unwrap_or("").trim();
        match verb.as_str() {
            "EHLO" => reply!("250-localhost greets you\r\n250-8BITMIME\r\n250 PIPELINING\r\n"),
            "HELO" => reply!("250 localhost\r\n"),
            "MAIL" => match rest.get(..5) {
                Some(p) if p.eq_ignore_ascii_case("FROM:") => {
                    from = Some(path_arg(&rest[5..]));
                    rcpt.clear();
                    reply!("250 OK\r\n");
                }
                _ => reply!("501 Syntax: MAIL FROM:<address>\r\n"),
            },
            "RCPT" => match (rest.get(..3), &from) {
                (Some(p), Some(_)) if p.eq_ignore_ascii_case("TO:") => {
                    rcpt.push(path_arg(&rest[3..]));
                    reply!("250 OK\r\n");
                }
                (_, None) => reply!("503 MAIL first\r\n"),
                _ => reply!("501 Syntax: RCPT TO:<address>\r\n"),
            },
            "DATA" => {
                if from.is_none() || rcpt.is_empty() {
                    reply!("503 RCPT first\r\n");
                    continue;
                }
                reply!("354 End data with <CR><LF>.<CR><LF>\r\n");
                let mut data = Vec::new();
                loop {
                    line.clear();
                    match read.read_until(b'\n', &mut line).await {
                        Ok(0) | Err(_) => return, // cut mid-message: nothing accepted
                        Ok(_) => {}
                    }
                    if line == b".\r\n" || line == b".\n" {
                        break;
                    }
                    // Dot-unstuffing (RFC 5321 4.5.2).
                    let content = if line.starts_with(b".") {
                        &line[1..]
                    } else {
                        &line[..]
                    };
                    data.extend_from_slice(content);
                }
                {
                    let mut messages = store.messages.lock().unwrap();
                    messages.push(Received {
                        mail_from: from.take().unwrap_or_default(),
                        rcpt_to: std::mem::take(&mut rcpt),
                        data,
                    });
                }
                store.arrived.notify_waiters();
                reply!("250 OK queued\r\n");
            }
            "RSET" => {
                from = None;
                rcpt.clear();
                reply!("250 OK\r\n");
            }
            "NOOP" => reply!("250 OK\r\n"),
            "QUIT" => {
                let _ = write.write_all(b"221 Bye\r\n").await;
                return;
            }
            _ => reply!("502 Command not implemented\r\n"),
        }
    }
}
