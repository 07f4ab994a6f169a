//! Which arithmetic path the prover takes: AVX-512 IFMA lanes or scalar arkworks code.
//!
//! The lanes (`ifma`, `affine_lanes`, the wide eq tables, the small-integer
//! commitments' bucket sums and the LogUp prover's wide passes) run only with an
//! [`Ifma`] token, which only [`Ifma::detect`] makes: it checks the CPU once at run time
//! and honours the switch `TERNZK_NO_SIMD=1`, which forces the scalar path everywhere.
//! Lane code that takes the token is therefore safe to call: inside, every
//! `#[target_feature]` function is called in an `unsafe` block whose `// SAFETY:`
//! comment cites the token. Both paths compute the same field elements, so proofs are
//! byte-identical whichever path made them.

use std::sync::OnceLock;

/// The environment variable that forces the scalar path (see [`parse_no_simd`]).
pub const NO_SIMD_VAR: &str = "TERNZK_NO_SIMD";

/// Proof that this process may run AVX-512 IFMA code: the CPU has AVX-512F and
/// AVX-512 IFMA and `TERNZK_NO_SIMD` does not ask for the scalar path. It has a
/// private constructor, so the only way to get one is [`Ifma::detect`]; lane code
/// taking an `Ifma` needs no `unsafe` from its callers. Zero-sized: passing it costs
/// nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ifma(());

impl Ifma {
    /// The token, if the lanes may run in this process; `None` on CPUs without
    /// AVX-512 IFMA, on other architectures and whenever `TERNZK_NO_SIMD` is set to a
    /// value [`parse_no_simd`] reads as "on". Cost: the first call reads the
    /// environment and CPUID; later calls read a cached value.
    pub fn detect() -> Option<Ifma> {
        static TOKEN: OnceLock<Option<Ifma>> = OnceLock::new();
        *TOKEN.get_or_init(|| {
            let value = std::env::var_os(NO_SIMD_VAR);
            let off = parse_no_simd(value.as_ref().map(|v| v.to_string_lossy()).as_deref());
            (!off && cpu_has_ifma()).then_some(Ifma(()))
        })
    }
}

/// Whether a value of `TERNZK_NO_SIMD` forces the scalar path: unset, empty (after
/// trimming), `0`, `false`, `no` and `off` (any case) leave the lanes on; any other
/// value, `1` in particular, turns them off. Pure, so tests can check the rule
/// without changing the process environment. Cost: O(length of the value).
pub fn parse_no_simd(value: Option<&str>) -> bool {
    match value.map(str::trim) {
        None => false,
        Some(v) => {
            !(v.is_empty()
                || ["0", "false", "no", "off"]
                    .iter()
                    .any(|o| v.eq_ignore_ascii_case(o)))
        }
    }
}

/// Whether this CPU has AVX-512F and AVX-512 IFMA (detected at run time, whatever
/// `TERNZK_NO_SIMD` says). Cost: CPUID once per process (the standard library caches it).
pub fn cpu_has_ifma() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512ifma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// The prover's arithmetic path in this process, as reports print it: `"ifma"` when
/// [`Ifma::detect`] gives a token, else `"scalar"`. Cost: as [`Ifma::detect`].
pub fn simd_path() -> &'static str {
    match Ifma::detect() {
        Some(_) => "ifma",
        None => "scalar",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_simd_values_are_parsed() {
        for off in [
            None,
            Some(""),
            Some("  "),
            Some("0"),
            Some("false"),
            Some("No"),
            Some("OFF"),
        ] {
            assert!(!parse_no_simd(off), "{off:?} leaves the lanes on");
        }
        for on in [
            Some("1"),
            Some(" 1 "),
            Some("true"),
            Some("yes"),
            Some("scalar"),
        ] {
            assert!(parse_no_simd(on), "{on:?} forces the scalar path");
        }
    }

    /// The token follows the environment and the CPU in this process (the test suite
    /// runs once with `TERNZK_NO_SIMD=1` in CI, where this asserts `None`).
    #[test]
    fn detection_follows_the_environment_and_the_cpu() {
        let value = std::env::var(NO_SIMD_VAR).ok();
        let want = !parse_no_simd(value.as_deref()) && cpu_has_ifma();
        assert_eq!(Ifma::detect().is_some(), want);
        assert_eq!(simd_path(), if want { "ifma" } else { "scalar" });
    }

    /// `TERNZK_NO_SIMD=1` takes the lanes away: this test runs itself again as a child
    /// process with the variable set (the value is read once per process), and the
    /// child asserts that no token exists, so no lane code can run.
    #[test]
    fn no_simd_env_leaves_no_token() {
        const CHILD: &str = "TERNZK_SIMD_TEST_CHILD";
        if std::env::var_os(CHILD).is_some() {
            assert_eq!(Ifma::detect(), None);
            assert_eq!(simd_path(), "scalar");
            println!("child: no token");
            return;
        }
        let exe = std::env::current_exe().expect("test binary path");
        let out = std::process::Command::new(exe)
            .args([
                "simd::tests::no_simd_env_leaves_no_token",
                "--exact",
                "--nocapture",
            ])
            .env(CHILD, "1")
            .env(NO_SIMD_VAR, "1")
            .output()
            .expect("run the test binary");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "child failed: {stdout}");
        assert!(
            stdout.contains("child: no token"),
            "child did not run the check: {stdout}"
        );
    }
}
