//! Memory the service gives back. glibc keeps freed memory in its arenas for
//! reuse, so the tens or hundreds of MB one large export or import held at
//! once would stay with the service for good (BENCHMARKS.md).

/// Hands what was freed back to the operating system (`malloc_trim`): after
/// every export, after every import, and once after start-up.
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[expect(
        unsafe_code,
        reason = "malloc_trim takes no pointer and only gives free pages back"
    )]
    // SAFETY: malloc_trim reads and changes only the allocator's own state,
    // under the allocator's locks; it is safe to call from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}
