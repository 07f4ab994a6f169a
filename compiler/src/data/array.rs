//! A numeric array as read from a file: shape and values widened to f64.

/// An n-dimensional array, row-major, every element converted to f64 (exact for
/// every integer below 2^53 and every f32/f16/bf16).
#[derive(Clone, Debug, PartialEq)]
pub struct Array {
    /// Dimensions, outermost first.
    pub shape: Vec<usize>,
    /// `shape.iter().product()` values, row-major.
    pub values: Vec<f64>,
}

impl Array {
    /// Reorders a column-major (Fortran-order) array's values to row-major.
    /// Cost: O(values).
    pub fn from_column_major(shape: Vec<usize>, values: Vec<f64>) -> Self {
        if shape.len() < 2 {
            return Self { shape, values };
        }
        let n = values.len();
        let mut out = vec![0f64; n];
        // Column-major strides: dim 0 varies fastest.
        let mut cm_stride = vec![1usize; shape.len()];
        for d in 1..shape.len() {
            cm_stride[d] = cm_stride[d - 1] * shape[d - 1];
        }
        let mut idx = vec![0usize; shape.len()];
        for o in out.iter_mut() {
            let src: usize = idx.iter().zip(&cm_stride).map(|(i, s)| i * s).sum();
            *o = values[src];
            // Advance the row-major multi-index (last dim fastest).
            for d in (0..shape.len()).rev() {
                idx[d] += 1;
                if idx[d] < shape[d] {
                    break;
                }
                idx[d] = 0;
            }
        }
        Self { shape, values: out }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_major_is_transposed() {
        // [[1, 2, 3], [4, 5, 6]] stored column by column.
        let a = Array::from_column_major(vec![2, 3], vec![1., 4., 2., 5., 3., 6.]);
        assert_eq!(a.values, vec![1., 2., 3., 4., 5., 6.]);
    }
}
