//! Tests of the data readers on small files written here.

use super::*;
use npyz::WriterBuilder;
use std::collections::HashMap;
use std::io::Write;

/// Writes a little-endian f32 `.npy` file of the given shape.
fn write_npy_f32(path: &Path, shape: &[u64], values: &[f32]) {
    let mut out = npyz::WriteOptions::new()
        .default_dtype()
        .shape(shape)
        .writer(std::fs::File::create(path).unwrap())
        .begin_nd()
        .unwrap();
    out.extend(values.iter().copied()).unwrap();
    out.finish().unwrap();
}

fn write_npy_i64(path: &Path, values: &[i64]) {
    let mut out = npyz::WriteOptions::new()
        .default_dtype()
        .shape(&[values.len() as u64])
        .writer(std::fs::File::create(path).unwrap())
        .begin_nd()
        .unwrap();
    out.extend(values.iter().copied()).unwrap();
    out.finish().unwrap();
}

fn spec(p: &Path) -> DataSpec {
    DataSpec::new(p.display().to_string())
}

const X: [f32; 6] = [0.5, -1.0, 2.0, 3.25, 0.0, -7.5];
const Y: [i64; 3] = [1, 0, 2];

fn expected(name: &Path) -> Table {
    Table {
        name: name.display().to_string(),
        dim: 2,
        x: X.to_vec(),
        labels: Some(vec![1, 0, 2]),
        pixels: false,
    }
}

#[test]
fn every_format_reads_the_same_table() {
    let dir = tempfile::tempdir().unwrap();
    // .npy + --labels
    let xp = dir.path().join("x.npy");
    let yp = dir.path().join("y.npy");
    write_npy_f32(&xp, &[3, 2], &X);
    write_npy_i64(&yp, &Y);
    let mut s = spec(&xp);
    s.labels = Some(yp.clone());
    assert_eq!(load(&s, Split::Test).unwrap(), expected(&xp));
    // .csv with the label column in the middle
    let cp = dir.path().join("d.csv");
    std::fs::write(&cp, "a,label,b\n0.5,1,-1\n2,0,3.25\n0,2,-7.5\n").unwrap();
    assert_eq!(load(&spec(&cp), Split::Test).unwrap(), expected(&cp));
    // .csv with a named label column
    let cp2 = dir.path().join("e.csv");
    std::fs::write(&cp2, "a,b,target\n0.5,-1,1\n2,3.25,0\n0,-7.5,2\n").unwrap();
    let mut s = spec(&cp2);
    s.label_column = Some("target".into());
    assert_eq!(load(&s, Split::Test).unwrap(), expected(&cp2));
    // .safetensors with f64 x and i64 y
    let sp = dir.path().join("d.safetensors");
    let xb: Vec<u8> = X.iter().flat_map(|&v| (v as f64).to_le_bytes()).collect();
    let yb: Vec<u8> = Y.iter().flat_map(|v| v.to_le_bytes()).collect();
    crate::safetensors_io::write_atomic(
        &sp,
        vec![
            ("x".into(), safetensors::Dtype::F64, vec![3, 2], xb),
            ("y".into(), safetensors::Dtype::I64, vec![3], yb),
        ],
        HashMap::new(),
    )
    .unwrap();
    assert_eq!(load(&spec(&sp), Split::Test).unwrap(), expected(&sp));
    // .npz holding the two .npy files (stored, uncompressed)
    let zp = dir.path().join("d.npz");
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&zp).unwrap());
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, p) in [("x.npy", &xp), ("y.npy", &yp)] {
            z.start_file(name, o).unwrap();
            z.write_all(&std::fs::read(p).unwrap()).unwrap();
        }
        z.finish().unwrap();
    }
    assert_eq!(load(&spec(&zp), Split::Test).unwrap(), expected(&zp));
}

fn err(s: &DataSpec) -> String {
    load(s, Split::Test).unwrap_err().to_string()
}

#[test]
fn bad_files_are_named_errors() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    // Non-numeric CSV cell: line and column named.
    std::fs::write(p("bad.csv"), "a,b,label\n1,2,0\n3,oops,1\n").unwrap();
    let e = err(&spec(&p("bad.csv")));
    assert!(
        e.contains("row 3, column `b`: `oops` is not a number"),
        "{e}"
    );
    // Empty CSV (header only) and empty file.
    std::fs::write(p("hdr.csv"), "a,b,label\n").unwrap();
    assert!(err(&spec(&p("hdr.csv"))).contains("empty data set"));
    std::fs::write(p("empty.csv"), "").unwrap();
    assert!(err(&spec(&p("empty.csv"))).contains("empty data set"));
    // NaN and infinity.
    std::fs::write(p("nan.csv"), "a,b\n1,2\n3,NaN\n").unwrap();
    let e = err(&spec(&p("nan.csv")));
    assert!(e.contains("non-finite value NaN at row 1, column 1"), "{e}");
    write_npy_f32(&p("inf.npy"), &[2, 1], &[1.0, f32::INFINITY]);
    assert!(err(&spec(&p("inf.npy"))).contains("non-finite value inf at row 1"));
    // Labels that are not classes.
    std::fs::write(p("neg.csv"), "a,label\n1,0\n2,-1\n").unwrap();
    assert!(err(&spec(&p("neg.csv"))).contains("label -1 at row 1 is not a non-negative integer"));
    // Missing named label column, missing x, unknown extension, labels beside a CSV.
    let mut s = spec(&p("neg.csv"));
    s.label_column = Some("target".into());
    assert!(err(&s).contains("no column `target`"));
    write_npy_f32(&p("x.npy"), &[0, 3], &[]);
    assert!(err(&spec(&p("x.npy"))).contains("empty data set"));
    assert!(err(&DataSpec::new("data.parquet")).contains("unknown data set"));
    let mut s = spec(&p("neg.csv"));
    s.labels = Some(p("x.npy"));
    assert!(err(&s).contains("--labels goes with a .npy"));
    // Too few labels for the rows.
    write_npy_f32(&p("x2.npy"), &[2, 1], &[1.0, 2.0]);
    write_npy_i64(&p("y1.npy"), &[0]);
    let mut s = spec(&p("x2.npy"));
    s.labels = Some(p("y1.npy"));
    assert!(err(&s).contains("expected [2]"));
}

#[test]
fn width_and_label_range_are_checked_against_a_model() {
    let t = expected(Path::new("t.csv"));
    assert!(t.check_width(2).is_ok());
    let e = t.check_width(3).unwrap_err().to_string();
    assert!(
        e.contains("rows have 2 features but the model takes 3"),
        "{e}"
    );
    assert_eq!(t.check_labels(3).unwrap(), &[1, 0, 2]);
    let e = t.check_labels(2).unwrap_err().to_string();
    assert!(
        e.contains("label 2 at row 2 is out of range for a model with 2 classes"),
        "{e}"
    );
    // One output unit: a binary classifier, labels 0 and 1.
    assert_eq!(n_classes(1), 2);
    let mut u = t.clone();
    u.labels = None;
    assert!(u
        .check_labels(3)
        .unwrap_err()
        .to_string()
        .contains("no labels"));
    assert_eq!(t.slice(1, 2).unwrap().x, X[2..].to_vec());
    assert!(t.slice(2, 2).is_err());
}
