//! Committee PDFs rendered in a child process of the same binary
//! (`planspor render-pdf`), so the layout's memory goes back to the operating
//! system when the child exits.
//!
//! A large plan's PDF takes typst about 120 MB at its peak, and typst keeps
//! one-time state besides; laid out inside the service, glibc kept that memory
//! for the life of the process (BENCHMARKS.md, Exports). The parent builds the
//! view (a few MB of JSON), the child lays it out and writes the PDF.
//!
//! The protocol is deliberately plain: on stdin the creation instant (RFC 3339)
//! on one line, then the view's JSON; on stdout the PDF; on failure a message
//! on stderr and a non-zero exit. The parent holds a render slot while the
//! child runs (so the number of children is bounded) and kills a child that
//! overruns its time limit.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::pdf::{self, PdfJob};
use crate::error::ApiError;

/// The argument that makes planspor a PDF renderer instead of a server.
pub const SUBCOMMAND: &str = "render-pdf";

/// How long a child may take before it is killed. A large plan's PDF takes
/// about a second in a release build and tens of seconds in a debug build
/// under load; a render that runs past this is stuck, not slow.
pub const TIME_LIMIT: Duration = Duration::from_secs(120);

/// How often the parent looks whether its child has finished.
const POLL: Duration = Duration::from_millis(5);

/// Runs a program that speaks the protocol above.
#[derive(Debug, Clone)]
pub struct ChildRenderer {
    program: PathBuf,
    args: Vec<String>,
    time_limit: Duration,
}

impl ChildRenderer {
    /// planspor's own binary at `program`, run as `program render-pdf`.
    pub fn planspor(program: impl Into<PathBuf>) -> Self {
        Self::new(program, vec![SUBCOMMAND.to_owned()], TIME_LIMIT)
    }

    /// Any program and arguments (the tests give a stuck or failing one).
    pub fn new(program: impl Into<PathBuf>, args: Vec<String>, time_limit: Duration) -> Self {
        Self {
            program: program.into(),
            args,
            time_limit,
        }
    }

    /// Renders `job` in a fresh child and waits for it (blocking: called on
    /// the render threads, never on an actix worker).
    pub fn render(&self, job: PdfJob) -> Result<Vec<u8>, ApiError> {
        let started = Instant::now();
        let mut child = Command::new(&self.program)
            .args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| failed(format!("cannot start {}: {e}", self.program.display())))?;
        let stdin = child.stdin.take();
        let feeding = std::thread::spawn(move || feed(stdin, &job));
        let stdout = drain(child.stdout.take());
        let stderr = drain(child.stderr.take());
        // A child stopped at its time limit returns at once; the pipe threads
        // end by themselves when the last holder of the pipes has gone.
        let status = self.wait(&mut child, started)?;
        let fed = feeding.join().unwrap_or(Ok(()));
        let pdf = stdout.join().unwrap_or_default();
        let message = String::from_utf8_lossy(&stderr.join().unwrap_or_default()).into_owned();
        if !status.success() {
            return Err(failed(format!("the renderer {status}: {}", message.trim())));
        }
        fed.map_err(|e| failed(format!("writing to the renderer: {e}")))?;
        if !pdf.starts_with(b"%PDF-") {
            return Err(failed("the renderer wrote no PDF".into()));
        }
        log::debug!(
            "PDF of {} bytes rendered in a child in {:?}",
            pdf.len(),
            started.elapsed()
        );
        Ok(pdf)
    }

    fn wait(
        &self,
        child: &mut Child,
        started: Instant,
    ) -> Result<std::process::ExitStatus, ApiError> {
        loop {
            match child.try_wait() {
                Ok(Some(status)) => return Ok(status),
                Ok(None) if started.elapsed() < self.time_limit => std::thread::sleep(POLL),
                Ok(None) => {
                    // Killed and reaped, so no zombie is left behind.
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(failed(format!(
                        "the renderer ran past its time limit of {} s and was stopped",
                        self.time_limit.as_secs_f64()
                    )));
                }
                Err(e) => return Err(failed(format!("waiting for the renderer: {e}"))),
            }
        }
    }
}

