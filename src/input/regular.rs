//! Reading the files a configuration names (`gh-token-file`, a key file) without ever blocking:
//! a FIFO or a device is refused before it is opened (opening a FIFO waits for a writer), and
//! no more than a limit is read (`/dev/zero` never ends).

use std::io::{self, Read};
use std::path::Path;

/// The bytes of the regular file at `path` (symlinks followed), at most `limit` of them.
/// Anything else (a FIFO, a socket, a device, a directory) is an error of kind `InvalidInput`,
/// a larger file one of kind `FileTooLarge`; neither is opened or read past the limit.
pub fn read_regular_file(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    if !std::fs::metadata(path)?.is_file() {
        return Err(not_regular());
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // If the file was swapped for a FIFO since it was checked, the open does not wait.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    // Sized from the start: growing would free partial copies of a credential file unwiped
    // (the caller wipes only the final buffer).
    let mut bytes = Vec::with_capacity(meta.len().min(limit).saturating_add(1) as usize);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("larger than {limit} bytes"),
        ));
    }
    Ok(bytes)
}

fn not_regular() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        "not a regular file (a FIFO, socket or device is never read)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_regular_file() {
        let dir = std::env::temp_dir().join(format!("atlint-regular-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("t");
        std::fs::write(&f, "0123456789").unwrap();
        assert_eq!(read_regular_file(&f, 10).unwrap(), b"0123456789");
        assert_eq!(
            read_regular_file(&f, 9).unwrap_err().kind(),
            io::ErrorKind::FileTooLarge
        );
        assert_eq!(
            read_regular_file(&dir, 10).unwrap_err().kind(),
            io::ErrorKind::InvalidInput
        );
        #[cfg(target_os = "linux")]
        assert_eq!(
            read_regular_file(Path::new("/dev/zero"), 10)
                .unwrap_err()
                .kind(),
            io::ErrorKind::InvalidInput
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
