//! Standard output for every command. A reader that goes away before the output ends
//! (`quire list | head -1`) is no error: the command stops and the process ends quietly
//! with status 0, as ripgrep does.

use std::io::{self, Write};

/// A writer that notes when a write fails because the reading end of the pipe was closed.
pub(crate) struct Output<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> Output<W> {
    /// Wraps `inner` (standard output).
    pub(crate) fn new(inner: W) -> Self {
        Output {
            inner,
            closed: false,
        }
    }

    /// Whether a write or flush failed with a broken pipe: whoever read the output has
    /// gone, so there is no one left to tell about anything.
    pub(crate) fn closed(&self) -> bool {
        self.closed
    }

    fn note<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result {
            if e.kind() == io::ErrorKind::BrokenPipe {
                self.closed = true;
            }
        }
        result
    }
}

impl<W: Write> Write for Output<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let result = self.inner.write(buf);
        self.note(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = self.inner.flush();
        self.note(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that fails every call with `kind`.
    struct Failing(io::ErrorKind);

    impl Write for Failing {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(self.0.into())
        }

        fn flush(&mut self) -> io::Result<()> {
            Err(self.0.into())
        }
    }

    #[test]
    fn only_a_broken_pipe_counts_as_closed() {
        let mut out = Output::new(Vec::new());
        writeln!(out, "fine").unwrap();
        out.flush().unwrap();
        assert!(!out.closed());
        assert_eq!(out.inner, b"fine\n");

        let mut full = Output::new(Failing(io::ErrorKind::StorageFull));
        assert!(writeln!(full, "x").is_err());
        assert!(!full.closed());

        let mut gone = Output::new(Failing(io::ErrorKind::BrokenPipe));
        assert!(writeln!(gone, "x").is_err());
        assert!(gone.closed());
        let mut gone = Output::new(Failing(io::ErrorKind::BrokenPipe));
        assert!(gone.flush().is_err());
        assert!(gone.closed());
    }
}