fn failed(message: String) -> ApiError {
    ApiError::Internal(format!("PDF export: {message}"))
}

fn feed(stdin: Option<std::process::ChildStdin>, job: &PdfJob) -> std::io::Result<()> {
    let Some(mut stdin) = stdin else {
        return Ok(());
    };
    writeln!(stdin, "{}", job.generated_at.to_rfc3339())?;
    stdin.write_all(&job.data)
    // Dropping stdin closes it: the child reads to its end.
}

fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

/// The child's side: reads a job from stdin, writes the PDF to stdout.
pub fn serve_stdio() -> ExitCode {
    match read_job(std::io::stdin().lock()).and_then(render_on_one_thread) {
        Ok(pdf) => match std::io::stdout().lock().write_all(&pdf) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("writing the PDF: {e}");
                ExitCode::FAILURE
            }
        },
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn read_job(mut input: impl Read) -> Result<PdfJob, String> {
    let mut bytes = Vec::new();
    input
        .read_to_end(&mut bytes)
        .map_err(|e| format!("reading the job: {e}"))?;
    let newline = bytes
        .iter()
        .position(|&b| b == b'\n')
        .ok_or("the job has no creation instant line")?;
    let instant = std::str::from_utf8(&bytes[..newline]).map_err(|e| e.to_string())?;
    let generated_at = DateTime::parse_from_rfc3339(instant.trim())
        .map_err(|e| format!("the creation instant {instant:?}: {e}"))?
        .with_timezone(&Utc);
    let data = bytes.split_off(newline + 1);
    Ok(PdfJob { generated_at, data })
}

/// One layout thread, as in the service before: a PDF laid out on one core
/// peaks at less memory, and the other core stays with the API.
fn render_on_one_thread(job: PdfJob) -> Result<Vec<u8>, String> {
    let threads = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .map_err(|e| e.to_string())?;
    threads
        .install(|| pdf::compile(job))
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exports::{Lang, sample};

    fn shell(script: &str, time_limit: Duration) -> ChildRenderer {
        ChildRenderer::new("/bin/sh", vec!["-c".into(), script.into()], time_limit)
    }

    fn job() -> PdfJob {
        pdf::prepare(&sample::slagelse(Lang::Da)).expect("a job")
    }

    #[test]
    fn a_job_reads_back_as_it_was_written() {
        let job = job();
        let mut written = Vec::new();
        writeln!(written, "{}", job.generated_at.to_rfc3339()).expect("written");
        written.extend_from_slice(&job.data);
        assert_eq!(read_job(written.as_slice()), Ok(job));
        assert!(read_job(&b"no newline"[..]).is_err());
        assert!(read_job(&b"yesterday\n{}"[..]).is_err());
    }

    #[test]
    fn a_stuck_renderer_is_stopped_at_its_time_limit() {
        // Were it waited out, it would end well and be refused for writing no PDF.
        let refused = shell("exec sleep 30", Duration::from_millis(300)).render(job());
        let message = refused.expect_err("stopped").to_string();
        assert!(message.contains("time limit"), "{message}");
    }

    #[test]
    fn a_failing_or_silent_renderer_is_an_error_with_its_message() {
        let failing = shell("cat >/dev/null; echo broken >&2; exit 3", TIME_LIMIT).render(job());
        let message = failing.expect_err("failed").to_string();
        assert!(message.contains("broken"), "{message}");
        let silent = shell("cat >/dev/null", TIME_LIMIT).render(job());
        assert!(silent.expect_err("no PDF").to_string().contains("no PDF"));
        let missing = ChildRenderer::planspor("/nonexistent/planspor").render(job());
        assert!(
            missing
                .expect_err("not started")
                .to_string()
                .contains("cannot start")
        );
    }
}
