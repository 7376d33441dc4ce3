//! Stand-ins for the systems planspor talks to, on 127.0.0.1: an SMTP sink
//! that keeps every message it is given, and a webhook receiver that keeps
//! every request and answers 500 to the first one of each path given.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use actix_web::{HttpRequest, HttpResponse, web};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// An e-mail as the sink received it.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub data: String,
}

impl Mail {
    /// The decoded subject line.
    pub fn subject(&self) -> String {
        // A long header is folded onto lines that begin with white space.
        let mut raw = String::new();
        let mut lines = self
            .data
            .lines()
            .skip_while(|line| !line.starts_with("Subject: "));
        if let Some(first) = lines.next() {
            raw.push_str(&first["Subject: ".len()..]);
            for folded in lines.take_while(|line| line.starts_with([' ', '\t'])) {
                raw.push(' ');
                raw.push_str(folded.trim());
            }
        }
        decode_words(&raw)
    }
}

/// RFC 2047 encoded words (`=?utf-8?b?…?=`) as lettre writes non-ASCII subjects.
fn decode_words(raw: &str) -> String {
    use base64::Engine;
    raw.split_whitespace()
        .map(|word| {
            word.strip_prefix("=?utf-8?b?")
                .and_then(|rest| rest.strip_suffix("?="))
                .and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok())
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .unwrap_or_else(|| format!("{word} "))
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// A minimal SMTP server that accepts everything.
#[derive(Clone)]
pub struct SmtpSink {
    pub url: String,
    mails: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding the SMTP sink");
        let port = listener.local_addr().expect("an address").port();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let kept = mails.clone();
        actix_web::rt::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                actix_web::rt::spawn(converse(stream, kept.clone()));
            }
        });
        Self {
            url: format!("smtp://127.0.0.1:{port}"),
            mails,
        }
    }

    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().expect("the sink").clone()
    }
}

async fn converse(stream: tokio::net::TcpStream, mails: Arc<Mutex<Vec<Mail>>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    let _ = write.write_all(b"220 sink ESMTP\r\n").await;
    let mut to = String::new();
    while let Ok(Some(line)) = lines.next_line().await {
        let command = line.to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
            b"250 sink\r\n"
        } else if command.starts_with("RCPT TO:") {
            to = line[8..].trim().to_owned();
            b"250 OK\r\n"
        } else if command.starts_with("DATA") {
            let _ = write.write_all(b"354 go ahead\r\n").await;
            let mut data = String::new();
            while let Ok(Some(line)) = lines.next_line().await {
                if line == "." {
                    break;
                }
                data.push_str(&line);
                data.push('\n');
            }
            mails.lock().expect("the sink").push(Mail {
                to: to.clone(),
                data,
            });
            b"250 queued\r\n"
        } else if command.starts_with("QUIT") {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            b"250 OK\r\n"
        };
        let _ = write.write_all(reply).await;
    }
}

/// A request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub body: Vec<u8>,
    pub answered: u16,
}

impl Received {
    /// The JSON body.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

#[derive(Default)]
struct Log {
    received: Vec<Received>,
    failed_once: HashSet<String>,
}

/// A webhook receiver: `/flaky` answers 500 to its first request and 204
/// after; `/down` always 500; anything else 204.
#[derive(Clone)]
pub struct WebhookReceiver {
    pub base: String,
    log: Arc<Mutex<Log>>,
}

async fn receive(
    request: HttpRequest,
    body: web::Bytes,
    log: web::Data<Mutex<Log>>,
) -> HttpResponse {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let path = request.path().to_owned();
    let mut log = log.lock().expect("the log");
    let answered = match path.as_str() {
        "/down" => 500,
        "/flaky" if log.failed_once.insert(path.clone()) => 500,
        _ => 204,
    };
    log.received.push(Received {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
        body: body.to_vec(),
        answered,
    });
    HttpResponse::build(actix_web::http::StatusCode::from_u16(answered).expect("a status")).finish()
}

impl WebhookReceiver {
    pub async fn start() -> Self {
        let log = web::Data::new(Mutex::new(Log::default()));
        let shared = log.clone().into_inner();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binding the receiver");
        let port = listener.local_addr().expect("an address").port();
        let server = actix_web::HttpServer::new(move || {
            actix_web::App::new()
                .app_data(log.clone())
                .default_service(web::to(receive))
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .expect("listening")
        .run();
        actix_web::rt::spawn(server);
        Self {
            base: format!("http://127.0.0.1:{port}"),
            log: shared,
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.log.lock().expect("the log").received.clone()
    }
}

/// Whether one of the `v1,` signatures of `received` is the HMAC-SHA256 of
/// `id.timestamp.body` under `secret` (`whsec_<base64 key>`), as a Standard
/// Webhooks library checks it, written here independently of planspor's signer.
pub fn signed_by(received: &Received, secret: &str) -> bool {
    use base64::Engine;
    use hmac::{Hmac, Mac};
    let engine = base64::engine::general_purpose::STANDARD;
    let key = engine
        .decode(secret.strip_prefix("whsec_").expect("a whsec_ secret"))
        .expect("base64");
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).expect("a key");
    mac.update(format!("{}.{}.", received.id, received.timestamp).as_bytes());
    mac.update(&received.body);
    let expected = engine.encode(mac.finalize().into_bytes());
    received
        .signature
        .split(' ')
        .any(|signature| signature.strip_prefix("v1,") == Some(expected.as_str()))
}
