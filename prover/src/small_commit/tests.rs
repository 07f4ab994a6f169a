use super::*;
use crate::field::{from_i64, F};
use crate::hyrax::{commit_ints, commit_ints_many, commit_ints_many_with, HyraxKey};
use ark_ec::VariableBaseMSM;
use ark_std::{rand::Rng, test_rng, UniformRand};
use std::sync::OnceLock;
use std::time::Instant;

fn gens(n: usize) -> Vec<GAffine> {
    let mut rng = test_rng();
    G::normalize_batch(&(0..n).map(|_| G::rand(&mut rng)).collect::<Vec<_>>())
}

fn key8() -> &'static HyraxKey {
    static KEY: OnceLock<HyraxKey> = OnceLock::new();
    KEY.get_or_init(|| HyraxKey::new(8))
}

/// `Σ_c row[c]·G_c` per row by arkworks' MSM on field scalars.
fn naive(gens: &[GAffine], values: &[i64]) -> Vec<G> {
    values
        .chunks(gens.len())
        .map(|row| {
            let s: Vec<F> = row.iter().map(|&v| from_i64(v)).collect();
            G::msm_unchecked(gens, &s)
        })
        .collect()
}

fn random_vector(rng: &mut impl Rng, len: usize, lo: i64, hi: i64, zeros: f64) -> Vec<i64> {
    (0..len)
        .map(|_| {
            if rng.gen_bool(zeros) {
                0
            } else {
                rng.gen_range(lo..=hi)
            }
        })
        .collect()
}

fn all_strategies() -> Vec<CommitStrategy> {
    let mut s = vec![CommitStrategy::Auto, CommitStrategy::Pippenger];
    s.extend((2..=10).map(|window| CommitStrategy::Table { window }));
    s
}

#[test]
fn every_strategy_matches_naive_sums() {
    let mut rng = test_rng();
    for cols in [0usize, 1, 3, 5, 7] {
        let g = gens(1 << cols);
        let cache = MultiplesCache::default();
        let rows = 1usize << (7 - cols.min(6));
        let mut vectors = vec![
            random_vector(&mut rng, rows << cols, 0, 255, 0.2),
            random_vector(&mut rng, rows << cols, -128, 127, 0.2),
            random_vector(&mut rng, rows << cols, -1, 1, 0.0),
            random_vector(&mut rng, rows << cols, 0, 4095, 0.5),
            random_vector(&mut rng, rows << cols, -(1 << 18), 1 << 18, 0.9),
            vec![0; rows << cols],
        ];
        // An all-zero row inside a nonzero vector, and extreme magnitudes.
        vectors[0][..1 << cols].iter_mut().for_each(|v| *v = 0);
        let mut extremes = vec![0i64; rows << cols];
        for (i, v) in extremes.iter_mut().enumerate() {
            *v = [i64::MAX, -i64::MAX, i64::MIN, 1, -1, 0, 255, -256][i % 8];
        }
        vectors.push(extremes);
        let refs: Vec<&[i64]> = vectors.iter().map(|v| &v[..]).collect();
        let expected: Vec<Vec<G>> = vectors.iter().map(|v| naive(&g, v)).collect();
        for st in all_strategies() {
            assert_eq!(
                commit_rows(&g, &refs, &cache, st),
                expected,
                "cols {cols}, {st:?}"
            );
            // One vector at a time too (different plans).
            for (v, e) in refs.iter().zip(&expected) {
                assert_eq!(
                    &commit_rows(&g, &[v], &cache, st)[0],
                    e,
                    "cols {cols}, {st:?}"
                );
            }
        }
    }
}

