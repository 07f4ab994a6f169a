//! ternzk compiler: dense `.safetensors` MLP → pruned, ternarized, quantized CSR model.
