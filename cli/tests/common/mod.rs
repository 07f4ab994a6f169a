//! Helpers shared by the CLI tests: a self-removing temp directory and a runner for
//! the built binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh directory under Cargo's per-target temp dir, removed on drop (avoids
/// adding a dev-dependency to the CLI crate).
pub struct TempDir(PathBuf);

impl TempDir {
    /// `<CARGO_TARGET_TMPDIR>/<name>-<pid>`, emptied.
    pub fn new(name: &str) -> Self {
        let p =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the built `ternzk` with `args`.
pub fn ternzk(args: &[&str]) -> Output {
    ternzk_env(args, &[])
}

/// Runs the built `ternzk` with `args` and the environment variables `env` set.
pub fn ternzk_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ternzk"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("run ternzk")
}