#[test]
fn equal_and_opposite_generators_take_the_exceptional_path() {
    let mut rng = test_rng();
    let mut g = gens(16);
    g[1] = g[0];
    g[2] = -g[0];
    g[3] = g[0];
    g[5] = -g[4];
    let cache = MultiplesCache::default();
    let mut vectors = vec![
        vec![7i64; 64],
        (0..64).map(|i| if i % 2 == 0 { 3 } else { -3 }).collect(),
        random_vector(&mut rng, 64, -300, 300, 0.1),
    ];
    // Rows whose sums cancel exactly: v·G_0 + v·(-G_0).
    vectors.push((0..64).map(|i| if i % 16 < 3 { 5 } else { 0 }).collect());
    let refs: Vec<&[i64]> = vectors.iter().map(|v| &v[..]).collect();
    let expected: Vec<Vec<G>> = vectors.iter().map(|v| naive(&g, v)).collect();
    for st in all_strategies() {
        assert_eq!(commit_rows(&g, &refs, &cache, st), expected, "{st:?}");
    }
}

#[test]
fn tables_are_built_once_and_shared_by_clones() {
    let key = HyraxKey::from_generators(key8().gens[..1 << 6].to_vec());
    let mut rng = test_rng();
    let v = random_vector(&mut rng, 1 << 12, 0, 255, 0.0);
    let strat = CommitStrategy::Table { window: 5 };
    let first = commit_ints_many_with(&key, &[(&v, 6, 6)], strat).unwrap();
    let built = key.multiples_cache().builds();
    assert_eq!(built, 2, "8-bit values with w = 5 need two slabs");
    assert_eq!(key.multiples_cache().ready_slabs(), 2);
    let clone = key.clone();
    let again = commit_ints_many_with(&clone, &[(&v, 6, 6)], strat).unwrap();
    assert_eq!(first, again);
    assert_eq!(key.multiples_cache().builds(), built, "no rebuild");
    // The automatic plan now counts the cached slabs as free and uses them even for
    // a vector too small to pay for them.
    let small = random_vector(&mut rng, 1 << 9, 0, 255, 0.0);
    let cache = MultiplesCache::default();
    let st = [stats(&small, 6)];
    assert_eq!(
        plan(&st, 6, &cache).table,
        None,
        "too small to build a table"
    );
    let p = plan(&st, 6, key.multiples_cache());
    assert_eq!(p.table, Some((5, vec![16, 8])));
    assert_eq!(
        commit_ints(&key, &small, 3, 6).unwrap(),
        commit_ints_many_with(&key, &[(&small, 3, 6)], CommitStrategy::Pippenger).unwrap()[0]
    );
    assert_eq!(key.multiples_cache().builds(), built);
}

#[test]
fn replaced_generators_disable_the_stale_table() {
    let mut key = HyraxKey::from_generators(gens(16));
    let v: Vec<i64> = (0..64).map(|i| i * 3 - 90).collect();
    let strat = CommitStrategy::Table { window: 4 };
    commit_ints_many_with(&key, &[(&v, 2, 4)], strat).unwrap();
    key.gens = gens(32)[16..].to_vec();
    let got = commit_ints_many_with(&key, &[(&v, 2, 4)], strat).unwrap();
    let want = commit_ints_many_with(&key, &[(&v, 2, 4)], CommitStrategy::Pippenger).unwrap();
    assert_eq!(got, want);
}

#[test]
fn plans_follow_the_cost_model() {
    let mut rng = test_rng();
    let cache = MultiplesCache::default();
    // One 2^9-entry vector: Pippenger.
    let small = random_vector(&mut rng, 1 << 9, 0, 255, 0.0);
    assert_eq!(plan(&[stats(&small, 5)], 5, &cache).table, None);
    // 2^16 8-bit entries over 2^8 columns: a table.
    let big = random_vector(&mut rng, 1 << 16, 0, 255, 0.0);
    assert!(plan(&[stats(&big, 8)], 8, &cache).table.is_some());
    // All zeros: nothing to do, no table.
    assert_eq!(plan(&[stats(&vec![0; 1 << 16], 8)], 8, &cache).table, None);
    // A vector of huge values next to a big 8-bit one keeps Pippenger for itself.
    let huge = random_vector(&mut rng, 1 << 8, -(1 << 60), 1 << 60, 0.0);
    let p = plan(&[stats(&big, 8), stats(&huge, 8)], 8, &cache);
    assert!(p.table.is_some());
    assert_eq!(p.use_table, vec![true, false]);
}

