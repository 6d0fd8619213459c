//! Where output goes. Commands write through [`Ui`], never with `println!`, so tests and
//! the binary decide where it lands and a closed pipe ends output quietly.

use std::io::{self, Write};

/// The output streams of one command.
pub struct Ui {
    out: Box<dyn Write>,
    err: Box<dyn Write>,
}

impl Ui {
    /// Returns a `Ui` on the process's stdout and stderr.
    pub fn stdio() -> Self {
        Self { out: Box::new(io::stdout().lock()), err: Box::new(io::stderr()) }
    }

    /// Returns a `Ui` writing to the given streams.
    pub fn new(out: Box<dyn Write>, err: Box<dyn Write>) -> Self {
        Self { out, err }
    }

    /// Writes `text` to standard output.
    ///
    /// # Errors
    ///
    /// Fails when standard output is closed (a broken pipe), which callers treat as done.
    pub fn out(&mut self, text: &str) -> io::Result<()> {
        self.out.write_all(text.as_bytes())
    }

    /// Writes `text` to standard error, ignoring failures: there is nowhere else to report them.
    pub fn err(&mut self, text: &str) {
        let _ = self.err.write_all(text.as_bytes());
    }

    /// Flushes both streams.
    pub fn flush(&mut self) -> io::Result<()> {
        let _ = self.err.flush();
        self.out.flush()
    }
}
