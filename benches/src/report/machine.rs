//! Where a report was measured: CPU, memory, kernel, compiler, build flags, thread
//! count, git commit and date. Read from `/proc` and `git`; anything unreadable is
//! reported as `unknown` rather than failing the report.

use super::section::Table;
use serde::Serialize;
use std::path::Path;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

/// A description of the machine and build behind a report.
#[derive(Clone, Debug, Serialize)]
pub struct Machine {
    /// CPU model name (`/proc/cpuinfo`).
    pub cpu_model: String,
    /// Logical CPUs the OS lists (`/proc/cpuinfo`).
    pub logical_cpus: usize,
    /// Total memory in GiB (`/proc/meminfo`), if readable.
    pub mem_total_gib: Option<f64>,
    /// Kernel release (`/proc/sys/kernel/osrelease`).
    pub kernel: String,
    /// `rustc --version` of the compiler that built this binary.
    pub rustc: String,
    /// Build profile: `release` or `debug` (debug figures are meaningless).
    pub profile: String,
    /// Whether BMI2 and ADX were enabled at compile time (arkworks' fast path).
    pub bmi2_adx: bool,
    /// The prover's arithmetic path: `"ifma"` (AVX-512 IFMA lanes, detected on this
    /// CPU at run time) or `"scalar"` (no IFMA, or `TERNZK_NO_SIMD=1`).
    pub simd: &'static str,
    /// Rayon worker threads the benchmarks ran with.
    pub threads: usize,
    /// `git rev-parse HEAD` of the working tree, with `-dirty` when tracked files
    /// differ from it.
    pub git_commit: String,
    /// Start of the run, UTC, ISO 8601.
    pub date_utc: String,
}

impl Machine {
    /// Describes this machine, with the git commit of the repository at `repo`.
    /// Cost: reads a few `/proc` files and runs `git` twice.
    pub fn detect(repo: &Path) -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let (cpu_model, logical_cpus) = parse_cpuinfo(&cpuinfo);
        Machine {
            cpu_model,
            logical_cpus,
            mem_total_gib: parse_mem_total_gib(&meminfo),
            kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
                .map(|s| s.trim().to_string())
                .unwrap_or_else(|_| "unknown".into()),
            rustc: env!("TERNZK_RUSTC_VERSION").to_string(),
            profile: if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            }
            .into(),
            bmi2_adx: cfg!(all(target_feature = "bmi2", target_feature = "adx")),
            simd: ternzk_prover::simd_path(),
            threads: rayon::current_num_threads(),
            git_commit: git_commit(repo),
            date_utc: utc_iso8601(
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs()),
            ),
        }
    }

    /// The description as a two-column markdown table. Cost: O(1).
    pub fn table(&self) -> Table {
        let mut t = Table::new(&["machine", ""]);
        let mem = self
            .mem_total_gib
            .map_or("unknown".into(), |g| format!("{g:.1} GiB"));
        let rows = [
            ("CPU", self.cpu_model.clone()),
            ("logical CPUs", self.logical_cpus.to_string()),
            ("benchmark threads", self.threads.to_string()),
            ("memory", mem),
            ("kernel", self.kernel.clone()),
            ("compiler", self.rustc.clone()),
            (
                "build",
                format!(
                    "{}, BMI2+ADX {}, SIMD path {}",
                    self.profile,
                    if self.bmi2_adx { "on" } else { "off" },
                    self.simd
                ),
            ),
            ("git commit", self.git_commit.clone()),
            ("date (UTC)", self.date_utc.clone()),
        ];
        for (k, v) in rows {
            t.push(vec![k.into(), v]);
        }
        t
    }
}

/// The first `model name` and the number of `processor` entries of a
/// `/proc/cpuinfo` text. Cost: O(len).
pub fn parse_cpuinfo(text: &str) -> (String, usize) {
    let field = |line: &str, key: &str| -> Option<String> {
        let (k, v) = line.split_once(':')?;
        (k.trim() == key).then(|| v.trim().to_string())
    };
    let model = text
        .lines()
        .find_map(|l| field(l, "model name"))
        .unwrap_or_else(|| "unknown".into());
    let cpus = text
        .lines()
        .filter(|l| field(l, "processor").is_some())
        .count();
    let cpus = if cpus == 0 {
        std::thread::available_parallelism().map_or(0, |n| n.get())
    } else {
        cpus
    };
    (model, cpus)
}

/// `MemTotal` of a `/proc/meminfo` text, in GiB. Cost: O(len).
pub fn parse_mem_total_gib(text: &str) -> Option<f64> {
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: f64 = line
        .trim_start_matches("MemTotal:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib / (1024.0 * 1024.0))
}

/// The commit checked out at `repo` (`-dirty` if tracked files changed), or
/// `unknown` outside a git repository. Cost: two `git` processes.
pub fn git_commit(repo: &Path) -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(repo)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    match git(&["rev-parse", "HEAD"]) {
        Some(head) if !head.is_empty() => {
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty());
            if dirty {
                format!("{head}-dirty")
            } else {
                head
            }
        }
        _ => "unknown".into(),
    }
}

/// Seconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian,
/// UTC). Cost: O(1).
pub fn utc_iso8601(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Days to civil date (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_proc_files() {
        let cpuinfo = "processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags\t: fpu\n\n\
                       processor\t: 1\nmodel name\t: AMD EPYC 7B13\n";
        assert_eq!(parse_cpuinfo(cpuinfo), ("AMD EPYC 7B13".into(), 2));
        let meminfo = "MemTotal:       25165824 kB\nMemFree:  1 kB\n";
        assert_eq!(parse_mem_total_gib(meminfo), Some(24.0));
        assert_eq!(parse_mem_total_gib("nothing"), None);
    }

    #[test]
    fn formats_utc_dates() {
        assert_eq!(utc_iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_iso8601(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc_iso8601(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(utc_iso8601(4_102_444_799), "2099-12-31T23:59:59Z");
    }

    #[test]
    fn describes_this_machine() {
        let m = Machine::detect(Path::new(env!("CARGO_MANIFEST_DIR")));
        assert!(m.logical_cpus >= 1);
        assert!(m.rustc.starts_with("rustc") || m.rustc == "unknown");
        assert_eq!(m.table().rows.len(), 9);
        assert!(git_commit(Path::new("/")).len() >= 7);
    }
}