#[test]
fn commit_ints_many_groups_by_width_and_checks_shapes() {
    let key = HyraxKey::from_generators(key8().gens[..1 << 6].to_vec());
    let mut rng = test_rng();
    let a = random_vector(&mut rng, 1 << 10, -128, 127, 0.1);
    let b = random_vector(&mut rng, 1 << 9, 0, 4095, 0.1);
    let c = random_vector(&mut rng, 1 << 12, 0, 255, 0.1);
    let items = [
        (&a[..], 5, 5),
        (&b[..], 3, 6),
        (&c[..], 6, 6),
        (&a[..], 4, 6),
    ];
    let got = commit_ints_many(&key, &items).unwrap();
    for (com, &(v, rv, cv)) in got.iter().zip(&items) {
        assert_eq!(
            com,
            &commit_ints_many_with(&key, &[(v, rv, cv)], CommitStrategy::Pippenger).unwrap()[0]
        );
    }
    assert!(commit_ints_many(&key, &[(&a[..], 5, 4), (&a[1..], 5, 4)]).is_err());
    assert!(
        commit_ints_many(&key, &[(&a[..], 3, 7)]).is_err(),
        "key too small"
    );
    assert!(commit_ints_many(&key, &[]).unwrap().is_empty());
}

#[test]
fn concurrent_commits_share_one_cache() {
    let key = HyraxKey::from_generators(key8().gens.clone());
    let mut rng = test_rng();
    let vectors: Vec<Vec<i64>> = (0..6)
        .map(|_| random_vector(&mut rng, 1 << 15, 0, 255, 0.0))
        .collect();
    let got: Vec<_> = vectors
        .par_iter()
        .map(|v| commit_ints(&key, v, 7, 8).unwrap())
        .collect();
    for (v, com) in vectors.iter().zip(&got) {
        let want = commit_ints_many_with(&key, &[(v, 7, 8)], CommitStrategy::Pippenger).unwrap();
        assert_eq!(com, &want[0]);
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Old (per-row Pippenger) against new (cost-model plan, cold cache: table built inside
/// the timed call; and warm: table cached) in one process, medians of 5 runs.
/// `cargo test --release -p ternzk-prover bench_commit -- --ignored --nocapture`
#[test]
#[ignore]
fn bench_commit() {
    let key = key8();
    let mut rng = test_rng();
    let cases: Vec<(&str, Vec<Vec<i64>>, usize)> = vec![
        (
            "(a) 2^16 x 8-bit, 2^8 cols",
            vec![random_vector(&mut rng, 1 << 16, 0, 255, 0.0)],
            8,
        ),
        (
            "(b) 2^16 x 12-bit, 2^8 cols",
            vec![random_vector(&mut rng, 1 << 16, 0, 4095, 0.0)],
            8,
        ),
        (
            "(c) 2^12 x 8-bit, 2^6 cols",
            vec![random_vector(&mut rng, 1 << 12, 0, 255, 0.0)],
            6,
        ),
        (
            "(c') 2^9 x 8-bit, 2^5 cols",
            vec![random_vector(&mut rng, 1 << 9, 0, 255, 0.0)],
            5,
        ),
        (
            "(e) 5 x 2^16 MLP-like (y,h,l,c,limbs), 2^8 cols",
            vec![
                random_vector(&mut rng, 1 << 16, 0, 255, 0.3),
                random_vector(&mut rng, 1 << 16, -128, 127, 0.0),
                random_vector(&mut rng, 1 << 16, 0, 255, 0.0),
                random_vector(&mut rng, 1 << 16, -1, 1, 0.0),
                random_vector(&mut rng, 1 << 16, 0, 4095, 0.0),
            ],
            8,
        ),
    ];
    for (name, vectors, cols) in &cases {
        let items: Vec<(&[i64], usize, usize)> = vectors
            .iter()
            .map(|v| (&v[..], v.len().trailing_zeros() as usize - cols, *cols))
            .collect();
        let gens = key.gens[..1 << cols].to_vec();
        let warm = HyraxKey::from_generators(gens.clone());
        commit_ints_many(&warm, &items).unwrap();
        let (mut old, mut cold, mut hot) = (vec![], vec![], vec![]);
        for _ in 0..5 {
            let t = Instant::now();
            let a = commit_ints_many_with(key, &items, CommitStrategy::Pippenger).unwrap();
            old.push(t.elapsed().as_secs_f64() * 1e3);
            let fresh = HyraxKey::from_generators(gens.clone());
            let t = Instant::now();
            let b = commit_ints_many(&fresh, &items).unwrap();
            cold.push(t.elapsed().as_secs_f64() * 1e3);
            let t = Instant::now();
            let c = commit_ints_many(&warm, &items).unwrap();
            hot.push(t.elapsed().as_secs_f64() * 1e3);
            assert!(a == b && b == c);
        }
        let (o, c, h) = (median(old), median(cold), median(hot));
        let st: Vec<Stats> = vectors.iter().map(|v| stats(v, *cols)).collect();
        let p = plan(&st, *cols, &MultiplesCache::default());
        println!(
            "{name}: old {o:.2} ms | new cold {c:.2} ms ({:.2}x) | new warm {h:.2} ms ({:.2}x) | plan {:?}",
            o / c,
            o / h,
            p.table
        );
    }
}

#[test]
#[ignore]
fn profile_parts() {
    let g = gens(256);
    let mut rng = test_rng();
    let v = random_vector(&mut rng, 1 << 14, 0, 255, 0.0);
    let rows: Vec<&[i64]> = v.chunks(256).collect();
    let cache = MultiplesCache::default();
    let t = cache.get_or_build(&g, 9, &[256]).unwrap();
    let table: Vec<(&[Xy], usize)> = t.iter().map(|s| (s.as_slice(), 256)).collect();
    for _ in 0..3 {
        let t0 = Instant::now();
        let r = sum_rows(&table, 9, &rows);
        let total = t0.elapsed().as_secs_f64() * 1e3;
        let t0 = Instant::now();
        let mut pts: Vec<Xy> = v
            .iter()
            .enumerate()
            .map(|(i, &x)| table[0].0[(i % 256) * 256 + x as usize - 1])
            .collect();
        let gather = t0.elapsed().as_secs_f64() * 1e3;
        let mut lists: Vec<(usize, usize)> = (0..64).map(|i| (i * 256, 256)).collect();
        let mut extra = vec![G::zero(); 64];
        let t0 = Instant::now();
        reduce_buckets(&mut pts, &mut lists, &mut extra);
        let red = t0.elapsed().as_secs_f64() * 1e3;
        let t0 = Instant::now();
        let mut acc = G::zero();
        for p in &g {
            for _ in 0..64 {
                acc += p;
            }
        }
        let mixed = t0.elapsed().as_secs_f64() * 1e3;
        let t0 = Instant::now();
        let mut x = g[0].x;
        for _ in 0..(1 << 14) {
            x *= g[1].x;
        }
        let mul = t0.elapsed().as_secs_f64() * 1e3;
        let t0 = Instant::now();
        for _ in 0..100 {
            x = x.inverse().unwrap();
        }
        println!("inverse {:.2} us", t0.elapsed().as_secs_f64() * 1e4);
        let mut d: Vec<Fq> = g.iter().cycle().take(1 << 14).map(|p| p.x).collect();
        let t0 = Instant::now();
        batch_invert(&mut d);
        let inv = t0.elapsed().as_secs_f64() * 1e3;
        println!(
            "2^14 entries: sum_rows {total:.2} gather {gather:.2} reduce {red:.2} | 2^14 mixed adds {mixed:.2} | 2^14 muls {mul:.3} | batch_invert 2^14 {inv:.2} ms {}{}",
            r.len(),
            x.is_zero()
        );
    }
}
